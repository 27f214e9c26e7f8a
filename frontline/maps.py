"""Folium map builders. Each takes data and returns a folium object; none does I/O.

The base map (:func:`base_map`) never depends on the date, so ``st_folium`` does not
remount it when the slider moves; date-dependent layers are separate feature groups.
"""

from __future__ import annotations

import html

import folium
import folium.plugins
import pandas as pd

from . import assets, basemap, vocab

__all__ = ["base_map", "places_layer", "legend_html", "STYLE", "CENTER", "ZOOM"]

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


def base_map(height: str = "100%", online_tiles: bool = True, local_assets: bool = True) -> folium.Map:
    """The constant base map: bundled vector basemap, scale bar, fullscreen, optional online tiles."""
    m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None, control_scale=True,
                   prefer_canvas=True, height=height, min_zoom=4, max_zoom=14)
    m.get_root().header.add_child(folium.Element(
        f"<style>.leaflet-container{{background:{STYLE['background']};}}</style>"))
    _vector_basemap(m)
    if online_tiles:
        for name, tiles, attr in _ONLINE_TILES:
            folium.TileLayer(tiles=tiles, name=name, attr=attr, show=False, overlay=True,
                             control=True, opacity=1.0).add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    if local_assets:
        assets.localize(m)
    return m


_ONLINE_TILES = [
    ("OpenStreetMap (online)", "OpenStreetMap", "&copy; OpenStreetMap contributors"),
    ("Light basemap (online)", "CartoDB positron", "&copy; OpenStreetMap contributors &copy; CARTO"),
    ("Dark basemap (online)", "CartoDB dark_matter", "&copy; OpenStreetMap contributors &copy; CARTO"),
    ("Satellite (online)", "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
     "Imagery &copy; Esri"),
]


def _vector_basemap(m: folium.Map) -> None:
    countries = basemap.layer("countries")
    focus = {"SYR", "IRQ"}
    folium.GeoJson(
        countries, name="Countries", control=False, interactive=False,
        style_function=lambda f: STYLE["focus_country"] if f["properties"]["adm0_a3"] in focus else STYLE["country"],
        attribution=basemap.ATTRIBUTION,
    ).add_to(m)
    folium.GeoJson(basemap.layer("governorates"), name="Governorates", interactive=False,
                   style_function=lambda f: STYLE["governorate"]).add_to(m)
    water = folium.FeatureGroup(name="Rivers and lakes")
    folium.GeoJson(basemap.layer("lakes"), interactive=False, style_function=lambda f: STYLE["lake"]).add_to(water)
    folium.GeoJson(basemap.layer("rivers"), interactive=False, style_function=lambda f: STYLE["river"]).add_to(water)
    folium.GeoJson(basemap.layer("khabur"), interactive=False, style_function=lambda f: STYLE["river"]).add_to(water)
    water.add_to(m)


def places_layer(control: pd.DataFrame, name: str = "Places") -> folium.FeatureGroup:
    """Places coloured by controller on the date (one GeoJson layer, not one marker per place)."""
    features = []
    for row in control.itertuples(index=False):
        label = vocab.CONTROLLER_LABELS.get(row.controller, row.controller)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
            "properties": {
                "name": html.escape(str(row.name)),
                "controller": html.escape(label) + (" (contested)" if row.contested else ""),
                "color": vocab.CONTROLLER_COLORS.get(row.controller, "#777777"),
                "contested": bool(row.contested),
            },
        })
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(radius=5, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"fillColor": f["properties"]["color"], "color": "#ffffff" if not f["properties"]["contested"] else vocab.CONTESTED_COLOR,
                                  "weight": 1 if not f["properties"]["contested"] else 3},
        tooltip=folium.GeoJsonTooltip(fields=["name", "controller"], aliases=["Place", "Held by"]),
    ).add_to(group)
    return group


def legend_html() -> str:
    """An HTML legend of the controller colours (escaped, no scripts)."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:12px">'
        f'<span style="width:12px;height:12px;border-radius:6px;background:{vocab.CONTROLLER_COLORS[c]};'
        f'display:inline-block;margin-right:4px;border:1px solid #fff"></span>{html.escape(vocab.CONTROLLER_LABELS[c])}</span>'
        for c in vocab.CONTROLLERS
    )
    items += (f'<span style="display:inline-flex;align-items:center"><span style="width:12px;height:12px;border-radius:6px;'
              f'border:3px solid {vocab.CONTESTED_COLOR};display:inline-block;margin-right:4px"></span>Contested</span>')
    return f'<div class="frontline-legend" style="font-size:0.85rem">{items}</div>'
