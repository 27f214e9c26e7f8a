"""The Curate page's "From an article" tab: paste an article, review its candidate events, add one.

Self-contained (:func:`article_tab`): the article's text or HTML and its publication day give
candidates (:mod:`frontline.intake.extract`), best first; the curator picks one, edits it in a form
filled from it, checks it with the rules of ``validate`` and the duplicate check, and adds it through
the same locked write as a hand-typed event (:func:`frontline.app.curate_form.save_event`), with the
article as its source. A place the gazetteer lacks is shown as such, with a button to geocode it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import config, vocab
from ..errors import GeocodingError
from ..intake import csvstore, gazetteer
from ..intake import events as curate
from ..intake.extract import UNKNOWN_PLACE, PlaceIndex, confidence_level, extract
from ..safety import md_text
from ..serving import Curator
from . import cache, curate_form

__all__ = ["article_tab", "draft_summary"]

#: The candidate columns the table shows, in order.
SHOWN = ["confidence", "date", "date_precision", "name", "event_type", "controller_after", "actors", "quote",
         "place_match", "notes"]
_KEY = "article"


@st.cache_resource(show_spinner=False, max_entries=2)
def _index(path: str, stamp: float) -> PlaceIndex:
    return PlaceIndex(gazetteer.load_places(path))


def place_index() -> PlaceIndex:
    """The gazetteer index of the places file now configured (rebuilt when the file changes)."""
    path = config.PLACES_PATH
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0.0
    return _index(str(path), stamp)


def draft_summary(c: dict) -> str:
    """A first summary in the dataset's words for a candidate (the curator rewrites it as needed).

    >>> draft_summary({"event_type": "control_change", "controller_after": "SDF", "name": "Baghouz", "actors": "SDF|ISIS"})
    'SDF / YPG took control of Baghouz.'
    >>> draft_summary({"event_type": "battle", "controller_after": "", "name": "Raqqa", "actors": ""})
    'Battle at Raqqa.'
    """
    holder = vocab.CONTROLLER_LABELS.get(c.get("controller_after", ""), "")
    if c["event_type"] == vocab.CONTROL_CHANGE and holder:
        return f"{holder} took control of {c['name']}."
    sides = [vocab.ACTOR_LABELS.get(a, a) for a in str(c.get("actors", "")).split("|") if a]
    who = f" ({', '.join(sides)})" if sides else ""
    return f"{vocab.EVENT_TYPE_LABELS.get(c['event_type'], c['event_type'])} at {c['name']}{who}."


def _label(i: int, c: dict) -> str:
    place = c["name"] + (" (unknown place)" if c["place_match"] == UNKNOWN_PLACE else "")
    kind = vocab.EVENT_TYPE_LABELS.get(c["event_type"], c["event_type"])
    holder = f" to {vocab.CONTROLLER_LABELS.get(c['controller_after'], c['controller_after'])}" \
        if c["controller_after"] else ""
    return f"{i + 1}. {c['date']} ({c['date_precision']}) {place}: {kind}{holder}, {c['confidence']:.2f}"


def _find_form() -> None:
    with st.form("article_find"):
        raw = st.text_area("Article (text or HTML)", height=200, key="article_raw",
                           placeholder="Paste the article's text, or the page's HTML")
        c1, c2, c3 = st.columns([1, 1, 2])
        published = c1.date_input("Published on", value=None, key="article_published", format="YYYY-MM-DD",
                                  min_value=dt.date(2013, 1, 1), max_value=dt.date.today())
        outlet = c2.text_input("Outlet", key="article_outlet", placeholder="e.g. CNN")
        title = c3.text_input("Title", key="article_title", placeholder="the article's headline")
        url = st.text_input("URL (optional)", key="article_url", placeholder="https://...")
        found = st.form_submit_button("Find candidates")
    if not found:
        return
    for suffix in ("candidates", "added", "pending", "confirm", "geocoded"):
        st.session_state.pop(f"{_KEY}_{suffix}", None)
    if not raw.strip() or published is None:
        st.error("Paste the article and give the day it was published: dates such as \"on Sunday\" are read "
                 "against it.")
        return
    cands = [c.as_dict() for c in extract(raw, published, place_index())]
    st.session_state[f"{_KEY}_candidates"] = cands
    st.session_state[f"{_KEY}_source"] = {"outlet": outlet.strip(), "title": title.strip(), "url": url.strip(),
                                          "published": published.isoformat()}
    st.session_state[f"{_KEY}_run"] = st.session_state.get(f"{_KEY}_run", 0) + 1


def _unknown_place(c: dict, run: int) -> None:
    st.warning(md_text(f"{c['name']} is not in the gazetteer, so the event cannot be added yet. Geocode it, add it "
                       "with \"Add a place\" (By hand tab), then find the candidates again."))
    offline = st.checkbox("Offline: the gazetteer and the cache only, never Nominatim", value=True,
                          key=f"article_offline_{run}")
    if st.button("Geocode " + md_text(c["name"]), key=f"article_geocode_{run}"):
        try:
            result = cache.geocoder(config.PLACES_PATH, offline=offline).geocode(c["name"])
        except GeocodingError as err:
            st.error(md_text(err))
            return
        for w in result.warnings:
            st.warning(md_text(w))
        if result.match:
            m = result.match
            st.info(md_text(f"Found {m.name} at {m.lat:.5f}, {m.lon:.5f} ({m.source})."))
        elif result.candidates:
            st.info(md_text("Several places fit: " + "; ".join(f"{m.name} ({m.lat:.4f}, {m.lon:.4f})"
                                                               for m in result.candidates)))
        else:
            close = ", ".join(result.suggestions) or "none"
            st.info(md_text(f"Not found. Closest gazetteer names: {close}."))


def _candidate_form(c: dict, i: int, run: int, source: dict, curator: Curator) -> None:
    k = f"{run}_{i}"
    try:
        day = dt.date.fromisoformat(c["date"])
    except ValueError:
        day = None
    holder = c["controller_after"] if c["controller_after"] in vocab.CONTROLLERS else ""
    actors = [a for a in c["actors"].split("|") if a in vocab.ACTORS]
    line = f"{source['outlet']}, {source['published']}, {source['title']}" if source["outlet"] else ""
    with st.form(f"article_candidate_{k}"):
        c1, c2, c3 = st.columns([2, 1, 1])
        place = c1.text_input("Place", value=c["place_id"], key=f"article_place_{k}")
        when = c2.date_input("Date", value=day, key=f"article_date_{k}", format="YYYY-MM-DD",
                             min_value=dt.date.fromisoformat(vocab.VALID_DATE_MIN),
                             max_value=dt.date.fromisoformat(vocab.VALID_DATE_MAX))
        confidence = c3.selectbox("Confidence", list(vocab.CONFIDENCE), key=f"article_conf_{k}",
                                  index=list(vocab.CONFIDENCE).index(confidence_level(c["confidence"])))
        c1, c2, c3 = st.columns(3)
        event_type = c1.selectbox("Event type", list(vocab.EVENT_TYPES), format_func=vocab.EVENT_TYPE_LABELS.get,
                                  index=list(vocab.EVENT_TYPES).index(c["event_type"]), key=f"article_type_{k}")
        chosen = c2.multiselect("Actors", list(vocab.ACTORS), default=actors, key=f"article_actors_{k}")
        after = c3.selectbox("Controller after (changes of control only)", ["", *vocab.CONTROLLERS],
                             index=["", *vocab.CONTROLLERS].index(holder), key=f"article_after_{k}",
                             format_func=lambda x: vocab.CONTROLLER_LABELS.get(x, "none"))
        summary = st.text_area("Summary", value=draft_summary(c), height=70, key=f"article_summary_{k}",
                               help="One or two sentences, in your own words.")
        c1, c2, c3 = st.columns([2, 2, 1])
        src = c1.text_input("Source", value=line, key=f"article_source_{k}", placeholder="Outlet, YYYY-MM-DD, Title")
        url = c2.text_input("Source URL", value=source["url"], key=f"article_srcurl_{k}")
        kind = c3.text_input("Source type", key=f"article_srctype_{k}", placeholder="blank: from the outlet",
                             help="One per source, '|'-separated: " + ", ".join(vocab.SOURCE_TYPES))
        notes = st.text_input("Notes", key=f"article_notes_{k}",
                              value=f"From the article (sentence {c['sentence']}; date from '{c['date_text']}', "
                                    f"{c['date_precision']})" + (f": {c['notes']}" if c["notes"] else "."))
        checked = st.form_submit_button("Check the candidate")
    if not checked:
        return
    for suffix in ("added", "pending", "confirm"):
        st.session_state.pop(f"{_KEY}_{suffix}", None)
    if when is None:
        st.error("Give the event's date.")
        return
    try:
        resolved = gazetteer.resolve_place(cache.geocoder(config.PLACES_PATH, offline=True), place)
    except GeocodingError as err:
        st.error(md_text(err))
        return
    digest = csvstore.digest(config.EVENTS_PATH)
    row = curate.build_row(resolved, date=when, event_type=event_type, actors=chosen, controller_after=after,
                           summary=summary, source=src, source_url=url, confidence=confidence,
                           notes=curator.stamp(notes), existing_ids=curate.event_ids(config.EVENTS_PATH),
                           source_type=kind)
    st.session_state[f"{_KEY}_pending"] = curate_form.Pending(
        row, digest, curate.check_row(row, config.EVENTS_PATH, config.PLACES_PATH, auto_id=True),
        curate.find_duplicates(row, config.EVENTS_PATH),
        f"Place: {resolved['name']} ({resolved['place_id']}, {resolved['country']}), found by {resolved['source']}.")


def article_tab(curator: Curator) -> None:
    """The whole tab: the article form, its candidates, the chosen one's form (its notes naming ``curator``), and
    the review and Add."""
    st.caption("Paste a news article and give its publication day: the candidates (place, date, event, sides and "
               "new holder, with the sentence each came from) are listed best first. Nothing is written until you "
               "check a candidate and add it; it then goes through the same checks and locked write as an event "
               "typed by hand, with the article as its source.")
    _find_form()
    cands = st.session_state.get(f"{_KEY}_candidates")
    if cands is None:
        return
    if not cands:
        st.info("No candidate events in this article: no sentence names a known place with an event.")
        return
    run, source = st.session_state.get(f"{_KEY}_run", 0), st.session_state[f"{_KEY}_source"]
    st.subheader(f"{len(cands)} candidate(s)", anchor=False)
    st.dataframe(pd.DataFrame(cands)[SHOWN], hide_index=True, width="stretch",
                 column_config={"confidence": st.column_config.ProgressColumn("confidence", min_value=0, max_value=1,
                                                                              format="%.2f"),
                                "quote": st.column_config.TextColumn("quote", width="large")})
    i = st.selectbox("Candidate to review", range(len(cands)), format_func=lambda n: _label(n, cands[n]),
                     key=f"article_pick_{run}")
    c = cands[i]
    st.markdown("> " + md_text(c["quote"]))
    if c["place_match"] == UNKNOWN_PLACE:
        _unknown_place(c, run)
        return
    _candidate_form(c, i, run, source, curator)
    curate_form.review(_KEY, "row", "It may duplicate {n} event(s): same place and type, within "
                       f"{curate.DUPLICATE_DAYS} days.", ["event_id", "date", "event_type", "summary", "source"],
                       "It is a different event: add it anyway", "Add the candidate to events.csv",
                       curate_form.save_event, " It is on the map from its date.")
