"""County lists (百强县 editions) as first-class data: publisher, title, edition, entries resolved to
adcodes, defects reported, breakdowns by province, NBS region and north/south.

>>> from countylib import lists
>>> entries = lists.entries("baiqiang_2022_list")      # doctest: +SKIP
>>> lists.breakdown(entries, "region").head(2)          # doctest: +SKIP
"""

from __future__ import annotations

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
# Qinling–Huaihe convention.
NORTH = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "山东", "河南", "陕西", "甘肃", "青海",
         "宁夏", "新疆"]
REGION_OF = {p: r for r, ps in REGIONS.items() for p in ps}


def region_of(province: str) -> str:
    """NBS region of a province (full or short name).

    >>> region_of("河南省"), region_of("内蒙古")
    ('中部', '西部')
    """
    return REGION_OF.get(regions.short_name(vocab.clean_name(province), "province"), "")


def north_south(province: str) -> str:
    """北方 or 南方 by the Qinling–Huaihe convention.

    >>> north_south("河南"), north_south("江苏省")
    ('北方', '南方')
    """
    short = regions.short_name(vocab.clean_name(province), "province")
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


def breakdown(frame: pd.DataFrame, by: str = "province", valid_only: bool = True) -> pd.DataFrame:
    """Counts and shares of a list by ``province``, ``region`` (东部/中部/西部/东北) or ``north_south``.

    ``valid_only`` counts each resolved county once (a duplicate entry counted once, a prefecture
    not at all), and says how many entries were left out in ``.attrs["left_out"]``.
    """
    col = {"province": "province_name"}.get(by, by)
    data = frame
    if valid_only:
        data = frame[frame.adcode.notna()].drop_duplicates("adcode")
    counts = data.groupby(col).size().rename("count").sort_values(ascending=False).reset_index()
    counts["share"] = (counts["count"] / counts["count"].sum() * 100).round(1)
    counts.attrs["left_out"] = len(frame) - len(data)
    return counts


def with_indicators(frame: pd.DataFrame, keys: list[str], year: int, tolerance: int = 0) -> pd.DataFrame:
    """List entries with one column per indicator (and ``<key>_year``): the figure for ``year``, or, with
    ``tolerance``, the closest year within that many years (the year used is kept beside the value)."""
    from countylib.data.load import load

    data = load(keys, level="county")
    data = data[(data.year - year).abs() <= tolerance].dropna(subset=["value"])
    data = data.assign(_d=(data.year - year).abs()).sort_values(["adcode", "indicator", "_d", "year"])
    data = data.drop_duplicates(["adcode", "indicator"])
    out = frame.copy()
    for k in keys:
        part = data[data.indicator == k].set_index("adcode")
        out[k] = out.adcode.map(part.value)
        out[f"{k}_year"] = out.adcode.map(part.year).astype("Int64")
    return out
