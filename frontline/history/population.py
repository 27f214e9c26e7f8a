"""Population under each side: the places' own figures plus everyone else in their governorate.

The gazetteer gives a population for some places. Everyone else (villages, farms, places
missing from the gazetteer, places with no figure) is counted from the governorate totals
in ``data/admin_population.csv`` (Syria: Central Bureau of Statistics, civil registry on
1 January 2011; Iraq: Central Statistical Organization, projection for 2010), by this rule:

    rest of a governorate = its total - the population of the gazetteer's places in it (>= 0),
    spread over the governorate's land in proportion to area; each side gets the share on
    the land it holds on the date, and the share on unassigned land is counted for nobody.

:func:`published_estimates` gives the published figures to compare with.

>>> int(published_estimates()["population"].max())
11000000
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import TerritoryError

__all__ = ["ADMIN_POPULATION_PATH", "load_admin_population", "published_estimates", "rest_of_governorates",
           "compare_with_published"]

ADMIN_POPULATION_PATH = config.DATA_DIR / "admin_population.csv"
_COLUMNS = ["country", "admin1", "population", "year", "source", "notes"]

_PUBLISHED = [
    {"source": "RAND", "date": "2014-10-15", "period": "peak, late 2014", "population": 11_000_000,
     "area_km2": 100_000.0,
     "citation": "RAND Corporation press release, 2017-04-20, 'Islamic State Control of People Down 83% in Iraq "
                 "and 56% in Syria from Peak Levels' (more than 100,000 km2 containing about 11 million people at "
                 "its peak in late 2014)",
     "url": "https://www.rand.org/news/press/2017/04/20.html"},
    {"source": "IHS Conflict Monitor", "date": "2015-01-15", "period": "peak", "population": 10_000_000,
     "area_km2": 90_800.0,
     "citation": "BBC News, 2016, reporting IHS Conflict Monitor: 'At its peak, some 10 million people lived in "
                 "territory under IS control' (90,800 km2 in January 2015)",
     "url": "http://www.bbc.com/news/world-middle-east-36762874"},
    {"source": "IHS Conflict Monitor", "date": "2016-07-04", "period": "mid 2016", "population": 6_000_000,
     "area_km2": 68_300.0,
     "citation": "BBC News, 2016, reporting IHS Conflict Monitor: the figure 'is now nearer 6 million' "
                 "(68,300 km2 on 4 July 2016)",
     "url": "http://www.bbc.com/news/world-middle-east-36762874"},
    {"source": "CJTF-OIR", "date": "2014-10-15", "period": "at its height (people liberated 2014-2017)",
     "population": 7_700_000, "area_km2": float("nan"),
     "citation": "CJTF-OIR news release, 2017-12-28/2018-01-01, Lt. Gen. Paul Funk: 'a grand total of 7.7 million "
                 "people' liberated over the three years of Operation Inherent Resolve",
     "url": "https://www.defensemedianetwork.com/stories/defeat-isis-coalition-reflects-2017-looks-forward-2018/"},
    {"source": "RAND", "date": "2017-02-15", "period": "early 2017", "population": 2_500_000, "area_km2": 45_377.0,
     "citation": "RAND Corporation press release, 2017-04-20 (about 45,377 km2 and roughly 2.5 million people in "
                 "Syria and Iraq by early 2017)",
     "url": "https://www.rand.org/news/press/2017/04/20.html"},
]


def published_estimates() -> pd.DataFrame:
    """Published estimates of the people (and area) under ISIS in Syria and Iraq.

    One row per estimate: ``source, date`` (Timestamp; the middle of the period when the
    source gives a season), ``period, population, area_km2`` (NaN when not given),
    ``citation, url``. For the Timeline page and the methodology.
    """
    out = pd.DataFrame(_PUBLISHED)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values(["date", "source"], kind="stable").reset_index(drop=True)


def compare_with_published(area_series: pd.DataFrame, controller: str = "ISIS") -> pd.DataFrame:
    """Each published estimate beside the model's figure on its date.

    ``area_series`` is ``TerritoryModel.area_series()``. Adds ``model_population``,
    ``model_area_km2`` (the state in force on the date) and ``population_ratio`` (model / published).
    """
    pub = published_estimates()
    s = area_series[area_series["controller"] == controller].sort_values("date")
    if s.empty:
        pub["model_population"] = 0
        pub["model_area_km2"] = 0.0
    else:
        idx = np.searchsorted(s["date"].to_numpy(), pub["date"].to_numpy(), side="right") - 1
        idx = np.clip(idx, 0, len(s) - 1)
        pub["model_population"] = s["population"].to_numpy()[idx].astype(np.int64)
        pub["model_area_km2"] = s["area_km2"].to_numpy()[idx].astype(float)
    pub["population_ratio"] = (pub["model_population"] / pub["population"]).round(2)
    return pub


def load_admin_population(path=ADMIN_POPULATION_PATH) -> pd.DataFrame:
    """``country, admin1, population, year, source, notes`` (empty when the file is missing).

    Raises :class:`TerritoryError` for a row without a number or a source.
    """
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({c: [] for c in _COLUMNS})
    table = pd.read_csv(path, dtype={"country": str, "admin1": str, "source": str}, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise TerritoryError(f"{path}: missing columns {', '.join(missing)}; expected {', '.join(_COLUMNS)}")
    table["population"] = pd.to_numeric(table["population"], errors="coerce")
    bad = [f"{path}:{i + 2}: {r.admin1!r} needs a population and a source"
           for i, r in enumerate(table.itertuples()) if pd.isna(r.population) or not str(r.source).strip()]
    if bad:
        raise TerritoryError("\n".join(bad))
    return table


def rest_of_governorates(admins: pd.DataFrame, place_admin: np.ndarray, place_population: np.ndarray,
                         table: pd.DataFrame) -> np.ndarray:
    """People of each governorate of ``admins`` not in the gazetteer's places (0 without a total).

    >>> admins = pd.DataFrame({"country": ["SY", "SY"], "admin1": ["A", "B"]})
    >>> table = pd.DataFrame({"country": ["SY"], "admin1": ["A"], "population": [100]})
    >>> rest_of_governorates(admins, np.array([0, 0, 1]), np.array([30, 90, 5]), table).tolist()
    [0.0, 0.0]
    >>> rest_of_governorates(admins, np.array([0, 1]), np.array([30, 5]), table).tolist()
    [70.0, 0.0]
    """
    totals = dict(zip(zip(table["country"].astype(str), table["admin1"].astype(str)), table["population"].astype(float)))
    total = np.array([totals.get((c, a), 0.0) for c, a in zip(admins["country"], admins["admin1"])], dtype=float)
    in_places = np.zeros(len(admins))
    ok = place_admin >= 0
    np.add.at(in_places, place_admin[ok], place_population[ok].astype(float))
    return np.maximum(total - in_places, 0.0)
