"""The administrative registry and name resolution."""

from __future__ import annotations

import pytest

from countylib.data import regions


def test_henan_has_157_county_level_units_103_of_them_county_economy():
    henan = regions.counties("河南省")
    assert len(henan) == 157
    assert int(henan.county_economy.sum()) == 103
    assert (henan.kind == "市辖区").sum() == 54
    jiyuan = henan[henan.adcode == "419001"].iloc[0]
    assert jiyuan["name"] == "济源市" and jiyuan.kind == "县级市" and bool(jiyuan.county_economy)


def test_codes_are_six_digit_strings():
    reg = regions.registry()
    assert reg.adcode.str.fullmatch(r"\d{6}").all()


@pytest.mark.parametrize(
    ("name", "province", "expected"),
    [
        ("巩义", "河南省", "410181"),
        ("巩义市", "河南", "410181"),
        ("滑　县", None, "410526"),
        ("固始縣", "河南省", "411525"),
        ("偃师市", "河南省", "410307"),
        ("孟津区", "河南省", "410308"),
        ("开封县", "河南省", "410212"),
        ("长垣县", "河南省", "410783"),
        ("昆山市", "江苏", "320583"),
        ("准格尔旗", "内蒙古", "150622"),
        ("长阳", "湖北", "420528"),
    ],
)
def test_resolve_known_answers(name, province, expected):
    assert regions.resolve([name], province=province).adcode.iloc[0] == expected


def test_ambiguous_name_lists_candidates():
    with pytest.raises(regions.AmbiguousNameError) as err:
        regions.resolve(["鼓楼区"])
    message = str(err.value)
    for code in ("320106", "350102", "410204"):
        assert code in message
    assert regions.resolve(["鼓楼区"], province="河南").adcode.iloc[0] == "410204"


def test_unknown_name_lists_closest_names():
    with pytest.raises(regions.UnknownNameError, match="巩义市"):
        regions.resolve(["巩义县城"])


def test_functional_zones_are_reported_as_zones_not_counties():
    out = regions.resolve(["郑州航空港经济综合实验区", "郑州高新技术产业开发区"], errors="report")
    assert out.status.tolist() == ["zone", "zone"]
    assert out.adcode.isna().all()


def test_prefecture_in_a_county_list_is_wrong_level():
    out = regions.resolve(["福州市"], province="福建", errors="report")
    assert out.status.iloc[0] == "wrong_level" and "350100" in out.candidates.iloc[0]


def test_old_codes_map_to_current_including_mergers():
    assert regions.to_current(["410322", "410306", "410381", "411222", "410181"]) == [
        "410308", "410308", "410307", "411203", "410181"]


def test_short_names():
    assert regions.short_name("巩义市") == "巩义"
    assert regions.short_name("郏县") == "郏县"
    assert regions.short_name("顺河回族区") == "顺河"
    assert regions.short_name("内蒙古自治区", "province") == "内蒙古"


def test_resolution_is_vectorised_over_repeated_names():
    names = ["巩义", "滑县", "固始縣", "偃师市"] * 2500
    out = regions.resolve(names, province="河南")
    assert len(out) == 10000 and out.adcode.notna().all()
    assert out.adcode.iloc[4] == "410181"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("开封市", "410200"), ("安阳市", "410500"), ("河南省", "410000"), ("济源市", "419001"), ("安阳县", "410522")],
)
def test_full_names_beat_short_forms_at_every_level(name, expected):
    # 开封市 is the prefecture, never 祥符区 (successor of 开封县, short form 开封); 安阳市 is never 安阳县.
    out = regions.resolve([name], province="河南", year=2022, level=None)
    assert out.adcode.iloc[0] == expected


def test_a_prefecture_name_in_a_county_list_is_the_wrong_level_not_a_county():
    out = regions.resolve(["开封市", "安阳市"], province="河南", year=2022, errors="report")
    assert out.status.tolist() == ["wrong_level", "wrong_level"]
    assert "410200" in out.candidates.iloc[0] and "410500" in out.candidates.iloc[1]


@pytest.mark.parametrize(
    ("name", "year", "adcode", "status"),
    [
        ("偃师市", 2019, "410307", "historical"),  # the same territory before the change
        ("偃师市", 2022, "410307", "historical"),  # an old label printed after the change
        ("开封", 2010, "410212", "historical"),  # short form of 开封县, before 2014
        ("长垣县", 2018, "410783", "historical"),
        ("孟津", 2022, "410308", "short"),
    ],
)
def test_names_resolve_for_the_year_they_were_printed(name, year, adcode, status):
    out = regions.resolve([name], province="河南", year=year, level="county", errors="report").iloc[0]
    assert (out.adcode, out.status) == (adcode, status)


def test_short_form_of_an_old_name_means_nothing_after_the_change():
    out = regions.resolve(["开封"], province="河南", year=2022, level="county", errors="report").iloc[0]
    assert out.adcode is None and out.status == "wrong_level" and "410200" in out.candidates


@pytest.mark.parametrize(("name", "year"), [("吉利区", 2019), ("孟津县", 2019), ("孟津", 2019), ("吉利区", None)])
def test_one_member_of_a_merger_never_stands_for_the_merged_unit(name, year):
    out = regions.resolve([name], province="河南", year=year, errors="report").iloc[0]
    assert out.adcode is None and out.status == "merger_member"
    assert out.old_adcode in ("410306", "410322") and "孟津区(410308)" in out.candidates
    with pytest.raises(regions.RegionError, match="merger"):
        regions.resolve([name], province="河南", year=year)


def test_old_name_of_a_merged_unit_after_the_merger_is_reported():
    out = regions.resolve(["孟津县"], province="河南", year=2022, errors="report").iloc[0]
    assert out.adcode is None and out.status == "merged" and "after the merger" in out.candidates


@pytest.mark.parametrize(("name", "adcode"), [("浦东新区", "310115"), ("滨海新区", "120116"), ("沈北新区", "210113"),
                                              ("清新区", "441803")])
def test_xinqu_alone_does_not_make_a_zone(name, adcode):
    assert not regions.is_zone(name)
    assert regions.resolve([name]).adcode.iloc[0] == adcode


def test_zones_by_kind_and_by_code_and_unknown_xinqu():
    assert regions.is_zone("洛阳高新技术产业开发区") and regions.is_zone("兰考县城乡一体化示范区")
    assert regions.is_zone("", "410171") and not regions.is_zone("", "410181")
    out = regions.resolve(["郑东新区"], province="河南", errors="report").iloc[0]
    assert out.status == "zone" and out.adcode is None


def test_resolution_uses_the_history_table_it_is_given(tmp_path):
    table = tmp_path / "areacodes" / "result.csv"  # a code history without a single record
    table.parent.mkdir()
    table.write_text("\ufeff代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n", encoding="utf-8")
    with_history = regions.resolve(["开封县"], province="河南", year=2010, errors="report").iloc[0]
    assert with_history.adcode == "410212"
    out = regions.resolve(["开封县"], province="河南", year=2010, errors="report", history_path=table).iloc[0]
    assert out.adcode is None and out.status == "unknown"  # never the prefecture 开封市


@pytest.mark.parametrize(
    ("printed", "clean"),
    [("栾川县①", "栾川县"), ("伊川县¹", "伊川县"), ("宜阳县ᵃ", "宜阳县"), ("汝州市(1)", "汝州市"), ("兰考县*", "兰考县"),
     ("　中牟县", "中牟县"), ("巩 义 市", "巩义市"), ("嵩  县", "嵩县"), ("新安县⑵", "新安县"), ("固始縣", "固始县")],
)
def test_names_as_printed_are_cleaned(printed, clean):
    assert regions.normalize_name(printed) == clean


def test_the_year_of_names_as_researchers_have_it_and_a_misspelt_province_named_as_such():
    import numpy as np

    for year in (2013, np.int64(2013), 2013.0, "2013", "2013年"):
        assert regions.resolve(["偃师市", "开封县"], province="河南", year=year).adcode.tolist() == ["410307", "410212"]
    per_row = regions.resolve(["开封县", "偃师市"], province="河南", year=["2013", None], errors="report")
    assert per_row[["adcode", "status"]].values.tolist() == [["410212", "historical"], ["410307", "historical"]]
    with pytest.raises(ValueError, match="year='二〇一三' is not a year"):
        regions.resolve(["偃师市"], province="河南", year="二〇一三")
    with pytest.raises(regions.UnknownAreaError, match="unknown province '河蓝'; did you mean .*河南省"):
        regions.resolve(["巩义"], province="河蓝")
    with pytest.raises(regions.UnknownAreaError, match="unknown prefecture '郑洲'; did you mean 郑州市"):
        regions.resolve(["巩义"], prefecture="郑洲")
