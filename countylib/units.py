"""Numbers and units as printed: parse values, convert units exactly, flags.

The public face of :mod:`countylib.ingest.units`; import it as
``from countylib import units``.
"""

from __future__ import annotations

from countylib.ingest.units import (  # noqa: F401
    BASE_UNIT,
    NUMBER,
    UNIT_REQUIRED,
    UNITS,
    UnitError,
    dimension,
    exponent,
    factor,
    fits,
    indicator_for,
    misfit,
    normalize_unit,
    parse_value,
    parse_values,
    prefix_exponent,
    resolution,
    resolve_unit,
)

__all__ = [
    "UNITS", "BASE_UNIT", "UNIT_REQUIRED", "NUMBER", "UnitError", "normalize_unit", "dimension",
    "exponent", "prefix_exponent", "resolve_unit", "factor", "parse_value", "parse_values",
    "fits", "indicator_for", "misfit", "resolution",
]
