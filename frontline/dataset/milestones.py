"""Milestones of the war against ISIS: the dates the dashboard can jump to.

Each date was checked against a reference and against ``data/events.csv``: where the
data holds the event, the milestone uses the data's date (so jumping to it shows the
change on the map). :func:`check` reports any milestone the data now dates differently.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd

__all__ = ["Milestone", "MILESTONES", "check", "by_label"]


class Milestone(NamedTuple):
    """A labelled date; ``event_type`` is the kind of event in the data that marks it."""

    label: str
    date: dt.date
    place_id: str
    event_type: str


MILESTONES: tuple[Milestone, ...] = (
    Milestone("Fall of Raqqa to ISIS", dt.date(2014, 1, 14), "raqqa", "control_change"),
    Milestone("Fall of Mosul", dt.date(2014, 6, 10), "mosul", "control_change"),
    Milestone("Proclamation of the caliphate", dt.date(2014, 6, 29), "mosul", "declaration"),
    Milestone("Sinjar falls; Yazidi genocide", dt.date(2014, 8, 3), "sinjar", "control_change"),
    # Kurdish forces announced Kobani's liberation on 26 January 2015; the data (and
    # Wikipedia) date the full recapture of the city to 27 January.
    Milestone("Kobani siege lifted", dt.date(2015, 1, 27), "kobani", "siege_end"),
    Milestone("Ramadi falls to ISIS", dt.date(2015, 5, 17), "ramadi", "control_change"),
    Milestone("Palmyra falls to ISIS", dt.date(2015, 5, 21), "palmyra", "control_change"),
    Milestone("Palmyra retaken", dt.date(2016, 3, 27), "palmyra", "control_change"),
    Milestone("Fallujah liberated", dt.date(2016, 6, 26), "fallujah", "control_change"),
    Milestone("Manbij liberated", dt.date(2016, 8, 12), "manbij", "control_change"),
    Milestone("Mosul liberated", dt.date(2017, 7, 10), "mosul", "control_change"),
    Milestone("Raqqa liberated", dt.date(2017, 10, 17), "raqqa", "control_change"),
    Milestone("Fall of Baghouz, the last ISIS enclave", dt.date(2019, 3, 23), "baghouz", "control_change"),
)


def by_label(label: str) -> Milestone:
    """The milestone called ``label``.

    >>> by_label("Fall of Mosul").date
    datetime.date(2014, 6, 10)
    """
    for m in MILESTONES:
        if m.label == label:
            return m
    raise KeyError(f"no milestone called {label!r}; known: {', '.join(m.label for m in MILESTONES)}")


def check(events: pd.DataFrame, milestones=MILESTONES) -> list[str]:
    """Milestones whose place has an event of their type in ``events`` but none on their date.

    A milestone the data does not cover yet is not reported (the data is still growing).

    >>> check(pd.DataFrame({"date": [], "place_id": [], "event_type": []}))
    []
    """
    problems = []
    for m in milestones:
        same = events[(events["place_id"] == m.place_id) & (events["event_type"] == m.event_type)]
        if len(same) and not (pd.to_datetime(same["date"]).dt.date == m.date).any():
            dates = ", ".join(sorted(pd.to_datetime(same["date"]).dt.strftime("%Y-%m-%d")))
            problems.append(f"milestone {m.label!r} is dated {m.date}, but events.csv has its "
                            f"{m.event_type} at {m.place_id} on {dates}; align the two")
    return problems
