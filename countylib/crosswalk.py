"""Codes through time: the one crosswalk of China's administrative codes since 1981, built from the bundled
code history (where a code of a year is today, every change classified, from when a unit's series holds).

The public face of :mod:`countylib.data.crosswalk`; import it as ``from countylib import crosswalk``.
"""

from __future__ import annotations

from countylib.data.crosswalk import (  # noqa: F401
    BREAKING,
    FIRST_YEAR,
    KINDS,
    Composition,
    Crosswalk,
    Placement,
    Record,
    YearOutOfRangeError,
    changes,
    counts,
    get,
    history_dir,
    history_level,
    place,
    read_records,
    read_supplement,
    supplement_path,
    zone_names,
)

__all__ = [
    "BREAKING", "FIRST_YEAR", "KINDS", "Composition", "Crosswalk", "Placement", "Record", "YearOutOfRangeError",
    "changes", "counts", "get", "place", "zone_names",
    "history_dir", "history_level", "read_records", "read_supplement", "supplement_path",
]
