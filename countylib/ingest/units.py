"""Numbers and units as published -> values in the indicator's canonical unit, with a flag.

Published figures come as ``"2,693,488"`` with ``万元``, ``"约320"`` with ``亿元``, ``"３８.５"``
with ``億元``, or as masked placeholders (X, *, —, …) in circulated documents. ``parse_values``
handles whole columns at once: plain numbers take a fast path, only the messy rest is cleaned.

Flags come from the marker words of :mod:`countylib.vocab`: ``exact`` (also after verbs such as 达到,
实现), ``approximate`` (约, 左右, 近), ``lower_bound`` (突破, 超过, 逾, 以上), ``upper_bound`` (不足, 不到),
``estimate`` (预计), ``preliminary`` (初步核算); and ``masked`` (X, *), ``missing`` (—, …, empty), ``unit_assumed``
(no unit written; the canonical unit is taken), ``invalid`` (not a number, or a unit that does
not fit the indicator; the reason says which).

>>> parse_value("2693488", "万元", "亿元")
(269.3488, 'exact')
>>> parse_value("约320", "亿元", "亿元")
(320.0, 'approximate')
>>> parse_value("XX", "亿元", "亿元")
(nan, 'masked')
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from countylib import vocab

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "千元": ("money", 1e3),
    "万元": ("money", 1e4),
    "百万元": ("money", 1e6),
    "亿元": ("money", 1e8),
    "万亿元": ("money", 1e12),
    "人": ("people", 1.0),
    "万人": ("people", 1e4),
    "亿人": ("people", 1e8),
    "%": ("ratio", 1.0),
    "‰": ("ratio", 0.1),
    "平方公里": ("area", 1.0),
    "平方千米": ("area", 1.0),
    "km2": ("area", 1.0),
    "km²": ("area", 1.0),
    "公顷": ("area", 0.01),
    "家": ("count", 1.0),
    "个": ("count", 1.0),
    "户": ("count", 1.0),
}

NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
MULTIPLIER = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


class UnitError(ValueError):
    """A unit that is unknown, or does not fit the indicator's canonical unit."""


def normalize_unit(unit: object) -> str:
    """Normalise a unit as written: simplified characters, no pinyin glosses, brackets or spaces.

    >>> normalize_unit("萬(wàn)元"), normalize_unit("億元"), normalize_unit(" 万 人 "), normalize_unit("％")
    ('万元', '亿元', '万人', '%')
    """
    return vocab.clean_unit(unit)


@cache
def factor(unit: str, canonical: str) -> float:
    """Multiplier that converts a value in ``unit`` to ``canonical``.

    >>> factor("万元", "亿元"), factor("人", "万人"), factor("万元", "元")
    (0.0001, 0.0001, 10000.0)
    >>> factor("万人", "亿元")
    Traceback (most recent call last):
    ...
    countylib.ingest.units.UnitError: unit '万人' (people) cannot be converted to '亿元' (money)
    """
    num, den = _scales(unit, canonical)
    return num / den


@cache
def _scales(unit: str, canonical: str) -> tuple[float, float]:
    """(factor of unit, factor of canonical): multiply by the first, then divide by the second,
    which keeps decimal results exact (2693488 万元 -> 269.3488 亿元, not 269.34880000000004)."""
    u, c = normalize_unit(unit), normalize_unit(canonical)
    if u not in UNITS:
        raise UnitError(f"unknown unit {unit!r}; known units: {', '.join(UNITS)}")
    if c not in UNITS:
        raise UnitError(f"unknown canonical unit {canonical!r}")
    (du, fu), (dc, fc) = UNITS[u], UNITS[c]
    if du != dc:
        raise UnitError(f"unit {unit!r} ({du}) cannot be converted to {canonical!r} ({dc})")
    return fu, fc


def parse_value(text: object, unit: object, canonical: str) -> tuple[float, str]:
    """Parse one published figure; see :func:`parse_values` for columns.

    >>> parse_value("１，２３４.５", "万元", "亿元")
    (0.12345, 'exact')
    >>> parse_value("53308", "", "元")
    (53308.0, 'unit_assumed')
    """
    out = parse_values(pd.Series([text]), pd.Series([unit]), canonical)
    return float(out.value.iloc[0]), str(out.flag.iloc[0])


def parse_values(text: pd.Series, unit: pd.Series | str, canonical: pd.Series | str) -> pd.DataFrame:
    """Vectorised parse of published figures into canonical units.

    Returns a frame aligned with ``text``: ``value`` (float, NaN when missing or invalid),
    ``flag``, ``reason`` (empty unless the flag is ``invalid``) and ``scale``, the factor from the
    published unit to the canonical one (NaN when invalid).

    >>> df = parse_values(pd.Series(["1,200", "突破500", "—"]), "万元", "亿元")
    >>> df.value.round(4).tolist(), df.flag.tolist()
    ([0.12, 0.05, nan], ['exact', 'lower_bound', 'missing'])
    """
    text = pd.Series(text).reset_index(drop=True)
    n = len(text)
    units = _broadcast(unit, n)
    canon = _broadcast(canonical, n)

    as_str = text.astype("string")
    value = pd.to_numeric(as_str, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    flag = np.full(n, "exact", dtype=object)
    reason = np.full(n, "", dtype=object)
    multiplier = np.ones(n)

    messy = np.isnan(value)
    if messy.any():
        idx = np.flatnonzero(messy)
        v, f, r, m = _parse_messy(as_str.iloc[idx])
        value[idx], flag[idx], reason[idx], multiplier[idx] = v, f, r, m

    # Units: one lookup per distinct (unit, canonical) pair.
    pairs = pd.DataFrame({"u": units.fillna("").astype(str), "c": canon.astype(str)})
    codes, uniq = pd.factorize(pairs.u + "\x1f" + pairs.c)
    fac = np.empty(len(uniq))
    den = np.ones(len(uniq))
    fac_reason = np.empty(len(uniq), dtype=object)
    assumed = np.zeros(len(uniq), dtype=bool)
    for i, key in enumerate(uniq):
        u, c = key.split("\x1f")
        if normalize_unit(u) == "":
            u, assumed[i] = c, True
        try:
            (fac[i], den[i]), fac_reason[i] = _scales(u, c), ""
        except UnitError as exc:
            fac[i], fac_reason[i] = np.nan, str(exc)
    scale = fac[codes] / den[codes]
    value = value * multiplier * fac[codes] / den[codes]  # multiply, then divide: keeps decimals exact
    bad_unit = np.isnan(fac[codes]) & ~np.isin(flag, ["missing", "masked"])
    flag[bad_unit] = "invalid"
    reason[bad_unit] = fac_reason[codes][bad_unit]
    unit_assumed = assumed[codes] & (flag == "exact")
    flag[unit_assumed] = "unit_assumed"
    value[np.isin(flag, ["missing", "masked", "invalid"])] = np.nan
    scale[flag == "invalid"] = np.nan
    return pd.DataFrame({"value": value, "flag": flag, "reason": reason, "scale": scale})


def _broadcast(x: pd.Series | str | None, n: int) -> pd.Series:
    if isinstance(x, pd.Series):
        return x.reset_index(drop=True)
    return pd.Series([x] * n, dtype=object)


def _parse_messy(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Slow path for the values that are not plain numbers, run on unique texts only."""
    uniq = pd.unique(text.fillna(""))
    parsed = {u: _parse_text(str(u)) for u in uniq}
    rows = [parsed[t] for t in text.fillna("")]
    value = np.array([r[0] for r in rows], dtype=float)
    flag = np.array([r[1] for r in rows], dtype=object)
    reason = np.array([r[2] for r in rows], dtype=object)
    mult = np.array([r[3] for r in rows], dtype=float)
    return value, flag, reason, mult


def _parse_text(raw: str) -> tuple[float, str, str, float]:
    text = vocab.clean_number_text(raw)  # full-width -> ASCII, no spaces, simplified, 1·8 -> 1.8, 22,892 -> 22892
    if vocab.MISSING.match(text):
        return np.nan, "missing", "", 1.0
    if vocab.MASKED.match(text):
        return np.nan, "masked", "", 1.0
    flag = vocab.strongest(vocab.MARKERS[m] for m in vocab.MARKER_PATTERN.findall(text))
    core = vocab.MARKER_PATTERN.sub("", text).replace(",", "").replace("，", "").replace("、", "")
    mult = 1.0
    if core and core[-1] in MULTIPLIER:
        mult, core = MULTIPLIER[core[-1]], core[:-1]
    if NUMBER.match(core):
        return float(core), flag, "", mult
    if re.search(r"\d", core) and re.fullmatch(r"[\dxX*]+(?:\.[\dxX*]*)?", core):
        return np.nan, "masked", "", 1.0  # partly masked digits such as 12XX
    return np.nan, "invalid", f"not a number: {raw!r}", 1.0
