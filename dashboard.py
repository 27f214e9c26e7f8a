"""Frontline: the map dashboard (the page analysts open)."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from frontline import appcache, maps, vocab

st.set_page_config(page_title="Frontline: ISIS territory 2014-2019", layout="wide")

ds = appcache.dataset()
if ds.problems:
    with st.container(border=True):
        st.error(f"The data files have {len(ds.problems)} problem(s); {ds.skipped_events} event row(s) are not shown. "
                 "Run `python -m frontline validate` for the full list.")
        st.dataframe([{"file": p.path, "line": p.line, "column": p.column, "problem": p.message} for p in ds.problems],
                     hide_index=True)

start, end = dt.date.fromisoformat(vocab.PERIOD_START), dt.date.fromisoformat(vocab.PERIOD_END)
day = st.slider("Date", min_value=start, max_value=end, value=dt.date(2015, 6, 1), step=dt.timedelta(days=1),
                format="YYYY-MM-DD", key="date")

control = appcache.timeline().control_at(day)
st.markdown(maps.legend_html(), unsafe_allow_html=True)
st_folium(maps.base_map(), feature_group_to_add=[maps.places_layer(control)], key="map",
          height=620, use_container_width=True, returned_objects=[])
held = int((control["controller"] == "ISIS").sum())
st.caption(f"{day:%d %B %Y}: ISIS holds {held} of {len(control)} places in the gazetteer.")
