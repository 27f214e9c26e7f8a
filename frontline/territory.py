"""Approximate zones of control, and their areas, for any date (fast enough for a slider).

The gazetteer is a set of points; territory is estimated from them (the method, its
assumptions and limits are in ``docs/methodology_territory.md``):

1. Syria and Iraq (Natural Earth borders, simplified to ~1 km) are projected to an
   equal-area Lambert azimuthal projection centred on the region (pyproj).
2. Within each country, every place gets its Voronoi cell (the land nearer to it than
   to any other place of that country). Two places are *neighbours* when their cells
   share an edge, within a country or across the Syria-Iraq border.
3. Each cell is cut into its *core*, within a *reach* that depends on the kind of place
   (:data:`REACH_KM`: a town's garrison holds its district), and its *ring*, from the
   reach out to :data:`OUTER_REACH_KM`; the rest of the cell is ``UNASSIGNED`` on every date.
4. On a date, a core takes its place's controller (``CONTESTED`` while an offensive or
   siege on it is open). A ring takes it only *behind the lines*: when the place and every
   neighbour have the same controller and none is contested; otherwise it is
   ``UNASSIGNED`` (land between the sides). So a lone desert town among enemies holds
   no more than its reach, and a front line leaves the land between the sides unassigned.

The cells, zones and neighbours never change; only labels do, and only on event dates.
The cells are cut once into *faces* (a planar partition, an exact coverage), so a date's
polygons are a ``coverage_union`` of its faces per label and its areas are sums of face
areas. Snapshots are cached per change date: a slider move is a binary search and a dict
lookup.

>>> TERRITORY_LABELS[CONTESTED]
'Contested'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import shape

from . import basemap, config, vocab
from .errors import TerritoryError
from .timeline import ControlTimeline, _day, parse_date

__all__ = [
    "TerritoryModel", "Snapshot", "TerritoryError", "CONTESTED", "UNASSIGNED", "TERRITORY_CLASSES",
    "TERRITORY_COLORS", "TERRITORY_LABELS", "REACH_KM", "OUTER_REACH_KM", "EQUAL_AREA_CRS", "feature_collection",
]

CONTESTED = "CONTESTED"
UNASSIGNED = "UNASSIGNED"
#: Every class a snapshot reports, in legend order.
TERRITORY_CLASSES: tuple[str, ...] = (*vocab.CONTROLLERS, CONTESTED, UNASSIGNED)
TERRITORY_COLORS: dict[str, str] = {**vocab.CONTROLLER_COLORS, CONTESTED: vocab.CONTESTED_COLOR, UNASSIGNED: "#BBBBBB"}
TERRITORY_LABELS: dict[str, str] = {
    **vocab.CONTROLLER_LABELS,
    CONTESTED: "Contested",
    UNASSIGNED: "Not assigned (between the sides, empty desert, or no place in the gazetteer)",
}

#: How far (km) a place's holder is assumed to control the land around it, by kind.
#: A town ~ its district: Iraq's ~120 districts average ~3,600 km2 (a 34 km circle),
#: Syria's 65 districts ~2,850 km2 (30 km); a governorate capital reaches further.
REACH_KM: dict[str, float] = {"city": 45.0, "town": 30.0, "area": 25.0, "village": 15.0, "site": 15.0}
DEFAULT_REACH_KM = 20.0
#: How far (km) from its place a cell can be held *behind the lines*: the part of a cell
#: beyond the reach and within this radius (its *ring*) takes the place's holder only when
#: the place and every Voronoi neighbour have that same holder and none is contested.
#: Two places of one side up to 200 km apart with no other side around them thus close
#: the gap between them; land farther than this from every place stays unassigned.
OUTER_REACH_KM = 100.0

#: Equal-area projection for cells and areas (Lambert azimuthal equal-area on WGS84,
#: centred on the region, so buffers are also near true distance: < 0.5 % off at the edges).
EQUAL_AREA_CRS = "+proj=laea +lat_0=34.5 +lon_0=42 +datum=WGS84 +units=m +no_defs"
#: Border simplification (metres): about half a screen pixel at the map's default zoom.
BORDER_TOLERANCE_M = 1000.0
#: Segments per quarter circle for the reach circles (a 24-gon: ~8 km sides at 30 km).
CIRCLE_QUAD_SEGS = 6
#: Segments per quarter circle for the outer-reach circles (a 48-gon: ~13 km sides at 100 km).
OUTER_CIRCLE_QUAD_SEGS = 12
#: Decimal places of GeoJSON coordinates (1e-4 degree ~ 10 m).
COORD_DECIMALS = 4

_COUNTRY_A3 = {"SY": "SYR", "IQ": "IRQ"}
_MARGIN_M = 5000.0
#: How far (m) a circle's arc runs past the edge of its own cell, so that it is noded there.
_NODE_OVERSHOOT_M = 50.0
#: The zones of a cell: within the reach, from the reach to the outer reach, beyond.
_CORE, _RING, _BEYOND = 0, 1, 2


@dataclass(frozen=True)
class Snapshot:
    """The zones of control on one date (shared, cached objects: do not mutate them).

    ``geojson`` is a FeatureCollection in EPSG:4326 with one feature per class of
    :data:`TERRITORY_CLASSES` (each controller, ``CONTESTED`` and ``UNASSIGNED``), with
    properties ``controller, label, color, area_km2, population, places``; an empty class
    has an empty MultiPolygon. ``areas`` has one row per class (also zero rows).
    ``geometries`` maps each class to its shapely geometry (EPSG:4326).
    ``state_date`` is the change date the state dates from (<= ``date``).
    """

    date: pd.Timestamp
    geojson: dict
    areas: pd.DataFrame
    geometries: dict
    state_date: pd.Timestamp | None = None


def _reach_m(kinds: pd.Series) -> np.ndarray:
    return kinds.map(REACH_KM).fillna(DEFAULT_REACH_KM).to_numpy(dtype=float) * 1000.0


def _countries(basemap_dir: Path, to_laea) -> dict[str, shapely.Geometry]:
    """Syria and Iraq in the equal-area projection, simplified together (shared border kept)."""
    try:
        layer = basemap.layer("countries", Path(basemap_dir))
    except OSError as err:
        raise TerritoryError(f"cannot read the country borders in {basemap_dir}: {err}; "
                             "restore data/basemap/ from ../shared/data/") from err
    found = {f["properties"].get("adm0_a3"): shape(f["geometry"]) for f in layer["features"]}
    missing = [a3 for a3 in _COUNTRY_A3.values() if a3 not in found]
    if missing:
        raise TerritoryError(f"{basemap_dir}/{basemap.LAYER_FILES['countries']} has no feature with adm0_a3 "
                             f"{', '.join(missing)}; restore it from ../shared/data/")
    codes = list(_COUNTRY_A3)
    geoms = np.array([shapely.transform(found[_COUNTRY_A3[c]], to_laea, interleaved=False) for c in codes])
    simple = shapely.make_valid(shapely.coverage_simplify(geoms, BORDER_TOLERANCE_M))
    return dict(zip(codes, simple))


def _generators(places: pd.DataFrame, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One Voronoi generator per distinct (country, point): ``gen_of_place``, ``first_place_of_gen``."""
    key = places["country"].astype(str) + "|" + np.round(xy[:, 0]).astype(np.int64).astype(str) + "|" \
        + np.round(xy[:, 1]).astype(np.int64).astype(str)
    codes, uniques = pd.factorize(key)
    first = np.array([int(np.flatnonzero(codes == g)[0]) for g in range(len(uniques))], dtype=np.int64)
    return codes.astype(np.int64), first


@dataclass(frozen=True)
class _Partition:
    """The static cut of both countries: faces (equal-area metres) and what each belongs to."""

    faces: np.ndarray          # shapely Polygons, an exact coverage of both countries
    face_gen: np.ndarray       # the generator whose Voronoi cell holds each face, -1 if its country has none
    face_zone: np.ndarray      # CORE (within reach), RING (reach..outer reach) or BEYOND
    gen_of_place: np.ndarray   # generator of each place
    first_place: np.ndarray    # the place that labels each generator
    neighbours: np.ndarray     # (k, 2) generator pairs whose cells share an edge (also across the border)
    countries: dict


def _arcs(centres: np.ndarray, radius_m: np.ndarray, cells: np.ndarray, margin, quad_segs: int) -> list:
    """Each circle's arc inside its own cell (a hair wider, so the arc crosses the cell's edge and is noded there)."""
    circles = shapely.buffer(shapely.points(centres), radius_m, quad_segs=quad_segs)
    arcs = shapely.intersection(shapely.boundary(circles), shapely.buffer(cells, _NODE_OVERSHOOT_M))
    return list(shapely.intersection(arcs, margin))


def _neighbour_pairs(faces: np.ndarray, face_gen: np.ndarray) -> np.ndarray:
    """Pairs of generators whose cells share an edge, read off the faces' shared segments.

    The faces come from one noded arrangement, so two faces that touch along an edge hold
    exactly the same segment; a point contact is not a neighbour.
    """
    rings, ring_face = shapely.get_rings(faces, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    seg_face = ring_face[ring_of[:-1][same]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    _, seg = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    order = np.argsort(seg.ravel(), kind="stable")
    seg, seg_face = seg.ravel()[order], seg_face[order]
    shared = np.flatnonzero(seg[1:] == seg[:-1])
    g1, g2 = face_gen[seg_face[shared]], face_gen[seg_face[shared + 1]]
    keep = (g1 >= 0) & (g2 >= 0) & (g1 != g2)
    pairs = np.sort(np.column_stack([g1[keep], g2[keep]]), axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else np.empty((0, 2), dtype=np.int64)


def _build_faces(places: pd.DataFrame, basemap_dir: Path) -> _Partition:
    """Cut both countries into faces, each inside one place's cell and one zone of it."""
    to_laea = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True).transform
    countries = _countries(basemap_dir, to_laea)
    x, y = to_laea(places["lon"].to_numpy(float), places["lat"].to_numpy(float))
    xy = np.column_stack([x, y]) if len(places) else np.empty((0, 2))
    gen_of_place, first = _generators(places, xy)
    gen_xy = xy[first] if len(first) else np.empty((0, 2))
    gen_country = places["country"].to_numpy(dtype=object)[first] if len(first) else np.array([], dtype=object)
    reach = _reach_m(places["kind"])
    gen_reach = np.zeros(len(first))
    np.maximum.at(gen_reach, gen_of_place, reach)
    gen_outer = np.maximum(gen_reach, OUTER_REACH_KM * 1000.0)

    # Lines run a little past each border (clipped to a buffer), so that they cross it and
    # are noded there: a line clipped exactly at the border would end a hair short of it and
    # be dropped by polygonize as a dangle. Faces outside both countries are dropped below.
    lines = [shapely.boundary(g) for g in countries.values()]
    for code, country in countries.items():
        idx = np.flatnonzero(gen_country == code)
        if not len(idx):
            continue
        margin = shapely.buffer(country, _MARGIN_M)
        if len(idx) >= 2:
            cells = shapely.voronoi_polygons(shapely.multipoints(gen_xy[idx]), extend_to=margin, ordered=True)
            cells = np.asarray(shapely.get_parts(cells))
            lines.extend(shapely.intersection(shapely.boundary(cells), margin))
        else:
            cells = np.array([margin])
        lines.extend(_arcs(gen_xy[idx], gen_reach[idx], cells, margin, CIRCLE_QUAD_SEGS))
        lines.extend(_arcs(gen_xy[idx], gen_outer[idx], cells, margin, OUTER_CIRCLE_QUAD_SEGS))
    noded = shapely.union_all([ln for ln in lines if not ln.is_empty])
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    probe = shapely.point_on_surface(faces)
    px, py = shapely.get_coordinates(probe).T

    face_gen = np.full(len(faces), -1, dtype=np.int64)
    face_zone = np.full(len(faces), _BEYOND, dtype=np.int8)
    keep = np.zeros(len(faces), dtype=bool)
    for code, country in countries.items():
        inside = shapely.contains_xy(country, px, py) & ~keep
        keep |= inside
        idx = np.flatnonzero(gen_country == code)
        if not len(idx) or not inside.any():
            continue
        d2 = (px[inside, None] - gen_xy[idx, 0]) ** 2 + (py[inside, None] - gen_xy[idx, 1]) ** 2
        near = d2.argmin(axis=1)
        dist = np.sqrt(d2[np.arange(len(near)), near])
        rows = np.flatnonzero(inside)
        face_gen[rows] = idx[near]
        face_zone[rows] = np.where(dist <= gen_reach[idx][near], _CORE,
                                   np.where(dist <= gen_outer[idx][near], _RING, _BEYOND))
    faces, face_gen, face_zone = faces[keep], face_gen[keep], face_zone[keep]
    return _Partition(faces, face_gen, face_zone, gen_of_place, first, _neighbour_pairs(faces, face_gen), countries)


def _ring_coords(ring) -> list:
    return np.round(shapely.get_coordinates(ring), COORD_DECIMALS).tolist()


def _geojson_geometry(geom) -> dict:
    """A (Multi)Polygon as a GeoJSON MultiPolygon with rounded coordinates (empty: no polygons)."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return {"type": "MultiPolygon", "coordinates": [
        [_ring_coords(p.exterior)] + [_ring_coords(r) for r in p.interiors] for p in polys]}


def feature_collection(geometries: dict, areas: pd.DataFrame, geojson_geometries: dict | None = None) -> dict:
    """GeoJSON FeatureCollection, one feature per class in ``areas`` (legend order).

    ``geojson_geometries`` (class -> GeoJSON geometry) may be given to reuse ones already built.
    """
    features = []
    for row in areas.itertuples(index=False):
        gj = (geojson_geometries or {}).get(row.controller) or _geojson_geometry(geometries[row.controller])
        features.append({
            "type": "Feature",
            "geometry": gj,
            "properties": {
                "controller": row.controller,
                "label": TERRITORY_LABELS[row.controller],
                "color": TERRITORY_COLORS[row.controller],
                "area_km2": round(float(row.area_km2), 1),
                "population": int(row.population),
                "places": int(row.places),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def _union(faces: np.ndarray) -> shapely.Geometry:
    if not len(faces):
        return shapely.MultiPolygon()
    try:
        return shapely.coverage_union_all(faces)
    except shapely.errors.GEOSException:  # not an exact coverage after all: robust overlay
        return shapely.union_all(faces)


class TerritoryModel:
    """Zones of control for every date, cut once and labelled per change date.

    Parameters
    ----------
    places : the gazetteer (``place_id, lat, lon, country, kind, population, controller_2014``)
    events : the events (``date, place_id, event_type, controller_after``)
    basemap_dir : folder holding ``ne_10m_admin0_region.geojson``

    Examples
    --------
    >>> from frontline.data import load
    >>> ds = load("tests/fixtures/events.csv", "tests/fixtures/places.csv")
    >>> model = TerritoryModel(ds.places, ds.events)
    >>> snap = model.snapshot("2014-06-10")
    >>> int(snap.areas.set_index("controller").loc["ISIS", "places"])
    2
    """

    def __init__(self, places: pd.DataFrame, events: pd.DataFrame, basemap_dir=config.BASEMAP_DIR):
        self.places = places.reset_index(drop=True)
        self.timeline = ControlTimeline(self.places, events)
        part = _build_faces(self.places, Path(basemap_dir))
        self._face_gen = part.face_gen
        self._face_zone = part.face_zone
        self._gen_of_place = part.gen_of_place
        self._gen_first_place = part.first_place
        #: Generator pairs whose cells share an edge (within a country or across the border).
        self._neighbours = part.neighbours
        self._face_area_km2 = shapely.area(part.faces) / 1e6
        to_wgs = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True).transform
        self._faces = np.asarray(shapely.transform(part.faces,
                                                   lambda xy: np.column_stack(to_wgs(xy[:, 0], xy[:, 1]))))
        self.countries = part.countries
        self.country_area_km2 = float(sum(shapely.area(g) for g in part.countries.values()) / 1e6)
        self._population = pd.to_numeric(self.places.get("population"), errors="coerce").fillna(0).to_numpy(np.int64)
        self._class_index = {c: i for i, c in enumerate(TERRITORY_CLASSES)}
        lo = int(_day([vocab.PERIOD_START])[0])
        days = sorted({lo, *(int(d) for d in _day(self.timeline.change_dates) if int(d) >= lo)})
        self._state_days = np.array(days, dtype=np.int64)
        self._cache: dict[int, Snapshot] = {}
        self._by_labels: dict[bytes, Snapshot] = {}
        self._unassigned = None
        self._class_geoms: dict[tuple[int, bytes], tuple] = {}

    def neighbours_of(self, place_id: str) -> list[str]:
        """The places whose cells share an edge with ``place_id``'s cell, sorted (one per cell).

        Raises :class:`~frontline.errors.TerritoryError` for a place not in the gazetteer.
        """
        ids = self.places["place_id"].astype(str).to_numpy()
        found = np.flatnonzero(ids == str(place_id))
        if not len(found):
            raise TerritoryError(f"unknown place {place_id!r}; use a place_id from places.csv")
        g = self._gen_of_place[found[0]]
        pairs = self._neighbours[(self._neighbours == g).any(axis=1)]
        return sorted(ids[self._gen_first_place[pairs[pairs != g]]])

    # -- labels and areas (no geometry) -------------------------------------------------
    @property
    def state_dates(self) -> list[pd.Timestamp]:
        """The dates on which the state can change (2014-01-01 plus every change date)."""
        return [pd.Timestamp(np.datetime64(int(d), "D")) for d in self._state_days]

    def _place_classes(self, day: int) -> np.ndarray:
        """Class index of every place on ``day`` (a change date)."""
        controller, _, contested = self.timeline.state_arrays(pd.Timestamp(np.datetime64(day, "D")))
        cls = pd.Series(controller).map(self._class_index).fillna(self._class_index[UNASSIGNED]).to_numpy(np.int64, copy=True)
        cls[contested] = self._class_index[CONTESTED]
        return cls

    def _behind_the_lines(self, gen_cls: np.ndarray) -> np.ndarray:
        """Per generator: it is held (not contested), has neighbours, and every one has the same class."""
        a, b = self._neighbours[:, 0], self._neighbours[:, 1]
        ok = (gen_cls < len(vocab.CONTROLLERS)) & (np.bincount(np.r_[a, b], minlength=len(gen_cls)) > 0)
        differ = gen_cls[a] != gen_cls[b]
        ok[a[differ]] = False
        ok[b[differ]] = False
        return ok

    def _face_classes(self, place_cls: np.ndarray) -> np.ndarray:
        """Class of every face: a core takes its place's class, a ring only behind the lines."""
        gen_cls = place_cls[self._gen_first_place] if len(place_cls) else np.array([], dtype=np.int64)
        out = np.full(len(self._face_gen), self._class_index[UNASSIGNED], dtype=np.int64)
        core = self._face_zone == _CORE
        out[core] = gen_cls[self._face_gen[core]]
        ring = self._face_zone == _RING
        ring[ring] = self._behind_the_lines(gen_cls)[self._face_gen[ring]]
        out[ring] = gen_cls[self._face_gen[ring]]
        return out

    def _areas(self, place_cls: np.ndarray, face_cls: np.ndarray) -> pd.DataFrame:
        n = len(TERRITORY_CLASSES)
        return pd.DataFrame({
            "controller": list(TERRITORY_CLASSES),
            "area_km2": np.bincount(face_cls, weights=self._face_area_km2, minlength=n).round(1),
            "places": np.bincount(place_cls, minlength=n).astype(np.int64),
            "population": np.bincount(place_cls, weights=self._population, minlength=n).astype(np.int64),
        })

    def areas_on(self, when) -> pd.DataFrame:
        """``controller, area_km2, places, population`` on ``when`` without building polygons."""
        place_cls = self._place_classes(self._state_day(when))
        return self._areas(place_cls, self._face_classes(place_cls))

    def area_series(self) -> pd.DataFrame:
        """Areas per change date: ``date, controller, area_km2, population, places`` (for charts).

        One row per (state date, class), classes as in :data:`TERRITORY_CLASSES`; a state
        holds from its date until the next one.
        """
        frames = []
        for day in self._state_days:
            place_cls = self._place_classes(int(day))
            frame = self._areas(place_cls, self._face_classes(place_cls))
            frame.insert(0, "date", pd.Timestamp(np.datetime64(int(day), "D")))
            frames.append(frame)
        out = pd.concat(frames, ignore_index=True)
        return out[["date", "controller", "area_km2", "population", "places"]]

    # -- snapshots (geometry) ------------------------------------------------------------
    def _state_day(self, when) -> int:
        day = int(_day([parse_date(when)])[0])
        i = int(np.searchsorted(self._state_days, day, side="right")) - 1
        return int(self._state_days[max(i, 0)])

    def _class_geometry(self, i: int, mask: np.ndarray) -> tuple:
        """Union of the faces in ``mask`` and its GeoJSON, cached: most classes do not change on a date."""
        key = (i, np.packbits(mask).tobytes())
        hit = self._class_geoms.get(key)
        if hit is None:
            if TERRITORY_CLASSES[i] == UNASSIGNED:
                beyond = self._face_zone == _BEYOND
                if self._unassigned is None:  # the land beyond every outer reach never changes: union it once
                    self._unassigned = _union(self._faces[beyond])
                extra = self._faces[mask & ~beyond]
                geom = _union(np.append(extra, self._unassigned)) if len(extra) else self._unassigned
            else:
                geom = _union(self._faces[mask])
            hit = self._class_geoms[key] = (geom, _geojson_geometry(geom))
        return hit

    def _build(self, day: int) -> Snapshot:
        place_cls = self._place_classes(day)
        face_cls = self._face_classes(place_cls)
        key = face_cls.tobytes() + place_cls.tobytes()
        state_date = pd.Timestamp(np.datetime64(day, "D"))
        if key in self._by_labels:
            return dataclasses.replace(self._by_labels[key], date=state_date, state_date=state_date)
        geometries, geojson_geometries = {}, {}
        for i, cls in enumerate(TERRITORY_CLASSES):
            geometries[cls], geojson_geometries[cls] = self._class_geometry(i, face_cls == i)
        areas = self._areas(place_cls, face_cls)
        snap = Snapshot(state_date, feature_collection(geometries, areas, geojson_geometries), areas, geometries,
                        state_date)
        self._by_labels[key] = snap
        return snap

    def snapshot(self, when) -> Snapshot:
        """The zones of control on ``when`` (ISO date or Timestamp), cached per change date.

        Raises :class:`~frontline.errors.DateError` for a date outside 2014-01-01..2019-12-31.
        """
        ts = parse_date(when)
        day = self._state_day(ts)
        snap = self._cache.get(day)
        if snap is None:
            snap = self._cache[day] = self._build(day)
        return snap if snap.date == ts else dataclasses.replace(snap, date=ts)

    def build_all(self) -> int:
        """Build and cache every change date's snapshot; return how many states there are."""
        for day in self._state_days:
            if int(day) not in self._cache:
                self._cache[int(day)] = self._build(int(day))
        return len(self._state_days)
