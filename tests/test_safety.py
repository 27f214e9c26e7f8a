"""Text from the data can neither run script in the browser nor Jinja on the server."""

from __future__ import annotations

import pandas as pd
import streamlit_folium as sf
import folium

from frontline.webmap import layers
from frontline.dataset.load import load
from frontline.safety import html_text
from conftest import FIXTURES


def test_braces_become_character_references():
    assert html_text("{% for x in y %}{{ x }}{% endfor %}") == "&#123;% for x in y %&#125;&#123;&#123; x &#125;&#125;&#123;% endfor %&#125;"


def test_a_jinja_expression_in_a_summary_is_shown_not_evaluated():
    ds = load(FIXTURES / "events.csv", FIXTURES / "places.csv")
    events = ds.events.copy()
    events.loc[0, "summary"] = "Payload {{ 7*7 }} and {% if true %}branch{% endif %} and {# note #}"
    events.loc[0, "source_url"] = "https://example.org/{{ config }}"
    points = layers.event_points(events, ds.places)
    popups = points["popup"].str.cat()
    assert "Payload &#123;&#123; 7*7 &#125;&#125; and &#123;% if true %&#125;branch&#123;% endif %&#125;" in popups
    assert "Payload 49" not in popups and "{{" not in popups
    # a rendered folium layer of those popups keeps them as text too (the standalone export renders folium)
    layer = layers.marker_layer(events.assign(place_name=events["summary"]))
    script = sf._get_feature_group_string(layer, folium.Map(tiles=None), 0)
    assert "Payload 49" not in script


def test_the_standalone_map_shows_a_jinja_expression_as_text():
    from frontline.export.briefing import Briefing
    from frontline.export.standalone import event_features
    from frontline.history.territory import TerritoryModel

    ds = load(FIXTURES / "events.csv", FIXTURES / "places.csv")
    events = ds.events.copy()
    events.loc[0, "summary"] = "Payload {{ 7*7 }} <b>bold</b>"
    feats = event_features(Briefing(ds.places, events, TerritoryModel(ds.places, events)))
    assert feats[0]["properties"]["summary"] == "Payload &#123;&#123; 7*7 &#125;&#125; &lt;b&gt;bold&lt;/b&gt;"
