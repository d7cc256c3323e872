"""Two prefectures' county-economy units side by side: totals, shares, thresholds, gaps.

The public face of :mod:`countylib.analysis.compare`; import it as
``from countylib import compare``.
"""

from __future__ import annotations

from countylib.analysis.compare import (  # noqa: F401
    COUNTY_ECONOMY_ZH,
    THRESHOLDS,
    county_table_zh,
    prefecture_table,
    province_gap,
    summary,
    thresholds,
)

__all__ = [
    "COUNTY_ECONOMY_ZH", "prefecture_table", "summary", "county_table_zh", "THRESHOLDS", "thresholds",
    "province_gap",
]
