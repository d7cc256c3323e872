"""Regression tables as papers print them: several models side by side, written as HTML, LaTeX and Word.

The public face of :mod:`countylib.output.regtable`; import it as ``from countylib import regtable``.
"""

from __future__ import annotations

from countylib.output.regtable import (  # noqa: F401
    FORMATS,
    STARS,
    Model,
    RegTable,
    Row,
    model,
    panel_html,
    table,
    write,
)

__all__ = ["FORMATS", "STARS", "RegTable", "table", "write", "Model", "Row", "model", "panel_html"]
