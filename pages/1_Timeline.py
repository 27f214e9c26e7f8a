"""Timeline: territory and population through 2014-2019, milestones, events per month; a click opens the map."""

import streamlit as st

from frontline.safety import md_text
from frontline import charts, vocab
from frontline.history import filters
from frontline.history import population
from frontline.dataset import milestones
from frontline.app import banner, cache, nav, state
from frontline.errors import DateError
from frontline.history.timeline import parse_date

nav.page_setup("Frontline: Timeline")


def open_map(day) -> None:
    """Make ``day`` the shared date and go back to the map."""
    state.set_date(day)
    st.switch_page("pages/0_Map.py")


ds = cache.dataset()
banner.data_banner(ds)
day = state.get_date()
shared = state.get_filters()
for notice in state.pop_notices():  # links with a bad date or filter code
    st.warning(notice)
marks = charts.milestone_frame(milestones.MILESTONES)

st.title("Timeline, 2014 to 2019")
st.markdown(f"Selected date: **{day.day} {day:%B %Y}** (the red line). Click a milestone ▼ or a point on a chart "
            "to open the map on that date.")

labels = [f"{m.label} ({m.date:%d %b %Y})" for m in marks.itertuples(index=False)]
chosen = st.pills("Milestones: choose one to open the map on its date", range(len(labels)),
                  format_func=labels.__getitem__, key="tl_milestone")
if chosen is not None:
    open_map(marks["date"].iloc[chosen].date())

with st.form("tl_goto", border=False):
    c1, c2, _ = st.columns([2, 2, 3], vertical_alignment="bottom")
    typed = c1.text_input("Or type a date (YYYY-MM-DD)", value=day.isoformat(), key="tl_date_text")
    go = c2.form_submit_button("Open the map on this date")
if go:
    try:
        open_map(parse_date(typed, hi=vocab.PERIOD_END).date())
    except DateError as err:
        st.error(f"Date refused: {err}.")

st.subheader("Territory")
series = cache.territory_series()
if series is None:
    st.info(md_text(f"The territory model is not available ({cache.territory_error()}), so the area and "
            "population charts cannot be drawn. The milestones and the events chart still work."), icon=":material/map:")
else:
    picks = [charts.PICK, charts.MILESTONE]
    area = st.altair_chart(charts.territory_chart(series, day, marks), key="tl_area", on_select="rerun",
                           selection_mode=picks, width="stretch")
    people = st.altair_chart(charts.population_chart(series, day, marks), key="tl_population",
                                 on_select="rerun", selection_mode=picks, width="stretch")
    st.caption("Areas are estimates built from the gazetteer's places, curated roads, rivers and the land between "
               "one side's places (see Sources and Methodology); land that none of these reaches is left out. "
               "Population is the people of the places held plus each side's share of the rest of every governorate "
               "(2010-2011 official totals spread by area); it ignores displacement.")
    with st.expander("The model against the published estimates", icon=":material/compare_arrows:"):
        st.dataframe(population.compare_with_published(series)[
            ["source", "period", "population", "model_population", "population_ratio", "area_km2", "model_area_km2",
             "citation"]], hide_index=True, width="stretch",
            column_config={"population": st.column_config.NumberColumn("Published population", format="localized"),
                           "model_population": st.column_config.NumberColumn("Model", format="localized"),
                           "population_ratio": "Model / published",
                           "area_km2": st.column_config.NumberColumn("Published km²", format="localized"),
                           "model_area_km2": st.column_config.NumberColumn("Model km²", format="localized")})
    picked = charts.selected_day(area.selection) or charts.selected_day(people.selection)
    if picked is not None:
        open_map(picked)

st.subheader("Events per month")
events = filters.filter_events(ds.events, ds.places, shared)
if events.empty:
    st.info(f"No event matches the shared filters (set on the map or the Events page; 0 of {len(ds.events)} events); "
            "clear them there to see the counts.", icon=":material/search_off:")
else:
    st.altair_chart(charts.events_per_month_chart(events, day), key="tl_events", width="stretch")
    note = "all events" if shared == filters.EventFilter() else "the events matching the shared filters (set on the map or the Events page)"
    st.caption(f"{len(events)} events: {note}.")
