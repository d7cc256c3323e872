"""Numbers and units as published -> values in the indicator's canonical unit, with a flag.

Published figures come as ``"2,693,488"`` with ``万元``, ``"约320"`` with ``亿元``, ``"３８.５"``
with ``億元``, ``"3.2亿"`` in a column headed 亿元, or as masked placeholders (X, *, —, …).
``parse_values`` handles whole columns at once: plain numbers take a fast path, only the messy rest is
cleaned.

Conversions are exact in decimal: the printed digits are read as an integer and a count of decimals,
and every unit is a power of ten, so ``123.45`` 万元 becomes exactly the double nearest to 0.012345 亿元
(one correctly rounded multiplication or division; never ``0.012345000000000001``).

Units as written are read against the indicator: a bare multiplier (``亿``, ``萬``) means 亿元 for money
and 万人 for people; a currency sign (``¥``) means 元. A multiplier inside the value combines with a
column unit that has none (``5万`` in a 元 column is 50000 元), restates one that has the same
(``3.2亿`` in an 亿元 column is 3.2 亿元), and is rejected when the two disagree (``3.2万`` in 亿元).

Flags come from the marker words of :mod:`countylib.vocab`: ``exact`` (also after verbs such as 达到,
实现), ``approximate`` (约, 左右, 近), ``lower_bound`` (突破, 超过, 逾, 以上), ``upper_bound`` (不足, 不到),
``estimate`` (预计), ``preliminary`` (初步核算); and ``masked`` (X, *), ``missing`` (—, …, -, empty),
``unit_assumed`` (no unit written for a rate, share, count or area: the canonical unit is taken; money and
population figures without a unit are ``invalid`` instead), ``invalid`` (not a number, ``inf``/``nan``, or
a unit that does not fit the indicator; the reason says which).

>>> parse_value("2693488", "万元", "亿元")
(269.3488, 'exact')
>>> parse_value("约320", "亿元", "亿元")
(320.0, 'approximate')
>>> parse_value("XX", "亿元", "亿元")
(nan, 'masked')
>>> parse_value("3.2亿", "亿元", "亿元"), parse_value("5万", "元", "元"), parse_value("201.18", "亿", "亿元")
((3.2, 'exact'), (50000.0, 'exact'), (201.18, 'exact'))
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from countylib import caches, vocab

# unit -> (dimension, factor to the dimension's base unit); every factor is a power of ten.
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "千元": ("money", 1e3),
    "万元": ("money", 1e4),
    "十万元": ("money", 1e5),
    "百万元": ("money", 1e6),
    "千万元": ("money", 1e7),
    "亿元": ("money", 1e8),
    "万亿元": ("money", 1e12),
    "元/人": ("money", 1.0),
    "万元/人": ("money", 1e4),
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
    "万公顷": ("area", 100.0),
    "平方米": ("area", 1e-6),
    "家": ("count", 1.0),
    "个": ("count", 1.0),
    "户": ("count", 1.0),
}
#: Base unit of each dimension that a bare multiplier (亿, 萬) or a currency sign (¥) is read against.
BASE_UNIT = {"money": "元", "people": "人"}
#: Dimensions whose figures must state their unit: a number without one is rejected, never assumed.
UNIT_REQUIRED = ("money", "people")

NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_LEADING_NUMBER = re.compile(r"^(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?P<rest>.*)$")
_NOT_FINITE = re.compile(r"^[+-]?(?:inf|infinity|nan)$", re.IGNORECASE)
_MAX_EXACT_DIGITS = 15  # an integer of 15 digits is exact in a double; longer mantissas go through Decimal


class UnitError(ValueError):
    """A unit that is unknown, or does not fit the indicator's canonical unit."""


def normalize_unit(unit: object) -> str:
    """Normalise a unit as written: simplified characters, no pinyin glosses, brackets or spaces.

    >>> normalize_unit("萬(wàn)元"), normalize_unit("億元"), normalize_unit(" 万 人 "), normalize_unit("％")
    ('万元', '亿元', '万人', '%')
    """
    return vocab.clean_unit(unit)


def dimension(unit: str) -> str | None:
    """The dimension of a unit (money, people, ratio, area, count), or None if unknown.

    >>> dimension("萬元"), dimension("%"), dimension("斤")
    ('money', 'ratio', None)
    """
    u = normalize_unit(unit)
    return UNITS[u][0] if u in UNITS else None


def exponent(unit: str) -> int:
    """Power of ten from ``unit`` to its dimension's base unit.

    >>> exponent("亿元"), exponent("人"), exponent("公顷")
    (8, 0, -2)
    """
    return round(math.log10(UNITS[normalize_unit(unit)][1]))


def prefix_exponent(unit: str) -> int | None:
    """The multiplier a unit carries (万元 -> 4, 亿元 -> 8, 元 -> 0); None for units no multiplier may
    join (%, ‰, area units other than the base).

    >>> prefix_exponent("万元"), prefix_exponent("人"), prefix_exponent("%")
    (4, 0, None)
    """
    u = normalize_unit(unit)
    dim = UNITS[u][0]
    if dim == "ratio":
        return None
    return exponent(u)


@caches.memo(None)
def resolve_unit(unit: str, canonical: str) -> tuple[str, str]:
    """(unit to convert from, reason if it cannot be used) for a unit as written, read against the
    indicator's canonical unit. A bare multiplier takes the canonical dimension's base unit (亿 -> 亿元 for
    money, 萬 -> 万人 for people); a currency sign means 元. An empty unit is taken as canonical, except for
    money and population, where it is a reason to reject.

    >>> resolve_unit("亿", "亿元"), resolve_unit("萬", "万人"), resolve_unit("¥", "元")
    (('亿元', ''), ('万人', ''), ('元', ''))
    >>> resolve_unit("", "亿元")[1]
    'no unit written for a money figure (亿元); state the unit (for a table: reader: units: in the sidecar)'
    """
    c = normalize_unit(canonical)
    if c not in UNITS:
        return "", f"unknown canonical unit {canonical!r}"
    dim = UNITS[c][0]
    u = normalize_unit(unit)
    if u == "":
        if dim in UNIT_REQUIRED:
            return "", (f"no unit written for a {dim} figure ({c}); state the unit "
                        f"(for a table: reader: units: in the sidecar)")
        return c, ""
    if u in UNITS:
        return u, ""
    if u in vocab.MULTIPLIER_EXPONENTS and dim in BASE_UNIT:
        spelled = u + BASE_UNIT[dim]
        if spelled in UNITS:
            return spelled, ""
    if u in vocab.CURRENCY_SIGNS and dim == "money":
        return "元", ""
    return "", f"unknown unit {unit!r} for {c}; known units: {', '.join(UNITS)}"


@caches.memo(None)
def factor(unit: str, canonical: str) -> float:
    """Multiplier that converts a value in ``unit`` to ``canonical``.

    >>> factor("万元", "亿元"), factor("人", "万人"), factor("万元", "元")
    (0.0001, 0.0001, 10000.0)
    >>> factor("万人", "亿元")
    Traceback (most recent call last):
    ...
    countylib.ingest.units.UnitError: unit '万人' (people) cannot be converted to '亿元' (money)
    """
    return 10.0 ** _shift(unit, canonical)


@caches.memo(None)
def _shift(unit: str, canonical: str) -> int:
    """Power of ten from ``unit`` to ``canonical`` (raises :class:`UnitError`)."""
    u, c = normalize_unit(unit), normalize_unit(canonical)
    if u not in UNITS:
        raise UnitError(f"unknown unit {unit!r}; known units: {', '.join(UNITS)}")
    if c not in UNITS:
        raise UnitError(f"unknown canonical unit {canonical!r}")
    (du, _), (dc, _) = UNITS[u], UNITS[c]
    if du != dc:
        raise UnitError(f"unit {unit!r} ({du}) cannot be converted to {canonical!r} ({dc})")
    return exponent(u) - exponent(c)


def parse_value(text: object, unit: object, canonical: str) -> tuple[float, str]:
    """Parse one published figure; see :func:`parse_values` for columns.

    >>> parse_value("１，２３４.５", "万元", "亿元")
    (0.12345, 'exact')
    >>> parse_value("4.5", "", "%")
    (4.5, 'unit_assumed')
    >>> parse_value("3.2万", "亿元", "亿元")
    (nan, 'invalid')
    """
    out = parse_values(pd.Series([text]), pd.Series([unit]), canonical)
    return float(out.value.iloc[0]), str(out.flag.iloc[0])


def parse_values(text: pd.Series, unit: pd.Series | str, canonical: pd.Series | str) -> pd.DataFrame:
    """Vectorised parse of published figures into canonical units.

    Returns a frame aligned with ``text``: ``value`` (float, NaN when missing or invalid),
    ``flag``, ``reason`` (empty unless the flag is ``invalid``) and ``scale``, the factor from the
    published unit to the canonical one (NaN when invalid).

    >>> df = parse_values(pd.Series(["1,200", "突破500", "—", "inf"]), "万元", "亿元")
    >>> df.value.tolist()[:2], df.flag.tolist()
    ([0.12, 0.05], ['exact', 'lower_bound', 'missing', 'invalid'])
    """
    text = pd.Series(text).reset_index(drop=True)
    n = len(text)
    units = _broadcast(unit, n).fillna("").astype(str)
    canon = _broadcast(canonical, n).astype(str)

    mantissa, decimals, mult, vunit, flag, reason = _read_numbers(text)
    # A unit written inside the value (3.2亿元) stands in for a column that states none.
    for i in np.flatnonzero((vunit != "") & (vunit != "¥")):
        if normalize_unit(units.iat[i]) == "":
            units.iat[i] = vunit[i]
    shift, scale, ureason, assumed, prefix, udim, uname = _unit_shifts(units, canon)

    # How a multiplier or a unit written inside the value meets the column's unit.
    has_vunit = vunit != ""
    if has_vunit.any():
        for i in np.flatnonzero(has_vunit & (flag != "invalid")):
            msg = _value_unit_conflict(vunit[i], uname[i], canon.iloc[i])
            if msg:
                flag[i], reason[i] = "invalid", f"{text.iloc[i]!r}: {msg}"
    restated = mult != 0
    if restated.any():
        for i in np.flatnonzero(restated & (flag != "invalid")):
            if ureason[i]:
                continue
            total, msg = _combine_multiplier(int(mult[i]), prefix[i], udim[i], uname[i])
            if msg:
                flag[i], reason[i] = "invalid", f"{text.iloc[i]!r}: {msg}"
            else:
                mult[i] = total
    bad_unit = (ureason != "") & ~np.isin(flag, ["missing", "masked", "invalid"])
    flag[bad_unit] = "invalid"
    reason[bad_unit] = ureason[bad_unit]
    flag[assumed & (flag == "exact")] = "unit_assumed"

    ok = ~np.isin(flag, ["missing", "masked", "invalid"])
    k = np.where(ok, shift + mult - decimals, 0).astype(np.int64)
    value = _scaled(mantissa, k, ok, text)
    value[~ok] = np.nan
    scale = scale * np.power(10.0, np.where(ok, mult, 0))
    scale[flag == "invalid"] = np.nan
    return pd.DataFrame({"value": value, "flag": flag, "reason": reason, "scale": scale})


def _broadcast(x: pd.Series | str | None, n: int) -> pd.Series:
    if isinstance(x, pd.Series):
        return x.reset_index(drop=True)
    return pd.Series([x] * n, dtype=object)


_PLAIN = r"[+-]?(?:\d+\.?\d*|\.\d+)"


@caches.memo(None)
def _marked_pattern() -> str:
    """A plain number with marker words before or after it (约320, 500左右, 突破500), for RE2."""
    alt = "|".join(map(re.escape, sorted(vocab.MARKERS, key=len, reverse=True)))
    return rf"^(?P<pre>(?:{alt})*)(?P<num>{_PLAIN})(?P<post>(?:{alt})*)$"


def _plain_parts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(mantissa as an exact integer in a double, decimals) of plain-number strings; NaN mantissa when the
    digits are too many to be exact (those take the Decimal path)."""
    number = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    dot = pc.find_substring(arr, ".").to_numpy(zero_copy_only=False).astype(np.int64)
    length = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    signed = pc.match_substring_regex(arr, r"^[+-]").to_numpy(zero_copy_only=False).astype(bool)
    decimals = np.where(dot >= 0, length - dot - 1, 0).astype(np.int64)
    digits = length - (dot >= 0) - signed
    with np.errstate(invalid="ignore", over="ignore"):
        mantissa = np.rint(number * np.power(10.0, decimals))
    mantissa[digits > _MAX_EXACT_DIGITS] = np.nan
    return mantissa, decimals


def _read_numbers(text: pd.Series):
    """Mantissa (integer as float, NaN for long ones), decimals, multiplier exponent, unit written in the
    value, flag and reason for every text. Plain numbers, and plain numbers with marker words around them,
    go through vectorised (Arrow) string operations; the rest is parsed once per distinct text."""
    n = len(text)
    raw = text.to_numpy(dtype=object, na_value="")
    arr = pc.utf8_trim_whitespace(pa.array([v if isinstance(v, str) else _cell_text(v) for v in raw]
                                           if raw.dtype == object and not _all_str(raw) else raw,
                                           type=pa.string()))
    mantissa = np.full(n, np.nan)
    decimals = np.zeros(n, dtype=np.int64)
    mult = np.zeros(n, dtype=np.int64)
    vunit = np.full(n, "", dtype=object)
    flag = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)

    plain = pc.match_substring_regex(arr, f"^{_PLAIN}$").to_numpy(zero_copy_only=False).astype(bool)
    idx = np.flatnonzero(plain)
    if len(idx):
        mantissa[idx], decimals[idx] = _plain_parts(arr.filter(pa.array(plain)))
        flag[idx] = "exact"
    rest = np.flatnonzero(~plain)
    if len(rest):
        sub = arr.take(pa.array(rest))
        parts = pc.extract_regex(sub, _marked_pattern())
        matched = parts.is_valid().to_numpy(zero_copy_only=False).astype(bool)
        if matched.any():
            got = parts.filter(pa.array(matched))
            m_idx = rest[matched]
            mantissa[m_idx], decimals[m_idx] = _plain_parts(got.field("num"))
            words = pc.binary_join_element_wise(got.field("pre"), got.field("post"), "\x1f").to_numpy(
                zero_copy_only=False)
            codes, uniq = pd.factorize(words)
            flags = np.array([vocab.strongest(vocab.MARKERS[w] for w in vocab.MARKER_PATTERN.findall(u))
                              for u in uniq], dtype=object)
            flag[m_idx] = flags[codes]
        rest = rest[~matched]
    slow = np.concatenate([rest, np.flatnonzero(plain & np.isnan(mantissa) & (flag == "exact"))])
    if len(slow):
        texts = arr.take(pa.array(slow)).to_numpy(zero_copy_only=False)
        parsed = {u: _parse_text(str(u)) for u in pd.unique(texts)}
        for i, t in zip(slow, texts, strict=True):
            m, d, e, vu, f, r = parsed[t]
            mantissa[i], decimals[i], mult[i], vunit[i], flag[i], reason[i] = m, d, e, vu, f, r
    return mantissa, decimals, mult, vunit, flag, reason


def _all_str(values: np.ndarray) -> bool:
    return all(isinstance(v, str) for v in values[: min(len(values), 64)]) and pd.api.types.infer_dtype(
        values, skipna=False) == "string"


def _cell_text(value: object) -> str:
    """Text of a non-string cell: integers as digits, floats by their shortest round-trip form."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value)) if float(value) != int(value) or abs(value) >= 1e16 else str(int(value))
    return str(value)


def _parse_text(raw: str) -> tuple[float, int, int, str, str, str]:
    """(mantissa, decimals, multiplier exponent, unit in the value, flag, reason) of one messy text."""
    text = vocab.clean_number_text(raw)  # full-width -> ASCII, no spaces, simplified, 1·8 -> 1.8, 22,892 -> 22892
    if vocab.MISSING.match(text):
        return np.nan, 0, 0, "", "missing", ""
    if vocab.MASKED.match(text):
        return np.nan, 0, 0, "", "masked", ""
    if _NOT_FINITE.match(text):
        return np.nan, 0, 0, "", "invalid", f"not a number: {raw!r}"
    flag = vocab.strongest(vocab.MARKERS[m] for m in vocab.MARKER_PATTERN.findall(text))
    if re.search(r"\d[,，]|[,，]\d", text):  # a comma left after the thousands separators were read: 1,23
        return np.nan, 0, 0, "", "invalid", f"not a number: {raw!r} (a comma that does not separate thousands)"
    core = vocab.MARKER_PATTERN.sub("", text).replace("、", "")
    money_sign = False
    for sign in vocab.CURRENCY_SIGNS:
        if core.startswith(sign):
            core, money_sign = core[len(sign):], True
    if re.search(r"[xX*]", core) and re.fullmatch(r"[\dxX*]+(?:\.[\dxX*]*)?", core):
        return np.nan, 0, 0, "", "masked", ""  # partly masked digits such as 12XX
    m = _LEADING_NUMBER.match(core)
    if not m:
        return np.nan, 0, 0, "", "invalid", f"not a number: {raw!r}"
    num, rest = m.group("num"), m.group("rest")
    mult, vunit = 0, ""
    for word in sorted(vocab.MULTIPLIER_EXPONENTS, key=len, reverse=True):
        if rest == word:
            mult, rest = vocab.MULTIPLIER_EXPONENTS[word], ""
            break
    if rest:
        u = normalize_unit(rest)
        if u not in UNITS:
            return np.nan, 0, 0, "", "invalid", f"not a number: {raw!r}"
        vunit = u
    elif money_sign:
        vunit = "¥"
    if re.search(r"[eE]", num):
        # Scientific notation is how a spreadsheet displays a number it has rounded (1.23457E+11):
        # the digits after the sixth were lost on export, so the figure is only approximate.
        flag = vocab.strongest([flag, "approximate"])
    mantissa, decimals = _mantissa(num)
    return mantissa, decimals, mult, vunit, flag, ""


def _mantissa(num: str) -> tuple[float, int]:
    """Integer digits and decimal count of a plain number; NaN mantissa when too long to be exact."""
    d = Decimal(num)
    sign, digits, exp = d.as_tuple()
    if len(digits) > _MAX_EXACT_DIGITS:
        return np.nan, 0
    m = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if exp >= 0:
        return float(m * 10**exp), 0
    return float(m), -exp


def _scaled(mantissa: np.ndarray, k: np.ndarray, ok: np.ndarray, text: pd.Series) -> np.ndarray:
    """mantissa x 10^k with one correctly rounded operation; Decimal for what does not fit."""
    value = np.full(len(mantissa), np.nan)
    fits = ok & np.isfinite(mantissa) & (np.abs(k) <= 22)
    up = fits & (k >= 0)
    down = fits & (k < 0)
    value[up] = mantissa[up] * np.power(10.0, k[up])
    value[down] = mantissa[down] / np.power(10.0, -k[down])
    for i in np.flatnonzero(ok & ~fits):
        value[i] = _decimal_value(str(text.iloc[i]), int(k[i]))
    return value


def _decimal_value(raw: str, k_with_decimals: int) -> float:
    """Slow exact path: the printed number in Decimal, shifted by the unit's power of ten."""
    text = vocab.clean_number_text(raw)
    core = vocab.MARKER_PATTERN.sub("", text).replace(",", "")
    for sign in vocab.CURRENCY_SIGNS:
        core = core.removeprefix(sign)
    m = _LEADING_NUMBER.match(core)
    try:
        d = Decimal(m.group("num")) if m else Decimal(core)
    except InvalidOperation:
        return np.nan
    _, digits, exp = d.as_tuple()
    decimals = -exp if exp < 0 else 0
    return float(d.scaleb(k_with_decimals + decimals))


def _unit_shifts(units: pd.Series, canon: pd.Series):
    """Per row: power of ten to canonical, scale, reason, unit assumed?, prefix exponent, dimension, unit."""
    cu, uu = pd.factorize(units, use_na_sentinel=False)
    cc, uc = pd.factorize(canon, use_na_sentinel=False)
    pairs, codes = np.unique(cu.astype(np.int64) * max(len(uc), 1) + cc, return_inverse=True)
    k = len(pairs)
    shift = np.zeros(k, dtype=np.int64)
    reason = np.full(k, "", dtype=object)
    assumed = np.zeros(k, dtype=bool)
    prefix = np.zeros(k, dtype=object)
    dim = np.full(k, "", dtype=object)
    name = np.full(k, "", dtype=object)
    for i, key in enumerate(pairs):
        u, c = str(uu[key // max(len(uc), 1)]), str(uc[key % max(len(uc), 1)])
        used, why = resolve_unit(u, c)
        if why:
            reason[i] = why
            continue
        assumed[i] = normalize_unit(u) == ""
        try:
            shift[i] = _shift(used, c)
        except UnitError as exc:
            reason[i] = str(exc)
            continue
        prefix[i] = prefix_exponent(used)
        dim[i] = UNITS[used][0]
        name[i] = used
    scale = np.power(10.0, shift[codes].astype(float))
    return shift[codes], scale, reason[codes], assumed[codes], prefix[codes], dim[codes], name[codes]


def _combine_multiplier(mult: int, prefix: int | None, dim: str, unit: str) -> tuple[int, str]:
    """(exponent to add, reason) for a multiplier written inside the value."""
    word = next(w for w, e in vocab.MULTIPLIER_EXPONENTS.items() if e == mult)
    if prefix is None or dim == "ratio":
        return 0, f"a multiplier ({word}) cannot stand in a {unit} figure"
    if prefix == 0:
        return mult, ""
    if prefix == mult:
        return 0, ""  # 3.2亿 in an 亿元 column restates the column's unit
    return 0, f"the value carries {word} but the column unit is {unit}; they disagree"


def _value_unit_conflict(vunit: str, column_unit: str, canonical: str) -> str:
    """Reason why a unit written inside the value cannot be used with the column's unit, or ''."""
    if vunit == "¥":
        return "" if dimension(column_unit or canonical) == "money" else "a currency sign in a figure that is not money"
    if not column_unit:
        return ""
    if normalize_unit(vunit) == normalize_unit(column_unit):
        return ""
    return f"the value is written in {vunit} but the column unit is {column_unit}; they disagree"
