"""The views countylib's output stage attaches to analysis results (see :mod:`countylib.views`).

Importing this module registers them: the HTML block and figures of a regression, and the table of a
fixed-effects regression.

>>> from countylib import views
>>> from countylib.analysis.stats import RegressionResult
>>> import countylib.output.views
>>> views._find(RegressionResult, "html").__name__
'to_html'
"""

from __future__ import annotations

from countylib.output import regression, regtable  # noqa: F401 - registers the regression views

__all__ = ["regression", "regtable"]
