"""Fixed-effects regressions on panels and cross-sections (two-way unit and year, or province), with
clustered, robust or classical standard errors following fixest / reghdfe.

The public face of :mod:`countylib.analysis.panel`; import it as ``from countylib import panel``.
"""

from __future__ import annotations

from countylib.analysis.panel import (  # noqa: F401
    MIN_DF_RESID,
    VCOV_TYPES,
    PanelResult,
    regress,
    wide,
)

__all__ = ["MIN_DF_RESID", "VCOV_TYPES", "PanelResult", "regress", "wide"]
