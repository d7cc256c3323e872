"""CJK fonts embedded in HTML pages: each page carries a subset of Noto Sans CJK SC (and of Noto Sans
Mono CJK SC for ``<pre>``/``<code>`` text) with exactly the characters it shows, so every character
renders on a machine without a CJK font and without network.

Both fonts come from the ``mplfonts`` wheel. Subsets keep outlines only (no OpenType layout tables,
no hints): a page of a county report carries ~15 KB of font.

>>> css = embedded_font_css("<p>巩义市</p><pre>N = 24 个</pre>")
>>> "@font-face" in css and FONT_FAMILIES["sans"] in css and FONT_FAMILIES["mono"] in css
True
>>> sorted(page_characters("<p>县&amp;</p><pre>市</pre>")["mono"] - set(ALWAYS))
['市']
"""

from __future__ import annotations

import base64
import html
import io
import re
import threading

from countylib import caches, extras

extras.require("reports", __name__, "fontTools")

FONT_FILES = {"sans": "NotoSansCJKsc-Regular.otf", "mono": "NotoSansMonoCJKsc-Regular.otf"}
FONT_FAMILIES = {"sans": "countylib CJK", "mono": "countylib CJK Mono"}
GENERIC = {"sans": "sans-serif", "mono": "monospace"}
MONO_TAGS = ("pre", "code", "kbd", "samp", "tt")
ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
# Characters every page may show without them appearing in its source (numbers written by scripts).
ALWAYS = ASCII + "\u00a0·×–—‘’“”…−"
BASE_RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2190, 0x2200), (0x2200, 0x2300),
               (0x2460, 0x24FF), (0x25A0, 0x2600), (0x3000, 0x3040), (0xFF00, 0xFFF0)]

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MONO = re.compile(r"<(" + "|".join(MONO_TAGS) + r")\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
#: Attributes whose text the page draws in its own font (a search box's hint, an input's value, the
#: stand-in text of an image that does not load); ``title`` is left out: the system draws tooltips.
_SHOWN_ATTRIBUTE_VALUE = re.compile(r"""\s(?:placeholder|value|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_FACE = re.compile(r"@font-face\s*\{font-family:'([^']+)';src:url\(data:font/[\w-]+;base64,([A-Za-z0-9+/=]+)\)")
_LOCK = threading.Lock()


def _text(fragment: str) -> set[str]:
    shown = " ".join(a or b for a, b in _attributes(fragment))
    return {ch for ch in html.unescape(_TAG.sub(" ", fragment) + " " + shown)
            if ch.isprintable() and not ch.isspace()}


def _attributes(fragment: str) -> list[tuple[str, str]]:
    """The values of the shown attributes of every tag in ``fragment`` (a tag may carry several)."""
    out = []
    for tag in _TAG.findall(fragment):
        out.extend(_SHOWN_ATTRIBUTE_VALUE.findall(tag))
    return out


def page_characters(page: str) -> dict[str, set[str]]:
    """The characters a page shows, by the font that shows them: ``{"sans": ..., "mono": ...}``.

    Text inside ``<pre>``, ``<code>``, ``<kbd>``, ``<samp>`` is monospaced; everything else, the text of
    the attributes a page draws (``placeholder``, ``value``, ``alt``) and the strings scripts put on screen
    (map tooltips, written as JSON in the page, ``\\uXXXX`` escapes decoded), is proportional. ASCII and
    the few symbols scripts write themselves (:data:`ALWAYS`) are always in.

    >>> sorted(set("拼音首字") - page_characters('<input placeholder="拼音首字" title="鼠标">')["sans"])
    []
    >>> "鼠" in page_characters('<input placeholder="拼音首字" title="鼠标">')["sans"]
    False
    """
    scripts = " ".join(_JS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s) for s in _SCRIPT.findall(page))
    rest = _COMMENT.sub(" ", _STYLE.sub(" ", _SCRIPT.sub(" ", page)))
    mono = set().union(*[_text(m.group(2)) for m in _MONO.finditer(rest)])
    sans = _text(_MONO.sub(" ", rest)) | {ch for ch in scripts if ord(ch) > 0x7F and ch.isprintable()}
    return {"sans": sans | set(ALWAYS), "mono": (mono | set(ALWAYS)) if mono else set()}


def _subset(source, text: str, base: bool = False) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []  # horizontal text needs no substitutions; keeps subsets small and fast
    options.hinting = not base  # the base cut drops the hints once; a page's cut then has none to remove
    options.desubroutinize = base  # and no subroutines to follow: each page's cut is faster and no larger
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence naming
    font = subset.load_font(source, options)
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


def font_path(kind: str = "sans"):
    """The font file behind ``kind`` ("sans" or "mono"), inside the installed ``mplfonts`` package."""
    from countylib.output.plotting import cjk_font_path

    return cjk_font_path().with_name(FONT_FILES[kind])


_BASE: dict[str, tuple[frozenset[str], bytes]] = {}
caches.on_reload(_BASE.clear, "countylib.output.fonts._BASE", "first cuts of the CJK fonts, by kind",
                 lambda: len(_BASE))


def base_font(kind: str = "sans") -> tuple[frozenset[str], bytes]:
    """A first cut of the 16 MB font down to the characters countylib's pages can contain (every place
    name, the indicator registry, the notebooks, the package's own strings, Latin and CJK punctuation):
    made once per process (~2 s), it makes each page's own subset ~8x faster. A batch makes it while
    its kernels start (:func:`prepare`); a single page is cut from the full font instead.
    """
    with _LOCK:
        if kind not in _BASE:
            chars = _base_characters()
            _BASE[kind] = (chars, _subset(str(font_path(kind)), "".join(sorted(chars)), base=True))
        return _BASE[kind]


@caches.memo(None)
def _base_characters() -> frozenset[str]:
    from countylib.data import regions
    from countylib.paths import PACKAGE_DIR, notebooks_dir

    reg = regions.registry()
    texts = [" ".join(reg["name"].dropna()), " ".join(reg["prefecture_name"].dropna())]
    for pattern in ("*.py", "*.yaml", "*.j2"):
        texts += [p.read_text(encoding="utf-8") for p in PACKAGE_DIR.rglob(pattern)]
    texts += [p.read_text(encoding="utf-8") for p in notebooks_dir().glob("*.ipynb")]
    chars = {ch for t in texts for ch in t if ord(ch) > 0x7F and ch.isprintable()}
    chars |= {chr(c) for lo, hi in BASE_RANGES for c in range(lo, hi)}
    return frozenset(chars)


_PREPARED = threading.Event()


def _source(kind: str, chars: set[str]):
    """The base cut when it is made (in a batch, made on first use) and covers ``chars``; else the full font."""
    base = _BASE.get(kind) or (base_font(kind) if _PREPARED.is_set() else None)
    if base is not None and chars <= base[0]:
        return io.BytesIO(base[1])
    return str(font_path(kind))


def subset_font(kind: str, text: str) -> bytes:
    """A subset of the ``kind`` font ("sans" or "mono") with the characters of ``text`` (outlines only)."""
    return _subset(_source(kind, set(text)), "".join(sorted(set(text))))


def family_rules() -> str:
    """CSS that makes every element use the countylib fonts (monospaced text the mono font)."""
    sans = f"'{FONT_FAMILIES['sans']}',{GENERIC['sans']}"
    mono = f"'{FONT_FAMILIES['mono']}','{FONT_FAMILIES['sans']}',{GENERIC['mono']}"
    mono_sel = ",".join(f"{t},{t} *" for t in MONO_TAGS)
    return f"html,body,body *{{font-family:{sans} !important;}}{mono_sel}{{font-family:{mono} !important;}}"


def embedded_font_css(page: str) -> str:
    """``<style>`` with @font-face rules carrying subsets of the CJK fonts with exactly the characters
    ``page`` shows, and rules that make every element use them (monospaced text the mono font)."""
    chars = page_characters(page)
    faces = []
    for kind in ("sans", "mono"):
        if not chars[kind]:
            continue
        data = base64.b64encode(subset_font(kind, "".join(chars[kind]))).decode("ascii")
        faces.append(f"@font-face{{font-family:'{FONT_FAMILIES[kind]}';"
                     f"src:url(data:font/otf;base64,{data}) format('opentype');}}")
    return "<style>" + "".join(faces) + family_rules() + "</style>"


#: Where a page template puts its fonts (``{{ fonts_marker }}``); :func:`embed` fills it in.
MARKER = "<!-- countylib: embedded fonts -->"


def embed(page: str) -> str:
    """``page`` with :data:`MARKER` replaced by the fonts it needs (:func:`embedded_font_css` of the page
    itself: the marker is a comment, so it adds no character).

    >>> "@font-face" in embed(f"<html><head>{MARKER}</head><body>县域</body></html>")
    True
    """
    return page.replace(MARKER, embedded_font_css(page), 1)


def embedded_fonts(page: str) -> dict[str, set[str]]:
    """The characters each embedded font of ``page`` covers: ``{family: set of characters}``
    (for checking a page: every character it shows must be covered by the font that shows it)."""
    from fontTools.ttLib import TTFont

    out = {}
    for family, data in _FACE.findall(page):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        out[family] = {chr(c) for c in font.getBestCmap()}
    return out


def uncovered(page: str) -> dict[str, set[str]]:
    """Characters ``page`` shows that its embedded fonts do not cover, by font kind (empty when all
    render with the embedded fonts).

    >>> "县" in uncovered('<p>县</p>')["sans"]
    True
    >>> page = '<p>县</p>'
    >>> uncovered(embedded_font_css(page) + page)
    {'sans': set(), 'mono': set()}
    """
    fonts = embedded_fonts(page)
    return {kind: chars - fonts.get(FONT_FAMILIES[kind], set()) for kind, chars in page_characters(page).items()}


def prepare() -> None:
    """Make the proportional font's base cut now (a batch calls this in a thread while its kernels start);
    the monospaced one is made when a page first needs it."""
    _PREPARED.set()
    base_font("sans")
