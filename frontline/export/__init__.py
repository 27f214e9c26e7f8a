"""Briefing exports: static maps, small multiples, slide decks, a stand-alone map and browser captures.

One module per concept:

- :mod:`.presets`: page presets (16:9 slide, A4, A3) and formats; output checks
- :mod:`.briefing`: the inputs (data, territory model, filters) and the text drawn from them
- :mod:`.cartography`: projection, basemap, territory, events, labels, scale bar, north arrow, inset
- :mod:`.static`: the page of one date, and the map panel used on slides; deterministic saving
- :mod:`.multiples`: several dates side by side
- :mod:`.chart`: ISIS's area over time
- :mod:`.slides`: the PowerPoint deck
- :mod:`.standalone`: one offline HTML file with a time slider
- :mod:`.capture`: a PNG of the interactive map in headless Chromium

:func:`export` writes any of them to a file; the CLI (``python -m frontline export``) and the
Briefing page both call it.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportError
from .briefing import Briefing, load_briefing, parse_dates
from .presets import FORMATS, PRESETS, STATIC_FORMATS, check_output, get_preset

__all__ = ["export", "check_change_map", "Briefing", "load_briefing", "parse_dates", "FORMATS", "PRESETS", "STATIC_FORMATS"]


def check_change_map(since, dates, fmt: str, browser: bool) -> None:
    """A change map is one date's page (png, pdf or svg) since an earlier date."""
    if fmt not in STATIC_FORMATS or browser or len(dates) != 1:
        raise ExportError("--change-from draws one date's map: give one --date and --format png, pdf or svg "
                          "(without --browser)")
    if since >= dates[0]:
        raise ExportError(f"--change-from {since:%Y-%m-%d} is not before --date {dates[0]:%Y-%m-%d}; "
                          "give an earlier date")


def export(briefing: Briefing, dates, fmt: str, out: Path | str, preset: str = "slide", marking: str = "",
           progress=None, browser: bool = False, app_url: str | None = None, fps: float | None = None,
           size: tuple[int, int] | None = None) -> Path:
    """Write ``dates`` of ``briefing`` as ``fmt`` to ``out``; return the path written.

    - ``png``/``pdf``/``svg``: the briefing page of one date, or small multiples of several;
      with ``browser=True`` (PNG only) a capture of the interactive map in headless Chromium
      (of the dashboard at ``app_url`` if given, else of the stand-alone map made for a slide: no
      controls, the area of interest, a legend, the scale and a source line), ``size`` (w, h) pixels.
    - ``pptx``: title slide, one slide per date, closing chart and sources.
    - ``html``: the stand-alone interactive map, opening on the first date.
    - ``gif``/``mp4``: an animation, the page of each date a frame (``fps`` frames a second;
      :func:`.animation.frame_dates` makes the dates from A to B at a step).

    ``progress(fraction, message)`` is called as work is done. Dates outside the atlas's
    period raise ``DateError``; a bad format, preset or output path raises ``ExportError``
    before anything is drawn.
    """
    dates = parse_dates(dates)
    out = check_output(out, fmt)
    page = get_preset(preset)
    marking = " ".join(str(marking or "").split())
    report = progress or (lambda fraction, message: None)
    if briefing.change_from is not None:
        check_change_map(briefing.change_from, dates, fmt, browser)
    if browser:
        if fmt != "png":
            raise ExportError(f"a browser capture is a PNG; use --format png with --browser (not {fmt})")
        if len(dates) != 1:
            raise ExportError(f"a browser capture shows one date; {len(dates)} were given")
        from .capture import capture_app, capture_html
        from .standalone import standalone_html

        width, height = size or (page.pixels if preset == "slide" else (1920, 1080))
        if app_url:
            report(0.1, f"opening {app_url}")
            capture_app(app_url, dates[0], out, width, height)
        else:
            report(0.1, "building the interactive map")
            html = standalone_html(briefing, marking, start=dates[0], capture=True)
            report(0.6, "capturing in headless Chromium")
            capture_html(html, out, width, height)
        report(1.0, f"wrote {out}")
        return out
    if fmt in ("gif", "mp4"):
        from .animation import write_animation

        write_animation(briefing, dates, fmt, out, page, marking, fps, progress=report)
    elif fmt in STATIC_FORMATS:
        from .briefing import format_date
        from .static import TITLE, map_figure, save

        span = format_date(dates[0]) + (f" to {format_date(dates[-1])}" if len(dates) > 1 else "")
        if len(dates) == 1:
            report(0.2, f"drawing {dates[0].date()}")
            fig = map_figure(briefing, dates[0], page, marking)
        else:
            from .multiples import multiples_figure

            fig = multiples_figure(briefing, dates, page, marking,
                                   progress=lambda f, m: report(0.9 * f, m))
        report(0.9, f"writing {fmt.upper()}")
        save(fig, out, fmt, title=f"{TITLE}, {span}", when=dates[-1])
    elif fmt == "pptx":
        from .slides import build_deck

        build_deck(briefing, dates, out, marking, progress=report)
    elif fmt == "html":
        from .standalone import standalone_html

        html = standalone_html(briefing, marking, start=dates[0], progress=lambda f, m: report(0.9 * f, m))
        out.write_text(html, encoding="utf-8")
    report(1.0, f"wrote {out}")
    return out
