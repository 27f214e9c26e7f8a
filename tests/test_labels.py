"""Legible labels: exported maps place names without collisions, and the map declutters its city names per zoom."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from frontline.export import cartography as carto


def _axes():
    fig = Figure(figsize=(6, 4), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.add_axes([0, 0, 1, 1])
    carto.frame(ax, carto.extent((38.0, 33.0, 44.0, 37.0)))
    return ax, renderer


def _boxes(ax, renderer):
    return [t.get_window_extent(renderer) for t in ax.texts]


def test_labels_of_neighbouring_places_never_overlap():
    ax, renderer = _axes()
    near = [{"name": name, "lon": 41.0 + i * 0.03, "lat": 35.0 + i * 0.02}
            for i, name in enumerate(["al-Walid crossing", "al-Tanf", "Rutba", "Tal Afar", "Mosul"])]
    placed = carto.draw_labels(ax, near, renderer)
    boxes = _boxes(ax, renderer)
    assert len(placed) == len(boxes) >= 2  # there is room around the cluster for more than one
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_a_label_keeps_clear_of_other_places_points_and_of_event_markers():
    ax, renderer = _axes()
    labels = [{"name": "al-Walid crossing", "lon": 40.0, "lat": 35.0},
              {"name": "al-Tanf", "lon": 40.25, "lat": 35.06}]
    marker = carto.marker_boxes(ax, [40.12], [35.2], 8.0)
    carto.draw_labels(ax, labels, renderer, obstacles=list(marker))
    x, y = carto.project_xy(40.25, 35.06)
    tanf_point = ax.transData.transform((float(x), float(y)))
    walid = ax.texts[0].get_window_extent(renderer)
    assert ax.texts[0].get_text() == "al-Walid crossing"
    assert not walid.contains(*tanf_point)
    assert not walid.overlaps(marker[0])


def test_every_label_has_a_white_halo():
    ax, renderer = _axes()
    carto.draw_labels(ax, [{"name": "Raqqa", "lon": 39.0, "lat": 35.95}], renderer)
    effects = ax.texts[0].get_path_effects()
    assert effects and effects[0]._gc["foreground"] == carto.STYLE["halo"]


@pytest.mark.browser
def test_map_city_names_never_overlap_and_more_show_as_it_zooms_in(page):
    from conftest import FIXTURES
    from frontline.export import load_briefing
    from frontline.export.standalone import standalone_html

    b = load_briefing(FIXTURES / "events.csv", FIXTURES / "places.csv")
    page.set_viewport_size({"width": 1200, "height": 800})
    page.set_content(standalone_html(b, start="2017-03-01"), wait_until="load")
    count = """() => { const shown = [...document.querySelectorAll('.fl-city')].filter(e => e.style.visibility !== 'hidden')
                                                                         .map(e => e.getBoundingClientRect());
      let overlaps = 0;
      for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) {
        const a = shown[i], b = shown[j];
        if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) overlaps++; }
      return [shown.length, overlaps]; }"""
    page.wait_for_timeout(300)
    wide, overlaps = page.evaluate(count)
    assert overlaps == 0 and wide > 10
    page.evaluate("""() => Object.keys(window).filter(k => /^map_[0-9a-f]+$/.test(k)).map(k => window[k])[0]
                             .setView([33.6, 43.6], 8, {animate: false}) && null""")
    page.wait_for_timeout(300)
    close, overlaps = page.evaluate(count)
    assert overlaps == 0
    total = page.locator(".fl-city").count()
    hidden_wide = total - wide
    assert hidden_wide > 0  # at zoom 6 some names had no room...
    assert page.evaluate("() => [...document.querySelectorAll('.fl-city')].filter(e => e.style.visibility === 'hidden').length") < hidden_wide
