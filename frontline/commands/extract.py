"""``extract``: candidate events from a news article, for a curator to review."""

from __future__ import annotations

import sys

from . import add_command, add_format_option


def register(sub) -> None:
    p = add_command(
        sub, "extract", help="candidate events from a news article (text or HTML), for review",
        description="Read FILE (plain text or HTML; '-' for standard input), find the places of the gazetteer it names "
                    "(any spelling, the Arabic names, near-misses), the dates resolved against --published ('on "
                    "Sunday', 'yesterday', 'in December 2016'...), the event, the sides and the new holder, and print "
                    "one candidate a line, best first, with its confidence (0-1) and the sentence it came from. A "
                    "place the gazetteer lacks is listed as 'unknown place' (geocode it, then add it), never guessed. "
                    "Nothing is written: add a candidate with add-event or on the Curate page. Offline; no model.",
        example="python -m frontline extract article.txt --published 2019-03-23 --format json",
    )
    p.add_argument("file", metavar="FILE", help="the article: a .txt or .html file, or '-' for standard input")
    p.add_argument("--published", required=True, help="the article's publication day, YYYY-MM-DD")
    add_format_option(p)
    p.add_argument("--min-confidence", type=float, default=0.0, help="leave out candidates below this (0-1)")
    p.add_argument("--places", default=None, help="places CSV (default: data/places.csv)")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    from datetime import date

    import pandas as pd

    from .. import config
    from ..intake.extract import COLUMNS, PlaceIndex, extract
    from ..intake.gazetteer import load_places
    from . import write_table

    try:
        published = date.fromisoformat(args.published.strip())
    except ValueError:
        return _fail(f"--published {args.published!r} is not a date; give the article's publication day as "
                     "YYYY-MM-DD, e.g. --published 2019-03-23")
    if args.file == "-":
        raw = sys.stdin.read()
    else:
        try:
            with open(args.file, "rb") as fh:
                data = fh.read()
        except OSError as err:
            return _fail(f"{args.file}: {err.strerror or err}; give the path of a readable .txt or .html file "
                         "(or '-' to read standard input)")
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _fail(f"{args.file}: not UTF-8 text (byte {data[0:1].hex() if data else ''}...); save the article "
                         "as UTF-8 text or HTML and try again")
    if not raw.strip():
        return _fail(f"{args.file}: the article is empty; give a file with the article's text")
    index = PlaceIndex(load_places(args.places or config.PLACES_PATH))
    rows = [c.as_dict() for c in extract(raw, published, index) if c.confidence >= args.min_confidence]
    write_table(pd.DataFrame(rows, columns=COLUMNS), args.format)
    return 0
