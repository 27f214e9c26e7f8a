"""The Map page's sidebar: the shared event filters, how events are drawn, and the imported-events overlay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import config, explorer, vocab
from ..errors import FrontlineError
from ..history.filters import FILTER_FIELDS, EventFilter, describe_filters, other_filters
from ..safety import md_text
from ..webmap import overlay
from . import cache, state

#: The sidebar's filter widgets: session key -> EventFilter field (from the one filter table).
FILTER_WIDGETS = {f"flt_{f.param}": f.name for f in FILTER_FIELDS}


def _filters_changed() -> None:
    """Change only the fields this sidebar shows: dates and control filters set on the Events page stay."""
    s = st.session_state
    state.set_filters(**{field: (s[key].strip() if field == "text" else tuple(s[key]))
                         for key, field in FILTER_WIDGETS.items()})


def clear_filters(from_date_panel: bool = True) -> None:
    """Clear every event filter, the sidebar's widgets included (before they are drawn again)."""
    for key, field in FILTER_WIDGETS.items():
        st.session_state[key] = "" if field == "text" else []
    state.set_filters(EventFilter())
    if from_date_panel:  # a fragment's button: the sidebar must be drawn again too
        st.session_state.fl_rerun_page = True


def event_filters(filters: EventFilter) -> None:
    """The filter widgets, set from the shared filters the first time."""
    for key, field in FILTER_WIDGETS.items():
        value = getattr(filters, field)
        st.session_state.setdefault(key, value if field == "text" else list(value))
    for f in FILTER_FIELDS:
        if f.codes is None:
            st.text_input(f.label, key=f"flt_{f.param}", on_change=_filters_changed, placeholder=f.placeholder)
        else:
            st.multiselect(f.label, list(f.codes), format_func=f.codes.get, key=f"flt_{f.param}",
                           on_change=_filters_changed, placeholder=f.placeholder)


def filter_panel(filters: EventFilter) -> None:
    """"Filter events": the filters in a popover (its widgets are drawn only while it is open, so a date move
    re-renders a lighter page), and what they keep in words under it."""
    st.header("Filter events")
    active = describe_filters(filters)
    n = sum(bool(getattr(filters, field)) for field in FILTER_WIDGETS.values())
    with st.popover(f"Filters ({n} set)" if n else "Filters", icon=":material/filter_list:", width="stretch",
                    help="Country, event type, actor, confidence, source type and a text search"):
        event_filters(filters)
        if n:
            st.button("Clear the filters", key="flt_clear_sidebar", on_click=clear_filters,
                      kwargs={"from_date_panel": False})
    st.caption(md_text(f"Showing events matching: {active}.") if active else "Showing every event.")
    extra = other_filters(filters)
    if extra:
        st.caption(md_text(f"Also filtered on the Events page: {'; '.join(extra)}."))
        st.button("Clear the Events page's filters", key="flt_clear_extra", on_click=state.set_filters,
                  kwargs={"start": None, "end": None, "control_changes_only": False, "controllers_after": ()})


@dataclass
class Overlay:
    """The imported file chosen for the overlay (``path`` None when there is none) and how to draw it."""

    path: Path | None
    kind: str
    isis_only: bool
    days: int
    any_file: bool

    def window(self, when, view=None):
        """The overlay's rows (or grid cells) for the date and the map's view ``(center, zoom)``: one DuckDB query."""
        center, zoom = view if view and view[0] else (None, 6)
        return cache.overlay_query(self.path).window(when, self.days, self.isis_only,
                                                     bbox=overlay.view_bbox(center, zoom), zoom=zoom or 6,
                                                     max_points=overlay.MAX_POINTS)


#: The overlay widgets' values before they are first drawn.
_OVERLAY_DEFAULTS = {"ov_file": "None", "ov_kind": overlay.KINDS[0], "ov_isis": True, "ov_days": 30}


def _imported() -> dict[str, Path]:
    """The imported files the overlay can show, by name (the preset one, ``FRONTLINE_OVERLAY``, chosen first)."""
    imported = {p.name: p for p in overlay.overlay_files(config.IMPORTS_DIR)}
    preset = config.OVERLAY_PATH
    if preset is not None and preset.is_file():
        imported.setdefault(preset.name, preset)
        st.session_state.setdefault("ov_file", preset.name)
    return imported


def overlay_options(imported: dict[str, Path] | None = None) -> Overlay:
    """The overlay as its widgets set it, read from the session (the page may draw the widgets after the map)."""
    imported = _imported() if imported is None else imported
    s = st.session_state
    value = {k: s[k] if k in s else default for k, default in _OVERLAY_DEFAULTS.items()}
    path = imported.get(value["ov_file"])
    if path is not None:
        try:
            cache.overlay_description(str(path), path.stat().st_mtime)
        except (FrontlineError, OSError):
            path = None  # the panel says why
    return Overlay(path, value["ov_kind"], value["ov_isis"], value["ov_days"], bool(imported))


def overlay_panel() -> Overlay:
    """The imported-events overlay: which file, drawn how, over which window."""
    with st.popover("Imported events overlay", icon=":material/layers:", width="stretch"):
        imported = _imported()
        if not imported:
            st.caption("No file has been imported. Import a UCDP, ACLED or GTD file with\n"
                       "`python -m frontline import --format ucdp FILE.csv --out "
                       f"{config.IMPORTS_DIR.name}/NAME.parquet` (into `{config.IMPORTS_DIR}`); it is listed here.")
        st.selectbox("Imported file", ["None", *imported], key="ov_file", disabled=not imported)
        st.radio("Draw as", overlay.KINDS, key="ov_kind", horizontal=True,
                 format_func={"cluster": "points (grouped when many)", "heat": "heat map"}.get)
        st.checkbox("ISIS a party only", value=_OVERLAY_DEFAULTS["ov_isis"], key="ov_isis")
        st.select_slider("Window", options=[7, 30, 90, 365], value=_OVERLAY_DEFAULTS["ov_days"], key="ov_days",
                         format_func=lambda d: f"{d} days up to the date")
        path = imported.get(st.session_state.ov_file)
        if path is not None:
            try:
                st.caption(md_text(f"{path.name}: {cache.overlay_description(str(path), path.stat().st_mtime)}."))
            except FrontlineError as err:
                st.error(md_text(str(err)))
    return overlay_options(imported)


def map_options() -> tuple[int, bool, Overlay]:
    """What the Map page's sidebar has set (highlight window in days, show older events, overlay), read from the
    session before its widgets are drawn: the page draws the sidebar after the map, so that the map's element
    reaches the browser first (a new visitor's map frame is then created sooner)."""
    s = st.session_state
    window = s["opt_window"] if "opt_window" in s else state.get_window()
    return window, bool(s["opt_older"]) if "opt_older" in s else True, overlay_options()


def map_sidebar(filters: EventFilter) -> tuple[int, bool, Overlay]:
    """The whole sidebar of the Map page; returns (highlight window in days, show older events, overlay)."""
    with st.sidebar:
        filter_panel(filters)
        st.header("Events on the map")
        window = st.select_slider("Highlight the last", options=[7, 30, 90, 365], value=state.get_window(),
                                  format_func=lambda d: f"{d} days", key="opt_window")
        state.set_window(window)  # the Briefing page's exports highlight the same days
        show_older = st.checkbox("Show older events (faded)", value=True, key="opt_older")
        st.caption("Territory is estimated from the gazetteer's places and does not depend on the filters.")
        return window, show_older, overlay_panel()


def events_sidebar(places: pd.DataFrame, shared: EventFilter) -> tuple[EventFilter, list[str]]:
    """The Events page's filters (every field of the shared filter, plus places); returns (filter, place ids).

    Widgets start from the shared filters each time the page is opened (their keys are dropped
    while another page is shown), so the map and this page always agree; a change is shared back.
    """
    LO, HI = dt.date.fromisoformat(vocab.VALID_DATE_MIN), dt.date.fromisoformat(vocab.VALID_DATE_MAX)
    place_names = dict(zip(places["place_id"], places["name"]))

    initial = {
        "ev_text": shared.text,
        "ev_dates": (shared.start.date() if shared.start is not None else LO, shared.end.date() if shared.end is not None else HI),
        "ev_countries": list(shared.countries),
        "ev_types": list(shared.event_types),
        "ev_actors": list(shared.actors),
        "ev_changes": shared.control_changes_only,
        "ev_after": list(shared.controllers_after),
        "ev_confidence": list(shared.confidence),
        "ev_sources": list(shared.source_types),
    }
    for key, value in initial.items():
        st.session_state.setdefault(key, value)


    def _clear():
        for key in [*initial, "ev_places"]:
            st.session_state.pop(key, None)
        state.set_filters(EventFilter())


    with st.sidebar:
        st.header("Filter events")
        text = st.text_input("Search places and summaries", key="ev_text", placeholder="e.g. Palmyra, Tadmur, siege")
        span = st.date_input("Date range", key="ev_dates", min_value=LO, max_value=HI, format="YYYY-MM-DD")
        picked_places = st.multiselect("Place", sorted(place_names, key=place_names.get), key="ev_places",
                                       format_func=place_names.get)
        countries = st.multiselect("Country", list(vocab.COUNTRIES), key="ev_countries", format_func=vocab.COUNTRIES.get)
        types = st.multiselect("Event type", list(vocab.EVENT_TYPES), key="ev_types", format_func=vocab.EVENT_TYPE_LABELS.get)
        actors = st.multiselect("Actor", list(vocab.ACTORS), key="ev_actors",
                                format_func=explorer.actor_label)
        changes_only = st.checkbox("Changes of control only", key="ev_changes")
        after = st.multiselect("New controller (changes of control)", list(vocab.CONTROLLERS), key="ev_after",
                               format_func=vocab.CONTROLLER_LABELS.get)
        confidence = st.multiselect("Confidence", list(vocab.CONFIDENCE), key="ev_confidence")
        sources = st.multiselect("Source type", list(vocab.SOURCE_TYPES), key="ev_sources",
                                 format_func=lambda k: k.replace("_", " "),
                                 help="Keep events with at least one source of these kinds")
        st.button("Clear filters", on_click=_clear, key="ev_clear")

    start, end = (tuple(span) + (None, None))[:2] if isinstance(span, (tuple, list)) else (span, None)
    f = EventFilter(
        countries=tuple(countries), event_types=tuple(types), actors=tuple(actors), confidence=tuple(confidence), source_types=tuple(sources),
        text=text.strip(), control_changes_only=changes_only, controllers_after=tuple(after),
        start=None if start in (None, LO) else pd.Timestamp(start),
        end=None if end in (None, HI) else pd.Timestamp(end),
    )
    if f != shared:
        state.set_filters(f)
    return f, picked_places
