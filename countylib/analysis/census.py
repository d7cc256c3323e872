"""The censuses of 2020 and 2010 for researchers: indicators derived from the published counts, the counts
themselves, the changes 2010 -> 2020 on today's units, age pyramids, and the census section of a county
report.

Every share is computed from the counts of the unit (for units merged since, from the summed counts); the
registry (``indicators.yaml``, key ``census``, one column specification per census year) says which
columns. The counts are in ``data/processed/census_2020.parquet`` and ``census_2010.parquet``, one row per
unit of today, columns as in the published sheets. The changes between the censuses are registry
indicators too (``pop_change_2010_2020``, ``urbanization_change_2010_2020`` ...: load them as year 2020);
:func:`changes` lays them out with both censuses' values and, for a unit whose territory changed between
the censuses, the reason it has none.

>>> import pandas as pd
>>> c = pd.DataFrame({"城镇人口": [300.0, 50.0], "人口数_合计": [600.0, 200.0]})
>>> derive(c, ["urbanization"]).urbanization.tolist()
[50.0, 25.0]

>>> from countylib import census
>>> census.age_pyramid("410181").head(2)                 # doctest: +SKIP
>>> fig = census.pyramid_figure("410181")                # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from countylib import caches
from countylib.caches import file_key
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.ingest.census_tables import AGE_GROUPS, CHANGE_SOURCE_ID, POPULATION, derive

SOURCE_NOTE = ("数据来源：第七次全国人口普查分县数据（2020年11月1日），Lei Dong 等整理（leiii/census，MIT 许可）；"
               "比重由普查人数计算。")
AGE_LABELS = ("0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
              "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+")
# Five-year groups from the published columns: 0岁 and 1到4岁 make 0-4.
_GROUPS = (("0岁", "1到4岁"), *((g,) for g in AGE_GROUPS[2:]))


# ------------------------------------------------------------------------------------------------------
# Sources (the indicators are computed from counts by countylib.ingest.census_tables.derive)
# ------------------------------------------------------------------------------------------------------


def source_ids(folder: Path | None = None, year: int = 2020) -> list[str]:
    """The sources of the processed data read as the census table of ``year`` (sidecar ``kind: census_2020``
    or ``census_2010``).

    >>> source_ids(), source_ids(year=2010)
    (['census_county_2020_leiii.xlsx'], ['census_county_2010_leiii.xlsx'])
    """
    from countylib.data.load import sources

    table = sources(folder)
    return sorted(table.loc[table.kind == f"census_{year}", "source_id"])


# ------------------------------------------------------------------------------------------------------
# Counts and age pyramids
# ------------------------------------------------------------------------------------------------------


def counts(adcodes: Sequence[str] | None = None, level: str | None = None, folder: Path | None = None,
           year: int = 2020) -> pd.DataFrame:
    """The published counts of the census of ``year`` per unit of today (summed for merged units), as built
    into ``census_<year>.parquet``: adcode, name, level, members, n_members, comparable_since, break_note,
    then the sheet's columns.

    >>> counts(["410308"])[["name", "members", "n_members"]].values.tolist()
    [['孟津区', '410306,410322', 2]]
    >>> counts(["410308"], year=2010)[["members", "合计"]].values.tolist()   # 孟津县 + 吉利区 of 2010
    [['410306,410322', 483713.0]]
    """
    from countylib.data.load import processed_table

    table = processed_table(f"census_{int(year)}", folder)
    if level is not None:
        table = table[table.level == level]
    if adcodes is not None:
        table = table[table.adcode.isin([str(a).zfill(6) for a in adcodes])]
    return table.reset_index(drop=True)


def merged_values(indicator: str, groups: Sequence[Sequence[str]], folder: Path | None = None,
                  year: int = 2020) -> list[float]:
    """An indicator for groups of units (each a list of adcodes), computed from the summed counts of
    each group (a prefecture's 市区, a region): shares are recomputed, never averaged. A group in which any
    unit lacks any of the columns the indicator is computed from gets NaN (a share of a group is never
    computed from part of its members).

    >>> merged_values("urbanization", [["410308", "410307"]])
    [63.4...]
    """
    table = counts(folder=folder, year=year)
    table = table[table.level == "county"].set_index("adcode")
    from countylib.ingest.census_tables import additive

    key = ind.get(indicator).key
    spec = ind.get(key).census_spec(year)
    if spec is None:
        return [np.nan for _ in groups]
    cols = list(spec.columns)
    summable = all(additive(c) for c in cols)  # a published average (平均受教育年限) cannot be summed
    out = []
    for codes in groups:
        part = table.reindex([str(c) for c in codes]).reindex(columns=cols)
        if part.isna().any().any() or (len(codes) > 1 and not summable):
            out.append(np.nan)
            continue
        summed = part.sum().to_frame().T
        out.append(float(derive(summed, [key], year)[key].iloc[0]))
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
    '临平区的辖区在2020年人口普查之后调整过（2021年余杭区（330110）部分区域设立临平区（330113）），普查数不能分到今天的单位。'
    """
    from countylib.data.history import split_units
    from countylib.data.load import processed_table

    code = str(adcode).strip().zfill(6)
    me = regions.by_adcode().loc[code]
    wide = _census_values(folder)
    if (me.province_adcode, "province") not in wide.index:
        return (f"第七次全国人口普查的分县数据只包括31个省、自治区、直辖市，不包括{me.province_name}，"
                f"{me['name']}因此没有普查数。")
    zones = processed_table("zones", folder)
    stem = regions.short_name(me["name"])
    hit = zones[(zones.province == me.province_name) & (zones.why == "zone") & zones.name.str.startswith(stem)
                & (zones.indicator == "pop_resident")] if len(stem) >= 2 else zones.iloc[:0]
    if not hit.empty:
        row = hit.iloc[0]
        people = f"{float(row.value_text):,.0f} {row.unit}" if str(row.value_text).replace(".", "").isdigit() else row.value_text
        return (f"2020年人口普查分县表把{row['name']}列为没有区划代码的单列行（{people}），"
                f"不归入今天的任何县级单位，{me['name']}因此没有普查数。")
    split = split_units(since=2020).get(code)
    if split:
        return f"{me['name']}的辖区在2020年人口普查之后调整过（{split}），普查数不能分到今天的单位。"
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
    """Sentences written from the numbers: the county in 2020 compared with its province (two or three),
    a note when its territory changed since, and how it changed since 2010 (:func:`change_sentence`)."""
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
    note = _break_of_2020(code, folder)
    if note:
        out.append(f"以上2020年数据所涉区域与今天的{me['name']}不同：{note}。")
    out.append(change_sentence(code, folder))
    return out


def _break_of_2020(code: str, folder: Path | None) -> str:
    row = counts([code], folder=folder)
    return str(row.break_note.iloc[0]) if len(row) and "break_note" in row else ""


# ------------------------------------------------------------------------------------------------------
# Changes between the censuses of 2010 and 2020, on today's units
# ------------------------------------------------------------------------------------------------------

def changes(adcodes: Sequence[str] | None = None, keys: Sequence[str] | None = None, level: str = "county",
            folder: Path | None = None) -> pd.DataFrame:
    """The changes 2010 -> 2020 of today's units, one row per unit and change indicator: adcode, name,
    indicator, of (the indicator that changed), base (its 2010 value), end (its 2020 value), change (in the
    change indicator's unit: % for population, percentage points for shares), unit, comparable (False
    where the territory changed between the censuses), reason (why not), break_note (a change after 2020:
    both censuses then cover the old territory).

    Both censuses' values are computed from the counts of the unit on today's territory (merged units
    summed); a unit whose territory changed between them (a split or partial transfer between the 2009 codes
    of the 2010 table and the 2020 codes) has no change, and the reason says which change.

    >>> c = changes(["410308", "410522"], ["pop_change_2010_2020"]).set_index("adcode")
    >>> round(float(c.loc["410308", "change"]), 2), bool(c.loc["410522", "comparable"])
    (0.47, False)
    """
    from countylib.data.load import processed_table

    chosen = ind.change_indicators() if keys is None else {ind.get(k).key: ind.get(k) for k in keys}
    table = processed_table("indicators", folder)
    wanted = table.level == level
    if adcodes is not None:
        wanted &= table.adcode.isin([str(a).zfill(6) for a in adcodes])
    needed = set(chosen) | {meta.change.of for meta in chosen.values() if meta.change is not None}
    wanted &= table.indicator.isin(needed)
    table = table.loc[wanted, ["adcode", "indicator", "year", "source_id", "value", "break_note"]]
    rows = []
    rejects = _change_rejects(folder)
    years = {y for meta in chosen.values() if meta.change is not None for y in (meta.change.base, meta.change.end)}
    ids = {y: source_ids(folder, y) for y in sorted(years)}
    for key, meta in chosen.items():
        ch = meta.change
        if ch is None:
            raise ValueError(f"{key} is not a change indicator; see indicators.change_indicators()")
        values = table[(table.indicator == key) & (table.source_id == CHANGE_SOURCE_ID)].set_index("adcode")
        base = _census_series(table, ch.of, ch.base, ids[ch.base])
        end = _census_series(table, ch.of, ch.end, ids[ch.end])
        units = sorted(set(base.index) | set(end.index) | set(values.index))
        for code in units:
            rej = rejects.get((code, key), "")
            rows.append({"adcode": code, "name": _unit_name(code), "indicator": key, "of": ch.of,
                         "base": base.get(code, np.nan), "end": end.get(code, np.nan),
                         "change": values.value.get(code, np.nan), "unit": meta.unit,
                         "comparable": code in values.index, "reason": rej,
                         "break_note": values.break_note.get(code, "")})
    cols = ["adcode", "name", "indicator", "of", "base", "end", "change", "unit", "comparable", "reason", "break_note"]
    return pd.DataFrame(rows, columns=cols)


def _census_series(table: pd.DataFrame, key: str, year: int, ids: list[str]) -> pd.Series:
    part = table[(table.indicator == key) & (table.year == year) & table.source_id.isin(ids)]
    return part.drop_duplicates("adcode").set_index("adcode").value


def _change_rejects(folder: Path | None) -> Mapping[tuple[str, str], str]:
    from countylib.paths import processed_dir

    path = Path(folder or processed_dir()) / "rejects.csv"
    if not path.exists():
        return {}
    return _rejects_of_changes(file_key(path))


@caches.memo(2)
def _rejects_of_changes(key: tuple[str, float, int]) -> Mapping[tuple[str, str], str]:
    """Why a change 2010 -> 2020 was not computed, by (adcode, change indicator), per version of rejects.csv."""
    rej = pd.read_csv(key[0], dtype=str, keep_default_na=False)
    rej = rej[rej.source_id == CHANGE_SOURCE_ID]
    return MappingProxyType(dict(zip(zip(rej.adcode, rej.indicator, strict=True), rej.reason, strict=True)))


def _unit_name(code: str) -> str:
    reg = regions.by_adcode()
    return str(reg.loc[code, "name"]) if code in reg.index else code


def change_sentence(adcode: str | int, folder: Path | None = None) -> str:
    """One sentence on how the county changed between the censuses of 2010 and 2020 (population,
    urbanization, ageing), or why the two censuses cannot be compared for it.

    >>> change_sentence("410308")
    '与2010年第六次人口普查相比，孟津区常住人口增加0.5%（48.37万人→48.60万人），城镇化率提高23.3个百分点，65岁及以上人口占比上升6.7个百分点（2010年为吉利区与孟津县之和）。'
    >>> change_sentence("410522").startswith("安阳县的区域在两次人口普查之间有调整（2017年安阳县（410522）部分区域划入")
    True
    """
    code = str(adcode).strip().zfill(6)
    keys = ["pop_change_2010_2020", "urbanization_change_2010_2020", "age_65_plus_share_change_2010_2020"]
    c = changes([code], keys, folder=folder).set_index("indicator")
    name = _unit_name(code)
    if c.empty or "pop_change_2010_2020" not in c.index:
        return f"{name}在2010年第六次人口普查中没有对应的单位（见构建报告），无法与2010年比较。"
    pop = c.loc["pop_change_2010_2020"]
    if not pop.comparable:
        why = pop.reason.split("(", 1)[-1].split(")", 1)[0] if pop.reason else "区域有调整"
        return f"{name}的区域在两次人口普查之间有调整（{why}），2010年与2020年的数据不是同一地域，不作比较。"
    parts = [f"常住人口{'增加' if pop.change >= 0 else '减少'}{abs(pop.change):.1f}%"
             f"（{pop.base:,.2f}万人→{pop.end:,.2f}万人）"]
    for key, word in (("urbanization_change_2010_2020", ("提高", "下降"), ),
                      ("age_65_plus_share_change_2010_2020", ("上升", "下降"))):
        if key in c.index and pd.notna(c.loc[key, "change"]):
            v = float(c.loc[key, "change"])
            label = "城镇化率" if key.startswith("urbanization") else "65岁及以上人口占比"
            if round(abs(v), 1) == 0:
                parts.append(f"{label}持平")
            else:
                parts.append(f"{label}{word[0] if v >= 0 else word[1]}{abs(v):.1f}个百分点")
    tail = _change_tail(code, folder, str(pop.break_note))
    return f"与2010年第六次人口普查相比，{name}" + "，".join(parts) + tail + "。"


def _change_tail(code: str, folder: Path | None, break_note: str) -> str:
    """What the figures cover when today's unit is not one unit of 2010, or its territory changed after 2020."""
    row = counts([code], folder=folder, year=2010)
    notes = []
    if len(row) and int(row.n_members.iloc[0]) > 1:
        notes.append(f"2010年为{'与'.join(str(row.member_names.iloc[0]).split('、'))}之和")
    if break_note:
        notes.append(f"两次普查均为此后调整前的区域：{break_note}")
    return f"（{'；'.join(notes)}）" if notes else ""


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
                    year: int = 2020, x_year: int | None = None, breaks: str = "drop") -> pd.DataFrame:
    """One row per county-level unit of the area (全国 or a province) with the variables as columns, plus
    name, province_name, prefecture_name (for fixed effects and clusters) and ``break_note``.

    ``y`` is taken from ``year``; ``x`` and ``controls`` from ``x_year`` (default: the same year), so a
    change between the censuses can be regressed on the levels of its first year (population change
    2010-2020 on the urbanization of 2010). A figure that covers another territory than today's unit (a
    split or partial transfer since: ``break_note``) is left out (``breaks="drop"``, so the regression
    lists the unit among those it left out) or kept (``breaks="keep"``). Units of today with no figure in a
    year have NaN there.

    >>> d = regression_data("pop_change_2010_2020", "urbanization", ["age_65_plus_share"], year=2020, x_year=2010)
    >>> d.columns[:5].tolist(), bool(d.loc[d.adcode.eq("410308"), "urbanization"].notna().all())
    (['adcode', 'name', 'pop_change_2010_2020', 'urbanization', 'age_65_plus_share'], True)
    >>> d.loc[d.adcode.eq("330110"), ["pop_change_2010_2020", "break_note"]].values.tolist()  # 余杭区: 临平区 split off
    [[nan, '2021年余杭区（330110）部分区域设立临平区（330113）']]
    """
    from countylib.data.load import load

    if breaks not in ("drop", "keep"):
        raise ValueError(f"breaks={breaks!r}: use 'drop' (leave out figures of another territory) or 'keep'")
    area = regions.area_name(province)
    where = None if area == "全国" else area
    y_key = ind.get(y).key
    x_keys = list(dict.fromkeys(ind.get(k).key for k in (x, *controls) if ind.get(k).key != y_key))
    parts = [(year, [y_key])] + ([(int(x_year), x_keys)] if x_year is not None and int(x_year) != int(year)
                                 else [])
    if len(parts) == 1:
        parts = [(year, [y_key, *x_keys])]
    wide = regions.counties(where)[["adcode", "name"]]
    notes = []
    for when, keys in parts:
        got = load(keys, province=where, year=when, wide=True)
        cols = [k for k in keys if k in got]
        note = got.get("break_note", pd.Series("", index=got.index)).fillna("")
        if breaks == "drop":
            got.loc[note != "", cols] = np.nan
        wide = wide.merge(got[["adcode", *cols]], on="adcode", how="outer")
        notes.append(got[["adcode"]].assign(**{f"_note{when}": note.values}))
    for k in [y_key, *x_keys]:
        if k not in wide:
            wide[k] = np.nan
    for n in notes:
        wide = wide.merge(n, on="adcode", how="left")
    note_cols = [c for c in wide if c.startswith("_note")]
    wide["break_note"] = wide[note_cols].fillna("").apply(lambda r: "；".join(dict.fromkeys(v for v in r if v)),
                                                          axis=1) if note_cols else ""
    wide = wide.drop(columns=note_cols)
    reg = regions.by_adcode()
    wide["name"] = wide["name"].fillna(wide.adcode.map(reg["name"]))
    wide["province_name"] = wide.adcode.map(reg.province_name)
    wide["prefecture_name"] = wide.adcode.map(reg.prefecture_name)
    cols = ["adcode", "name", y_key, *x_keys, "province_name", "prefecture_name", "break_note"]
    return wide[cols].sort_values("adcode").reset_index(drop=True)


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


