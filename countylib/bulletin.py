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
    render_review,
    scan,
)

__all__ = [
    "COLUMNS", "BadInput", "extract", "read_text", "render_review", "scan",
]
