"""The bundled vector basemap: countries, governorates, rivers, lakes and city labels.

Read once from ``data/basemap`` (copied from the shared data with its attribution).
These layers make the map readable with no tile server.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

from .. import config

__all__ = ["layer", "cities", "ATTRIBUTION", "LAYER_FILES", "CITIES_FILE", "missing_files", "problem"]

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


#: The city labels' file (Natural Earth populated places).
CITIES_FILE = "ne_10m_populated_places_sy_iq.csv"
_EMPTY = {"type": "FeatureCollection", "features": []}


def missing_files(basemap_dir: Path = config.BASEMAP_DIR) -> list[Path]:
    """The basemap files that are not there (or not readable), in a fixed order."""
    names = [*LAYER_FILES.values(), CITIES_FILE]
    return [Path(basemap_dir) / n for n in names if not (Path(basemap_dir) / n).is_file()]


def problem(basemap_dir: Path = config.BASEMAP_DIR) -> str | None:
    """What is wrong with the basemap, in one plain sentence that says how to fix it; ``None`` when whole."""
    gone = missing_files(basemap_dir)
    if not gone:
        return None
    names = ", ".join(p.name for p in gone)
    return (f"{len(gone)} basemap file(s) missing in {Path(basemap_dir)}: {names}. The map is drawn without them "
            f"(and the territory needs the country borders). Restore them with 'git checkout {Path(basemap_dir)}' "
            "or copy them again from ../shared/data.")


@lru_cache(maxsize=None)
def _layer(path: Path, stamp: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def layer(name: str, basemap_dir: Path = config.BASEMAP_DIR) -> dict:
    """One bundled GeoJSON layer by name (see ``LAYER_FILES``); an empty collection when its file is missing.

    A missing or unreadable file is reported by :func:`problem`, so the map still draws what it has.
    """
    path = Path(basemap_dir) / LAYER_FILES[name]
    try:
        return _layer(path, path.stat().st_mtime)
    except (OSError, ValueError):
        return _EMPTY


def cities(basemap_dir: Path = config.BASEMAP_DIR, max_rank: int = 8) -> tuple[dict, ...]:
    """Natural Earth city labels (name, lat, lon, rank, capital, population), most prominent first; () if missing."""
    path = Path(basemap_dir) / CITIES_FILE
    try:
        return _cities(path, path.stat().st_mtime, max_rank)
    except (OSError, ValueError, KeyError):
        return ()


@lru_cache(maxsize=None)
def _cities(path: Path, stamp: float, max_rank: int) -> tuple[dict, ...]:
    with open(path, encoding="utf-8") as fh:
        rows = [
            {"name": r["name_en"] or r["name"], "lat": float(r["latitude"]), "lon": float(r["longitude"]),
             "rank": int(float(r["labelrank"] or 9)), "capital": r["featurecla"].startswith("Admin-0"),
             "population": int(float(r.get("pop_max") or 0))}
            for r in csv.DictReader(fh)
        ]
    rows = [r for r in rows if r["rank"] <= max_rank]
    return tuple(sorted(rows, key=lambda r: r["rank"]))
