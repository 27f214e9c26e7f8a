"""The figures shown beside the map: what ISIS holds on a date and how that changed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import vocab

__all__ = ["Holding", "isis_holding", "events_notice"]


@dataclass(frozen=True)
class Holding:
    """ISIS's estimated area (km²), population and places on a date, and the change since ``days`` before.

    ``contested_km2`` is the part of ``area_km2`` under offensive or siege on the date (still ISIS's
    until it changes hands); ``inferred_km2`` the part not within reach of one of its places (roads,
    rivers, land between its places).
    """

    area_km2: float
    population: int
    places: int
    area_change: float
    population_change: int
    places_change: int
    days: int
    contested_km2: float = 0.0
    inferred_km2: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(round(self.area_change) or self.population_change or self.places_change)


def isis_holding(model, when, days: int = 30) -> Holding:
    """ISIS's holding on ``when`` from a ``TerritoryModel``, compared with ``days`` earlier (clamped to the period)."""
    start = pd.Timestamp(vocab.PERIOD_START)
    now = model.isis_row(when)  # a lookup per change date: no polygons
    then = model.isis_row(max(pd.Timestamp(when) - pd.Timedelta(days=days), start).date())
    return Holding(float(now["area_km2"]), int(now["population"]), int(now["places"]),
                   float(now["area_km2"] - then["area_km2"]), int(now["population"] - then["population"]),
                   int(now["places"] - then["places"]), days,
                   float(now.get("contested_km2", 0.0)), float(now.get("inferred_km2", 0.0)))


def events_notice(matching: pd.DataFrame, when, total: int, described: str = "") -> str | None:
    """What the map page says when the filters leave no event on the map up to ``when`` (else ``None``).

    ``matching`` are the events passing the filters, ``total`` the number of events loaded and
    ``described`` the filters in words (:func:`frontline.history.filters.describe_filters`).

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2016-03-27"])})
    >>> events_notice(ev, "2016-04-01", 10) is None
    True
    >>> events_notice(ev, "2015-06-01", 10, "matching 'palmyra'")
    "No event matching the filters (matching 'palmyra') happened by 1 June 2015; the first is on 27 March 2016. Move the date forward to see it."
    >>> events_notice(ev, "2015-06-01", 10)
    'No event in the record happened by 1 June 2015; the first is on 27 March 2016. Move the date forward to see it.'
    >>> events_notice(ev.iloc[:0], "2015-06-01", 10, "Iraq; massacre")
    'No event matches the filters (Iraq; massacre): none of the 10 events is drawn; the territory does not depend on them. Clear or widen the filters to see events.'
    >>> events_notice(ev.iloc[:0], "2015-06-01", 0)
    'No event is loaded (the event file has no valid row): the map shows the territory only.'
    """
    day = pd.Timestamp(when)
    if total == 0:
        return "No event is loaded (the event file has no valid row): the map shows the territory only."
    what = f" ({described})" if described else ""
    if not len(matching):
        return (f"No event matches the filters{what}: none of the {total:,} events is drawn; the territory "
                "does not depend on them. Clear or widen the filters to see events.")
    first = matching["date"].min()
    if first > day:
        who = f"No event matching the filters{what}" if described else "No event in the record"
        return (f"{who} happened by {day.day} {day:%B %Y}; the first is on "
                f"{first.day} {first:%B %Y}. Move the date forward to see it.")
    return None
