"""Static maps of one date (matplotlib): the full briefing page, and the map panel used on slides.

:func:`map_figure` lays out a page: a marking line (optional), the title and the date in
large type, the map (territory, events, rivers, borders, city labels, scale bar, north
arrow), a side panel (ISIS's area and population, legend, locator inset) and a footer
(sources, method, marking). :func:`save` writes PNG, PDF or SVG with no timestamps, so
the same inputs give the same bytes. No browser and no network are used.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from .. import __version__
from ..history.filters import describe_filters
from . import cartography as carto
from .briefing import (CONTESTED, METHOD_NOTE, UNASSIGNED, Briefing, controller_color, controller_label,
                       format_area, format_date, format_population, in_bounds)
from .presets import Preset

__all__ = ["map_figure", "panel_figure", "save", "render_context", "TITLE", "draw_map"]

TITLE = "ISIS territory in Syria and Iraq"
#: The slide panel reaches further south-west, so its legend sits on the Jordanian and Saudi desert.
PANEL_BOUNDS = (34.6, 27.9, 48.8, 37.6)

#: rcParams that make output reproducible and self-contained.
RC = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "frontline",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
    "hatch.linewidth": 0.9,
    "axes.unicode_minus": True,
    # Text is text: markings, titles, filters and place names print as typed ($, %, _, \\), never as math.
    "text.usetex": False,
    "text.parse_math": False,
}


@contextmanager
def render_context():
    """Fixed rcParams (fonts, SVG hash salt) for the duration of a render."""
    with matplotlib.rc_context(RC):
        yield


def _new_figure(width: float, height: float, dpi: int) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    return fig, canvas.get_renderer()


def _fig_box(fig, left_in, bottom_in, width_in, height_in) -> list[float]:
    """An axes rectangle in figure fractions from inches."""
    w, h = fig.get_size_inches()
    return [left_in / w, bottom_in / h, width_in / w, height_in / h]


def draw_map(ax, briefing: Briefing, when, renderer, scale: float = 1.0, labels: int = 26,
             furniture: bool = True, events: bool = True, avoid: list | None = None,
             extent=None, label_size: float = 8.5) -> dict:
    """Draw the map of ``when`` on ``ax``; return what was drawn (controllers, event types, labels)."""
    snap = briefing.snapshot(when)
    bbox = ax.get_window_extent(renderer)
    if extent is None:
        extent = carto.extent(briefing.bounds or carto.FOCUS_BOUNDS)
    carto.frame(ax, carto.fit_extent(extent, bbox.width, bbox.height), scale)
    carto.draw_basemap(ax, scale)
    geoms = {c: g for c, g in snap.geometries.items() if c != UNASSIGNED}
    drawn = carto.draw_territory(ax, geoms, scale, inferred=getattr(snap, "inferred", None))
    change = briefing.change(when)
    if change is not None:
        carto.draw_changes(ax, change[0], scale)
    carto.draw_borders(ax, scale)
    shown = briefing.map_events(when) if events else None
    if shown is not None and briefing.bounds is not None:  # the legend lists only what the area shows
        shown = shown[in_bounds(shown["lon"], shown["lat"], briefing.bounds)]
    types = carto.draw_events(ax, shown, scale) if events else []
    taken = list(avoid or [])
    if furniture:
        taken += _furniture(ax, renderer, scale)
    places = []
    if shown is not None and not shown.empty:
        info = briefing.places.set_index("place_id")
        for pid in shown.sort_values("date", ascending=False)["place_id"].drop_duplicates():
            if pid in info.index:
                places.append({"name": str(info.at[pid, "name"]), "lon": float(info.at[pid, "lon"]),
                               "lat": float(info.at[pid, "lat"]), "bold": True, "clear": 6.5})
    cities = carto.city_labels(briefing.places)
    if briefing.bounds is not None:  # an area of interest: its cities, then its own towns
        cities = [c for c in cities if in_bounds(c["lon"], c["lat"], briefing.bounds)]
        cities += briefing.places_in_view(briefing.bounds, labels)
    seen = {p["name"] for p in places}
    cities = [c for c in cities if not (c["name"] in seen or seen.add(c["name"]))]
    markers = (carto.marker_boxes(ax, shown["lon"].to_numpy(), shown["lat"].to_numpy(), 5.0 * scale)
               if shown is not None and not shown.empty else [])
    placed = carto.draw_labels(ax, places[:8] + cities[:labels], renderer, scale, fontsize=label_size, avoid=taken,
                               obstacles=markers)
    carto.draw_country_names(ax, scale, renderer, taken)
    return {"controllers": drawn, "event_types": types, "labels": placed, "snapshot": snap, "events": shown,
            "change": None if change is None else change[1]}


def _furniture(ax, renderer, scale: float, scale_loc=(0.035, 0.04), inset_in=(1.95, 1.55)) -> list[Bbox]:
    """Scale bar (lower left), locator inset (upper right) and north arrow below it; returns the boxes they take."""
    fig = ax.figure
    box = ax.get_window_extent(renderer)
    dpi = fig.dpi
    iw, ih = inset_in[0] * scale * dpi, inset_in[1] * scale * dpi
    pad = 0.08 * scale * dpi
    inset = Bbox.from_bounds(box.x1 - iw - pad, box.y1 - ih - pad, iw, ih)
    iax = fig.add_axes(fig.transFigure.inverted().transform_bbox(inset))
    carto.locator(iax, (*ax.get_xlim(), *ax.get_ylim()), scale)
    arrow_y = 1 - (ih + pad * 2) / box.height - 0.11
    carto.north_arrow(ax, scale, loc=(1 - (iw / 2 + pad) / box.width, arrow_y))
    carto.scale_bar(ax, scale, loc=scale_loc)
    return [inset.expanded(1.04, 1.04),
            _axes_box(ax, 1 - (iw / 2 + pad) / box.width - 0.03, arrow_y - 0.01, 1 - (iw / 2 + pad) / box.width + 0.03,
                      arrow_y + 0.11),
            _axes_box(ax, scale_loc[0] - 0.01, scale_loc[1] - 0.015, scale_loc[0] + 0.27, scale_loc[1] + 0.07)]


def _axes_box(ax, fx0, fy0, fx1, fy1) -> Bbox:
    """Display-space box of an axes-fraction rectangle."""
    return Bbox([ax.transAxes.transform((fx0, fy0)), ax.transAxes.transform((fx1, fy1))])


def _legend(fig, x_in: float, top_in: float, width_in: float, briefing: Briefing, when, drawn: dict,
            scale: float, fontsize: float = 9.0, draw: bool = True, columns: int = 1) -> float:
    """Territory and event legend from (``x_in``, ``top_in``) downwards, in ``columns``; returns the bottom (inches).

    With ``draw=False`` nothing is drawn: the return value measures the legend.
    """
    W, H = fig.get_size_inches()
    fs = fontsize * scale
    row = fs / 72 * 1.75
    sw = fs / 72 * 1.25
    col_w = width_in / columns
    ink = carto.STYLE["text"]

    def t(xi, yi, s, **kw):
        if draw:
            fig.text(xi / W, yi / H, s, **kw)

    def add(artist):
        if draw:
            fig.add_artist(artist)

    def grid(items, y, paint):
        rows = -(-len(items) // columns)
        for i, item in enumerate(items):
            col, r = divmod(i, rows)
            paint(item, x_in + col * col_w, y - r * row - row / 2)
        return y - rows * row

    y = top_in
    t(x_in, y, "Territory (estimated" + (", whole theatre)" if briefing.bounds is not None else ")"),
      fontsize=fs * 1.05, fontweight="bold", va="top", color=ink)
    y -= row * 1.2
    areas = briefing.areas(when)
    areas = areas[(areas["controller"] != UNASSIGNED) & ((areas["area_km2"] > 0) | (areas["controller"] == "ISIS"))]

    def territory(r, x, yc):
        box = (x / W, (yc - sw / 2) / H)
        if r.controller == CONTESTED:
            add(Rectangle(box, sw / W, sw / H, transform=fig.transFigure, facecolor="white", edgecolor=r.color,
                          hatch="////", linewidth=0.9 * scale))
        else:
            alpha = carto.STYLE["isis_alpha"] if r.controller == "ISIS" else carto.STYLE["territory_alpha"]
            add(Rectangle(box, sw / W, sw / H, transform=fig.transFigure, facecolor=r.color, alpha=alpha,
                          edgecolor=r.color, linewidth=0.8 * scale))
        bold = "bold" if r.controller == "ISIS" else "normal"
        t(x + sw + 0.08 * scale, yc, r.label, fontsize=fs, va="center", fontweight=bold, color=ink)
        if columns == 1:
            t(x + col_w, yc, format_area(r.area_km2), fontsize=fs, va="center", ha="right", fontweight=bold,
              color=ink)

    y = grid(list(areas.itertuples(index=False)), y, territory)
    t(x_in, y - row * 0.1, "Lighter: inferred (roads, rivers, land between one side's places). Hatched: contested "
      "(its holder keeps it). Unshaded: not assigned (between the sides, or far from any place)"
      if columns > 1 else "Lighter: inferred (roads, rivers, land\nbetween one side's places). Hatched: contested\n"
      "(its holder keeps it). Unshaded: not assigned\n(between the sides, or far from any place)",
      fontsize=fs * 0.82, va="top", color=carto.STYLE["muted"], linespacing=1.15)
    y -= row * (0.9 if columns > 1 else 2.9)
    if drawn.get("change") is not None and columns == 1:
        y = _change_legend(fig, t, add, x_in, y, col_w, briefing, when, drawn["change"], fs, sw, row, scale)
    handles = carto.event_legend_handles(drawn["event_types"], scale)
    if handles:
        y -= row * 0.4
        t(x_in, y, f"Events, {briefing.window_days} days to {format_date(when, short=True)}", fontsize=fs * 1.05,
          fontweight="bold", va="top", color=ink)
        y -= row * 1.2

        def event(h, x, yc):
            add(Line2D([(x + sw / 2) / W], [yc / H], transform=fig.transFigure, linestyle="none",
                       marker=h.get_marker(), markersize=h.get_markersize(), markerfacecolor=h.get_markerfacecolor(),
                       markeredgecolor="#111111", markeredgewidth=0.8 * scale))
            label = h.get_label().replace(" (fill: new holder)", "") if columns > 1 else h.get_label()
            t(x + sw + 0.08 * scale, yc, label, fontsize=fs * 0.92, va="center", color=ink)

        y = grid(handles, y, event)
    return y



def _change_legend(fig, t, add, x_in, y, col_w, briefing, when, table, fs, sw, row, scale) -> float:
    """Rows "Taken since <date>": each side's hatch and its km² gained and lost; returns the new bottom."""
    W, H = fig.get_size_inches()
    ink = carto.STYLE["text"]
    table = table[(table["gained_km2"] >= 0.5) | (table["lost_km2"] >= 0.5)]
    y -= row * 0.4
    where = "in the area shown: " if briefing.bounds is not None else ""
    t(x_in, y, f"Changed hands since {format_date(briefing.change_from, short=True)}", fontsize=fs * 1.05,
      fontweight="bold", va="top", color=ink)
    y -= row * 1.1
    t(x_in + col_w, y, f"{where}gained / lost", fontsize=fs * 0.8, va="center", ha="right", color=carto.STYLE["muted"])
    y -= row * 0.75
    for r in table.itertuples(index=False):
        yc = y - row / 2
        color = controller_color(r.controller)
        if r.gained_km2 >= 0.5:
            add(Rectangle((x_in / W, (yc - sw / 2) / H), sw / W, sw / H, transform=fig.transFigure, facecolor="white",
                          edgecolor=color, hatch=carto.STYLE["change_hatch"], linewidth=1.0 * scale))
        bold = "bold" if r.controller == "ISIS" else "normal"
        t(x_in + sw + 0.08 * scale, yc, controller_label(r.controller), fontsize=fs * 0.92, va="center",
          fontweight=bold, color=ink)
        gained = f"+{format_area(r.gained_km2)}" if r.gained_km2 >= 0.5 else "0"
        lost = f"−{format_area(r.lost_km2)}" if r.lost_km2 >= 0.5 else "0"
        t(x_in + col_w, yc, f"{gained} / {lost}", fontsize=fs * 0.92,
          va="center", ha="right", fontweight=bold, color=ink)
        y -= row
    return y - row * 0.2


def draw_marking(fig, marking: str, W: float, H: float, s: float) -> float:
    """Draw the marking line (a handling caveat) as a band at the top and bottom; return the band's height.

    No marking draws nothing and returns 0.
    """
    if not marking:
        return 0.0
    band = 0.28 * s
    for yb in (H - band, 0):
        fig.add_artist(Rectangle((0, yb / H), 1, band / H, transform=fig.transFigure, facecolor="#f3e9e4",
                                 edgecolor="none"))
        fig.text(0.5, (yb + band / 2) / H, marking, ha="center", va="center", fontsize=9.5 * s,
                 fontweight="bold", color="#7a1010")
    return band


def map_figure(briefing: Briefing, when, preset: Preset, marking: str = "", title: str = TITLE) -> Figure:
    """The full briefing page of one date at ``preset`` (see the module docstring)."""
    when = briefing.snapshot(when).date
    s = preset.scale
    W, H = preset.width, preset.height
    with render_context():
        fig, renderer = _new_figure(W, H, preset.dpi)
        margin = 0.3 * s
        band = draw_marking(fig, marking, W, H, s)
        top = H - band - 0.22 * s
        fig.text(margin / W, top / H, title, fontsize=21 * s, fontweight="bold", va="top", color=carto.STYLE["text"])
        filt = describe_filters(briefing.filters)
        sub = (f"Estimated zones of control, and events of the {briefing.window_days} days to the date"
               + (f" (events filtered: {filt})" if filt else ""))
        if briefing.change_from is not None:
            sub = (f"Estimated zones of control; hatched: ground taken since {format_date(briefing.change_from)}, "
                   "in the colour of the side that took it")
        if briefing.bounds is not None:
            from .area import describe_bounds

            sub = (f"{briefing.area_name or 'Area of interest'} ({describe_bounds(briefing.bounds)}): "
                   + sub[0].lower() + sub[1:])
        fig.text(margin / W, (top - 0.47 * s) / H, sub, fontsize=10.5 * s, va="top", color=carto.STYLE["muted"])
        fig.text((W - margin) / W, (top + 0.06 * s) / H, format_date(when), fontsize=34 * s, fontweight="bold",
                 va="top", ha="right", color=carto.STYLE["text"])
        header_bottom = top - 0.95 * s

        footer_h = 0.62 * s
        footer_top = band + footer_h
        chars = int(W / (6.3 * s / 72 * 0.55))
        notes = textwrap.fill(briefing.sources_note(), chars) + "\n" + textwrap.fill(METHOD_NOTE, chars)
        fig.text(margin / W, (footer_top - 0.06 * s) / H, notes, fontsize=6.3 * s, va="top", color=carto.STYLE["muted"],
                 linespacing=1.3)
        fig.add_artist(Line2D([margin / W, 1 - margin / W], [footer_top / H] * 2, transform=fig.transFigure,
                              color="#cccccc", linewidth=0.6 * s))

        side_w = 3.2 * s
        map_w = W - 2 * margin - side_w - 0.25 * s
        map_bottom = footer_top + 0.12 * s
        map_h = header_bottom - map_bottom
        ax = fig.add_axes(_fig_box(fig, margin, map_bottom, map_w, map_h))
        # a change map shows what changed hands; its events would crowd the legend off the page
        drawn = draw_map(ax, briefing, when, renderer, s, events=briefing.change_from is None)

        x = margin + map_w + 0.3 * s
        inner = side_w - 0.1 * s
        y = header_bottom
        held = briefing.held(when)
        fig.text(x / W, y / H, "HELD BY ISIS", fontsize=9 * s, fontweight="bold", va="top", color=carto.STYLE["muted"])
        fig.text(x / W, (y - 0.2 * s) / H, format_area(held["area_km2"]), fontsize=24 * s, fontweight="bold", va="top",
                 color=carto.STYLE["text"])
        fig.text(x / W, (y - 0.68 * s) / H,
                 f"{format_population(held['population'])} people in {held['places']} place{'' if held['places'] == 1 else 's'}",
                 fontsize=10 * s, va="top", color=carto.STYLE["text"])
        _legend(fig, x, y - 1.15 * s, inner, briefing, when, drawn, s)
        fig.text((W - margin) / W, (footer_top - 0.06 * s) / H, f"Frontline atlas {__version__}", fontsize=6.3 * s,
                 va="top", ha="right", color=carto.STYLE["muted"])
    return fig


def panel_figure(briefing: Briefing, when, width: float = 8.4, height: float = 6.3, dpi: int = 150,
                 scale: float = 0.85) -> Figure:
    """The map of one date on its own, legend and locator inside the frame (for slides)."""
    with render_context():
        fig, renderer = _new_figure(width, height, dpi)
        ax = fig.add_axes([0.004, 0.004, 0.992, 0.992])
        legend_w = 3.7 * scale
        inset_w, inset_h = 1.95 * scale, 1.55 * scale
        drawn_probe = {"event_types": list(briefing.map_events(when)["event_type"].unique())}
        used = -_legend(fig, 0, 0, legend_w - 0.24, briefing, when, drawn_probe, scale, fontsize=8.5, draw=False,
                        columns=2)
        box_h = used + 0.2
        avoid = [Bbox.from_bounds(0, 0, (legend_w + 0.2) * dpi, (box_h + 0.2) * dpi),
                 Bbox.from_bounds((width - inset_w - 0.2) * dpi, (height - inset_h - 0.2) * dpi,
                                  (inset_w + 0.2) * dpi, (inset_h + 0.2) * dpi)]
        drawn = draw_map(ax, briefing, when, renderer, scale, furniture=False, avoid=avoid, labels=22,
                         extent=carto.extent(briefing.bounds or PANEL_BOUNDS))
        _furniture(ax, renderer, scale, scale_loc=(0.74, 0.04))
        fig.add_artist(Rectangle((0.1 / width, 0.1 / height), legend_w / width, box_h / height,
                                 transform=fig.transFigure, facecolor="white", alpha=0.92, edgecolor="#555555",
                                 linewidth=0.6 * scale))
        _legend(fig, 0.22, 0.1 + box_h - 0.1, legend_w - 0.24, briefing, when, drawn, scale, fontsize=8.5, columns=2)
    return fig


def file_metadata(fmt: str, title: str | None = None, when=None) -> dict:
    """The metadata written with a ``fmt`` file: its title, and the map's date as its date (never "now").

    Equal inputs give equal metadata, so equal bytes.

    >>> file_metadata("pdf", "Raqqa", "2017-10-17")["CreationDate"]
    datetime.datetime(2017, 10, 17, 0, 0, tzinfo=datetime.timezone.utc)
    >>> file_metadata("svg")
    {'Date': None}
    """
    import datetime as dt

    import pandas as pd

    stamp = None
    if when is not None:
        stamp = dt.datetime.combine(pd.Timestamp(when).date(), dt.time(), tzinfo=dt.timezone.utc)
    creator = f"Frontline atlas {__version__}"
    if fmt == "png":
        return {"Software": None, **({"Title": title} if title else {})}
    if fmt == "pdf":
        return {"CreationDate": stamp, "ModDate": stamp, "Producer": None, "Creator": creator,
                **({"Title": title} if title else {})}
    return {"Date": stamp.date().isoformat() if stamp else None,
            **({"Title": title, "Creator": creator} if title else {})}


def save(fig: Figure, out, fmt: str, dpi: int | None = None, title: str | None = None, when=None):
    """Write ``fig`` as ``fmt`` (png, pdf, svg) with ``title`` and the map's date ``when`` as metadata.

    No clock reaches the file, so equal inputs give equal bytes. ``out`` is a path or a binary
    file object; returns it (a path as ``Path``).
    """
    meta = file_metadata(fmt, title, when)
    with render_context():
        fig.savefig(out, format=fmt, dpi=dpi or fig.dpi, metadata=meta, facecolor=fig.get_facecolor())
    return out if hasattr(out, "write") else Path(out)
