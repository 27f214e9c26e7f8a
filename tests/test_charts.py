"""Timeline chart builders: the data they plot, the selections they offer, the dates they return."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from frontline import charts
from frontline.dataset import milestones


def _series():
    """Two change dates: ISIS takes 100 km² from the Iraqi government on 2014-06-10."""
    rows = [("2014-01-01", "ISIS", 0.0, 0, 0), ("2014-01-01", "IRAQI_GOVERNMENT", 300.0, 9000, 3),
            ("2014-01-01", "UNASSIGNED", 50.0, 0, 0),
            ("2014-06-10", "ISIS", 100.0, 5000, 1), ("2014-06-10", "IRAQI_GOVERNMENT", 200.0, 4000, 2)]
    frame = pd.DataFrame(rows, columns=["date", "controller", "area_km2", "population", "places"])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_area_frame_fills_every_class_drops_unassigned_and_holds_the_last_state_to_the_end():
    frame = charts.area_frame(_series(), end="2019-03-23")
    assert "UNASSIGNED" not in set(frame["controller"])
    assert len(frame) == 3 * len(charts.AREA_CLASSES)
    last = frame[frame["day"] == "2019-03-23"].set_index("controller")["area_km2"]
    assert last["ISIS"] == 100 and last["IRAQI_GOVERNMENT"] == 200 and last["SDF"] == 0


def test_population_frame_follows_isis():
    pop = charts.population_frame(_series(), end="2019-03-23")
    assert pop["population"].tolist() == [0, 5000, 5000]


def test_territory_chart_offers_point_and_milestone_selections_and_the_selected_date():
    marks = charts.milestone_frame(milestones.MILESTONES)
    spec = charts.territory_chart(_series(), dt.date(2014, 6, 10), marks).to_dict()
    params = {p["name"] for p in spec.get("params", [])} | {p["name"] for layer in spec["layer"] for p in layer.get("params", [])}
    assert params == {charts.PICK, charts.MILESTONE}
    assert len(spec["layer"]) == 5  # areas, pickers, milestone rules, milestone markers, selected date


def test_events_per_month_chart_counts_by_type():
    events = pd.DataFrame({"date": pd.to_datetime(["2014-06-10", "2014-06-29", "2014-06-30"]),
                           "event_type": ["control_change", "declaration", "control_change"]})
    counts = charts.monthly_counts(events).set_index("event_type")["events"]
    assert counts.to_dict() == {"control_change": 2, "declaration": 1}
    assert charts.events_per_month_chart(events).to_dict()["title"] == "Events per month, by type"


def test_selected_day_prefers_a_milestone_and_ignores_empty_selections():
    assert charts.selected_day({"pick": [{"day": "2015-05-21"}], "milestone": [{"day": "2014-06-10"}]}) == dt.date(2014, 6, 10)
    assert charts.selected_day({}) is None and charts.selected_day(None) is None
    assert charts.selected_day({"pick": [{"day": "not a date"}]}) is None


def test_map_chart_and_legend_give_each_event_type_the_same_colour():
    from frontline import style, vocab
    from frontline.charts import events_per_month_chart
    from frontline.webmap import controls

    frame = pd.DataFrame({"date": pd.to_datetime(["2015-01-05", "2015-02-07"]), "event_type": ["battle", "attack"]})
    spec = events_per_month_chart(frame).to_dict()
    scales = [layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer.get("encoding", {})
              and "scale" in layer["encoding"]["color"]]
    assert scales[0]["range"] == [style.EVENT_COLORS[t] for t in vocab.EVENT_TYPES]
    for etype, look in style.EVENT_STYLE.items():  # the map marker shows the type's colour as fill or outline
        assert style.EVENT_COLORS[etype] in (look["fillColor"], look["color"])
    legend = controls.legend_html(map_legend=True)
    assert all(style.EVENT_STYLE[t]["fillColor"] in legend for t in vocab.EVENT_TYPES)
