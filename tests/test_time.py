"""Counties through time: the crosswalk built from the bundled code history (data/raw/areacodes), checked
against the history's own diff files; names and codes of any year; the build's placement of figures on
today's units (mergers summed, splits and transfers marked); panels."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from countylib.data import crosswalk, regions
from countylib.data.load import load_panel
from countylib.ingest.build import build
from tests.conftest import raw_with_history, write_source

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "data" / "raw" / "areacodes"
HEADER = "dataset,county,adcode,province,year,indicator,value_text,unit,url,source_quality,note\n"


@pytest.fixture(scope="module")
def cw():
    return crosswalk.get()


def _diff_lines(years: str) -> list[tuple[str, str, str, str]]:
    """Change lines of one diff file as (op, code, name, selectors), comments dropped."""
    out = []
    for line in (HISTORY / "diff" / f"{years}.diff").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([-+=])(\d{6}) (\S+?)([<>].*)?$", line)
        if m:
            out.append((m.group(1), m.group(2), m.group(3), (m.group(4) or "")[1:]))
    return out


# ----------------------------------------------------------------------------------------------------
# The crosswalk against the history's own files
# ----------------------------------------------------------------------------------------------------


def test_bundled_history_is_the_published_one():
    import hashlib

    digest = hashlib.sha256((HISTORY / "result.csv").read_bytes()).hexdigest()
    assert digest == "e3b69e8e13fcb3151b5cd6a03674f89e043f301f308dcb67283533f1a8239794"
    assert (HISTORY / "LICENSE").read_text(encoding="utf-8").startswith("Creative Commons Legal Code\n\nCC0 1.0")
    assert len(list((HISTORY / "diff").glob("*.diff"))) == 43


def test_every_code_retired_since_2000_goes_where_the_history_lists(cw):
    """Every county-level record retired since 2000: its successors in the crosswalk are the codes result.csv
    lists, and the names the year's diff file gives for them (the two files are written apart)."""
    checked = 0
    for rec in cw.records:
        if rec.level != "county" or rec.end is None or rec.end < 2000:
            continue
        succ = [cw.records[cw.record_at(c, rec.end)] for c in rec.successors]
        assert [s.code for s in succ] == list(rec.successors), rec.label
        lines = [sel for op, code, name, sel in _diff_lines(f"{rec.end - 1}-{rec.end}")
                 if op == "-" and code == rec.code and name == rec.name]
        assert len(lines) == 1, rec.label
        selectors = [s.rstrip("!") for s in lines[0].split(",") if not s.endswith("?")]
        named = {rec.name if s == "_" else s for s in selectors if s not in (".", "..")}
        assert all(any(s.name == n or n.endswith(s.name) for s in succ) for n in named), (rec.label, named)
        if "." in selectors:
            assert rec.code in {s.code for s in succ}, rec.label
        checked += 1
    assert checked == 982  # county-level records retired in the tables of 2000-2024


def test_counts_of_each_kind_of_change_per_year_as_read_in_the_diff_files(cw):
    counts = crosswalk.counts()
    # 2020-2021.diff by hand: 12 recodes (沙县区 … 沙湾市), 3 mergers (下城区 into 拱墅区; 梅列区 + 三元区;
    # 孟津县 + 吉利区), 2 splits (江干区 divided, with part of 萧山区, into 上城区 and the new 钱塘区; 临平区 from
    # 余杭区), 5 transfers (铜山区>鼓楼区, 宿豫区>宿城区, 上虞区>越城区, 青山湖区>新建区>红谷滩区, 安阳县>殷都区),
    # 1 creation (新星市, from 新疆's land outside any county)
    assert counts.loc[2021].to_dict() == {"recode": 12, "merger": 3, "split": 2, "transfer": 5, "abolition": 0,
                                          "creation": 1}
    # 2021-2022.diff: five `=` lines, nothing else; 2022-2023.diff: 米林市, 错那市, three `=` lines, 白杨市
    assert counts.loc[2022].to_dict() == {"recode": 0, "merger": 0, "split": 0, "transfer": 5, "abolition": 0,
                                          "creation": 0}
    assert counts.loc[2023].to_dict() == {"recode": 2, "merger": 0, "split": 0, "transfer": 3, "abolition": 0,
                                          "creation": 1}
    # 2023-2024.diff: 和康县 from 皮山县 and 和安县 from 和田县 (splits), four groups of `=` lines
    assert counts.loc[2024, ["split", "transfer"]].tolist() == [2, 4]
    transfers = {(op, code) for op, code, _, _ in _diff_lines("2021-2022") if op == "="}
    assert len(transfers) == counts.loc[2022, "transfer"]


@pytest.mark.parametrize(("year", "kind", "new"), [
    (2021, "merger", ["拱墅区（330105）", "三元区（350404）", "孟津区（410308）"]),
    (2014, "recode", None),
])
def test_changes_of_a_year_and_kind(year, kind, new):
    ch = crosswalk.changes(year, kind)
    if new is not None:
        assert ch.new.tolist() == new
    else:
        row = ch[ch.old_codes.map(lambda c: c == ("410224",))].iloc[0]
        assert (row.new, row.detail) == ("祥符区（410212）", "撤县设区")


def test_placements_of_the_known_cases(cw):
    assert (cw.place("410381", 2019).adcode, cw.place("410381", 2019).how) == ("410307", "recoded")  # 偃师市
    assert cw.place("410224", 2013).adcode == "410212"  # 开封县 -> 祥符区
    merged = cw.place("330105", 2020)  # 拱墅区 before it absorbed 下城区: one member of today's 拱墅区
    assert (merged.status, merged.adcode, merged.members) == ("merger_member", "330105", ("330103", "330105"))
    split = cw.place("330104", 2020)  # 江干区
    assert (split.status, split.candidates) == ("split", ("330102", "330114"))
    yuhang = cw.place("330110", 2019)
    assert (yuhang.status, yuhang.adcode, yuhang.exact, yuhang.comparable_since) == ("placed", "330110", False, 2021)
    assert "临平区（330113）" in yuhang.note
    anyang = cw.place("410522", 2019)
    assert not anyang.exact and "殷都区（410505）" in anyang.note and cw.place("410522", 2021).exact
    assert cw.place("330113", 2019).status == "not_in_use" and "2021年才启用" in cw.place("330113", 2019).note


def test_registry_codes_the_history_does_not_use_are_linked_explicitly(cw):
    links = cw.registry_links.set_index("registry_code").history_code.to_dict()
    assert links == {"431121": "431181", "450127": "450181", "513425": "513402", "532331": "532302",
                     "540422": "540481", "540530": "540581", "610322": "610305", "610928": "610981",
                     "654223": "654203", "460301": "460302", "460302": "460303"}
    assert cw.place("431181", 2022).adcode == "431121"  # 祁阳市: the registry keeps 祁阳县's code
    assert cw.place("460302", 2022).adcode == "460301"  # 西沙区: the registry's code is another
    assert cw.place("232761", 2020).adcode == "232718"  # 加格达奇区: a statistical code, from the supplement
    assert cw.place("653228", 2024).status == "no_current_unit"  # 和康县 (2024): no unit in the registry
    only = cw.registry_only
    assert {"232718", "632825", "110100"} <= only and all(c[:2] in ("11", "12", "23", "31", "63", "81", "82")
                                                           for c in only)


def test_years_outside_the_history_are_a_one_line_error():
    for year in (1980, 2025):
        with pytest.raises(regions.YearOutOfRangeError) as err:
            regions.resolve(["巩义市"], year=year)
        assert "\n" not in str(err.value) and "1981-2024" in str(err.value)


def test_a_code_that_never_existed_is_unknown_with_close_codes(cw):
    p = cw.place("410399", 2019)
    assert p.status == "unknown" and len(p.candidates) == 5
    assert all(re.fullmatch(r"\S+（4103\d\d）", c) for c in p.candidates)  # codes of 洛阳 in use in 2019
    out = regions.resolve(["410399"], year=2019, errors="report").iloc[0]
    assert out.status == "unknown" and out.adcode is None and "（4103" in out.candidates


# ----------------------------------------------------------------------------------------------------
# Names of any year
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "province", "year", "adcode", "status"), [
    ("偃师市", "河南", 2019, "410307", "historical"),
    ("开封县", "河南", 2013, "410212", "historical"),
    ("巩县", "河南", 1990, "410181", "historical"),
    ("长垣市", "河南", 2018, "410783", "historical"),  # today's name printed for an earlier year, same territory
    ("余杭区", "浙江", 2019, "330110", "name"),
    ("孟津区", "河南", 2019, None, "not_in_use"),  # 孟津县 + 吉利区 then
    ("临平区", "浙江", 2019, None, "not_in_use"),
    ("拱墅区", "浙江", 2020, None, "merger_member"),
    ("江干区", "浙江", 2020, None, "split"),
    ("襄樊市", None, 2009, "420600", "historical"),
])
def test_names_of_any_year(name, province, year, adcode, status):
    out = regions.resolve([name], province=province, year=year, level=None, errors="report").iloc[0]
    assert (out.adcode, out.status) == (adcode, status)


def test_a_split_is_said_as_such_with_its_successors():
    out = regions.resolve(["江干区"], province="浙江", year=2020, errors="report").iloc[0]
    assert "上城区(330102)" in out.candidates and "钱塘区(330114)" in out.candidates
    with pytest.raises(regions.RegionError, match="split"):
        regions.resolve(["江干区"], province="浙江", year=2020)
    yuhang = regions.resolve(["余杭区"], province="浙江", year=2019, errors="report").iloc[0]
    assert yuhang.note == "2021年余杭区（330110）部分区域设立临平区（330113）"


def test_zones_known_by_name_are_zones():
    # before: "unknown" with candidates such as 伊川县, 毛集? and 鸭河 that are no zones' units
    out = regions.resolve(["伊滨区", "毛集实验区", "鸭河工区"], province=None, errors="report")
    assert out.status.tolist() == ["zone", "zone", "zone"] and out.adcode.isna().all()
    assert regions.is_zone("伊滨区") and not regions.is_zone("西工区")
    assert regions.resolve(["西工区"], province="河南").adcode.iloc[0] == "410303"


# ----------------------------------------------------------------------------------------------------
# The build: figures of any year on today's units
# ----------------------------------------------------------------------------------------------------


def _figures(raw: Path, rows: list[str], name: str = "sheet.csv") -> None:
    write_source(raw, name, HEADER + "\n".join(rows) + "\n", "figures_long")


def _built(tmp_path: Path, rows: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = raw_with_history(tmp_path / "raw")
    _figures(raw, rows)
    build(raw, tmp_path / "out", boundaries=False)
    table = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str, keep_default_na=False)
    return table[table.source_id == "sheet.csv"], rejects[rejects.source_id == "sheet.csv"]


def test_gongshu_of_2020_is_its_own_figure_plus_xiacheng(tmp_path):
    table, rejects = _built(tmp_path, [
        "t,拱墅区,,浙江省,2020,gdp,500,亿元,,official,",
        "t,下城区,,浙江省,2020,gdp,800,亿元,,official,",
        "t,拱墅区,330105,浙江省,2020,retail_sales,50,亿元,,official,",  # 下城区's missing: not summed
    ])
    gongshu = table[(table.adcode == "330105") & (table.indicator == "gdp")]
    assert gongshu.value.tolist() == [1300.0] and gongshu.break_note.tolist() == [""]
    assert "下城区" in gongshu.name_printed.iloc[0] and "拱墅区" in gongshu.name_printed.iloc[0]
    reason = rejects.set_index("indicator").reason["retail_sales"]
    assert "one member of a merger" in reason and "330103" in reason
    assert not rejects.reason.str.contains("unknown").any()


def test_yuhang_of_2019_is_kept_on_today_s_yuhang_marked_and_linping_of_2019_rejected(tmp_path):
    table, rejects = _built(tmp_path, [
        "t,余杭区,,浙江省,2019,gdp,2800,亿元,,official,",
        "t,临平区,330113,浙江省,2019,gdp,1000,亿元,,official,",
        "t,临平区,,浙江省,2022,gdp,1200,亿元,,official,",
        "t,江干区,330104,浙江省,2020,gdp,900,亿元,,official,",
    ])
    yuhang = table[table.adcode == "330110"].iloc[0]
    assert (yuhang.year, yuhang.value, yuhang.comparable_since) == (2019, 2800.0, 2021)
    assert yuhang.break_note == "2021年余杭区（330110）部分区域设立临平区（330113）"
    linping = table[table.adcode == "330113"]
    assert linping.year.tolist() == [2022] and linping.break_note.tolist() == [""]
    reasons = dict(zip(rejects.source_row.astype(int), rejects.reason, strict=True))
    assert "code not in use in 2019" in reasons[3] and "2021年才启用" in reasons[3]
    assert "divided since" in reasons[5] and "上城区（330102）" in reasons[5]


def test_anyang_county_before_2021_is_marked_not_comparable(tmp_path):
    table, _ = _built(tmp_path, [
        "t,安阳县,410522,河南省,2020,gdp,400,亿元,,official,",
        "t,安阳县,410522,河南省,2022,gdp,380,亿元,,official,",
        "t,殷都区,410505,河南省,2020,gdp,200,亿元,,official,",
    ])
    marks = table.set_index(["adcode", "year"])
    assert marks.loc[("410522", 2020), "break_note"] == "2021年安阳县（410522）部分区域划入殷都区（410505）"
    assert marks.loc[("410522", 2022), "break_note"] == ""
    assert marks.loc[("410505", 2020), "break_note"] != "" and (marks.comparable_since == 2021).all()


def test_a_sheet_mixing_2019_and_2022_codes_places_each_row_by_its_own_year(tmp_path):
    table, rejects = _built(tmp_path, [
        "t,偃师市,410381,河南省,2019,gdp,330,亿元,,official,",
        "t,偃师区,410307,河南省,2022,gdp,400,亿元,,official,",
        "t,孟津县,410322,河南省,2019,gdp,280,亿元,,official,",
        "t,吉利区,410306,河南省,2019,gdp,40,亿元,,official,",
        "t,孟津区,410308,河南省,2022,gdp,330,亿元,,official,",
        "t,孟津区,410308,河南省,2019,gdp,310,亿元,,official,",
    ])
    got = sorted((r.adcode, r.year, r.value) for r in table.itertuples())
    assert got == [("410307", 2019, 330.0), ("410307", 2022, 400.0), ("410308", 2019, 320.0),
                   ("410308", 2022, 330.0)]
    assert "code not in use in 2019" in rejects.reason.iloc[0]  # 孟津区 of 2019: 孟津县 + 吉利区 then


def test_a_share_of_merged_units_is_recomputed_from_summed_parts_or_left_out(tmp_path):
    table, rejects = _built(tmp_path, [
        "t,孟津县,410322,河南省,2019,pop_resident,45,万人,,official,",
        "t,吉利区,410306,河南省,2019,pop_resident,5,万人,,official,",
        "t,孟津县,410322,河南省,2019,pop_urban,18,万人,,official,",
        "t,吉利区,410306,河南省,2019,pop_urban,5,万人,,official,",
        "t,孟津县,410322,河南省,2019,urbanization,40,%,,official,",
        "t,吉利区,410306,河南省,2019,urbanization,100,%,,official,",
        "t,孟津县,410322,河南省,2019,gdp_per_capita,60000,元,,official,",
        "t,吉利区,410306,河南省,2019,gdp_per_capita,90000,元,,official,",
    ])
    urb = table[table.indicator == "urbanization"].iloc[0]
    assert urb.value == pytest.approx(46.0) and urb.value_text == "(pop_urban) / (pop_resident) × 100"
    reasons = rejects[rejects.indicator == "gdp_per_capita"].reason
    assert len(reasons) == 2 and reasons.str.contains("cannot be summed").all() and reasons.str.contains("no parts").all()


def test_years_outside_the_history_are_rejected_rows_not_a_stopped_build(tmp_path):
    _, rejects = _built(tmp_path, ["t,巩义市,410181,河南省,1978,gdp,10,亿元,,official,"])
    assert "outside the code history (1981-2024)" in rejects.reason.iloc[0]


def test_district_named_chengqu_with_its_code_is_the_district(tmp_path):
    # before: 城区 was read as a sub-scope label (其中：城区) and rejected even with its code printed
    table, rejects = _built(tmp_path, [
        "t,城区,140302,山西省,2022,gdp,120,亿元,,official,",
        "t,城区,140502,山西省,2022,gdp,130,亿元,,official,",
        "t,城区,441502,广东省,2022,gdp,210,亿元,,official,",
    ])
    assert sorted(table.adcode) == ["140302", "140502", "441502"] and rejects.empty


# ----------------------------------------------------------------------------------------------------
# Panels on today's units (the bundled build)
# ----------------------------------------------------------------------------------------------------


def test_panel_has_every_unit_and_year_with_the_marks():
    p = load_panel(["pop_resident"], range(2010, 2023), province="浙江")
    assert len(p) == p.adcode.nunique() * 13 == 90 * 13
    yuhang = p[(p.adcode == "330110") & p.pop_resident.notna()].set_index("year")
    assert yuhang.pop_resident.to_dict() == {2010: 117.029, 2020: 240.2514}
    assert not yuhang.comparable.any() and (yuhang.comparable_since == 2021).all()
    gongshu = p[(p.adcode == "330105") & p.pop_resident.notna()].set_index("year")
    assert gongshu.pop_resident.to_dict() == {2010: 107.797, 2020: 112.0985} and gongshu.comparable.all()
    dropped = load_panel(["pop_resident"], [2010, 2020], province="浙江", breaks="drop")
    assert dropped.loc[dropped.adcode == "330110", "pop_resident"].isna().all()
    with pytest.raises(ValueError, match="breaks"):
        load_panel(["pop_resident"], [2020], breaks="ignore")


def test_history_folder_skips_its_licence_and_format_text_and_refuses_a_stray_file(tmp_path):
    from countylib.ingest.sources import BuildError, discover, is_spec_file

    raw = raw_with_history(tmp_path / "raw")
    (raw / "areacodes" / "diff-spec.md").write_text("# spec\n", encoding="utf-8")
    src = [s for s in discover(raw) if s.kind == "code_history"]
    assert [s.path.name for s in src] == ["areacodes"] and [f.name for f in src[0].files()] == ["result.csv"]
    assert is_spec_file(raw / "areacodes" / "diff-spec.md")
    (raw / "areacodes" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="areacodes/notes.txt: not a file areacodes.meta.yaml declares"):
        discover(raw)
    (raw / "areacodes" / "notes.txt").unlink()
    (raw / "areacodes.meta.yaml").unlink()
    with pytest.raises(BuildError, match="areacodes: no sidecar areacodes.meta.yaml"):
        discover(raw)


def test_reload_drops_the_crosswalk_and_an_edited_history_is_read_again(tmp_path):
    import countylib

    raw = raw_with_history(tmp_path / "raw")
    first = crosswalk.get(raw)
    assert crosswalk.get(raw) is first and crosswalk.get(HISTORY) is first  # same content, one crosswalk
    countylib.reload()
    again = crosswalk.get(raw)
    assert again is not first and len(again.records) == len(first.records)
    with open(raw / "areacodes" / "result.csv", "a", encoding="utf-8") as fh:
        fh.write("410198,河南省,郑州市,测试县,县级,弃用,1983,1991,410181\n")
    assert len(crosswalk.get(raw).records) == len(first.records) + 1


def test_panel_marks_a_figure_printed_with_older_codes_as_not_comparable():
    """The 2010 census is printed with the codes of 2009: 湘潭县 gave territory to 雨湖区 in the 2010 table,
    so its 2010 census figure covers more than today's 湘潭县 although 2010 is its comparable_since."""
    p = load_panel(["pop_resident"], [2010, 2020], province="湖南").set_index(["adcode", "year"])
    xiangtan = p.loc[("430321", 2010)]
    assert xiangtan.comparable_since == 2010 and "湘潭县" in xiangtan.break_note
    assert not xiangtan.comparable and p.loc[("430321", 2020)].comparable
    dropped = load_panel(["pop_resident"], [2010, 2020], province="湖南", breaks="drop").set_index(["adcode", "year"])
    assert pd.isna(dropped.loc[("430321", 2010), "pop_resident"])
    assert dropped.loc[("430321", 2020), "pop_resident"] == p.loc[("430321", 2020), "pop_resident"]


def test_an_old_name_of_a_merged_unit_printed_after_the_merger_says_for_which_year():
    out = regions.resolve(["孟津县"], province="河南", year=2022, errors="report").iloc[0]
    assert out.status == "merged" and out.adcode is None
    assert "printed for 2022, after the merger" in out.candidates


def test_one_name_as_a_string_resolves_as_a_list_of_one():
    assert regions.resolve("偃师市", province="河南", year=2019).adcode.tolist() == ["410307"]
