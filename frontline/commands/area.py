"""``area``: estimated area (km2), places and population held by each controller on a date."""

from __future__ import annotations

from . import add_command, add_date_option, add_format_option, date_and_data, write_table


def register(sub) -> None:
    p = add_command(
        sub, "area", help="estimated km2 held by each controller on a date",
        description="Print controller,area_km2,places,population on DATE: one row per controller, plus CONTESTED "
                    "(places under offensive or siege) and UNASSIGNED (land beyond every place's reach that is not "
                    "behind one side's lines). "
                    "Areas are estimates from the point gazetteer: see docs/methodology_territory.md.",
        example="python -m frontline area --date 2015-06-01 --format csv",
    )
    add_date_option(p)
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..history.territory import TerritoryModel

    when, ds = date_and_data(args)
    areas = TerritoryModel(ds.places, ds.events).areas_on(when)
    areas = areas[["controller", "area_km2", "places", "population"]]
    write_table(areas, args.format, float_format="%.1f")
    return 0
