"""Parsing the ``source`` column and counting the events that cite each source."""

from __future__ import annotations

import pandas as pd
import pytest

from frontline.dataset.sources import event_sources, outlet_counts, parse_source, source_counts, split_sources


def _events(*rows):
    return pd.DataFrame(rows, columns=["event_id", "source", "source_url"])


def test_split_sources_uses_the_spaced_bar_only():
    assert split_sources("A, 2014-01-01, x | B, 2014-01-02, y") == ["A, 2014-01-01, x", "B, 2014-01-02, y"]
    assert split_sources(None) == []


@pytest.mark.parametrize("text, outlet, date, title, accessed", [
    ("CNN, 2019-03-23, ISIS defeated, SDF says", "CNN", "2019-03-23", "ISIS defeated, SDF says", False),
    ("Wikipedia, accessed 2026-11-21, Fall of Mosul", "Wikipedia", "2026-11-21", "Fall of Mosul", True),
    ("AP via The St. Augustine Record, 2014-07-06, Video", "AP via The St. Augustine Record", "2014-07-06", "Video", False),
    ("The Syrian Observer, 2014-01, ISIS Controls Raqqa", "The Syrian Observer", "2014-01", "ISIS Controls Raqqa", False),
    ("a free-text note", "a free-text note", "", "", False),
])
def test_parse_source_reads_outlet_date_and_title(text, outlet, date, title, accessed):
    s = parse_source(text)
    assert (s.outlet, s.date, s.title, s.accessed) == (outlet, date, title, accessed)


def test_citation_round_trips():
    text = "Wikipedia, accessed 2026-11-21, Fall of Mosul"
    assert parse_source(text).citation == text


def test_urls_pair_with_sources_by_position_only_when_counts_match():
    two = "A, 2014-01-01, x | B, 2014-01-02, y"
    assert [s.url for s in event_sources(two, "http://a | http://b")] == ["http://a", "http://b"]
    assert [s.url for s in event_sources(two, "http://a")] == ["", ""]


def test_source_counts_count_each_event_once_and_sort_most_cited_first():
    events = _events(
        ("E1", "A, 2014-01-01, x | B, 2014-01-02, y", "http://a | http://b"),
        ("E2", "B, 2014-01-02, y | B, 2014-01-02, y", ""),
        ("E3", "B, 2014-01-02, y", "http://b"),
    )
    table = source_counts(events)
    assert list(table["outlet"]) == ["B", "A"]
    assert list(table["events"]) == [3, 1]
    assert table.loc[0, "event_ids"] == "E1, E2, E3"
    assert table.loc[0, "url"] == "http://b"


def test_outlet_counts_events_and_distinct_sources():
    events = _events(
        ("E1", "A, 2014-01-01, x | A, 2014-02-01, z", ""),
        ("E2", "A, 2014-01-01, x | C, 2015-01-01, w", ""),
    )
    table = outlet_counts(events).set_index("outlet")
    assert table.loc["A", "events"] == 2 and table.loc["A", "sources"] == 2
    assert table.loc["C", "events"] == 1


def test_no_events_give_empty_tables_with_their_columns():
    empty = _events()
    assert list(source_counts(empty).columns) == ["outlet", "date", "accessed", "title", "url", "events", "event_ids"]
    assert outlet_counts(empty).empty
