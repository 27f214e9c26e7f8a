"""Check every row of the places and events files and report every problem at once.

Each problem is a :class:`~frontline.errors.Problem` (``FILE:LINE: column: message``)
that says what was expected, what was found and how to fix it.
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date
from pathlib import Path

from geopy.distance import geodesic

from .. import config, vocab
from ..errors import Problem
from .schema import EVENT_COLUMNS, EVENT_REQUIRED, PLACE_COLUMNS, PLACE_REQUIRED

__all__ = ["read_rows", "check_places", "check_events", "check_chain", "validate_files",
           "first_places", "EVENT_ID", "MAX_CELL_CHARS"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``SY-0042``: a prefix of capital letters (the place's country in the curated data), a hyphen, 4-6 digits.
EVENT_ID = re.compile(r"^[A-Z]{1,4}-\d{4,6}$")

#: The longest value a cell may hold (characters). A summary is a sentence or two, and a
#: citation list a few hundred characters; anything longer is a paste gone wrong.
MAX_CELL_CHARS = 20_000
#: Free-text columns that a spreadsheet would run as a formula if they began with one of
#: :data:`FORMULA_START` (OWASP "CSV injection").
TEXT_COLUMNS = ("name", "aliases", "summary", "source", "notes", "population_source", "coord_source", "admin1")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def read_rows(path: Path | str, columns: list[str]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Read a CSV file into ``(line, row)`` pairs, checking its bytes and header.

    Problems with the file as a whole (byte-order mark, CRLF, empty file, header)
    are returned with the rows that could still be read.
    """
    path = Path(path)
    name = str(path)
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [Problem(name, 0, "-", "file not found; check the path or restore it with 'git checkout'")]
    if not raw.strip():
        return [], [Problem(name, 1, "-", f"the file is empty; expected a header row: {','.join(columns)}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, "-", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"))
        raw = raw[3:]
    if b"\r\n" in raw:
        line = raw[: raw.index(b"\r\n")].count(b"\n") + 1
        problems.append(Problem(name, line, "-", "CRLF line ends found; save the file with LF (Unix) line ends"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [], problems + [Problem(name, line, "-", f"byte {raw[err.start]:#04x} is not UTF-8; re-save the file as UTF-8")]
    problems += _truncation(name, text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], problems + [Problem(name, 1, "-", "no header row")]
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    for col in missing:
        problems.append(Problem(name, 1, col, f"missing column {col!r}; the header must be: {','.join(columns)}"))
    for col in extra:
        problems.append(Problem(name, 1, col, f"unexpected column {col!r}; remove it or rename it to one of: {','.join(columns)}"))
    rows: list[tuple[int, dict]] = []
    start = 2
    for values in reader:
        line = start
        start = reader.line_num + 1
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(name, line, "-", f"expected {len(header)} fields, found {len(values)}; check for an unquoted comma"))
        row = {c: "" for c in columns}
        row.update({h: v.strip() for h, v in zip(header, values) if h in columns})
        for col, value in row.items():
            if len(value) > MAX_CELL_CHARS:
                problems.append(Problem(name, line, col, f"the value is {len(value):,} characters long; at most "
                                                         f"{MAX_CELL_CHARS:,} are allowed: shorten it"))
                row[col] = value[:MAX_CELL_CHARS]
            elif col in TEXT_COLUMNS and value.startswith(FORMULA_START):
                problems.append(Problem(name, line, col, f"the value starts with {value[0]!r}, which a spreadsheet "
                                                         "runs as a formula; reword it so that it starts with a "
                                                         "letter, a digit or a quote"))
        rows.append((line, row))
    return rows, problems


def _truncation(name: str, text: str) -> list[Problem]:
    """A file cut short (a copy or a write interrupted): it ends inside a quoted value, or mid-line.

    >>> [str(p) for p in _truncation("e.csv", 'a,b\\n1,"cut')]
    ['e.csv:2: -: the file ends inside a quoted value that opens on this line: it was cut short; restore it (git checkout) or close the quote']
    >>> [str(p) for p in _truncation("e.csv", 'a,b\\n1,2')]
    ['e.csv:2: -: the last line has no line end: the file may have been cut short; check the last row, then end the file with a newline']
    >>> _truncation("e.csv", 'a,b\\n1,"x\\ny"\\n')
    []
    """
    if not text:
        return []
    quoted, opened_at, line = False, 0, 1
    for m in re.finditer(r'"|\n', text):
        if m.group() == "\n":
            line += 1
        else:
            quoted = not quoted
            if quoted:
                opened_at = line
    if quoted:
        return [Problem(name, opened_at, "-", "the file ends inside a quoted value that opens on this line: it was "
                                              "cut short; restore it (git checkout) or close the quote")]
    if not text.endswith("\n"):
        return [Problem(name, line, "-", "the last line has no line end: the file may have been cut short; "
                                         "check the last row, then end the file with a newline")]
    return []


def _float(value: str) -> float | None:
    try:
        f = float(value)
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _check_coords(name: str, line: int, row: dict, problems: list[Problem]) -> tuple[float, float] | None:
    lat, lon = _float(row["lat"]), _float(row["lon"])
    ok = True
    for col, val, lo, hi in (("lat", lat, -90, 90), ("lon", lon, -180, 180)):
        if row[col] == "":
            continue  # reported as a missing value
        if val is None:
            problems.append(Problem(name, line, col, f"expected a decimal number, found {row[col]!r}"))
            ok = False
        elif not lo <= val <= hi:
            problems.append(Problem(name, line, col, f"{val} is outside [{lo}, {hi}]; check that lat and lon are not swapped"))
            ok = False
    return (lat, lon) if ok and lat is not None and lon is not None else None


_HINTS = {"source_type": " (one per source, '|'-separated: " + ", ".join(vocab.SOURCE_TYPES)
                          + "; add-event fills it for outlets listed in data/outlets.csv)"}


def _required(name: str, line: int, row: dict, required: list[str], problems: list[Problem]) -> None:
    for col in required:
        if not row[col]:
            problems.append(Problem(name, line, col, f"{col} is empty; every row needs a {col}{_HINTS.get(col, '')}"))


def _vocab(name: str, line: int, col: str, value: str, allowed, problems: list[Problem]) -> bool:
    if value and value not in allowed:
        problems.append(Problem(name, line, col, f"unknown value {value!r}; expected one of: {', '.join(allowed)}"))
        return False
    return True


def check_places(path: Path | str) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Validate the gazetteer; return its rows and every problem."""
    name = str(path)
    rows, problems = read_rows(path, PLACE_COLUMNS)
    seen: dict[str, int] = {}
    for line, row in rows:
        _required(name, line, row, PLACE_REQUIRED, problems)
        pid = row["place_id"]
        if pid and not _SLUG.match(pid):
            problems.append(Problem(name, line, "place_id", f"{pid!r} is not a slug; use lower-case letters, digits and hyphens (e.g. 'deir-ez-zor')"))
        if pid in seen:
            problems.append(Problem(name, line, "place_id", f"duplicate id {pid!r}, first used on line {seen[pid]}; give each place its own id"))
        elif pid:
            seen[pid] = line
        _check_coords(name, line, row, problems)
        _vocab(name, line, "country", row["country"], list(vocab.COUNTRIES), problems)
        _vocab(name, line, "kind", row["kind"], list(vocab.PLACE_KINDS), problems)
        _vocab(name, line, "controller_2014", row["controller_2014"], list(vocab.CONTROLLERS), problems)
        pop = row["population"]
        if pop and (not pop.isdigit()):
            problems.append(Problem(name, line, "population", f"expected a whole number or blank, found {pop!r}"))
        if pop and not row["population_source"]:
            problems.append(Problem(name, line, "population_source", "population is given without its source; name the source and year"))
    return rows, problems


def _parse_date(value: str) -> date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def check_events(path: Path | str, places: dict[str, dict] | None) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Validate the events against the gazetteer ``places`` (``place_id`` -> row); return rows and problems."""
    name = str(path)
    rows, problems = read_rows(path, EVENT_COLUMNS)
    lo, hi = date.fromisoformat(vocab.VALID_DATE_MIN), date.fromisoformat(vocab.VALID_DATE_MAX)
    seen: dict[str, int] = {}
    for line, row in rows:
        _required(name, line, row, EVENT_REQUIRED, problems)
        eid = row["event_id"]
        if eid and not EVENT_ID.match(eid):
            problems.append(Problem(name, line, "event_id", f"{eid!r} is not an event id; expected capital letters "
                                                            "(the place's country), a hyphen and four digits (e.g. 'SY-0042'), or leave it blank "
                                                            "when adding to get the next free one"))
        if eid in seen:
            problems.append(Problem(name, line, "event_id", f"duplicate id {eid!r}, first used on line {seen[eid]}; give each event its own id"))
        elif eid:
            seen[eid] = line
        if row["date"]:
            d = _parse_date(row["date"])
            if d is None:
                problems.append(Problem(name, line, "date", f"expected an ISO date YYYY-MM-DD, found {row['date']!r}"))
            elif not lo <= d <= hi:
                problems.append(Problem(name, line, "date", f"{row['date']} is outside {lo}..{hi}; check the year"))
        coords = _check_coords(name, line, row, problems)
        pid = row["place_id"]
        place = None
        if pid and places is not None:
            place = places.get(pid)
            if place is None:
                problems.append(Problem(name, line, "place_id", f"unknown place {pid!r}; add it to places.csv or use an existing place_id"))
        if coords and place is not None:
            plat, plon = _float(place["lat"]), _float(place["lon"])
            if plat is not None and plon is not None and -90 <= plat <= 90:
                km = geodesic(coords, (plat, plon)).km
                if km > config.MAX_EVENT_DISTANCE_KM:
                    problems.append(Problem(name, line, "lat", f"({coords[0]}, {coords[1]}) is {km:.0f} km from {pid!r} at ({plat}, {plon}); expected within {config.MAX_EVENT_DISTANCE_KM:.0f} km: fix the coordinates or the place_id"))
        etype = row["event_type"]
        _vocab(name, line, "event_type", etype, list(vocab.EVENT_TYPES), problems)
        for actor in filter(None, (a.strip() for a in row["actors"].split("|"))):
            _vocab(name, line, "actors", actor, list(vocab.ACTORS), problems)
        ctrl = row["controller_after"]
        _vocab(name, line, "controller_after", ctrl, list(vocab.CONTROLLERS), problems)
        if etype == vocab.CONTROL_CHANGE and not ctrl:
            problems.append(Problem(name, line, "controller_after", "a control_change needs controller_after: the controller code of the new holder"))
        if ctrl and etype in vocab.EVENT_TYPES and etype != vocab.CONTROL_CHANGE:
            problems.append(Problem(name, line, "controller_after", f"controller_after is set on a {etype!r} event; leave it blank or make the event a control_change"))
        _vocab(name, line, "confidence", row["confidence"], list(vocab.CONFIDENCE), problems)
        _check_source_types(name, line, row, problems)
    return rows, problems


def _check_source_types(name: str, line: int, row: dict, problems: list[Problem]) -> None:
    """One known ``source_type`` per source, in the order of ``source``."""
    kinds = [k.strip() for k in row["source_type"].split("|")] if row["source_type"] else []
    if not kinds:
        return  # reported as a missing value
    for kind in kinds:
        _vocab(name, line, "source_type", kind, list(vocab.SOURCE_TYPES), problems)
    n = len([s for s in re.split(r"\s+\|\s+", row["source"]) if s.strip()])
    if n and len(kinds) != n:
        problems.append(Problem(name, line, "source_type", f"{len(kinds)} source type(s) for {n} source(s); give one "
                                                           "per source, '|'-separated, in the order of source"))


def first_places(place_rows) -> dict[str, dict]:
    """``place_id`` -> row, the first row winning when an id is repeated (as everywhere in the app)."""
    out: dict[str, dict] = {}
    for _line, row in place_rows:
        if row["place_id"] and row["place_id"] not in out:
            out[row["place_id"]] = row
    return out


def _in_period(value: str) -> bool:
    day = _parse_date(value)
    return day is not None and vocab.VALID_DATE_MIN <= day.isoformat() <= vocab.VALID_DATE_MAX


def check_chain(name: str, event_rows, places: dict[str, dict]) -> list[Problem]:
    """The control chain of every place: each change must change the holder, one change a day.

    A place's holder starts as its ``controller_2014``; events are taken in date order, then
    ``event_id`` (the file's order). A change to the current holder (a "recapture" of a place
    never lost) and two changes of a place on one day are reported on the later row.
    """
    problems: list[Problem] = []
    holder = {pid: (row["controller_2014"], "2014-01-01 (controller_2014 in places.csv)") for pid, row in places.items()}
    last_day: dict[str, tuple[str, int]] = {}
    changes = [(row["date"], row["event_id"], line, row) for line, row in event_rows
               if row["event_type"] == vocab.CONTROL_CHANGE and row["place_id"] in places]
    # a place with a broken change (bad date or code) is reported for that row only, not again here
    broken = {row["place_id"] for _d, _e, _l, row in changes
              if row["controller_after"] not in vocab.CONTROLLERS or not _in_period(row["date"])}
    changes = [c for c in changes if c[3]["place_id"] not in broken]
    for day, _eid, line, row in sorted(changes, key=lambda c: (c[0], c[1])):
        pid, after = row["place_id"], row["controller_after"]
        current, since = holder[pid]
        if pid in last_day and last_day[pid][0] == day:
            problems.append(Problem(name, line, "date", f"{pid!r} already changes hands on {day} (line "
                                                        f"{last_day[pid][1]}); keep one change a day: merge the rows "
                                                        "or date them apart"))
        elif after == current:
            problems.append(Problem(name, line, "controller_after", f"{pid!r} is already held by {current} (since "
                                                                    f"{since}); a change of control must change the "
                                                                    "holder: fix controller_after, or the earlier change"))
        holder[pid] = (after, f"{day}, line {line}")
        last_day[pid] = (day, line)
    return problems


def validate_files(events_path: Path | str, places_path: Path | str):
    """Validate both files; return ``(place_rows, event_rows, problems)``."""
    place_rows, problems = check_places(places_path)
    places = first_places(place_rows)
    event_rows, event_problems = check_events(events_path, places if place_rows else None)
    if place_rows:
        event_problems += check_chain(str(events_path), event_rows, places)
    return place_rows, event_rows, problems + event_problems
