"""countylib.load on a processed folder built from fixtures."""

from __future__ import annotations

import pytest

import countylib
from countylib.data.load import DataNotBuiltError
from countylib.ingest.build import build


@pytest.fixture
def processed(raw_folder, tmp_path):
    out = tmp_path / "processed"
    build(raw_folder, out, boundaries=False)
    return out


def test_load_filters_by_indicator_alias_year_and_prefecture(processed):
    df = countylib.load("地区生产总值", prefecture="郑州", year=2022, folder=processed)
    assert set(df.indicator) == {"gdp"}
    assert set(df.adcode) == {"410181", "410182", "410185"}
    assert df.groupby("adcode").size().max() == 1, "one preferred figure per unit"


def test_load_wide_has_one_column_per_indicator(processed):
    df = countylib.load(["gdp", "pop_resident"], province="河南", year=2022, wide=True, folder=processed)
    row = df.set_index("adcode").loc["410181"]
    assert row.gdp == 1000.5 and row.pop_resident == 80.0


def test_load_levels_keep_aggregates_apart(processed):
    counties = countylib.load("gdp", year=2020, folder=processed)
    prefs = countylib.load("gdp", year=2020, level="prefecture", folder=processed)
    assert "410300" not in set(counties.adcode) and set(prefs.adcode) == {"410300"}


def test_all_sources_returns_duplicates(processed):
    assert len(countylib.load("gdp", prefecture="郑州", all_sources=True, folder=processed)) == 4


def test_unknown_indicator_and_missing_build_give_clear_errors(processed, tmp_path):
    with pytest.raises(KeyError, match="Known keys"):
        countylib.load("gpd", folder=processed)
    with pytest.raises(DataNotBuiltError, match="countylib build"):
        countylib.load(folder=tmp_path / "nothing")
