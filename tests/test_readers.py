"""Readers for yearbook layouts (fixtures written here); the census table: tests/test_census.py."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from countylib.ingest import readers
from countylib.ingest.build import build
from tests.conftest import write_source


def test_wide_reader_joins_multirow_headers_and_reads_unit_row():
    text = (
        "表1 主要指标,,,\n"
        "地区,居民人均可支配收入,,地区生产总值\n"
        ",城镇,农村,\n"
        ",元,元,亿元\n"
        "全省,40000,18000,6000\n"
        "巩义市,41000,25000,962.58\n"
        "注：本表为测试数据。,,,\n"
    )
    figs = readers.read_wide(io.StringIO(text), year=2022, province="河南省")
    row = figs[figs.name == "巩义市"].set_index("indicator")
    assert row.loc["disposable_income_urban", "value_text"] == "41000"
    assert row.loc["disposable_income_rural", "unit"] == "元"
    assert row.loc["gdp", "unit"] == "亿元"
    assert figs[figs.name == "全省"].is_aggregate.all()
    assert not figs.name.str.startswith("注").any()


def test_wide_reader_unit_from_header_parentheses():
    figs = readers.read_wide(io.StringIO("县（市）,地区生产总值（万元）\n新安县,4633900\n"), year=2022)
    assert figs.iloc[0][["indicator", "unit"]].tolist() == ["gdp", "万元"]


def test_figures_reader_names_missing_columns():
    with pytest.raises(readers.ReaderError, match="value_text"):
        readers.read_figures_long(io.StringIO("county,year,indicator,unit\n巩义,2022,gdp,亿元\n"))


def test_build_of_wide_yearbook_fixture(raw_folder, tmp_path):
    write_source(raw_folder, "wide.csv", "地区,一般公共预算收入（亿元）\n栾川县,20.5\n嵩县,X\n", "wide",
                 extra="reader:\n  year: 2022\n  province: 河南省\n")
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    rows = table[table.source_id == "wide.csv"].set_index("name")
    assert rows.loc["栾川县", "value"] == 20.5
    assert rows.loc["嵩县", "flag"] == "masked" and pd.isna(rows.loc["嵩县", "value"])
