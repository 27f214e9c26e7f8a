"""Add one event to ``events.csv`` safely: build the row, check it, find duplicates, insert it atomically.

The new row is checked with the very rules of ``python -m frontline validate`` (the
file is validated with the row in place, and the problems on the new line are kept).
It is inserted at its sorted position (date, then ``event_id``) as one new line; every
other byte of the file is copied unchanged, so ``git diff`` shows exactly one added line.
The file is replaced atomically (a temporary file in the same folder, then
``os.replace``): an interrupted write leaves the old file whole.

Example::

    row = build_row(place, date="2019-03-23", event_type="control_change", actors=["SDF", "ISIS"],
                    controller_after="SDF", summary="...", source="Outlet, 2019-03-23, Title",
                    confidence="high", existing_ids=ids)
    added = insert_event(row, "data/events.csv", "data/places.csv")
"""

from __future__ import annotations

import csv
import io
import re
import dataclasses
import tempfile
from datetime import date as _date
from pathlib import Path

from .. import config
from ..errors import ConcurrentEditError, Problem
from ..dataset.schema import EVENT_COLUMNS
from ..dataset.validate import check_chain, first_places, read_rows, validate_files
from . import csvstore
from .csvstore import Added
from .rows import coord_text, insert_record, read_text

__all__ = ["event_ids", "build_row", "next_event_id", "check_row", "find_duplicates", "insert_event", "Added",
           "DuplicateWhileSavingError", "EVENT_ORDER", "DUPLICATE_DAYS"]

#: The order of the rows of ``events.csv``.
EVENT_ORDER = ("date", "event_id")

#: Two events are possible duplicates when they share place and type and lie this many days apart or less.
DUPLICATE_DAYS = 3


def event_ids(events_path: Path | str = config.EVENTS_PATH) -> list[str]:
    """The ``event_id`` of every row of ``events_path``, in file order (for :func:`build_row`)."""
    return [r["event_id"] for _l, r in read_rows(events_path, EVENT_COLUMNS)[0]]


def next_event_id(existing_ids, country: str) -> str:
    """The next free id of a country's events (``SY-0042``), never reusing one.

    >>> next_event_id(["SY-0001", "SY-0041", "IQ-0100"], "SY")
    'SY-0042'
    >>> next_event_id([], "IQ")
    'IQ-0001'
    """
    pattern = re.compile(rf"^{re.escape(country)}-(\d+)$")
    numbers = [(int(m.group(1)), len(m.group(1))) for m in map(pattern.match, existing_ids) if m]
    width = max((w for _n, w in numbers), default=4)
    return f"{country}-{max((n for n, _w in numbers), default=0) + 1:0{width}d}"


def build_row(place: dict, *, date, event_type: str, actors, summary: str, source: str, confidence: str,
              controller_after: str = "", source_url: str = "", notes: str = "", event_id: str = "",
              existing_ids=(), lat: float | None = None, lon: float | None = None, source_type: str = "") -> dict:
    """An ``events.csv`` row (all strings, in column order) at a gazetteer ``place``.

    ``place`` needs ``place_id``, ``lat``, ``lon`` and ``country``; the event takes the
    place's coordinates unless ``lat``/``lon`` are given. ``event_id`` defaults to the
    country's next free id among ``existing_ids``. ``source_type`` (one kind per source,
    ``|``-separated) defaults to the known type of each source's outlet (``data/outlets.csv``);
    an unknown outlet leaves its kind blank, which the check then reports.
    """
    when = date.isoformat() if isinstance(date, _date) else str(date).strip()
    actor_list = [a.strip() for a in (actors.split("|") if isinstance(actors, str) else actors) if a and a.strip()]
    row = {
        "event_id": event_id.strip() or next_event_id(existing_ids, str(place["country"])),
        "date": when,
        "place_id": str(place["place_id"]),
        "lat": coord_text(place["lat"] if lat is None else lat),
        "lon": coord_text(place["lon"] if lon is None else lon),
        "event_type": event_type.strip(),
        "actors": "|".join(actor_list),
        "controller_after": (controller_after or "").strip(),
        "summary": " ".join(summary.split()),
        "source": source.strip(),
        "source_url": source_url.strip(),
        "confidence": confidence.strip(),
        "notes": " ".join((notes or "").split()),
        "source_type": "|".join(k.strip() for k in source_type.split("|")) if source_type.strip()
        else _inferred_types(source),
    }
    return {c: row[c] for c in EVENT_COLUMNS}


def _inferred_types(source: str) -> str:
    from ..dataset.sources import infer_source_types

    kinds, unknown = infer_source_types(source)
    return "" if unknown else kinds


def _insert(text: str, row: dict) -> tuple[str, int, str]:
    """``text`` with the event ``row`` inserted at its sorted place (date, then ``event_id``)."""
    return insert_record(text, row, EVENT_COLUMNS, EVENT_ORDER)


def check_row(row: dict, events_path: Path | str = config.EVENTS_PATH,
              places_path: Path | str = config.PLACES_PATH, auto_id: bool = False) -> list[Problem]:
    """Every problem ``validate`` would report on ``row`` once inserted (empty when it is fine).

    Besides the row's own problems, a row that breaks the control chain of an existing row
    (e.g. a capture dated before an existing capture by the same side) is refused too, naming it.
    With ``auto_id`` the id is only a preview (the save takes the next free one under the
    file's lock), so an id taken meanwhile by someone else is not a problem.
    """
    problems = _check_row(row, Path(events_path), places_path)
    if auto_id:
        problems = [p for p in problems if not (p.column == "event_id" and "duplicate id" in p.message)]
    return problems


def _check_row(row: dict, events_path: Path, places_path) -> list[Problem]:
    """One copy of the file with the row in place, validated once: the row's own problems, a taken id,
    and the rows whose control chain it would break (they were fine before)."""
    new_text, line_no, _line = _insert(read_text(events_path), row)
    rows_now = read_rows(events_path, EVENT_COLUMNS)[0] if events_path.exists() else []
    problems = []
    if row["event_id"] in {r["event_id"] for _l, r in rows_now}:
        problems.append(Problem(str(events_path), line_no, "event_id",
                                f"duplicate id {row['event_id']!r}; leave the id blank to get the next free one"))
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / events_path.name
        probe.write_text(new_text, encoding="utf-8", newline="")
        place_rows, event_rows, found = validate_files(probe, places_path)
    problems += [Problem(str(events_path), p.line, p.column, p.message)
                 for p in found if p.path == str(probe) and p.line == line_no]
    places = first_places(place_rows)
    broken_before = {(r["event_id"], p.column) for p, r in _chain_problems(rows_now, places)}
    for p, other in _chain_problems(event_rows, places):
        if other["event_id"] != row["event_id"] and (other["event_id"], p.column) not in broken_before:
            problems.append(Problem(str(events_path), line_no, p.column,
                                    f"with this row, {other['event_id']} ({other['date']}) would be wrong: "
                                    f"{p.message}"))
    return problems


def _chain_problems(rows, places: dict) -> list[tuple[Problem, dict]]:
    """Control-chain problems of ``(line, row)`` pairs, each with the row it is on."""
    by_line = dict(rows)
    return [(p, by_line[p.line]) for p in check_chain("", rows, places) if p.line in by_line]


def find_duplicates(row: dict, events_path: Path | str = config.EVENTS_PATH,
                    days: int = DUPLICATE_DAYS) -> list[dict]:
    """Existing events that may be ``row`` again: same place and type, dates at most ``days`` apart."""
    try:
        new = _date.fromisoformat(row["date"])
    except ValueError:
        return []
    out = []
    for _line, other in read_rows(events_path, EVENT_COLUMNS)[0]:
        if other["place_id"] != row["place_id"] or other["event_type"] != row["event_type"]:
            continue
        try:
            gap = abs((_date.fromisoformat(other["date"]) - new).days)
        except ValueError:
            continue
        if gap <= days and other["event_id"] != row["event_id"]:
            out.append(other)
    return out


class DuplicateWhileSavingError(ConcurrentEditError):
    """Someone else saved a possible duplicate of the row while it was being checked; ``rows`` are they."""

    def __init__(self, message: str, rows: list[dict]):
        super().__init__(message)
        self.rows = rows


def _ids_in(text: str) -> list[str]:
    return [r.get("event_id", "") for r in csv.DictReader(io.StringIO(text))] if text else []


def insert_event(row: dict, events_path: Path | str = config.EVENTS_PATH,
                 places_path: Path | str = config.PLACES_PATH, *, auto_id: bool = False,
                 expected_digest: str | None = None, seen_duplicates=None) -> Added:
    """Check ``row`` and insert it as one new line at its sorted place; raise :class:`DataError` if invalid.

    All of it happens under the file's lock (:mod:`frontline.intake.csvstore`), against the file as it
    is then: with ``auto_id`` the id is the country's next free one at that moment (the row's id
    is only the preview's); the row is checked again; with ``seen_duplicates`` (the ids of the
    possible duplicates the user was shown, or an empty set), a possible duplicate saved by
    someone else meanwhile stops the save (:class:`DuplicateWhileSavingError`) so the user can look.
    ``expected_digest`` is the file's digest when the user checked the row; a different file is
    reported in :attr:`Added.changed_meanwhile`. Nothing is written when anything fails.
    """
    previewed = row["event_id"]
    country = previewed.split("-")[0] if "-" in previewed else ""

    def prepare(text: str):
        final = dict(row)
        if auto_id and country:
            final["event_id"] = next_event_id(_ids_in(text), country)
        if seen_duplicates is not None:
            new = [d for d in find_duplicates(final, events_path) if d["event_id"] not in set(seen_duplicates)]
            if new:
                raise DuplicateWhileSavingError(
                    "Someone else saved first, and it may be the same event: "
                    + "; ".join(f"{d['event_id']} {d['date']} {d['place_id']} {d['event_type']}" for d in new)
                    + ". Nothing was written: look at it, then save again if yours is different.", new)
        return final, check_row(final, events_path, places_path)

    saved = csvstore.save_record(events_path, prepare, _insert, expected_digest)
    return dataclasses.replace(saved, previewed_id=previewed if saved.id != previewed else "")


