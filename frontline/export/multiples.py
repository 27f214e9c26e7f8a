"""Small multiples: one image with the map of several dates side by side, each with ISIS's area.

Every panel uses the same extent and colours, so the panels compare at a glance;
the legend, the sources and the method are drawn once for the whole image.
"""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import cartography as carto
from .. import vocab
from .briefing import CONTESTED, METHOD_NOTE, Briefing, controller_color, controller_label, format_area, format_date
from .presets import Preset
from .static import TITLE, _new_figure, draw_map, draw_marking, render_context

__all__ = ["multiples_figure", "grid_shape", "theatre_bounds", "TIGHT_BOUNDS"]

#: Syria and Iraq with little margin (small panels).
TIGHT_BOUNDS = (35.6, 29.1, 48.6, 37.4)


def theatre_bounds(briefing: Briefing, dates, margin: float = 0.6, min_span: float = 3.0):
    """The box the panels share: ISIS's land over ``dates`` with a margin (at least ``min_span`` degrees a side,
    within Syria and Iraq), so the panels show where the war was, not the sea and the Saudi desert;
    ``TIGHT_BOUNDS`` when ISIS held nothing on any of them."""
    from .area import fit_bounds

    geoms = [briefing.snapshot(d).geometries.get("ISIS") for d in dates]
    fitted = fit_bounds(geoms, margin)
    if fitted is None:
        return TIGHT_BOUNDS
    w, s, e, n = fitted
    cx, cy = (w + e) / 2, (s + n) / 2
    hw, hh = max(e - w, min_span) / 2, max(n - s, min_span) / 2
    tw, ts, te, tn = TIGHT_BOUNDS
    return (max(cx - hw, tw), max(cy - hh, ts), min(cx + hw, te), min(cy + hh, tn))


def grid_shape(n: int, aspect: float = 16 / 9, panel_aspect: float = 1.3) -> tuple[int, int]:
    """(rows, columns) for ``n`` panels of ``panel_aspect`` (the map's width / height) on a page of ``aspect``.

    >>> grid_shape(6), grid_shape(4), grid_shape(1), grid_shape(2)
    ((2, 3), (2, 2), (1, 1), (1, 2))
    """
    if n < 1:
        return (0, 0)
    best = None
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        # panel aspect of the map is ~1.3; prefer the layout whose panels are largest
        pw, ph = aspect / cols, 1 / rows
        size = min(pw / panel_aspect, ph)
        if best is None or size > best[0] + 1e-9:
            best = (size, rows, cols)
    return best[1], best[2]


def multiples_figure(briefing: Briefing, dates, preset: Preset, marking: str = "", title: str = TITLE,
                     progress=None) -> Figure:
    """One page with a map per date (in date order) at ``preset``; ``progress(fraction, message)`` is optional."""
    dates = sorted(dates)
    s = preset.scale
    W, H = preset.width, preset.height
    bounds = briefing.bounds or theatre_bounds(briefing, dates)
    x0, x1, y0, y1 = carto.extent(bounds)
    rows, cols = grid_shape(len(dates), W / H, (x1 - x0) / (y1 - y0))
    with render_context():
        fig, renderer = _new_figure(W, H, preset.dpi)
        margin = 0.3 * s
        band = draw_marking(fig, marking, W, H, s)
        top = H - band - 0.2 * s
        fig.text(margin / W, top / H, title, fontsize=19 * s, fontweight="bold", va="top", color=carto.STYLE["text"])
        span = f"{format_date(dates[0])} to {format_date(dates[-1])}" if len(dates) > 1 else format_date(dates[0])
        fig.text((W - margin) / W, top / H, span, fontsize=13 * s, va="top", ha="right", color=carto.STYLE["muted"],
                 fontweight="bold")
        header_bottom = top - 0.55 * s

        footer_h = 0.55 * s
        legend_h = 0.42 * s
        chars = int(W / (6 * s / 72 * 0.55))
        notes = textwrap.fill(briefing.sources_note(), chars) + "\n" + textwrap.fill(METHOD_NOTE, chars)
        fig.text(margin / W, (band + footer_h - 0.04 * s) / H, notes, fontsize=6 * s, va="top",
                 color=carto.STYLE["muted"], linespacing=1.3)
        _legend_row(fig, margin, band + footer_h + legend_h / 2, s)

        grid_top, grid_bottom = header_bottom, band + footer_h + legend_h + 0.05 * s
        cell_w = (W - 2 * margin) / cols
        cell_h = (grid_top - grid_bottom) / rows
        cap = 0.36 * s
        for i, when in enumerate(dates):
            r, c = divmod(i, cols)
            x = margin + c * cell_w
            y_top = grid_top - r * cell_h
            ax = fig.add_axes([(x + 0.06 * s) / W, (y_top - cell_h + 0.08 * s) / H,
                               (cell_w - 0.12 * s) / W, (cell_h - cap - 0.08 * s) / H])
            draw_map(ax, briefing, when, renderer, scale=0.6 * s, labels=5, furniture=False, events=False,
                     label_size=9, extent=(x0, x1, y0, y1))
            held = briefing.held(when)
            fig.text((x + 0.06 * s) / W, (y_top - 0.02 * s) / H, format_date(when), fontsize=13 * s,
                     fontweight="bold", va="top", color=carto.STYLE["text"])
            fig.text((x + cell_w - 0.06 * s) / W, (y_top - 0.02 * s) / H, f"ISIS {format_area(held['area_km2'])}",
                     fontsize=13 * s, va="top", ha="right", color=carto.STYLE["text"])
            if progress:
                progress((i + 1) / len(dates), f"drew {format_date(when)}")
    return fig


def _legend_row(fig, x_in: float, y_in: float, s: float) -> None:
    """The controllers' colours in one row."""
    W, H = fig.get_size_inches()
    fs = 8.5 * s
    sw = fs / 72 * 1.2
    x = x_in
    for code in [*vocab.CONTROLLERS, CONTESTED]:
        color = controller_color(code)
        if code == CONTESTED:
            patch = Rectangle((x / W, (y_in - sw / 2) / H), sw / W, sw / H, transform=fig.transFigure,
                              facecolor="white", edgecolor=color, hatch="////", linewidth=0.9 * s)
        else:
            alpha = carto.STYLE["isis_alpha"] if code == "ISIS" else carto.STYLE["territory_alpha"]
            patch = Rectangle((x / W, (y_in - sw / 2) / H), sw / W, sw / H, transform=fig.transFigure,
                              facecolor=color, alpha=alpha, edgecolor=color, linewidth=0.8 * s)
        fig.add_artist(patch)
        label = controller_label(code)
        fig.text((x + sw + 0.07 * s) / W, y_in / H, label, fontsize=fs, va="center", color=carto.STYLE["text"],
                 fontweight="bold" if code == "ISIS" else "normal")
        x += sw + 0.2 * s + len(label) * fs / 72 * 0.6
    fig.text((x + 0.1 * s) / W, y_in / H, "Unshaded: not assigned", fontsize=fs * 0.9, va="center",
             color=carto.STYLE["muted"])
