"""Folium map builders. Each takes data and returns a folium object; none does I/O.

The base map (:func:`base_map`) never depends on the date, so ``st_folium`` does not
remount it when the slider moves; date-dependent layers are separate feature groups.
"""

from __future__ import annotations

import html
from functools import lru_cache

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from shapely.geometry import mapping, shape
from jinja2 import Template

from . import assets, basemap, vocab
from .safety import html_text
from .sources import event_sources, split_sources

__all__ = ["base_map", "locator_map", "places_layer", "event_layer", "legend_html", "STYLE", "CENTER", "ZOOM",
           "EVENT_STYLE", "TERRITORY_STYLE", "territory_layer", "event_points", "events_layer", "date_stamp",
           "DATE_LABEL_ID", "BASEMAP_PANE", "layer_control", "ATTRIBUTION_TEXT", "recent_events_html"]

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
                   prefer_canvas=True, height=height)
    # With tiles=None folium passes min_zoom/max_zoom to no layer; the map itself needs them
    # (the overlay's marker clusters fail with "Map has no maxZoom specified" otherwise).
    m.options.update(min_zoom=4, max_zoom=14)
    _basemap_layers(m)
    _DateLabel().add_to(m)
    _Legend(legend_html(map_legend=True)).add_to(m)
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
    m.get_root().header.add_child(folium.Element(f"<style>.leaflet-container{{background:{STYLE['background']};}}{_CSS}</style>"))
    _Panes().add_to(m)
    _vector_basemap(m)
    _CityLabels(basemap.cities()).add_to(m)


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


def places_layer(control: pd.DataFrame, name: str = "Places") -> folium.FeatureGroup:
    """Places coloured by controller on the date (one GeoJson layer, not one marker per place)."""
    features = []
    for row in control.itertuples(index=False):
        label = vocab.CONTROLLER_LABELS.get(row.controller, row.controller)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
            "properties": {
                "name": html_text(str(row.name)),
                "controller": html_text(label) + (" (contested)" if row.contested else ""),
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


def legend_html(map_legend: bool = False) -> str:
    """An HTML legend of the controller colours (escaped, no scripts); ``map_legend`` adds the event markers."""
    if map_legend:
        return _map_legend_html()
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:12px">'
        f'<span style="width:12px;height:12px;border-radius:6px;background:{vocab.CONTROLLER_COLORS[c]};'
        f'display:inline-block;margin-right:4px;border:1px solid #fff"></span>{html_text(vocab.CONTROLLER_LABELS[c])}</span>'
        for c in vocab.CONTROLLERS
    )
    items += (f'<span style="display:inline-flex;align-items:center"><span style="width:12px;height:12px;border-radius:6px;'
              f'border:3px solid {vocab.CONTESTED_COLOR};display:inline-block;margin-right:4px"></span>Contested</span>')
    return f'<div class="frontline-legend" style="font-size:0.85rem">{items}</div>'


def recent_events_html(events: pd.DataFrame, places: pd.DataFrame, limit: int = 8) -> str:
    """The ``limit`` latest events as a small HTML table, newest first; text escaped.

    Two columns, so that it reads well in the map page's narrow side column: the date (never
    wrapped), then the place in bold over the event type.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2015-05-21"]), "place_id": ["tadmur"],
    ...                    "event_type": ["control_change"]})
    >>> pl = pd.DataFrame({"place_id": ["tadmur"], "name": ["Tadmur <Palmyra>"]})
    >>> html_ = recent_events_html(ev, pl)
    >>> ">2015-05-21</td>" in html_ and "<b>Tadmur &lt;Palmyra&gt;</b>" in html_ and ">Change of control</span>" in html_
    True
    >>> recent_events_html(ev.iloc[:0], pl)
    ''
    """
    if not len(events):
        return ""
    rows = events.sort_values("date", kind="stable").iloc[::-1].head(limit)
    names = places.set_index("place_id")["name"]
    cells = zip(rows["date"].dt.strftime("%Y-%m-%d"), rows["place_id"].map(names).fillna(rows["place_id"]),
                rows["event_type"].map(vocab.EVENT_TYPE_LABELS).fillna(rows["event_type"]))
    td = "padding:3px 6px;vertical-align:top;border-bottom:1px solid rgba(128,128,128,.25)"
    body = "".join(f'<tr><td style="{td};white-space:nowrap;font-variant-numeric:tabular-nums">{d}</td>'
                   f'<td style="{td};line-height:1.25"><b>{html_text(p)}</b><br>'
                   f'<span style="opacity:.7;font-size:0.95em">{html_text(t)}</span></td></tr>'
                   for d, p, t in cells)
    th = "padding:3px 6px;text-align:left;font-weight:600;border-bottom:1px solid rgba(128,128,128,.5)"
    return ('<table class="fl-recent" style="width:100%;font-size:0.8rem;border-collapse:collapse;border:none">'
            f'<thead><tr><th style="{th}">Date</th><th style="{th}">Place and type</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def event_layer(events: pd.DataFrame, name: str = "Events") -> folium.FeatureGroup:
    """Events as red-ringed points with a tooltip (date, place, type); text is escaped."""
    features = []
    for row in events.itertuples(index=False):
        when = pd.Timestamp(row.date).strftime("%Y-%m-%d")
        kind = vocab.EVENT_TYPE_LABELS.get(row.event_type, row.event_type)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
            "properties": {"label": html_text(f"{when}: {kind}"),
                           "place": html_text(str(getattr(row, "place_name", row.place_id)))},
        })
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(radius=8, weight=3, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"fillColor": "#ffffff", "color": "#C8102E", "weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["place", "label"], aliases=["Place", "Event"]),
    ).add_to(group)
    return group


# --- The map's own controls: panes, city labels, date label, legend -----------------------

#: The in-map attribution (short; :data:`ATTRIBUTION_TEXT` is the full one, shown under the map).
SHORT_ATTRIBUTION = ("Natural Earth &middot; GeoNames (CC BY 4.0) &middot; GSHHG &middot; UCDP GED (CC BY 4.0) "
                     "&middot; Frontline events")

#: The bundled basemap is drawn below the tile pane, so online tiles (when switched on)
#: cover it while territory and events stay on top.
BASEMAP_PANE = "frontlineBasemap"
#: The id of the element showing the date on the map (updated by :func:`date_stamp`).
DATE_LABEL_ID = "fl-date-label"

_CSS = (
    ".fl-date{font:700 22px/1.2 system-ui,sans-serif;background:rgba(255,255,255,.92);padding:6px 12px;"
    "border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.35);color:#111}"
    ".fl-city{font:600 11px/1 system-ui,sans-serif;color:#333;white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}"
    ".fl-legend{background:rgba(255,255,255,.94);padding:2px 7px;border-radius:6px;font:10.5px/1.2 system-ui,sans-serif;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:250px}.fl-legend .fl-cols{columns:2;column-gap:8px}"
    ".fl-legend summary{cursor:pointer;font-weight:600;font-size:11.5px;padding:2px 0}"
    ".fl-legend summary:focus-visible{outline:2px solid #0072B2;outline-offset:2px}"
    ".fl-sw{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;border:1px solid #666}"
    # the in-map attribution stays on one line (ellipsis), so it never covers the scale bar;
    # the full text is under the map (ATTRIBUTION_TEXT) and in the tooltip
    ".leaflet-control-attribution{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;"
    "max-width:calc(100vw - 150px)}"
    ".fl-pop{font:13px/1.4 system-ui,sans-serif;max-width:320px}.fl-pop .fl-src{color:#555;font-size:12px}"
    # imported-events clusters (frontline.overlay) in neutral greys, not in the controllers' colours
    ".marker-cluster{background:rgba(40,40,40,.35)!important}"
    ".marker-cluster div{background:rgba(25,25,25,.85)!important;color:#fff!important;font-weight:700}"
)


class _Panes(MacroElement):
    """Map panes: the bundled basemap below the tiles, city labels above everything."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(m){
            m.createPane("frontlineBasemap").style.zIndex = 150;
            var labels = m.createPane("frontlineLabels");
            labels.style.zIndex = 640; labels.style.pointerEvents = "none";
        })({{ this._parent.get_name() }});
    {% endmacro %}""")


class _CityLabels(MacroElement):
    """City names from the bundled Natural Earth places, as text labels (no tiles needed)."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(m){
            var g = L.layerGroup();
            {{ this.cities|tojson }}.forEach(function(c){
                L.marker([c[0], c[1]], {pane: "frontlineLabels", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "fl-city", html: c[2], iconSize: null, iconAnchor: [-4, 6]})}).addTo(g);
            });
            g.addTo(m);
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, cities):
        super().__init__()
        self._name = "CityLabels"
        self.cities = [[c["lat"], c["lon"], html_text(c["name"])] for c in cities]


class _DateLabel(MacroElement):
    """An empty control that shows the date; :func:`date_stamp` fills it in."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(m){
            var c = L.control({position: "topright"});
            c.onAdd = function(){ var d = L.DomUtil.create("div", "fl-date"); d.id = {{ this.label_id|tojson }}; return d; };
            c.addTo(m);
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "DateLabel"
        self.label_id = DATE_LABEL_ID


#: The map legend opens by itself only on a map at least this wide (px); narrower, it starts
#: collapsed to its "Legend" title so that it does not cover the map (a click opens it).
LEGEND_OPEN_MIN_WIDTH = 760


class _Legend(MacroElement):
    """A constant, collapsible legend control (static HTML built from the style dicts).

    It starts open on a wide map and collapsed on a narrow one (:data:`LEGEND_OPEN_MIN_WIDTH`).
    The attribution control gets its full text as a tooltip, as it is cut to one line.
    """

    _template = Template("""{% macro script(this, kwargs) %}
        (function(m){
            var c = L.control({position: "bottomleft"});
            c.onAdd = function(){ var d = L.DomUtil.create("div", "fl-legend"); d.innerHTML = {{ this.html|tojson }};
                var box = d.querySelector("details");
                if (box) { box.open = m.getSize().x >= {{ this.open_min_width }}; }
                L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; };
            c.addTo(m);
            if (m.attributionControl) {
                var a = m.attributionControl.getContainer();
                L.DomEvent.on(a, "mouseenter", function(){ a.title = a.textContent; });
            }
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, legend: str, open_min_width: int = LEGEND_OPEN_MIN_WIDTH):
        super().__init__()
        self._name = "Legend"
        self.html = legend
        self.open_min_width = int(open_min_width)


class _DateStamp(MacroElement):
    """Writes the date into the map's date label (added to a date-dependent feature group)."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(){
            var el = document.getElementById({{ this.label_id|tojson }});
            if (el) { el.textContent = {{ this.text|tojson }}; el.setAttribute("data-date", {{ this.iso|tojson }}); }
        })();
    {% endmacro %}""")

    def __init__(self, day):
        super().__init__()
        self._name = "DateStamp"
        self.label_id = DATE_LABEL_ID
        day = pd.Timestamp(day)
        self.text = f"{day.day} {day:%B %Y}"
        self.iso = day.date().isoformat()


def date_stamp(day) -> MacroElement:
    """An element that shows ``day`` in the map's date label; add it to a date-dependent feature group."""
    return _DateStamp(day)


# --- Territory -----------------------------------------------------------------------------

#: Fill and outline of the territory polygons; contested areas are dashed and brighter.
TERRITORY_STYLE = {
    "default": {"weight": 0.8, "fillOpacity": 0.42, "opacity": 0.9},
    "ISIS": {"weight": 1.2, "fillOpacity": 0.5, "opacity": 1},
    "CONTESTED": {"weight": 2.2, "fillOpacity": 0.5, "dashArray": "6 4", "opacity": 1},
}
_SKIP_CLASSES = {"UNASSIGNED"}


def territory_layer(geojson: dict, name: str = "Territory") -> folium.FeatureGroup:
    """The zones of control of a snapshot, coloured by controller, contested ones dashed.

    ``geojson`` is :attr:`frontline.territory.Snapshot.geojson` (not modified). The
    unassigned land and empty classes are left out; labels are escaped for the tooltip.
    """
    features = []
    for f in geojson.get("features", []):
        p = f["properties"]
        if p["controller"] in _SKIP_CLASSES or not f["geometry"].get("coordinates"):
            continue
        features.append({"type": "Feature", "geometry": f["geometry"], "properties": {
            "controller": p["controller"], "color": p["color"],
            "label": html_text(str(p["label"])),
            "area": f"{p['area_km2']:,.0f} km²",
            "population": f"{p['population']:,}" if p.get("population") else "unknown",
            "places": str(p.get("places", "")),
        }})
    group = folium.FeatureGroup(name=name)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features}, smooth_factor=0.5,
            style_function=lambda f: {"fillColor": f["properties"]["color"], "color": f["properties"]["color"],
                                      **TERRITORY_STYLE.get(f["properties"]["controller"], TERRITORY_STYLE["default"])},
            tooltip=folium.GeoJsonTooltip(fields=["label", "area", "population", "places"],
                                          aliases=["Held by", "Area", "Population of its places", "Places"]),
        ).add_to(group)
    return group


# --- Events --------------------------------------------------------------------------------

#: One marker style per event type (canvas circle markers: fill, outline, size, dash).
EVENT_STYLE: dict[str, dict] = {
    "control_change": {"fillColor": "#F0E442", "color": "#000000", "radius": 7, "weight": 2},
    "offensive_start": {"fillColor": "#E69F00", "color": "#000000", "radius": 6, "weight": 1},
    "offensive_end": {"fillColor": "#FFFFFF", "color": "#E69F00", "radius": 6, "weight": 3},
    "siege_start": {"fillColor": "#CC79A7", "color": "#000000", "radius": 6, "weight": 1},
    "siege_end": {"fillColor": "#FFFFFF", "color": "#CC79A7", "radius": 6, "weight": 3},
    "battle": {"fillColor": "#D55E00", "color": "#FFFFFF", "radius": 5, "weight": 1},
    "airstrike": {"fillColor": "#56B4E9", "color": "#000000", "radius": 5, "weight": 1, "dashArray": "2 2"},
    "attack": {"fillColor": "#444444", "color": "#FFFFFF", "radius": 5, "weight": 1.5},
    "massacre": {"fillColor": "#882255", "color": "#FFFFFF", "radius": 6, "weight": 1.5},
    "declaration": {"fillColor": "#FFFFFF", "color": "#0072B2", "radius": 5, "weight": 3},
}
#: How events older than the highlighted window are drawn.
OLDER_STYLE = {"fillOpacity": 0.22, "opacity": 0.3, "radius": 4}
#: At most this many events are drawn one by one in each age class; beyond it they are
#: aggregated into one circle per ~5 km grid cell, so the map stays fast with any data size.
MAX_POINTS = 1500
_GRID_DEG = 0.05


def _source_lines(source: str, urls: str, kinds: str) -> str:
    """Each source as ``Outlet, date (kind)``, the outlet a link where the source has a URL; escaped HTML."""
    out = []
    for src in event_sources(source, urls, kinds):
        label = html_text(src.outlet)
        if src.url.lower().startswith(("http://", "https://")):
            label = (f'<a href="{html_text(src.url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                     f'{label}</a>')
        when = f", {'read ' if src.accessed else ''}{html_text(src.date)}" if src.date else ""
        kind = f" <span class=\"fl-kind\">({html_text(SOURCE_KIND_LABELS.get(src.kind, src.kind))})</span>" if src.kind else ""
        out.append(f"{label}{when}{kind}")
    if len(split_sources(urls)) != len(out):  # URLs that cannot be paired with a source: listed apart
        extra = _links(urls)
        if extra:
            out.append(extra)
    return "<br>".join(out)


def _links(urls: str) -> str:
    out = []
    for i, url in enumerate(u.strip() for u in str(urls or "").split(" | ")):
        if url.lower().startswith(("http://", "https://")):
            out.append(f'<a href="{html_text(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                       f'link {i + 1}</a>')
    return " ".join(out)


#: Short labels of the source types, for popups.
SOURCE_KIND_LABELS = {"news_agency": "news agency", "newspaper": "newspaper", "broadcaster": "broadcaster",
                      "think_tank": "think tank", "official": "official", "monitor": "monitor", "ngo": "NGO",
                      "state_media": "state media", "party_media": "party's own media", "blog": "blog",
                      "encyclopedia": "encyclopedia"}


def event_points(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Events ready for the map: ``day, lat, lon, event_type, popup, tooltip`` sorted by day.

    ``day`` is the date as an int day number; ``popup`` and ``tooltip`` are HTML in which
    every text from the data is escaped (a summary holding ``<script>`` shows as text).
    Built once per data version and filter; :func:`events_layer` slices it by date.
    """
    names = places.set_index("place_id")["name"]
    ev = events.sort_values("date", kind="stable")
    place = ev["place_id"].map(names).fillna(ev["place_id"]).astype(str)
    type_label = ev["event_type"].map(vocab.EVENT_TYPE_LABELS).fillna(ev["event_type"]).astype(str)
    actors = ev["actors"].fillna("").astype(str).map(
        lambda a: ", ".join(vocab.ACTOR_LABELS.get(x, x) for x in a.split("|") if x))
    date = ev["date"].dt.strftime("%Y-%m-%d")
    esc = np.vectorize(html_text, otypes=[object])

    def col(series):
        return esc(series.to_numpy(dtype=str)) if len(series) else np.array([], dtype=object)

    place_e, type_e, actors_e, summary_e = (col(place), col(type_label), col(actors), col(ev["summary"].fillna("")))
    kinds = ev["source_type"].fillna("") if "source_type" in ev else pd.Series("", index=ev.index)
    sources = [_source_lines(s, u, k) for s, u, k in zip(ev["source"].fillna(""), ev["source_url"].fillna(""), kinds)]
    confidence = col(ev["confidence"].fillna(""))
    after = ev["controller_after"].fillna("").map(lambda c: vocab.CONTROLLER_LABELS.get(c, c)).to_numpy(dtype=object)
    popup = [
        f'<div class="fl-pop"><b>{d}</b> &middot; {p}<br><i>{t}</i>{" &rarr; " + html_text(a) if a else ""}'
        f'<br>Actors: {ac}<br>{su}<div class="fl-src">Confidence: <b>{cf}</b><br>{so}</div></div>'
        for d, p, t, a, ac, su, cf, so in zip(date, place_e, type_e, after, actors_e, summary_e, confidence, sources)
    ]
    tooltip = [f"{d} {p}: {t}" for d, p, t in zip(date, place_e, type_e)]
    return pd.DataFrame({
        "day": ev["date"].values.astype("datetime64[D]").astype(np.int64), "lat": ev["lat"].to_numpy(float),
        "lon": ev["lon"].to_numpy(float), "event_type": ev["event_type"].to_numpy(dtype=object),
        "popup": popup, "tooltip": tooltip,
    })


def _aggregate(points: pd.DataFrame) -> list[list]:
    """One ``[lat, lon, count]`` per grid cell (mean position of its events)."""
    if not len(points):
        return []
    cell = (np.floor(points["lat"] / _GRID_DEG).astype(np.int64) * 100000
            + np.floor(points["lon"] / _GRID_DEG).astype(np.int64))
    g = points.groupby(cell.to_numpy()).agg(lat=("lat", "mean"), lon=("lon", "mean"), n=("lat", "size"))
    return [[round(a, 4), round(b, 4), int(n)] for a, b, n in zip(g["lat"], g["lon"], g["n"])]


class _EventPoints(MacroElement):
    """Events as canvas circle markers, styled per type, with pre-escaped popups and tooltips."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function(parent){
            var S = {{ this.styles|tojson }}, O = {{ this.older_style|tojson }};
            function add(rows, older){
                rows.forEach(function(r){
                    var s = Object.assign({fillOpacity: 0.9, opacity: 1}, S[r[2]] || {}, older ? O : {});
                    L.circleMarker([r[0], r[1]], s).bindPopup(r[3], {maxWidth: 340}).bindTooltip(r[4]).addTo(parent);
                });
            }
            function agg(rows, older){
                rows.forEach(function(r){
                    var s = {radius: Math.min(4 + 3 * Math.log(1 + r[2]), 22), color: "#333", weight: 1,
                             fillColor: "#777", fillOpacity: older ? 0.2 : 0.45, opacity: older ? 0.35 : 0.8};
                    L.circleMarker([r[0], r[1]], s).bindTooltip(r[2] + (older ? " older" : " recent") + " events (zoom in or narrow the filters)").addTo(parent);
                });
            }
            agg({{ this.older_agg|tojson }}, true); add({{ this.older|tojson }}, true);
            agg({{ this.recent_agg|tojson }}, false); add({{ this.recent|tojson }}, false);
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, recent, older, recent_agg, older_agg):
        super().__init__()
        self._name = "EventPoints"
        self.styles, self.older_style = EVENT_STYLE, OLDER_STYLE
        self.recent, self.older, self.recent_agg, self.older_agg = recent, older, recent_agg, older_agg


def _rows(points: pd.DataFrame) -> list[list]:
    return [[round(a, 5), round(b, 5), t, p, tt] for a, b, t, p, tt in
            zip(points["lat"], points["lon"], points["event_type"], points["popup"], points["tooltip"])]


def _split(points: pd.DataFrame, limit: int) -> tuple[list, list]:
    """Individual rows for the ``limit`` most recent points, aggregates for the rest."""
    if len(points) <= limit:
        return _rows(points), []
    return _rows(points.iloc[-limit:]), _aggregate(points.iloc[:-limit])


def events_layer(points: pd.DataFrame, day, window_days: int = 30, show_older: bool = True,
                 max_points: int = MAX_POINTS, name: str = "Events") -> folium.FeatureGroup:
    """Events up to ``day``: the last ``window_days`` highlighted, older ones faded (or left out).

    ``points`` comes from :func:`event_points`. Beyond ``max_points`` per age class the
    oldest events are aggregated per grid cell, so 100,000 events cost no more than a few thousand.
    """
    end = int(pd.Timestamp(day).to_datetime64().astype("datetime64[D]").astype(np.int64))
    days = points["day"].to_numpy()
    hi = int(np.searchsorted(days, end, side="right"))
    lo = int(np.searchsorted(days, end - window_days + 1, side="left"))
    recent, recent_agg = _split(points.iloc[lo:hi], max_points)
    older, older_agg = _split(points.iloc[:lo], max_points) if show_older else ([], [])
    group = folium.FeatureGroup(name=name)
    _EventPoints(recent, older, recent_agg, older_agg).add_to(group)
    return group


def _map_legend_html() -> str:
    def swatch(fill, line, dashed=False, round_=False):
        return (f'<span class="fl-sw" style="background:{fill};border-color:{line};'
                f'{"border-style:dashed;border-width:2px;" if dashed else ""}{"border-radius:7px;" if round_ else ""}"></span>')
    rows = [swatch(vocab.CONTROLLER_COLORS[c], vocab.CONTROLLER_COLORS[c]) + html_text(vocab.CONTROLLER_LABELS[c])
            for c in vocab.CONTROLLERS]
    rows.append(swatch(vocab.CONTESTED_COLOR, "#000", dashed=True) + "Contested")
    events = [swatch(s["fillColor"], s["color"], dashed="dashArray" in s, round_=True)
              + html_text(vocab.EVENT_TYPE_LABELS.get(t, t)) for t, s in EVENT_STYLE.items()]
    return ("<details><summary>Legend</summary><b>Territory</b><div class='fl-cols'>" + "<br>".join(rows)
            + "</div><b>Events</b> (faded: older)<div class='fl-cols'>" + "<br>".join(events) + "</div></details>")


def layer_control() -> folium.LayerControl:
    """The layer switcher (pass it to ``st_folium(layer_control=...)`` so it lists the date's layers too)."""
    return folium.LayerControl(position="topleft", collapsed=True)


#: Every data source of the map, as plain text (for a caption under the map).
ATTRIBUTION_TEXT = html.unescape(basemap.ATTRIBUTION) + (
    " Territory: Frontline estimate from the gazetteer and events. Online layers, when switched on: "
    "OpenStreetMap contributors, CARTO, Esri.")


def locator_map(lat: float, lon: float, events: pd.DataFrame, zoom: int = 7) -> folium.Map:
    """A small map centred on one place: the bundled basemap, city labels and ``event_layer(events)``.

    No legend, date label or online tiles: it only shows where an event happened.
    """
    m = folium.Map(location=(lat, lon), zoom_start=zoom, tiles=None, control_scale=True,
                   prefer_canvas=True, min_zoom=4, max_zoom=14)
    _basemap_layers(m)
    event_layer(events).add_to(m)
    assets.localize(m)
    return m
