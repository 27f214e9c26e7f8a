"""Adding an event: one new line at its sorted place, same checks as validate, duplicates, atomic writes."""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_data, run_cli as run
from frontline.intake import events as curate
from frontline.intake import gazetteer
from frontline.errors import DataError
from frontline.intake.geocode import Geocoder

ROOT = Path(__file__).resolve().parent.parent
INTAKE = Path(__file__).resolve().parent / "fixtures" / "intake"


@pytest.fixture
def intake_copy(tmp_path):
    return copy_data(INTAKE, tmp_path)


def baghouz_row(pl, **kw):
    place = gazetteer.resolve_place(Geocoder(gazetteer.load_places(pl), offline=True), "Al-Baghuz Fawqani")
    fields = dict(date="2019-03-23", event_type="control_change", actors=["SDF", "US_COALITION", "ISIS"],
                  controller_after="SDF", summary="Test: the SDF took the last ISIS enclave at Baghuz.",
                  source="Test, 2019-03-23, fixture", source_type="newspaper", confidence="high", existing_ids=["T-0013", "SY-0041"])
    fields.update(kw)
    return curate.build_row(place, **fields)


def test_insert_adds_exactly_one_line_and_copies_every_other_byte(intake_copy):
    ev, pl = intake_copy
    before = ev.read_bytes()
    row = baghouz_row(pl, date="2016-07-04")
    added = curate.insert_event(row, ev, pl)
    after = ev.read_bytes()
    assert added.event_id == "SY-0042"
    assert added.text == ("SY-0042,2016-07-04,baghouz,34.45861,40.95056,control_change,SDF|US_COALITION|ISIS,SDF,"
                          "Test: the SDF took the last ISIS enclave at Baghuz.,\"Test, 2019-03-23, fixture\",,high,,newspaper\n")
    assert after.replace(added.text.encode(), b"", 1) == before
    lines = after.decode().split("\n")
    assert lines[added.line - 1] == added.text.rstrip("\n")
    # at its sorted place: after the 2016-07-03 event, before the next one
    assert lines[added.line - 2].startswith("T-0013,2016-07-03") and lines[added.line].startswith("T-0007,2016-10-17")


def test_file_keeps_date_then_id_order_and_stays_valid(intake_copy):
    from frontline.dataset.validate import validate_files

    ev, pl = intake_copy
    curate.insert_event(baghouz_row(pl), ev, pl)
    _p, rows, problems = validate_files(ev, pl)
    assert problems == []
    keys = [(r["date"], r["event_id"]) for _l, r in rows]
    assert keys == sorted(keys) and keys[-1] == ("2019-03-23", "SY-0042")


def test_quoted_value_spanning_lines_is_kept_byte_for_byte(intake_copy):
    ev, pl = intake_copy
    assert b'two lines,\nwith a comma and a ""quote"".' in ev.read_bytes()
    added = curate.insert_event(baghouz_row(pl, date="2014-06-11"), ev, pl)
    assert ev.read_bytes().replace(added.text.encode(), b"", 1) == (INTAKE / "events.csv").read_bytes()


@pytest.mark.parametrize("change, column, message", [
    ({"controller_after": ""}, "controller_after",
     "a control_change needs controller_after: the controller code of the new holder"),
    ({"date": "2013-12-31"}, "date", "2013-12-31 is outside 2014-01-01..2019-03-23; check the year"),
    ({"actors": ["SDF", "ALIENS"]}, "actors", "unknown value 'ALIENS'; expected one of: ISIS, SYRIAN_GOVERNMENT"),
    ({"summary": ""}, "summary", "summary is empty; every row needs a summary"),
    ({"lat": 36.2}, "lat", "(36.2, 40.95056) is 19? km from 'baghouz' at (34.45861, 40.95056); expected within 25 km"),
])
def test_invalid_row_is_refused_with_the_reason_and_nothing_is_written(intake_copy, change, column, message):
    ev, pl = intake_copy
    before = ev.read_bytes()
    with pytest.raises(DataError) as err:
        curate.insert_event(baghouz_row(pl, **change), ev, pl)
    [problem] = [p for p in err.value.problems if p.column == column]
    assert fnmatch.fnmatchcase(problem.message, message + "*") and problem.path == str(ev)
    assert ev.read_bytes() == before


def test_duplicate_id_is_refused(intake_copy):
    ev, pl = intake_copy
    with pytest.raises(DataError, match="duplicate id 'T-0012'; leave the id blank to get the next free one"):
        curate.insert_event(baghouz_row(pl, event_id="T-0012"), ev, pl)


def test_duplicates_are_same_place_and_type_within_three_days(intake_copy):
    ev, pl = intake_copy
    curate.insert_event(baghouz_row(pl), ev, pl)
    near = baghouz_row(pl, date="2019-03-20", existing_ids=["SY-0042"])
    far = baghouz_row(pl, date="2019-03-19", existing_ids=["SY-0042"])
    other_type = baghouz_row(pl, date="2019-03-23", event_type="battle", controller_after="", existing_ids=["SY-0042"])
    assert [d["event_id"] for d in curate.find_duplicates(near, ev)] == ["SY-0042"]
    assert curate.find_duplicates(far, ev) == [] and curate.find_duplicates(other_type, ev) == []


def test_failure_while_writing_leaves_the_old_file_whole(intake_copy, monkeypatch):
    ev, pl = intake_copy
    before = ev.read_bytes()

    def crash(fd):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="simulated"):
        curate.insert_event(baghouz_row(pl), ev, pl)
    assert ev.read_bytes() == before
    assert sorted(p.name for p in ev.parent.iterdir() if not p.name.endswith(".lock")) == ["events.csv", "places.csv"]


def test_process_killed_mid_write_leaves_the_old_file_whole(intake_copy):
    ev, pl = intake_copy
    before = ev.read_bytes()
    script = (
        "import os, sys\n"
        "from frontline.intake import events as curate, gazetteer\n"
        "from frontline.intake.geocode import Geocoder\n"
        "real_write = os.write\n"
        "class Half:\n"
        "    def __init__(self, fh): self.fh = fh\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *a): pass\n"
        "    def write(self, data): self.fh.write(data[: len(data) // 2]); self.fh.flush(); os._exit(9)\n"
        "real_fdopen = os.fdopen\n"
        "os.fdopen = lambda fd, mode='r', *a, **k: Half(real_fdopen(fd, mode, *a, **k))\n"
        f"ev, pl = {str(ev)!r}, {str(pl)!r}\n"
        "g = Geocoder(gazetteer.load_places(pl), offline=True)\n"
        "place = gazetteer.resolve_place(g, 'Baghuz')\n"
        "row = curate.build_row(place, date='2019-03-23', event_type='battle', actors='SDF|ISIS', summary='x',\n"
        "                       source='Test, 2019-03-23, fixture', source_type='newspaper', confidence='low')\n"
        "curate.insert_event(row, ev, pl)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr
    assert ev.read_bytes() == before
    leftovers = [p for p in ev.parent.iterdir() if p.name.startswith(".events.csv.") and p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].stat().st_size < len(before)  # the half-written temporary file
    # the next save, under the lock, removes what the killed writer left
    added = curate.insert_event(baghouz_row(pl), ev, pl)
    assert ev.read_bytes() != before and added.line > 1
    assert not [p for p in ev.parent.iterdir() if p.name.endswith(".tmp")]


def test_ambiguous_and_unknown_places_are_refused_with_candidates(intake_copy):
    from frontline.errors import GeocodingError

    _ev, pl = intake_copy
    g = Geocoder(gazetteer.load_places(pl), offline=True)
    with pytest.raises(GeocodingError, match=r"'Karama' is ambiguous: it fits al-Karamah \(al-karamah, SY\), "
                                             r"Karmah \(karmah, IQ\)"):
        gazetteer.resolve_place(g, "Karama")
    with pytest.raises(GeocodingError, match="'Hajin' is not in the gazetteer; add the place to places.csv first"):
        gazetteer.resolve_place(g, "Hajin")
    assert gazetteer.resolve_place(g, "karmah")["name"] == "Karmah"




def cli_args(ev, pl, *extra):
    return ("add-event", "--place", "Al-Baghuz Fawqani", "--date", "2019-03-23", "--type", "control_change",
            "--actors", "SDF|ISIS", "--controller-after", "SDF", "--summary", "Test: Baghuz taken.",
            "--source", "Test, 2019-03-23, fixture", "--source-type", "newspaper", "--confidence", "high", "--events", str(ev), "--places", str(pl),
            *extra)


def battle_args(ev, pl):
    args = list(cli_args(ev, pl))
    args[args.index("--type") + 1] = "battle"
    args[args.index("--controller-after") + 1] = ""
    return args


def test_cli_add_event_writes_one_line_and_refuses_a_duplicate(intake_copy):
    ev, pl = intake_copy
    code, out, _ = run(*cli_args(ev, pl, "--dry-run"))
    assert code == 0 and out.endswith("dry run: nothing written\n")
    assert ev.read_bytes() == (INTAKE / "events.csv").read_bytes()
    code, out, _ = run(*battle_args(ev, pl))
    assert code == 0
    assert out.splitlines()[0] == "place: Baghouz (baghouz), gazetteer (transliteration)"
    assert out.splitlines()[-1] == f"added SY-0001 at line 16 of {ev}"
    code, _out, err = run(*battle_args(ev, pl))
    assert code == 1
    assert "possible duplicate: SY-0001 2019-03-23 baghouz battle: Test: Baghuz taken." in err
    assert err.endswith("error: not added: it may duplicate the event(s) above; pass --allow-duplicate to add it anyway\n")


def test_cli_add_event_refuses_an_impossible_control_chain(intake_copy):
    ev, pl = intake_copy
    assert run(*cli_args(ev, pl))[0] == 0
    code, _out, err = run(*cli_args(ev, pl, "--allow-duplicate"))
    assert code == 1
    assert (f"{ev}:17: date: 'baghouz' already changes hands on 2019-03-23 (line 16); keep one change a day: "
            "merge the rows or date them apart") in err
    args = list(cli_args(ev, pl, "--allow-duplicate"))
    args[args.index("--date") + 1] = "2019-03-24"
    assert run(*args)[0] == 1  # after the period
    args[args.index("--date") + 1] = "2019-03-22"
    code, _out, err = run(*args)  # SDF takes it the day before it takes it: the existing row would be wrong
    assert code == 1
    assert (f"{ev}:16: controller_after: with this row, SY-0001 (2019-03-23) would be wrong: 'baghouz' is already "
            "held by SDF") in err


def test_cli_add_event_refuses_an_invalid_row(intake_copy):
    ev, pl = intake_copy
    args = list(cli_args(ev, pl))
    args[args.index("--controller-after") + 1] = ""
    code, _out, err = run(*args)
    assert code == 1
    assert (f"{ev}:16: controller_after: a control_change needs controller_after: the controller code of the new "
            "holder") in err
