"""The events explorer: rows, sort orders, and the CSV and GeoJSON exports."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
import shapely.geometry

from frontline import explorer
from frontline.dataset.load import load
from frontline.history.filters import EventFilter


@pytest.fixture
def ds(fixture_paths):
    return load(*fixture_paths)


def _ids(frame):
    return list(frame["event_id"])


def test_rows_carry_every_event_column_plus_place_name_and_country(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter())
    assert list(rows.columns) == explorer.EXPORT_COLUMNS
    assert rows.set_index("event_id").loc["T-0002", ["place_name", "country"]].tolist() == ["Mosul", "IQ"]


def test_place_filter_lists_every_event_at_palmyra_in_date_order(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter(), place_ids=["palmyra"])
    assert _ids(rows) == ["T-0005", "T-0006", "T-0008", "T-0009"]
    assert rows["date"].is_monotonic_increasing


def test_sort_by_confidence_puts_high_first_then_date(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter(), by="Confidence")
    assert rows["confidence"].tolist()[:12] == ["high"] * 12 and _ids(rows)[-1] == "T-0001"
    newest = explorer.select_rows(ds.events, ds.places, EventFilter(), by="Date", ascending=False)
    assert _ids(newest)[0] == "T-0012"


def test_unknown_sort_names_the_choices(ds):
    rows = explorer.export_frame(ds.events, ds.places)
    with pytest.raises(ValueError, match="unknown sort 'Size'; choose one of Date, Place, Event type, Confidence, Country"):
        explorer.sort_events(rows, "Size")


def test_no_match_gives_an_empty_frame_that_still_exports(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter(text="nowhere at all"))
    assert rows.empty and list(rows.columns) == explorer.EXPORT_COLUMNS
    assert explorer.to_csv(rows).decode().strip() == ",".join(explorer.EXPORT_COLUMNS)
    assert json.loads(explorer.to_geojson(rows)) == {"type": "FeatureCollection", "features": []}


def test_csv_has_iso_dates_and_every_row(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter(countries=("SY",)))
    parsed = list(csv.DictReader(io.StringIO(explorer.to_csv(rows).decode("utf-8"))))
    assert [r["event_id"] for r in parsed] == _ids(rows)
    assert parsed[0]["date"] == "2014-01-14" and parsed[0]["lat"] == "35.95283"


def test_geojson_is_rfc7946_points_with_every_column_as_a_property(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter())
    doc = json.loads(explorer.to_geojson(rows))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc and len(doc["features"]) == len(rows)
    for feature, (_, row) in zip(doc["features"], rows.iterrows()):
        assert feature["type"] == "Feature" and feature["id"] == row["event_id"]
        point = shapely.geometry.shape(feature["geometry"])
        assert point.is_valid and (point.x, point.y) == (row["lon"], row["lat"])
        assert list(feature["properties"]) == explorer.EXPORT_COLUMNS
        assert feature["properties"]["date"] == row["date"].strftime("%Y-%m-%d")
    blank = doc["features"][0]["properties"]
    assert blank["source_url"] is None or isinstance(blank["source_url"], str)


def test_geojson_keeps_non_ascii_text_and_json_nulls(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter(), place_ids=["raqqa"]).head(1).copy()
    rows["notes"] = float("nan")
    rows["summary"] = "الرقة"
    props = json.loads(explorer.to_geojson(rows).decode("utf-8"))["features"][0]["properties"]
    assert props["notes"] is None and props["summary"] == "الرقة"


def test_geojson_refuses_a_row_without_coordinates(ds):
    rows = explorer.select_rows(ds.events, ds.places, EventFilter()).head(1).copy()
    rows["lat"] = float("nan")
    with pytest.raises(ValueError, match="event 'T-0001' has no usable lat/lon"):
        explorer.geojson_dict(rows)


def test_display_frame_labels_codes_and_links_the_first_source():
    frame = pd.DataFrame([{
        "event_id": "X-1", "date": pd.Timestamp("2019-03-23"), "place_id": "baghouz", "lat": 34.45, "lon": 40.95,
        "event_type": "control_change", "actors": "SDF|US_COALITION|ISIS", "controller_after": "SDF",
        "summary": "s", "source": "CNN, 2019-03-23, A | BBC, 2019-03-23, B", "source_url": "https://cnn.com/a | https://bbc.com/b",
        "confidence": "high", "notes": "", "place_name": "Baghouz", "country": "SY"}])
    shown = explorer.display_frame(frame).iloc[0]
    assert (shown["type"], shown["actors"], shown["new controller"], shown["country"]) == (
        "Change of control", "SDF / YPG, US-led coalition, ISIS", "SDF / YPG", "Syria")
    assert shown["link"] == "https://cnn.com/a"


def test_source_links_become_markdown_links_with_escaped_titles():
    lines = explorer.event_links_markdown("CNN, 2019-03-23, Baghouz [live] | BBC, 2019-03-23, B",
                                          "https://cnn.com/a_(b) | not-a-url")
    assert lines == ["[CNN, 2019\\-03\\-23, Baghouz \\[live\\]](https://cnn.com/a_%28b%29)", "BBC, 2019\\-03\\-23, B"]


def test_markdown_in_a_citation_shows_as_text_and_fetches_nothing():
    lines = explorer.event_links_markdown("Evil, 2019-03-23, ![b](http://host/beacon.png) [Re-login](http://x)",
                                          "javascript:alert(1)")
    assert lines == ["Evil, 2019\\-03\\-23, \\!\\[b\\]\\(http\\:\u200b\\/\\/host\\/beacon\\.png\\) "
                     "\\[Re\\-login\\]\\(http\\:\u200b\\/\\/x\\)"]


def test_events_csv_download_neutralises_formulas():
    frame = pd.DataFrame([{"event_id": "X-1", "date": pd.Timestamp("2019-03-23"), "summary": '=HYPERLINK("http://evil","x")',
                           "notes": "+cmd|' /C calc'!A0", "source": "@SUM(1+1)", "lat": 34.4}])
    text = explorer.to_csv(frame).decode()
    import csv, io

    row = list(csv.DictReader(io.StringIO(text)))[0]
    assert (row["summary"], row["notes"], row["source"]) == ('\'=HYPERLINK("http://evil","x")', "\'+cmd|\' /C calc\'!A0", "\'@SUM(1+1)")
