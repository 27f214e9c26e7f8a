"""A place's control history on the Map page: choose it (or click "History" in an event's popup), see its
holders over time, its contested spells and its sourced events, and fly the map to it."""

from __future__ import annotations

import streamlit as st

from .. import vocab
from ..safety import md_text
from ..history.place_history import place_history
from ..webmap import panel
from . import state

_KEY = "opt_place"
#: The zoom the map flies to for a place.
PLACE_ZOOM = 9


def pick(place_id: str | None) -> None:
    """Show ``place_id``'s history (from a click on the map)."""
    st.session_state[_KEY] = place_id


def _fly() -> None:
    place = st.session_state.get(_KEY)
    row = st.session_state.get("fl_place_rows", {}).get(place)
    if row is not None:
        state.set_view((row[0], row[1]), PLACE_ZOOM)


def place_section(places, events) -> None:
    """Under the map: choose a place; its strip of holders, contested spells and control events."""
    names = dict(zip(places["place_id"].astype(str), places["name"].astype(str)))
    st.session_state["fl_place_rows"] = dict(zip(places["place_id"].astype(str),
                                                 zip(places["lat"].astype(float), places["lon"].astype(float))))
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = st.session_state.get(_KEY)
    # the searchable list is in a popover (drawn only while open): the page loads no select box code before the map
    with c1.popover("Control history of " + md_text(names[chosen]) if chosen in names else "Control history of a place",
                    icon=":material/history:", width="stretch", key="pop_place"):
        place = st.selectbox("Control history of a place", sorted(names, key=lambda p: names[p].lower()), index=None,
                             key=_KEY, format_func=lambda p: names.get(p, p), placeholder="Type a place's name…",
                             on_change=_fly)
    c2.button("Show on the map", key="place_fly", on_click=_fly, disabled=place is None, width="stretch")
    if place is None:
        st.caption("Choose a place, or click \u201cHistory\u201d in an event's popup on the map.")
        return
    history = place_history(places, events, place)
    st.markdown(panel.place_history_html(history, vocab.CONTROLLER_LABELS, vocab.CONTROLLER_COLORS),
                unsafe_allow_html=True)
