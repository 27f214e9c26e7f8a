"""``export``: briefing maps, small multiples, slide decks and the stand-alone map, to a file."""

from __future__ import annotations

import sys

from . import add_command, add_data_options


def _codes(values) -> tuple[str, ...]:
    """Repeated and comma-separated option values as one tuple: ``['SY,IQ', 'high']`` -> ``('SY', 'IQ', 'high')``."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def _bbox_arg(text: str):
    """``--bbox`` as checked bounds; a bad box is a usage error (exit 2) naming the option and the fix."""
    import argparse

    from ..errors import ExportError
    from ..export.area import parse_bbox

    try:
        return parse_bbox(text)
    except ExportError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix("--bbox: ")) from None


def _size_arg(text: str) -> tuple[int, int]:
    """``--size 1600x900`` as (1600, 900): each side 320..4096 pixels."""
    import argparse

    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 1920x1080; got {text!r}") from None
    if not (320 <= w <= 4096 and 320 <= h <= 4096):
        raise argparse.ArgumentTypeError(f"each side must be 320..4096 pixels; got {w}x{h}")
    return w, h


def _region_arg(name: str):
    """``--region`` as (name, bounds); an unknown name is a usage error (exit 2) listing the known ones."""
    import argparse

    from ..errors import ExportError
    from ..export.area import find_region

    try:
        region = find_region(name)
    except ExportError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return region.name, region.bounds


def register(sub) -> None:
    from ..export.presets import FORMATS, PRESETS
    from ..history.filters import FILTER_FIELDS

    p = add_command(
        sub, "export", help="export briefing maps, small multiples, a slide deck or a stand-alone map",
        description="Write a clean, labelled briefing product for one or more dates, with no browser and no network: "
                    "png/pdf/svg (one date: a map page; several: small multiples side by side), pptx (a deck: title, "
                    "one slide per date with its key events, a closing chart and sources) or html (one offline file "
                    "with a time slider). --browser captures the interactive map in headless Chromium instead.",
        example="python -m frontline export --date 2014-06-10 --date 2015-05-21 --date 2017-07-10 "
                "--date 2019-03-23 --format pptx --out brief.pptx\n  "
                "python -m frontline export --from 2014-06-01 --to 2015-05-31 --step month --format mp4 --out rise.mp4",
    )
    p.add_argument("--date", action="append", metavar="YYYY-MM-DD",
                   help="a date to show (repeat for several; 2014-01-01..2019-03-23)")
    n = p.add_argument_group("animation (gif, mp4): a frame per step from --from to --to, instead of --date")
    n.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="the first frame's date")
    n.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="the last frame's date")
    n.add_argument("--step", choices=["day", "week", "month"], default="month",
                   help="from one frame to the next (default: %(default)s)")
    n.add_argument("--fps", type=float, help="frames a second (default: 8 a day, 4 a week, 2 a month)")
    p.add_argument("--format", choices=list(FORMATS), help="output format (default: from the --out extension)")
    p.add_argument("--preset", choices=list(PRESETS), default="slide",
                   help="page size for png/pdf/svg: " + "; ".join(f"{k} = {v.label}" for k, v in PRESETS.items())
                        + " (default: %(default)s)")
    p.add_argument("--marking", default="", metavar="TEXT",
                   help="a marking line shown at the top and bottom (e.g. a classification or handling caveat)")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    p.add_argument("--browser", action="store_true",
                   help="png only: capture the interactive map in headless Chromium (needs chromium installed)")
    p.add_argument("--size", type=_size_arg, metavar="WxH",
                   help="with --browser: the capture's size in pixels (default: 1920x1080)")
    p.add_argument("--app-url", metavar="URL", help="with --browser: capture this running dashboard instead of the "
                                                    "stand-alone map, e.g. http://localhost:8501")
    p.add_argument("--change-from", metavar="YYYY-MM-DD",
                   help="one date's png/pdf/svg: also hatch the ground that changed hands since this date, "
                        "with each side's km² gained and lost in the legend")
    a = p.add_argument_group("area of interest (default: the whole theatre)").add_mutually_exclusive_group()
    a.add_argument("--bbox", type=_bbox_arg, metavar="W,S,E,N",
                   help="draw this box (degrees west, south, east, north), e.g. --bbox 42.6,35.9,43.7,36.7")
    a.add_argument("--region", type=_region_arg, metavar="NAME",
                   help="draw a named region from data/regions.csv: " + _region_names())
    g = p.add_argument_group("event filters (territory always uses every change of control)")
    for f in FILTER_FIELDS:  # the one filter table: the same filters as the map and the URL
        if f.codes is None:
            g.add_argument(f.option, default="", help=f.help)
        else:
            g.add_argument(f.option, action="append", metavar="CODE", help=f.help)
    g.add_argument("--window-days", type=int, default=30, help="events of this many days up to each date are drawn "
                                                                "(the map's 'highlight the last N days'; default: "
                                                                "%(default)s)")
    add_data_options(p)
    p.set_defaults(func=run)


def _dates(args, fmt: str) -> list:
    """The dates to draw: every --date, or (gif, mp4) a frame per --step from --from to --to."""
    from ..errors import ExportError
    from ..export import parse_dates
    from ..export.animation import ANIMATION_FORMATS, frame_dates

    ranged = args.date_from or args.date_to
    if ranged:
        if args.date:
            raise ExportError("give either --date or --from/--to, not both")
        if fmt not in ANIMATION_FORMATS:
            raise ExportError(f"--from/--to make an animation: use --format gif or mp4 (not {fmt}), "
                              "or list the dates with --date")
        if not (args.date_from and args.date_to):
            raise ExportError("an animation needs both --from and --to, e.g. --from 2014-06-01 --to 2015-05-31")
        ends = parse_dates([args.date_from, args.date_to])
        if len(ends) == 2 and parse_dates([args.date_from])[0] > ends[0]:
            raise ExportError(f"--to {args.date_to} is before --from {args.date_from}; swap them")
        return frame_dates(ends[0], ends[-1], args.step)
    if not args.date:
        raise ExportError("no date given; pass --date YYYY-MM-DD (repeat for several), or --from and --to "
                          "for an animation")
    return parse_dates(args.date)


def _fps(args):
    from ..export.animation import DEFAULT_FPS

    return args.fps if args.fps is not None else DEFAULT_FPS[args.step]


def _region_names() -> str:
    from ..errors import ExportError
    from ..export.area import load_regions

    try:
        return ", ".join(r.name for r in load_regions())
    except ExportError as err:
        return str(err)


def run(args) -> int:
    from ..errors import ExportError
    from ..export import export, load_briefing, parse_dates
    from ..export.presets import check_output, format_from_path
    from ..history.filters import FILTER_FIELDS, EventFilter

    fmt = args.format or format_from_path(args.out)
    dates = _dates(args, fmt)               # a bad date fails before the data is read
    check_output(args.out, fmt)            # so does an unwritable path
    values = {f.name: _codes(getattr(args, f.dest)) if f.codes is not None else getattr(args, f.dest) or ""
              for f in FILTER_FIELDS}
    for f in FILTER_FIELDS:
        unknown = [g for g in values[f.name] if g not in f.codes] if f.codes is not None else []
        if unknown:
            raise ExportError(f"unknown {f.option} {', '.join(map(repr, unknown))}; known: {', '.join(f.codes)}")
    filters = EventFilter(**values)
    if args.window_days < 1:
        raise ExportError(f"--window-days must be at least 1, not {args.window_days}")
    name, bounds = args.region if args.region else ("", args.bbox)
    since = parse_dates([args.change_from])[0] if args.change_from else None
    briefing = load_briefing(args.events, args.places, filters, args.window_days, bounds, name)
    if since is not None:
        import dataclasses

        from ..export import check_change_map

        check_change_map(since, dates, fmt, args.browser)
        briefing = dataclasses.replace(briefing, change_from=since)

    from tqdm import tqdm

    with tqdm(total=100, desc="starting", file=sys.stderr, leave=False,
              bar_format=f"export {fmt}: {{percentage:3.0f}}% |{{bar:24}}| {{desc}}") as bar:
        def progress(fraction, message):
            bar.n = int(round(100 * min(max(fraction, 0), 1)))
            bar.set_description_str(message)

        out = export(briefing, dates, fmt, args.out, args.preset, args.marking, progress,
                     browser=args.browser, app_url=args.app_url, fps=_fps(args), size=args.size)
    size = out.stat().st_size
    unit = "frame" if fmt in ("gif", "mp4") else "date"
    print(f"wrote {out} ({fmt}, {len(dates)} {unit}{'s' if len(dates) > 1 else ''}, {size / 1e6:.1f} MB)")
    return 0
