"""The dashboard in headless Chromium with every non-local request blocked.

Each test saves a screenshot of what it checked in test-artifacts/ (and conftest saves
one of the failing state).
"""

from __future__ import annotations

import re

import pytest

from conftest import ARTIFACTS, FIXTURES, start_app

pytestmark = pytest.mark.browser

FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _open(page, url: str, date: str | None = None):
    """Go to ``url`` and wait until the map shows a date (and ``date`` if given); return the map frame."""
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator(FRAME)
    label = frame.locator("#fl-date-label[data-date]" if date is None else f'#fl-date-label[data-date="{date}"]')
    label.wait_for(timeout=90_000)
    return frame


def _shot(page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"))


def _map_counts(frame) -> dict:
    """Territory polygons (and a signature of their shapes) and event markers on the Leaflet map."""
    return frame.locator(".leaflet-container").evaluate("""() => {
        const d = window.FL.drawn();  // the map client's territory and events (frontline/webmap/client.js)
        let polygons = d.polygons.length, markers = d.markers, sig = d.polygons.slice();
        (window.feature_group || []).forEach(g => { if (!window.map.hasLayer(g)) return;  // other layers (overlay)
            g.eachLayer(function walk(l) {
                if (l.eachLayer) return l.eachLayer(walk);
                if (l instanceof L.Polygon) polygons++;
                else if (l instanceof L.CircleMarker) markers++;
            });
        });
        return {polygons, markers, sig: sig.sort().join('|')};
    }""")


def _slider(page):
    return page.locator("[data-testid=stMain]").get_by_role("slider").first


@pytest.fixture(scope="module")
def fixture_app_url():
    """The dashboard on the hostile fixture data (a <script> summary, a malformed row)."""
    proc, url = start_app(env={"FRONTLINE_EVENTS": str(FIXTURES / "dashboard" / "events.csv"),
                               "FRONTLINE_PLACES": str(FIXTURES / "dashboard" / "places.csv")})
    yield url
    proc.terminate()
    proc.wait(10)


def test_page_loads_offline_and_draws_territory_events_and_date(app_url, page):
    frame = _open(page, app_url + "/?date=2015-06-01", "2015-06-01")
    page.wait_for_timeout(500)
    counts = _map_counts(frame)
    _shot(page, "loaded-2015-06-01")
    assert counts["polygons"] >= 2 and counts["markers"] >= 1, counts
    assert frame.locator("#fl-date-label").inner_text() == "1 June 2015"
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".fl-legend").count() == 1
    assert frame.locator(".fl-city", has_text="Mosul").count() >= 1  # city labels with no tile server
    assert not page.console_errors, page.console_errors
    assert not page.blocked, page.blocked


def test_slider_changes_date_and_territory_without_remounting_the_map(app_url, page):
    frame = _open(page, app_url + "/?date=2015-06-01", "2015-06-01")
    page.wait_for_timeout(800)
    iframe = page.locator(FRAME).element_handle()
    before = _map_counts(frame)
    _slider(page).focus()
    page.keyboard.press("End")
    frame.locator('#fl-date-label[data-date="2019-03-23"]').wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    after = _map_counts(frame)
    _shot(page, "slider-2019-03-23")
    assert after["sig"] != before["sig"]  # the territory changed
    assert page.evaluate("([a, sel]) => a === document.querySelector(sel)", [iframe, FRAME])  # no remount
    page.wait_for_function("() => location.search.includes('date=2019-03-23')", timeout=10_000)
    assert not page.console_errors, page.console_errors


def test_link_carries_date_and_filters_and_reopening_it_restores_the_view(app_url, page, browser):
    frame = _open(page, app_url + "/?date=2016-08-12&country=SY", "2016-08-12")
    _slider(page).focus()
    page.keyboard.press("ArrowRight")
    frame.locator('#fl-date-label[data-date="2016-08-13"]').wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('date=2016-08-13')", timeout=10_000)
    link = page.url
    assert "country=SY" in link
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        frame2 = _open(other, link, "2016-08-13")
        assert frame2.locator("#fl-date-label").inner_text() == "13 August 2016"
        assert other.locator("[data-testid=stSidebar]").get_by_text("Syria").count() >= 1
        _shot(other, "reopened-link")
    finally:
        other.context.close()


def test_a_milestone_is_chosen_from_the_keyboard_without_remounting_the_map(app_url, page):
    """The choices open as popovers (drawn only while open): Tab to one, Enter opens it, arrows pick."""
    frame = _open(page, app_url + "/?date=2015-06-01", "2015-06-01")
    page.wait_for_timeout(800)
    iframe = page.locator(FRAME).element_handle()
    assert page.get_by_role("radio").count() == 0  # no popover's widgets drawn while closed
    page.get_by_role("button", name="Jump to a milestone").focus()
    page.keyboard.press("Enter")  # opens the popover, and its script puts the focus on its first choice
    page.get_by_role("radio").first.wait_for(timeout=10_000)
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'radio'", timeout=10_000)
    page.keyboard.press("ArrowDown")  # the second milestone: the fall of Mosul, 10 June 2014
    frame.locator('#fl-date-label[data-date="2014-06-10"]').wait_for(timeout=30_000)
    _shot(page, "milestone-from-the-keyboard")
    page.keyboard.press("Escape")  # closes it, and the focus goes back to its button
    page.wait_for_function("() => document.activeElement && document.activeElement.dataset.testid === 'stPopoverButton'",
                           timeout=10_000)
    page.keyboard.press("Enter")  # open again: the focus goes to the chosen milestone, so the next is one step on
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'radio' "
                           "&& document.activeElement.checked", timeout=10_000)
    page.keyboard.press("ArrowDown")  # the proclamation of the caliphate, 29 June 2014
    frame.locator('#fl-date-label[data-date="2014-06-29"]').wait_for(timeout=30_000)
    assert page.evaluate("([a, sel]) => a === document.querySelector(sel)", [iframe, FRAME])  # no remount
    assert not page.console_errors, page.console_errors


def test_unknown_date_in_link_falls_back_with_a_notice(app_url, page):
    _open(page, app_url + "/?date=2031-01-01&type=bogus", "2015-06-01")
    notice = page.get_by_text(re.compile(r"Ignored date=2031-01-01 in the link"))
    notice.wait_for(timeout=10_000)
    assert page.get_by_text(re.compile(r"Ignored type=bogus in the link: not a known code")).count() == 1
    _shot(page, "bad-link")


def test_play_animates_the_date_without_remounting(app_url, page):
    frame = _open(page, app_url + "/?date=2014-06-01", "2014-06-01")
    iframe = page.locator(FRAME).element_handle()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("""(sel) => { const f = document.querySelector(sel);
        const el = f && f.contentDocument.getElementById("fl-date-label");
        return el && el.getAttribute("data-date") >= "2014-06-15"; }""", arg=FRAME, timeout=30_000)  # 2 weekly steps
    page.get_by_role("button", name="Pause").click()
    _shot(page, "playing")
    assert page.evaluate("([a, sel]) => a === document.querySelector(sel)", [iframe, FRAME])
    assert not page.console_errors, page.console_errors


def test_popup_shows_hostile_text_escaped_and_bad_rows_in_a_banner(fixture_app_url, page):
    frame = _open(page, fixture_app_url + "/?date=2015-06-01", "2015-06-01")
    page.get_by_text("The data files have 1 problem(s)").wait_for(timeout=10_000)
    popup_text = frame.locator(".leaflet-container").evaluate("() => window.FL.openEvent('Hostile').then(r => r.text)")
    _shot(page, "escaped-popup")
    assert "<script>window.__xss=1</script>" in popup_text
    assert '<img src=x onerror="window.__xss=2">' in popup_text
    assert "<b>Evil source</b>" in popup_text
    assert frame.locator(".leaflet-popup-content a").evaluate_all("els => els.map(a => a.href)") == [
        "https://example.org/a?b=1&c=2"]
    assert frame.locator("body").evaluate("() => window.__xss === undefined")
    assert page.get_by_text(re.compile(r"expected a decimal number, found 'not-a-number'")).count() >= 1


@pytest.fixture(scope="module")
def imports_app_url(tmp_path_factory):
    """The dashboard with the UCDP fixture sample imported into its own imports folder."""
    from frontline.intake import importers

    folder = tmp_path_factory.mktemp("imports")
    table, _ = importers.import_file(FIXTURES / "intake" / "ucdp_ged_sample.csv", "ucdp")
    importers.write_parquet(table, folder / "ucdp_sample.parquet")
    proc, url = start_app(env={"FRONTLINE_IMPORTS_DIR": str(folder)})
    yield url
    proc.terminate()
    proc.wait(10)


def _overlay_drawn(page) -> int:
    return page.locator(FRAME).evaluate("f => f.contentWindow.FL.drawn().overlay")


def test_imported_events_overlay_draws_its_events_over_the_territory(imports_app_url, page):
    frame = _open(page, imports_app_url + "/?date=2016-01-05", "2016-01-05")
    iframe = page.locator(FRAME).element_handle()
    sidebar = page.get_by_test_id("stSidebar")
    page.wait_for_timeout(800)  # let the first run's follow-up rerun (the map reporting its view) settle
    sidebar.get_by_text("Imported events overlay").click()  # a popover: its widgets appear over the page
    chooser = page.get_by_role("combobox", name="Imported file")
    chooser.click()
    page.keyboard.type("ucdp_sample")
    page.keyboard.press("Enter")
    # the three ISIS events of the 30 days up to the date: few, so drawn one by one (two share a point)
    page.wait_for_function("(sel) => document.querySelector(sel).contentWindow.FL.drawn().overlay === 3", arg=FRAME,
                           timeout=30_000)
    page.wait_for_timeout(300)
    _shot(page, "overlay-points")
    assert page.evaluate("([a, sel]) => a === document.querySelector(sel)", [iframe, FRAME])  # no remount
    assert _map_counts(frame)["polygons"] >= 2  # the territory is still drawn under it
    frame.locator(".leaflet-control-layers").hover()
    assert frame.locator(".leaflet-control-layers-overlays", has_text="Imported events").count() == 1

    page.get_by_text("heat map").click()
    frame.locator("canvas.leaflet-heatmap-layer").wait_for(timeout=30_000)
    assert _overlay_drawn(page) == 1  # one heat layer instead of the points
    _shot(page, "overlay-heat")
    assert not page.console_errors, page.console_errors
    assert not page.blocked, page.blocked


def test_a_layer_switched_off_stays_off_when_the_date_moves(app_url, page):
    frame = _open(page, app_url + "/?date=2016-05-01", "2016-05-01")
    page.wait_for_timeout(800)
    frame.locator(".leaflet-control-layers").hover()
    events_box = frame.locator(".leaflet-control-layers-overlays label", has_text="Events").locator("input")
    events_box.uncheck()
    assert _map_counts(frame)["markers"] == 0
    _slider(page).focus()
    page.keyboard.press("ArrowRight")
    frame.locator('#fl-date-label[data-date="2016-05-02"]').wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    counts = _map_counts(frame)
    frame.locator(".leaflet-control-layers").hover()
    _shot(page, "events-layer-off")
    assert counts["markers"] == 0 and counts["polygons"] >= 2, counts  # still off; the territory still on
    assert not events_box.is_checked()
    events_box.check()  # and switched back on, it stays on
    _slider(page).focus()
    page.keyboard.press("ArrowRight")
    frame.locator('#fl-date-label[data-date="2016-05-03"]').wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    assert _map_counts(frame)["markers"] >= 1
    assert not page.console_errors, page.console_errors


def test_markdown_in_a_link_never_fetches_a_beacon_or_shows_a_link(app_url, page):
    from urllib.parse import quote

    _open(page, app_url + "/?date=" + quote("![b](http://host.example/beacon.png)")
          + "&zoom=inf&lat=36&lon=40&q=" + quote("[Re-login here](http://evil.example/)"), "2015-06-01")
    page.get_by_text(re.compile("Ignored date=!\\[b\\]\\(http:\u200b?//host\\.example/beacon\\.png\\) in the link")).wait_for(
        timeout=10_000)
    page.wait_for_timeout(500)
    assert not [u for u in page.blocked if "host.example" in u or "evil.example" in u]
    assert page.locator("img[src*='beacon']").count() == 0
    assert page.locator("a[href*='evil.example']").count() == 0
    _shot(page, "hostile-link")


def test_export_this_view_makes_a_slide_of_the_zoomed_map(app_url, page):
    """As a new user: zoom the map to Mosul on 1 March 2017, press "Export this view", build the PNG."""
    from PIL import Image

    _open(page, app_url + "/?date=2017-03-01", "2017-03-01")
    leaflet = next(f for f in page.frames if f.evaluate("() => !!document.querySelector('.leaflet-container')"))
    leaflet.evaluate("() => { window[Object.keys(window).find(k => /^map_/.test(k) && window[k] && window[k].setView)]"
                     ".setView([36.34, 43.12], 10); return null; }")
    # the map reports its view and the page reruns to keep it (the date panel shows the same date again)
    page.wait_for_timeout(3000)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=60_000)
    page.wait_for_timeout(2000)
    page.get_by_role("button", name="Export this view").click()
    page.get_by_text("Briefing exports").wait_for(timeout=60_000)
    page.get_by_text("The map's view at zoom 10").wait_for(timeout=30_000)
    page.get_by_role("button", name="Build the PNG").click()
    download = page.get_by_role("button", name=re.compile(r"^Download frontline-20170301\.png"))
    download.wait_for(timeout=120_000)
    with page.expect_download() as got:
        download.click()
    path = got.value.path()
    with Image.open(path) as img:
        assert img.size == (1920, 1080)
    _shot(page, "export-this-view")
