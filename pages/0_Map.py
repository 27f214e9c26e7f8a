"""Map: the atlas's main page (opened by ``dashboard.py``, the entry point, at ``/``).

The base map is built once and never changes, so moving the date only swaps its layers
(territory, events, the date label) and the map keeps its pan and zoom. The date panel
is a fragment: a slider move reruns only it, not the page.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from frontline.safety import md_text
from frontline import config, explorer, vocab
from frontline.history import figures
from frontline.dataset import milestones

from frontline.webmap import base, controls, layers, overlay
from frontline.app import banner, cache, component, nav, state
from frontline.history.filters import EventFilter, describe_filters, other_filters
from frontline.viewstate import PERIOD

nav.page_setup("Frontline: ISIS territory 2014-2019")
#: The map fills the window below the date controls (never under 460 px): the height is set on the
#: component's frame here, and the map fills its frame (map_component(fill_frame=True)).
MAP_CSS = """<style>
.block-container.block-container{padding-top:1.2rem;padding-left:2rem;padding-right:2rem}
.st-key-fl_map iframe{height:max(460px, calc(100vh - 245px))!important}
.st-key-fl_figures [data-testid=stMetricValue]{font-size:clamp(1.15rem, 1.9vw, 1.7rem)}
.st-key-fl_figures [data-testid=stMetricLabel] *, .st-key-fl_figures [data-testid=stMetricDelta] *{white-space:normal}
.st-key-fl_figures [data-testid=stMetric]{margin-bottom:-0.4rem}
.st-key-fl_figures h3{font-size:1.35rem;white-space:nowrap}
</style>"""
st.markdown(MAP_CSS, unsafe_allow_html=True)

PLAY_TICK = 0.6  # seconds between frames while playing
PLAY_STEPS = {"a week per step": pd.DateOffset(days=7), "a day per step": pd.DateOffset(days=1),
              "a month per step": pd.DateOffset(months=1)}
STEPS = [("« month", pd.DateOffset(months=-1)), ("‹ week", pd.DateOffset(days=-7)), ("‹ day", pd.DateOffset(days=-1)),
         ("day ›", pd.DateOffset(days=1)), ("week ›", pd.DateOffset(days=7)), ("month »", pd.DateOffset(months=1))]

ds = cache.dataset()
banner.data_banner(ds)

day = state.get_date()
filters = state.get_filters()
view_center, view_zoom = state.get_view()
for notice in state.pop_notices():
    st.info(notice, icon=":material/link:")


# --- Sidebar: filters and how events are drawn ---------------------------------------------
def _filters_changed():
    """Change only the fields this sidebar shows: dates and control filters set on the Events page stay."""
    s = st.session_state
    state.set_filters(countries=tuple(s.flt_country), event_types=tuple(s.flt_type), actors=tuple(s.flt_actor),
                         confidence=tuple(s.flt_confidence), text=s.flt_q.strip())


for widget, value in (("flt_country", list(filters.countries)), ("flt_type", list(filters.event_types)),
                      ("flt_actor", list(filters.actors)), ("flt_confidence", list(filters.confidence)),
                      ("flt_q", filters.text)):
    st.session_state.setdefault(widget, value)

with st.sidebar:
    st.header("Filter events")
    st.multiselect("Country", list(vocab.COUNTRIES), format_func=vocab.COUNTRIES.get, key="flt_country",
                   on_change=_filters_changed, placeholder="All countries")
    st.multiselect("Event type", list(vocab.EVENT_TYPES), format_func=vocab.EVENT_TYPE_LABELS.get, key="flt_type",
                   on_change=_filters_changed, placeholder="All types")
    st.multiselect("Actor", list(vocab.ACTORS), format_func=explorer.actor_label,
                   key="flt_actor", on_change=_filters_changed, placeholder="All actors")
    st.multiselect("Confidence", list(vocab.CONFIDENCE), key="flt_confidence", on_change=_filters_changed,
                   placeholder="Any confidence")
    st.text_input("Search places and summaries", key="flt_q", on_change=_filters_changed,
                  placeholder="e.g. Ar-Raqqah, Tadmur, siege")
    extra = other_filters(filters)
    if extra:
        st.caption(md_text(f"Also filtered on the Events page: {'; '.join(extra)}."))
        st.button("Clear the Events page's filters", key="flt_clear_extra", on_click=state.set_filters,
                  kwargs={"start": None, "end": None, "control_changes_only": False, "controllers_after": ()})
    st.header("Events on the map")
    window = st.select_slider("Highlight the last", options=[7, 30, 90, 365], value=30,
                              format_func=lambda d: f"{d} days", key="opt_window")
    show_older = st.checkbox("Show older events (faded)", value=True, key="opt_older")
    st.caption("Territory is estimated from the gazetteer's places and does not depend on the filters.")
    with st.expander("Imported events overlay", icon=":material/layers:"):
        imported = {p.name: p for p in overlay.overlay_files(config.IMPORTS_DIR)}
        if not imported:
            st.caption("No file has been imported. Import a UCDP, ACLED or GTD file with\n"
                       "`python -m frontline import --format ucdp FILE.csv --out "
                       f"{config.IMPORTS_DIR.name}/NAME.parquet` (into `{config.IMPORTS_DIR}`); it is listed here.")
        st.selectbox("Imported file", ["None", *imported], key="ov_file", disabled=not imported)
        st.radio("Draw as", overlay.KINDS, key="ov_kind", horizontal=True,
                 format_func={"cluster": "points (clustered)", "heat": "heat map"}.get)
        st.checkbox("ISIS a party only", value=True, key="ov_isis")
        st.select_slider("Window", options=[7, 30, 90, 365], value=30, key="ov_days",
                         format_func=lambda d: f"{d} days up to the date")
        overlay_path = imported.get(st.session_state.ov_file)
        overlay_table = cache.overlay_table(overlay_path) if overlay_path else None
        if overlay_table is not None:
            st.caption(md_text(f"{overlay_path.name}: {overlay.describe(overlay_table)}."))


# --- Play and milestones (a full rerun: they change how the date panel runs) ---------------
def _toggle_play():
    playing = not st.session_state.get("fl_playing", False)
    st.session_state.fl_playing = playing
    if playing and state.get_date() >= PERIOD[1]:
        state.set_date(PERIOD[0])


def _jump():
    label = st.session_state.get("opt_milestone")
    if label:
        st.session_state.fl_playing = False
        state.set_date(milestones.by_label(label).date)


playing = st.session_state.get("fl_playing", False)
c_play, c_speed, c_jump = st.columns([1, 2, 4], vertical_alignment="bottom")
c_play.button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
              on_click=_toggle_play, key="btn_play", width="stretch",
              type="primary")
c_speed.selectbox("Play speed", list(PLAY_STEPS), key="opt_speed", label_visibility="collapsed")
c_jump.selectbox("Jump to a milestone", [m.label for m in milestones.MILESTONES], index=None, key="opt_milestone",
                 on_change=_jump, placeholder="Jump to a milestone…", label_visibility="collapsed",
                 format_func=lambda lbl: f"{milestones.by_label(lbl).date:%d %b %Y}: {lbl}")


def _shift(offset):
    st.session_state.fl_playing = False
    state.set_date(pd.Timestamp(state.get_date()) + offset)


def _clear_filters():
    """Clear every event filter, the sidebar's widgets included (before they are drawn again)."""
    for widget, value in (("flt_country", []), ("flt_type", []), ("flt_actor", []), ("flt_confidence", []),
                          ("flt_q", "")):
        st.session_state[widget] = value
    state.set_filters(EventFilter())
    st.session_state.fl_rerun_page = True  # the button is in the date panel: the sidebar must be drawn again too


def _go_to(day):
    st.session_state.fl_playing = False
    state.set_date(day)


def _slider_moved():
    state.set_date(st.session_state.fl_slider)


def _figures(model, when: dt.date, events: pd.DataFrame):
    """ISIS-held area, population and places on the date, their change over 30 days, and the recent events."""
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


@st.fragment(run_every=PLAY_TICK if playing else None)
def date_panel():
    """The slider, the step buttons, the map and the figures: rerun alone when the date moves."""
    if st.session_state.pop("fl_rerun_page", False):
        st.rerun()  # scope "app": a callback changed the sidebar's widgets
    if st.session_state.get("fl_playing"):
        nxt = (pd.Timestamp(state.get_date()) + PLAY_STEPS[st.session_state.get("opt_speed", "a week per step")]).date()
        state.set_date(nxt)
        if nxt >= PERIOD[1]:
            st.session_state.fl_playing = False
            st.rerun()
    when = state.get_date()
    if st.session_state.get("fl_slider") != when:
        st.session_state.fl_slider = when
    st.slider("Date", min_value=PERIOD[0], max_value=PERIOD[1], step=dt.timedelta(days=1), format="YYYY-MM-DD",
              key="fl_slider", on_change=_slider_moved)
    for col, (label, offset) in zip(st.columns(len(STEPS)), STEPS):
        col.button(label, key=f"step_{label}", on_click=_shift, args=(offset,), width="stretch")

    try:
        model = cache.territory()
        model_error = None
    except Exception as err:  # a broken territory model must not take the page down
        model, model_error = None, err
    events, points = cache.event_points(state.get_filters())
    if model is not None:
        snap = model.snapshot(when)
        territory = ("Territory", f"{id(model)}|{snap.state_date}", lambda: layers.territory_layer(snap.geojson, snap.overlays))
    else:
        territory = ("Places", None, lambda: layers.places_layer(cache.timeline().control_at(when)))

    def events_group():
        group = layers.events_layer(points, when, window_days=window, show_older=show_older)
        controls.date_stamp(when).add_to(group)
        return group

    groups = [territory, ("Events", None, events_group)]
    if overlay_table is not None:
        s = st.session_state
        shown = overlay.filter_overlay(overlay_table, end=when, days=s.ov_days, isis_only=s.ov_isis)
        key = f"{overlay_path}|{overlay_path.stat().st_mtime_ns}|{s.ov_kind}|{s.ov_isis}|{s.ov_days}|{when}"
        groups.append(("Imported events", key, lambda: overlay.overlay_layer(shown, kind=s.ov_kind)))

    c_map, c_fig = st.columns([4, 1])
    with c_map:
        notice = figures.events_notice(events, when, len(ds.events), describe_filters(state.get_filters()))
        if notice:
            n1, n2 = st.columns([5, 1], vertical_alignment="center")
            n1.info(md_text(notice), icon=":material/search_off:")
            if len(events):  # matching events, all after the date: offer the first one's date
                first = events["date"].min().date()
                n2.button(f"Go to {first.day} {first:%b %Y}", key="go_first_event", on_click=_go_to, args=(first,),
                          width="stretch")
            elif len(ds.events):
                n2.button("Clear the filters", key="flt_clear_all", on_click=_clear_filters, width="stretch")
        with st.container(key="fl_map"):
            out = component.map_component(base.base_map, groups, key="map", height=640,
                                         layer_control_factory=controls.layer_control, center=view_center,
                                         zoom=view_zoom, preload=overlay.plugin_elements() if imported else (),
                                         fill_frame=True)
        st.caption(controls.ATTRIBUTION_TEXT)
    if out and out.get("center") and out.get("zoom"):
        state.set_view((out["center"]["lat"], out["center"]["lng"]), out["zoom"])
    with c_fig.container(key="fl_figures"):
        st.subheader(f"{when.day} {when:%B %Y}")
        if model_error is not None:
            st.warning(md_text(f"Territory is not available ({model_error}); showing places instead."))
        _figures(model, when, events)
        if overlay_table is not None:
            n = len(shown)
            st.caption(f"Imported events overlay: {n:,} {'ISIS ' if st.session_state.ov_isis else ''}"
                       f"event{'' if n == 1 else 's'} from {overlay_path.name} in the {st.session_state.ov_days} "
                       "days up to the date.")


date_panel()
