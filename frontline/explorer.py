"""The events explorer: the table analysts read, its sort orders, and its CSV and GeoJSON exports.

Everything here is pure: a DataFrame in, a DataFrame, string or bytes out. The
exports hold every column of :func:`export_frame` (the curated event columns plus
the place's name and country), dates as ISO ``YYYY-MM-DD`` strings.

The GeoJSON follows RFC 7946: a ``FeatureCollection`` of ``Point`` features in
WGS84 longitude/latitude (EPSG:4326, the only CRS RFC 7946 allows, so no ``crs``
member is written), one feature per event, every column as a property.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from . import vocab
from .history.filters import EventFilter, filter_events
from .safety import csv_safe, md_link
from .dataset.schema import EVENT_COLUMNS
from .dataset.sources import event_sources

__all__ = ["EXPORT_COLUMNS", "SORT_KEYS", "export_frame", "display_frame", "sort_events",
           "to_csv", "to_geojson", "geojson_dict", "event_links_markdown", "select_rows", "actor_label"]

#: Columns of the exports: the curated event columns, then the place's name and country.
EXPORT_COLUMNS = EVENT_COLUMNS + ["place_name", "country"]

#: Sort orders offered to the user: label -> columns of :func:`export_frame` (ties broken by ``event_id``).
SORT_KEYS: dict[str, list[str]] = {
    "Date": ["date", "event_id"],
    "Place": ["place_name", "date", "event_id"],
    "Event type": ["event_type", "date", "event_id"],
    "Confidence": ["_confidence_rank", "date", "event_id"],
    "Country": ["country", "date", "event_id"],
}


def export_frame(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The events with the place's name and country added, in :data:`EXPORT_COLUMNS` order.

    ``date`` stays a datetime here; the exports turn it into ``YYYY-MM-DD``.
    """
    info = places.set_index("place_id")
    out = events.reindex(columns=EVENT_COLUMNS).copy()
    out["place_name"] = out["place_id"].map(info["name"]).fillna(out["place_id"])
    out["country"] = out["place_id"].map(info["country"]).fillna("")
    return out[EXPORT_COLUMNS]


def sort_events(frame: pd.DataFrame, by: str = "Date", ascending: bool = True) -> pd.DataFrame:
    """Rows of :func:`export_frame` sorted by one of :data:`SORT_KEYS` (stable, ties by ``event_id``).

    Confidence sorts high, medium, low (ascending) rather than alphabetically.
    """
    if by not in SORT_KEYS:
        raise ValueError(f"unknown sort {by!r}; choose one of {', '.join(SORT_KEYS)}")
    work = frame.copy()
    rank = {c: i for i, c in enumerate(vocab.CONFIDENCE)}
    work["_confidence_rank"] = work["confidence"].map(rank).fillna(len(rank))
    keys = SORT_KEYS[by]
    order = [ascending] + [True] * (len(keys) - 1)
    return work.sort_values(keys, ascending=order, kind="stable").drop(columns="_confidence_rank")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table shown on the page: readable labels, the first source link, no raw codes.

    Columns: ``date, place, country, type, actors, new controller, summary, confidence,
    source, source types, link, event_id``. ``link`` is the first URL of ``source_url`` (the page
    shows every source of the selected event).
    """
    out = pd.DataFrame(index=frame.index)
    out["date"] = pd.to_datetime(frame["date"]).dt.date
    out["place"] = frame["place_name"]
    out["country"] = frame["country"].map(vocab.COUNTRIES).fillna(frame["country"])
    out["type"] = frame["event_type"].map(vocab.EVENT_TYPE_LABELS).fillna(frame["event_type"])
    out["actors"] = frame["actors"].fillna("").map(_actor_labels)
    out["new controller"] = frame["controller_after"].map(vocab.CONTROLLER_LABELS).fillna("")
    out["summary"] = frame["summary"].fillna("")
    out["confidence"] = frame["confidence"].fillna("")
    out["source"] = frame["source"].fillna("")
    kinds = frame["source_type"].fillna("") if "source_type" in frame else pd.Series("", index=frame.index)
    out["source types"] = kinds.map(lambda k: ", ".join(dict.fromkeys(x.replace("_", " ") for x in k.split("|") if x)))
    out["link"] = [next((s.url for s in event_sources(src, url) if s.url), None)
                   for src, url in zip(frame["source"], frame["source_url"])]
    out["event_id"] = frame["event_id"]
    return out.reset_index(drop=True)


#: Short labels of the actors that are not controllers.
def actor_label(code: str) -> str:
    """A short readable label for an actor code.

    >>> actor_label("US_COALITION"), actor_label("SDF"), actor_label("NEW_GROUP")
    ('US-led coalition', 'SDF / YPG', 'New Group')
    """
    return vocab.ACTOR_LABELS.get(code, code.replace("_", " ").title())


def _actor_labels(actors: str) -> str:
    return ", ".join(actor_label(a) for a in actors.split("|") if a)


def _plain(value):
    """A JSON-safe scalar: NaN/NA/NaT become None, numpy numbers Python numbers, dates ISO strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def _iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "date" in out:
        out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """The rows as UTF-8 CSV (header row, LF line ends, dates ``YYYY-MM-DD``), like ``events.csv``.

    Text that a spreadsheet would run as a formula is prefixed with ``'`` (:func:`frontline.safety.csv_cell`).
    """
    return csv_safe(_iso_dates(frame)).to_csv(index=False, lineterminator="\n").encode("utf-8")


def geojson_dict(frame: pd.DataFrame) -> dict:
    """The rows as an RFC 7946 ``FeatureCollection`` of points; every column is a property.

    Rows without a finite ``lat``/``lon`` cannot be placed and raise ``ValueError``
    (the loader drops them, so this only happens with hand-made frames).

    >>> geojson_dict(pd.DataFrame(columns=["event_id", "lat", "lon"]))
    {'type': 'FeatureCollection', 'features': []}
    """
    rows = _iso_dates(frame)
    features = []
    for record in rows.to_dict(orient="records"):
        props = {str(k): _plain(v) for k, v in record.items()}
        lat, lon = props.get("lat"), props.get("lon")
        if not (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
                and math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"event {props.get('event_id')!r} has no usable lat/lon ({lat!r}, {lon!r}); "
                             "fix its coordinates in data/events.csv")
        features.append({
            "type": "Feature",
            "id": props.get("event_id"),
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def to_geojson(frame: pd.DataFrame) -> bytes:
    """:func:`geojson_dict` serialised as UTF-8 JSON (non-ASCII kept, e.g. Arabic names)."""
    return json.dumps(geojson_dict(frame), ensure_ascii=False, indent=1).encode("utf-8")


def event_links_markdown(source, source_url, source_type="") -> list[str]:
    """One Markdown line per source of an event, a link where the source has an http(s) URL, then its kind.

    The citation and the address are escaped (:func:`frontline.safety.md_link`), so a title
    holding Markdown (an image, a link, emphasis) shows as typed and fetches nothing.

    >>> event_links_markdown("CNN, 2019-03-23, Baghouz [update] | BBC, 2019-03-23, IS defeated", "https://cnn.com/x")
    ['CNN, 2019\\\\-03\\\\-23, Baghouz \\\\[update\\\\]', 'BBC, 2019\\\\-03\\\\-23, IS defeated']
    >>> event_links_markdown("x ![b](http://h/b.png)", "")
    ['x \\\\!\\\\[b\\\\]\\\\(http\\\\:\\u200b\\\\/\\\\/h\\\\/b\\\\.png\\\\)']
    >>> event_links_markdown("Reuters, 2017-10-17, Raqqa", "https://r.com/a", "news_agency")
    ['[Reuters, 2017\\\\-10\\\\-17, Raqqa](https://r.com/a) · news agency']
    """
    return [md_link(s.citation, s.url) + (f" · {s.kind.replace('_', ' ')}" if s.kind in vocab.SOURCE_TYPES else "")
            for s in event_sources(source, source_url, source_type)]


def select_rows(events: pd.DataFrame, places: pd.DataFrame, f: EventFilter, place_ids=(),
                by: str = "Date", ascending: bool = True) -> pd.DataFrame:
    """The explorer's rows: events passing ``f`` (and at ``place_ids`` if any), as :func:`export_frame`, sorted.

    An empty result is an empty frame with the export columns, never an error.
    """
    rows = filter_events(events, places, f)
    if place_ids:
        rows = rows[rows["place_id"].isin(list(place_ids))]
    return sort_events(export_frame(rows, places), by, ascending).reset_index(drop=True)
