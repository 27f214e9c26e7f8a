"""The static cut of Syria and Iraq into faces, and what each face belongs to (no dates here).

:mod:`frontline.history.territory` labels these faces per date; this module only builds them once
from the gazetteer, the curated roads (``data/routes.csv``) and the basemap. A face is a
small polygon that lies wholly inside one of each of these:

- the **core** of one place (within its reach and its Voronoi cell) or of none;
- one **corridor** segment or more (a band along a curated road or a river between two consecutive
  places of the route) or none;
- one **support triangle** (a Delaunay triangle between three settlements, no side longer than
  :data:`TRIANGLE_MAX_EDGE_KM`) or none;
- one governorate (by area share, for the population), and one country.

>>> ROUTE_COLUMNS
('route_id', 'name', 'place_ids', 'source', 'notes')
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import shape

from .. import config
from ..dataset import basemap
from ..errors import TerritoryError

__all__ = ["Land", "build_land", "load_routes", "route_segments", "missing_places", "components", "ROUTES_PATH", "ROUTE_COLUMNS",
           "EQUAL_AREA_CRS", "CORE_INNER_FRACTION", "CORRIDOR_HALF_WIDTH_KM", "TRIANGLE_MAX_EDGE_KM", "SUPPORT_MAX_KM"]

ROUTES_PATH = config.DATA_DIR / "routes.csv"
ROUTE_COLUMNS = ("route_id", "name", "place_ids", "source", "notes")

#: Equal-area projection for faces and areas (Lambert azimuthal equal-area on WGS84,
#: centred on the region, so buffers are also near true distance: < 0.5 % off at the edges).
EQUAL_AREA_CRS = "+proj=laea +lat_0=34.5 +lon_0=42 +datum=WGS84 +units=m +no_defs"
#: Half-width (km) of a road corridor between two consecutive places of a curated route.
CORRIDOR_HALF_WIDTH_KM = 8.0
#: Longest side (km) of a Delaunay triangle that can be a support zone: three places of one
#: side farther apart than this enclose no land for that side.
TRIANGLE_MAX_EDGE_KM = 150.0
#: Kinds of place that span support triangles (settlements); sites (airbases, fields, stations) hold their core
#: and roads but do not enclose land. Empty: every place.
SUPPORT_KINDS: tuple[str, ...] = ("city", "town", "village", "area")
#: Support land farther than this (km) from every place in the gazetteer is never held.
SUPPORT_MAX_KM = 100.0
#: A place within this distance (km) of a river (Natural Earth rivers, GSHHG Khabur) is on it.
RIVER_SNAP_KM = 8.0
#: Join consecutive places along the rivers by river corridors (like the curated roads).
RIVERS = True
#: Two places on a river at most this far apart (km, along the river) are joined by a river corridor.
RIVER_MAX_GAP_KM = 80.0
#: Fraction of a place's reach that its garrison holds whatever else happens: a road held
#: at both ends by one side (a corridor) can pass another side's place beyond this.
CORE_INNER_FRACTION = 0.5
#: Border simplification (metres): about half a screen pixel at the map's default zoom.
BORDER_TOLERANCE_M = 1000.0
#: Segments per quarter circle for the reach circles (a 24-gon: ~8 km sides at 30 km).
CIRCLE_QUAD_SEGS = 6
#: Segments per quarter circle for corridors and the support limit.
BUFFER_QUAD_SEGS = 4

_COUNTRY_A3 = {"SY": "SYR", "IQ": "IRQ"}
_MARGIN_M = 5000.0


@dataclass(frozen=True)
class Land:
    """The faces (equal-area metres) and their memberships; arrays are aligned with ``faces``."""

    faces: np.ndarray          # shapely Polygons, an exact coverage of both countries
    face_core: np.ndarray      # generator whose core holds the face, -1 if none
    face_inner: np.ndarray     # within CORE_INNER_FRACTION of that generator's reach
    face_beyond: np.ndarray    # farther than SUPPORT_MAX_KM from every place
    face_tri: np.ndarray       # support triangle holding the face, -1 if none
    tri_gens: np.ndarray       # (t, 3) generators of each support triangle
    corr_face: np.ndarray      # face of each (face, corridor segment) membership
    corr_seg: np.ndarray       # corridor segment of each membership
    seg_gens: np.ndarray       # (s, 2) generators at the ends of each corridor segment
    seg_route: np.ndarray      # route_id of each corridor segment
    admin_face: np.ndarray     # face of each (face, governorate) piece
    admin_idx: np.ndarray      # governorate of each piece
    admin_km2: np.ndarray      # area (km2) of each piece
    admins: pd.DataFrame       # country, admin1 of each governorate polygon
    place_admin: np.ndarray    # governorate of each place, -1 if none
    gen_of_place: np.ndarray   # generator of each place
    first_place: np.ndarray    # the place that labels each generator
    neighbours: np.ndarray     # (k, 2) generator pairs whose Voronoi cells share an edge
    face_pairs: np.ndarray     # (m, 2) faces that share an edge
    pair_m: np.ndarray         # length (m) of the edge each pair shares
    face_outer: np.ndarray     # the face has an edge on the outer border of the two countries
    countries: dict


def load_routes(path=ROUTES_PATH) -> pd.DataFrame:
    """The curated roads: ``route_id, name, place_ids`` (a list, in order), ``source, notes``.

    A missing file gives no routes. Raises :class:`TerritoryError` for a file without the
    columns of :data:`ROUTE_COLUMNS` or a route without a source.
    """
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({c: [] for c in ROUTE_COLUMNS})
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and set(ROUTE_COLUMNS) - set(rows[0]):
        raise TerritoryError(f"{path}: expected columns {', '.join(ROUTE_COLUMNS)}; got {', '.join(rows[0])}")
    problems = [f"{path}:{i + 2}: route {r['route_id']!r} has no source; cite where the road is described"
                for i, r in enumerate(rows) if not (r.get("source") or "").strip()]
    if problems:
        raise TerritoryError("\n".join(problems))
    out = pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))
    out["place_ids"] = [[p.strip() for p in str(v).split("|") if p.strip()] for v in out["place_ids"]]
    return out


def route_segments(routes: pd.DataFrame, place_ids) -> list[tuple[str, str, str]]:
    """``(route_id, a, b)`` for consecutive places of each route, skipping places not in ``place_ids``.

    >>> r = pd.DataFrame({"route_id": ["r"], "place_ids": [["a", "x", "b", "c"]]})
    >>> route_segments(r, {"a", "b", "c"})
    [('r', 'a', 'b'), ('r', 'b', 'c')]
    >>> route_segments(r.iloc[:0], {"a"})
    []
    """
    known = set(place_ids)
    out = []
    for rid, ids in zip(routes["route_id"], routes["place_ids"]):
        present = [p for p in ids if p in known]
        out.extend((str(rid), a, b) for a, b in zip(present[:-1], present[1:]) if a != b)
    return out


def missing_places(routes: pd.DataFrame, place_ids) -> list[tuple[str, str]]:
    """``(route_id, place_id)`` for every place a route names that is not in ``place_ids`` (skipped by the model).

    >>> r = pd.DataFrame({"route_id": ["r"], "place_ids": [["a", "x", "b"]]})
    >>> missing_places(r, {"a", "b"})
    [('r', 'x')]
    """
    known = set(place_ids)
    return [(str(rid), p) for rid, ids in zip(routes["route_id"], routes["place_ids"]) for p in ids if p not in known]


def _countries(basemap_dir: Path, to_laea) -> dict[str, shapely.Geometry]:
    """Syria and Iraq in the equal-area projection, simplified together (shared border kept)."""
    path = Path(basemap_dir) / basemap.LAYER_FILES["countries"]
    try:
        if not path.is_file():
            raise FileNotFoundError(f"no file {path}")
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


def _admins(basemap_dir: Path, to_laea) -> tuple[pd.DataFrame, np.ndarray]:
    """Governorates (Natural Earth admin-1) in the equal-area projection; none if the layer is missing."""
    try:
        layer = basemap.layer("governorates", Path(basemap_dir))
    except OSError:
        return pd.DataFrame({"country": [], "admin1": []}), np.array([], dtype=object)
    a2 = {v: k for k, v in _COUNTRY_A3.items()}
    rows, geoms = [], []
    for f in layer["features"]:
        p = f["properties"]
        if p.get("adm0_a3") not in a2:
            continue
        rows.append({"country": a2[p["adm0_a3"]], "admin1": p.get("name")})
        geoms.append(shapely.make_valid(shapely.simplify(
            shapely.transform(shape(f["geometry"]), to_laea, interleaved=False), BORDER_TOLERANCE_M)))
    return pd.DataFrame(rows), np.array(geoms, dtype=object)


def _generators(places: pd.DataFrame, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One generator per distinct (country, point): ``gen_of_place``, ``first_place_of_gen``."""
    key = places["country"].astype(str) + "|" + np.round(xy[:, 0]).astype(np.int64).astype(str) + "|" \
        + np.round(xy[:, 1]).astype(np.int64).astype(str)
    codes, uniques = pd.factorize(key)
    first = np.array([int(np.flatnonzero(codes == g)[0]) for g in range(len(uniques))], dtype=np.int64)
    return codes.astype(np.int64), first


def _cells(gen_xy, idx, margin) -> np.ndarray:
    if len(idx) >= 2:
        cells = shapely.voronoi_polygons(shapely.multipoints(gen_xy[idx]), extend_to=margin, ordered=True)
        return np.asarray(shapely.intersection(shapely.get_parts(cells), margin))
    return np.array([margin] * len(idx), dtype=object)


def _neighbours(cells: np.ndarray, cell_gen: np.ndarray) -> np.ndarray:
    """Generator pairs whose cells (each clipped to its country) share an edge, not just a point."""
    if len(cells) < 2:
        return np.empty((0, 2), dtype=np.int64)
    tree = shapely.STRtree(cells)
    a, b = tree.query(cells, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    # cells of the two countries are clipped separately: their shared border may differ by a hair
    shared = shapely.length(shapely.intersection(shapely.boundary(cells[a]), shapely.buffer(shapely.boundary(cells[b]), 1.0)))
    keep = shared > 100.0
    pairs = np.sort(np.column_stack([cell_gen[a[keep]], cell_gen[b[keep]]]), axis=1)
    return np.unique(pairs, axis=0) if len(pairs) else np.empty((0, 2), dtype=np.int64)


def _river_lines(basemap_dir: Path, to_laea, countries: dict) -> list:
    """The rivers of the basemap inside the two countries, merged into lines (equal-area metres)."""
    lines = []
    for name in ("rivers", "khabur"):
        if not (Path(basemap_dir) / basemap.LAYER_FILES[name]).is_file():
            continue
        for f in basemap.layer(name, Path(basemap_dir)).get("features", []):
            lines.extend(shapely.get_parts(shapely.transform(shape(f["geometry"]), to_laea, interleaved=False)))
    if not lines:
        return []
    area = shapely.buffer(shapely.union_all(list(countries.values())), RIVER_SNAP_KM * 1000)
    merged = shapely.line_merge(shapely.intersection(shapely.union_all(lines), area))
    merged = shapely.simplify(merged, RIVER_SNAP_KM * 250)  # 2 km: the band is 20 km wide
    return [ln for ln in shapely.get_parts(merged) if ln.geom_type == "LineString" and ln.length > 0]


def _river_segments(rivers: list, gen_xy: np.ndarray) -> list[tuple[str, int, int, shapely.LineString]]:
    """``(route_id, gen_a, gen_b, path)`` for consecutive places along each river, the path following the river."""
    from shapely.ops import substring

    out = []
    if not len(gen_xy):
        return out
    pts = shapely.points(gen_xy)
    for k, line in enumerate(rivers):
        near = np.flatnonzero(shapely.distance(pts, line) <= RIVER_SNAP_KM * 1000)
        if len(near) < 2:
            continue
        along = shapely.line_locate_point(line, pts[near])
        order = np.argsort(along, kind="stable")
        near, along = near[order], along[order]
        for i in range(len(near) - 1):
            a, b, da, db = near[i], near[i + 1], along[i], along[i + 1]
            if db - da > RIVER_MAX_GAP_KM * 1000 or db - da <= 0:
                continue
            part = substring(line, da, db)
            coords = [tuple(gen_xy[a]), *shapely.get_coordinates(part).tolist(), tuple(gen_xy[b])]
            out.append((f"river-{k}", int(a), int(b), shapely.LineString(coords)))
    return out


def _face_adjacency(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of faces sharing a segment, the length they share, and which faces have a segment shared
    with none (on the outer border).

    The faces come from one noded arrangement, so two faces that touch along an edge hold
    exactly the same segment.
    """
    rings, ring_face = shapely.get_rings(faces, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    seg_face = ring_face[ring_of[:-1][same]]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    _, seg = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    seg = seg.ravel()
    seg_len = np.hypot(*(hi - lo).T)
    count = np.bincount(seg)
    outer = np.zeros(len(faces), dtype=bool)
    outer[seg_face[count[seg] == 1]] = True
    order = np.argsort(seg, kind="stable")
    seg, seg_face, seg_len = seg[order], seg_face[order], seg_len[order]
    shared = np.flatnonzero(seg[1:] == seg[:-1])
    pairs = np.sort(np.column_stack([seg_face[shared], seg_face[shared + 1]]), axis=1)
    length = seg_len[shared]
    keep = pairs[:, 0] != pairs[:, 1]
    pairs, length = pairs[keep], length[keep]
    if not len(pairs):
        return np.empty((0, 2), dtype=np.int64), np.empty(0), outer
    uniq, inv = np.unique(pairs, axis=0, return_inverse=True)
    return uniq, np.bincount(inv.ravel(), weights=length, minlength=len(uniq)), outer


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` nodes joined by the edges ``a[i]-b[i]``: a label per node (its smallest node).

    >>> components(4, np.array([0, 2]), np.array([1, 3])).tolist()
    [0, 0, 2, 2]
    >>> components(2, np.array([], dtype=int), np.array([], dtype=int)).tolist()
    [0, 1]
    """
    label = np.arange(n)
    while True:
        m = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        new = new[new]
        if np.array_equal(new, label):
            return label
        label = new


def _triangles(gen_xy: np.ndarray) -> np.ndarray:
    """Delaunay triangles of all generators with no side longer than the limit: (t, 3) generator indices."""
    if len(gen_xy) < 3:
        return np.empty((0, 3), dtype=np.int64)
    tris = shapely.get_parts(shapely.delaunay_triangles(shapely.multipoints(gen_xy)))
    lookup = {(round(x, 3), round(y, 3)): i for i, (x, y) in enumerate(gen_xy)}
    coords = shapely.get_coordinates(tris).reshape(len(tris), 4, 2)[:, :3]
    out = []
    for tri in coords:
        ids = [lookup.get((round(x, 3), round(y, 3))) for x, y in tri]
        if None in ids:
            continue
        edges = np.hypot(*(tri - np.roll(tri, 1, axis=0)).T)
        if edges.max() <= TRIANGLE_MAX_EDGE_KM * 1000:
            out.append(ids)
    return np.array(out, dtype=np.int64).reshape(-1, 3)


def build_land(places: pd.DataFrame, reach_m: np.ndarray, basemap_dir: Path, routes: pd.DataFrame) -> Land:
    """Cut both countries into faces; see the module docstring. ``reach_m`` is each place's reach."""
    to_laea = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True).transform
    countries = _countries(basemap_dir, to_laea)
    x, y = to_laea(places["lon"].to_numpy(float), places["lat"].to_numpy(float))
    xy = np.column_stack([x, y]) if len(places) else np.empty((0, 2))
    gen_of_place, first = _generators(places, xy)
    gen_xy = xy[first] if len(first) else np.empty((0, 2))
    gen_country = places["country"].to_numpy(dtype=object)[first] if len(first) else np.array([], dtype=object)
    gen_reach = np.zeros(len(first))
    np.maximum.at(gen_reach, gen_of_place, reach_m)

    lines = [shapely.boundary(g) for g in countries.values()]
    clipped_cells, clipped_gen = [], []
    for code, country in countries.items():
        idx = np.flatnonzero(gen_country == code)
        if not len(idx):
            continue
        margin = shapely.buffer(country, _MARGIN_M)
        cells = _cells(gen_xy, idx, margin)
        circles = shapely.buffer(shapely.points(gen_xy[idx]), gen_reach[idx], quad_segs=CIRCLE_QUAD_SEGS)
        cores = shapely.intersection(circles, cells)
        lines.extend(shapely.boundary(cores))
        inner = shapely.buffer(shapely.points(gen_xy[idx]), gen_reach[idx] * CORE_INNER_FRACTION,
                               quad_segs=CIRCLE_QUAD_SEGS)
        lines.extend(shapely.boundary(shapely.intersection(inner, cells)))
        clipped_cells.extend(shapely.intersection(cells, country))
        clipped_gen.extend(idx)
    neighbours = _neighbours(np.array(clipped_cells, dtype=object), np.array(clipped_gen, dtype=np.int64))

    # corridors along the curated roads
    pid = places["place_id"].astype(str).to_numpy()
    gen_by_id = dict(zip(pid, gen_of_place))
    segs = [(r, gen_by_id[a], gen_by_id[b], shapely.LineString([gen_xy[gen_by_id[a]], gen_xy[gen_by_id[b]]]))
            for r, a, b in route_segments(routes, pid) if gen_by_id[a] != gen_by_id[b]]
    if RIVERS:  # a river between two places already joined by a road adds nothing but slivers
        joined = {(min(a, b), max(a, b)) for _, a, b, _ in segs}
        segs.extend(r for r in _river_segments(_river_lines(basemap_dir, to_laea, countries), gen_xy)
                    if (min(r[1], r[2]), max(r[1], r[2])) not in joined)
    seg_gens = np.array([(a, b) for _, a, b, _ in segs], dtype=np.int64).reshape(-1, 2)
    seg_route = np.array([r for r, _, _, _ in segs], dtype=object)
    corridors = shapely.buffer(np.array([p for _, _, _, p in segs], dtype=object), CORRIDOR_HALF_WIDTH_KM * 1000,
                               quad_segs=BUFFER_QUAD_SEGS) if len(segs) else np.array([])
    lines.extend(shapely.boundary(corridors))

    # support triangles and the limit of support land
    anchor = np.flatnonzero(np.isin(places["kind"].to_numpy(dtype=object)[first], list(SUPPORT_KINDS))) \
        if SUPPORT_KINDS else np.arange(len(first))
    tri_gens = anchor[_triangles(gen_xy[anchor])] if len(anchor) >= 3 else np.empty((0, 3), dtype=np.int64)
    tris = shapely.polygons(gen_xy[tri_gens]) if len(tri_gens) else np.array([])
    lines.extend(shapely.boundary(tris))
    reachable = shapely.union_all(shapely.buffer(shapely.points(gen_xy), SUPPORT_MAX_KM * 1000,
                                                 quad_segs=BUFFER_QUAD_SEGS)) if len(gen_xy) else shapely.Polygon()
    if not reachable.is_empty:
        lines.append(shapely.boundary(reachable))

    noded = shapely.union_all([ln for ln in lines if ln is not None and not ln.is_empty])
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    probe = shapely.point_on_surface(faces)
    px, py = shapely.get_coordinates(probe).T

    face_core = np.full(len(faces), -1, dtype=np.int64)
    face_inner = np.zeros(len(faces), dtype=bool)
    keep = np.zeros(len(faces), dtype=bool)
    for code, country in countries.items():
        inside = shapely.contains_xy(country, px, py) & ~keep
        keep |= inside
        idx = np.flatnonzero(gen_country == code)
        if not len(idx) or not inside.any():
            continue
        rows = np.flatnonzero(inside)
        d2 = (px[rows, None] - gen_xy[idx, 0]) ** 2 + (py[rows, None] - gen_xy[idx, 1]) ** 2
        near = d2.argmin(axis=1)
        dist = np.sqrt(d2[np.arange(len(near)), near])
        core = dist <= gen_reach[idx][near]
        face_core[rows[core]] = idx[near[core]]
        face_inner[rows[core]] = dist[core] <= gen_reach[idx][near[core]] * CORE_INNER_FRACTION
    faces, face_core, face_inner, probe = faces[keep], face_core[keep], face_inner[keep], probe[keep]
    face_beyond = ~shapely.contains(reachable, probe) if not reachable.is_empty else np.ones(len(faces), bool)

    face_tri = np.full(len(faces), -1, dtype=np.int64)
    if len(tri_gens):
        f, t = shapely.STRtree(tris).query(probe, predicate="within")
        face_tri[f] = t
    if len(segs):
        corr_face, corr_seg = shapely.STRtree(corridors).query(probe, predicate="within")
    else:
        corr_face = corr_seg = np.array([], dtype=np.int64)

    face_pairs, pair_m, face_outer = _face_adjacency(faces)
    admins, admin_geoms = _admins(basemap_dir, to_laea)
    if len(admin_geoms):
        af, ag = shapely.STRtree(admin_geoms).query(faces, predicate="intersects")
        km2 = shapely.area(shapely.intersection(faces[af], admin_geoms[ag])) / 1e6
        ok = km2 > 1e-6
        af, ag, km2 = af[ok], ag[ok], km2[ok]
        place_admin = np.full(len(places), -1, dtype=np.int64)
        for i, g in enumerate(admin_geoms):
            place_admin[shapely.contains_xy(g, xy[:, 0], xy[:, 1]) & (place_admin < 0)] = i
    else:
        af = ag = np.array([], dtype=np.int64)
        km2 = np.array([], dtype=float)
        place_admin = np.full(len(places), -1, dtype=np.int64)
    return Land(faces, face_core, face_inner, face_beyond, face_tri, tri_gens, corr_face.astype(np.int64),
                corr_seg.astype(np.int64), seg_gens, seg_route, af.astype(np.int64), ag.astype(np.int64), km2,
                admins, place_admin, gen_of_place, first, neighbours, face_pairs, pair_m, face_outer, countries)
