"""The shareable view: parsing and writing URL query parameters."""

import datetime as dt

import pytest

from frontline.history.filters import EventFilter
from frontline.viewstate import filter_params, parse_date_param, parse_filter_params, parse_view_params


@pytest.mark.parametrize("value, notice", [
    ("2013-12-31", "Ignored date=2013-12-31 in the link: it is outside 2014-01-01..2019-03-23; showing 2015-06-01."),
    ("2019-03-24", "Ignored date=2019-03-24 in the link: it is outside 2014-01-01..2019-03-23; showing 2015-06-01."),
    ("yesterday", "Ignored date=yesterday in the link: it is not a date (expected YYYY-MM-DD); showing 2015-06-01."),
])
def test_bad_date_in_link_falls_back_to_default_with_notice(value, notice):
    assert parse_date_param(value) == (dt.date(2015, 6, 1), notice)


def test_filters_round_trip_through_query_params():
    f = EventFilter(countries=("SY", "IQ"), event_types=("control_change",), actors=("SDF",),
                    confidence=("high",), text="Ar-Raqqah")
    assert parse_filter_params(filter_params(f)) == (f, [])


def test_unknown_codes_are_dropped_and_named():
    f, notes = parse_filter_params({"type": "battle,party", "confidence": "sure"})
    assert f.event_types == ("battle",) and f.confidence == ()
    assert notes[0].startswith("Ignored type=party in the link: not a known code (known: control_change,")
    assert notes[1] == "Ignored confidence=sure in the link: not a known code (known: high, medium, low)."


def test_view_out_of_range_is_ignored():
    assert parse_view_params({"lat": "36", "lon": "43", "zoom": "30"})[:2] == (None, None)
