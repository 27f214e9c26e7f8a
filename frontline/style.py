"""How things look, in one place: read by the web map (folium), the charts (Altair) and the exports (matplotlib).

The controller colours are the Okabe-Ito palette (colour-blind safe). Each event type has one
colour (:data:`EVENT_COLORS`), used for its marker on the map and its bars in the charts; the
marker's shape and outline (:data:`EVENT_STYLE`) tell the start of an offensive or siege from its end.
"""

from __future__ import annotations

from .vocab import CONTESTED_COLOR, CONTROLLER_COLORS

__all__ = ["CONTROLLER_COLORS", "CONTESTED_COLOR", "EVENT_COLORS", "EVENT_STYLE", "OLDER_STYLE", "controller_color"]

#: The colour of each event type, wherever events are drawn or counted.
EVENT_COLORS: dict[str, str] = {
    "control_change": "#F0E442",
    "offensive_start": "#E69F00",
    "offensive_end": "#B07A00",
    "siege_start": "#CC79A7",
    "siege_end": "#9E4F7E",
    "battle": "#D55E00",
    "airstrike": "#56B4E9",
    "attack": "#444444",
    "massacre": "#882255",
    "declaration": "#0072B2",
}

#: One map marker per event type (canvas circle markers: fill, outline, size, dash). A filled marker
#: shows the type's colour as its fill; a hollow one (the ends, declarations) as its outline.
EVENT_STYLE: dict[str, dict] = {
    "control_change": {"fillColor": EVENT_COLORS["control_change"], "color": "#000000", "radius": 7, "weight": 2},
    "offensive_start": {"fillColor": EVENT_COLORS["offensive_start"], "color": "#000000", "radius": 6, "weight": 1},
    "offensive_end": {"fillColor": "#FFFFFF", "color": EVENT_COLORS["offensive_end"], "radius": 6, "weight": 3},
    "siege_start": {"fillColor": EVENT_COLORS["siege_start"], "color": "#000000", "radius": 6, "weight": 1},
    "siege_end": {"fillColor": "#FFFFFF", "color": EVENT_COLORS["siege_end"], "radius": 6, "weight": 3},
    "battle": {"fillColor": EVENT_COLORS["battle"], "color": "#FFFFFF", "radius": 5, "weight": 1},
    "airstrike": {"fillColor": EVENT_COLORS["airstrike"], "color": "#000000", "radius": 5, "weight": 1,
                  "dashArray": "2 2"},
    "attack": {"fillColor": EVENT_COLORS["attack"], "color": "#FFFFFF", "radius": 5, "weight": 1.5},
    "massacre": {"fillColor": EVENT_COLORS["massacre"], "color": "#FFFFFF", "radius": 6, "weight": 1.5},
    "declaration": {"fillColor": "#FFFFFF", "color": EVENT_COLORS["declaration"], "radius": 5, "weight": 3},
}
#: How events older than the highlighted window are drawn.
OLDER_STYLE = {"fillOpacity": 0.22, "opacity": 0.3, "radius": 4}


def controller_color(code: str, default: str = "#777777") -> str:
    """The colour of a controller code (contested has its own), grey for anything else.

    >>> controller_color("ISIS"), controller_color("CONTESTED"), controller_color("?")
    ('#000000', '#CC79A7', '#777777')
    """
    if code == "CONTESTED":
        return CONTESTED_COLOR
    return CONTROLLER_COLORS.get(code, default)
