"""The analysis pages (Timeline, Events, Sources and Methodology) in AppTest, on the fixture data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os

import pytest
import shapely.geometry
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from conftest import ROOT, shown
from frontline.app import cache as appcache

TIMELINE, EVENTS, SOURCES = "pages/1_Timeline.py", "pages/2_Events.py", "pages/3_Sources_and_Methodology.py"
PALMYRA = ["T-0005", "T-0006", "T-0008", "T-0009"]


class _RecordingStorage(MemoryMediaFileStorage):
    """The AppTest media store, keeping every file it is given (to read the downloads back)."""

    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        _RecordingStorage.files[file_id] = self._files_by_id[file_id].content
        return file_id


@pytest.fixture
def app(monkeypatch, fixture_paths):
    """An AppTest of the dashboard whose data is the fixture dataset (13 events, 5 places)."""
    ev, pl = (str(p) for p in fixture_paths)
    for name in ("dataset", "timeline", "territory"):  # territory_series() goes through territory()
        original = getattr(appcache, name)
        monkeypatch.setattr(appcache, name, lambda *a, _f=original, **k: _f(ev, pl))
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _RecordingStorage)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    return at.run()


def _open(at, page):
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _download(at, key) -> bytes:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    return _RecordingStorage.files[os.path.splitext(os.path.basename(button.proto.url))[0]]


def _table_ids(at):
    tables = [d for d in at.dataframe if d.key == "ev_table"]
    return list(tables[0].value["event_id"]) if tables else []


# --- Timeline ---------------------------------------------------------------------------

def test_timeline_lists_every_milestone_and_shows_the_selected_date(app):
    at = _open(app, TIMELINE)
    labels = at.button_group(key="tl_milestone").proto.options
    assert any("Fall of Mosul (10 Jun 2014)" == o.content for o in labels)
    assert "Selected date: **1 June 2015**" in at.markdown[0].value


def test_choosing_a_milestone_sets_the_shared_date_and_opens_the_map(app):
    at = _open(app, TIMELINE)
    group = at.button_group(key="tl_milestone")
    mosul = next(i for i, o in enumerate(group.proto.options) if o.content.startswith("Fall of Mosul"))
    group.set_value(mosul).run()
    assert not at.exception, at.exception
    assert at.session_state["fl_date"] == dt.date(2014, 6, 10)
    assert [s.value for s in at.slider] == [dt.date(2014, 6, 10)]  # back on the map, on that date


def test_a_typed_date_outside_the_period_is_refused_with_a_message(app):
    at = _open(app, TIMELINE)
    at.text_input(key="tl_date_text").set_value("2020-01-01")
    at.button(key="FormSubmitter:tl_goto-Open the map on this date").click().run()
    assert [e.value for e in at.error] == [
        "Date refused: 2020-01-01 is outside 2014-01-01..2019-03-23; choose a date in the atlas's period."]
    assert at.session_state["fl_date"] == dt.date(2015, 6, 1)


def test_a_link_with_a_date_outside_the_period_is_refused_with_a_notice(app):
    page = AppTest.from_file(str(ROOT / TIMELINE), default_timeout=90)
    page.query_params["date"] = "2021-05-01"
    page.run()
    assert not page.exception, page.exception
    assert [shown(w.value) for w in page.warning] == [
        "Ignored date=2021-05-01 in the link: it is outside 2014-01-01..2019-03-23; showing 2015-06-01."]
    assert "Selected date: **1 June 2015**" in page.markdown[0].value


def test_timeline_draws_the_events_per_month_chart(app):
    at = _open(app, TIMELINE)
    spec = json.loads(at.get("vega_lite_chart")[-1].proto.spec)
    assert spec["title"] == "Events per month, by type"


def test_timeline_draws_territory_and_population_charts_when_the_model_exists(app):
    pytest.importorskip("frontline.history.territory", reason="frontline/territory.py (the territory model) is not written yet")
    at = _open(app, TIMELINE)
    titles = [json.loads(c.proto.spec)["title"] for c in at.get("vega_lite_chart")]
    assert titles[:2] == ["Area held by each controller (km², estimated)",
                          "People under ISIS (estimate; diamonds: published estimates)"]
    assert not at.info


# --- Events -----------------------------------------------------------------------------

def test_events_page_has_every_filter_and_lists_every_event(app):
    at = _open(app, EVENTS)
    for key in ("ev_text", "ev_dates", "ev_places", "ev_countries", "ev_types", "ev_actors", "ev_changes",
                "ev_after", "ev_confidence", "ev_sort", "ev_desc"):
        assert key in at.session_state, key
    assert len(_table_ids(at)) == 13


def test_searching_palmyra_by_its_alias_lists_its_events_in_date_order(app):
    at = _open(app, EVENTS)
    at.text_input(key="ev_text").set_value("Tadmur").run()
    assert _table_ids(at) == PALMYRA
    at.toggle(key="ev_desc").set_value(True).run()
    assert _table_ids(at) == PALMYRA[::-1]


def test_filters_combine_and_are_shared_with_the_map(app):
    at = _open(app, EVENTS)
    at.multiselect(key="ev_countries").set_value(["IQ"])
    at.checkbox(key="ev_changes").check().run()
    assert _table_ids(at) == ["T-0002", "T-0011"]
    shared = at.session_state["fl_filters"]
    assert shared.countries == ("IQ",) and shared.control_changes_only


def test_date_range_new_controller_and_confidence_filters(app):
    at = _open(app, EVENTS)
    at.date_input(key="ev_dates").set_value((dt.date(2016, 1, 1), dt.date(2016, 12, 31)))
    at.multiselect(key="ev_after").set_value(["SYRIAN_GOVERNMENT"]).run()
    assert _table_ids(at) == ["T-0006"]
    at.multiselect(key="ev_after").set_value([])
    at.multiselect(key="ev_confidence").set_value(["medium"]).run()
    assert _table_ids(at) == []


def test_filters_that_match_nothing_show_an_empty_state_not_an_error(app):
    at = _open(app, EVENTS)
    at.text_input(key="ev_text").set_value("no such place anywhere").run()
    assert not at.exception
    assert not at.dataframe
    assert at.info[0].value.startswith("No event matches these filters (0 of 13 events)")
    at.button(key="ev_clear").click().run()
    assert len(_table_ids(at)) == 13


def test_downloads_parse_as_csv_and_geojson_with_the_filtered_rows(app):
    at = _open(app, EVENTS)
    at.multiselect(key="ev_places").set_value(["palmyra"]).run()
    rows = list(csv.DictReader(io.StringIO(_download(at, "ev_csv").decode("utf-8"))))
    assert [r["event_id"] for r in rows] == PALMYRA
    assert rows[0]["date"] == "2015-05-21" and rows[0]["place_name"] == "Palmyra"
    doc = json.loads(_download(at, "ev_geojson"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert [f["properties"]["event_id"] for f in doc["features"]] == PALMYRA
    point = shapely.geometry.shape(doc["features"][0]["geometry"])
    assert (point.x, point.y) == (38.28402, 34.5624)  # lon, lat (RFC 7946 order)
    assert set(doc["features"][0]["properties"]) == set(rows[0])


# --- Sources and Methodology --------------------------------------------------------------

def test_sources_page_counts_sources_and_renders_both_methods(app):
    at = _open(app, SOURCES)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Events"] == "13" and metrics["Sources cited"] == "13" and metrics["Outlets"] == "1"
    table = at.dataframe[0].value  # every source, with the events citing it
    assert set(table["events"]) == {1}
    text = "\n".join(m.value for m in at.markdown)
    assert "How to cite the dataset" in text and "Natural Earth" in text
    assert "Territory and areas" in [t.label for t in at.tabs]


def test_timeline_says_so_when_the_territory_model_is_missing(app, monkeypatch):
    monkeypatch.setattr(appcache, "territory", lambda *a, **k: None)
    at = _open(app, TIMELINE)
    assert at.info[0].value.startswith("The territory model is not available")
    assert len(at.get("vega_lite_chart")) == 1  # the events chart only
