"""Imported event files queried where they lie: DuckDB over Parquet, aggregated to what the map can show.

An imported file (``python -m frontline import``; columns :data:`frontline.intake.importers.COLUMNS`)
may hold millions of rows. Nothing here loads it into memory: each map move runs one SQL query
over the Parquet file (date window, optional ISIS filter and bounding box) and gets back either
the rows themselves (at most ``max_points``) or one row per grid cell sized to the zoom
(:func:`cell_degrees`). The SQL is plain and standard (:data:`CELLS_SQL`, :data:`POINTS_SQL`), so the
same queries run unchanged against a warehouse extract (DuckDB, PostgreSQL/PostGIS, BigQuery,
Spark SQL) with the file name replaced by the table's.

>>> cell_degrees(6) > cell_degrees(10)
True
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import ImportFormatError
from .importers import COLUMNS

__all__ = ["OverlayQuery", "Window", "cell_degrees", "CELLS_SQL", "POINTS_SQL", "COUNT_SQL", "DESCRIBE_SQL",
           "CELL_PX"]

#: Grid cells are about this many screen pixels wide at the map's zoom.
CELL_PX = 24

#: The filter every query shares: a date window (end - days, end], ISIS as a party, an optional box.
_WHERE = """
    WHERE date > CAST($start AS TIMESTAMP) AND date <= CAST($end AS TIMESTAMP)
      AND ($isis_only = FALSE OR isis_party)
      AND lat BETWEEN $south AND $north AND lon BETWEEN $west AND $east"""

#: How many rows the window holds.
COUNT_SQL = "SELECT count(*) AS n FROM {source}" + _WHERE

#: The rows themselves (when few): position, ISIS a party, and what the tooltip says.
POINTS_SQL = """SELECT lat, lon, isis_party, date, place, source_dataset, source_id FROM {source}""" + _WHERE + """
    ORDER BY date LIMIT $limit"""

#: One row per grid cell of $cell degrees: the mean position, the count, how many have ISIS as a party.
CELLS_SQL = """SELECT avg(lat) AS lat, avg(lon) AS lon, count(*) AS n, sum(CAST(isis_party AS INTEGER)) AS isis
    FROM {source}""" + _WHERE + """
    GROUP BY floor(lat / $cell), floor(lon / $cell)"""

#: One line about the file: rows, ISIS rows, date range, datasets.
DESCRIBE_SQL = """SELECT count(*) AS n, sum(CAST(isis_party AS INTEGER)) AS isis, min(date) AS first, max(date) AS last,
    string_agg(DISTINCT source_dataset, ', ' ORDER BY source_dataset) AS datasets FROM {source}"""


def cell_degrees(zoom: float, px: int = CELL_PX) -> float:
    """The grid cell (degrees of longitude) that is ``px`` pixels wide at web-map ``zoom``."""
    return 360.0 / (256.0 * 2.0 ** float(zoom)) * px


@dataclass(frozen=True)
class Window:
    """What to draw of an imported file on one date: ``points`` (DataFrame of rows) or ``cells`` (aggregates).

    ``total`` is the number of rows in the window (all of them, whether drawn one by one or counted in cells).
    """

    total: int
    points: pd.DataFrame | None
    cells: pd.DataFrame | None
    cell_deg: float | None


class OverlayQuery:
    """Queries on one imported Parquet file (a DuckDB connection per instance, used by one thread at a time).

    Raises :class:`~frontline.errors.ImportFormatError` for a file that is not an imported table.
    """

    def __init__(self, path: Path | str, threads: int = 2, memory_limit: str = "512MB"):
        import duckdb

        self.path = Path(path)
        self._lock = threading.Lock()
        self._con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
        self._source = "read_parquet(" + _sql_string(str(self.path)) + ")"
        try:
            cols = [r[0] for r in self._con.execute(f"DESCRIBE SELECT * FROM {self._source}").fetchall()]
        except duckdb.Error as err:
            raise ImportFormatError(f"{self.path}: not a readable Parquet file ({err}); "
                                    "re-create it with 'python -m frontline import'") from None
        missing = [c for c in COLUMNS if c not in cols]
        if missing:
            raise ImportFormatError(f"{self.path}: missing column(s) {', '.join(missing)}; "
                                    "re-create it with 'python -m frontline import'")

    def _run(self, sql: str, params: dict) -> pd.DataFrame:
        with self._lock:
            return self._con.execute(sql.format(source=self._source), params).df()

    def describe(self) -> str:
        """One line about the file: rows, ISIS rows, date range, datasets ("no rows" when empty)."""
        r = self._run(DESCRIBE_SQL, {}).iloc[0]
        if not r.n:
            return "no rows"
        return (f"{int(r.n):,} events ({int(r.isis or 0):,} with ISIS as a party), "
                f"{pd.Timestamp(r['first']):%Y-%m-%d} to {pd.Timestamp(r['last']):%Y-%m-%d}, from {r.datasets}")

    def window(self, end, days: int, isis_only: bool = False, bbox: tuple | None = None, zoom: float = 6,
               max_points: int = 2000) -> Window:
        """The rows of the ``days`` days up to ``end``: themselves if at most ``max_points``, else cells for ``zoom``.

        ``bbox`` is ``(south, west, north, east)`` in degrees (None: everywhere).
        """
        end = pd.Timestamp(end).normalize()
        south, west, north, east = bbox or (-90.0, -180.0, 90.0, 180.0)
        params = {"start": (end - pd.Timedelta(days=int(days))).isoformat(), "end": end.isoformat(),
                  "isis_only": bool(isis_only), "south": float(south), "north": float(north),
                  "west": float(west), "east": float(east)}
        total = int(self._run(COUNT_SQL, params).iloc[0, 0])
        if total <= max_points:
            return Window(total, self._run(POINTS_SQL, {**params, "limit": int(max_points)}), None, None)
        cell = cell_degrees(zoom)
        return Window(total, None, self._run(CELLS_SQL, {**params, "cell": cell}), cell)

    def close(self) -> None:
        self._con.close()


def _sql_string(text: str) -> str:
    """``text`` as a SQL string literal.

    >>> _sql_string("it's.parquet")
    "'it''s.parquet'"
    """
    return "'" + text.replace("'", "''") + "'"
