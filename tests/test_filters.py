"""Event filters shared by the map, the pages and the exports."""

import pandas as pd

from frontline.dataset.load import load
from frontline.history.filters import EventFilter, filter_events


def _ids(fixture_paths, **kw):
    ds = load(*fixture_paths)
    return list(filter_events(ds.events, ds.places, EventFilter(**kw))["event_id"])


def test_no_filter_keeps_every_event(fixture_paths):
    assert len(_ids(fixture_paths)) == 13


def test_country_filter(fixture_paths):
    assert set(_ids(fixture_paths, countries=("IQ",))) == {"T-0002", "T-0007", "T-0011", "T-0013"}


def test_text_search_matches_aliases_without_accents_or_hyphens(fixture_paths):
    assert _ids(fixture_paths, text="ar-raqqah") == ["T-0001", "T-0010", "T-0012"]
    assert _ids(fixture_paths, text="TADMUR") == ["T-0005", "T-0006", "T-0008", "T-0009"]


def test_text_search_matches_summaries(fixture_paths):
    assert _ids(fixture_paths, text="siege of kobani") == ["T-0003", "T-0004"]


def test_actor_type_confidence_and_dates_combine(fixture_paths):
    ids = _ids(fixture_paths, actors=("RUSSIA",), event_types=("control_change",), confidence=("high",),
               start=pd.Timestamp("2017-01-01"), end=pd.Timestamp("2017-12-31"))
    assert ids == ["T-0009"]


def test_filter_that_matches_nothing_returns_an_empty_table(fixture_paths):
    assert _ids(fixture_paths, text="no such place anywhere") == []


def test_source_type_filter_keeps_events_with_a_source_of_that_kind():
    from frontline.history.filters import EventFilter, describe_filters, filter_events

    places = pd.DataFrame({"place_id": ["a"], "name": ["A"], "aliases": [""], "country": ["SY"]})
    events = pd.DataFrame({"event_id": ["1", "2", "3"], "place_id": ["a"] * 3, "event_type": ["battle"] * 3,
                           "actors": ["ISIS"] * 3, "confidence": ["high"] * 3, "summary": ["x"] * 3,
                           "controller_after": [""] * 3, "date": pd.to_datetime(["2015-01-01"] * 3),
                           "source_type": ["news_agency|encyclopedia", "encyclopedia", "monitor"]})
    f = EventFilter(source_types=("news_agency", "monitor"))
    assert list(filter_events(events, places, f)["event_id"]) == ["1", "3"]
    assert describe_filters(f) == "sources: news agency, monitor"
