"""The map component: ``st_folium``'s component with the constant base map rendered once."""

from __future__ import annotations

import functools
import json
import re
from collections import OrderedDict
from pathlib import Path

import folium
import streamlit as st

from .. import config
from ..webmap import assets, client
from ..webmap import panel as panel_css

# --- The map component, with the constant base map rendered once ------------------------
#
# ``st_folium`` re-renders the whole folium map on every run (~150-250 ms for the bundled
# vector basemap) although its script never changes. ``map_component`` renders it once
# per process and sends the same arguments ``st_folium`` would (streamlit-folium 0.27),
# so a slider move only costs the date's layers. Layer scripts can be cached by a key.
# The rendered base map is also kept on disk (Streamlit's ``persist="disk"``, under
# ~/.streamlit/cache), keyed by the code and basemap files it comes from, so a freshly
# started server does not spend ~0.3 s simplifying and rendering the basemap again.

@functools.lru_cache(maxsize=1)
def _base_version() -> str:
    """A digest of what the base map is made from besides its arguments: map code, basemap files, libraries."""
    import hashlib

    import streamlit_folium as sf

    digest = hashlib.sha256(f"{folium.__version__}|{getattr(sf, '__version__', '')}".encode())
    here = Path(__file__).parent.parent
    # everything the base map's script is made from: the webmap package, the basemap reader, this module
    for path in [*sorted((here / "webmap").glob("*.py")), *sorted((here / "webmap").glob("*.js")),
                 here / "dataset" / "basemap.py", Path(__file__), here / "config.py"]:
        digest.update(path.read_bytes())
    for path in sorted(Path(config.BASEMAP_DIR).glob("*")):
        stat = path.stat()
        digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(str(config.STATIC_URL).encode())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, persist="disk", max_entries=32)
def _base_parts_disk(factory_name: str, group_names: tuple[str, ...], key: str, preload_names: tuple[str, ...],
                     version: str, _factory, _control_factory, _preload) -> dict:
    import streamlit_folium as sf

    m = _factory()
    m.get_root().render()
    m.render()
    parts = {"html": sf._get_html(m), "header": _compact(sf._get_header(m))}
    parts["script"] = _compact(sf._get_map_string(m))
    parts["id"] = sf.get_full_id(m)
    css, js = [], []
    for el in [*assets._walk(m), *_preload]:
        css.extend(href for _, href in getattr(el, "default_css", []) or [])
        js.extend(src for _, src in getattr(el, "default_js", []) or [])
    parts["css_links"], parts["js_links"] = list(dict.fromkeys(css)), list(dict.fromkeys(js))
    for idx, name in enumerate(group_names):
        sf._get_feature_group_string(folium.FeatureGroup(name=name), m, idx)
    parts["layer_control"] = _compact(sf._get_layer_control_string(_control_factory(), m)) if _control_factory else None
    # the component mounts once per hash: a new set of preloaded plugins needs a remount to load them
    parts["hash_key"] = sf.generate_js_hash(parts["script"] + "|".join(preload_names), key, False)
    parts["zoom"] = m.options.get("zoom")
    parts["center"] = {"lat": float(m.location[0]), "lng": float(m.location[1])} if m.location else None
    # the app's own files the script loads (client, styles, basemap), to check they are still there
    parts["files"] = sorted(set(re.findall(re.escape(client.DATA_URL) + r"/[\w.-]+",
                                           parts["script"] + " ".join(parts["js_links"] + parts["css_links"]))))
    return parts


def _compact(text: str) -> str:
    r"""``text`` without indentation and blank lines: the component gets its script on every rerun.

    Safe for folium's scripts and headers (no multi-line string literals or template literals).

    >>> _compact("  var a = 1;\n\n      a += 1;\n")
    'var a = 1;\na += 1;'
    """
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


#: Rendered base maps by (factory, group names, key, preloaded plugins), and layer scripts by cache key.
_BASE: dict = {}
_GROUPS: "OrderedDict[tuple, str]" = OrderedDict()
_GROUPS_MAX = 2048


def _group_script(cache_key: str, idx: int, build) -> str:
    key = (cache_key, idx)
    hit = _GROUPS.get(key)
    if hit is None:
        hit = _GROUPS[key] = _script(build(), idx)
        while len(_GROUPS) > _GROUPS_MAX:
            _GROUPS.popitem(last=False)
    return hit


def _script(group, idx: int) -> str:
    """The script of one date layer as ``st_folium`` makes it: a folium FeatureGroup rendered, or a
    :class:`~frontline.webmap.client.JsGroup` written directly (no template work)."""
    import streamlit_folium as sf

    if isinstance(group, client.JsGroup):
        var = f"feature_group_feature_group_{idx}"
        return (group.script(var) + f"map_div.addLayer({var});\n"
                f"window.feature_group = window.feature_group || [];\nwindow.feature_group.push({var});\n")
    return _compact(sf._get_feature_group_string(group, folium.Map(tiles=None), idx))


#: Inside the component's frame: the map fills the frame, whatever height the component was given.
_FILL_FRAME_CSS = "<style>#map_div{height:100vh!important}html,body{margin:0;overflow:hidden}</style>"


def map_component(base_factory, groups, key: str, height: int = 640, layer_control_factory=None,
                  center=None, zoom=None, returned_objects=("center", "zoom"), preload=(), fill_frame=False,
                  initial_view=(None, None), panel: str | None = None):
    """Draw ``base_factory()`` (rendered once) with date-dependent ``groups``; like ``st_folium``.

    ``groups`` is a list of ``(name, cache_key or None, build)``: ``build()`` returns the
    folium FeatureGroup; with a ``cache_key`` its script is built once per key.
    ``preload`` lists folium elements whose JS/CSS the map loads when it mounts: the
    component loads scripts only then, so a layer that may be switched on later (a marker
    cluster, a heat map) must name its plugins here.
    With ``fill_frame`` the map fills its frame, so the page can size the frame with CSS
    (e.g. to the window's height); ``height`` is then only the size before that CSS applies.
    ``initial_view`` (centre, zoom), e.g. from a shared link, is applied once when the map mounts.
    ``panel`` (HTML, escaped already) is shown beside the map inside its frame (the client's ``FL.panel``): it
    changes with the date, and drawn there it costs the browser a few DOM writes instead of a Streamlit element
    re-rendered on every move. A map given a panel must be given one on every run (its frame keeps the room).
    Returns a function that puts the map on the page and returns the component's value (``center``, ``zoom`` as
    asked by ``returned_objects``): everything is computed here, so the page can send the map's element right after
    the elements above it (the browser then renders them together).
    """
    import streamlit_folium as sf

    names = tuple(name for name, _, _ in groups)
    preload = tuple(preload)
    base_key = (f"{base_factory.__module__}.{base_factory.__qualname__}", names, key, tuple(type(el).__name__ for el in preload))
    parts = _BASE.get(base_key)
    if parts is None:  # once per process (a Streamlit cache hit would cost ~1 ms of hashing on every move)
        parts = _BASE[base_key] = _base_parts_disk(*base_key, _base_version(), base_factory, layer_control_factory,
                                                   preload)
    if not all((client.DATA_DIR / url.rsplit("/", 1)[-1]).exists() for url in parts.get("files", ())):
        base_factory()  # someone removed static/data: building the map publishes its files again (same names)
    scripts = []
    for idx, (name, cache_key, build) in enumerate(groups):
        if cache_key is None:
            scripts.append(_script(build(), idx))
        else:
            scripts.append(_group_script(f"{cache_key}|{name}", idx, build))
    # streamlit-folium adds every new feature group to the map, so a layer the user switched off would come
    # back at the next date: the client remembers the switcher's clicks and takes those layers off again
    scripts.append(f"FL.keepHidden(map_div, {json.dumps(list(names))}, "
                   f"[{', '.join(f'feature_group_feature_group_{i}' for i in range(len(names)))}]);")
    if panel is not None:
        scripts.append(f"FL.panel({client.js_json(panel)});")
    (lat_lng, start_zoom) = initial_view
    if lat_lng is not None and start_zoom is not None:
        scripts.append(f"FL.initialView(map_div, {float(lat_lng[0])!r}, {float(lat_lng[1])!r}, {int(start_zoom)});")
    # the value the map reports when it mounts (its own centre and zoom, in the order it reports them): equal to
    # the default, it starts no rerun, which would otherwise compete with the map's first files on the server
    defaults = {k: v for k, v in {"zoom": parts["zoom"], "center": parts.get("center")}.items() if k in returned_objects}

    def _on_change():
        st.session_state[key] = st.session_state.get(parts["hash_key"], {})

    return functools.partial(
        sf._component_func, script=parts["script"],
        header=parts["header"] + (_FILL_FRAME_CSS if fill_frame else "")
        + (f"<style>{panel_css.FRAME_LAYOUT_CSS}</style>" if panel is not None else ""),
        html=parts["html"], id=parts["id"],
        key=parts["hash_key"], height=height, width=None, returned_objects=list(returned_objects),
        default=defaults, zoom=zoom, center=center, feature_group="".join(scripts), return_on_hover=False,
        layer_control=parts["layer_control"], pixelated=False, css_links=parts["css_links"],
        js_links=parts["js_links"], on_change=_on_change, wrap_longitude=False,
    )

