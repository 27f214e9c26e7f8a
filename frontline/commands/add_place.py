"""``add-place``: check one place and insert it into places.csv as one new line."""

from __future__ import annotations

import sys

from . import add_command, finish_insert


def register(sub) -> None:
    from .. import vocab
    from ..intake.places import NEAR_KM

    p = add_command(
        sub, "add-place", help="add one place to places.csv (checked, near-duplicate-aware, atomic)",
        description="Build a gazetteer row for NAME with the coordinates given (--lat/--lon) or found by the geocoder "
                    "(--geocode: the gazetteer, then Nominatim unless --offline, as 'geocode' resolves it; "
                    "coord_source records where they came from). The place_id is a slug of the name and must be new. "
                    "The row is checked with the rules of 'validate' and shown with any place within "
                    f"{NEAR_KM:g} km (a possible duplicate), then inserted at its sorted place (country, then "
                    "place_id) in places.csv as one new line (atomically). An invalid row is refused with the reasons.",
        example="python -m frontline add-place --name Hajin --aliases 'Hajin|هجين' --country SY "
                "--admin1 'Dayr Az Zawr' --kind town --controller-2014 SYRIAN_OPPOSITION --geocode",
    )
    p.add_argument("--name", required=True, help="common English name (the place_id is its slug)")
    p.add_argument("--aliases", default="", help="'|'-separated other spellings and the Arabic name")
    p.add_argument("--country", required=True, help=f"one of: {', '.join(vocab.COUNTRIES)}")
    p.add_argument("--admin1", default="", help="governorate (Natural Earth name, e.g. 'Ar Raqqah', 'Ninawa')")
    p.add_argument("--kind", required=True, help=f"one of: {', '.join(vocab.PLACE_KINDS)}")
    p.add_argument("--controller-2014", required=True, help=f"who held it on 2014-01-01: {', '.join(vocab.CONTROLLERS)}")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--lat", help="latitude, decimal degrees WGS84 (with --lon)")
    where.add_argument("--geocode", nargs="?", const="", metavar="QUERY",
                       help="take the coordinates from the geocoder (QUERY defaults to --name)")
    p.add_argument("--lon", help="longitude, decimal degrees WGS84 (with --lat)")
    p.add_argument("--coord-source", default="", help="where --lat/--lon come from (default: 'entered by the analyst')")
    p.add_argument("--offline", action="store_true", help="with --geocode: never ask Nominatim (gazetteer and cache only)")
    p.add_argument("--population", default="", help="whole number, if known")
    p.add_argument("--population-source", default="", help="where the population comes from, with its year")
    p.add_argument("--notes", default="")
    p.add_argument("--place-id", default="", help="default: the slug of --name")
    p.add_argument("--dry-run", action="store_true", help="check and show the row; write nothing")
    p.add_argument("--allow-near", action="store_true",
                   help=f"add the place even if a known place lies within {NEAR_KM:g} km")
    p.add_argument("--places", default=None, help="places CSV (default: data/places.csv)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import config
    from ..intake import places as cp
    from ..intake.gazetteer import load_places
    from ..intake.rows import format_row
    from ..errors import DataError, FrontlineError
    from ..dataset.schema import PLACE_COLUMNS

    places = args.places or config.PLACES_PATH
    if args.geocode is None:
        if args.lon is None:
            raise FrontlineError("--lat needs --lon (or pass --geocode to take the geocoder's coordinates)")
        lat, lon, source = args.lat, args.lon, args.coord_source or cp.ANALYST_SOURCE
    else:
        if args.lon is not None or args.coord_source:
            raise FrontlineError("--geocode takes the coordinates and their source from the geocoder; "
                                 "drop --lon/--coord-source, or give --lat and --lon instead of --geocode")
        from ..intake.geocode import Geocoder

        query = args.geocode or args.name
        found = cp.coordinates_from_geocoder(Geocoder(load_places(places), offline=args.offline), query, args.country)
        for warning in found.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"geocoded {query!r}: {found.found}: {found.lat:.5f}, {found.lon:.5f}")
        lat, lon, source = found.lat, found.lon, found.coord_source
    row = cp.build_place_row(name=args.name, aliases=args.aliases, country=args.country, admin1=args.admin1,
                             kind=args.kind, controller_2014=args.controller_2014, lat=lat, lon=lon,
                             coord_source=source, population=args.population,
                             population_source=args.population_source, notes=args.notes, place_id=args.place_id)
    print("row: " + format_row(row, PLACE_COLUMNS), end="")
    problems = cp.check_place(row, places)
    if problems:
        raise DataError(problems)
    near = cp.nearby_places(row, places)

    def insert() -> str:
        added = cp.insert_place(row, places)
        return f"added {added.place_id} at line {added.line} of {added.path}"

    return finish_insert(
        [f"{other['place_id']} ({other['name']}, {other['country']}) is {km:.1f} km away" for other, km in near],
        args.dry_run, args.allow_near,
        f"a known place lies within {cp.NEAR_KM:g} km (above); if it is another place, pass --allow-near to add "
        "it anyway", insert)
