"""The 2020 census for researchers: indicators derived from the published counts, the counts themselves,
age pyramids, and the census section of a county report.

Every share is computed from the counts of the unit (for units merged since 2020, from the summed
counts); the registry (``indicators.yaml``, key ``census``) says which columns. The counts are in
``data/processed/census_2020.parquet``, one row per current unit, columns as in the published sheet.

>>> import pandas as pd
>>> c = pd.DataFrame({"城镇人口": [300.0, 50.0], "人口数_合计": [600.0, 200.0]})
>>> derive(c, ["urbanization"]).urbanization.tolist()
[50.0, 25.0]

>>> from countylib import census
>>> census.age_pyramid("410181").head(2)                 # doctest: +SKIP
>>> fig = census.pyramid_figure("410181")                # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from countylib.data import indicators as ind
from countylib.data import regions
from countylib.data.caches import bounded, file_key
from countylib.ingest.census import AGE_GROUPS, POPULATION

SOURCE_NOTE = ("数据来源：第七次全国人口普查分县数据（2020年11月1日），Lei Dong 等整理（leiii/census，MIT 许可）；"
               "比重由普查人数计算。")
AGE_LABELS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
              "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+")
# Five-year groups from the published columns: 0岁 and 1到4岁 make 0-4.
_GROUPS = (("0岁", "1到4岁"), *((g,) for g in AGE_GROUPS[2:]))


# ------------------------------------------------------------------------------------------------------
# Indicators from counts
# ------------------------------------------------------------------------------------------------------


def derive(counts: pd.DataFrame, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Census indicators (canonical units) from a table of counts with the sheet's column names.

    A ratio is ``sum(numerator) / sum(denominator) * scale`` row by row; it is missing when any of its
    columns is missing or the denominator is 0. Works on any rows: units, merged units, or your own
    aggregates (add the counts first, then derive — never average the ratios).
    """
    from countylib.ingest.units import factor

    specs = ind.census_indicators()
    keys = list(specs) if keys is None else [ind.get(k).key for k in keys]
    out = pd.DataFrame(index=counts.index)
    for key in keys:
        meta = specs[key]
        spec = meta.census
        if spec.column:
            value = counts[spec.column].astype(float)
            if spec.unit and spec.unit != meta.unit:
                value = value * factor(spec.unit, meta.unit)
        else:
            num = counts[list(spec.numerator)].sum(axis=1, min_count=len(spec.numerator))
            den = counts[list(spec.denominator)].sum(axis=1, min_count=len(spec.denominator))
            value = num / den.where(den > 0) * spec.scale
        out[key] = value.astype(float)
    return out


def value_texts(counts: pd.DataFrame, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """What each value was computed from, as text: the published figure, or ``"numerator / denominator"``.

    >>> c = pd.DataFrame({"城镇人口": [240244.0], "人口数_合计": [416845.0]})
    >>> value_texts(c, ["urbanization", "pop_resident"]).iloc[0].tolist()
    ['240244 / 416845', '416845']
    """
    specs = ind.census_indicators()
    keys = list(specs) if keys is None else keys
    out = pd.DataFrame(index=counts.index)
    for key in keys:
        spec = specs[key].census
        if spec.column:
            out[key] = counts[spec.column].map(_num)
        else:
            num = counts[list(spec.numerator)].sum(axis=1, min_count=len(spec.numerator))
            den = counts[list(spec.denominator)].sum(axis=1, min_count=len(spec.denominator))
            out[key] = [f"{_num(a)} / {_num(b)}" for a, b in zip(num, den, strict=True)]
    return out


def _num(v: float) -> str:
    return "" if pd.isna(v) else f"{v:.10g}"


# ------------------------------------------------------------------------------------------------------
# Counts and age pyramids
# ------------------------------------------------------------------------------------------------------


def counts(adcodes: Sequence[str] | None = None, level: str | None = None, folder: Path | None = None
           ) -> pd.DataFrame:
    """The published counts per current unit (summed for merged units), as built into
    ``census_2020.parquet``: adcode, name, level, members, n_members, then the sheet's columns.

    >>> counts(["410308"])[["name", "members", "n_members"]].values.tolist()      # doctest: +SKIP
    [['孟津区', '410306,410322', 2]]
    """
    from countylib.data.load import processed_table

    table = processed_table("census_2020", folder)
    if level is not None:
        table = table[table.level == level]
    if adcodes is not None:
        table = table[table.adcode.isin([str(a).zfill(6) for a in adcodes])]
    return table.reset_index(drop=True)


def merged_values(indicator: str, groups: Sequence[Sequence[str]], folder: Path | None = None) -> list[float]:
    """An indicator for groups of units (each a list of adcodes), computed from the summed counts of
    each group (a prefecture's 市区, a region): shares are recomputed, never averaged. A group with a
    unit that has no counts gets NaN.

    >>> merged_values("urbanization", [["410308", "410307"]])      # doctest: +SKIP
    [63.4...]
    """
    table = counts(folder=folder)
    table = table[table.level == "county"].set_index("adcode")
    from countylib.ingest.census import additive

    key = ind.get(indicator).key
    cols = list(ind.get(key).source_columns)
    summable = all(additive(c) for c in cols)  # a published average (平均受教育年限) cannot be summed
    out = []
    for codes in groups:
        part = table.reindex([str(c) for c in codes])[cols]
        if part.isna().all(axis=1).any() or (len(codes) > 1 and not summable):
            out.append(np.nan)
            continue
        summed = part.sum(min_count=1).to_frame().T
        out.append(float(derive(summed, [key])[key].iloc[0]))
    return out


def age_pyramid(adcode: str | int, folder: Path | None = None) -> pd.DataFrame:
    """Population by five-year age group and sex for one unit (county, prefecture or province), 2020.

    Columns: 年龄组, 男, 女 (persons), 男_占比, 女_占比 (% of the unit's total population).

    >>> p = age_pyramid("410181")                             # doctest: +SKIP
    >>> p.columns.tolist()                                    # doctest: +SKIP
    ['年龄组', '男', '女', '男_占比', '女_占比']
    """
    code = str(adcode).strip().zfill(6)
    row = counts([code], folder=folder)
    if row.empty:
        raise KeyError(f"{code!r} has no census counts; is it a current adcode? Try `countylib regions NAME`.")
    row = row.iloc[0]
    male = [float(sum(row[f"男_{g}"] for g in group)) for group in _GROUPS]
    female = [float(sum(row[f"女_{g}"] for g in group)) for group in _GROUPS]
    total = float(row[POPULATION])
    out = pd.DataFrame({"年龄组": AGE_LABELS, "男": male, "女": female})
    out["男_占比"] = out["男"] / total * 100
    out["女_占比"] = out["女"] / total * 100
    out.attrs.update(adcode=code, name=row["name"], total=total)
    return out


def pyramid_figure(adcode: str | int, compare: str | None = "province", ax=None, folder: Path | None = None):
    """An age pyramid (shares of the total, 男 left, 女 right), with the province's (or ``compare``
    adcode's) shape drawn over it as an outline. Chinese labels and a source note."""
    import matplotlib.pyplot as plt

    from countylib.output import plotting

    plotting.use_style()
    mine = age_pyramid(adcode, folder)
    code = mine.attrs["adcode"]
    other = None
    if compare:
        ref = regions.by_adcode().province_adcode.get(code, code[:2] + "0000") if compare == "province" else compare
        if str(ref) != code:
            other = age_pyramid(ref, folder)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2, 4.6), layout="constrained")
    else:
        fig = ax.figure
    y = np.arange(len(AGE_LABELS))
    ax.barh(y, -mine["男_占比"], height=0.86, color="#4a78b0", label=f"{mine.attrs['name']} 男")
    ax.barh(y, mine["女_占比"], height=0.86, color="#d0605e", label=f"{mine.attrs['name']} 女")
    if other is not None:
        for col, sign in (("男_占比", -1), ("女_占比", 1)):
            ax.step(sign * np.r_[other[col].to_numpy(), other[col].iloc[-1]], np.r_[y, y[-1] + 1] - 0.5,
                    where="post", color="#222222", lw=1.1,
                    label=f"{other.attrs['name']}（对照）" if sign > 0 else None)
    ax.set_yticks(y, AGE_LABELS, fontsize=7.5)
    ax.set_ylim(-0.6, len(y) - 0.4)
    lim = float(np.nanmax(np.r_[mine["男_占比"], mine["女_占比"],
                                (other[["男_占比", "女_占比"]].to_numpy().ravel() if other is not None else [])]))
    lim = np.ceil(lim + 0.5)
    ax.set_xlim(-lim, lim)
    ticks = np.arange(-lim, lim + 0.1, 2 if lim <= 8 else 4)
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks], fontsize=8)
    ax.axvline(0, color="#888888", lw=0.6)
    ax.set_xlabel("占总人口比重（%）")
    ax.set_ylabel("年龄（岁）")
    ax.text(0.02, 0.98, "男", transform=ax.transAxes, ha="left", va="top", fontsize=10, color="#4a78b0")
    ax.text(0.98, 0.98, "女", transform=ax.transAxes, ha="right", va="top", fontsize=10, color="#d0605e")
    ax.set_title(f"{mine.attrs['name']}人口年龄结构（2020年，常住人口 {mine.attrs['total'] / 1e4:,.2f} 万人）",
                 fontsize=10.5)
    ax.legend(loc="lower right", fontsize=7.5, frameon=False)
    note = SOURCE_NOTE + (f"黑线：{other.attrs['name']}。" if other is not None else "")
    fig.text(0.01, -0.01, note, fontsize=6.5, color="#555555", va="top", wrap=True)
    return fig


# ------------------------------------------------------------------------------------------------------
# The census section of a county report
# ------------------------------------------------------------------------------------------------------

REPORT_INDICATORS = (
    "pop_resident", "urbanization", "sex_ratio", "household_size", "age_0_14_share", "age_15_64_share",
    "age_65_plus_share", "minority_share", "schooling_years", "college_per_100k", "illiteracy_rate",
    "registered_elsewhere_share", "emp_share_agriculture", "emp_share_secondary", "emp_share_manufacturing",
    "emp_share_services", "occ_share_professionals", "floor_area_per_person", "car_share",
)


def _census_values(folder: Path | None = None) -> pd.DataFrame:
    """Census indicators of 2020, wide: one row per (adcode, level), one column per indicator; cached per
    version of ``indicators.parquet`` (a batch of reports reads it once)."""
    from countylib.paths import processed_dir

    return _wide(file_key(Path(folder or processed_dir()) / "indicators.parquet"))


@bounded(maxsize=2)
def _wide(key: tuple[str, float, int]) -> pd.DataFrame:
    from countylib.data.load import processed_table

    table = processed_table("indicators", Path(key[0]).parent)
    t = table[table.preferred & (table.year == 2020) & table.indicator.isin(list(ind.census_indicators()))]
    return t.pivot_table(index=["adcode", "level"], columns="indicator", values="value", aggfunc="first")


def report_table(adcode: str | int, keys: Sequence[str] = REPORT_INDICATORS, folder: Path | None = None
                 ) -> pd.DataFrame:
    """The county's census indicators with the province's value and its rank in the province and in the
    prefecture (among county-level units with a value; 1 = highest), with Chinese headings."""
    code = str(adcode).strip().zfill(6)
    reg = regions.by_adcode()
    me = reg.loc[code]
    wide = _census_values(folder)
    counties = wide.xs("county", level="level")
    prov_codes = reg.index[(reg.province_adcode == me.province_adcode) & (reg.level == "county")]
    pref_codes = reg.index[(reg.prefecture_adcode == me.prefecture_adcode) & (reg.level == "county")]
    in_prov = counties.reindex(counties.index.intersection(prov_codes))
    in_pref = counties.reindex(counties.index.intersection(pref_codes))
    prov_row = wide.xs("province", level="level").reindex([me.province_adcode])
    rows = []
    for key in keys:
        meta = ind.get(key)
        mine = counties[key].get(code, np.nan) if key in counties else np.nan
        rows.append({
            "指标": meta.name_zh, "数值": _fmt(mine, meta.unit), "单位": meta.unit,
            f"{me.province_name}": _fmt(prov_row[key].iloc[0] if key in prov_row else np.nan, meta.unit),
            "省内排名": _rank(in_prov[key] if key in in_prov else pd.Series(dtype=float), code),
            "市内排名": _rank(in_pref[key] if key in in_pref else pd.Series(dtype=float), code),
            "说明": "长表（10%抽样）" if meta.census and meta.census.long_form else "",
        })
    return pd.DataFrame(rows)


def _rank(values: pd.Series, code: str) -> str:
    values = values.dropna()
    if code not in values.index or len(values) < 2:
        return "—"
    r = int(values.rank(ascending=False, method="min")[code])
    return f"{r} / {len(values)}"


def _fmt(v: float, unit: str) -> str:
    if pd.isna(v):
        return "无数据"
    if unit in ("万人",):
        return f"{v:,.2f}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.2f}" if unit == "人/户" else f"{v:.1f}"


def report_sentences(adcode: str | int, folder: Path | None = None) -> list[str]:
    """Two or three sentences written from the numbers, comparing the county with its province."""
    code = str(adcode).strip().zfill(6)
    reg = regions.by_adcode()
    me = reg.loc[code]
    wide = _census_values(folder)
    try:
        mine = wide.loc[(code, "county")]
        prov = wide.loc[(me.province_adcode, "province")]
    except KeyError:
        return [f"{me['name']}在2020年人口普查表中没有对应的数据行（见构建报告）。"]
    pname = me.province_name
    out = []
    if pd.notna(mine.get("pop_resident")):
        s = f"2020年11月1日，{me['name']}常住人口 {mine.pop_resident:,.2f} 万人"
        if pd.notna(mine.get("urbanization")):
            s += (f"，城镇化率 {mine.urbanization:.1f}%，"
                  f"{_compare(mine.urbanization, prov.urbanization, f'{prov.urbanization:.1f}%')}")
        out.append(s + "。")
    if pd.notna(mine.get("age_65_plus_share")):
        old = _compare(mine.age_65_plus_share, prov.age_65_plus_share, f"{prov.age_65_plus_share:.1f}%")
        s = (f"65岁及以上人口占 {mine.age_65_plus_share:.1f}%，{old}；"
             f"0-14岁人口占 {mine.age_0_14_share:.1f}%（全省 {prov.age_0_14_share:.1f}%）")
        out.append(s + "。")
    if pd.notna(mine.get("college_per_100k")):
        college = _compare(mine.college_per_100k, prov.college_per_100k, f"{prov.college_per_100k:,.0f} 人")
        s = f"每10万人口中有大学文化程度者 {mine.college_per_100k:,.0f} 人，{college}"
        if pd.notna(mine.get("emp_share_secondary")):
            s += f"；第二产业就业占 {mine.emp_share_secondary:.1f}%（长表抽样，全省 {prov.emp_share_secondary:.1f}%）"
        out.append(s + "。")
    return out


def _compare(a: float, b: float, text: str) -> str:
    """``高于全省 13.5%`` / ``低于全省 13.5%`` / ``与全省持平（13.5%）``, comparing as displayed."""
    if pd.isna(b):
        return "全省无对照"
    shown_a, shown_b = round(float(a), 1), round(float(b), 1)
    if shown_a == shown_b:
        return f"与全省持平（{text}）"
    return f"{'高于' if shown_a > shown_b else '低于'}全省 {text}"
