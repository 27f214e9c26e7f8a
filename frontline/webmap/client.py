"""The live map's data path: files the browser loads once, and the few bytes each date sends.

``st_folium``'s component is handed its whole script and layers on every rerun. So the live map
(:func:`frontline.webmap.base.live_map`) keeps its script small and names files instead:

- :func:`publish` writes a payload once under ``static/data/`` with its content's hash in the
  name (Streamlit serves ``static/`` at ``/app/static/``; a changed payload is a new name, so
  the browser may cache every file for as long as it likes);
- the client (``client.js``, published the same way after Leaflet, in one file, and loaded when the map mounts) fetches
  each file once per page: the basemap (:func:`basemap_payload`), the territory's atoms
  (:meth:`frontline.history.atoms.Atoms.payload`) and every event (:func:`events_payload`);
- a date change then sends, per layer, a small state: :func:`territory_call` (one character
  per atom and the date's figures for the tooltips, ~2 KB) and :func:`events_call` (the day,
  the highlight window, a bit mask of the events the filters keep).

Every text in a payload is escaped HTML already (:func:`frontline.safety.html_text`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config, vocab
from ..safety import html_text
from ..style import EVENT_STYLE, OLDER_STYLE
from .controls import DATE_LABEL_ID, DECLUTTER_JS

__all__ = ["publish", "bundle_url", "basemap_payload", "events_payload", "territory_call", "events_call",
           "JsGroup", "js_json", "filter_mask", "DATA_DIR", "DATA_URL", "KEEP_VERSIONS"]

DATA_DIR = config.STATIC_DIR / "data"
DATA_URL = config.STATIC_URL + "/data"
#: Older versions of a file kept beside the newest (pages opened before a data change still load).
KEEP_VERSIONS = 3
_CLIENT_JS = Path(__file__).with_name("client.js")


def _write_once(path: Path, data: bytes) -> None:
    """Write ``path`` atomically unless it exists (concurrent writers of one content are harmless)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(folder: Path, stem: str, suffix: str, keep: int = KEEP_VERSIONS) -> None:
    versions = sorted(folder.glob(f"{stem}-*{suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[keep + 1:]:
        old.unlink(missing_ok=True)


def publish(payload, stem: str, folder: Path = DATA_DIR, url: str = DATA_URL, suffix: str = ".json") -> str:
    """Write ``payload`` (JSON-ready, or ``bytes``) as ``folder/stem-<hash>.json`` once; return its URL.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> u = publish({"a": 1}, "x", d, "/s")
    >>> u.startswith("/s/x-") and (d / u.split("/")[-1]).read_text()
    '{"a":1}'
    >>> publish({"a": 1}, "x", d, "/s") == u
    True
    """
    data = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    path = Path(folder) / name
    if not path.exists():
        _write_once(path, data)
        _prune(Path(folder), stem, suffix)
    return f"{url}/{name}"


def _client_js() -> bytes:
    """The client's script: the label declutter (``declutter.js``) and ``client.js``."""
    return DECLUTTER_JS.encode("utf-8") + b"\n" + _CLIENT_JS.read_bytes()


def bundle_url(leaflet_url: str, folder: Path = DATA_DIR, url: str = DATA_URL) -> str:
    """The URL of Leaflet (the installed copy at ``leaflet_url``, under ``static/``) followed by the client, as one
    published file: the live map loads it instead of the two."""
    leaflet = config.STATIC_DIR / leaflet_url.removeprefix(config.STATIC_URL + "/")
    if not leaflet.is_file():
        raise FileNotFoundError(f"{leaflet}: Leaflet is not installed; run `make setup` (it copies the map's "
                                "libraries into static/vendor)")
    return publish(leaflet.read_bytes() + b"\n;\n" + _client_js(), "leaflet-client", folder, url, suffix=".js")


def css_url(css: str, folder: Path = DATA_DIR, url: str = DATA_URL) -> str:
    """The URL of the map's style sheet ``css`` (published on the first call)."""
    return publish(css.encode(), "map", folder, url, suffix=".css")


# --- Payloads: sent once -------------------------------------------------------------------

@lru_cache(maxsize=4)
def basemap_payload() -> dict:
    """The bundled basemap (simplified as for the map), its styles and the city labels."""
    from . import base
    from ..dataset import basemap
    from .controls import legend_html

    return {"countries": base._light("countries"), "governorates": base._light("governorates"),
            "lakes": base._light("lakes"), "rivers": base._light("rivers"), "khabur": base._light("khabur"),
            "styles": base.STYLE, "focus": ["SYR", "IRQ"],
            "cities": [[c["lat"], c["lon"], html_text(c["name"])] for c in basemap.cities()],
            "legend": legend_html(map_legend=True)}


#: Popups travel in files of this many events, fetched when one of their popups first opens.
POPUP_CHUNK = 2000


def events_payload(points: pd.DataFrame, folder: Path = DATA_DIR, url: str = DATA_URL) -> dict:
    """Every event, once: ``rows`` of ``[lat, lon, type, day, place]`` sorted by day (``place`` indexes
    ``places`` and ``place_ids``), the type labels and marker styles, and the URLs of the popup files (published here,
    :data:`POPUP_CHUNK` popups each: a popup's HTML is fetched when it first opens).

    ``points`` is :func:`frontline.webmap.layers.event_points` of all events (unfiltered).
    """
    ids, first, place_idx = np.unique(points["place_id"].to_numpy(dtype=str), return_index=True, return_inverse=True) \
        if len(points) else (np.array([], dtype=str), np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    names = points["place"].to_numpy(dtype=object)[first] if len(points) else np.array([], dtype=object)
    types = sorted(set(points["event_type"].astype(str)))
    type_idx = {t: i for i, t in enumerate(types)}
    rows = [[round(float(a), 5), round(float(b), 5), type_idx[str(t)], int(d), int(p)] for a, b, t, d, p in
            zip(points["lat"], points["lon"], points["event_type"], points["day"], place_idx.ravel())]
    popups = points["popup"].tolist()
    chunks = [publish(popups[i:i + POPUP_CHUNK], "popups", folder, url) for i in range(0, len(popups), POPUP_CHUNK)]
    return {"rows": rows, "places": [str(n) for n in names], "place_ids": [html_text(i) for i in ids], "types": types,
            "labels": [html_text(vocab.EVENT_TYPE_LABELS.get(t, t)) for t in types],
            "styles": [EVENT_STYLE.get(t, {}) for t in types], "older": OLDER_STYLE,
            "popups": chunks, "chunk": POPUP_CHUNK}


# --- Per date: a few bytes ---------------------------------------------------------------------

@dataclass(frozen=True)
class JsGroup:
    """A date's layer as a call to the map's client: ``FL.<fn>(group, state)``.

    :func:`frontline.app.component.map_component` turns it into the feature group script
    ``st_folium`` expects without rendering a folium element (no template work per move).
    """

    fn: str
    state: dict

    def script(self, var: str) -> str:
        """The JavaScript creating the layer group ``var`` and filling it."""
        return (f"var {var} = L.featureGroup({{}});\n"
                f"FL.{self.fn}({var}, {js_json(self.state)});\n")


def js_json(value) -> str:
    r"""JSON safe to put in a script: no ``</`` (which would close it) or ``<!--``, and the line separators escaped.

    Other ``<``, ``>`` and ``&`` stay as they are (a script's text is not HTML): the map's tooltips and figures are
    HTML, and escaping every tag's brackets made a date move's message a quarter larger.

    >>> js_json({"a": "</script><b>"})
    '{"a":"<\\/script><b>"}'
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("</", "<\\/"), ("<!--", "<\\u0021--"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _figures_tip(label: str, area_km2: float, population: int, places) -> str:
    people = f"{int(population):,}" if population else "unknown"
    return (f"<b>Held by</b> {html_text(label)}<br><b>Area</b> {area_km2:,.0f} km²<br>"
            f"<b>Population (estimate)</b> {people}<br><b>Places</b> {html_text(str(places))}")


def territory_call(atoms_url: str, labels: str, details: pd.DataFrame, ease: bool = False,
                   before: str | None = None) -> JsGroup:
    """The date's territory layer: the atoms file's URL, the label string and the tooltips' figures.

    ``details`` is :meth:`frontline.history.territory.TerritoryModel.details_on` of the date. With ``ease``
    the map cross-fades from the state it shows to this one (for Play) instead of switching at once.
    With ``before`` (the label string of an earlier date) the atoms whose holder changed since are hatched in
    the colour of the side that took them.
    """
    from ..history.territory import CONTESTED, TERRITORY_CLASSES, TERRITORY_COLORS, TERRITORY_LABELS
    from .layers import INFERRED_STYLE, TERRITORY_STYLE

    rows = details.set_index("controller")
    zones, inferred_tips = [], {}
    for i, cls in enumerate(TERRITORY_CLASSES):
        if cls not in vocab.CONTROLLERS or rows.loc[cls, "area_km2"] <= 0:
            continue
        r = rows.loc[cls]
        style = {"color": TERRITORY_COLORS[cls], "fillColor": TERRITORY_COLORS[cls],
                 **TERRITORY_STYLE.get(cls, TERRITORY_STYLE["default"])}
        zones.append({"c": i, "k": cls, "a": f"{r.area_km2:,.0f} km²", "style": style,
                      "tip": _figures_tip(TERRITORY_LABELS[cls], r.area_km2, r.population, r.places)})
        if r.inferred_km2 > 0:
            inferred_tips[str(i)] = (f"Inferred: {html_text(vocab.CONTROLLER_LABELS[cls])}: inferred (roads, rivers and "
                                     f"land between its places)<br><b>Area</b> {r.inferred_km2:,.0f} km²")
    c = rows.loc[CONTESTED]
    state = {"url": atoms_url, "labels": labels, "zones": zones, "smooth": 0.5, "ease": bool(ease),
             "before": before, "colors": [TERRITORY_COLORS[c] for c in TERRITORY_CLASSES] if before else None,
             "inferred": {"style": INFERRED_STYLE, "tips": inferred_tips},
             "contested": {"style": {"color": TERRITORY_COLORS[CONTESTED], "fillColor": TERRITORY_COLORS[CONTESTED],
                                     **TERRITORY_STYLE[CONTESTED]},
                           "a": f"{c.area_km2:,.0f} km²",
                           "tip": _figures_tip(TERRITORY_LABELS[CONTESTED], c.area_km2, c.population, c.places)}}
    return JsGroup("territory", state)


def filter_mask(all_ids: np.ndarray, kept_ids) -> str | None:
    """Base64 of one bit per event of ``all_ids`` (kept: 1), or ``None`` when every event is kept.

    >>> filter_mask(np.array(["a", "b", "c"]), ["a", "c"])
    'oA=='
    >>> filter_mask(np.array(["a"]), ["a"]) is None
    True
    """
    # a hash lookup: numpy's isin on object arrays compares every pair (minutes for 200,000 events)
    keep = pd.Index(all_ids).isin(pd.Index(list(kept_ids))) if len(all_ids) else np.zeros(0, dtype=bool)
    if keep.all():
        return None
    return base64.b64encode(np.packbits(keep).tobytes()).decode("ascii")


def events_call(events_url: str, day, window_days: int, show_older: bool, mask: str | None,
                max_points: int, grid_deg: float, play_tick_ms: int | None = None) -> JsGroup:
    """The date's events layer: which events (by the filters' mask) up to ``day``, the last ``window_days``
    highlighted; it also writes the date into the map's date label once the date's layers are drawn. While
    playing (``play_tick_ms``), the client reports each drawn date back to the app, which then sends the next."""
    ts = pd.Timestamp(day)
    d = int(ts.to_datetime64().astype("datetime64[D]").astype(np.int64))
    return JsGroup("events", {"url": events_url, "day": d, "window": int(window_days), "older": bool(show_older),
                              "mask": mask, "max": int(max_points), "grid": grid_deg,
                              "stamp": {"id": DATE_LABEL_ID, "text": f"{ts.day} {ts:%B %Y}", "iso": ts.date().isoformat()},
                              "play": {"tick_ms": int(play_tick_ms)} if play_tick_ms else None})
