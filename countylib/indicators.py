"""The indicator registry: keys, Chinese names, units, aliases.

The public face of :mod:`countylib.data.indicators`; import it as
``from countylib import indicators``.
"""

from __future__ import annotations

from countylib.data.indicators import (  # noqa: F401
    REGISTRY_FILE,
    CensusSpec,
    Change,
    Components,
    Indicator,
    UnknownIndicatorError,
    census_indicators,
    change_indicators,
    get,
    key_for,
    registry,
    search,
    table,
)

__all__ = [
    "REGISTRY_FILE", "CensusSpec", "Indicator", "UnknownIndicatorError", "registry",
    "census_indicators", "get", "key_for", "table", "search",
    "Change", "Components", "change_indicators",
]
