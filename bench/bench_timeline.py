"""Benchmark: the control timeline over a synthetic 10,000 places x 100,000 events.

Reports the time to build the timeline (sort once) and the time per date lookup
(``state_arrays``, the slider's path, and ``control_at``, the full table).
Target: under 50 ms per date after loading. Run: .venv/bin/python bench/bench_timeline.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from frontline import vocab  # noqa: E402
from frontline.history.timeline import ControlTimeline  # noqa: E402


def synthetic(n_places: int = 10_000, n_events: int = 100_000, seed: int = 7):
    rng = np.random.default_rng(seed)
    controllers = np.array(list(vocab.CONTROLLERS))
    places = pd.DataFrame({
        "place_id": [f"p{i}" for i in range(n_places)],
        "name": [f"Place {i}" for i in range(n_places)],
        "lat": rng.uniform(29, 37, n_places), "lon": rng.uniform(36, 48, n_places),
        "country": rng.choice(["SY", "IQ"], n_places),
        "controller_2014": rng.choice(controllers, n_places),
    })
    types = np.array(["control_change", "offensive_start", "offensive_end", "airstrike", "attack"])
    etype = rng.choice(types, n_events, p=[0.4, 0.15, 0.15, 0.15, 0.15])
    events = pd.DataFrame({
        "date": pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 1908, n_events), unit="D"),
        "place_id": rng.choice(places["place_id"].to_numpy(), n_events),
        "event_type": etype,
        "controller_after": np.where(etype == "control_change", rng.choice(controllers, n_events), ""),
    })
    return places, events


def main() -> None:
    places, events = synthetic()
    t0 = time.perf_counter()
    tl = ControlTimeline(places, events)
    build = time.perf_counter() - t0
    dates = pd.date_range("2014-01-01", "2019-03-23", periods=50)
    fast, full = [], []
    for d in dates:
        t0 = time.perf_counter(); tl.state_arrays(d); fast.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); tl.control_at(d); full.append(time.perf_counter() - t0)
    print(f"places={len(places):,} events={len(events):,}")
    print(f"build (sort once): {build * 1000:.1f} ms")
    print(f"per date, state_arrays: median {statistics.median(fast) * 1000:.2f} ms, max {max(fast) * 1000:.2f} ms")
    print(f"per date, control_at (full table): median {statistics.median(full) * 1000:.2f} ms, max {max(full) * 1000:.2f} ms")
    print("target: under 50 ms per date:", "MET" if statistics.median(full) < 0.05 else "NOT MET")


if __name__ == "__main__":
    main()
