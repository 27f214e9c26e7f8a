"""The Curate page in Chromium, with no internet: add an event at "Al-Baghuz Fawqani"; one new line is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS, CURATION_ON, copy_data, start_app

INTAKE = Path(__file__).resolve().parent / "fixtures" / "intake"
pytestmark = pytest.mark.browser


@pytest.fixture
def curate_app(tmp_path):
    ev, pl = copy_data(INTAKE, tmp_path)
    env = {"FRONTLINE_EVENTS": str(ev), "FRONTLINE_PLACES": str(pl), "FRONTLINE_NOMINATIM_DOMAIN": "127.0.0.1:9",
           "FRONTLINE_GEOCODE_CACHE": str(tmp_path / "cache.json"), **CURATION_ON}
    proc, url = start_app("pages/5_Curate.py", env=env)
    yield url, ev
    proc.terminate()
    proc.wait(10)


#: The summary of the event :func:`fill_baghuz_event` enters.
BAGHUZ_SUMMARY = "Test: the SDF declared the fall of the last ISIS enclave at Baghuz."


def fill_baghuz_event(page) -> None:
    """On the Curate page: fill the form for the fall of Baghouz (2019-03-23, the form's default date) and check it."""
    page.get_by_label("Place").fill("Al-Baghuz Fawqani")
    page.locator("[data-testid='stMultiSelect']").filter(has_text="Actors").click()
    for actor in ("SDF", "ISIS"):
        page.get_by_role("option", name=actor, exact=True).click()
    page.keyboard.press("Escape")
    page.locator("[data-testid='stSelectbox']").filter(has_text="Controller after").click()
    page.get_by_role("option", name="SDF / YPG").click()
    page.get_by_label("Summary").fill(BAGHUZ_SUMMARY)
    page.get_by_label("Source", exact=True).fill("Test, 2019-03-23, fixture")
    page.get_by_role("textbox", name="Source type").fill("newspaper")
    page.get_by_role("button", name="Check the event").click()
    page.get_by_text("Place: Baghouz (").wait_for(timeout=20_000)


def make_it_a_battle(page) -> None:
    """Turn the form filled by :func:`fill_baghuz_event` into a battle (no new holder), which two analysts may
    well both record on one day."""
    page.locator("[data-testid='stSelectbox']").filter(has_text="Event type").click()
    page.get_by_role("option", name="Battle", exact=True).click()
    page.locator("[data-testid='stSelectbox']").filter(has_text="Controller after").click()
    page.get_by_role("option", name="none", exact=True).click()


def test_adding_an_event_at_baghuz_writes_one_new_line(curate_app, page):
    url, ev = curate_app
    before = ev.read_text(encoding="utf-8").split("\n")
    page.goto(url)
    fill_baghuz_event(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "curate-checked.png"), full_page=True)
    page.get_by_role("button", name="Add to events.csv").click()
    page.get_by_text("Added SY-0001 at line").wait_for(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "curate-added.png"), full_page=True)
    after = ev.read_text(encoding="utf-8").split("\n")
    added = [line for line in after if line not in before]
    assert len(after) == len(before) + 1 and len(added) == 1
    assert added[0].startswith("SY-0001,2019-03-23,baghouz,34.45861,40.95056,control_change,")
    assert page.blocked == []


def test_two_analysts_saving_at_once_both_keep_their_row(curate_app, browser):
    """Two browser sessions press "Add" together, twice: each row lands once, with its own id, and both are told."""
    url, ev = curate_app
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.goto(url)
        pages.append(pg)
    for rnd in range(2):
        before = ev.read_text(encoding="utf-8").split("\n")
        for k, pg in enumerate(pages):
            if rnd == 0:  # the form keeps its values for round 1
                fill_baghuz_event(pg)
                make_it_a_battle(pg)
            pg.get_by_label("Summary").fill(f"Round {rnd}, analyst {k}.")
            pg.get_by_role("button", name="Check the event").click()
            if rnd > 0:  # the rows of round 0 are possible duplicates: each analyst confirms
                pg.get_by_text("It is a different event: add it anyway").click(timeout=20_000)
        buttons = [pg.get_by_role("button", name="Add to events.csv") for pg in pages]
        for b in buttons:
            b.wait_for(timeout=20_000)
        for b in buttons:  # as close together as two people can click
            b.click(no_wait_after=True)
        told = []
        for k, pg in enumerate(pages):
            pg.get_by_text(re.compile(r"Added (SY|T)-\d+ at line|Not added|refuses the row")).first.wait_for(timeout=30_000)
            told.append(pg.get_by_text(re.compile(r"Added (SY|T)-\d+ at line")).count() > 0)
        after = ev.read_text(encoding="utf-8").split("\n")
        added = [line for line in after if line not in before]
        for k, ok in enumerate(told):  # every acknowledged row is there exactly once
            if ok:
                assert sum(f"Round {rnd}, analyst {k}." in line for line in added) == 1
        ids = [line.split(",")[0] for line in after[1:] if line]
        assert len(ids) == len(set(ids))
        assert len(added) == sum(told)
        assert sum(told) >= 1  # one save always lands; the other lands or is told why not
    for pg in pages:
        pg.context.close()
