"""Approximate zones of control, and their areas and people, for any date (fast enough for a slider).

The gazetteer is a set of points; territory is estimated from them and from a few curated
roads (the method, its assumptions and limits are in ``docs/methodology_territory.md``):

1. Syria and Iraq (Natural Earth borders, simplified to ~1 km) are projected to an
   equal-area Lambert azimuthal projection centred on the region (pyproj).
2. **Core.** Each place holds its *reach* (:data:`REACH_KM`, by kind), cut at the half-way
   line to the next place of its country (its Voronoi cell).
3. **Corridor.** Along a curated road (``data/routes.csv``) or a river of the basemap, the
   band of :data:`CORRIDOR_HALF_WIDTH_KM` each side of the path between two consecutive
   places goes to their holder when both have the same holder (through another side's
   place beyond half its reach).
4. **Support zone.** A Delaunay triangle between three settlements, no side longer than
   :data:`TRIANGLE_MAX_EDGE_KM`, goes to their holder when all three have the same holder
   (land of it farther than :data:`OUTER_REACH_KM` from every place stays unassigned); so
   does a pocket of unassigned land of at most :data:`ENCLOSED_MAX_KM2` that one side
   surrounds (:data:`ENCLOSED_SHARE` of its border) away from the outer border.
5. A core beats a corridor, a corridor beats a support zone; the rest is ``UNASSIGNED``.
   Corridor and support land is flagged *inferred* (not within reach of a held place).

**Contested is an overlay**, not a class of the partition: a place under offensive or
siege stays its holder's (area, places, people) until it changes hands; the snapshot
exposes its core separately (``Snapshot.contested``, the ``CONTESTED`` feature and row).

The faces are cut once (:mod:`frontline.history.landmodel`); only labels change, and only on event
dates, so a date's polygons are a ``coverage_union`` of its faces per label, cached per
change date: a slider move is a binary search and a dict lookup.

>>> TERRITORY_LABELS[CONTESTED]
'Contested (drawn over its holder)'
"""

from __future__ import annotations

import dataclasses
from datetime import date as _date_cls
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely

from .. import config, vocab
from . import population
from . import landmodel
from ..errors import TerritoryError
from .landmodel import CORRIDOR_HALF_WIDTH_KM, EQUAL_AREA_CRS, TRIANGLE_MAX_EDGE_KM
from .timeline import ControlTimeline, _day, parse_date

__all__ = [
    "TerritoryModel", "Snapshot", "TerritoryError", "CONTESTED", "UNASSIGNED", "INFERRED", "TERRITORY_CLASSES",
    "TERRITORY_COLORS", "TERRITORY_LABELS", "REACH_KM", "OUTER_REACH_KM", "EQUAL_AREA_CRS", "feature_collection",
    "CORRIDOR_HALF_WIDTH_KM", "TRIANGLE_MAX_EDGE_KM", "DETAIL_COLUMNS",
]

CONTESTED = "CONTESTED"
UNASSIGNED = "UNASSIGNED"
#: The ``kind`` of an overlay feature marking land inferred by the support-zone rule.
INFERRED = "INFERRED"
#: Every class a snapshot reports, in legend order (``CONTESTED`` is an overlay on its holder).
TERRITORY_CLASSES: tuple[str, ...] = (*vocab.CONTROLLERS, CONTESTED, UNASSIGNED)
TERRITORY_COLORS: dict[str, str] = {**vocab.CONTROLLER_COLORS, CONTESTED: vocab.CONTESTED_COLOR, UNASSIGNED: "#BBBBBB"}
TERRITORY_LABELS: dict[str, str] = {
    **vocab.CONTROLLER_LABELS,
    CONTESTED: "Contested (drawn over its holder)",
    UNASSIGNED: "Not assigned (between the sides, or desert far from any place held by one side)",
}

#: How far (km) a place's holder is assumed to control the land around it, by kind.
REACH_KM: dict[str, float] = {"city": 34.0, "town": 23.0, "area": 19.0, "village": 12.0, "site": 12.0}
DEFAULT_REACH_KM = 15.0
#: Support-zone land farther than this (km) from every place in the gazetteer stays unassigned.
OUTER_REACH_KM = landmodel.SUPPORT_MAX_KM
#: Give land enclosed by one side alone (a hole in its zone, away from the outer border) to that side, as inferred.
FILL_ENCLOSED = True
#: Share of a pocket's border that one side must hold for the pocket to be filled.
ENCLOSED_SHARE = 0.8
#: Largest pocket (km2) filled that way: larger ones stay unassigned (desert nobody is known to hold).
ENCLOSED_MAX_KM2 = 5000.0
#: Spread the rest of a governorate's people over its assigned land only (True) or over all its land,
#: counting the unassigned share for nobody (False).
REST_OVER_ASSIGNED = False
#: Side (degrees, about) of the tiles whose partial unions are cached across dates.
TILE_DEG = 1.0
#: Decimal places of GeoJSON coordinates (1e-4 degree ~ 10 m); geometry is snapped to this grid.
COORD_DECIMALS = 4
_GRID = 10.0 ** -COORD_DECIMALS
#: Columns of :attr:`Snapshot.details`.
DETAIL_COLUMNS = ["controller", "area_km2", "held_km2", "inferred_km2", "contested_km2", "places",
                  "contested_places", "population", "places_population", "rest_population"]


@dataclass(frozen=True)
class Snapshot:
    """The zones of control on one date (shared, cached objects: do not mutate them).

    ``geojson`` is a FeatureCollection in EPSG:4326 with one feature per class of
    :data:`TERRITORY_CLASSES`, properties ``controller, label, color, area_km2, population,
    places``; an empty class has an empty MultiPolygon. Each controller's feature includes
    its contested and inferred land; the ``CONTESTED`` feature is an overlay on top of its
    holders (drawn last among the held classes), ``UNASSIGNED`` the land nobody is given.
    ``areas`` has one row per class: ``controller, area_km2, places, population``; the
    controller rows and ``UNASSIGNED`` add up to both countries, ``CONTESTED`` is the part
    of the controllers' figures under offensive or siege (counted in both).
    ``geometries`` maps each class to its shapely geometry (EPSG:4326).
    ``state_date`` is the change date the state dates from (<= ``date``).

    Overlays (new in territory v2):

    - ``contested``: the contested land (same as ``geometries[CONTESTED]``);
    - ``inferred``: controller -> the part of its land not within reach of one of its places
      (roads, rivers, support zones, enclosed pockets), to be drawn lighter;
    - ``overlays``: a FeatureCollection of both, one feature per (kind, controller) with
      properties ``kind`` (``"INFERRED"`` or ``"CONTESTED"``), ``controller, label, color, area_km2``;
    - ``details``: per class, :data:`DETAIL_COLUMNS` (held/inferred/contested km2, people in places and the rest).
    """

    date: pd.Timestamp
    geojson: dict
    areas: pd.DataFrame
    geometries: dict
    state_date: pd.Timestamp | None = None
    contested: object = None
    inferred: dict = field(default_factory=dict)
    overlays: dict = field(default_factory=lambda: {"type": "FeatureCollection", "features": []})
    details: pd.DataFrame | None = None


def _reach_m(kinds: pd.Series) -> np.ndarray:
    return kinds.map(REACH_KM).fillna(DEFAULT_REACH_KM).to_numpy(dtype=float) * 1000.0


def _round(geom):
    """``geom`` with coordinates rounded to the GeoJSON grid, repaired only if rounding broke it."""
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    rounded = shapely.transform(geom, lambda xy: np.round(xy, COORD_DECIMALS))
    if shapely.is_valid(rounded):
        return rounded
    snapped = shapely.set_precision(geom, _GRID)
    snapped = snapped if shapely.is_valid(snapped) else shapely.make_valid(snapped)
    return shapely.transform(snapped, lambda xy: np.round(xy, COORD_DECIMALS))


def _geojson_geometry(geom) -> dict:
    """A (Multi)Polygon as a GeoJSON MultiPolygon (empty: no polygons); pass it through :func:`_round` first."""
    polys = [q for p in shapely.get_parts(geom) for q in shapely.get_parts(p)
             if q.geom_type == "Polygon" and not q.is_empty]
    if not polys:
        return {"type": "MultiPolygon", "coordinates": []}
    rings, ring_poly = shapely.get_rings(np.array(polys, dtype=object), return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    flat = xy.tolist()
    ends = np.cumsum(np.bincount(ring_of, minlength=len(rings))).tolist()
    coords: list[list] = [[] for _ in polys]
    start = 0
    for i, end in enumerate(ends):
        coords[ring_poly[i]].append(flat[start:end])
        start = end
    return {"type": "MultiPolygon", "coordinates": coords}


def feature_collection(geometries: dict, areas: pd.DataFrame, geojson_geometries: dict | None = None) -> dict:
    """GeoJSON FeatureCollection, one feature per class in ``areas`` (legend order).

    ``geojson_geometries`` (class -> GeoJSON geometry) may be given to reuse ones already built.
    """
    features = []
    for row in areas.itertuples(index=False):
        gj = (geojson_geometries or {}).get(row.controller) or _geojson_geometry(_round(geometries[row.controller]))
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
        return shapely.union_all(shapely.make_valid(faces))


@dataclass(frozen=True)
class _State:
    """Labels on one change date: per place and per face."""

    place_cls: np.ndarray      # class index of each place's holder (never CONTESTED)
    place_contested: np.ndarray
    face_cls: np.ndarray       # class index of each face (a controller or UNASSIGNED)
    face_inferred: np.ndarray
    face_contested: np.ndarray
    face_people: np.ndarray    # people of the rest of the governorates on each face


class TerritoryModel:
    """Zones of control for every date, cut once and labelled per change date.

    Parameters
    ----------
    places : the gazetteer (``place_id, lat, lon, country, kind, population, controller_2014``)
    events : the events (``date, place_id, event_type, controller_after``)
    basemap_dir : folder holding ``ne_10m_admin0_region.geojson`` (and the governorates)
    routes : the curated roads (:func:`frontline.history.landmodel.load_routes`); default ``data/routes.csv``
    admin_population : governorate totals (:func:`frontline.history.population.load_admin_population`);
        default ``data/admin_population.csv``

    Examples
    --------
    >>> from frontline.dataset.load import load
    >>> ds = load("tests/fixtures/events.csv", "tests/fixtures/places.csv")
    >>> model = TerritoryModel(ds.places, ds.events)
    >>> snap = model.snapshot("2014-06-10")
    >>> int(snap.areas.set_index("controller").loc["ISIS", "places"])
    2
    """

    def __init__(self, places: pd.DataFrame, events: pd.DataFrame, basemap_dir=config.BASEMAP_DIR,
                 routes: pd.DataFrame | None = None, admin_population: pd.DataFrame | None = None):
        self.places = places.reset_index(drop=True)
        self.timeline = ControlTimeline(self.places, events)
        self.routes = landmodel.load_routes() if routes is None else routes
        land = landmodel.build_land(self.places, _reach_m(self.places["kind"]), Path(basemap_dir), self.routes)
        self._land = land
        self._gen_of_place = land.gen_of_place
        self._gen_first_place = land.first_place
        #: Generator pairs whose cells share an edge (within a country or across the border).
        self._neighbours = land.neighbours
        self._face_area_km2 = shapely.area(land.faces) / 1e6
        self._to_wgs = pyproj.Transformer.from_crs(EQUAL_AREA_CRS, "EPSG:4326", always_xy=True).transform
        #: The faces in the equal-area projection (unions are made there, then projected).
        self._faces = land.faces
        self.countries = land.countries
        self.country_area_km2 = float(sum(shapely.area(g) for g in land.countries.values()) / 1e6)
        self._population = pd.to_numeric(self.places.get("population"), errors="coerce").fillna(0).to_numpy(np.int64)
        table = population.load_admin_population() if admin_population is None else admin_population
        self._rest = population.rest_of_governorates(land.admins, land.place_admin, self._population, table)
        self._class_index = {c: i for i, c in enumerate(TERRITORY_CLASSES)}
        self._n_ctrl = len(vocab.CONTROLLERS)
        lo = int(_day([vocab.PERIOD_START])[0])
        days = sorted({lo, *(int(d) for d in _day(self.timeline.change_dates) if int(d) >= lo)})
        self._state_days = np.array(days, dtype=np.int64)
        self._cache: dict[int, Snapshot] = {}
        self._by_labels: dict[bytes, Snapshot] = {}
        self._geoms: dict[tuple, tuple] = {}
        self._always: np.ndarray | None = None
        self._states: dict[int, _State] = {}
        self._block_parts: dict[int, np.ndarray] = {}
        #: Faces grouped in tiles of TILE_DEG (by a point inside each face), for cached partial unions.
        cx, cy = shapely.get_coordinates(shapely.point_on_surface(self._faces)).T if len(self._faces) else ([], [])
        self._face_tile = (np.floor(np.asarray(cx) / (TILE_DEG * 111e3)) * 1000
                           + np.floor(np.asarray(cy) / (TILE_DEG * 111e3))).astype(np.int64)
        self._tile_parts: dict[tuple, np.ndarray] = {}
        self._atoms = None
        self._details_by_day: dict[int, pd.DataFrame] = {}
        self._isis_rows: dict[int, dict] = {}

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

    def _state(self, day: int) -> _State:
        """Labels of every place and face on ``day`` (a change date)."""
        land = self._land
        controller, _, contested = self.timeline.state_arrays(pd.Timestamp(np.datetime64(day, "D")))
        unassigned = self._class_index[UNASSIGNED]
        place_cls = pd.Series(controller).map(self._class_index).fillna(unassigned).to_numpy(np.int64, copy=True)
        place_cls[place_cls >= self._n_ctrl] = unassigned
        first = self._gen_first_place
        gen_cls = place_cls[first] if len(first) else np.array([], dtype=np.int64)
        gen_contested = contested[first] if len(first) else np.array([], dtype=bool)

        face_cls = np.full(len(land.faces), unassigned, dtype=np.int64)
        inferred = np.zeros(len(land.faces), dtype=bool)
        if len(land.tri_gens):  # support zones: three places of one side
            t = gen_cls[land.tri_gens]
            tri_cls = np.where((t[:, 0] == t[:, 1]) & (t[:, 1] == t[:, 2]) & (t[:, 0] < self._n_ctrl), t[:, 0], -1)
            ft = np.where(land.face_tri >= 0, tri_cls[np.maximum(land.face_tri, 0)], -1)
            ok = (ft >= 0) & ~land.face_beyond
            face_cls[ok] = ft[ok]
            inferred[ok] = True
        core = land.face_core >= 0
        face_cls[core] = gen_cls[land.face_core[core]]
        inferred[core] = False
        from_core = core.copy()
        if len(land.corr_face):  # corridors: both ends of a road segment held by one side
            a, b = gen_cls[land.seg_gens[:, 0]], gen_cls[land.seg_gens[:, 1]]
            seg_cls = np.where((a == b) & (a < self._n_ctrl), a, -1)[land.corr_seg]
            ok = (seg_cls >= 0) & ~land.face_inner[land.corr_face]
            f = land.corr_face[ok]
            from_core[f] &= face_cls[f] == seg_cls[ok]  # a road passing another side's place beyond its inner core
            face_cls[f] = seg_cls[ok]
            inferred[f] = True  # a road between two places: inferred, like the support zones
        if FILL_ENCLOSED:
            self._fill_enclosed(face_cls, inferred)
        face_contested = np.zeros(len(land.faces), dtype=bool)
        face_contested[from_core] = gen_contested[land.face_core[from_core]] & (face_cls[from_core] < self._n_ctrl)

        # the rest of each governorate's people, spread over its land by area (REST_OVER_ASSIGNED)
        people = np.zeros(len(land.faces))
        if len(land.admin_face):
            held = face_cls[land.admin_face] < self._n_ctrl
            over = held if REST_OVER_ASSIGNED else np.ones_like(held)
            assigned = np.bincount(land.admin_idx[over], weights=land.admin_km2[over], minlength=len(self._rest))
            share = np.divide(self._rest, assigned, out=np.zeros_like(self._rest), where=assigned > 0)
            np.add.at(people, land.admin_face[held], land.admin_km2[held] * share[land.admin_idx[held]])
        return _State(place_cls, contested & (place_cls < self._n_ctrl), face_cls, inferred, face_contested, people)

    def _fill_enclosed(self, face_cls: np.ndarray, inferred: np.ndarray) -> None:
        """Give each pocket of unassigned land (at most ENCLOSED_MAX_KM2, off the outer border) that one side
        surrounds for at least ENCLOSED_SHARE of its border to that side, as inferred land."""
        unassigned = self._class_index[UNASSIGNED]
        pairs = self._land.face_pairs
        if not len(pairs):
            return
        u = face_cls == unassigned
        a, b = pairs[:, 0], pairs[:, 1]
        both = u[a] & u[b]
        ua, ub = a[both], b[both]
        label = landmodel.components(len(face_cls), ua, ub)  # connected components of the unassigned faces
        comp = np.where(u, label, -1)
        # components on the outer border stay unassigned
        open_comp = np.unique(comp[u & self._land.face_outer])
        # the sides around each component, weighted by the length of border they share with it
        edge = u[a] ^ u[b]
        inner = np.where(u[a[edge]], a[edge], b[edge])
        outer = np.where(u[a[edge]], b[edge], a[edge])
        c, side, length = comp[inner], face_cls[outer], self._land.pair_m[edge]
        n = len(face_cls)
        per = np.zeros((n, len(TERRITORY_CLASSES)))
        np.add.at(per, (c, side), length)
        total = per.sum(axis=1)
        best = per[:, :self._n_ctrl].argmax(axis=1)
        share = np.divide(per[np.arange(n), best], total, out=np.zeros(n), where=total > 0)
        ok = (share >= ENCLOSED_SHARE) & (total > 0)
        ok[open_comp] = False
        size = np.bincount(comp[u], weights=self._face_area_km2[u], minlength=n)
        ok &= size <= ENCLOSED_MAX_KM2
        single = np.column_stack([np.flatnonzero(ok), best[ok]])
        if not len(single):
            return
        fill = np.full(len(face_cls), -1, dtype=np.int64)
        fill[single[:, 0]] = single[:, 1]
        target = np.where(u, fill[np.maximum(comp, 0)], -1)
        ok = target >= 0
        face_cls[ok] = target[ok]
        inferred[ok] = True

    def _details(self, st: _State) -> pd.DataFrame:
        n = len(TERRITORY_CLASSES)
        con = self._class_index[CONTESTED]
        w = self._face_area_km2
        area = np.bincount(st.face_cls, weights=w, minlength=n)
        inferred = np.bincount(st.face_cls[st.face_inferred], weights=w[st.face_inferred], minlength=n)
        contested = np.bincount(st.face_cls[st.face_contested], weights=w[st.face_contested], minlength=n)
        places = np.bincount(st.place_cls, minlength=n).astype(np.int64)
        cplaces = np.bincount(st.place_cls[st.place_contested], minlength=n).astype(np.int64)
        ppop = np.bincount(st.place_cls, weights=self._population, minlength=n)
        rest = np.bincount(st.face_cls, weights=st.face_people, minlength=n)
        area[con], contested[con] = contested.sum(), contested.sum()
        places[con], cplaces[con] = cplaces.sum(), cplaces.sum()
        ppop[con] = self._population[st.place_contested].sum()
        rest[con] = st.face_people[st.face_contested].sum()
        unassigned = self._class_index[UNASSIGNED]
        rest[unassigned] = 0.0  # people on unassigned land are counted for nobody
        return pd.DataFrame({
            "controller": list(TERRITORY_CLASSES),
            "area_km2": area.round(1),
            "held_km2": (area - np.where(np.arange(n) == con, 0, inferred)).round(1),
            "inferred_km2": np.where(np.arange(n) == con, 0, inferred).round(1),
            "contested_km2": contested.round(1),
            "places": places,
            "contested_places": cplaces,
            "population": (ppop + rest).round().astype(np.int64),
            "places_population": ppop.round().astype(np.int64),
            "rest_population": rest.round().astype(np.int64),
        })[DETAIL_COLUMNS]

    @staticmethod
    def _areas(details: pd.DataFrame) -> pd.DataFrame:
        return details[["controller", "area_km2", "places", "population"]].reset_index(drop=True)

    def areas_on(self, when) -> pd.DataFrame:
        """``controller, area_km2, places, population`` on ``when`` without building polygons."""
        return self._areas(self.details_on(when))

    def details_on(self, when) -> pd.DataFrame:
        """Per class, :data:`DETAIL_COLUMNS` on ``when`` (no polygons; cached per change date: a lookup)."""
        day = self._state_day(when)
        hit = self._details_by_day.get(day)
        if hit is None:
            hit = self._details_by_day[day] = self._details(self._state(day))
        return hit

    def atoms(self):
        """The territory of every date as fixed pieces and one label string per change date
        (:class:`frontline.history.atoms.Atoms`), built once (~1 s) and kept with the model."""
        if self._atoms is None:
            from .atoms import build_atoms

            states = [self._state(int(d)) for d in self._state_days]
            for day, st in zip(self._state_days, states):
                self._details_by_day.setdefault(int(day), self._details(st))
            codes = np.stack([st.face_cls * 4 + st.face_inferred * 2 + st.face_contested for st in states], axis=1)
            to_wgs = self._to_wgs
            faces = shapely.transform(self._faces, lambda xy: np.column_stack(to_wgs(xy[:, 0], xy[:, 1])))
            self._atoms = build_atoms(faces, self._land.face_pairs, codes.astype(np.uint8), self._state_days)
        return self._atoms

    def labels_on(self, when) -> str:
        """The territory on ``when`` as one character per atom (see :mod:`frontline.history.atoms`)."""
        return self.atoms().label_on(_day_number(when))

    def area_series(self) -> pd.DataFrame:
        """Areas per change date: ``date, controller, area_km2, population, places`` (for charts).

        One row per (state date, class), classes as in :data:`TERRITORY_CLASSES`; a state
        holds from its date until the next one. ``CONTESTED`` rows overlap their holders' rows.
        """
        frames = []
        for day in self._state_days:
            frame = self._areas(self._details(self._state(int(day))))
            frame.insert(0, "date", pd.Timestamp(np.datetime64(int(day), "D")))
            frames.append(frame)
        out = pd.concat(frames, ignore_index=True)
        return out[["date", "controller", "area_km2", "population", "places"]]

    # -- snapshots (geometry) ------------------------------------------------------------
    def _state_day(self, when) -> int:
        day = _day_number(when)
        i = int(np.searchsorted(self._state_days, day, side="right")) - 1
        return int(self._state_days[max(i, 0)])

    def isis_row(self, when) -> dict:
        """ISIS's :data:`DETAIL_COLUMNS` on ``when`` as a dict (a lookup per change date, for the figures panel)."""
        day = self._state_day(when)
        hit = self._isis_rows.get(day)
        if hit is None:
            d = self.details_on(when)
            hit = self._isis_rows[day] = d.iloc[int(np.flatnonzero(d["controller"].to_numpy(dtype=object) == "ISIS")[0])].to_dict()
        return hit

    def _blocks(self) -> np.ndarray:
        """Per face, the class it has on every state date, -1 if it changes (computed once)."""
        if self._always is None:
            states = self._states or {int(d): self._state(int(d)) for d in self._state_days}
            first = states[int(self._state_days[0])].face_cls
            always = first.copy()
            for st in states.values():
                always[st.face_cls != first] = -1
            self._always = always
        return self._always

    def _tiled(self, mask: np.ndarray) -> np.ndarray:
        """The faces in ``mask`` merged tile by tile (each tile's union cached: most tiles do not change on a date)."""
        out = []
        for tile in np.unique(self._face_tile[mask]):
            sel = mask & (self._face_tile == tile)
            key = (int(tile), np.packbits(sel).tobytes())
            hit = self._tile_parts.get(key)
            if hit is None:
                hit = self._tile_parts[key] = np.asarray(shapely.get_parts(_union(self._faces[sel])))
            out.append(hit)
        return np.concatenate(out) if out else self._faces[:0]

    def _parts(self, mask: np.ndarray, cls: int | None) -> np.ndarray:
        """The faces in ``mask``, with those of ``cls`` on every date replaced by their union (computed once)."""
        if cls is None or (self._always is None and not self._states):  # a single date: no need to scan them all
            return self._tiled(mask)
        block = self._blocks() == cls
        if not block.any():
            return self._tiled(mask)
        if cls not in self._block_parts:
            self._block_parts[cls] = np.asarray(shapely.get_parts(_union(self._faces[block])))
        return np.concatenate([self._block_parts[cls], self._tiled(mask & ~block)])

    def _geometry(self, kind: str, mask: np.ndarray, cls: int | None = None) -> tuple:
        """Union of the faces in ``mask`` and its GeoJSON (on the rounding grid), cached by mask."""
        key = (kind, np.packbits(mask).tobytes())
        hit = self._geoms.get(key)
        if hit is None:
            to_wgs = self._to_wgs
            geom = shapely.transform(_union(self._parts(mask, cls)), lambda xy: np.column_stack(to_wgs(xy[:, 0], xy[:, 1])))
            if not shapely.is_valid(geom):
                geom = shapely.make_valid(geom)
            hit = self._geoms[key] = (geom, _geojson_geometry(_round(geom)))
        return hit

    def _build(self, day: int) -> Snapshot:
        st = self._states.get(day) or self._state(day)
        key = st.face_cls.tobytes() + st.place_cls.tobytes() + np.packbits(st.face_inferred).tobytes() \
            + np.packbits(st.face_contested).tobytes() + np.packbits(st.place_contested).tobytes()
        state_date = pd.Timestamp(np.datetime64(day, "D"))
        if key in self._by_labels:
            return dataclasses.replace(self._by_labels[key], date=state_date, state_date=state_date)
        details = self._details(st)
        areas = self._areas(details)
        geometries, gj = {}, {}
        for i, cls in enumerate(TERRITORY_CLASSES):
            mask = st.face_contested if cls == CONTESTED else st.face_cls == i
            geometries[cls], gj[cls] = self._geometry("class", mask, None if cls == CONTESTED else i)
        inferred, overlay_features = {}, []
        by_class = details.set_index("controller")
        for i, cls in enumerate(vocab.CONTROLLERS):
            mask = (st.face_cls == i) & st.face_inferred
            inferred[cls], g = self._geometry("inferred", mask)
            if mask.any():
                overlay_features.append(_overlay_feature(INFERRED, cls, g, by_class.loc[cls, "inferred_km2"]))
        for i, cls in enumerate(vocab.CONTROLLERS):
            mask = (st.face_cls == i) & st.face_contested
            if mask.any():
                overlay_features.append(_overlay_feature(CONTESTED, cls, self._geometry("contested", mask)[1],
                                                         by_class.loc[cls, "contested_km2"]))
        snap = Snapshot(state_date, feature_collection(geometries, areas, gj), areas, geometries, state_date,
                        contested=geometries[CONTESTED], inferred=inferred,
                        overlays={"type": "FeatureCollection", "features": overlay_features}, details=details)
        self._by_labels[key] = snap
        return snap

    def class_masks(self, when) -> dict[str, np.ndarray]:
        """The faces of each territory class (every controller and ``CONTESTED``) on ``when``, as boolean masks:
        cheap (no geometry), for callers that only need to know when a class's land changes."""
        day = self._state_day(when)
        cache = self.__dict__.setdefault("_mask_states", {})
        if day not in cache:  # the labels only (a few bytes a face), kept for the next call
            st = self._states.get(day) or self._state(day)
            cache[day] = (st.face_cls.astype(np.int16), st.face_contested.copy())
        face_cls, contested = cache[day]
        return {cls: (contested if cls == CONTESTED else face_cls == i)
                for i, cls in enumerate(TERRITORY_CLASSES) if cls != UNASSIGNED}

    def mask_geometry(self, mask: np.ndarray, cls: str):
        """The land of the faces in ``mask`` (from :meth:`class_masks`; lon/lat) and its area in km²."""
        key = ("plain", np.packbits(mask).tobytes())
        hit = self._geoms.get(key)
        if hit is None:
            index = None if cls == CONTESTED else self._class_index.get(cls)
            to_wgs = self._to_wgs
            geom = shapely.transform(_union(self._parts(mask, index)),
                                     lambda xy: np.column_stack(to_wgs(xy[:, 0], xy[:, 1])))
            if not shapely.is_valid(geom):
                geom = shapely.make_valid(geom)
            hit = self._geoms[key] = (geom, float(self._face_area_km2[mask].sum()))
        return hit

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
        todo = [int(d) for d in self._state_days if int(d) not in self._cache]
        self._states = {day: self._state(day) for day in todo}  # shared with _blocks, dropped after
        try:
            for day in todo:
                self._cache[day] = self._build(day)
        finally:
            self._states = {}
        return len(self._state_days)


_EPOCH = _date_cls(1970, 1, 1)
_LO, _HI = _date_cls.fromisoformat(vocab.PERIOD_START), _date_cls.fromisoformat(vocab.QUERY_END)


def _day_number(when) -> int:
    """``when`` (a date, Timestamp or ISO text) as a day number, checked like :func:`parse_date` (fast for dates).

    >>> _day_number(_date_cls(2014, 1, 2)), _day_number("2014-01-02")
    (16072, 16072)
    """
    if type(when) is _date_cls and _LO <= when <= _HI:
        return (when - _EPOCH).days
    return int(_day([parse_date(when)])[0])


def _overlay_feature(kind: str, controller: str, geometry: dict, area_km2: float) -> dict:
    what = "inferred (roads, rivers and land between its places)" if kind == INFERRED else \
        "contested (offensive or siege)"
    return {"type": "Feature", "geometry": geometry, "properties": {
        "kind": kind, "controller": controller, "label": f"{vocab.CONTROLLER_LABELS[controller]}: {what}",
        "color": TERRITORY_COLORS[controller], "area_km2": round(float(area_km2), 1)}}
