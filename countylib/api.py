"""``countylib.load`` and ``countylib.sources``: the processed data as one tidy (Geo)DataFrame.

The public face of :mod:`countylib.data.load`; import it as
``from countylib import api``.
"""

from __future__ import annotations

from countylib.data.load import (  # noqa: F401
    DataNotBuiltError,
    load,
    load_panel,
    processed_table,
    sources,
    years,
)

__all__ = [
    "DataNotBuiltError", "processed_table", "sources", "load", "load_panel", "years",
]
