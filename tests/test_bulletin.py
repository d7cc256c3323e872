"""Figures from bulletin-style text. Every text here is written for the tests (made-up numbers)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from countylib.cli import app
from countylib.ingest import bulletin
from countylib.ingest.build import build

# (text, county, year, expected {(indicator, year): value in canonical unit}); NaN = masked
CORPUS = [
    ("经初步核算，全年全县生产总值2306460万元，按可比价格计算，比上年增长4.2%。", "嵩县", 2022,
     {("gdp", 2022): 230.646, ("gdp_growth", 2022): 4.2}),
    ("全年全市地区生产总值（GDP）962.58亿元，同比增长5.1%。", "巩义市", 2022,
     {("gdp", 2022): 962.58, ("gdp_growth", 2022): 5.1}),
    ("全县生产总值下降1.3%，为150.2亿元。", "新安县", 2022, {}),  # growth before level: not taken
    ("其中，第一产业增加值29.8亿元，第二产业增加值80.3亿元，第三产业增加值120.5亿元。三次产业结构为12.9：34.8：52.3。",
     "嵩县", 2022, {("va_primary", 2022): 29.8, ("va_secondary", 2022): 80.3, ("va_tertiary", 2022): 120.5,
                    ("share_primary", 2022): 12.9, ("share_secondary", 2022): 34.8, ("share_tertiary", 2022): 52.3}),
    ("年末常住人口４５．５４萬人，常住人口城镇化率43.2%。", "商城县", 2022,
     {("pop_resident", 2022): 45.54, ("urbanization", 2022): 43.2}),
    ("人均地区生产总值53308元。", "鹿邑县", 2022, {("gdp_per_capita", 2022): 53308.0}),
    ("全县一般公共预算收入约12.5亿元，其中税收收入8.1亿元；一般公共预算支出XX亿元。", "嵩县", 2022,
     {("fiscal_revenue", 2022): 12.5, ("tax_revenue", 2022): 8.1, ("fiscal_expenditure", 2022): math.nan}),
    ("社会消费品零售总额85.6亿元。", "嵩县", 2022, {("retail_sales", 2022): 85.6}),
    ("全体居民人均可支配收入23456元，城镇居民人均可支配收入35000元，农村居民人均可支配收入16000元。", "嵩县", 2022,
     {("disposable_income", 2022): 23456.0, ("disposable_income_urban", 2022): 35000.0,
      ("disposable_income_rural", 2022): 16000.0}),
    ("高新技术企业突破30家。研发经费投入强度1.2%，R&D经费支出2.7亿元。", "嵩县", 2022,
     {("hightech_firms", 2022): 30.0, ("rd_intensity", 2022): 1.2, ("rd_expenditure", 2022): 2.7}),
    ("全年全縣生產總值達到230.65億元。", "嵩县", 2022, {("gdp", 2022): 230.65}),
    ("地区生产总值(万元)\n2306460\n4.2\n", "嵩县", 2022, {("gdp", 2022): 230.646}),
    ("2021年全县生产总值为215.3亿元。", "嵩县", 2022, {("gdp", 2021): 215.3}),
    # negative cases: nothing may be attributed
    ("洛阳市全年生产总值5675.2亿元，比上年增长3.5%。", "嵩县", 2022, {}),
    ("全市一般公共预算收入350亿元。", "嵩县", 2022, {}),
    ("市级一般公共预算收入3.2亿元。", "巩义市", 2022, {}),
    ("规模以上工业增加值增长6.1%。工业增加值80亿元。", "嵩县", 2022, {}),
    ("地区生产总值两年平均增长5.1%。", "嵩县", 2022, {}),
    ("全县常住人口城镇化率提高1.2个百分点。", "嵩县", 2022, {}),
    ("生产总值目标为增长7%左右。", "嵩县", 2022, {}),
    ("常住人口200亿元。", "嵩县", 2022, {}),
]


def _score():
    tp = fp = fn = 0
    wrong = []
    for text, county, year, expected in CORPUS:
        got = bulletin.extract(text, county=county, year=year)
        found = {(r.indicator, r.year): r.value for r in got.itertuples()}
        for k, v in found.items():
            e = expected.get(k, "absent")
            ok = e != "absent" and ((math.isnan(e) and math.isnan(v)) or (not math.isnan(e) and v == pytest.approx(e)))
            tp += ok
            fp += not ok
            if not ok:
                wrong.append((text, k, v))
        fn += len(set(expected) - set(found))
    return tp, fp, fn, wrong


def test_precision_and_recall_on_the_corpus():
    tp, fp, fn, wrong = _score()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"bulletin corpus: {tp} correct, {fp} wrong, {fn} missed; precision {precision:.3f}, recall {recall:.3f}")
    assert fp == 0, wrong
    assert recall >= 0.95


def test_spans_point_at_the_published_characters():
    text = "年末常住人口４５．５４萬人。全县生产总值约230.65亿元。"
    got = bulletin.extract(text, county="嵩县", year=2022).set_index("indicator")
    s, e = got.loc["pop_resident", ["start", "end"]]
    assert text[s:e] == "４５．５４萬人"
    s, e = got.loc["gdp", ["start", "end"]]
    assert text[s:e] == "约230.65亿元"
    assert got.loc["gdp", "flags"] == "approximate"


def test_flags():
    got = bulletin.extract("经初步核算，全年全县生产总值230.65亿元，比上年增长4.2%。高新技术企业突破30家。",
                           county="嵩县", year=2022).set_index("indicator")
    assert "preliminary" in got.loc["gdp", "flags"]
    assert "growth" in got.loc["gdp_growth", "flags"]
    assert got.loc["hightech_firms", "flags"] == "lower_bound"


def test_ambiguous_matches_are_reported_with_reasons():
    found = bulletin.scan("洛阳市全年生产总值5675.2亿元。市级一般公共预算收入3.2亿元。", county="嵩县", year=2022)
    reasons = dict(zip(found.indicator, found.reason, strict=True))
    assert "another place" in reasons["gdp"] and "sub-scope" in reasons["fiscal_revenue"]
    assert (found.status == "ambiguous").all()


def test_extract_command_writes_raw_rows_that_build(tmp_path, raw_folder):
    src = tmp_path / "songxian_2022.txt"
    src.write_text("经初步核算，全年全县生产总值2306460万元，比上年增长4.2%。洛阳市生产总值5675.2亿元。", encoding="utf-8")
    out = raw_folder / "songxian_2022.csv"
    result = CliRunner().invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022", "-o", str(out),
                                      "--review"])
    assert result.exit_code == 0, result.output
    assert "2 figures extracted, 1 ambiguous" in result.output and "??" in result.output
    rows = pd.read_csv(out, dtype=str)
    assert rows.value_text.tolist() == ["2306460", "4.2"] and rows.unit.tolist() == ["万元", "%"]
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    gdp = table[(table.source_id == "songxian_2022.csv") & (table.indicator == "gdp")].iloc[0]
    assert gdp.adcode == "410325" and gdp.value == pytest.approx(230.646)
    assert Path(str(out) + ".meta.yaml").exists()
