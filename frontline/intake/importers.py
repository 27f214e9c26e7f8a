"""Import UCDP GED, ACLED and GTD event files onto one event table (for map overlays).

Each format maps its own columns onto :data:`COLUMNS`:

=================  ===============================================================
``source_dataset``  ``ucdp``, ``acled`` or ``gtd``
``source_id``       the dataset's own id (UCDP ``id``, ACLED ``event_id_cnty``, GTD ``eventid``)
``date``            the event's (first) day, ``datetime64``
``lat``, ``lon``    WGS84 decimal degrees
``place``           the dataset's place name (UCDP ``where_coordinates``, ACLED ``location``, GTD ``city``)
``country``         ``SY``, ``IQ``, or the dataset's own country name elsewhere
``event_type``      the atlas's event type where it maps sensibly (see ``*_TYPES``), else blank
``raw_type``        the dataset's own type (``one-sided``, ``Battles: Armed clash``, ``Bombing/Explosion``)
``actors``          ``|``-separated: the atlas's actor code where known (:data:`ACTOR_PATTERNS`), else the dataset's name
``fatalities``      best estimate (UCDP ``best``, ACLED ``fatalities``, GTD ``nkill``), nullable integer
``isis_party``      ``True`` when ISIS is a party (UCDP side ``IS``; ACLED ``Islamic State (Syria)`` or
                    ``Islamic State (Iraq)``; GTD ``Islamic State of Iraq and the Levant (ISIL)``)
``source``          the dataset and its own source field
=================  ===============================================================

Rows that cannot be mapped (no date, no coordinates) are left out and reported with
their data-row number (1 = the first row after the header), id and reason. Large files
are read in chunks with a progress bar.

Example::

    table, report = import_file("ged_syria.csv", "ucdp")
    table.to_parquet("data/imports/ged_syria.parquet")
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .. import config
from ..errors import ImportFormatError

__all__ = ["COLUMNS", "FORMATS", "ACTOR_PATTERNS", "ISIS_NAMES", "Rejected", "ImportReport", "import_file",
           "write_parquet", "map_actor"]

COLUMNS = ["source_dataset", "source_id", "date", "lat", "lon", "place", "country", "event_type", "raw_type",
           "actors", "fatalities", "isis_party", "source"]

#: Each dataset's own spelling of the Islamic State as a party.
ISIS_NAMES = {
    "ucdp": {"IS"},
    "acled": {"Islamic State (Syria)", "Islamic State (Iraq)"},
    "gtd": {"Islamic State of Iraq and the Levant (ISIL)"},
}

#: Dataset actor names -> the atlas's actor codes (first pattern that matches wins).
ACTOR_PATTERNS: list[tuple[str, str]] = [
    (r"^IS$|^Islamic State\b|\(ISIL\)", "ISIS"),
    (r"Peshmerga|Kurdistan Regional Government", "KURDISH_PESHMERGA"),
    (r"^Government of Syria$|^(Military|Police) Forces of Syria|^NDF: National Defense Forces", "SYRIAN_GOVERNMENT"),
    (r"^Government of Iraq$|^(Military|Police) Forces of Iraq|^PMF: Popular Mobilization|^Popular Mobilization",
     "IRAQI_GOVERNMENT"),
    (r"^SDF$|Syrian Democratic Forces|^YPG|People's Protection Units|^PYD|^Kurdish Workers' Party", "SDF"),
    (r"^Government of Russia|^Military Forces of Russia", "RUSSIA"),
    (r"^Government of Turkey|^Military Forces of Turkey", "TURKEY"),
    (r"^Government of Iran|^Military Forces of Iran|Islamic Revolutionary Guard", "IRAN"),
    (r"^Government of United States|^Military Forces of the United States|Operation Inherent Resolve|"
     r"Global Coalition|Combined Joint Task Force", "US_COALITION"),
    (r"^Civilians", "CIVILIANS"),
    (r"^HTS\b|Hayat Tahrir al|Jabhat (Fateh|al-)|Al Nusra|^Ahrar al-Sham|^FSA$|Free Syrian Army|^SNA$|"
     r"Syrian National Army|^Southern Front|^Jaysh al-Islam|^National (Front|Liberation Front) for Liberation|"
     r"^NLF|^Fatah Halab|Operations Room$|^Syrian Liberation Front|^Islamic Front$|Nour al-Din al-Zenki|"
     r"^Opposition Rebels \(Syria\)|^Sham Legion|^Rahman Corps", "SYRIAN_OPPOSITION"),
]
_ACTOR_RES = [(re.compile(p), code) for p, code in ACTOR_PATTERNS]

_COUNTRIES = {"Syria": "SY", "Iraq": "IQ"}

UCDP_TYPES = {"1": ("state-based", "battle"), "2": ("non-state", "battle"), "3": ("one-sided", "attack")}

ACLED_TYPES = {
    "Armed clash": "battle",
    "Government regains territory": "control_change",
    "Non-state actor overtakes territory": "control_change",
    "Air/drone strike": "airstrike",
    "Shelling/artillery/missile attack": "attack",
    "Remote explosive/landmine/IED": "attack",
    "Suicide bomb": "attack",
    "Grenade": "attack",
    "Attack": "attack",
    "Abduction/forced disappearance": "attack",
    "Sexual violence": "attack",
    "Chemical weapon": "attack",
}

GTD_TYPES = {  # every GTD row is an attack; the raw attack type is kept in raw_type
    "Bombing/Explosion": "attack", "Armed Assault": "attack", "Assassination": "attack",
    "Hostage Taking (Kidnapping)": "attack", "Hostage Taking (Barricade Incident)": "attack",
    "Facility/Infrastructure Attack": "attack", "Hijacking": "attack", "Unarmed Assault": "attack",
    "Unknown": "attack",
}


def map_actor(name: str) -> str:
    """The atlas's actor code of a dataset actor name, else the name itself.

    >>> map_actor("IS"), map_actor("Military Forces of Syria (2000-)"), map_actor("Hamas")
    ('ISIS', 'SYRIAN_GOVERNMENT', 'Hamas')
    """
    name = name.strip()
    for rx, code in _ACTOR_RES:
        if rx.search(name):
            return code
    return name


@dataclass(frozen=True)
class Rejected:
    """A row that could not be mapped: data-row number (1 = first row after the header), id, reason."""

    row: int
    source_id: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row} (id {self.source_id or '?'}): {self.reason}"


@dataclass
class ImportReport:
    """What an import read, kept and left out (the first ``max_details`` rejections in full)."""

    dataset: str
    path: str
    rows_read: int = 0
    rows_mapped: int = 0
    isis_rows: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    max_details: int = 1000

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_mapped

    def summary(self) -> str:
        return (f"{self.path}: {self.rows_read} rows read, {self.rows_mapped} mapped "
                f"({self.isis_rows} with ISIS as a party), {self.rows_rejected} not mapped")


@dataclass(frozen=True)
class Format:
    """One dataset's format: the columns it must have, how to map a chunk, its id column."""

    name: str
    label: str
    id_column: str
    required: tuple[str, ...]
    mapper: Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.Series]]
    hint: str


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def _coords(df: pd.DataFrame, lat_col: str, lon_col: str, reason: pd.Series) -> tuple[pd.Series, pd.Series]:
    lat = pd.to_numeric(df[lat_col], errors="coerce")
    lon = pd.to_numeric(df[lon_col], errors="coerce")
    bad = lat.isna() | lon.isna() | ~lat.between(-90, 90) | ~lon.between(-180, 180) | ((lat == 0) & (lon == 0))
    _reject(reason, bad, lambda i: f"{lat_col}/{lon_col} ({df[lat_col].iloc[i]!r}, {df[lon_col].iloc[i]!r}) "
                                   "are not usable coordinates")
    return lat, lon


def _reject(reason: pd.Series, mask: pd.Series, message: Callable[[int], str]) -> None:
    """Set the reason of rows in ``mask`` that have none yet (the first reason wins)."""
    mask = np.asarray(mask) & (reason.to_numpy() == "")
    for i in np.flatnonzero(mask):
        reason.iat[i] = message(i)


def _iso_date(df: pd.DataFrame, col: str, reason: pd.Series, formats=("%Y-%m-%d",)) -> pd.Series:
    raw = _text(df[col])
    out = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(raw[todo], format=fmt, errors="coerce")
    want = " or ".join(f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD").replace("%B", "Month")
                       for f in formats)
    _reject(reason, out.isna(), lambda i: f"{col} {raw.iloc[i]!r} is not a date ({want})")
    return out


def _actors(columns: list[pd.Series], isis_names: set[str], split: str | None) -> tuple[pd.Series, pd.Series]:
    """``(actors, isis_party)`` from actor columns; each cell may hold several names joined by ``split``."""
    combo = columns[0].astype(str)
    for c in columns[1:]:
        combo = combo + "\x1f" + c.astype(str)
    cache: dict[str, tuple[str, bool]] = {}
    for key in pd.unique(combo):
        names = [n.strip() for cell in key.split("\x1f") for n in (re.split(split, cell) if split else [cell]) if n.strip()]
        codes = list(dict.fromkeys(map_actor(n) for n in names))
        cache[key] = ("|".join(codes), any(n in isis_names for n in names))
    mapped = combo.map(cache)
    return mapped.str[0], mapped.str[1].astype(bool)


def _country(s: pd.Series) -> pd.Series:
    s = _text(s)
    return s.map(_COUNTRIES).fillna(s)


def _fatalities(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").round().astype("Int64")


def _map_ucdp(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    reason = pd.Series("", index=df.index, dtype=object)
    date = _iso_date(df, "date_start", reason)
    lat, lon = _coords(df, "latitude", "longitude", reason)
    tov = _text(df["type_of_violence"]).str.replace(r"\.0$", "", regex=True)
    _reject(reason, ~tov.isin(list(UCDP_TYPES)), lambda i: f"type_of_violence {tov.iloc[i]!r} is not 1, 2 or 3")
    actors, isis = _actors([_text(df["side_a"]), _text(df["side_b"])], ISIS_NAMES["ucdp"], r",\s*")
    out = pd.DataFrame({
        "source_id": _text(df["id"]), "date": date, "lat": lat, "lon": lon,
        "place": _text(df["where_coordinates"]) if "where_coordinates" in df else "",
        "country": _country(df["country"]) if "country" in df else "",
        "event_type": tov.map(lambda t: UCDP_TYPES.get(t, ("", ""))[1]),
        "raw_type": tov.map(lambda t: UCDP_TYPES.get(t, (t, ""))[0]),
        "actors": actors.astype(str), "fatalities": _fatalities(df["best"]), "isis_party": isis,
        "source": "UCDP GED; " + (_text(df["source_office"]) if "source_office" in df else ""),
    })
    return out, reason


def _map_acled(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    reason = pd.Series("", index=df.index, dtype=object)
    date = _iso_date(df, "event_date", reason, formats=("%Y-%m-%d", "%d %B %Y"))
    lat, lon = _coords(df, "latitude", "longitude", reason)
    sub = _text(df["sub_event_type"])
    actors, isis = _actors([_text(df[c]) for c in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")],
                           ISIS_NAMES["acled"], r";\s*")
    out = pd.DataFrame({
        "source_id": _text(df["event_id_cnty"]), "date": date, "lat": lat, "lon": lon,
        "place": _text(df["location"]), "country": _country(df["country"]),
        "event_type": sub.map(ACLED_TYPES).fillna(""),
        "raw_type": _text(df["event_type"]) + ": " + sub,
        "actors": actors.astype(str), "fatalities": _fatalities(df["fatalities"]), "isis_party": isis,
        "source": "ACLED; " + _text(df["source"]),
    })
    return out, reason


def _map_gtd(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    reason = pd.Series("", index=df.index, dtype=object)
    parts = {c: pd.to_numeric(df[c], errors="coerce") for c in ("iyear", "imonth", "iday")}
    for c in ("imonth", "iday"):
        _reject(reason, parts[c] == 0, lambda i, c=c: f"{c} is 0 (GTD: unknown), so the date is not known to the day")
    for c, v in parts.items():
        _reject(reason, v.isna(), lambda i, c=c: f"{c} {df[c].iloc[i]!r} is not a number")
    date = pd.to_datetime(pd.DataFrame({"year": parts["iyear"], "month": parts["imonth"], "day": parts["iday"]}),
                          errors="coerce")
    _reject(reason, date.isna(), lambda i: f"iyear/imonth/iday {df['iyear'].iloc[i]}-{df['imonth'].iloc[i]}-"
                                           f"{df['iday'].iloc[i]} is not a date")
    lat, lon = _coords(df, "latitude", "longitude", reason)
    attack = _text(df["attacktype1_txt"])
    actors, isis = _actors([_text(df[c]) for c in ("gname", "gname2", "gname3")], ISIS_NAMES["gtd"], None)
    out = pd.DataFrame({
        "source_id": _text(df["eventid"]), "date": date, "lat": lat, "lon": lon,
        "place": _text(df["city"]), "country": _country(df["country_txt"]),
        "event_type": attack.map(GTD_TYPES).fillna("attack"), "raw_type": attack,
        "actors": actors.astype(str), "fatalities": _fatalities(df["nkill"]), "isis_party": isis,
        "source": "GTD; " + _text(df["scite1"]),
    })
    return out, reason


FORMATS: dict[str, Format] = {
    "ucdp": Format("ucdp", "UCDP GED", "id",
                   ("id", "date_start", "latitude", "longitude", "type_of_violence", "side_a", "side_b", "best",
                    "where_coordinates", "country", "source_office"),
                   _map_ucdp, "a UCDP GED CSV (ucdp.uu.se/downloads: GED event data, CSV)"),
    "acled": Format("acled", "ACLED", "event_id_cnty",
                    ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
                     "actor2", "assoc_actor_2", "country", "location", "latitude", "longitude", "source",
                     "fatalities"),
                    _map_acled, "an ACLED export CSV (acleddata.com: Data Export Tool)"),
    "gtd": Format("gtd", "GTD", "eventid",
                  ("eventid", "iyear", "imonth", "iday", "country_txt", "city", "latitude", "longitude",
                   "attacktype1_txt", "gname", "gname2", "gname3", "nkill", "scite1"),
                  _map_gtd, "a GTD CSV (START, globalterrorismdb_*.csv; it is Latin-1: pass --encoding latin-1)"),
}


def _first_bad_byte(path: Path, encoding: str) -> tuple[int, int] | None:
    """``(line, byte)`` of the first byte of ``path`` that does not decode as ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as err:
                return line + block[: err.start].count(b"\n"), block[err.start]
            line += block.count(b"\n")
    return None


def _header(path: Path, encoding: str) -> list[str]:
    try:
        with open(path, encoding=encoding, newline="") as fh:
            return [h.strip().lstrip("\ufeff") for h in next(csv.reader(fh), [])]
    except UnicodeDecodeError:
        return []  # reported with its line by _first_bad_byte


def _check_file(path: Path, fmt: Format, encoding: str) -> list[str]:
    if not path.exists():
        raise ImportFormatError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise ImportFormatError(f"{path}: is a folder; give the dataset's CSV file inside it")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFormatError(f"unknown --encoding {encoding!r}; use utf-8 (UCDP, ACLED) or latin-1 (GTD)") from None
    bad = _first_bad_byte(path, encoding)
    if bad:
        raise ImportFormatError(
            f"{path}:{bad[0]}: byte {bad[1]:#04x} is not valid {encoding}; re-save the file as UTF-8, "
            "or pass --encoding latin-1 if it is a Latin-1 file (GTD's CSV is)")
    header = _header(path, encoding)
    if not header or header == [""]:
        raise ImportFormatError(f"{path}:1: the file is empty; expected {fmt.hint}")
    missing = [c for c in fmt.required if c not in header]
    if missing:
        raise ImportFormatError(
            f"{path}:1: missing column(s) {', '.join(missing)} for --format {fmt.name}; "
            f"expected {fmt.hint} (found: {', '.join(header[:8])}{'...' if len(header) > 8 else ''})")
    return header


def import_file(path: Path | str, fmt: str, *, encoding: str = "utf-8", chunksize: int = 200_000,
                progress: bool = False, max_details: int = 1000) -> tuple[pd.DataFrame, ImportReport]:
    """Read a dataset file in chunks and map it onto :data:`COLUMNS`; return the table and a report.

    Raises :class:`~frontline.errors.ImportFormatError` when the file is not in the
    format (missing columns, bytes that are not ``encoding``); single bad rows are
    reported in ``report.rejected``, never raised.
    """
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    path, spec = Path(path), FORMATS[fmt]
    _check_file(path, spec, encoding)
    report = ImportReport(fmt, str(path), max_details=max_details)
    tables = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=f"importing {path.name}")
    with open(path, "rb") as fh:
        reader = pd.read_csv(fh, encoding=encoding, dtype=str, keep_default_na=False, na_filter=False,
                             usecols=lambda c: c.strip().lstrip("\ufeff") in spec.required,
                             chunksize=chunksize, low_memory=False)
        for chunk in reader:
            chunk.columns = [c.strip().lstrip("\ufeff") for c in chunk.columns]
            chunk = chunk.reset_index(drop=True)
            table, reason = spec.mapper(chunk)
            bad = reason.to_numpy() != ""
            for i in np.flatnonzero(bad):
                report.reasons[reason.iat[i].split(" ")[0]] += 1
                if len(report.rejected) < max_details:
                    report.rejected.append(Rejected(report.rows_read + i + 1, str(chunk[spec.id_column].iat[i]),
                                                    reason.iat[i]))
            report.rows_read += len(chunk)
            tables.append(table[~bad])
            if bar is not None:
                bar.update(fh.tell() - bar.n)
    if bar is not None:
        bar.close()
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COLUMNS[1:])
    table.insert(0, "source_dataset", fmt)
    table = table[COLUMNS]
    table["date"] = pd.to_datetime(table["date"])
    table["isis_party"] = table["isis_party"].astype(bool)
    report.rows_mapped = len(table)
    report.isis_rows = int(table["isis_party"].sum())
    return table, report


def import_target(out: Path | str | None, source: Path | str, imports_dir: Path | str = config.IMPORTS_DIR) -> Path:
    """Where an import is written: ``out`` (or ``<source name>.parquet``) inside ``imports_dir``.

    The dashboard lists only that folder, so a path outside it (``../../x``) is refused, as is
    a folder or a name not ending in ``.parquet``.

    >>> import_target(None, "x/ucdp.csv", "/srv/imports").as_posix()
    '/srv/imports/ucdp.parquet'
    >>> import_target("/srv/imports/a/../b.parquet", "x.csv", "/srv/imports").as_posix()
    '/srv/imports/b.parquet'
    """
    base = Path(imports_dir).resolve()
    target = Path(out) if out else base / (Path(source).stem + ".parquet")
    if not target.is_absolute():
        target = Path.cwd() / target
    target = target.resolve()
    if not target.is_relative_to(base):
        raise ImportFormatError(f"--out {out} is outside {base}; imports are written there so the dashboard "
                                f"finds them: give a name such as {base / 'mydata.parquet'}")
    if target.is_dir():
        raise ImportFormatError(f"--out {out} is a folder; give a file name ending in .parquet")
    if target.suffix != ".parquet":
        raise ImportFormatError(f"--out {out} does not end in .parquet; the overlay reads Parquet files")
    return target


def write_parquet(table: pd.DataFrame, out: Path | str) -> Path:
    """Write an imported table to Parquet (creating the folder), atomically."""
    from .csvstore import atomic_write
    import io

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    atomic_write(out, buf.getvalue())
    return out


def read_imported(path: Path | str) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`, checking its columns."""
    table = pd.read_parquet(path)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ImportFormatError(f"{path}: missing column(s) {', '.join(missing)}; "
                                "re-create it with 'python -m frontline import'")
    return table
