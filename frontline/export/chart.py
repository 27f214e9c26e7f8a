"""The area-over-time chart (matplotlib) for the closing slide and the Briefing page."""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import YearLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib import patheffects

from .. import vocab
from . import cartography as carto
from .briefing import Briefing, format_area, format_date
from .static import _new_figure, render_context

__all__ = ["area_chart_figure", "isis_series"]


def isis_series(briefing: Briefing, controller: str = "ISIS") -> pd.Series:
    """Area held by ``controller`` on each change date up to the end of the period (km², indexed by date)."""
    s = briefing.area_series()
    s = s[s["controller"] == controller].set_index("date")["area_km2"].sort_index()
    s.index = pd.to_datetime(s.index)
    s = s[s.index <= pd.Timestamp(vocab.PERIOD_END)]
    if s.empty:
        return s
    end = pd.Timestamp(vocab.PERIOD_END)
    if s.index[-1] < end:
        s.loc[end] = s.iloc[-1]
    return s


def area_chart_figure(briefing: Briefing, dates=(), width: float = 11.5, height: float = 4.6, dpi: int = 150,
                      scale: float = 1.0) -> Figure:
    """ISIS's estimated area through time (a step line), the chosen ``dates`` marked and labelled."""
    series = isis_series(briefing)
    with render_context():
        fig, _ = _new_figure(width, height, dpi)
        ax = fig.add_axes([0.08, 0.13, 0.9, 0.8])
        ink = carto.STYLE["text"]
        if not series.empty:
            ax.fill_between(series.index, series.values / 1000, step="post", color="#000000", alpha=0.18, linewidth=0)
            ax.step(series.index, series.values / 1000, where="post", color="#000000", linewidth=2.0 * scale)
            peak_day = series.idxmax()
            near = any(abs((pd.Timestamp(d) - peak_day).days) < 200 for d in dates)
            if not near:
                ax.annotate(f"Peak: {format_area(series.max())}\n{format_date(peak_day)}", (peak_day, series.max() / 1000),
                            xytext=(8, 10), textcoords="offset points", fontsize=10 * scale, color=ink,
                            va="bottom", path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
        top = max(series.max() / 1000 if not series.empty else 1, 1) * 1.18
        for when in sorted(pd.Timestamp(d) for d in dates):
            area = briefing.held(when)["area_km2"]
            ax.axvline(when, color="#c0392b", linewidth=1.1 * scale, linestyle=(0, (4, 3)))
            ax.plot([when], [area / 1000], marker="o", color="#c0392b", markersize=6 * scale, zorder=5)
            late = when > pd.Timestamp(vocab.PERIOD_END) - pd.Timedelta(days=200)
            ax.annotate(f"{format_date(when, short=True)}\n{format_area(area)}", (when, top),
                        xytext=(-3 if late else 3, -3), textcoords="offset points", fontsize=9 * scale,
                        color="#8e2a20", va="top", ha="right" if late else "left",
                        path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
        ax.set_xlim(pd.Timestamp(vocab.PERIOD_START), pd.Timestamp(vocab.PERIOD_END) + pd.Timedelta(days=20))
        ax.set_ylim(0, top)
        ax.set_ylabel("Thousand km² held by ISIS (estimate)", fontsize=10 * scale, color=ink)
        ax.xaxis.set_major_locator(YearLocator())
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        ax.tick_params(labelsize=10 * scale, colors=ink)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return fig
