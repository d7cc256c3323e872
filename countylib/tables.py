"""Tables for reports: escaped cells, right-aligned numbers, 无数据 for missing.

The public face of :mod:`countylib.output.tables`; import it as
``from countylib import tables``.
"""

from __future__ import annotations

from countylib.output.tables import (  # noqa: F401
    NUMBER,
    Collapsed,
    styled,
)

__all__ = [
    "NUMBER", "Collapsed", "styled",
]
