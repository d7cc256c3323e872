"""Plotting style and the bundled CJK font for matplotlib figures.

The public face of :mod:`countylib.output.plotting`; import it as
``from countylib import plotting``.
"""

from __future__ import annotations

from countylib.output.plotting import (  # noqa: F401
    CJK_FONT_FILE,
    NO_DATA_COLOR,
    NO_DATA_HATCH,
    NO_DATA_LABEL,
    add_source_note,
    cjk_font_path,
    compact_png,
    new_figure,
    rc,
    register_cjk_font,
    style,
    use_compact_png,
    use_style,
    wrap_note,
)

__all__ = [
    "CJK_FONT_FILE", "NO_DATA_COLOR", "NO_DATA_HATCH", "NO_DATA_LABEL", "cjk_font_path",
    "register_cjk_font", "rc", "style", "use_style", "new_figure", "add_source_note", "wrap_note",
    "compact_png", "use_compact_png",
]
