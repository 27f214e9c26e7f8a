"""The map's data path (issue #15): pieces that travel once, small per-date states, DuckDB overlays.

Unit tests on the fixture data, and browser tests on the real data that watch the websocket and the
requests while the slider moves.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from frontline.dataset.load import load
from frontline.errors import ImportFormatError
from frontline.history.atoms import SCALE, decode
from frontline.history.territory import TERRITORY_CLASSES, TerritoryModel
from frontline.intake.overlay_query import OverlayQuery, cell_degrees
from frontline.webmap import client, layers, overlay

from conftest import FIXTURES, open_map

FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LAEA = pyproj.Transformer.from_crs("EPSG:4326", "+proj=laea +lat_0=34.5 +lon_0=42 +datum=WGS84 +units=m +no_defs",
                                   always_xy=True)
DATES = ["2014-01-01", "2014-06-10", "2015-06-01", "2016-11-01", "2019-03-23"]


@pytest.fixture(scope="module")
def data():
    return load(FIXTURES / "events.csv", FIXTURES / "places.csv")


@pytest.fixture(scope="module")
def model(data):
    return TerritoryModel(data.places, data.events)


def _polygon(rings) -> shapely.Polygon:
    xy = [np.cumsum(np.asarray(r, dtype=float).reshape(-1, 2), axis=0) / SCALE for r in rings]  # lat, lon
    proj = [np.column_stack(LAEA.transform(p[:, 1], p[:, 0])) for p in xy]
    return shapely.Polygon(proj[0], proj[1:])


@pytest.mark.parametrize("day", DATES)
def test_atoms_and_a_dates_labels_give_the_same_areas_as_the_model(model, day):
    atoms = model.atoms()
    labels = model.labels_on(day)
    assert len(labels) == len(atoms.rings)
    area: dict[str, float] = {}
    for rings, ch in zip(atoms.rings, labels):
        cls, _, _ = decode(ch)
        area[TERRITORY_CLASSES[cls]] = area.get(TERRITORY_CLASSES[cls], 0.0) + sum(_polygon(r).area for r in rings) / 1e6
    expected = model.details_on(day).set_index("controller")["area_km2"]
    for cls, km2 in area.items():
        assert km2 == pytest.approx(expected[cls], rel=0.01, abs=5), cls


def test_atoms_are_fewer_than_faces_and_every_edge_joins_two_atoms_or_the_border(model):
    atoms = model.atoms()
    assert 0 < len(atoms.rings) < len(model._faces)
    n = len(atoms.rings)
    assert all(0 <= a < n and -1 <= b < n and a != b for a, b, _ in atoms.edges)
    assert all(len(line) >= 4 and len(line) % 2 == 0 for _, _, line in atoms.edges)


def test_a_dates_territory_state_is_a_few_kilobytes_and_names_the_atoms_file(model):
    group = client.territory_call("/app/static/data/territory-x.json", model.labels_on("2015-06-01"),
                                  model.details_on("2015-06-01"))
    script = group.script("g")
    assert script.startswith("var g = L.featureGroup({});\nFL.territory(g, ")
    state = json.loads(script.split("FL.territory(g, ", 1)[1].rsplit(");", 1)[0])
    assert state["url"] == "/app/static/data/territory-x.json" and len(state["labels"]) == len(model.atoms().rings)
    assert {z["k"] for z in state["zones"]} <= set(TERRITORY_CLASSES)
    assert len(script.encode()) < 6_000


def test_state_json_cannot_close_a_script_or_open_a_comment_in_it():
    text = client.js_json({"tip": "</script><script>alert(1)</script> <!-- {{ 7*7 }}"})
    assert "</" not in text and "<!--" not in text  # what would end the script, or open a comment in it
    assert json.loads(text)["tip"] == "</script><script>alert(1)</script> <!-- {{ 7*7 }}"


def test_filter_mask_keeps_exactly_the_filtered_events():
    ids = np.array([f"SY-{i:04d}" for i in range(13)], dtype=object)
    kept = ids[[0, 3, 4, 12]]
    mask = client.filter_mask(ids, kept)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), dtype=np.uint8))[:len(ids)]
    assert ids[bits.astype(bool)].tolist() == kept.tolist()
    assert client.filter_mask(ids, ids) is None  # everything kept: nothing to send


def test_events_file_holds_every_event_once_and_popups_apart(data, tmp_path):
    points = layers.event_points(data.events, data.places)
    payload = client.events_payload(points, tmp_path, "/s")
    assert len(payload["rows"]) == len(data.events)
    assert [r[3] for r in payload["rows"]] == sorted(r[3] for r in payload["rows"])  # by day
    popups = json.loads((tmp_path / payload["popups"][0].rsplit("/", 1)[1]).read_text())
    assert popups == points["popup"].tolist()
    assert "<script" not in json.dumps(payload) + json.dumps(popups)  # every text escaped


def test_publish_writes_a_content_once_and_prunes_old_versions(tmp_path):
    urls = [client.publish({"v": i}, "thing", tmp_path, "/s") for i in range(6)]
    assert len(set(urls)) == 6
    assert client.publish({"v": 5}, "thing", tmp_path, "/s") == urls[-1]
    assert len(list(tmp_path.glob("thing-*.json"))) == client.KEEP_VERSIONS + 1
    assert not list(tmp_path.glob(".*.tmp"))


def test_live_base_map_script_is_small_and_loads_its_basemap_from_a_file():
    import streamlit_folium as sf

    from frontline.webmap import base

    m = base.live_map()
    m.get_root().render()
    script = sf._get_map_string(m)
    assert len(script.encode()) < 8_000  # it travels with every rerun
    assert "FL.basemap(\"/app/static/data/basemap-" in script
    inline = base.base_map(online_tiles=False)  # exports keep the basemap inline
    inline.get_root().render()
    assert len(sf._get_map_string(inline).encode()) > 100_000


# --- imported events with DuckDB --------------------------------------------------------------

def _imported(tmp_path, n=2000, seed=3):
    rng = np.random.default_rng(seed)
    days = np.sort(rng.integers(0, 400, n))
    frame = pd.DataFrame({
        "source_dataset": "ucdp", "source_id": np.arange(n).astype(str),
        "date": (np.datetime64("2016-01-01") + days).astype("datetime64[ns]"),
        "lat": rng.uniform(33, 37, n).round(4), "lon": rng.uniform(36, 42, n).round(4), "place": "X <b>",
        "country": "SY", "event_type": "airstrike", "raw_type": "1", "actors": "IS", "fatalities": 1,
        "isis_party": rng.random(n) < 0.4, "source": "test"})
    path = tmp_path / "imp.parquet"
    frame.to_parquet(path, index=False)
    return path, frame


def test_overlay_query_returns_the_windows_rows_or_cells_that_add_up(tmp_path):
    path, frame = _imported(tmp_path)
    q = OverlayQuery(path)
    end, days = pd.Timestamp("2016-06-30"), 90
    in_window = frame[(frame["date"] > end - pd.Timedelta(days=days)) & (frame["date"] <= end)]
    few = q.window(end, days, max_points=10_000)
    assert few.total == len(in_window) and len(few.points) == len(in_window) and few.cells is None
    many = q.window(end, days, max_points=10, zoom=7)
    assert many.points is None and many.cells["n"].sum() == len(in_window)
    assert many.cell_deg == pytest.approx(cell_degrees(7))
    isis = q.window(end, days, isis_only=True, max_points=10_000)
    assert isis.total == int(in_window["isis_party"].sum())
    box = q.window(end, days, bbox=(34, 37, 35, 38), max_points=10_000)
    assert box.total == int(in_window["lat"].between(34, 35).mul(in_window["lon"].between(37, 38)).sum())
    assert "2,000 events" in q.describe()


def test_overlay_state_is_small_even_for_many_events_and_escapes_tooltips(tmp_path):
    path, _ = _imported(tmp_path, n=50_000)
    q = OverlayQuery(path)
    cells = overlay.overlay_call(q.window("2016-06-30", 365, zoom=6, max_points=overlay.MAX_POINTS), "cluster")
    assert cells.state["total"] > overlay.MAX_POINTS and cells.state["cells"] and not cells.state["points"]
    assert len(cells.script("g").encode()) < 30_000
    points = overlay.overlay_call(q.window("2016-01-03", 2, max_points=overlay.MAX_POINTS), "heat")
    assert points.state["points"] and all("&lt;b&gt;" in p[3] for p in points.state["points"])


def test_overlay_query_names_the_file_and_the_fix_for_a_table_without_its_columns(tmp_path):
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(bad)
    with pytest.raises(ImportFormatError, match=r"bad\.parquet: missing column\(s\) .*python -m frontline import"):
        OverlayQuery(bad)
    junk = tmp_path / "junk.parquet"
    junk.write_text("not parquet")
    with pytest.raises(ImportFormatError, match=r"junk\.parquet: not a readable Parquet file"):
        OverlayQuery(junk)


# --- in the browser ------------------------------------------------------------------------------

def _wire(page) -> list:
    frames: list = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(len(payload))))
    return frames


@pytest.mark.browser
def test_a_date_move_sends_only_the_dates_changes_and_fetches_nothing_again(app_url, page):
    frames = _wire(page)
    requests: list = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(app_url + "/?date=2016-01-01", wait_until="domcontentloaded")
    frame = page.frame_locator(FRAME)
    frame.locator('#fl-date-label[data-date="2016-01-01"]').wait_for(timeout=90_000)
    page.wait_for_function("""(sel) => { const w = document.querySelector(sel).contentWindow;
        return w.FL && w.FL.stats.territory >= 1 && w.FL.stats.events >= 1 && w.FL.stats.basemap; }""", arg=FRAME)
    page.wait_for_timeout(1500)
    fetched = [u for u in requests if "/app/static/data/" in u]
    assert len(fetched) == len(set(fetched)) >= 4  # client, basemap, territory, events (+ popups): once each
    iframe = page.locator(FRAME).element_handle()
    page.locator(FRAME).evaluate("f => { f.contentWindow.__firstMap = f.contentWindow.map; }")
    slider = page.locator("[data-testid=stMain]").get_by_role("slider").first
    slider.focus()
    sizes, n_requests = [], len(requests)
    for i in range(2, 8):
        before = sum(frames)
        page.keyboard.press("ArrowRight")
        frame.locator(f'#fl-date-label[data-date="2016-01-0{i}"]').wait_for(timeout=30_000)
        page.wait_for_timeout(400)
        sizes.append(sum(frames) - before)
    assert max(sizes) < 20_000, sizes  # issue #15: <= 20 KB per move (was 527 KB)
    assert not [u for u in requests[n_requests:] if "/app/static/" in u]  # nothing fetched again
    assert page.evaluate("([a, sel]) => a === document.querySelector(sel) && "
                         "document.querySelector(sel).contentWindow.map === document.querySelector(sel).contentWindow.__firstMap",
                         [iframe, FRAME])  # no remount
    assert not page.console_errors, page.console_errors


@pytest.mark.browser
def test_the_map_draws_each_dates_zones_with_the_models_figures(app_url, page):
    from frontline import config

    ds = load(config.EVENTS_PATH, config.PLACES_PATH)
    real = TerritoryModel(ds.places, ds.events)
    page.goto(app_url + "/?date=2015-05-25", wait_until="domcontentloaded")
    frame = page.frame_locator(FRAME)
    for day in ("2015-05-25", "2016-10-01", "2019-03-01"):
        if day != "2015-05-25":
            page.goto(app_url + f"/?date={day}", wait_until="domcontentloaded")
        frame.locator(f'#fl-date-label[data-date="{day}"]').wait_for(timeout=90_000)
        page.wait_for_timeout(500)
        drawn = sorted(page.locator(FRAME).evaluate("f => f.contentWindow.FL.drawn().polygons"))
        d = real.details_on(day).set_index("controller")
        expected = sorted(f"{c}:{d.loc[c, 'area_km2']:,.0f} km²" for c in d.index
                          if c not in ("UNASSIGNED",) and d.loc[c, "area_km2"] > 0)
        assert drawn == expected, day
        page.screenshot(path=f"test-artifacts/map-client-{day}.png")


@pytest.mark.browser
def test_quick_clicks_on_a_step_button_each_count(app_url, page):
    frame = open_map(page, app_url, "2016-03-01")
    button = page.get_by_role("button", name="day ›")
    for _ in range(10):
        button.click()
        page.wait_for_timeout(150)
    frame.locator('#fl-date-label[data-date="2016-03-11"]').wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # and no more than ten
    assert frame.locator("#fl-date-label").get_attribute("data-date") == "2016-03-11"


@pytest.mark.browser
def test_a_shared_links_view_is_where_the_map_opens_and_stays(app_url, page):
    open_map(page, app_url, "2017-03-01", "&lat=36.34&lon=43.12&zoom=10")
    for _ in range(6):  # the view holds while the page settles (no rerun takes the map back to the default)
        zoom, center = page.locator(FRAME).evaluate("f => [f.contentWindow.map.getZoom(), f.contentWindow.map.getCenter()]")
        assert zoom == 10 and abs(center["lat"] - 36.34) < 1e-3 and abs(center["lng"] - 43.12) < 1e-3
        page.wait_for_timeout(400)
    assert "zoom=10" in page.url


@pytest.mark.browser
def test_play_shows_every_step_once_in_order_and_eases_the_territory(app_url, page):
    open_map(page, app_url, "2014-06-01")
    page.locator(FRAME).evaluate("""f => { const w = f.contentWindow, el = f.contentDocument.getElementById("fl-date-label");
        w.__seen = []; new w.MutationObserver(() => w.__seen.push(el.getAttribute("data-date"))).observe(el, {attributes: true}); }""")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("""(sel) => { const w = document.querySelector(sel).contentWindow;
        return w.__seen.length && w.__seen[w.__seen.length - 1] >= "2014-08-31"; }""", arg=FRAME, timeout=60_000)
    page.get_by_role("button", name="Pause").click()
    seen = page.locator(FRAME).evaluate("f => f.contentWindow.__seen")
    days = [np.datetime64(d) for i, d in enumerate(seen) if i == 0 or d != seen[i - 1]]
    steps = np.diff(days).astype(int)
    assert len(steps) >= 8 and set(steps.tolist()) == {7}, seen  # a week a step: none skipped, none twice
    assert page.get_by_role("checkbox", name="Ease").is_checked()  # on by default
    assert page.locator(FRAME).evaluate("f => f.contentWindow.FL.stats.fades") > 0  # the territory cross-faded


def test_files_removed_while_the_app_runs_are_published_again():
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    files = [client.DATA_DIR / u.rsplit("/", 1)[-1] for u in args["js_links"] if "/app/static/data/" in u]
    files.append(client.DATA_DIR / args["feature_group"].split('"url":"/app/static/data/', 1)[1].split('"', 1)[0])
    for f in files:
        f.unlink()
    at.slider(key="fl_slider").set_value(at.slider(key="fl_slider").value + dt.timedelta(days=1)).run()
    assert not at.exception, at.exception
    assert all(f.exists() for f in files), [f.name for f in files if not f.exists()]


def test_map_style_sheet_has_no_template_delimiters():
    """The exports put the map's style in a folium header, which folium re-reads as a Jinja template."""
    from frontline.webmap import base

    css = base._map_css()
    assert ".fl-panel" in css and "#fl-panel" in css  # the figures panel's style travels in the sheet
    assert not any(d in css for d in ("{#", "{{", "{%")), "a Jinja delimiter in the map's CSS"
