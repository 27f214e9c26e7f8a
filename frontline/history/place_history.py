"""One place's control history: who held it when, when it was contested, and the events that say so.

The same rules as :class:`~frontline.history.timeline.ControlTimeline`: a place starts 2014 with its
``controller_2014``; each change of control starts a new holder; an offensive or siege start opens a
contested spell that its end, or a change of control, closes (on one day: starts, then ends, then
changes).

>>> import pandas as pd
>>> places = pd.DataFrame({"place_id": ["p"], "name": ["P"], "controller_2014": ["SYRIAN_GOVERNMENT"]})
>>> ev = pd.DataFrame({"event_id": ["A", "B"], "date": pd.to_datetime(["2015-05-13", "2015-05-21"]),
...     "place_id": ["p", "p"], "event_type": ["offensive_start", "control_change"],
...     "controller_after": ["", "ISIS"], "source": ["s1", "s2"], "confidence": ["high", "high"]})
>>> h = place_history(places, ev, "p")
>>> h.holders[["start", "controller"]].astype(str).values.tolist()
[['2014-01-01', 'SYRIAN_GOVERNMENT'], ['2015-05-21', 'ISIS']]
>>> h.contested[["start", "end"]].astype(str).values.tolist()
[['2015-05-13', '2015-05-21']]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import vocab
from ..errors import TerritoryError
from .timeline import _ORDER

__all__ = ["PlaceHistory", "place_history"]


@dataclass(frozen=True)
class PlaceHistory:
    """``holders``: ``start, end, controller`` (end exclusive, the last one ends with the period);
    ``contested``: ``start, end`` spells; ``events``: the place's control events (changes, offensive
    and siege starts and ends) with ``date, event_type, controller_after, event_id, source, confidence``."""

    place_id: str
    name: str
    holders: pd.DataFrame
    contested: pd.DataFrame
    events: pd.DataFrame


def place_history(places: pd.DataFrame, events: pd.DataFrame, place_id: str) -> PlaceHistory:
    """The control history of ``place_id``; raises :class:`~frontline.errors.TerritoryError` for an unknown place."""
    row = places[places["place_id"].astype(str) == str(place_id)]
    if not len(row):
        raise TerritoryError(f"unknown place {place_id!r}; use a place_id from places.csv")
    row = row.iloc[0]
    start, end = pd.Timestamp(vocab.PERIOD_START), pd.Timestamp(vocab.PERIOD_END) + pd.Timedelta(days=1)
    kinds = (vocab.CONTROL_CHANGE, *vocab.CONTEST_START, *vocab.CONTEST_END)
    ev = events[(events["place_id"].astype(str) == str(place_id)) & events["event_type"].isin(kinds)].copy()
    ev["_rank"] = ev["event_type"].map(_ORDER)
    ev = ev.sort_values(["date", "_rank", "event_id"], kind="stable")

    holders = [(start, str(row["controller_2014"]))]
    contested, open_at = [], None
    for r in ev.itertuples(index=False):
        if r.event_type == vocab.CONTROL_CHANGE:
            if open_at is not None:
                contested.append((open_at, r.date))
                open_at = None
            if str(r.controller_after) != holders[-1][1]:
                holders.append((r.date, str(r.controller_after)))
        elif r.event_type in vocab.CONTEST_START:
            open_at = open_at if open_at is not None else r.date
        elif open_at is not None:
            contested.append((open_at, r.date))
            open_at = None
    if open_at is not None:
        contested.append((open_at, end))
    ends = [s for s, _ in holders[1:]] + [end]
    cols = ["date", "event_type", "controller_after", "event_id", "source", "source_url", "confidence"]
    return PlaceHistory(
        str(place_id), str(row["name"]),
        pd.DataFrame({"start": [s for s, _ in holders], "end": ends, "controller": [c for _, c in holders]}),
        pd.DataFrame(contested, columns=["start", "end"]),
        ev[[c for c in cols if c in ev.columns]].reset_index(drop=True))
