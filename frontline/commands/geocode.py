"""``geocode``: resolve a place name against the gazetteer, then Nominatim."""

from __future__ import annotations

import sys

from .. import vocab
from . import add_command


def register(sub) -> None:
    p = add_command(
        sub, "geocode", help="resolve a place name (gazetteer first, then Nominatim)",
        description="Resolve NAME against data/places.csv (exact name, alias, then transliteration-insensitive), "
                    "then, unless --offline, through Nominatim (one request a second, Syria and Iraq only, cached in "
                    "data/geocode_cache.json). Prints the match, its coordinates, its source and the nearest known "
                    "place. Exits 1 for an unknown name (listing the closest names), 2 for an ambiguous one "
                    "(listing the candidates). Set FRONTLINE_USER_AGENT to identify yourself to Nominatim.",
        example="python -m frontline geocode 'Dayr az Zawr' --country SY --offline",
    )
    p.add_argument("name", help="the place name, in any common transliteration or in Arabic")
    p.add_argument("--country", choices=list(vocab.COUNTRIES), help="only places in this country")
    p.add_argument("--offline", action="store_true", help="never ask Nominatim (the gazetteer and the cache only)")
    p.add_argument("--places", default=None, help="places CSV (default: data/places.csv)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import config
    from ..intake.gazetteer import load_places
    from ..intake.geocode import Geocoder

    geocoder = Geocoder(load_places(args.places or config.PLACES_PATH), offline=args.offline)
    result = geocoder.geocode(args.name, args.country)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.match:
        m = result.match
        ident = f" ({m.place_id}, {m.country})" if m.place_id else (f" ({m.country})" if m.country else "")
        print(f"{m.name}{ident}: {m.lat:.5f}, {m.lon:.5f}")
        print(f"source: {m.source}")
        if result.nearest:
            print(f"nearest known place: {result.nearest[0]}, {result.nearest[1]:.1f} km")
        return 0
    if result.candidates:
        print(f"{args.name!r} is ambiguous; candidates (add --country or use a fuller name):")
        for m in result.candidates:
            print(f"  {m.name} ({m.place_id}, {m.country}): {m.lat:.5f}, {m.lon:.5f}")
        return 2
    close = ", ".join(result.suggestions) or "none"
    where = "the gazetteer" if args.offline else "the gazetteer or Nominatim"
    print(f"error: {args.name!r} was not found in {where}; closest names: {close}", file=sys.stderr)
    return 1
