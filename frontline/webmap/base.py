"""The base map: the bundled vector basemap, panes, city labels, the date label, legend and tools.

It never depends on the date, so the map component does not remount when the slider moves;
date-dependent layers (:mod:`.layers`) are separate feature groups.
"""

from __future__ import annotations

from functools import lru_cache

import folium
import folium.plugins
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping, shape

from ..dataset import basemap
from . import assets
from .controls import (BASEMAP_PANE, SHORT_ATTRIBUTION, _CSS, _CityLabels, _DateLabel, _Legend, _Panes,
                       legend_html)
from .layers import marker_layer

__all__ = ["base_map", "live_map", "locator_map", "STYLE", "CENTER", "ZOOM"]

CENTER = (34.8, 41.0)
ZOOM = 6

#: Basemap styles in one place.
STYLE = {
    "background": "#dfe9ef",
    "country": {"fillColor": "#f4f1ea", "color": "#8a8a8a", "weight": 1, "fillOpacity": 1},
    "focus_country": {"fillColor": "#fbf9f4", "color": "#444444", "weight": 1.6, "fillOpacity": 1},
    "governorate": {"fill": False, "color": "#9a9a9a", "weight": 0.6, "dashArray": "3 3"},
    "river": {"color": "#4a90c8", "weight": 1.6, "opacity": 0.9},
    "lake": {"fillColor": "#a9cbe6", "color": "#4a90c8", "weight": 0.6, "fillOpacity": 1},
}


def base_map(height: str = "100%", online_tiles: bool = True, local_assets: bool = True, live: bool = False) -> folium.Map:
    """The constant base map: bundled vector basemap, scale bar, fullscreen, optional online tiles.

    With ``live`` the basemap and city names are not in the map's script but in a file the
    map's client fetches once (:mod:`frontline.webmap.client`): the script stays ~10 KB, which
    matters because the map component is sent its script on every rerun. Without it (exports,
    a standalone HTML file) everything is inline.
    """
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True,
                   prefer_canvas=True, height=height)
    # With tiles=None folium passes min_zoom/max_zoom to no layer; the map itself needs them
    # (the overlay's marker clusters fail with "Map has no maxZoom specified" otherwise).
    m.options.update(min_zoom=4, max_zoom=14)
    loader = _live_basemap(m) if live else _basemap_layers(m)
    _DateLabel().add_to(m)
    _Legend(legend_html(map_legend=True), url=loader.url if live else None).add_to(m)
    if online_tiles:
        for name, tiles, attr in _ONLINE_TILES:
            folium.TileLayer(tiles=tiles, name=name, attr=attr, show=False, overlay=True,
                             control=True, opacity=1.0).add_to(m)
    if not live:  # the live map's client draws its own full-screen button (one script fewer to load)
        folium.plugins.Fullscreen(position="topleft").add_to(m)
    if local_assets:
        assets.localize(m)
    if live:  # after localize: the client is the app's own file, not an npm asset
        from . import client
        # Leaflet and the client in one file: the map's frame loads its scripts one after another, so one file
        # fewer is one round trip fewer before the first map (the Leaflet file is the installed copy, not ours)
        m.default_js = [(name, client.bundle_url(url) if name == "leaflet" else url) for name, url in m.default_js]
        loader.default_js = []
        loader.default_css = [("frontline_css", client.css_url(_map_css()))]
    return m


def live_map() -> folium.Map:
    """The Map page's base map: :func:`base_map` with ``live=True`` (the basemap loaded from a file)."""
    return base_map(live=True)


_ONLINE_TILES = [
    ("OpenStreetMap (online)", "OpenStreetMap", "&copy; OpenStreetMap contributors"),
    ("Light basemap (online)", "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors &copy; CARTO"),
    ("Dark basemap (online)", "https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}.png",
     "&copy; OpenStreetMap contributors &copy; CARTO"),
    ("Satellite (online)", "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
     "Imagery &copy; Esri"),
]


#: Basemap simplification (degrees; ~400 m, under a pixel at the map's usual zooms) and precision.
BASEMAP_TOLERANCE_DEG = 0.004
_KEEP_PROPS = ("adm0_a3", "name")


@lru_cache(maxsize=None)
def _light(name: str) -> dict:
    """A bundled basemap layer simplified for the browser (the base map is sent on every run)."""
    features = []
    for f in basemap.layer(name)["features"]:
        geom = shapely.set_precision(shape(f["geometry"]).simplify(BASEMAP_TOLERANCE_DEG, preserve_topology=True),
                                     BASEMAP_TOLERANCE_DEG / 4)
        if geom.is_empty:
            continue
        features.append({"type": "Feature", "geometry": mapping(geom),
                         "properties": {k: f["properties"][k] for k in _KEEP_PROPS if k in f["properties"]}})
    return {"type": "FeatureCollection", "features": features}


def _basemap_layers(m: folium.Map) -> None:
    """What every map of the atlas draws first: the page style, the panes, the bundled basemap, city names."""
    m.get_root().header.add_child(folium.Element(f"<style>{_map_css()}</style>"))
    _Panes().add_to(m)
    _vector_basemap(m)
    _CityLabels(basemap.cities()).add_to(m)


class _ClientBasemap(MacroElement):
    """Asks the map's client to load the basemap file into the map's basemap groups."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(m){
            var countries = L.layerGroup().addTo(m), labels = L.layerGroup().addTo(m);
            FL.basemap({{ this.url|tojson }}, {countries: countries, labels: labels,
                governorates: {{ this.governorates.get_name() }}, water: {{ this.water.get_name() }}},
                {pane: {{ this.pane|tojson }}, labelPane: "frontlineLabels", attribution: {{ this.attribution|tojson }}});
            FL.fullscreen(m);
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, url: str, governorates, water):
        super().__init__()
        self._name = "ClientBasemap"
        self.url, self.governorates, self.water = url, governorates, water
        self.pane, self.attribution = BASEMAP_PANE, SHORT_ATTRIBUTION


def _map_css() -> str:
    """The map's style: the basemap's background, the date label, legend and popups, and the figures panel that the
    live map shows in its frame (:mod:`.panel`)."""
    from .panel import FRAME_PANEL_CSS, PANEL_CSS

    return f".leaflet-container{{background:{STYLE['background']};}}{_CSS}{PANEL_CSS}{FRAME_PANEL_CSS}"


def _live_basemap(m: folium.Map) -> MacroElement:
    """Panes, empty basemap groups (listed in the layer switcher), and the loader (the page style is a file)."""
    from . import client

    _Panes().add_to(m)
    governorates = folium.FeatureGroup(name="Governorates").add_to(m)
    water = folium.FeatureGroup(name="Rivers and lakes").add_to(m)
    loader = _ClientBasemap(client.publish(client.basemap_payload(), "basemap"), governorates, water)
    loader.add_to(m)
    return loader


def _vector_basemap(m: folium.Map) -> None:
    countries = _light("countries")
    focus = {"SYR", "IRQ"}
    folium.GeoJson(
        countries, name="Countries", control=False, interactive=False, pane=BASEMAP_PANE,
        style_function=lambda f: STYLE["focus_country"] if f["properties"]["adm0_a3"] in focus else STYLE["country"],
        attribution=SHORT_ATTRIBUTION,
    ).add_to(m)
    folium.GeoJson(_light("governorates"), name="Governorates", interactive=False, pane=BASEMAP_PANE,
                   style_function=lambda f: STYLE["governorate"]).add_to(m)
    water = folium.FeatureGroup(name="Rivers and lakes")
    for name, style in (("lakes", "lake"), ("rivers", "river"), ("khabur", "river")):
        folium.GeoJson(_light(name), interactive=False, pane=BASEMAP_PANE,
                       style_function=lambda f, style=style: STYLE[style]).add_to(water)
    water.add_to(m)


def locator_map(lat: float, lon: float, events: pd.DataFrame, zoom: int = 7) -> folium.Map:
    """A small map centred on one place: the bundled basemap, city labels and ``marker_layer(events)``.

    No legend, date label or online tiles: it only shows where an event happened.
    """
    m = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, control_scale=True,
                   prefer_canvas=True, min_zoom=4, max_zoom=14)
    _basemap_layers(m)
    marker_layer(events).add_to(m)
    assets.localize(m)
    return m
