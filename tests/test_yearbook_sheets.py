"""Yearbook county sheets in the layouts real yearbooks print, each read through the README's procedure.

Every fixture is written here with made-up numbers; each test states the exact tidy result, or the
rejection and its reason. The layouts: sector shares under a structure heading, years as headings (in the
row of the name column's heading, or as group headings over indicators), 金额单位 lines, codes printed
before names, tables printed turned or in two panels, section rows with a repeated heading after a page
break, a 户籍 qualifier over a rate, and a large table printed in the wrong unit.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from countylib.ingest import readers, validate
from countylib.ingest.build import build
from tests.conftest import raw_with_history, write_source


def _csv(rows: list[list[str]], encoding: str = "utf-8", bom: bool = False) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode(encoding)


def _yi(wan: str) -> float:
    """万元 as printed -> 亿元, exactly."""
    return float(Decimal(wan.replace(",", "")) / Decimal(10000))


def _add(raw: Path, name: str, data: bytes, reader: str) -> None:
    write_source(raw, name, "", "wide", extra=f"reader:\n{reader}")
    (raw / name).write_bytes(data)


def _values(out: Path, source: str) -> dict[tuple[str, int, str], float]:
    table = pd.read_parquet(out / "indicators.parquet")
    table = table[table.source_id == source]
    assert not table.duplicated(["adcode", "year", "indicator"]).any()
    return {(r.adcode, int(r.year), r.indicator): r.value for r in table.itertuples()}


def _rejects(out: Path, source: str) -> pd.DataFrame:
    rej = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)
    return rej[rej.source_id == source]


# ------------------------------------------------------------------------------------------------------
# Headings
# ------------------------------------------------------------------------------------------------------


def _structure_xlsx(path: Path) -> Path:
    """单位：万元 over a table whose 三次产业构成（%） group holds the sectors' shares; a percent-formatted rate."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["21-3 各县（市）地区生产总值及构成（2022年）"])
    ws.merge_cells("A1:F1")
    ws.append([None, None, None, None, None, "单位：万元"])
    ws.append(["县（市）", "地区生产总值", "三次产业构成（%）", None, None, "常住人口城镇化率（%）"])
    ws.append([None, None, "第一产业", "第二产业", "第三产业", None])
    for cols in ("A3:A4", "B3:B4", "C3:E3", "F3:F4"):
        ws.merge_cells(cols)
    ws.append(["甲", 1, 2, 3, 4, 5])
    ws.append(["中牟县", 5834500, 6.1, 45.3, 48.6, 0.5012])
    ws.append(["巩义市", "9625800 ", 4.2, 56, 39.8, 0.6125])
    for row in ws.iter_rows(min_row=6, min_col=6, max_col=6):
        row[0].number_format = "0.00%"
    wb.save(path)
    return path


def test_sector_columns_under_a_structure_heading_are_shares_never_value_added(tmp_path):
    figs = readers.read_wide(_structure_xlsx(tmp_path / "t.xlsx"), province="河南省")
    got = {(n, k): (v, u) for n, k, v, u in figs[["name", "indicator", "value_text", "unit"]].values}
    assert got[("中牟县", "gdp")] == ("5834500", "万元")
    assert got[("中牟县", "share_primary")] == ("6.1", "%")
    assert got[("巩义市", "share_secondary")] == ("56", "%")
    assert got[("巩义市", "share_tertiary")] == ("39.8", "%")
    assert got[("巩义市", "urbanization")] == ("61.25", "%")
    assert not figs.indicator.str.startswith("va_").any()


def test_a_unit_printed_for_the_column_that_does_not_fit_leaves_it_unmapped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["单位：万元", "", "", ""], ["地区", "地区生产总值", "", ""],
                           ["", "总量", "第一产业", "比上年增长"], ["", "", "（%）", "（%）"],
                           ["巩义市", "9625800", "4.2", "4.1"]]))
    figs = readers.read_wide(path, year=2022, province="河南省")
    assert figs.indicator.tolist() == ["gdp", "gdp_growth"]
    assert figs.value_text.tolist() == ["9625800", "4.1"] and figs.unit.tolist() == ["万元", "%"]
    assert figs.attrs["unmapped_columns"] == [
        "地区生产总值_第一产业 (unit row prints %, which does not fit 第一产业增加值 (va_primary, 亿元); map it with "
        "`reader: units:` only if the heading is wrong)"]


def test_a_year_row_beside_the_name_heading_gives_each_column_its_year(tmp_path):
    """地区 | 2021 | 2022 under 地区生产总值（亿元）: the year row is a heading, not the first row of figures."""
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["", "地区生产总值（亿元）", "", "一般公共预算收入（万元）", ""],
                           ["地区", "2021", "2022", "本年", "上年同期"],
                           ["巩义市", "921.6", "962.58", "586000", "560000"],
                           ["荥阳市", "800.21", "810.33", "480250", "451000"]]))
    figs = readers.read_wide(path, year=2022, province="河南省")
    got = {(n, k, y): v for n, k, y, v in figs[["name", "indicator", "year", "value_text"]].values}
    assert got == {("巩义市", "gdp", 2021): "921.6", ("巩义市", "gdp", 2022): "962.58",
                   ("巩义市", "fiscal_revenue", 2022): "586000", ("荥阳市", "gdp", 2021): "800.21",
                   ("荥阳市", "gdp", 2022): "810.33", ("荥阳市", "fiscal_revenue", 2022): "480250"}
    assert figs.row.min() == 3


def _years_over_indicators_xlsx(path: Path) -> Path:
    """A workbook whose first sheet is a notes page; the table (sheet 表2) puts the years over the indicators,
    each indicator followed by its growth (地区生产总值 | 增长), units in a unit row, 户籍人口 over 年末数 |
    城镇化率, and one row hidden."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "“空格”表示该项数据不详。"
    ws = wb.create_sheet("表2")
    ws.append(["2-3  各县（市）主要指标"])
    ws.merge_cells("A1:H1")
    ws.append(["地  区", 2021, None, 2022, None, None, "户籍人口", None])
    ws.append([None, "地区生产总值", "增  长", "地区生产总值", "增  长", "常住人口", "年末数", "城镇化率"])
    ws.append([None, "(亿元)", "(%)", "(亿元)", "(%)", "(万人)", "(万人)", "(%)"])
    for cols in ("A2:A4", "B2:C2", "D2:F2", "G2:H2"):
        ws.merge_cells(cols)
    ws.append(["巩义市", 921.6, 5.0, 962.58, 4.1, 81.36, 84.3, 41.0])
    ws.append(["荥阳市", "800.21", "4.2 ", "810.33", "-0.5", "69.85", "63.0", "33.3"])
    ws.row_dimensions[6].hidden = True
    wb.save(path)
    return path


def test_years_as_group_headings_over_indicators_and_growth_beside_its_level(tmp_path):
    figs = readers.read_wide(_years_over_indicators_xlsx(tmp_path / "t.xlsx"), year=2022, province="河南省",
                             sheet="表2")
    got = {(n, k, y): v for n, k, y, v in figs[["name", "indicator", "year", "value_text"]].values}
    assert got == {
        ("巩义市", "gdp", 2021): "921.6", ("巩义市", "gdp_growth", 2021): "5", ("巩义市", "gdp", 2022): "962.58",
        ("巩义市", "gdp_growth", 2022): "4.1", ("巩义市", "pop_resident", 2022): "81.36",
        ("巩义市", "pop_registered", 2022): "84.3",
        ("荥阳市", "gdp", 2021): "800.21", ("荥阳市", "gdp_growth", 2021): "4.2", ("荥阳市", "gdp", 2022): "810.33",
        ("荥阳市", "gdp_growth", 2022): "-0.5", ("荥阳市", "pop_resident", 2022): "69.85",
        ("荥阳市", "pop_registered", 2022): "63.0",
    }
    # the rate under 户籍人口 is the registered population's, not 常住人口城镇化率
    assert figs.attrs["unmapped_columns"] == [
        "户籍人口_城镇化率 (户籍人口 over 城镇化率: not 常住人口城镇化率 as the registry defines it)"]


@pytest.mark.parametrize(("line", "units"), [("金额单位：亿元", ["亿元", None]), ("单位：万元、万人", ["万元", "万人"]),
                                             ("单位：万元，亿元", [None, "万人"])])
def test_unit_lines_with_a_prefix_or_one_unit_per_dimension(tmp_path, line, units):
    """A 单位 line names at most one unit per dimension; a column whose dimension it does not name has no unit."""
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([[line, "", ""], ["地区", "地区生产总值", "年末常住人口"], ["巩义市", "962.58", "81.36"]]))
    if None in units:
        key, unit = ("pop_resident", "万人") if units[1] is None else ("gdp", "万元")
        with pytest.raises(readers.ReaderError, match=rf"no unit in its heading.*units: {{{key}: {unit}}}"):
            readers.read_wide(path, year=2022)
        return
    assert readers.read_wide(path, year=2022).unit.tolist() == units


def test_title_year_with_spaces_and_a_two_column_sheet(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["表5  2018年各县（市）地区生产总值", ""], ["单位：亿元", ""],
                           ["县（市）", "地区生产总值"], ["巩义市", "700.1"]]))
    figs = readers.read_wide(path)
    assert figs.year.tolist() == [2018] and figs.value_text.tolist() == ["700.1"]


# ------------------------------------------------------------------------------------------------------
# Arrangements: codes in the name cell, turned tables, panels side by side
# ------------------------------------------------------------------------------------------------------


def test_traditional_gb18030_reprint_with_codes_printed_before_names(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    rows = [["各縣（市）主要經濟指標（2018年）", "", ""], ["單位：萬元", "", ""],
            ["地    區\nRegion", "地區生產總值\nGross Regional Product", "常住人口（萬人）\nPopulation"],
            ["河 南 省", "480,559,200", "9,605"], ["410181 鞏義市", "7,001,234", "81.0"],
            ["410182000000 滎陽市", "6 601 000.5", "61.2"], ["　淮陽縣", "2,207,780", "X"]]
    _add(raw, "reprint.csv", _csv(rows, "gb18030"), "  province: 河南省\n")
    build(raw, tmp_path / "out", boundaries=False)
    assert _values(tmp_path / "out", "reprint.csv") == pytest.approx({
        ("410000", 2018, "gdp"): _yi("480559200"), ("410000", 2018, "pop_resident"): 9605.0,
        ("410181", 2018, "gdp"): _yi("7001234"), ("410181", 2018, "pop_resident"): 81.0,
        ("410182", 2018, "gdp"): _yi("6601000.5"), ("410182", 2018, "pop_resident"): 61.2,
        ("411603", 2018, "gdp"): _yi("2207780"), ("411603", 2018, "pop_resident"): float("nan"),
    }, rel=0, abs=0, nan_ok=True)


def test_a_table_printed_with_units_as_columns_is_read_turned(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["2022年各县（市）主要经济指标", "", "", ""], ["指标名称", "计量单位", "巩义市", "荥阳市"],
                           ["地区生产总值", "亿元", "962.58", "810.33"],
                           ["一般公共预算收入", "万元", "586000", "480250"],
                           ["注：本表为测试数字。", "", "", ""]], bom=True))
    figs = readers.read_wide(path, province="河南省")
    got = {(n, k): (v, u, r) for n, k, v, u, r in figs[["name", "indicator", "value_text", "unit", "row"]].values}
    assert got == {("巩义市", "gdp"): ("962.58", "亿元", 3), ("荥阳市", "gdp"): ("810.33", "亿元", 3),
                   ("巩义市", "fiscal_revenue"): ("586000", "万元", 4),
                   ("荥阳市", "fiscal_revenue"): ("480250", "万元", 4)}
    assert {c["note"] for c in figs.attrs["columns"]} == {"printed with units as columns: read turned"}


def test_two_panels_side_by_side_are_read_one_under_the_other(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["14-3 各县（市）地区生产总值（2022年）"])
    ws.merge_cells("A1:F1")
    ws.append([None] * 5 + ["单位：万元"])
    ws.append(["县（市）", "地区生产总值", None, "县（市）", "地区生产总值", None])
    ws.append([None, "总量", "增长（%）", None, "总量", "增长（%）"])
    for cols in ("A3:A4", "B3:C3", "D3:D4", "E3:F3"):
        ws.merge_cells(cols)
    ws.append(["中牟县", 5834500, 4.2, "新郑市", 14013500, 2.2])
    ws.append(["巩义市", 9625800, -0.5, None, None, None])
    wb.save(tmp_path / "t.xlsx")
    figs = readers.read_wide(tmp_path / "t.xlsx", province="河南省")
    got = {(n, k): (v, u, r) for n, k, v, u, r in figs[["name", "indicator", "value_text", "unit", "row"]].values}
    assert got == {("中牟县", "gdp"): ("5834500", "万元", 5), ("中牟县", "gdp_growth"): ("4.2", "%", 5),
                   ("巩义市", "gdp"): ("9625800", "万元", 6), ("巩义市", "gdp_growth"): ("-0.5", "%", 6),
                   ("新郑市", "gdp"): ("14013500", "万元", 5), ("新郑市", "gdp_growth"): ("2.2", "%", 5)}


# ------------------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------------------


def _sections_xlsx(path: Path) -> Path:
    """A 2018 table in sections (一、郑州市 …) that breaks over a page: the heading printed again under 续表."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    head = ["县（市、区）", "地区生产总值", "人均生产总值（元）", "地区生产总值增长率（%）"]
    ws.append(["表5  2018年各县（市、区）主要经济指标"])
    ws.merge_cells("A1:D1")
    ws.append([None, None, None, "单位：万元"])
    ws.append(head)
    ws.append(["合  计", 480559200, 50152, 0.076])
    ws.append(["一、郑州市", 101433200, 101349, 0.081])
    ws.append(["郑东新区", 12000000, 200000, 0.1])
    ws.append(["二、开封市", 20022300, 44516, 0.078])
    ws.append(["鼓楼区", 1600000, 52000, 0.061])
    ws.append(["表5  续表"])
    ws.append(head)
    ws.append(["三、周口市", 26878500, 30650, 0.072])
    ws.append(["淮阳县", 2207780, 20270, 0.088])
    ws.append(["长垣县", 3053000, 46800, 0.093])
    ws.append(["", 1000, 2000, 0.05])
    ws.append(["其中：省直管县", 45000000, 40000, 0.079])
    for row in ws.iter_rows(min_row=4, min_col=4, max_col=4):
        if isinstance(row[0].value, float):
            row[0].number_format = "0.0%"
    wb.save(path)
    return path


def test_sections_page_break_renamed_counties_zone_and_a_declared_total(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "sections.xlsx", _sections_xlsx(tmp_path / "s.xlsx").read_bytes(),
         "  province: 河南省\n  totals: 河南省\n")
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    expected = {}
    for code, gdp, per, growth in (("410000", "480559200", 50152, 7.6), ("410100", "101433200", 101349, 8.1),
                                   ("410200", "20022300", 44516, 7.8), ("410204", "1600000", 52000, 6.1),
                                   ("411600", "26878500", 30650, 7.2), ("411603", "2207780", 20270, 8.8),
                                   ("410783", "3053000", 46800, 9.3)):
        expected.update({(code, 2018, "gdp"): _yi(gdp), (code, 2018, "gdp_per_capita"): float(per),
                         (code, 2018, "gdp_growth"): growth})
    assert _values(out, "sections.xlsx") == expected
    reasons = _rejects(out, "sections.xlsx").groupby("source_row").reason.first().to_dict()
    assert set(reasons) == {"14", "15"}  # the repeated heading (row 10) is skipped, not rejected
    assert reasons["14"].startswith("figures in a row with no name or code")
    assert reasons["15"].startswith("sub-scope row")
    zones = pd.read_parquet(out / "zones.parquet")
    assert zones.name.unique().tolist() == ["郑东新区"]


def test_an_ambiguous_name_takes_the_prefecture_above_it_not_a_county_level_city(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    rows = [["2022年分县（市、区）地区生产总值", ""], ["单位：亿元", ""], ["地区 Region", "地区生产总值"],
            ["南京市 Nanjing", "16907.85"], ["鼓楼区 Gulou", "2315.2亿"], ["徐州市 Xuzhou", "8457.84"],
            ["邳州市 Pizhou", "约1,200"], ["鼓楼区 Gulou", "420.6"], ["睢宁县", "1,23"]]
    _add(raw, "js.csv", _csv(rows, "gbk"), "  province: 江苏省\n")
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    assert _values(out, "js.csv") == {("320100", 2022, "gdp"): 16907.85, ("320106", 2022, "gdp"): 2315.2,
                                      ("320300", 2022, "gdp"): 8457.84, ("320382", 2022, "gdp"): 1200.0,
                                      ("320302", 2022, "gdp"): 420.6}
    assert _rejects(out, "js.csv").reason.tolist() == [
        "not a number: '1,23' (a comma that does not separate thousands)"]


# ------------------------------------------------------------------------------------------------------
# Plausibility: one large table in the wrong unit
# ------------------------------------------------------------------------------------------------------


def test_a_large_table_in_the_wrong_unit_cannot_make_itself_the_norm(tmp_path):
    """A 单位：万元 line over figures that are in fact 亿元, for many counties: each figure is 1/10,000 of what
    two other sources say. The table's figures are rejected, the other sources' kept."""
    raw = raw_with_history(tmp_path / "raw")
    names = ["中牟县", "巩义市", "荥阳市", "新密市", "新郑市", "登封市", "杞县", "通许县", "尉氏县", "兰考县",
             "栾川县", "嵩县", "汝阳县", "宜阳县", "洛宁县", "伊川县"]
    rows = [["各县（市）地区生产总值（2022年）", ""], ["单位：万元", ""], ["县（市）", "地区生产总值"]]
    rows += [[n, f"{300 + 25 * k}.5"] for k, n in enumerate(names)]
    _add(raw, "wrong_unit.csv", _csv(rows), "  province: 河南省\n")
    for src, figures in (("a.csv", (("巩义市", "962.58"), ("荥阳市", "810.33"), ("登封市", "720.88"))),
                         ("b.csv", (("新郑市", "1401.35"), ("兰考县", "430.2"), ("中牟县", "583.45")))):
        text = "county,province,year,indicator,value_text,unit\n" + "".join(
            f"{n},河南省,2022,gdp,{v},亿元\n" for n, v in figures)
        write_source(raw, src, text, "figures_long")
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    assert _values(out, "wrong_unit.csv") == {}
    reasons = _rejects(out, "wrong_unit.csv").reason
    assert len(reasons) == len(names) and reasons.str.endswith("likely 亿元 read as 万元").all()
    assert len(_values(out, "a.csv")) == 3 and len(_values(out, "b.csv")) == 3


def test_typical_value_is_the_median_of_the_sources_medians():
    frame = pd.DataFrame({"adcode": [f"{k}" for k in range(9)], "year": 2022, "indicator": "gdp",
                          "level": "county", "source_id": ["big"] * 6 + ["a", "b", "c"],
                          "value": [0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 400.0, 500.0, 600.0]})
    kept, rejected = validate.check_plausibility(frame)
    assert kept.source_id.tolist() == ["a", "b", "c"] and rejected.source_id.eq("big").all()


def test_two_columns_giving_one_indicator_for_one_year_are_not_read(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["地区", "地区生产总值（亿元）", "生产总值（亿元）", "年末常住人口（万人）"],
                           ["巩义市", "962.58", "1401.35", "81.36"]]))
    figs = readers.read_wide(path, year=2022)
    assert figs.indicator.tolist() == ["pop_resident"]
    assert figs.attrs["unmapped_columns"][0].startswith(
        "地区生产总值（亿元） (gdp also in column '生产总值（亿元）': two columns give one indicator for one year")


def test_bilingual_headings_on_one_line_and_subcolumns_named_by_their_group(tmp_path):
    """An HTML table copied into a sheet: Chinese and English headings on one line; 年末常住人口 over 合计 | 城镇,
    居民人均可支配收入 over 全体居民 | 农村常住居民."""
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([
        ["地区 Region", "年末常住人口（万人） Population (10 000 persons)", "", "居民人均可支配收入（元） Income (yuan)", ""],
        ["", "合计 Total", "城镇 Urban", "全体居民 All", "农村常住居民 Rural"],
        ["巩义市 Gongyi", "81.36", "49.8", "36012", "26013"]]))
    figs = readers.read_wide(path, year=2022)
    assert dict(zip(figs.indicator, figs.value_text, strict=True)) == {
        "pop_resident": "81.36", "pop_urban": "49.8", "disposable_income": "36012", "disposable_income_rural": "26013"}
    assert set(figs.unit) == {"万人", "元"}


def test_prefectures_in_the_first_column_and_their_counties_in_the_second(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["表21-5 各省辖市、县（市）地区生产总值（2022年）", "", ""],
                           ["", "", "地区生产总值（亿元）"], ["全省", "", "61345.05"], ["郑州市", "", "12934.69"],
                           ["", "中牟县", "583.45"], ["开封市", "", "2657.1"], ["", "兰考县", "430.22"]]))
    figs = readers.read_wide(path, province="河南省")
    assert figs[["name", "value_text", "row_kind"]].values.tolist() == [
        ["全省", "61345.05", "province_total"], ["郑州市", "12934.69", ""], ["中牟县", "583.45", ""],
        ["开封市", "2657.1", ""], ["兰考县", "430.22", ""]]
    assert [c["column"] for c in figs.attrs["columns"]] == ["地区生产总值（亿元）"]


def test_a_prefecture_column_beside_the_county_column_is_not_the_name(tmp_path):
    """所属省辖市 | 县（市）: the county column names the rows; the prefecture repeated beside them does not."""
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["各县（市）地区生产总值（2022年）", "", ""], ["所属省辖市", "县（市）", "地区生产总值（亿元）"],
                           ["郑州市", "中牟县", "583.45"], ["郑州市", "巩义市", "962.58"], ["开封市", "兰考县", "430.22"]]))
    figs = readers.read_wide(path, province="河南省")
    assert figs[["name", "value_text"]].values.tolist() == [["中牟县", "583.45"], ["巩义市", "962.58"],
                                                          ["兰考县", "430.22"]]


def test_one_indicator_heading_alone_in_its_row_is_a_heading_not_a_title(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(_csv([["表3 各县（市）地区生产总值（2022年）", ""], ["", "地区生产总值（亿元）"], ["巩义市", "962.58"]]))
    figs = readers.read_wide(path)
    assert figs[["indicator", "value_text", "unit", "year"]].values.tolist() == [["gdp", "962.58", "亿元", 2022]]


def test_excel_unicode_text_export_and_a_workbook_whose_first_sheet_is_notes(tmp_path):
    path = tmp_path / "t.csv"
    text = "表21-2 各县（市）主要经济指标（2022年）\t\t\n地区\t地区生产总值（万元）\t比上年增长（%）\n巩义市\t\"9,625,800\"\t4.1\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    figs = readers.read_wide(path, province="河南省")
    assert figs[["indicator", "value_text", "unit", "year"]].values.tolist() == [
        ["gdp", "9,625,800", "万元", 2022], ["gdp_growth", "4.1", "%", 2022]]
    with pytest.raises(readers.ReaderError, match=r"sheets \['说明', '表2'\]: name the table's sheet with `reader: sheet:`"):
        readers.read_wide(_years_over_indicators_xlsx(tmp_path / "t.xlsx"), year=2022)


def test_a_code_and_a_name_that_name_different_units_are_rejected(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    rows = [["区划代码", "地区", "地区生产总值（亿元）"], ["410181", "巩义市", "962.58"], ["410182", "新郑市", "1401.35"],
            ["410381", "偃师市", "481.86"]]
    _add(raw, "codes.csv", _csv(rows), "  year: 2022\n  province: 河南省\n")
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    assert _values(out, "codes.csv") == {("410181", 2022, "gdp"): 962.58, ("410307", 2022, "gdp"): 481.86}
    assert _rejects(out, "codes.csv").reason.tolist() == [
        "code 410182 is 410182 but the name 新郑市 is 410184: which is meant cannot be told"]


def test_a_title_spanning_two_years_names_no_single_year(tmp_path):
    path = tmp_path / "t.csv"
    rows = [["各县（市）地区生产总值（2021—2022年）", "", ""], ["地区", "地区生产总值（亿元）", ""], ["", "2021年", "2022年"],
            ["巩义市", "921.6①", "962.58"]]
    path.write_bytes(_csv(rows))
    figs = readers.read_wide(path)  # every column carries its year: no year: needed
    assert figs[["year", "value_text"]].values.tolist() == [[2021, "921.6①"], [2022, "962.58"]]
    path.write_bytes(_csv([rows[0], ["地区", "地区生产总值（亿元）", ""], ["巩义市", "962.58", ""]]))
    with pytest.raises(readers.ReaderError, match="no year: the title names several"):
        readers.read_wide(path)


def test_wrong_sources_never_make_right_rows_look_wrong():
    """Three sources of per-person figures read as GDP (in range, far below any county's GDP) outnumber
    the two right ones; the registry's typical value keeps them from voting, so only they are rejected."""
    right = {"a": [962.58, 810.33, 720.88], "b": [1401.35, 430.2, 583.45]}
    wrong = {f"pp{i}": [0.00098, 0.00064, 0.00113] for i in range(3)}
    rows = [(s, v) for s, vals in {**right, **wrong}.items() for v in vals]
    frame = pd.DataFrame({"adcode": [f"{k:06d}" for k in range(len(rows))], "year": 2022, "indicator": "gdp",
                          "level": "county", "source_id": [s for s, _ in rows], "value": [v for _, v in rows]})
    kept, rejected = validate.check_plausibility(frame)
    assert sorted(set(kept.source_id)) == ["a", "b"] and len(kept) == 6
    assert len(rejected) == 9 and rejected.reason.str.contains("of 6 county figures of 地区生产总值 from 2 sources").all()
    # a source alone, and no right one: the registry's typical value is the reference
    kept, rejected = validate.check_plausibility(frame[frame.source_id == "pp0"])
    assert kept.empty and rejected.reason.iloc[0] == (
        "0.00098 亿元 is 1/100,000 of the typical 300 亿元 of a county's 地区生产总值 (indicator registry): "
        "likely a unit error")


def test_gdp_column_printed_per_person_is_read_as_gdp_per_capita(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    write_source(raw, "pc.csv", "", "wide", extra="reader:\n  year: 2022\n  province: 河南省\n")
    (raw / "pc.csv").write_bytes(_csv([["地区", "地区生产总值（元/人）", "地区生产总值（亿元）", "一般公共预算收入（元/人）"],
                                       ["巩义市", "113700", "962.58", "5000"], ["新安县", "63500", "305.0", "2100"]]))
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    assert _values(out, "pc.csv") == {("410181", 2022, "gdp_per_capita"): 113700.0, ("410181", 2022, "gdp"): 962.58,
                                      ("410323", 2022, "gdp_per_capita"): 63500.0, ("410323", 2022, "gdp"): 305.0}
    report = (out / "build_report.md").read_text(encoding="utf-8")
    assert "read as 人均地区生产总值 (gdp_per_capita)" in report
    assert "一般公共预算收入（元/人） (heading prints 元/人" in report and "a per-person figure is not a total" in report
