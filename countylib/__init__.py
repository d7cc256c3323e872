"""countylib: comparative county-economy data for China, keyed by 6-digit adcode.

>>> import countylib
>>> countylib.__version__
'0.1.0'
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load"]


def __getattr__(name: str):
    # Lazy: keep `import countylib` cheap for the CLI and the notebooks' first cell.
    if name == "load":
        from countylib.api import load

        return load
    raise AttributeError(f"module 'countylib' has no attribute {name!r}")
