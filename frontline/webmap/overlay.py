"""An imported event table (see :mod:`frontline.intake.importers`) as a map overlay: clustered points or a heat map.

Like the builders in :mod:`frontline.webmap.maps`, these take data and return folium objects;
none does I/O. Filtering is a separate pure function so the page can show counts.

Example::

    table = importers.read_imported("data/imports/ucdp_syria.parquet")
    shown = filter_overlay(table, end=day, days=30, isis_only=True)
    st_folium(base.base_map(), feature_group_to_add=[places, overlay_layer(shown, kind="heat")])
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins
import pandas as pd

from ..safety import html_text
from .. import config
from . import assets

__all__ = ["filter_overlay", "overlay_layer", "overlay_files", "plugin_elements", "overlay_call", "view_bbox",
           "KINDS", "STYLE", "MAX_POINTS"]

#: At most this many imported events are drawn one by one on a date; beyond, one circle per grid cell.
MAX_POINTS = 500

KINDS = ("cluster", "heat")

#: Overlay colours: ISIS a party or not (Okabe-Ito vermilion and blue-grey).
STYLE = {"isis": "#000000", "other": "#56606b", "radius": 4, "heat_radius": 14, "heat_blur": 18}

# One circle marker per row [lat, lon, isis, tooltip]; FastMarkerCluster calls this for each row.
_CALLBACK = """function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: %(radius)d, color: row[2] ? "%(isis)s" : "%(other)s", weight: 1, fillOpacity: 0.75});
    m.bindTooltip(row[3]);
    return m;
}""" % STYLE


def overlay_files(folder: Path | str = config.IMPORTS_DIR) -> list[Path]:
    """The imported tables (``*.parquet``) in ``folder``, by name; empty when there is none."""
    folder = Path(folder)
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def plugin_elements(local_assets: bool = True) -> list:
    """Empty instances of the plugins :func:`overlay_layer` draws with, to load their JS/CSS up front.

    A map component that mounts once (``frontline.app.component.map_component(preload=...)``) loads its
    scripts only then, so an overlay switched on later needs them preloaded.
    """
    elements = [folium.plugins.HeatMap([])]
    if local_assets:
        for el in elements:
            assets.localize(el)
    return elements


def filter_overlay(table: pd.DataFrame, *, start=None, end=None, days: int | None = None, isis_only: bool = False,
                   event_types=None) -> pd.DataFrame:
    """Rows of an imported table within the filters.

    ``days`` (with ``end``) keeps the ``days`` days up to and including ``end``;
    ``event_types`` keeps rows of those atlas types (blank types are kept only if ``""`` is listed).

    >>> t = pd.DataFrame({"date": pd.to_datetime(["2017-01-01", "2017-01-10"]), "isis_party": [True, False],
    ...                   "event_type": ["battle", "attack"]})
    >>> len(filter_overlay(t, end="2017-01-10", days=5)), len(filter_overlay(t, isis_only=True))
    (1, 1)
    >>> len(filter_overlay(t.iloc[:0]))
    0
    """
    keep = pd.Series(True, index=table.index)
    if end is not None:
        end = pd.Timestamp(end)
        keep &= table["date"] <= end
        if days:
            keep &= table["date"] > end - pd.Timedelta(days=days)
    if start is not None:
        keep &= table["date"] >= pd.Timestamp(start)
    if isis_only:
        keep &= table["isis_party"].astype(bool)
    if event_types is not None:
        keep &= table["event_type"].isin(list(event_types))
    return table[keep]


def _tooltips(table: pd.DataFrame) -> pd.Series:
    date = table["date"].dt.strftime("%Y-%m-%d")
    text = (date + " " + table["place"].astype(str).str.slice(0, 40) + " (" + table["source_dataset"].astype(str)
            + " " + table["source_id"].astype(str) + ")")
    return text.map(html_text)


def overlay_layer(table: pd.DataFrame, kind: str = "cluster", name: str = "Imported events",
                  local_assets: bool = True, **filters) -> folium.FeatureGroup:
    """The rows of ``table`` (after :func:`filter_overlay` with ``filters``) as one feature group.

    ``kind`` is ``"cluster"`` (``FastMarkerCluster``: ISIS events black, others grey, a
    tooltip with date, place and the dataset's id) or ``"heat"`` (``HeatMap``).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    shown = filter_overlay(table, **filters) if filters else table
    group = folium.FeatureGroup(name=f"{name} ({len(shown):,})")
    lat = shown["lat"].round(5).tolist()
    lon = shown["lon"].round(5).tolist()
    if kind == "cluster":
        rows = list(zip(lat, lon, shown["isis_party"].astype(bool).astype(int).tolist(), _tooltips(shown).tolist()))
        folium.plugins.FastMarkerCluster(rows, callback=_CALLBACK, name=name,
                                         options={"chunkedLoading": True, "maxClusterRadius": 50}).add_to(group)
    else:
        folium.plugins.HeatMap([list(p) for p in zip(lat, lon)], name=name, radius=STYLE["heat_radius"],
                               blur=STYLE["heat_blur"], min_opacity=0.3).add_to(group)
    if local_assets:
        assets.localize(group)
    return group


def describe(table: pd.DataFrame) -> str:
    """One line about an imported table: rows, ISIS rows, date range, datasets."""
    if table.empty:
        return "no rows"
    lo, hi = table["date"].min(), table["date"].max()
    datasets = ", ".join(sorted(map(str, table["source_dataset"].unique())))
    return (f"{len(table):,} events ({int(table['isis_party'].sum()):,} with ISIS as a party), "
            f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d}, from {datasets}")


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
