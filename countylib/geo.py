"""Boundaries: county polygons keyed by adcode, outlines, projection, and where a set of counties lies.

The public face of :mod:`countylib.data.geo`, :mod:`countylib.output.maps`; import it as
``from countylib import geo``.
"""

from __future__ import annotations

from countylib.data.geo import (  # noqa: F401
    ALBERS_CHINA,
    BOUNDARY_FILE,
    BOUNDARY_NOTE,
    LOCATOR_SIMPLIFY_M,
    SIMPLIFY_DEGREES,
    BoundaryError,
    boundaries,
    build_boundaries,
    dissolve,
    label_points,
    merge_districts,
    neighbours,
    projected,
    provinces,
    read_raw,
    simplify_coverage,
    to_albers,
    write_boundaries,
)
from countylib.output.maps import (  # noqa: F401
    points_map,
)

__all__ = [
    "ALBERS_CHINA", "SIMPLIFY_DEGREES", "LOCATOR_SIMPLIFY_M", "BOUNDARY_FILE", "BOUNDARY_NOTE",
    "BoundaryError", "read_raw", "simplify_coverage", "build_boundaries", "write_boundaries",
    "boundaries", "dissolve", "merge_districts", "neighbours", "to_albers", "label_points", "provinces", "projected",
    "points_map",
]
