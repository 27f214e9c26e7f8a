"""An imported event file (see :mod:`frontline.intake.importers`) as a map overlay: points (grouped in grid cells
when many) or a heat map.

The rows of a date come from one DuckDB query (:mod:`frontline.intake.overlay_query`); this module turns
them into a small call to the map's client (:func:`overlay_call`). No I/O here.

Example::

    window = OverlayQuery("data/imports/ucdp_syria.parquet").window(day, 30, isis_only=True, zoom=6)
    group = overlay_call(window, "cluster")   # a JsGroup for frontline.app.component.map_component
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins

from ..safety import html_text
from .. import config
from . import assets

__all__ = ["overlay_files", "plugin_elements", "overlay_call", "view_bbox", "KINDS", "STYLE", "MAX_POINTS"]

#: At most this many imported events are drawn one by one on a date; beyond, one circle per grid cell.
MAX_POINTS = 500

KINDS = ("cluster", "heat")

#: Overlay colours: ISIS a party or not (Okabe-Ito vermilion and blue-grey).
STYLE = {"isis": "#000000", "other": "#56606b", "radius": 4, "heat_radius": 14, "heat_blur": 18}


def overlay_files(folder: Path | str = config.IMPORTS_DIR) -> list[Path]:
    """The imported tables (``*.parquet``) in ``folder``, by name; empty when there is none."""
    folder = Path(folder)
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def plugin_elements(local_assets: bool = True) -> list:
    """Empty instances of the plugins the overlay draws with (the heat map), to load their JS/CSS up front.

    A map component that mounts once (``frontline.app.component.map_component(preload=...)``) loads its
    scripts only then, so an overlay switched on later needs them preloaded.
    """
    elements = [folium.plugins.HeatMap([])]
    if local_assets:
        for el in elements:
            assets.localize(el)
    return elements


def view_bbox(center, zoom, width_px: int = 1600, height_px: int = 1100) -> tuple | None:
    """``(south, west, north, east)`` around a map view (generously: a 1600 x 1100 px map), or None at
    zooms where the map shows all of both countries (below 7) or without a view.

    >>> tuple(round(v, 2) for v in view_bbox((35.0, 40.0), 9))
    (33.49, 37.8, 36.51, 42.2)
    >>> view_bbox((35.0, 40.0), 6) is None
    True
    """
    if center is None or zoom is None or zoom < 7:
        return None
    deg_px = 360.0 / (256.0 * 2.0 ** float(zoom))
    lat, lon = float(center[0]), float(center[1])
    dx, dy = width_px / 2 * deg_px, height_px / 2 * deg_px
    return (lat - dy, lon - dx, lat + dy, lon + dx)


def overlay_call(window, kind: str, name: str = "Imported events"):
    """The date's overlay as a call to the map's client: the rows (at most :data:`MAX_POINTS`, with
    tooltips) or the grid cells (position, count, ISIS count) of a
    :class:`~frontline.intake.overlay_query.Window`."""
    from .client import JsGroup

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    state = {"kind": kind, "total": int(window.total), "style": STYLE, "points": [], "cells": []}
    if window.points is not None:
        p = window.points
        tips = (p["date"].dt.strftime("%Y-%m-%d") + " " + p["place"].astype(str).str.slice(0, 40) + " ("
                + p["source_dataset"].astype(str) + " " + p["source_id"].astype(str) + ")").map(html_text)
        state["points"] = [[round(float(a), 4), round(float(b), 4), int(bool(i)), t]
                           for a, b, i, t in zip(p["lat"], p["lon"], p["isis_party"], tips)]
    elif window.cells is not None:
        c = window.cells
        state["cells"] = [[round(float(a), 3), round(float(b), 3), int(n), int(i or 0)]
                          for a, b, n, i in zip(c["lat"], c["lon"], c["n"], c["isis"].fillna(0))]
    return JsGroup("overlay", state)
