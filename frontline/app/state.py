"""The state every page shares: the date, the event filters and the map view, in the session and the URL.

Values live in ``st.session_state`` under non-widget keys (so they survive page switches) and in
the URL's query parameters (so a view can be shared by link). Bad values in a link fall back to
the default with a notice (plain text; :func:`pop_notices` escapes it for Markdown)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from .. import viewstate, vocab
from ..history.filters import EventFilter

# --- Shared view state: the date and filters every page reads --------------------------
#
# The values live in st.session_state under non-widget keys (so they survive page
# switches) and in the URL's query parameters (so a view can be shared by link).
# Bad values in a link fall back to the default; the notice is kept for the page to show.

_DATE_KEY, _FILTERS_KEY, _VIEW_KEY, _NOTICES_KEY = "fl_date", "fl_filters", "fl_view", "fl_notices"
_COMPARE_KEY = "fl_from"


def _notice(text: str | None) -> None:
    if text:
        st.session_state.setdefault(_NOTICES_KEY, []).append(text)


def _url_params() -> dict[str, str]:
    """The URL's query parameters, one value each (repeated keys merged or reported once per session)."""
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    values, notices = viewstate.single_values(raw)
    if not st.session_state.get("fl_repeats_reported"):
        st.session_state["fl_repeats_reported"] = True
        for n in notices:
            _notice(n)
    return values


def _sync_params(values: dict[str, str], names) -> None:
    """Make the URL's ``names`` parameters equal ``values`` (absent ones removed)."""
    for name in names:
        want = values.get(name)
        have = st.query_params.get(name)
        if want is None and name in st.query_params:
            del st.query_params[name]
        elif want is not None and have != want:
            st.query_params[name] = want


def get_date() -> dt.date:
    """The date the user is looking at (from the session, else the URL's ``date``, else the default)."""
    if _DATE_KEY not in st.session_state:
        day, notice = viewstate.parse_date_param(_url_params().get("date"))
        _notice(notice)
        st.session_state[_DATE_KEY] = day
    day = st.session_state[_DATE_KEY]
    _sync_params({"date": day.isoformat()}, ["date"])
    return day


def get_compare() -> str:
    """The comparison shown on the map (``from`` in the URL): "", a relative one ("-30d") or an ISO date."""
    if _COMPARE_KEY not in st.session_state:
        spec, notice = viewstate.parse_compare_param(_url_params().get("from"))
        _notice(notice)
        st.session_state[_COMPARE_KEY] = spec
    spec = st.session_state[_COMPARE_KEY]
    _sync_params({"from": spec} if spec else {}, ["from"])
    return spec


def set_compare(spec: str) -> None:
    """Set the comparison ("" for none) and the URL's ``from``."""
    st.session_state[_COMPARE_KEY] = spec
    _sync_params({"from": spec} if spec else {}, ["from"])


def set_date(day) -> dt.date:
    """Set the shared date (clamped to the atlas's period); returns the date kept."""
    day = pd.Timestamp(day).date()
    day = vocab.PERIOD.clamp(day)
    st.session_state[_DATE_KEY] = day
    _sync_params({"date": day.isoformat()}, ["date"])
    return day


def get_filters() -> EventFilter:
    """The shared event filters (from the session, else the URL's country/type/actor/confidence/q)."""
    if _FILTERS_KEY not in st.session_state:
        f, notices = viewstate.parse_filter_params(_url_params())
        for n in notices:
            _notice(n)
        st.session_state[_FILTERS_KEY] = f
    f = st.session_state[_FILTERS_KEY]
    _sync_params(viewstate.filter_params(f), viewstate.FILTER_PARAMS)
    return f


def set_filters(f: EventFilter | None = None, **changes) -> EventFilter:
    """Replace the shared filters with ``f`` and/or change some fields (``countries=("SY",)``)."""
    f = f if f is not None else st.session_state.get(_FILTERS_KEY, EventFilter())
    if changes:
        f = dataclasses.replace(f, **changes)
    st.session_state[_FILTERS_KEY] = f
    _sync_params(viewstate.filter_params(f), viewstate.FILTER_PARAMS)
    return f


def get_view() -> tuple[tuple[float, float] | None, int | None]:
    """The map view (centre, zoom) from the session or the URL's ``lat``/``lon``/``zoom``."""
    if _VIEW_KEY not in st.session_state:
        center, zoom, notices = viewstate.parse_view_params(_url_params())
        for n in notices:
            _notice(n)
        st.session_state[_VIEW_KEY] = (center, zoom)
    return st.session_state[_VIEW_KEY]


def initial_view() -> tuple[tuple[float, float] | None, int | None]:
    """The view the page opened with (the URL's, else none): the same for the whole session."""
    get_view()
    return st.session_state.setdefault("fl_initial_view", st.session_state[_VIEW_KEY])


def set_view(center, zoom) -> None:
    """Keep the map view in the session and the URL."""
    st.session_state[_VIEW_KEY] = (center, zoom)
    _sync_params(viewstate.view_params(center, zoom), viewstate.VIEW_PARAMS)


_WINDOW_KEY, _EXPORT_VIEW_KEY = "fl_window", "fl_export_view"


def get_window() -> int:
    """The map's "highlight the last N days" (30 until the analyst changes it), shared with the exports."""
    return int(st.session_state.get(_WINDOW_KEY, 30))


def set_window(days: int) -> None:
    st.session_state[_WINDOW_KEY] = int(days)


def request_view_export() -> None:
    """Remember that the analyst pressed "Export this view" (the Briefing page opens on the map's view)."""
    st.session_state[_EXPORT_VIEW_KEY] = True


def pop_view_export() -> bool:
    """True once after "Export this view" was pressed."""
    return bool(st.session_state.pop(_EXPORT_VIEW_KEY, False))


def pop_notices() -> list[str]:
    """Notices about ignored URL values, each returned once, escaped for Markdown (they echo the URL)."""
    from ..safety import md_text

    return [md_text(n) for n in st.session_state.pop(_NOTICES_KEY, [])]

