"""Choropleth maps of counties (static), and their offline interactive versions.

The public face of :mod:`countylib.output.maps`, :mod:`countylib.output.webmap`; import it as
``from countylib import maps``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from countylib.output.maps import (  # noqa: F401
    BOUND_FILL,
    DISPLAY_PIXELS,
    DIVERGING,
    LABEL_UNITS,
    NATIONAL_UNITS,
    OWN_TOLERANCE_M,
    SCHEMES,
    SEQUENTIAL,
    ChoroplethMap,
    MapError,
    area_name,
    bound_label,
    bound_note,
    choropleth,
    classify,
    display_geometry,
    indicator_map,
    is_bound_flag,
    map_filename,
    map_subtitle,
    map_title,
    points_map,
    relation,
    source_note,
    value_table,
)

if TYPE_CHECKING:
    from countylib.output.webmap import interactive as interactive
    from countylib.output.webmap import interactive_view as interactive_view

__all__ = [
    "is_bound_flag", "relation",
    "SCHEMES", "SEQUENTIAL", "DIVERGING", "MapError", "ChoroplethMap", "classify", "choropleth",
    "NATIONAL_UNITS", "LABEL_UNITS", "DISPLAY_PIXELS", "OWN_TOLERANCE_M", "display_geometry",
    "area_name", "map_title", "map_subtitle", "source_note", "indicator_map", "map_filename",
    "value_table", "points_map", "interactive", "interactive_view",
    "bound_note", "bound_label", "BOUND_FILL",
]


if not TYPE_CHECKING:  # hidden from type checkers, which would otherwise accept any misspelt name

    def __getattr__(name: str):
        """The interactive maps need the ``reports`` extra: loaded when first asked for, so the static
        maps work with the core alone."""
        if name in ("interactive", "interactive_view"):
            return getattr(importlib.import_module("countylib.output.webmap"), name)
        raise AttributeError(f"module 'countylib.maps' has no attribute {name!r}")
