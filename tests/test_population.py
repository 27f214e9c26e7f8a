"""Population under each side: governorate totals, the rule that spreads them, the published estimates."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from frontline import config
from frontline.errors import TerritoryError
from frontline.history.population import (compare_with_published, load_admin_population, published_estimates,
                                  rest_of_governorates)


def test_every_governorate_of_the_basemap_has_a_sourced_total():
    table = load_admin_population()
    layer = json.loads((config.BASEMAP_DIR / "ne_10m_admin1_syria_iraq.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in layer["features"]} - {"UNDOF"}  # the UN buffer zone has no total
    assert names == set(table["admin1"])
    assert table["source"].str.contains("Central").all() and table["year"].isin([2010, 2011]).all()
    assert (table["population"] > 100_000).all()


@pytest.mark.parametrize("country, low, high", [("SY", 20e6, 26e6), ("IQ", 30e6, 36e6)])
def test_governorate_totals_add_up_to_the_published_country_totals(country, low, high):
    table = load_admin_population()
    assert low < table.loc[table["country"] == country, "population"].sum() < high


def test_a_row_without_a_source_is_refused(tmp_path):
    path = tmp_path / "admin_population.csv"
    path.write_text("country,admin1,population,year,source,notes\nSY,Aleppo,100,2011,,\n", encoding="utf-8")
    with pytest.raises(TerritoryError, match=r"admin_population.csv:2: 'Aleppo' needs a population and a source"):
        load_admin_population(path)


def test_rest_of_a_governorate_is_its_total_minus_its_places_and_never_negative():
    admins = pd.DataFrame({"country": ["IQ", "IQ"], "admin1": ["Ninawa", "Dihok"]})
    table = pd.DataFrame({"country": ["IQ", "IQ"], "admin1": ["Ninawa", "Dihok"], "population": [3_000_000, 10]})
    rest = rest_of_governorates(admins, np.array([0, 0, 1, -1]), np.array([1_000_000, 500_000, 50, 7]), table)
    assert rest.tolist() == [1_500_000.0, 0.0]


def test_published_estimates_cite_cjtf_oir_ihs_and_rand():
    pub = published_estimates()
    assert list(pub.columns) == ["source", "date", "period", "population", "area_km2", "citation", "url"]
    by = pub.groupby("source")["population"].max()
    assert by["CJTF-OIR"] == 7_700_000 and by["IHS Conflict Monitor"] == 10_000_000 and by["RAND"] == 11_000_000
    assert pub["url"].str.startswith("http").all() and pub["date"].is_monotonic_increasing


def test_comparison_puts_the_model_figure_beside_each_estimate():
    series = pd.DataFrame({"date": pd.to_datetime(["2014-01-01", "2015-01-01"]), "controller": ["ISIS", "ISIS"],
                           "area_km2": [10.0, 90_000.0], "population": [1, 9_000_000], "places": [1, 50]})
    out = compare_with_published(series).set_index(["source", "date"])
    row = out.loc[("IHS Conflict Monitor", pd.Timestamp("2015-01-15"))]
    assert row["model_population"] == 9_000_000 and row["population_ratio"] == 0.9
    assert out.loc[("RAND", pd.Timestamp("2014-10-15")), "model_population"] == 1
