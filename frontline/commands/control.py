"""``control``: who holds each place on a date."""

from __future__ import annotations

from . import add_command, add_date_option, add_format_option, date_and_data, write_table


def register(sub) -> None:
    p = add_command(
        sub, "control", help="who holds each place on a date",
        description="Print place_id,name,lat,lon,country,controller,since,contested for every place on DATE.",
        example="python -m frontline control --date 2017-10-20 --format csv",
    )
    add_date_option(p)
    add_format_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..history.timeline import ControlTimeline

    when, ds = date_and_data(args)
    table = ControlTimeline(ds.places, ds.events).control_at(when)
    table["since"] = table["since"].dt.strftime("%Y-%m-%d").fillna("")
    write_table(table, args.format)
    return 0
