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


def test_year_as_researchers_have_it_numpy_float_or_text(processed):
    import numpy as np
    import pandas as pd

    expected = countylib.load("gdp", prefecture="郑州", year=2022, folder=processed)
    assert len(expected) == 3
    column = pd.Series([2022]).astype("int64")
    for year in (np.int64(2022), np.int32(2022), 2022.0, np.float64(2022.0), "2022", column.iloc[0], [np.int64(2022)],
                 np.array([2022]), range(2022, 2023), pd.Series([2022.0])):
        got = countylib.load("gdp", prefecture="郑州", year=year, folder=processed)
        assert got.equals(expected), repr(year)
    both = countylib.load("gdp", year=np.array([2020, 2022], dtype="int32"), folder=processed)  # 洛阳's table is 2020
    assert set(both.year) == {2020, 2022}


@pytest.mark.parametrize("year", [2022.5, "二〇二二", "22", "2022-2023", True, 20220, [2022, None], [], object()],
                         ids=repr)
def test_what_is_not_a_year_is_refused_in_one_line_naming_it(processed, year):
    with pytest.raises(ValueError, match=r"^year=.* (is not a year|names no year)") as info:
        countylib.load("gdp", year=year, folder=processed)
    assert "\n" not in str(info.value)


def test_the_whole_country_is_every_unit_and_a_misspelt_area_is_an_error_not_an_empty_table(processed):
    everywhere = countylib.load("gdp", year=2022, folder=processed)
    assert len(everywhere) > 0 and countylib.load("gdp", province="全国", year=2022, folder=processed).equals(everywhere)
    with pytest.raises(countylib.regions.UnknownAreaError, match="unknown province '河蓝省'; did you mean .*河南省"):
        countylib.load("gdp", province="河蓝省", year=2022, folder=processed)
    with pytest.raises(countylib.regions.UnknownAreaError, match="洛阳市 is a prefecture"):
        countylib.load("gdp", province="洛阳市", year=2022, folder=processed)
    with pytest.raises(countylib.regions.UnknownAreaError, match="unknown prefecture '郑洲'; did you mean 郑州市"):
        countylib.load("gdp", prefecture="郑洲", year=2022, folder=processed)
    with pytest.raises(countylib.regions.UnknownAreaError, match="did you mean .*河南省"):
        countylib.load_panel(["gdp"], [2021, 2022], province="河蓝", folder=processed)
    assert len(countylib.load_panel(["gdp"], [2022], province="全国", folder=processed)) == len(
        countylib.regions.counties())


def test_wide_table_with_every_source_is_refused_not_an_arbitrary_figure(processed):
    with pytest.raises(ValueError, match="tidy form") as info:
        countylib.load("gdp", prefecture="郑州", wide=True, all_sources=True, folder=processed)
    assert "\n" not in str(info.value)


def test_unknown_indicator_and_missing_build_give_clear_errors(processed, tmp_path):
    with pytest.raises(KeyError, match="Known keys"):
        countylib.load("gpd", folder=processed)
    with pytest.raises(KeyError, match=r"Unknown indicator '城镇化'. Did you mean urbanization \(常住人口城镇化率\)"):
        countylib.load("城镇化", folder=processed)  # the suggestion first, found by the Chinese name too
    with pytest.raises(DataNotBuiltError, match="countylib build"):
        countylib.load(folder=tmp_path / "nothing")


# ------------------------------------------------------------------------------------------------------
# load(..., geometry=True): the README's headline call
# ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_shapes(tmp_path_factory):
    from .projects import ZHENGZHOU_ROWS, make_project

    return make_project(tmp_path_factory.mktemp("geometry"), ZHENGZHOU_ROWS)


def test_wide_with_geometry_has_every_county_of_the_province(with_shapes):
    import geopandas as gpd

    henan = countylib.load(["gdp", "fiscal_revenue"], province="河南", year=2022, wide=True, geometry=True,
                           folder=with_shapes)
    assert isinstance(henan, gpd.GeoDataFrame) and henan.crs.to_epsg() == 4326
    assert len(henan) == 157 and henan.adcode.is_unique, "every county appears once, with or without data"
    assert henan.geometry.notna().all() and henan.geometry.is_valid.all()
    row = henan.set_index("adcode").loc["410181"]
    assert row.gdp == 1000 and row["name"] == "巩义市" and row.prefecture_name == "郑州市" and row.area_km2 > 1000
    assert henan.gdp.notna().sum() == 6 and henan.fiscal_revenue.notna().sum() == 1, "missing stays NaN"
    assert {"short_name", "kind", "county_economy"} <= set(henan.columns)


def test_tidy_with_geometry_keeps_only_units_with_figures(with_shapes):
    tidy = countylib.load("gdp", prefecture="郑州", geometry=True, folder=with_shapes)
    assert set(tidy.adcode) == {"410181", "410183", "410184", "410185", "410102"}
    assert len(tidy) == 6 and set(tidy.year) == {2021, 2022}  # 巩义 and 登封 have 2021 too
    assert tidy.geometry.notna().all() and set(tidy.prefecture_name) == {"郑州市"}


def test_geometry_comes_from_the_folder_asked_for(with_shapes, tmp_path):
    import shutil

    from countylib.data.geo import BoundaryError

    bare = tmp_path / "bare"
    shutil.copytree(with_shapes, bare)
    (bare / "boundaries.parquet").unlink()
    assert len(countylib.load("gdp", folder=bare)) == 8
    with pytest.raises(BoundaryError, match="countylib build"):
        countylib.load("gdp", folder=bare, geometry=True)
