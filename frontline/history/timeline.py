"""Who holds each place on any date, since when, and whether it is contested.

The state of a place on date D is the last ``control_change`` on or before D
(else its ``controller_2014``). It is contested when the latest of its offensive,
siege and control-change events on or before D opens an offensive or a siege.

:class:`ControlTimeline` sorts the events once; each date is then answered with
``numpy.searchsorted`` over all places at once (no Python loop over places).
"""

from __future__ import annotations

from datetime import date as _date

import numpy as np
import pandas as pd

from .. import vocab
from ..errors import DateError

__all__ = ["ControlTimeline", "parse_date", "CONTROL_COLUMNS"]

CONTROL_COLUMNS = ["place_id", "name", "lat", "lon", "country", "controller", "since", "contested"]

# On one day, an offensive opens before a capture closes it.
_ORDER = {"offensive_start": 0, "siege_start": 0, "offensive_end": 1, "siege_end": 1, vocab.CONTROL_CHANGE: 2}


def parse_date(value, lo: str = vocab.PERIOD_START, hi: str = vocab.QUERY_END) -> pd.Timestamp:
    """Parse an ISO date and check it lies in ``lo..hi``.

    >>> parse_date("2017-10-20").date()
    datetime.date(2017, 10, 20)
    >>> parse_date("2013-12-31")
    Traceback (most recent call last):
    ...
    frontline.errors.DateError: 2013-12-31 is outside 2014-01-01..2019-12-31; choose a date in the atlas's period
    """
    if isinstance(value, (pd.Timestamp, _date)):
        ts = pd.Timestamp(value)
    else:
        try:
            ts = pd.Timestamp(_date.fromisoformat(str(value).strip()))
        except ValueError:
            raise DateError(f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2017-10-20") from None
    ts = ts.normalize()
    if not pd.Timestamp(lo) <= ts <= pd.Timestamp(hi):
        raise DateError(f"{ts.date()} is outside {lo}..{hi}; choose a date in the atlas's period")
    return ts


def _day(values) -> np.ndarray:
    """Dates as int64 day numbers."""
    return pd.to_datetime(values).values.astype("datetime64[D]").astype(np.int64)


class ControlTimeline:
    """Control of every place through time, precomputed for fast per-date lookups.

    Parameters
    ----------
    places : DataFrame with ``place_id, name, lat, lon, country, controller_2014``
    events : DataFrame with ``date, place_id, event_type, controller_after``
    """

    def __init__(self, places: pd.DataFrame, events: pd.DataFrame):
        self.places = places.reset_index(drop=True)
        index = pd.Index(self.places["place_id"])
        self._n = len(self.places)
        self._base = self.places["controller_2014"].to_numpy(dtype=object)
        ev = events[events["place_id"].isin(index)]

        changes = ev[ev["event_type"] == vocab.CONTROL_CHANGE]
        self._change_keys, order = self._keys(index, changes)
        self._change_ctrl = changes["controller_after"].to_numpy(dtype=object)[order]
        self._change_day = _day(changes["date"])[order] if len(changes) else np.array([], dtype=np.int64)

        kinds = (vocab.CONTROL_CHANGE,) + vocab.CONTEST_START + vocab.CONTEST_END
        contest = ev[ev["event_type"].isin(kinds)]
        rank = contest["event_type"].map(_ORDER).to_numpy(dtype=np.int64)
        self._contest_keys, order = self._keys(index, contest, rank)
        self._contest_open = contest["event_type"].isin(vocab.CONTEST_START).to_numpy()[order]

        self.change_dates = sorted(pd.to_datetime(ev.loc[ev["event_type"].isin(kinds), "date"]).dt.normalize().unique())

    @staticmethod
    def _keys(index: pd.Index, ev: pd.DataFrame, rank: np.ndarray | None = None):
        """Sort key per event: place position, then day, then rank within the day."""
        pos = index.get_indexer(ev["place_id"]).astype(np.int64)
        day = _day(ev["date"]) if len(ev) else np.array([], dtype=np.int64)
        r = rank if rank is not None else np.zeros(len(ev), dtype=np.int64)
        keys = (pos << 32) + ((day + (1 << 20)) << 2) + r
        order = np.argsort(keys, kind="stable")
        return keys[order], order

    def _last(self, keys: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """For each place: index of its last keyed event on or before ``day``, and whether it exists."""
        probe = (np.arange(self._n, dtype=np.int64) << 32) + ((day + (1 << 20)) << 2) + 3
        idx = np.searchsorted(keys, probe, side="right") - 1
        valid = idx >= 0
        valid[valid] = (keys[idx[valid]] >> 32) == np.arange(self._n)[valid]
        return idx, valid

    def state_arrays(self, when) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(controller, since_day, contested)`` arrays aligned with ``places`` (fast path)."""
        day = int(_day([parse_date(when)])[0])
        idx, has = self._last(self._change_keys, day)
        controller = self._base.copy()
        controller[has] = self._change_ctrl[idx[has]]
        since = np.full(self._n, np.iinfo(np.int64).min)
        since[has] = self._change_day[idx[has]]
        cidx, chas = self._last(self._contest_keys, day)
        contested = np.zeros(self._n, dtype=bool)
        contested[chas] = self._contest_open[cidx[chas]]
        return controller, since, contested

    def control_at(self, when) -> pd.DataFrame:
        """Who holds each place on ``when``: ``place_id, name, lat, lon, country, controller, since, contested``.

        ``since`` is the date of the last change of control, or blank (NaT) when the place
        has been held by its 2014 controller throughout.
        """
        controller, since, contested = self.state_arrays(when)
        out = self.places[["place_id", "name", "lat", "lon", "country"]].copy()
        out["controller"] = controller
        since_dt = since.astype("datetime64[D]").astype("datetime64[ns]")
        out["since"] = pd.Series(since_dt).where(since != np.iinfo(np.int64).min, pd.NaT).values
        out["contested"] = contested
        return out
