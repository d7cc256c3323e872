"""Building blocks of a one-county report: profile table, ranks, peers, locator map, what is missing.

>>> from countylib import county
>>> prof = county.profile("410181", year=2022)        # doctest: +SKIP
>>> prof[["指标", "数值", "单位", "年份"]].head(1)    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from countylib import caches, escape
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.data.load import load, nearest_year
from countylib.formatting import flag_zh, value_zh


class CountyNotFoundError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def code(adcode: str | int) -> str:
    """An adcode as the 6-digit string countylib uses (papermill's CLI passes 410181 as an int).

    >>> code(410181), code("410181")
    ('410181', '410181')
    """
    return str(adcode).strip().zfill(6)


def info(adcode: str | int) -> pd.Series:
    """Registry row of a county-level unit (old codes accepted)."""
    adcode = code(adcode)
    row = regions.lookup([adcode]).iloc[0]
    if pd.isna(row["name"]) or row.get("level") != "county":
        raise CountyNotFoundError(f"{adcode!r} is not a current county-level adcode; try `countylib regions NAME`")
    return row


def peers(adcode: str, scope: str | list[str] = "prefecture") -> list[str]:
    """Codes to compare with: the prefecture's (or province's) county-level units, or a given list."""
    adcode = code(adcode)
    if isinstance(scope, list):
        return [adcode, *[c for c in scope if c != adcode]]
    me = info(adcode)
    reg = regions.counties(me.province_name)
    if scope == "prefecture":
        reg = reg[reg.prefecture_adcode == me.prefecture_adcode]
    elif scope != "province":
        raise ValueError("peers must be 'prefecture', 'province' or a list of adcodes")
    return reg.adcode.tolist()


def figures(adcode: str, year: int | None = None) -> pd.DataFrame:
    """Every preferred figure for the county, one per indicator: the one for the requested year or, if
    that year has none, the closest year (the later of two equally close); with ``year=None`` the
    latest year with a figure."""
    adcode = code(adcode)
    mine = _unit_figures(adcode)
    if not mine.empty:
        mine = nearest_year(mine, mine.year.max() if year is None else year)
    return mine.reset_index(drop=True)


def _unit_figures(adcode: str) -> pd.DataFrame:
    """The county-level figures of one unit (a copy), from a table split by unit once per version of the
    processed data: a batch asks for a unit's figures several times per report."""
    from countylib.caches import file_key
    from countylib.paths import processed_dir

    parts, empty = _figures_by_unit(file_key(processed_dir() / "indicators.parquet"))
    return parts[adcode].copy() if adcode in parts else empty.copy()


@caches.memo(2)
def _figures_by_unit(_key: tuple[str, float, int]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    data = load(level="county")
    return dict(tuple(data.groupby("adcode", sort=False))), data.iloc[:0]


def profile(adcode: str, year: int | None = None, census: bool = False) -> pd.DataFrame:
    """Table of the county's indicators: value, unit, year, rank in province, source (Chinese headings).

    Figures read from the census tables (2020, 2010) and the changes between them are left to the
    report's census section unless ``census=True``; a collected figure of the same indicator (a
    bulletin's resident population) stays in the table.

    >>> "常住人口变化率（2010—2020年）" in set(profile("410181", 2022)["指标"])
    False
    """
    adcode = code(adcode)
    me = info(adcode)
    mine = figures(adcode, year)
    if not census and not mine.empty:
        from countylib.analysis.census import source_ids

        from_census = mine.source_id.isin([*source_ids(), *source_ids(year=2010)])
        mine = mine[~from_census & ~mine.indicator.isin(list(ind.change_indicators()))]
    if mine.empty:
        return pd.DataFrame(columns=["指标", "数值", "单位", "年份", "省内排名", "百分位", "标记", "来源"])
    province = load(level="county", province=me.province_name)[["indicator", "year", "adcode", "value"]]
    province = province.dropna(subset=["value"])
    groups = dict(list(province.groupby(["indicator", "year"], sort=False)))  # one pass, not one per indicator
    rows = []
    for r in mine.itertuples(index=False):
        same = groups.get((r.indicator, r.year), province.iloc[:0])
        meta = ind.get(r.indicator)
        rank = pct = ""
        if pd.notna(r.value) and len(same) > 1:
            asc = meta.higher_is_better is False
            ranks = same.value.rank(ascending=asc, method="min")
            rank_v = int(ranks[same.adcode == adcode].iloc[0])
            rank = f"{rank_v} / {len(same)}"
            pct = f"{100 * (same.value <= r.value).mean():.0f}%"
        rows.append({
            "指标": meta.name_zh, "数值": value_zh(r.value), "单位": r.unit, "年份": int(r.year), "省内排名": rank,
            "百分位": pct, "标记": flag_zh(r.flag, r.conflict, r.source_quality), "来源": r.url or r.note,
        })
    order = {k: i for i, k in enumerate(ind.registry())}
    out = pd.DataFrame(rows)
    out["_o"] = [order.get(ind.key_for(n) or n, 99) for n in out["指标"]]
    return out.sort_values("_o").drop(columns="_o").reset_index(drop=True)


def missing(adcode: str, year: int | None = None) -> list[str]:
    """Names of registry indicators with no figure for the county (in the requested year or any year)."""
    adcode = code(adcode)
    have = set(figures(adcode, year).dropna(subset=["value"]).indicator)
    return [i.name_zh for k, i in ind.registry().items() if k not in have]


#: Indicators every unit has from its boundaries, not from a statistical source.
GEOGRAPHIC = ("area",)
#: What countylib collects economic figures for (the one line said where a unit has none).
ECONOMIC_COVERAGE = "countylib 目前收录河南省各县（市、区）和百强县榜单上各县的统计公报、政府网站数字"


def economic_gaps(adcode: str, year: int | None = None) -> list[str]:
    """Names of the economic indicators (not from the census, not the area) without a figure for the unit.

    >>> "地区生产总值" in economic_gaps("510121", 2022), "地区生产总值" in economic_gaps("410181", 2022)
    (True, False)
    """
    have = set(figures(code(adcode), year).dropna(subset=["value"]).indicator)
    return [ind.get(k).name_zh for k in economic_indicators() if k not in have]


def economic_indicators() -> list[str]:
    """Keys of the economic indicators: neither from a census (nor a change between censuses) nor the area.

    >>> "gdp" in economic_indicators(), "urbanization" in economic_indicators(), "area" in economic_indicators()
    (True, False, False)
    """
    census = set(ind.census_indicators(2020)) | set(ind.census_indicators(2010)) | set(ind.change_indicators())
    return [k for k in ind.registry() if k not in census and k not in GEOGRAPHIC]


def economy_note(adcode: str, year: int | None = None) -> str:
    """One line naming the economic figures that no source countylib reads gives for the unit (empty when
    it has them all).

    >>> economy_note("510121", 2022)[:19]
    '未收录金堂县的经济指标：地区生产总值、'
    """
    adcode = code(adcode)
    gaps = economic_gaps(adcode, year)
    if not gaps:
        return ""
    me = info(adcode)
    if len(gaps) == len(economic_indicators()):
        return f"未收录{me['name']}的经济指标：{'、'.join(gaps)}（{ECONOMIC_COVERAGE}）。"
    return f"未收录的经济指标：{'、'.join(gaps)}。"


def has_figure(table: pd.DataFrame) -> bool:
    """Whether a comparison has something to compare: the unit's own value and at least one other.

    >>> t = pd.DataFrame({"数值": [1.0, float("nan")], "本县": [True, False]})
    >>> has_figure(t), has_figure(t.assign(数值=[1.0, 2.0]))
    (False, True)
    """
    have = table.dropna(subset=["数值"])
    return bool(have["本县"].any()) and len(have) >= 2


def comparison_note(adcode: str, table: pd.DataFrame) -> str:
    """What a profile says instead of a comparison with nothing to compare (see :func:`has_figure`).

    >>> t = pd.DataFrame({"数值": [float("nan")], "本县": [True]})
    >>> t.attrs["scope"] = "x"
    >>> comparison_note("510121", t)[:15]
    '金堂县没有可比较的地区生产总值'
    """
    from countylib.analysis.census import has_census

    me = info(code(adcode))
    others = int(table.loc[~table["本县"], "数值"].notna().sum()) if len(table) else 0
    have = f"同一范围内 {others} 个单位有数字" if others else "同一范围内也没有单位有数字"
    then = ("；下文人口普查一节把本县与所在地级市、全省对照（各指标的市、省数值和排名）"
            if has_census(code(adcode)) else "")
    return f"{me['name']}没有可比较的地区生产总值数字（{have}）{then}。"


@caches.memo(1)
def sibling_groups() -> Mapping[str, tuple[str, ...]]:
    """Each county-level unit -> the other units of its prefecture; for a unit that is its own prefecture
    (省直辖: 济源, 仙桃, 神农架林区; 不设区的地级市: 东莞) the other such units of its province.

    >>> sibling_groups()["429004"]
    ('429005', '429006', '429021')
    >>> len(sibling_groups()["410181"])
    11
    """
    reg = regions.by_adcode()
    county_rows = reg[reg.level == "county"]
    own = county_rows.prefecture_adcode == county_rows.index
    group = county_rows.prefecture_adcode.where(~own, "direct-" + county_rows.province_adcode)
    members = group.groupby(group).groups
    return MappingProxyType({code: tuple(sorted(c for c in members[g] if c != code)) for code, g in group.items()})


def related(adcode: str) -> dict[str, list[tuple[str, str]]]:
    """The units a profile links to, as (adcode, name): the other county-level units of its prefecture
    (:func:`sibling_groups`) and the units it shares a border with (any province).

    >>> [n for _, n in related("410181")["neighbours"]][:3]
    ['上街区', '荥阳市', '新密市']
    """
    from countylib.data.geo import neighbours

    adcode = code(adcode)
    info(adcode)
    reg = regions.by_adcode()
    near = [c for c in neighbours().get(adcode, ()) if c in reg.index]
    return {"prefecture": [(c, str(reg.loc[c, "name"])) for c in sibling_groups().get(adcode, ())],
            "neighbours": [(c, str(reg.loc[c, "name"])) for c in near]}


def comparison(adcode: str, indicator: str = "gdp", year: int | None = None,
               scope: str | list[str] = "prefecture") -> pd.DataFrame:
    """The indicator for the county and its peers in one year, sorted, missing values kept as NaN at
    the end (shown as 无数据).

    ``year=None`` takes the latest year in which the county or any peer has a figure, so every row
    comes from the same year; the year used is in the ``年份`` column and ``.attrs["year"]``.
    """
    adcode = code(adcode)
    codes = peers(adcode, scope)
    data = load(indicator, year=year, level="county")
    data = data[data.adcode.isin(codes)].dropna(subset=["value"])
    used = year if year is not None else (int(data.year.max()) if not data.empty else None)
    data = data[data.year == used]
    names = regions.lookup(codes).set_index("adcode")
    out = pd.DataFrame({"adcode": codes})
    out["名称"] = out.adcode.map(names["name"])
    out["类型"] = out.adcode.map(names["kind"])
    out["数值"] = out.adcode.map(data.drop_duplicates("adcode").set_index("adcode").value)
    out["年份"] = pd.array([used] * len(out), dtype="Int64")
    out["本县"] = out.adcode == adcode
    out = out.sort_values("数值", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    out.attrs["year"] = used
    out.attrs["scope"] = _scope_text(adcode, scope, len(codes))
    return out


def _scope_text(adcode: str, scope: str | list[str], n: int) -> str:
    if isinstance(scope, list):
        return f"所选的 {n} 个县级单位"
    me = info(adcode)
    where = me.prefecture_name if scope == "prefecture" else me.province_name
    return f"{where}的全部 {n} 个县级单位（县、县级市、市辖区）"


def comparison_caption(table: pd.DataFrame) -> str:
    """One line saying what a comparison covers: which units, which year, how many have a figure.

    >>> t = pd.DataFrame({"数值": [1.0, float("nan")]})
    >>> t.attrs.update(scope="郑州市的全部 2 个县级单位（县、县级市、市辖区）", year=2022)
    >>> comparison_caption(t)
    '比较范围：郑州市的全部 2 个县级单位（县、县级市、市辖区）；2022年，1 个有数据。'
    """
    year = table.attrs.get("year")
    n = int(table["数值"].notna().sum())
    return (f"比较范围：{table.attrs.get('scope', f'{len(table)} 个县级单位')}；"
            + (f"{year}年，" if year else "") + f"{n} 个有数据。")


def comparison_table(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """A comparison table as a report shows it: the value column headed by the indicator and its unit
    (numbers stay numbers: ``tables.styled`` formats them and shows 无数据), the county marked （本县）.

    >>> t = pd.DataFrame({"adcode": ["410181", "410185"], "名称": ["巩义市", "登封市"], "类型": ["县级市"] * 2,
    ...                   "数值": [962.58, float("nan")], "年份": [2022, 2022], "本县": [True, False]})
    >>> comparison_table(t, "gdp").values.tolist()
    [['410181', '巩义市（本县）', '县级市', 962.58, 2022], ['410185', '登封市', '县级市', nan, 2022]]
    >>> list(comparison_table(t, "gdp").columns)
    ['代码', '名称', '类型', '地区生产总值（亿元）', '年份']
    """
    out = table.drop(columns=["本县"]).rename(columns={"adcode": "代码"})
    out["名称"] = [f"{n}（本县）" if me else n for n, me in zip(out["名称"], table["本县"], strict=True)]
    return out.rename(columns={"数值": ind.get(indicator).label})


def header_md(adcode: str, year: int | None = None) -> str:
    """Markdown header: name, code, kind, prefecture, province, data years and how many sources
    (every name escaped, so it shows as written)."""
    adcode = code(adcode)
    me = info(adcode)
    figs = figures(adcode, year)
    years = sorted(set(figs.year)) if not figs.empty else []
    n_src = figs.url.replace("", pd.NA).dropna().nunique() if not figs.empty else 0
    kind = "县域（县/县级市）" if me.county_economy else "市辖区"
    md = escape.markdown  # names are data: shown as written, never as markup
    lines = [
        f"# {md(me['name'])}（{md(me.adcode)}）{'县域经济概况' if me.county_economy else '经济概况'}",
        "",
        f"**{md(me.province_name)} · {md(me.prefecture_name)} · {md(me.kind)}**（{kind}）",
        "",
        f"报告年份：{year or '最新'}　·　数据年份：{'、'.join(map(str, years)) or '无'}　·　"
        f"指标数：{len(figs)}　·　来源页面：{n_src} 个",
    ]
    if figs.empty:
        lines += ["", "> 本县暂无任何已收录的指标数据，原因见下文各节。"]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# 人口与社会（2020年第七次全国人口普查）: every county has it, because the census covers every county.
# --------------------------------------------------------------------------------------------------


def census_summary_md(adcode: str) -> str:
    """Two or three sentences written from the county's 2020 census figures, compared with its province."""
    from countylib.analysis import census

    return escape.markdown("".join(census.report_sentences(code(adcode))))  # plain sentences: shown as written


def census_table(adcode: str) -> pd.DataFrame:
    """The county's census indicators with the province's value and its ranks in province and prefecture."""
    from countylib.analysis import census

    return census.report_table(code(adcode))
