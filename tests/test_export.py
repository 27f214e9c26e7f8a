"""Briefing exports: each format opens and is what it claims, equal inputs give equal bytes, clear errors."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import run_cli as run
from PIL import Image

from frontline.errors import DateError, ExportError
from frontline.export import export, load_briefing
from frontline.export.capture import browser_path
from frontline.export.presets import PRESETS, Preset
from frontline.export.slides import slide_titles
from frontline.history.filters import EventFilter

#: A small, low-resolution page so most tests draw fast.
TINY = Preset("tiny", "test page", 6.4, 3.6, 40, 1.0)
DATES = ["2014-06-10", "2017-07-10"]


@pytest.fixture(scope="module")
def briefing():
    from conftest import FIXTURES

    return load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv")




def test_png_at_the_slide_preset_is_1920_by_1080(briefing, tmp_path):
    out = export(briefing, ["2015-05-21"], "png", tmp_path / "map.png", "slide", marking="UNCLASSIFIED")
    with Image.open(out) as img:
        assert img.format == "PNG"
        assert img.size == PRESETS["slide"].pixels == (1920, 1080)
        assert img.mode in ("RGB", "RGBA")
        # the marking band is drawn across the top
        assert img.convert("RGB").getpixel((5, 5)) != (255, 255, 255)


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_same_inputs_give_the_same_bytes(briefing, tmp_path, fmt):
    a = export(briefing, ["2016-03-27"], fmt, tmp_path / f"a.{fmt}", TINY, marking="TEST")
    b = export(briefing, ["2016-03-27"], fmt, tmp_path / f"b.{fmt}", TINY, marking="TEST")
    assert a.read_bytes() == b.read_bytes()
    c = export(briefing, ["2017-10-20"], fmt, tmp_path / f"c.{fmt}", TINY, marking="TEST")
    assert c.read_bytes() != a.read_bytes()


def test_pdf_of_several_dates_is_one_page_of_small_multiples(briefing, tmp_path):
    out = export(briefing, DATES + ["2019-03-23"], "pdf", tmp_path / "multiples.pdf", TINY)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1


def test_svg_parses_and_has_the_preset_size(briefing, tmp_path):
    out = export(briefing, ["2014-06-10"], "svg", tmp_path / "map.svg", TINY)
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == f"{TINY.width * 72:g}pt"


def test_deck_has_a_title_slide_one_slide_per_date_and_a_closing_slide(briefing, tmp_path):
    from pptx import Presentation

    out = export(briefing, DATES, "pptx", tmp_path / "brief.pptx")
    deck = Presentation(out)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == slide_titles(DATES) == ["ISIS territory in Syria and Iraq", "10 June 2014", "10 July 2017",
                                             "ISIS territory over time"]
    mosul = deck.slides[1]
    bullets = next(s for s in mosul.shapes if s.name == "Key events").text_frame.text
    assert "▪ 10 Jun 2014  Mosul: Test fixture: ISIS takes Mosul." in bullets
    assert sum(1 for s in mosul.shapes if s.shape_type == 13) == 1  # the map picture


def test_two_builds_of_the_same_deck_are_byte_identical(briefing, tmp_path, monkeypatch):
    import time
    import zipfile

    from frontline.export.slides import build_deck

    a, b = tmp_path / "a.pptx", io.BytesIO()
    build_deck(briefing, DATES, a, marking="TEST", dpi=30)
    # the second build happens "years later": no clock may reach the bytes
    monkeypatch.setattr(time, "localtime", lambda *t: time.struct_time((2031, 1, 2, 3, 4, 5, 3, 2, 0)))
    build_deck(briefing, DATES, b, marking="TEST", dpi=30)
    monkeypatch.undo()
    assert a.read_bytes() == b.getvalue()
    with zipfile.ZipFile(a) as deck:
        assert {i.date_time for i in deck.infolist()} == {(2017, 7, 10, 0, 0, 0)}  # the deck's last date
        assert deck.namelist()[0] == "[Content_Types].xml"
        core = deck.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(\w+)[^>]*>([^<]*)<", core) == [("created", "2017-07-10T00:00:00Z"),
                                                                 ("modified", "2017-07-10T00:00:00Z")]


def test_key_events_put_changes_of_control_first_one_per_place(briefing):
    key = briefing.key_events("2016-01-01", "2017-12-31", n=3)
    assert list(key["event_type"]) == ["control_change"] * 3
    assert key["place_id"].is_unique
    assert list(key["date"]) == sorted(key["date"])


def test_standalone_html_inlines_every_script_and_stylesheet(briefing, tmp_path):
    out = export(briefing, ["2015-05-21"], "html", tmp_path / "map.html", marking="TEST")
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page)
    assert not re.search(r"url\([\"']?(https?:)?//", page)
    assert "L.timeline(" in page and "L.timelineSliderControl(" in page
    assert "data:image/png;base64," in page  # Leaflet's CSS images are inlined
    assert out.stat().st_size < 5_000_000


def test_event_filters_change_the_events_drawn_not_the_territory(tmp_path):
    from conftest import FIXTURES

    only_sy = load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv", EventFilter(countries=("SY",)))
    everything = load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv")
    assert set(only_sy.map_events("2017-07-10")["place_id"]) == set()
    assert set(everything.map_events("2017-07-10")["place_id"]) == {"mosul"}
    assert only_sy.held("2017-07-10") == everything.held("2017-07-10")


@pytest.mark.parametrize("value, message", [
    ("2013-12-31", "2013-12-31 is outside 2014-01-01..2019-03-23; choose a date in the atlas's period"),
    ("2019-03-24", "2019-03-24 is outside 2014-01-01..2019-03-23; choose a date in the atlas's period"),
    ("10/06/2014", "'10/06/2014' is not a date; expected YYYY-MM-DD, e.g. 2017-10-20"),
])
def test_a_date_outside_the_period_is_refused(briefing, tmp_path, value, message):
    with pytest.raises(DateError) as err:
        export(briefing, [value], "png", tmp_path / "x.png", TINY)
    assert str(err.value) == message
    assert not (tmp_path / "x.png").exists()


def test_an_unwritable_output_path_is_refused_before_drawing(briefing, tmp_path):
    missing = tmp_path / "no-such-folder" / "x.png"
    with pytest.raises(ExportError) as err:
        export(briefing, ["2015-01-01"], "png", missing, TINY)
    assert str(err.value) == (f"cannot write '{missing}': the folder '{missing.parent}' does not exist; "
                              "create it or choose another --out")
    with pytest.raises(ExportError, match="it is a folder; give a file name"):
        export(briefing, ["2015-01-01"], "png", tmp_path, TINY)


def test_cli_writes_the_file_and_reports_errors_in_one_line(tmp_path):
    from conftest import FIXTURES

    data = ["--events", str(FIXTURES / "events.csv"), "--places", str(FIXTURES / "places.csv")]
    out = tmp_path / "brief.svg"
    code, stdout, _ = run("export", "--date", "2015-05-21", "--out", str(out), "--marking", "TEST", *data)
    assert code == 0, stdout
    assert stdout.startswith(f"wrote {out} (svg, 1 date,")
    code, _, err = run("export", "--date", "2013-01-01", "--out", str(out), *data)
    assert code == 1
    assert err == "error: 2013-01-01 is outside 2014-01-01..2019-03-23; choose a date in the atlas's period\n"
    code, _, err = run("export", "--date", "2015-01-01", "--out", str(tmp_path / "x.docx"), *data)
    assert code == 1
    assert err.startswith("error: cannot tell the format of")
    code, _, err = run("export", "--date", "2015-01-01", "--country", "FR", "--out", str(out), *data)
    assert err == "error: unknown --country 'FR'; known: SY, IQ\n"


@pytest.mark.browser
@pytest.mark.skipif(browser_path() is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_browser_capture_of_the_standalone_map_is_a_png(briefing, tmp_path):
    out = export(briefing, ["2015-05-21"], "png", tmp_path / "capture.png", "slide", browser=True)
    with Image.open(out) as img:
        assert img.size == (1920, 1080)
        colours = img.convert("RGB").resize((64, 36)).getcolors(4096)
        assert len(colours) > 20  # a drawn map, not a blank page


def test_briefing_page_builds_a_file_to_download():
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "4_Briefing.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.selectbox(key="br_format").set_value("svg").run()
    at.button(key="br_build").click().run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 1 and re.fullmatch(r"Download frontline-\d{8}\.svg \(\d+\.\d MB\)", labels[0])


@pytest.mark.parametrize("marking", ["cost $5M and $6M", r"$\frac$", r"50% of a_b \n c\d"])
def test_marking_prints_exactly_as_typed_never_as_math(briefing, tmp_path, marking):
    out = export(briefing, ["2015-05-21"], "svg", tmp_path / "map.svg", TINY, marking=marking)
    # matplotlib writes each text's string as a comment before its glyphs
    texts = re.findall(r"<!-- (.*?) -->", out.read_text(encoding="utf-8"))
    assert texts.count(marking) == 2  # the band at the top and at the bottom
    assert not any("\\frac" in t and t != marking for t in texts)


def test_a_filter_with_dollars_is_printed_as_typed(tmp_path):
    from conftest import FIXTURES

    b = load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv", EventFilter(text="$5M_$6M"))
    out = export(b, ["2015-05-21"], "svg", tmp_path / "map.svg", TINY)
    texts = re.findall(r"<!-- (.*?) -->", out.read_text(encoding="utf-8"))
    assert any("$5M_$6M" in t for t in texts), texts[:6]


def test_pdf_and_svg_carry_the_title_and_the_map_date(briefing, tmp_path):
    pdf = export(briefing, ["2016-03-27"], "pdf", tmp_path / "map.pdf", TINY).read_bytes()
    assert b"/Title (ISIS territory in Syria and Iraq, 27 March 2016)" in pdf
    assert b"/CreationDate (D:20160327000000Z)" in pdf
    svg = export(briefing, ["2014-06-10", "2016-03-27"], "svg", tmp_path / "m.svg", TINY).read_text(encoding="utf-8")
    assert "<dc:title>ISIS territory in Syria and Iraq, 10 June 2014 to 27 March 2016</dc:title>" in svg
    assert "<dc:date>2016-03-27</dc:date>" in svg


def test_cli_marking_with_tex_prints_as_typed(tmp_path):
    from conftest import FIXTURES

    data = ["--events", str(FIXTURES / "events.csv"), "--places", str(FIXTURES / "places.csv")]
    out = tmp_path / "m.svg"
    code, stdout, err = run("export", "--date", "2015-05-21", "--out", str(out), "--marking", r"$\frac$", *data)
    assert code == 0, err
    assert re.findall(r"<!-- (.*?) -->", out.read_text(encoding="utf-8")).count(r"$\frac$") == 2


_SAMPLE_JS = """([times]) => {
  const tl = Object.keys(window).filter(k => /^timeline_[0-9a-f]+$/.test(k)).map(k => window[k])
                   .find(t => t.getLayers && t.options && t.options.style);  // the territory layer is the styled one
  const slider = Object.keys(window).filter(k => /^timeline_slider_/.test(k)).map(k => window[k])[0];
  return times.map(t => {
    slider.setTime(t);
    return tl.getLayers().map(l => l.feature.properties.controller);
  });
}"""


@pytest.mark.browser
def test_standalone_slider_shows_every_layer_at_every_date_and_time_of_day(briefing, page):
    """Sample the exported file's slider at many dates and times of day: each shows each side's land that day."""
    import numpy as np
    import pandas as pd

    from frontline.export.standalone import standalone_html
    from frontline.export.briefing import UNASSIGNED

    page.set_content(standalone_html(briefing, start="2015-05-12"), wait_until="load")
    page.wait_for_function("Object.keys(window).some(k => /^timeline_slider_/.test(k))")
    rng = np.random.default_rng(17)
    start, end = pd.Timestamp("2014-01-01"), pd.Timestamp("2019-03-23")
    days = sorted({*pd.date_range(start, end, periods=300), pd.Timestamp("2015-05-12"), pd.Timestamp("2014-12-16"),
                   *(pd.Timestamp(d) for d in briefing.model.state_dates if start <= d <= end)})
    # each day at a random time (and changes of state at 00:00, 12:00 and 23:59)
    times = [d + pd.Timedelta(milliseconds=int(ms)) for d in days for ms in (rng.integers(0, 86_400_000),)]
    times += [d + pd.Timedelta(hours=h) for d in days[::10] for h in (0, 12, 23.99)]
    shown = page.evaluate(_SAMPLE_JS, [[int(t.value // 1_000_000) for t in times]])
    missing = []
    for t, controllers in zip(times, shown):
        geoms = briefing.snapshot(t.normalize()).geometries
        expected = {c for c, g in geoms.items() if c != UNASSIGNED and g is not None and not g.is_empty}
        if expected - set(controllers):
            missing.append((str(t), sorted(expected - set(controllers))))
    assert len(times) > 350
    assert not missing, f"{len(missing)} of {len(times)} samples lack a layer, e.g. {missing[:5]}"
    assert not page.console_errors


@pytest.mark.browser
def test_capture_page_hides_every_control_and_carries_legend_scale_and_sources(briefing, page):
    import dataclasses

    from frontline.export.area import region_bounds
    from frontline.export.standalone import standalone_html

    mosul = dataclasses.replace(briefing, bounds=region_bounds("Mosul"), area_name="Mosul")
    page.set_viewport_size({"width": 1600, "height": 900})
    page.set_content(standalone_html(mosul, start="2017-03-01", capture=True), wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path, .leaflet-overlay-pane canvas", state="attached")
    for hidden in (".leaflet-control-zoom", ".leaflet-timeline-control", ".leaflet-control-fullscreen",
                   ".leaflet-control-attribution"):
        assert not any(el.is_visible() for el in page.locator(hidden).all()), hidden
    assert page.get_by_text("Sources and method").count() == 0
    assert page.get_by_text("Play, or drag the slider").count() == 0
    assert page.locator("#fl-date").inner_text() == "1 March 2017"
    assert page.locator(".leaflet-control-scale-line").first.is_visible()
    assert "Territory (estimated, whole theatre)" in page.locator("#fl-capture-legend").inner_text()
    assert page.locator("#fl-capture-source").inner_text().startswith("Sources: ")
    # the view is the area of interest, not the theatre
    w, s, e, n = region_bounds("Mosul")
    b = page.evaluate("""() => { const m = Object.keys(window).filter(k => /^map_[0-9a-f]+$/.test(k)).map(k => window[k])[0];
                                 const b = m.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    assert b[0] <= w + 0.3 and b[2] >= e - 0.3 and b[1] <= s + 0.3 and b[3] >= n - 0.3
    assert (b[2] - b[0]) < 3 * (e - w)  # zoomed to the box
    assert not page.console_errors
