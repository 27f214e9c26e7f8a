"""Benchmark the briefing exports on the real data; prints seconds and sizes (no pass/fail).

Figures are also written to bench/results/export.json.

Targets on a 2-core machine: one PNG (slide preset) under 1.5 s, a 10-slide deck under 15 s,
a 60-frame MP4 at 1920x1080 under 60 s, the stand-alone HTML under 5 s and under 5 MB.

    .venv/bin/python bench/bench_export.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontline.export import export, load_briefing  # noqa: E402
from frontline.export.animation import frame_dates  # noqa: E402

DECK_DATES = ["2014-06-10", "2014-06-29", "2015-05-21", "2016-03-27", "2016-10-17", "2017-07-10",
              "2017-10-17", "2019-03-23"]  # title + 8 dates + closing = 10 slides


RESULTS: dict[str, dict] = {}


def timed(label: str, fn, target: str = "") -> float:
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    mb = out.stat().st_size / 1e6 if isinstance(out, Path) else None
    print(f"{label:<42} {dt:6.2f} s{f', {mb:.2f} MB' if mb is not None else ''}   {target}")
    RESULTS[label] = {"seconds": round(dt, 3), "megabytes": None if mb is None else round(mb, 3)}
    return dt


def _mosul(briefing):
    import dataclasses

    from frontline.export.area import region_bounds

    return dataclasses.replace(briefing, bounds=region_bounds("Mosul"), area_name="Mosul")


def main() -> int:
    t0 = time.perf_counter()
    briefing = load_briefing()
    print(f"{'load data + territory model':<42} {time.perf_counter() - t0:6.2f} s   "
          f"({len(briefing.places)} places, {len(briefing.events)} events)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed("PNG, slide 1920x1080 (first, cold)", lambda: export(briefing, ["2015-05-21"], "png", tmp / "a.png"),
              "target < 1.5 s")
        timed("PNG, slide 1920x1080 (another date)", lambda: export(briefing, ["2016-10-17"], "png", tmp / "b.png"),
              "target < 1.5 s")
        timed("PDF, A4 landscape", lambda: export(briefing, ["2016-10-17"], "pdf", tmp / "c.pdf", "a4"))
        timed("SVG, slide", lambda: export(briefing, ["2016-10-17"], "svg", tmp / "d.svg"))
        timed("PNG, A3 at 300 dpi", lambda: export(briefing, ["2016-10-17"], "png", tmp / "e.png", "a3"))
        timed("PNG, small multiples of 6 dates", lambda: export(
            briefing, ["2014-06-10", "2015-01-01", "2016-01-01", "2017-01-01", "2018-01-01", "2019-03-23"], "png",
            tmp / "f.png"))
        timed("PPTX, 10 slides", lambda: export(briefing, DECK_DATES, "pptx", tmp / "g.pptx"), "target < 15 s")
        timed("PNG, slide, area of interest (Mosul)", lambda: export(
            _mosul(briefing), ["2017-03-01"], "png", tmp / "i.png"), "target < 1.5 s")
        week60 = frame_dates("2014-06-01", "2015-07-19", "week")[:60]
        timed(f"MP4, {len(week60)} frames 1920x1080 (a week a step)",
              lambda: export(briefing, week60, "mp4", tmp / "j.mp4", fps=4), "target < 60 s")
        timed("GIF, 12 frames 1920x1080 (a month a step)", lambda: export(
            briefing, frame_dates("2014-06-01", "2015-05-01", "month"), "gif", tmp / "k.gif"))
        timed("HTML, stand-alone with time slider", lambda: export(briefing, ["2015-05-21"], "html", tmp / "h.html"),
              "target < 5 s and < 5 MB")
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "export.json").write_text(json.dumps(RESULTS, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
