"""Events explorer: search, filter and sort the event record; see an event on a map; download the rows."""

import streamlit as st
from streamlit_folium import st_folium

from frontline import explorer, vocab
from frontline.webmap import base
from frontline.app import banner, cache, nav, sidebar, state
from frontline.safety import md_text

nav.page_setup("Frontline: Events")

ds = cache.dataset()
banner.data_banner(ds)
shared = state.get_filters()
for notice in state.pop_notices():  # links with a bad date or filter code
    st.warning(notice)
f, picked_places = sidebar.events_sidebar(ds.places, shared)

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
