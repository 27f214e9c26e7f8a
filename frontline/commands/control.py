"""``control``: who holds each place on a date."""

from __future__ import annotations

from . import add_command, add_data_options, add_format_option, write_table


def register(sub) -> None:
    p = add_command(
        sub, "control", help="who holds each place on a date",
        description="Print place_id,name,lat,lon,country,controller,since,contested for every place on DATE.",
        example="python -m frontline control --date 2017-10-20 --format csv",
    )
    p.add_argument("--date", required=True, help="ISO date YYYY-MM-DD")
    add_format_option(p)
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..data import load_strict
    from ..timeline import ControlTimeline, parse_date

    when = parse_date(args.date)
    ds = load_strict(args.events, args.places)
    table = ControlTimeline(ds.places, ds.events).control_at(when)
    table["since"] = table["since"].dt.strftime("%Y-%m-%d").fillna("")
    write_table(table, args.format)
    return 0
