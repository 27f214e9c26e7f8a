"""Load the curated tables into pandas, with every validation problem kept beside them.

``load()`` never raises on bad rows: the rows it cannot use (an unreadable date or
coordinate, an unknown place) are left out of the tables *and* named in ``problems``,
so the CLI can exit 1 and the dashboard can show a banner. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import DataError, Problem
from .schema import EVENT_COLUMNS, PLACE_COLUMNS
from .validate import validate_files

__all__ = ["Dataset", "load", "load_strict", "places_frame", "events_frame"]


@dataclass
class Dataset:
    """The places and events tables, and the problems found while loading them."""

    places: pd.DataFrame
    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    events_path: str = ""
    places_path: str = ""
    #: Data rows (not header) of the events file that are not in ``events``.
    skipped_events: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def places_frame(rows: list[dict]) -> pd.DataFrame:
    """Typed places table from raw rows (strings)."""
    df = pd.DataFrame(rows, columns=PLACE_COLUMNS)
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce")
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce")
    df["population"] = pd.to_numeric(df["population"], errors="coerce").astype("Int64")
    df = df.dropna(subset=["lat", "lon"])
    df = df[df["place_id"] != ""].drop_duplicates("place_id", keep="first")
    return df.reset_index(drop=True)


def events_frame(rows: list[dict], place_ids=None) -> pd.DataFrame:
    """Typed events table from raw rows, sorted by date then ``event_id``."""
    df = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce")
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce")
    df = df.dropna(subset=["date", "lat", "lon"])
    if place_ids is not None:
        df = df[df["place_id"].isin(place_ids)]
    df = df.drop_duplicates("event_id", keep="first")
    return df.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def load(events_path: Path | str = config.EVENTS_PATH, places_path: Path | str = config.PLACES_PATH) -> Dataset:
    """Validate and load both files; problems are returned, not raised."""
    place_rows, event_rows, problems = validate_files(events_path, places_path)
    places = places_frame([r for _, r in place_rows])
    events = events_frame([r for _, r in event_rows], set(places["place_id"]))
    return Dataset(places, events, problems, str(events_path), str(places_path),
                   skipped_events=len(event_rows) - len(events))


def load_strict(events_path: Path | str = config.EVENTS_PATH, places_path: Path | str = config.PLACES_PATH) -> Dataset:
    """Like :func:`load`, but raise :class:`DataError` listing every problem."""
    ds = load(events_path, places_path)
    if ds.problems:
        raise DataError(ds.problems)
    return ds
