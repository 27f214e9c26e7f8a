"""Drawing a map with matplotlib: projection, basemap, territory, events, labels and map furniture.

Everything is drawn in a Lambert conformal conic projection centred on Syria and Iraq
(metres), so the scale bar is true and north is up along the centre of the map.
The basemap is projected once per process. Each function draws on a given ``Axes``
and returns what it drew; none saves a file.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon as MplPolygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from pyproj import Transformer
from shapely.geometry import box, shape

from .. import vocab
from ..dataset import basemap
from .briefing import CONTESTED, controller_color

__all__ = ["fit_extent", "CRS", "STYLE", "EVENT_MARKERS", "project", "extent", "draw_basemap", "draw_territory",
           "draw_events", "draw_labels", "city_labels", "scale_bar", "north_arrow", "locator",
           "event_legend_handles", "geometry_path", "frame"]

#: Lambert conformal conic for Syria and Iraq.
CRS = "+proj=lcc +lat_0=34 +lon_0=41 +lat_1=31 +lat_2=37 +datum=WGS84 +units=m +no_defs"
_TO_MAP = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)

#: Colours, widths and type in one place (widths in points, multiplied by the preset's scale).
STYLE = {
    "sea": "#d6e4ee",
    "land": "#ece8df",
    "focus_land": "#faf8f3",
    "border": "#3d3d3d",
    "border_width": 1.1,
    "neighbour_border": "#9a958c",
    "governorate": "#b3ada2",
    "river": "#4a90c8",
    "lake": "#a9cbe6",
    "territory_alpha": 0.62,
    "isis_alpha": 0.72,
    "contested_hatch": "////",
    "change_hatch": "xxx",
    "text": "#1e1e1e",
    "muted": "#5b5b5b",
    "halo": "white",
    "font": "DejaVu Sans",
    "inferred_wash": 0.45,  # white over inferred land: lighter than land around a held place
}

#: Event types drawn on the map: marker, size (points²) and legend label.
EVENT_MARKERS = {
    "control_change": ("*", 150, "Change of control (fill: new holder)"),
    "offensive_start": ("^", 60, "Offensive or siege begins"),
    "siege_start": ("^", 60, "Offensive or siege begins"),
    "offensive_end": ("v", 55, "Offensive or siege ends"),
    "siege_end": ("v", 55, "Offensive or siege ends"),
    "battle": ("D", 38, "Battle"),
    "airstrike": ("P", 55, "Airstrike"),
    "attack": ("X", 60, "Attack or massacre"),
    "massacre": ("X", 60, "Attack or massacre"),
    "declaration": ("s", 45, "Declaration"),
}

#: Syria and Iraq, with a margin, in degrees (west, south, east, north).
FOCUS_BOUNDS = (35.4, 29.0, 48.8, 37.6)


def project(geom):
    """A shapely geometry from lon/lat (EPSG:4326) to the map projection.

    >>> project(shapely.Point(41, 34)).coords[0]
    (0.0, 0.0)
    """
    if geom is None or geom.is_empty:
        return geom
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_MAP.transform(xy[:, 0], xy[:, 1])))


def project_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of lon/lat to map x/y (metres)."""
    return _TO_MAP.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def extent(bounds=FOCUS_BOUNDS) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of a lon/lat box, in map metres."""
    b = project(box(*bounds).segmentize(0.5))
    x0, y0, x1, y1 = b.bounds
    return x0, x1, y0, y1


def fit_extent(ext, box_width: float, box_height: float) -> tuple[float, float, float, float]:
    """Grow ``ext`` (xmin, xmax, ymin, ymax) around its centre to the aspect of a ``box_width`` x ``box_height`` frame.

    >>> fit_extent((0, 10, 0, 10), 2, 1)
    (-5.0, 15.0, 0.0, 10.0)
    """
    x0, x1, y0, y1 = ext
    w, h = x1 - x0, y1 - y0
    target = box_width / box_height
    if w / h < target:
        grow = (h * target - w) / 2
        return float(x0 - grow), float(x1 + grow), float(y0), float(y1)
    grow = (w / target - h) / 2
    return float(x0), float(x1), float(y0 - grow), float(y1 + grow)


def frame(ax, ext, scale: float = 1.0, edgecolor: str = "#333333") -> None:
    """Make ``ax`` a map frame showing ``ext`` (x0, x1, y0, y1) at equal scale: no ticks, a thin border."""
    x0, x1, y0, y1 = ext
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(edgecolor)
        spine.set_linewidth(0.8 * scale)


def geometry_path(geom) -> MplPath | None:
    """A matplotlib compound path of a (multi)polygon, holes kept (None when empty)."""
    if geom is None or geom.is_empty:
        return None
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    verts, codes = [], []
    for poly in polys:
        for p in getattr(poly, "geoms", [poly]):
            p = shapely.geometry.polygon.orient(p, 1.0)
            for ring in [p.exterior, *p.interiors]:
                xy = np.asarray(ring.coords)
                if len(xy) < 3:
                    continue
                verts.append(xy)
                c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
                c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _lines(geom) -> list[np.ndarray]:
    parts = getattr(geom, "geoms", [geom])
    out = []
    for g in parts:
        if g.geom_type in ("LineString", "LinearRing"):
            out.append(np.asarray(g.coords))
        elif g.geom_type in ("Polygon", "MultiPolygon", "MultiLineString", "GeometryCollection"):
            out.extend(_lines(g.boundary) if g.geom_type.endswith("Polygon") else _lines(g))
    return out


@lru_cache(maxsize=1)
def _projected_basemap() -> dict:
    """Every basemap layer, projected and grouped for drawing (computed once)."""
    countries = basemap.layer("countries")["features"]
    focus = [project(shape(f["geometry"])) for f in countries if f["properties"].get("adm0_a3") in ("SYR", "IRQ")]
    others = [(f["properties"], project(shape(f["geometry"]))) for f in countries
              if f["properties"].get("adm0_a3") not in ("SYR", "IRQ")]
    focus_union = shapely.union_all(focus)
    gov = [project(shape(f["geometry"])) for f in basemap.layer("governorates")["features"]]
    rivers = [project(shape(f["geometry"])) for name in ("rivers", "khabur") for f in basemap.layer(name)["features"]]
    lakes = [project(shape(f["geometry"])) for f in basemap.layer("lakes")["features"]]
    return {
        "focus": focus_union,
        "others": others,
        "land": shapely.union_all([g for _, g in others] + focus),
        "governorates": [ln for g in gov for ln in _lines(g)],
        "borders": [ln for g in focus for ln in _lines(g)],
        "neighbour_borders": [ln for _, g in others for ln in _lines(g)],
        "rivers": [ln for g in rivers for ln in _lines(g)],
        "lakes": shapely.union_all(lakes),
    }


def draw_basemap(ax, scale: float = 1.0, neighbours: bool = True, governorates: bool = True,
                 rivers: bool = True) -> None:
    """Sea, land, Syria and Iraq, governorates, rivers and lakes (borders are drawn by :func:`draw_borders`)."""
    bm = _projected_basemap()
    ax.set_facecolor(STYLE["sea"])
    ax.add_artist(PathPatch(geometry_path(bm["land"]), facecolor=STYLE["land"], edgecolor="none", zorder=1))
    ax.add_artist(PathPatch(geometry_path(bm["focus"]), facecolor=STYLE["focus_land"], edgecolor="none", zorder=1.1))
    if neighbours:
        ax.add_collection(LineCollection(bm["neighbour_borders"], colors=STYLE["neighbour_border"],
                                         linewidths=0.6 * scale, zorder=1.2))
    if governorates:
        ax.add_collection(LineCollection(bm["governorates"], colors=STYLE["governorate"], linewidths=0.45 * scale,
                                         linestyles=(0, (3, 2)), zorder=1.3))
    if rivers:
        ax.add_collection(LineCollection(bm["rivers"], colors=STYLE["river"], linewidths=1.0 * scale,
                                         capstyle="round", zorder=3.2))
        ax.add_artist(PathPatch(geometry_path(bm["lakes"]), facecolor=STYLE["lake"], edgecolor=STYLE["river"],
                               linewidth=0.4 * scale, zorder=3.2))


def draw_borders(ax, scale: float = 1.0) -> None:
    """The borders of Syria and Iraq, above the territory."""
    bm = _projected_basemap()
    ax.add_collection(LineCollection(bm["borders"], colors=STYLE["border"], linewidths=STYLE["border_width"] * scale,
                                     zorder=4))


_COUNTRY_NAMES = [("SYRIA", 38.3, 34.6, 15, "#7a7a7a"), ("IRAQ", 42.2, 32.5, 15, "#7a7a7a"),
                  ("TURKEY", 39.5, 37.95, 9, "#8d877d"), ("IRAN", 47.6, 34.4, 9, "#8d877d"),
                  ("JORDAN", 37.0, 31.0, 9, "#8d877d"), ("SAUDI ARABIA", 41.5, 29.9, 9, "#8d877d"),
                  ("LEBANON", 35.75, 34.05, 6.5, "#8d877d")]


def draw_country_names(ax, scale: float = 1.0, renderer=None, taken: list | None = None) -> list[str]:
    """SYRIA and IRAQ in spaced capitals, neighbours in small grey capitals; with ``renderer``,
    names that would touch a box in ``taken`` (labels, inset, north arrow) are left out."""
    drawn = []
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for name, lon, lat, size, color in _COUNTRY_NAMES:
        x, y = project_xy(lon, lat)
        if not (x0 <= x <= x1 and y0 <= y <= y1):  # an area of interest away from the country's name
            continue
        t = ax.text(x, y, " ".join(name) if size > 10 else name, ha="center", va="center", fontsize=size * scale,
                    color=color, alpha=0.8, fontweight="bold" if size > 10 else "normal", zorder=2, clip_on=True)
        if renderer is not None and taken:
            bb = t.get_window_extent(renderer)
            if any(bb.overlaps(o) for o in taken):
                t.remove()
                continue
        drawn.append(name)
    return drawn


def draw_territory(ax, geometries: dict, scale: float = 1.0, inferred: dict | None = None) -> list[str]:
    """Fill each controller's territory (``controller -> lon/lat geometry``); return the controllers drawn.

    ``inferred`` (``controller -> geometry``, :attr:`frontline.history.territory.Snapshot.inferred`) is the
    land the model infers (roads, rivers, land between one side's places): drawn lighter, under
    the contested hatching.
    """
    for geom in (inferred or {}).values():
        if geom is None or geom.is_empty:
            continue
        path = geometry_path(project(geom))
        if path is not None:
            ax.add_artist(PathPatch(path, facecolor="white", alpha=STYLE["inferred_wash"], edgecolor="none",
                                    zorder=2.58))
    drawn = []
    order = list(vocab.CONTROLLERS) + [CONTESTED]
    for ctrl in sorted(geometries, key=lambda c: order.index(c) if c in order else len(order)):
        geom = geometries[ctrl]
        if geom is None or geom.is_empty:
            continue
        path = geometry_path(project(geom))
        if path is None:
            continue
        color = controller_color(ctrl)
        if ctrl == CONTESTED:
            ax.add_artist(PathPatch(path, facecolor="white", alpha=0.35, edgecolor="none", zorder=2.6))
            ax.add_artist(PathPatch(path, facecolor="none", edgecolor=color, hatch=STYLE["contested_hatch"],
                                   linewidth=0, zorder=2.7))
            ax.add_artist(PathPatch(path, facecolor="none", edgecolor=color, linewidth=1.0 * scale, zorder=2.8))
        else:
            alpha = STYLE["isis_alpha"] if ctrl == "ISIS" else STYLE["territory_alpha"]
            ax.add_artist(PathPatch(path, facecolor=color, alpha=alpha, edgecolor="none", zorder=2.5))
            ax.add_artist(PathPatch(path, facecolor="none", edgecolor=color, linewidth=0.8 * scale, zorder=2.55))
        drawn.append(ctrl)
    return drawn


def draw_changes(ax, ground: dict, scale: float = 1.0) -> list[str]:
    """The ground each side took (``controller -> lon/lat geometry``), ISW-style: hatched in the taker's colour
    over a white wash, with its outline; returns the controllers drawn."""
    drawn = []
    for ctrl in [c for c in vocab.CONTROLLERS if c in ground]:
        geom = ground[ctrl]
        path = geometry_path(project(geom)) if geom is not None and not geom.is_empty else None
        if path is None:
            continue
        color = controller_color(ctrl)
        ax.add_artist(PathPatch(path, facecolor="white", alpha=0.55, edgecolor="none", zorder=2.9))
        ax.add_artist(PathPatch(path, facecolor="none", edgecolor=color, hatch=STYLE["change_hatch"], linewidth=0,
                                zorder=2.95))
        ax.add_artist(PathPatch(path, facecolor="none", edgecolor=color, linewidth=1.3 * scale, zorder=2.97))
        drawn.append(ctrl)
    return drawn


def draw_events(ax, events, scale: float = 1.0) -> list[str]:
    """Event markers (white, or the new holder's colour for a change of control); return the types drawn."""
    if events is None or events.empty:
        return []
    x, y = project_xy(events["lon"].to_numpy(), events["lat"].to_numpy())
    types = events["event_type"].to_numpy()
    drawn = []
    for etype in EVENT_MARKERS:
        sel = types == etype
        if not sel.any():
            continue
        marker, size, _ = EVENT_MARKERS[etype]
        if etype == "control_change":
            colors = [controller_color(c) for c in events["controller_after"].to_numpy()[sel]]
        else:
            colors = "white"
        ax.scatter(x[sel], y[sel], marker=marker, s=size * scale ** 2, c="white", edgecolors="white",
                   linewidths=3.2 * scale, zorder=5.9)
        ax.scatter(x[sel], y[sel], marker=marker, s=size * scale ** 2, c=colors, edgecolors="#111111",
                   linewidths=0.8 * scale, zorder=6)
        drawn.append(etype)
    return drawn


def event_legend_handles(types, scale: float = 1.0) -> list:
    """Legend handles for the event types drawn (one per label, in ``EVENT_MARKERS`` order)."""
    seen, handles = set(), []
    for etype, (marker, size, label) in EVENT_MARKERS.items():
        if etype in types and label not in seen:
            seen.add(label)
            face = "#ffffff" if etype != "control_change" else "#9a9a9a"
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=math.sqrt(size) * scale,
                                  markerfacecolor=face, markeredgecolor="#111111", markeredgewidth=0.8 * scale,
                                  label=label))
    return handles


def city_labels(places=None, max_labels: int = 40) -> list[dict]:
    """Cities to label, most important first: Natural Earth cities named as in the gazetteer where one is near.

    Each is ``{name, lon, lat, priority}``; capitals first, then by population.
    """
    rows = []
    gaz = None
    if places is not None and len(places):
        gaz = places[["name", "lat", "lon"]].to_numpy()
    for c in basemap.cities():
        name = c["name"]
        if gaz is not None:
            d2 = (gaz[:, 1].astype(float) - c["lat"]) ** 2 + (gaz[:, 2].astype(float) - c["lon"]) ** 2
            i = int(np.argmin(d2))
            if d2[i] < 0.06 ** 2:
                name = str(gaz[i, 0])
        rows.append({"name": name, "lon": c["lon"], "lat": c["lat"],
                     "priority": (0 if c["capital"] else 1, -c.get("population", 0), c["rank"], name)})
    rows.sort(key=lambda r: r["priority"])
    return rows[:max_labels]


#: Where a label may sit around its point, in order of preference (cartographic convention: upper right
#: first): (dx, dy, ha, va), dx and dy in units of the gap between the point and the text.
_OFFSETS = [(1, 1, "left", "bottom"), (1, -1, "left", "top"), (-1, 1, "right", "bottom"), (-1, -1, "right", "top"),
            (1.3, 0, "left", "center"), (-1.3, 0, "right", "center"), (0, 1.4, "center", "bottom"),
            (0, -1.4, "center", "top")]


def marker_boxes(ax, lon, lat, radius_pt: float) -> list:
    """Display-space boxes of point markers (``radius_pt`` points) at ``lon``/``lat``: obstacles for labels."""
    from matplotlib.transforms import Bbox

    if len(lon) == 0:
        return []
    x, y = project_xy(lon, lat)
    r = radius_pt * ax.figure.dpi / 72
    pts = ax.transData.transform(np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]))
    return [Bbox.from_extents(px - r, py - r, px + r, py + r) for px, py in pts]


def draw_labels(ax, labels: list[dict], renderer, scale: float = 1.0, fontsize: float = 8.5,
                avoid: list | None = None, dot: bool = True, obstacles: list | None = None) -> list[str]:
    """Place labels greedily in priority order, trying eight positions around each point; skip those that
    collide with a label already placed, a box in ``avoid`` (legend, inset) or ``obstacles`` (event markers,
    other labels' points).

    ``labels``: dicts with ``name, lon, lat`` and optional ``bold`` and ``clear`` (the radius in points of
    the label's own marker, which its text keeps clear of). Every label keeps a white halo, readable over
    any fill. The boxes of the labels drawn are appended to ``avoid``. Returns the names drawn.
    """
    taken = avoid if avoid is not None else []
    ax_box = ax.get_window_extent(renderer)
    placed = []
    pad = 2.2 * scale
    dots = []  # every candidate's point: no label covers another place's point
    for lab in labels:
        x, y = project_xy(lab["lon"], lab["lat"])
        px, py = ax.transData.transform((float(x), float(y)))
        if ax_box.contains(px, py):
            r = 2.2 * scale * ax.figure.dpi / 72
            dots.append((lab["name"], Bbox.from_extents(px - r, py - r, px + r, py + r)))
    blocked = list(obstacles or [])
    halo = [patheffects.withStroke(linewidth=3.0 * scale, foreground=STYLE["halo"])]
    for lab in labels:
        x, y = project_xy(lab["lon"], lab["lat"])
        x, y = float(x), float(y)
        px, py = ax.transData.transform((x, y))
        if not ax_box.contains(px, py):
            continue
        bold = lab.get("bold", False)
        size = fontsize * scale * (1.08 if bold else 1.0)
        gap = pad + lab.get("clear", 0.0) * scale
        others = [b for name, b in dots if name != lab["name"]]
        own = [b for b in blocked if not b.contains(px, py)]  # its own marker is cleared by the gap
        for dx, dy, ha, va in _OFFSETS:
            t = ax.annotate(lab["name"], (x, y), xytext=(dx * (gap + 1), dy * gap), textcoords="offset points",
                            ha=ha, va=va, fontsize=size, color=STYLE["text"], zorder=8,
                            fontweight="bold" if bold else "normal", path_effects=halo)
            bb = t.get_window_extent(renderer).expanded(1.04, 1.12)
            inside = ax_box.x0 <= bb.x0 and bb.x1 <= ax_box.x1 and ax_box.y0 <= bb.y0 and bb.y1 <= ax_box.y1
            if inside and not any(bb.overlaps(o) for o in taken) and not any(bb.overlaps(o) for o in others) \
                    and not any(bb.overlaps(o) for o in own):
                taken.append(bb)
                placed.append(lab["name"])
                if dot and not lab.get("clear"):
                    ax.plot([x], [y], marker="o", markersize=3.2 * scale, color="#222222",
                            markeredgecolor="white", markeredgewidth=0.7 * scale, zorder=7)
                break
            t.remove()
    return placed


def _nice(length: float) -> float:
    """A round length (1, 2 or 5 times a power of ten) not above ``length``.

    >>> _nice(370_000)
    200000
    """
    exp = 10 ** math.floor(math.log10(length))
    return max(m * exp for m in (1, 2, 5) if m * exp <= length)


def scale_bar(ax, scale: float = 1.0, loc: tuple[float, float] = (0.04, 0.045), fraction: float = 0.22) -> float:
    """A two-segment scale bar in kilometres at ``loc`` (axes fraction); returns its length in km."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice((x1 - x0) * fraction)
    bx, by = x0 + loc[0] * (x1 - x0), y0 + loc[1] * (y1 - y0)
    h = (y1 - y0) * 0.012
    halo = [patheffects.withStroke(linewidth=2.4 * scale, foreground="white")]
    for i in range(2):
        ax.add_artist(Rectangle((bx + i * length / 2, by), length / 2, h, facecolor="#222222" if i == 0 else "white",
                               edgecolor="#222222", linewidth=0.7 * scale, zorder=9))
    km = length / 1000
    for frac, text in ((0, "0"), (0.5, f"{km / 2:g}"), (1, f"{km:g} km")):
        ax.text(bx + frac * length, by + h * 1.9, text, ha="center",
                va="bottom", fontsize=7.5 * scale, color=STYLE["text"], zorder=9, path_effects=halo)
    return km


def north_arrow(ax, scale: float = 1.0, loc: tuple[float, float] = (0.955, 0.83)) -> None:
    """A north arrow (north is up along the map's central meridian)."""
    x, y = loc
    w, h = 0.012, 0.07
    ax.add_artist(MplPolygon([(x - w, y), (x, y + h), (x, y + h * 0.3)], closed=True, transform=ax.transAxes,
                            facecolor="#222222", edgecolor="#222222", linewidth=0.6 * scale, zorder=9))
    ax.add_artist(MplPolygon([(x + w, y), (x, y + h), (x, y + h * 0.3)], closed=True, transform=ax.transAxes,
                            facecolor="white", edgecolor="#222222", linewidth=0.6 * scale, zorder=9))
    ax.text(x, y + h + 0.008, "N", transform=ax.transAxes, ha="center", va="bottom", fontsize=10 * scale,
            fontweight="bold", color=STYLE["text"], zorder=9,
            path_effects=[patheffects.withStroke(linewidth=2.4 * scale, foreground="white")])


def locator(ax, main_extent, scale: float = 1.0) -> None:
    """A locator inset: the region's countries, Syria and Iraq highlighted, the main map's frame in red."""
    bm = _projected_basemap()
    ax.set_facecolor(STYLE["sea"])
    ax.add_artist(PathPatch(geometry_path(bm["land"]), facecolor="#dcd7cc", edgecolor="#9a958c",
                           linewidth=0.3 * scale, zorder=1))
    ax.add_artist(PathPatch(geometry_path(bm["focus"]), facecolor="#8a8a8a", edgecolor="#444444",
                           linewidth=0.4 * scale, zorder=2))
    x0, x1, y0, y1 = main_extent
    ax.add_artist(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor="#c0392b",
                           linewidth=1.2 * scale, zorder=3))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(max(x1 - x0, y1 - y0) * 1.3, 650_000)  # a small area of interest is shown within the theatre
    box = ax.get_position()
    fw, fh = ax.figure.get_size_inches()
    frame(ax, fit_extent((cx - half, cx + half, cy - half * 0.85, cy + half * 0.85), box.width * fw, box.height * fh),
          scale, edgecolor="#444444")
