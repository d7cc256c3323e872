"""Readers for yearbook layouts and the 2020 census county table (fixtures written here)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from countylib.ingest import readers
from countylib.ingest.build import build
from tests.conftest import write_source

CENSUS_ROWS = [
    # 区划代码, 省, 市, 区县, 人口数_合计, 人口数_男, 城镇人口  (made-up numbers, census layout)
    ("", "全国", "全国", "全国", 1000000, 510000, 600000),
    ("410000", "河南省", "河南省", "河南省", 500000, 250000, 250000),
    ("410300", "河南省", "洛阳市", "洛阳市", 200000, 100000, 120000),
    ("410306", "河南省", "洛阳市", "吉利区", 7000, 3500, 6000),
    ("410322", "河南省", "洛阳市", "孟津县", 40000, 20000, 15000),
    ("410323", "河南省", "洛阳市", "新安县", 48000, 24000, 20000),
    ("410371", "河南省", "洛阳市", "洛阳高新技术产业开发区", 9000, 4500, 9000),
    ("410381", "河南省", "洛阳市", "偃师市", 60000, 30000, 30000),
    ("", "河南省", "洛阳市", "洛阳某食品区", 1000, 500, 800),
]


def census_fixture(path: Path) -> Path:
    frame = pd.DataFrame(CENSUS_ROWS, columns=["区划代码", "省", "市", "区县", "人口数_合计", "人口数_男", "城镇人口"])
    frame.to_excel(path, index=False)
    return path


def test_census_reader_marks_aggregates_and_zones(tmp_path):
    figs = readers.read_census_2020(census_fixture(tmp_path / "census.xlsx"))
    pop = figs[figs.indicator == "pop_resident"].set_index("name")
    assert bool(pop.loc["全国", "is_aggregate"]) and bool(pop.loc["洛阳市", "is_aggregate"])
    assert not bool(pop.loc["新安县", "is_aggregate"])
    assert pop.loc["洛阳高新技术产业开发区", "note"] == "zone" and pop.loc["洛阳某食品区", "note"] == "zone"
    assert pop.loc["洛阳高新技术产业开发区", "adcode"] == ""


def test_census_build_maps_old_codes_sums_mergers_and_reports_zones(tmp_path, raw_folder):
    census_fixture(raw_folder / "census.xlsx")
    (raw_folder / "census.xlsx.meta.yaml").write_text(
        "title: census fixture\npublisher: tests\ndocument: tests\nretrieved: 2026-11-23\nlicense: test\n"
        "kind: census_2020\n", encoding="utf-8")
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    census = table[(table.source_id == "census.xlsx") & (table.indicator == "pop_resident")].set_index("adcode")
    assert census.loc["410308", "value"] == pytest.approx(4.7)  # 孟津县 40000 + 吉利区 7000 people -> 万人
    assert census.loc["410307", "value"] == pytest.approx(6.0)  # 偃师市 410381 -> 偃师区 410307
    assert census.loc["410300", "level"] == "prefecture"
    assert "410381" not in census.index and "410322" not in census.index
    zones = pd.read_parquet(tmp_path / "out" / "zones.parquet")
    assert set(zones[zones.source_id == "census.xlsx"].name) == {"洛阳高新技术产业开发区", "洛阳某食品区"}
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "洛阳高新技术产业开发区" in report


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
