"""The ``source`` column: parse each citation and count the events that cite it.

An event's ``source`` holds one or more citations separated by ``' | '``, each
``Outlet, YYYY-MM-DD, Title`` (or ``Outlet, accessed YYYY-MM-DD, Title`` for a page
without a publication date). ``source_url`` holds the matching URLs in the same
order, also separated by ``' | '``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

import pandas as pd

from .. import config

__all__ = ["Source", "SEPARATOR", "parse_source", "split_sources", "event_sources", "outlet_types", "infer_source_types", "source_type_counts",
           "source_counts", "outlet_counts", "SOURCE_COLUMNS", "OUTLET_COLUMNS"]

SEPARATOR = " | "
_SPLIT = re.compile(r"\s+\|\s+")

_CITATION = re.compile(r"^(?P<outlet>.+?),\s*(?P<accessed>accessed\s+)?(?P<date>\d{4}(?:-\d{2}){0,2})\s*(?:,\s*(?P<title>.*))?$")

SOURCE_COLUMNS = ["outlet", "date", "accessed", "title", "url", "events", "event_ids"]
OUTLET_COLUMNS = ["outlet", "events", "sources"]


@dataclass(frozen=True)
class Source:
    """One citation: who published it, when (or when it was read), its title and URL.

    ``accessed`` is true when ``date`` is the date the page was read rather than
    the date it was published. A citation that does not follow the pattern keeps
    its whole text as ``outlet`` with blank ``date`` and ``title``.
    """

    outlet: str
    date: str = ""
    title: str = ""
    url: str = ""
    accessed: bool = False
    #: What kind of source it is (a :data:`frontline.vocab.SOURCE_TYPES` code), "" when not given.
    kind: str = ""

    @property
    def citation(self) -> str:
        """The citation as written in the data: ``Outlet, YYYY-MM-DD, Title``."""
        if not self.date:
            return self.outlet
        when = f"accessed {self.date}" if self.accessed else self.date
        return f"{self.outlet}, {when}, {self.title}" if self.title else f"{self.outlet}, {when}"


def split_sources(text) -> list[str]:
    """The citations in a ``source`` (or ``source_url``) cell, blanks dropped.

    >>> split_sources("CNN, 2019-03-23, Baghouz falls | BBC, 2019-03-23, IS defeated")
    ['CNN, 2019-03-23, Baghouz falls', 'BBC, 2019-03-23, IS defeated']
    >>> split_sources("")
    []
    >>> split_sources(float("nan"))
    []
    """
    if text is None or (isinstance(text, float) and text != text):
        return []
    return [part.strip() for part in _SPLIT.split(str(text)) if part.strip()]


def parse_source(citation: str, url: str = "") -> Source:
    """Parse one citation ``Outlet, YYYY-MM-DD, Title``.

    >>> parse_source("Al Jazeera, 2017-10-18, Mapped: ISIL territorial loss, in northern Iraq")
    Source(outlet='Al Jazeera', date='2017-10-18', title='Mapped: ISIL territorial loss, in northern Iraq', url='', accessed=False, kind='')
    >>> parse_source("Wikipedia, accessed 2026-11-21, Fall of Mosul").accessed
    True
    >>> parse_source("an unstructured note")
    Source(outlet='an unstructured note', date='', title='', url='', accessed=False, kind='')
    """
    text = citation.strip()
    m = _CITATION.match(text)
    if not m:
        return Source(outlet=text, url=url)
    return Source(outlet=m["outlet"].strip(), date=m["date"], title=(m["title"] or "").strip(),
                  url=url, accessed=bool(m["accessed"]))


def event_sources(source, source_url="", source_type="") -> list[Source]:
    """The sources of one event, each with its URL and kind when the other cells list one per source.

    URLs (and kinds) are paired with citations by position only when both cells hold the same
    number of entries; otherwise the pairing would be a guess, and they are left blank.

    >>> [s.url for s in event_sources("A, 2014-01-01, x | B, 2014-01-02, y", "http://a | http://b")]
    ['http://a', 'http://b']
    >>> [s.url for s in event_sources("A, 2014-01-01, x | B, 2014-01-02, y", "http://a")]
    ['', '']
    >>> [s.kind for s in event_sources("A, 2014-01-01, x | B, 2014-01-02, y", "", "news_agency|monitor")]
    ['news_agency', 'monitor']
    """
    citations = split_sources(source)
    urls = split_sources(source_url)
    if len(urls) != len(citations):
        urls = [""] * len(citations)
    kinds = [k.strip() for k in str(source_type or "").split("|")] if isinstance(source_type, str) else []
    if len(kinds) != len(citations):
        kinds = [""] * len(citations)
    return [dataclasses.replace(parse_source(c, u), kind=k) for c, u, k in zip(citations, urls, kinds)]


@functools.lru_cache(maxsize=4)
def outlet_types(path: str = str(config.OUTLETS_PATH)) -> dict[str, str]:
    """The known outlets and their source type (``data/outlets.csv``), for filling ``source_type``."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return {r["outlet"].strip(): r["source_type"].strip() for r in csv.DictReader(fh)}
    except OSError:
        return {}


def infer_source_types(source: str, known: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """``source_type`` for a ``source`` cell from the outlets' known types, and the outlets not known.

    >>> infer_source_types("Reuters, 2017-10-17, x | Nobody, 2017-10-18, y", {"Reuters": "news_agency"})
    ('news_agency|', ['Nobody'])
    >>> infer_source_types("Wikipedia, accessed 2026-12-01, Raqqa", {})
    ('encyclopedia', [])
    """
    known = outlet_types() if known is None else known
    kinds, unknown = [], []
    for citation in split_sources(source):
        outlet = parse_source(citation).outlet
        kind = known.get(outlet) or ("encyclopedia" if outlet.lower().startswith("wikipedia") else "")
        if not kind:
            unknown.append(outlet)
        kinds.append(kind)
    return "|".join(kinds), unknown


def _long(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, source), duplicates within an event removed."""
    rows = []
    for ev in events[["event_id", "source", "source_url"]].itertuples(index=False):
        seen = set()
        for s in event_sources(ev.source, ev.source_url):
            key = s.citation
            if key in seen:
                continue
            seen.add(key)
            rows.append({"event_id": ev.event_id, "citation": key, "outlet": s.outlet, "date": s.date,
                         "accessed": s.accessed, "title": s.title, "url": s.url})
    return pd.DataFrame(rows, columns=["event_id", "citation", "outlet", "date", "accessed", "title", "url"])


def source_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Every distinct source with the number of events that cite it, most cited first.

    Columns: ``outlet, date, accessed, title, url, events, event_ids`` (``event_ids``
    joined with ``', '``). A source cited with and without its URL keeps the first URL
    seen. An empty table gives an empty frame with the same columns.
    """
    long = _long(events)
    if long.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    long["url"] = long["url"].replace("", pd.NA)
    grouped = long.groupby("citation", sort=False).agg(
        outlet=("outlet", "first"), date=("date", "first"), accessed=("accessed", "first"),
        title=("title", "first"), url=("url", "first"), events=("event_id", "nunique"),
        event_ids=("event_id", lambda ids: ", ".join(dict.fromkeys(ids))),
    )
    grouped["url"] = grouped["url"].fillna("")
    out = grouped.reset_index(drop=True)
    return out.sort_values(["events", "outlet", "date", "title"], ascending=[False, True, True, True],
                           kind="stable").reset_index(drop=True)[SOURCE_COLUMNS]


def outlet_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Every outlet with the number of events citing it and its number of distinct sources.

    An event citing two articles of one outlet counts once for that outlet.
    """
    long = _long(events)
    if long.empty:
        return pd.DataFrame(columns=OUTLET_COLUMNS)
    out = long.groupby("outlet").agg(events=("event_id", "nunique"), sources=("citation", "nunique")).reset_index()
    return out.sort_values(["events", "outlet"], ascending=[False, True], kind="stable").reset_index(drop=True)[OUTLET_COLUMNS]


def source_type_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Citations and events per kind of source (``source_type``), most cited first.

    Columns: ``kind, citations, events, only`` (``only``: events resting on that kind alone).

    >>> source_type_counts(pd.DataFrame({"source_type": ["news_agency|encyclopedia", "encyclopedia"]}))
               kind  citations  events  only
    0  encyclopedia          2       2     1
    1   news_agency          1       1     0
    """
    if "source_type" not in events or events.empty:
        return pd.DataFrame(columns=["kind", "citations", "events", "only"])
    kinds = events["source_type"].fillna("").str.split("|")
    rows = []
    for kind in sorted({k for ks in kinds for k in ks if k}):
        rows.append({"kind": kind, "citations": int(sum(ks.count(kind) for ks in kinds)),
                     "events": int(sum(kind in ks for ks in kinds)),
                     "only": int(sum(set(ks) == {kind} for ks in kinds))})
    out = pd.DataFrame(rows)
    return out.sort_values(["citations", "kind"], ascending=[False, True], kind="stable").reset_index(drop=True)
