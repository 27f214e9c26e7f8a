"""The date controls of the Map page: Play, its speed, milestones, the day slider and the step buttons."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

from ..dataset import milestones
from ..viewstate import PERIOD
from . import state

PLAY_TICK = 0.18  # seconds between frames while playing (plus the round trip of each frame: ~4 steps a second)
#: While playing, the date panel also reruns this often (seconds) in case a frame's report from the map is lost.
PLAY_NUDGE = 2.0
PLAY_STEPS = {"a week per step": pd.DateOffset(days=7), "a day per step": pd.DateOffset(days=1),
              "a month per step": pd.DateOffset(months=1)}
STEPS = [("« month", pd.DateOffset(months=-1)), ("‹ week", pd.DateOffset(days=-7)), ("‹ day", pd.DateOffset(days=-1)),
         ("day ›", pd.DateOffset(days=1)), ("week ›", pd.DateOffset(days=7)), ("month »", pd.DateOffset(months=1))]


def playing() -> bool:
    return st.session_state.get("fl_playing", False)


def easing() -> bool:
    """Whether the map cross-fades between dates: while playing, when "Ease between dates" is ticked."""
    return playing() and st.session_state.get("opt_ease", True)


def _toggle_play() -> None:
    if playing():
        st.session_state.fl_paused_at = time.monotonic()
    st.session_state.fl_playing = not playing()
    if st.session_state.fl_playing:
        st.session_state.fl_play_started = True  # the first step needs no report from the map
        if state.get_date() >= PERIOD[1]:
            state.set_date(PERIOD[0])


def _jump() -> None:
    label = st.session_state.get("opt_milestone")
    if label:
        st.session_state.fl_playing = False
        state.set_date(milestones.by_label(label).date)


def go_to(day) -> None:
    """Stop playing and show ``day``."""
    st.session_state.fl_playing = False
    state.set_date(day)


def _shift(offset) -> None:
    go_to(pd.Timestamp(state.get_date()) + offset)


def play_bar():
    """Play/Pause, the speed and the milestone list (a full rerun: they change how the date panel runs).

    Returns the row's columns left free for the comparison and its side-by-side box (:mod:`frontline.app.compare`).
    """
    on = playing()
    c_play, c_speed, c_ease, c_compare, c_side, c_jump = st.columns([1, 1.7, 0.8, 2.2, 1.2, 2.1],
                                                                     vertical_alignment="center")
    c_play.button("Pause" if on else "Play", icon=":material/pause:" if on else ":material/play_arrow:",
                  on_click=_toggle_play, key="btn_play", width="stretch", type="primary")
    # The choices are in popovers, not select boxes: a popover's widgets are drawn only while it is open, so a new
    # visitor's browser loads no select box code before the map (about 17 files fewer on the first load).
    with c_speed.popover(st.session_state.get("opt_speed", next(iter(PLAY_STEPS))), width="stretch", key="pop_speed",
                         help="How far each step of Play moves the date"):
        st.radio("Play speed", list(PLAY_STEPS), key="opt_speed")
    c_ease.checkbox("Ease", value=True, key="opt_ease", help="While playing, fade the territory from one date to the next")
    with c_jump.popover("Jump to a milestone", icon=":material/flag:", width="stretch", key="pop_milestone"):
        st.radio("Jump to a milestone", [m.label for m in milestones.MILESTONES], index=None,
                 key="opt_milestone", on_change=_jump, label_visibility="collapsed",
                 format_func=lambda lbl: f"{milestones.by_label(lbl).date:%d %b %Y}: {lbl}")
    return c_compare, c_side


def tick() -> dt.date:
    """The date to draw on this run: one Play step further while playing; a page rerun when a callback asks.

    Play is driven by the map: its client reports each date once drawn (at most every :data:`PLAY_TICK`
    seconds) and the app then sends the next, so no date is skipped however slow the link or the server.
    If no report came for :data:`PLAY_NUDGE` seconds (the map hidden or its report lost), the date steps on anyway.
    """
    if st.session_state.pop("fl_rerun_page", False):
        st.rerun()  # scope "app": a callback changed the sidebar's widgets
    if playing():
        report = st.session_state.get("map") or {}
        now, last = time.monotonic(), st.session_state.get("fl_play_at", 0.0)
        drawn = report.get("drawn") == state.get_date().isoformat() and report.get("ack") != st.session_state.get("fl_ack")
        started = st.session_state.pop("fl_play_started", False)
        if drawn or started or now - last >= PLAY_NUDGE:
            st.session_state.fl_ack = report.get("ack")
            st.session_state.fl_play_at = now
            nxt = (pd.Timestamp(state.get_date()) + PLAY_STEPS[st.session_state.get("opt_speed", "a week per step")]).date()
            state.set_date(nxt)
            if nxt >= PERIOD[1]:
                st.session_state.fl_playing = False
                st.rerun()
    return state.get_date()


def step_buttons() -> None:
    """The day/week/month buttons, in one row above the slider. They are outside the date panel's fragment
    (a click reruns the page): a slider move then re-sends seven fewer elements, which is most of its cost
    in the browser."""
    with st.container(horizontal=True, key="fl_steps"):
        for label, offset in STEPS:
            st.button(label, key=f"step_{label}", on_click=_shift, args=(offset,), width="stretch")


#: How many of the slider values last sent to the browser are remembered (see :func:`_slider_moved`).
_SENT_KEEP = 8
#: For this long after Pause (seconds), a slider value sent while playing is still taken as an echo.
_ECHO_AFTER_PAUSE_S = 1.5


def _slider_moved() -> None:
    """The user moved the slider: show its date, unless the value is one the server sent a few frames ago.

    While Play runs, a click elsewhere (Pause, a step button) reaches the server with the slider as the browser
    last drew it, which may be a frame behind the date already shown: taken as a move, it would send the map
    a week back. Such an echo of an older frame is ignored.
    """
    value = st.session_state.fl_slider
    sent = st.session_state.get("fl_slider_sent", [])
    just_paused = time.monotonic() - st.session_state.get("fl_paused_at", -1e9) < _ECHO_AFTER_PAUSE_S
    if value in sent[:-1] or (just_paused and value in sent and value != state.get_date()):
        st.session_state.fl_slider = state.get_date()
        return
    state.set_date(value)


def date_slider(when: dt.date) -> None:
    """The day slider, moving the shared date."""
    if st.session_state.get("fl_slider") != when:
        st.session_state.fl_slider = when
    sent = [d for d in st.session_state.get("fl_slider_sent", []) if d != when][-(_SENT_KEEP - 1):]
    recent_pause = time.monotonic() - st.session_state.get("fl_paused_at", -1e9) < _ECHO_AFTER_PAUSE_S
    st.session_state.fl_slider_sent = [*sent, when] if playing() or recent_pause else [when]
    st.slider("Date", min_value=PERIOD[0], max_value=PERIOD[1], step=dt.timedelta(days=1), format="YYYY-MM-DD",
              key="fl_slider", on_change=_slider_moved)
