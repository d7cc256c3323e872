"""County lists (百强县 editions) as first-class data: publisher, title, edition, entries resolved to
adcodes, defects reported, breakdowns by province, NBS region and north/south, and indicators for
the listed counties paired by year.

>>> from countylib import lists
>>> entries = lists.entries("baiqiang_2022_list")      # doctest: +SKIP
>>> lists.breakdown(entries, "region").head(2)          # doctest: +SKIP
>>> side_of_line(113.65, 34.76), side_of_line(114.07, 32.12)   # 郑州 and 信阳 city centres
('北方', '南方')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from countylib import vocab
from countylib.data import regions
from countylib.data.load import processed_table

# NBS four regions (东部/中部/西部/东北), by province short name.
REGIONS = {
    "东部": ["北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"],
    "中部": ["山西", "安徽", "江西", "河南", "湖北", "湖南"],
    "西部": ["内蒙古", "广西", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"],
    "东北": ["辽宁", "吉林", "黑龙江"],
}
# Qinling–Huaihe convention by province, as printed tables use it: a whole province is 北方 or 南方.
NORTH = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "山东", "河南", "陕西", "甘肃", "青海",
         "宁夏", "新疆"]
REGION_OF = {p: r for r, ps in REGIONS.items() for p in ps}
#: Chinese headings for the columns of :func:`entries`, :func:`defects` and :func:`breakdown`.
LABELS_ZH = {"rank": "名次", "province": "省份（原文）", "county": "县名（原文）", "adcode": "代码",
             "problem": "问题", "province_name": "省份", "region": "区域", "north_south": "南北",
             "count": "县数", "share": "占比（%）", "name": "名称", "short_name": "简称"}

#: The Qinling–Huaihe line as a west-to-east polyline of (longitude °E, latitude °N, place).
#: It follows the main ridge of the Qinling from the western Qinling south of 天水 to the 伏牛山 in
#: western Henan, crosses the 方城 gap to the 桐柏山 where the Huai rises, runs down the Huai to
#: 洪泽湖, and reaches the Yellow Sea along the Huai's outlet canal (苏北灌溉总渠). Sources:
#:   - coordinates printed in the Wikipedia infoboxes of Mount Taibai (Qinling article), the Huai
#:     River (source), the Hong River (its mouth on the Huai at the Henan–Anhui border), Bengbu and
#:     Lake Hongze;
#:   - the other points are placed from gazetteer descriptions and are good to about 0.1°:
#:     麦积山 (western Qinling, about 30 km south-east of 天水), 牛背梁 (on the main ridge between
#:     西安市长安区 and 柞水县, about 42 km south of 西安), 老君山 (main peak of the 伏牛山, on the
#:     栾川–西峡 border), 尧山 玉皇顶 (where 鲁山, 嵩县 and 南召 meet), the ridge between 商州
#:     (丹江, Yangtze basin) and 洛南 (洛河, Yellow River basin) midway between their seats, the 方城 gap (the low
#:     Huai–Han watershed between 伏牛山 and 桐柏山), and 扁担港 (where 苏北灌溉总渠 meets the sea
#:     in 滨海县).
#: The line is a convention, not a surveyed border: units within roughly 20 km of it (e.g. counties
#: on the Huai itself such as 息县 and 淮滨) can fall either way.
QINLING_HUAIHE = (
    (106.00, 34.35, "麦积山"),
    (107.618, 33.963, "太白山"),
    (108.95, 33.88, "牛背梁"),
    (110.00, 33.98, "秦岭主脊（商州—洛南之间）"),
    (111.64, 33.74, "老君山"),
    (112.25, 33.72, "尧山"),
    (113.00, 33.27, "方城垭口"),
    (113.276, 32.381, "淮河源（桐柏山）"),
    (115.548, 32.410, "洪河口"),
    (117.389, 32.917, "蚌埠"),
    (118.710, 33.308, "洪泽湖"),
    (120.30, 34.10, "扁担港"),
)


def line_latitude(lon: float | np.ndarray) -> float | np.ndarray:
    """Latitude of the Qinling–Huaihe line at a longitude (linear between the points of
    :data:`QINLING_HUAIHE`; west and east of its ends the end latitude is carried on due west/east,
    which matches the province convention for Tibet, Qinghai, Xinjiang and the coast).

    >>> round(float(line_latitude(117.389)), 3)
    32.917
    """
    xs = np.array([p[0] for p in QINLING_HUAIHE])
    ys = np.array([p[1] for p in QINLING_HUAIHE])
    return np.interp(lon, xs, ys)


def side_of_line(lon: float, lat: float) -> str:
    """北方 or 南方: which side of the Qinling–Huaihe line a point lies on.

    >>> side_of_line(113.65, 34.76), side_of_line(120.58, 31.30)   # 郑州, 苏州
    ('北方', '南方')
    """
    return "北方" if lat > line_latitude(lon) else "南方"


def north_south_by_location(adcodes, shapes: pd.DataFrame | None = None) -> pd.Series:
    """北方/南方 of each county by the position of its polygon's centre relative to the line
    (empty for codes without a polygon). ``shapes`` defaults to the built boundaries.
    """
    import shapely

    from countylib.data import geo

    shapes = geo.boundaries() if shapes is None else shapes
    codes = pd.Series(list(adcodes), dtype=object)
    known = shapes.set_index("adcode").geometry
    geoms = codes.map(known)
    out = pd.Series("", index=codes.index, dtype=object)
    have = geoms.notna()
    if have.any():
        pts = shapely.centroid(np.asarray(geoms[have].tolist(), dtype=object))
        xy = shapely.get_coordinates(pts)
        out[have] = np.where(xy[:, 1] > line_latitude(xy[:, 0]), "北方", "南方")
    return out


def region_of(province: str) -> str:
    """NBS region of a province (full or short name).

    >>> region_of("河南省"), region_of("内蒙古")
    ('中部', '西部')
    """
    return REGION_OF.get(regions.short_name(vocab.clean_name(province), "province"), "")


def north_south(province: str) -> str:
    """北方 or 南方 by the Qinling–Huaihe convention; '' (missing) for anything that is not a province
    (an empty name, a typo, a county): never 南方 by default.

    >>> north_south("河南"), north_south("江苏省"), north_south("410000"), north_south(""), north_south("火星省")
    ('北方', '南方', '北方', '', '')
    """
    if not isinstance(province, str) or not province.strip():
        return ""
    name = regions.province_name(province)
    if name is None:
        return ""
    short = regions.short_name(vocab.clean_name(name), "province")
    return "北方" if short in NORTH else "南方"


def available() -> pd.DataFrame:
    """The lists in the processed data: id, title, publisher, edition, entries, defects."""
    table = processed_table("lists")
    return (table.groupby(["list_id", "title", "publisher", "edition"])
            .agg(entries=("rank", "size"), defects=("problem", lambda p: int((p != "").sum()))).reset_index())


def entries(list_id: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Entries of one list with province, region and north/south columns.

    Rows keep their defects (``problem``); entries that did not resolve have no adcode.
    """
    table = processed_table("lists") if frame is None else frame
    out = table[table.list_id == list_id].copy()
    if out.empty:
        known = ", ".join(sorted(table.list_id.unique()))
        raise KeyError(f"no list {list_id!r}; available: {known}")
    reg = regions.by_adcode()
    out["province_name"] = out.adcode.map(reg.province_name).fillna(out.province)
    out["name"] = out.adcode.map(reg["name"])
    out["short_name"] = out.adcode.map(reg.short_name)
    out["region"] = out.province_name.map(region_of)
    out["north_south"] = out.province_name.map(north_south)
    return out.sort_values("rank").reset_index(drop=True)


def defects(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a list that are not clean county entries (a prefecture, a duplicate, an unknown name)."""
    return frame.loc[frame.problem != "", ["rank", "province", "county", "adcode", "problem"]].reset_index(drop=True)


_STATUS_ZH = {"unknown": "未知名称", "ambiguous": "名称有歧义", "merger_member": "已并入其他单位",
              "merged": "由多个单位合并而成", "zone": "功能区，不是行政单位"}
_PROBLEMS_ZH = [
    (re.compile(r"^listed more than once \(ranks (?P<ranks>[^)]*)\)$"),
     lambda m: f"重复列出（第 {m['ranks'].replace(', ', '、')} 名）"),
    (re.compile(r"^not a county: (?P<name>.+?)\((?P<code>\d{6})\) is a \w+ unit \((?P<kind>[^)]*)\), not county$"),
     lambda m: f"不是县级单位：{m['name']}（{m['code']}）是{m['kind']}"),
    (re.compile(r"^not resolved \((?P<status>\w+)\) ?(?P<rest>.*)$"),
     lambda m: f"无法确定代码（{_STATUS_ZH.get(m['status'], m['status'])}）" + (f"：{m['rest']}" if m["rest"] else "")),
]


def problem_zh(problem: str) -> str:
    """A list defect as a report shows it, in Chinese (the build report keeps the English wording).

    >>> problem_zh("listed more than once (ranks 13, 79)")
    '重复列出（第 13、79 名）'
    >>> problem_zh("not a county: 福州市(350100) is a prefecture unit (地级市), not county")
    '不是县级单位：福州市（350100）是地级市'
    >>> problem_zh("not resolved (unknown) 巩县")
    '无法确定代码（未知名称）：巩县'
    """
    for pattern, say in _PROBLEMS_ZH:
        m = pattern.match(str(problem))
        if m:
            return say(m)
    return str(problem)


def defects_zh(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`defects` with Chinese headings and problems, for a report."""
    out = defects(frame)
    out["problem"] = out["problem"].map(problem_zh)
    return out.rename(columns=LABELS_ZH)


def breakdown(frame: pd.DataFrame, by: str = "province", valid_only: bool = True) -> pd.DataFrame:
    """Counts and shares of a list by ``province``, ``region`` (东部/中部/西部/东北) or ``north_south``
    (the province convention; see :func:`north_south_breakdown` for the county's own position).

    ``valid_only`` counts each resolved county once (a duplicate entry counted once, a prefecture
    not at all), and says how many entries were left out in ``.attrs["left_out"]``.
    """
    col = {"province": "province_name"}.get(by, by)
    data = frame
    if valid_only:
        data = frame[frame.adcode.notna()].drop_duplicates("adcode")
    counts = data.groupby(col).size().rename("count").sort_values(ascending=False, kind="stable").reset_index()
    counts["share"] = (counts["count"] / counts["count"].sum() * 100).round(1)
    counts.attrs["left_out"] = len(frame) - len(data)
    return counts


def north_south_breakdown(frame: pd.DataFrame, by: str = "province", shapes: pd.DataFrame | None = None,
                          valid_only: bool = True) -> pd.DataFrame:
    """北方/南方 counts of a list.

    ``by="province"`` (default) follows the province convention of printed tables: every county
    of 河南 is 北方, every county of 江苏 南方. ``by="location"`` places each county by the centre
    of its polygon relative to the Qinling–Huaihe line (:data:`QINLING_HUAIHE`), so 信阳's counties
    south of the Huai count as 南方 and 徐州's as 北方; it needs the built boundaries (or ``shapes``).
    ``.attrs["convention"]`` says which was used.
    """
    if by == "province":
        out = breakdown(frame, "north_south", valid_only)
        out.attrs["convention"] = "按省份（秦岭—淮河惯例）"
        return out
    if by != "location":
        raise ValueError(f"by must be 'province' or 'location', not {by!r}")
    data = frame.assign(north_south=north_south_by_location(frame.adcode, shapes).values)
    data.loc[data.adcode.isna(), "north_south"] = np.nan
    out = breakdown(data, "north_south", valid_only)
    out.attrs["convention"] = "按县域位置（相对秦岭—淮河线）"
    return out


def with_indicators(frame: pd.DataFrame, keys: list[str], year: int, tolerance: int = 0,
                    years: Mapping[str, int] | None = None, folder: Path | None = None) -> pd.DataFrame:
    """List entries with one column per indicator, all taken from the **same year** for each unit.

    For each unit the year used is the one closest to ``year`` (within ``tolerance``; the later of
    two equally close years) in which *every* indicator in ``keys`` has a figure; a unit with no
    such year gets no values, so a regression never pairs, say, 2021 R&D with 2022 GDP. To pair
    different years on purpose, name them: ``years={"rd_intensity": 2021, "gdp": 2022}``.
    Indicators that pair with any year (``any_year`` in the registry: ``area``, computed from the
    boundaries for their vintage) take the figure nearest the year used, whatever its year, and
    ``<key>_year`` and ``.attrs["pairing"]`` say which year that is.

    Adds ``<key>`` and ``<key>_year`` per indicator, ``year_used`` (the common year, or NA) and
    ``years_available`` (for units that have every indicator within the window but in no common
    year, the years each has, e.g. ``"R&D经费投入强度 2021；地区生产总值 2022"``). ``.attrs["pairing"]``
    describes the rule in Chinese; ``.attrs["available"]`` counts units with each indicator in the
    window, paired or not.
    """
    from countylib.data import indicators as ind
    from countylib.data.load import load
    from countylib.data.years import one_year

    year = one_year(year, year)  # 2022, np.int64(2022) or "2022", as for load()
    years = {k: one_year(v, v) for k, v in years.items()} if years is not None else None
    keys = [ind.get(k).key for k in keys]
    data = load(keys, level="county", folder=folder).dropna(subset=["value"])
    data = data[data.adcode.isin(frame.adcode.dropna())]
    any_year = [k for k in keys if ind.get(k).any_year and not (years and k in years)]
    timed = [k for k in keys if k not in any_year]
    out = frame.copy()
    if years is not None:
        missing = [k for k in timed if k not in years]
        if missing:
            raise KeyError(f"years names no year for {missing}; give one year per indicator")
        for k in timed:
            part = data[(data.indicator == k) & (data.year == years[k])].set_index("adcode")
            out[k] = out.adcode.map(part.value)
            out[f"{k}_year"] = out.adcode.map(part.year).astype("Int64")
        same = len({years[k] for k in timed}) <= 1
        first = years[timed[0]] if timed else year
        out["year_used"] = pd.array([first if same else pd.NA] * len(out), dtype="Int64")
        out.loc[out[timed].isna().any(axis=1), "year_used"] = pd.NA
        out["years_available"] = ""
        out.attrs["pairing"] = "按指定年份：" + "，".join(f"{k} {years[k]} 年" for k in timed)
        return _with_any_year(out, data, any_year, year)
    window = data[(data.year - year).abs() <= tolerance]
    if timed:
        have = window[window.indicator.isin(timed)].groupby(["adcode", "year"]).indicator.nunique()
        complete = have[have == len(set(timed))].reset_index()[["adcode", "year"]]
        complete = complete.assign(_d=(complete.year - year).abs(), _later=-complete.year)
        chosen = complete.sort_values(["adcode", "_d", "_later"]).drop_duplicates("adcode").set_index("adcode").year
        out["year_used"] = out.adcode.map(chosen).astype("Int64")
    else:
        out["year_used"] = pd.array([year] * len(out), dtype="Int64")
    for k in timed:
        part = window[window.indicator == k].set_index(["adcode", "year"]).value
        idx = list(zip(out.adcode, out.year_used, strict=True))
        out[k] = [part.get(i, np.nan) if pd.notna(i[1]) else np.nan for i in idx]
        out[f"{k}_year"] = out.year_used.where(out[k].notna())
    avail = (window.sort_values("year").groupby(["adcode", "indicator"]).year
             .agg(lambda ys: "/".join(map(str, ys))))
    text = {a: "；".join(f"{ind.get(k).name_zh} {avail[(a, k)]}" for k in timed)
            for a in window.adcode.unique() if all((a, k) in avail.index for k in timed)}
    out["years_available"] = out.adcode.map(text).fillna("").where(out.year_used.isna(), "")
    window_txt = f"{year} 年" if tolerance == 0 else f"{year - tolerance}–{year + tolerance} 年"
    out.attrs["pairing"] = f"同一年份配对：{window_txt}内各指标都有数据的年份，取最接近 {year} 年者"
    out = _with_any_year(out, data, any_year, year)
    out.attrs["available"] = {k: int(out.adcode.isin((data if k in any_year else window).adcode[
        (data if k in any_year else window).indicator == k]).sum()) for k in keys}
    return out


def _with_any_year(out: pd.DataFrame, data: pd.DataFrame, keys: list[str], year: int) -> pd.DataFrame:
    """Columns of indicators that pair with any year (area): each unit's figure nearest its year used (else
    ``year``), only for units paired in a year; ``<key>_year`` is the figure's own year, and the pairing
    note says so."""
    from countylib.data import indicators as ind
    from countylib.data.load import nearest_year

    attrs = dict(out.attrs)
    for k in keys:
        part = data[data.indicator == k]
        values = np.full(len(out), np.nan)
        years_ = pd.array([pd.NA] * len(out), dtype="Int64")
        for used in out.year_used.dropna().unique():
            at = (out.year_used == used).fillna(False).to_numpy(dtype=bool)
            best = nearest_year(part, int(used)).set_index("adcode")  # one row per unit: a single indicator
            values[at] = out.adcode[at].map(best.value).to_numpy(dtype=float)
            years_[at] = out.adcode[at].map(best.year).astype("Int64").array
        out[k] = values
        out[f"{k}_year"] = years_
        shown = sorted(set(out[f"{k}_year"].dropna().astype(int)))
        vintage = "、".join(map(str, shown)) + " 年" if shown else "无数据"
        attrs["pairing"] = (attrs.get("pairing", "") + f"；{ind.get(k).name_zh}不随年份变化，与任何年份配对"
                            f"（所用数据为 {vintage}）")
    out.attrs = attrs
    return out


def pairing_zh(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """For a :func:`with_indicators` result, the units that have every indicator: name, province, the
    common year (or why there is none), and each value, with Chinese headings.

    Units paired in one year come first; units whose indicators exist only in different years are
    listed with those years, so a reader sees what was left out and why. With years named by the
    caller, the 说明 column gives each indicator's year.
    """
    from countylib.data import indicators as ind

    keys = [ind.get(k).key for k in keys]
    complete = table[keys].notna().all(axis=1)
    rows = table[complete | (table.years_available != "")]
    complete = complete[rows.index]
    out = pd.DataFrame({"名称": rows["name"], "省份": rows["province_name"]})
    out["配对年份"] = rows.year_used.astype("Int64")
    for k in keys:
        out[ind.get(k).label] = rows[k]
    named = "按指定年份：" + pd.Series(
        ["；".join(f"{ind.get(k).name_zh} {r[f'{k}_year']}" for k in keys) for _, r in rows.iterrows()],
        index=rows.index, dtype=object)
    out["说明"] = np.where(rows.year_used.notna(), "同年配对",
                         np.where(complete, named, "无同一年份，未纳入回归：" + rows.years_available.astype(str)))
    return out.sort_values(["配对年份", "名称"], na_position="last").reset_index(drop=True)
