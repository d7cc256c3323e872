"""County lists: defects of the bundled list, breakdowns, north/south by province or by location, and
indicators paired by year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from countylib.analysis import lists
from countylib.data import geo
from countylib.ingest.build import build

from .projects import henan_boundaries, make_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundled_entries(tmp_path_factory):
    out = tmp_path_factory.mktemp("lists") / "out"
    build(ROOT / "data" / "raw", out, boundaries=False)
    return lists.entries("baiqiang_2022_list", pd.read_parquet(out / "lists.parquet"))


def test_list_module_reports_both_defects_of_the_bundled_2022_list(bundled_entries):
    bad = lists.defects(bundled_entries)
    assert set(bad["rank"]) == {13, 16, 79}
    assert "not a county" in bad.set_index("rank").loc[16, "problem"]
    by_region = lists.breakdown(bundled_entries, "region").set_index("region")
    assert by_region["count"].sum() == 98  # 100 entries - 福州市 - the second 滕州市
    assert lists.breakdown(bundled_entries, "region").attrs["left_out"] == 2
    assert by_region.loc["东部", "count"] > by_region.loc["中部", "count"]


def test_north_south_by_province_is_the_default_and_reproduces_the_convention(bundled_entries):
    default = lists.north_south_breakdown(bundled_entries).set_index("north_south")["count"]
    by_province = lists.breakdown(bundled_entries, "north_south").set_index("north_south")["count"]
    assert default.to_dict() == by_province.to_dict() and default.sum() == 98
    valid = bundled_entries.dropna(subset=["adcode"]).drop_duplicates("adcode")
    north_provinces = valid.province_name.map(lambda p: p[:2] in {"山东", "河南", "河北", "陕西", "辽宁", "吉林",
                                                                  "内蒙", "山西", "甘肃"}).sum()
    assert default["北方"] == north_provinces
    assert lists.north_south("河南省") == "北方" and lists.north_south("江苏") == "南方"


# ------------------------------------------------------------------------------------------------------
# The Qinling–Huaihe line
# ------------------------------------------------------------------------------------------------------


def test_line_passes_through_its_published_points():
    for lon, lat, _place in lists.QINLING_HUAIHE:
        assert lists.line_latitude(lon) == pytest.approx(lat)
    lons = [p[0] for p in lists.QINLING_HUAIHE]
    assert lons == sorted(lons), "west to east"


@pytest.mark.parametrize(("place", "lon", "lat", "side"), [
    ("郑州", 113.65, 34.76, "北方"), ("西安", 108.94, 34.34, "北方"), ("徐州", 117.18, 34.26, "北方"),
    ("信阳", 114.07, 32.12, "南方"), ("汉中", 107.02, 33.07, "南方"), ("合肥", 117.23, 31.82, "南方"),
    ("南阳", 112.53, 33.00, "南方"), ("阜阳", 115.81, 32.89, "北方"), ("拉萨", 91.13, 29.65, "南方"),
])
def test_points_clearly_on_one_side(place, lon, lat, side):
    assert lists.side_of_line(lon, lat) == side, place


@pytest.fixture(scope="module")
def henan():
    return henan_boundaries()


def test_henan_counties_by_location(henan):
    side = pd.Series(lists.north_south_by_location(henan.adcode, henan).values, index=henan.adcode)
    xinyang_south = ["411502", "411521", "411522", "411523", "411524", "411525", "411526"]  # 浉河 罗山 光山 新县 商城 固始 潢川
    assert (side[xinyang_south] == "南方").all()
    zhengzhou = henan.adcode[henan.prefecture_name == "郑州市"]
    assert (side[zhengzhou] == "北方").all() and len(zhengzhou) == 12
    assert side[["411323", "411326", "411381"]].eq("南方").all()  # 西峡 淅川 邓州 (Han basin)
    assert side[["410324", "410402", "411702"]].eq("北方").all()  # 栾川 平顶山新华区 驻马店驿城区
    assert lists.north_south("河南") == "北方", "the province convention still counts all of Henan as north"


def test_location_breakdown_differs_from_the_convention_where_it_should(henan):
    frame = pd.DataFrame({"adcode": ["410181", "411523", "411524", "411303", None]})
    by_loc = lists.north_south_breakdown(frame, by="location", shapes=henan).set_index("north_south")["count"]
    assert by_loc.to_dict() == {"南方": 3, "北方": 1}
    assert lists.north_south_breakdown(frame, by="location", shapes=henan).attrs["left_out"] == 1
    frame = frame.assign(north_south=["北方"] * 5)
    assert lists.north_south_breakdown(frame).set_index("north_south")["count"].to_dict() == {"北方": 4}
    with pytest.raises(ValueError, match="province' or 'location"):
        lists.north_south_breakdown(frame, by="latitude")


def test_units_without_polygon_get_no_side(henan):
    assert lists.north_south_by_location(["999999"], henan).tolist() == [""]


def test_jiangsu_north_of_the_huai_is_north():
    js = geo.build_boundaries(province="江苏省")
    side = pd.Series(lists.north_south_by_location(js.adcode, js).values, index=js.adcode)
    xuzhou = js.adcode[js.prefecture_name == "徐州市"]
    suzhou = js.adcode[js.prefecture_name == "苏州市"]
    assert (side[xuzhou] == "北方").all() and (side[suzhou] == "南方").all()


# ------------------------------------------------------------------------------------------------------
# Indicators paired by year
# ------------------------------------------------------------------------------------------------------

PAIRING_ROWS = [
    # 巩义: both in 2021, GDP also in 2022 -> paired in 2021 (the only common year)
    ("巩义市", "410181", 2021, "rd_intensity", "1.5", "%"),
    ("巩义市", "410181", 2021, "gdp", "900", "亿元"),
    ("巩义市", "410181", 2022, "gdp", "1000", "亿元"),
    # 登封: R&D 2021, GDP 2022 -> no common year: left unpaired, with the years said
    ("登封市", "410185", 2021, "rd_intensity", "1.2", "%"),
    ("登封市", "410185", 2022, "gdp", "480", "亿元"),
    # 新密: both in 2021 and 2023, target 2022 -> equally close: the later year
    ("新密市", "410183", 2021, "rd_intensity", "1.1", "%"),
    ("新密市", "410183", 2021, "gdp", "450", "亿元"),
    ("新密市", "410183", 2023, "rd_intensity", "1.4", "%"),
    ("新密市", "410183", 2023, "gdp", "560", "亿元"),
    # 新郑: both in 2022
    ("新郑市", "410184", 2022, "rd_intensity", "2.0", "%"),
    ("新郑市", "410184", 2022, "gdp", "700", "亿元"),
    # 中牟: GDP only
    ("中牟县", "410122", 2022, "gdp", "600", "亿元"),
]


@pytest.fixture(scope="module")
def paired_folder(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("pairing"), PAIRING_ROWS, with_boundaries=False)


@pytest.fixture(scope="module")
def units():
    return pd.DataFrame({"adcode": ["410181", "410185", "410183", "410184", "410122"],
                         "name": ["巩义市", "登封市", "新密市", "新郑市", "中牟县"], "province_name": "河南省"})


def test_y_and_x_come_from_the_same_year(paired_folder, units):
    t = lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, tolerance=1, folder=paired_folder)
    t = t.set_index("adcode")
    assert t.loc["410181", ["rd_intensity", "gdp"]].tolist() == [1.5, 900.0]
    assert t.loc["410181", "year_used"] == 2021 and t.loc["410181", "gdp_year"] == 2021
    assert pd.isna(t.loc["410185", "rd_intensity"]) and pd.isna(t.loc["410185", "gdp"])
    assert pd.isna(t.loc["410185", "year_used"])
    assert t.loc["410185", "years_available"] == "R&D经费投入强度 2021；地区生产总值 2022"
    assert t.loc["410183", "year_used"] == 2023 and t.loc["410183", "gdp"] == 560
    assert t.loc["410184", "year_used"] == 2022
    assert pd.isna(t.loc["410122", "gdp"]) and t.loc["410122", "years_available"] == ""
    assert t.attrs["available"] == {"rd_intensity": 4, "gdp": 5}
    assert "同一年份" in t.attrs["pairing"]


def test_without_tolerance_only_the_named_year(paired_folder, units):
    t = lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, folder=paired_folder).set_index("adcode")
    assert t.year_used.dropna().to_dict() == {"410184": 2022}


def test_the_year_as_researchers_have_it(paired_folder, units):
    import numpy as np

    expected = lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, tolerance=1, folder=paired_folder)
    for year in (np.int64(2022), "2022", 2022.0):
        got = lists.with_indicators(units, ["rd_intensity", "gdp"], year, tolerance=1, folder=paired_folder)
        assert got.equals(expected), repr(year)
    named = lists.with_indicators(units, ["rd_intensity", "gdp"], "2022", folder=paired_folder,
                                  years={"rd_intensity": "2021", "gdp": np.int64(2021)}).set_index("adcode")
    assert named.loc["410181", ["rd_intensity", "gdp", "year_used"]].tolist() == [1.5, 900.0, 2021]
    with pytest.raises(ValueError, match="year='22' is not a year"):
        lists.with_indicators(units, ["rd_intensity", "gdp"], "22", folder=paired_folder)


def test_explicitly_named_years_may_differ(paired_folder, units):
    t = lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, folder=paired_folder,
                              years={"rd_intensity": 2021, "gdp": 2022}).set_index("adcode")
    assert t.loc["410185", ["rd_intensity", "gdp"]].tolist() == [1.2, 480.0]
    assert t.loc["410185", "rd_intensity_year"] == 2021 and t.loc["410185", "gdp_year"] == 2022
    assert pd.isna(t.loc["410185", "year_used"]), "no single year when the caller pairs two"
    assert "按指定年份" in t.attrs["pairing"]
    shown = lists.pairing_zh(t.reset_index(), ["rd_intensity", "gdp"]).set_index("名称")
    assert shown.loc["登封市", "说明"] == "按指定年份：R&D经费投入强度 2021；地区生产总值 2022"
    with pytest.raises(KeyError, match="one year per indicator"):
        lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, folder=paired_folder, years={"gdp": 2022})


def test_pairing_table_says_who_was_left_out_and_why(paired_folder, units):
    t = lists.with_indicators(units, ["rd_intensity", "gdp"], 2022, tolerance=1, folder=paired_folder)
    shown = lists.pairing_zh(t, ["rd_intensity", "gdp"])
    assert shown["名称"].tolist() == ["巩义市", "新郑市", "新密市", "登封市"]
    assert shown["说明"].iloc[-1].startswith("无同一年份") and "2021" in shown["说明"].iloc[-1]


def test_defects_read_in_chinese_on_a_report(bundled_entries):
    bad = lists.defects_zh(bundled_entries).set_index("名次")
    assert list(bad.columns) == ["省份（原文）", "县名（原文）", "代码", "问题"]
    assert bad.loc[13, "问题"] == bad.loc[79, "问题"] == "重复列出（第 13、79 名）"
    assert bad.loc[16, "问题"] == "不是县级单位：福州市（350100）是地级市"
    assert lists.problem_zh("not resolved (ambiguous) 鼓楼区 (320106, 410204)") == \
        "无法确定代码（名称有歧义）：鼓楼区 (320106, 410204)"
    assert lists.problem_zh("something else") == "something else"


@pytest.fixture(scope="module")
def with_area(tmp_path_factory):
    """The pairing figures built with Henan's boundaries, so every unit has a computed area (year: the
    boundaries' vintage)."""
    from countylib.data import geo

    from .conftest import raw_with_history
    from .projects import META, figure_rows

    root = tmp_path_factory.mktemp("area")
    raw = raw_with_history(root / "raw")
    (raw / "figures.csv").write_text(figure_rows(PAIRING_ROWS), encoding="utf-8")
    (raw / "figures.csv.meta.yaml").write_text(META.format(title="fixture"), encoding="utf-8")
    out = root / "processed"
    out.mkdir()
    geo.write_boundaries(henan_boundaries(), out / geo.BOUNDARY_FILE)
    build(raw, out, boundaries=False)
    return out


def test_area_pairs_with_any_year_and_says_which(with_area, units):
    from countylib.analysis import compare

    area = pd.read_parquet(with_area / "indicators.parquet").query("indicator == 'area'")
    vintage = int(area.year.iloc[0])
    assert vintage != 2022 and set(area.year) == {vintage}  # areas exist for the boundaries' year only
    km2 = area.set_index("adcode").value
    t = lists.with_indicators(units, ["gdp", "area"], 2022, folder=with_area).set_index("adcode")
    assert t.loc["410184", ["gdp", "area"]].tolist() == [700.0, km2["410184"]]
    assert t.loc["410184", "year_used"] == 2022 and t.loc["410184", "area_year"] == vintage
    assert t.year_used.dropna().to_dict() == {"410181": 2022, "410185": 2022, "410184": 2022, "410122": 2022}
    assert t["area"].notna().sum() == 4 and pd.isna(t.loc["410183", "area"])  # 新密: no GDP in 2022
    assert f"行政区域面积不随年份变化，与任何年份配对（所用数据为 {vintage} 年）" in t.attrs["pairing"]
    table = compare.prefecture_table(["郑州市"], 2022, ["gdp", "area"], folder=with_area).set_index("adcode")
    assert table.loc["410184", "area"] == km2["410184"] and table.attrs["years"]["area"] == [vintage]
    assert table["area"].notna().all() and table.area_share.sum() == pytest.approx(100.0)


def test_north_south_of_what_is_not_a_province_is_missing_not_south():
    assert [lists.north_south(p) for p in ("", "  ", None, "火星省", "巩义市")] == [""] * 5
    assert lists.north_south("河南省") == "北方" and lists.north_south("410000") == "北方"
