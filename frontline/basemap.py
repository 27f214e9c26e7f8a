"""The bundled vector basemap: countries, governorates, rivers, lakes and city labels.

Read once from ``data/basemap`` (copied from the shared data with its attribution).
These layers make the map readable with no tile server.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

from . import config

__all__ = ["layer", "cities", "ATTRIBUTION", "LAYER_FILES"]

LAYER_FILES = {
    "countries": "ne_10m_admin0_region.geojson",
    "governorates": "ne_10m_admin1_syria_iraq.geojson",
    "rivers": "ne_10m_rivers_region.geojson",
    "khabur": "gshhg_khabur.geojson",
    "lakes": "ne_10m_lakes_region.geojson",
}

ATTRIBUTION = (
    "Boundaries, rivers, lakes: Natural Earth (public domain). Place names: GeoNames (geonames.org), CC BY 4.0. "
    "Khabur river: GSHHG (Wessel &amp; Smith), LGPL. Event data: Frontline curated events (see Sources); "
    "UCDP GED (Sundberg &amp; Melander 2013; H&ouml;gbladh 2019), CC BY 4.0."
)


@lru_cache(maxsize=None)
def layer(name: str, basemap_dir: Path = config.BASEMAP_DIR) -> dict:
    """One bundled GeoJSON layer by name (see ``LAYER_FILES``)."""
    with open(basemap_dir / LAYER_FILES[name], encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def cities(basemap_dir: Path = config.BASEMAP_DIR, max_rank: int = 8) -> tuple[dict, ...]:
    """Natural Earth city labels (name, lat, lon, rank, capital, population) for Syria and Iraq, most prominent first."""
    with open(basemap_dir / "ne_10m_populated_places_sy_iq.csv", encoding="utf-8") as fh:
        rows = [
            {"name": r["name_en"] or r["name"], "lat": float(r["latitude"]), "lon": float(r["longitude"]),
             "rank": int(float(r["labelrank"] or 9)), "capital": r["featurecla"].startswith("Admin-0"),
             "population": int(float(r.get("pop_max") or 0))}
            for r in csv.DictReader(fh)
        ]
    rows = [r for r in rows if r["rank"] <= max_rank]
    return tuple(sorted(rows, key=lambda r: r["rank"]))
