"""The 2020 census county table (第七次全国人口普查, compiled by Lei Dong et al.): read it, sort its rows,
map its 2020 codes onto today's units and add up the counts of merged units.

The sheet has one header row and one row per unit of 2020: ``区划代码, 省, 市, 区县`` and about 150
items. Rows are of six kinds (:func:`row_kinds`):

* ``national`` — 全国 (no code);
* ``province`` — codes ending 0000;
* ``prefecture`` — codes ending 00, unless the registry says the code is a county-level unit (东莞市,
  中山市, 儋州市, 嘉峪关市: prefecture-level cities without districts are counted once, as counties);
* ``zone`` — functional zones, codes ending 71-79, and rows with no code (开发区, 管理区, 西沙群岛 ...):
  their residents are in no county's row;
* ``aggregate`` — sums of other rows with no unit of their own (省直辖县级行政区划, 重庆 市辖区/县);
* ``county`` — everything else.

County rows get today's code from the code history (:mod:`countylib.data.history`): 偃师市 410381 ->
410307; 孟津县 410322 + 吉利区 410306 -> 孟津区 410308 (counts summed). Units divided since 2020
(splits) and codes with no current unit are *unattributed*: reported with their population, loaded
for no unit. For every province, province total = its units + its zones + its unattributed rows.

Empty cells are missing, except inside a breakdown with a published total (age groups by sex,
industries, occupations): where the parts, empty read as 0, add up exactly to the row's total, an
empty part is a zero.

The sheet is parsed once per content: the parsed table is cached under the build's ``.cache`` folder
by the file's SHA-256, so an unchanged file is never parsed again.

>>> from countylib.ingest import census
>>> t = census.tables("data/raw/census_county_2020_leiii.xlsx")          # doctest: +SKIP
>>> int(t.units.query("adcode == '410308'").n_members.iloc[0])           # doctest: +SKIP
2
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from countylib.data import history, registry
from countylib.data import indicators as ind
from countylib.files import atomic_path
from countylib.ingest.readers import ReaderError
from countylib.ingest.units import factor

CODE, PROVINCE, PREFECTURE, NAME = "区划代码", "省", "市", "区县"
ID_COLUMNS = [CODE, PROVINCE, PREFECTURE, NAME]
POPULATION = "人口数_合计"
CACHE_FORMAT = 1  # bump when the cached layout changes
CENSUS_YEAR = 2020

# Breakdowns whose parts add up to a published total in the same row.
AGE_GROUPS = ("0岁", "1到4岁", "5到9岁", "10到14岁", "15到19岁", "20到24岁", "25到29岁", "30到34岁", "35到39岁",
              "40到44岁", "45到49岁", "50到54岁", "55到59岁", "60到64岁", "65到69岁", "70到74岁", "75到79岁",
              "80到84岁", "85岁以上")
AGE_COLUMNS = tuple(f"{sex}_{group}" for group in AGE_GROUPS for sex in ("男", "女"))
INDUSTRIES = ("农林牧渔业", "采矿业", "制造业", "电力热力燃气及水生产和供应业", "建筑业", "批发和零售业",
              "交通运输仓储和邮政业", "住宿和餐饮业", "信息传输软件和信息技术服务业", "金融业", "房地产业",
              "租赁和商务服务业", "科学研究和技术服务业", "水利环境和公共设施管理业", "居民服务修理和其服务业", "教育",
              "卫生和社会工作", "文化体育和娱乐业", "公共管理社会保障和社会组织", "国际组织")
OCCUPATIONS = ("党的机关国家机关群众团体和社会组织企事业单位负责人", "专业技术人员", "办事人员和有关人员",
               "社会生产服务和生活服务人员", "农林牧渔业生产及辅助人员", "生产制造及有关人员", "不便分类其他的从业人员")
BREAKDOWNS = {POPULATION: AGE_COLUMNS, "各种行业人口总计": INDUSTRIES, "各种职业人口总计": OCCUPATIONS}

# Published ratios and averages: not counts, so never summed (missing for merged units).
_NOT_ADDITIVE = re.compile(r"比重|性别比|平均|户规模|人均")
_ZONE_CODE = re.compile(r"^\d{4}7\d$")
_AGGREGATE_NAME = re.compile(r"直辖县级行政区划$")

Source = str | PathLike | IO


def additive(column: str) -> bool:
    """True for count columns (summed for merged units), False for published ratios and averages.

    >>> additive("城镇人口"), additive("性别比（女=100）"), additive("平均受教育年限_合计")
    (True, False, False)
    """
    return not _NOT_ADDITIVE.search(column)


# ------------------------------------------------------------------------------------------------------
# Reading, with a content-hash cache
# ------------------------------------------------------------------------------------------------------


def sha256(path: str | PathLike) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cache_path(path: str | PathLike, cache_dir: str | PathLike) -> Path:
    """Where the parsed sheet of ``path`` is cached: named by the file's content hash, so an edited
    or replaced file gets a new entry and an unchanged one (even copied or touched) reuses the old."""
    return Path(cache_dir) / f"census-{sha256(path)[:20]}-v{CACHE_FORMAT}.parquet"


def read_sheet(source: Source, cache_dir: str | PathLike | None = None) -> pd.DataFrame:
    """The sheet as published: every cell a string ('' when empty), columns as in the header row.

    With ``cache_dir`` the parse is cached by content hash (``census-<sha256>-v1.parquet``).
    """
    if cache_dir is None or not isinstance(source, str | PathLike):
        return _parse(source)
    target = cache_path(source, cache_dir)
    if target.exists():
        return pd.read_parquet(target)
    sheet = _parse(source)
    with atomic_path(target) as tmp:
        sheet.to_parquet(tmp, index=False, compression="zstd")
    return sheet


def _parse(source: Source) -> pd.DataFrame:
    name = _name(source)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # calamine (Rust) reads the 3,358 x 153 sheet ~10x faster than openpyxl, with identical strings.
        table = pd.read_excel(source, dtype=str, engine="calamine")
    else:
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
    table = table.fillna("").astype(str).apply(lambda s: s.str.strip())
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in [*ID_COLUMNS, POPULATION] if c not in table.columns]
    if missing:
        raise ReaderError(f"{name}: not the census county layout; missing column(s) {missing}. "
                          f"Expected a header row with {', '.join(ID_COLUMNS)}, {POPULATION}, ...")
    return table


def _name(source: Source) -> str:
    if isinstance(source, str | PathLike):
        return Path(source).name
    return str(getattr(source, "name", "<stream>"))


# ------------------------------------------------------------------------------------------------------
# Numbers and row kinds
# ------------------------------------------------------------------------------------------------------


def numbers(sheet: pd.DataFrame, source: str = "census") -> pd.DataFrame:
    """The item columns as floats; empty cells NaN, except empty parts of a breakdown that adds up.

    A cell that is neither empty nor a number stops with the row, column and value named.

    >>> s = pd.DataFrame({"区划代码": ["1"], "省": [""], "市": [""], "区县": ["x"], "人口数_合计": ["3"],
    ...                   "各种行业人口总计": ["5"], "农林牧渔业": ["5"], "采矿业": [""]})
    >>> numbers(s)[["各种行业人口总计", "采矿业"]].values.tolist()
    [[5.0, 0.0]]
    """
    items = [c for c in sheet.columns if c not in ID_COLUMNS]
    text = sheet[items]
    values = text.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & (text != "")
    if bad.any().any():
        rows, cols = np.nonzero(bad.to_numpy())
        examples = "; ".join(f"row {r + 2}, column {items[c]}: {text.iat[r, c]!r}"
                             for r, c in list(zip(rows, cols, strict=True))[:5])
        raise ReaderError(f"{source}: {len(rows)} cell(s) are not numbers ({examples}). The census table holds "
                          "plain numbers; check the file is the published one.")
    for total, parts in BREAKDOWNS.items():
        parts = [p for p in parts if p in values]
        if total not in values or not parts:
            continue
        filled = values[parts].fillna(0.0)
        adds_up = values[total].notna() & ((filled.sum(axis=1) - values[total]).abs() < 0.5)
        values.loc[adds_up, parts] = filled.loc[adds_up]
    return values.astype(float)


def row_kinds(sheet: pd.DataFrame) -> pd.Series:
    """national / province / prefecture / county / zone / aggregate for every row (see the module doc).

    >>> s = pd.DataFrame({"区划代码": ["", "410000", "410300", "410322", "410371", "", "441900"],
    ...                   "区县": ["全国", "河南省", "洛阳市", "孟津县", "洛阳高新区", "某园区", "东莞市"]})
    >>> row_kinds(s).tolist()
    ['national', 'province', 'prefecture', 'county', 'zone', 'zone', 'county']
    """
    code = sheet[CODE].astype(str).str.strip()
    name = sheet[NAME].astype(str).str.strip()
    levels = registry.by_adcode().level
    kind = pd.Series("county", index=sheet.index, dtype=object)
    no_code = code == ""
    kind[code.str.endswith("00")] = "prefecture"
    kind[code.str.endswith("00") & (code.map(levels) == "county")] = "county"  # 东莞市 441900 ...
    kind[code.str.endswith("00") & code.str.len().eq(6) & ~code.isin(levels.index)] = "aggregate"
    kind[code.str.endswith("0000")] = "province"
    kind[code.str.match(_ZONE_CODE) | no_code] = "zone"
    kind[no_code & name.str.contains(_AGGREGATE_NAME)] = "aggregate"
    kind[no_code & (name == "全国")] = "national"
    return kind


# ------------------------------------------------------------------------------------------------------
# Today's units
# ------------------------------------------------------------------------------------------------------


@dataclass
class CensusTables:
    """The census sorted out: counts per current unit, and every row that belongs to none.

    ``units``: one row per current unit (adcode, level, name, province_adcode, prefecture_adcode, members,
    member_names, n_members, source_row, then every item column; counts summed over members, published
    ratios and averages kept only for units of one member). ``zones``, ``unattributed``: rows loaded
    for no unit, with their population and a reason. ``provinces``: per province, the published total
    and where its people are (units, zones, unattributed) with the difference (0 when all adds up).
    """

    units: pd.DataFrame
    zones: pd.DataFrame
    unattributed: pd.DataFrame
    aggregates: pd.DataFrame
    provinces: pd.DataFrame


def tables(source: str | PathLike, cache_dir: str | PathLike | None = None,
           history_path: Path | None = None) -> CensusTables:
    """Read the census sheet and map it onto today's units (see the module doc)."""
    sheet = read_sheet(source, cache_dir)
    return assemble(sheet, source=_name(source), history_path=history_path)


def assemble(sheet: pd.DataFrame, source: str = "census", history_path: Path | None = None) -> CensusTables:
    """Sort the rows of a parsed sheet and map county rows onto today's units."""
    values = numbers(sheet, source)
    kinds = row_kinds(sheet)
    code = sheet[CODE].astype(str).str.strip()
    base = pd.DataFrame({
        "source_row": np.arange(2, len(sheet) + 2), "kind": kinds, "code": code,
        "province": sheet[PROVINCE].str.strip(), "prefecture": sheet[PREFECTURE].str.strip(),
        "name": sheet[NAME].str.strip(), "population": values[POPULATION],
    }, index=sheet.index)

    splits = history.split_units(since=CENSUS_YEAR, path=history_path)
    reg = registry.by_adcode()
    current = pd.Series(history.to_current(code, history_path), index=code.index, dtype=object)
    reason = pd.Series("", index=sheet.index, dtype=object)
    placed = kinds.isin(["province", "prefecture", "county"])
    split_hit = placed & (code.isin(splits) | current.isin(splits))
    reason[split_hit] = [f"territory changed in a split since 2020 ({splits.get(c) or splits.get(k)}): "
                         "its 2020 figures are not those of today's unit"
                         for c, k in zip(code[split_hit], current[split_hit], strict=True)]
    unknown = placed & ~split_hit & ~current.isin(reg.index)
    reason[unknown] = "no current unit with this code (and no entry in the code history)"
    attributed = placed & (reason == "")

    rows = base[attributed].assign(adcode=current[attributed])
    units = _combine(rows, values.loc[attributed], reg)
    zones = base[kinds == "zone"].drop(columns="kind").reset_index(drop=True)
    unattributed = base[reason != ""].assign(reason=reason[reason != ""]).drop(columns="kind").reset_index(drop=True)
    aggregates = base[kinds.isin(["aggregate", "national"])].drop(columns="kind").reset_index(drop=True)
    provinces = _province_check(base, units, unattributed, reg)
    return CensusTables(units, zones, unattributed, aggregates, provinces)


def _combine(rows: pd.DataFrame, values: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """One row per current unit: counts summed over its 2020 rows (all must be present), published
    ratios kept only where the unit is a single 2020 row."""
    values = values.copy()
    values.insert(0, "adcode", rows.adcode.values)
    groups = values.groupby("adcode", sort=True)
    sizes = groups.size()
    counts = [c for c in values.columns[1:] if additive(c)]
    ratios = [c for c in values.columns[1:] if not additive(c)]
    summed = groups[counts].sum(min_count=1)
    complete = groups[counts].count().eq(sizes, axis=0)
    summed = summed.where(complete)
    first = groups[ratios].first().where(sizes.eq(1), axis=0) if ratios else pd.DataFrame(index=sizes.index)
    ordered = rows.sort_values(["adcode", "code"])
    meta = ordered.groupby("adcode", sort=True).agg(
        members=("code", ",".join), member_names=("name", "、".join), source_row=("source_row", "min"),
        level=("kind", "first"))
    meta["n_members"] = sizes
    out = meta.join(summed).join(first)
    out = out[[*meta.columns, *[c for c in values.columns[1:]]]]
    info = reg.reindex(out.index)
    out.insert(0, "name", info["name"].values)
    out.insert(1, "level", out.pop("level"))  # as the row says: 重庆市 500000 is a province row
    out.insert(2, "province_adcode", info.province_adcode.values)
    out.insert(3, "prefecture_adcode", info.prefecture_adcode.values)
    return out.reset_index()


def _province_check(base: pd.DataFrame, units: pd.DataFrame, unattributed: pd.DataFrame,
                    reg: pd.DataFrame) -> pd.DataFrame:
    """Per province: total, people in today's county-level units, in zones, unattributed, difference."""
    prov_rows = base[base.kind == "province"].set_index("code")
    county_units = units[units.level == "county"]
    in_units = county_units.groupby("province_adcode")[POPULATION].sum()
    zones = base[base.kind == "zone"]
    zone_pop = zones.assign(p=zones.province.map(_province_codes(reg))).groupby("p").population.agg(["sum", "size"])
    un = unattributed[~unattributed.code.str.endswith("00")]
    un_pop = un.assign(p=un.code.str[:2] + "0000").groupby("p").population.sum()
    out = pd.DataFrame({"province": prov_rows["name"], "total": prov_rows.population})
    out.index.name = "province_adcode"
    out["in_units"] = in_units.reindex(out.index).fillna(0.0)
    out["in_zones"] = zone_pop["sum"].reindex(out.index).fillna(0.0)
    out["zone_rows"] = zone_pop["size"].reindex(out.index).fillna(0).astype(int)
    out["unattributed"] = un_pop.reindex(out.index).fillna(0.0)
    out["difference"] = out.total - out.in_units - out.in_zones - out.unattributed
    return out.reset_index()


def _province_codes(reg: pd.DataFrame) -> dict[str, str]:
    prov = reg[reg.level == "province"]
    return dict(zip(prov["name"], prov.index, strict=True))


# ------------------------------------------------------------------------------------------------------
# Indicators from counts (the registry's census specs; also used by the analysis of the census)
# ------------------------------------------------------------------------------------------------------


def derive(counts: pd.DataFrame, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Census indicators (canonical units) from a table of counts with the sheet's column names.

    A ratio is ``sum(numerator) / sum(denominator) * scale`` row by row; it is missing when any of its
    columns is missing or the denominator is 0. Works on any rows: units, merged units, or your own
    aggregates (add the counts first, then derive — never average the ratios).
    """
    specs = ind.census_indicators()
    keys = list(specs) if keys is None else [ind.get(k).key for k in keys]
    out = pd.DataFrame(index=counts.index)
    for key in keys:
        meta = specs[key]
        spec = meta.census
        if not set(spec.columns) <= set(counts.columns):  # a table without these columns: not computed
            out[key] = np.nan
            continue
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
        if not set(spec.columns) <= set(counts.columns):
            out[key] = ""
        elif spec.column:
            out[key] = counts[spec.column].map(_num)
        else:
            num = counts[list(spec.numerator)].sum(axis=1, min_count=len(spec.numerator))
            den = counts[list(spec.denominator)].sum(axis=1, min_count=len(spec.denominator))
            out[key] = [f"{_num(a)} / {_num(b)}" for a, b in zip(num, den, strict=True)]
    return out


def _num(v: float) -> str:
    return "" if pd.isna(v) else f"{v:.10g}"


# ------------------------------------------------------------------------------------------------------
# Figures for the build
# ------------------------------------------------------------------------------------------------------

TIDY_COLUMNS = ["adcode", "name", "level", "year", "indicator", "value", "unit", "value_text", "unit_published",
                "flag", "source_id", "source_row", "url", "source_quality", "note", "scale"]
LONG_FORM_NOTE = "长表（10%抽样）"


def indicator_rows(t: CensusTables, source_id: str, url: str = "", source_quality: str = "") -> pd.DataFrame:
    """Every census indicator of the registry for every unit, in the build's tidy layout.

    ``value_text`` keeps what the value was computed from: the published figure, or for a share its
    numerator and denominator counts (``"240244 / 416845"``); merged units name their members in ``note``.
    Missing values (a missing count, a published ratio of a merged unit) are left out.
    """
    units = t.units
    derived = derive(units)
    texts = value_texts(units)
    frames = []
    merged_note = np.where(units.n_members > 1,
                           "sum of " + units.member_names + " (2020 codes " + units.members + "), merged into "
                           + units["name"].astype(str) + " (" + units.adcode + ")", "")
    for key, meta in ind.census_indicators().items():
        spec = meta.census
        note = merged_note
        if spec.long_form:
            note = np.where(merged_note != "", LONG_FORM_NOTE + "；" + merged_note, LONG_FORM_NOTE)
        part = pd.DataFrame({
            "adcode": units.adcode, "name": units["name"], "level": units.level, "year": CENSUS_YEAR,
            "indicator": key, "value": derived[key].values, "unit": meta.unit, "value_text": texts[key].values,
            "unit_published": spec.unit if spec.column else _formula(spec, meta.unit), "flag": "exact",
            "source_id": source_id, "source_row": units.source_row, "url": url, "source_quality": source_quality,
            "note": note, "scale": _scale(spec, meta.unit),
        })
        frames.append(part[part.value.notna()])
    out = pd.concat(frames, ignore_index=True)
    return out[TIDY_COLUMNS]


def _scale(spec, unit: str) -> float:
    """The build's rounding scale of value_text: a published figure's unit factor; 0 for a share computed
    from counts (exact: no published rounding to allow for)."""
    if not spec.column:
        return 0.0
    return factor(spec.unit, unit) if spec.unit and spec.unit != unit else 1.0


def _formula(spec, unit: str) -> str:
    num = " + ".join(spec.numerator) if len(spec.numerator) <= 4 else f"{len(spec.numerator)} 列之和"
    den = " + ".join(spec.denominator) if len(spec.denominator) <= 4 else f"{len(spec.denominator)} 列之和"
    scale = f" × {spec.scale:g}" if spec.scale != 1 else ""
    return f"({num}) / ({den}){scale}"


def zone_rows(t: CensusTables, source_id: str) -> pd.DataFrame:
    """Zones and unattributed rows in the build's zones layout (one row each, with the population)."""
    parts = []
    for frame, note in ((t.zones, "zone"), (t.unattributed, None)):
        if frame.empty:
            continue
        parts.append(pd.DataFrame({
            "source_id": source_id, "source_row": frame.source_row, "province": frame.province,
            "prefecture": frame.prefecture, "name": frame["name"], "year": CENSUS_YEAR, "indicator": "pop_resident",
            "value_text": frame.population.map(lambda v: "" if pd.isna(v) else f"{v:.0f}"), "unit": "人",
            "note": note if note else frame.reason,
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def province_report(t: CensusTables) -> pd.DataFrame:
    """The per-province table for ``build_report.md`` (people, not 万人; difference should be 0)."""
    p = t.provinces
    return pd.DataFrame({
        "province": p.province, "total": p.total.map("{:,.0f}".format),
        "in county-level units": p.in_units.map("{:,.0f}".format),
        "zone rows": p.zone_rows, "in zones": p.in_zones.map("{:,.0f}".format),
        "unattributed": p.unattributed.map("{:,.0f}".format), "difference": p.difference.map("{:,.0f}".format),
    })
