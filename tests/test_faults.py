"""Fault injection: concurrent saves, killed writers, a full disk, broken files and hostile URLs.

Every case ends the same way: every acknowledged row is in the file exactly once, the file
validates, and the user saw a clear message (never a traceback).
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_data, run_cli as run
from frontline.intake import csvstore, gazetteer
from frontline.intake import events as curate
from frontline.dataset.load import load
from frontline.intake.geocode import Geocoder

INTAKE = Path(__file__).resolve().parent / "fixtures" / "intake"




@pytest.fixture
def intake(tmp_path):
    return copy_data(INTAKE, tmp_path)


def _battle(pl, summary: str, date: str = "2018-06-01"):
    g = Geocoder(gazetteer.load_places(pl), offline=True)
    place = gazetteer.resolve_place(g, "Baghuz")
    return curate.build_row(place, date=date, event_type="battle", actors="SDF|ISIS", summary=summary,
                            source="Test, 2018-06-01, fixture", source_type="newspaper", confidence="low", existing_ids=["SY-0001"])


def _assert_exactly_once(ev, pl, acknowledged: dict[str, str]) -> None:
    """Every acknowledged (id -> summary) row is present once, ids are unique, and the file validates."""
    ds = load(ev, pl)
    assert [str(p) for p in ds.problems] == []
    ids = ds.events["event_id"].tolist()
    assert len(ids) == len(set(ids))
    by_id = dict(zip(ds.events["event_id"], ds.events["summary"]))
    for eid, summary in acknowledged.items():
        assert by_id.get(eid) == summary, eid
    summaries = ds.events["summary"].tolist()
    assert all(summaries.count(s) == 1 for s in acknowledged.values())


# --- concurrent saves ------------------------------------------------------------------------------


def test_fifty_concurrent_add_event_processes_each_keep_their_row_once(intake):
    ev, pl = intake
    before = len(load(ev, pl).events)
    procs = []
    for i in range(50):
        args = [sys.executable, "-m", "frontline", "add-event", "--place", "Baghuz", "--date", "2018-06-01",
                "--type", "battle", "--actors", "SDF|ISIS", "--summary", f"Concurrent test row {i}.",
                "--source", "Test, 2018-06-01, fixture", "--source-type", "newspaper", "--confidence", "low", "--allow-duplicate",
                "--events", str(ev), "--places", str(pl)]
        procs.append(subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    acknowledged = {}
    for i, p in enumerate(procs):
        out, err = p.communicate(timeout=300)
        assert "Traceback" not in err
        m = re.search(r"^added (\S+) at line", out, re.M)
        if m:
            acknowledged[m.group(1)] = f"Concurrent test row {i}."
    assert len(acknowledged) == 50  # the lock makes each wait its turn: none is refused
    _assert_exactly_once(ev, pl, acknowledged)
    assert len(load(ev, pl).events) == before + 50


def test_threads_saving_at_once_in_twenty_rounds_never_lose_or_duplicate_a_row(intake):
    ev, pl = intake
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()

    def save(n: int) -> None:
        row = _battle(pl, f"Thread row {n}.")
        added = curate.insert_event(row, ev, pl, auto_id=True)
        with lock:
            acknowledged[added.event_id] = f"Thread row {n}."

    for rnd in range(20):
        threads = [threading.Thread(target=save, args=(rnd * 10 + k,)) for k in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(acknowledged) == 100
    _assert_exactly_once(ev, pl, acknowledged)


def test_a_save_previewed_on_an_older_file_gets_a_new_id_and_says_someone_saved_first(intake):
    ev, pl = intake
    digest = csvstore.digest(ev)
    mine = {**_battle(pl, "Mine."), "event_id": curate.next_event_id(curate.event_ids(ev), "SY")}
    other = curate.insert_event(_battle(pl, "Theirs."), ev, pl, auto_id=True)
    assert other.event_id == mine["event_id"]  # both were shown the same next id
    added = curate.insert_event(mine, ev, pl, auto_id=True, expected_digest=digest)
    assert added.changed_meanwhile and added.event_id != other.event_id and added.previewed_id == other.event_id
    assert added.message().startswith("Someone else saved first: your row was checked again against the file as it "
                                      f"is now, and added. It was shown as {other.event_id}, which someone else took")
    _assert_exactly_once(ev, pl, {other.event_id: "Theirs.", added.event_id: "Mine."})


def test_a_possible_duplicate_saved_meanwhile_stops_the_save_with_the_other_row(intake):
    ev, pl = intake
    mine = _battle(pl, "Same fight, my words.")
    theirs = curate.insert_event(_battle(pl, "Same fight, their words."), ev, pl, auto_id=True)
    before = ev.read_bytes()
    with pytest.raises(curate.DuplicateWhileSavingError, match=rf"^Someone else saved first, and it may be the same "
                                                                rf"event: {theirs.event_id} 2018-06-01 baghouz battle"):
        curate.insert_event(mine, ev, pl, auto_id=True, seen_duplicates=[])
    assert ev.read_bytes() == before


def test_a_place_added_twice_at_once_lands_once(tmp_path):
    _ev, pl = copy_data(INTAKE, tmp_path)
    from frontline.intake import places as cp

    row = cp.build_place_row(name="Hajin", country="SY", admin1="Dayr Az Zawr", kind="town",
                             controller_2014="SYRIAN_OPPOSITION", lat=34.69, lon=40.83, coord_source="test")
    results = []

    def save():
        try:
            results.append(cp.insert_place(row, pl).place_id)
        except Exception as err:  # noqa: BLE001 - the refusal is what is tested
            results.append(type(err).__name__)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["DataError"] * 3 + ["hajin"]
    assert pl.read_text(encoding="utf-8").count("\nhajin,") == 1


# --- killed writers and a full disk -----------------------------------------------------------------

_WRITER = """
import sys
from frontline.intake import events as curate, gazetteer
from frontline.intake.geocode import Geocoder
ev, pl = sys.argv[1], sys.argv[2]
g = Geocoder(gazetteer.load_places(pl), offline=True)
place = gazetteer.resolve_place(g, 'Baghuz')
for i in range(10_000):
    row = curate.build_row(place, date='2018-06-01', event_type='battle', actors='SDF|ISIS',
                           summary=f'Killed writer row {sys.argv[3]}-{i}.', source='Test, 2018-06-01, fixture', source_type='newspaper',
                           confidence='low', existing_ids=['SY-0001'])
    added = curate.insert_event(row, ev, pl, auto_id=True)
    print(added.event_id, row['summary'], flush=True)
"""


def test_writers_killed_at_random_points_never_leave_a_broken_file(intake):
    ev, pl = intake
    rng = random.Random(20190323)
    acknowledged: dict[str, str] = {}
    for k in range(8):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(ev), str(pl), str(k)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(1.0, 3.0))  # start-up is ~1 s; then saves run back to back
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        for line in out.splitlines():
            eid, summary = line.split(" ", 1)
            acknowledged[eid] = summary
        _assert_exactly_once(ev, pl, acknowledged)
    assert acknowledged  # the writers did save between the kills
    # whatever a killed writer left is cleaned under the next lock
    curate.insert_event(_battle(pl, "After the kills."), ev, pl, auto_id=True)
    assert csvstore.stale_temp_files(ev) == []


def test_a_full_disk_leaves_the_file_whole_and_says_so(intake, monkeypatch):
    ev, pl = intake
    before = ev.read_bytes()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device", str(ev))

    monkeypatch.setattr(csvstore.os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    code, _out, err = run("add-event", "--place", "Baghuz", "--date", "2018-06-01", "--type", "battle", "--actors",
                          "SDF|ISIS", "--summary", "Disk full test.", "--source", "Test, 2018-06-01, fixture", "--source-type", "newspaper",
                          "--confidence", "low", "--events", str(ev), "--places", str(pl))
    assert code == 1
    assert err == f"error: {ev}: No space left on device; free some space and try again (nothing was written)\n"
    assert ev.read_bytes() == before
    assert csvstore.stale_temp_files(ev) == []


# --- broken and hostile files -----------------------------------------------------------------------


def test_a_file_cut_inside_its_last_quoted_field_fails_validation(intake):
    ev, pl = intake
    text = ev.read_text(encoding="utf-8")
    cut = text[: text.rindex('"') - 5]  # inside the last quoted value
    ev.write_text(cut, encoding="utf-8")
    code, out, _err = run("validate", "--events", str(ev), "--places", str(pl))
    assert code == 1
    assert re.search(rf"^{re.escape(str(ev))}:\d+: -: the file ends inside a quoted value that opens on this line: "
                     r"it was cut short; restore it \(git checkout\) or close the quote$", out, re.M)


def _set_cell(path: Path, row_index: int, column: str, value: str) -> None:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    rows[row_index][column] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_one_megabyte_cell_is_a_problem_with_its_line_not_a_crash(intake):
    ev, pl = intake
    _set_cell(ev, 1, "summary", "x" * 1_000_000)
    code, out, err = run("validate", "--events", str(ev), "--places", str(pl))
    assert code == 1 and "Traceback" not in err
    assert f"{ev}:3: summary: the value is 1,000,000 characters long; at most 20,000 are allowed: shorten it" in out


def test_formula_text_and_bad_ids_are_refused_by_validate_and_add_event(intake):
    ev, pl = intake
    code, _out, err = run("add-event", "--place", "Baghuz", "--date", "2018-06-01", "--type", "battle", "--actors",
                          "SDF|ISIS", "--summary", '=HYPERLINK("http://evil","x")', "--source",
                          "Test, 2018-06-01, fixture", "--source-type", "newspaper", "--confidence", "low", "--event-id", "=1+2",
                          "--events", str(ev), "--places", str(pl))
    assert code == 1
    assert ("event_id: '=1+2' is not an event id; expected capital letters (the place's country), a hyphen and four "
            "digits (e.g. 'SY-0042')") in err
    assert ("summary: the value starts with '=', which a spreadsheet runs as a formula; reword it so that it starts "
            "with a letter, a digit or a quote") in err


def test_duplicate_place_ids_follow_one_rule_the_first_row_wins(intake):
    ev, pl = intake
    lines = pl.read_text(encoding="utf-8").splitlines()
    baghouz = next(line for line in lines if line.startswith("baghouz,"))
    moved = baghouz.replace("34.45861,40.95056", "36.0,38.0")  # a second copy far away
    pl.write_text("\n".join(lines + [moved]) + "\n", encoding="utf-8")
    run("add-event", "--place", "baghouz", "--date", "2018-06-01", "--type", "battle", "--actors", "SDF|ISIS",
        "--summary", "x", "--source", "Test, 2018-06-01, fixture", "--source-type", "newspaper", "--confidence", "low", "--dry-run",
        "--events", str(ev), "--places", str(pl))
    code, out, _err = run("validate", "--events", str(ev), "--places", str(pl))
    assert code == 1
    problems = [line for line in out.splitlines() if ":" in line]
    # one problem: the duplicate id; events are checked against the first copy, as the app uses it
    assert len(problems) == 1 and "duplicate id 'baghouz', first used on line" in problems[0]
    assert load(ev, pl).places.set_index("place_id").loc["baghouz", "lat"] == pytest.approx(34.45861)


def test_add_event_on_a_file_that_is_not_utf8_says_so_without_a_traceback(intake):
    ev, pl = intake
    ev.write_bytes(ev.read_bytes() + "SY-0999,2018-06-01,baghouz,34.45861,40.95056,battle,SDF,,caf\xe9".encode("latin-1"))
    code, _out, err = run("add-event", "--place", "Baghuz", "--date", "2018-06-01", "--type", "battle", "--actors",
                          "SDF|ISIS", "--summary", "x", "--source", "Test, 2018-06-01, fixture", "--source-type", "newspaper", "--confidence",
                          "low", "--events", str(ev), "--places", str(pl))
    assert code == 1 and "Traceback" not in err
    assert f"{ev}:16: -: byte 0xe9 is not UTF-8; re-save the file as UTF-8" in err, err


@pytest.mark.parametrize("make, message", [
    (lambda d: ["--out", str(d / "a" / ".." / ".." / "x.parquet")], "is outside"),
    (lambda d: ["--out", str(d)], "is a folder; give a file name ending in .parquet"),
    (lambda d: ["--out", str(d / "x.csv")], "does not end in .parquet"),
    (lambda d: ["--encoding", "klingon"], "unknown --encoding 'klingon'; use utf-8 (UCDP, ACLED) or latin-1 (GTD)"),
])
def test_import_mistakes_are_clear_errors(tmp_path, monkeypatch, make, message):
    from frontline import config

    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path)
    src = ROOT.parent / "shared" / "data" / "ucdp_ged_syria_is_events_2016_2019.csv"
    code, _out, err = run("import", "--format", "ucdp", str(src), *make(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert err.startswith("error: ") and message in err


def test_import_of_a_folder_or_a_huge_header_is_a_clear_error(tmp_path, monkeypatch):
    from frontline import config

    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path / "out")
    code, _out, err = run("import", "--format", "ucdp", str(tmp_path))
    assert code == 1 and err == f"error: {tmp_path}: is a folder; give the dataset's CSV file inside it\n"
    big = tmp_path / "big.csv"
    big.write_text("x" * 1_000_000 + ",id\n1,2\n", encoding="utf-8")
    code, _out, err = run("import", "--format", "ucdp", str(big))
    assert code == 1 and "Traceback" not in err and err.startswith(f"error: {big}:1: missing column(s)")


# --- the app with broken files and hostile links (AppTest) -----------------------------------------

PAGES = ("pages/0_Map.py", "pages/1_Timeline.py", "pages/2_Events.py", "pages/3_Sources_and_Methodology.py",
         "pages/4_Briefing.py", "pages/5_Curate.py")


def _app_on(monkeypatch, ev, pl, **params):
    from streamlit.testing.v1 import AppTest

    from frontline.app import cache as appcache

    for name in ("dataset", "timeline", "territory"):
        original = getattr(appcache, name)
        monkeypatch.setattr(appcache, name, lambda *a, _f=original, **k: _f(str(ev), str(pl)))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _texts(at) -> str:
    from conftest import shown

    return " ".join(shown(e.value) for kind in ("error", "warning", "info") for e in getattr(at, kind))


def test_every_page_survives_a_one_megabyte_cell_and_shows_the_same_banner(monkeypatch, tmp_path, curation_local):
    ev, pl = copy_data(ROOT / "tests" / "fixtures", tmp_path)
    _set_cell(ev, 1, "summary", "x" * 1_000_000)
    at = _app_on(monkeypatch, ev, pl)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert "The data files have 1 problem(s)" in _texts(at), page


@pytest.mark.parametrize("zoom", ["inf", "-inf", "1e400", "nan"])
def test_a_non_finite_zoom_in_the_link_is_ignored_with_a_notice(monkeypatch, fixture_paths, zoom):
    at = _app_on(monkeypatch, *fixture_paths, zoom=zoom, lat="36", lon="40")
    assert not at.exception, at.exception
    assert (f"Ignored the map view in the link (lat=36, lon=40, zoom={zoom}): expected lat in [-90, 90], "
            "lon in [-180, 180], zoom 4 to 14.") in _texts(at)
    at.run()  # and on every rerun
    assert not at.exception


def test_markdown_in_a_link_is_shown_as_text_never_as_an_image_or_a_link(monkeypatch, fixture_paths):
    at = _app_on(monkeypatch, *fixture_paths, date="![b](http://host/beacon.png)",
                 country="[Re-login here](http://evil.example/)")
    assert not at.exception, at.exception
    bodies = [e.value for kind in ("error", "warning", "info") for e in getattr(at, kind)]
    assert bodies and not any(re.search(r"(?<!\\)!\[|(?<!\\)\[[^\]]*(?<!\\)\]\(", b) for b in bodies)
    assert "Ignored date=![b](http://host/beacon.png) in the link" in _texts(at)


def test_repeated_keys_in_a_link_are_merged_or_reported(monkeypatch, fixture_paths):
    from streamlit.testing.v1 import AppTest

    from frontline.app import cache as appcache

    ev, pl = fixture_paths
    for name in ("dataset", "timeline", "territory"):
        original = getattr(appcache, name)
        monkeypatch.setattr(appcache, name, lambda *a, _f=original, **k: _f(str(ev), str(pl)))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["country"] = ["SY", "IQ"]
    at.query_params["date"] = ["2015-01-01", "2016-01-01"]
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["fl_filters"].countries == ("SY", "IQ")
    assert at.session_state["fl_date"] == __import__("datetime").date(2016, 1, 1)
    assert "date is given 2 times in the link; using the last (2016-01-01)." in _texts(at)


def test_a_missing_basemap_file_is_explained_on_every_page_and_the_map_still_draws(monkeypatch, fixture_paths, tmp_path,
                                                                                   curation_local):
    import shutil

    from frontline import config
    from frontline.dataset import basemap

    gone = tmp_path / "basemap"
    shutil.copytree(config.BASEMAP_DIR, gone)
    (gone / basemap.LAYER_FILES["rivers"]).unlink()
    monkeypatch.setattr(config, "BASEMAP_DIR", gone)
    monkeypatch.setattr(basemap.problem, "__defaults__", (gone,))
    at = _app_on(monkeypatch, *fixture_paths)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert (f"1 basemap file(s) missing in {gone}: ne_10m_rivers_region.geojson. The map is drawn without them"
                in _texts(at)), page
    assert basemap.layer("rivers", gone) == {"type": "FeatureCollection", "features": []}


def test_temporary_files_left_by_a_killed_save_are_removed_at_start_up(intake):
    ev, _pl = intake
    left = ev.parent / ".events.csv.abc123.tmp"
    left.write_text("half a file", encoding="utf-8")
    assert csvstore.stale_temp_files(ev) == [left]
    csvstore.tidy(ev)
    assert not left.exists()
