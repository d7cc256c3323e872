"""Building blocks of a one-county report: profile, ranks, peers, comparison, locator map.

The public face of :mod:`countylib.analysis.county`, :mod:`countylib.output.county_figures`; import it as
``from countylib import county``.
"""

from __future__ import annotations

from countylib.analysis.county import (  # noqa: F401
    CountyNotFoundError,
    census_summary_md,
    census_table,
    code,
    comparison,
    comparison_caption,
    comparison_table,
    figures,
    header_md,
    info,
    missing,
    peers,
    profile,
)
from countylib.output.county_figures import (  # noqa: F401
    ABSENT_NAMES,
    census_pyramid,
    comparison_chart,
    locator_map,
)

__all__ = [
    "CountyNotFoundError", "code", "info", "peers", "figures", "profile", "missing", "comparison",
    "comparison_caption", "comparison_table", "header_md", "census_summary_md", "census_table",
    "ABSENT_NAMES", "comparison_chart", "locator_map", "census_pyramid",
]
