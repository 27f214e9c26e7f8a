"""Invariants of the curated history in data/ (the real data, not the fixtures)."""

from __future__ import annotations

import pandas as pd
import pytest

from frontline import config, vocab
from frontline.dataset.load import load
from frontline.history.timeline import ControlTimeline


@pytest.fixture(scope="module")
def ds():
    return load(config.EVENTS_PATH, config.PLACES_PATH)


@pytest.fixture(scope="module")
def timeline(ds):
    return ControlTimeline(ds.places, ds.events)


def test_shipped_data_validates_without_a_problem(ds):
    assert [str(p) for p in ds.problems] == []


def test_every_change_of_control_changes_the_controller(ds):
    start = ds.places.set_index("place_id")["controller_2014"].to_dict()
    bad = []
    for pid, group in ds.events[ds.events.event_type == vocab.CONTROL_CHANGE].groupby("place_id", sort=False):
        current = start[pid]
        for row in group.sort_values(["date", "event_id"]).itertuples():
            if row.controller_after == current:
                bad.append(f"{row.event_id} {pid} {row.date.date()}: already held by {current}")
            current = row.controller_after
    assert bad == []


def test_no_two_changes_of_one_place_on_the_same_day(ds):
    changes = ds.events[ds.events.event_type == vocab.CONTROL_CHANGE]
    dup = changes[changes.duplicated(["place_id", "date"], keep=False)]
    assert dup[["event_id", "place_id", "date"]].to_dict("records") == []


def test_no_place_is_held_by_isis_after_baghouz(timeline):
    table = timeline.control_at("2019-03-24")
    assert list(table.loc[table.controller == "ISIS", "place_id"]) == []


def test_nothing_is_contested_after_baghouz(timeline):
    table = timeline.control_at("2019-03-24")
    assert list(table.loc[table.contested, "place_id"]) == []


def test_every_place_has_a_known_controller_on_every_date(timeline):
    for day in pd.date_range(vocab.PERIOD_START, vocab.PERIOD_END, freq="MS"):
        assert timeline.control_at(day)["controller"].isin(list(vocab.CONTROLLERS)).all(), day


def test_sieges_and_offensives_end_only_after_they_start(ds):
    bad = []
    kinds = vocab.CONTEST_START + vocab.CONTEST_END + (vocab.CONTROL_CHANGE,)
    for pid, group in ds.events[ds.events.event_type.isin(kinds)].groupby("place_id", sort=False):
        open_ = False
        for row in group.itertuples():
            if row.event_type in vocab.CONTEST_END and not open_:
                bad.append(f"{row.event_id} {pid} {row.date.date()}: {row.event_type} with no open offensive or siege")
            open_ = row.event_type in vocab.CONTEST_START
    assert bad == []


def test_isis_was_the_controller_gained_or_lost_in_every_isis_change(ds):
    """A change of control involving ISIS names ISIS among its actors."""
    changes = ds.events[ds.events.event_type == vocab.CONTROL_CHANGE]
    missing = changes[(changes.controller_after == "ISIS") & ~changes.actors.str.contains("ISIS")]
    assert list(missing.event_id) == []


def test_every_event_has_a_source_and_confidence(ds):
    assert (ds.events["source"].str.len() > 0).all()
    assert ds.events["confidence"].isin(vocab.CONFIDENCE).all()


def test_the_seed_articles_are_cited(ds):
    sources = " ".join(ds.events["source"])
    for outlet in ("CNN", "Al Jazeera", "ARA News"):
        assert outlet in sources, outlet


def test_coverage_meets_the_brief(ds):
    assert len(ds.places) >= 200
    assert len(ds.events) >= 400
    assert set(ds.places.country) == {"SY", "IQ"}


#: Hosts that copy encyclopedia pages: cite the canonical page or, better, its own sources.
MIRROR_HOSTS = ("wikisum", "wikimili", "kiwix", "infogalactic", "gravy", "osmarks", "wikia", "fandom", "datana",
                "everybodywiki", "wikiwand", "knowledgr", "worldlibrary", "pinocchiopedia", "jmedia.wiki", "jmediawiki", "zxc.wiki",
                "wikisort", "alchetron", "theinfolist", "piglix", "kiddle", "dbpedia", "historica", "offstream")


def test_no_citation_or_provenance_points_at_an_encyclopedia_mirror(ds):
    texts = pd.concat([ds.events["source_url"], ds.places["coord_source"], ds.places["population_source"]])
    hits = [t for t in texts.fillna("") if any(h in t.lower() for h in MIRROR_HOSTS)]
    assert hits == []


def test_no_change_of_control_rests_only_on_an_encyclopedia_and_few_events_do(ds):
    only = ds.events[ds.events["source_type"].map(lambda k: set(k.split("|")) == {"encyclopedia"})]
    changes = only[only.event_type == vocab.CONTROL_CHANGE]
    assert list(changes.event_id) == []
    assert len(only) <= 0.05 * len(ds.events)


def test_every_source_has_a_known_type(ds):
    kinds = ds.events["source_type"].str.split("|").explode()
    assert kinds.isin(list(vocab.SOURCE_TYPES)).all()


def test_an_event_resting_only_on_a_partys_own_media_says_so_and_is_not_high(ds):
    own = ds.events[ds.events["source_type"].map(lambda k: set(k.split("|")) <= {"state_media", "party_media"})]
    assert len(own) >= 1  # the rule is exercised by the shipped data
    assert list(own.loc[own["confidence"] == "high", "event_id"]) == []
    notes = own["notes"].str.lower()
    said = notes.str.contains("state media|party|own media|own claim|statement|press office")
    assert list(own.loc[~said, "event_id"]) == []
