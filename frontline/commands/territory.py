"""``territory``: the estimated zones of control on a date, as GeoJSON."""

from __future__ import annotations

import json
import sys

from . import add_command, add_data_options


def register(sub) -> None:
    p = add_command(
        sub, "territory", help="zones of control on a date as GeoJSON (EPSG:4326)",
        description="Print a GeoJSON FeatureCollection (EPSG:4326) with one feature per controller, plus CONTESTED "
                    "and UNASSIGNED, each with controller, label, color, area_km2, population and places. "
                    "The zones are estimates from the point gazetteer: see docs/methodology_territory.md.",
        example="python -m frontline territory --date 2015-06-01 > territory-2015-06-01.geojson",
    )
    p.add_argument("--date", required=True, help="ISO date YYYY-MM-DD")
    p.add_argument("--indent", type=int, default=None, help="indent the JSON (default: compact)")
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..data import load_strict
    from ..territory import TerritoryModel
    from ..timeline import parse_date

    when = parse_date(args.date)
    ds = load_strict(args.events, args.places)
    snap = TerritoryModel(ds.places, ds.events).snapshot(when)
    separators = None if args.indent else (",", ":")
    json.dump(snap.geojson, sys.stdout, indent=args.indent, separators=separators, ensure_ascii=False)
    print()
    return 0
