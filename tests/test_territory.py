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
from frontline.territory import (CONTESTED, OUTER_REACH_KM, REACH_KM, TERRITORY_CLASSES, UNASSIGNED, Snapshot,
                                 TerritoryError, TerritoryModel)

GEOD = pyproj.Geod(ellps="WGS84")
FIXTURE_DATES = ["2014-01-01", "2014-06-10", "2014-10-01", "2015-06-01", "2016-11-01", "2017-10-20", "2019-03-23"]
#: tests/fixtures/territory/: Rutba in the Anbar desert and the places around it. ISIS takes Rutba
#: alone, then its Iraqi neighbours, then Abu Kamal across the border; then Haditha is contested and retaken.
RING_DATES = ["2014-01-01", "2014-06-21", "2014-06-22", "2014-07-01", "2014-07-03", "2014-09-01", "2014-10-01"]


@pytest.fixture(scope="module")
def fixture_data():
    from tests.conftest import FIXTURES

    return load(FIXTURES / "events.csv", FIXTURES / "places.csv")


@pytest.fixture(scope="module")
def model(fixture_data):
    return TerritoryModel(fixture_data.places, fixture_data.events)


@pytest.fixture(scope="module")
def ring_data():
    from tests.conftest import FIXTURES

    return load(FIXTURES / "territory" / "events.csv", FIXTURES / "territory" / "places.csv")


@pytest.fixture(scope="module")
def ring_model(ring_data):
    return TerritoryModel(ring_data.places, ring_data.events)


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


@pytest.mark.parametrize("which, day", [("model", d) for d in FIXTURE_DATES] + [("ring_model", d) for d in RING_DATES])
def test_polygons_of_a_date_are_valid(request, which, day):
    model = request.getfixturevalue(which)
    snap = model.snapshot(day)
    assert set(snap.geometries) == set(TERRITORY_CLASSES)
    for cls, geom in snap.geometries.items():
        assert shapely.is_valid(geom), (cls, shapely.is_valid_reason(geom))


@pytest.mark.parametrize("which, day", [("model", d) for d in FIXTURE_DATES] + [("ring_model", d) for d in RING_DATES])
def test_polygons_of_a_date_do_not_overlap(request, which, day):
    model = request.getfixturevalue(which)
    geoms = [g for g in model.snapshot(day).geometries.values() if not g.is_empty]
    total = sum(g.area for g in geoms)
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            assert shapely.intersection(a, b).area < 1e-9 * total


@pytest.mark.parametrize("which, day", [("model", d) for d in FIXTURE_DATES] + [("ring_model", d) for d in RING_DATES])
def test_polygons_of_a_date_cover_both_countries(request, which, day):
    model = request.getfixturevalue(which)
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


def _point_km(lat: float, lon: float, azimuth: float, km: float) -> shapely.Point:
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, km * 1000)
    return shapely.Point(lon2, lat2)


def _km(point: shapely.Point, places: pd.DataFrame) -> pd.Series:
    """Geodesic distance (km) from ``point`` to every place, by place_id."""
    n = len(places)
    _, _, d = GEOD.inv([point.x] * n, [point.y] * n, places["lon"].to_list(), places["lat"].to_list())
    return pd.Series(d, index=places["place_id"]) / 1000


def _class_at(snap: Snapshot, point: shapely.Point) -> str:
    held = [cls for cls, geom in snap.geometries.items() if geom.contains(point)]
    assert len(held) == 1, held
    return held[0]


def test_neighbours_are_the_places_whose_cells_touch_also_across_the_border(ring_model):
    assert ring_model.neighbours_of("rutba") == ["abu-kamal", "al-qaim", "al-walid", "haditha", "nukhayb"]
    assert "rutba" in ring_model.neighbours_of("abu-kamal")  # symmetric, and across the Syria-Iraq border
    assert "baghdad" not in ring_model.neighbours_of("rutba")  # Haditha, Ramadi and Nukhayb lie between


def test_neighbours_of_an_unknown_place_is_refused(ring_model):
    with pytest.raises(TerritoryError, match=r"^unknown place 'atlantis'; use a place_id from places.csv$"):
        ring_model.neighbours_of("atlantis")


@pytest.mark.parametrize("day, expected", [
    ("2014-01-01", UNASSIGNED),  # Abu Kamal, across the border, is held by the Syrian government
    ("2014-06-21", UNASSIGNED),  # Rutba alone among government towns
    ("2014-06-22", UNASSIGNED),  # Haditha still held by the government
    ("2014-07-01", UNASSIGNED),  # every Iraqi neighbour is ISIS's, Abu Kamal across the border is not
    ("2014-07-03", "ISIS"),      # the place and every neighbour ISIS's: the ring is behind ISIS's lines
    ("2014-09-01", UNASSIGNED),  # a neighbour (Haditha) is contested
    ("2014-10-01", UNASSIGNED),  # a neighbour (Haditha) is held by the other side: a front line
])
def test_ring_beyond_the_reach_is_held_only_when_every_neighbour_has_the_same_holder(ring_model, ring_data, day,
                                                                                     expected):
    rutba = ring_data.places.set_index("place_id").loc["rutba"]
    ring_point = _point_km(rutba["lat"], rutba["lon"], 90, 60)  # 60 km east of Rutba, in its cell
    km = _km(ring_point, ring_data.places)
    assert km.idxmin() == "rutba" and REACH_KM["town"] < km["rutba"] < OUTER_REACH_KM
    snap = ring_model.snapshot(day)
    assert _class_at(snap, ring_point) == expected
    core_point = _point_km(rutba["lat"], rutba["lon"], 90, 20)
    assert _class_at(snap, core_point) == ("ISIS" if day >= "2014-06-21" else "IRAQI_GOVERNMENT")


def test_lone_town_among_enemies_holds_only_its_reach(ring_model, ring_data):
    snap = ring_model.snapshot("2014-06-21")
    assert _areas(snap)["ISIS"] <= math.pi * REACH_KM["town"] ** 2
    rutba = ring_data.places[ring_data.places["place_id"] == "rutba"]
    farthest = max(_km(shapely.Point(x, y), rutba)["rutba"] for x, y in shapely.get_coordinates(snap.geometries["ISIS"]))
    assert REACH_KM["town"] - 1 < farthest < REACH_KM["town"] + 1


def test_place_with_no_neighbour_at_all_holds_only_its_reach(ring_data):
    alone = ring_data.places[ring_data.places["place_id"] == "rutba"]
    model = TerritoryModel(alone, ring_data.events[ring_data.events["place_id"] == "rutba"])
    assert model.neighbours_of("rutba") == []
    assert 0.9 * math.pi * REACH_KM["town"] ** 2 < _areas(model.snapshot("2014-07-03"))["ISIS"] \
        <= math.pi * REACH_KM["town"] ** 2


@pytest.mark.parametrize("day", RING_DATES)
def test_no_land_farther_than_the_outer_reach_from_its_holders_places_is_held(ring_model, ring_data, day):
    snap = ring_model.snapshot(day)
    holders = ring_model.timeline.control_at(day).set_index("place_id")["controller"]
    for cls in vocab.CONTROLLERS:
        places = ring_data.places[ring_data.places["place_id"].map(holders) == cls]
        for x, y in shapely.get_coordinates(snap.geometries[cls]):
            assert _km(shapely.Point(x, y), places).min() < OUTER_REACH_KM + 1, (cls, x, y)


def test_ring_held_behind_the_lines_adds_to_the_holders_area(ring_model):
    before, after = _areas(ring_model.snapshot("2014-07-01")), _areas(ring_model.snapshot("2014-07-03"))
    abu_kamal_core = math.pi * REACH_KM["city"] ** 2
    assert after["ISIS"] - before["ISIS"] > 2 * abu_kamal_core  # more than Abu Kamal's own core: the rings
    assert after[UNASSIGNED] < before[UNASSIGNED]


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
