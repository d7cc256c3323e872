"""Figures out of statistical bulletins and government work reports, each with its span.

The public face of :mod:`countylib.ingest.bulletin`; import it as
``from countylib import bulletin``.
"""

from __future__ import annotations

from countylib.ingest.bulletin import (  # noqa: F401
    COLUMNS,
    BadInput,
    extract,
    read_text,
    scan,
)
from countylib.output.review import render as render_review  # noqa: F401 - the review page is drawn in output

__all__ = [
    "COLUMNS", "BadInput", "extract", "read_text", "render_review", "scan",
]
