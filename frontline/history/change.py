"""What changed between two dates: the ground and people each side gained and lost, and the places that changed hands.

Both dates' states come from one :class:`~frontline.history.territory.TerritoryModel`, so the figures
are the model's own: a face (a small piece of land) that moved from side X to side Y counts its area
(and the people the model puts on it) as lost by X and gained by Y; a place that changed holder counts
its population the same way. Land that only became contested, or only inferred, has not changed hands.

>>> import pandas as pd
>>> changed_hands(pd.DataFrame({"place_id": ["a", "b"], "controller": ["ISIS", "SDF"]}),
...               pd.DataFrame({"place_id": ["a", "b"], "controller": ["SDF", "SDF"]}))
['a']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import vocab
from ..errors import DateError
from .timeline import parse_date

__all__ = ["Change", "compare", "changed_ground", "changed_hands", "ground_table", "CONTROLLER_COLUMNS", "PLACE_COLUMNS"]

CONTROLLER_COLUMNS = ["controller", "gained_km2", "lost_km2", "net_km2", "population_gained", "population_lost"]
PLACE_COLUMNS = ["place_id", "name", "before", "after", "date", "event_id", "source", "source_url", "confidence"]


@dataclass(frozen=True)
class Change:
    """The change from ``start`` to ``end``: per controller (:data:`CONTROLLER_COLUMNS`) and per place
    that changed hands (:data:`PLACE_COLUMNS`: its holder on each date and the last change of control
    between them, with its event, source and confidence)."""

    start: pd.Timestamp
    end: pd.Timestamp
    controllers: pd.DataFrame
    places: pd.DataFrame

    def as_dict(self) -> dict:
        """``{"controllers": [...], "places": [...]}`` (JSON-ready; dates as YYYY-MM-DD)."""
        places = self.places.assign(date=self.places["date"].dt.strftime("%Y-%m-%d"))
        return {"controllers": self.controllers.round(1).to_dict(orient="records"),
                "places": places.to_dict(orient="records")}


def changed_hands(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """The place ids whose ``controller`` differs between two ``control_at`` tables (same places, same order)."""
    differ = before["controller"].to_numpy(dtype=object) != after["controller"].to_numpy(dtype=object)
    return before.loc[differ, "place_id"].astype(str).tolist()


def _check(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    a, b = parse_date(start), parse_date(end)
    if a > b:
        raise DateError(f"--from {a:%Y-%m-%d} is after --to {b:%Y-%m-%d}; give the earlier date as --from")
    return a, b


def _states(model, start, end):
    """The checked dates and the model's state (face and place labels) on each."""
    a, b = _check(start, end)
    return a, b, model._state(model._state_day(a)), model._state(model._state_day(b))


def _gained_lost(before, after, i: int):
    """Masks of what class ``i`` holds after and did not before (gained), and the reverse (lost)."""
    return (after == i) & (before != i), (before == i) & (after != i)


def compare(model, events: pd.DataFrame, start, end) -> Change:
    """The :class:`Change` from ``start`` to ``end`` (ISO dates or Timestamps) by ``model`` and its ``events``.

    Raises :class:`~frontline.errors.DateError` for a date outside the atlas's period or ``start`` after ``end``.
    """
    a, b, sa, sb = _states(model, start, end)
    area = model._face_area_km2
    pop = model._population
    rows = []
    for i, ctrl in enumerate(vocab.CONTROLLERS):
        gained_f, lost_f = _gained_lost(sa.face_cls, sb.face_cls, i)
        gained_p, lost_p = _gained_lost(sa.place_cls, sb.place_cls, i)
        gained, lost = float(area[gained_f].sum()), float(area[lost_f].sum())
        rows.append({"controller": ctrl, "gained_km2": gained, "lost_km2": lost, "net_km2": gained - lost,
                     "population_gained": int(round(sb.face_people[gained_f].sum() + pop[gained_p].sum())),
                     "population_lost": int(round(sa.face_people[lost_f].sum() + pop[lost_p].sum()))})
    controllers = pd.DataFrame(rows, columns=CONTROLLER_COLUMNS)

    before, after = model.timeline.control_at(a), model.timeline.control_at(b)
    ids = changed_hands(before, after)
    changes = events[(events["event_type"] == vocab.CONTROL_CHANGE) & events["place_id"].isin(ids)
                     & (events["date"] > a) & (events["date"] <= b)].sort_values(["date", "event_id"], kind="stable")
    last = changes.groupby("place_id", sort=False).tail(1).set_index("place_id")
    held = before.set_index("place_id")
    now = after.set_index("place_id")
    out = pd.DataFrame({
        "place_id": ids,
        "name": [str(held.at[p, "name"]) for p in ids],
        "before": [str(held.at[p, "controller"]) for p in ids],
        "after": [str(now.at[p, "controller"]) for p in ids],
        "date": pd.to_datetime([last.at[p, "date"] if p in last.index else pd.NaT for p in ids]),
        "event_id": [str(last.at[p, "event_id"]) if p in last.index else "" for p in ids],
        "source": [str(last.at[p, "source"]) if p in last.index else "" for p in ids],
        "source_url": [str(last.at[p, "source_url"]) if p in last.index and "source_url" in last.columns
                       and pd.notna(last.at[p, "source_url"]) else "" for p in ids],
        "confidence": [str(last.at[p, "confidence"]) if p in last.index else "" for p in ids],
    }, columns=PLACE_COLUMNS)
    out = out.sort_values(["date", "place_id"], kind="stable").reset_index(drop=True)
    return Change(a, b, controllers, out)


def changed_ground(model, start, end) -> dict:
    """The ground each controller took from another side between ``start`` and ``end``: ``controller ->``
    lon/lat geometry, only for controllers that took some.

    The faces are those :func:`compare` counts as gained, so a map of them and its km² agree.
    """
    _, _, sa, sb = _states(model, start, end)
    out = {}
    for i, ctrl in enumerate(vocab.CONTROLLERS):
        mask = _gained_lost(sa.face_cls, sb.face_cls, i)[0]
        if mask.any():
            out[ctrl] = model._geometry("gained", mask)[0]
    return out


def ground_table(model, start, end, bounds) -> pd.DataFrame:
    """km² each side gained and lost between ``start`` and ``end`` inside ``bounds`` (W, S, E, N, degrees):
    ``controller, gained_km2, lost_km2, net_km2`` (areas on the model's equal-area projection)."""
    import pyproj
    import shapely

    from .landmodel import EQUAL_AREA_CRS

    _, _, sa, sb = _states(model, start, end)
    to_ea = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True).transform
    window = shapely.box(*bounds)

    def km2(mask) -> float:
        if not mask.any():
            return 0.0
        geom = shapely.intersection(model._geometry("changed", mask)[0], window)
        return float(shapely.area(shapely.transform(geom, lambda xy: np.column_stack(to_ea(xy[:, 0], xy[:, 1]))))) / 1e6

    rows = []
    for i, ctrl in enumerate(vocab.CONTROLLERS):
        gained, lost = map(km2, _gained_lost(sa.face_cls, sb.face_cls, i))
        rows.append({"controller": ctrl, "gained_km2": gained, "lost_km2": lost, "net_km2": gained - lost})
    return pd.DataFrame(rows, columns=["controller", "gained_km2", "lost_km2", "net_km2"])
