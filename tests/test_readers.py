"""Readers for yearbook layouts (fixtures written here); the census table: tests/test_census.py."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from countylib.ingest import readers
from countylib.ingest.build import build
from countylib.ingest.sheets import read_sheet
from tests.conftest import FIXTURES, write_source


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


# ------------------------------------------------------------------------------------------------------
# Yearbook layouts (fixtures in tests/fixtures are made-up numbers in the layout of real sheets)
# ------------------------------------------------------------------------------------------------------

MAIN = FIXTURES / "yearbook_21-2_2022.csv"


def test_layout_of_a_real_sheet_title_unit_line_groups_english_and_unit_rows():
    figs = readers.read_wide(MAIN, year=2022, province="河南省")
    cols = {c["column"]: (c["indicator"], c["unit"], c["unit_from"]) for c in figs.attrs["columns"]}
    assert cols == {
        "地区生产总值_总量": ("gdp", "万元", "单位 line"),
        "地区生产总值_比上年增长": ("gdp_growth", "%", "unit row"),
        "社会消费品零售总额_总量": ("retail_sales", "万元", "单位 line"),
        "社会消费品零售总额_比上年增长": ("", "", ""),
        "常住人口": ("pop_resident", "万人", "unit row"),
        "城镇化率": ("urbanization", "%", "unit row"),
        "一般公共预算收入": ("fiscal_revenue", "万元", "单位 line"),
    }
    # 比上年增长 under 社会消费品零售总额 is reported, never taken for GDP growth
    assert figs.attrs["unmapped_columns"] == [
        "社会消费品零售总额_比上年增长 (growth of 社会消费品零售总额 (retail_sales): the registry has no growth "
        "indicator for it)"]
    growth = figs[figs.indicator == "gdp_growth"]
    assert growth.column.unique().tolist() == ["地区生产总值_比上年增长"]
    assert figs.row.min() == 7 and not figs.name.str.startswith("注").any()


def test_rows_keep_names_as_printed_and_say_what_they_stand_for():
    figs = readers.read_wide(MAIN, year=2022, province="河南省").drop_duplicates("row").set_index("row")
    assert figs.loc[7, ["name", "row_kind", "scope"]].tolist() == ["全省", "province_total", "河南省"]
    assert figs.loc[10, "name"] == "杞  县①" and figs.loc[10, "row_kind"] == ""
    assert figs.loc[13, "row_kind"] == "subscope"  # 其中：市区
    assert figs.loc[19, "row_kind"] == "zone"  # 郑州航空港经济综合实验区
    assert figs.loc[20, "row_kind"] == "subtotal"  # 县域合计
    assert figs.loc[21, ["row_kind", "scope"]].tolist() == ["total", ""]  # 合计 without a declared scope
    assert figs.loc[12, "context"] == "安阳市"


def test_gbk_csv_is_detected_and_a_wrong_declared_encoding_is_an_error():
    sheet = read_sheet(FIXTURES / "luoyang_2019_gbk.csv")
    assert sheet.encoding == "gb18030" and sheet.cells[2][0] == "合计"
    figs = readers.read_wide(FIXTURES / "luoyang_2019_gbk.csv", year=2019, province="河南省", prefecture="洛阳市",
                             totals="洛阳市")
    assert figs[figs.name == "吉利区"].set_index("indicator").loc["pop_resident", ["value_text", "unit"]].tolist() == [
        "75,000", "人"]
    with pytest.raises(readers.ReaderError, match=r"luoyang_2019_gbk\.csv: not valid utf-8"):
        readers.read_wide(FIXTURES / "luoyang_2019_gbk.csv", year=2019, encoding="utf-8")


def test_money_column_without_a_unit_anywhere_is_an_error_asking_for_the_sidecar(tmp_path):
    path = tmp_path / "no_unit.csv"
    path.write_text("地区,地区生产总值,城镇化率(%)\n巩义市,9625800,68.4\n", encoding="utf-8")
    with pytest.raises(readers.ReaderError) as err:
        readers.read_wide(path, year=2022)
    msg = str(err.value)
    assert msg.startswith("no_unit.csv: column '地区生产总值'") and "reader: units:" in msg
    figs = readers.read_wide(path, year=2022, units={"gdp": "万元"})
    assert figs.set_index("indicator").loc["gdp", "unit"] == "万元"


def test_sidecar_unit_that_contradicts_the_sheet_is_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("地区,地区生产总值（亿元）\n巩义市,962.58\n", encoding="utf-8")
    with pytest.raises(readers.ReaderError, match="prints its unit as 亿元 but the sidecar says 万元"):
        readers.read_wide(path, year=2022, units={"gdp": "万元"})


def test_title_year_fills_a_missing_year_and_contradicts_a_wrong_one():
    assert set(readers.read_wide(MAIN, province="河南省").year) == {2022}
    with pytest.raises(readers.ReaderError, match="the title says 2022 .* but the sidecar says year 2021"):
        readers.read_wide(MAIN, year=2021)


@pytest.mark.parametrize("year", ["2022年", "1850", "22", 2101, "2022.5"])
def test_years_must_be_whole_numbers_in_range(year):
    with pytest.raises(readers.ReaderError, match="not a whole number between 1949 and 2100"):
        readers.check_year(year, "t.csv")


def test_growth_heading_alone_and_column_number_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("地区,比上年增长(%),地区生产总值（亿元）,增速\n甲,1,2,3\n巩义市,4.1,962.58,4.1\n", encoding="utf-8")
    figs = readers.read_wide(path, year=2022)
    # 增速 right after 地区生产总值 is its growth; 比上年增长 before any level column belongs to nothing
    assert figs.indicator.tolist() == ["gdp", "gdp_growth"] and figs.row.tolist() == [3, 3]
    assert figs.attrs["unmapped_columns"] == [
        "比上年增长(%) (a growth column without an indicator heading above it)"]


def test_bilingual_heading_cells_and_a_code_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('区划代码,"地区\nRegion","地区生产总值（亿元）\nGRP (100 million yuan)"\n'
                    "410181000000,巩义市,962.58\n", encoding="utf-8")
    figs = readers.read_wide(path, year=2022)
    assert figs[["name", "adcode", "indicator", "unit"]].values.tolist() == [["巩义市", "410181000000", "gdp", "亿元"]]


@pytest.mark.parametrize(("text", "message"), [("", "the file is empty"), ("地区,地区生产总值（亿元）\n", "no data row"),
                                               ("\n\n,,\n", "the file is empty")])
def test_empty_and_header_only_sheets_are_errors_naming_the_file(tmp_path, text, message):
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(readers.ReaderError, match=rf"^broken\.csv: .*{message}"):
        readers.read_wide(path, year=2022)


def test_figures_list_in_gbk_and_its_broken_rows(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("county,year,indicator,value_text,unit\n巩义市,2022,gdp,962.58,亿元\n".encode("gbk"))
    assert readers.read_figures_long(path).name.tolist() == ["巩义市"]
    path.write_text("county,year,indicator,value_text,unit\n巩义市,2022,gdp,1,亿元\n巩义市,二〇二二,gdp,1,亿元\n",
                    encoding="utf-8")
    figs = readers.read_figures_long(path)  # the row with a year that is not one is set aside, not the file
    assert figs.row.tolist() == [2] and [(r["row"], r["reason"]) for r in figs.attrs["rejected"]] == [
        (3, "year '二〇二二' is not a whole number between 1949 and 2100")]
    path.write_text("county,year,indicator,value_text,unit\n巩义市,二〇二二,gdp,1,亿元\n", encoding="utf-8")
    with pytest.raises(readers.ReaderError, match=r"list\.csv: no row could be read \(row 2: year '二〇二二'"):
        readers.read_figures_long(path)
    path.write_text("county,year,indicator,value_text,unit\n", encoding="utf-8")
    with pytest.raises(readers.ReaderError, match="header only"):
        readers.read_figures_long(path)


def make_xlsx(path: Path) -> Path:
    """A yearbook sheet as Excel writes it: merged title and group headings, a 单位 line right-aligned
    under the title, a superscript footnote mark set as rich text, a growth column formatted as a
    percentage, numbers stored as numbers and as text."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    ws = wb.active
    ws.append(["21-2 各县（市）主要经济指标（2022年）"])
    ws.merge_cells("A1:F1")
    ws.append([None, None, None, None, None, "单位：亿元"])
    ws.append(["地区", "地区生产总值", None, "人均地区生产总值（元）", "一般公共预算收入", None])
    ws.append([None, "总量", "比上年增长(%)", None, "总量", "其中：税收收入"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:D4")
    ws.merge_cells("E3:F3")
    ws.append(["Region", "GRP", "Growth", "Per capita GRP (yuan)", "Budget revenue", "Tax revenue"])
    ws.append(["河南省", 61345.1, 0.031, 62106, 4261.6, 2900.1])
    ws["C6"].number_format = "0.0%"
    ws.append([CellRichText("栾川县", TextBlock(InlineFont(vertAlign="superscript"), "1")), "3.2亿", 4.8, "5万",
               16, "3.2万"])
    ws.append(["汝州市(1)", "1,234.5", "inf", 54966, "nan", 20])
    ws.append(["兰考县*", 426.1, 4.5, None, 37.16, "X"])
    ws.append(["注：数字为测试用的虚构数字。"])
    wb.save(path)
    return path


def test_xlsx_merged_headings_superscript_marks_and_percent_cells(tmp_path):
    figs = readers.read_wide(make_xlsx(tmp_path / "sheet.xlsx"), year=2022, province="河南省")
    cols = {c["column"]: (c["indicator"], c["unit"], c["unit_from"]) for c in figs.attrs["columns"]}
    assert cols == {
        "地区生产总值_总量": ("gdp", "亿元", "单位 line"),
        "地区生产总值_比上年增长(%)": ("gdp_growth", "%", "heading"),
        "人均地区生产总值（元）": ("gdp_per_capita", "元", "heading"),
        "一般公共预算收入_总量": ("fiscal_revenue", "亿元", "单位 line"),
        "一般公共预算收入_其中：税收收入": ("tax_revenue", "亿元", "单位 line"),
    }
    names = figs.drop_duplicates("row").name.tolist()
    assert names == ["河南省", "栾川县¹", "汝州市(1)", "兰考县*"]
    province = figs[figs.row == 6].set_index("indicator").value_text.to_dict()
    assert province == {"gdp": "61345.1", "gdp_growth": "3.1", "gdp_per_capita": "62106", "fiscal_revenue": "4261.6",
                        "tax_revenue": "2900.1"}


@pytest.mark.parametrize(
    ("label", "kind"),
    [("全  省", "province_total"), ("全市", "prefecture_total"), ("合 计", "total"), ("总计", "total"),
     ("县域合计", "subtotal"), ("各县（市）合计", "subtotal"), ("小计", "subtotal"), ("市辖区", "subtotal"),
     ("其中：市区", "subscope"), ("其中:县城", "subscope"), ("市区", "subscope"), ("城区", "subscope"),
     ("市本级", "subscope"), ("本级", "subscope"), ("河南省", None), ("开封市", None), ("浦东新区", None)],
)
def test_row_labels_that_are_not_units(label, kind):
    from countylib import vocab

    assert vocab.row_label_kind(label) == kind


def test_unit_line_above_the_title_and_a_prefecture_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("单位：万元,,\n洛阳市主要经济指标（2022年）,,\n地区,地区生产总值,一般公共预算收入\n"
                    "全市,56750000,3500000\n市区,30000000,2000000\n　栾川县,3000500,160000\n", encoding="utf-8")
    figs = readers.read_wide(path, province="河南省", prefecture="洛阳市")
    assert {c["unit_from"] for c in figs.attrs["columns"]} == {"单位 line"}
    rows = figs.drop_duplicates("row").set_index("name")
    assert rows.loc["全市", ["row_kind", "scope"]].tolist() == ["prefecture_total", "洛阳市"]
    assert rows.loc["市区", "row_kind"] == "subscope" and rows.loc["栾川县", "year"] == 2022


def test_columns_headed_by_years_carry_their_own_year(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("表5 主要指标（2021—2022年）,,,\n地区,地区生产总值（亿元）,,常住人口（万人）\n,2021年,2022年,2022年末\n"
                    "巩义市,933.1,962.58,87.2\n", encoding="utf-8")
    figs = readers.read_wide(path, province="河南省", year=2022)
    assert figs[["year", "indicator", "value_text", "unit"]].values.tolist() == [
        [2021, "gdp", "933.1", "亿元"], [2022, "gdp", "962.58", "亿元"], [2022, "pop_resident", "87.2", "万人"]]


def test_one_encoding_reader_for_sheets_and_bulletin_texts(tmp_path):
    """A Big5 CSV is read as Big5 (it used to come out as GB18030 garbage), UTF-16 without a byte-order mark
    is recognised, and a file in no known encoding gets the same one-line reason from both readers."""
    from countylib.ingest.bulletin import reading

    big5 = "地區,地區生產總值\n鞏義市,962.58\n登封市,826.30\n".encode("big5")
    sheet = readers.read_sheet(io.BytesIO(big5), name="big5.csv")
    assert sheet.encoding in ("big5", "cp950", "big5hkscs") and sheet.cells[1][0] == "鞏義市"
    text, used = reading.decode("b.txt", "全縣生產總值230.5億元，比上年增長3.1%。".encode("big5"))
    assert text.startswith("全縣生產總值") and used in ("big5", "cp950", "big5hkscs")
    sheet16 = readers.read_sheet(io.BytesIO("地区,地区生产总值\n巩义市,962.58\n".encode("utf-16-le")), name="u.csv")
    assert sheet16.encoding == "utf-16-le" and sheet16.cells[1] == ["巩义市", "962.58"]

    noise = bytes(range(128, 256)) * 8
    with pytest.raises(readers.ReaderError) as sheet_error:
        readers.read_sheet(io.BytesIO(noise), name="x.csv")
    with pytest.raises(reading.BadInput) as text_error:
        reading.decode("x.csv", noise)
    reason = "x.csv: cannot tell the encoding"
    assert str(sheet_error.value).startswith(reason) and str(text_error.value).startswith(reason)
    assert "\n" not in str(sheet_error.value) and "\n" not in str(text_error.value)
