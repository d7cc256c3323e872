"""County lists (百强县 and others): entries, composition, indicators paired by year.

The public face of :mod:`countylib.analysis.lists`; import it as
``from countylib import lists``.
"""

from __future__ import annotations

from countylib.analysis.lists import (  # noqa: F401
    LABELS_ZH,
    NORTH,
    QINLING_HUAIHE,
    REGION_OF,
    REGIONS,
    available,
    breakdown,
    defects,
    defects_zh,
    entries,
    line_latitude,
    north_south,
    north_south_breakdown,
    north_south_by_location,
    pairing_zh,
    problem_zh,
    region_of,
    side_of_line,
    with_indicators,
)

__all__ = [
    "REGIONS", "NORTH", "REGION_OF", "LABELS_ZH", "QINLING_HUAIHE", "line_latitude", "side_of_line",
    "north_south_by_location", "region_of", "north_south", "available", "entries", "defects",
    "problem_zh", "defects_zh", "breakdown", "north_south_breakdown", "with_indicators", "pairing_zh",
]
