"""``import``: map a UCDP GED, ACLED or GTD file onto the overlay event table (Parquet)."""

from __future__ import annotations

import sys

from . import add_command


def register(sub) -> None:
    p = add_command(
        sub, "import", help="import a UCDP, ACLED or GTD file as a map overlay (Parquet)",
        description="Read FILE in chunks (with a progress bar), map its columns onto the overlay table "
                    "(source_dataset, source_id, date, lat, lon, place, country, event_type, raw_type, actors, "
                    "fatalities, isis_party, source) and write it to --out (default data/imports/NAME.parquet, "
                    "which the dashboard's Overlay panel lists). Rows that cannot be mapped are reported with "
                    "their row number, id and reason.",
        example="python -m frontline import --format ucdp ../shared/data/ucdp_ged_syria_is_events_2016_2019.csv "
                "--out data/imports/ucdp_syria.parquet",
    )
    p.add_argument("file", help="the dataset's CSV file")
    p.add_argument("--format", required=True, choices=["ucdp", "acled", "gtd"], help="the dataset")
    p.add_argument("--out", default=None, help="Parquet file to write, inside data/imports/ (default: data/imports/<file name>.parquet)")
    p.add_argument("--encoding", default="utf-8", help="the file's text encoding (GTD: latin-1)")
    p.add_argument("--show", type=int, default=20, help="how many unmapped rows to list (default: %(default)s)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import config
    from ..intake.importers import import_file, import_target, write_parquet

    out = import_target(args.out, args.file, config.IMPORTS_DIR)
    table, report = import_file(args.file, args.format, encoding=args.encoding,
                                progress=not args.no_progress and sys.stderr.isatty())
    for rejected in report.rejected[: args.show]:
        print(f"not mapped: {rejected}", file=sys.stderr)
    if report.rows_rejected > args.show:
        counts = ", ".join(f"{n} x {k}" for k, n in report.reasons.most_common())
        print(f"... {report.rows_rejected - min(args.show, len(report.rejected))} more not mapped ({counts})",
              file=sys.stderr)
    write_parquet(table, out)
    print(report.summary())
    print(f"wrote {len(table)} rows to {out}")
    return 0
