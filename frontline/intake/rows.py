"""CSV records of the curated files: one line per row, inserted at its sorted place, every other byte kept.

Shared by events (:mod:`.events`) and places (:mod:`.places`): a row is formatted as the files are
(comma-separated, minimal ``"`` quoting, LF), inserted at its place in the file's key order, and
checked by validating a copy of the file with the row in place.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from ..errors import DataError, Problem
from ..dataset.schema import EVENT_COLUMNS

__all__ = ["coord_text", "format_row", "split_records", "insert_record", "read_text", "problems_on_new_line"]


def coord_text(value) -> str:
    """A coordinate as written in the data files (no float noise).

    >>> coord_text(34.458611), coord_text("40.950556"), coord_text(36.0)
    ('34.458611', '40.950556', '36.0')
    """
    try:
        return repr(round(float(value), 6))
    except (TypeError, ValueError):
        return str(value)


def format_row(row: dict, columns=EVENT_COLUMNS) -> str:
    """One CSV line in the files' format: comma-separated, minimal ``"`` quoting, LF.

    >>> format_row({"a": "x", "b": "y, z"}, ["a", "b"])
    'x,"y, z"\\n'
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def split_records(text: str) -> list[str]:
    """Split CSV text into records, each with its line end (a quoted value may span lines).

    >>> split_records('a,b\\n1,"x\\ny"\\n2,z')
    ['a,b\\n', '1,"x\\ny"\\n', '2,z']
    >>> split_records("")
    []
    """
    records, pending = [], ""
    for piece in re.findall(r"[^\n]*\n|[^\n]+$", text):
        pending += piece
        if pending.count('"') % 2 == 0:
            records.append(pending)
            pending = ""
    if pending:
        records.append(pending)
    return records


def _sort_key(record: str, header: list[str], key_columns) -> tuple[str, ...]:
    values = next(csv.reader(io.StringIO(record)), [])
    row = dict(zip(header, values))
    return tuple(row.get(c, "").strip() for c in key_columns)


def insert_record(text: str, row: dict, columns, key_columns) -> tuple[str, int, str]:
    """``text`` with ``row`` inserted at its place in the file's ``key_columns`` order.

    Every other record is kept byte for byte; returns (new text, 1-based line of the row, the row's line).

    >>> insert_record("id,n\\na,1\\nc,3\\n", {"id": "b", "n": "2"}, ["id", "n"], ["id"])
    ('id,n\\na,1\\nb,2\\nc,3\\n', 3, 'b,2\\n')
    >>> insert_record("", {"id": "b", "n": "2"}, ["id", "n"], ["id"])
    ('id,n\\nb,2\\n', 2, 'b,2\\n')
    """
    line = format_row(row, columns)
    records = split_records(text)
    if not records:
        return ",".join(columns) + "\n" + line, 2, line
    header = [h.strip() for h in next(csv.reader(io.StringIO(records[0])))]
    key = tuple(str(row[c]) for c in key_columns)
    at = len(records)
    for i in range(1, len(records)):
        if records[i].strip() and _sort_key(records[i], header, key_columns) > key:
            at = i
            break
    if at == len(records) and not records[-1].endswith("\n"):
        records[-1] += "\n"  # the last line had no line end: it gets one
    records.insert(at, line)
    line_no = 1 + sum(r.count("\n") for r in records[:at])
    return "".join(records), line_no, line


def read_text(path: Path | str) -> str:
    """A data file's text ("" if it does not exist); bytes that are not UTF-8 raise :class:`DataError` with their line."""
    path = Path(path)
    if not path.exists():
        return ""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError([Problem(str(path), line, "-", f"byte {raw[err.start]:#04x} is not UTF-8; re-save the file "
                                                       "as UTF-8 (python -m frontline validate lists every problem)")]) from None


def problems_on_new_line(path: Path | str, row: dict, columns, key_columns, validate) -> list[Problem]:
    """The problems ``validate(copy)`` finds on ``row``'s line once inserted into a copy of ``path``.

    ``validate`` takes the path of the copy (a temporary file named like ``path``) and returns
    :class:`~frontline.errors.Problem` s; the ones kept are reported against ``path`` itself.
    """
    path = Path(path)
    text = read_text(path)
    new_text, line_no, _line = insert_record(text, row, columns, key_columns)
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / path.name
        probe.write_text(new_text, encoding="utf-8", newline="")
        found = validate(probe)
    return [Problem(str(path), p.line, p.column, p.message)
            for p in found if p.path == str(probe) and p.line == line_no]
