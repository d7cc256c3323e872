"""Render parameterised notebooks to self-contained HTML, one at a time or in batches.

The public face of the rendering modules of :mod:`countylib.output`, one concern each:

* :mod:`countylib.output.runner`: the batch runner (what is up to date, local kernels or a cluster)
* :mod:`countylib.output.kernels`: warm kernels and the local batch (Ctrl-C, kernel start-up timeouts)
* :mod:`countylib.output.cluster`: the same batch on a Dask cluster
* :mod:`countylib.output.export`: an executed notebook as one offline HTML page
* :mod:`countylib.output.fonts`: the CJK font subsets embedded in every page
* :mod:`countylib.output.params`: notebook parameters checked before a kernel starts
* :mod:`countylib.output.fingerprints`: whether a report is up to date (``--resume``)
* :mod:`countylib.files`: atomic writes with normal permissions, safe file names

>>> from countylib import render
>>> render.render_notebook("notebooks/county_report.ipynb", "out.html", {"adcode": "410181"})  # doctest: +SKIP
>>> render.safe_filename("410181-巩义市")
'410181-巩义市'
"""

from __future__ import annotations

from countylib.files import safe_filename, write_atomic
from countylib.output.export import external_references, to_html
from countylib.output.fonts import embedded_font_css
from countylib.output.kernels import (
    BatchResult,
    KernelStartError,
    Outcome,
    WarmKernel,
    execute,
    plain_text,
    render_notebook,
    short_error,
)
from countylib.output.params import ParameterError, check_parameters, notebook_parameters
from countylib.output.runner import run_batch

__all__ = [
    "BatchResult", "KernelStartError", "Outcome", "ParameterError", "WarmKernel", "check_parameters",
    "embedded_font_css", "execute", "external_references", "notebook_parameters", "plain_text",
    "render_notebook", "run_batch", "safe_filename", "short_error", "to_html", "write_atomic",
]
