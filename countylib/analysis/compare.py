"""Prefecture against prefecture: the classic comparison of two cities' counties.

县域 means 县 and 县级市 (and 自治县, 旗), not 市辖区: tables here are over 县域 units unless told
otherwise, and say so in their headings.

>>> from countylib import compare
>>> t = compare.prefecture_table(["洛阳市", "郑州市"], year=2022, indicators=["gdp"])   # doctest: +SKIP
>>> compare.province_gap(t, "gdp", "河南省", 2022).attrs["N"]                          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from countylib.analysis import stats
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.data.load import load, nearest_year

COUNTY_ECONOMY_ZH = "县域（县、县级市）"


def _prefecture_units(prefecture: str) -> pd.DataFrame:
    reg = regions.counties()
    units = reg[regions.prefecture_mask(reg.prefecture_adcode, prefecture)]
    if units.empty:
        raise KeyError(f"no prefecture {prefecture!r}; try `countylib regions {prefecture}`")
    return units


def prefecture_table(prefectures: list[str], year: int, indicators: list[str],
                     county_economy_only: bool = True, folder: Path | None = None) -> pd.DataFrame:
    """One row per county of the given prefectures, one column per indicator; missing stays NaN.
    Adds each county's share (%) of its prefecture's sum over counties with data (``<key>_share``), for
    indicators that add up (not for shares, rates or figures per person). Prefectures keep the order they
    are given in; counties within each follow their codes. An indicator that pairs with any year
    (``area``: its year is the boundaries' vintage) takes each county's figure nearest ``year``; the years
    used are in ``.attrs["years"]``."""
    units = pd.concat([_prefecture_units(p).assign(_order=i) for i, p in enumerate(prefectures)],
                      ignore_index=True)
    if county_economy_only:
        units = units[units.county_economy]
    timed = [k for k in indicators if not ind.get(k).any_year]
    data = load(timed, year=year, wide=True, folder=folder) if timed else pd.DataFrame(columns=["adcode"])
    years = {k: [year] for k in timed}
    for k in (k for k in indicators if ind.get(k).any_year):
        near = nearest_year(load(k, folder=folder).dropna(subset=["value"]), year)
        data = data.merge(near[["adcode", "value"]].rename(columns={"value": ind.get(k).key}), on="adcode",
                          how="outer")
        years[k] = sorted(set(near.year[near.adcode.isin(units.adcode)].astype(int)))
    out = units[["adcode", "name", "kind", "prefecture_adcode", "prefecture_name", "_order"]].merge(
        data.drop(columns=["name", "year"], errors="ignore"), on="adcode", how="left")
    for k in indicators:
        if k not in out:
            out[k] = float("nan")
        if ind.get(k).additive:
            out[f"{k}_share"] = stats.share_of_parent(out, k, "prefecture_adcode")
    out = out.sort_values(["_order", "adcode"]).drop(columns="_order").reset_index(drop=True)
    out.attrs["years"] = years
    return out


def summary(table: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Per prefecture (in the table's order): counties, and for each indicator N with data, sum (indicators
    that add up) and mean over those N."""
    rows = []
    for (_code, name), g in table.groupby(["prefecture_adcode", "prefecture_name"], sort=False):
        row = {"地级市": name, "县（市）数": len(g)}
        for k in indicators:
            meta = ind.get(k)
            vals = g[k].dropna()
            row[f"{meta.name_zh} N"] = len(vals)
            if meta.additive:
                row[f"{meta.name_zh} 合计（{meta.unit}）"] = vals.sum() if len(vals) else float("nan")
            row[f"{meta.name_zh} 均值（{meta.unit}）"] = vals.mean() if len(vals) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def county_table_zh(table: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """:func:`prefecture_table` with Chinese headings, for display: code, name, kind, prefecture, each
    indicator (with its unit) and each share of the prefecture's counties with data."""
    names = {"adcode": "代码", "name": "名称", "kind": "类型", "prefecture_name": "地级市"}
    names |= {k: ind.get(k).label for k in indicators}
    names |= {f"{k}_share": f"{ind.get(k).name_zh}占比（%）" for k in indicators}
    cols = [c for c in names if c in table]
    return table[cols].rename(columns=names)


THRESHOLDS = {"gdp": [500.0, 1000.0], "fiscal_revenue": [20.0], "pop_resident": [100.0]}


def thresholds(table: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Counts of counties at or above the usual thresholds, per prefecture, with N (Chinese headings:
    地级市, 指标, 门槛, 达到门槛的县, N = counties with data, 无数据)."""
    parts = []
    for k in indicators:
        if k not in THRESHOLDS:
            continue
        for name, g in table.groupby("prefecture_name", sort=False):
            t = stats.threshold_counts(g, k, THRESHOLDS[k])
            t.insert(0, "指标", ind.get(k).label)
            t.insert(0, "地级市", name)
            parts.append(t)
    if not parts:
        return pd.DataFrame(columns=["地级市", "指标", "门槛", "达到门槛的县", "N", "无数据"])
    out = pd.concat(parts, ignore_index=True)
    return out.rename(columns={"threshold": "门槛", "count": "达到门槛的县", "missing": "无数据"})


def province_gap(table: pd.DataFrame, indicator: str, province: str, year: int,
                 county_economy_only: bool = True, folder: Path | None = None) -> pd.DataFrame:
    """Each county's gap to the province's mean over 县域 units (县 and 县级市, no 市辖区), by
    :func:`stats.gap`; Chinese headings for display.

    The mean is over the units of ``province`` with a figure for ``year``; how many is in
    ``.attrs["N"]``, the mean in ``.attrs["reference"]`` and its name in ``.attrs["label"]``
    (e.g. ``河南省县域（县、县级市）均值``). With ``county_economy_only=False`` the mean includes
    市辖区 and is labelled as a mean of all county-level units.
    """
    meta = ind.get(indicator)
    units = regions.counties(province, county_economy=True if county_economy_only else None)
    if units.empty:
        raise KeyError(f"no province {province!r}; try `countylib regions {province}`")
    data = load(meta.key, province=province, year=year, wide=True, folder=folder)
    by_code = data.set_index("adcode")[meta.key] if meta.key in data else pd.Series(dtype=float)
    values = by_code.reindex(units.adcode).dropna()
    scope = COUNTY_ECONOMY_ZH if county_economy_only else "县级单位（含市辖区）"
    label = f"{units.province_name.iloc[0]}{scope}均值"
    mean = float(values.mean()) if len(values) else float("nan")
    g = stats.gap(table, meta.key, reference=mean)
    out = pd.DataFrame({"名称": table["name"], "地级市": table["prefecture_name"], meta.label: table[meta.key],
                        label: g.reference, "差距": g.gap, "比值": g.ratio})
    out.attrs.update(N=len(values), reference=mean, label=label)
    return out
