"""Schemas (pandera) and domain checks for the tidy indicator table.

Domain checks split rows into kept and rejected, each rejected row with a reason:

* :func:`check_ranges`: values out of range for the indicator at the row's level (negative GDP, a share
  above 100 %, a county GDP larger than any county's; a province's GDP is judged as a province's);
* :func:`check_plausibility`: a value 1,000 times off the median of its indicator among units of its level
  ("likely 万元 read as 亿元");
* :func:`check_duplicates`: the same (adcode, year, indicator) from several sources. Exactly one row is
  preferred (see :data:`PREFERENCE`); values that disagree beyond rounding are a *conflict*, marked on
  both rows (or raised with :class:`ConflictError` naming both files and rows);
* :func:`cross_checks`: warnings, not rejections: sectors that do not add up to GDP (±1.5 %, same source
  and year) and budget revenue above GDP, each with both figures and their sources.

>>> import pandas as pd
>>> df = pd.DataFrame({"adcode": ["410181"], "year": [2022], "indicator": ["gdp"], "value": [-1.0],
...                    "level": ["county"]})
>>> kept, rejected = check_ranges(df)
>>> rejected.reason.tolist()
['out of range for 地区生产总值 of a county: -1 亿元 (allowed 0 to 30000)']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa

from countylib.data import indicators
from countylib.ingest import units

FLAGS = ("exact", "preliminary", "approximate", "lower_bound", "upper_bound", "estimate", "masked", "missing",
         "unit_assumed")
#: Rank of each flag when figures compete (lower is better): a final figure beats a preliminary one (初步核算),
#: which beats an estimate (预计), an approximation (约) and a bound (突破, 不足).
FLAG_RANK = {"exact": 0, "preliminary": 1, "estimate": 2, "unit_assumed": 3, "approximate": 3, "upper_bound": 4,
             "lower_bound": 4, "masked": 9, "missing": 9}
QUALITY_RANK = {"official": 0, "": 1, "secondary": 2, "computed": 3, "low": 4}
#: The order in which duplicates are ranked; the first row is the one ``load()`` returns.
PREFERENCE = (
    "a figure whose note marks a partial scope (市级 vs 全市) is never preferred; then the flag "
    "(final > preliminary 初步核算 > estimate 预计 > approximate 约 > bound 突破/不足); then the source "
    "(official > unrated > secondary > computed > low); then the finer published resolution in the canonical "
    "unit (9625812 万元, to 0.0001 亿元, over 962.6 亿元, to 0.1 亿元; a sum is as coarse as its coarsest part); "
    "ties: a figure with a "
    "page URL over one without, then the smaller value, then the value text and URL in character order "
    "(never the file name or row order)"
)

# Allowed ranges are the registry's (``range`` in indicators.yaml), by the level of the row.
# By indicator kind when the registry states no range.
KIND_RANGES = {"level": (0.0, np.inf), "count": (0.0, np.inf), "share": (0.0, 100.0), "rate": (-100.0, 1000.0)}
#: How far from the median of its indicator (among units of its level) a value may be before it is rejected.
PLAUSIBLE_FACTOR = 1000.0
#: Fewest values of an indicator at a level for the median to be trusted.
PLAUSIBLE_MIN_N = 3
SECTOR_TOLERANCE = 0.015


class ConflictError(ValueError):
    """The same figure (unit, year, indicator) was published with different values."""


def _one_preferred(frame: pd.DataFrame) -> bool:
    """Exactly one preferred row for every (adcode, year, indicator)."""
    if frame.empty:
        return True
    counts = frame.groupby(["adcode", "year", "indicator"], sort=False)["preferred"].sum()
    return bool((counts == 1).all())


INDICATOR_SCHEMA = pa.DataFrameSchema(
    {
        "adcode": pa.Column(str, pa.Check.str_matches(r"^\d{6}$")),
        "level": pa.Column(str, pa.Check.isin(["county", "prefecture", "province"])),
        "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
        "indicator": pa.Column(str, pa.Check.isin(list(indicators.registry()))),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "value_text": pa.Column(str, nullable=True),
        "flag": pa.Column(str, pa.Check.isin(FLAGS)),
        "preferred": pa.Column(bool),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    checks=[
        pa.Check(_one_preferred, name="one_preferred_per_unit_year_indicator",
                 error="every (adcode, year, indicator) must have exactly one preferred row"),
        pa.Check(lambda df: ~(df.flag.isin(["unit_assumed"]) & df.indicator.map(_needs_unit).astype(bool)),
                 name="no_assumed_unit_for_money_or_population",
                 error="a money or population figure may not have an assumed unit"),
    ],
    strict=False,
    coerce=False,
    name="indicators",
)


def _needs_unit(key: str) -> bool:
    return indicators.get(key).dimension in units.UNIT_REQUIRED


def schema_check(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate the tidy table with the pandera schema; raise with every failing cell listed."""
    try:
        return INDICATOR_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases[["column", "check", "failure_case", "index"]].head(20)
        raise ValueError(f"indicator table fails its schema:\n{cases.to_string(index=False)}") from None


def allowed_range(indicator: str, level: str = "county") -> tuple[float, float]:
    """(min, max) allowed for an indicator at a level, in its canonical unit.

    >>> allowed_range("urbanization"), allowed_range("gdp", "province")
    ((0.0, 100.0), (0.0, 200000.0))
    """
    meta = indicators.get(indicator)
    return meta.allowed(level) or KIND_RANGES.get(meta.kind, (-np.inf, np.inf))


def check_ranges(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into (kept, rejected); rejected rows carry a ``reason``. Ranges depend on the row's
    ``level`` (county when the frame has none)."""
    level = frame["level"] if "level" in frame else pd.Series("county", index=frame.index)
    pairs = list(zip(frame.indicator, level, strict=True))
    bounds = {p: allowed_range(*p) for p in set(pairs)}
    lo = pd.Series([bounds[p][0] for p in pairs], index=frame.index, dtype=float)
    hi = pd.Series([bounds[p][1] for p in pairs], index=frame.index, dtype=float)
    bad = frame.value.notna() & ((frame.value < lo) | (frame.value > hi))
    rejected = frame[bad].copy()
    printed = rejected["unit_published"] if "unit_published" in rejected else pd.Series("", index=rejected.index)
    rejected["reason"] = [
        f"out of range for {indicators.get(k).name_zh} of a {lv}: {v:g} {indicators.get(k).unit} "
        f"(allowed {a:g} to {b:g})" + _range_guess(k, lv, v, u)
        for k, lv, v, a, b, u in zip(rejected.indicator, level[bad], rejected.value, lo[bad], hi[bad], printed,
                                     strict=True)
    ]
    return frame[~bad].copy(), rejected


def _range_guess(key: str, level: str, value: float, printed: object) -> str:
    """': likely 万元 read as 亿元' when an out-of-range value is a power of ten (at least
    :data:`PLAUSIBLE_FACTOR`) off the registry's typical value; '' otherwise."""
    meta = indicators.get(key)
    typical = meta.typical_value(level)
    if not typical or not value > 0 or 1 / PLAUSIBLE_FACTOR < value / typical < PLAUSIBLE_FACTOR:
        return ""
    guess = _unit_guess(_read_as(meta, printed), round(math.log10(value / typical)))
    return f": likely {guess}" if guess else ""


def _read_as(meta, printed: object) -> str:
    """The unit a figure was read in: the published one when it is of the canonical unit's dimension."""
    unit = units.normalize_unit(printed)
    return unit if unit in units.UNITS and units.dimension(unit) == units.dimension(meta.unit) else meta.unit


def check_plausibility(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reject values of level indicators (money, people, area, counts) that are at least
    :data:`PLAUSIBLE_FACTOR` times above or below the typical value of the same indicator among units of the
    same level (all years). Run it on figures already within their range (:func:`check_ranges`).

    The typical value comes from the sources, anchored by the registry (``typical`` in indicators.yaml):
    a source votes with the median of its figures only when that median lies within :data:`VOTE_FACTOR`
    of the registry's typical value, and the reference is the median of the voting sources' medians (one
    vote per source, at least :data:`PLAUSIBLE_MIN_N` figures among them); without such votes it is the
    registry's typical value. So wrong rows can never make right rows look wrong: a table printed in the
    wrong unit, or several, has no vote, and one wrong row in a table cannot move its median far. An
    indicator without a typical value in the registry falls back to the median of all sources' medians.
    Published figures only: rows whose ``source_quality`` is ``computed`` count towards the reference but
    are never rejected (Macau's parishes are rightly 1/1,000 of a median county's area).

    >>> df = pd.DataFrame({"adcode": list("abcd"), "year": 2022, "indicator": "gdp", "level": "county",
    ...                    "value": [300.0, 420.0, 3_500_000.0, 250.0]})
    >>> check_plausibility(df)[1].reason.tolist()
    ['3.5e+06 亿元 is 10,000 times the median 360 亿元 of 4 county figures of 地区生产总值: likely 万元 read as 亿元']
    >>> df = pd.DataFrame({"adcode": list("abcdefg"), "year": 2022, "indicator": "gdp", "level": "county",
    ...                    "source_id": ["pp"] * 4 + ["ok"] * 3,
    ...                    "value": [0.0011, 0.0009, 0.0012, 0.001, 300.0, 420.0, 250.0]})
    >>> kept, rejected = check_plausibility(df)
    >>> kept.source_id.unique().tolist(), rejected.reason.iloc[0]
    (['ok'], '0.0011 亿元 is 1/100,000 of the median 300 亿元 of 3 county figures of 地区生产总值 (sources whose median is within 100 times the typical 300 亿元): likely a unit error')
    """
    kinds = frame.indicator.map(lambda k: indicators.get(k).kind)
    level = frame["level"] if "level" in frame else pd.Series("county", index=frame.index)
    source = frame["source_id"] if "source_id" in frame else pd.Series("", index=frame.index)
    use = frame.value.notna() & (frame.value > 0) & kinds.isin(["level", "count"])
    ratio = pd.Series(np.nan, index=frame.index)
    basis = pd.Series("", index=frame.index, dtype=object)
    for (key, lv), idx in frame[use].groupby([frame.indicator[use], level[use]]).groups.items():
        vals = frame.loc[idx, "value"]
        ref, why = _reference(indicators.get(key), lv, vals, source[idx])
        if ref is None:
            continue
        ratio[idx] = vals / ref
        basis[idx] = why
    # Figures computed here (area from polygons) count towards the median but cannot be misprinted.
    computed = frame["source_quality"].eq("computed") if "source_quality" in frame else False
    bad = ratio.notna() & ((ratio >= PLAUSIBLE_FACTOR) | (ratio <= 1 / PLAUSIBLE_FACTOR)) & ~computed
    rejected = frame[bad].copy()
    printed = rejected["unit_published"] if "unit_published" in rejected else pd.Series("", index=rejected.index)
    rejected["reason"] = [
        _implausible(k, v, r, why, u) for k, v, r, why, u in zip(
            rejected.indicator, rejected.value, ratio[bad], basis[bad], printed, strict=True)
    ]
    return frame[~bad].copy(), rejected


#: A source votes for the typical value only when the median of its figures is within this factor of the
#: registry's typical value; a whole table printed in the wrong unit is then never the norm.
VOTE_FACTOR = 100.0


def _reference(meta, level: str, values: pd.Series, source: pd.Series) -> tuple[float | None, str]:
    """(reference value, how it was found) for the figures of one indicator at one level."""
    typical = meta.typical_value(level)
    per_source = values.groupby(source).median()
    counts = values.groupby(source).size()
    if typical is not None:
        near = (per_source / typical).between(1 / VOTE_FACTOR, VOTE_FACTOR, inclusive="neither")
        per_source, counts = per_source[near], counts[near]
    n = int(counts.sum())
    if n < PLAUSIBLE_MIN_N:
        if typical is None:
            return None, ""
        return typical, f"the typical {typical:g} {meta.unit} of a {level}'s {meta.name_zh} (indicator registry)"
    logs = np.log(per_source.to_numpy())
    ref = float(np.exp(np.median(logs))) if len(per_source) > 1 else float(values[source.isin(per_source.index)].median())
    among = f" from {len(per_source)} sources (median of each source's median)" if len(per_source) > 1 else ""
    gate = (f" (sources whose median is within {VOTE_FACTOR:,.0f} times the typical {typical:g} {meta.unit})"
            if typical is not None and len(per_source) < values.groupby(source).ngroups else "")
    return ref, f"the median {ref:g} {meta.unit} of {n} {level} figures of {meta.name_zh}{among}{gate}"


def _implausible(key: str, value: float, ratio: float, basis: str, printed: object = "") -> str:
    meta = indicators.get(key)
    power = round(math.log10(ratio))
    times = f"{10 ** abs(power):,} times" if power > 0 else f"1/{10 ** abs(power):,} of"
    guess = _unit_guess(_read_as(meta, printed), power)
    return f"{value:g} {meta.unit} is {times} {basis}" + (f": likely {guess}" if guess else ": likely a unit error")


def _unit_guess(canonical: str, power: int) -> str:
    """'万元 read as 亿元' for a value 10^4 too large in 亿元 (or 10^-4 too small in 元: '万元 read as 元');
    '' when no unit of that size exists."""
    dim, exp = units.dimension(canonical), units.exponent(canonical)
    for name, (d, f) in units.UNITS.items():
        if d == dim and round(math.log10(f)) == exp - power and "/" not in name:
            return f"{name} read as {canonical}"
    return ""


def _resolution(row) -> float:
    """The published resolution of a figure in the canonical unit (:func:`countylib.ingest.units.resolution`);
    infinite when it cannot be told, so such a figure is never the more precise one."""
    scale = getattr(row, "scale", 1.0)
    r = units.resolution(row.value_text, 1.0 if scale != scale else float(scale))
    return math.inf if r != r else r


def _agree(a, b) -> bool:
    """Two figures agree when they differ by no more than half a unit of the coarser one's last
    published digit, in the canonical unit (449.4 and 449.43 agree; 854.61 and 845.61 do not; 962.6 亿元 and
    9625812 万元 agree).

    >>> from types import SimpleNamespace as F
    >>> _agree(F(value=962.6, value_text="962.6", scale=1.0), F(value=962.5812, value_text="9625812", scale=1e-4))
    True
    """
    tol = max(0.5 * _resolution(r) for r in (a, b))
    return abs(a.value - b.value) <= tol * (1 + 1e-9)


PARTIAL_SCOPE = ("市级 figure", "市級 figure", "excludes", "scope differs", "市级口径", "不含")
#: Words saying a figure covers the whole unit; they win over a partial-scope word in the same note (a note
#: on a 全市 figure may mention the 市级 one beside it).
FULL_SCOPE = ("全市 figure", "全縣 figure", "全县 figure", "whole-city figure", "whole-county figure", "全域口径",
              "全市口径", "whole territory")


def _partial_scope(note: object) -> bool:
    """A figure whose note says it covers only part of the unit (市级 vs 全市) is never preferred; a note
    that calls the figure the whole unit's is full scope whatever else it mentions.

    >>> _partial_scope("市級 figure, differs from 全市 2521.58"), _partial_scope("全市 figure (also a 市級 figure)")
    (True, False)
    """
    text = str(note or "")
    if any(k in text for k in FULL_SCOPE):
        return False
    return any(k in text for k in PARTIAL_SCOPE)


def preference_key(row) -> tuple:
    """Sort key of a figure among duplicates (see :data:`PREFERENCE`); the smallest key is preferred."""
    quality = QUALITY_RANK.get(str(getattr(row, "source_quality", "") or ""), 1)
    value = row.value if row.value == row.value else math.inf
    return (_partial_scope(getattr(row, "note", "")), FLAG_RANK.get(row.flag, 5), quality,
            _resolution(row), not bool(getattr(row, "url", "")), value, str(row.value_text),
            str(getattr(row, "url", "")), str(row.source_id), int(row.source_row))


def check_duplicates(frame: pd.DataFrame, mode: str = "raise") -> pd.DataFrame:
    """Find figures reported more than once for the same (adcode, year, indicator).

    Adds ``preferred`` (exactly one row per key: the one ``load()`` returns) and ``conflict`` (values that
    disagree beyond rounding). In ``mode="raise"`` a conflict raises :class:`ConflictError` naming both
    files and rows.

    >>> df = pd.DataFrame({"adcode": ["410329"] * 2, "year": [2022] * 2, "indicator": ["gdp"] * 2,
    ...     "value": [449.4, 449.43], "value_text": ["449.4", "449.43"], "scale": [1.0, 1.0], "flag": "exact",
    ...     "source_id": ["a", "b"], "source_row": [2, 3], "source_quality": ["secondary"] * 2})
    >>> check_duplicates(df)[["preferred", "conflict"]].values.tolist()
    [[False, False], [True, False]]
    """
    out = frame.copy()
    for col, default in (("note", ""), ("scale", 1.0), ("flag", "exact"), ("url", ""), ("source_quality", "")):
        if col not in out:
            out[col] = default
    out["preferred"] = False
    out["conflict"] = False
    out["conflict_with"] = ""
    key = ["adcode", "year", "indicator"]
    if out.empty:
        return out
    sizes = out.groupby(key, sort=False).value.transform("size")
    single = sizes == 1
    out.loc[single, "preferred"] = True
    messages = []
    for _, group in out[~single].groupby(key, sort=True):
        rows = list(group.itertuples())
        present = [r for r in rows if r.value == r.value]
        pool = present or rows
        order = sorted(pool, key=preference_key)
        out.loc[order[0].Index, "preferred"] = True
        conflict = any(not _agree(a, b) for i, a in enumerate(present) for b in present[i + 1:])
        if conflict:
            out.loc[[r.Index for r in present], "conflict"] = True
            for r in present:
                others = [o for o in order if o.Index != r.Index]
                out.loc[r.Index, "conflict_with"] = "; ".join(f"{o.value_text} ({o.source_id} row {o.source_row})"
                                                              for o in others)
            listing = "; ".join(
                f"{r.value_text} ({r.source_id} row {r.source_row}, {r.source_quality or 'unrated'}, {r.flag})"
                for r in order
            )
            messages.append(f"{group.adcode.iloc[0]} {group.year.iloc[0]} {group.indicator.iloc[0]}: {listing}")
    if messages and mode == "raise":
        raise ConflictError("conflicting values for the same figure:\n" + "\n".join(messages))
    return out


SECTORS = ("va_primary", "va_secondary", "va_tertiary")


def cross_checks(frame: pd.DataFrame) -> pd.DataFrame:
    """Warnings across indicators, with both figures and their sources:

    * the three sectors' value added does not add up to GDP within ±1.5 % (same unit, source and year);
    * general budget revenue above GDP (same unit and year, preferred figures).

    >>> df = pd.DataFrame({"adcode": "410181", "name": "巩义市", "year": 2022, "source_id": "a.csv",
    ...     "source_row": [2, 3, 4, 5], "indicator": ["gdp", "va_primary", "va_secondary", "va_tertiary"],
    ...     "value": [100.0, 10.0, 40.0, 40.0], "preferred": True})
    >>> cross_checks(df).check.tolist()
    ['sectors do not add up to GDP']
    """
    cols = ["check", "adcode", "name", "year", "figures", "sources", "difference"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    out = []
    have = frame[frame.value.notna()]
    wide_keys = ["adcode", "year", "source_id"]
    part = have[have.indicator.isin(("gdp", *SECTORS))]
    for (code, year, src), g in part.groupby(wide_keys, sort=True):
        vals = g.drop_duplicates("indicator").set_index("indicator")
        if "gdp" not in vals.index or not set(SECTORS) <= set(vals.index):
            continue
        gdp, total = float(vals.loc["gdp", "value"]), float(vals.loc[list(SECTORS), "value"].sum())
        if gdp > 0 and abs(total - gdp) / gdp > SECTOR_TOLERANCE:
            out.append({"check": "sectors do not add up to GDP", "adcode": code, "name": g["name"].iloc[0],
                        "year": int(year),
                        "figures": f"GDP {gdp:g}; 第一+第二+第三产业 {total:g} (" + " + ".join(
                            f"{vals.loc[s, 'value']:g}" for s in SECTORS) + ") 亿元",
                        "sources": ", ".join(f"{src} row {int(vals.loc[k, 'source_row'])}" for k in ("gdp", *SECTORS)),
                        "difference": f"{100 * (total - gdp) / gdp:+.1f}%"})
    pref = have[have.preferred]
    gdp = pref[pref.indicator == "gdp"].set_index(["adcode", "year"])
    rev = pref[pref.indicator == "fiscal_revenue"].set_index(["adcode", "year"])
    for k in sorted(set(gdp.index) & set(rev.index)):
        g, r = gdp.loc[k], rev.loc[k]
        if float(r.value) > float(g.value):
            out.append({"check": "budget revenue above GDP", "adcode": k[0], "name": g["name"], "year": int(k[1]),
                        "figures": f"一般公共预算收入 {r.value:g} 亿元 > GDP {g.value:g} 亿元",
                        "sources": f"{r.source_id} row {int(r.source_row)}; {g.source_id} row {int(g.source_row)}",
                        "difference": f"{100 * (r.value - g.value) / g.value:+.1f}%"})
    return pd.DataFrame(out, columns=cols)
