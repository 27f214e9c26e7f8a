"""The map's own controls: panes, city labels, the date label and stamp, the legend, the layer switcher."""

from __future__ import annotations

import html
from pathlib import Path

import folium
import folium.plugins
from branca.element import MacroElement
from jinja2 import Template

from .. import vocab
from ..dataset import basemap
from ..safety import html_text
from ..style import EVENT_STYLE

__all__ = ["legend_html", "layer_control", "DATE_LABEL_ID", "BASEMAP_PANE", "ATTRIBUTION_TEXT",
           "SHORT_ATTRIBUTION"]

# --- The map's own controls: panes, city labels, date label, legend -----------------------

#: The in-map attribution (short; :data:`ATTRIBUTION_TEXT` is the full one, shown under the map).
SHORT_ATTRIBUTION = ("Natural Earth &middot; GeoNames (CC BY 4.0) &middot; GSHHG &middot; UCDP GED (CC BY 4.0) "
                     "&middot; Frontline events")

#: The bundled basemap is drawn below the tile pane, so online tiles (when switched on)
#: cover it while territory and events stay on top.
BASEMAP_PANE = "frontlineBasemap"
#: The id of the element showing the date on the map (written by the map's client with each date's layers).
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
    ".fl-fullscreen{display:flex!important;align-items:center;justify-content:center}"
    ".fl-hist{margin-top:6px;font:600 12px system-ui,sans-serif;border:1px solid #888;border-radius:4px;"
    "background:#f4f4f4;padding:3px 8px;cursor:pointer}.fl-hist:focus-visible{outline:2px solid #0072B2}"
    ".fl-stack{font:600 12px/1.3 system-ui,sans-serif;color:#555;margin-bottom:4px}.fl-sep{border:0;border-top:1px solid #ccc;margin:6px 0}"
    ".fl-id{color:#777;font-size:11px}"
    ".fl-pop{font:13px/1.4 system-ui,sans-serif;max-width:320px}.fl-pop .fl-src{color:#555;font-size:12px}"
    # imported-events clusters (frontline.webmap.overlay) in neutral greys, not in the controllers' colours
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


#: The labels' declutter (``declutter.js``): shared by the stand-alone map and the live map's client.
DECLUTTER_JS = (Path(__file__).with_name("declutter.js")).read_text(encoding="utf-8")


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
            {{ this.declutter }}
            flDeclutter(m, g);
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, cities):
        super().__init__()
        self._name = "CityLabels"
        self.cities = [[c["lat"], c["lon"], html_text(c["name"])] for c in cities]
        self.declutter = DECLUTTER_JS


class _DateLabel(MacroElement):
    """An empty control that shows the date; the map's client fills it in (``frontline.webmap.client.events_call``)."""

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
            c.onAdd = function(){ var d = L.DomUtil.create("div", "fl-legend");
                var fill = function(html){ d.innerHTML = html; var box = d.querySelector("details");
                    if (box) { box.open = m.getSize().x >= {{ this.open_min_width }}; } };
                {% if this.url %}FL.fetch({{ this.url|tojson }}).then(function(x){ fill(x.legend); });
                {% else %}fill({{ this.html|tojson }});{% endif %}
                L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; };
            c.addTo(m);
            if (m.attributionControl) {
                var a = m.attributionControl.getContainer();
                L.DomEvent.on(a, "mouseenter", function(){ a.title = a.textContent; });
            }
        })({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self, legend: str, open_min_width: int = LEGEND_OPEN_MIN_WIDTH, url: str | None = None):
        super().__init__()
        self._name = "Legend"
        self.html = "" if url else legend  # with a url: the legend is the "legend" of that JSON file
        self.url = url
        self.open_min_width = int(open_min_width)


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


def _map_legend_html() -> str:
    def swatch(fill, line, dashed=False, round_=False):
        return (f'<span class="fl-sw" style="background:{fill};border-color:{line};'
                f'{"border-style:dashed;border-width:2px;" if dashed else ""}{"border-radius:7px;" if round_ else ""}"></span>')
    rows = [swatch(vocab.CONTROLLER_COLORS[c], vocab.CONTROLLER_COLORS[c]) + html_text(vocab.CONTROLLER_LABELS[c])
            for c in vocab.CONTROLLERS]
    rows.append(swatch("#f4c7df", vocab.CONTESTED_COLOR, dashed=True) + "Contested (outline: its holder keeps it)")
    rows.append(swatch("#d9d9d9", "#d9d9d9") + "Lighter: inferred (roads, rivers, land between one side's places)")
    rows.append(swatch("transparent", "#bbbbbb") + "No colour: not assigned (between the sides, or far from any place)")
    rows.append('<span class="fl-sw" style="background:repeating-linear-gradient(45deg,#0072B2 0 2px,transparent 2px 4px);'
                'border-color:#666"></span>Hatched (when comparing): changed hands since the other date, in the colour '
                "of the side that took it")
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


