"""Curate: add one event to data/events.csv (checked, duplicate-aware, one new line, atomic)."""

import datetime as dt

import pandas as pd
import streamlit as st

from frontline import appcache, config, curate, vocab
from frontline.errors import ConcurrentEditError, DataError, GeocodingError
from frontline.schema import EVENT_COLUMNS
from frontline.validate import read_rows

st.set_page_config(page_title="Frontline: Curate", layout="wide")
st.title("Add an event")
st.caption(f"The event is checked with the rules of `python -m frontline validate` and inserted in date order "
           f"into `{config.EVENTS_PATH}` as one new line; no other line changes.")

geocoder = appcache.geocoder(config.PLACES_PATH, offline=True)

with st.form("curate_event"):
    c1, c2, c3 = st.columns([3, 1, 1])
    name = c1.text_input("Place", placeholder="any spelling: Al-Baghuz Fawqani, Ar-Raqqah, الرقة, or a place_id")
    country = c2.selectbox("Country", ["any", *vocab.COUNTRIES], format_func=lambda c: vocab.COUNTRIES.get(c, "Any"))
    when = c3.date_input("Date", value=dt.date(2019, 3, 23), min_value=dt.date.fromisoformat(vocab.VALID_DATE_MIN),
                         max_value=dt.date.fromisoformat(vocab.VALID_DATE_MAX), format="YYYY-MM-DD")
    c1, c2, c3 = st.columns(3)
    event_type = c1.selectbox("Event type", list(vocab.EVENT_TYPES), format_func=vocab.EVENT_TYPE_LABELS.get)
    actors = c2.multiselect("Actors", list(vocab.ACTORS), placeholder="who took part")
    controller_after = c3.selectbox("Controller after (changes of control only)", ["", *vocab.CONTROLLERS],
                                    format_func=lambda c: vocab.CONTROLLER_LABELS.get(c, "none"))
    summary = st.text_area("Summary", placeholder="One or two sentences, in your own words.", height=80)
    c1, c2 = st.columns(2)
    source = c1.text_input("Source", placeholder="Outlet, YYYY-MM-DD, Title")
    source_url = c2.text_input("Source URL", placeholder="https://...")
    c1, c2 = st.columns([1, 3])
    confidence = c1.selectbox("Confidence", list(vocab.CONFIDENCE), index=1)
    notes = c2.text_input("Notes", placeholder="where sources disagree (optional)")
    checked = st.form_submit_button("Check the event")

if checked:
    st.session_state.pop("curate_added", None)
    st.session_state.pop("curate_pending", None)
    try:
        place = curate.resolve_place(geocoder, name, None if country == "any" else country)
    except GeocodingError as err:
        st.error(str(err))
    else:
        ids = [r["event_id"] for _l, r in read_rows(config.EVENTS_PATH, EVENT_COLUMNS)[0]]
        row = curate.build_row(place, date=when, event_type=event_type, actors=actors,
                               controller_after=controller_after, summary=summary, source=source,
                               source_url=source_url, confidence=confidence, notes=notes, existing_ids=ids)
        st.session_state.curate_pending = {
            "place": place, "row": row,
            "problems": curate.check_row(row, config.EVENTS_PATH, config.PLACES_PATH),
            "duplicates": curate.find_duplicates(row, config.EVENTS_PATH),
        }

added = st.session_state.get("curate_added")
if added:
    st.success(f"Added {added.event_id} at line {added.line} of {added.path}. It is on the map from its date.")

pending = st.session_state.get("curate_pending")
if pending:
    place, row = pending["place"], pending["row"]
    st.subheader("The new row")
    st.caption(f"Place: {place['name']} (`{place['place_id']}`, {place['country']}), found by {place['source']}.")
    st.dataframe(pd.DataFrame([row]), hide_index=True, width="stretch")
    if pending["problems"]:
        st.error(f"Refused: the row has {len(pending['problems'])} problem(s). Fix them and check again.")
        st.dataframe([{"column": p.column, "problem": p.message} for p in pending["problems"]], hide_index=True,
                     width="stretch")
    else:
        confirm = True
        if pending["duplicates"]:
            st.warning(f"It may duplicate {len(pending['duplicates'])} event(s): same place and type, within "
                       f"{curate.DUPLICATE_DAYS} days.")
            st.dataframe(pd.DataFrame(pending["duplicates"])[["event_id", "date", "event_type", "summary", "source"]],
                         hide_index=True, width="stretch")
            confirm = st.checkbox("It is a different event: add it anyway", key="curate_confirm")
        if st.button("Add to events.csv", type="primary", disabled=not confirm, key="curate_add"):
            try:
                st.session_state.curate_added = curate.insert_event(row, config.EVENTS_PATH, config.PLACES_PATH)
            except (DataError, ConcurrentEditError) as err:
                st.error(str(err))
            else:
                st.session_state.pop("curate_pending", None)
                st.rerun()
