"""Adding a place: one new line at its sorted place, the rules of validate, near places, the geocoder's coordinates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from geopy.distance import geodesic

from conftest import shown, run_cli as run
from fake_nominatim import nominatim, online  # noqa: F401  (the fake Nominatim server fixture and its client)
from frontline import config
from frontline.intake import places as cp
from frontline.cli import build_parser
from frontline.intake.gazetteer import load_places
from frontline.errors import DataError, GeocodingError
from frontline.intake.geocode import Geocoder
from frontline.serving import local_curator
from frontline.dataset.validate import check_places

#: A small gazetteer sorted by country then place_id, with a quoted note spanning two lines.
PLACES = Path(__file__).resolve().parent / "fixtures" / "add_place" / "places.csv"


@pytest.fixture
def places_copy(tmp_path):
    path = tmp_path / "places.csv"
    shutil.copyfile(PLACES, path)
    return path


def hajin(**kw):
    fields = dict(name="Hajin", aliases="Hajin|هجين", country="SY", admin1="Dayr Az Zawr", kind="town",
                  controller_2014="SYRIAN_OPPOSITION", lat=34.69508, lon=40.83138, coord_source=cp.ANALYST_SOURCE)
    fields.update(kw)
    return cp.build_place_row(**fields)




def test_new_place_is_one_new_line_at_its_sorted_place_and_every_other_byte_is_kept(places_copy):
    before = places_copy.read_bytes()
    added = cp.insert_place(hajin(population="37000", population_source="Test census 2004"), places_copy)
    after = places_copy.read_bytes()
    assert added.place_id == "hajin"
    assert added.text == ("hajin,Hajin,Hajin|هجين,34.69508,40.83138,SY,Dayr Az Zawr,town,37000,Test census 2004,"
                          "SYRIAN_OPPOSITION,entered by the analyst,\n")
    assert after.replace(added.text.encode(), b"", 1) == before  # the quoted two-line note included
    lines = after.decode().split("\n")
    assert lines[added.line - 1] == added.text.rstrip("\n")
    # after deir-ez-zor (whose note spans two lines), before kobani: SY, then place_id order
    assert lines[added.line - 2] == 'with a comma and a ""quote""."' and lines[added.line].startswith("kobani,")
    rows, problems = check_places(places_copy)
    assert problems == [] and [(r["country"], r["place_id"]) for _l, r in rows] == sorted(
        (r["country"], r["place_id"]) for _l, r in rows)


def test_an_iraqi_place_goes_among_the_iraqi_places(places_copy):
    added = cp.insert_place(hajin(name="Fallujah", aliases="الفلوجة", country="IQ", admin1="Al-Anbar", kind="city",
                                  controller_2014="IRAQI_GOVERNMENT", lat=33.34913, lon=43.78599), places_copy)
    lines = places_copy.read_text(encoding="utf-8").split("\n")
    assert added.line == 3 and lines[1].startswith("baghdad,") and lines[3].startswith("karmah,")


@pytest.mark.parametrize("change, column, message", [
    ({"name": "Raqqa"}, "place_id",
     "'raqqa' already exists (line 11: Raqqa); if it is another place, give it another name or place_id"),
    ({"place_id": "baghouz"}, "place_id",
     "'baghouz' already exists (line 6: Baghouz); if it is another place, give it another name or place_id"),
    ({"country": "TR"}, "country", "unknown value 'TR'; expected one of: SY, IQ"),
    ({"lat": 95.2}, "lat", "95.2 is outside [-90, 90]; check that lat and lon are not swapped"),
    ({"lon": -200}, "lon", "-200.0 is outside [-180, 180]; check that lat and lon are not swapped"),
    ({"lat": "north"}, "lat", "expected a decimal number, found 'north'"),
    ({"kind": "hamlet"}, "kind", "unknown value 'hamlet'; expected one of: city, town, village, site, area"),
    ({"population": "37000"}, "population_source",
     "population is given without its source; name the source and year"),
    ({"name": "هجين"}, "place_id",
     "the name 'هجين' gives no place_id; write the name in Latin letters (put other scripts in aliases) "
     "or give a place_id"),
])
def test_invalid_place_is_refused_with_the_reason_and_nothing_is_written(places_copy, change, column, message):
    before = places_copy.read_bytes()
    with pytest.raises(DataError) as err:
        cp.insert_place(hajin(**change), places_copy)
    assert [(p.column, p.message) for p in err.value.problems] == [(column, message)]
    assert err.value.problems[0].path == str(places_copy)
    assert places_copy.read_bytes() == before


def test_places_within_5_km_are_possible_duplicates_nearest_first(places_copy):
    tahtani = hajin(name="Baghuz Tahtani", lat=34.46, lon=40.94)
    [(other, km)] = cp.nearby_places(tahtani, places_copy)
    assert other["place_id"] == "baghouz"
    assert km == pytest.approx(geodesic((34.46, 40.94), (34.45861, 40.95056)).km) and km < 5
    assert cp.nearby_places(hajin(), places_copy) == []  # Hajin is ~26 km from Baghouz
    assert cp.nearby_places(hajin(lat=95), places_copy) == []  # no valid point: nothing to compare


def test_cli_refuses_a_near_place_unless_allowed(places_copy):
    argv = ["add-place", "--name", "Baghuz Tahtani", "--country", "SY", "--admin1", "Dayr Az Zawr",
            "--kind", "village", "--controller-2014", "SYRIAN_OPPOSITION", "--lat", "34.46", "--lon", "40.94",
            "--places", str(places_copy)]
    before = places_copy.read_bytes()
    code, out, err = run(*argv)
    assert code == 1 and places_copy.read_bytes() == before
    assert err.splitlines() == [
        "possible duplicate: baghouz (Baghouz, SY) is 1.0 km away",
        "error: not added: a known place lies within 5 km (above); if it is another place, "
        "pass --allow-near to add it anyway"]
    code, out, err = run(*argv, "--allow-near")
    assert code == 0, err
    assert out.splitlines()[-1] == f"added baghuz-tahtani at line 7 of {places_copy}"
    assert len(places_copy.read_bytes()) == len(before) + len(out.splitlines()[0].removeprefix("row: ")) + 1


def test_cli_reports_every_problem_in_one_line_each(places_copy):
    code, out, err = run("add-place", "--name", "Raqqa", "--country", "XX", "--kind", "town",
                         "--controller-2014", "ISIS", "--lat", "95", "--lon", "39", "--places", str(places_copy))
    assert code == 1
    assert err.splitlines()[1:] == [
        f"{places_copy}:12: place_id: 'raqqa' already exists (line 11: Raqqa); if it is another place, "
        "give it another name or place_id",
        f"{places_copy}:12: lat: 95.0 is outside [-90, 90]; check that lat and lon are not swapped",
        f"{places_copy}:12: country: unknown value 'XX'; expected one of: SY, IQ"]


def test_nominatim_coordinates_record_the_display_name_and_the_day_fetched(places_copy, nominatim, tmp_path):
    geocoder = online(load_places(places_copy), nominatim, tmp_path)
    found = cp.coordinates_from_geocoder(geocoder, "Hajin", "SY")
    [req] = nominatim.requests
    assert req["query"]["q"] == "Hajin" and req["query"]["countrycodes"] == "sy"
    asked = json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))["sy|hajin"]["asked"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", asked)
    assert (found.lat, found.lon, found.place_id) == (34.69508, 40.83138, "")
    assert found.coord_source == f"Nominatim (OpenStreetMap), Hajin, Deir ez-Zor, Syria, fetched {asked}"
    # asked again later: the cached answer keeps the day it was fetched, and no new request is made
    again = cp.coordinates_from_geocoder(online(load_places(places_copy), nominatim, tmp_path), "hajin", "SY")
    assert again.coord_source == found.coord_source and len(nominatim.requests) == 1


def test_cli_geocode_adds_the_place_at_nominatims_point(places_copy, nominatim, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "GEOCODER_DOMAIN", nominatim.domain)
    monkeypatch.setattr(config, "GEOCODER_SCHEME", "http")
    monkeypatch.setattr(config, "GEOCODER_MIN_DELAY", 0.0)
    monkeypatch.setattr(config, "GEOCODE_CACHE", tmp_path / "cache.json")
    code, out, err = run("add-place", "--name", "Hajin", "--country", "SY", "--admin1", "Dayr Az Zawr",
                         "--kind", "town", "--controller-2014", "SYRIAN_OPPOSITION", "--geocode",
                         "--places", str(places_copy))
    assert code == 0, err
    assert out.splitlines()[0] == "geocoded 'Hajin': Hajin, Deir ez-Zor, Syria: 34.69508, 40.83138"
    line = places_copy.read_text(encoding="utf-8").split("\n")[8]
    assert re.fullmatch(r"hajin,Hajin,,34\.69508,40\.83138,SY,Dayr Az Zawr,town,,,SYRIAN_OPPOSITION,"
                        r"\"Nominatim \(OpenStreetMap\), Hajin, Deir ez-Zor, Syria, fetched \d{4}-\d\d-\d\d\",", line)


def test_a_name_already_in_the_gazetteer_takes_that_place_and_shows_it_as_near(places_copy):
    geocoder = Geocoder(load_places(places_copy), offline=True)
    found = cp.coordinates_from_geocoder(geocoder, "Ar-Raqqah")
    assert (found.place_id, found.coord_source) == ("raqqa", "as raqqa in places.csv (GeoNames 172955)")
    row = hajin(name="Ar-Raqqah", lat=found.lat, lon=found.lon, coord_source=found.coord_source)
    assert [(o["place_id"], km) for o, km in cp.nearby_places(row, places_copy)] == [("raqqa", 0.0)]


def test_an_unknown_name_offline_asks_for_coordinates(places_copy):
    geocoder = Geocoder(load_places(places_copy), offline=True)
    with pytest.raises(GeocodingError, match=r"^'Hajin' was not found in the gazetteer; enter lat and lon yourself$"):
        cp.coordinates_from_geocoder(geocoder, "Hajin")


def test_add_place_help_ends_with_an_example():
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction").choices["add-place"]
    lines = sub.format_help().rstrip().splitlines()
    assert lines[-2:] == ["Example:", "  python -m frontline add-place --name Hajin --aliases 'Hajin|هجين' --country SY "
                          "--admin1 'Dayr Az Zawr' --kind town --controller-2014 SYRIAN_OPPOSITION --geocode"]


def test_curate_page_adds_a_place_typed_in_with_a_warning_for_a_near_one(places_copy, monkeypatch, curation_local):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(config, "PLACES_PATH", places_copy)
    before = places_copy.read_bytes()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "pages" / "5_Curate.py"), default_timeout=60)
    at.run()
    at.text_input(key="place_name").input("Baghuz Tahtani")
    at.selectbox(key="place_kind").set_value("village")
    at.selectbox(key="place_ctrl").set_value("SYRIAN_OPPOSITION")
    at.radio(key="place_where").set_value("Enter lat and lon")
    at.number_input(key="place_lat").set_value(34.46)
    at.number_input(key="place_lon").set_value(40.94)
    next(b for b in at.button if b.label == "Check the place").click()
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["1 known place(s) lie within 5 km: it may be one of them under another name."]
    add = next(b for b in at.button if b.label == "Add to places.csv")
    assert add.disabled
    at.checkbox(key="place_confirm").check().run()
    next(b for b in at.button if b.label == "Add to places.csv").click().run()
    assert [shown(s.value) for s in at.success] == [f"Added baghuz-tahtani at line 7 of {places_copy}. "
                                             "Events can now be added there."]
    curator = local_curator().label()  # curation on loopback: the row records the local user
    added = f"baghuz-tahtani,Baghuz Tahtani,,34.46,40.94,SY,,village,,,SYRIAN_OPPOSITION,entered by the analyst,Added by {curator}.\n"
    assert places_copy.read_bytes().replace(added.encode(), b"", 1) == before
