"""A stand-alone interactive map: one HTML file with its own time slider, opening offline.

Territory (one feature per class and period in which its shape holds) and events are
two ``folium.plugins.Timeline`` layers driven by one ``TimelineSlider`` (Play, step,
keyboard) from 2014 to 2019. Every script, stylesheet and image is inlined (CSS
images as ``data:`` URIs), so no request leaves the file. Events are circle markers,
so Leaflet's default marker images are never needed.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
import weakref
from pathlib import Path

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
from folium.utilities import JsCode

from .. import config, vocab
from ..webmap import assets, base
from ..errors import ExportError
from ..safety import html_text
from ..style import EVENT_STYLE
from .briefing import METHOD_NOTE, UNASSIGNED, Briefing, controller_color, controller_label

__all__ = ["standalone_html", "inline_assets", "territory_features", "event_features", "SIMPLIFY_DEG"]

#: Simplification of territory outlines (degrees; ~1 km) and coordinate precision.
SIMPLIFY_DEG = 0.01
COORD_DECIMALS = 3
_SENTINEL = "frontline-inline:"
CAPTURE_METHOD = ("Territory: estimated from the places each side held (Frontline atlas method, "
                  "docs/methodology_territory.md), not a surveyed front line.")


def _round_coords(geom) -> dict:
    """GeoJSON geometry of ``geom`` with coordinates rounded to ``COORD_DECIMALS``."""
    return shapely.geometry.mapping(shapely.transform(geom, lambda xy: np.round(xy, COORD_DECIMALS)))


#: Features already made, per model (forgotten with the model).
_FEATURES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def territory_features(briefing: Briefing, progress=None) -> list[dict]:
    """One GeoJSON feature per class and run of dates over which its land does not change.

    Properties: ``controller, label, color, start, end, endExclusive``, ``area``. ``start`` is the first
    day of the run and ``end`` the day the next shape starts (``endExclusive``), so every time of every
    day falls in exactly one run: an inclusive end date read as midnight would leave the rest of its
    last day with no shape. Each run's land is made once, when the run ends (from the model's face masks).
    """
    model = briefing.model
    dates = [d for d in model.state_dates if d <= pd.Timestamp(vocab.PERIOD_END)]
    end_of_period = pd.Timestamp(vocab.PERIOD_END) + pd.Timedelta(days=1)
    runs: dict[str, list] = {}
    features = []

    made = _FEATURES.setdefault(model, {})  # the same run's feature again (another export of the model)

    def close(ctrl, run, end):
        if run[1].any():
            key = (ctrl, run[0], end, np.packbits(run[1]).tobytes())
            if key not in made:
                geom, area = model.mask_geometry(run[1], ctrl)
                made[key] = None if geom.is_empty else _territory_feature(ctrl, geom, run[0], end, area)
            if made[key] is not None:
                features.append(made[key])

    for i, day in enumerate(dates):
        for ctrl, mask in model.class_masks(day).items():
            run = runs.get(ctrl)
            if run is not None and np.array_equal(run[1], mask):
                continue
            if run is not None:
                close(ctrl, run, day)
            runs[ctrl] = [day, mask]
        if progress:
            progress((i + 1) / len(dates), f"territory {day.date()}")
    for ctrl, run in runs.items():
        close(ctrl, run, end_of_period)
    return features


def _territory_feature(ctrl, geom, start, end, area) -> dict:
    """A run's feature: shown from ``start`` 00:00 UTC up to (not including) ``end`` 00:00 UTC."""
    simple = shapely.simplify(geom, SIMPLIFY_DEG, preserve_topology=True)
    return {"type": "Feature", "geometry": _round_coords(simple),
            "properties": {"controller": ctrl, "label": controller_label(ctrl), "color": controller_color(ctrl),
                           "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}", "endExclusive": True,
                           "area": round(area, -1)}}


def event_features(briefing: Briefing) -> list[dict]:
    """Filtered events as point features shown for ``window_days`` from their date (to the end of the last
    day: ``end`` is exclusive), styled as on the dashboard."""
    ev = briefing._shown
    info = briefing.places.set_index("place_id")["name"]
    out = []
    for r in ev.itertuples(index=False):
        end = r.date + pd.Timedelta(days=briefing.window_days)
        style = EVENT_STYLE.get(r.event_type, {})
        color, line = style.get("fillColor", "#ffffff"), style.get("color", "#111111")
        out.append({"type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [round(float(r.lon), 4), round(float(r.lat), 4)]},
                    "properties": {"start": f"{r.date:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}", "endExclusive": True,
                                   "color": color, "line": line,
                                   "kind": vocab.EVENT_TYPE_LABELS.get(r.event_type, r.event_type),
                                   "place": html_text(str(info.get(r.place_id, r.place_id))),
                                   "date": f"{r.date:%Y-%m-%d}", "summary": html_text(str(r.summary))}})
    return out


_TERRITORY_STYLE = JsCode("""function (f) {
  var c = f.properties.controller === 'CONTESTED';
  return {color: f.properties.color, weight: c ? 1.5 : 0.8, fillColor: f.properties.color,
          fillOpacity: c ? 0.25 : (f.properties.controller === 'ISIS' ? 0.65 : 0.5), dashArray: c ? '4 3' : null};
}""")
_TERRITORY_TOOLTIP = JsCode("""function (f, layer) {
  layer.bindTooltip(f.properties.label + ': about ' + Math.round(f.properties.area).toLocaleString('en') + ' km\\u00b2', {sticky: true});
}""")
_EVENT_POINT = JsCode("""function (f, latlng) {
  return L.circleMarker(latlng, {radius: 6, color: f.properties.line, weight: 1.5, fillColor: f.properties.color, fillOpacity: 1});
}""")
_EVENT_POPUP = JsCode("""function (f, layer) {
  layer.bindTooltip('<b>' + f.properties.date + ' \\u00b7 ' + f.properties.place + '</b><br>' + f.properties.kind +
                    '<br><span style="max-width:320px;display:inline-block;white-space:normal">' + f.properties.summary + '</span>');
}""")


class _Overlay(folium.MacroElement):
    """Title, date readout and ISIS area that follow the slider; sources and method; marking banner."""

    _template = folium.template.Template("""
{% macro html(this, kwargs) %}
<div id="fl-title" style="position:fixed;top:{{ 30 if this.marking else 10 }}px;left:60px;z-index:1000;background:rgba(255,255,255,.92);padding:8px 14px;
 border-radius:4px;font-family:sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">
 <div style="font-size:18px;font-weight:bold">{{ this.title }}</div>
 <div id="fl-date" style="font-size:28px;font-weight:bold"></div>
 <div id="fl-area" style="font-size:14px"></div>
 {% if this.area_name %}<div style="font-size:14px;font-weight:bold">{{ this.area_name }}</div>{% endif %}
 {% if not this.capture %}<div style="font-size:11px;color:#555;max-width:300px">Circles: events of the {{ this.window }} days to the date (colours as in the
 legend). Unshaded land: not assigned. Play, or drag the slider.</div>{% endif %}
</div>
<style>.leaflet-bottom.leaflet-left{width:70% !important}</style>
{% if this.marking %}
<div style="position:fixed;top:0;left:0;right:0;z-index:1001;text-align:center;background:#f3e9e4;color:#7a1010;font:bold 13px sans-serif;padding:2px">{{ this.marking }}</div>
{% endif %}
{% if not this.capture %}<details style="position:fixed;top:{{ 30 if this.marking else 10 }}px;right:10px;z-index:1000;background:rgba(255,255,255,.92);padding:4px 8px;max-width:420px;font:12px sans-serif">
 <summary>Sources and method</summary><p>{{ this.sources }}</p><p>{{ this.method }}</p></details>{% endif %}
{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var areas = {{ this.areas }};
  var tl = {{ this.timeline }};
  function fmt(t) { return new Date(t).toLocaleDateString('en-GB', {day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'}); }
  function update() {
    var t = tl.time, a = 0;
    for (var i = 0; i < areas.length; i++) { if (Date.parse(areas[i][0]) <= t) { a = areas[i][1]; } }
    document.getElementById('fl-date').textContent = fmt(t);
    document.getElementById('fl-area').textContent = 'ISIS: about ' + (Math.round(a / 100) * 100).toLocaleString('en') + ' km\\u00b2';
  }
  tl.on('change', update);
  var start = {{ this.start }};
  if (start) { {{ this.slider }}.setTime(Date.parse(start)); }
  update();
})();
{% endmacro %}
""")

    def __init__(self, timeline, slider, start, title, areas, window, marking, sources, method, capture=False,
                 area_name=""):
        super().__init__()
        self.capture = bool(capture)
        self.area_name = html_text(area_name)
        self._name = "FrontlineOverlay"
        self.timeline = timeline.get_name()
        self.slider = slider.get_name()
        self.start = json.dumps(f"{pd.Timestamp(start):%Y-%m-%d}" if start is not None else "")
        self.title = html_text(title)
        self.areas = json.dumps(areas)
        self.window = int(window)
        self.marking = html_text(marking)
        self.sources = html_text(sources)
        self.method = html_text(method)


class _CaptureFrame(folium.MacroElement):
    """For a capture fit for a slide: every control hidden (zoom, fullscreen, layers, the slider and its
    Play, the sources toggle, the map's own legend), a legend of the date, the scale bar and a source line."""

    _template = folium.template.Template("""
{% macro html(this, kwargs) %}
<style>
.leaflet-control-zoom,.leaflet-control-fullscreen,.leaflet-control-layers,.leaflet-timeline-control,.fl-legend,
.leaflet-control-attribution,#fl-date-label{display:none !important}
.leaflet-bottom{bottom:{{ this.footer_px }}px !important}
.leaflet-control-scale-line{font:13px sans-serif;background:rgba(255,255,255,.85)}
#fl-capture-legend{position:fixed;right:12px;bottom:{{ this.footer_px + 10 }}px;z-index:1000;background:rgba(255,255,255,.94);
 padding:8px 12px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px sans-serif;color:#1e1e1e}
#fl-capture-legend .sw{display:inline-block;width:14px;height:14px;margin-right:7px;vertical-align:-2px;border:1px solid}
#fl-capture-legend td{padding:1px 4px}
#fl-capture-source{position:fixed;left:0;right:0;bottom:0;height:{{ this.footer_px }}px;z-index:1000;background:#fff;
 border-top:1px solid #ccc;padding:4px 12px;box-sizing:border-box;font:11px sans-serif;color:#555;overflow:hidden}
</style>
<div id="fl-capture-legend"><div style="font-weight:bold;margin-bottom:4px">Territory (estimated{{ this.whole }})</div><table>{{ this.rows }}</table>
<div style="margin-top:4px;color:#555;font-size:11px">Circles: events of the {{ this.window }} days to the date. Unshaded: not assigned.</div></div>
<div id="fl-capture-source">{{ this.sources }} {{ this.method }}</div>
{% endmacro %}
""")

    def __init__(self, rows: str, window: int, sources: str, method: str, footer_px: int = 46, whole: bool = False):
        super().__init__()
        self.whole = ", whole theatre" if whole else ""
        self._name = "FrontlineCapture"
        self.rows, self.window, self.footer_px = rows, int(window), int(footer_px)
        self.sources, self.method = html_text(sources), html_text(method)


def _legend_rows(briefing: Briefing, when) -> str:
    """The legend's rows on ``when``: a swatch, the side and its km² (escaped)."""
    from .briefing import format_area

    areas = briefing.areas(when)
    areas = areas[(areas["controller"] != UNASSIGNED) & (areas["area_km2"] > 0)]
    rows = []
    for r in areas.itertuples(index=False):
        opacity = "0.25" if r.controller == "CONTESTED" else ("0.65" if r.controller == "ISIS" else "0.5")
        swatch = (f'<span class="sw" style="background:{html_text(r.color)};opacity:1;border-color:{html_text(r.color)};'
                  f'filter:opacity({opacity})"></span>')
        rows.append(f"<tr><td>{swatch}{html_text(r.label)}</td><td style='text-align:right'>"
                    f"{html_text(format_area(r.area_km2))}</td></tr>")
    return "".join(rows)


def _ms(day) -> int:
    """Milliseconds since 1970 of a date at 00:00 UTC (the slider works in numbers).

    >>> _ms("2014-01-01")
    1388534400000
    """
    return int(pd.Timestamp(day).value // 1_000_000)


def _isis_areas(features: list[dict]) -> list:
    """``[[date, km²], ...]``: ISIS's area from each of its runs' first day (0 from the end of a run that no
    other follows), for the readout; the same faces and areas as the model's area series."""
    runs = sorted((f["properties"] for f in features if f["properties"]["controller"] == "ISIS"),
                  key=lambda p: p["start"])
    out = []
    for i, p in enumerate(runs):
        out.append([p["start"], p["area"]])
        if i + 1 == len(runs) or runs[i + 1]["start"] != p["end"]:
            out.append([p["end"], 0.0])
    return out


def build_map(briefing: Briefing, marking: str = "", title: str = "ISIS territory in Syria and Iraq",
              start=None, progress=None, capture: bool = False) -> folium.Map:
    """The folium map with territory and event timelines, slider and overlay (assets not yet inlined).

    With ``capture`` the page is made for a screenshot fit for a slide (:class:`_CaptureFrame`).
    """
    m = base.base_map(height="100%", online_tiles=False, local_assets=False)
    w, s, e, n = briefing.bounds or (35.5, 29.0, 48.6, 37.4)
    m.fit_bounds([[s, w], [n, e]])
    features = territory_features(briefing, progress)
    territory = folium.plugins.Timeline({"type": "FeatureCollection", "features": features},
                                        style=_TERRITORY_STYLE, on_each_feature=_TERRITORY_TOOLTIP)
    territory.add_to(m)
    events = folium.plugins.Timeline({"type": "FeatureCollection", "features": event_features(briefing)},
                                     point_to_layer=_EVENT_POINT, on_each_feature=_EVENT_POPUP)
    events.add_to(m)
    slider = folium.plugins.TimelineSlider(
        auto_play=False, date_options="D MMM YYYY", start=_ms(vocab.PERIOD_START), end=_ms(vocab.PERIOD_END), enable_keyboard_controls=True, show_ticks=False,
        steps=int((pd.Timestamp(vocab.PERIOD_END) - pd.Timestamp(vocab.PERIOD_START)).days // 7),
        playback_duration=60000)
    slider.add_timelines(territory, events).add_to(m)
    _Overlay(territory, slider, start, title, _isis_areas(features), briefing.window_days,
             marking, briefing.sources_note(), METHOD_NOTE, capture, briefing.area_name).add_to(m)
    if capture:
        m.options.update(zoom_snap=0.1)  # fit the analyst's box closely, not to a whole zoom level
        _CaptureFrame(_legend_rows(briefing, start or vocab.PERIOD_END), briefing.window_days,
                      briefing.sources_note(), CAPTURE_METHOD, whole=briefing.bounds is not None).add_to(m)
    return m


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with every relative ``url(...)`` turned into a ``data:`` URI."""
    css = path.read_text(encoding="utf-8")

    def repl(m):
        ref = m.group(1).strip("'\"")
        if ref.startswith(("data:", "#")):
            return m.group(0)
        target = (path.parent / ref).resolve()
        return f"url({_data_uri(target)})" if target.exists() else "url()"

    return re.sub(r"url\(([^)]*)\)", repl, css).replace("</style", "<\\/style")


def inline_assets(page: str, vendor_dir: Path = config.VENDOR_DIR) -> str:
    """Replace the sentinel ``<script src>`` and ``<link href>`` of a rendered page with the files' contents."""
    def script(m):
        path = vendor_dir / m.group(1)
        return "<script>" + path.read_text(encoding="utf-8").replace("</script", "<\\/script") + "</script>"

    def link(m):
        return "<style>" + _inline_css(vendor_dir / m.group(1)) + "</style>"

    esc = re.escape(_SENTINEL)
    page = re.sub(rf'<script src="{esc}/([^"]+)"></script>', lambda m: script(m), page)
    page = re.sub(rf'<link rel="stylesheet" href="{esc}/([^"]+)"\s*/?>', lambda m: link(m), page)
    return page


def standalone_html(briefing: Briefing, marking: str = "", start=None, progress=None,
                    vendor_dir: Path = config.VENDOR_DIR, capture: bool = False) -> str:
    """The whole stand-alone page as a string (see the module docstring); ``capture``: for a screenshot."""
    missing = assets.missing(vendor_dir)
    if missing:
        raise ExportError(f"the map's scripts are not installed ({', '.join(missing)} missing in {vendor_dir}); "
                          "run 'make assets' (or: cd web && npm install && python -m frontline assets)")
    m = build_map(briefing, marking, start=start, progress=progress, capture=capture)
    assets.localize(m, base_url=_SENTINEL)
    page = inline_assets(m.get_root().render(), vendor_dir)
    left = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:)?//[^"]*"', page)
    if left:
        raise ExportError(f"{len(left)} script or stylesheet reference(s) could not be inlined; "
                          "add the asset to frontline.webmap.assets.LOCAL_ASSETS")
    return page
