"""Validation reports every problem with its file, line and column, and how to fix it."""

from __future__ import annotations

import pytest

from frontline.dataset.load import load
from frontline.dataset.validate import validate_files


def _problems(ev, pl):
    return [str(p).replace(str(ev), "EVENTS").replace(str(pl), "PLACES") for p in validate_files(ev, pl)[2]]


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_fixture_data_is_valid(fixture_paths):
    assert validate_files(*fixture_paths)[2] == []


# (file, old text, new text, the expected problem line)
CASES = [
    ("events", "T-0002,2014-06-10", "T-0002,2014-13-10",
     "EVENTS:3: date: expected an ISO date YYYY-MM-DD, found '2014-13-10'"),
    ("events", "T-0002,2014-06-10", "T-0002,10/06/2014",
     "EVENTS:3: date: expected an ISO date YYYY-MM-DD, found '10/06/2014'"),
    ("events", "T-0002,2014-06-10", "T-0002,2013-06-10",
     "EVENTS:3: date: 2013-06-10 is outside 2014-01-01..2019-03-23; check the year"),
    ("events", "T-0002,2014-06-10,mosul,36.335", "T-0002,2014-06-10,mosul,96.335",
     "EVENTS:3: lat: 96.335 is outside [-90, 90]; check that lat and lon are not swapped"),
    ("events", "T-0002,2014-06-10,mosul,36.335,43.11889", "T-0002,2014-06-10,mosul,36.335,44.5",
     "EVENTS:3: lat: (36.335, 44.5) is 124 km from 'mosul' at (36.335, 43.11889); expected within 25 km: fix the coordinates or the place_id"),
    ("events", "T-0002,2014-06-10,mosul", "T-0002,2014-06-10,mosel",
     "EVENTS:3: place_id: unknown place 'mosel'; add it to places.csv or use an existing place_id"),
    ("events", "T-0003,", "T-0002,",
     "EVENTS:4: event_id: duplicate id 'T-0002', first used on line 3; give each event its own id"),
    ("events", "offensive_start,IRAQI", "assault,IRAQI",
     "EVENTS:8: event_type: unknown value 'assault'; expected one of: control_change, offensive_start, offensive_end, siege_start, siege_end, battle, airstrike, attack, massacre, declaration"),
    ("events", "ISIS|IRAQI_GOVERNMENT,ISIS", "ISIS|IRAQI_GOVERNMENT,IS",
     "EVENTS:3: controller_after: unknown value 'IS'; expected one of: ISIS, SYRIAN_GOVERNMENT, IRAQI_GOVERNMENT, KURDISH_PESHMERGA, SDF, SYRIAN_OPPOSITION"),
    ("events", "ISIS|IRAQI_GOVERNMENT,ISIS,Test fixture: ISIS takes Mosul.", "ISIS|IRAQI_GOVERNMENT,,Test fixture: ISIS takes Mosul.",
     "EVENTS:3: controller_after: a control_change needs controller_after: the controller code of the new holder"),
    ("events", "ISIS|DAESH|IRAQI_GOVERNMENT", "ISIS|DAESH|IRAQI_GOVERNMENT", None),
    ("events", "\"Test, 2014-06-10, fixture\"", "",
     "EVENTS:3: source: source is empty; every row needs a source"),
    ("events", ",high,,newspaper\nT-0003", ",certain,,newspaper\nT-0003",
     "EVENTS:3: confidence: unknown value 'certain'; expected one of: high, medium, low"),
    ("events", "confidence,notes,source_type", "confidence,notes,source_type,extra",
     "EVENTS:1: extra: unexpected column 'extra'; remove it or rename it to one of: event_id,date,place_id,lat,lon,event_type,actors,controller_after,summary,source,source_url,confidence,notes,source_type"),
    ("events", ",confidence,notes", ",notes",
     "EVENTS:1: confidence: missing column 'confidence'; the header must be: event_id,date,place_id,lat,lon,event_type,actors,controller_after,summary,source,source_url,confidence,notes,source_type"),
    ("events", ",high,,newspaper\nT-0003", ",high,,gossip\nT-0003",
     "EVENTS:3: source_type: unknown value 'gossip'; expected one of: news_agency, newspaper, broadcaster, think_tank, official, monitor, ngo, state_media, party_media, blog, encyclopedia"),
    ("events", ",high,,newspaper\nT-0003", ",high,,newspaper|monitor\nT-0003",
     "EVENTS:3: source_type: 2 source type(s) for 1 source(s); give one per source, '|'-separated, in the order of source"),
    ("places", "mosul,Mosul", "raqqa,Mosul",
     "PLACES:3: place_id: duplicate id 'raqqa', first used on line 2; give each place its own id"),
    ("places", "IQ,Baghdad,city", "XX,Baghdad,city",
     "PLACES:5: country: unknown value 'XX'; expected one of: SY, IQ"),
    ("places", "35.95283,39.00788,SY", "35.95283,239.00788,SY",
     "PLACES:2: lon: 239.00788 is outside [-180, 180]; check that lat and lon are not swapped"),
]


@pytest.mark.parametrize("which,old,new,expected", [c for c in CASES if c[3]], ids=lambda v: str(v)[:30])
def test_validation_pins_message(data_copy, which, old, new, expected):
    ev, pl = data_copy
    _edit(ev if which == "events" else pl, old, new)
    assert expected in _problems(ev, pl)


def test_unknown_actor_is_reported(data_copy):
    ev, pl = data_copy
    _edit(ev, "ISIS|IRAQI_GOVERNMENT,ISIS", "ISIS|DAESH,ISIS")
    assert any("EVENTS:3: actors: unknown value 'DAESH'" in p for p in _problems(ev, pl))


def test_byte_order_mark_is_reported(data_copy):
    ev, pl = data_copy
    ev.write_bytes(b"\xef\xbb\xbf" + ev.read_bytes())
    assert "EVENTS:1: -: the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM" in _problems(ev, pl)


def test_crlf_line_ends_are_reported(data_copy):
    ev, pl = data_copy
    pl.write_bytes(pl.read_bytes().replace(b"\n", b"\r\n"))
    assert "PLACES:1: -: CRLF line ends found; save the file with LF (Unix) line ends" in _problems(ev, pl)


def test_empty_file_is_reported(data_copy):
    ev, pl = data_copy
    ev.write_text("")
    assert _problems(ev, pl)[0].startswith("EVENTS:1: -: the file is empty; expected a header row: event_id,date,")


def test_non_utf8_bytes_are_reported_with_their_line(data_copy):
    ev, pl = data_copy
    ev.write_bytes(ev.read_bytes().replace(b"ISIS takes Mosul", b"ISIS takes Mosul \xff"))
    assert "EVENTS:3: -: byte 0xff is not UTF-8; re-save the file as UTF-8" in _problems(ev, pl)


def test_every_problem_is_reported_at_once(data_copy):
    ev, pl = data_copy
    _edit(ev, "T-0002,2014-06-10", "T-0002,2013-06-10")
    _edit(ev, "T-0005,2015-05-21,palmyra", "T-0005,2015-05-21,tadmor")
    _edit(pl, "IQ,Baghdad,city", "XX,Baghdad,city")
    lines = _problems(ev, pl)
    assert [line.split(":")[:2] for line in lines] == [["PLACES", "5"], ["EVENTS", "3"], ["EVENTS", "6"], ["EVENTS", "7"]]
    # the row moved to an unknown place leaves Palmyra's recapture with nothing to recapture
    assert lines[3].startswith("EVENTS:7: controller_after: 'palmyra' is already held by SYRIAN_GOVERNMENT")


def test_load_keeps_problems_and_counts_skipped_rows(data_copy):
    ev, pl = data_copy
    _edit(ev, "T-0002,2014-06-10", "T-0002,2014-13-10")
    ds = load(ev, pl)
    assert ds.skipped_events == 1
    assert len(ds.events) == 12
    assert not ds.ok and ds.problems[0].line == 3
