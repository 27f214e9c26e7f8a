"""``area``: estimated area (km2), places and population held by each controller on a date."""

from __future__ import annotations

from . import add_command, add_data_options, add_format_option, write_table


def register(sub) -> None:
    p = add_command(
        sub, "area", help="estimated km2 held by each controller on a date",
        description="Print controller,area_km2,places,population on DATE: one row per controller, plus CONTESTED "
                    "(places under offensive or siege) and UNASSIGNED (land beyond every place's reach that is not "
                    "behind one side's lines). "
                    "Areas are estimates from the point gazetteer: see docs/methodology_territory.md.",
        example="python -m frontline area --date 2015-06-01 --format csv",
    )
    p.add_argument("--date", required=True, help="ISO date YYYY-MM-DD")
    add_format_option(p)
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..data import load_strict
    from ..territory import TerritoryModel
    from ..timeline import parse_date

    when = parse_date(args.date)
    ds = load_strict(args.events, args.places)
    areas = TerritoryModel(ds.places, ds.events).areas_on(when)
    areas = areas[["controller", "area_km2", "places", "population"]]
    write_table(areas, args.format, float_format="%.1f")
    return 0
