"""An executed notebook as one self-contained HTML page that works offline.

The page uses countylib's template (``templates/notebook_page.html.j2``) on nbconvert's lab cell
markup: countylib's small stylesheet instead of JupyterLab's (~250 KB less per page), images as data
URIs, a subset of the CJK fonts with exactly the page's characters (:mod:`countylib.output.fonts`), no
require.js, and MathJax or mermaid only on pages that have maths or diagrams (they load from the network).

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 县域")])
>>> page = to_html(nb)
>>> external_references(page), "县域" in page
([], True)
"""

from __future__ import annotations

import re
import threading

from countylib import extras

try:
    import nbformat
except ImportError:  # the reports extra is not installed
    extras.require("reports", __name__, "nbformat")
    raise

from countylib.output import fonts, pages

extras.require("reports", __name__, "nbformat", "nbconvert")

_MATH = re.compile(r"(?<!\\)\$[^$\n]+\$|\\\(|\\\[|\\begin\{")
_LOCAL = threading.local()


def page_css() -> str:
    """countylib's stylesheet for every page it writes."""
    return str(pages.asset("page.css"))


def _exporter(no_input: bool):
    """One HTMLExporter per thread and setting (building one loads and compiles the templates)."""
    from nbconvert import HTMLExporter

    cache = _LOCAL.__dict__.setdefault("exporters", {})
    if no_input not in cache:
        cache[no_input] = HTMLExporter(
            template_name="lab", template_file="notebook_page.html.j2", extra_template_paths=[str(pages.TEMPLATES)],
            exclude_input=no_input, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    return cache[no_input]


def needs_mathjax(nb: nbformat.NotebookNode) -> bool:
    """True when a Markdown cell or an output carries LaTeX maths (the only reason to load MathJax)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _MATH.search(cell.source):
            return True
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/latex" in data or _MATH.search(str(data.get("text/markdown", ""))):
                return True
    return False


def needs_mermaid(nb: nbformat.NotebookNode) -> bool:
    """True when the notebook has mermaid diagrams (```mermaid blocks or text/vnd.mermaid outputs)."""
    return any(
        (c.cell_type == "markdown" and "```mermaid" in c.source)
        or any("text/vnd.mermaid" in o.get("data", {}) for o in c.get("outputs", []))
        for c in nb.cells
    )


def to_html(nb: nbformat.NotebookNode, no_input: bool = True, title: str | None = None,
            fingerprint: str = "") -> str:
    """A single-file HTML page of an executed notebook.

    ``fingerprint`` is written into the page (``<meta name="countylib-fingerprint">``) so a later batch
    can tell whether the page is up to date with its notebook, parameters, data and countylib.
    """
    import countylib

    if title:
        nb.metadata["title"] = title
    resources = {"countylib": {
        "css": page_css(), "version": countylib.__version__, "fingerprint": fingerprint,
        "show_input": not no_input, "mathjax": needs_mathjax(nb), "mermaid": needs_mermaid(nb),
        "fonts_marker": fonts.MARKER,
    }}
    body, _ = _exporter(no_input).from_notebook_node(nb, resources=resources)
    return fonts.embed(body)


_REF = re.compile(
    r"<(script|link|iframe|img|embed|object|source|audio|video)\b[^>]*?\b(src|href|data)\s*=\s*[\"']?\s*(https?:|//)"
    r"|url\(\s*[\"']?\s*(https?:|//)|@import\s+[\"']?(https?:|//)"
    r"|import\(\s*[\"'](https?:|//)",
    re.I,
)


def external_references(page: str) -> list[str]:
    """Every place where ``page`` would load something from the network (scripts, stylesheets, frames,
    images, CSS ``url()`` and ``@import``, dynamic ``import()``); empty for a page that works offline.

    >>> external_references('<script src="https://cdn.example/x.js"></script><a href="https://x">ok</a>')
    ['<script src="https:']
    """
    return [m.group(0) for m in _REF.finditer(page)]


def check_page(page: str) -> list[str]:
    """What keeps ``page`` from working as a shared file: anything loaded from the network, characters its
    embedded fonts do not cover. Empty for a page that is fine.

    >>> check_page('<p>县</p>')
    ['characters not in the embedded fonts: 县']
    """
    problems = [f"loads from the network: {ref}" for ref in external_references(page)]
    missing = set().union(*fonts.uncovered(page).values())
    if missing:
        problems.append("characters not in the embedded fonts: " + "".join(sorted(missing - set(fonts.ALWAYS)) or
                                                                          sorted(missing)))
    return problems
