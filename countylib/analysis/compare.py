"""Prefecture against prefecture: the classic comparison of two cities' counties.

>>> from countylib import compare
>>> t = compare.prefecture_table(["洛阳市", "郑州市"], year=2022, indicators=["gdp"])   # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from countylib.analysis import stats
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.data.load import load


def _prefecture_units(prefecture: str) -> pd.DataFrame:
    reg = regions.counties()
    units = reg[regions.prefecture_mask(reg.prefecture_adcode, prefecture)]
    if units.empty:
        raise KeyError(f"no prefecture {prefecture!r}; try `countylib regions {prefecture}`")
    return units


def prefecture_table(prefectures: list[str], year: int, indicators: list[str],
                     county_economy_only: bool = True) -> pd.DataFrame:
    """One row per county of the given prefectures, one column per indicator; missing stays NaN.
    Adds each county's share (%) of its prefecture's sum over counties with data (``<key>_share``)."""
    units = pd.concat([_prefecture_units(p) for p in prefectures], ignore_index=True)
    if county_economy_only:
        units = units[units.county_economy]
    data = load(indicators, year=year, wide=True)
    out = units[["adcode", "name", "kind", "prefecture_adcode", "prefecture_name"]].merge(
        data.drop(columns=["name", "year"], errors="ignore"), on="adcode", how="left")
    for k in indicators:
        if k not in out:
            out[k] = float("nan")
        if ind.get(k).kind in ("level", "count"):
            out[f"{k}_share"] = stats.share_of_parent(out, k, "prefecture_adcode")
    return out.sort_values(["prefecture_adcode", "adcode"]).reset_index(drop=True)


def summary(table: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Per prefecture: counties, and for each indicator N with data, sum and mean over those N."""
    rows = []
    for (_code, name), g in table.groupby(["prefecture_adcode", "prefecture_name"]):
        row = {"地级市": name, "县（市）数": len(g)}
        for k in indicators:
            meta = ind.get(k)
            vals = g[k].dropna()
            row[f"{meta.name_zh} N"] = len(vals)
            if meta.kind in ("level", "count"):
                row[f"{meta.name_zh} 合计（{meta.unit}）"] = vals.sum() if len(vals) else float("nan")
            row[f"{meta.name_zh} 均值（{meta.unit}）"] = vals.mean() if len(vals) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


THRESHOLDS = {"gdp": [500.0, 1000.0], "fiscal_revenue": [20.0], "pop_resident": [100.0]}


def thresholds(table: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Counts of counties at or above the usual thresholds, per prefecture, with N."""
    parts = []
    for k in indicators:
        if k not in THRESHOLDS:
            continue
        for name, g in table.groupby("prefecture_name"):
            t = stats.threshold_counts(g, k, THRESHOLDS[k])
            t.insert(0, "指标", ind.get(k).name_zh)
            t.insert(0, "地级市", name)
            parts.append(t)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
