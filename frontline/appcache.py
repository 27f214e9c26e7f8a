"""The app's one Streamlit-aware module: cached wrappers around the package's loaders.

Page scripts call these; everything else in ``frontline`` is free of Streamlit.
Cached functions take all their inputs as arguments (file paths and their mtimes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
from pathlib import Path

import folium
import pandas as pd
import streamlit as st

from . import assets, config, viewstate
from .data import Dataset, load
from .errors import FrontlineError
from .filters import EventFilter
from .timeline import ControlTimeline


def _mtime(path) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


@st.cache_data(show_spinner="Loading the data...")
def _dataset(events_path: str, places_path: str, stamp: tuple) -> Dataset:
    return load(events_path, places_path)


def dataset(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH) -> Dataset:
    """The validated dataset, reloaded when either file changes."""
    return _dataset(str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path)))


@st.cache_resource(show_spinner=False)
def _timeline(events_path: str, places_path: str, stamp: tuple) -> ControlTimeline:
    ds = dataset(events_path, places_path)
    return ControlTimeline(ds.places, ds.events)


def timeline(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH) -> ControlTimeline:
    """The control timeline of the dataset (precomputed once per data version)."""
    return _timeline(str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path)))


# --- Territory --------------------------------------------------------------------------

@st.cache_resource(show_spinner="Building the territory model...")
def _territory(events_path: str, places_path: str, stamp: tuple, basemap_dir: str):
    from .territory import TerritoryModel  # imported lazily: shapely/pyproj are slow to import

    ds = dataset(events_path, places_path)
    return TerritoryModel(ds.places, ds.events, basemap_dir=Path(basemap_dir))


def territory(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH, basemap_dir=config.BASEMAP_DIR):
    """The territory model of the dataset (one per data version), or ``None`` if it cannot be built.

    The reason (e.g. a missing basemap file, with how to restore it) is :func:`territory_error`.
    """
    try:
        return _territory(str(events_path), str(places_path),
                          (_mtime(events_path), _mtime(places_path)), str(basemap_dir))
    except FrontlineError as err:
        st.session_state["fl_territory_error"] = str(err)
        return None


def data_banner(ds: Dataset, refuse: str = "") -> bool:
    """Show, on any page, what is wrong with the data or basemap files and how to fix it.

    The same banner on every page: the count of problems and of rows not shown, the problems
    as a table (file, line, column, message, all plain text), and a missing basemap. With
    ``refuse`` (what the page will not do on partial data) the page is told to stop that action.
    Returns True when the data files have problems.
    """
    from . import basemap

    if ds.problems:
        with st.container(border=True):
            stop = f" {refuse}" if refuse else ""
            st.error(f"The data files have {len(ds.problems)} problem(s); {ds.skipped_events} event row(s) are "
                     f"not shown.{stop} Fix them and reload; `python -m frontline validate` prints the same list.")
            st.dataframe([{"file": p.path, "line": p.line, "column": p.column, "problem": p.message}
                          for p in ds.problems], hide_index=True, height=min(36 * (len(ds.problems) + 1), 250))
    missing = basemap.problem()
    if missing:
        from .safety import md_text

        st.warning(md_text(missing), icon=":material/map:")
    return bool(ds.problems)


def territory_error() -> str:
    """Why :func:`territory` returned ``None`` in this session."""
    return st.session_state.get("fl_territory_error", "the model could not be built")


@st.cache_data(show_spinner=False, max_entries=4)
def _area_series(_model, key: tuple):
    return _model.area_series()


def territory_series(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH, basemap_dir=config.BASEMAP_DIR):
    """``territory().area_series()`` computed once per model and data version, or ``None`` without a model."""
    model = territory(events_path, places_path, basemap_dir)
    if model is None:
        return None
    return _area_series(model, (id(model), _mtime(events_path), _mtime(places_path)))


# --- Shared view state: the date and filters every page reads --------------------------
#
# The values live in st.session_state under non-widget keys (so they survive page
# switches) and in the URL's query parameters (so a view can be shared by link).
# Bad values in a link fall back to the default; the notice is kept for the page to show.

_DATE_KEY, _FILTERS_KEY, _VIEW_KEY, _NOTICES_KEY = "fl_date", "fl_filters", "fl_view", "fl_notices"


def _notice(text: str | None) -> None:
    if text:
        st.session_state.setdefault(_NOTICES_KEY, []).append(text)


def _url_params() -> dict[str, str]:
    """The URL's query parameters, one value each (repeated keys merged or reported once per session)."""
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    values, notices = viewstate.single_values(raw)
    if not st.session_state.get("fl_repeats_reported"):
        st.session_state["fl_repeats_reported"] = True
        for n in notices:
            _notice(n)
    return values


def _sync_params(values: dict[str, str], names) -> None:
    """Make the URL's ``names`` parameters equal ``values`` (absent ones removed)."""
    for name in names:
        want = values.get(name)
        have = st.query_params.get(name)
        if want is None and name in st.query_params:
            del st.query_params[name]
        elif want is not None and have != want:
            st.query_params[name] = want


def get_date() -> dt.date:
    """The date the user is looking at (from the session, else the URL's ``date``, else the default)."""
    if _DATE_KEY not in st.session_state:
        day, notice = viewstate.parse_date_param(_url_params().get("date"))
        _notice(notice)
        st.session_state[_DATE_KEY] = day
    day = st.session_state[_DATE_KEY]
    _sync_params({"date": day.isoformat()}, ["date"])
    return day


def set_date(day) -> dt.date:
    """Set the shared date (clamped to the atlas's period); returns the date kept."""
    day = pd.Timestamp(day).date()
    day = min(max(day, viewstate.PERIOD[0]), viewstate.PERIOD[1])
    st.session_state[_DATE_KEY] = day
    _sync_params({"date": day.isoformat()}, ["date"])
    return day


def get_filters() -> EventFilter:
    """The shared event filters (from the session, else the URL's country/type/actor/confidence/q)."""
    if _FILTERS_KEY not in st.session_state:
        f, notices = viewstate.parse_filter_params(_url_params())
        for n in notices:
            _notice(n)
        st.session_state[_FILTERS_KEY] = f
    f = st.session_state[_FILTERS_KEY]
    _sync_params(viewstate.filter_params(f), viewstate.FILTER_PARAMS)
    return f


def set_filters(f: EventFilter | None = None, **changes) -> EventFilter:
    """Replace the shared filters with ``f`` and/or change some fields (``countries=("SY",)``)."""
    f = f if f is not None else st.session_state.get(_FILTERS_KEY, EventFilter())
    if changes:
        f = dataclasses.replace(f, **changes)
    st.session_state[_FILTERS_KEY] = f
    _sync_params(viewstate.filter_params(f), viewstate.FILTER_PARAMS)
    return f


def get_view() -> tuple[tuple[float, float] | None, int | None]:
    """The map view (centre, zoom) from the session or the URL's ``lat``/``lon``/``zoom``."""
    if _VIEW_KEY not in st.session_state:
        center, zoom, notices = viewstate.parse_view_params(_url_params())
        for n in notices:
            _notice(n)
        st.session_state[_VIEW_KEY] = (center, zoom)
    return st.session_state[_VIEW_KEY]


def set_view(center, zoom) -> None:
    """Keep the map view in the session and the URL."""
    st.session_state[_VIEW_KEY] = (center, zoom)
    _sync_params(viewstate.view_params(center, zoom), viewstate.VIEW_PARAMS)


def pop_notices() -> list[str]:
    """Notices about ignored URL values, each returned once, escaped for Markdown (they echo the URL)."""
    from .safety import md_text

    return [md_text(n) for n in st.session_state.pop(_NOTICES_KEY, [])]


# --- Events ready for the map, per filter ----------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=16)
def _event_points(events_path: str, places_path: str, stamp: tuple, filter_key: str, _f: EventFilter):
    from . import maps
    from .filters import filter_events

    ds = dataset(events_path, places_path)
    events = filter_events(ds.events, ds.places, _f)
    return events, maps.event_points(events, ds.places)


def event_points(f: EventFilter, events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH):
    """``(filtered events, map points)`` for filter ``f`` (see :func:`frontline.maps.event_points`)."""
    return _event_points(str(events_path), str(places_path), (_mtime(events_path), _mtime(places_path)), repr(f), f)



# --- Data intake: the gazetteer geocoder and imported overlays (frontline.geocode, frontline.importers) ---

@st.cache_resource(show_spinner=False)
def _geocoder(places_path: str, stamp: float, offline: bool):
    from .curate import load_places
    from .geocode import Geocoder

    return Geocoder(load_places(places_path), offline=offline)


def geocoder(places_path=config.PLACES_PATH, offline: bool = True):
    """The geocoder client over the gazetteer (one per gazetteer version; Nominatim only if not offline)."""
    return _geocoder(str(places_path), _mtime(places_path), offline)


@st.cache_data(show_spinner="Reading the imported events...", max_entries=4)
def _overlay_table(path: str, stamp: float) -> pd.DataFrame:
    from .importers import read_imported

    return read_imported(path)


def overlay_table(path) -> pd.DataFrame:
    """An imported event table (Parquet written by ``python -m frontline import``), reloaded when it changes."""
    return _overlay_table(str(path), _mtime(path))


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
    here = Path(__file__).parent
    for name in ("maps.py", "basemap.py", "assets.py", "overlay.py", "appcache.py", "config.py"):
        digest.update((here / name).read_bytes())
    for path in sorted(Path(config.BASEMAP_DIR).glob("*")):
        stat = path.stat()
        digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(str(config.STATIC_URL).encode())
    return digest.hexdigest()


@st.cache_resource(show_spinner=False)
def _base_parts(factory_name: str, group_names: tuple[str, ...], key: str, preload_names: tuple[str, ...],
                _factory, _control_factory, _preload) -> dict:
    return _base_parts_disk(factory_name, group_names, key, preload_names, _base_version(),
                            _factory, _control_factory, _preload)


@st.cache_data(show_spinner=False, persist="disk", max_entries=32)
def _base_parts_disk(factory_name: str, group_names: tuple[str, ...], key: str, preload_names: tuple[str, ...],
                     version: str, _factory, _control_factory, _preload) -> dict:
    import streamlit_folium as sf

    m = _factory()
    m.get_root().render()
    m.render()
    parts = {"html": sf._get_html(m), "header": sf._get_header(m)}
    parts["script"] = sf._get_map_string(m)
    parts["id"] = sf.get_full_id(m)
    css, js = [], []
    for el in [*assets._walk(m), *_preload]:
        css.extend(href for _, href in getattr(el, "default_css", []) or [])
        js.extend(src for _, src in getattr(el, "default_js", []) or [])
    parts["css_links"], parts["js_links"] = list(dict.fromkeys(css)), list(dict.fromkeys(js))
    for idx, name in enumerate(group_names):
        sf._get_feature_group_string(folium.FeatureGroup(name=name), m, idx)
    parts["layer_control"] = sf._get_layer_control_string(_control_factory(), m) if _control_factory else None
    # the component mounts once per hash: a new set of preloaded plugins needs a remount to load them
    parts["hash_key"] = sf.generate_js_hash(parts["script"] + "|".join(preload_names), key, False)
    parts["zoom"] = m.options.get("zoom")
    return parts


@st.cache_resource(show_spinner=False, max_entries=2048)
def _group_script(cache_key: str, idx: int, _build) -> str:
    import streamlit_folium as sf

    return sf._get_feature_group_string(_build(), folium.Map(tiles=None), idx)


#: Appended to the date's layers: streamlit-folium adds every new feature group to the map,
#: so a layer the user switched off would come back at the next date. This remembers the
#: layer switcher's clicks in the map's frame (``window.__flHidden``, by layer name) and takes
#: those layers off again before the switcher is rebuilt (it then shows them unticked).
_KEEP_HIDDEN_JS = """
(function(m, names, groups){
    var hidden = window.__flHidden = window.__flHidden || {};
    if (!window.__flWatching) {
        window.__flWatching = true;
        // only the user's clicks count: the component also removes the old layers when it swaps them
        var clicked = function(){ return window.layer_control && window.layer_control._handlingClick; };
        m.on("overlayadd", function(e){ if (clicked()) delete hidden[e.name]; });
        m.on("overlayremove", function(e){ if (clicked()) hidden[e.name] = true; });
    }
    names.forEach(function(name, i){ if (hidden[name]) m.removeLayer(groups[i]); });
})(map_div, %(names)s, [%(groups)s]);
"""


#: Inside the component's frame: the map fills the frame, whatever height the component was given.
_FILL_FRAME_CSS = "<style>#map_div{height:100vh!important}html,body{margin:0;overflow:hidden}</style>"


def map_component(base_factory, groups, key: str, height: int = 640, layer_control_factory=None,
                  center=None, zoom=None, returned_objects=("center", "zoom"), preload=(), fill_frame=False):
    """Draw ``base_factory()`` (rendered once) with date-dependent ``groups``; like ``st_folium``.

    ``groups`` is a list of ``(name, cache_key or None, build)``: ``build()`` returns the
    folium FeatureGroup; with a ``cache_key`` its script is built once per key.
    ``preload`` lists folium elements whose JS/CSS the map loads when it mounts: the
    component loads scripts only then, so a layer that may be switched on later (a marker
    cluster, a heat map) must name its plugins here.
    With ``fill_frame`` the map fills its frame, so the page can size the frame with CSS
    (e.g. to the window's height); ``height`` is then only the size before that CSS applies.
    Returns the component's value (``center``, ``zoom`` as asked by ``returned_objects``).
    """
    import streamlit_folium as sf

    names = tuple(name for name, _, _ in groups)
    preload = tuple(preload)
    parts = _base_parts(f"{base_factory.__module__}.{base_factory.__qualname__}", names, key,
                        tuple(type(el).__name__ for el in preload), base_factory, layer_control_factory, preload)
    scripts = []
    for idx, (name, cache_key, build) in enumerate(groups):
        if cache_key is None:
            scripts.append(sf._get_feature_group_string(build(), folium.Map(tiles=None), idx))
        else:
            scripts.append(_group_script(f"{cache_key}|{name}", idx, build))
    scripts.append(_KEEP_HIDDEN_JS % {"names": json.dumps(list(names)),
                                      "groups": ", ".join(f"feature_group_feature_group_{i}" for i in range(len(names)))})
    defaults = {k: v for k, v in {"zoom": parts["zoom"], "center": None}.items() if k in returned_objects}

    def _on_change():
        st.session_state[key] = st.session_state.get(parts["hash_key"], {})

    return sf._component_func(
        script=parts["script"], header=parts["header"] + (_FILL_FRAME_CSS if fill_frame else ""),
        html=parts["html"], id=parts["id"],
        key=parts["hash_key"], height=height, width=None, returned_objects=list(returned_objects),
        default=defaults, zoom=zoom, center=center, feature_group="".join(scripts), return_on_hover=False,
        layer_control=parts["layer_control"], pixelated=False, css_links=parts["css_links"],
        js_links=parts["js_links"], on_change=_on_change, wrap_longitude=False,
    )


# --- Pages and navigation ------------------------------------------------------------------
#: (script, sidebar title, URL path); the first is the default page, at "/".
PAGES: tuple[tuple[str, str, str], ...] = (
    ("pages/0_Map.py", "Map", ""),
    ("pages/1_Timeline.py", "Timeline", "Timeline"),
    ("pages/2_Events.py", "Events", "Events"),
    ("pages/3_Sources_and_Methodology.py", "Sources and Methodology", "Sources_and_Methodology"),
    ("pages/4_Briefing.py", "Briefing", "Briefing"),
    ("pages/5_Curate.py", "Curate", "Curate"),
)

#: Shared by every page: less empty space above the page title (Streamlit's default is 6rem).
_PAGE_STYLE = "<style>.block-container{padding-top:2.5rem}</style>"


def navigation():
    """The app's navigation for ``dashboard.py``; its menu is drawn by :func:`page_setup` on each page."""
    return st.navigation([st.Page(path, title=title, url_path=url or None, default=not url)
                          for path, title, url in PAGES], position="hidden")


@functools.lru_cache(maxsize=1)
def _tidy_once() -> None:
    """At start-up, remove temporary files that a killed save left beside the data files."""
    from . import csvstore

    for path in (config.EVENTS_PATH, config.PLACES_PATH):
        csvstore.tidy(path)


def page_setup(page_title: str) -> None:
    """Configure a page and draw the sidebar menu with the pages' titles.

    The menu is drawn here rather than by ``st.navigation`` because Streamlit, on a fresh
    server whose first visitor opens a page's own URL, runs that page without the entry
    script (the legacy ``pages/`` mode) and would list the files' names instead.
    """
    st.set_page_config(page_title=page_title, layout="wide")
    _tidy_once()
    st.html(_PAGE_STYLE)
    from streamlit.errors import StreamlitPageNotFoundError

    with st.sidebar:
        try:
            for path, title, _ in PAGES:
                st.page_link(path, label=title)
        except StreamlitPageNotFoundError:
            return  # a page script run on its own (AppTest.from_file): there is no app to link to
        st.divider()
