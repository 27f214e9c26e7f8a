"""The done-when path of issue #19 in headless Chromium, every non-local request blocked: paste the Baghouz
article with its date on the Curate page, see Baghouz on 23 March 2019 as a change of control to the SDF with
its sentence, accept it, and find it on the map; the events file gains exactly one line."""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from test_dashboard_browser import _open
from test_e2e_browser import intake_app  # noqa: F401  (the whole app on a copy of the intake data, curation on)
from test_extract import SEEDS, SEEDS_DIR, needs_seeds

pytestmark = [pytest.mark.browser, needs_seeds]


def test_baghouz_article_pasted_on_the_curate_page_becomes_an_event_on_the_map(intake_app, page):
    url, ev = intake_app
    before = ev.read_text(encoding="utf-8").splitlines()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(url + "/Curate", wait_until="domcontentloaded")
    page.get_by_role("tab", name="From an article").click()
    page.get_by_label("Article (text or HTML)").fill((SEEDS_DIR / SEEDS[1]["file"]).read_text(encoding="utf-8"))
    page.get_by_role("spinbutton", name="year, Published on").click()
    page.keyboard.type("20190323")  # year, month, day: each segment moves to the next when full
    page.get_by_label("Outlet").fill("CNN")
    page.get_by_label("Title").fill("ISIS has lost its final stronghold in Syria")
    page.get_by_role("button", name="Find candidates").click()
    page.get_by_text("3 candidate(s)").wait_for(timeout=30_000)
    pick = page.locator("[data-testid='stSelectbox']").filter(has_text="Candidate to review")
    inputs = pick.locator("input")
    shown = pick.inner_text() + " " + (inputs.first.input_value() if inputs.count() else "")
    assert "1. 2019-03-23 (day) Baghouz: Change of control to SDF / YPG" in shown, shown
    page.get_by_text("fully liberated Baghouz in eastern Syria").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "extract-candidates.png"), full_page=True)

    page.get_by_role("button", name="Check the candidate").click()
    page.get_by_text("Place: Baghouz (").wait_for(timeout=30_000)
    page.get_by_role("button", name="Add the candidate to events.csv").click()
    page.get_by_text("Added SY-0001 at line").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "extract-added.png"), full_page=True)
    added = [line for line in ev.read_text(encoding="utf-8").splitlines() if line not in before]
    assert len(added) == 1 and added[0].startswith("SY-0001,2019-03-23,baghouz,34.45861,40.95056,control_change,SDF|")

    frame = _open(page, url + "/?date=2019-03-23", "2019-03-23")
    popup = None
    for _ in range(20):  # the date's layers may arrive just after the date label
        popup = frame.locator(".leaflet-container").evaluate("(el, t) => window.FL.openEvent(t)",
                                                             "SDF / YPG took control of Baghouz.")
        if popup:
            break
        page.wait_for_timeout(250)
    page.screenshot(path=str(ARTIFACTS / "extract-on-map.png"))
    assert popup is not None, "no marker on the map carries the new event"
    assert "Baghouz" in popup["text"] and "Change of control" in popup["text"] and "CNN" in popup["text"]
    assert not page.blocked, page.blocked
