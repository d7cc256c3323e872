"""Readers of published tables: yearbook sheets, figure lists, county lists.

The public face of :mod:`countylib.ingest.readers`; import it as
``from countylib import readers``.
"""

from __future__ import annotations

from countylib.ingest.readers import (  # noqa: F401
    FIGURE_COLUMNS,
    LAYOUT_COLUMNS,
    ReaderError,
    check_year,
    column_indicator,
    read_county_list,
    read_figures_long,
    read_wide,
)

__all__ = [
    "FIGURE_COLUMNS", "LAYOUT_COLUMNS", "ReaderError", "check_year", "column_indicator",
    "read_county_list", "read_figures_long", "read_wide",
]
