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

from countylib import caches, extras

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
    return fonts.embed(_body(nb, no_input, title, fingerprint))


def to_site_page(nb: nbformat.NotebookNode, site, no_input: bool = True, title: str | None = None,
                 fingerprint: str = ""):
    """An executed notebook as a page of a site (:mod:`countylib.output.site`): the shared stylesheet and
    fonts linked, shared images moved out, units linked. Returns a :class:`~countylib.output.site.Rendered`."""
    from countylib.output import site as site_mode

    return site_mode.finish_page(_body(nb, no_input, title, fingerprint, site.head()), site)


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def page_title(nb: nbformat.NotebookNode, name: str) -> str:
    """What a page's tab and bookmarks say: the first heading the page shows (a report's, written by its
    code: ``巩义市（410181）县域经济概况``), or the notebook's own heading followed by ``name`` (the file's
    name, which tells pages of one notebook with other parameters apart); ``name`` when there is none.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 县级指标地图")])
    >>> page_title(nb, "choropleth-gdp-2022")
    '县级指标地图 · choropleth-gdp-2022'
    >>> out = nbformat.v4.new_output("display_data", data={"text/markdown": "# 巩义市（410181）县域经济概况"})
    >>> page_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])]), "410181-巩义市")
    '巩义市（410181）县域经济概况'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HEADING.search(cell.source)
            if found:
                return _plain(found.group(1)) + f" · {name}"
        for out in cell.get("outputs", []):
            found = _HEADING.search(str(out.get("data", {}).get("text/markdown", "")))
            if found:
                return _plain(found.group(1))
    return name


def _plain(heading: str) -> str:
    """A Markdown heading as text: escapes undone (names are escaped when written as Markdown)."""
    return _MD_ESCAPE.sub(lambda m: m.group(1), heading)


def _body(nb: nbformat.NotebookNode, no_input: bool, title: str | None, fingerprint: str, site_head="") -> str:
    import countylib

    if title:
        nb.metadata["title"] = page_title(nb, title)
    resources = {"countylib": {
        "css": page_css(), "version": countylib.__version__, "fingerprint": fingerprint,
        "show_input": not no_input, "mathjax": needs_mathjax(nb), "mermaid": needs_mermaid(nb),
        "fonts_marker": fonts.MARKER, "site_head": site_head,
    }}
    body, _ = _exporter(no_input).from_notebook_node(nb, resources=resources)
    return body


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


_SITE_META = re.compile(r'<meta\b[^>]*\bname="countylib-site"[^>]*>')
_CONTENT = re.compile(r'\bcontent="([^"]*)"')
_LINK = re.compile(r"<(a|link|script|img|source|iframe)\b[^>]*?\s(href|src)=\"([^\"]*)\"", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*font-family:\s*'([^']+)'[^}]*?src:\s*url\(\s*['\"]?([^'\")]+)", re.S)


def check_file(path) -> list[str]:
    """:func:`check_page` for a file; a page of a site (``<meta name="countylib-site">``) is checked
    against the site instead: every relative link and image resolves to a file inside the run folder,
    nothing (page or stylesheet) loads from the network, and every character is in the shared fonts."""
    import html as html_lib
    from pathlib import Path
    from urllib.parse import unquote

    path = Path(path)
    page = path.read_text(encoding="utf-8")
    meta = _SITE_META.search(page[:8192])
    content = _CONTENT.search(meta.group(0)) if meta else None
    if not content:
        return check_page(page)
    root = (path.parent / html_lib.unescape(content.group(1))).resolve()
    problems = [f"loads from the network: {ref}" for ref in external_references(page)]
    covered: dict[str, set[str]] = {}
    for tag, _attr, url in _LINK.findall(page):
        url = html_lib.unescape(url)
        if url.startswith(("#", "data:", "mailto:")) or (tag.lower() == "a" and re.match(r"^[a-z][\w+.-]*:", url, re.I)):
            continue  # a link to a web page elsewhere is a link, not something the page loads
        target = (path.parent / unquote(url.split("#")[0].split("?")[0])).resolve()
        if not target.is_relative_to(root):
            problems.append(f"links outside the site folder: {url}")
        elif not target.is_file():
            problems.append(f"broken link: {url}")
        elif tag.lower() == "link" and target.suffix == ".css":
            css_problems, faces = _stylesheet(str(target), target.stat().st_mtime)
            problems += css_problems
            for family, chars in faces.items():
                covered.setdefault(family, set()).update(chars)
    for kind, chars in fonts.page_characters(page).items():
        missing = chars - covered.get(fonts.FONT_FAMILIES[kind], set())
        if kind == "mono":
            missing -= covered.get(fonts.FONT_FAMILIES["sans"], set())  # mono text falls back to the sans font
        if missing:
            problems.append(f"characters not in the site's fonts ({kind}): "
                            + "".join(sorted(missing - set(fonts.ALWAYS)) or sorted(missing)))
    return problems


@caches.memo(16, what="a site stylesheet's problems and font characters, by path and mtime")
def _stylesheet(path: str, _mtime: float) -> tuple[list[str], dict[str, frozenset[str]]]:
    """What a site's stylesheet loads: problems (network, missing files) and the characters of each font
    family it declares (read from the font files)."""
    from pathlib import Path

    from fontTools.ttLib import TTFont

    css_path = Path(path)
    css = css_path.read_text(encoding="utf-8")
    problems = [f"{css_path.name} loads from the network: {m.group(0)}" for m in _REF.finditer(css)]
    for url in _CSS_URL.findall(css):
        if not url.startswith("data:") and not (css_path.parent / url).is_file():
            problems.append(f"{css_path.name}: broken link: {url}")
    faces: dict[str, frozenset[str]] = {}
    for family, url in _FONT_FACE.findall(css):
        font_file = css_path.parent / url
        if font_file.is_file():
            faces[family] = frozenset(chr(c) for c in TTFont(str(font_file)).getBestCmap())
    return problems, faces
