"""Curate: add one event to data/events.csv, or one place to data/places.csv (checked, duplicate-aware, one new line, atomic)."""

import datetime as dt

import pandas as pd
import streamlit as st

from frontline import config, vocab
from frontline.intake import csvstore, gazetteer
from frontline.intake import events as curate
from frontline.intake import places as curate_place
from frontline.app import banner, cache, nav
from frontline.errors import ConcurrentEditError, DataError, GeocodingError
from frontline.safety import md_text

nav.page_setup("Frontline: Curate")
banner.data_banner(cache.dataset())
st.title("Add an event")
st.caption(f"The event is checked with the rules of `python -m frontline validate` and inserted in date order "
           f"into `{config.EVENTS_PATH}` as one new line; no other line changes.")

geocoder = cache.geocoder(config.PLACES_PATH, offline=True)

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
    c1, c2, c3 = st.columns([2, 2, 1])
    source = c1.text_input("Source", placeholder="Outlet, YYYY-MM-DD, Title")
    source_url = c2.text_input("Source URL", placeholder="https://...")
    source_type = c3.text_input("Source type", placeholder="blank: from the outlet",
                                help="One per source, '|'-separated: " + ", ".join(vocab.SOURCE_TYPES)
                                + ". Left blank, each known outlet's type is used.")
    c1, c2 = st.columns([1, 3])
    confidence = c1.selectbox("Confidence", list(vocab.CONFIDENCE), index=1)
    notes = c2.text_input("Notes", placeholder="where sources disagree (optional)")
    checked = st.form_submit_button("Check the event")

if checked:
    st.session_state.pop("curate_added", None)
    st.session_state.pop("curate_pending", None)
    try:
        place = gazetteer.resolve_place(geocoder, name, None if country == "any" else country)
    except GeocodingError as err:
        st.error(md_text(err))
    else:
        digest = csvstore.digest(config.EVENTS_PATH)  # the version the row is checked against
        ids = curate.event_ids(config.EVENTS_PATH)
        row = curate.build_row(place, date=when, event_type=event_type, actors=actors,
                               controller_after=controller_after, summary=summary, source=source,
                               source_url=source_url, confidence=confidence, notes=notes, existing_ids=ids,
                               source_type=source_type)
        st.session_state.curate_pending = {
            "place": place, "row": row, "digest": digest,
            "problems": curate.check_row(row, config.EVENTS_PATH, config.PLACES_PATH, auto_id=True),
            "duplicates": curate.find_duplicates(row, config.EVENTS_PATH),
        }

added = st.session_state.get("curate_added")
if added:
    st.success(md_text(added.message() + " It is on the map from its date."))

pending = st.session_state.get("curate_pending")
if pending:
    place, row = pending["place"], pending["row"]
    st.subheader("The new row")
    st.caption(md_text(f"Place: {place['name']} ({place['place_id']}, {place['country']}), found by {place['source']}."))
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
            try:  # under the file's lock: the id is chosen again and the row checked against the file as it is
                st.session_state.curate_added = curate.insert_event(
                    row, config.EVENTS_PATH, config.PLACES_PATH, auto_id=True, expected_digest=pending["digest"],
                    seen_duplicates=[d["event_id"] for d in pending["duplicates"]])
            except DataError as err:
                st.error("Someone else saved first, and the file as it is now refuses the row (nothing was written):")
                st.dataframe([{"column": p.column, "problem": p.message} for p in err.problems], hide_index=True,
                             width="stretch")
            except (ConcurrentEditError, OSError) as err:
                st.error(md_text(f"Not added: {err}"))
            else:
                st.session_state.pop("curate_pending", None)
                st.rerun()

st.divider()
st.header("Add a place", anchor=False)
st.caption(f"For a place the gazetteer lacks. The place_id is a slug of the name; the row is checked with the rules "
           f"of `python -m frontline validate` and inserted in country, then place_id order into "
           f"`{config.PLACES_PATH}` as one new line; no other line changes.")

with st.form("curate_place"):
    c1, c2 = st.columns([1, 2])
    p_name = c1.text_input("Name", placeholder="common English name, e.g. Hajin", key="place_name")
    p_aliases = c2.text_input("Aliases", placeholder="other spellings and the Arabic name, '|'-separated: Hajin|هجين")
    c1, c2, c3, c4 = st.columns(4)
    p_country = c1.selectbox("Located in", list(vocab.COUNTRIES), format_func=vocab.COUNTRIES.get, key="place_country")
    p_admin1 = c2.text_input("Governorate (admin1)", placeholder="e.g. Dayr Az Zawr, Ninawa")
    p_kind = c3.selectbox("Kind", list(vocab.PLACE_KINDS), index=1, key="place_kind")
    p_ctrl = c4.selectbox("Held on 2014-01-01 by", list(vocab.CONTROLLERS), index=None, placeholder="choose the holder",
                          format_func=vocab.CONTROLLER_LABELS.get, key="place_ctrl")
    c1, c2 = st.columns([1, 3])
    p_pop = c1.text_input("Population (optional)", placeholder="whole number")
    p_pop_source = c2.text_input("Population source", placeholder="source and year, e.g. GeoNames cities500")
    p_where = st.radio("Coordinates", ["Use the geocoder's result", "Enter lat and lon"], horizontal=True,
                       key="place_where")
    c1, c2, c3 = st.columns([2, 1, 1])
    p_query = c1.text_input("Name to geocode (default: the name)", placeholder="e.g. Hajin, Deir ez-Zor")
    p_offline = c1.checkbox("Offline: the gazetteer and the cache only, never Nominatim")
    p_lat = c2.number_input("Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.5f", key="place_lat")
    p_lon = c3.number_input("Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.5f", key="place_lon")
    p_notes = st.text_input("Notes (caveats, disagreements)", placeholder="optional", key="place_notes")
    place_checked = st.form_submit_button("Check the place")

if place_checked:
    st.session_state.pop("place_added", None)
    st.session_state.pop("place_pending", None)
    try:
        if p_where == "Enter lat and lon":
            if p_lat is None or p_lon is None:
                raise GeocodingError("enter both latitude and longitude, or choose the geocoder's result")
            lat, lon, coord_source, found = p_lat, p_lon, curate_place.ANALYST_SOURCE, ""
        else:
            geo = cache.geocoder(config.PLACES_PATH, offline=p_offline)
            coords = curate_place.coordinates_from_geocoder(geo, p_query.strip() or p_name, p_country)
            lat, lon, coord_source = coords.lat, coords.lon, coords.coord_source
            found = f"The geocoder found {coords.found} at {coords.lat:.5f}, {coords.lon:.5f}."
            for warning in coords.warnings:
                st.warning(md_text(warning))
    except GeocodingError as err:
        st.error(md_text(err))
    else:
        digest = csvstore.digest(config.PLACES_PATH)
        row = curate_place.build_place_row(name=p_name, aliases=p_aliases, country=p_country, admin1=p_admin1,
                                           kind=p_kind, controller_2014=p_ctrl, lat=lat, lon=lon,
                                           coord_source=coord_source, population=p_pop,
                                           population_source=p_pop_source, notes=p_notes)
        st.session_state.place_pending = {
            "row": row, "found": found, "digest": digest,
            "problems": curate_place.check_place(row, config.PLACES_PATH),
            "near": curate_place.nearby_places(row, config.PLACES_PATH),
        }

place_added = st.session_state.get("place_added")
if place_added:
    st.success(md_text(place_added.message() + " Events can now be added there."))

place_pending = st.session_state.get("place_pending")
if place_pending:
    row = place_pending["row"]
    st.subheader("The new place")
    if place_pending["found"]:
        st.caption(md_text(place_pending["found"]))
    st.dataframe(pd.DataFrame([row]), hide_index=True, width="stretch")
    if place_pending["problems"]:
        st.error(f"Refused: the row has {len(place_pending['problems'])} problem(s). Fix them and check again.")
        st.dataframe([{"column": p.column, "problem": p.message} for p in place_pending["problems"]],
                     hide_index=True, width="stretch")
    else:
        confirm = True
        if place_pending["near"]:
            st.warning(f"{len(place_pending['near'])} known place(s) lie within {curate_place.NEAR_KM:g} km: "
                       "it may be one of them under another name.")
            st.dataframe([{"place_id": o["place_id"], "name": o["name"], "aliases": o["aliases"], "km": round(km, 1)}
                          for o, km in place_pending["near"]], hide_index=True, width="stretch")
            confirm = st.checkbox("It is a different place: add it anyway", key="place_confirm")
        if st.button("Add to places.csv", type="primary", disabled=not confirm, key="place_add"):
            try:
                st.session_state.place_added = curate_place.insert_place(row, config.PLACES_PATH,
                                                                         expected_digest=place_pending["digest"])
            except DataError as err:
                st.error("Someone else saved first, and the file as it is now refuses the place (nothing was written):")
                st.dataframe([{"column": p.column, "problem": p.message} for p in err.problems], hide_index=True,
                             width="stretch")
            except (ConcurrentEditError, OSError) as err:
                st.error(md_text(f"Not added: {err}"))
            else:
                st.session_state.pop("place_pending", None)
                st.rerun()
