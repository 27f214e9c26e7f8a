"""Geocoding: gazetteer matching, and Nominatim through geopy against a fake server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli as run

from fake_nominatim import nominatim, online  # noqa: F401  (the fake server fixture and its client)
from frontline.intake.gazetteer import load_places
from frontline.intake.geocode import Geocoder

INTAKE = Path(__file__).resolve().parent / "fixtures" / "intake"
PLACES = INTAKE / "places.csv"


@pytest.fixture(scope="module")
def places():
    return load_places(PLACES)


@pytest.mark.parametrize("name, place_id, source", [
    ("Raqqa", "raqqa", "gazetteer (exact)"),
    ("Ar-Raqqah", "raqqa", "gazetteer (alias)"),
    ("al-Raqqah", "raqqa", "gazetteer (alias)"),
    ("الرقة", "raqqa", "gazetteer (alias)"),
    ("ar raqqa", "raqqa", "gazetteer (transliteration)"),
    ("Deir ez-Zor", "deir-ez-zor", "gazetteer (exact)"),
    ("Dayr az Zawr", "deir-ez-zor", "gazetteer (alias)"),
    ("Deir Ezzor", "deir-ez-zor", "gazetteer (transliteration)"),
    ("Al-Baghuz Fawqani", "baghouz", "gazetteer (transliteration)"),
    ("Ḥajīn", None, None),
])
def test_spellings_of_one_place_resolve_to_it(places, name, place_id, source):
    result = Geocoder(places, offline=True).geocode(name)
    if place_id is None:
        assert result.status == "unknown"
    else:
        assert (result.match.place_id, result.match.source) == (place_id, source)


def test_ambiguous_name_lists_candidates_and_country_decides(places):
    geocoder = Geocoder(places, offline=True)
    result = geocoder.geocode("Karama")
    assert result.status == "ambiguous"
    assert sorted(m.place_id for m in result.candidates) == ["al-karamah", "karmah"]
    assert geocoder.geocode("Karama", country="IQ").match.place_id == "karmah"


def test_match_reports_nearest_other_known_place(places):
    result = Geocoder(places, offline=True).geocode("Baghouz")
    name, km = result.nearest
    assert name == "Deir ez-Zor" and 110 < km < 130




def test_cli_prints_match_coordinates_source_and_nearest():
    from geopy.distance import geodesic

    code, out, _ = run("geocode", "Dayr az Zawr", "--offline", "--places", str(PLACES))
    km = geodesic((35.33588, 40.14084), (35.86865, 39.27803)).km  # to al-Karamah, the nearest fixture place
    assert code == 0
    assert out.splitlines() == ["Deir ez-Zor (deir-ez-zor, SY): 35.33588, 40.14084", "source: gazetteer (alias)",
                                f"nearest known place: al-Karamah, {km:.1f} km"]


def test_cli_unknown_name_exits_1_with_closest_names():
    code, out, err = run("geocode", "Kobanix", "--offline", "--places", str(PLACES))
    assert code == 1 and out == ""
    assert err == "error: 'Kobanix' was not found in the gazetteer; closest names: Kobani\n"


def test_cli_ambiguous_name_lists_candidates():
    code, out, _ = run("geocode", "Karama", "--offline", "--places", str(PLACES))
    assert code == 2
    assert out.splitlines() == ["'Karama' is ambiguous; candidates (add --country or use a fuller name):",
                                "  al-Karamah (al-karamah, SY): 35.86865, 39.27803",
                                "  Karmah (karmah, IQ): 33.39944, 43.90917"]


def test_nominatim_is_asked_with_user_agent_region_and_answer_is_cached(places, nominatim, tmp_path):
    result = online(places, nominatim, tmp_path).geocode("Hajin")
    assert result.match.name == "Hajin, Deir ez-Zor, Syria" and result.match.source == "nominatim"
    assert (result.match.lat, result.match.lon) == (34.69508, 40.83138)
    [req] = nominatim.requests
    assert req["agent"] == "frontline-tests/1.0 (test@example.org)"
    assert req["query"]["countrycodes"] == "sy,iq" and req["query"]["q"] == "Hajin"
    # A new geocoder (a new process) reads the persistent cache: the name is not asked twice.
    again = online(places, nominatim, tmp_path).geocode("hajin")
    assert again.match.source == "nominatim (cached)" and len(nominatim.requests) == 1


def test_gazetteer_names_never_reach_nominatim(places, nominatim, tmp_path):
    assert online(places, nominatim, tmp_path).geocode("Ar-Raqqah").match.place_id == "raqqa"
    assert nominatim.requests == []


def test_country_option_limits_nominatim_to_that_country(places, nominatim, tmp_path):
    online(places, nominatim, tmp_path).geocode("Hajin", country="SY")
    assert nominatim.requests[0]["query"]["countrycodes"] == "sy"


@pytest.mark.parametrize("name, error", [
    ("Slow Town", "GeocoderTimedOut"),
    ("Busy Town", "GeocoderRateLimited"),
    ("Garbled Town", "GeocoderParseError"),
])
def test_network_failures_become_a_warning_not_a_crash(places, nominatim, tmp_path, name, error):
    result = online(places, nominatim, tmp_path).geocode(name)
    assert result.status == "unknown"
    [warning] = result.warnings
    assert warning.startswith(f"Nominatim at http://{nominatim.domain} could not answer ({error}: ")
    assert warning.endswith("used the gazetteer and the cache only. Try again later, or pass --offline.")
    assert not (tmp_path / "cache.json").exists()  # a failure is not cached as "not found"


def test_unreachable_service_falls_back_to_the_cache(places, nominatim, tmp_path):
    online(places, nominatim, tmp_path).geocode("Hajin")
    down = online(places, nominatim, tmp_path, domain="127.0.0.1:9")
    assert down.geocode("Hajin").match.source == "nominatim (cached)"
    unknown = down.geocode("Susah")
    assert unknown.status == "unknown" and "could not answer" in unknown.warnings[0]


def test_offline_never_asks_nominatim(places, nominatim, tmp_path):
    result = online(places, nominatim, tmp_path, offline=True).geocode("Hajin")
    assert result.status == "unknown" and nominatim.requests == [] and result.warnings == []


def test_rate_limit_is_one_request_a_second(places, nominatim, tmp_path):
    geocoder = online(places, nominatim, tmp_path, min_delay=1.0)
    for name in ("Hajin", "Susah", "Al-Shafah"):
        geocoder.geocode(name)
    times = [r["time"] for r in nominatim.requests]
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:])), times


def test_empty_name_is_refused(places):
    from frontline.errors import GeocodingError

    with pytest.raises(GeocodingError, match="the place name is empty; type a name such as 'Raqqa'"):
        Geocoder(places, offline=True).geocode("  ")
