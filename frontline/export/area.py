"""The area of interest of an export: a box typed as W,S,E,N, a named region, or the map's current view.

Bounds are ``(west, south, east, north)`` in degrees (EPSG:4326). Named regions live in
``data/regions.csv`` (name, aliases, bounds, source, notes). :func:`view_bounds` turns the
live map's centre and zoom (Web Mercator tiles of 256 px) and its size in pixels into the
box it shows.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import ExportError

__all__ = ["Region", "REGIONS_PATH", "THEATRE", "parse_bbox", "load_regions", "find_region", "region_bounds", "view_bounds",
           "fit_bounds", "describe_bounds"]

REGIONS_PATH = config.DATA_DIR / "regions.csv"
#: Where a box must at least partly lie: Syria, Iraq and their neighbours.
THEATRE = (32.0, 26.0, 52.0, 41.0)
#: The smallest box an export draws (degrees): about 5 km.
MIN_SPAN = 0.05


@dataclass(frozen=True)
class Region:
    """A named area of interest: ``bounds`` (W, S, E, N), other names, and where the box comes from."""

    name: str
    aliases: tuple[str, ...]
    bounds: tuple[float, float, float, float]
    source: str
    notes: str


def _check(bounds, what: str) -> tuple[float, float, float, float]:
    w, s, e, n = bounds
    if not all(math.isfinite(v) for v in bounds):
        raise ExportError(f"{what}: every value must be a finite number; got {bounds!r}")
    if not (-180 <= w < e <= 180 and -85 <= s < n <= 85):
        raise ExportError(f"{what}: expected west < east in -180..180 and south < north in -85..85; got "
                          f"W={w:g} S={s:g} E={e:g} N={n:g}")
    if e - w < MIN_SPAN or n - s < MIN_SPAN:
        raise ExportError(f"{what}: the box is smaller than {MIN_SPAN} degree a side; make it larger")
    tw, ts, te, tn = THEATRE
    if e < tw or w > te or n < ts or s > tn:
        raise ExportError(f"{what}: W={w:g} S={s:g} E={e:g} N={n:g} is outside Syria and Iraq "
                          f"(lon {tw:g}..{te:g}, lat {ts:g}..{tn:g}); e.g. Mosul is 42.6,35.9,43.7,36.7")
    return (float(w), float(s), float(e), float(n))


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"W,S,E,N"`` in degrees as a checked tuple.

    >>> parse_bbox("42.6, 35.9, 43.7, 36.7")
    (42.6, 35.9, 43.7, 36.7)
    >>> parse_bbox("43,36")
    Traceback (most recent call last):
    ...
    frontline.errors.ExportError: --bbox must be W,S,E,N in degrees, e.g. --bbox 42.6,35.9,43.7,36.7; got '43,36'
    """
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4:
        raise ExportError(f"--bbox must be W,S,E,N in degrees, e.g. --bbox 42.6,35.9,43.7,36.7; got {text!r}")
    return _check(values, "--bbox")


@lru_cache(maxsize=4)
def _regions(path: str, stamp: float) -> tuple[Region, ...]:
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                bounds = tuple(float(row[k]) for k in ("west", "south", "east", "north"))
            except (KeyError, TypeError, ValueError):
                raise ExportError(f"{path}:{line}: west, south, east and north must be numbers") from None
            out.append(Region(row["name"].strip(), tuple(a.strip() for a in (row.get("aliases") or "").split("|")
                                                         if a.strip()),
                              _check(bounds, f"{path}:{line}"), row.get("source", ""), row.get("notes", "")))
    return tuple(out)


def load_regions(path: Path | str = REGIONS_PATH) -> tuple[Region, ...]:
    """The named regions in ``path`` (read once per change of the file)."""
    path = Path(path)
    if not path.exists():
        raise ExportError(f"the regions file {path} is missing; restore data/regions.csv from git")
    return _regions(str(path), path.stat().st_mtime)


def _key(name: str) -> str:
    return " ".join(str(name).lower().replace("-", " ").split())


def find_region(name: str, path: Path | str = REGIONS_PATH) -> Region:
    """The region called ``name`` (or one of its aliases; case and hyphens ignored)."""
    regions = load_regions(path)
    for r in regions:
        if _key(name) in {_key(r.name), *map(_key, r.aliases)}:
            return r
    raise ExportError(f"unknown --region {name!r}; known: {', '.join(r.name for r in regions)} "
                      f"(or give --bbox W,S,E,N)")


def region_bounds(name: str, path: Path | str = REGIONS_PATH) -> tuple[float, float, float, float]:
    """The bounds of the region called ``name`` (see :func:`find_region`)."""
    return find_region(name, path).bounds


def view_bounds(lat: float, lon: float, zoom: float, width_px: int, height_px: int
                ) -> tuple[float, float, float, float]:
    """The box a Web Mercator map of ``width_px`` x ``height_px`` shows around (``lat``, ``lon``) at ``zoom``.

    >>> [round(v, 3) for v in view_bounds(0, 0, 0, 256, 256)]
    [-180.0, -85.051, 180.0, 85.051]
    >>> [round(v, 2) for v in view_bounds(36.34, 43.12, 10, 1024, 640)]
    [42.42, 35.99, 43.82, 36.69]
    """
    world = 256 * 2 ** float(zoom)
    cx = (lon + 180) / 360 * world
    sin = math.sin(math.radians(max(min(lat, 85.0511), -85.0511)))
    cy = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * world

    def lonlat(x, y):
        lo = x / world * 360 - 180
        la = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))
        return lo, la

    w, n = lonlat(cx - width_px / 2, cy - height_px / 2)
    e, s = lonlat(cx + width_px / 2, cy + height_px / 2)
    return (max(w, -180.0), max(s, -85.0511), min(e, 180.0), min(n, 85.0511))


def fit_bounds(geoms, margin: float = 0.35, fallback=None):
    """The box around every non-empty geometry in ``geoms`` (lon/lat), grown by ``margin`` degrees; ``fallback``
    when all are empty.

    >>> import shapely
    >>> fit_bounds([shapely.box(40, 34, 41, 35), None], margin=0.5)
    (39.5, 33.5, 41.5, 35.5)
    >>> fit_bounds([], fallback=(1, 2, 3, 4))
    (1, 2, 3, 4)
    """
    boxes = [g.bounds for g in geoms if g is not None and not g.is_empty]
    if not boxes:
        return fallback
    w, s = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    e, n = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
    return (round(w, 4), round(s, 4), round(e, 4), round(n, 4))


def describe_bounds(bounds) -> str:
    """A short caption of a box: ``35.9°N–36.7°N, 42.6°E–43.7°E``."""
    w, s, e, n = bounds
    return f"{s:.1f}°N–{n:.1f}°N, {w:.1f}°E–{e:.1f}°E"
