"""The command-line interface: every command has help with an example, and the core commands work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli as run

from frontline.cli import build_parser, command_names

ROOT = Path(__file__).resolve().parent.parent




@pytest.mark.parametrize("name", command_names())
def test_every_command_help_ends_with_an_example(name):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices[name]
    text = sub.format_help().rstrip()
    assert "Example:" in text
    assert text.splitlines()[-1].strip().startswith("python -m frontline") or "python -m frontline" in text.split("Example:")[-1]


@pytest.mark.parametrize("name", command_names())
def test_every_command_is_in_the_readme(name):
    assert f"python -m frontline {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_validate_passes_on_good_data(fixture_paths):
    ev, pl = fixture_paths
    code, out, _ = run("validate", "--events", str(ev), "--places", str(pl))
    assert code == 0
    assert out.startswith("OK: 5 places, 13 events (8 changes of control)")


def test_validate_fails_with_line_numbers_on_broken_copy(data_copy):
    ev, pl = data_copy
    ev.write_text(ev.read_text().replace("T-0005,2015-05-21", "T-0005,2015-02-30"))
    code, out, err = run("validate", "--events", str(ev), "--places", str(pl))
    assert code == 1
    assert f"{ev}:6: date: expected an ISO date YYYY-MM-DD, found '2015-02-30'" in out
    assert "1 problem(s) found." in err


def test_control_prints_csv(fixture_paths):
    ev, pl = fixture_paths
    code, out, _ = run("control", "--date", "2017-10-20", "--events", str(ev), "--places", str(pl))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "place_id,name,lat,lon,country,controller,since,contested"
    assert "raqqa,Raqqa,35.95283,39.00788,SY,SDF,2017-10-17,False" in lines


def test_control_prints_json(fixture_paths):
    ev, pl = fixture_paths
    code, out, _ = run("control", "--date", "2014-06-10", "--format", "json", "--events", str(ev), "--places", str(pl))
    rows = {r["place_id"]: r for r in json.loads(out)}
    assert code == 0 and rows["mosul"]["controller"] == "ISIS" and rows["mosul"]["since"] == "2014-06-10"


def test_control_refuses_a_date_outside_the_period(fixture_paths):
    ev, pl = fixture_paths
    code, _, err = run("control", "--date", "2021-01-01", "--events", str(ev), "--places", str(pl))
    assert code == 1
    assert "error: 2021-01-01 is outside 2014-01-01..2019-12-31" in err


def test_control_on_broken_data_exits_1_listing_problems(data_copy):
    ev, pl = data_copy
    ev.write_text(ev.read_text().replace("mosul,36.335", "mosel,36.335", 1))
    code, _, err = run("control", "--date", "2015-01-01", "--events", str(ev), "--places", str(pl))
    assert code == 1 and f"{ev}:3: place_id: unknown place 'mosel'" in err
