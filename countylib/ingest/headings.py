"""Headings to indicators: which registry indicator a yearbook column carries, and in which unit.

:mod:`countylib.ingest.layout` finds where things are in a sheet (title, 单位 line, heading rows with their
merged groups, the English row, the unit row); this module reads what the headings say. A column's
heading parts, top to bottom (``地区生产总值`` over ``比上年增长(%)``), name an indicator of the registry or
the reason they do not (a growth column without its indicator, a share under 三次产业构成, a qualifier such
as 户籍人口 over 城镇化率), and the units printed in the heading, the unit row, the 单位 line or the sidecar
give its unit — one that fits the indicator's dimension, or none at all.

>>> map_heading(["地区生产总值", "比上年增长"]), map_heading(["三次产业构成", "第一产业"])
(('gdp_growth', ''), ('share_primary', ''))
>>> column(1, ["地区生产总值（万元）"], "", [], {}, "t.csv").unit
'万元'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from countylib import vocab
from countylib.data import indicators
from countylib.ingest import units as units_mod
from countylib.ingest.sheets import ReaderError

GROWTH_LABEL = re.compile(
    r"(?:比上年|比去年|较上年|比上年同期|同比)?(?:增长率?|增速|增幅|增减率?)(?:±|\+/?-)?(?:\(%\)|%)?$"
    r"|(?:比上年|比去年|较上年|比上年同期|同比)?(?:±|\+/?-)(?:\(%\)|%)?$"
    r"|^(?:比上年|比去年|较上年|同比)(?:\(%\)|%)?$"
)


LEVEL_WORDS = ("总量", "绝对值", "绝对数", "总额", "数值", "金额", "数额", "本年", "全年", "本年累计", "累计", "总计", "合计",
               "实绩", "年末数", "本年实际", "规模", "指标值")


STRUCTURE_WORDS = ("构成", "结构", "比重", "占比", "比例")


QUALIFIER_WORDS = ("户籍", "上年", "去年", "上期", "同期", "指数", "平均", "两年")


UNIT_LINE_SEPARATORS = re.compile(r"[、，,;；/]|及|和")


def is_growth_label(label: object) -> bool:
    """True for a heading that names a growth rate without saying of what (比上年增长, 增长率, ±%).

    >>> is_growth_label("比上年增长(%)"), is_growth_label("±%"), is_growth_label("增速"), is_growth_label("总量")
    (True, True, True, False)
    >>> is_growth_label("比上年增长±%"), is_growth_label("指数(上年=100)"), is_growth_label("%")
    (True, False, False)
    """
    return bool(GROWTH_LABEL.fullmatch(vocab.normalize(label)))


HEADER_UNIT = re.compile(r"[（(\[【]\s*(?:单位[:：]?)?\s*([^()（）\[\]【】]+?)\s*[)）\]】]\s*$")


_SUBSCOPE = {"城镇": "_urban", "农村": "_rural", "城镇居民": "_urban", "农村居民": "_rural", "城镇常住居民": "_urban",
             "农村常住居民": "_rural", "全体居民": "", "全体": ""}


NO_GROWTH_GROUP = "a growth column without an indicator heading above it"


YEAR_HEADING = re.compile(r"(?:19|20)\d{2}(?:\.0)?(?:年度?)?(?:末)?")


@dataclass
class Column:
    """One column of figures: its heading as printed, the indicator it carries and its unit."""

    index: int
    label: str
    indicator: str | None = None
    unit: str = ""
    unit_source: str = ""
    problem: str = ""
    year: int | None = None  # a column headed by a year (地区生产总值 over 2021年 | 2022年)
    routed: str = ""  # why the column carries another indicator than its heading's (地区生产总值（元/人）)


def cell_unit(text: str) -> str:
    """The unit a cell states on its own (``（万元）``, ``单位：万人``, ``%``), or ''.

    >>> cell_unit("（万元）"), cell_unit("单位：亿元"), cell_unit("(%)"), cell_unit("地区")
    ('万元', '亿元', '%', '')
    """
    u = units_mod.normalize_unit(text)
    return u if u in units_mod.UNITS else ""


def same_indicator_twice(columns: list[Column]) -> None:
    """Two columns giving the same indicator for the same year (two panels side by side not told apart, or two
    measures of one quantity): which is which cannot be told, so neither is read."""
    seen: dict[tuple[str, int | None], list[Column]] = {}
    for col in columns:
        if col.indicator:
            seen.setdefault((col.indicator, col.year), []).append(col)
    for (key, _), cols in seen.items():
        if len(cols) < 2:
            continue
        for col in cols:
            others = ", ".join(repr(c.label) for c in cols if c is not col)
            col.problem = (f"{key} also in column {others}: two columns give one indicator for one year; "
                           "split the table or set `header_rows`/`name_col` in the sidecar")
            col.indicator = None


def growth_beside_level(columns: list[Column], labels: list[list[str]], unit_cells: list[str]) -> None:
    """A growth column printed right after a level column under the same group headings (地区生产总值 | 增长,
    社会消费品零售总额 | 增长) is that indicator's growth, as a reader of the table takes it."""
    by_index = {c.index: c for c in columns}
    for col in columns:
        if col.indicator or col.problem != NO_GROWTH_GROUP:
            continue
        left = by_index.get(col.index - 1)
        if left is None or left.indicator is None or labels[left.index][:-1] != labels[col.index][:-1]:
            continue
        if indicators.get(left.indicator).kind not in ("level", "count"):
            continue
        growth = growth_indicator(left.indicator)
        if growth is None:
            col.problem = (f"growth of {indicators.get(left.indicator).name_zh} ({left.indicator}), the column before "
                           "it: the registry has no growth indicator for it")
            continue
        printed = [(u, w) for u, w in ((strip_units(labels[col.index][-1:])[1], "heading"),
                                        (cell_unit(unit_cells[col.index]), "unit row")) if u]
        if printed and units_mod.dimension(printed[0][0]) != "ratio":
            col.problem = f"{printed[0][1]} prints {printed[0][0]}: an increase, not a growth rate"
            continue
        col.indicator, col.problem, col.year = growth, "", left.year
        col.unit, col.unit_source = printed[0] if printed else ("%", "assumed")


def unit_line_units(text: str) -> list[str]:
    """The units a 单位 line names, at most one per dimension (several of one dimension say nothing).

    >>> unit_line_units("万元"), unit_line_units("万元、万人、%"), unit_line_units("万元，亿元")
    (['万元'], ['万元', '万人', '%'], [])
    """
    parts = [cell_unit(p) for p in UNIT_LINE_SEPARATORS.split(text) if p.strip()]
    if not parts or not all(parts):
        return []
    dims = [units_mod.dimension(u) for u in parts]
    return [] if len(set(dims)) != len(dims) else parts


def column(j: int, parts: list[str], unit_cell: str, table_units: list[str], sidecar: dict[str, str],
            file: str) -> Column:
    """Indicator and unit of one column; raises when a money or population column has no unit.

    A unit printed for the column itself (in its own heading or in the unit row) that does not fit the
    indicator leaves the column unmapped (a % under 第一产业 is a share, not value added); a group heading's
    unit of another dimension is the group's level column's, and is passed over for its rates and shares.
    """
    label = "_".join(parts) or f"col{j + 1}"
    bare, heading_unit = strip_units(parts)
    year, bare, problem = _heading_year(bare)
    if problem:
        return Column(j, label, None, problem=problem)
    key, problem = map_heading(bare)
    col = Column(j, label, key, problem=problem, year=year)
    if key is None:
        return col
    leaf_unit = strip_units(parts[-1:])[1] if parts else ""
    group_unit = heading_unit if heading_unit and not leaf_unit else ""
    own_unit = leaf_unit or cell_unit(unit_cell)
    if own_unit:  # 地区生产总值（元/人） is 人均地区生产总值
        key, col.routed = units_mod.indicator_for(key, own_unit)
        col.indicator = key
    canonical = indicators.get(key).unit
    dim = indicators.get(key).dimension
    found, where = "", ""
    for unit, source, own in ((leaf_unit, "heading", True), (cell_unit(unit_cell), "unit row", True),
                              (group_unit, "heading", False)):
        if not unit:
            continue
        if units_mod.fits(unit, dim):
            found, where = unit, source
            break
        if own or dim != "ratio":
            col.indicator = None
            per_person = ": a per-person figure is not a total" if units_mod.dimension(unit) == "money_per_person" else ""
            col.problem = (f"{source} prints {unit}, which does not fit {indicators.get(key).name_zh} ({key}, "
                           f"{canonical}){per_person}; map it with `reader: units:` only if the heading is wrong")
            return col
    given = sidecar.get(key) or sidecar.get(label) or ""
    if given:
        resolved, why = units_mod.resolve_unit(given, canonical)
        if why:
            raise ReaderError(f"{file}: `reader: units:` gives {given!r} for {key}: {why}")
        if found and units_mod.normalize_unit(found) != resolved:
            raise ReaderError(f"{file}: column {label!r} prints its unit as {found} but the sidecar says {given}; "
                              "remove the sidecar entry or correct it")
        found, where = found or resolved, where or "sidecar"
    line = [u for u in table_units if units_mod.fits(u, dim)]
    if not found and line:
        found, where = line[0], "单位 line"
    if not found and dim in units_mod.UNIT_REQUIRED:
        raise ReaderError(
            f"{file}: column {label!r} ({key}, {dim}) has no unit in its heading, a unit row or a 单位 line; "
            f"add it to the sidecar as `reader: units: {{{key}: {'万人' if dim == 'people' else '万元'}}}` (the unit "
            "printed in the yearbook)"
        )
    if not found:
        found, where = canonical, "assumed"
    col.unit, col.unit_source = found, where
    return col


def _heading_year(bare: list[str]) -> tuple[int | None, list[str], str]:
    """(year, the other parts, problem) of heading parts where one part is a year (2021 over 地区生产总值,
    or 地区生产总值 over 2021年).

    >>> _heading_year(["2021", "地区生产总值"]), _heading_year(["地区生产总值", "2022年"])[0]
    ((2021, ['地区生产总值'], ''), 2022)
    """
    years = {int(p[:4]) for p in bare if YEAR_HEADING.fullmatch(p)}
    rest = [p for p in bare if not YEAR_HEADING.fullmatch(p)]
    if not years or not rest:
        return None, bare, ""
    if len(years) > 1:
        return None, rest, f"heading names several years ({', '.join(map(str, sorted(years)))})"
    return years.pop(), rest, ""


def strip_units(parts: list[str]) -> tuple[list[str], str]:
    """Heading parts without the units written in them, and the unit nearest the leaf."""
    bare, unit = [], ""
    for p in parts:
        p = vocab.normalize(p)
        m = HEADER_UNIT.search(p)
        if m and cell_unit(m.group(1)):
            unit = cell_unit(m.group(1))
            p = p[: m.start()].strip()
        elif p.endswith("%") and GROWTH_LABEL.search(p):
            unit = "%"
            p = p[:-1]
        elif cell_unit(p):
            unit = cell_unit(p)
            p = ""
        p = re.sub(r"^其中[:：]?", "", p)
        if p:
            bare.append(p)
    return bare, unit


def growth_indicator(key: str) -> str | None:
    """The registry's growth-rate indicator of a level indicator (``gdp`` -> ``gdp_growth``), or None.

    >>> growth_indicator("gdp"), growth_indicator("retail_sales")
    ('gdp_growth', None)
    """
    g = f"{key}_growth"
    return g if g in indicators.registry() else None


def map_heading(parts: list[str]) -> tuple[str | None, str]:
    """(indicator key, '') for heading parts, or (None, why not). A growth heading belongs to the indicator
    of its group and is never guessed; a level word (总量) means the group's indicator; the columns of a
    structure group (三次产业构成) are shares; a group heading that qualifies what is measured (户籍人口 over
    城镇化率, 上年同期 over 地区生产总值) leaves the column unmapped.

    >>> map_heading(["地区生产总值", "比上年增长"]), map_heading(["社会消费品零售总额", "比上年增长"])[0]
    (('gdp_growth', ''), None)
    >>> map_heading(["比上年增长"])
    (None, 'a growth column without an indicator heading above it')
    >>> map_heading(["居民人均可支配收入", "农村"]), map_heading(["地区生产总值", "总量"])
    (('disposable_income_rural', ''), ('gdp', ''))
    >>> map_heading(["三次产业构成", "第一产业"]), map_heading(["户籍人口", "城镇化率"])[0]
    (('share_primary', ''), None)
    """
    parts = [vocab.normalize(p) for p in parts if vocab.normalize(p)]
    if not parts:
        return None, "no heading"
    key, problem = _map_parts(parts)
    if key is None:
        return key, problem
    for g in parts[:-1]:
        own = indicators.key_for(g)
        if any(w in g for w in QUALIFIER_WORDS) and key not in (own, growth_indicator(own or "")):
            return None, f"{g} over {parts[-1]}: not {indicators.get(key).name_zh} as the registry defines it"
    return key, ""


def _map_parts(parts: list[str]) -> tuple[str | None, str]:
    leaf, groups = parts[-1], parts[:-1]
    if is_growth_label(leaf):
        return _growth_of(_group_indicator(groups), groups, NO_GROWTH_GROUP)
    if any(w in g for g in groups for w in STRUCTURE_WORDS):
        return _share_of(leaf, next(g for g in groups if any(w in g for w in STRUCTURE_WORDS)))
    if leaf in LEVEL_WORDS:
        base = _group_indicator(groups)
        return (base, "") if base else (None, f"{leaf} under a heading that is not an indicator")
    if any(is_growth_label(g) for g in groups):  # 比上年增长 over 地区生产总值 | 社会消费品零售总额
        return _growth_of(indicators.key_for(leaf), [leaf], f"{leaf}: growth of an unknown indicator")
    whole = indicators.key_for("".join(parts))
    if whole:
        return whole, ""
    for g in reversed(groups):  # 城镇 under 年末常住人口 (常住人口): 城镇常住人口
        own = indicators.key_for(g)
        for joined in (leaf + g, leaf + indicators.get(own).name_zh if own else ""):
            if joined and indicators.key_for(joined):
                return indicators.key_for(joined), ""
    direct = indicators.key_for(leaf)
    if direct:
        return direct, ""
    if leaf in _SUBSCOPE:
        base = _group_indicator(groups)
        sub = f"{base}{_SUBSCOPE[leaf]}" if base else None
        if sub in indicators.registry():
            return sub, ""
        return None, f"{leaf} of {groups[-1] if groups else '?'}: no such indicator in the registry"
    m = GROWTH_LABEL.search(leaf)
    if m and m.start() > 0:
        base = indicators.key_for(leaf[: m.start()])
        return _growth_of(base, [leaf[: m.start()]], f"{leaf}: growth of an unknown indicator")
    return None, "heading not in the indicator registry"


def _share_of(leaf: str, group: str) -> tuple[str | None, str]:
    """The share indicator of a column under a structure heading (三次产业构成 over 第一产业 -> share_primary)."""
    base = indicators.key_for(leaf)
    names = [leaf] + ([indicators.get(base).name_zh] if base else [])
    for name in names:
        for suffix in ("比重", "占比"):
            key = indicators.key_for(name + suffix)
            if key and indicators.get(key).kind == "share":
                return key, ""
    return None, f"{leaf} under {group}: a share, and the registry has no share indicator for it"


def _group_indicator(groups: list[str]) -> str | None:
    for g in reversed(groups):
        key = indicators.key_for(g)
        if key:
            return key
    return None


def _growth_of(base: str | None, groups: list[str], missing: str) -> tuple[str | None, str]:
    if base is None:
        return None, missing if not groups else f"growth of {groups[-1]}: not an indicator in the registry"
    g = growth_indicator(base)
    if g:
        return g, ""
    return None, f"growth of {indicators.get(base).name_zh} ({base}): the registry has no growth indicator for it"


