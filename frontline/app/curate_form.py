"""The Curate page's two forms, sharing one flow: check -> problems -> possible duplicates -> confirm -> add.

Nothing is written until the user confirms; the save then happens under the file's lock and is
checked again against the file as it is (:mod:`frontline.intake.csvstore`), so a save that lands
after someone else's says so, and one the file now refuses writes nothing and shows why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import streamlit as st

from .. import config, vocab
from ..errors import ConcurrentEditError, DataError, GeocodingError
from ..intake import csvstore, gazetteer
from ..intake import events as curate
from ..intake import places as curate_place
from ..safety import md_text
from ..serving import Curator
from . import cache


@dataclass
class Pending:
    """A checked row waiting for the user: its problems, the rows it may repeat, and how to save it."""

    row: dict
    digest: str
    problems: list
    similar: list[dict] = field(default_factory=list)
    note: str = ""


def _problem_table(problems) -> None:
    st.dataframe([{"column": p.column, "problem": p.message} for p in problems], hide_index=True, width="stretch")


def review(key: str, what: str, similar_text: str, similar_columns: list[str], confirm_text: str, button: str,
           save: Callable[[Pending], object], added_suffix: str) -> None:
    """Show the result of the last save, or the pending row with its problems or look-alikes and the Add button."""
    added = st.session_state.get(f"{key}_added")
    if added:
        st.success(md_text(added.message() + added_suffix))
    pending: Pending | None = st.session_state.get(f"{key}_pending")
    if not pending:
        return
    st.subheader(f"The new {what}")
    if pending.note:
        st.caption(md_text(pending.note))
    st.dataframe(pd.DataFrame([pending.row]), hide_index=True, width="stretch")
    if pending.problems:
        st.error(f"Refused: the {what} has {len(pending.problems)} problem(s). Fix them and check again.")
        _problem_table(pending.problems)
        return
    confirm = True
    if pending.similar:
        st.warning(similar_text.format(n=len(pending.similar)))
        st.dataframe(pd.DataFrame(pending.similar)[similar_columns], hide_index=True, width="stretch")
        confirm = st.checkbox(confirm_text, key=f"{key}_confirm")
    if st.button(button, type="primary", disabled=not confirm, key=f"{key}_add"):
        try:
            st.session_state[f"{key}_added"] = save(pending)
        except DataError as err:
            st.error(f"Someone else saved first, and the file as it is now refuses the {what} (nothing was written):")
            _problem_table(err.problems)
        except (ConcurrentEditError, OSError) as err:
            st.error(md_text(f"Not added: {err}"))
        else:
            st.session_state.pop(f"{key}_pending", None)
            st.rerun()


def _start(key: str) -> None:
    """A new check: forget the last result, the pending row and its "add it anyway" tick."""
    for suffix in ("added", "pending", "confirm"):
        st.session_state.pop(f"{key}_{suffix}", None)


def event_form(curator: Curator) -> None:
    """The "Add an event" form; a checked row becomes the pending event, its notes naming ``curator``."""
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
    if not checked:
        return
    _start("curate")
    try:
        place = gazetteer.resolve_place(geocoder, name, None if country == "any" else country)
    except GeocodingError as err:
        st.error(md_text(err))
        return
    digest = csvstore.digest(config.EVENTS_PATH)  # the version the row is checked against
    row = curate.build_row(place, date=when, event_type=event_type, actors=actors, controller_after=controller_after,
                           summary=summary, source=source, source_url=source_url, confidence=confidence,
                           notes=curator.stamp(notes),
                           existing_ids=curate.event_ids(config.EVENTS_PATH), source_type=source_type)
    st.session_state.curate_pending = Pending(
        row, digest, curate.check_row(row, config.EVENTS_PATH, config.PLACES_PATH, auto_id=True),
        curate.find_duplicates(row, config.EVENTS_PATH),
        f"Place: {place['name']} ({place['place_id']}, {place['country']}), found by {place['source']}.")


def save_event(p: Pending):
    """Under the file's lock: the id is chosen again and the row checked against the file as it is."""
    return curate.insert_event(p.row, config.EVENTS_PATH, config.PLACES_PATH, auto_id=True, expected_digest=p.digest,
                               seen_duplicates=[d["event_id"] for d in p.similar])


def event_review() -> None:
    review("curate", "row", "It may duplicate {n} event(s): same place and type, within "
           f"{curate.DUPLICATE_DAYS} days.", ["event_id", "date", "event_type", "summary", "source"],
           "It is a different event: add it anyway", "Add to events.csv", save_event, " It is on the map from its date.")


def place_form(curator: Curator) -> None:
    """The "Add a place" form; a checked row becomes the pending place, its notes naming ``curator``."""
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
    if not place_checked:
        return
    _start("place")
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
        return
    digest = csvstore.digest(config.PLACES_PATH)
    row = curate_place.build_place_row(name=p_name, aliases=p_aliases, country=p_country, admin1=p_admin1,
                                       kind=p_kind, controller_2014=p_ctrl, lat=lat, lon=lon,
                                       coord_source=coord_source, population=p_pop,
                                       population_source=p_pop_source, notes=curator.stamp(p_notes))
    near = [{"place_id": o["place_id"], "name": o["name"], "aliases": o["aliases"], "km": round(km, 1)}
            for o, km in curate_place.nearby_places(row, config.PLACES_PATH)]
    st.session_state.place_pending = Pending(row, digest, curate_place.check_place(row, config.PLACES_PATH), near,
                                             found)


def place_review() -> None:
    review("place", "place", "{n} known place(s) lie within " f"{curate_place.NEAR_KM:g} km: it may be one of them "
           "under another name.", ["place_id", "name", "aliases", "km"], "It is a different place: add it anyway",
           "Add to places.csv", lambda p: curate_place.insert_place(p.row, config.PLACES_PATH,
                                                                    expected_digest=p.digest),
           " Events can now be added there.")
