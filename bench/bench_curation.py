"""Benchmark: concurrent curation. N rounds of P ``add-event`` processes saving at once.

Target (issue "Curation that never loses a row"): 50 concurrent processes, in 20 rounds,
every acknowledged row present exactly once, ``validate`` passing, 0 duplicate ids. Each
round starts from the real data copied to a temporary folder. Reports the rows acknowledged,
lost, duplicated, and the wall time of a round (the lock serialises the saves, so a round
costs about P times one save plus process start-up).

    .venv/bin/python bench/bench_curation.py [--rounds 20] [--processes 50]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontline import config  # noqa: E402
from frontline.dataset.load import load  # noqa: E402


def one_round(folder: Path, processes: int, tag: int) -> dict:
    ev, pl = folder / "events.csv", folder / "places.csv"
    shutil.copyfile(config.EVENTS_PATH, ev)
    shutil.copyfile(config.PLACES_PATH, pl)
    before = len(load(ev, pl).events)
    start = time.perf_counter()
    procs = [subprocess.Popen(
        [sys.executable, "-m", "frontline", "add-event", "--place", "Baghuz", "--date", "2018-06-01", "--type",
         "battle", "--actors", "SDF|ISIS", "--summary", f"Bench round {tag} row {i}.", "--source",
         "Bench, 2018-06-01, concurrency", "--source-type", "newspaper", "--confidence", "low", "--allow-duplicate", "--events", str(ev),
         "--places", str(pl)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(processes)]
    acknowledged, tracebacks = {}, 0
    for i, p in enumerate(procs):
        out, err = p.communicate(timeout=900)
        tracebacks += "Traceback" in err
        m = re.search(r"^added (\S+) at line", out, re.M)
        if m:
            acknowledged[m.group(1)] = f"Bench round {tag} row {i}."
    seconds = time.perf_counter() - start
    ds = load(ev, pl)
    ids = ds.events["event_id"].tolist()
    by_id = dict(zip(ds.events["event_id"], ds.events["summary"]))
    summaries = ds.events["summary"].tolist()
    lost = sum(by_id.get(eid) != s for eid, s in acknowledged.items())
    doubled = sum(summaries.count(s) > 1 for s in acknowledged.values())
    return {"acknowledged": len(acknowledged), "lost": lost, "doubled": doubled,
            "duplicate_ids": len(ids) - len(set(ids)), "problems": len(ds.problems),
            "extra_rows": len(ds.events) - before - len(acknowledged), "tracebacks": tracebacks, "seconds": seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--processes", type=int, default=50)
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            res = one_round(Path(tmp), args.processes, r)
            results.append(res)
            print(f"round {r + 1:2d}: {res['acknowledged']}/{args.processes} acknowledged, lost {res['lost']}, "
                  f"doubled {res['doubled']}, duplicate ids {res['duplicate_ids']}, validate problems "
                  f"{res['problems']}, unacknowledged rows {res['extra_rows']}, tracebacks {res['tracebacks']}, "
                  f"{res['seconds']:.1f} s", flush=True)
    bad = sum(r["lost"] + r["doubled"] + r["duplicate_ids"] + r["problems"] + r["tracebacks"] for r in results)
    print(f"{args.rounds} rounds x {args.processes} processes: "
          f"{sum(r['acknowledged'] for r in results)} rows acknowledged, {bad} lost/doubled/duplicate-id/invalid; "
          f"median round {statistics.median(r['seconds'] for r in results):.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
