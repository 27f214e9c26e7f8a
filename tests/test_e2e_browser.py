"""End to end, as an analyst would do it, in headless Chromium with every non-local request blocked.

1. Data intake: add an event at "Al-Baghuz Fawqani" on the Curate page (on a copy of the data,
   with no internet), then see it on the map at its date; the file gains exactly one line.
2. Pages: from the map to the Timeline, a milestone back to the map at its date, then the Events
   page filtered to Palmyra and its GeoJSON download.
"""

from __future__ import annotations

import difflib
import json
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, CURATION_ON, FIXTURES, copy_data, start_app
from frontline import config
from frontline.dataset.load import load
from test_curate_page import BAGHUZ_SUMMARY, fill_baghuz_event
from test_dashboard_browser import FRAME, _open

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"))


@pytest.fixture
def intake_app(tmp_path):
    """The whole dashboard on a copy of the intake fixture data; Nominatim pointed at a closed local port."""
    ev, pl = copy_data(FIXTURES / "intake", tmp_path)
    env = {"FRONTLINE_EVENTS": str(ev), "FRONTLINE_PLACES": str(pl), "FRONTLINE_NOMINATIM_DOMAIN": "127.0.0.1:9",
           "FRONTLINE_GEOCODE_CACHE": str(tmp_path / "cache.json"), **CURATION_ON}
    proc, url = start_app(env=env)
    yield url, ev
    proc.terminate()
    proc.wait(10)


def _popup_of_marker_with(frame, text: str) -> dict | None:
    """Open the popup of the event marker whose popup holds ``text``; its text and position, else None."""
    return frame.locator(".leaflet-container").evaluate("(el, text) => window.FL.openEvent(text)", text)


def test_event_added_on_the_curate_page_offline_shows_on_the_map_at_its_date(intake_app, page):
    url, ev = intake_app
    original = (FIXTURES / "intake" / "events.csv").read_text(encoding="utf-8").splitlines()

    page.goto(url + "/Curate", wait_until="domcontentloaded")
    fill_baghuz_event(page)
    page.get_by_role("button", name="Add to events.csv").click()
    page.get_by_text(re.compile(r"Added SY-0001 at line \d+")).wait_for(timeout=20_000)

    # the copy differs from the original by exactly one added line, and no line removed or changed
    diff = [d for d in difflib.ndiff(original, ev.read_text(encoding="utf-8").splitlines()) if d[:2] in ("+ ", "- ")]
    assert len(diff) == 1 and diff[0].startswith("+ SY-0001,2019-03-23,baghouz,34.45861,40.95056,control_change,"), diff

    # the map at the event's date draws it, with its summary in the popup
    frame = _open(page, url + "/?date=2019-03-23", "2019-03-23")
    popup = None
    for _ in range(20):  # the date's layers may arrive just after the date label
        popup = _popup_of_marker_with(frame, BAGHUZ_SUMMARY)
        if popup:
            break
        page.wait_for_timeout(250)
    _shot(page, "added-event-on-map")
    assert popup is not None, "no marker on the map carries the new event"
    assert "2019-03-23" in popup["text"] and "Baghouz" in popup["text"] and "Change of control" in popup["text"]
    assert (round(popup["lat"], 4), round(popup["lon"], 4)) == (34.4586, 40.9506)
    assert frame.get_by_text(re.compile(r"Events in the last \d+ days")).count() == 1  # the panel in the map's frame
    assert frame.locator("#fl-panel table.fl-recent", has_text="Baghouz").count() == 1  # and in the recent events
    assert not page.blocked, page.blocked


def test_timeline_milestone_opens_the_map_and_events_download_palmyra_as_geojson(app_url, page, tmp_path):
    _open(page, app_url + "/?date=2016-03-27", "2016-03-27")
    nav = page.get_by_test_id("stSidebar")

    # Map -> Timeline -> "Fall of Mosul" -> the map itself shows 10 June 2014
    nav.get_by_role("link", name="Timeline").click()
    page.get_by_role("radio", name="Fall of Mosul (10 Jun 2014)").click()
    label = page.frame_locator(FRAME).locator('#fl-date-label[data-date="2014-06-10"]')
    label.wait_for(timeout=60_000)
    assert label.inner_text() == "10 June 2014"
    assert "date=2014-06-10" in page.url
    _shot(page, "map-after-milestone")

    # Events, filtered to Palmyra, downloaded as GeoJSON
    nav.get_by_role("link", name="Events").click()
    place = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Place")
    place.click()
    page.keyboard.type("Palmyra")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    button = page.get_by_role("button", name=re.compile(r"Download GeoJSON \(\d+ points\)"))
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ events\."))).to_be_visible(timeout=30_000)
    ds = load(config.EVENTS_PATH, config.PLACES_PATH)
    palmyra = ds.events[ds.events["place_id"] == "palmyra"]
    expect(button).to_have_text(re.compile(rf"\({len(palmyra)} points\)"), timeout=30_000)
    _shot(page, "events-palmyra")
    with page.expect_download() as download:
        button.click()
    path = tmp_path / "palmyra.geojson"
    download.value.save_as(path)
    collection = json.loads(path.read_text(encoding="utf-8"))

    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == len(palmyra) >= 2
    assert {f["properties"]["place_id"] for f in features} == {"palmyra"}
    assert sorted(f["id"] for f in features) == sorted(palmyra["event_id"])
    dates = [f["properties"]["date"] for f in features]
    assert dates == sorted(dates) and pd.Timestamp(dates[0]) == palmyra["date"].min()
    assert all(f["geometry"]["type"] == "Point" for f in features)
    assert not page.blocked, page.blocked
