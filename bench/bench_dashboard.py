"""Benchmark: the map's slider against the floor (a plain Streamlit slider), on loopback and through a slow link.

In one run, with one headless Chromium (every non-local request blocked), this starts:

- the floor: ``../shared/tools/floor_app.py``, a plain slider that prints its value;
- the dashboard (``dashboard.py``);
- for each, ``../shared/tools/slowlink.py`` in front (10 Mbit/s, 50 ms round trip by default);

and for each of the four (app, link) pairs opens the page and presses ArrowRight on the date slider
``--moves`` times, timing key press -> the new date shown (the floor's ``#stamp``, the map's date
label *after* its layers are drawn). Printed and written to ``bench/results/dashboard.json``:

- median / p90 slider -> map, and each as a ratio to the floor measured on the same link (the two pages
  are moved in turn, floor then map, so both see the same machine; ``paired`` is the median of the
  per-move ratios);
- bytes received over the websocket per move (payload bytes as the page sees them, median);
- server CPU per move (the Streamlit process's user+system time over the moves / moves);
- first map (a new visitor on a running server, with an empty cache: page open -> map drawn with its
  territory), the median of ``--visits`` visitors (the floor's first value likewise);
- whether the map's frame stayed the same element and Leaflet map (no remount);
- Play: steps per second and whether any step was skipped or shown twice (``--play-seconds``);
- quick clicks: ``--clicks`` clicks on "day ›" 150 ms apart, and how many days the date moved.

With ``--overlay N`` (repeatable) it also runs with N imported events written as Parquet and
shown as the map's overlay (``FRONTLINE_OVERLAY``), reporting the same figures and the server's
peak memory.

Targets (issue #15): median within 1.5x the floor on both links; <= 20 KB per move (<= 50 KB with a
100,000-event overlay); first map <= 2.5 s on loopback and <= 4 s through the link; with 1,000,000
imported events a move <= 500 ms median and server memory <= 1.5 GB.

Usage: .venv/bin/python bench/bench_dashboard.py [--moves 20] [--mbit 10] [--rtt 50] [--overlay 100000 --overlay 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TOOLS = ROOT.parent / "shared" / "tools"
FRAME = 'iframe[title="streamlit_folium.st_folium"]'

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from procstat import cpu_seconds, peak_rss_mb  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(script: Path, env: dict | None = None, timeout: float = 120):
    """``streamlit run script`` on a free port; returns (process, port) once healthy."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT if script.parent == ROOT else script.parent, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy: {script}")


def start_link(target: int, mbit: float, rtt: float):
    """``slowlink.py`` in front of ``target``; returns (process, port)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(TOOLS / "slowlink.py"), str(port), str(target), str(mbit), str(rtt)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("slowlink did not start")


class _Wire:
    """Websocket payload bytes the page receives (Streamlit's protocol), counted between marks."""

    def __init__(self, page):
        self.received = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _count(self, payload):
        self.received += len(payload)


_FLOOR_JS = """([before]) => { const el = document.getElementById("stamp");
    return el && el.textContent !== before; }"""


#: Chromium sends every request that is not to loopback to this closed port (loopback never goes through a
#: proxy), so nothing leaves the machine. This blocks in the browser's network stack: Playwright's per-request
#: interception (``context.route``) would block too, but it stops each request for a round trip to this process,
#: which no user's browser pays and which costs a page of ~70 requests more than the floor's ~40.
BLOCK_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"]
#: Non-local requests any page tried (each blocked); reported with the results, 0 expected.
NON_LOCAL: list[str] = []


def _local(url: str) -> bool:
    """Whether ``url`` stays on this machine (loopback, or no host at all: ``data:``, ``about:``)."""
    return url.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost") if "://" in url else True


def _new_page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.on("request", lambda r: None if _local(r.url) else NON_LOCAL.append(r.url))
    return ctx, page, _Wire(page)


def _map_date(page) -> str | None:
    return page.frame_locator(FRAME).locator("#fl-date-label").get_attribute("data-date", timeout=60_000)


def _drawn(page) -> int:
    """How many territory + events draws the map's client has done (0 without the client)."""
    return page.locator(FRAME).evaluate("f => f.contentWindow.FL ? f.contentWindow.FL.stats.territory + f.contentWindow.FL.stats.events : 0")


def _wait_drawn(page, count: int, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        """([sel, n]) => { const f = document.querySelector(sel); const w = f && f.contentWindow;
            return !!(w && (!w.FL || w.FL.stats.territory + w.FL.stats.events >= n)); }""",
        arg=[FRAME, count], timeout=timeout_ms, polling="raf")


class _FloorPage:
    """The floor app open in a page; ``move()`` presses ArrowRight and returns (ms, bytes received)."""

    def __init__(self, browser, url: str):
        self.ctx, self.page, self.wire = _new_page(browser)
        t0 = time.perf_counter()
        self.page.goto(url)
        self.page.locator("#stamp").wait_for(timeout=60_000)
        self.first = time.perf_counter() - t0
        self.page.wait_for_timeout(1000)
        self.slider = self.page.get_by_role("slider").first

    def move(self) -> tuple[float, int]:
        self.slider.focus()
        before = self.page.locator("#stamp").text_content()
        b0 = self.wire.received
        t = time.perf_counter()
        self.page.keyboard.press("ArrowRight")
        self.page.wait_for_function(_FLOOR_JS, arg=[before], timeout=30_000, polling="raf")
        ms = (time.perf_counter() - t) * 1000
        self.page.wait_for_timeout(250)
        return ms, self.wire.received - b0


class _MapPage:
    """The dashboard open in a page; ``move()`` presses ArrowRight on the date slider and waits for the
    new date's label *and* its layers drawn by the map client; returns (ms, bytes received)."""

    def __init__(self, browser, url: str):
        self.ctx, self.page, self.wire = _new_page(browser)
        t0 = time.perf_counter()
        self.page.goto(url + "/?date=2016-01-01")
        self.page.frame_locator(FRAME).locator("#fl-date-label[data-date]").wait_for(timeout=120_000)
        _wait_drawn(self.page, 2, 120_000)
        self.first = time.perf_counter() - t0
        self.page.wait_for_timeout(1500)  # let the first-run reruns (map view report) settle
        self.iframe = self.page.locator(FRAME).element_handle()
        self.page.locator(FRAME).evaluate("f => { f.contentWindow.__benchMap = f.contentWindow.map; }")
        self.slider = self.page.locator("[data-testid=stMain]").get_by_role("slider").first

    def move(self) -> tuple[float, int]:
        page = self.page
        self.slider.focus()
        before = _map_date(page)
        drawn = _drawn(page)
        b0 = self.wire.received
        t = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """([sel, before]) => { const f = document.querySelector(sel);
                const el = f && f.contentDocument && f.contentDocument.getElementById("fl-date-label");
                return el && el.getAttribute("data-date") !== before; }""",
            arg=[FRAME, before], timeout=30_000, polling="raf")
        _wait_drawn(page, drawn + 2)
        ms = (time.perf_counter() - t) * 1000
        page.wait_for_timeout(250)
        return ms, self.wire.received - b0

    def same_map(self) -> bool:
        return bool(self.page.evaluate(
            "([a, sel]) => a === document.querySelector(sel) && document.querySelector(sel).contentWindow.map === "
            "document.querySelector(sel).contentWindow.__benchMap", [self.iframe, FRAME]))


def _first_visits(browser, floor_url: str, map_url: str, visits: int):
    """``visits`` new visitors to each app in turn (floor, map, floor, ...), each in a fresh browser context (an
    empty cache); returns the last pages (kept open for the moves) and every visit's time to its first value."""
    floor_firsts, map_firsts = [], []
    floor = mp = None
    for i in range(visits):
        for page in (floor, mp):
            if page is not None:
                page.ctx.close()
        floor, mp = _FloorPage(browser, floor_url), _MapPage(browser, map_url)
        floor_firsts.append(floor.first)
        map_firsts.append(mp.first)
    return floor, mp, floor_firsts, map_firsts


def measure_pair(browser, floor_url: str, map_url: str, moves: int, pid: int, visits: int = 3) -> tuple[dict, dict]:
    """The floor and the dashboard moved in turn (floor, map, floor, map, ...), so both see the same machine; the
    first value of each is the median of ``visits`` new visitors."""
    floor, mp, floor_firsts, map_firsts = _first_visits(browser, floor_url, map_url, visits)
    ft, fb, mt, mb, cpu = [], [], [], [], 0.0
    try:
        for _ in range(moves):
            ms, b = floor.move()
            ft.append(ms)
            fb.append(b)
            c0 = cpu_seconds(pid)
            ms, b = mp.move()
            cpu += cpu_seconds(pid) - c0
            mt.append(ms)
            mb.append(b)
        f, m = _summary(ft, fb, floor_firsts), _summary(mt, mb, map_firsts)
        m.update(server_cpu_ms_per_move=round(cpu / moves * 1000, 1), same_map=mp.same_map(),
                 paired_ratio_median=round(float(np.median(np.array(mt) / np.array(ft))), 2))
        return f, m
    finally:
        floor.ctx.close()
        mp.ctx.close()


def _summary(times, sizes, firsts) -> dict:
    q = np.percentile(times, [50, 90])
    return {"first_s": round(float(np.median(firsts)), 2), "first_all_s": [round(x, 2) for x in firsts],
            "median_ms": round(float(q[0])), "p90_ms": round(float(q[1])),
            "bytes_per_move": int(statistics.median(sizes)) if sizes else 0, "all_ms": [round(x) for x in times]}


def measure_extras(browser, url: str, play_seconds: float, clicks: int) -> dict:
    """Quick clicks on "day ›" and Play, on a page of their own."""
    mp = _MapPage(browser, url)
    out = {}
    try:
        if clicks:
            out.update(_quick_clicks(mp.page, clicks))
        if play_seconds:
            out.update(_play(mp.page, play_seconds))
    finally:
        mp.ctx.close()
    return out


def measure_map(browser, url: str, moves: int, pid: int) -> dict:
    """The dashboard alone (the overlay runs): ``moves`` moves."""
    mp = _MapPage(browser, url)
    times, sizes, cpu = [], [], 0.0
    try:
        for _ in range(moves):
            c0 = cpu_seconds(pid)
            ms, b = mp.move()
            cpu += cpu_seconds(pid) - c0
            times.append(ms)
            sizes.append(b)
        out = _summary(times, sizes, [mp.first])
        out.update(server_cpu_ms_per_move=round(cpu / moves * 1000, 1), same_map=mp.same_map())
        return out
    finally:
        mp.ctx.close()


def _quick_clicks(page, clicks: int) -> dict:
    start = _map_date(page)
    button = page.locator("[data-testid=stMain]").get_by_role("button", name="day ›")
    for _ in range(clicks):
        button.click()
        page.wait_for_timeout(150)
    page.wait_for_timeout(3000)
    end = _map_date(page)
    moved = (np.datetime64(end) - np.datetime64(start)).astype(int)
    return {"quick_clicks": clicks, "quick_clicks_moved_days": int(moved)}


def _play(page, seconds: float) -> dict:
    """Press Play, record each date the map shows (by animation frame), press Pause."""
    page.locator(FRAME).evaluate("""f => { const w = f.contentWindow; w.__seen = [];
        const el = f.contentDocument.getElementById("fl-date-label");
        new w.MutationObserver(() => w.__seen.push([el.getAttribute("data-date"), performance.now()]))
            .observe(el, {attributes: true}); }""")
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Pause").click()
    seen = page.locator(FRAME).evaluate("f => f.contentWindow.__seen")
    dates = [np.datetime64(d) for d, _ in seen if d]
    changes = [(dates[i], seen[i][1]) for i in range(len(dates)) if i == 0 or dates[i] != dates[i - 1]]
    if len(changes) < 3:
        return {"play_steps_per_s": 0.0, "play_skipped": None, "play_repeated": None}
    steps = np.diff([d for d, _ in changes]).astype(int)
    span = (changes[-1][1] - changes[1][1]) / 1000
    step = int(statistics.mode(steps))
    odd = [(str(changes[i + 1][0]), int(s)) for i, s in enumerate(steps) if s != step]
    return {"play_steps_per_s": round((len(changes) - 2) / span, 2) if span > 0 else 0.0,
            "play_step_days": step, "play_skipped": int((steps > step).sum()), "play_repeated": int((steps < step).sum()),
            "play_irregular": odd, "play_dates": [str(d) for d, _ in changes]}


def overlay_file(n: int, folder: Path) -> Path:
    """``n`` synthetic imported events (the importer's columns, UCDP-like) as Parquet, in ``folder``."""
    import pandas as pd

    path = folder / f"overlay_{n}.parquet"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    days = np.sort(rng.integers(0, 1908, n))
    frame = pd.DataFrame({
        "source_dataset": "ucdp", "source_id": np.arange(n).astype(str),
        "date": (np.datetime64("2014-01-01") + days).astype("datetime64[ns]"),
        "lat": rng.uniform(29.5, 37.3, n).round(4), "lon": rng.uniform(35.7, 48.5, n).round(4),
        "place": "synthetic place", "country": np.where(rng.random(n) < 0.5, "SY", "IQ"),
        "event_type": np.where(rng.random(n) < 0.5, "airstrike", "attack"), "raw_type": "1",
        "actors": "IS|Government of Iraq", "fatalities": rng.integers(0, 20, n),
        "isis_party": rng.random(n) < 0.4, "source": "synthetic benchmark event",
    })
    frame.to_parquet(path, index=False)
    return path


def _overlay_total(path: Path) -> int:
    from frontline.intake.overlay_query import OverlayQuery

    return OverlayQuery(path).window("2016-01-01", 30, isis_only=True).total


def run(browser, args) -> dict:
    floor_script = TOOLS / "floor_app.py"
    results: dict = {"link": f"{args.mbit:g} Mbit/s, {args.rtt:g} ms round trip", "moves": args.moves}
    procs = []
    try:
        floor, floor_port = start_app(floor_script)
        procs.append(floor)
        app, app_port = start_app(ROOT / "dashboard.py")
        procs.append(app)
        # warm the app once (the first run of a fresh server builds the model or reads its disk copy)
        ctx, page, _ = _new_page(browser)
        page.goto(f"http://127.0.0.1:{app_port}/?date=2016-01-01")
        page.frame_locator(FRAME).locator("#fl-date-label[data-date]").wait_for(timeout=180_000)
        ctx.close()
        links = {"loopback": (floor_port, app_port)}
        if args.mbit:
            fl, flp = start_link(floor_port, args.mbit, args.rtt)
            ap, app_link = start_link(app_port, args.mbit, args.rtt)
            procs += [fl, ap]
            links["slow link"] = (flp, app_link)
        for name, (fp, ap_) in links.items():
            f, m = measure_pair(browser, f"http://127.0.0.1:{fp}", f"http://127.0.0.1:{ap_}", args.moves, app.pid,
                                args.visits)
            m["ratio_median"] = round(m["median_ms"] / max(f["median_ms"], 1), 2)
            m["ratio_p90"] = round(m["p90_ms"] / max(f["p90_ms"], 1), 2)
            results[name] = {"floor": f, "frontline": m}
        results["loopback"]["frontline"].update(
            measure_extras(browser, f"http://127.0.0.1:{app_port}", args.play_seconds, args.clicks))
        results["server_peak_rss_mb"] = round(peak_rss_mb(app.pid))
        results["non_local_requests"] = sorted(set(NON_LOCAL))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    for n in args.overlay:
        path = overlay_file(n, RESULTS / "overlay")
        proc, port = start_app(ROOT / "dashboard.py", {"FRONTLINE_OVERLAY": str(path)})
        try:
            ctx, page, _ = _new_page(browser)
            page.goto(f"http://127.0.0.1:{port}/?date=2016-01-01")
            page.frame_locator(FRAME).locator("#fl-date-label[data-date]").wait_for(timeout=300_000)
            page.wait_for_function("(sel) => document.querySelector(sel).contentWindow.FL.drawn().overlay > 0",
                                   arg=FRAME, timeout=60_000)  # the overlay is on
            ctx.close()
            m = measure_map(browser, f"http://127.0.0.1:{port}", args.moves, proc.pid)
            m["server_peak_rss_mb"] = round(peak_rss_mb(proc.pid))
            m["overlay_rows_in_window"] = _overlay_total(path)
            results[f"overlay {n:,}"] = m
        finally:
            proc.terminate()
            proc.wait(10)
    return results


def report(results: dict) -> str:
    lines = [f"link: {results['link']}; {results['moves']} keyboard moves per case",
             f"{'case':<22}{'median':>8}{'p90':>8}{'x floor':>9}{'paired':>8}{'KB/move':>9}{'CPU/move':>10}{'first':>8}  same map"]
    for name in ("loopback", "slow link"):
        if name not in results:
            continue
        f, m = results[name]["floor"], results[name]["frontline"]
        lines.append(f"{'floor, ' + name:<22}{f['median_ms']:>6}ms{f['p90_ms']:>6}ms{'':>9}{'':>8}{f['bytes_per_move'] / 1024:>9.1f}"
                     f"{'':>10}{f['first_s']:>7.2f}s")
        lines.append(f"{'Frontline, ' + name:<22}{m['median_ms']:>6}ms{m['p90_ms']:>6}ms{m['ratio_median']:>8.2f}x"
                     f"{m['paired_ratio_median']:>7.2f}x{m['bytes_per_move'] / 1024:>9.1f}{m['server_cpu_ms_per_move']:>8.1f}ms"
                     f"{m['first_s']:>7.2f}s  {m['same_map']}")
        lines.append(f"  first values, each visitor (s): floor {f['first_all_s']}, Frontline {m['first_all_s']}")
    lo = results.get("loopback", {}).get("frontline", {})
    if "play_steps_per_s" in lo:
        lines.append(f"Play: {lo['play_steps_per_s']} steps/s, step {lo.get('play_step_days')} days, "
                     f"skipped {lo['play_skipped']}, repeated {lo['play_repeated']}"
                     + (f" (irregular steps: {lo['play_irregular']})" if lo.get("play_irregular") else ""))
    if "quick_clicks" in lo:
        lines.append(f"quick clicks: {lo['quick_clicks']} clicks on 'day ›' 150 ms apart moved {lo['quick_clicks_moved_days']} days")
    if "server_peak_rss_mb" in results:
        lines.append(f"server peak memory: {results['server_peak_rss_mb']} MB")
    if "non_local_requests" in results:
        tried = results["non_local_requests"]
        lines.append(f"non-local requests tried (all blocked): {len(tried)}" + (f" {tried[:5]}" if tried else ""))
    for name, m in results.items():
        if name.startswith("overlay"):
            lines.append(f"{name:<22}{m['median_ms']:>6}ms{m['p90_ms']:>6}ms{'':>9}{'':>8}{m['bytes_per_move'] / 1024:>9.1f}"
                         f"{m['server_cpu_ms_per_move']:>8.1f}ms{m['first_s']:>7.2f}s  {m['same_map']}  peak {m['server_peak_rss_mb']} MB")
    lines.append("targets: median <= 1.5x floor on both links; <= 20 KB/move (50 KB with 100,000 overlay events); "
                 "first map <= 2.5 s loopback, <= 4 s slow link; 1,000,000 overlay: median <= 500 ms, <= 1.5 GB")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=20, help="keyboard moves per case (default 20)")
    ap.add_argument("--mbit", type=float, default=10.0, help="slow link bandwidth, Mbit/s (0: loopback only)")
    ap.add_argument("--visits", type=int, default=3,
                    help="new visitors per app and link for the first map (median reported; default 3)")
    ap.add_argument("--rtt", type=float, default=50.0, help="slow link round trip, ms")
    ap.add_argument("--play-seconds", type=float, default=8.0, help="how long to let Play run (0: skip)")
    ap.add_argument("--clicks", type=int, default=10, help="quick clicks on 'day ›' (0: skip)")
    ap.add_argument("--overlay", type=int, action="append", default=[],
                    help="also run with N imported events as the overlay (repeatable), e.g. --overlay 100000")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", *BLOCK_ARGS])
        try:
            results = run(browser, args)
        finally:
            browser.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(results, indent=2))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
