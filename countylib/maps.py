"""Choropleth maps of counties (static), and their offline interactive versions.

The public face of :mod:`countylib.output.maps`, :mod:`countylib.output.webmap`; import it as
``from countylib import maps``.
"""

from __future__ import annotations

from countylib.output.maps import (  # noqa: F401
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
    choropleth,
    classify,
    display_geometry,
    indicator_map,
    map_filename,
    map_subtitle,
    map_title,
    points_map,
    source_note,
    value_table,
)
from countylib.output.webmap import (  # noqa: F401
    interactive,
    interactive_view,
)

__all__ = [
    "SCHEMES", "SEQUENTIAL", "DIVERGING", "MapError", "ChoroplethMap", "classify", "choropleth",
    "NATIONAL_UNITS", "LABEL_UNITS", "DISPLAY_PIXELS", "OWN_TOLERANCE_M", "display_geometry",
    "area_name", "map_title", "map_subtitle", "source_note", "indicator_map", "map_filename",
    "value_table", "points_map", "interactive", "interactive_view",
]
