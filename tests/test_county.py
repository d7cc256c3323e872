"""One-county building blocks on a small built project: peers, figures, profile, comparison, charts."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from countylib import county

from .projects import ZHENGZHOU_ROWS, make_project

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    make_project(root, ZHENGZHOU_ROWS)
    return root


@pytest.fixture(autouse=True)
def home(project, monkeypatch):
    monkeypatch.setenv("COUNTYLIB_HOME", str(project))


def test_code_pads_ints_from_the_command_line():
    assert county.code(410181) == "410181"
    assert county.code(" 410181 ") == "410181"


def test_info_refuses_a_prefecture_code_with_a_hint():
    with pytest.raises(county.CountyNotFoundError, match="not a current county-level adcode"):
        county.info("410100")


def test_peers_are_the_prefectures_units_or_a_given_list():
    zz = county.peers("410181")
    assert len(zz) == 12 and "410181" in zz and "410102" in zz  # 郑州: 6 districts + 6 县域 units
    assert county.peers("410181", ["410185", "410181", "410323"]) == ["410181", "410185", "410323"]
    with pytest.raises(ValueError, match="peers must be"):
        county.peers("410181", "country")


def test_comparison_without_a_year_takes_the_latest_year_for_everyone():
    comp = county.comparison("410181", "gdp")
    assert comp.attrs["year"] == 2022 and set(comp["年份"]) == {2022}
    values = comp.set_index("adcode")["数值"]
    assert values["410181"] == 1000  # the 2022 figure, not 2021's 900
    assert pd.isna(values["410185"]), "登封 has only a 2021 figure: not mixed into a 2022 comparison"
    assert comp["adcode"].iloc[0] == "410102" and comp["本县"].sum() == 1
    assert comp["数值"].notna().tolist() == [True] * 4 + [False] * 8  # missing at the end


def test_comparison_in_a_named_year():
    comp = county.comparison("410181", "gdp", year=2021).set_index("adcode")
    assert comp.loc["410181", "数值"] == 900 and comp.loc["410185", "数值"] == 400
    assert comp["数值"].notna().sum() == 2


def test_figures_take_one_year_per_indicator():
    latest = county.figures("410181").set_index("indicator")
    assert latest.loc["gdp", "year"] == 2022 and latest.loc["gdp", "value"] == 1000
    older = county.figures("410181", 2021).set_index("indicator")
    assert older.loc["gdp", "value"] == 900
    assert older.loc["pop_resident", "year"] == 2022, "no 2021 population: the closest year is used"


def test_profile_ranks_within_the_province_in_the_same_year():
    prof = county.profile("410181", 2022).set_index("指标")
    assert prof.loc["地区生产总值", "省内排名"] == "2 / 6"  # below 中原区 among six 2022 figures
    assert prof.loc["地区生产总值", "年份"] == 2022
    assert prof.loc["地区生产总值", "来源"] == "http://example.test/410181/2022"
    assert list(prof.columns) == ["数值", "单位", "年份", "省内排名", "百分位", "标记", "来源"]


def test_missing_lists_indicators_without_a_figure():
    absent = county.missing("410181", 2022)
    assert "地区生产总值" not in absent and "常住人口" not in absent
    assert "一般公共预算收入" in absent


def test_comparison_chart_titles_the_year_and_lists_missing_peers():
    comp = county.comparison("410181", "gdp")
    fig = county.comparison_chart(comp, "gdp", None)
    assert "2022年" in fig.axes[0].get_title()
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "登封市" in notes and "无数据" in notes
    assert len(fig.axes[0].patches) == 4


def test_locator_map_draws_prefecture_and_province():
    fig = county.locator_map("410181")
    assert [a.get_title() for a in fig.axes] == ["郑州市", "河南省"]


def test_profile_leaves_census_figures_to_the_census_section(tmp_path, monkeypatch):
    from .projects import report_project

    root = report_project(tmp_path / "p")
    monkeypatch.setenv("COUNTYLIB_HOME", str(root))
    from countylib import caches

    caches.reload()
    main = county.profile("410181", 2022)
    full = county.profile("410181", 2022, census=True)
    assert "性别比" not in set(main["指标"]) and "性别比" in set(full["指标"])
    assert set(main["指标"]) < set(full["指标"])


def test_comparison_table_names_the_indicator_and_unit_and_marks_the_county():
    comp = county.comparison("410181", "gdp")
    table = county.comparison_table(comp, "gdp")
    assert list(table.columns) == ["代码", "名称", "类型", "地区生产总值（亿元）", "年份"]
    mine = table[table["代码"] == "410181"].iloc[0]
    assert mine["名称"] == "巩义市（本县）" and mine["地区生产总值（亿元）"] == 1000
    assert table["地区生产总值（亿元）"].isna().sum() == 8
    assert county.comparison_caption(comp) == (
        "比较范围：郑州市的全部 12 个县级单位（县、县级市、市辖区）；2022年，4 个有数据。")
    chosen = county.comparison("410181", "gdp", scope=["410181", "410185"])
    assert county.comparison_caption(chosen).startswith("比较范围：所选的 2 个县级单位")


def test_comparison_chart_names_at_most_twenty_missing_units():
    comp = county.comparison("410181", "gdp", scope="province")
    missing = int(comp["数值"].isna().sum())
    assert missing > county.ABSENT_NAMES
    fig = county.comparison_chart(comp, "gdp", None)
    note = " ".join(t.get_text() for t in fig.texts)
    assert f"等 {missing} 个" in note and note.count("、") == county.ABSENT_NAMES - 1


def test_header_of_a_district_does_not_call_it_a_county_economy():
    assert "）县域经济概况" in county.header_md("410181", 2022).splitlines()[0]
    district = county.header_md("410102", 2022).splitlines()[0]
    assert district.endswith("）经济概况") and "县域" not in district
