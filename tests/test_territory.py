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
from frontline.dataset.load import load
from frontline.errors import DateError
from frontline.history.landmodel import CORRIDOR_HALF_WIDTH_KM, load_routes, missing_places
from frontline.history.territory import (CONTESTED, DETAIL_COLUMNS, INFERRED, OUTER_REACH_KM, REACH_KM, TERRITORY_CLASSES,
                                 UNASSIGNED, Snapshot, TerritoryError, TerritoryModel)

GEOD = pyproj.Geod(ellps="WGS84")
FIXTURE_DATES = ["2014-01-01", "2014-06-10", "2014-10-01", "2015-06-01", "2016-11-01", "2017-10-20", "2019-03-23"]
#: tests/fixtures/territory/: Rutba in the Anbar desert and the places around it. ISIS takes Rutba
#: alone, then its Iraqi neighbours, then Abu Kamal across the border; then Haditha is contested and retaken.
#: The fixture models use one road, Ramadi-Rutba-al-Walid, and no governorate totals.
ROAD = pd.DataFrame({"route_id": ["ramadi-rutba"], "name": ["Ramadi-Rutba-al-Walid"],
                     "place_ids": [["ramadi", "rutba", "al-walid"]], "source": ["test"], "notes": [""]})
NO_ROADS = ROAD.iloc[:0]
NO_TOTALS = pd.DataFrame({"country": [], "admin1": [], "population": [], "year": [], "source": [], "notes": []})
RING_DATES = ["2014-01-01", "2014-06-21", "2014-06-22", "2014-07-01", "2014-07-03", "2014-09-01", "2014-10-01"]


@pytest.fixture(scope="module")
def fixture_data():
    from tests.conftest import FIXTURES

    return load(FIXTURES / "events.csv", FIXTURES / "places.csv")


@pytest.fixture(scope="module")
def model(fixture_data):
    return TerritoryModel(fixture_data.places, fixture_data.events, routes=NO_ROADS, admin_population=NO_TOTALS)


@pytest.fixture(scope="module")
def ring_data():
    from tests.conftest import FIXTURES

    return load(FIXTURES / "territory" / "events.csv", FIXTURES / "territory" / "places.csv")


@pytest.fixture(scope="module")
def ring_model(ring_data):
    return TerritoryModel(ring_data.places, ring_data.events, routes=ROAD, admin_population=NO_TOTALS)


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
    for f in snap.geojson["features"] + snap.overlays["features"]:
        assert shapely.is_valid(shapely.geometry.shape(f["geometry"])), f["properties"]


def _held(snap: Snapshot) -> list:
    return [g for c, g in snap.geometries.items() if c != CONTESTED and not g.is_empty]


@pytest.mark.parametrize("which, day", [("model", d) for d in FIXTURE_DATES] + [("ring_model", d) for d in RING_DATES])
def test_polygons_of_a_date_do_not_overlap_except_the_contested_overlay(request, which, day):
    model = request.getfixturevalue(which)
    snap = model.snapshot(day)
    geoms = _held(snap)
    total = sum(g.area for g in geoms)
    for i, a in enumerate(geoms):
        for b in geoms[i + 1:]:
            assert shapely.intersection(a, b).area < 1e-9 * total
    held = shapely.union_all([g for c, g in snap.geometries.items() if c in vocab.CONTROLLERS])
    assert shapely.difference(snap.contested, held).area < 1e-9 * total  # contested land is on its holder's


@pytest.mark.parametrize("which, day", [("model", d) for d in FIXTURE_DATES] + [("ring_model", d) for d in RING_DATES])
def test_polygons_of_a_date_cover_both_countries(request, which, day):
    model = request.getfixturevalue(which)
    snap = model.snapshot(day)
    geodesic = sum(abs(GEOD.geometry_area_perimeter(g)[0]) for g in _held(snap)) / 1e6
    published = _published_country_km2()
    assert abs(geodesic - published) < 0.002 * published
    partition = snap.areas[snap.areas["controller"] != CONTESTED]
    assert abs(partition["area_km2"].sum() - published) < 0.002 * published


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
    held = [cls for cls, geom in snap.geometries.items() if cls != CONTESTED and geom.contains(point)]
    assert len(held) == 1, held
    return held[0]


def _inferred_at(snap: Snapshot, point: shapely.Point) -> bool:
    return any(g.contains(point) for g in snap.inferred.values())


def test_neighbours_are_the_places_whose_cells_touch_also_across_the_border(ring_model):
    assert ring_model.neighbours_of("rutba") == ["abu-kamal", "al-qaim", "al-walid", "haditha", "nukhayb"]
    assert "rutba" in ring_model.neighbours_of("abu-kamal")  # symmetric, and across the Syria-Iraq border
    assert "baghdad" not in ring_model.neighbours_of("rutba")  # Haditha, Ramadi and Nukhayb lie between


def test_neighbours_of_an_unknown_place_is_refused(ring_model):
    with pytest.raises(TerritoryError, match=r"^unknown place 'atlantis'; use a place_id from places.csv$"):
        ring_model.neighbours_of("atlantis")


def _middle(places: pd.DataFrame, ids) -> shapely.Point:
    """The centroid of the triangle between three places (lon/lat)."""
    p = places.set_index("place_id").loc[list(ids)]
    return shapely.Point(p["lon"].mean(), p["lat"].mean())


@pytest.mark.parametrize("day, expected", [
    ("2014-06-22", UNASSIGNED),  # al-Qaim is ISIS's; Haditha and Abu Kamal are not
    ("2014-07-01", UNASSIGNED),  # Haditha too, but Abu Kamal across the border is the Syrian government's
    ("2014-07-03", "ISIS"),      # all three ISIS's: the land between them is ISIS's support zone
    ("2014-09-01", "ISIS"),      # Haditha under offensive is still ISIS's until it changes hands
    ("2014-10-01", UNASSIGNED),  # Haditha retaken: a front line, nobody's
])
def test_land_enclosed_by_three_places_of_one_side_is_theirs_and_inferred(ring_model, ring_data, day, expected):
    point = _middle(ring_data.places, ["al-qaim", "abu-kamal", "haditha"])
    km = _km(point, ring_data.places)
    assert km["abu-kamal"] > REACH_KM["city"] and km["al-qaim"] > REACH_KM["town"] and km.min() < OUTER_REACH_KM
    snap = ring_model.snapshot(day)
    assert _class_at(snap, point) == expected
    assert _inferred_at(snap, point) == (expected != UNASSIGNED)


@pytest.mark.parametrize("day, expected", [
    ("2014-06-21", UNASSIGNED),  # Rutba ISIS's, al-Walid still the government's
    ("2014-06-22", "ISIS"),      # both ends ISIS's: the road between them is
    ("2014-10-01", "ISIS"),
])
def test_road_between_two_places_of_one_side_is_theirs_and_inferred(ring_model, ring_data, day, expected):
    places = ring_data.places.set_index("place_id")
    a, b = places.loc["rutba"], places.loc["al-walid"]
    point = shapely.Point((a["lon"] + b["lon"]) / 2, (a["lat"] + b["lat"]) / 2)  # on the road, far from both
    km = _km(point, ring_data.places)
    assert km["rutba"] > REACH_KM["town"] and km["al-walid"] > REACH_KM["site"]
    snap = ring_model.snapshot(day)
    assert _class_at(snap, point) == expected
    assert _inferred_at(snap, point) == (expected != UNASSIGNED)
    core = _point_km(ring_data.places.set_index("place_id").loc["rutba", "lat"],
                     ring_data.places.set_index("place_id").loc["rutba", "lon"], 90, REACH_KM["town"] / 2)
    assert _class_at(snap, core) == "ISIS" and not _inferred_at(snap, core)  # land around a held place
    off_road = _point_km(point.y, point.x, 0, CORRIDOR_HALF_WIDTH_KM + 15)
    assert _class_at(snap, off_road) == UNASSIGNED


def test_route_through_a_place_not_in_the_gazetteer_skips_it(ring_data, ring_model):
    road = ROAD.assign(place_ids=[["ramadi", "atlantis", "rutba", "al-walid", "nowhere"]])
    model = TerritoryModel(ring_data.places, ring_data.events, routes=road, admin_population=NO_TOTALS)
    assert model.snapshot("2014-06-22").areas.equals(ring_model.snapshot("2014-06-22").areas)
    assert missing_places(road, ring_data.places["place_id"]) == [("ramadi-rutba", "atlantis"),
                                                                   ("ramadi-rutba", "nowhere")]


def test_lone_town_among_enemies_holds_only_its_reach(ring_model, ring_data):
    snap = ring_model.snapshot("2014-06-21")
    assert _areas(snap)["ISIS"] <= math.pi * REACH_KM["town"] ** 2
    rutba = ring_data.places[ring_data.places["place_id"] == "rutba"]
    farthest = max(_km(shapely.Point(x, y), rutba)["rutba"] for x, y in shapely.get_coordinates(snap.geometries["ISIS"]))
    assert REACH_KM["town"] - 1 < farthest < REACH_KM["town"] + 1


def test_place_with_no_neighbour_at_all_holds_only_its_reach(ring_data):
    alone = ring_data.places[ring_data.places["place_id"] == "rutba"]
    model = TerritoryModel(alone, ring_data.events[ring_data.events["place_id"] == "rutba"], routes=ROAD,
                           admin_population=NO_TOTALS)
    assert model.neighbours_of("rutba") == []
    assert 0.9 * math.pi * REACH_KM["town"] ** 2 < _areas(model.snapshot("2014-07-03"))["ISIS"] \
        <= math.pi * REACH_KM["town"] ** 2


@pytest.mark.parametrize("day", RING_DATES)
def test_held_land_is_near_its_holders_places_or_on_their_road(ring_model, ring_data, day):
    snap = ring_model.snapshot(day)
    holders = ring_model.timeline.control_at(day).set_index("place_id")["controller"]
    xy = ring_data.places.set_index("place_id")[["lon", "lat"]]
    road = ROAD["place_ids"].iloc[0]
    for cls in vocab.CONTROLLERS:
        places = ring_data.places[ring_data.places["place_id"].map(holders) == cls]
        held_road = [shapely.LineString([xy.loc[a], xy.loc[b]]) for a, b in zip(road[:-1], road[1:])
                     if holders[a] == holders[b] == cls]
        band = shapely.buffer(shapely.MultiLineString(held_road), (CORRIDOR_HALF_WIDTH_KM + 1) / 80) if held_road \
            else shapely.Polygon()
        for x, y in shapely.get_coordinates(snap.geometries[cls]):
            point = shapely.Point(x, y)
            assert _km(point, places).min() < OUTER_REACH_KM + 1 or band.contains(point), (cls, x, y)


def test_support_zone_adds_to_the_holders_area_as_inferred_land(ring_model):
    before, after = ring_model.snapshot("2014-07-01"), ring_model.snapshot("2014-07-03")
    d, b = after.details.set_index("controller"), before.details.set_index("controller")
    assert list(after.details.columns) == DETAIL_COLUMNS
    assert _areas(after)["ISIS"] - _areas(before)["ISIS"] > d.loc["ISIS", "inferred_km2"] - b.loc["ISIS", "inferred_km2"] > 100
    assert d.loc["ISIS", "held_km2"] + d.loc["ISIS", "inferred_km2"] == pytest.approx(d.loc["ISIS", "area_km2"], abs=0.2)
    inferred = after.inferred["ISIS"]
    assert shapely.difference(inferred, after.geometries["ISIS"]).area < 1e-9
    kinds = {(f["properties"]["kind"], f["properties"]["controller"]) for f in after.overlays["features"]}
    assert (INFERRED, "ISIS") in kinds


def test_place_under_offensive_stays_its_holders_and_is_marked_contested(ring_model, ring_data):
    haditha = ring_data.places.set_index("place_id").loc["haditha"]
    point = shapely.Point(haditha["lon"], haditha["lat"])
    before, during = ring_model.snapshot("2014-08-01"), ring_model.snapshot("2014-09-01")
    assert _class_at(during, point) == "ISIS" and during.contested.contains(point)
    assert _areas(during)["ISIS"] == pytest.approx(_areas(before)["ISIS"], abs=0.2)  # nothing subtracted
    assert _areas(during)[CONTESTED] == pytest.approx(during.details.set_index("controller").loc["ISIS", "contested_km2"])
    assert 0.9 * math.pi * REACH_KM["town"] ** 2 < _areas(during)[CONTESTED] <= math.pi * REACH_KM["town"] ** 2
    held = during.areas.set_index("controller")
    assert held.loc["ISIS", "places"] == held.loc["ISIS", "places"] and held.loc[CONTESTED, "places"] == 1
    kinds = {(f["properties"]["kind"], f["properties"]["controller"]) for f in during.overlays["features"]}
    assert (CONTESTED, "ISIS") in kinds
    assert _areas(ring_model.snapshot("2014-10-01"))[CONTESTED] == 0


def test_siege_keeps_the_besieged_town_with_its_holder(model, fixture_data):
    kobani = fixture_data.places.set_index("place_id").loc["kobani"]
    point = shapely.Point(kobani["lon"], kobani["lat"])
    during, after = model.snapshot("2014-10-01"), model.snapshot("2015-01-26")
    assert _areas(during)[CONTESTED] > 0 and _areas(during)["SDF"] > 0
    assert during.geometries[CONTESTED].distance(point) < 0.05 and during.geometries["SDF"].distance(point) < 0.05
    assert _areas(after)[CONTESTED] == 0 and _areas(after)["SDF"] == pytest.approx(_areas(during)["SDF"])


def test_population_under_control_sums_the_places_held(model, fixture_data):
    pop = fixture_data.places.set_index("place_id")["population"]
    held = model.snapshot("2014-06-10").areas.set_index("controller")
    assert held.loc["ISIS", "population"] == pop["raqqa"] + pop["mosul"]
    assert held.loc["ISIS", "places"] == 2
    assert held.loc[CONTESTED, "population"] == 0


def test_population_adds_the_rest_of_the_governorate_spread_over_its_land_by_area(fixture_data):
    pop = fixture_data.places.set_index("place_id")["population"]
    totals = pd.DataFrame({"country": ["IQ"], "admin1": ["Ninawa"], "population": [3_000_000], "year": [2010],
                           "source": ["test"], "notes": [""]})
    model = TerritoryModel(fixture_data.places, fixture_data.events, routes=NO_ROADS, admin_population=totals)
    before = model.snapshot("2014-06-09").details.set_index("controller")
    after = model.snapshot("2014-06-10").details.set_index("controller")
    rest = 3_000_000 - pop["mosul"]
    # Mosul's core is the only land held in Ninawa: its share of Ninawa's area gets that share of the rest
    ninawa = after.loc["ISIS", "rest_population"]
    assert 0.05 * rest < ninawa < 0.5 * rest
    assert before.loc["IRAQI_GOVERNMENT", "rest_population"] == pytest.approx(ninawa, abs=2)
    assert after.loc["ISIS", "population"] == pytest.approx(pop["raqqa"] + pop["mosul"] + ninawa, abs=2)
    assert after.loc[UNASSIGNED, "population"] == 0  # the people of unassigned land are counted for nobody


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

#: IHS Conflict Monitor's published ISIS areas (km2); see docs/methodology_territory.md.
IHS_KM2 = {"2015-01-15": 90_800, "2015-06-30": 82_940, "2015-12-31": 78_000, "2016-07-04": 68_300,
           "2016-10-03": 65_500, "2016-12-31": 60_400, "2017-06-26": 36_200}


def _isis(model, day) -> pd.Series:
    return model.areas_on(day).set_index("controller").loc["ISIS"]


def test_real_isis_area_is_zero_after_baghouz(real_model):
    held = real_model.areas_on("2019-03-24").set_index("controller")
    assert held.loc["ISIS", "area_km2"] == 0, "places still held by ISIS: " + ", ".join(
        real_model.timeline.control_at("2019-03-24").query("controller == 'ISIS'")["place_id"])


def test_real_baghouz_pocket_has_an_area_every_day_until_its_capture(real_model):
    series = real_model.area_series()
    isis = series[series["controller"] == "ISIS"].set_index("date")["area_km2"]
    held = isis[(isis.index >= pd.Timestamp("2014-01-02")) & (isis.index < pd.Timestamp("2019-03-23"))]
    assert (held > 0).all(), held[held <= 0]
    assert _isis(real_model, "2019-03-22")["area_km2"] > 0  # the last pocket, under offensive since 9 February
    assert _isis(real_model, "2019-02-10")["area_km2"] > 0
    assert (isis[isis.index >= pd.Timestamp("2019-03-23")] == 0).all()


def test_real_isis_holding_on_the_day_of_baghouz_is_not_unchanged(real_model):
    from frontline.history.figures import isis_holding

    h = isis_holding(real_model, "2019-03-23")
    assert h.area_km2 == 0 and h.area_change < 0 and h.changed


def test_real_isis_area_rises_to_a_2014_2015_peak_then_falls_to_zero(real_model):
    series = real_model.area_series()
    isis = series[series["controller"] == "ISIS"].set_index("date")["area_km2"]
    peak_date = isis.idxmax()
    assert pd.Timestamp("2014-06-01") <= peak_date <= pd.Timestamp("2015-12-31")
    assert isis.max() > 2 * isis[isis.index <= pd.Timestamp("2014-01-01")].iloc[-1]
    assert isis[isis.index >= pd.Timestamp("2017-01-01")].max() < isis.max()
    assert isis[isis.index <= pd.Timestamp("2019-03-24")].iloc[-1] == 0


@pytest.mark.parametrize("day, published", sorted(IHS_KM2.items()))
def test_real_isis_area_is_within_15_percent_of_ihs(real_model, day, published):
    assert _isis(real_model, day)["area_km2"] == pytest.approx(published, rel=0.15)


@pytest.mark.xfail(reason="on the data of 2026-12-02 (362 places) ISIS's area still rises over the first half of "
                          "2015 (91,400 -> 94,200 km2: the desert taken in May 2015 outweighs the valley losses, whose "
                          "villages mostly lack citable coordinates); see docs/methodology_territory.md, Limits",
                   strict=False)
def test_real_isis_area_falls_over_the_first_half_of_2015(real_model):
    assert _isis(real_model, "2015-06-30")["area_km2"] < _isis(real_model, "2015-01-15")["area_km2"]


def test_real_isis_held_land_and_people_fall_over_the_first_half_of_2015(real_model):
    """What does fall, as IHS reports: the land around ISIS's own places and the people in it (the total's
    rise is inferred desert taken in May 2015; see the expected failure above)."""
    jan, jun = (real_model.snapshot(d).details.set_index("controller").loc["ISIS"] for d in ("2015-01-15", "2015-06-30"))
    assert jun["held_km2"] < jan["held_km2"]
    assert jun["population"] < jan["population"]
    assert jun["inferred_km2"] > jan["inferred_km2"]


def test_real_isis_zone_is_one_piece_with_a_few_pockets_at_its_peak(real_model):
    to_laea = pyproj.Transformer.from_crs("EPSG:4326", "+proj=laea +lat_0=34.5 +lon_0=42 +datum=WGS84",
                                          always_xy=True).transform
    isis = real_model.snapshot("2015-05-25").geometries["ISIS"]
    km2 = shapely.area(shapely.transform(shapely.get_parts(isis), to_laea, interleaved=False)) / 1e6
    assert km2.max() >= 0.8 * km2.sum()
    assert (km2 > 100).sum() <= 6


def test_real_population_under_isis_is_comparable_with_published_estimates(real_model):
    series = real_model.area_series()
    isis = series[series["controller"] == "ISIS"].set_index("date")["population"]
    peak = isis[(isis.index >= pd.Timestamp("2014-06-01")) & (isis.index <= pd.Timestamp("2015-12-31"))].max()
    assert 6_000_000 <= peak <= 11_000_000
    assert 4_000_000 <= _isis(real_model, "2016-07-04")["population"] <= 8_000_000
    assert _isis(real_model, "2019-03-24")["population"] == 0


def test_real_every_route_names_places_and_a_source():
    routes = load_routes()
    assert len(routes) >= 10 and routes["source"].str.len().min() > 20
    ids = set(pd.read_csv(config.PLACES_PATH)["place_id"])
    for r in routes.itertuples():
        assert sum(p in ids for p in r.place_ids) >= 2, r.route_id


def test_real_geojson_is_valid_after_rounding_on_every_change_date(real_model):
    real_model.build_all()
    seen, bad = set(), []
    for day in real_model.state_dates:
        snap = real_model.snapshot(day)
        for f in snap.geojson["features"] + snap.overlays["features"]:
            if id(f["geometry"]) in seen:
                continue
            seen.add(id(f["geometry"]))
            if not shapely.is_valid(shapely.geometry.shape(f["geometry"])):
                bad.append((day.date(), f["properties"].get("kind", ""), f["properties"]["controller"]))
    assert not bad, bad


def test_real_polygons_of_a_date_are_valid_and_cover_both_countries(real_model):
    snap = real_model.snapshot("2015-06-01")
    assert all(shapely.is_valid(g) for g in snap.geometries.values())
    partition = snap.areas[snap.areas["controller"] != CONTESTED]
    assert abs(partition["area_km2"].sum() - _published_country_km2()) < 0.002 * _published_country_km2()


def test_real_geojson_of_a_date_is_small_enough_for_the_map(real_model):
    size = len(json.dumps(real_model.snapshot("2015-06-01").geojson, separators=(",", ":")))
    assert size < 300_000
