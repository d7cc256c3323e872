"""Render parameterised notebooks to self-contained HTML, one at a time or in batches.

The public face of :mod:`countylib.output.render`; import it as
``from countylib import render``.
"""

from __future__ import annotations

from countylib.output.render import (  # noqa: F401
    BatchResult,
    KernelStartError,
    Outcome,
    ParameterError,
    WarmKernel,
    check_parameters,
    embedded_font_css,
    execute,
    external_references,
    notebook_parameters,
    plain_text,
    render_notebook,
    run_batch,
    safe_filename,
    short_error,
    to_html,
    write_atomic,
)

__all__ = [
    "BatchResult", "KernelStartError", "Outcome", "ParameterError", "WarmKernel", "check_parameters",
    "embedded_font_css", "execute", "external_references", "notebook_parameters", "plain_text",
    "render_notebook", "run_batch", "safe_filename", "short_error", "to_html", "write_atomic",
]
