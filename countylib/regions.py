"""Regions: the registry of current units, the code history and name resolution.

The public face of :mod:`countylib.data.regions`; import it as
``from countylib import regions``.
"""

from __future__ import annotations

from countylib.data.regions import (  # noqa: F401
    CHANGES_FILE,
    COUNTY_ECONOMY_KINDS,
    COUNTY_KINDS,
    NATIONAL,
    ZONE_PATTERN,
    AmbiguousNameError,
    RegionError,
    UnknownAreaError,
    UnknownNameError,
    YearOutOfRangeError,
    area_name,
    by_adcode,
    changes,
    check_prefecture,
    cnmaps_index_path,
    counties,
    history_file,
    is_zone,
    lookup,
    normalize_name,
    prefecture_codes,
    prefecture_mask,
    province_mask,
    province_name,
    registry,
    resolve,
    short_name,
    successor_map,
    to_current,
)

__all__ = [
    "NATIONAL", "UnknownAreaError", "area_name", "check_prefecture", "CHANGES_FILE", "COUNTY_ECONOMY_KINDS", "COUNTY_KINDS",
    "ZONE_PATTERN", "AmbiguousNameError", "RegionError", "UnknownNameError", "YearOutOfRangeError", "by_adcode",
    "changes",
    "cnmaps_index_path", "counties", "history_file", "is_zone", "lookup", "normalize_name",
    "prefecture_codes", "prefecture_mask", "province_mask", "province_name", "registry", "resolve",
    "short_name", "successor_map", "to_current",
]
