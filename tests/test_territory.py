"""Zones of control: valid, non-overlapping polygons covering both countries; believable areas."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pyproj
import pytest
import shapely

from frontline import config, vocab
from frontline.cli import main
from frontline.data import load
from frontline.errors import DateError
from frontline.territory import (CONTESTED, REACH_KM, TERRITORY_CLASSES, UNASSIGNED, Snapshot,
                                 TerritoryError, TerritoryModel)

GEOD = pyproj.Geod(ellps="WGS84")
FIXTURE_DATES = ["2014-01-01", "2014-06-10", "2014-10-01", "2015-06-01", "2016-11-01", "2017-10-20", "2019-03-23"]


@pytest.fixture(scope="module")
def fixture_data():
    from tests.conftest import FIXTURES

    return load(FIXTURES / "events.csv", FIXTURES / "places.csv")


@pytest.fixture(scope="module")
def model(fixture_data):
    return TerritoryModel(fixture_data.places, fixture_data.events)


@pytest.fixture(scope="module")
def real_model():
    ds = load(config.EVENTS_PATH, config.PLACES_PATH)
    return TerritoryModel(ds.places, ds.events)


def _published_country_km2() -> float:
    """Syria + Iraq as Natural Earth states it (geodesic), independent of our projection."""
    countries = json.loads((config.BASEMAP_DIR / "ne_10m_admin0_region.geojson").read_text(encoding="utf-8"))
    return sum(f["properties"]["area_km2_geodesic"] for f in countries["features"]
               if f["properties"]["adm0_a3"] in ("SYR", "IRQ"))


def _areas(snap: Snapshot) -> pd.Series:
    return snap.areas.set_index("controller")["area_km2"]


@pytest.mark.parametrize("day", FIXTURE_DATES)
def test_polygons_of_a_date_are_valid(model, day):
    snap = model.snapshot(day)
    assert set(snap.geometries) == set(TERRITORY_CLASSES)
    for cls, geom in snap.geometries.items():
        assert shapely.is_valid(geom), (cls, shapely.is_valid_reason(geom))


@pytest.mark.parametrize("day", FIXTURE_DATES)
def test_polygons_of_a_date_do_not_overlap(model, day):
    geoms = [g for g in model.snapshot(day).geometries.values() if not g.is_empty]
    total = sum(g.area for g in geoms)
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            assert shapely.intersection(a, b).area < 1e-9 * total


@pytest.mark.parametrize("day", FIXTURE_DATES)
def test_polygons_of_a_date_cover_both_countries(model, day):
    snap = model.snapshot(day)
    geodesic = sum(abs(GEOD.geometry_area_perimeter(g)[0]) for g in snap.geometries.values() if not g.is_empty) / 1e6
    published = _published_country_km2()
    assert abs(geodesic - published) < 0.002 * published
    assert abs(snap.areas["area_km2"].sum() - published) < 0.002 * published


def test_equal_area_projection_agrees_with_geodesic_area(model):
    snap = model.snapshot("2015-06-01")
    for cls, geom in snap.geometries.items():
        geodesic = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6 if not geom.is_empty else 0.0
        assert _areas(snap)[cls] == pytest.approx(geodesic, rel=0.005, abs=1.0)


def test_areas_have_one_row_per_controller_plus_contested_and_unassigned_also_when_zero(model):
    areas = model.snapshot("2014-01-01").areas
    assert list(areas.columns) == ["controller", "area_km2", "places", "population"]
    assert list(areas["controller"]) == [*vocab.CONTROLLERS, CONTESTED, UNASSIGNED]
    assert areas.set_index("controller").loc["ISIS", "area_km2"] == 0


def test_lone_desert_town_claims_no_more_than_its_reach(model):
    palmyra = model.snapshot("2015-05-21")
    before = model.snapshot("2015-05-20")
    gained = _areas(palmyra)["ISIS"] - _areas(before)["ISIS"]
    reach = math.pi * REACH_KM["town"] ** 2
    assert 0.9 * reach < gained <= reach
    assert _areas(palmyra)[UNASSIGNED] > 0.9 * _published_country_km2()


def test_place_under_siege_is_contested_not_held(model, fixture_data):
    kobani = fixture_data.places.set_index("place_id").loc["kobani"]
    point = shapely.Point(kobani["lon"], kobani["lat"])
    during, after = model.snapshot("2014-10-01"), model.snapshot("2015-01-26")
    assert _areas(during)[CONTESTED] > 0 and _areas(during)["SDF"] == 0
    assert during.geometries[CONTESTED].distance(point) < 0.05
    assert _areas(after)[CONTESTED] == 0 and _areas(after)["SDF"] > 0
    assert after.geometries["SDF"].distance(point) < 0.05


def test_population_under_control_sums_the_places_held(model, fixture_data):
    pop = fixture_data.places.set_index("place_id")["population"]
    held = model.snapshot("2014-06-10").areas.set_index("controller")
    assert held.loc["ISIS", "population"] == pop["raqqa"] + pop["mosul"]
    assert held.loc["ISIS", "places"] == 2
    assert held.loc[CONTESTED, "population"] == 0


def test_geojson_has_one_feature_per_class_with_its_properties(model):
    snap = model.snapshot("2016-11-01")
    gj = json.loads(json.dumps(snap.geojson))
    assert gj["type"] == "FeatureCollection"
    assert [f["properties"]["controller"] for f in gj["features"]] == list(TERRITORY_CLASSES)
    by_class = {f["properties"]["controller"]: f for f in gj["features"]}
    assert set(by_class["ISIS"]["properties"]) == {"controller", "label", "color", "area_km2", "population", "places"}
    assert by_class["ISIS"]["properties"]["color"] == vocab.CONTROLLER_COLORS["ISIS"]
    assert by_class[CONTESTED]["properties"]["color"] == vocab.CONTESTED_COLOR
    assert by_class[CONTESTED]["properties"]["area_km2"] == _areas(snap)[CONTESTED] > 0
    assert by_class["KURDISH_PESHMERGA"]["geometry"] == {"type": "MultiPolygon", "coordinates": []}
    lons = [c[0] for f in gj["features"] for poly in f["geometry"]["coordinates"] for ring in poly for c in ring]
    assert 35 < min(lons) and max(lons) < 49


def test_snapshots_are_cached_per_change_date(model):
    a, b = model.snapshot("2015-06-01"), model.snapshot("2015-06-02")
    assert a.geojson is b.geojson and a.state_date == b.state_date == pd.Timestamp("2015-05-21")
    assert b.date == pd.Timestamp("2015-06-02")


def test_areas_are_stable_when_the_same_data_is_loaded_twice(fixture_data):
    from tests.conftest import FIXTURES

    again = load(FIXTURES / "events.csv", FIXTURES / "places.csv")
    first = TerritoryModel(fixture_data.places, fixture_data.events)
    second = TerritoryModel(again.places, again.events)
    pd.testing.assert_frame_equal(first.area_series(), second.area_series())
    assert first.snapshot("2015-06-01").geojson == second.snapshot("2015-06-01").geojson


def test_area_series_matches_snapshots(model):
    series = model.area_series()
    assert list(series.columns) == ["date", "controller", "area_km2", "population", "places"]
    assert len(series) == len(model.state_dates) * len(TERRITORY_CLASSES)
    on = series[series["date"] == pd.Timestamp("2016-10-17")].set_index("controller")
    assert on["area_km2"].to_dict() == _areas(model.snapshot("2016-10-17")).to_dict()


def test_date_outside_the_period_is_refused(model):
    with pytest.raises(DateError, match=r"^2013-12-31 is outside 2014-01-01..2019-12-31; choose a date"):
        model.snapshot("2013-12-31")


def test_missing_borders_say_where_to_restore_them(fixture_data, tmp_path):
    with pytest.raises(TerritoryError, match=r"cannot read the country borders in .*restore data/basemap/ from ../shared/data/"):
        TerritoryModel(fixture_data.places, fixture_data.events, basemap_dir=tmp_path)


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_area_command_prints_one_csv_row_per_class(fixture_paths, model):
    ev, pl = fixture_paths
    code, out, _ = _cli("area", "--date", "2015-06-01", "--events", str(ev), "--places", str(pl))
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["controller", "area_km2", "places", "population"]
    assert table.set_index("controller")["area_km2"].to_dict() == pytest.approx(_areas(model.snapshot("2015-06-01")).to_dict())


def test_territory_command_prints_geojson(fixture_paths):
    ev, pl = fixture_paths
    code, out, _ = _cli("territory", "--date", "2015-06-01", "--events", str(ev), "--places", str(pl))
    assert code == 0
    gj = json.loads(out)
    assert [f["properties"]["controller"] for f in gj["features"]] == list(TERRITORY_CLASSES)


def test_area_command_rejects_a_bad_date(fixture_paths):
    ev, pl = fixture_paths
    code, _, err = _cli("area", "--date", "2015-02-30", "--events", str(ev), "--places", str(pl))
    assert code == 1 and "'2015-02-30' is not a date; expected YYYY-MM-DD" in err


# -- the real history (data/) --------------------------------------------------------------

def test_real_isis_area_is_zero_after_baghouz(real_model):
    held = real_model.areas_on("2019-03-24").set_index("controller")
    assert held.loc["ISIS", "area_km2"] == 0, "places still held by ISIS: " + ", ".join(
        real_model.timeline.control_at("2019-03-24").query("controller == 'ISIS'")["place_id"])


def test_real_isis_area_rises_to_a_2014_2015_peak_then_falls_to_zero(real_model):
    series = real_model.area_series()
    isis = series[series["controller"] == "ISIS"].set_index("date")["area_km2"]
    peak_date = isis.idxmax()
    assert pd.Timestamp("2014-06-01") <= peak_date <= pd.Timestamp("2015-12-31")
    assert isis.max() > 2 * isis[isis.index <= pd.Timestamp("2014-01-01")].iloc[-1]
    assert isis[isis.index >= pd.Timestamp("2017-01-01")].max() < isis.max()
    assert isis[isis.index <= pd.Timestamp("2019-03-24")].iloc[-1] == 0


def test_real_polygons_of_a_date_are_valid_and_cover_both_countries(real_model):
    snap = real_model.snapshot("2015-06-01")
    assert all(shapely.is_valid(g) for g in snap.geometries.values())
    assert abs(snap.areas["area_km2"].sum() - _published_country_km2()) < 0.002 * _published_country_km2()


def test_real_geojson_of_a_date_is_small_enough_for_the_map(real_model):
    size = len(json.dumps(real_model.snapshot("2015-06-01").geojson, separators=(",", ":")))
    assert size < 300_000
