"""Filtering the event table: one pure function shared by the map, the pages and the exports."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from .. import vocab

__all__ = ["EventFilter", "filter_events", "fold", "other_filters", "describe_filters", "FilterField",
           "FILTER_FIELDS"]


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
    #: Keep events with at least one source of these kinds (news agency, monitor, official...).
    source_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterField:
    """One filter an analyst sets on the map, in a link and on the command line: where each spells it."""

    #: The :class:`EventFilter` field.
    name: str
    #: The URL query parameter (and the sidebar widget's key, ``flt_<param>``).
    param: str
    #: The command-line option.
    option: str
    label: str
    #: Allowed codes -> readable labels; ``None`` for free text.
    codes: dict[str, str] | None
    placeholder: str
    help: str

    @property
    def dest(self) -> str:
        """The attribute argparse stores the option in (``--event-type`` -> ``event_type``)."""
        return self.option.lstrip("-").replace("-", "_")


#: The filters shared by the map's sidebar, the URL (:mod:`frontline.viewstate`) and the CLI
#: (``export``): a new filter is one row here (and a field of :class:`EventFilter`).
FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("countries", "country", "--country", "Country", vocab.COUNTRIES, "All countries",
                "SY and/or IQ (repeat or comma-separate)"),
    FilterField("event_types", "type", "--event-type", "Event type", vocab.EVENT_TYPE_LABELS, "All types",
                "event type codes, e.g. control_change"),
    FilterField("actors", "actor", "--actor", "Actor", vocab.ACTOR_LABELS, "All actors", "actor codes, e.g. SDF"),
    FilterField("confidence", "confidence", "--confidence", "Confidence", {c: c for c in vocab.CONFIDENCE},
                "Any confidence", "high, medium and/or low"),
    FilterField("source_types", "source", "--source-type", "Source type",
                {k: k.replace("_", " ") for k in vocab.SOURCE_TYPES}, "Any source",
                "keep events with at least one source of these kinds, e.g. news_agency,monitor"),
    FilterField("text", "q", "--text", "Search places and summaries", None, "e.g. Ar-Raqqah, Tadmur, siege",
                "text to search in place names (any spelling) and summaries"),
)


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
    if f.source_types and "source_type" in events:
        kinds = set(f.source_types)
        mask &= events["source_type"].fillna("").map(lambda k: bool(kinds.intersection(k.split("|"))))
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


def other_filters(f: EventFilter) -> list[str]:
    """The filters the map's sidebar does not show (set on the Events page), in words.

    >>> import pandas as pd
    >>> other_filters(EventFilter(start=pd.Timestamp("2016-01-01"), control_changes_only=True,
    ...                           controllers_after=("SDF",)))
    ['from 2016-01-01', 'changes of control only', 'new controller SDF / YPG']
    >>> other_filters(EventFilter(countries=("SY",)))
    []
    """
    out = []
    if f.start is not None or f.end is not None:
        out.append(" ".join(part for part in (f"from {f.start:%Y-%m-%d}" if f.start is not None else "",
                                              f"to {f.end:%Y-%m-%d}" if f.end is not None else "") if part))
    if f.control_changes_only:
        out.append("changes of control only")
    if f.controllers_after:
        out.append("new controller " + ", ".join(vocab.CONTROLLER_LABELS.get(c, c) for c in f.controllers_after))
    return out


def describe_filters(f: EventFilter) -> str:
    """Every active filter in words, for messages ('' when none).

    >>> import pandas as pd
    >>> describe_filters(EventFilter(countries=("IQ",), event_types=("massacre",), text="palmyra",
    ...                              end=pd.Timestamp("2015-12-31")))
    "Iraq; massacre; matching 'palmyra'; to 2015-12-31"
    >>> describe_filters(EventFilter())
    ''
    """
    parts = []
    if f.countries:
        parts.append(", ".join(vocab.COUNTRIES.get(c, c) for c in f.countries))
    if f.event_types:
        parts.append(", ".join(vocab.EVENT_TYPE_LABELS.get(t, t).lower() for t in f.event_types))
    if f.actors:
        parts.append("actors " + ", ".join(vocab.ACTOR_LABELS.get(a, a) for a in f.actors))
    if f.confidence:
        parts.append("confidence " + ", ".join(f.confidence))
    if f.source_types:
        parts.append("sources: " + ", ".join(k.replace("_", " ") for k in f.source_types))
    if f.text.strip():
        parts.append(f"matching '{f.text.strip()}'")
    return "; ".join(parts + other_filters(f))
