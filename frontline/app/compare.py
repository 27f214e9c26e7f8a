"""Compare mode on the Map page: the second date, and what changed between it and the date shown."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import viewstate
from ..dataset import milestones
from ..history.change import Change
from ..webmap import panel
from . import state

_NONE = "No comparison"
_PICK = "pick"


def _options(spec: str) -> list[str]:
    """The choices: none, the relative ones, each milestone's date, and the link's own date if it is none of those."""
    fixed = [m.date.isoformat() for m in milestones.MILESTONES]
    out = ["", *viewstate.COMPARE_RELATIVE, *dict.fromkeys(fixed)]
    if spec and spec not in out:
        out.append(spec)
    return [*out, _PICK]


def _label(spec: str) -> str:
    if not spec:
        return _NONE
    if spec == _PICK:
        return "Changes since another date…"
    if spec in viewstate.COMPARE_RELATIVE:
        return f"Changes since {viewstate.COMPARE_RELATIVE[spec]}"
    named = [m.label for m in milestones.MILESTONES if m.date.isoformat() == spec]
    day = dt.date.fromisoformat(spec)
    return f"Changes since {day.day} {day:%b %Y}" + (f" ({named[0]})" if named else "")


def _changed() -> None:
    choice = st.session_state.opt_compare or ""
    if choice != _PICK:
        state.set_compare(choice)


def _picked() -> None:
    day = st.session_state.get("opt_compare_day")
    if day is not None:
        state.set_compare(day.isoformat())


def current() -> tuple[str, bool]:
    """The comparison (the ``from`` spec) and whether it is shown side by side, before their widgets are drawn."""
    return state.get_compare(), bool(st.session_state.get("opt_side", False))


def compare_select(where=None) -> str:
    """The "compare with" choice (outside the date panel: a change reruns the page), in ``where`` (a column) or
    here; returns the ``from`` spec."""
    spec = state.get_compare()
    options = _options(spec)
    if st.session_state.get("opt_compare") not in (spec, _PICK):
        st.session_state.opt_compare = spec
    box = where or st
    # a popover (its widgets drawn only while open) rather than a select box: see dates.play_bar
    with box.popover(_label(spec), icon=":material/compare_arrows:", width="stretch", key="pop_compare",
                     help="Hatch the ground that changed hands between that date and the date shown, with each side's "
                          "gains and losses beside the map and the places that changed hands under it"):
        st.radio("Compare with", options, key="opt_compare", on_change=_changed, format_func=_label,
                 label_visibility="collapsed")
        if st.session_state.opt_compare == _PICK:
            lo, hi = viewstate.PERIOD
            st.date_input("Since", value=None, min_value=lo, max_value=hi, key="opt_compare_day", on_change=_picked,
                          format="YYYY-MM-DD")
    return spec


def side_by_side(where=None, spec: str = "") -> bool:
    """The "Side by side" box: the date compared with on a second map, left of the date shown, pan and zoom linked."""
    return bool((where or st).checkbox("Side by side", key="opt_side", disabled=not spec,
                                       help="Show the date compared with on a second map beside this one; "
                                            "both follow each other's pan and zoom"))


def changed_places(change: Change) -> None:
    """Under the map: the places that changed hands between the two dates, each with its event and source."""
    n = len(change.places)
    title = (f"{n} place{'' if n == 1 else 's'} changed hands between {change.start:%d %b %Y} "
             f"and {change.end:%d %b %Y}")
    with st.expander(title, expanded=False):
        st.markdown(panel.changed_places_html(change.places), unsafe_allow_html=True)

