"""Add one place to ``places.csv`` safely: build the row, check it, warn of near places, insert it atomically.

The coordinates are the analyst's, or the geocoder's answer for the name (the gazetteer
first, then Nominatim unless offline, as ``python -m frontline geocode`` resolves it);
``coord_source`` records which. The ``place_id`` is a slug of the name and must be new.
The row is checked with the rules of ``python -m frontline validate`` (the gazetteer is
validated with the row in place, and the problems on the new line are kept), and places
already within :data:`NEAR_KM` km are reported as possible duplicates. The row is inserted
at its sorted position (country, then ``place_id``) as one new line, every other byte
copied unchanged, and the file is replaced atomically (the writing code is
:mod:`frontline.intake.events`'s, shared with events).

Example::

    coords = coordinates_from_geocoder(geocoder, "Hajin", "SY")
    row = build_place_row(name="Hajin", aliases="Hajin|هجين", country="SY", admin1="Dayr Az Zawr",
                          kind="town", controller_2014="SYRIAN_OPPOSITION", lat=coords.lat, lon=coords.lon,
                          coord_source=coords.coord_source)
    near = nearby_places(row, "data/places.csv")
    added = insert_place(row, "data/places.csv")
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path

from geopy.distance import geodesic

from .. import config
from . import csvstore
from .rows import coord_text, insert_record, problems_on_new_line, read_text
from ..errors import GeocodingError, Problem
from ..dataset.schema import PLACE_COLUMNS
from ..dataset.validate import check_places, read_rows

__all__ = ["slugify", "build_place_row", "coordinates_from_geocoder", "Coordinates", "check_place",
           "nearby_places", "insert_place", "PLACE_ORDER", "NEAR_KM", "ANALYST_SOURCE"]

#: The order of the rows of ``places.csv``.
PLACE_ORDER = ("country", "place_id")

#: Existing places within this many km of a new one are shown as possible duplicates.
NEAR_KM = 5.0

#: ``coord_source`` of coordinates typed in by the analyst.
ANALYST_SOURCE = "entered by the analyst"

_QUOTES = re.compile(r"['’‘`ʿʾ]")


def slugify(name: str) -> str:
    """The ``place_id`` a name gives: lower-case ASCII letters and digits joined by hyphens.

    Diacritics are dropped and apostrophes (ʿayn, hamza) removed; a name with no Latin
    letter (e.g. Arabic only) gives an empty slug.

    >>> slugify("Al-Baghuz Fawqani"), slugify("al-Sab' Biyar"), slugify("Ḥajīn (Deir ez-Zor)")
    ('al-baghuz-fawqani', 'al-sab-biyar', 'hajin-deir-ez-zor')
    >>> slugify("هجين"), slugify("")
    ('', '')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _QUOTES.sub("", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _aliases(value) -> str:
    """Aliases as stored: ``|``-separated, stripped, each once, in the order given.

    >>> _aliases(" Hajin | هجين |Hajin|"), _aliases(["a", " b "]), _aliases(None)
    ('Hajin|هجين', 'a|b', '')
    """
    items = value.split("|") if isinstance(value, str) else list(value or [])
    out = []
    for a in (str(x).strip() for x in items):
        if a and a not in out:
            out.append(a)
    return "|".join(out)


def build_place_row(*, name: str, country: str, admin1: str, kind: str, controller_2014: str, lat, lon,
                    coord_source: str, aliases="", population="", population_source: str = "", notes: str = "",
                    place_id: str = "") -> dict:
    """A ``places.csv`` row (all strings, in column order); ``place_id`` defaults to :func:`slugify` of ``name``."""
    name = " ".join(str(name or "").split())
    row = {
        "place_id": (place_id or "").strip() or slugify(name),
        "name": name,
        "aliases": _aliases(aliases),
        "lat": "" if lat is None or lat == "" else coord_text(lat),
        "lon": "" if lon is None or lon == "" else coord_text(lon),
        "country": str(country or "").strip(),
        "admin1": " ".join(str(admin1 or "").split()),
        "kind": str(kind or "").strip(),
        "population": "" if population is None else str(population).strip(),
        "population_source": " ".join((population_source or "").split()),
        "controller_2014": str(controller_2014 or "").strip(),
        "coord_source": " ".join((coord_source or "").split()),
        "notes": " ".join((notes or "").split()),
    }
    return {c: row[c] for c in PLACE_COLUMNS}


@dataclass(frozen=True)
class Coordinates:
    """Where the geocoder puts a name: ``lat``, ``lon``, the ``coord_source`` text and what was found."""

    lat: float
    lon: float
    coord_source: str
    #: The name the geocoder found (Nominatim's display name, or the gazetteer place's name).
    found: str
    #: ``place_id`` when the name is already in the gazetteer (the new place is then surely a duplicate).
    place_id: str = ""
    warnings: list[str] = field(default_factory=list)


def coordinates_from_geocoder(geocoder, name: str, country: str | None = None, today: _date | None = None) -> Coordinates:
    """The coordinates of ``name`` as :meth:`Geocoder.geocode` resolves it, with their ``coord_source``.

    A Nominatim answer gives ``Nominatim (OpenStreetMap), <display name>, fetched YYYY-MM-DD`` (the day it
    was asked, from the cache); a gazetteer answer names the existing place. Raises
    :class:`~frontline.errors.GeocodingError` for an ambiguous or unknown name, saying to enter lat and lon.
    """
    result = geocoder.geocode(name, country)
    notes = "".join(f" ({w})" for w in result.warnings)
    if result.candidates:
        raise GeocodingError(
            f"{name!r} is ambiguous: it fits {', '.join(f'{m.name} ({m.lat:.5f}, {m.lon:.5f})' for m in result.candidates)}; "
            "choose the country, use a fuller name or enter lat and lon", [m.name for m in result.candidates])
    if result.match is None:
        where = "the gazetteer" if geocoder.offline else "the gazetteer or Nominatim"
        close = f"; closest known names: {', '.join(result.suggestions)}" if result.suggestions else ""
        raise GeocodingError(f"{name!r} was not found in {where}{close}; enter lat and lon yourself{notes}",
                             result.suggestions)
    m = result.match
    if m.place_id:
        same = geocoder.places[geocoder.places["place_id"] == m.place_id]
        origin = str(same.iloc[0].get("coord_source", "") or "") if len(same) else ""
        source = f"as {m.place_id} in places.csv" + (f" ({origin})" if origin else "")
    else:
        fetched = geocoder.fetched_on(name, country) or (today or _date.today()).isoformat()
        source = f"Nominatim (OpenStreetMap), {m.name}, fetched {fetched}"
    return Coordinates(round(m.lat, 6), round(m.lon, 6), source, m.name, m.place_id, list(result.warnings))


def check_place(row: dict, places_path: Path | str = config.PLACES_PATH) -> list[Problem]:
    """Every problem ``validate`` would report on the place ``row`` once inserted, or an existing id."""
    places_path = Path(places_path)
    rows = read_rows(places_path, PLACE_COLUMNS)[0] if places_path.exists() else []
    text = read_text(places_path)
    line_no = insert_record(text, row, PLACE_COLUMNS, PLACE_ORDER)[1]
    problems = problems_on_new_line(places_path, row, PLACE_COLUMNS, PLACE_ORDER,
                                    lambda probe: check_places(probe)[1])
    same = [(line, r) for line, r in rows if r["place_id"] and r["place_id"] == row["place_id"]]
    if same:
        line, other = same[0]
        problems = [p for p in problems if not p.message.startswith("duplicate id")]
        problems.insert(0, Problem(str(places_path), line_no, "place_id",
                                   f"{row['place_id']!r} already exists (line {line}: {other['name']}); "
                                   "if it is another place, give it another name or place_id"))
    if not row["place_id"] and row["name"]:
        problems = [p for p in problems if p.column != "place_id"]
        problems.insert(0, Problem(str(places_path), line_no, "place_id",
                                   f"the name {row['name']!r} gives no place_id; write the name in Latin letters "
                                   "(put other scripts in aliases) or give a place_id"))
    return problems


def nearby_places(row: dict, places_path: Path | str = config.PLACES_PATH,
                  km: float = NEAR_KM) -> list[tuple[dict, float]]:
    """Existing places within ``km`` of the new place, nearest first, as ``(row, km)`` (empty if no coordinates)."""
    try:
        here = (float(row["lat"]), float(row["lon"]))
    except (TypeError, ValueError):
        return []
    if not (-90 <= here[0] <= 90 and -180 <= here[1] <= 180):
        return []
    out = []
    for _line, other in read_rows(places_path, PLACE_COLUMNS)[0]:
        try:
            gap = geodesic(here, (float(other["lat"]), float(other["lon"]))).km
        except (TypeError, ValueError):
            continue
        if gap <= km:
            out.append((other, gap))
    return sorted(out, key=lambda pair: pair[1])


def insert_place(row: dict, places_path: Path | str = config.PLACES_PATH, *,
                 expected_digest: str | None = None) -> csvstore.Added:
    """Check the place ``row`` and insert it as one new line at its sorted place; raise :class:`DataError` if invalid.

    The check and the write happen under the file's lock (:mod:`frontline.intake.csvstore`), against
    the file as it is then, so two saves of one ``place_id`` never both land. Near places are
    not checked here: see :func:`nearby_places`.
    """
    return csvstore.save_record(
        places_path, lambda _text: (row, check_place(row, places_path)),
        lambda text, r: insert_record(text, r, PLACE_COLUMNS, PLACE_ORDER), expected_digest)
