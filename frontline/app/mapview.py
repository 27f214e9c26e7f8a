"""The Map page's map and the figures beside it, for one date."""

from __future__ import annotations

import contextlib
import datetime as dt

import pandas as pd
import streamlit as st

from ..dataset.load import Dataset
from ..history import figures
from ..history.filters import describe_filters
from ..safety import md_text
from ..webmap import base, client, controls, layers, overlay, panel
from .. import viewstate, vocab
from . import cache, compare, component, dates, place_view, sidebar, state

#: The map fills the window below the date controls (never under 460 px): the height is set on the
#: component's frame here, and the map fills its frame (map_component(fill_frame=True)).
MAP_CSS = """<style>
.block-container.block-container{padding-top:1.2rem;padding-left:2rem;padding-right:2rem}
iframe[title="streamlit_folium.st_folium"]{height:max(460px, calc(100vh - 245px))!important}
""" + panel.PANEL_CSS + "</style>"


def _model():
    try:
        return cache.territory(), None
    except Exception as err:  # a broken territory model must not take the page down
        return None, err


def _groups(model, when: dt.date, window: int, show_older: bool, ov: sidebar.Overlay, shown,
            since: dt.date | None = None) -> list:
    """The date's layers for the map component: (name, cache key or None, build).

    Territory and events are small calls to the map's client (:mod:`frontline.webmap.client`):
    the date's label string and figures, the highlight window and the filter mask; the
    files they name are fetched once per page.
    """
    if model is not None:
        atoms_url = cache.territory_url(model)
        state_day = model.details_on(when)
        ease = dates.easing()
        labels = model.labels_on(when)
        before = model.labels_on(since) if since is not None else None  # compare mode: hatch what changed hands
        territory = ("Territory", f"{atoms_url}|{labels}|{id(state_day)}|{ease}|{before}",
                     lambda: client.territory_call(atoms_url, labels, state_day, ease, before))
    else:
        territory = ("Places", None, lambda: layers.places_layer(cache.timeline().control_at(when)))
    events_url, mask = cache.events_file(state.get_filters())

    tick_ms = int(dates.PLAY_TICK * 1000) if dates.playing() else None
    groups = [territory, ("Events", None, lambda: client.events_call(events_url, when, window, show_older, mask,
                                                                       layers.MAX_POINTS, layers.GRID_DEG, tick_ms))]
    if shown is not None:
        groups.append(("Imported events", None, lambda: overlay.overlay_call(shown, ov.kind)))
    return groups


def _empty_notice(ds: Dataset, events: pd.DataFrame, when: dt.date) -> None:
    notice = figures.events_notice(events, when, len(ds.events), describe_filters(state.get_filters()))
    if not notice:
        return
    n1, n2 = st.columns([5, 1], vertical_alignment="center")
    n1.info(md_text(notice), icon=":material/search_off:")
    if len(events):  # matching events, all after the date: offer the first one's date
        first = events["date"].min().date()
        n2.button(f"Go to {first.day} {first:%b %Y}", key="go_first_event", on_click=dates.go_to, args=(first,),
                  width="stretch")
    elif len(ds.events):
        n2.button("Clear the filters", key="flt_clear_all", on_click=sidebar.clear_filters, width="stretch")


def figures_panel_html(model, when: dt.date, points: pd.DataFrame, window: int, note: str = "",
                       change=None) -> str:
    """ISIS-held area, people and places on the date, their change over 30 days, and the recent events: the panel
    the map shows beside itself (in its frame, see :func:`frontline.app.component.map_component`)."""
    holding = figures.isis_holding(model, when, days=30) if model is not None else None
    held = None
    if model is None:
        control = cache.timeline().control_at(when)
        held = int((control["controller"] == "ISIS").sum())
    lo, hi = panel.recent_count(points, when, window)
    change_html = panel.change_html(change, vocab.CONTROLLER_LABELS, vocab.CONTROLLER_COLORS) if change else ""
    return panel.figures_html(when, holding, held, hi - lo, window, panel.recent_rows_html(points, lo, hi), note,
                              change_html)


def _same_view(a, b) -> bool:
    """Two views within ~10 m and at one zoom (maps report their centre with pixel rounding)."""
    return bool(a and b and a[0] and b[0] and a[1] == b[1] and abs(a[0][0] - b[0][0]) < 1e-4
                and abs(a[0][1] - b[0][1]) < 1e-4)


def _follow(key: str, out) -> bool:
    """Take a map's view into the shared view if that map moved (its reported view changed since the last
    run and differs from the shared one); True when the shared view changed."""
    if not (out and out.get("center") and out.get("zoom")):
        return False
    view = ((out["center"]["lat"], out["center"]["lng"]), out["zoom"])
    if f"fl_seen_{key}" not in st.session_state:
        # the first value is the component's default (the base map's view, before the map reports): not a
        # move, or it would overwrite the view of a shared link (which the map applies when it mounts)
        st.session_state[f"fl_seen_{key}"] = view
        return False
    if _same_view(st.session_state.get(f"fl_seen_{key}"), view):
        return False
    st.session_state[f"fl_seen_{key}"] = view
    if _same_view(state.get_view(), view):
        return False
    state.set_view(*view)
    return True


def map_and_figures(ds: Dataset, when: dt.date, window: int, show_older: bool, ov: sidebar.Overlay,
                    compare_spec: str = "", side: bool = False):
    """The map of ``when`` (its base never rebuilt, so pan and zoom stay) with the figures beside it; with a
    comparison (``compare_spec``, see :func:`frontline.viewstate.parse_compare_param`) what changed since.

    Everything is computed here and a function is returned that puts the elements on the page: the date panel calls
    it right after its slider, so that the slider and the map reach the browser together (one render, not two).
    """
    model, model_error = _model()
    events, points = cache.event_points(state.get_filters())
    shown = ov.window(when, state.get_view()) if ov.path is not None else None  # one DuckDB query per move
    since = viewstate.compare_date(compare_spec, when) if model is not None else None
    change = cache.change(model, ds.events, since, when) if since is not None else None
    center, zoom = state.get_view()
    note = ""
    if shown is not None:
        n = shown.total
        note = (f"Imported events overlay: {n:,} {'ISIS ' if ov.isis_only else ''}event{'' if n == 1 else 's'} "
                f"from {ov.path.name} in the {ov.days} days up to the date"
                + (" (grouped in cells; zoom in to see them one by one)." if shown.cells is not None else "."))
    # the figures travel with the map and are drawn in its frame: one element changes per move, not two
    draw_map = component.map_component(
        base.live_map, _groups(model, when, window, show_older, ov, shown, since), key="map", height=640,
        layer_control_factory=controls.layer_control, center=center, zoom=zoom,
        preload=overlay.plugin_elements() if ov.any_file else (), fill_frame=True, initial_view=state.initial_view(),
        panel=figures_panel_html(model, when, points, window, note, change))
    draw_before = None
    if since is not None and side:  # side by side: the date compared with on its own map, left, with its figures
        draw_before = component.map_component(
            base.live_map, _groups(model, since, window, show_older, ov, None), key="map_before", height=640,
            layer_control_factory=controls.layer_control, center=center, zoom=zoom, fill_frame=True,
            initial_view=state.initial_view(), panel=figures_panel_html(model, since, points, window))

    def draw() -> None:
        before_out = None
        if draw_before is not None:
            c_before, c_map = st.columns(2)
            with c_before:
                before_out = draw_before()
        else:
            c_map = contextlib.nullcontext()  # no block of its own: one element fewer to send on each move
        with c_map:
            if model_error is not None:
                st.warning(md_text(f"Territory is not available ({model_error}); showing places instead."))
            _empty_notice(ds, events, when)
            out = draw_map()
            if change is not None:
                compare.changed_places(change)
        moved = _follow("map", out)
        moved = _follow("map_before", before_out) or moved
        if moved and before_out is not None:
            st.rerun(scope="fragment")  # side by side: the other map follows the one that moved, now
        if out and out.get("place") and out.get("pick") != st.session_state.get("fl_last_pick"):
            st.session_state["fl_last_pick"] = out.get("pick")  # "History of ..." in a popup: the place section shows it
            place_view.pick(str(out["place"]))
            st.rerun(scope="app")

    return draw


def export_view_button() -> None:
    """ "Export this view": open the Briefing page on the map's date, view and highlighted days."""
    if st.button("Export this view", key="export_view", icon=":material/ios_share:",
                 help="A slide of what the map shows now (date, view, filters, highlighted days): "
                      "opens the Briefing page with this view chosen."):
        state.request_view_export()
        st.switch_page("pages/4_Briefing.py")


def attribution() -> None:
    """The map's sources in full, under the date panel (outside it: it never changes with the date)."""
    st.caption(controls.ATTRIBUTION_TEXT)
