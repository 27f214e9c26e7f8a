"""The figures beside the map as one block of HTML: what ISIS holds on the date, its change, the recent events.

One element instead of eight (a heading, three metrics, captions and a table): the browser's work per
date move grows with the number of elements Streamlit renders, and this block changes on every move.
Styled by :data:`PANEL_CSS`, which the page puts on once. Every text from the data is escaped.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import vocab
from ..history.figures import Holding
from ..safety import html_text

__all__ = ["figures_html", "recent_rows_html", "recent_count", "PANEL_CSS"]

PANEL_CSS = (
    ".fl-panel h3{font-size:1.35rem;white-space:nowrap;margin:0 0 .4rem 0;padding:0}"
    ".fl-panel dl{margin:0}.fl-panel dt{font-size:.875rem;opacity:.85;margin-top:.55rem}"
    ".fl-panel dd{margin:0;font-size:clamp(1.15rem, 1.9vw, 1.7rem);line-height:1.3}"
    ".fl-delta{display:inline-block;font-size:.8rem;padding:1px 8px;border-radius:1rem;white-space:normal}"
    ".fl-delta.bad{color:#9d1c1c;background:rgba(255,43,43,.1)}.fl-delta.good{color:#176c2f;background:rgba(33,195,84,.1)}"
    ".fl-panel .fl-note{font-size:.875rem;opacity:.7;margin:.6rem 0}"
    ".fl-panel h4{font-size:1rem;font-weight:600;margin:.8rem 0 .3rem 0;padding:0}"
    ".fl-recent{width:100%;font-size:0.8rem;border-collapse:collapse;border:none}"
    ".fl-recent td{padding:3px 6px;vertical-align:top;border-bottom:1px solid rgba(128,128,128,.25);line-height:1.25}"
    ".fl-recent td.d{white-space:nowrap;font-variant-numeric:tabular-nums;line-height:inherit}"
    ".fl-recent td span{opacity:.7;font-size:0.95em}"
    ".fl-recent th{padding:3px 6px;text-align:left;font-weight:600;border-bottom:1px solid rgba(128,128,128,.5)}"
)


def _delta(change: float, text: str) -> str:
    """A red pill for ISIS gaining (up), green for losing; nothing for no change."""
    if not round(change):
        return ""
    kind, arrow = ("bad", "↑") if change > 0 else ("good", "↓")
    return f'<br><span class="fl-delta {kind}">{arrow} {html_text(text)}</span>'


def _day(when) -> int:
    return int(np.datetime64(pd.Timestamp(when).date(), "D").astype(np.int64))


def recent_count(points: pd.DataFrame, when, window_days: int) -> tuple[int, int]:
    """``(lo, hi)``: the rows of ``points`` (sorted by ``day``) in the ``window_days`` up to ``when``.

    >>> pts = pd.DataFrame({"day": [16556, 16570, 16590]})
    >>> recent_count(pts, "2015-05-21", 30)
    (0, 2)
    """
    days = points["day"].to_numpy()
    end = _day(when)
    return int(np.searchsorted(days, end - window_days + 1, "left")), int(np.searchsorted(days, end, "right"))


def recent_rows_html(points: pd.DataFrame, lo: int, hi: int, limit: int = 8) -> str:
    """The ``limit`` latest of ``points[lo:hi]`` as a table, newest first (``place`` is escaped already).

    >>> pts = pd.DataFrame({"day": [16576], "place": ["Tadmur &lt;P&gt;"], "event_type": ["control_change"]})
    >>> h = recent_rows_html(pts, 0, 1)
    >>> ">2015-05-21</td>" in h and "<b>Tadmur &lt;P&gt;</b>" in h and "<span>Change of control</span>" in h
    True
    >>> recent_rows_html(pts, 0, 0)
    ''
    """
    if hi <= lo:
        return ""
    rows = points.iloc[max(lo, hi - limit):hi].iloc[::-1]
    cells = "".join(
        f'<tr><td class="d">{np.datetime64(int(d), "D")}</td><td><b>{p}</b><br>'
        f'<span>{html_text(vocab.EVENT_TYPE_LABELS.get(t, t))}</span></td></tr>'
        for d, p, t in zip(rows["day"], rows["place"], rows["event_type"]))
    return ('<table class="fl-recent"><thead><tr><th>Date</th><th>Place and type</th></tr></thead>'
            f"<tbody>{cells}</tbody></table>")


def figures_html(when: dt.date, holding: Holding | None, places_held: int | None, n_recent: int, window: int,
                 recent_table: str, note: str = "") -> str:
    """The whole panel: the date, the three ISIS figures with their 30-day change, and the recent events.

    Without a territory model (``holding`` None) only the places ISIS holds (``places_held``) are shown.
    ``note`` (plain text, escaped here) is added at the end.
    """
    out = [f'<div class="fl-panel"><h3>{when.day} {when:%B %Y}</h3><dl>']
    if holding is not None:
        h = holding
        out.append(f"<dt>ISIS-held area (estimate)</dt><dd>{h.area_km2:,.0f} km²"
                   f"{_delta(h.area_change, f'{h.area_change:+,.0f} km² in {h.days} days')}</dd>")
        out.append(f"<dt>People under ISIS (estimate)</dt><dd>{h.population:,}"
                   f"{_delta(h.population_change, f'{h.population_change:+,} in {h.days} days')}</dd>")
        out.append(f"<dt>Places held by ISIS</dt><dd>{h.places}"
                   f"{_delta(h.places_change, f'{h.places_change:+d} in {h.days} days')}</dd></dl>")
        out.append('<p class="fl-note">' + (
            f"Change over the last {h.days} days; area and population are estimates (see Sources and Methodology)."
            if h.changed else f"Unchanged over the last {h.days} days.") + "</p>")
    else:
        out.append(f"<dt>Places held by ISIS</dt><dd>{places_held}</dd></dl>")
    out.append(f"<h4>Events in the last {window} days ({n_recent})</h4>")
    out.append(recent_table or '<p class="fl-note">None with the current filters.</p>')
    if note:
        out.append(f'<p class="fl-note fl-overlay-note">{html_text(note)}</p>')
    out.append("</div>")
    return "".join(out)
