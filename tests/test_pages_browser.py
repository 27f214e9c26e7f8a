"""The analysis pages in a real browser: the date chosen on one page is the date of every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS


@pytest.mark.browser
def test_switching_pages_keeps_the_shared_date(app_url, page):
    expect.set_options(timeout=60_000)
    map_date = page.get_by_test_id("stMainBlockContainer").get_by_test_id("stSliderThumbValue").first
    page.goto(f"{app_url}/?date=2016-03-27", wait_until="domcontentloaded")
    expect(map_date).to_have_text("2016-03-27")

    # the map's date is the Timeline's selected date
    page.get_by_test_id("stSidebar").get_by_role("link", name="Timeline").click()
    expect(page.get_by_text("Selected date: 27 March 2016")).to_be_visible()

    # choosing a milestone lands back on the map, on its date
    page.get_by_role("radio", name="Fall of Mosul (10 Jun 2014)").click()
    expect(page).to_have_url(re.compile(r"date=2014-06-10"))
    expect(map_date).to_have_text("2014-06-10")

    # and the other pages keep it
    page.get_by_test_id("stSidebar").get_by_role("link", name="Timeline").click()
    expect(page.get_by_text("Selected date: 10 June 2014")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline-after-milestone.png"))
    assert not page.blocked, page.blocked  # nothing tried to leave the machine
