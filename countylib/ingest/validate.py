"""Schemas (pandera) and domain checks for the tidy indicator table.

Domain checks split rows into kept and rejected, each rejected row with a reason:

* values out of range for the indicator's kind (negative GDP, a share above 100 %);
* duplicates: the same (adcode, year, indicator) from several sources. Values that agree up to
  the published rounding are kept, the most precise preferred; values that disagree are a
  *conflict*: :func:`check_duplicates` raises :class:`ConflictError` naming both sources, or, in
  ``"report"`` mode (the build), marks both rows and prefers the better source.

>>> import pandas as pd
>>> df = pd.DataFrame({"adcode": ["410181"], "year": [2022], "indicator": ["gdp"], "value": [-1.0]})
>>> kept, rejected = check_ranges(df)
>>> rejected.reason.tolist()
['out of range for 地区生产总值: -1 亿元 (allowed 0 to 50000)']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from countylib.data import indicators

FLAGS = ("exact", "preliminary", "approximate", "lower_bound", "upper_bound", "estimate", "masked", "missing",
         "unit_assumed")
QUALITY_RANK = {"official": 0, "": 1, "secondary": 2, "low": 3}

# Allowed ranges by indicator kind, in canonical units; per-indicator overrides below.
KIND_RANGES = {"level": (0.0, np.inf), "count": (0.0, np.inf), "share": (0.0, 100.0), "rate": (-100.0, 1000.0)}
INDICATOR_RANGES = {
    "gdp": (0.0, 50000.0),
    "gdp_growth": (-50.0, 100.0),
    "gdp_per_capita": (0.0, 2_000_000.0),
    "disposable_income": (0.0, 500_000.0),
    "disposable_income_urban": (0.0, 500_000.0),
    "disposable_income_rural": (0.0, 500_000.0),
    "pop_resident": (0.0, 5000.0),
    "pop_registered": (0.0, 5000.0),
}


class ConflictError(ValueError):
    """The same figure (unit, year, indicator) was published with different values."""


INDICATOR_SCHEMA = pa.DataFrameSchema(
    {
        "adcode": pa.Column(str, pa.Check.str_matches(r"^\d{6}$")),
        "year": pa.Column(int, pa.Check.in_range(1949, 2100)),
        "indicator": pa.Column(str, pa.Check.isin(list(indicators.registry()))),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "value_text": pa.Column(str, nullable=True),
        "flag": pa.Column(str, pa.Check.isin(FLAGS)),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=False,
    coerce=False,
    name="indicators",
)


def schema_check(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate the tidy table with the pandera schema; raise with every failing cell listed."""
    try:
        return INDICATOR_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases[["column", "check", "failure_case", "index"]].head(20)
        raise ValueError(f"indicator table fails its schema:\n{cases.to_string(index=False)}") from None


def allowed_range(indicator: str) -> tuple[float, float]:
    """(min, max) allowed for an indicator in its canonical unit.

    >>> allowed_range("urbanization")
    (0.0, 100.0)
    """
    if indicator in INDICATOR_RANGES:
        return INDICATOR_RANGES[indicator]
    return KIND_RANGES.get(indicators.get(indicator).kind, (-np.inf, np.inf))


def check_ranges(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into (kept, rejected); rejected rows carry a ``reason``."""
    lo = frame.indicator.map(lambda k: allowed_range(k)[0]).astype(float)
    hi = frame.indicator.map(lambda k: allowed_range(k)[1]).astype(float)
    bad = frame.value.notna() & ((frame.value < lo) | (frame.value > hi))
    rejected = frame[bad].copy()
    rejected["reason"] = [
        f"out of range for {indicators.get(k).name_zh}: {v:g} {indicators.get(k).unit} "
        f"(allowed {a:g} to {b:g})"
        for k, v, a, b in zip(rejected.indicator, rejected.value, lo[bad], hi[bad], strict=True)
    ]
    return frame[~bad].copy(), rejected


def _decimals(text: object) -> int:
    s = str(text)
    return len(s.split(".")[1]) if "." in s else 0


def _agree(a, b) -> bool:
    """Two figures agree when they differ by no more than half a unit of the coarser one's last
    published digit (449.4 and 449.43 agree; 854.61 and 845.61 do not)."""
    tol = max(0.5 * 10.0 ** -_decimals(r.value_text) * r.scale for r in (a, b))
    return abs(a.value - b.value) <= tol * (1 + 1e-9)


PARTIAL_SCOPE = ("市级 figure", "市級 figure", "excludes", "scope differs", "市级口径", "不含")


def _partial_scope(note: object) -> bool:
    """A figure whose note says it covers only part of the unit (市级 vs 全市) is never preferred."""
    text = str(note or "")
    return any(k in text for k in PARTIAL_SCOPE)


def check_duplicates(frame: pd.DataFrame, mode: str = "raise") -> pd.DataFrame:
    """Find figures reported more than once for the same (adcode, year, indicator).

    Adds ``preferred`` (the row ``load()`` returns) and ``conflict`` (values that disagree beyond
    rounding). In ``mode="raise"`` a conflict raises :class:`ConflictError` naming both sources.

    >>> df = pd.DataFrame({"adcode": ["410329"] * 2, "year": [2022] * 2, "indicator": ["gdp"] * 2,
    ...     "value": [449.4, 449.43], "value_text": ["449.4", "449.43"], "scale": [1.0, 1.0],
    ...     "source_id": ["a", "b"], "source_row": [2, 3], "source_quality": ["secondary"] * 2})
    >>> check_duplicates(df)[["preferred", "conflict"]].values.tolist()
    [[False, False], [True, False]]
    """
    out = frame.copy()
    out["preferred"] = True
    out["conflict"] = False
    if "note" not in out:
        out["note"] = ""
    if "scale" not in out:
        out["scale"] = 1.0
    key = ["adcode", "year", "indicator"]
    has_value = out.value.notna()
    dup = out[has_value].duplicated(key, keep=False)
    dup_idx = dup[dup].index
    if len(dup_idx) == 0:
        out.loc[~has_value, "preferred"] = ~out[~has_value].duplicated(key, keep="first")
        return out
    quality = out.source_quality.fillna("").map(QUALITY_RANK).fillna(1)
    messages = []
    for _, group in out.loc[dup_idx].groupby(key, sort=True):
        rows = list(group.itertuples())
        conflict = any(
            not _agree(a, b)
            for i, a in enumerate(rows) for b in rows[i + 1:]
        )
        order = sorted(rows, key=lambda r: (_partial_scope(r.note), quality[r.Index], -_decimals(r.value_text),
                                            r.source_id, r.source_row))
        out.loc[group.index, "preferred"] = False
        out.loc[order[0].Index, "preferred"] = True
        if conflict:
            out.loc[group.index, "conflict"] = True
            listing = "; ".join(
                f"{r.value_text} ({r.source_id} row {r.source_row}, {r.source_quality or 'unrated'})" for r in order
            )
            messages.append(f"{group.adcode.iloc[0]} {group.year.iloc[0]} {group.indicator.iloc[0]}: {listing}")
    # A missing value never hides a present one.
    missing_rows = out.index[~has_value]
    present_keys = set(map(tuple, out.loc[has_value, key].values.tolist()))
    for i in missing_rows:
        if tuple(out.loc[i, key]) in present_keys:
            out.loc[i, "preferred"] = False
    if messages and mode == "raise":
        raise ConflictError("conflicting values for the same figure:\n" + "\n".join(messages))
    return out
