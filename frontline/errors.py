"""The errors Frontline raises, rooted at :class:`FrontlineError`.

A data problem carries where it is (file, line, column) and says how to fix it,
so that the CLI can print it as one line and the dashboard can show it in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FrontlineError", "DataError", "Problem", "DateError", "ExportError", "GeocodingError",
           "ImportFormatError", "ConcurrentEditError", "TerritoryError"]


class FrontlineError(Exception):
    """Root of every error Frontline raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem in a data file: ``path:line: column: message``.

    ``line`` is the 1-based line of the file (the header is line 1); 0 means the
    whole file.

    >>> str(Problem("data/events.csv", 42, "lat", "95.2 is outside [-90, 90]"))
    'data/events.csv:42: lat: 95.2 is outside [-90, 90]'
    """

    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"


class DataError(FrontlineError, ValueError):
    """Raised when a data file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{head}{more}")


class DateError(FrontlineError, ValueError):
    """Raised for a date that is not ISO ``YYYY-MM-DD`` or lies outside the atlas's period."""


class ExportError(FrontlineError):
    """Raised when an export cannot be written (bad options, unwritable path)."""


class GeocodingError(FrontlineError):
    """Raised when a place name cannot be resolved; ``candidates`` holds near matches."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


class ImportFormatError(FrontlineError, ValueError):
    """Raised when a file to import is not in the dataset's format (columns, encoding); says how to fix it."""


class ConcurrentEditError(FrontlineError):
    """Raised when a data file changed on disk while a row was being added; reload and try again."""


class TerritoryError(FrontlineError):
    """Raised when zones of control cannot be computed (e.g. the country borders are missing)."""
