"""One module per CLI command; see :mod:`frontline.cli`."""

import argparse


def add_command(sub, name: str, help: str, description: str, example: str) -> argparse.ArgumentParser:
    """Add a command whose help ends with an example."""
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=f"Example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--events / --places, defaulting to the curated files."""
    from .. import config

    parser.add_argument("--events", default=str(config.EVENTS_PATH), help="events CSV (default: %(default)s)")
    parser.add_argument("--places", default=str(config.PLACES_PATH), help="places CSV (default: %(default)s)")


def add_format_option(parser: argparse.ArgumentParser, choices=("csv", "json")) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0], help="output format (default: %(default)s)")


def write_table(table, fmt: str, float_format: str | None = None) -> None:
    """Print a DataFrame to stdout as CSV or as a JSON list of records."""
    import sys

    if fmt == "json":
        table.to_json(sys.stdout, orient="records", indent=1, force_ascii=False)
        print()
    else:
        from ..safety import csv_safe

        csv_safe(table).to_csv(sys.stdout, index=False, lineterminator="\n", float_format=float_format)


def add_date_option(parser: argparse.ArgumentParser) -> None:
    """--date (required) and --events/--places: the options of every 'on a date' command."""
    parser.add_argument("--date", required=True, help="ISO date YYYY-MM-DD")
    add_data_options(parser)


def date_and_data(args):
    """The checked ``--date`` and the dataset (raises on a bad date or on any data problem)."""
    from ..dataset.load import load_strict
    from ..history.timeline import parse_date

    when = parse_date(args.date)
    return when, load_strict(args.events, args.places)


def finish_insert(warnings: list[str], dry_run: bool, allowed: bool, refusal: str, insert) -> int:
    """The common end of add-event and add-place: show possible duplicates, then write or refuse.

    ``warnings`` go to stderr; a dry run writes nothing; with warnings and not ``allowed`` the
    row is refused with ``refusal``; otherwise ``insert()`` writes it and returns its message.
    """
    import sys

    for line in warnings:
        print(f"possible duplicate: {line}", file=sys.stderr)
    if dry_run:
        print("dry run: nothing written")
        return 0
    if warnings and not allowed:
        print(f"error: not added: {refusal}", file=sys.stderr)
        return 1
    print(insert())
    return 0
