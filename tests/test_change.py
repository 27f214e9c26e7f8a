"""What changed between two dates (issue #16): the change figures, the CLI, compare mode, a place's history."""

from __future__ import annotations

import json

import pytest

from frontline import config
from frontline.dataset.load import load
from frontline.errors import DateError
from frontline.history.change import CONTROLLER_COLUMNS, PLACE_COLUMNS, compare
from frontline.history.place_history import place_history
from frontline.history.territory import TerritoryModel

from conftest import FIXTURES, open_map, run_cli

FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def real():
    ds = load(config.EVENTS_PATH, config.PLACES_PATH)
    return ds, TerritoryModel(ds.places, ds.events)


def test_gains_and_losses_add_up_to_each_sides_change_in_area(real):
    ds, model = real
    change = compare(model, ds.events, "2016-01-01", "2016-12-31")
    assert list(change.controllers.columns) == CONTROLLER_COLUMNS
    a = model.areas_on("2016-01-01").set_index("controller")["area_km2"]
    b = model.areas_on("2016-12-31").set_index("controller")["area_km2"]
    for r in change.controllers.itertuples(index=False):
        assert r.net_km2 == pytest.approx(b[r.controller] - a[r.controller], abs=1.0), r.controller
        assert r.gained_km2 >= 0 and r.lost_km2 >= 0
    isis = change.controllers.set_index("controller").loc["ISIS"]
    assert isis.lost_km2 > 10_000 and isis.population_lost > 1_000_000  # Ramadi, Fallujah, Manbij, Hit...


def test_places_that_changed_hands_carry_their_event_and_source(real):
    ds, model = real
    change = compare(model, ds.events, "2016-01-01", "2016-12-31")
    assert list(change.places.columns) == PLACE_COLUMNS
    rutba = change.places.set_index("place_id").loc["rutba"]
    assert (rutba.before, rutba.after, f"{rutba.date:%Y-%m-%d}") == ("ISIS", "IRAQI_GOVERNMENT", "2016-05-19")
    assert rutba.event_id == "IQ-0130" and "AFP" in rutba.source and rutba.confidence == "high"
    before = model.timeline.control_at("2016-01-01").set_index("place_id")["controller"]
    after = model.timeline.control_at("2016-12-31").set_index("place_id")["controller"]
    assert sorted(change.places["place_id"]) == sorted(before.index[before != after])


def test_the_last_pocket_changes_hands_on_the_last_day(real):
    ds, model = real
    change = compare(model, ds.events, "2019-03-22", "2019-03-23")
    assert change.places["place_id"].tolist() == ["baghouz"]
    assert change.controllers.set_index("controller").loc["ISIS", "lost_km2"] > 0


def test_cli_change_prints_json_with_controllers_and_places():
    code, out, err = run_cli("change", "--from", "2019-02-01", "--to", "2019-03-23", "--format", "json",
                             "--events", str(FIXTURES / "events.csv"), "--places", str(FIXTURES / "places.csv"))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"controllers", "places"}
    assert {c["controller"] for c in data["controllers"]} >= {"ISIS", "SDF"}
    assert all(set(p) == set(PLACE_COLUMNS) for p in data["places"])


@pytest.mark.parametrize("args, message", [
    (["--from", "2016-12-31", "--to", "2016-01-01"], "--from 2016-12-31 is after --to 2016-01-01; give the earlier date as --from"),
    (["--from", "2013-01-01", "--to", "2016-01-01"], "2013-01-01 is outside 2014-01-01..2019-12-31"),
    (["--from", "soon", "--to", "2016-01-01"], "'soon' is not a date; expected YYYY-MM-DD"),
])
def test_cli_change_refuses_dates_in_the_wrong_order_or_outside_the_period(args, message):
    code, out, err = run_cli("change", *args)
    assert code == 1 and message in err and out == ""


def test_compare_refuses_the_later_date_first(real):
    ds, model = real
    with pytest.raises(DateError, match="is after"):
        compare(model, ds.events, "2017-01-01", "2016-01-01")


def test_a_places_history_has_its_holders_contested_spells_and_events(real):
    ds, _ = real
    h = place_history(ds.places, ds.events, "palmyra")
    holders = [(f"{r.start:%Y-%m-%d}", r.controller) for r in h.holders.itertuples(index=False)]
    assert holders[0] == ("2014-01-01", "SYRIAN_GOVERNMENT")
    assert ("2015-05-21", "ISIS") in holders and holders[-1][1] == "SYRIAN_GOVERNMENT"
    assert len(h.contested) >= 2 and (h.contested["end"] >= h.contested["start"]).all()
    assert h.events["event_id"].is_unique and h.events["source"].str.len().gt(0).all()


# --- in the browser ----------------------------------------------------------------------------

@pytest.mark.browser
def test_compare_mode_hatches_what_changed_and_lists_the_places(app_url, page):
    frame = open_map(page, app_url, "2016-12-31", "&from=2016-01-01")
    changed = page.locator(FRAME).evaluate("f => f.contentWindow.FL.drawn().changed")
    assert 1 in changed or 2 in changed  # ground taken by the Iraqi (2) or Syrian (1) government is hatched
    assert frame.locator("#fl-panel").get_by_text("Since 1 Jan 2016").count() == 1  # the panel in the map's frame
    places = page.get_by_text("places changed hands between 01 Jan 2016 and 31 Dec 2016")
    places.click()
    page.get_by_text("IQ-0130").wait_for(timeout=10_000)  # Rutba, with its event
    page.screenshot(path="test-artifacts/compare-2016.png")
    assert "from=2016-01-01" in page.url
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_history_button_in_a_popup_shows_the_places_history(app_url, page):
    frame = open_map(page, app_url, "2015-05-25")
    popup = page.locator(FRAME).evaluate("f => f.contentWindow.FL.openEvent('SY-0029')")
    assert popup is not None
    button = frame.locator(".leaflet-popup-content .fl-hist")
    button.wait_for(timeout=10_000)
    page.wait_for_timeout(1000)  # opening the popup panned the map: let the map report its new view first, as a person would
    button.click()
    page.get_by_role("img", name="Holders of Palmyra over time").wait_for(timeout=30_000)
    page.screenshot(path="test-artifacts/place-history-palmyra.png")
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_side_by_side_shows_both_dates_and_the_maps_follow_each_others_zoom(app_url, page):
    open_map(page, app_url, "2016-12-31", "&from=2016-01-01")
    page.get_by_text("Side by side").click()
    page.frame_locator(FRAME).nth(1).locator('#fl-date-label[data-date="2016-12-31"]').wait_for(timeout=30_000)
    left = page.frame_locator(FRAME).nth(0)
    assert left.locator("#fl-date-label").get_attribute("data-date") == "2016-01-01"
    left.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("""(sel) => { const f = document.querySelectorAll(sel);
        return f.length === 2 && f[1].contentWindow.map.getZoom() === f[0].contentWindow.map.getZoom()
            && f[0].contentWindow.map.getZoom() === 7; }""", arg=FRAME, timeout=30_000)
    page.screenshot(path="test-artifacts/side-by-side.png")
    assert not page.console_errors, page.console_errors


def test_compare_with_another_date_sets_the_links_from():
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from conftest import ROOT, map_panel

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["date"] = "2017-07-10"
    at.run()
    at.radio(key="opt_compare").set_value("pick").run()
    at.date_input(key="opt_compare_day").set_value(dt.date(2016, 10, 17)).run()
    assert not at.exception, at.exception
    assert at.query_params["from"] == ["2016-10-17"] or at.query_params["from"] == "2016-10-17"
    panel = map_panel(at)
    assert "<h4>Since 17 Oct 2016</h4>" in panel
    assert any("changed hands between 17 Oct 2016 and 10 Jul 2017" in e.label for e in at.expander)
