"""The app's one Streamlit-aware module: cached wrappers around the package's loaders.

Page scripts call these; everything else in ``frontline`` is free of Streamlit.
Cached functions take all their inputs as arguments (file paths and their mtimes).
"""

from __future__ import annotations

import os

import streamlit as st

from . import config
from .data import Dataset, load
from .timeline import ControlTimeline


def _mtime(path) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


@st.cache_data(show_spinner="Loading the data...")
def _dataset(events_path: str, places_path: str, stamp: tuple) -> Dataset:
    return load(events_path, places_path)


def dataset(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH) -> Dataset:
    """The validated dataset, reloaded when either file changes."""
    return _dataset(str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path)))


@st.cache_resource(show_spinner=False)
def _timeline(events_path: str, places_path: str, stamp: tuple) -> ControlTimeline:
    ds = dataset(events_path, places_path)
    return ControlTimeline(ds.places, ds.events)


def timeline(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH) -> ControlTimeline:
    """The control timeline of the dataset (precomputed once per data version)."""
    return _timeline(str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path)))
