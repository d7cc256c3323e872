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

from countylib import caches
from countylib.caches import file_key
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.ingest.census import AGE_GROUPS, POPULATION, derive

SOURCE_NOTE = ("数据来源：第七次全国人口普查分县数据（2020年11月1日），Lei Dong 等整理（leiii/census，MIT 许可）；"
               "比重由普查人数计算。")
AGE_LABELS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
              "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+")
# Five-year groups from the published columns: 0岁 and 1到4岁 make 0-4.
_GROUPS = (("0岁", "1到4岁"), *((g,) for g in AGE_GROUPS[2:]))


# ------------------------------------------------------------------------------------------------------
# Indicators from counts
# ------------------------------------------------------------------------------------------------------








def source_ids(folder: Path | None = None) -> list[str]:
    """The sources of the processed data read as the 2020 census table (sidecar ``kind: census_2020``).

    >>> source_ids()
    ['census_county_2020_leiii.xlsx']
    """
    from countylib.data.load import sources

    table = sources(folder)
    return sorted(table.loc[table.kind == "census_2020", "source_id"])


# ------------------------------------------------------------------------------------------------------
# Counts and age pyramids
# ------------------------------------------------------------------------------------------------------


def counts(adcodes: Sequence[str] | None = None, level: str | None = None, folder: Path | None = None
           ) -> pd.DataFrame:
    """The published counts per current unit (summed for merged units), as built into
    ``census_2020.parquet``: adcode, name, level, members, n_members, then the sheet's columns.

    >>> counts(["410308"])[["name", "members", "n_members"]].values.tolist()
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

    >>> merged_values("urbanization", [["410308", "410307"]])
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

    >>> p = age_pyramid("410181")
    >>> p.columns.tolist()
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


@caches.memo(2, copy=True)
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
    pref_row = _prefecture_row(wide, me, code)
    rows = []
    for key in keys:
        meta = ind.get(key)
        mine = counties[key].get(code, np.nan) if key in counties else np.nan
        row = {"指标": meta.name_zh, "数值": _fmt(mine, meta.unit), "单位": meta.unit}
        if pref_row is not None:  # the prefecture's own published figure (the census prints a row for it)
            row[me.prefecture_name] = _fmt(pref_row[key].iloc[0] if key in pref_row else np.nan, meta.unit)
        rows.append({
            **row,
            f"{me.province_name}": _fmt(prov_row[key].iloc[0] if key in prov_row else np.nan, meta.unit),
            "省内排名": _rank(in_prov[key] if key in in_prov else pd.Series(dtype=float), code),
            "市内排名": _rank(in_pref[key] if key in in_pref else pd.Series(dtype=float), code),
            "说明": "长表（10%抽样）" if meta.census and meta.census.long_form else "",
        })
    return pd.DataFrame(rows)


def _prefecture_row(wide: pd.DataFrame, me: pd.Series, code: str) -> pd.DataFrame | None:
    """The census row of the unit's prefecture, when there is one to compare with: not for a unit that is
    its own prefecture (济源, 仙桃) nor where the prefecture is the province itself (重庆) or bears its name
    (北京市's districts)."""
    pref = me.prefecture_adcode
    if pref in (code, me.province_adcode) or me.prefecture_name == me.province_name:
        return None
    prefectures = wide.xs("prefecture", level="level")
    return prefectures.reindex([pref]) if pref in prefectures.index else None


def has_census(adcode: str | int, folder: Path | None = None) -> bool:
    """Whether the unit has a row of census indicators (2,840 of today's county-level units do).

    >>> has_census("410181"), has_census("460301")
    (True, False)
    """
    code = str(adcode).strip().zfill(6)
    return (code, "county") in _census_values(folder).index


def missing_reason(adcode: str | int, folder: Path | None = None) -> str:
    """Why a unit has no census figures, in one sentence: its province is outside the census's county
    tables, its territory changed in a split since 2020, or the census printed it as a row attributed to no
    county (西沙群岛); else that the table has no row for it.

    >>> missing_reason("460301")
    '2020年人口普查分县表把西沙群岛列为没有区划代码的单列行（1,549 人），不归入今天的任何县级单位，西沙区因此没有普查数。'
    >>> missing_reason("330113")
    '临平区的辖区在2020年人口普查之后调整过（余杭区（330110）部分划入临平区（330113），2021年），普查数不能分到今天的单位。'
    """
    from countylib.data.history import split_units
    from countylib.data.load import processed_table

    code = str(adcode).strip().zfill(6)
    me = regions.by_adcode().loc[code]
    wide = _census_values(folder)
    if (me.province_adcode, "province") not in wide.index:
        return (f"第七次全国人口普查的分县数据只包括31个省、自治区、直辖市，不包括{me.province_name}，"
                f"{me['name']}因此没有普查数。")
    split = split_units(since=2020).get(code)
    if split:
        return f"{me['name']}的辖区在2020年人口普查之后调整过（{split}），普查数不能分到今天的单位。"
    zones = processed_table("zones", folder)
    stem = regions.short_name(me["name"])
    hit = zones[(zones.province == me.province_name) & (zones.why == "zone") & zones.name.str.startswith(stem)
                & (zones.indicator == "pop_resident")] if len(stem) >= 2 else zones.iloc[:0]
    if not hit.empty:
        row = hit.iloc[0]
        people = f"{float(row.value_text):,.0f} {row.unit}" if str(row.value_text).replace(".", "").isdigit() else row.value_text
        return (f"2020年人口普查分县表把{row['name']}列为没有区划代码的单列行（{people}），"
                f"不归入今天的任何县级单位，{me['name']}因此没有普查数。")
    return f"2020年人口普查的分县表中没有{me['name']}的数据行（构建报告列出普查表中未归入今天任何单位的行）。"


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


# ------------------------------------------------------------------------------------------------------
# Large-N regressions on the census (notebooks/county_regression.ipynb)
# ------------------------------------------------------------------------------------------------------

FIXED_EFFECTS = {"province": "province_name", "prefecture": "prefecture_name", None: None, "": None,
                 "none": None}


def regression_data(y: str, x: str, controls: Sequence[str] = (), province: str | None = "全国",
                    year: int = 2020) -> pd.DataFrame:
    """One row per county-level unit of the area (全国 or a province) with the variables as columns, plus
    name, province_name, prefecture_name (for fixed effects and clusters)."""
    from countylib.data.load import load

    area = regions.area_name(province)
    keys = [ind.get(k).key for k in (y, x, *controls)]
    wide = load(list(dict.fromkeys(keys)), province=None if area == "全国" else area, year=year, wide=True)
    reg = regions.by_adcode()
    wide["province_name"] = wide.adcode.map(reg.province_name)
    wide["prefecture_name"] = wide.adcode.map(reg.prefecture_name)
    return wide.reset_index(drop=True)


def regression(y: str = "schooling_years", x: str = "urbanization", controls: Sequence[str] = (),
               province: str | None = "全国", fixed_effects: str | None = "province", cov_type: str = "HC3",
               year: int = 2020):
    """OLS across county-level units with fixed effects (province or prefecture) and robust (HC3) or
    clustered errors (``cov_type="cluster"``: clustered by the fixed-effect groups), via
    :func:`countylib.stats.regress`. Returns its result, with the data in ``.frame``.

    >>> res = regression("schooling_years", "urbanization", fixed_effects="province")
    >>> res.n > 2500
    True
    """
    from countylib.analysis import stats

    if isinstance(controls, str):  # "a,b" from the command line
        controls = [c.strip() for c in controls.split(",") if c.strip()]
    if fixed_effects not in FIXED_EFFECTS:
        raise ValueError(f"fixed_effects must be one of 'province', 'prefecture' or None, not {fixed_effects!r}")
    fe = FIXED_EFFECTS[fixed_effects]
    data = regression_data(y, x, controls, province, year)
    keys = [ind.get(k).key for k in (y, x, *controls)]
    kwargs = {"controls": keys[2:], "fixed_effects": fe, "label": "name",
              "source_note": SOURCE_NOTE}
    if cov_type == "cluster":
        kwargs["cluster"] = fe or "province_name"
    kwargs["cov_type"] = cov_type
    res = stats.regress(data, keys[0], keys[1], **kwargs)
    res.frame = data
    return res




def symmetric_bins(values: pd.Series, quantiles: Sequence[float] = (0.4, 0.8)) -> list[float]:
    """Class bounds symmetric around 0 (for residuals): quantiles of the absolute values, mirrored.

    >>> symmetric_bins(pd.Series([-3.0, -1, 0, 1, 2, 4]), (0.5,))
    [-1.5, 0.0, 1.5, 4.0]
    """
    v = pd.Series(values).dropna().astype(float)
    a = [float(np.quantile(v.abs(), q)) for q in quantiles]
    top = max(float(v.max()), a[-1] * 1.0001)
    return [-x for x in reversed(a)] + [0.0] + a + [top]


def residuals(res) -> pd.Series:
    """The residuals of a regression, by row of ``res.data``; also when inference was refused (too few
    clusters or degrees of freedom): residuals are point estimates and need no standard errors. Empty
    when nothing could be estimated (no unit, or no more units than parameters)."""
    import statsmodels.formula.api as smf

    if res.model is not None:
        return pd.Series(np.asarray(res.model.resid), index=res.data.index)
    if res.n == 0 or res.n <= res.n_params:
        return pd.Series(dtype=float)
    return smf.ols(res.formula, data=res.data).fit().resid


