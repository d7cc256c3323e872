"""Numbers and remarks as reports show them, for every stage that writes text for people.

>>> value_zh(12962.584), value_zh(float("nan")), value_zh(123456.7)
('12,962.58', '无数据', '123,457')
>>> flag_zh("lower_bound")
'下限（突破/超过）'
"""

from __future__ import annotations

import math

#: How each flag of a figure reads in a report (an exact figure needs no remark).
FLAG_ZH = {"exact": "", "preliminary": "初步核算数", "approximate": "约数", "lower_bound": "下限（突破/超过）",
           "upper_bound": "上限", "estimate": "预计数", "masked": "原文隐去", "missing": "原文缺失",
           "unit_assumed": "原文未写单位"}


def flag_zh(flag: str, conflict: bool = False, quality: str = "") -> str:
    """The remark a report shows for a figure: its flag, a conflict with other sources, a weak source.

    >>> flag_zh("lower_bound"), flag_zh("exact", conflict=True, quality="low")
    ('下限（突破/超过）', '与其他来源不一致；来源可信度低')
    >>> flag_zh("preliminary,growth")
    '初步核算数'
    """
    flags = [f.strip() for f in str(flag or "").split(",") if f.strip() and f.strip() != "growth"]
    parts = [FLAG_ZH.get(f, f) for f in flags]
    if _true(conflict):
        parts.append("与其他来源不一致")
    if quality == "low":
        parts.append("来源可信度低")
    elif quality == "secondary":
        parts.append("转载来源")
    return "；".join(p for p in parts if p)

def _true(v) -> bool:
    """True for a set flag; False for False, None, NaN and pandas' NA."""
    try:
        return bool(v) and not _is_nan(v)
    except TypeError:  # pd.NA has no truth value
        return False


def _is_nan(v) -> bool:
    try:
        return math.isnan(v)
    except TypeError:
        return False


def value_zh(v: float | None) -> str:
    """A measured value for a table cell: thousands separators, two decimals below 100,000, 无数据 when
    missing."""
    if v is None or _is_nan(v):
        return "无数据"
    return f"{v:,.2f}" if abs(v) < 1e5 else f"{v:,.0f}"
