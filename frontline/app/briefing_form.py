"""The Briefing page's options (dates, format, page, marking) and its preview and build panel."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .. import vocab
from ..dataset import milestones
from ..errors import FrontlineError
from ..export import FORMATS, PRESETS, export, parse_dates
from ..export.animation import ANIMATION_FORMATS, STEPS, frame_dates
from ..export.area import describe_bounds, load_regions, parse_bbox, view_bounds
from ..export.briefing import format_area, format_date
from ..export.capture import browser_path
from ..export.presets import MIME_TYPES, STATIC_FORMATS
from ..history.filters import describe_filters
from ..safety import md_text
from . import state

#: The size (px) of the Map page's map that "The map's view" assumes: the map is 4/5 of a wide window's
#: width and fills its height below the date controls.
EXPORT_VIEW_PX = (1200, 700)
AREAS = ("Whole theatre", "The map's view", "A named region", "A box (W,S,E,N)")
WINDOWS = (7, 30, 90, 365)


@dataclass
class Options:
    """What the analyst asked for: the dates (as typed or picked), the format, page, marking and capture."""

    raw_dates: list
    fmt: str
    preset: str
    marking: str
    browser: bool
    bounds: tuple | None = None
    area_name: str = ""
    window_days: int = 30
    area_ok: bool = True
    animation: tuple | None = None  # (from, to, step) of a GIF or an MP4
    change_from: object = None  # a single-date page: hatch the ground that changed hands since this date


def area_options() -> tuple[tuple | None, str, bool]:
    """The area of interest: (bounds or None for the theatre, its name, whether the input is valid).

    "The map's view" is offered when the map has a view (centre and zoom, in the URL or the session),
    and chosen when the analyst came here with "Export this view".
    """
    center, zoom = state.get_view()
    has_view = bool(center) and zoom is not None
    choices = [a for a in AREAS if has_view or a != AREAS[1]]
    if state.pop_view_export() and has_view:
        st.session_state["br_area"] = AREAS[1]
    if st.session_state.get("br_area") not in (None, *choices):
        del st.session_state["br_area"]
    choice = st.radio("Area", choices, key="br_area", horizontal=True)
    if choice == AREAS[1]:
        bounds = view_bounds(center[0], center[1], zoom, *EXPORT_VIEW_PX)
        st.caption(f"The map's view at zoom {zoom}: {describe_bounds(bounds)}")
        return bounds, "", True
    if choice == AREAS[2]:
        regions = {r.name: r for r in load_regions()}
        name = st.selectbox("Region", list(regions), key="br_region")
        r = regions[name]
        st.caption(md_text(f"{describe_bounds(r.bounds)}. {r.notes}"))
        return r.bounds, r.name, True
    if choice == AREAS[3]:
        text = st.text_input("Box: west, south, east, north (degrees)", key="br_bbox",
                             placeholder="42.6, 35.9, 43.7, 36.7")
        if not text.strip():
            st.caption("Type a box, e.g. 42.6, 35.9, 43.7, 36.7 (Mosul).")
            return None, "", False
        try:
            return parse_bbox(text), "", True
        except FrontlineError as err:
            st.error(md_text(str(err).replace("--bbox", "The box")))
            return None, "", False
    return None, "", True


def _animation_dates(day) -> tuple:
    """From, to and step of an animation (from the map's date back a year, a month a step, by default)."""
    import datetime as dt

    first, last = vocab.PERIOD.start, vocab.PERIOD.end
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("From", value=max(first, day - dt.timedelta(days=365)), min_value=first, max_value=last,
                          key="br_anim_from")
    end = c2.date_input("To", value=day, min_value=first, max_value=last, key="br_anim_to")
    step = c3.selectbox("A frame every", STEPS, index=2, key="br_anim_step")
    return start, end, step


def options(day, filters) -> Options:
    """The options column: format, the dates (the map's date, milestones, typed dates; or an animation's
    period and step), area, highlighted days, page, marking, capture."""
    fmt = st.selectbox("Format", list(FORMATS), format_func=str.upper, key="br_format")
    st.caption(FORMATS[fmt])
    animation = _animation_dates(day) if fmt in ANIMATION_FORMATS else None
    use_day, picked, typed, labels = False, [], "", {}
    if animation is None:
        use_day = st.checkbox(f"The map's date ({day.day} {day:%B %Y})", value=True, key="br_use_day")
        labels = {f"{m.date:%d %b %Y}: {m.label}": m.date for m in milestones.MILESTONES
                  if vocab.PERIOD.contains(m.date)}
        picked = st.multiselect("Milestones", list(labels), key="br_milestones")
        typed = st.text_input("Other dates (YYYY-MM-DD, comma-separated)", key="br_dates",
                              placeholder="2015-01-01, 2016-01-01")
    bounds, area_name, area_ok = area_options()
    window = st.select_slider("Highlight events of the last", options=WINDOWS,
                              value=state.get_window() if state.get_window() in WINDOWS else 30,
                              format_func=lambda d: f"{d} days", key="br_window",
                              help="As on the map (its sidebar's 'Highlight the last').")
    preset = st.radio("Page", list(PRESETS), format_func=lambda p: PRESETS[p].label, horizontal=True,
                      key="br_preset", disabled=fmt not in STATIC_FORMATS + ANIMATION_FORMATS)
    change_from = None
    if fmt in STATIC_FORMATS and animation is None and st.checkbox(
            "Show the ground that changed hands since…", key="br_change",
            help="One date's page: the ground each side took since this date is hatched in its colour, with "
                 "each side's km² gained and lost in the legend (as --change-from on the command line)."):
        import datetime as dt

        change_from = st.date_input("Since", value=max(vocab.PERIOD.start, day - dt.timedelta(days=180)),
                                    min_value=vocab.PERIOD.start, max_value=vocab.PERIOD.end, key="br_change_from")
    marking = st.text_input("Marking line (optional, e.g. a classification or handling caveat)", key="br_marking",
                            max_chars=120)
    browser = False
    if fmt == "png":
        if browser_path():
            browser = st.checkbox("Capture as a browser draws it", key="br_browser",
                                  help="Draw the interactive map in headless Chromium and save what it shows, "
                                       "instead of the print-quality rendering.")
        else:
            st.caption("Browser-faithful capture needs Chromium (Debian: apt-get install chromium).")
    described = describe_filters(filters)
    st.caption(md_text(f"Event filters from the map: {described}.") if described else
               "No event filters: every event is drawn. Territory always uses every change of control.")
    raw = ([day] if use_day else []) + [labels[p] for p in picked] + [
        d for d in typed.replace(";", ",").split(",") if d.strip()]
    return Options(raw, fmt, preset, marking, browser, bounds, area_name, int(window), area_ok, animation,
                   change_from)


def dates_or_error(opts: Options) -> list | None:
    """The checked dates, or ``None`` after showing why they are refused."""
    if not opts.area_ok:
        return None
    try:
        if opts.animation is not None:
            start, end, step = opts.animation
            ends = parse_dates([start, end])
            if end < start:
                raise FrontlineError(f"'To' ({end}) is before 'From' ({start}); swap them")
            dates = frame_dates(ends[0], ends[-1], step)
            st.caption(f"{len(dates)} frames, a {step} a frame.")
            return dates
        return parse_dates(opts.raw_dates)
    except FrontlineError as err:
        st.error(md_text(err))
        return None


def preview_and_build(briefing, dates: list, opts: Options, filters) -> None:
    """The dates' ISIS areas, a slide-size preview, the build with its progress bar and the download."""
    fmt, preset, marking, browser = opts.fmt, opts.preset, opts.marking, opts.browser
    ends = [dates[0], dates[-1]] if fmt in ANIMATION_FORMATS and len(dates) > 1 else dates
    st.subheader((" to " if ends is not dates else ", ").join(format_date(d, short=True) for d in ends))
    st.caption(" · ".join(f"{format_date(d, short=True)}: ISIS {format_area(briefing.held(d)['area_km2'])}"
                          for d in ends))
    c1, c2 = st.columns(2)
    preview = c1.button("Preview", key="br_preview", width="stretch")
    build = c2.button(f"Build the {fmt.upper()}", type="primary", key="br_build", width="stretch")
    settings = (tuple(dates), marking, filters, briefing.bounds, briefing.window_days, briefing.change_from)
    if preview:
        try:
            with st.spinner("Drawing the preview..."), tempfile.TemporaryDirectory() as tmp:
                shown_dates = dates[-1:] if fmt in ANIMATION_FORMATS else dates
                out = export(briefing, shown_dates, "png", Path(tmp) / "preview.png", "slide", marking)
                st.session_state["br_preview_png"] = (settings, out.read_bytes())
        except FrontlineError as err:
            st.error(md_text(err))
    shown = st.session_state.get("br_preview_png")
    if not (shown and shown[0] == settings) and "br_file" not in st.session_state:
        st.caption("Press **Preview** to see the export at slide size here, or **Build** to make the file to "
                   "download.")
    if shown and shown[0] == settings:
        st.image(shown[1], width="stretch",
                 caption="Preview at slide size: " + ("the last frame" if fmt in ANIMATION_FORMATS else
                                                     "the map page" if len(dates) == 1 else "small multiples")
                         + ("; the deck has one slide per date" if fmt == "pptx" else ""))
    if build:
        bar = st.progress(0.0, text="Starting...")
        name = f"frontline-{'_'.join(f'{d:%Y%m%d}' for d in (ends if fmt in ANIMATION_FORMATS else dates)[:6])}.{fmt}"
        try:
            with tempfile.TemporaryDirectory() as tmp:
                out = export(briefing, dates, fmt, Path(tmp) / name, preset, marking,
                             progress=lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m), browser=browser)
                st.session_state["br_file"] = (name, out.read_bytes())
            bar.progress(1.0, text="Done")
        except FrontlineError as err:
            st.error(md_text(err))
    if "br_file" in st.session_state:
        name, data = st.session_state["br_file"]
        st.download_button(f"Download {name} ({len(data) / 1e6:.1f} MB)", data, file_name=name,
                           mime=MIME_TYPES[name.rsplit(".", 1)[1]],
                           key="br_download", width="stretch")
        if name.endswith(".mp4"):  # play it here
            st.video(data, format="video/mp4")
        elif name.endswith(".gif"):
            st.image(data, caption=name, width="stretch")
