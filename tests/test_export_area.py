"""The area of interest of an export: --bbox, --region, the map's view, and small multiples fitted to the war."""

from __future__ import annotations

import dataclasses
import re

import pytest
import shapely

from conftest import FIXTURES, run_cli as run
from frontline.errors import ExportError
from frontline.export import export, load_briefing
from frontline.export.area import fit_bounds, load_regions, parse_bbox, region_bounds, view_bounds
from frontline.export.multiples import TIGHT_BOUNDS, theatre_bounds
from frontline.export.presets import Preset

TINY = Preset("tiny", "test page", 6.4, 3.6, 40, 1.0)
DATA = ["--events", str(FIXTURES / "events.csv"), "--places", str(FIXTURES / "places.csv")]


@pytest.fixture(scope="module")
def briefing():
    return load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv")


def _texts(path) -> list[str]:
    return re.findall(r"<!-- (.*?) -->", path.read_text(encoding="utf-8"))


def test_every_named_region_is_a_box_in_syria_or_iraq_with_a_source():
    regions = load_regions()
    names = {r.name for r in regions}
    assert {"Mosul", "Raqqa", "Middle Euphrates valley", "Anbar"} <= names
    for r in regions:
        w, s, e, n = r.bounds
        assert 35 <= w < e <= 49 and 29 <= s < n <= 38, r
        assert r.source.strip(), r.name


def test_region_names_match_aliases_ignoring_case_and_hyphens():
    assert region_bounds("MERV") == region_bounds("middle euphrates valley") == region_bounds("Middle-Euphrates valley")
    with pytest.raises(ExportError, match=r"unknown --region 'Atlantis'; known: Mosul, .*or give --bbox"):
        region_bounds("Atlantis")


@pytest.mark.parametrize("text, message", [
    ("43,36", "--bbox must be W,S,E,N in degrees"),
    ("43.7,35.9,42.6,36.7", "expected west < east"),
    ("0,0,1,1", "is outside Syria and Iraq"),
    ("nan,1,2,3", "finite"),
])
def test_a_bad_box_is_refused_with_the_fix(text, message):
    with pytest.raises(ExportError, match=message):
        parse_bbox(text)


def test_the_view_box_is_centred_on_the_map_and_shrinks_as_it_zooms_in():
    w, s, e, n = view_bounds(36.34, 43.12, 10, 1200, 700)
    assert w < 43.12 < e and s < 36.34 < n
    w2, s2, e2, n2 = view_bounds(36.34, 43.12, 11, 1200, 700)
    assert (e2 - w2) == pytest.approx((e - w) / 2) and (n2 - s2) < (n - s)


def test_cli_region_draws_only_that_area_and_names_it(tmp_path):
    out = tmp_path / "mosul.svg"
    code, stdout, err = run("export", "--date", "2017-03-01", "--region", "mosul", "--out", str(out), *DATA)
    assert code == 0, err
    texts = _texts(out)
    assert any(t.startswith("Mosul (35.9°N–36.8°N, 42.5°E–43.8°E)") for t in texts), texts[:5]
    assert not {"S Y R I A", "JORDAN", "IRAN"} & set(texts)  # names far outside the box are not drawn


def test_cli_bbox_and_region_errors_are_usage_errors(tmp_path):
    out = str(tmp_path / "x.png")
    with pytest.raises(SystemExit) as code:
        run("export", "--date", "2017-03-01", "--bbox", "1,2,3", "--out", out, *DATA)
    assert code.value.code == 2
    with pytest.raises(SystemExit) as code:
        run("export", "--date", "2017-03-01", "--region", "Mosul", "--bbox", "42,35,43,36", "--out", out, *DATA)
    assert code.value.code == 2


def test_the_same_area_gives_the_same_bytes_and_another_area_other_bytes(briefing, tmp_path):
    mosul = dataclasses.replace(briefing, bounds=region_bounds("Mosul"), area_name="Mosul")
    a = export(mosul, ["2017-03-01"], "png", tmp_path / "a.png", TINY).read_bytes()
    b = export(mosul, ["2017-03-01"], "png", tmp_path / "b.png", TINY).read_bytes()
    c = export(briefing, ["2017-03-01"], "png", tmp_path / "c.png", TINY).read_bytes()
    assert a == b != c


def test_multiples_are_fitted_to_isis_land_not_the_whole_box(briefing):
    bounds = theatre_bounds(briefing, ["2014-06-10", "2015-05-21"])
    isis = shapely.union_all([briefing.snapshot(d).geometries.get("ISIS") for d in ["2014-06-10", "2015-05-21"]])
    assert shapely.box(*bounds).contains(shapely.clip_by_rect(isis, *TIGHT_BOUNDS))
    area = lambda b: (b[2] - b[0]) * (b[3] - b[1])  # noqa: E731
    assert area(bounds) < area(TIGHT_BOUNDS)
    assert fit_bounds([None]) is None


def test_briefing_page_exports_the_maps_view_after_export_this_view():
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "4_Briefing.py"), default_timeout=120)
    at.session_state["fl_view"] = ((36.34, 43.12), 10)
    at.session_state["fl_export_view"] = True
    at.session_state["fl_window"] = 90
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="br_area").value == "The map's view"
    assert at.select_slider(key="br_window").value == 90
    assert any("The map's view at zoom 10" in c.value for c in at.caption)
    at.selectbox(key="br_format").set_value("svg").run()
    at.button(key="br_build").click().run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 1


def test_a_change_map_hatches_what_each_side_took_with_its_km2_in_the_legend(briefing, tmp_path):
    from frontline.history.change import changed_ground, compare

    since = dataclasses.replace(briefing, change_from=__import__("pandas").Timestamp("2016-01-01"))
    out = export(since, ["2017-07-10"], "svg", tmp_path / "change.svg", TINY)
    texts = _texts(out)
    assert "Changed hands since 1 Jan 2016" in texts
    table = compare(briefing.model, briefing.events, "2016-01-01", "2017-07-10").controllers.set_index("controller")
    iraq = table.loc["IRAQI_GOVERNMENT"]
    assert iraq["gained_km2"] > 0  # the fixture's Mosul was retaken
    from frontline.export.briefing import format_area

    assert f"+{format_area(iraq['gained_km2'])} / 0" in texts
    ground = changed_ground(briefing.model, "2016-01-01", "2017-07-10")
    assert set(ground) == set(table.index[table["gained_km2"] > 0])


def test_change_from_must_be_an_earlier_date_on_one_static_page(tmp_path):
    code, _, err = run("export", "--date", "2016-01-01", "--change-from", "2017-01-01", "--out",
                       str(tmp_path / "x.png"), *DATA)
    assert code == 1 and "--change-from 2017-01-01 is not before --date 2016-01-01" in err
    code, _, err = run("export", "--date", "2016-01-01", "--date", "2017-01-01", "--change-from", "2015-01-01",
                       "--out", str(tmp_path / "x.png"), *DATA)
    assert code == 1 and "--change-from draws one date's map" in err


def test_a_change_map_of_an_area_counts_the_km2_inside_it(briefing):
    from frontline.history.change import compare, ground_table

    whole = compare(briefing.model, briefing.events, "2016-01-01", "2017-07-10").controllers.set_index("controller")
    inside = ground_table(briefing.model, "2016-01-01", "2017-07-10", region_bounds("Mosul")).set_index("controller")
    assert (inside["gained_km2"] <= whole["gained_km2"] + 1).all()
    everywhere = ground_table(briefing.model, "2016-01-01", "2017-07-10", (30, 25, 55, 42)).set_index("controller")
    assert everywhere["gained_km2"].to_numpy() == pytest.approx(whole["gained_km2"].to_numpy(), rel=0.02, abs=1)


def test_briefing_page_draws_a_change_map_since_a_date():
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "4_Briefing.py"), default_timeout=120)
    at.session_state["fl_date"] = dt.date(2017, 7, 10)
    at.run()
    at.checkbox(key="br_change").check().run()
    at.date_input(key="br_change_from").set_value(dt.date(2016, 1, 1))
    at.selectbox(key="br_format").set_value("svg").run()
    at.button(key="br_build").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("download_button")) == 1
