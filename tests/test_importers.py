"""Importers: UCDP GED, ACLED and GTD onto one table; broken files; the overlay layer built from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli as run

from frontline import config
from frontline.webmap import overlay
from frontline.intake import importers
from frontline.errors import ImportFormatError

INTAKE = Path(__file__).resolve().parent / "fixtures" / "intake"
UCDP = INTAKE / "ucdp_ged_sample.csv"
ACLED = INTAKE / "acled_synthetic_sample.csv"
GTD = INTAKE / "gtd_synthetic_sample.csv"
REAL_UCDP = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp_ged_syria_is_events_2016_2019.csv"


def test_ucdp_rows_map_onto_the_schema_with_their_own_ids():
    table, report = importers.import_file(UCDP, "ucdp")
    assert list(table.columns) == importers.COLUMNS
    assert report.rows_read == report.rows_mapped == 5 and report.rejected == []
    first = table.iloc[0]
    assert first["source_id"] == "246604" and first["date"] == pd.Timestamp("2017-07-27")
    assert (first["lat"], first["lon"], first["place"]) == (34.43221, 40.99226, "Baghuz at-Tahtani village")
    assert (first["event_type"], first["raw_type"], first["actors"]) == ("battle", "non-state", "ISIS|SDF")
    by_id = table.set_index("source_id")
    assert by_id.loc["215936", ["event_type", "actors"]].tolist() == ["attack", "ISIS|CIVILIANS"]
    assert by_id.loc["236764", "actors"] == "SYRIAN_GOVERNMENT|ISIS" and by_id.loc["236764", "fatalities"] == 2056
    assert table["isis_party"].all() and (table["source_dataset"] == "ucdp").all()


@pytest.mark.skipif(not REAL_UCDP.exists(), reason="the real UCDP extract is in ../shared/data/ (not in this checkout)")
def test_real_ucdp_extract_imports_every_row_with_isis_as_a_party():
    raw = pd.read_csv(REAL_UCDP, usecols=["id", "side_a", "side_b"], dtype=str)
    table, report = importers.import_file(REAL_UCDP, "ucdp", chunksize=2000)
    assert report.rows_read == len(raw) and report.rows_mapped == len(raw)
    assert table["isis_party"].sum() == ((raw["side_a"] == "IS") | (raw["side_b"] == "IS")).sum()
    assert table["source_id"].tolist() == raw["id"].tolist()
    assert table["date"].between("2016-01-01", "2019-12-31").all()
    assert table["lat"].between(32, 37.5).all() and table["lon"].between(35.5, 42.5).all()  # Syria


def test_acled_maps_types_both_date_formats_and_both_isis_names():
    table, report = importers.import_file(ACLED, "acled")
    by_id = table.set_index("source_id")
    assert by_id.loc["SYR900001", ["event_type", "actors", "isis_party"]].tolist() == ["battle", "SDF|ISIS", True]
    assert by_id.loc["IRQ900001", "date"] == pd.Timestamp("2017-07-10")  # "10 July 2017"
    assert by_id.loc["IRQ900001", ["event_type", "isis_party"]].tolist() == ["control_change", True]
    assert by_id.loc["SYR900002", ["event_type", "actors", "isis_party"]].tolist() == ["airstrike", "RUSSIA|CIVILIANS",
                                                                                       False]
    assert by_id.loc["IRQ900002", ["event_type", "actors"]].tolist() == ["", "Protesters (Iraq)|Women (Iraq)|Students (Iraq)"]
    assert [str(r) for r in report.rejected] == [
        "row 4 (id SYR900003): event_date '2017-13-45' is not a date (YYYY-MM-DD or DD Month YYYY)",
        "row 5 (id SYR900004): latitude/longitude ('', '38.1') are not usable coordinates",
    ]


def test_gtd_marks_isil_in_any_group_column_and_refuses_unknown_days():
    table, report = importers.import_file(GTD, "gtd")
    by_id = table.set_index("source_id")
    assert by_id["isis_party"].to_dict() == {"201710170901": True, "201602140901": False, "201606010901": True}
    assert by_id.loc["201606010901", "actors"] == "Unknown|ISIS"
    assert pd.isna(by_id.loc["201602140901", "fatalities"])
    assert [str(r) for r in report.rejected] == [
        "row 2 (id 201507000901): iday is 0 (GTD: unknown), so the date is not known to the day"]


def test_small_chunks_give_the_same_table_and_row_numbers():
    big, big_report = importers.import_file(ACLED, "acled")
    small, small_report = importers.import_file(ACLED, "acled", chunksize=2)
    pd.testing.assert_frame_equal(big, small)
    assert big_report.rejected == small_report.rejected


def test_missing_columns_are_named_with_the_fix(tmp_path):
    broken = tmp_path / "acled.csv"
    text = ACLED.read_text(encoding="utf-8").replace("event_date,", "date,", 1).replace(",fatalities,", ",deaths,", 1)
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        importers.import_file(broken, "acled")
    assert str(err.value) == (
        f"{broken}:1: missing column(s) event_date, fatalities for --format acled; expected an ACLED export CSV "
        "(acleddata.com: Data Export Tool) (found: event_id_cnty, date, year, time_precision, disorder_type, "
        "event_type, sub_event_type, actor1...)")


def test_wrong_format_is_caught_by_its_columns():
    with pytest.raises(ImportFormatError, match=r"missing column\(s\) eventid, iyear, imonth, iday, country_txt"):
        importers.import_file(UCDP, "gtd")


def test_non_utf8_bytes_are_reported_with_their_line(tmp_path):
    latin = tmp_path / "gtd_latin1.csv"
    latin.write_bytes(GTD.read_text(encoding="utf-8").replace("city=", "").replace(",Mosul,", ",Mosul Ç,")
                      .encode("latin-1"))
    with pytest.raises(ImportFormatError) as err:
        importers.import_file(latin, "gtd")
    assert str(err.value) == (f"{latin}:5: byte 0xc7 is not valid utf-8; re-save the file as UTF-8, or pass "
                              "--encoding latin-1 if it is a Latin-1 file (GTD's CSV is)")
    table, _ = importers.import_file(latin, "gtd", encoding="latin-1")
    assert "Mosul Ç" in table["place"].tolist()


def test_bad_dates_and_coordinates_in_ucdp_are_reported_not_raised(tmp_path):
    lines = UCDP.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("2017-07-27,2017-07-27", "2017-02-30,2017-07-27")
    lines[2] = lines[2].replace("34.43221,40.99226", "north,40.99226")
    broken = tmp_path / "ucdp.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    table, report = importers.import_file(broken, "ucdp")
    assert report.rows_mapped == 3
    assert [str(r) for r in report.rejected] == [
        "row 1 (id 246604): date_start '2017-02-30' is not a date (YYYY-MM-DD)",
        "row 2 (id 254328): latitude/longitude ('north', '40.99226') are not usable coordinates"]


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"empty.csv:1: the file is empty; expected a UCDP GED CSV"):
        importers.import_file(empty, "ucdp")




def test_cli_import_writes_parquet_and_lists_unmapped_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path / "imports")
    out_file = tmp_path / "imports" / "acled.parquet"
    code, out, err = run("import", "--format", "acled", str(ACLED), "--out", str(out_file))
    assert code == 0
    assert out.splitlines() == [f"{ACLED}: 6 rows read, 4 mapped (2 with ISIS as a party), 2 not mapped",
                                f"wrote 4 rows to {out_file}"]
    assert err.splitlines()[0] == "not mapped: row 4 (id SYR900003): event_date '2017-13-45' is not a date (YYYY-MM-DD or DD Month YYYY)"
    back = importers.read_imported(out_file)
    assert back["source_id"].tolist() == ["SYR900001", "IRQ900001", "SYR900002", "IRQ900002"]
    assert overlay.overlay_files(out_file.parent) == [out_file]


def test_cli_import_of_a_broken_file_exits_1_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "IMPORTS_DIR", tmp_path)
    code, _out, err = run("import", "--format", "gtd", str(ACLED), "--out", str(tmp_path / "x.parquet"))
    assert code == 1 and err.startswith(f"error: {ACLED}:1: missing column(s) eventid, iyear")
    assert not (tmp_path / "x.parquet").exists()


@pytest.mark.parametrize("kind", ["cluster", "heat"])
def test_an_imported_file_is_drawn_from_one_duckdb_query_per_date(kind, tmp_path):
    from frontline.intake.overlay_query import OverlayQuery

    table, _ = importers.import_file(UCDP, "ucdp")
    path = importers.write_parquet(table, tmp_path / "ucdp.parquet")
    window = OverlayQuery(path).window("2016-12-31", 366, max_points=overlay.MAX_POINTS)
    group = overlay.overlay_call(window, kind)
    assert group.state["kind"] == kind and group.state["total"] == 3
    assert [35.0, 38.0] in [p[:2] for p in group.state["points"]]  # UCDP id 236764's point is drawn
    assert any("236764" in p[3] for p in group.state["points"])


def test_overlay_keeps_isis_rows_only_when_asked_and_rejects_an_unknown_kind(tmp_path):
    from frontline.intake.overlay_query import OverlayQuery

    table, _ = importers.import_file(ACLED, "acled")
    q = OverlayQuery(importers.write_parquet(table, tmp_path / "acled.parquet"))
    isis = q.window("2019-12-31", 3000, isis_only=True, max_points=100)
    assert sorted(isis.points["source_id"]) == sorted(["SYR900001", "IRQ900001"])
    assert q.window("2019-12-31", 3000, max_points=100).total == len(table)
    with pytest.raises(ValueError, match="kind must be one of \\('cluster', 'heat'\\), not 'dots'"):
        overlay.overlay_call(isis, "dots")
