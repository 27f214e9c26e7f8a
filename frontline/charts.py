"""Altair chart builders for the Timeline page: pure functions returning ``alt.Chart`` objects.

Every chart takes its data as arguments and does no I/O. Dates travel to the browser
twice: as a temporal ``date`` for the x axis and as an ISO ``day`` string that the click
selections return, so a clicked date never depends on the browser's time zone.

Selections (read back with :func:`selected_day`):

- ``pick``: a click anywhere on the territory or population chart picks the nearest change date;
- ``milestone``: a click on a milestone marker (the triangles along the top) picks its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from . import vocab
from .style import EVENT_COLORS

__all__ = [
    "CONTESTED", "UNASSIGNED", "AREA_CLASSES", "AREA_COLORS", "AREA_LABELS",
    "milestone_frame", "area_frame", "population_frame", "monthly_counts",
    "territory_chart", "population_chart", "events_per_month_chart", "selected_day",
    "PICK", "MILESTONE",
]

CONTESTED = "CONTESTED"
UNASSIGNED = "UNASSIGNED"
#: The classes stacked on the territory chart (land no place reaches is left out), in legend order.
#: Contested land is an overlay on its holder's area (frontline.history.territory), so it is not stacked again.
AREA_CLASSES: tuple[str, ...] = tuple(vocab.CONTROLLERS)
AREA_COLORS: dict[str, str] = {**vocab.CONTROLLER_COLORS, CONTESTED: vocab.CONTESTED_COLOR}
AREA_LABELS: dict[str, str] = {**vocab.CONTROLLER_LABELS, CONTESTED: "Contested"}

PICK = "pick"
MILESTONE = "milestone"
_SELECTED_COLOR = "#C8102E"
_MILESTONE_COLOR = "#555555"


def _field(m, name):
    return m[name] if isinstance(m, Mapping) else getattr(m, name)


def milestone_frame(milestones: Iterable) -> pd.DataFrame:
    """Milestones (objects or mappings with ``label, date, place_id``) as ``date, day, label, place_id``.

    >>> milestone_frame([{"label": "Fall of Mosul", "date": "2014-06-10", "place_id": "mosul"}])
            date         day          label place_id
    0 2014-06-10  2014-06-10  Fall of Mosul    mosul
    >>> len(milestone_frame([]))
    0
    """
    rows = [{"date": pd.Timestamp(_field(m, "date")), "label": str(_field(m, "label")),
             "place_id": str(_field(m, "place_id") or "")} for m in milestones]
    out = pd.DataFrame(rows, columns=["date", "label", "place_id"])
    out["date"] = pd.to_datetime(out["date"])
    out.insert(1, "day", out["date"].dt.strftime("%Y-%m-%d"))
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def area_frame(series: pd.DataFrame, end: str = vocab.PERIOD_END) -> pd.DataFrame:
    """The territory series ready to stack: every class on every change date, held until ``end``.

    ``series`` has ``date, controller, area_km2, population, places`` (one row per change
    date and class, as ``TerritoryModel.area_series()`` returns). Classes outside
    :data:`AREA_CLASSES` (``UNASSIGNED``) are dropped, a missing (date, class) pair is 0,
    and the last state is repeated on ``end`` so the steps reach the end of the period.
    Adds ``day`` (ISO string) and ``label``.
    """
    cols = ["date", "day", "controller", "label", "area_km2", "population", "places"]
    s = series[series["controller"].isin(AREA_CLASSES)]
    if s.empty:
        return pd.DataFrame(columns=cols)
    s = s.assign(date=pd.to_datetime(s["date"]).dt.normalize())
    s = s.groupby(["date", "controller"], as_index=False)[["area_km2", "population", "places"]].sum()
    grid = pd.MultiIndex.from_product([sorted(set(s["date"])), list(AREA_CLASSES)], names=["date", "controller"])
    full = s.set_index(["date", "controller"]).reindex(grid).fillna(0).reset_index()
    last = full["date"].max()
    if last < pd.Timestamp(end):
        full = pd.concat([full, full[full["date"] == last].assign(date=pd.Timestamp(end))], ignore_index=True)
    full["day"] = full["date"].dt.strftime("%Y-%m-%d")
    full["label"] = full["controller"].map(AREA_LABELS)
    full["area_km2"] = full["area_km2"].astype(float).round(0)
    full["population"] = full["population"].astype("int64")
    full["places"] = full["places"].astype("int64")
    return full[cols]


def population_frame(series: pd.DataFrame, controller: str = "ISIS", end: str = vocab.PERIOD_END) -> pd.DataFrame:
    """Population of the places ``controller`` holds on each change date: ``date, day, population, places``."""
    frame = area_frame(series, end)
    out = frame[frame["controller"] == controller][["date", "day", "population", "places"]]
    return out.reset_index(drop=True)


def monthly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per calendar month and type: ``month`` (first day), ``event_type``, ``type``, ``events``.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2014-06-10", "2014-06-29", "2014-07-01"]),
    ...                    "event_type": ["control_change", "declaration", "control_change"]})
    >>> monthly_counts(ev)[["month", "event_type", "events"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'month': Timestamp('2014-06-01 00:00:00'), 'event_type': 'control_change', 'events': 1},
     {'month': Timestamp('2014-06-01 00:00:00'), 'event_type': 'declaration', 'events': 1},
     {'month': Timestamp('2014-07-01 00:00:00'), 'event_type': 'control_change', 'events': 1}]
    >>> len(monthly_counts(ev.iloc[0:0]))
    0
    """
    cols = ["month", "event_type", "type", "events"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    month = pd.to_datetime(events["date"]).dt.to_period("M").dt.to_timestamp()
    out = (events.assign(month=month).groupby(["month", "event_type"]).size()
           .rename("events").reset_index())
    out["type"] = out["event_type"].map(vocab.EVENT_TYPE_LABELS).fillna(out["event_type"])
    return out[cols]


def _x(title: str | None = None) -> alt.X:
    return alt.X("date:T", title=title, axis=alt.Axis(format="%Y", tickCount="year"),
                 scale=alt.Scale(domain=[vocab.PERIOD_START, vocab.PERIOD_END]))


def _overlays(selected: dt.date | None, milestones: pd.DataFrame) -> list[alt.Chart]:
    """The selected-date rule and the milestone rules and (clickable) markers."""
    layers = []
    if len(milestones):
        ms = milestones.assign(date=milestones["date"].dt.strftime("%Y-%m-%d"))
        rules = alt.Chart(ms).mark_rule(color=_MILESTONE_COLOR, strokeDash=[3, 3], opacity=0.7).encode(
            x=alt.X("date:T"), tooltip=[alt.Tooltip("label:N", title="Milestone"), alt.Tooltip("day:N", title="Date")])
        pick = alt.selection_point(name=MILESTONE, fields=["day"], on="click", clear=False, toggle=False)
        markers = alt.Chart(ms).mark_point(shape="triangle-down", filled=True, size=140, color=_MILESTONE_COLOR,
                                           cursor="pointer").encode(
            x=alt.X("date:T"), y=alt.value(6),
            tooltip=[alt.Tooltip("label:N", title="Milestone"), alt.Tooltip("day:N", title="Date")],
        ).add_params(pick)
        layers += [rules, markers]
    if selected is not None:
        sel = pd.DataFrame({"date": [pd.Timestamp(selected).strftime("%Y-%m-%d")],
                            "day": [pd.Timestamp(selected).strftime("%d %B %Y")]})
        layers.append(alt.Chart(sel).mark_rule(color=_SELECTED_COLOR, strokeWidth=2).encode(
            x=alt.X("date:T"), tooltip=[alt.Tooltip("day:N", title="Selected date")]))
    return layers


def _finish(chart: alt.LayerChart, title: str, height: int) -> alt.LayerChart:
    """Title and plot height; the width fits the page while the height stays ``height`` (legend below it)."""
    return chart.properties(title=title, height=height,
                            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _pickers(frame: pd.DataFrame, y: str) -> alt.Chart:
    """Invisible points on every change date: a click picks the nearest one (selection ``pick``)."""
    pick = alt.selection_point(name=PICK, fields=["day"], on="click", nearest=True, clear=False, toggle=False)
    return alt.Chart(frame).mark_point(opacity=0, size=200).encode(
        x=alt.X("date:T"), y=alt.Y(y)).add_params(pick)


def territory_chart(series: pd.DataFrame, selected: dt.date | None = None, milestones: pd.DataFrame | None = None,
                    height: int = 320) -> alt.LayerChart:
    """Stacked areas (km²) held by each controller, with milestones and the selected date as rules.

    ``series`` is ``TerritoryModel.area_series()``; ``milestones`` is :func:`milestone_frame`.
    """
    frame = area_frame(series)
    order = {c: i for i, c in enumerate(AREA_CLASSES)}
    frame = frame.assign(order=frame["controller"].map(order))
    labels = [AREA_LABELS[c] for c in AREA_CLASSES]
    areas = alt.Chart(frame).mark_area(interpolate="step-after").encode(
        x=_x(),
        y=alt.Y("area_km2:Q", stack="zero", title="Area held (km²)", axis=alt.Axis(format="~s")),
        color=alt.Color("label:N", title="Held by", sort=labels,
                        scale=alt.Scale(domain=labels, range=[AREA_COLORS[c] for c in AREA_CLASSES]),
                        legend=alt.Legend(orient="bottom", columns=4)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("day:N", title="From"), alt.Tooltip("label:N", title="Held by"),
                 alt.Tooltip("area_km2:Q", title="Area (km²)", format=",.0f"),
                 alt.Tooltip("places:Q", title="Places"), alt.Tooltip("population:Q", title="Population", format=",")],
    )
    totals = frame.groupby(["date", "day"], as_index=False)["area_km2"].sum()
    layers = [areas, _pickers(totals, "area_km2:Q"), *_overlays(selected, milestones if milestones is not None else milestone_frame([]))]
    return _finish(alt.layer(*layers), "Area held by each controller (km², estimated)", height)


def population_chart(series: pd.DataFrame, selected: dt.date | None = None, milestones: pd.DataFrame | None = None,
                     height: int = 220) -> alt.LayerChart:
    """People under ISIS (its places and its share of the rest of each governorate) as steps through time,
    with the published estimates as diamonds and the same rules as the territory chart."""
    frame = population_frame(series)
    line = alt.Chart(frame).mark_area(interpolate="step-after", color=vocab.CONTROLLER_COLORS["ISIS"], opacity=0.75,
                                      line={"color": vocab.CONTROLLER_COLORS["ISIS"]}).encode(
        x=_x(),
        y=alt.Y("population:Q", title="People under ISIS control", axis=alt.Axis(format="~s")),
        tooltip=[alt.Tooltip("day:N", title="From"), alt.Tooltip("population:Q", title="Population", format=","),
                 alt.Tooltip("places:Q", title="Places held")],
    )
    layers = [line, _pickers(frame, "population:Q"), _published_points(),
              *_overlays(selected, milestones if milestones is not None else milestone_frame([]))]
    return _finish(alt.layer(*layers), "People under ISIS (estimate; diamonds: published estimates)", height)


def _published_points() -> alt.Chart:
    """The published estimates (RAND, IHS, CJTF-OIR) as diamonds at the period they describe."""
    from .history.population import published_estimates

    pub = published_estimates()[["source", "date", "period", "population"]].copy()
    pub["date"] = pd.to_datetime(pub["date"]).dt.strftime("%Y-%m-%d")
    return alt.Chart(pub).mark_point(shape="diamond", filled=True, size=110, color="#C8102E").encode(
        x="date:T", y="population:Q",
        tooltip=[alt.Tooltip("source:N", title="Published by"), alt.Tooltip("period:N", title="Describes"),
                 alt.Tooltip("population:Q", title="Population", format=",")])


def events_per_month_chart(events: pd.DataFrame, selected: dt.date | None = None, height: int = 240) -> alt.LayerChart:
    """Bars of events per month, stacked by event type, with the selected date as a rule."""
    counts = monthly_counts(events)
    types = [vocab.EVENT_TYPE_LABELS[t] for t in vocab.EVENT_TYPES]
    bars = alt.Chart(counts).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%Y", tickCount="year"),
                scale=alt.Scale(domain=[vocab.PERIOD_START, vocab.PERIOD_END])),
        y=alt.Y("sum(events):Q", title="Events per month"),
        color=alt.Color("type:N", title="Event type", sort=types,
                        scale=alt.Scale(domain=types, range=[EVENT_COLORS[t] for t in vocab.EVENT_TYPES]),
                        legend=alt.Legend(orient="bottom", columns=5)),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                 alt.Tooltip("type:N", title="Type"), alt.Tooltip("sum(events):Q", title="Events")],
    )
    layers = [bars, *_overlays(selected, milestone_frame([]))]
    return _finish(alt.layer(*layers), "Events per month, by type", height)


def selected_day(selection, names: Iterable[str] = (MILESTONE, PICK)) -> dt.date | None:
    """The date a chart click chose, from Streamlit's selection state, or ``None``.

    ``selection`` is the ``selection`` mapping of ``st.altair_chart(..., on_select="rerun")``:
    ``{param name: [{"day": "YYYY-MM-DD"}, ...]}``. The first of ``names`` with a value wins.

    >>> selected_day({"milestone": [{"day": "2014-06-10"}], "pick": []})
    datetime.date(2014, 6, 10)
    >>> selected_day({"milestone": [], "pick": {}}) is None
    True
    >>> selected_day({"pick": [{"day": 1402358400000}]})
    datetime.date(2014, 6, 10)
    """
    if not selection:
        return None
    for name in names:
        picked = selection.get(name) if isinstance(selection, Mapping) else getattr(selection, name, None)
        if isinstance(picked, Mapping):
            picked = [picked] if picked else []
        for point in picked or []:
            value = point.get("day") if isinstance(point, Mapping) else None
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if value is None:
                continue
            if isinstance(value, (int, float)):  # epoch milliseconds (a temporal field)
                return pd.Timestamp(int(value), unit="ms").date()
            try:
                return dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                continue
    return None
