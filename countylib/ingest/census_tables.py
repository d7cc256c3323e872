"""The census county tables of 2020 and 2010 (第七次、第六次全国人口普查, compiled by Lei Dong et al.): read
them, sort their rows, place their codes on today's units and add up the counts of merged units.

Each table has one header row and one row per unit: the 2020 table ``区划代码, 省, 市, 区县`` and about 150
items (人口数_合计 ...), the 2010 table ``地区, 区划代码`` (codes written as numbers) and 167 items (合计, 男,
女 ...; headings wrapped over lines, read without the line breaks). :data:`LAYOUTS` says which columns are
which. Rows are of these kinds (:func:`row_kinds`):

* ``national`` — 全国 (no code);
* ``province`` — codes ending 0000;
* ``prefecture`` — codes ending 00, unless the registry says the code is a county-level unit (东莞市,
  中山市, 儋州市, 嘉峪关市: prefecture-level cities without districts are counted once, as counties);
* ``zone`` — functional zones, codes ending 71-79, and (2020) rows with no code (开发区, 管理区, 西沙群岛 ...):
  their residents are in no county's row;
* ``aggregate`` — sums of other rows with no unit of their own (省直辖县级行政区划, 市辖区, 县);
* ``uncoded`` — (2010) a unit printed without a code (加格达奇, 松岭区, 平桂管理区 ...): resolved by name for its
  province, a zone when its name says so, else unattributed;
* ``blank`` — (2010) separator rows and the credit line: no figures;
* ``county`` — everything else.

Rows are placed on today's units with the one crosswalk of the code history
(:mod:`countylib.data.crosswalk`), for the year of the table's codes (2020 for the 2020 table; 2009 for the
2010 table, whose codes are those of the 2009 code table): 偃师市 410381 -> 410307; 孟津县 410322 +
吉利区 410306 -> 孟津区 410308 (counts summed); a unit that went on with less or more territory is placed on
the unit that carries it on, and its series marked (``comparable_since``, ``break_note``); a unit divided
among several since (江干区 before 2021) and codes with no current unit are *unattributed*: reported with
their population, loaded for no unit. A census zoning can lag the code table by a year (the 2020 table
still prints 港闸区 and 三山区, merged in the 2020 code table): a code no longer in use is placed as the
previous year's. For every province, province total = its units + its zones + its unattributed rows.

Empty cells are missing, except inside a breakdown with a published total (age groups by sex,
industries, occupations): where the parts, empty read as 0, add up exactly to the row's total, an
empty part is a zero. A cell holding two numbers glued together (``8842   30``: two cells merged in the
published file) is missing and reported; any other text in a number column stops with its row and column.

The sheet is parsed once per content: the parsed table is cached under the build's ``.cache`` folder
by the file's SHA-256, so an unchanged file is never parsed again.

>>> from countylib.ingest import census_tables as census
>>> t = census.tables("data/raw/census_county_2020_leiii.xlsx")          # doctest: +SKIP
>>> int(t.units.query("adcode == '410308'").n_members.iloc[0])           # doctest: +SKIP
2
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from countylib.data import crosswalk, names, registry
from countylib.data import indicators as ind
from countylib.files import atomic_path
from countylib.ingest.readers import ReaderError
from countylib.ingest.units import factor

CODE, PROVINCE, PREFECTURE, NAME = "区划代码", "省", "市", "区县"
ID_COLUMNS = [CODE, PROVINCE, PREFECTURE, NAME]
POPULATION = "人口数_合计"
CACHE_FORMAT = 2  # bump when the cached layout changes
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

# The 2010 table's columns, as read (line breaks of the headings removed). 45-49岁（女) is printed so.
AGE_GROUPS_2010 = ("0岁", "1-4岁", "5-9岁", "10-14岁", "15-19岁", "20-24岁", "25-29岁", "30-34岁", "35-39岁",
                   "40-44岁", "45-49岁", "50-54岁", "55-59岁", "60-64岁", "65-69岁", "70-74岁", "75-79岁",
                   "80-84岁", "85岁及以上")
AGE_COLUMNS_2010 = tuple("45-49岁（女)" if (g, s) == ("45-49岁", "女") else f"{g}（{s}）"
                         for g in AGE_GROUPS_2010 for s in ("男", "女"))
INDUSTRIES_2010 = ("农林牧渔业", "采矿业", "制造业", "电力、燃气及水的生产和供应业", "建筑业", "仓储和邮政业",
                   "交通运输、计算机服务和软件业", "信息传输、批发和零售业", "住宿和餐饮业", "金融业", "房地产业",
                   "租赁和商务服务业", "科学研究、技术服务和地质勘察业", "水利、环境和公共设施管理业",
                   "居民服务和其他服务业", "教育", "卫生、社会保障和社会福利业", "文化、体育和娱乐业", "公共管理和社会组织",
                   "国际组织")
OCCUPATIONS_2010 = ("国家机关、党群组织、企业、事业单位负责人", "专业技术人员", "办事人员和有关人员", "商业、服务业人员",
                    "农、林、牧、渔、水利业生产人员", "生产、运输设备操作人员及有关人员", "不便分类的其他从业人员")


@dataclass(frozen=True)
class Layout:
    """Which columns of a census county table are which, and the year of its figures and of its codes."""

    year: int
    codes_year: int
    code: str = CODE
    name: str = NAME
    province: str | None = PROVINCE
    prefecture: str | None = PREFECTURE
    population: str = POPULATION
    breakdowns: dict = field(default_factory=lambda: dict(BREAKDOWNS))
    uncoded: str = "zone"  # what a row without a code is: a zone (2020) or a unit to resolve by name (2010)

    @property
    def id_columns(self) -> list[str]:
        return [c for c in (self.code, self.province, self.prefecture, self.name) if c]


#: The layouts of the bundled tables, by the year of their figures.
LAYOUTS = {
    2020: Layout(2020, 2020),
    2010: Layout(2010, 2009, name="地区", province=None, prefecture=None, population="合计", uncoded="resolve",
                 breakdowns={"合计": AGE_COLUMNS_2010, "各种行业人口总计": INDUSTRIES_2010,
                             "各种职业人口总计": OCCUPATIONS_2010}),
}

# Published ratios and averages: not counts, so never summed (missing for merged units).
_NOT_ADDITIVE = re.compile(r"比重|性别比|平均|户规模|人均|%|％|‰|率")
_ZONE_CODE = re.compile(r"^\d{4}7\d$")
_AGGREGATE_NAME = re.compile(r"直辖县级行政区划$")
AGGREGATE_LABELS = ("市辖区", "县", "全国")
_GLUED = re.compile(r"^-?\d+(?:\.\d+)?\s{2,}-?\d+(?:\.\d+)?$")

Source = str | PathLike | IO


def layout(year: int, codes_year: int | None = None) -> Layout:
    """The layout of the census table of ``year`` (its codes of ``codes_year`` when given).

    >>> layout(2010).codes_year, layout(2010).population
    (2009, '合计')
    """
    if int(year) not in LAYOUTS:
        raise ReaderError(f"no census layout for {year}; known: {', '.join(map(str, sorted(LAYOUTS)))}")
    base = LAYOUTS[int(year)]
    if codes_year is None or int(codes_year) == base.codes_year:
        return base
    return replace(base, codes_year=int(codes_year))


def additive(column: str) -> bool:
    """True for count columns (summed for merged units), False for published ratios and averages.

    >>> additive("城镇人口"), additive("性别比（女=100）"), additive("平均受教育年限_合计"), additive("0-14岁（%）")
    (True, False, False, False)
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


def read_sheet(source: Source, cache_dir: str | PathLike | None = None, lay: Layout | None = None) -> pd.DataFrame:
    """The sheet as published: every cell a string ('' when empty), columns as in the header row (line
    breaks inside a heading removed).

    With ``cache_dir`` the parse is cached by content hash (``census-<sha256>-v2.parquet``).
    """
    lay = lay or LAYOUTS[CENSUS_YEAR]
    if cache_dir is None or not isinstance(source, str | PathLike):
        return _parse(source, lay)
    target = cache_path(source, cache_dir)
    if target.exists():
        sheet = pd.read_parquet(target)
        _check_columns(sheet, _name(source), lay)
        return sheet
    sheet = _parse(source, lay)
    with atomic_path(target) as tmp:
        sheet.to_parquet(tmp, index=False, compression="zstd")
    return sheet


def _parse(source: Source, lay: Layout) -> pd.DataFrame:
    name = _name(source)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # calamine (Rust) reads the 3,358 x 153 sheet ~10x faster than openpyxl, with identical strings.
        table = pd.read_excel(source, dtype=str, engine="calamine")
    else:
        table = pd.read_csv(source, dtype=str, keep_default_na=False)
    table = table.fillna("").astype(str).apply(lambda s: s.str.strip())
    table.columns = [re.sub(r"\s*\n\s*", "", str(c)).strip() for c in table.columns]
    _check_columns(table, name, lay)
    table[lay.code] = table[lay.code].str.replace(r"\.0+$", "", regex=True)  # codes written as numbers
    return table


def _check_columns(table: pd.DataFrame, name: str, lay: Layout) -> None:
    missing = [c for c in [*lay.id_columns, lay.population] if c not in table.columns]
    if missing:
        raise ReaderError(f"{name}: not the {lay.year} census county layout; missing column(s) {missing}. "
                          f"Expected a header row with {', '.join(lay.id_columns)}, {lay.population}, ...")


def _name(source: Source) -> str:
    if isinstance(source, str | PathLike):
        return Path(source).name
    return str(getattr(source, "name", "<stream>"))


# ------------------------------------------------------------------------------------------------------
# Numbers and row kinds
# ------------------------------------------------------------------------------------------------------


def numbers(sheet: pd.DataFrame, source: str = "census", lay: Layout | None = None) -> pd.DataFrame:
    """The item columns as floats; empty cells NaN, except empty parts of a breakdown that adds up.

    A cell holding two numbers separated by spaces (two cells glued together in the published file) is
    missing, listed in ``.attrs["defects"]`` (row, column, value); any other cell that is neither empty nor
    a number stops with the row, column and value named.

    >>> s = pd.DataFrame({"区划代码": ["1"], "省": [""], "市": [""], "区县": ["x"], "人口数_合计": ["3"],
    ...                   "各种行业人口总计": ["5"], "农林牧渔业": ["5"], "采矿业": [""], "制造业": ["5    5"]})
    >>> v = numbers(s)
    >>> v[["各种行业人口总计", "采矿业"]].values.tolist(), v.attrs["defects"]
    ([[5.0, 0.0]], [(2, '制造业', '5    5')])
    """
    lay = lay or LAYOUTS[CENSUS_YEAR]
    items = [c for c in sheet.columns if c not in lay.id_columns]
    text = sheet[items]
    values = pd.DataFrame({c: _floats(text[c]) for c in items}, index=text.index)
    bad = values.isna() & (text != "")
    defects = []
    if bad.any().any():
        rows, cols = np.nonzero(bad.to_numpy())
        cells = [(int(r), int(c), text.iat[r, c]) for r, c in zip(rows, cols, strict=True)]
        glued = [(r, c, v) for r, c, v in cells if _GLUED.match(v)]
        other = [(r, c, v) for r, c, v in cells if not _GLUED.match(v)]
        if other:
            examples = "; ".join(f"row {r + 2}, column {items[c]}: {v!r}" for r, c, v in other[:5])
            raise ReaderError(f"{source}: {len(other)} cell(s) are not numbers ({examples}). The census table "
                              "holds plain numbers; check the file is the published one.")
        defects = [(r + 2, items[c], v) for r, c, v in glued]
    unbalanced = []
    for total, parts in lay.breakdowns.items():
        parts = [p for p in parts if p in values]
        if total not in values or not parts:
            continue
        filled = values[parts].fillna(0.0)
        gap = filled.sum(axis=1) - values[total]
        adds_up = values[total].notna() & (gap.abs() < 0.5)
        values.loc[adds_up, parts] = filled.loc[adds_up]
        off = values[total].notna() & ~adds_up
        unbalanced += [(int(i) + 2, total, round(float(g), 3)) for i, g in zip(np.flatnonzero(off.to_numpy()), gap[off],
                                                                     strict=True)]
    values = values.astype(float)
    values.attrs["defects"] = defects
    values.attrs["unbalanced"] = unbalanced
    return values


def _floats(column: pd.Series) -> np.ndarray:
    """A text column as floats ('' -> NaN): one cast when every cell is a number (~10x faster than
    pd.to_numeric), else pd.to_numeric with the cells that are not numbers as NaN."""
    raw = column.to_numpy(dtype=object)
    try:
        return np.where(raw == "", None, raw).astype(float)
    except (TypeError, ValueError):
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


def _historic_prefecture(cw: crosswalk.Crosswalk, code: str, year: int) -> bool:
    """A prefecture-level code of the code history in use in ``year`` that today's registry no longer has
    (莱芜市 371200 in 2009, merged into 济南市 since; 铜仁地区 522200, now 铜仁市 520600): its row is a
    prefecture of that year, to be placed on today's units like any other, not an aggregate row."""
    if not (len(code) == 6 and code.endswith("00") and not code.endswith("0000")):
        return False
    rid = cw.record_at(code, year) if cw.newest is not None and cw.first <= year <= cw.newest else None
    return rid is not None and cw.records[rid].level == "prefecture"


def row_kinds(sheet: pd.DataFrame, lay: Layout | None = None, values: pd.DataFrame | None = None,
              cw: crosswalk.Crosswalk | None = None) -> pd.Series:
    """national / province / prefecture / county / zone / aggregate (/ uncoded / blank in a table whose
    rows without a code are units to resolve by name) for every row (see the module doc). ``cw``: the
    crosswalk the rows are placed with (:func:`countylib.data.crosswalk.get` when left out).

    >>> s = pd.DataFrame({"区划代码": ["", "410000", "410300", "410322", "410371", "", "441900"],
    ...                   "区县": ["全国", "河南省", "洛阳市", "孟津县", "洛阳高新区", "某园区", "东莞市"]})
    >>> row_kinds(s).tolist()
    ['national', 'province', 'prefecture', 'county', 'zone', 'zone', 'county']
    """
    lay = lay or LAYOUTS[CENSUS_YEAR]
    cw = cw if cw is not None else crosswalk.get()
    code = sheet[lay.code].astype(str).str.strip()
    name = sheet[lay.name].astype(str).str.strip()
    levels = registry.by_adcode().level
    kind = pd.Series("county", index=sheet.index, dtype=object)
    no_code = code == ""
    kind[code.str.endswith("00")] = "prefecture"
    kind[code.str.endswith("00") & (code.map(levels) == "county")] = "county"  # 东莞市 441900 ...
    historic = code.map(lambda c: _historic_prefecture(cw, c, lay.codes_year))  # 莱芜市 371200, 铜仁地区 522200 ...
    kind[code.str.endswith("00") & code.str.len().eq(6) & ~code.isin(levels.index) & ~historic] = "aggregate"
    kind[code.str.endswith("0000")] = "province"
    kind[code.str.match(_ZONE_CODE)] = "zone"
    if lay.uncoded == "zone":
        kind[no_code] = "zone"
    else:
        empty = values.isna().all(axis=1) if values is not None else pd.Series(False, index=sheet.index)
        kind[no_code] = "uncoded"
        kind[no_code & name.isin(AGGREGATE_LABELS)] = "aggregate"
        kind[no_code & empty] = "blank"
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
    member_names, n_members, source_row, comparable_since, break_note, then every item column; counts summed
    over members, published ratios and averages kept only for units of one member). ``zones``,
    ``unattributed``: rows loaded for no unit, with their population and a reason. ``provinces``: per
    province, the published total and where its people are (units, zones, unattributed) with the
    difference (0 when all adds up). ``defects``: cells read as missing (row, column, value).
    ``unbalanced``: rows whose breakdown (age groups, industries, occupations) does not add up to its
    published total (row, name, total column, parts minus total): kept as published, reported.
    """

    units: pd.DataFrame
    zones: pd.DataFrame
    unattributed: pd.DataFrame
    aggregates: pd.DataFrame
    provinces: pd.DataFrame
    year: int = CENSUS_YEAR
    codes_year: int = CENSUS_YEAR
    defects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source_row", "column", "value"]))
    unbalanced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source_row", "total", "gap"]))


def tables(source: str | PathLike, cache_dir: str | PathLike | None = None,
           history_path: Path | None = None, year: int = CENSUS_YEAR, codes_year: int | None = None
           ) -> CensusTables:
    """Read the census sheet of ``year`` (2020 or 2010) and place it on today's units (see the module doc)."""
    lay = layout(year, codes_year)
    sheet = read_sheet(source, cache_dir, lay)
    return assemble(sheet, source=_name(source), history_path=history_path, lay=lay)


def assemble(sheet: pd.DataFrame, source: str = "census", history_path: Path | None = None,
             lay: Layout | None = None) -> CensusTables:
    """Sort the rows of a parsed sheet and place them on today's units."""
    lay = lay or LAYOUTS[CENSUS_YEAR]
    values = numbers(sheet, source, lay)
    cw = crosswalk.get(history_path)
    kinds = row_kinds(sheet, lay, values, cw)
    code = sheet[lay.code].astype(str).str.strip()
    base = pd.DataFrame({
        "source_row": np.arange(2, len(sheet) + 2), "kind": kinds, "code": code,
        "province": _context(sheet, lay, kinds, "province"), "prefecture": _context(sheet, lay, kinds, "prefecture"),
        "name": sheet[lay.name].str.strip(), "population": values[lay.population],
    }, index=sheet.index)
    reg = registry.by_adcode()

    adcode = pd.Series("", index=sheet.index, dtype=object)
    reason = pd.Series("", index=sheet.index, dtype=object)
    uncoded = kinds.eq("uncoded")
    if uncoded.any():
        kinds = kinds.copy()
        found = names.resolve(base.name[uncoded], province=base.province[uncoded].tolist(), year=lay.codes_year,
                              level="county", errors="report", history_path=history_path)
        found.index = base.index[uncoded]
        ok = found.adcode.notna()
        adcode[found.index[ok]] = found.adcode[ok].values
        kinds[found.index[ok]] = "county"
        zone = found.status.eq("zone")
        kinds[found.index[zone]] = "zone"
        rest = found.index[~ok & ~zone]
        reason[rest] = ("a unit printed without a code whose name is no unit of today (" + found.status[rest]
                        + (": " + found.candidates[rest]).where(found.candidates[rest] != "", "") + ")")
        base["kind"] = kinds
    placed = kinds.isin(["province", "prefecture", "county"]) & adcode.eq("")
    members: dict[str, set[str]] = {}  # merged unit of today -> the codes of the table it is the sum of
    for i in base.index[placed]:
        p = _place(cw, code[i], kinds[i], lay.codes_year)
        if p.status in ("placed", "merger_member"):
            adcode[i] = p.adcode
            if p.status == "merger_member":
                members.setdefault(p.adcode, set()).update(p.members)
        else:
            reason[i] = _reason(p, lay)
    _incomplete_mergers(code, adcode, reason, members)
    attributed = adcode.ne("") & reason.eq("")
    rows = base[attributed].assign(adcode=adcode[attributed])
    units = _combine(rows, values.loc[attributed], reg)
    units = _with_breaks(units, cw, lay.codes_year)
    zones = base[kinds == "zone"].drop(columns="kind").reset_index(drop=True)
    unattributed = base[reason != ""].assign(reason=reason[reason != ""]).drop(columns="kind").reset_index(drop=True)
    aggregates = base[kinds.isin(["aggregate", "national"])].drop(columns="kind").reset_index(drop=True)
    provinces = _province_check(base, rows, unattributed, reg)
    defects = pd.DataFrame(values.attrs.get("defects", []), columns=["source_row", "column", "value"])
    unbalanced = pd.DataFrame(values.attrs.get("unbalanced", []), columns=["source_row", "total", "gap"])
    names_by_row = dict(zip(base.source_row, base.name, strict=True))
    unbalanced.insert(1, "name", unbalanced.source_row.map(names_by_row))
    return CensusTables(units, zones, unattributed, aggregates, provinces, lay.year, lay.codes_year, defects,
                        unbalanced)


def _context(sheet: pd.DataFrame, lay: Layout, kinds: pd.Series, level: str) -> pd.Series:
    """The province (or prefecture) of every row: its own column, or (2010) the last such row above it."""
    column = lay.province if level == "province" else lay.prefecture
    if column:
        return sheet[column].str.strip()
    name = sheet[lay.name].str.strip()
    heads = name.where(kinds.eq(level))
    if level == "prefecture":
        heads = heads.where(~kinds.eq("province"), "")  # a new province starts without a prefecture
    return heads.ffill().fillna("")


def _incomplete_mergers(code: pd.Series, adcode: pd.Series, reason: pd.Series, members: dict[str, set[str]]) -> None:
    """Rows of a merged unit whose table has fewer rows for it than the merger has members are left out,
    with the reason: a sum of some members would pass for the whole unit (``reason`` is set in place). Rows
    are counted, not codes: a table may print a member under the code it took at the merger (崇川区 320613
    beside 港闸区 320611 in the 2020 table).

    >>> code = pd.Series(["370100"]); adcode = pd.Series(["370100"]); reason = pd.Series([""])
    >>> _incomplete_mergers(code, adcode, reason, {"370100": {"370100", "371200"}})
    >>> reason[0]
    'one of 2 members of a merger, the only one in the table (missing 371200): its figures would pass for the whole of 370100'
    """
    for unit, need in members.items():
        rows = adcode.eq(unit) & reason.eq("")
        if int(rows.sum()) < len(need):
            missing = sorted(need - set(code[rows]))
            reason[rows] = (f"one of {len(need)} members of a merger, the only {'one' if rows.sum() == 1 else 'ones'} "
                            f"in the table (missing {', '.join(missing)}): its figures would pass for the whole of "
                            f"{unit}")


def _place(cw: crosswalk.Crosswalk, code: str, kind: str, codes_year: int) -> crosswalk.Placement:
    """A census row's code placed for the year of the table's codes, or for the year before when the code
    was no longer in use (a census zoning a year behind the code table: 港闸区 in the 2020 table)."""
    level = crosswalk.history_level(kind)
    if cw.newest is None:
        return crosswalk.Placement(code, codes_year, "placed", code, "same") if code in cw.registry_codes else \
            crosswalk.Placement(code, codes_year, "unknown")
    p = cw.place(code, codes_year, level)
    if p.status == "not_in_use" and cw.record_at(code, codes_year - 1) is not None:
        p = cw.place(code, codes_year - 1, level)
    return p


def _reason(p: crosswalk.Placement, lay: Layout) -> str:
    if p.status == "split":
        return (f"divided since {lay.codes_year} among several of today's units ({p.note}): its {lay.year} figures "
                "are those of no one unit of today")
    if p.status == "unknown":
        return "no current unit with this code (and no entry in the code history or its supplement)"
    return f"{p.status}: {p.note}" if p.note else p.status


def _with_breaks(units: pd.DataFrame, cw: crosswalk.Crosswalk, codes_year: int) -> pd.DataFrame:
    """The units with the year from which their series covers today's territory and, where the census
    figure covers another territory, the changes since (one line)."""
    since, note = [], []
    for code, level in zip(units.adcode, units.level, strict=True):
        s, n = cw.break_info(code, codes_year, crosswalk.history_level(level))
        since.append(s)
        note.append(n)
    out = units.copy()
    pos = list(out.columns).index("n_members") + 1
    out.insert(pos, "comparable_since", since)
    out.insert(pos + 1, "break_note", note)
    return out


def _combine(rows: pd.DataFrame, values: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """One row per current unit: counts summed over its rows (all must be present), published
    ratios kept only where the unit is a single row."""
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
    codes: dict[str, list[str]] = {}
    names_: dict[str, list[str]] = {}
    for a, c, n in zip(ordered.adcode, ordered.code, ordered["name"], strict=True):
        codes.setdefault(a, []).append(c)
        names_.setdefault(a, []).append(n)
    firsts = ordered.groupby("adcode", sort=True).agg(source_row=("source_row", "min"), level=("kind", "first"))
    meta = pd.DataFrame({"members": pd.Series({a: ",".join(v) for a, v in codes.items()}),
                         "member_names": pd.Series({a: "、".join(v) for a, v in names_.items()})}).join(firsts)
    meta.index.name = "adcode"
    meta = meta.sort_index()
    meta["n_members"] = sizes
    out = meta.join(summed).join(first)
    out = out[[*meta.columns, *[c for c in values.columns[1:]]]]
    info = reg.reindex(out.index)
    out.insert(0, "name", info["name"].values)
    out.insert(1, "level", out.pop("level"))  # as the row says: 重庆市 500000 is a province row
    out.insert(2, "province_adcode", info.province_adcode.values)
    out.insert(3, "prefecture_adcode", info.prefecture_adcode.values)
    return out.reset_index()


def _province_check(base: pd.DataFrame, placed: pd.DataFrame, unattributed: pd.DataFrame,
                    reg: pd.DataFrame) -> pd.DataFrame:
    """Per province: total, people in today's county-level units, in zones, unattributed, difference.

    County-level rows are counted where they went: in a unit (placed), or unattributed; a prefecture-level
    city without county-level rows (三亚市 in 2010) counts as unattributed at the county level (its figures
    load for the prefecture)."""
    prov_rows = base[base.kind == "province"].set_index("code")
    county_rows = placed[placed.kind.eq("county")]
    in_units = county_rows.assign(p=county_rows.adcode.map(reg.province_adcode)).groupby("p").population.sum()
    zones = base[base.kind == "zone"]
    zone_pop = zones.assign(p=zones.province.map(_province_codes(reg))).groupby("p").population.agg(["sum", "size"])
    un = unattributed[~unattributed.code.str.endswith("00")]
    un = un.assign(p=un.code.str[:2].where(un.code.ne(""), un.province.map(_province_codes(reg)).str[:2]) + "0000")
    leaf = _leaf_prefectures(base)
    un_pop = pd.concat([un[["p", "population"]], leaf[["p", "population"]]]).groupby("p").population.sum()
    out = pd.DataFrame({"province": prov_rows["name"], "total": prov_rows.population})
    out.index.name = "province_adcode"
    out["in_units"] = in_units.reindex(out.index).fillna(0.0)
    out["in_zones"] = zone_pop["sum"].reindex(out.index).fillna(0.0)
    out["zone_rows"] = zone_pop["size"].reindex(out.index).fillna(0).astype(int)
    out["unattributed"] = un_pop.reindex(out.index).fillna(0.0)
    out["difference"] = out.total - out.in_units - out.in_zones - out.unattributed
    return out.reset_index()


def _leaf_prefectures(base: pd.DataFrame) -> pd.DataFrame:
    """Prefecture rows with no county-level row under them and whose people no rows listed after them hold
    (三亚市 in the 2010 table; not 三沙市 in the 2020 table, whose islands follow as zone rows)."""
    pref = base[base.kind.eq("prefecture")]
    county_prefixes = set(base.code[base.kind.eq("county")].str[:4])
    leaf = pref[~pref.code.str[:4].isin(county_prefixes)]
    keep = []
    for i, row in leaf.iterrows():
        after = base.loc[i:].iloc[1:]
        parts = after.kind.isin(["zone", "uncoded", "blank"]).to_numpy()
        stop = int(np.argmin(parts)) if not parts.all() else len(after)
        listed = after.iloc[:stop].population.sum()
        keep.append(not (pd.notna(row.population) and abs(listed - row.population) < 0.5))
    leaf = leaf[np.array(keep, dtype=bool)] if len(leaf) else leaf
    return leaf.assign(p=leaf.code.str[:2] + "0000")


def _province_codes(reg: pd.DataFrame) -> dict[str, str]:
    prov = reg[reg.level == "province"]
    return dict(zip(prov["name"], prov.index, strict=True))


# ------------------------------------------------------------------------------------------------------
# Indicators from counts (the registry's census specs; also used by the analysis of the census)
# ------------------------------------------------------------------------------------------------------


def derive(counts: pd.DataFrame, keys: Sequence[str] | None = None, year: int = CENSUS_YEAR) -> pd.DataFrame:
    """Census indicators (canonical units) from a table of counts with the sheet's column names, by the
    registry's specification for the census of ``year`` (2020 or 2010).

    A ratio is ``sum(numerator) / sum(denominator) * scale`` row by row; it is missing when any of its
    columns is missing or the denominator is 0. Works on any rows: units, merged units, or your own
    aggregates (add the counts first, then derive — never average the ratios). An indicator the census of
    ``year`` has no column for is all missing.

    >>> c = pd.DataFrame({"城镇人口": [300.0], "合计": [600.0]})
    >>> derive(c, ["urbanization"], year=2010).urbanization.tolist()
    [50.0]
    """
    keys = list(ind.census_indicators(year)) if keys is None else [ind.get(k).key for k in keys]
    out = pd.DataFrame(index=counts.index)
    for key in keys:
        meta = ind.get(key)
        spec = meta.census_spec(year)
        if spec is None or not set(spec.columns) <= set(counts.columns):  # a table without these columns: not computed
            out[key] = np.nan
            continue
        if spec.column:
            value = counts[spec.column].astype(float)
            if spec.unit and spec.unit != meta.unit:
                f = factor(spec.unit, meta.unit)  # 人 -> 万人: divide by 10000, the nearest float to the decimal
                value = value / round(1 / f) if f < 1 and abs(1 / f - round(1 / f)) < 1e-9 else value * f
        else:
            num, den = _parts(counts, spec)
            value = num / den.where(den > 0) * spec.scale
        out[key] = value.astype(float)
    return out


def value_texts(counts: pd.DataFrame, keys: Sequence[str] | None = None, year: int = CENSUS_YEAR) -> pd.DataFrame:
    """What each value was computed from, as text: the published figure, or ``"numerator / denominator"``.

    >>> c = pd.DataFrame({"城镇人口": [240244.0], "人口数_合计": [416845.0]})
    >>> value_texts(c, ["urbanization", "pop_resident"]).iloc[0].tolist()
    ['240244 / 416845', '416845']
    """
    keys = list(ind.census_indicators(year)) if keys is None else keys
    out = pd.DataFrame(index=counts.index)
    for key in keys:
        spec = ind.get(key).census_spec(year)
        if spec is None or not set(spec.columns) <= set(counts.columns):
            out[key] = ""
        elif spec.column:
            out[key] = counts[spec.column].map(_num)
        else:
            num, den = _parts(counts, spec)
            out[key] = [f"{_num(a)} / {_num(b)}" for a, b in zip(num, den, strict=True)]
    return out


def _parts(counts: pd.DataFrame, spec) -> tuple[pd.Series, pd.Series]:
    """The numerator and the denominator of a computed census value: sums of their count columns, missing
    where any of the counts is."""
    return (counts[list(spec.numerator)].sum(axis=1, min_count=len(spec.numerator)),
            counts[list(spec.denominator)].sum(axis=1, min_count=len(spec.denominator)))


def _num(v: float) -> str:
    return "" if pd.isna(v) else f"{v:.10g}"


# ------------------------------------------------------------------------------------------------------
# Figures for the build
# ------------------------------------------------------------------------------------------------------

TIDY_COLUMNS = ["adcode", "name", "level", "year", "indicator", "value", "unit", "value_text", "unit_published",
                "flag", "source_id", "source_row", "url", "source_quality", "note", "scale", "comparable_since",
                "break_note"]
LONG_FORM_NOTE = "长表（10%抽样）"


def indicator_rows(t: CensusTables, source_id: str, url: str = "", source_quality: str = "") -> pd.DataFrame:
    """Every census indicator of the registry for every unit, in the build's tidy layout.

    ``value_text`` keeps what the value was computed from: the published figure, or for a share its
    numerator and denominator counts (``"240244 / 416845"``); merged units name their members in ``note``.
    Missing values (a missing count, a published ratio of a merged unit) are left out.
    """
    units = t.units
    derived = derive(units, year=t.year)
    texts = value_texts(units, year=t.year)
    frames = []
    merged_note = np.where(units.n_members > 1,
                           "sum of " + units.member_names + f" ({t.codes_year} codes " + units.members + "), merged into "
                           + units["name"].astype(str) + " (" + units.adcode + ")", "")
    for key, meta in ind.census_indicators(t.year).items():
        spec = meta.census_spec(t.year)
        note = merged_note
        if spec.long_form:
            note = np.where(merged_note != "", LONG_FORM_NOTE + "；" + merged_note, LONG_FORM_NOTE)
        part = pd.DataFrame({
            "adcode": units.adcode, "name": units["name"], "level": units.level, "year": t.year,
            "indicator": key, "value": derived[key].values, "unit": meta.unit, "value_text": texts[key].values,
            "unit_published": spec.unit if spec.column else _formula(spec, meta.unit), "flag": "exact",
            "source_id": source_id, "source_row": units.source_row, "url": url, "source_quality": source_quality,
            "note": note, "scale": _scale(spec, meta.unit), "comparable_since": units.comparable_since,
            "break_note": units.break_note,
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
            "prefecture": frame.prefecture, "name": frame["name"], "year": t.year, "indicator": "pop_resident",
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


# ------------------------------------------------------------------------------------------------------
# Changes between two censuses, on today's units
# ------------------------------------------------------------------------------------------------------

CHANGE_SOURCE_ID = "census 2010-2020 (computed change)"


def change_rows(base: CensusTables, end: CensusTables, history_path: Path | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The registry's change indicators (``change:`` in indicators.yaml) between two censuses, for every unit
    of today in both, as tidy rows of the end year; and the units left out, with the reason (rows for
    ``rejects.csv``).

    Each census value is computed from the unit's own counts (summed over merged members) by that census's
    column specification, then the change is taken (growth in % or a difference). A unit whose territory
    changed between the two censuses' code years (a split or partial transfer) gets no value: the reason
    names the change. A change for a unit whose territory changed only after the end census covers the old
    territory both times; it is kept with its break note.
    """
    cw = crosswalk.get(history_path)
    a = base.units.set_index(["adcode", "level"])
    b = end.units.set_index(["adcode", "level"])
    both = a.index.intersection(b.index).sort_values()
    a, b = a.loc[both].reset_index(), b.loc[both].reset_index()
    why = pd.Series([cw.breaks_between(code, base.codes_year, end.codes_year, crosswalk.history_level(level))
                     for code, level in zip(b.adcode, b.level, strict=True)], index=b.index)
    rows, rejected = [], []
    for key, meta in ind.change_indicators().items():
        ch = meta.change
        if (ch.base, ch.end) != (base.year, end.year):
            continue
        of = ind.get(ch.of)
        x = derive(a, [ch.of], base.year)[ch.of]
        y = derive(b, [ch.of], end.year)[ch.of]
        common = pd.DataFrame({"adcode": b.adcode, "name": b["name"], "level": b.level, "year": end.year,
                               "indicator": key, "unit": meta.unit, "unit_published": of.unit,
                               "source_row": b.source_row.astype(int)})
        broken = why.ne("")
        rej = common[broken & x.notna() & y.notna()].copy()
        rej["value_text"] = x[rej.index].map(_num) + " → " + y[rej.index].map(_num)
        rej["reason"] = (f"{meta.name_zh}: territory changed between the censuses (" + why[rej.index]
                         + f"); the {base.year} and {end.year} figures are not of the same area")
        rejected.append(rej)
        ok = ~broken & x.notna() & y.notna() & ((x > 0) | (ch.how != "percent"))
        part = common[ok].copy()
        part["value"] = ch.compute(x[ok], y[ok]).astype(float)
        part["value_text"] = f"{base.year}: " + x[ok].map(_num) + f"; {end.year}: " + y[ok].map(_num)
        part["flag"] = "exact"
        part["source_id"] = CHANGE_SOURCE_ID
        part["url"] = ""
        part["source_quality"] = "computed"
        part["note"] = f"{of.name_zh}，{base.year}年与{end.year}年普查（今天的区划）"
        part["scale"] = 0.0
        part["comparable_since"] = b.comparable_since[ok].astype(int)
        part["break_note"] = b.break_note[ok].astype(str)
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)[TIDY_COLUMNS] if rows else pd.DataFrame(columns=TIDY_COLUMNS)
    return out, (pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame())
