"""``change``: what each side gained and lost between two dates, and the places that changed hands."""

from __future__ import annotations

import json
import sys

from . import add_command, add_data_options, add_format_option, write_table


def register(sub) -> None:
    p = add_command(
        sub, "change", help="ground and people each side gained and lost between two dates",
        description="Print, per controller, gained_km2, lost_km2, net_km2, population_gained and population_lost "
                    "from --from to --to, and the places whose holder differs between the two dates (place_id, "
                    "name, before, after, and the last change of control between them: date, event_id, source, "
                    "confidence). CSV prints the controllers, a blank line, then the places; JSON prints "
                    '{"from", "to", "controllers": [...], "places": [...]}. Areas and people are the territory '
                    "model's estimates: see docs/methodology_territory.md.",
        example="python -m frontline change --from 2016-01-01 --to 2016-12-31 --format json",
    )
    p.add_argument("--from", dest="start", required=True, help="the earlier date, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, help="the later date, YYYY-MM-DD")
    add_data_options(p)
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..dataset.load import load_strict
    from ..history.change import _check, compare
    from ..history.territory import TerritoryModel

    _check(args.start, args.end)  # a bad date fails before the data is read
    ds = load_strict(args.events, args.places)
    change = compare(TerritoryModel(ds.places, ds.events), ds.events, args.start, args.end)
    if args.format == "json":
        json.dump(change.as_dict(), sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    write_table(change.controllers, "csv", float_format="%.1f")
    print()
    write_table(change.places.assign(date=change.places["date"].dt.strftime("%Y-%m-%d")), "csv")
    return 0
