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
        ("孟津县", "河南省", "410308"),
        ("吉利区", "河南省", "410308"),
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
