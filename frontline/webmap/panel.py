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

__all__ = ["FRAME_LAYOUT_CSS", "FRAME_PANEL_CSS", "figures_html", "recent_rows_html", "recent_count", "change_html", "changed_places_html", "place_history_html",
           "PANEL_CSS"]

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
    ".fl-change td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".fl-change .sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}"
    ".fl-strip{position:relative;height:22px;border-radius:3px;overflow:hidden;display:flex;margin:4px 0 2px 0}"
    ".fl-strip div{height:100%}.fl-cstrip{position:relative;height:8px;margin-bottom:2px}"
    ".fl-cstrip div{position:absolute;top:0;height:100%;background:repeating-linear-gradient(45deg,#CC79A7 0 3px,transparent 3px 6px)}"
    ".fl-years{position:relative;height:14px;font-size:.7rem;opacity:.7}.fl-years span{position:absolute;transform:translateX(-50%)}"
)


#: The panel's width beside the map, and the frame width under which it goes below the map instead (taking the
#: frame's height below NARROW_MAP_HEIGHT).
_PANEL_WIDTH = "clamp(240px, 22%, 340px)"
_NARROW = "@media (max-width: 640px)"
_NARROW_MAP_HEIGHT = "62vh"

#: The map's room for the panel, in the frame's header (there before the map measures itself, so no resize follows).
FRAME_LAYOUT_CSS = (f"#map_div{{width:calc(100% - {_PANEL_WIDTH})!important}}"
                    f"{_NARROW}{{ #map_div{{width:100%!important;height:{_NARROW_MAP_HEIGHT}!important}}}}")

#: The panel inside the map's frame (``FL.panel`` in the client): right of the map, scrolling on its own; below the
#: map when the frame is narrow. Part of the map's style sheet (a file loaded once).
FRAME_PANEL_CSS = (
    f"#fl-panel{{position:fixed;top:0;right:0;bottom:0;width:{_PANEL_WIDTH};overflow-y:auto;"
    "box-sizing:border-box;padding:0 6px 8px 18px;background:#fff;color:#31333F;"
    "font:16px/1.45 'Source Sans Pro','Source Sans 3',system-ui,-apple-system,'Segoe UI',sans-serif}"
    "#fl-panel:focus-visible{outline:2px solid #0072B2;outline-offset:-2px}"
    "#fl-panel h3{font-weight:700;margin-top:.1rem;white-space:normal}#fl-panel table{margin-bottom:.6rem}"
    "#fl-panel .fl-change td,#fl-panel .fl-change th{padding:3px 3px;font-size:.75rem}"
    f"{_NARROW}{{ #fl-panel{{top:{_NARROW_MAP_HEIGHT};width:100%;padding:8px 10px;border-top:1px solid #ddd}}}}"
)


def _table(headers: list[str], body: str, cls: str = "fl-recent") -> str:
    """A table of the panel's style: ``headers`` (HTML) over the rows in ``body``."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


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
    return _table(["Date", "Place and type"], cells)


def figures_html(when: dt.date, holding: Holding | None, places_held: int | None, n_recent: int, window: int,
                 recent_table: str, note: str = "", change: str = "") -> str:
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
    out.append(change)  # compare mode: each side's gains and losses (change_html), else nothing
    out.append(f"<h4>Events in the last {window} days ({n_recent})</h4>")
    out.append(recent_table or '<p class="fl-note">None with the current filters.</p>')
    if note:
        out.append(f'<p class="fl-note fl-overlay-note">{html_text(note)}</p>')
    out.append("</div>")
    return "".join(out)


def _km2(x: float) -> str:
    return f"{x:+,.0f}" if round(x) else "0"


def change_html(change, labels: dict, colors: dict) -> str:
    """Each side's ground and people gained and lost between the two dates (sides with no change left out)."""
    c = change.controllers
    c = c[(c["gained_km2"].round() != 0) | (c["lost_km2"].round() != 0) | (c["population_gained"] != 0)
          | (c["population_lost"] != 0)]
    head = (f"<h4>Since {change.start.day} {change.start:%b %Y}</h4>")
    if not len(c):
        return head + '<p class="fl-note">No ground changed hands between the two dates.</p>'
    rows = "".join(
        f'<tr><td><span class="sw" style="background:{colors.get(r.controller, "#777")}"></span>'
        f'{html_text(labels.get(r.controller, r.controller))}</td>'
        f'<td class="n">+{r.gained_km2:,.0f}<br>&minus;{r.lost_km2:,.0f}</td>'
        f'<td class="n">+{r.population_gained:,}<br>&minus;{r.population_lost:,}</td></tr>'
        for r in c.itertuples(index=False))
    return (head + _table(["Side", "km² gained / lost", "people gained / lost"], rows, "fl-recent fl-change")
            + '<p class="fl-note">Hatched on the map: ground that changed hands, in the colour of the side that '
            "took it. Estimates of the territory model.</p>")


def changed_places_html(places: pd.DataFrame, labels: dict | None = None) -> str:
    """The places that changed hands: name, before -> after, the date and event of the change, its source and confidence."""
    if not len(places):
        return '<p class="fl-note">No place changed hands between the two dates.</p>'
    labels = labels or vocab.CONTROLLER_LABELS
    rows = "".join(
        f'<tr><td class="d">{"" if pd.isna(r.date) else f"{r.date:%Y-%m-%d}"}</td><td><b>{html_text(r.name)}</b><br>'
        f'<span>{html_text(labels.get(r.before, r.before))} &rarr; {html_text(labels.get(r.after, r.after))}</span></td>'
        f'<td>{html_text(r.event_id)}<br><span>{html_text(r.confidence)}</span></td>'
        f'<td><span>{_sources(r.source, getattr(r, "source_url", ""))}</span></td></tr>'
        for r in places.itertuples(index=False))
    return _table(["Date", "Place", "Event", "Source"], rows, "fl-recent fl-change")


def _sources(source: str, urls: str) -> str:
    """The sources of an event, each outlet a link where it has an address (escaped)."""
    from ..dataset.sources import event_sources

    out = []
    for src in event_sources(source, urls or "", ""):
        label = html_text(src.outlet) + (f", {html_text(src.date)}" if src.date else "")
        if src.url.lower().startswith(("http://", "https://")):
            label = f'<a href="{html_text(src.url, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'
        out.append(label)
    return "; ".join(out) or html_text(source)


def place_history_html(history, labels: dict, colors: dict, event_labels: dict | None = None) -> str:
    """A place's control history (:class:`frontline.history.place_history.PlaceHistory`): a strip of holders over
    2014-2019 (hover for dates), the contested spells hatched under it, and its control events with sources."""
    event_labels = event_labels or vocab.EVENT_TYPE_LABELS
    t0 = history.holders["start"].min()
    t1 = history.holders["end"].max()
    span = max((t1 - t0).days, 1)

    def pct(a, b):
        return 100.0 * (a - t0).days / span, 100.0 * (b - a).days / span

    segs = "".join(
        f'<div style="width:{pct(r.start, r.end)[1]:.3f}%;background:{colors.get(r.controller, "#bbb")}" '
        f'title="{html_text(labels.get(r.controller, r.controller))}: {r.start:%d %b %Y} to '
        f'{(r.end - pd.Timedelta(days=1)):%d %b %Y}"></div>'
        for r in history.holders.itertuples(index=False))
    cont = "".join(
        f'<div style="left:{pct(r.start, r.end)[0]:.3f}%;width:{max(pct(r.start, r.end)[1], 0.4):.3f}%" '
        f'title="Contested: {r.start:%d %b %Y} to {r.end:%d %b %Y}"></div>'
        for r in history.contested.itertuples(index=False))
    years = "".join(f'<span style="left:{pct(pd.Timestamp(y, 1, 1), pd.Timestamp(y, 1, 1))[0]:.2f}%">{y}</span>'
                    for y in range(t0.year + 1, t1.year + 1))
    legend = " &middot; ".join(
        f'<span class="sw" style="background:{colors.get(c, "#bbb")}"></span>{html_text(labels.get(c, c))}'
        for c in dict.fromkeys(history.holders["controller"]))
    rows = "".join(
        f'<tr><td class="d">{r.date:%Y-%m-%d}</td><td><b>{html_text(event_labels.get(r.event_type, r.event_type))}</b>'
        + (f" &rarr; {html_text(labels.get(r.controller_after, r.controller_after))}"
           if r.event_type == vocab.CONTROL_CHANGE else "")
        + f'<br><span>{html_text(r.event_id)} &middot; confidence {html_text(r.confidence)}</span></td>'
        f'<td><span>{_sources(r.source, getattr(r, "source_url", ""))}</span></td></tr>'
        for r in history.events.itertuples(index=False))
    table = _table(["Date", "Event", "Source"], rows, "fl-recent fl-change") if rows else \
        '<p class="fl-note">No change of control or fighting recorded.</p>'
    return (f'<div class="fl-panel fl-change"><div class="fl-strip" role="img" aria-label="Holders of '
            f'{html_text(history.name)} over time">{segs}</div><div class="fl-cstrip">{cont}</div>'
            f'<div class="fl-years">{years}</div><p class="fl-note">{legend}'
            + (" &middot; hatched: contested (offensive or siege)" if cont else "") + f"</p>{table}</div>")
