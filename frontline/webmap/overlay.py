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

__all__ = ["filter_overlay", "overlay_layer", "overlay_files", "plugin_elements", "KINDS", "STYLE"]

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
    elements = [folium.plugins.MarkerCluster(), folium.plugins.HeatMap([])]
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
