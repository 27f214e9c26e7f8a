"""The one safe write path for the curated CSV files (events and places).

Every writer of ``events.csv`` or ``places.csv`` (the ``add-event`` / ``add-place`` commands
and the Curate page) goes through :func:`save_record`, which holds an exclusive lock on the
file for the whole read → check → assign id → write → rename sequence:

- the lock is a separate file beside the data (``.events.csv.lock``, git-ignored), taken with
  :mod:`filelock` (``fcntl`` on Linux), so it works across processes and threads;
- the id is chosen under the lock, from the file as it is then, so two saves never get one id;
- the row is checked again against the file as it is under the lock, so a save can never
  write a row that the file no longer accepts;
- the file is replaced atomically (a temporary file in the same folder, ``fsync``, then
  ``os.replace``), so a crash, a ``kill -9`` or a full disk leaves either the old file or the
  new one, whole; temporary files left by a killed writer are removed under the next lock.

A save that was previewed against one version of the file and lands on another reports it
(:attr:`Added.changed_meanwhile`), so the page can say "someone else saved first".

Example::

    added = save_record("data/events.csv", prepare=lambda text: (row, check(row)),
                        insert=lambda text, row: insert_record(text, row, EVENT_COLUMNS, EVENT_ORDER))
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import ConcurrentEditError, DataError, Problem

__all__ = ["LOCK_TIMEOUT_S", "lock_path", "locked", "tidy", "digest", "atomic_write", "stale_temp_files",
           "remove_stale_temp_files", "save_record", "Added"]

#: How long a save waits for another save of the same file before giving up (seconds).
LOCK_TIMEOUT_S = 60.0


def lock_path(path: Path | str) -> Path:
    """The lock file of a data file: ``data/.events.csv.lock`` for ``data/events.csv``."""
    path = Path(path)
    return path.parent / f".{path.name}.lock"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def stale_temp_files(path: Path | str) -> list[Path]:
    """Temporary files of ``path`` left behind by a writer that was killed mid-write."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.glob(f"{_temp_prefix(path)}*.tmp") if p.is_file())


def remove_stale_temp_files(path: Path | str) -> None:
    """Remove :func:`stale_temp_files` (call it only while holding :func:`locked`)."""
    for tmp in stale_temp_files(path):
        tmp.unlink(missing_ok=True)


@contextmanager
def locked(path: Path | str, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (blocking up to ``timeout`` s); clean stale temp files first."""
    path = Path(path)
    lock = FileLock(str(lock_path(path)), timeout=timeout, mode=0o644)
    try:
        lock.acquire()
    except Timeout:
        raise ConcurrentEditError(
            f"{path} is being saved by someone else and the save did not finish within {timeout:g} s; "
            "nothing was written: try again in a moment") from None
    except OSError as err:
        raise ConcurrentEditError(f"cannot lock {path} for writing ({err.strerror}); check that the folder "
                                  f"{path.parent} is writable") from None
    try:
        remove_stale_temp_files(path)
        yield
    finally:
        lock.release()


def tidy(path: Path | str, timeout: float = 0.5) -> None:
    """Remove what killed writers left beside ``path`` (under its lock); quietly nothing if busy or read-only.

    Called once when the app starts, so no stale temporary file lingers until the next save.
    """
    if not stale_temp_files(path):
        return
    try:
        with locked(path, timeout):
            pass  # taking the lock removes them
    except ConcurrentEditError:
        pass


def digest(path: Path | str) -> str:
    """SHA-256 of the file's bytes ("" when it does not exist): what a preview was checked against."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def atomic_write(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: the old file stays whole if anything fails.

    A new file gets the usual ``0644`` (less the umask); an existing file keeps its mode.
    A full disk raises :class:`OSError` after the temporary file is removed: nothing is left behind.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            mode = path.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o644 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


@dataclass(frozen=True)
class Added:
    """What :func:`save_record` wrote: the row as written, its 1-based line and the line itself."""

    path: str
    line: int
    text: str
    row: dict
    #: The file had changed since the version the user checked (someone else saved first); the row
    #: was checked again against the file as it then was.
    changed_meanwhile: bool = False
    #: The id shown when the row was checked, when the save had to take another one.
    previewed_id: str = ""

    @property
    def id(self) -> str:
        """The new row's id (``event_id`` or ``place_id``)."""
        return self.row.get("event_id") or self.row.get("place_id", "")

    event_id = place_id = id

    def message(self) -> str:
        """What to tell the user, plain text."""
        text = f"Added {self.id} at line {self.line} of {self.path}."
        if self.changed_meanwhile:
            moved = (f" It was shown as {self.previewed_id}, which someone else took, so it is {self.id}."
                     if self.previewed_id and self.previewed_id != self.id else "")
            text = ("Someone else saved first: your row was checked again against the file as it is now, "
                    f"and added.{moved} " + text)
        return text


#: ``prepare(text) -> (row, problems)``: build the final row against the file's current text.
Prepare = Callable[[str], "tuple[dict, list[Problem]]"]


def save_record(path: Path | str, prepare: Prepare, insert: Callable[[str, dict], tuple[str, int, str]],
                expected_digest: str | None = None, timeout: float = LOCK_TIMEOUT_S) -> Added:
    """Under the file's lock: read it, ``prepare`` the row against it, check, insert, write atomically.

    ``prepare(text)`` returns the final row (its id chosen from ``text``) and the problems the
    file would have with it; any problem raises :class:`DataError` and nothing is written.
    ``insert(text, row)`` returns ``(new text, line, line text)``. ``expected_digest`` is the
    :func:`digest` of the version the user checked; a different file is reported in the result.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise DataError([Problem(str(path), 0, "-", f"the folder {path.parent} does not exist; create it or "
                                                    "check the path")])
    with locked(path, timeout):
        try:
            raw = path.read_bytes() if path.exists() else b""
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise DataError([Problem(str(path), line, "-", f"byte {raw[err.start]:#04x} is not UTF-8; re-save the "
                                                           "file as UTF-8 (run 'python -m frontline validate')")]) from None
        changed = expected_digest is not None and hashlib.sha256(raw).hexdigest() != expected_digest
        row, problems = prepare(text)
        if problems:
            raise DataError(problems)
        new_text, line_no, line = insert(text, row)
        try:
            atomic_write(path, new_text.encode("utf-8"))
        except OSError as err:  # name the data file, not the temporary one
            raise OSError(err.errno, err.strerror or str(err), str(path)) from err
    return Added(str(path), line_no, line, row, changed)
