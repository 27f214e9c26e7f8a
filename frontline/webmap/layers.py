"""What the map's layers are made of: the territory's styles, event points with their popups (built once per
data version and filter; the live map's client draws them, :mod:`frontline.webmap.client`), places and event markers.

Every text from the data is escaped (:func:`frontline.safety.html_text`) before it reaches a popup.
"""

from __future__ import annotations


import folium
import numpy as np
import pandas as pd

from .. import vocab
from ..safety import html_text
from ..dataset.sources import event_sources, split_sources

__all__ = ["event_points", "marker_layer", "places_layer", "TERRITORY_STYLE", "INFERRED_STYLE", "MAX_POINTS", "GRID_DEG",
           "SOURCE_KIND_LABELS"]

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


def marker_layer(events: pd.DataFrame, name: str = "Events") -> folium.FeatureGroup:
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


# --- Territory -----------------------------------------------------------------------------

#: Fill and outline of the territory polygons; contested areas are dashed and brighter.
TERRITORY_STYLE = {
    "default": {"weight": 0.8, "fillOpacity": 0.42, "opacity": 0.9},
    "ISIS": {"weight": 1.2, "fillOpacity": 0.5, "opacity": 1},
    # contested land stays its holder's: drawn on top as a dashed outline over a light tint
    "CONTESTED": {"weight": 2.4, "fillOpacity": 0.12, "dashArray": "6 4", "opacity": 1},
}
#: Land the model infers (roads, rivers, land enclosed by one side's places): a white wash over the holder's colour.
INFERRED_STYLE = {"fillColor": "#ffffff", "fillOpacity": 0.45, "weight": 0, "opacity": 0}


# --- Events --------------------------------------------------------------------------------

#: At most this many events are drawn one by one in each age class; beyond it the map's client
#: groups the oldest into one circle per GRID_DEG grid cell, so the map stays fast with any data size.
MAX_POINTS = 1500
GRID_DEG = 0.05


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
    """Events ready for the map: ``day, lat, lon, event_type, popup, tooltip, event_id, place, place_id`` sorted by day.

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
    ids = col(ev["event_id"].astype(str))
    popup = [
        f'<div class="fl-pop"><b>{d}</b> &middot; {p} <span class="fl-id">{i}</span><br><i>{t}</i>'
        f'{" &rarr; " + html_text(a) if a else ""}'
        f'<br>Actors: {ac}<br>{su}<div class="fl-src">Confidence: <b>{cf}</b><br>{so}</div></div>'
        for d, p, i, t, a, ac, su, cf, so in zip(date, place_e, ids, type_e, after, actors_e, summary_e, confidence, sources)
    ]
    tooltip = [f"{d} {p}: {t}" for d, p, t in zip(date, place_e, type_e)]
    return pd.DataFrame({
        "day": ev["date"].values.astype("datetime64[D]").astype(np.int64), "lat": ev["lat"].to_numpy(float),
        "lon": ev["lon"].to_numpy(float), "event_type": ev["event_type"].to_numpy(dtype=object),
        "popup": popup, "tooltip": tooltip, "event_id": ev["event_id"].astype(str).to_numpy(dtype=object),
        "place": place_e, "place_id": ev["place_id"].astype(str).to_numpy(dtype=object),
    })
