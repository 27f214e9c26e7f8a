"""The Map page's map and the figures beside it, for one date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ..dataset.load import Dataset
from ..history import figures
from ..history.filters import describe_filters
from ..safety import md_text
from ..webmap import base, client, controls, layers, overlay
from . import cache, component, dates, sidebar, state

#: The map fills the window below the date controls (never under 460 px): the height is set on the
#: component's frame here, and the map fills its frame (map_component(fill_frame=True)).
MAP_CSS = """<style>
.block-container.block-container{padding-top:1.2rem;padding-left:2rem;padding-right:2rem}
.st-key-fl_map iframe{height:max(460px, calc(100vh - 245px))!important}
.st-key-fl_figures [data-testid=stMetricValue]{font-size:clamp(1.15rem, 1.9vw, 1.7rem)}
.st-key-fl_figures [data-testid=stMetricLabel] *, .st-key-fl_figures [data-testid=stMetricDelta] *{white-space:normal}
.st-key-fl_figures [data-testid=stMetric]{margin-bottom:-0.4rem}
.st-key-fl_figures h3{font-size:1.35rem;white-space:nowrap}
""" + layers.RECENT_EVENTS_CSS + "</style>"


def _model():
    try:
        return cache.territory(), None
    except Exception as err:  # a broken territory model must not take the page down
        return None, err


def _groups(model, when: dt.date, window: int, show_older: bool, ov: sidebar.Overlay, shown) -> list:
    """The date's layers for the map component: (name, cache key or None, build).

    Territory and events are small calls to the map's client (:mod:`frontline.webmap.client`):
    the date's label string and figures, the highlight window and the filter mask; the
    files they name are fetched once per page.
    """
    if model is not None:
        atoms_url = cache.territory_url(model)
        state_day = model.details_on(when)
        territory = ("Territory", f"{atoms_url}|{model.labels_on(when)}|{id(state_day)}",
                     lambda: client.territory_call(atoms_url, model.labels_on(when), state_day))
    else:
        territory = ("Places", None, lambda: layers.places_layer(cache.timeline().control_at(when)))
    events_url, mask = cache.events_file(state.get_filters())

    groups = [territory, ("Events", None, lambda: client.events_call(events_url, when, window, show_older, mask,
                                                                       layers.MAX_POINTS, layers._GRID_DEG))]
    if shown is not None:
        groups.append(("Imported events", ov.key(when), lambda: overlay.overlay_layer(shown, kind=ov.kind)))
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


def figures_panel(ds: Dataset, model, when: dt.date, events: pd.DataFrame, window: int) -> None:
    """ISIS-held area, people and places on the date, their change over 30 days, and the recent events."""
    if model is not None:
        h = figures.isis_holding(model, when, days=30)

        def delta(change, text):
            return text if round(change) else None  # no red/green arrow for "no change"

        st.metric("ISIS-held area (estimate)", f"{h.area_km2:,.0f} km²",
                  delta=delta(h.area_change, f"{h.area_change:+,.0f} km² in 30 days"), delta_color="inverse")
        st.metric("People under ISIS (estimate)", f"{h.population:,}",
                  delta=delta(h.population_change, f"{h.population_change:+,} in 30 days"), delta_color="inverse")
        st.metric("Places held by ISIS", f"{h.places}",
                  delta=delta(h.places_change, f"{h.places_change:+d} in 30 days"), delta_color="inverse")
        st.caption("Change over the last 30 days; area and population are estimates (see Sources and Methodology)."
                   if h.changed else "Unchanged over the last 30 days.")
    else:
        control = cache.timeline().control_at(when)
        st.metric("Places held by ISIS", int((control["controller"] == "ISIS").sum()))
    recent = figures.recent_events(events, when, window)
    st.markdown(f"**Events in the last {window} days** ({len(recent)})")
    if len(recent):  # HTML, not st.dataframe: the data grid's ~1.3 MB of scripts would delay the first map
        st.markdown(layers.recent_events_html(recent, ds.places, limit=8), unsafe_allow_html=True)
    else:
        st.caption("None with the current filters.")


def map_and_figures(ds: Dataset, when: dt.date, window: int, show_older: bool, ov: sidebar.Overlay) -> None:
    """The map of ``when`` (its base never rebuilt, so pan and zoom stay) and the figures beside it."""
    model, model_error = _model()
    events, points = cache.event_points(state.get_filters())
    shown = ov.shown(when) if ov.table is not None else None  # the overlay's rows for the date, filtered once
    groups = _groups(model, when, window, show_older, ov, shown)
    center, zoom = state.get_view()
    c_map, c_fig = st.columns([4, 1])
    with c_map:
        _empty_notice(ds, events, when)
        with st.container(key="fl_map"):
            out = component.map_component(base.live_map, groups, key="map", height=640,
                                          layer_control_factory=controls.layer_control, center=center, zoom=zoom,
                                          preload=overlay.plugin_elements() if ov.any_file else (), fill_frame=True)
        st.caption(controls.ATTRIBUTION_TEXT)
    if out and out.get("center") and out.get("zoom"):
        state.set_view((out["center"]["lat"], out["center"]["lng"]), out["zoom"])
    with c_fig.container(key="fl_figures"):
        st.subheader(f"{when.day} {when:%B %Y}")
        if model_error is not None:
            st.warning(md_text(f"Territory is not available ({model_error}); showing places instead."))
        figures_panel(ds, model, when, events, window)
        if shown is not None:
            n = len(shown)
            st.caption(md_text(f"Imported events overlay: {n:,} {'ISIS ' if ov.isis_only else ''}"
                               f"event{'' if n == 1 else 's'} from {ov.path.name} in the {ov.days} days up to the date."))
