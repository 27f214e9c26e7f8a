"""Key events on slides are chosen by weight: the period's turning points, not its first or last weeks."""

from __future__ import annotations

import pytest

from frontline.export import load_briefing
from frontline.export.slides import bullet_count


@pytest.fixture(scope="module")
def atlas():
    """The real data: the issue's periods are about the real war."""
    return load_briefing()


def _picked(briefing, start, end):
    key = briefing.key_events(start, end, n=bullet_count(start, end))
    return list(zip(key["place_id"], key["event_type"]))


def test_the_rise_of_isis_names_the_caliphate_sinjar_and_kobani(atlas):
    picked = _picked(atlas, "2014-06-11", "2015-05-21")  # the slide of 21 May 2015 after one of 10 June 2014
    assert ("mosul", "declaration") in picked       # the caliphate, 29 June 2014
    assert ("sinjar", "control_change") in picked   # Sinjar and the Yazidi genocide, 3 August 2014
    assert ("kobani", "siege_end") in picked        # Kobani, 27 January 2015
    assert "baiji" not in {p for p, _ in picked}


def test_a_kurdish_pull_out_does_not_crowd_out_the_fall_of_raqqa(atlas):
    picked = _picked(atlas, "2017-07-11", "2017-10-17")
    assert ("raqqa", "control_change") in picked
    places = {p for p, _ in picked}
    assert not places & {"kirkuk", "daquq", "khanaqin", "jalawla", "makhmur"}  # Iraq vs the Peshmerga, no ISIS


def test_events_of_the_same_place_and_day_add_up(atlas):
    ev = atlas.events[(atlas.events["date"] >= "2014-08-01") & (atlas.events["date"] <= "2014-08-31")]
    weights = atlas.event_weights(ev)
    sinjar = ev[(ev["place_id"] == "sinjar") & (ev["event_type"] == "control_change")].index[0]
    assert weights[sinjar] == weights.max()


def test_bullets_are_spread_over_the_period_not_bunched_at_its_end(atlas):
    key = atlas.key_events("2014-06-11", "2015-05-21", n=4)
    gaps = key["date"].sort_values().diff().dropna().dt.days
    assert (gaps > 30).all(), list(key["date"])
