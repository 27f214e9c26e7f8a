"""``territory``: the estimated zones of control on a date, as GeoJSON."""

from __future__ import annotations

import json
import sys

from . import add_command, add_date_option, date_and_data


def register(sub) -> None:
    p = add_command(
        sub, "territory", help="zones of control on a date as GeoJSON (EPSG:4326)",
        description="Print a GeoJSON FeatureCollection (EPSG:4326) with one feature per controller, plus CONTESTED "
                    "and UNASSIGNED, each with controller, label, color, area_km2, population and places. "
                    "The zones are estimates from the point gazetteer: see docs/methodology_territory.md.",
        example="python -m frontline territory --date 2015-06-01 > territory-2015-06-01.geojson",
    )
    add_date_option(p)
    p.add_argument("--indent", type=int, default=None, help="indent the JSON (default: compact)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..history.territory import TerritoryModel

    when, ds = date_and_data(args)
    snap = TerritoryModel(ds.places, ds.events).snapshot(when)
    separators = None if args.indent else (",", ":")
    json.dump(snap.geojson, sys.stdout, indent=args.indent, separators=separators, ensure_ascii=False)
    print()
    return 0
