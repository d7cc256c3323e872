"""The documents researchers collect, as text the extractor reads: saved web pages, PDF and Word files,
plain text in the encodings :func:`countylib.ingest.bulletin.reading.read_text` detects.

Each document becomes one :class:`Document`: its text (the page's main text, a PDF's text layer page
after page, a Word file's paragraphs and tables in their order), its title, the address a saved page
records (``<link rel=canonical>``, ``og:url``, the ``saved from url`` comment browsers write, an
``.mhtml`` file's ``Snapshot-Content-Location``) and, for a PDF, where each page starts in the text. A
character span in the text therefore names its page. Tables of web pages and Word files are kept as
rows of cells separated by `` | `` (the form the extractor's table reader takes).

What is not a readable document is a :class:`BadInput` with a one-line reason: an empty file, an image
or a legacy Word file under any name, an encrypted or damaged PDF, a PDF without a text layer (a scan),
a page with no main text.

>>> import tempfile, pathlib
>>> page = pathlib.Path(tempfile.mkdtemp()) / "a.html"
>>> _ = page.write_text('<html><head><title>2022年嵩县统计公报</title><link rel="canonical" href="http://x.test/a">'
...                     '</head><body><div class="nav"><a href="/">首页</a></div><div class="article">'
...                     '<p>全县生产总值230.5亿元，比上年增长4.1%。全年一般公共预算收入12.1亿元。年末常住人口41.2万人。</p>'
...                     '<table><tr><td>指标</td><td>绝对数(亿元)</td></tr><tr><td>地区生产总值</td><td>230.5</td></tr>'
...                     '</table></div><script>var a = "生产总值999亿元";</script></body></html>', encoding="utf-8")
>>> doc = read(page)
>>> doc.kind, doc.title, doc.url
('html', '2022年嵩县统计公报', 'http://x.test/a')
>>> print(doc.text, end="")
2022年嵩县统计公报
全县生产总值230.5亿元，比上年增长4.1%。全年一般公共预算收入12.1亿元。年末常住人口41.2万人。
指标 | 绝对数(亿元) |
地区生产总值 | 230.5 |
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from countylib.ingest.bulletin.reading import BadInput, decode, file_bytes, text_of

__all__ = ["DOCUMENT_SUFFIXES", "BadInput", "Document", "Found", "find", "read"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MHTML_SUFFIXES = (".mhtml", ".mht")
TEXT_SUFFIXES = (".txt", ".text")
#: What a folder is searched for.
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *MHTML_SUFFIXES, ".pdf", ".docx")
#: Documents of kinds countylib does not read, with what to do (listed as failures when met in a folder).
UNREADABLE_SUFFIXES = {".doc": "a Word 97-2003 file: open it and save it as .docx",
                       ".wps": "a WPS file: open it and save it as .docx",
                       ".rtf": "an RTF file: open it and save it as .docx",
                       ".odt": "an OpenDocument text: open it and save it as .docx",
                       ".caj": "a CAJ file: print or export it to PDF first",
                       ".ofd": "an OFD file: export it to PDF first"}
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
_REVIEW_PAGE = re.compile(r"\.review\.html$|^extract-index\.html$")

#: Files recognised by their first bytes, whatever their name.
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"BM", "a BMP image"),
          (b"\xd0\xcf\x11\xe0", "a Word or Excel 97-2003 file (.doc/.xls)"), (b"{\\rtf", "an RTF file"),
          (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive"))
#: Fewer Chinese characters than this in a page's main text: no main text.
MIN_MAIN_TEXT = 30


@dataclass
class Document:
    """A document's text and where it came from."""

    path: Path
    kind: str  # text, html, pdf, docx
    text: str
    title: str = ""
    url: str = ""
    page_starts: tuple[int, ...] = (0,)  # where each PDF page starts in ``text``
    encoding: str = ""
    note: str = ""  # something a reader should know (pages without a text layer ...)

    @property
    def pages(self) -> int:
        return len(self.page_starts) if self.kind == "pdf" else 0

    def page_at(self, pos: int) -> int | None:
        """The PDF page (from 1) a character of the text is on; None for other kinds.

        >>> Document(Path("a.pdf"), "pdf", "ab\\ncd", page_starts=(0, 3)).page_at(4)
        2
        """
        return bisect_right(self.page_starts, pos) if self.kind == "pdf" else None


@dataclass(frozen=True)
class Found:
    """A file met while looking through the paths given: a document to read, or why it is not read."""

    path: Path
    reason: str = ""  # why it is not read ("" for a document)
    failed: bool = False  # a document that cannot be read (True) or a file that is no document (False)


def find(paths: str | Path | Iterable[str | Path]) -> list[Found]:
    """The documents in ``paths`` (files, and folders searched through), in a stable order, with the
    files that are not read and why (``paths`` may be one path). A file named on its own is always a document to read; in a folder,
    files of other kinds are listed as not read, hidden files and the folders browsers save beside a
    page (``page_files/``) are passed over, and review pages written by ``countylib extract`` too.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.pdf", "a.html", "a_files/x.js", "c.js", "old.doc", ".DS_Store"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_bytes(b"x")
    >>> [(f.path.name, f.reason[:20], f.failed) for f in find([d])]
    [('a.html', '', False), ('b.pdf', '', False), ('c.js', 'not a document (.js)', False), ('old.doc', 'a Word 97-2003 file:', True)]
    """
    if isinstance(paths, str | os.PathLike):  # one path, never the characters of its name
        paths = [paths]
    out: list[Found] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if not p.exists():
            out.append(Found(p, "no such file or folder", True))
            continue
        if p.is_file():
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(Found(p))
            continue
        for f in sorted(_walk(p)):
            if f.resolve() in seen:
                continue
            seen.add(f.resolve())
            out.append(_classify(f))
    return out


def _walk(folder: Path) -> Iterable[Path]:
    pages = {f.stem for f in folder.iterdir() if f.suffix.lower() in HTML_SUFFIXES} if folder.is_dir() else set()
    for f in folder.iterdir():
        if f.name.startswith(".") or f.name.startswith("~$"):  # hidden files, Word's lock files
            continue
        if f.is_dir():
            if f.name.endswith(("_files", ".files")) and f.name.rsplit("_files", 1)[0].rsplit(".files", 1)[0] in pages:
                continue  # what a browser saved beside a page: images, scripts, styles
            yield from _walk(f)
        elif f.is_file():
            yield f


def _classify(f: Path) -> Found:
    suffix = f.suffix.lower()
    if _REVIEW_PAGE.search(f.name):
        return Found(f, "a review page written by countylib extract")
    if suffix in DOCUMENT_SUFFIXES:
        return Found(f)
    if suffix in UNREADABLE_SUFFIXES:
        return Found(f, UNREADABLE_SUFFIXES[suffix], True)
    if suffix in _IMAGE_SUFFIXES:
        return Found(f, "an image, not read (a scanned bulletin needs OCR first)")
    return Found(f, f"not a document ({suffix or 'no extension'})")


def read(path: str | Path, encoding: str | None = None) -> Document:
    """The :class:`Document` of a file, by what its first bytes say it is and then by its name; raises
    :class:`BadInput` with a one-line reason for anything that is not a readable document."""
    path = Path(path)
    data = file_bytes(path)
    suffix = path.suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return _pdf(path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            named = f"named {suffix} but " if suffix in DOCUMENT_SUFFIXES else ""
            todo = "run OCR on it first" if "image" in what else "save it as .docx or PDF" if "97" in what or "RTF" in what \
                else "unpack it first"
            raise BadInput(f"{path}: {named}{what}, not a document countylib reads; {todo}")
    if data.startswith(b"PK\x03\x04"):
        return _docx(path)
    if suffix == ".pdf":
        raise BadInput(f"{path}: named .pdf but not a PDF (no %PDF header): a damaged download or another kind of file")
    if suffix == ".docx":
        raise BadInput(f"{path}: named .docx but not a Word file (not a zip package)")
    if suffix in MHTML_SUFFIXES or data[:4096].lstrip().lower().startswith((b"from:", b"mime-version:")):
        return _mhtml(path, data)
    if suffix in HTML_SUFFIXES:
        return _html(path, data, encoding)
    text, enc = text_of(path, data, encoding)
    return Document(path, "text", text, encoding=enc)


# ------------------------------------------------------------------------------------------------------
# Web pages
# ------------------------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_SINGLE_FILE = re.compile(r"<!--[^>]{0,200}?\burl:\s*(https?://\S+)", re.I)
#: Elements that never hold a page's main text.
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
              "nav", "header", "footer", "aside", "form", "select", "button", "input", "textarea", "rt", "rp",
              "audio", "video", "map", "dialog", "menu"]
#: Words in a class or id that mark navigation and the like (whole words of the attribute).
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menus|breadcrumbs?|crumbs?|header|footer|foot|sidebar|side|share|"
    r"sharing|related|recommend|comments?|copyright|banner|toolbar|login|search|ads?|advert|friendlinks?|links|"
    r"pagination|pager|print|topbar|top-bar|bottom|dh|wzdh|dqwz|position|location|subnav|tabs?|hide|hidden|"
    r"invisible)(?:$|[\s_-])",
    re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_BREAK_BETWEEN_CJK = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])[ \t]*\n[ \t\n]*"
                                r"(?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])")


def _html(path: Path, data: bytes, encoding: str | None, url: str = "") -> Document:
    m = _CHARSET.search(data[:4096])
    declared = _charset(encoding or (m.group(1).decode("ascii") if m else None))
    if not encoding and declared and declared.lower() not in ("utf-8", "utf8"):
        try:  # a browser may save a page as UTF-8 and leave the charset it was served with in the page
            return _page(path, data.decode("utf-8"), "utf-8", url)
        except UnicodeDecodeError:
            pass
    try:
        text, enc = decode(path, data, declared)
    except BadInput:
        if encoding or not declared:
            raise
        text, enc = decode(path, data, None)  # the page declared a charset it is not written in
    return _page(path, text, enc, url)


def _charset(name: str | None) -> str | None:
    """The encoding a page labelled ``name`` is read in: a name of GB2312 or GBK as GB18030, the superset
    every such page is written in (a character outside GB2312 in a page labelled gb2312 is common).

    >>> _charset("GB2312"), _charset("x-gbk"), _charset("utf-8"), _charset(None)
    ('gb18030', 'gb18030', 'utf-8', None)
    """
    return "gb18030" if name and name.lower() in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else name


def _page(path: Path, html: str, encoding: str, url: str = "") -> Document:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = _SPACE.sub(" ", title_node.text()).strip() if title_node else ""
    url = url or _page_url(tree, html)
    heading = _heading(tree, title)
    body = tree.body
    if body is None:
        raise BadInput(f"{path}: a web page with no body, no main text to read")
    body.strip_tags(_DROP_TAGS)
    _drop_boilerplate(body)
    main = _main_node(body, _heading_node(body, heading))
    own = _own_chinese(main)
    if own < MIN_MAIN_TEXT:
        raise BadInput(f"{path}: no main text in the page ({own} Chinese characters outside navigation, scripts and "
                       "links); save the page again once it has loaded, or copy its text into a .txt")
    lines: list[str] = []
    _render(main, lines)
    text = "".join(lines)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{2,}", "\n", text).strip()
    if heading and heading not in text[:len(heading) + 200]:
        text = heading + "\n" + text  # the heading above the main text: the title the document gives itself
    return Document(path, "html", text + "\n", title=heading or title, url=url, encoding=encoding)


def _drop_boilerplate(body) -> None:
    """Remove navigation, menus, footers, share bars, hidden elements (by class, id, style). The outermost
    of them are found first and only they are removed: a node inside a removed one is never touched again."""
    marked = []
    for node in body.css("[class], [id], [style], [hidden], [aria-hidden]"):
        attrs = node.attributes
        marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        hidden = _HIDDEN.search(attrs.get("style") or "") or "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if (_BOILERPLATE.search(marks) or hidden) and node.tag not in ("body", "html"):
            marked.append(node)
    ids = {n.mem_id for n in marked}
    outermost = []
    for node in marked:
        parent, inside = node.parent, False
        while parent is not None and not inside:
            inside = parent.mem_id in ids
            parent = parent.parent
        if not inside:
            outermost.append(node)
    for node in outermost:
        node.decompose()


_KIND_WORDS = re.compile(r"统计公报|統計公報|政府工作报告|政府工作報告")


_NAMES_A_YEAR = re.compile(r"(?:19|20)\d\d\s*年|[〇○零一二三四五六七八九]{4}年")


def _heading(tree, title: str) -> str:
    """The page's own title: among the headings naming a bulletin or a report and the ``<title>``'s first part,
    the one that names a year and that the ``<title>`` repeats (a site's name in an ``<h1>`` logo, 红黑统计公报库,
    names no year; a neighbouring bulletin in a side bar is not in the ``<title>``); without any, the first
    heading in Chinese.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> page = LexborHTMLParser("<h1>红黑统计公报库</h1><h3>2022年栾川县统计公报</h3><h1>2022年嵩县统计公报</h1>")
    >>> _heading(page, "2022年嵩县统计公报 - 红黑统计公报库")
    '2022年嵩县统计公报'
    """
    heads = [t for t in (_SPACE.sub(" ", n.text()).strip() for n in tree.css("h1, h2, h3")) if _CJK.search(t)]
    named = [h for h in heads if _KIND_WORDS.search(h) and len(h) <= 80]
    if _KIND_WORDS.search(title):
        named.append(re.split(r"\s*[_|]\s*|\s+-\s+", title)[0].strip())
    if named:
        plain = re.sub(r"\s+", "", title)
        return max(named, key=lambda h: (2 * bool(_NAMES_A_YEAR.search(h)) + (re.sub(r"\s+", "", h) in plain)))
    return heads[0] if heads else ""


def _page_url(tree, html: str) -> str:
    """The address a saved page records: canonical link, og:url, the browser's ``saved from`` comment."""
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        value = (node.attributes.get(attr) or "").strip() if node else ""
        if value.startswith(("http://", "https://")):
            return value
    head = html[:3000]
    m = _SAVED_FROM.search(head) or _SINGLE_FILE.search(head)
    return m.group(1) if m and m.group(1).startswith(("http://", "https://")) else ""


def _own_chinese(node) -> int:
    """Chinese characters in a node's text outside links (a menu is mostly links)."""
    total = len(_CJK.findall(node.text(deep=True)))
    linked = sum(len(_CJK.findall(a.text(deep=True))) for a in node.css("a"))
    return total - linked


_CONTAINERS = frozenset({"div", "article", "section", "main", "center", "font", "span", "form", "blockquote"})
_TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})


def _container(node) -> bool:
    """An element that lays out blocks (a div, a cell of a layout table), not a paragraph or a data table."""
    if node.tag in _CONTAINERS:
        return True
    if node.tag not in _TABLE_PARTS:
        return False
    table = node
    while table is not None and table.tag != "table":
        table = table.parent
    return table is not None and not _data_table(table)


def _heading_node(body, heading: str):
    """The element that shows the page's title (the innermost one whose text is the heading), if any is left
    in the body."""
    if not heading:
        return None
    want = re.sub(r"\s+", "", heading)
    found = None
    for node in body.css("h1, h2, h3, h4, div, p, span, strong, b, font, td"):
        if re.sub(r"\s+", "", node.text(deep=True)) == want:
            found = node  # later matches lie inside earlier ones, or after them: the innermost comes last
            if node.tag in ("h1", "h2", "h3", "h4"):
                break
    return found


def _main_node(body, heading=None):
    """The smallest element that still holds most of the page's own text: from the body down, into the
    container that holds at least 80 % of its parent's Chinese characters outside links, while there is
    one (never into a paragraph or a data table: their neighbours are part of the text). Where no child
    holds that much (a short article beside a side bar of text), into the child that holds the page's
    title, when it holds at least 40 %: the article's column, not the side bar's."""
    inside = set()
    node = heading
    while node is not None:
        inside.add(node.mem_id)
        node = node.parent
    node, size = body, _own_chinese(body)
    while True:
        best, best_size, titled, titled_size = None, 0, None, 0
        child = node.child
        while child is not None:
            if child.tag not in ("-text", "-comment"):
                n = _own_chinese(child)
                if n > best_size:
                    best, best_size = child, n
                if child.mem_id in inside:
                    titled, titled_size = child, n
            child = child.next
        if best is not None and best_size >= 0.8 * size and _container(best):
            node, size = best, best_size
        elif titled is not None and titled_size >= 0.4 * size and _container(titled):
            node, size = titled, titled_size
        else:
            return node


def _render(node, out: list[str]) -> None:
    """Text of ``node`` with line breaks where blocks end; a data table as rows of `` | ``-separated cells."""
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            out.append(_SPACE.sub(" ", _BREAK_BETWEEN_CJK.sub("", child.text_content or "")))
        elif tag == "br":
            out.append("\n")
        elif tag == "table" and _data_table(child):
            out.append("\n")
            for row in child.css("tr"):
                cells = [_SPACE.sub(" ", c.text(deep=True)).strip() for c in row.iter() if c.tag in ("td", "th")]
                if any(cells):
                    out.append(" | ".join(cells) + " |\n")
        elif tag in _LISTS and _links_only(child):
            pass  # a list of links inside the text: a menu or a list of other articles
        elif tag != "-comment":
            block = tag in _BLOCK_TAGS
            if block:
                out.append("\n")
            _render(child, out)
            if block:
                out.append("\n")
        child = child.next


_LISTS = frozenset({"ul", "ol", "dl", "menu"})


def _links_only(node) -> bool:
    total = len(_CJK.findall(node.text(deep=True)))
    return total > 0 and _own_chinese(node) < 0.2 * total


def _data_table(table) -> bool:
    """A table of figures (rows of cells), not one that lays out the page (tables inside, long text in a cell)."""
    if len(table.css("table")) > 1:  # (a node's css() includes the node itself)
        return False
    return all(len(_CJK.findall(c.text(deep=True))) <= 60 for c in table.css("td, th"))


def _mhtml(path: Path, data: bytes) -> Document:
    """A page saved as one file (.mhtml): its HTML part, and the address it was saved from."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.compat32)
    url = (msg.get("Snapshot-Content-Location") or "").strip()
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            url = url or (part.get("Content-Location") or "").strip()
            text, enc = decode(path, payload, _charset(part.get_content_charset()))
            return _page(path, text, enc, url if url.startswith(("http://", "https://")) else "")
    raise BadInput(f"{path}: a saved page (.mhtml) without an HTML part")


# ------------------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------------------

#: Radical forms some PDF writers put in the text layer for ordinary characters (增⻓ for 增长). Kangxi radicals
#: (⽣) are already read as the characters they stand for; these supplement forms have no Unicode mapping.
_RADICAL_FORMS = str.maketrans("⻓⻔⻛⻚⻄⻅⻋⻝⻢⻥⻦⻩⻬⻰⻳⻜⻆⻘⻙⻉⻮⻁⻊⻤",
                               "长门风页西见车食马鱼鸟黄齐龙龟飞角青韦贝齿虎足鬼")
_PDF_NOISE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff\ufffd]")


def _pdf(path: Path) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise BadInput(f"{path}: an encrypted PDF (it needs a password to open); open it with the password and "
                           "save or print an unprotected copy") from None
        said = re.search(r"PDFium: ([^)]+)", str(exc))
        raise BadInput(f"{path}: a damaged PDF that cannot be opened ({said.group(1) if said else str(exc).strip()}); "
                       "download it again") from None
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(_page_lines(textpage, page.get_size()))
            textpage.close()
            page.close()
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
        n = len(pdf)
    except pdfium.PdfiumError as exc:
        raise BadInput(f"{path}: a damaged PDF ({str(exc).strip()}); download it again") from None
    finally:
        pdf.close()
    parts, starts, pos = [], [], 0
    empty = sum(1 for lines in pages if not any(ln.text.strip() for ln in lines))
    for text in _reflow(_without_running_lines(pages)):
        starts.append(pos)
        parts.append(text)
        pos += len(text)
    text = "".join(parts)
    visible = re.sub(r"\s", "", text)
    if n == 0:
        raise BadInput(f"{path}: a PDF without pages")
    if len(visible) < 10:
        raise BadInput(f"{path}: no text layer ({n} page{'s' if n > 1 else ''} of images, a scan): run OCR first")
    if len(_PRIVATE_USE.findall(visible)) > 0.2 * len(visible):
        raise BadInput(f"{path}: the PDF's text layer has no readable characters (fonts without a Unicode map): "
                       "run OCR on the pages first")
    note = f"{empty} of {n} pages have no text layer (scanned pages are not read)" if empty else ""
    return Document(path, "pdf", text, title=title, page_starts=tuple(starts), note=note)


@dataclass
class _Line:
    """A line of a PDF page's text layer and where it stands on the page (points, origin bottom left)."""

    text: str
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    top: float = 0.0
    gap: float = 0.0  # the widest gap between neighbouring characters (cells of a table row stand apart)
    em: float = 0.0  # the width of a Chinese character on the page
    full: bool = False  # reaches the right margin: the paragraph goes on on the next line
    indent: bool = False  # starts right of the left margin: a paragraph's first line, a heading, a centred title
    zone: str = ""  # "top" or "bottom": in the page's header or footer band


def _page_lines(textpage, size: tuple[float, float]) -> list[_Line]:
    """The lines of a page's text layer with their boxes; without geometry (a text layer whose characters
    cannot be placed) the lines alone."""
    raw = textpage.get_text_range()
    lines: list[_Line] = []
    geometry = textpage.count_chars() == len(raw)
    chars: list[tuple[str, tuple]] = []

    def close() -> None:
        text = _PDF_NOISE.sub("", "".join(ch for ch, _ in chars)).translate(_RADICAL_FORMS)
        boxes = sorted((b for ch, b in chars if ch.strip()), key=lambda b: b[0]) if geometry else []
        line = _Line(text)
        if geometry and boxes:  # a space that ends a justified line reaches the margin too
            line.left, line.right = boxes[0][0], max(b[2] for _, b in chars if b[2] > b[0])
            line.bottom, line.top = min(b[1] for b in boxes), max(b[3] for b in boxes)
            line.gap = max((b[0] - a[2] for a, b in zip(boxes, boxes[1:], strict=False)), default=0.0)
            cjk = sorted(b[2] - b[0] for (ch, b) in chars if _CJK.match(ch))
            line.em = cjk[len(cjk) // 2] if cjk else 0.0
            band = 0.07 * size[1]
            line.zone = "top" if line.bottom > size[1] - band else "bottom" if line.top < band else ""
        lines.append(line)
        chars.clear()

    for i, ch in enumerate(raw):
        if ch == "\n":
            close()
        elif ch != "\r":
            chars.append((ch, textpage.get_charbox(i, loose=True) if geometry else ()))
    if chars:
        close()
    ems = sorted(ln.em for ln in lines if ln.em)
    em = ems[len(ems) // 2] if ems else 0.0
    prose = [ln for ln in lines if len(ln.text.strip()) >= 10 and not ln.zone and ln.gap <= 1.5 * em]
    margin = max((ln.right for ln in prose), default=0.0)
    # a right margin is one that several lines reach, well across the page (a paragraph set justified)
    if em and margin > 0.6 * size[0] and sum(ln.right >= margin - 0.5 * em for ln in prose) >= 2:
        for ln in prose:
            ln.full = ln.right >= margin - 0.6 * em
    placed = [ln for ln in lines if ln.text.strip() and ln.em and not ln.zone]
    left = min((ln.left for ln in placed), default=0.0)
    for ln in placed:
        ln.indent = ln.left >= left + em
    return lines


#: A page number as printed in a header or footer: — 3 —, - 3 -, 第3页, 第 3 页 共 12 页, 3/12, Page 3 of 12.
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}\s*页?(?:\s*(?:[/／]|共|of)\s*\d{1,4}\s*页?)?[\s\-—–－·•]*$"
                          r"|^\s*page\s*\d{1,4}(?:\s*of\s*\d{1,4})?\s*$", re.I)


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without their running heads and feet: a page number in the header or footer band, and a
    line printed in the same band on several pages or repeating the document's first lines (the title or the
    office at the top of every page but the first; the first page keeps its lines but for a page number)."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    seen: dict[tuple[str, str], set[int]] = {}
    for i, lines in enumerate(pages):
        for ln in lines:
            if ln.zone and ln.text.strip():
                seen.setdefault((ln.zone, key(ln)), set()).add(i)
    running = {k for k, on in seen.items() if len(on) >= 2 and len(on) >= len(pages) / 2}
    opening = {key(ln) for ln in (pages[0] if pages else [])[:3] if ln.text.strip()}  # the title, as a running head
    running |= {(zone, k) for zone, k in seen if k in opening}
    out = []
    for i, lines in enumerate(pages):
        out.append([ln for ln in lines if not (ln.zone and (_PAGE_NUMBER.match(ln.text) or (
            i > 0 and (ln.zone, key(ln)) in running)))])
    return out


def _reflow(pages: list[list[_Line]]) -> list[str]:
    """Each page's text, a line that reaches the right margin joined to the next one (on the next page too)
    unless that one starts a paragraph (indented): a word processor breaks a paragraph's lines anywhere
    (生产总值1653.57亿 | 元), also after a full stop that does not end the paragraph."""
    flat = [(i, ln) for i, lines in enumerate(pages) for ln in lines if ln.text.strip()]
    texts = ["" for _ in pages]
    for k, (i, ln) in enumerate(flat):
        nxt = flat[k + 1][1] if k + 1 < len(flat) else None
        if ln.full and nxt is not None and not nxt.indent:
            texts[i] += ln.text.rstrip()
        else:
            texts[i] += ln.text + "\n"
    return [t if t.strip() else "\n" for t in texts]


# ------------------------------------------------------------------------------------------------------
# Word
# ------------------------------------------------------------------------------------------------------

def _docx(path: Path) -> Document:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise BadInput(f"{path}: a damaged zip package (a .docx or .xlsx that cannot be opened)") from None
    if "word/document.xml" not in names:
        what = "a spreadsheet (.xlsx): put yearbook tables into data/raw (see data/README.md)" \
            if "xl/workbook.xml" in names else "a zip archive, not a Word document: unpack it first"
        raise BadInput(f"{path}: {what}")
    import docx

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, docx.table.Table):
                lines.extend(_docx_rows(block))
            else:
                lines.append(block.text)
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # noqa: BLE001 - a damaged package raises many kinds of errors
        raise BadInput(f"{path}: a damaged Word file ({type(exc).__name__}: {str(exc)[:80]})") from None
    text = "\n".join(line.strip() for line in lines if line.strip())
    if not _CJK.search(text) and len(text) < 10:
        raise BadInput(f"{path}: a Word file with no text")
    return Document(path, "docx", text + "\n", title=title)


def _docx_rows(table) -> list[str]:
    """A table's rows as `` | ``-separated cells. A cell merged over several columns comes once; one merged
    down over several rows is its first row's (the rows below leave it empty, as a web page's rowspan does:
    地区生产总值 over a row of levels and a row of growth rates labels the levels only)."""
    rows, above = [], []
    for row in table.rows:
        cells, seen, tcs = [], [], [cell._tc for cell in row.cells]
        for k, (cell, tc) in enumerate(zip(row.cells, tcs, strict=True)):
            if any(tc is t for t in seen):  # a merged cell comes once for every grid column it spans
                continue
            seen.append(tc)
            merged_down = k < len(above) and above[k] is tc
            cells.append("" if merged_down else _SPACE.sub(" ", " ".join(p.text for p in cell.paragraphs)).strip())
        above = tcs
        if any(cells):
            rows.append(" | ".join(cells) + " |")
    return rows
