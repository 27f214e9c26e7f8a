"""Benchmark: concurrent curation. N rounds of P ``add-event`` processes saving at once.

Target (issue "Curation that never loses a row"): 50 concurrent processes, in 20 rounds,
every acknowledged row present exactly once, ``validate`` passing, 0 duplicate ids. Each
round starts from the real data copied to a temporary folder. Reports the rows acknowledged,
lost, duplicated, and the wall time of a round (the lock serialises the saves, so a round
costs about P times one save plus process start-up).

    .venv/bin/python bench/bench_curation.py [--rounds 20] [--processes 50] [--browser-rounds 20]

``--browser-rounds`` also runs the Curate page on a copy of the data and, in each round, has two
headless-Chromium sessions press "Add to events.csv" together (needs Debian's chromium).
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


def browser_rounds(rounds: int) -> int:
    """Two browser sessions saving at once, ``rounds`` times; returns the count of rows lost or doubled."""
    import re as _re

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, copy_data, start_app
    from playwright.sync_api import sync_playwright
    from test_curate_page import fill_baghuz_event, make_it_a_battle

    def idle(pg) -> None:  # Streamlit shows its status widget while a rerun is under way
        pg.wait_for_timeout(300)
        pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)

    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        ev, pl = copy_data(ROOT / "tests" / "fixtures" / "intake", Path(tmp))
        proc, url = start_app("pages/5_Curate.py", env={"FRONTLINE_EVENTS": str(ev), "FRONTLINE_PLACES": str(pl),
                                                        "FRONTLINE_GEOCODE_CACHE": str(Path(tmp) / "c.json")})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                pages = [browser.new_context().new_page() for _ in range(2)]
                for pg in pages:
                    pg.goto(url)
                for rnd in range(rounds):
                    before = ev.read_text(encoding="utf-8").split("\n")
                    for k, pg in enumerate(pages):  # a fresh session each round: nothing stale on the page
                        pg.goto(url)
                        fill_baghuz_event(pg)
                        make_it_a_battle(pg)
                        pg.get_by_label("Summary").fill(f"Bench round {rnd}, analyst {k}.")
                        pg.get_by_role("button", name="Check the event").click()
                        idle(pg)
                        if rnd > 0:  # the earlier rounds' rows are possible duplicates: confirm
                            pg.get_by_text("It is a different event: add it anyway").click()
                            idle(pg)
                    buttons = [pg.get_by_role("button", name="Add to events.csv") for pg in pages]
                    for b in buttons:
                        b.wait_for(timeout=30_000)
                    try:
                        for b in buttons:
                            b.click(no_wait_after=True, timeout=30_000)
                    except Exception:
                        for k, pg in enumerate(pages):
                            add = pg.get_by_role("button", name="Add to events.csv")
                            box = pg.get_by_role("checkbox", name="It is a different event: add it anyway")
                            alerts = pg.locator("[data-testid='stAlertContainer']").all_inner_texts()
                            print(f"analyst {k}: add buttons {add.count()}, disabled "
                                  f"{[add.nth(i).is_disabled() for i in range(add.count())]}, boxes {box.count()}, "
                                  f"checked {[box.nth(i).is_checked() for i in range(box.count())]}, alerts {alerts}")
                        raise
                    told = []
                    for pg in pages:
                        idle(pg)
                        pg.get_by_text(_re.compile(r"Added SY-\d+ at line|Not added|refuses the row")).first.wait_for(
                            timeout=60_000)
                        told.append(pg.get_by_text(_re.compile(r"Added SY-\d+ at line")).count() > 0)
                    after = ev.read_text(encoding="utf-8").split("\n")
                    added = [line for line in after if line not in before]
                    ids = [line.split(",")[0] for line in after[1:] if line]
                    lost = sum(ok and sum(f"Bench round {rnd}, analyst {k}." in a for a in added) != 1
                               for k, ok in enumerate(told))
                    doubled = len(ids) - len(set(ids)) + max(0, len(added) - sum(told))
                    bad += lost + doubled
                    print(f"browser round {rnd + 1:2d}: {sum(told)}/2 told added, {len(added)} rows written, "
                          f"lost {lost}, doubled/duplicate ids {doubled}", flush=True)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--processes", type=int, default=50)
    ap.add_argument("--browser-rounds", type=int, default=0)
    args = ap.parse_args()
    if args.browser_rounds:
        bad = browser_rounds(args.browser_rounds)
        print(f"{args.browser_rounds} browser rounds: {bad} rows lost, doubled or with a duplicate id")
        if not args.rounds:
            return 1 if bad else 0
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
