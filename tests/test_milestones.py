"""Milestones agree with the curated events."""

import pandas as pd

from frontline.dataset.load import load
from frontline.dataset.milestones import MILESTONES, check


def test_every_milestone_matches_the_date_of_its_event_in_the_data():
    ds = load()
    assert check(ds.events) == []


def test_check_names_a_milestone_the_data_dates_differently():
    events = pd.DataFrame({"date": pd.to_datetime(["2014-06-11"]), "place_id": ["mosul"],
                           "event_type": ["control_change"]})
    assert check(events, [m for m in MILESTONES if m.label == "Fall of Mosul"]) == [
        "milestone 'Fall of Mosul' is dated 2014-06-10, but events.csv has its control_change at mosul "
        "on 2014-06-11; align the two"]


def test_milestones_are_in_date_order_within_the_period():
    dates = [m.date for m in MILESTONES]
    assert dates == sorted(dates)
    assert str(dates[0]) >= "2014-01-01" and str(dates[-1]) <= "2019-03-23"
