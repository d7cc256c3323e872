"""Checks of the processed figures: ranges, plausibility, duplicates, the schema.

The public face of :mod:`countylib.ingest.validate`; import it as
``from countylib import validate``.
"""

from __future__ import annotations

from countylib.ingest.validate import (  # noqa: F401
    FLAG_RANK,
    FLAGS,
    FULL_SCOPE,
    INDICATOR_SCHEMA,
    KIND_RANGES,
    LEVEL_RANGES,
    PARTIAL_SCOPE,
    PLAUSIBLE_FACTOR,
    PLAUSIBLE_MIN_N,
    PREFERENCE,
    QUALITY_RANK,
    SECTOR_TOLERANCE,
    SECTORS,
    ConflictError,
    allowed_range,
    check_duplicates,
    check_plausibility,
    check_ranges,
    cross_checks,
    preference_key,
    schema_check,
)

__all__ = [
    "FLAGS", "FLAG_RANK", "QUALITY_RANK", "PREFERENCE", "LEVEL_RANGES", "KIND_RANGES",
    "PLAUSIBLE_FACTOR", "PLAUSIBLE_MIN_N", "SECTOR_TOLERANCE", "ConflictError", "INDICATOR_SCHEMA",
    "schema_check", "allowed_range", "check_ranges", "check_plausibility", "PARTIAL_SCOPE",
    "FULL_SCOPE", "preference_key", "check_duplicates", "SECTORS", "cross_checks",
]
