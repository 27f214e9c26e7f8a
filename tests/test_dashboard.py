"""The dashboard without a browser: AppTest runs of the page, and its map layers built directly.

AppTest cannot run the map component, but it exposes the arguments sent to it: the base
map's script (which must never change, or the map remounts) and the date's layers.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import FIXTURES, ROOT, map_panel, shown
from frontline import config
from frontline.webmap import layers
from frontline.intake import importers
from frontline.dataset.load import load
from frontline.history.filters import EventFilter


def _map_args(at):
    comp = at.get("component_instance")
    assert comp, "the map component is missing"
    return json.loads(comp[0].proto.json_args)


def _panel(at) -> str:
    """The figures panel beside the map (drawn in the map's frame)."""
    return map_panel(at)


def _app(**params):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_dashboard_renders_slider_map_and_figures_without_exceptions():
    at = _app()
    assert not at.exception, at.exception
    assert at.slider(key="fl_slider").value == dt.date(2015, 6, 1)
    args = _map_args(at)
    assert [link.rsplit("-", 1)[0] for link in args["js_links"]] == ["/app/static/data/leaflet-client"]  # one file
    bundle = (config.STATIC_DIR / "data" / args["js_links"][0].rsplit("/", 1)[1]).read_text(encoding="utf-8")
    leaflet = (config.STATIC_DIR / "vendor" / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert bundle.startswith(leaflet) and "FL.panel = function" in bundle  # Leaflet, then the map's client
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert '"2015-06-01"' in args["feature_group"]  # the date label is set by the date's layers
    panel = _panel(at)
    assert [t.split("</dt>")[0] for t in panel.split("<dt>")[1:]] == [
        "ISIS-held area (estimate)", "People under ISIS (estimate)", "Places held by ISIS"]
    assert "<h3>1 June 2015</h3>" in panel and "Events in the last 30 days" in panel


def test_moving_the_slider_changes_only_the_layers():
    at = _app()
    before = _map_args(at)
    at.slider(key="fl_slider").set_value(dt.date(2018, 1, 1)).run()
    after = _map_args(at)
    assert before["script"] == after["script"]  # the base map is constant: no remount
    assert before["feature_group"] != after["feature_group"]
    assert '"2018-01-01"' in after["feature_group"]
    assert at.query_params["date"] == "2018-01-01"


def test_step_buttons_move_the_date_by_a_day_a_week_and_a_month():
    at = _app(date="2016-01-31")
    at.button(key="step_day ›").click().run()
    assert at.slider(key="fl_slider").value == dt.date(2016, 2, 1)
    at.button(key="step_‹ week").click().run()
    assert at.slider(key="fl_slider").value == dt.date(2016, 1, 25)
    at.button(key="step_month »").click().run()
    assert at.slider(key="fl_slider").value == dt.date(2016, 2, 25)


def test_milestone_jumps_to_its_date():
    at = _app()
    at.radio(key="opt_milestone").set_value("Mosul liberated").run()
    assert at.slider(key="fl_slider").value == dt.date(2017, 7, 10)
    assert '"2017-07-10"' in _map_args(at)["feature_group"]


def test_link_restores_date_filters_and_view():
    at = _app(date="2017-10-17", country="SY", type="control_change", q="raqqa", lat="35.9", lon="39.0", zoom="9")
    assert not at.exception, at.exception
    assert at.slider(key="fl_slider").value == dt.date(2017, 10, 17)
    assert at.multiselect(key="flt_country").value == ["SY"]
    assert at.multiselect(key="flt_type").value == ["control_change"]
    assert at.text_input(key="flt_q").value == "raqqa"
    args = _map_args(at)
    assert args["center"] == [35.9, 39.0] and args["zoom"] == 9


def test_unknown_date_and_filter_in_link_fall_back_with_a_notice():
    at = _app(date="2031-02-30", actor="MARTIANS")
    assert not at.exception, at.exception
    assert at.slider(key="fl_slider").value == dt.date(2015, 6, 1)
    notices = [shown(i.value) for i in at.info]
    assert "Ignored date=2031-02-30 in the link: it is not a date (expected YYYY-MM-DD); showing 2015-06-01." in notices
    assert any(n.startswith("Ignored actor=MARTIANS in the link: not a known code") for n in notices)


# --- the layers, built directly ---------------------------------------------------------------

def _fixture_points():
    ds = load(ROOT / "tests/fixtures/dashboard/events.csv", ROOT / "tests/fixtures/dashboard/places.csv")
    return ds, layers.event_points(ds.events, ds.places)


def test_event_popups_escape_text_from_the_data():
    _, points = _fixture_points()
    popup = points.loc[points["popup"].str.contains("Hostile"), "popup"].iloc[0]
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in popup
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in popup
    assert "<script" not in popup and "<img" not in popup
    assert "&lt;b&gt;Evil source&lt;/b&gt;" in popup
    assert "javascript:" not in popup  # only http(s) links become anchors
    assert 'href="https://example.org/a?b=1&amp;c=2"' in popup


def test_a_dates_events_state_names_the_file_the_window_and_the_filters_mask():
    from frontline.webmap import client

    group = client.events_call("/app/static/data/events-x.json", "2015-06-01", 30, False, "oA==", 1500, 0.05)
    st = group.state
    assert st["url"] == "/app/static/data/events-x.json" and st["window"] == 30 and st["older"] is False
    assert st["day"] == 16587 and st["mask"] == "oA==" and st["stamp"]["iso"] == "2015-06-01"
    assert st["stamp"]["text"] == "1 June 2015"
    assert "Palmyra" not in group.script("g")  # no event text travels with a date: it is in the events file


# --- the shared filters ------------------------------------------------------------------------

def test_the_sidebar_says_what_the_filters_keep_and_clears_them():
    at = _app(date="2016-01-01")
    assert "Showing every event." in [c.value for c in at.caption]
    at.multiselect(key="flt_country").set_value(["SY"]).run()
    at.text_input(key="flt_q").set_value("raqqa").run()
    assert "Showing events matching: Syria; matching 'raqqa'." in [shown(c.value) for c in at.caption]
    at.button(key="flt_clear_sidebar").click().run()
    assert not at.exception, at.exception
    assert at.multiselect(key="flt_country").value == [] and at.text_input(key="flt_q").value == ""
    assert at.session_state["fl_filters"] == EventFilter()
    assert "Showing every event." in [c.value for c in at.caption]


def test_changing_a_sidebar_filter_keeps_the_filters_set_on_the_events_page():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["fl_filters"] = EventFilter(start=pd.Timestamp("2016-01-01"), end=pd.Timestamp("2016-12-31"),
                                                 control_changes_only=True, controllers_after=("SDF",))
    at.run()
    at.multiselect(key="flt_country").set_value(["SY"]).run()
    assert not at.exception, at.exception
    assert at.session_state["fl_filters"] == EventFilter(
        countries=("SY",), start=pd.Timestamp("2016-01-01"), end=pd.Timestamp("2016-12-31"),
        control_changes_only=True, controllers_after=("SDF",))
    assert ("Also filtered on the Events page: from 2016-01-01 to 2016-12-31; changes of control only; "
            "new controller SDF / YPG.") in [shown(c.value) for c in at.caption]
    at.button(key="flt_clear_extra").click().run()
    assert at.session_state["fl_filters"] == EventFilter(countries=("SY",))
    assert not any(c.value.startswith("Also filtered") for c in at.caption)


# --- the imported-events overlay ---------------------------------------------------------------

@pytest.fixture
def imports_dir(tmp_path, monkeypatch):
    """An imports folder holding the UCDP fixture sample, imported as ``python -m frontline import`` does."""
    table, _ = importers.import_file(FIXTURES / "intake" / "ucdp_ged_sample.csv", "ucdp")
    importers.write_parquet(table, tmp_path / "ucdp_sample.parquet")
    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path)
    return tmp_path


def test_overlay_says_how_to_import_when_no_file_has_been_imported(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path)
    at = _app()
    assert not at.exception, at.exception
    assert at.selectbox(key="ov_file").options == ["None"] and at.selectbox(key="ov_file").disabled
    assert any(c.value.startswith("No file has been imported. Import a UCDP, ACLED or GTD file with")
               and "python -m frontline import --format ucdp" in c.value for c in at.caption)
    assert "Imported events" not in _map_args(at)["layer_control"]


def test_overlay_draws_the_imported_events_of_the_window_clustered_or_as_a_heat_map(imports_dir):
    at = _app(date="2016-01-05")
    before = _map_args(at)
    assert at.selectbox(key="ov_file").options == ["None", "ucdp_sample.parquet"]
    assert at.selectbox(key="ov_file").value == "None"
    assert "/app/static/vendor/heat/leaflet-heat.js" in before["js_links"]  # loaded up front

    at.selectbox(key="ov_file").set_value("ucdp_sample.parquet").run()
    assert not at.exception, at.exception
    args = _map_args(at)
    assert args["script"] == before["script"]  # switching the overlay on does not remount the map
    assert '"Imported events" : feature_group_feature_group_2' in args["layer_control"]
    overlay = args["feature_group"].split("feature_group_feature_group_2 = ", 1)[1]
    assert 'FL.overlay(feature_group_feature_group_2, {"kind":"cluster","total":3' in overlay  # drawn by the client
    # 2016-01-01 (twice) and 2016-01-02 are in the 30 days up to 2016-01-05; 2017 events are not
    assert all(i in overlay for i in ("236764", "236772", "215936")) and "246604" not in overlay
    assert "Imported events overlay: 3 ISIS events from ucdp_sample.parquet in the 30 days up to the date." in _panel(at)

    at.radio(key="ov_kind").set_value("heat").run()
    overlay = _map_args(at)["feature_group"].split("feature_group_feature_group_2 = ", 1)[1]
    assert '{"kind":"heat","total":3' in overlay

    at.slider(key="fl_slider").set_value(dt.date(2017, 8, 1)).run()
    assert "Imported events overlay: 1 ISIS event from ucdp_sample.parquet in the 30 days up to the date." in _panel(at)


# --- empty states ------------------------------------------------------------------------------

def test_filters_matching_no_event_say_so_above_the_map_and_clear_in_one_click():
    at = _app(date="2015-06-01", q="no-such-place-zzz")
    assert not at.exception, at.exception
    assert ("No event matches the filters (matching 'no-such-place-zzz'): none of the "
            in " ".join(shown(i.value) for i in at.info))
    at.button(key="flt_clear_all").click().run()
    assert at.session_state["fl_filters"] == EventFilter()
    assert at.text_input(key="flt_q").value == ""
    assert not any(i.value.startswith("No event") for i in at.info)


def test_filters_whose_first_event_is_after_the_date_offer_to_go_to_it():
    at = _app(date="2014-01-02", q="palmyra")
    assert at.session_state["fl_filters"].text == "palmyra"  # the filter from the link
    notice = next(i.value for i in at.info if i.value.startswith("No event matching the filters"))
    assert "happened by 2 January 2014; the first is on " in notice
    at.button(key="go_first_event").click().run()
    day = at.slider(key="fl_slider").value
    assert day > dt.date(2014, 1, 2) and at.query_params["date"] == day.isoformat()
    assert not any(i.value.startswith("No event matching") for i in at.info)


def test_event_popups_name_each_outlet_with_its_date_kind_and_the_confidence():
    ds, _ = _fixture_points()
    ev = ds.events.iloc[[0]].copy()
    ev["source"] = "Reuters, 2017-10-17, Raqqa falls | SOHR, 2017-10-18, Raqqa cleared"
    ev["source_url"] = "https://r.example/a | https://s.example/b"
    ev["source_type"] = "news_agency|monitor"
    ev["confidence"] = "high"
    popup = layers.event_points(ev, ds.places)["popup"].iloc[0]
    assert "Confidence: <b>high</b>" in popup
    assert ('<a href="https://r.example/a" target="_blank" rel="noopener noreferrer">Reuters</a>, 2017-10-17 '
            '<span class="fl-kind">(news agency)</span>') in popup
    assert '>SOHR</a>, 2017-10-18 <span class="fl-kind">(monitor)</span>' in popup
    assert "link 1" not in popup
