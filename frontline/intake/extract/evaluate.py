"""How candidates compare with the curated events: a candidate change of control is *right* when the
dataset has the same place changing to the same holder on a day the candidate's date allows.

Used by ``bench/bench_extract.py`` and the tests to count wrong changes of control per article.

>>> ev = [{"place_id": "raqqa", "event_type": "control_change", "controller_after": "SDF", "date": "2017-10-17"}]
>>> c = {"place_id": "raqqa", "event_type": "control_change", "controller_after": "SDF", "date": "2017-10-17",
...      "date_precision": "week"}
>>> agrees(c, ev), agrees({**c, "controller_after": "ISIS"}, ev), agrees({**c, "date": "2017-10-01", "date_precision": "month"}, ev)
(True, False, True)
"""

from __future__ import annotations

from datetime import date, timedelta

from .dates import latest_day

__all__ = ["agrees", "control_change_tally", "SLACK_DAYS"]

#: Days either side of a candidate's date (or span) that still count as the dataset's day.
SLACK_DAYS = 3


def agrees(candidate: dict, events) -> bool:
    """Whether the dataset holds the candidate's change of control (place, holder, and a date in its span)."""
    first = date.fromisoformat(candidate["date"])
    precision = candidate.get("date_precision", "day")
    if precision == "week" and candidate.get("date_text", "") in ("", "(publication date)"):
        first = first - timedelta(days=6)  # "no date in the sentence": the week up to publication
        last = date.fromisoformat(candidate["date"])
    else:
        last = latest_day(first, precision)
    lo, hi = first - timedelta(days=SLACK_DAYS), last + timedelta(days=SLACK_DAYS)
    for e in events:
        if (e["place_id"] == candidate["place_id"] and e["event_type"] == "control_change"
                and e["controller_after"] == candidate["controller_after"]
                and lo <= date.fromisoformat(e["date"]) <= hi):
            return True
    return False


def control_change_tally(candidates: list[dict], events) -> tuple[int, list[dict]]:
    """(number of candidate changes of control, the ones the dataset does not hold)."""
    changes = [c for c in candidates if c["event_type"] == "control_change"]
    return len(changes), [c for c in changes if not agrees(c, events)]
