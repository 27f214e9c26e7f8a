"""The control timeline: who holds each place, since when, and whether it is contested."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from frontline.dataset.load import load
from frontline.errors import DateError
from frontline.history.timeline import ControlTimeline, parse_date


@pytest.fixture
def timeline(fixture_paths):
    ds = load(*fixture_paths)
    return ControlTimeline(ds.places, ds.events)


def _row(table, pid):
    return table.set_index("place_id").loc[pid]


def test_place_keeps_its_2014_controller_until_the_first_change(timeline):
    row = _row(timeline.control_at("2014-06-09"), "mosul")
    assert row.controller == "IRAQI_GOVERNMENT" and pd.isna(row.since)


def test_control_switches_on_capture_date(timeline):
    assert _row(timeline.control_at("2014-06-10"), "mosul").controller == "ISIS"
    assert _row(timeline.control_at("2014-06-10"), "mosul").since == pd.Timestamp("2014-06-10")


def test_place_that_changed_hands_four_times(timeline):
    states = [_row(timeline.control_at(d), "palmyra").controller
              for d in ("2015-05-20", "2015-05-21", "2016-03-27", "2016-12-11", "2017-03-02")]
    assert states == ["SYRIAN_GOVERNMENT", "ISIS", "SYRIAN_GOVERNMENT", "ISIS", "SYRIAN_GOVERNMENT"]


def test_raqqa_is_not_held_by_isis_after_its_liberation(timeline):
    assert _row(timeline.control_at("2017-10-20"), "raqqa").controller == "SDF"


def test_siege_makes_place_contested_until_lifted(timeline):
    assert not _row(timeline.control_at("2014-09-15"), "kobani").contested
    assert _row(timeline.control_at("2014-09-16"), "kobani").contested
    assert _row(timeline.control_at("2015-01-25"), "kobani").contested
    assert not _row(timeline.control_at("2015-01-26"), "kobani").contested


def test_capture_ends_an_offensive(timeline):
    assert _row(timeline.control_at("2017-07-09"), "mosul").contested
    row = _row(timeline.control_at("2017-07-10"), "mosul")
    assert not row.contested and row.controller == "IRAQI_GOVERNMENT"


def test_every_place_has_a_controller_on_every_date(timeline):
    for d in pd.date_range("2014-01-01", "2019-03-23", freq="37D"):
        assert timeline.control_at(d)["controller"].notna().all()


def test_change_dates_are_the_days_state_can_change(timeline):
    assert pd.Timestamp("2014-06-10") in timeline.change_dates
    assert pd.Timestamp("2016-07-03") not in timeline.change_dates  # an attack changes nothing


def test_empty_events_leave_every_place_with_its_2014_controller(fixture_paths):
    ds = load(*fixture_paths)
    tl = ControlTimeline(ds.places, ds.events.iloc[0:0])
    table = tl.control_at("2018-01-01")
    assert list(table["controller"]) == list(ds.places["controller_2014"])
    assert not table["contested"].any()


def test_vectorized_state_matches_naive_replay(fixture_paths):
    ds = load(*fixture_paths)
    tl = ControlTimeline(ds.places, ds.events)
    for d in pd.date_range("2014-01-01", "2019-03-23", freq="11D"):
        controller, _, _ = tl.state_arrays(d)
        for i, place in ds.places.iterrows():
            ev = ds.events[(ds.events.place_id == place.place_id) & (ds.events.event_type == "control_change")
                           & (ds.events.date <= d)]
            expected = ev.iloc[-1].controller_after if len(ev) else place.controller_2014
            assert controller[i] == expected


@pytest.mark.parametrize("value,message", [
    ("2013-12-31", "2013-12-31 is outside 2014-01-01..2019-12-31; choose a date in the atlas's period"),
    ("20-10-2017", "'20-10-2017' is not a date; expected YYYY-MM-DD, e.g. 2017-10-20"),
])
def test_parse_date_rejects_bad_dates_with_a_fix(value, message):
    with pytest.raises(DateError, match=None) as err:
        parse_date(value)
    assert str(err.value) == message
