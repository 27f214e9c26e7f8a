"""Cached loaders for the pages: the dataset, the control timeline, the territory model,
event points per filter, the geocoder and imported overlays.

Every cached function takes all its inputs as arguments (file paths and their mtimes), so an
edited data file is reloaded on the next run."""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from .. import config
from ..dataset.load import Dataset, load
from ..errors import FrontlineError
from ..history.filters import EventFilter
from ..history.timeline import ControlTimeline

_MEMO: "OrderedDict[tuple, object]" = OrderedDict()
_MEMO_MAX = 128
_MEMO_LOCK = threading.Lock()


def _memo(key: tuple, compute):
    """``compute()`` remembered by ``key`` (plain values: paths, file times, ids) in front of a Streamlit cache.

    A hit of ``st.cache_resource`` hashes its arguments and inspects the function's signature
    (~1 ms each); the map page asks for the same few objects on every date move, so those hits are
    answered here first. The Streamlit cache behind it still builds the object once per process,
    shows its spinner and keeps the disk copy.
    """
    with _MEMO_LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    value = compute()
    with _MEMO_LOCK:
        _MEMO[key] = value
        while len(_MEMO) > _MEMO_MAX:
            _MEMO.popitem(last=False)
    return value


# --- One data version at a time ------------------------------------------------------------
# Every cache below is keyed by the data files' times. When the server's data files change (an
# edit, a swap), the caches of the old version are dropped at once, not left to age out, so a
# server's memory after a swap comes back to what one version needs.

_VERSION: dict[str, tuple] = {}
#: The last release after a data change: after Streamlit has dropped the closed sessions (kept 120 s).
RELEASE_AFTER_S = 135.0


def _data_stamp() -> tuple:
    """The server's data version: its data files and their modification times."""
    files = (config.EVENTS_PATH, config.PLACES_PATH, config.DATA_DIR / "routes.csv",
             config.DATA_DIR / "admin_population.csv")
    return tuple((str(f), _mtime(f)) for f in files)


def retire_old_versions() -> bool:
    """If the server's data files changed since the last call, drop every cached object built from the old
    version and give the freed memory back to the system; return whether anything was dropped.

    Caches of other files (a test's copies, explicit paths) are bounded by their ``max_entries``.
    """
    stamp = _data_stamp()
    with _MEMO_LOCK:
        previous, _VERSION["server"] = _VERSION.get("server"), stamp
        if previous is None or previous == stamp:
            return False
        _MEMO.clear()
    for cached in (_dataset, _timeline, _territory, _area_series, _event_points, _geocoder):
        cached.clear()
    # the disk copy of the model stays (it is keyed by version); its in-memory copy is bounded to one
    release_memory()
    # sessions still showing the old version let go of it when they rerun or close, and Streamlit keeps a
    # closed session (its state and last run) for 2 minutes in case the browser reconnects: release again then
    for delay in (15.0, 60.0, RELEASE_AFTER_S):
        timer = threading.Timer(delay, release_memory)
        timer.daemon = True
        timer.start()
    return True


def release_memory() -> None:
    """Collect garbage and hand freed memory back to the system: Arrow's pool (pandas keeps its strings in
    Arrow) and glibc's heap. Measured on a 200,000-row swap: without the Arrow release, ~250 MB stays."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _paths(events_path=None, places_path=None):
    """The data files, read from ``config`` when the call is made (not when this module was imported)."""
    return events_path or config.EVENTS_PATH, places_path or config.PLACES_PATH


def _versioned(events_path=None, places_path=None) -> tuple[str, str, tuple]:
    """The data files (``config``'s unless given) and their modification times: the key of one data version."""
    events_path, places_path = _paths(events_path, places_path)
    return str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path))


def _mtime(path) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


@st.cache_data(show_spinner="Loading the data...", max_entries=4)
def _dataset(events_path: str, places_path: str, stamp: tuple) -> Dataset:
    return load(events_path, places_path)


def dataset(events_path=None, places_path=None) -> Dataset:
    """The validated dataset, reloaded when either file changes (the old version's caches are dropped)."""
    if events_path is None and places_path is None:
        retire_old_versions()
    return _dataset(*_versioned(events_path, places_path))


def shared_dataset() -> Dataset:
    """The server's dataset as one object shared by every session, without the copy ``st.cache_data`` makes
    on each hit (~2.4 ms: a third of a date move's own work). For readers that ask on every move (the map's
    date fragment) and never change it; the old version's object goes when the data files change."""
    retire_old_versions()
    args = _versioned()
    return _memo(("dataset", *args), lambda: _dataset(*args))


@st.cache_resource(show_spinner=False, max_entries=4)
def _timeline(events_path: str, places_path: str, stamp: tuple) -> ControlTimeline:
    ds = dataset(events_path, places_path)
    return ControlTimeline(ds.places, ds.events)


def timeline(events_path=None, places_path=None) -> ControlTimeline:
    """The control timeline of the dataset (precomputed once per data version)."""
    args = _versioned(events_path, places_path)
    return _memo(("timeline", *args), lambda: _timeline(*args))


# --- Territory --------------------------------------------------------------------------

@st.cache_resource(show_spinner="Building the territory model...", max_entries=2)
def _territory(events_path: str, places_path: str, stamp: tuple, basemap_dir: str):
    return _territory_disk(events_path, places_path, stamp, basemap_dir, _model_version(basemap_dir))


@st.cache_data(show_spinner=False, persist="disk", max_entries=1)
def _territory_disk(events_path: str, places_path: str, stamp: tuple, basemap_dir: str, version: str):
    """The model, also kept on disk (Streamlit's ``persist="disk"``): a restarted server unpickles it
    (~0.1 s) instead of building it (~1.2 s). Keyed by the data files' times and the code and basemap."""
    from ..history.territory import TerritoryModel  # imported lazily: shapely/pyproj are slow to import

    ds = dataset(events_path, places_path)
    model = TerritoryModel(ds.places, ds.events, basemap_dir=Path(basemap_dir))
    model.atoms()  # the map's pieces and labels (~1 s), kept in the disk copy too
    return model


@functools.lru_cache(maxsize=4)
def _model_version(basemap_dir: str) -> str:
    """A digest of what the model is made from besides the data files: its code and the basemap files."""
    import hashlib

    here = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(here / "history").glob("*.py"), *(here / "dataset").glob("*.py"), here / "vocab.py"]):
        digest.update(path.read_bytes())
    for path in sorted(Path(basemap_dir).glob("*")):
        stat = path.stat()
        digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def territory(events_path=None, places_path=None, basemap_dir=None):
    """The territory model of the dataset (one per data version), or ``None`` if it cannot be built.

    The reason (e.g. a missing basemap file, with how to restore it) is :func:`territory_error`.
    """
    events_path, places_path = _paths(events_path, places_path)
    basemap_dir = basemap_dir or config.BASEMAP_DIR
    try:
        # the routes and governorate totals are inputs too: an edit to them rebuilds the model
        stamp = (_mtime(events_path), _mtime(places_path), _mtime(config.DATA_DIR / "routes.csv"),
                 _mtime(config.DATA_DIR / "admin_population.csv"))
        args = (str(events_path), str(places_path), stamp, str(basemap_dir))
        return _memo(("territory", *args), lambda: _territory(*args))
    except FrontlineError as err:
        st.session_state["fl_territory_error"] = str(err)
        return None


def territory_error() -> str:
    """Why :func:`territory` returned ``None`` in this session."""
    return st.session_state.get("fl_territory_error", "the model could not be built")


@st.cache_data(show_spinner=False, max_entries=4)
def _area_series(_model, key: tuple):
    return _model.area_series()


def territory_series(events_path=None, places_path=None, basemap_dir=None):
    """``territory().area_series()`` computed once per model and data version, or ``None`` without a model."""
    events_path, places_path = _paths(events_path, places_path)
    basemap_dir = basemap_dir or config.BASEMAP_DIR
    model = territory(events_path, places_path, basemap_dir)
    if model is None:
        return None
    return _area_series(model, (id(model), _mtime(events_path), _mtime(places_path)))



# --- Events ready for the map, per filter ----------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=16)
def _event_points(events_path: str, places_path: str, stamp: tuple, filter_key: str, _f: EventFilter):
    from ..webmap import layers
    from ..history.filters import filter_events

    ds = dataset(events_path, places_path)
    events = filter_events(ds.events, ds.places, _f)
    return events, layers.event_points(events, ds.places)


def event_points(f: EventFilter, events_path=None, places_path=None):
    """``(filtered events, map points)`` for filter ``f`` (see :func:`frontline.webmap.layers.event_points`)."""
    args = (*_versioned(events_path, places_path), repr(f))
    return _memo(("points", *args), lambda: _event_points(*args, f))



# --- The live map's files (frontline.webmap.client): published once, fetched once per page ---

def _published(url: str) -> bool:
    from ..webmap import client

    return (client.DATA_DIR / url.rsplit("/", 1)[-1]).exists()


def _forget(key: tuple) -> None:
    with _MEMO_LOCK:
        _MEMO.pop(key, None)


def territory_url(model) -> str:
    """The URL of ``model``'s atoms file (written on first use, again if someone removed it)."""
    from ..webmap import client

    key = ("territory_url", id(model))
    found = _memo(key, lambda: (model, client.publish(model.atoms().payload(), "territory")))
    if found[0] is not model or not _published(found[1]):  # another model at a reused id, or the file removed
        _forget(key)
        found = _memo(key, lambda: (model, client.publish(model.atoms().payload(), "territory")))
    return found[1]


def _events_file(events_path: str, places_path: str, stamp: tuple) -> tuple[str, np.ndarray]:
    from ..webmap import client

    _, points = event_points(EventFilter(), events_path, places_path)
    return client.publish(client.events_payload(points), "events"), points["event_id"].to_numpy(dtype=object)


def events_file(f: EventFilter, events_path=None, places_path=None) -> tuple[str, str | None]:
    """``(URL of the file of every event, filter mask of f)`` (see :func:`frontline.webmap.client.filter_mask`)."""
    from ..webmap import client

    args = _versioned(events_path, places_path)
    key = ("events_file", *args)
    url, ids = _memo(key, lambda: _events_file(*args))
    if not _published(url):  # someone removed static/data: write it again
        _forget(key)
        url, ids = _memo(key, lambda: _events_file(*args))
    kept = lambda: client.filter_mask(ids, event_points(f, events_path, places_path)[0]["event_id"].astype(str))  # noqa: E731
    return url, _memo(("mask", *args, repr(f)), kept)


# --- Compare mode -------------------------------------------------------------------------

def change(model, events, start, end):
    """:func:`frontline.history.change.compare` of two dates, remembered per pair of territory states (the
    figures and the places that changed hands only differ when a state does)."""
    import dataclasses

    from ..history.change import compare

    key = ("change", id(model), model._state_day(start), model._state_day(end))
    found = _memo(key, lambda: compare(model, events, start, end))
    return dataclasses.replace(found, start=pd.Timestamp(start), end=pd.Timestamp(end))


# --- Data intake: the gazetteer geocoder and imported overlays (frontline.intake.geocode, frontline.intake.importers) ---

@st.cache_resource(show_spinner=False, max_entries=2)
def _geocoder(places_path: str, stamp: float, offline: bool):
    from ..intake.gazetteer import load_places
    from ..intake.geocode import Geocoder

    return Geocoder(load_places(places_path), offline=offline)


def geocoder(places_path=None, offline: bool = True):
    """The geocoder client over the gazetteer (one per gazetteer version; Nominatim only if not offline)."""
    _, places_path = _paths(None, places_path)
    return _geocoder(str(places_path), _mtime(places_path), offline)


@st.cache_resource(show_spinner=False, max_entries=4)
def _overlay_query(path: str, stamp: float):
    from ..intake.overlay_query import OverlayQuery

    return OverlayQuery(path)


def overlay_query(path):
    """DuckDB queries on an imported Parquet file (nothing loaded into memory), renewed when the file changes."""
    args = (str(path), _mtime(path))
    return _memo(("overlay", *args), lambda: _overlay_query(*args))


@st.cache_data(show_spinner=False, max_entries=16)
def overlay_description(path: str, stamp: float) -> str:
    """One line about an imported file (rows, ISIS rows, dates, datasets)."""
    return _overlay_query(path, stamp).describe()
