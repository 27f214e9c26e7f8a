"""Benchmark: 30 analysts at once through nginx, against a team of 1 and of 2 Streamlit processes.

For each team size (``--processes 1 2`` by default) this starts the team the way ``make serve-team``
does (:func:`frontline.team.start`: N processes behind Debian's nginx on one port), on a copy of the
data, and then:

1. **a first visitor per process** (each process opened directly, the map drawn once): each process's
   memory then is the "fresh server after its first visitor" reference;
2. **``--sessions`` concurrent sessions through nginx**, arriving ``--ramp`` s apart, each: open the map,
   ``--moves`` date moves, the Timeline and the Events page. ``--browsers`` of them (spread over the
   arrivals) run in one headless Chromium, a context each, every non-local request blocked: first map =
   page open -> the map's date label and layers drawn; a move = ArrowRight on the date slider, timed until
   the map shows the next day with its layers drawn; the Timeline (its chart drawn) and the Events page
   (its table drawn). The others speak Streamlit's WebSocket protocol (``protocol_client.py``): the same
   requests, timed to the server's answer, pausing ``--think`` s after each move as a browser session
   does. A timeout, a page error, an exception on the page or a move whose date did not advance counts as
   an error. The machine's busy CPU time and each server's are recorded, to show who had the cores;
3. memory per process (RSS) before, at the peak (sampled every 0.5 s) and after every session closed;
4. **a data swap**: the events file is replaced by a 200,000-row file, each process opened once, the
   original put back, each process opened once more; memory per process 150 s later (Streamlit keeps a closed session for
   120 s), as a ratio to (1).

The load generators share this machine's cores with the servers (with 30 Chromium pages the servers had 5 % of the CPU,
which is why most sessions now run without a browser); both team sizes are measured in the same run, and
the comparison is the ratio of their medians.

Targets (issue #18): 0 errors, every move drawn, first map <= 10 s for every session, median move with
2 processes <= 0.6x the median with 1; after the swap, memory per process within 20% of (1).

Usage: .venv/bin/python bench/bench_team.py [--sessions 30] [--browsers 5] [--moves 15] [--processes 1 2] [--no-swap]
Writes bench/results/team.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from frontline import config  # noqa: E402
from frontline import team as team_mod  # noqa: E402
from procstat import cpu_seconds as cpu_s, machine_busy_seconds as machine_busy_s, rss_mb  # noqa: E402
from protocol_client import ProtocolError, ProtocolSession  # noqa: E402


class MemorySampler(threading.Thread):
    """Peak RSS of each process, sampled every 0.5 s until stopped."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self._halt = pids, {p: 0.0 for p in pids}, threading.Event()

    def run(self):
        while not self._halt.wait(0.5):
            for p in self.pids:
                self.peak[p] = max(self.peak[p], rss_mb(p))

    def stop(self):
        self._halt.set()
        self.join()


def big_events_file(original: Path, out: Path, rows: int = 200_000) -> None:
    """``rows`` events: the original's, then copies of its non-control events under new ids (valid, same places)."""
    with open(original, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, events = reader.fieldnames, list(reader)
    quiet = [e for e in events if e["event_type"] not in ("control_change",)]
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(events)
        for i in range(rows - len(events)):
            row = dict(quiet[i % len(quiet)])
            row["event_id"] = f"{row['event_id'].split('-')[0]}-{100000 + i:06d}"
            writer.writerow(row)


# --- one browser session ---------------------------------------------------------------------------

_ADVANCED = """([sel, before]) => { const f = document.querySelector(sel);
    const el = f && f.contentDocument && f.contentDocument.getElementById("fl-date-label");
    return el && el.getAttribute("data-date") && el.getAttribute("data-date") !== before; }"""
_DRAWN = """([sel, n]) => { const f = document.querySelector(sel); const w = f && f.contentWindow;
    return !!(w && w.FL && w.FL.stats.territory + w.FL.stats.events >= n); }"""


async def _new_page(browser):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})

    async def route(r):
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            await r.continue_()
        else:
            await r.abort()

    await ctx.route("**/*", route)
    return ctx, await ctx.new_page()


async def _drawn(page) -> int:
    return await page.locator(FRAME).evaluate(
        "f => f.contentWindow.FL ? f.contentWindow.FL.stats.territory + f.contentWindow.FL.stats.events : 0")


async def open_map(page, url: str, timeout_ms: int) -> float:
    t0 = time.perf_counter()
    await page.goto(url + "/?date=2016-01-01", wait_until="domcontentloaded", timeout=timeout_ms)
    await page.wait_for_function(_ADVANCED, arg=[FRAME, ""], timeout=timeout_ms, polling=100)
    await page.wait_for_function(_DRAWN, arg=[FRAME, 2], timeout=timeout_ms, polling=100)
    return time.perf_counter() - t0


async def session(browser, url: str, moves: int, timeout_ms: int) -> dict:
    out = {"first_map_s": None, "moves_ms": [], "errors": [], "timeline_s": None, "events_s": None}
    ctx, page = await _new_page(browser)
    page.on("pageerror", lambda e: out["errors"].append(f"page error: {e}"))
    try:
        out["first_map_s"] = await open_map(page, url, timeout_ms)
        await page.wait_for_timeout(1500)  # the first run's follow-up rerun
        slider = page.locator("[data-testid=stMain]").get_by_role("slider").first
        for i in range(moves):
            await slider.focus()
            before = await page.frame_locator(FRAME).locator("#fl-date-label").get_attribute("data-date")
            drawn = await _drawn(page)
            t = time.perf_counter()
            await page.keyboard.press("ArrowRight")
            try:
                await page.wait_for_function(_ADVANCED, arg=[FRAME, before], timeout=timeout_ms, polling=50)
                await page.wait_for_function(_DRAWN, arg=[FRAME, drawn + 2], timeout=timeout_ms, polling=50)
            except Exception as err:  # a move not drawn in time is an error of this session
                out["errors"].append(f"move {i + 1}: {type(err).__name__}")
                continue
            out["moves_ms"].append((time.perf_counter() - t) * 1000)
            await page.wait_for_timeout(250)
        t = time.perf_counter()
        await page.goto(url + "/Timeline", wait_until="domcontentloaded", timeout=timeout_ms)
        await page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first.wait_for(
            timeout=timeout_ms)
        out["timeline_s"] = time.perf_counter() - t
        t = time.perf_counter()
        await page.goto(url + "/Events", wait_until="domcontentloaded", timeout=timeout_ms)
        await page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=timeout_ms)
        out["events_s"] = time.perf_counter() - t
    except Exception as err:
        out["errors"].append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
    finally:
        await ctx.close()
    return out


async def visit_each(browser, team, timeout_ms: int) -> None:
    """Open the map once on each process directly (its first visitor)."""
    for _, port in team.backends:
        ctx, page = await _new_page(browser)
        try:
            await open_map(page, f"http://127.0.0.1:{port}", timeout_ms)
        finally:
            await ctx.close()


def _pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]) if values else None


async def protocol_session(url: str, moves: int, timeout_s: float, think_s: float) -> dict:
    """The same steps as :func:`session` over Streamlit's WebSocket protocol (``protocol_client``): no browser,
    so its times are the server's answers (no drawing) and it leaves the cores to the servers."""
    out = {"first_map_s": None, "moves_ms": [], "errors": [], "timeline_s": None, "events_s": None}
    s = ProtocolSession(url, timeout_s=timeout_s, query_string="date=2016-01-01")
    try:
        out["first_map_s"] = await s.open()
        await asyncio.sleep(1.5)  # as the browser session waits after its first map
        for i in range(moves):
            try:
                out["moves_ms"].append(await s.move() * 1000)
            except (ProtocolError, asyncio.TimeoutError) as err:
                out["errors"].append(f"move {i + 1}: {err}")
            await asyncio.sleep(think_s)
        out["timeline_s"] = await s.page("Timeline")
        out["events_s"] = await s.page("Events")
    except Exception as err:
        out["errors"].append(f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}")
    finally:
        await s.close()
    return out


def _summary(sessions: list[dict]) -> dict:
    moves = [m for s in sessions for m in s["moves_ms"]]
    firsts = [s["first_map_s"] for s in sessions if s["first_map_s"] is not None]
    errors = [e for s in sessions for e in s["errors"]]
    return {
        "sessions": len(sessions), "errors": len(errors), "error_samples": errors[:10],
        "moves_drawn": len(moves),
        "move_median_ms": round(statistics.median(moves)) if moves else None, "move_p90_ms": _pct(moves, 90),
        "first_map_median_s": round(statistics.median(firsts), 2) if firsts else None,
        "first_map_max_s": round(max(firsts), 2) if firsts else None,
        "timeline_max_s": round(max(((s["timeline_s"] or 0) for s in sessions), default=0), 1),
        "events_max_s": round(max(((s["events_s"] or 0) for s in sessions), default=0), 1),
    }


async def run_team(pw, n: int, args, events_copy: Path, original: Path) -> dict:
    env = {"FRONTLINE_EVENTS": str(events_copy)}
    team = team_mod.start(processes=n, port=team_mod.free_ports(1)[0], run_dir=Path(tempfile.mkdtemp()) / "team",
                          env=env)
    browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])
    browsers = min(args.browsers, args.sessions)
    try:
        await visit_each(browser, team, 180_000)
        await asyncio.sleep(3)
        before = {p: rss_mb(p) for p in team.pids()}
        sampler = MemorySampler(team.pids())
        sampler.start()
        cpu0, busy0 = {p: cpu_s(p) for p in team.pids()}, machine_busy_s()
        t0 = time.perf_counter()

        in_chromium = {round(k * args.sessions / browsers) for k in range(browsers)}  # spread over the arrivals

        async def later(i):  # analysts arrive one after another (--ramp s apart), then all work at once
            await asyncio.sleep(i * args.ramp)
            if i in in_chromium:
                return "browser", await session(browser, team.url, args.moves, args.timeout * 1000)
            return "protocol", await protocol_session(team.url, args.moves, args.timeout, args.think)

        done = await asyncio.gather(*[later(i) for i in range(args.sessions)])
        wall = time.perf_counter() - t0
        server_cpu = {p: cpu_s(p) - cpu0[p] for p in team.pids()}
        busy = machine_busy_s() - busy0
        sampler.stop()
        await asyncio.sleep(10)  # sessions end when their WebSocket closes
        after = {p: rss_mb(p) for p in team.pids()}
        swap = None
        if not args.no_swap:
            big_events_file(original, events_copy.with_name("big.csv"))
            shutil.copyfile(events_copy.with_name("big.csv"), events_copy)
            await visit_each(browser, team, 600_000)
            shutil.copyfile(original, events_copy)
            await visit_each(browser, team, 600_000)
            await asyncio.sleep(150)  # the processes release memory again 15, 60 and 135 s after a data change
            swapped = {p: rss_mb(p) for p in team.pids()}
            swap = {str(p): {"mb": round(swapped[p]), "ratio_to_fresh": round(swapped[p] / before[p], 2)}
                    for p in team.pids()}
    finally:
        await browser.close()
        team.stop()
    sessions = [s for _, s in done]
    return {
        "processes": n, "sessions": args.sessions, "browsers": browsers, "moves_per_session": args.moves,
        "moves_expected": args.sessions * args.moves, "ramp_s": args.ramp, "think_s": args.think,
        "wall_s": round(wall, 1),
        "all": _summary(sessions),
        "browser": _summary([s for kind, s in done if kind == "browser"]),
        "protocol": _summary([s for kind, s in done if kind == "protocol"]),
        # where the machine's CPU went while the sessions ran: the servers' share shows how much of a move's
        # time is the servers' and how much the browsers' (which share the same cores here)
        "cpu": {"machine_busy_s": round(busy, 1), "cores_busy": round(busy / wall, 2) if wall else None,
                "server_s": {str(p): round(v, 1) for p, v in server_cpu.items()},
                "server_share": round(sum(server_cpu.values()) / busy, 2) if busy else None},
        "memory_mb": {str(p): {"fresh_after_first_visitor": round(before[p]), "peak": round(sampler.peak[p]),
                               "after_sessions": round(after[p])} for p in team.pids()},
        "after_data_swap": swap,
    }


def report(results: list[dict]) -> str:
    lines = ["| processes | sessions (in Chromium) | errors | moves done | median / p90 move: Chromium (drawn) | "
             "median / p90 move: protocol (server's answer) | first map median / max: Chromium; protocol | "
             "Timeline max | memory per process: fresh -> peak -> after -> after swap (ratio) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        b, pr, a = r["browser"], r["protocol"], r["all"]
        mem = "; ".join(f"{m['fresh_after_first_visitor']} -> {m['peak']} -> {m['after_sessions']}"
                        + (f" -> {r['after_data_swap'][p]['mb']} ({r['after_data_swap'][p]['ratio_to_fresh']})"
                           if r["after_data_swap"] else "") + " MB"
                        for p, m in r["memory_mb"].items())
        lines.append(f"| {r['processes']} | {r['sessions']} ({r['browsers']}) | {a['errors']} | "
                     f"{a['moves_drawn']}/{r['moves_expected']} | {b['move_median_ms']} / {b['move_p90_ms']} ms | "
                     f"{pr['move_median_ms']} / {pr['move_p90_ms']} ms | {b['first_map_median_s']} / "
                     f"{b['first_map_max_s']} s; {pr['first_map_median_s']} / {pr['first_map_max_s']} s | "
                     f"{a['timeline_max_s']} s | {mem} |")
    for r in results:
        c = r["cpu"]
        if r["sessions"] and c["machine_busy_s"]:
            lines.append(f"\n{r['processes']} process(es): the machine was busy {c['machine_busy_s']} CPU-s over "
                         f"{r['wall_s']} s ({c['cores_busy']} cores); the servers used "
                         f"{sum(c['server_s'].values()):.1f} CPU-s of it ({c['server_share']:.0%}), the browsers, "
                         f"the protocol clients and the rest the remainder")
        errs = r["all"]["error_samples"]
        if errs:
            lines.append(f"errors ({r['processes']} process(es)): " + "; ".join(errs[:5]))
    if len(results) == 2:
        for kind in ("browser", "protocol"):
            one, two = results[0][kind]["move_median_ms"], results[1][kind]["move_median_ms"]
            if one and two:
                lines.append(f"median move ({kind}), 2 processes / 1 process: {two / one:.2f}")
    return "\n".join(lines)


async def main_async(args) -> list[dict]:
    from playwright.async_api import async_playwright

    work = Path(tempfile.mkdtemp())
    original = work / "events-original.csv"
    shutil.copyfile(config.EVENTS_PATH, original)
    results = []
    async with async_playwright() as pw:
        for n in args.processes:
            events_copy = work / f"events-{n}.csv"
            shutil.copyfile(original, events_copy)
            results.append(await run_team(pw, n, args, events_copy, original))
            print(report(results[-1:]), flush=True)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--moves", type=int, default=15)
    ap.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--timeout", type=float, default=120, help="seconds before a wait counts as an error")
    ap.add_argument("--no-swap", action="store_true", help="skip the data swap")
    ap.add_argument("--ramp", type=float, default=0.2, help="seconds between two sessions' arrivals (default 0.2)")
    ap.add_argument("--browsers", type=int, default=5,
                    help="how many of the sessions run in headless Chromium (timed to the drawn map); the others "
                         "speak Streamlit's WebSocket protocol (bench/protocol_client.py) (default 5)")
    ap.add_argument("--think", type=float, default=0.25,
                    help="a protocol session's pause after each move, as a browser session's (default 0.25 s)")
    args = ap.parse_args(argv)
    results = asyncio.run(main_async(args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "team.json").write_text(json.dumps(results, indent=1))
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
