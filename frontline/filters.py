"""Filtering the event table: one pure function shared by the map, the pages and the exports."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["EventFilter", "filter_events", "fold"]


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, so that 'Ḥalab' and 'halab' match.

    >>> fold("‘Ayn al ‘Arab")
    'ayn al arab'
    >>> fold("")
    ''
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019'`ʿʾ]", "", text)
    return re.sub(r"\s+", " ", text.replace("-", " ")).strip().lower()


@dataclass(frozen=True)
class EventFilter:
    """What to keep; an empty tuple or ``None`` means 'no restriction'."""

    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    confidence: tuple[str, ...] = ()
    text: str = ""
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    control_changes_only: bool = False
    controllers_after: tuple[str, ...] = field(default=())


def filter_events(events: pd.DataFrame, places: pd.DataFrame, f: EventFilter) -> pd.DataFrame:
    """Rows of ``events`` that pass ``f``; the text search covers place names, aliases and summaries."""
    mask = pd.Series(True, index=events.index)
    if f.countries or f.text:
        info = places.set_index("place_id")
    if f.countries:
        country = events["place_id"].map(info["country"])
        mask &= country.isin(f.countries)
    if f.event_types:
        mask &= events["event_type"].isin(f.event_types)
    if f.actors:
        wanted = set(f.actors)
        mask &= events["actors"].fillna("").map(lambda a: bool(wanted.intersection(a.split("|"))))
    if f.confidence:
        mask &= events["confidence"].isin(f.confidence)
    if f.start is not None:
        mask &= events["date"] >= pd.Timestamp(f.start)
    if f.end is not None:
        mask &= events["date"] <= pd.Timestamp(f.end)
    if f.control_changes_only:
        mask &= events["event_type"] == "control_change"
    if f.controllers_after:
        mask &= events["controller_after"].isin(f.controllers_after)
    if f.text.strip():
        needle = fold(f.text)
        names = (info["name"].fillna("") + "|" + info["aliases"].fillna("")).map(fold)
        place_hit = events["place_id"].map(names).fillna("").str.contains(needle, regex=False)
        summary_hit = events["summary"].fillna("").map(fold).str.contains(needle, regex=False)
        mask &= place_hit | summary_hit
    return events[mask]
