"""Events explorer: search, filter and sort the event record; see an event on a map; download the rows."""

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from frontline import explorer, vocab
from frontline.webmap import base
from frontline.app import banner, cache, nav, state
from frontline.history.filters import EventFilter
from frontline.safety import md_text

nav.page_setup("Frontline: Events")

ds = cache.dataset()
banner.data_banner(ds)
shared = state.get_filters()
for notice in state.pop_notices():  # links with a bad date or filter code
    st.warning(notice)
LO, HI = dt.date.fromisoformat(vocab.VALID_DATE_MIN), dt.date.fromisoformat(vocab.VALID_DATE_MAX)
place_names = dict(zip(ds.places["place_id"], ds.places["name"]))

# Widgets start from the shared filters each time the page is opened (their keys are
# dropped while another page is shown), so the map and this page always agree.
initial = {
    "ev_text": shared.text,
    "ev_dates": (shared.start.date() if shared.start is not None else LO, shared.end.date() if shared.end is not None else HI),
    "ev_countries": list(shared.countries),
    "ev_types": list(shared.event_types),
    "ev_actors": list(shared.actors),
    "ev_changes": shared.control_changes_only,
    "ev_after": list(shared.controllers_after),
    "ev_confidence": list(shared.confidence),
}
for key, value in initial.items():
    st.session_state.setdefault(key, value)


def _clear():
    for key in [*initial, "ev_places"]:
        st.session_state.pop(key, None)
    state.set_filters(EventFilter())


with st.sidebar:
    st.header("Filter events")
    text = st.text_input("Search places and summaries", key="ev_text", placeholder="e.g. Palmyra, Tadmur, siege")
    span = st.date_input("Date range", key="ev_dates", min_value=LO, max_value=HI, format="YYYY-MM-DD")
    picked_places = st.multiselect("Place", sorted(place_names, key=place_names.get), key="ev_places",
                                   format_func=place_names.get)
    countries = st.multiselect("Country", list(vocab.COUNTRIES), key="ev_countries", format_func=vocab.COUNTRIES.get)
    types = st.multiselect("Event type", list(vocab.EVENT_TYPES), key="ev_types", format_func=vocab.EVENT_TYPE_LABELS.get)
    actors = st.multiselect("Actor", list(vocab.ACTORS), key="ev_actors",
                            format_func=explorer.actor_label)
    changes_only = st.checkbox("Changes of control only", key="ev_changes")
    after = st.multiselect("New controller (changes of control)", list(vocab.CONTROLLERS), key="ev_after",
                           format_func=vocab.CONTROLLER_LABELS.get)
    confidence = st.multiselect("Confidence", list(vocab.CONFIDENCE), key="ev_confidence")
    st.button("Clear filters", on_click=_clear, key="ev_clear")

start, end = (tuple(span) + (None, None))[:2] if isinstance(span, (tuple, list)) else (span, None)
f = EventFilter(
    countries=tuple(countries), event_types=tuple(types), actors=tuple(actors), confidence=tuple(confidence),
    text=text.strip(), control_changes_only=changes_only, controllers_after=tuple(after),
    start=None if start in (None, LO) else pd.Timestamp(start),
    end=None if end in (None, HI) else pd.Timestamp(end),
)
if f != shared:
    state.set_filters(f)

st.title("Events")
c1, c2, _ = st.columns([2, 1, 2], vertical_alignment="bottom")
by = c1.selectbox("Sort by", list(explorer.SORT_KEYS), key="ev_sort")
newest = c2.toggle("Newest first", key="ev_desc")
rows = explorer.select_rows(ds.events, ds.places, f, picked_places, by=by, ascending=not newest)

if rows.empty:
    st.info(f"No event matches these filters (0 of {len(ds.events)} events). "
            "Widen the date range, remove a filter, or press **Clear filters** in the sidebar.", icon=":material/search_off:")
    st.stop()

st.caption(f"{len(rows)} of {len(ds.events)} events. Select a row to see the event on the map and all its sources.")
table = explorer.display_frame(rows)
state = st.dataframe(
    table, key="ev_table", on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
    column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "place": "Place", "country": "Country", "type": "Type", "actors": "Actors",
        "new controller": "New controller", "confidence": "Confidence",
        "summary": st.column_config.TextColumn("Summary", width="large"),
        "source": st.column_config.TextColumn("Sources", width="medium"),
        "source types": st.column_config.TextColumn("Source types", help="news agency, newspaper, monitor, "
                                                    "official, state media, encyclopedia..."),
        "link": st.column_config.LinkColumn("First source", display_text="open ↗"),
        "event_id": st.column_config.TextColumn("ID"),
    },
)

d1, d2, _ = st.columns([1, 1, 1])
d1.download_button(f"Download CSV ({len(rows)} rows)", explorer.to_csv(rows), file_name="frontline_events.csv",
                   mime="text/csv", key="ev_csv", on_click="ignore", icon=":material/download:")
d2.download_button(f"Download GeoJSON ({len(rows)} points)", explorer.to_geojson(rows),
                   file_name="frontline_events.geojson", mime="application/geo+json", key="ev_geojson",
                   on_click="ignore", icon=":material/download:")

chosen = state.selection.rows if state is not None else []
if not chosen or chosen[0] >= len(rows):
    st.caption("No event selected.")
    st.stop()

event = rows.iloc[chosen[0]]
left, right = st.columns([2, 3])
with left:
    st_folium(base.locator_map(float(event["lat"]), float(event["lon"]), rows.iloc[[chosen[0]]]),
              key=f"ev_map_{event['event_id']}", height=340, use_container_width=True, returned_objects=[])
with right:
    st.subheader(md_text(f"{event['place_name']}, {event['date']:%d %B %Y}"), anchor=False)
    st.markdown(f"**{vocab.EVENT_TYPE_LABELS.get(event['event_type'], event['event_type'])}**"
                + (f": now held by {vocab.CONTROLLER_LABELS.get(event['controller_after'], event['controller_after'])}"
                   if event["controller_after"] else "")
                + f" · confidence {md_text(event['confidence'])} · {md_text(event['event_id'])}")
    st.text(event["summary"])
    if event["notes"]:
        st.caption("Notes: " + md_text(event["notes"]))
    st.markdown("**Sources**")
    st.markdown("\n".join(f"- {line}" for line in explorer.event_links_markdown(
        event["source"], event["source_url"], event.get("source_type", ""))))
    if st.button("Show this date on the map", key="ev_to_map"):
        state.set_date(event["date"])
        st.switch_page("pages/0_Map.py")
