"""Benchmark the territory model on the real data: cold build, warm lookup, GeoJSON size.

Run: .venv/bin/python bench/bench_territory.py   (targets: warm < 5 ms, cold < 10 s, GeoJSON < 300 KB)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from frontline import config, vocab  # noqa: E402
from frontline.dataset.load import load  # noqa: E402
from frontline.history.territory import TerritoryModel  # noqa: E402


def main() -> int:
    ds = load(config.EVENTS_PATH, config.PLACES_PATH)
    t0 = time.perf_counter()
    model = TerritoryModel(ds.places, ds.events)
    t_cells = time.perf_counter() - t0
    n = model.build_all()
    t_cold = time.perf_counter() - t0

    days = pd.date_range(vocab.PERIOD_START, vocab.PERIOD_END, freq="D")
    times = []
    for day in days[::7]:
        t = time.perf_counter()
        model.snapshot(day)
        times.append((time.perf_counter() - t) * 1000)
    sizes = [len(json.dumps(model.snapshot(d).geojson, separators=(",", ":"))) / 1024 for d in days[::30]]

    print(f"data: {len(ds.places)} places, {len(ds.events)} events, {n} state dates, {len(model._faces)} faces, "
          f"{len(model._neighbours)} neighbour pairs")
    series = model.area_series()
    unassigned = series.loc[series["controller"] == "UNASSIGNED", "area_km2"]
    land = model._land
    print(f"land model: {len(land.seg_gens)} road segments, {len(land.tri_gens)} support triangles, "
          f"{len(land.face_pairs)} face adjacencies")
    snap = model.snapshot("2015-05-25").details.set_index("controller").loc["ISIS"]
    print(f"ISIS on 2015-05-25: {snap.area_km2:,.0f} km2, of which inferred {snap.inferred_km2:,.0f} and contested "
          f"{snap.contested_km2:,.0f}; {int(snap.population):,} people ({int(snap.places_population):,} in its places)")
    print(f"unassigned: {unassigned.min():,.0f}-{unassigned.max():,.0f} km2 of {model.country_area_km2:,.0f} km2 "
          f"(median {unassigned.median():,.0f})")
    print(f"cold: cells {t_cells:.2f} s; all {n} snapshots (cells + polygons + GeoJSON) {t_cold:.2f} s  (target < 10 s)")
    print(f"warm: one date median {statistics.median(times):.3f} ms, max {max(times):.3f} ms over {len(times)} dates "
          f"(target < 5 ms)")
    print(f"GeoJSON of one date: median {statistics.median(sizes):.0f} KB, max {max(sizes):.0f} KB (target < 300 KB)")
    ok = t_cold < 10 and max(times) < 5 and max(sizes) < 300
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
