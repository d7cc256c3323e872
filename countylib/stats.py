"""Regressions and comparisons researchers can cite.

The public face of :mod:`countylib.analysis.stats`; import it as
``from countylib import stats``.
"""

from __future__ import annotations

from countylib.analysis.stats import (  # noqa: F401
    COV_TYPES,
    GROUP_LABELS,
    MIN_DF_RESID,
    RegressionResult,
    cagr,
    gap,
    group_label,
    growth_multiple,
    rank,
    regress,
    share_of_parent,
    threshold_counts,
    two_year_average,
)

__all__ = [
    "MIN_DF_RESID", "COV_TYPES", "RegressionResult", "GROUP_LABELS", "group_label", "regress", "rank",
    "share_of_parent", "growth_multiple", "cagr", "two_year_average", "gap", "threshold_counts",
]
