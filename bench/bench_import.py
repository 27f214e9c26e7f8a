"""Benchmark: import a synthetic 1,000,000-row ACLED-format CSV; time the overlay's work per date change.

Targets (2-core machine): the import under 30 s and under 2 GB of memory. The import
runs in a child process so its peak memory (max RSS) is measured alone. The "date change"
time is the server's share of one slider move with the overlay on: the DuckDB query over the
Parquet file (date window, grid cells at the default zoom) and the map client's call built from
it. The whole move in a browser, against the floor, is bench/bench_dashboard.py --overlay N.

    .venv/bin/python bench/bench_import.py [--rows 1000000] [--days 30]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontline.webmap import overlay  # noqa: E402

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
          "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
          "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp").split(",")
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Strategic developments", "Non-state actor overtakes territory"), ("Protests", "Peaceful protest")]
ACTORS = ["Islamic State (Syria)", "Islamic State (Iraq)", "Military Forces of Syria (2000-)",
          "QSD: Syrian Democratic Forces", "Military Forces of Iraq (2014-2020)", "Civilians (Syria)",
          "Military Forces of Russia (2000-)", "Unidentified Armed Group (Syria)"]


def synthesize(path: Path, rows: int, seed: int = 1) -> None:
    """A synthetic ACLED-format CSV (random rows over Syria and Iraq, 2014-2019)."""
    rng = np.random.default_rng(seed)
    block = 100_000
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for start in range(0, rows, block):
            n = min(block, rows - start)
            days = pd.to_datetime("2014-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")
            t = rng.integers(0, len(TYPES), n)
            a1, a2 = rng.integers(0, len(ACTORS), n), rng.integers(0, len(ACTORS), n)
            lat, lon = rng.uniform(32.5, 37.0, n).round(4), rng.uniform(36.0, 46.0, n).round(4)
            fat = rng.integers(0, 30, n)
            for i in range(n):
                w.writerow([f"SYN{start + i}", days[i].strftime("%Y-%m-%d"), days[i].year, 1, "Political violence",
                            TYPES[t[i]][0], TYPES[t[i]][1], ACTORS[a1[i]], "", 2, ACTORS[a2[i]], "", 2, 22, "",
                            760, "Middle East", "Syria" if lon[i] < 41 else "Iraq", "Adm1", "Adm2", "Adm3",
                            f"Place {i % 5000}", lat[i], lon[i], 1, "Synthetic Observer", "National",
                            "SYNTHETIC benchmark row; not ACLED data. " * 2, fat[i], "", 1700000000])


def timed_import(src: Path, out: Path) -> dict:
    code = ("import json, resource, sys, time\n"
            "from frontline.intake.importers import import_file, write_parquet\n"
            "t = time.perf_counter()\n"
            f"table, report = import_file({str(src)!r}, 'acled')\n"
            f"write_parquet(table, {str(out)!r})\n"
            "print(json.dumps({'seconds': time.perf_counter() - t, 'rows': report.rows_mapped,\n"
            "                  'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def slider_time(path: Path, days: int, kind: str, repeats: int = 3) -> float:
    """Median seconds of the server's work for one date change with the overlay on: the DuckDB query of a
    ``days``-day window and the client call built from it."""
    from frontline.intake.overlay_query import OverlayQuery

    q = OverlayQuery(path)
    times = []
    for r in range(repeats):
        t = time.perf_counter()
        window = q.window(pd.Timestamp("2016-06-01") + pd.Timedelta(days=r), days, zoom=6, max_points=overlay.MAX_POINTS)
        overlay.overlay_call(window, kind).script("g")
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=30, help="the overlay's window (days up to the date)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "acled_synthetic.csv", Path(tmp) / "acled_synthetic.parquet"
        t = time.perf_counter()
        synthesize(src, args.rows)
        print(f"synthesized {args.rows:,} ACLED-format rows ({src.stat().st_size / 1e6:,.0f} MB) "
              f"in {time.perf_counter() - t:.1f} s")
        r = timed_import(src, out)
        ok = "OK" if r["seconds"] < 30 and r["max_rss_mb"] < 2048 else "OVER TARGET"
        print(f"import: {r['rows']:,} rows in {r['seconds']:.1f} s, peak memory {r['max_rss_mb']:,.0f} MB "
              f"(target < 30 s, < 2048 MB: {ok})")
        for kind in overlay.KINDS:
            print(f"date change with {args.rows:,} imported events, {args.days}-day window ({kind}): "
                  f"{slider_time(out, args.days, kind) * 1000:.0f} ms of server work (DuckDB query + client call)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
