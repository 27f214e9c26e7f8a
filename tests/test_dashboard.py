"""The dashboard: an AppTest smoke test, and the map drawing in a real browser with no internet."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ARTIFACTS, ROOT


def _map_args(at):
    comp = at.get("component_instance")
    assert comp, "the map component is missing"
    return json.loads(comp[0].proto.json_args)


def test_dashboard_renders_slider_and_map_without_exceptions():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.slider(key="date").value.isoformat() == "2015-06-01"
    args = _map_args(at)
    assert "/app/static/vendor/leaflet/leaflet.js" in args["js_links"]
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])


def test_moving_the_slider_changes_only_the_layers():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    before = _map_args(at)
    at.slider(key="date").set_value(__import__("datetime").date(2018, 1, 1)).run()
    after = _map_args(at)
    assert before["script"] == after["script"]  # the base map is constant: no remount
    assert before["feature_group"] != after["feature_group"]


@pytest.mark.browser
def test_map_draws_offline_in_chromium(app_url, page):
    page.goto(app_url, wait_until="domcontentloaded")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    container = frame.locator(".leaflet-container")
    container.wait_for(timeout=60_000)
    # the places layer is drawn once the feature group has been added to the Leaflet map
    container.evaluate("""(el) => new Promise((ok, fail) => {
        const t0 = Date.now();
        (function poll() {
            if (window.feature_group && window.feature_group.length) return ok();
            if (Date.now() - t0 > 30000) return fail("no feature group");
            setTimeout(poll, 100);
        })();
    })""")
    n_points = container.evaluate("""() => { let n = 0;
        window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }""")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-offline.png"))
    assert n_points >= 5
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert not page.blocked, page.blocked  # nothing tried to leave the machine
