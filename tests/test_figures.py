"""The figures beside the map: ISIS's holding on a date and its 30-day change."""

import pandas as pd

from conftest import FIXTURES
from frontline.dataset.load import load
from frontline.history.figures import isis_holding
from frontline.history.territory import TerritoryModel


def _model():
    ds = load(FIXTURES / "events.csv", FIXTURES / "places.csv")
    return TerritoryModel(ds.places, ds.events)


def test_capture_of_mosul_shows_as_a_gain_within_30_days():
    h = isis_holding(_model(), "2014-06-20")
    assert h.places == 2 and h.places_change == 1  # Raqqa already, Mosul on 2014-06-10
    # Mosul's own 1,739,800 people, plus the rest of Ninawa's people on the land it adds (data/admin_population.csv)
    assert h.area_change > 0 and h.population_change >= 1739800 and h.changed


def test_no_change_in_a_quiet_month():
    h = isis_holding(_model(), "2014-09-01")
    assert (h.area_change, h.population_change, h.places_change) == (0.0, 0, 0) and not h.changed


def test_the_comparison_date_is_clamped_to_the_start_of_the_period():
    h = isis_holding(_model(), "2014-01-10")
    assert h.places == 0 and h.places_change == 0


def test_a_town_under_siege_stays_in_the_holding_and_is_reported_as_contested():
    h = isis_holding(_model(), "2017-07-01")  # Mosul under offensive since 2016-10-17, still ISIS's
    assert h.places >= 1 and h.contested_km2 > 0 and h.area_km2 >= h.contested_km2
