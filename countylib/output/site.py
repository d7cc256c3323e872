"""Site mode: the pages of a batch share one stylesheet, one font subset and the base maps, written once
under the run folder and linked relatively, so the folder works offline when copied or zipped.

Layout of a site (``reports/<run>/``)::

    index.html                         every unit: search by name, former name or pinyin initials
    province/<code>-<name>.html        a province: its units on a linked map and in a table
    county/<year>/<adcode>-<name>.html one profile per unit and year
    assets/page.css, assets/fonts.css  the stylesheet; the @font-face rules of the shared fonts
    assets/fonts/*.otf                 subsets of Noto Sans CJK SC (and Mono) with every character of every page
    assets/img/*.svg                   base maps shared by the profiles of a province or prefecture
    assets/characters.json             the characters the fonts were cut for (kept across batches)

A page of a site carries ``<meta name="countylib-site" content="../../">`` (the way back to the run
folder); ``countylib render check`` follows every relative link of such a page and checks its characters
against the shared fonts. A page rendered alone (``render notebook``, ``--self-contained``) embeds all it
needs instead.

>>> page = '<img src="data:image/svg+xml,%3Csvg/%3E" data-countylib-share="province-410000" alt="">'
>>> html, assets = share_images(page, "../../")
>>> html
'<img src="../../assets/img/province-410000-d4dc566691.svg" data-countylib-share="province-410000" alt="">'
>>> assets
{'assets/img/province-410000-d4dc566691.svg': b'<svg/>'}
>>> link_units('<span data-countylib-unit="410181">巩义市</span>', {"410181": "county/2022/410181-巩义市.html"}, "../../")
'<a href="../../county/2022/410181-巩义市.html" data-countylib-unit="410181">巩义市</a>'
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

from markupsafe import Markup, escape

from countylib.files import write_atomic, write_if_changed
from countylib.output import fonts, pages

ASSETS = "assets"
META = "countylib-site"
CHARACTERS = f"{ASSETS}/characters.json"
_IMG = re.compile(r"<img\b[^>]*>")
_SHARE_NAME = re.compile(r'\sdata-countylib-share="([\w.-]+)"')
_DATA_SRC = re.compile(r'\ssrc="data:image/([\w+]+)(;base64)?,([^"]*)"')
_UNIT = re.compile(r'<span data-countylib-unit="(\d{6})">([^<]*)</span>')
_EXT = {"svg+xml": "svg", "png": "png", "jpeg": "jpg"}


@dataclass
class SitePage:
    """Where a page sits in a site: the way back to the run folder (``"../../"``) and the pages it may link
    to (unit code -> path from the run folder)."""

    root: str
    links: dict[str, str] = field(default_factory=dict)
    province: tuple[str, str] = ("", "")  # the page of the unit's province (path from the run folder) and its name

    def nav(self) -> str:
        """The way back from a profile: the site's index and, where the site has it, the province's page.

        >>> SitePage("../../", province=("province/410000-河南省.html", "河南省")).nav()
        '<nav class="countylib-site-nav"><a href="../../index.html">← 全部县级单位</a> · <a href="../../province/410000-河南省.html">河南省</a></nav>'
        """
        path, name = self.province
        back = f'<a href="{escape(self.root)}index.html">← 全部县级单位</a>'
        if path:
            back += f' · <a href="{escape(self.root + path)}">{escape(name)}</a>'
        return f'<nav class="countylib-site-nav">{back}</nav>'

    def head(self) -> Markup:
        """The head of a site page: the shared stylesheet and fonts, and the marker ``render check`` reads."""
        root = escape(self.root)
        return Markup(f'<meta name="{META}" content="{root}">\n'
                      f'<link rel="stylesheet" href="{root}{ASSETS}/page.css">\n'
                      f'<link rel="stylesheet" href="{root}{ASSETS}/fonts.css">')


@dataclass
class Rendered:
    """A page of a site, the shared files it uses (path from the run folder -> bytes) and the characters
    it shows by font kind (for the shared fonts)."""

    html: str
    assets: dict[str, bytes] = field(default_factory=dict)
    chars: dict[str, str] = field(default_factory=dict)


def share_images(page: str, root: str) -> tuple[str, dict[str, bytes]]:
    """Images marked ``data-countylib-share`` move out of the page into ``assets/img/`` under a name that
    carries a hash of their bytes (the same map on many pages is one file); the page links them."""
    assets: dict[str, bytes] = {}

    def move(m: re.Match) -> str:
        tag = m.group(0)
        name, src = _SHARE_NAME.search(tag), _DATA_SRC.search(tag)
        if not name or not src:
            return tag
        kind, b64, data = src.groups()
        raw = base64.b64decode(data) if b64 else unquote_to_bytes(html.unescape(data))
        path = f"{ASSETS}/img/{name.group(1)}-{hashlib.sha256(raw).hexdigest()[:10]}.{_EXT.get(kind, 'bin')}"
        assets[path] = raw
        return tag[:src.start()] + f' src="{root}{path}"' + tag[src.end():]

    return _IMG.sub(move, page), assets


def link_units(page: str, links: dict[str, str], root: str) -> str:
    """Names marked ``data-countylib-unit`` become links to the unit's page where the site has one."""

    def link(m: re.Match) -> str:
        target = links.get(m.group(1))
        if not target:
            return m.group(0)
        return f'<a href="{escape(root + target)}" data-countylib-unit="{m.group(1)}">{m.group(2)}</a>'

    return _UNIT.sub(link, page)


def finish_page(page: str, site: SitePage) -> Rendered:
    """A page rendered for a site: shared images moved out, units linked, fonts left to the site's
    stylesheet (the marker removed), its characters counted."""
    page, assets = share_images(page, site.root)
    page = link_units(page, site.links, site.root)
    page = page.replace("<main>", "<main>\n" + site.nav(), 1)
    page = page.replace(fonts.MARKER, "", 1)
    chars = fonts.page_characters(page)
    return Rendered(page, assets, {k: "".join(sorted(v)) for k, v in chars.items()})


def write_assets(run_dir: Path, assets: dict[str, bytes]) -> None:
    """Write shared files that are not there yet (their names carry their hash: same name, same bytes)."""
    for rel, data in assets.items():
        path = run_dir / rel
        if not path.exists():
            write_atomic(path, data)


def read_characters(run_dir: Path) -> dict[str, set[str]]:
    """The characters the run's shared fonts were cut for (empty sets for a new run)."""
    try:
        stored = json.loads((run_dir / CHARACTERS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    return {kind: set(stored.get(kind, "")) for kind in fonts.FONT_FILES}


def write_fonts(run_dir: Path, chars: dict[str, set[str]]) -> bool:
    """Cut the shared fonts for ``chars`` (with those already recorded) and write ``fonts.css``; nothing
    is cut again when no character is new. Returns True when the fonts were (re)written."""
    known = read_characters(run_dir)
    wanted = {kind: known[kind] | set(chars.get(kind, ())) | (set(fonts.ALWAYS) if kind == "sans" else set())
              for kind in fonts.FONT_FILES}
    css = run_dir / ASSETS / "fonts.css"
    if wanted == known and css.is_file():
        return False
    faces, names = [], []
    for kind in ("sans", "mono"):
        if not wanted[kind]:
            continue
        text = "".join(sorted(wanted[kind] | set(fonts.ALWAYS)))
        data = fonts.subset_font(kind, text)
        name = f"countylib-{kind}-{hashlib.sha256(data).hexdigest()[:10]}.otf"
        write_atomic(run_dir / ASSETS / "fonts" / name, data)
        names.append(name)
        faces.append(f"@font-face{{font-family:'{fonts.FONT_FAMILIES[kind]}';"
                     f"src:url(fonts/{name}) format('opentype');}}")
    for old in (run_dir / ASSETS / "fonts").glob("countylib-*.otf"):
        if old.name not in names:
            old.unlink(missing_ok=True)
    write_atomic(css, "".join(faces) + fonts.family_rules() + "\n")
    write_atomic(run_dir / CHARACTERS, json.dumps({k: "".join(sorted(v)) for k, v in wanted.items()},
                                                  ensure_ascii=False))
    return True


def write_stylesheet(run_dir: Path) -> None:
    """The shared stylesheet: countylib's page style and that of the site's own pages."""
    css = str(pages.asset("page.css")) + "\n" + str(pages.asset("site.css"))
    write_if_changed(run_dir / ASSETS / "page.css", css)
