"""``validate``: check the places and events files."""

from __future__ import annotations

import sys

from . import add_command, add_data_options


def register(sub) -> None:
    p = add_command(
        sub, "validate", help="check every row of the data files and report every problem",
        description="Check the places and events files. Each problem is printed as FILE:LINE: column: message; "
                    "exits 1 if there is any, else prints counts and exits 0.",
        example="python -m frontline validate --events data/events.csv --places data/places.csv",
    )
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..dataset.validate import validate_files

    place_rows, event_rows, problems = validate_files(args.events, args.places)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    changes = sum(1 for _, r in event_rows if r["event_type"] == "control_change")
    print(f"OK: {len(place_rows)} places, {len(event_rows)} events ({changes} changes of control) in "
          f"{args.places} and {args.events}")
    return 0
