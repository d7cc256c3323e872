"""Prefecture comparisons on a small built project: 县域 only, shares, N, thresholds, gaps to the 县域 mean."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from countylib.analysis import compare

from .projects import ZHENGZHOU_ROWS, make_project


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("compare"), ZHENGZHOU_ROWS, with_boundaries=False)


@pytest.fixture(scope="module")
def table(processed):
    return compare.prefecture_table(["洛阳", "郑州市"], 2022, ["gdp", "fiscal_revenue"], folder=processed)


def test_table_has_only_county_economy_units(table):
    assert set(table.kind) <= {"县", "县级市"}
    assert "410102" not in set(table.adcode), "中原区 is a 市辖区, not 县域"
    assert (table.prefecture_name == "郑州市").sum() == 6 and (table.prefecture_name == "洛阳市").sum() == 7


def test_shares_are_of_the_counties_with_data(table):
    zz = table[table.prefecture_name == "郑州市"].set_index("adcode")
    # 巩义 1000, 新密 500, 新郑 700 in 2022 (登封 has only 2021): 1000 / 2200
    assert zz.loc["410181", "gdp_share"] == pytest.approx(1000 / 2200 * 100)
    assert zz.gdp_share.sum() == pytest.approx(100)
    assert pd.isna(zz.loc["410185", "gdp"])


def test_summary_counts_n_and_means_over_units_with_data(table):
    s = compare.summary(table, ["gdp"]).set_index("地级市")
    assert s.loc["郑州市", "县（市）数"] == 6 and s.loc["郑州市", "地区生产总值 N"] == 3
    assert s.loc["郑州市", "地区生产总值 合计（亿元）"] == 2200
    assert s.loc["洛阳市", "地区生产总值 均值（亿元）"] == 400


def test_figures_per_person_are_never_summed_or_shared(processed):
    table = compare.prefecture_table(["郑州市"], 2022, ["gdp", "gdp_per_capita"], folder=processed)
    assert "gdp_share" in table and "gdp_per_capita_share" not in table
    mine = pd.DataFrame({"prefecture_adcode": ["410100"] * 2, "prefecture_name": ["郑州市"] * 2,
                         "gdp_per_capita": [80000.0, 120000.0], "gdp": [500.0, 700.0]})
    s = compare.summary(mine, ["gdp_per_capita", "gdp"]).iloc[0]
    assert s["人均地区生产总值 均值（元）"] == 100000 and s["地区生产总值 合计（亿元）"] == 1200
    assert not any(c.startswith("人均地区生产总值 合计") for c in s.index)


def test_thresholds_in_chinese_with_n(table):
    t = compare.thresholds(table, ["gdp", "fiscal_revenue"])
    row = t[(t["地级市"] == "郑州市") & (t["门槛"] == 500)].iloc[0]
    assert row["达到门槛的县"] == 3 and row["N"] == 3 and row["无数据"] == 3
    fr = t[(t["地级市"] == "洛阳市") & (t["指标"].str.startswith("一般公共预算收入"))].iloc[0]
    assert fr["达到门槛的县"] == 1 and fr["N"] == 1


def test_gap_to_the_provinces_county_economy_mean_leaves_districts_out(table, processed):
    g = compare.province_gap(table, "gdp", "河南", 2022, folder=processed)
    # 县域 figures of 2022: 1000, 500, 700, 300, 500 -> mean 600 (中原区's 3000 is not in it)
    assert g.attrs["N"] == 5 and g.attrs["reference"] == pytest.approx(600)
    assert g.attrs["label"] == "河南省县域（县、县级市）均值" and g.attrs["label"] in g.columns
    row = g.set_index("名称").loc["巩义市"]
    assert row["差距"] == pytest.approx(400) and row["比值"] == pytest.approx(1000 / 600)
    everything = compare.province_gap(table, "gdp", "河南省", 2022, county_economy_only=False, folder=processed)
    assert everything.attrs["N"] == 6 and everything.attrs["reference"] == pytest.approx(1000)
    assert "含市辖区" in everything.attrs["label"]


def test_gap_uses_stats_gap(table, processed, monkeypatch):
    from countylib.analysis import stats

    calls = []
    real = stats.gap
    monkeypatch.setattr(stats, "gap", lambda *a, **k: calls.append(k) or real(*a, **k))
    compare.province_gap(table, "gdp", "河南", 2022, folder=processed)
    assert calls and calls[0]["reference"] == pytest.approx(600)


def test_unknown_prefecture_and_province_give_a_hint():
    with pytest.raises(KeyError, match="countylib regions"):
        compare.prefecture_table(["不存在市"], 2022, ["gdp"])
    with pytest.raises(KeyError, match="no province"):
        compare.province_gap(pd.DataFrame(), "gdp", "火星省", 2022)


def test_display_helpers(table):
    zh = compare.county_table_zh(table, ["gdp"])
    assert list(zh.columns[:5]) == ["代码", "名称", "类型", "地级市", "地区生产总值（亿元）"]
    from countylib.output import tables

    html = tables.styled(pd.DataFrame({"名称": ["巩义市"], "年份": [2022], "值": [1234.5], "缺": [None]})).to_html()
    assert "1,234.50" in html and ">2022<" in html.replace(" ", "") and "无数据" in html
    again = tables.styled(pd.DataFrame({"名称": ["巩义市"], "年份": [2022], "值": [1234.5], "缺": [None]})).to_html()
    assert html == again, "same table, same bytes"
    ranks = tables.styled(pd.DataFrame({"指标": ["常住人口", "性别比"], "省内排名": ["151 / 157", "—"]})).to_html()
    assert re.search(r'<td [^>]*class="data row0 col1 num"[^>]*>151 / 157</td>', ranks), ranks  # on one line


def test_prefectures_keep_the_order_they_are_given_in(table, processed):
    assert list(table.prefecture_name.unique()) == ["洛阳市", "郑州市"]  # as given, not by code
    again = compare.prefecture_table(["郑州市", "洛阳"], 2022, ["gdp"], folder=processed)
    assert list(again.prefecture_name.unique()) == ["郑州市", "洛阳市"]
    assert list(compare.summary(again, ["gdp"])["地级市"]) == list(again.prefecture_name.unique())
