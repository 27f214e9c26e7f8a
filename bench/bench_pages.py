"""Time the analysis pages' work on the real data: territory series, charts, explorer rows and exports.

Run: .venv/bin/python bench/bench_pages.py   (prints one line per step; no assertion)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontline import charts, explorer, sources  # noqa: E402
from frontline.dataset import milestones
from frontline.dataset.load import load  # noqa: E402
from frontline.history.filters import EventFilter  # noqa: E402


def timed(label, fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<48} {best * 1000:8.1f} ms")
    return out


def main():
    ds = load()
    print(f"data: {len(ds.events)} events, {len(ds.places)} places")
    marks = charts.milestone_frame(milestones.MILESTONES)
    try:
        from frontline.history.territory import TerritoryModel
    except ImportError:
        TerritoryModel = None
    if TerritoryModel is not None:
        model = timed("TerritoryModel(...) (cached once per data version)", lambda: TerritoryModel(ds.places, ds.events), 1)
        series = timed("model.area_series() (every Timeline run)", model.area_series)
        timed("territory_chart(...).to_dict()", lambda: charts.territory_chart(series, None, marks).to_dict())
        timed("population_chart(...).to_dict()", lambda: charts.population_chart(series, None, marks).to_dict())
    timed("events_per_month_chart(...).to_dict()", lambda: charts.events_per_month_chart(ds.events).to_dict())
    rows = timed("select_rows(all events, sorted by date)", lambda: explorer.select_rows(ds.events, ds.places, EventFilter()))
    timed("select_rows(text='palmyra')", lambda: explorer.select_rows(ds.events, ds.places, EventFilter(text="palmyra")))
    timed("display_frame(all rows)", lambda: explorer.display_frame(rows))
    csv_bytes = timed("to_csv(all rows)", lambda: explorer.to_csv(rows))
    gj = timed("to_geojson(all rows)", lambda: explorer.to_geojson(rows))
    print(f"{'export sizes':<48} CSV {len(csv_bytes) / 1024:.0f} KB, GeoJSON {len(gj) / 1024:.0f} KB")
    timed("source_counts(all events)", lambda: sources.source_counts(ds.events))


if __name__ == "__main__":
    main()
