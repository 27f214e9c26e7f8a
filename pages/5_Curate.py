"""Curate: add one event to data/events.csv, or one place to data/places.csv (checked, duplicate-aware, one new line,
atomic), typed by hand or picked from a news article's candidate events. Off unless the operator turns curation on."""

import streamlit as st

from frontline import config
from frontline.app import access, article_form, banner, cache, curate_form, nav

nav.page_setup("Frontline: Curate")
st.title("Curate")
curator = access.curator()  # read-only unless curation is on, and then only for a known curator
if curator is None:
    st.stop()
banner.data_banner(cache.dataset())
by_hand, from_article = st.tabs(["By hand", "From an article"])
with by_hand:
    st.header("Add an event", anchor=False)
    st.caption(f"The event is checked with the rules of `python -m frontline validate` and inserted in date order "
               f"into `{config.EVENTS_PATH}` as one new line; no other line changes.")
    curate_form.event_form(curator)
    curate_form.event_review()

    st.divider()
    st.header("Add a place", anchor=False)
    st.caption(f"For a place the gazetteer lacks. The place_id is a slug of the name; the row is checked with the rules "
               f"of `python -m frontline validate` and inserted in country, then place_id order into "
               f"`{config.PLACES_PATH}` as one new line; no other line changes.")
    curate_form.place_form(curator)
    curate_form.place_review()
with from_article:
    st.header("Events from an article", anchor=False)
    article_form.article_tab(curator)
