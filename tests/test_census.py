"""The 2020 census table: fixture tests (made-up numbers in the sheet's layout) and known answers from the
bundled table itself (data/raw/census_county_2020_leiii.xlsx)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from countylib.analysis import census as acensus
from countylib.data import history
from countylib.data import indicators as ind
from countylib.data.load import load
from countylib.ingest import census_tables as census
from countylib.ingest.build import BuildError, build, is_licence_file
from countylib.ingest.readers import ReaderError
from countylib.output import census_figures
from tests.conftest import FIXTURES, raw_with_history, write_source

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CENSUS_FILE = RAW / "census_county_2020_leiii.xlsx"

# Made-up numbers in the layout of the real sheet (a few of its columns).
COLUMNS = ["区划代码", "省", "市", "区县", "人口数_合计", "人口数_男", "人口数_女", "城镇人口", "平均受教育年限_合计",
           "各种行业人口总计", "农林牧渔业", "采矿业", "制造业"]
ROWS = [
    ("", "全国", "全国", "全国", 1000000, 510000, 490000, 600000, 9.5, 90000, 30000, 1000, 59000),
    ("410000", "河南省", "河南省", "河南省", 127000, 64000, 63000, 62000, 9.1, 12000, 4000, 100, 7900),
    ("410300", "河南省", "洛阳市", "洛阳市", 127000, 64000, 63000, 62000, 9.1, 12000, 4000, 100, 7900),
    ("410306", "河南省", "洛阳市", "吉利区", 8000, 4000, 4000, 8000, 11.0, 800, 0, "", 800),
    ("410322", "河南省", "洛阳市", "孟津县", 40000, 20000, 20000, 10000, 9.0, 4000, 2000, 100, 1900),
    ("410323", "河南省", "洛阳市", "新安县", 48000, 24500, 23500, 20000, 8.8, 4200, 1500, "", 2700),
    ("410371", "河南省", "洛阳市", "洛阳高新技术产业开发区", 9000, 4500, 4500, 9000, 12.0, 900, 100, 0, 800),
    ("410381", "河南省", "洛阳市", "偃师市", 21000, 10500, 10500, 14000, 9.2, 2100, 400, "", 1500),
    ("", "河南省", "洛阳市", "洛阳某食品区", 1000, 500, 500, 1000, 10.0, 100, 0, "", 100),
]


def write_fixture(path: Path, rows=ROWS) -> Path:
    pd.DataFrame(rows, columns=COLUMNS).to_excel(path, index=False)
    return path


def census_raw(folder: Path) -> Path:
    """A raw folder with the code history, a figures list and the fixture census table."""
    raw_with_history(folder)
    write_source(folder, "figures.csv", (FIXTURES / "figures.csv").read_text(encoding="utf-8"), "figures_long")
    write_fixture(folder / "census.xlsx")
    (folder / "census.xlsx.meta.yaml").write_text(
        "title: census fixture\npublisher: tests\ndocument: tests\nretrieved: 2026-11-23\nlicense: test\n"
        "kind: census_2020\n", encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------------------------------
# Fixture tests
# ----------------------------------------------------------------------------------------------------


def test_row_kinds_sort_national_aggregates_counties_and_zones(tmp_path):
    sheet = census.read_sheet(write_fixture(tmp_path / "c.xlsx"))
    kinds = dict(zip(sheet["区县"], census.row_kinds(sheet), strict=True))
    assert kinds["全国"] == "national" and kinds["河南省"] == "province" and kinds["洛阳市"] == "prefecture"
    assert kinds["孟津县"] == "county" and kinds["偃师市"] == "county"
    assert kinds["洛阳高新技术产业开发区"] == "zone" and kinds["洛阳某食品区"] == "zone"


def test_empty_part_of_a_breakdown_is_zero_only_when_the_parts_add_up(tmp_path):
    sheet = census.read_sheet(write_fixture(tmp_path / "c.xlsx"))
    values = census.numbers(sheet).set_index(sheet["区县"])
    assert values.loc["吉利区", "采矿业"] == 0.0  # 0 + '' + 800 = 800 = total
    assert values.loc["新安县", "采矿业"] == 0.0  # 1500 + '' + 2700 = 4200 = total
    rows = [r if r[3] != "偃师市" else (*r[:11], "", 1000) for r in ROWS]  # 400 + '' + 1000 != 2100
    sheet = census.read_sheet(write_fixture(tmp_path / "d.xlsx", rows))
    values = census.numbers(sheet).set_index(sheet["区县"])
    assert np.isnan(values.loc["偃师市", "采矿业"])


def test_a_cell_that_is_not_a_number_names_row_column_and_value(tmp_path):
    rows = [r if r[3] != "新安县" else (*r[:4], "48,000x", *r[5:]) for r in ROWS]
    with pytest.raises(ReaderError, match=r"row 7, column 人口数_合计: '48,000x'"):
        census.tables(write_fixture(tmp_path / "c.xlsx", rows))


def test_merged_unit_sums_counts_and_recomputes_shares_from_the_sums(tmp_path):
    t = census.tables(write_fixture(tmp_path / "c.xlsx"))
    units = t.units.set_index("adcode")
    mengjin = units.loc["410308"]
    assert mengjin.n_members == 2 and mengjin.members == "410306,410322"
    assert mengjin["人口数_合计"] == 48000 and mengjin["城镇人口"] == 18000
    derived = acensus.derive(t.units).set_index(t.units.adcode)
    # (8000 + 10000) / (8000 + 40000) = 37.5 %, not the mean of 100 % and 25 %
    assert derived.loc["410308", "urbanization"] == pytest.approx(37.5)
    assert derived.loc["410308", "emp_share_manufacturing"] == pytest.approx(100 * 2700 / 4800)
    # a published average cannot be recomputed for a merged unit: missing, not averaged
    assert np.isnan(derived.loc["410308", "schooling_years"])
    assert derived.loc["410307", "schooling_years"] == 9.2  # 偃师市 410381 -> 偃师区, one member: as published
    assert "410381" not in units.index and "410322" not in units.index


def test_zone_population_per_province_is_total_minus_units(tmp_path):
    t = census.tables(write_fixture(tmp_path / "c.xlsx"))
    henan = t.provinces.set_index("province_adcode").loc["410000"]
    assert henan.in_zones == 10000 and henan.zone_rows == 2
    assert henan.in_units == 117000 and henan.difference == 0


def test_build_loads_census_as_2020_with_counts_and_reports_zones(tmp_path):
    raw = census_raw(tmp_path / "raw")
    build(raw, tmp_path / "out", boundaries=False)
    out = tmp_path / "out"
    pop = load("pop_resident", year=2020, folder=out).set_index("adcode")
    assert pop.loc["410308", "value"] == pytest.approx(4.8)  # 40000 + 8000 people -> 万人
    assert "sum of" in pop.loc["410308", "note"] and "孟津县" in pop.loc["410308", "note"]
    urb = load("urbanization", year=2020, folder=out).set_index("adcode")
    assert urb.loc["410308", "value_text"] == "18000 / 48000"
    assert load("pop_resident", year=2020, level="prefecture", folder=out).adcode.tolist() == ["410300"]
    counts = pd.read_parquet(out / "census_2020.parquet").set_index("adcode")
    assert counts.loc["410308", "城镇人口"] == 18000
    zones = pd.read_parquet(out / "zones.parquet")
    assert set(zones[zones.source_id == "census.xlsx"]["name"]) == {"洛阳高新技术产业开发区", "洛阳某食品区"}
    report = (out / "build_report.md").read_text(encoding="utf-8")
    assert "## 2020 census (census.xlsx): where each province's people are" in report
    assert "| 河南省 | 127,000 | 117,000 | 2 | 10,000 | 0 | 0 |" in re.sub(r" {2,}", " ", report)


def test_census_parse_is_cached_by_content_hash(tmp_path, monkeypatch):
    raw = census_raw(tmp_path / "raw")
    build(raw, tmp_path / "out", boundaries=False)
    cached = list((tmp_path / "out" / ".cache").glob("census-*.parquet"))
    assert [p.name for p in cached] == [census.cache_path(raw / "census.xlsx", tmp_path).name]

    def no_parse(source, layout):
        raise AssertionError("the unchanged census file was parsed again")

    monkeypatch.setattr(census, "_parse", no_parse)
    build(raw, tmp_path / "out", boundaries=False)  # same content: served from the cache
    write_fixture(raw / "census.xlsx", ROWS[:-1])  # new content: must be parsed
    with pytest.raises(BuildError, match="parsed again"):
        build(raw, tmp_path / "out", boundaries=False)


def test_discovery_skips_licence_files_but_not_data_without_sidecar(tmp_path):
    raw = census_raw(tmp_path / "raw")
    (raw / "census.LICENSE").write_text("MIT License\n", encoding="utf-8")
    assert is_licence_file(raw / "census.LICENSE") and not is_licence_file(raw / "census.xlsx")
    build(raw, tmp_path / "out", boundaries=False)
    (raw / "stray.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(BuildError, match="stray.csv: no sidecar"):
        build(raw, tmp_path / "out", boundaries=False)


def test_code_history_keeps_splits_out_of_successors():
    assert "330104" not in history.successor_map()  # 江干区: divided between 上城区 and 钱塘区
    assert history.successor_map()["320611"] == "320613"  # 港闸区 merged into 崇川区
    splits = history.split_units(since=2020)
    assert {"330102", "330104", "330109", "330110", "330113", "330114"} <= set(splits)
    # The complete history knows the partial transfers after 2021 too (the hand-written table had none):
    # 尉氏县 gave territory to 新郑市 in 2022, 皮山县 to the new 和康县 in 2024.
    later = history.split_units(since=2022)
    assert {"410223", "410184", "653223", "653228"} <= set(later) and "330110" not in later
    assert "新郑市" in later["410223"] and not history.split_units(since=2025)


def test_census_indicators_name_existing_columns_and_say_when_long_form():
    reg = ind.census_indicators()
    assert reg["urbanization"].source_columns == ("城镇人口", "人口数_合计")
    assert reg["college_per_100k"].census.scale == 100000
    assert all(reg[k].census.long_form for k in reg if k.startswith(("emp_", "occ_")) or k == "car_share")
    assert all("10% sample" in reg[k].description for k in reg if reg[k].census.long_form)
    assert len(reg["illiteracy_rate"].census.denominator) == 30  # ages 15-19 .. 85+, both sexes


# ----------------------------------------------------------------------------------------------------
# Known answers from the bundled table
# ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return census.tables(CENSUS_FILE, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def sheet(real, tmp_path_factory):
    return census.read_sheet(CENSUS_FILE)


def test_bundled_file_is_the_published_one():
    assert census.sha256(CENSUS_FILE) == "04d37df90d4e358c13aac85a76051caab12afa84eca8a3b4f58cf2227ce69f43"
    assert (RAW / "census_county_2020_leiii.LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_henan_is_157_units_equal_to_the_published_counts(real, sheet):
    units = real.units[(real.units.level == "county") & (real.units.province_adcode == "410000")].set_index("adcode")
    assert len(units) == 157
    published = sheet.set_index("区划代码")
    plain = units[units.n_members == 1]
    for code, row in plain.iterrows():
        old = row.members
        assert row["人口数_合计"] == float(published.loc[old, "人口数_合计"]), code
        assert row["城镇人口"] == float(published.loc[old, "城镇人口"]), code
    mengjin = units.loc["410308"]
    assert mengjin["人口数_合计"] == 416845 + 69142  # 孟津县 + 吉利区 as published
    derived = acensus.derive(units.reset_index()).set_index(units.index)
    assert derived.loc["410308", "urbanization"] == pytest.approx(100 * (240244 + 62017) / (416845 + 69142))
    assert units.loc["410307", "members"] == "410381"  # 偃师市 -> 偃师区


def test_henan_zones_hold_the_difference_to_the_province_total(real):
    henan = real.provinces.set_index("province_adcode").loc["410000"]
    assert henan.total == 99_365_519
    assert henan.zone_rows == 24 and henan.in_zones == 4_430_700
    assert henan.in_units == 99_365_519 - 4_430_700


def test_every_province_adds_up_and_china_has_2843_county_level_units(real):
    assert len(real.provinces) == 31
    assert (real.provinces.difference == 0).all()
    p = real.provinces
    assert ((p.total - p.in_units - p.unattributed) == p.in_zones).all()
    # Units that went on with less or more territory since 2020 (上城区, 萧山区, 余杭区) are placed on the unit
    # that carries them on and marked, as every source's figures are; only 江干区, divided between 上城区 and
    # 钱塘区, and the statistical districts of 大兴安岭 with no unit of today are unattributed.
    assert (real.units.level == "county").sum() == 2843
    assert set(real.unattributed["name"]) == {"松岭区", "新林区", "呼中区", "江干区"}
    units = real.units.set_index("adcode")
    assert units.loc["330110", "break_note"] == "2021年余杭区（330110）部分区域设立临平区（330113）"
    assert units.loc["330110", "comparable_since"] == 2021
    assert "330113" not in units.index  # 临平区 did not exist in 2020: no 2020 row is its own


def test_computed_shares_reproduce_the_sheets_own_rounded_figures(real):
    units = real.units[real.units.n_members == 1]
    derived = acensus.derive(units)
    checked = 0
    for key, meta in ind.census_indicators().items():
        if not meta.census.published:
            continue
        pub = units[meta.census.published]
        ok = pub.notna() & derived[key].notna()
        assert ok.sum() > 3000, key
        assert (derived[key][ok].round(2) - pub[ok]).abs().max() < 0.0051, key
        checked += 1
    assert checked == 6


# ----------------------------------------------------------------------------------------------------
# Maps of the census
# ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def henan_census(real):
    from countylib.data import geo

    shapes = geo.build_boundaries(province="河南省")
    units = real.units[real.units.level == "county"]
    values = acensus.derive(units, ["urbanization", "age_65_plus_share"]).assign(adcode=units.adcode.values)
    return shapes.merge(values, on="adcode", how="left").assign(year=2020)


def test_no_data_counts_the_units_drawn_and_merged_shares_come_from_counts(henan_census, monkeypatch):
    import matplotlib.pyplot as plt

    from countylib.output import maps

    m = maps.choropleth(henan_census, "urbanization")
    assert (m.n_units, m.no_data) == (157, 0)
    plt.close(m.figure)
    calls = []

    def merged(indicator, groups, folder=None):
        calls.append((indicator, groups))
        return [float(len(g)) for g in groups]  # a recognisable stand-in for the recomputed share

    monkeypatch.setattr(acensus, "merged_values", merged)
    m = maps.choropleth(henan_census, "urbanization", districts="merge")
    assert (m.n_units, m.no_data) == (120, 0)  # 103 counties + 17 市区, each drawn once
    luoyang = [g for g in calls[0][1] if "410308" in g][0]
    assert set(luoyang) == {"410302", "410303", "410304", "410305", "410307", "410308", "410311"}
    plt.close(m.figure)


def test_polygon_paths_keep_holes_and_parts():
    import shapely

    from countylib.output import maps

    ring = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    paths = maps.polygon_paths([ring, shapely.MultiPolygon([shapely.box(5, 5, 6, 6), shapely.box(7, 7, 8, 8)])])
    assert [len(p.vertices) for p in paths] == [10, 10]

    def signed_area(r):
        x, y = r[:, 0], r[:, 1]
        return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))

    exterior, hole = paths[0].to_polygons(closed_only=True)
    # opposite windings: the hole stays empty under matplotlib's non-zero fill rule
    assert signed_area(exterior) == 16 and signed_area(hole) == -1


def test_map_title_and_source_note_come_from_the_parameters():
    from countylib.output import maps

    assert maps.map_title("age_65_plus_share", "全国", 2020) == "全国各县级行政区65岁及以上人口占比（2020年）"
    assert maps.map_title("urbanization", "浙江", 2020) == "浙江省各县（市、区）常住人口城镇化率（2020年）"
    note = maps.source_note(pd.DataFrame({"source_id": ["census_county_2020_leiii.xlsx"], "url": [""]}), RAW)
    assert "Lei Dong" in note and "MIT" in note
    with pytest.raises(maps.MapError, match="unknown province"):
        maps.area_name("不存在省")


def test_residuals_are_drawn_when_inference_is_refused():
    """One cluster refuses inference; the residuals are still the OLS point residuals (made-up numbers)."""
    import statsmodels.formula.api as smf

    from countylib.analysis import stats

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"name": [f"县{i}" for i in range(30)], "x": rng.normal(size=30), "g": "省甲"})
    df["y"] = 2 * df.x + rng.normal(size=30)
    res = stats.regress(df, "y", "x", cov_type="cluster", cluster="g")
    assert not res.inference and res.model is None
    expected = smf.ols("y ~ x", df).fit().resid
    assert np.allclose(acensus.residuals(res).reindex(df.index), expected)
    tiny = stats.regress(df.head(2), "y", "x")
    assert acensus.residuals(tiny).empty  # two units, two parameters: nothing to show


def test_residual_map_of_one_province_clustered_by_province(bundled_build, monkeypatch):
    """The county_regression notebook with cov_type=cluster and one province: no inference, but a map."""
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    res = acensus.regression("schooling_years", "urbanization", province="河南省", cov_type="cluster")
    assert not res.inference and res.n_clusters == 1
    m = census_figures.residual_map(res, "河南省")
    assert sum(m.counts) == res.n and m.no_data == m.n_units - res.n
    plt.close(m.figure)


# ----------------------------------------------------------------------------------------------------
# The 2010 census on today's units (known answers from the bundled table)
# ----------------------------------------------------------------------------------------------------

CENSUS_2010 = RAW / "census_county_2010_leiii.xlsx"


@pytest.fixture(scope="module")
def real2010(tmp_path_factory):
    return census.tables(CENSUS_2010, cache_dir=tmp_path_factory.mktemp("cache2010"), year=2010, codes_year=2009)


@pytest.fixture(scope="module")
def sheet2010(real2010, tmp_path_factory):
    return census.read_sheet(CENSUS_2010, lay=census.layout(2010)).set_index("区划代码")


def test_bundled_2010_file_is_the_published_one():
    assert census.sha256(CENSUS_2010) == "fccd3f094d1c8b7e404c8453add123826c53bc44cb85c65f6406d8e61f3f5d0b"
    assert (RAW / "census_county_2010_leiii.LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_mengjin_and_yanshi_of_2010_are_their_2010_units(real2010, sheet2010):
    units = real2010.units.set_index("adcode")
    pop = pd.to_numeric(sheet2010["合计"])
    assert units.loc["410308", "合计"] == pop["410322"] + pop["410306"] == 414637 + 69076  # 孟津县 + 吉利区
    assert units.loc["410308", "members"] == "410306,410322" and units.loc["410308", "break_note"] == ""
    assert units.loc["410307", "合计"] == pop["410381"] == 666696  # 偃师市 -> 偃师区
    assert units.loc["110101", "members"] == "110101,110103"  # 东城区 + 崇文区 (merged in the 2010 table)
    derived = census.derive(units.loc[["410308"]].reset_index(), ["urbanization"], year=2010)
    urban = pd.to_numeric(sheet2010["城镇人口"])
    assert derived.urbanization.iloc[0] == pytest.approx(100 * (urban["410322"] + urban["410306"]) / 483713)


def test_a_prefecture_of_2010_that_is_gone_is_placed_like_any_other(real2010, sheet2010):
    """济南 of today holds 莱芜 (merged in 2019): its 2010 counts are 济南's and 莱芜's rows summed, never 济南's
    row alone passing for the whole; 铜仁地区 (522200) is today's 铜仁市 (520600)."""
    units = real2010.units.set_index("adcode")
    jinan = units.loc["370100"]
    assert jinan.members == "370100,371200"
    published = pd.to_numeric(sheet2010["合计"], errors="coerce")
    assert jinan["合计"] == published["370100"] + published["371200"]
    assert units.loc["520600", "合计"] == published["522200"]


def test_every_province_of_2010_adds_up_to_its_units_and_the_rows_of_no_unit(real2010):
    p = real2010.provinces
    assert len(p) == 31 and (p.difference == 0).all()
    assert p.total.sum() == 1_332_810_869  # the 31 provinces of the sheet
    hl = p.set_index("province_adcode").loc["230000"]  # 加格达奇 is 232718; 松岭区, 新林区, 呼中区 are no unit,
    assert hl.unattributed == 31416 + 33555 + 50859 + 45039  # and 乌马河区 was divided in 2019
    gx = p.set_index("province_adcode").loc["450000"]
    assert (gx.zone_rows, gx.in_zones) == (1, 392029)  # 平桂管理区
    hainan = p.set_index("province_adcode").loc["460000"]
    assert hainan.unattributed == 685408 + 444  # 三亚市 (no county rows in 2009) and 西沙群岛
    assert real2010.defects.column.tolist() == ["各种职业人口总计", "电力、燃气及水的生产和供应业"]


def test_2010_on_today_s_units_marks_the_units_whose_territory_changed(real2010):
    units = real2010.units[real2010.units.level == "county"].set_index("adcode")
    assert len(units) == 2795
    assert (units.break_note != "").sum() == 171
    assert units.loc["410522", "comparable_since"] == 2021 and "殷都区" in units.loc["410522", "break_note"]
    assert units.loc["330105", "members"] == "330103,330105" and units.loc["330105", "break_note"] == ""
    assert "江干区" in set(real2010.unattributed["name"])


def test_2010_shares_reproduce_the_sheet_s_own_rounded_figures(real2010):
    units = real2010.units[real2010.units.n_members == 1]
    derived = census.derive(units, year=2010)
    # Misprints of the sheet, each checked by hand: 南漳县's 户规模 reads 0.147917 (人口数 / 户数 = 3.33); 临沧市's
    # 性别比 reads 11038 (男 / 女 = 110.38); 建昌县's age groups add up to 30,000 more than its 合计 (so its shares
    # of the 15-64 and the 15+ differ from the published ones); 高邮市's 65岁及以上（%） reads 14.43 (its age
    # groups, which add up, give 14.13). Every other computed share rounds to the published one.
    misprints = {"household_size": {"420624"}, "sex_ratio": {"530900"}, "age_15_64_share": {"211422"},
                 "illiteracy_rate": {"211422"}, "age_65_plus_share": {"321084"}}
    checked = 0
    for key, meta in ind.census_indicators(2010).items():
        spec = meta.census_spec(2010)
        if not spec.published:
            continue
        pub = units[spec.published]
        ok = pub.notna() & derived[key].notna()
        off = (derived[key][ok].round(2) - pub[ok]).abs()
        assert ok.sum() > 2800, key
        assert set(units.adcode[ok][off > 0.0151]) == misprints.get(key, set()), key
        checked += 1
    assert checked == 6


def test_2010_columns_are_mapped_only_where_the_definition_is_that_of_2020():
    in_2010 = set(ind.census_indicators(2010))
    assert {"pop_resident", "urbanization", "sex_ratio", "household_size", "age_65_plus_share", "college_per_100k",
            "illiteracy_rate", "emp_share_agriculture"} <= in_2010
    # averages of another age base, occupation groups of another classification, migration of another definition
    assert not {"schooling_years", "occ_share_professionals", "registered_elsewhere_share", "car_share"} & in_2010


def test_a_cell_with_two_numbers_glued_together_is_missing_and_reported():
    s = pd.DataFrame({"区划代码": ["1", "2"], "省": ["", ""], "市": ["", ""], "区县": ["x", "y"],
                      "人口数_合计": ["3", "8842                                  30"]})
    values = census.numbers(s)
    assert values["人口数_合计"].tolist()[0] == 3.0 and pd.isna(values["人口数_合计"].tolist()[1])
    assert values.attrs["defects"] == [(3, "人口数_合计", "8842                                  30")]


def test_merged_share_is_missing_when_a_member_lacks_a_column(tmp_path):
    # before: the present member's 城镇人口 was divided by both members' population (长汀县 merged: 44.9)
    units = pd.DataFrame({"adcode": ["350821", "350822"], "name": ["长汀县", "永定区"], "level": "county",
                          "人口数_合计": [397470.0, 362658.0], "城镇人口": [178300.0, np.nan]})
    units.to_parquet(tmp_path / "census_2020.parquet")
    assert np.isnan(acensus.merged_values("urbanization", [["350821", "350822"]], folder=tmp_path)[0])
    assert acensus.merged_values("urbanization", [["350821"]], folder=tmp_path)[0] == pytest.approx(
        100 * 178300 / 397470)


def test_changes_2010_2020_on_today_s_units(real, real2010):
    rows, rejected = census.change_rows(real2010, real)
    pop = rows[rows.indicator == "pop_change_2010_2020"].set_index("adcode").value
    assert pop["410308"] == pytest.approx((485987 / 483713 - 1) * 100)  # 孟津区 both years on today's territory
    assert pop["330110"] == pytest.approx((2402514 / 1170290 - 1) * 100)  # 余杭区: old territory both years
    assert "410522" not in pop.index  # 安阳县 gave territory to 北关区 and 龙安区 in 2017
    reason = rejected[(rejected.adcode == "410522") & (rejected.indicator == "pop_change_2010_2020")].reason.iloc[0]
    assert "2017年" in reason and "territory changed between the censuses" in reason
    counties = rows[(rows.indicator == "pop_change_2010_2020") & (rows.level == "county")]
    assert len(counties) == 2651
