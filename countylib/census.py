"""The census for researchers: indicators from the published counts, age pyramids, census regressions and their figures.

The public face of :mod:`countylib.analysis.census`, :mod:`countylib.output.census_figures`; import it as
``from countylib import census``.
"""

from __future__ import annotations

from countylib.analysis.census import (  # noqa: F401
    AGE_LABELS,
    FIXED_EFFECTS,
    REPORT_INDICATORS,
    SOURCE_NOTE,
    age_pyramid,
    change_sentence,
    changes,
    counts,
    has_census,
    merged_values,
    missing_reason,
    regression,
    regression_data,
    report_sentences,
    report_table,
    residuals,
    source_ids,
    symmetric_bins,
)
from countylib.output.census_figures import (  # noqa: F401
    binned_scatter,
    pyramid_figure,
    pyramid_svg,
    residual_map,
)

__all__ = [
    "SOURCE_NOTE", "AGE_LABELS", "source_ids", "counts", "merged_values", "age_pyramid",
    "REPORT_INDICATORS", "report_table", "report_sentences", "FIXED_EFFECTS", "regression_data",
    "regression", "symmetric_bins", "residuals", "pyramid_figure", "binned_scatter", "residual_map", "changes",
    "change_sentence",
    "has_census", "missing_reason", "pyramid_svg",
]
