"""The figures shown beside the map: what ISIS holds on a date and how that changed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import vocab

__all__ = ["Holding", "isis_holding", "recent_events"]


@dataclass(frozen=True)
class Holding:
    """ISIS's estimated area (km²), population and places on a date, and the change since ``days`` before."""

    area_km2: float
    population: int
    places: int
    area_change: float
    population_change: int
    places_change: int
    days: int

    @property
    def changed(self) -> bool:
        return bool(round(self.area_change) or self.population_change or self.places_change)


def isis_holding(model, when, days: int = 30) -> Holding:
    """ISIS's holding on ``when`` from a ``TerritoryModel``, compared with ``days`` earlier (clamped to the period)."""
    start = pd.Timestamp(vocab.PERIOD_START)
    now = model.snapshot(when).areas.set_index("controller").loc["ISIS"]
    then = model.snapshot(max(pd.Timestamp(when) - pd.Timedelta(days=days), start)).areas.set_index("controller").loc["ISIS"]
    return Holding(float(now.area_km2), int(now.population), int(now.places),
                   float(now.area_km2 - then.area_km2), int(now.population - then.population),
                   int(now.places - then.places), days)


def recent_events(events: pd.DataFrame, when, window_days: int) -> pd.DataFrame:
    """Events of the ``window_days`` days up to and including ``when``.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2015-05-01", "2015-05-21", "2015-06-02"])})
    >>> list(recent_events(ev, "2015-06-01", 30)["date"].dt.day)
    [21]
    >>> len(recent_events(ev.iloc[0:0], "2015-06-01", 30))
    0
    """
    end = pd.Timestamp(when)
    lo = end - pd.Timedelta(days=window_days - 1)
    return events[(events["date"] >= lo) & (events["date"] <= end)]
