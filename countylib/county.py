"""Building blocks of a one-county report: profile, ranks, peers, comparison, locator map.

The public face of :mod:`countylib.analysis.county`, :mod:`countylib.output.county_figures`; import it as
``from countylib import county``.
"""

from __future__ import annotations

from countylib.analysis.census import has_census, missing_reason  # noqa: F401
from countylib.analysis.county import (  # noqa: F401
    CountyNotFoundError,
    census_summary_md,
    census_table,
    code,
    comparison,
    comparison_caption,
    comparison_note,
    comparison_table,
    economic_gaps,
    economic_indicators,
    economy_note,
    figures,
    has_figure,
    header_md,
    info,
    missing,
    peers,
    profile,
    related,
    sibling_groups,
)
from countylib.output.county_figures import (  # noqa: F401
    ABSENT_NAMES,
    census_pyramid,
    census_pyramid_html,
    comparison_chart,
    locator_html,
    locator_map,
    related_html,
)

__all__ = [
    "CountyNotFoundError", "code", "info", "peers", "figures", "profile", "missing", "comparison",
    "comparison_caption", "comparison_table", "header_md", "census_summary_md", "census_table",
    "ABSENT_NAMES", "comparison_chart", "locator_map", "census_pyramid", "economic_gaps", "economy_note",
    "has_figure", "comparison_note", "related", "has_census", "missing_reason", "locator_html", "related_html",
    "census_pyramid_html",
    "economic_indicators", "sibling_groups",
]
