"""The territory as the browser gets it: fixed pieces ("atoms") sent once, and one short label string per date.

A :class:`~frontline.history.territory.TerritoryModel` labels ~10,000 faces on each change
date. Faces that touch and carry the same label on *every* date are merged here into one
atom (about a thousand in the real data), so a date's whole territory is one letter per
atom: its class, whether the model inferred it and whether it is contested
(:func:`code`). The atoms' rings and the edges between them (to stroke each zone's border
without stroking the seams inside it) travel once as a file; a slider move then sends the
date's label string, about 1 KB.

Coordinates are integers of 1e-4 degree (the snapshots' rounding grid), each ring and edge
stored as ``[lat0, lon0, dlat1, dlon1, ...]`` (first point, then differences): compact JSON that the
browser decodes in a few milliseconds.

>>> code(1, inferred=True, contested=False), decode(code(1, True, False))
('G', (1, True, False))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["Atoms", "build_atoms", "code", "decode", "ALPHABET", "SCALE"]

#: The label alphabet: an atom's label is ``ALPHABET[4 * class + 2 * inferred + contested]``. Letters only, so a
#: label string needs no escaping in JSON, HTML or a template (the map's client decodes it: ``client.js``).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
#: Coordinates are sent as integers of 1 / SCALE degree.
SCALE = 10_000


def code(cls: int, inferred: bool, contested: bool) -> str:
    """One atom's label on one date, as one letter.

    >>> code(0, False, False), code(7, True, True), decode(code(5, True, False))
    ('A', 'f', (5, True, False))
    """
    return ALPHABET[4 * int(cls) + 2 * bool(inferred) + bool(contested)]


def decode(ch: str) -> tuple[int, bool, bool]:
    """``(class index, inferred, contested)`` of a label character (the inverse of :func:`code`)."""
    n = ALPHABET.index(ch)
    return n // 4, bool(n & 2), bool(n & 1)


@dataclass(frozen=True)
class Atoms:
    """The atoms of a model and their labels on every state date.

    ``rings[i]`` lists atom ``i``'s polygons, each a list of delta-encoded rings (outer first);
    ``edges`` lists ``(a, b, line)``: the border between atoms ``a`` and ``b`` (``b == -1``:
    the outer border of the two countries), ``line`` delta-encoded; ``labels[k]`` is the label
    string on ``state_days[k]`` (day numbers since 1970-01-01).
    """

    rings: list
    edges: list
    state_days: np.ndarray
    labels: list

    def label_on(self, day: int) -> str:
        """The label string of the state holding on ``day`` (a day number)."""
        k = int(np.searchsorted(self.state_days, day, side="right")) - 1
        return self.labels[max(k, 0)]

    def payload(self) -> dict:
        """What the browser loads once: ``{"scale", "atoms", "edges"}`` (JSON-ready)."""
        return {"scale": SCALE, "atoms": self.rings, "edges": [[a, b, line] for a, b, line in self.edges]}


def _delta(xy_int: np.ndarray) -> list[int]:
    """``[[lon, lat], ...]`` integers -> ``[lat0, lon0, dlat, dlon, ...]``."""
    latlon = xy_int[:, ::-1]
    out = np.vstack([latlon[:1], np.diff(latlon, axis=0)])
    return out.ravel().tolist()


def _dedupe(xy_int: np.ndarray) -> np.ndarray:
    """Drop consecutive repeated points (rounding can merge neighbours)."""
    if len(xy_int) < 2:
        return xy_int
    keep = np.ones(len(xy_int), dtype=bool)
    keep[1:] = (np.diff(xy_int, axis=0) != 0).any(axis=1)
    return xy_int[keep]


def _edges(geoms_int: list[list[list[np.ndarray]]]) -> list[tuple[int, int, list[int]]]:
    """The borders between atoms: every ring segment shared by two atoms, or on the outer border, merged into lines."""
    seg_a, seg_b, owner = [], [], []
    for i, polys in enumerate(geoms_int):
        for rings in polys:
            for ring in rings:
                if len(ring) < 2:
                    continue
                seg_a.append(ring[:-1])
                seg_b.append(ring[1:])
                owner.append(np.full(len(ring) - 1, i))
    if not seg_a:
        return []
    a, b, own = np.concatenate(seg_a), np.concatenate(seg_b), np.concatenate(owner)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    key = np.column_stack([lo, hi])
    _, seg, count = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    seg = seg.ravel()
    order = np.lexsort((own, seg))
    seg, own, lo, hi = seg[order], own[order], lo[order], hi[order]
    first = np.ones(len(seg), dtype=bool)
    first[1:] = seg[1:] != seg[:-1]
    idx = np.flatnonzero(first)
    # the two owners of each segment (or -1 when only one atom has it); a segment an atom holds twice
    # (a slit in its own ring) is inside it and never drawn
    other = np.full(len(idx), -1)
    two = count[seg[idx]] >= 2
    other[two] = own[idx[two] + 1]
    pairs = np.column_stack([own[idx], other])
    inner = pairs[:, 0] == pairs[:, 1]
    out = []
    groups: dict[tuple[int, int], list] = {}
    for (p, q), s0, s1, skip in zip(pairs.tolist(), lo[idx], hi[idx], inner):
        if not skip:
            groups.setdefault((p, q), []).append((s0, s1))
    for (p, q), segs in sorted(groups.items()):
        merged = shapely.line_merge(shapely.MultiLineString([np.array(s, dtype=float) for s in segs]))
        for line in shapely.get_parts(merged):
            xy = np.rint(shapely.get_coordinates(line)).astype(np.int64)
            if len(xy) >= 2:
                out.append((int(p), int(q), _delta(xy)))
    return out


def build_atoms(faces_wgs: np.ndarray, face_pairs: np.ndarray, codes: np.ndarray, state_days: np.ndarray) -> Atoms:
    """Merge the faces into atoms and encode their labels.

    ``faces_wgs``: the faces (shapely polygons, EPSG:4326, lon/lat); ``face_pairs``: the faces
    that share an edge; ``codes``: uint8 (faces x states) of ``4 * class + 2 * inferred + contested``;
    ``state_days``: the day number of each state.
    """
    from .landmodel import components
    from .territory import _union

    n = len(faces_wgs)
    _, vec = np.unique(codes, axis=0, return_inverse=True) if n else (None, np.zeros(0, dtype=np.int64))
    vec = vec.ravel()
    if len(face_pairs):
        same = vec[face_pairs[:, 0]] == vec[face_pairs[:, 1]]
        comp = components(n, face_pairs[same, 0], face_pairs[same, 1])
    else:
        comp = np.arange(n)
    _, atom_of_face = np.unique(comp, return_inverse=True)
    atom_of_face = atom_of_face.ravel()
    n_atoms = int(atom_of_face.max()) + 1 if n else 0
    order = np.argsort(atom_of_face, kind="stable")
    bounds = np.searchsorted(atom_of_face[order], np.arange(n_atoms + 1))
    first_face = order[bounds[:-1]]

    geoms_int = []
    for i in range(n_atoms):
        geom = _union(faces_wgs[order[bounds[i]:bounds[i + 1]]])
        polys = []
        for poly in shapely.get_parts(geom):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            rings = [_dedupe(np.rint(shapely.get_coordinates(r) * SCALE).astype(np.int64))
                     for r in [poly.exterior, *poly.interiors]]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                polys.append(rings)
        geoms_int.append(polys)
    rings_out = [[[_delta(r) for r in rings] for rings in polys] for polys in geoms_int]
    atom_codes = _ALPHABET_BYTES[codes[first_face]]  # (atoms x states)
    labels = [atom_codes[:, k].tobytes().decode("ascii") for k in range(codes.shape[1])]
    return Atoms(rings_out, _edges(geoms_int), np.asarray(state_days, dtype=np.int64), labels)
