"""One place for figure style and CJK font registration.

The Noto Sans CJK SC font shipped inside the ``mplfonts`` wheel is registered
with matplotlib's font manager at run time, so Chinese labels render on a
machine without any system CJK font and without touching matplotlib's own
installation folder. The bundled font always wins: on a machine that has its own
Noto Sans CJK SC (Debian's ``fonts-noto-cjk``, a font in ``~/.local/share/fonts``),
countylib's figures still use the bundled file, so they look the same everywhere and
match the subsets embedded in HTML pages (:mod:`countylib.output.fonts`).

Use :func:`style` around your own figures to get Chinese labels without changing your settings::

    import matplotlib.pyplot as plt
    from countylib import plotting

    with plotting.style():
        fig, ax = plt.subplots()
        ax.set_title("河南省县域经济")

Example
-------
>>> from countylib import plotting
>>> fig, ax = plotting.new_figure()
>>> _ = ax.set_title("河南省县域经济")
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager

from countylib import caches

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_HATCH = "////"
NO_DATA_LABEL = "无数据"


def cjk_font_path() -> Path:
    """Path of the CJK font file inside the installed ``mplfonts`` package."""
    return _mplfonts_dir() / CJK_FONT_FILE


def _mplfonts_dir() -> Path:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The 'mplfonts' package is not installed; it ships the CJK font countylib uses. "
            "Run `make install` (or `pip install mplfonts`)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def register_cjk_font() -> str:
    """Register the CJK font from ``mplfonts`` and return its family name; the bundled file is then the
    one matplotlib finds for that name, ahead of any font of the same name installed on the system.

    Safe to call many times: the font is added once per font manager, and each call only checks that it
    still comes first (countylib's style calls it whenever it is applied).

    >>> register_cjk_font()
    'Noto Sans CJK SC'
    >>> "mplfonts" in font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK SC"))
    True
    """
    path = str(_bundled_font())
    fm = font_manager.fontManager
    mine = [e for e in fm.ttflist if e.fname == path]
    if not mine:
        fm.addfont(path)
        mine = [e for e in fm.ttflist if e.fname == path]
    if any(a is not b for a, b in zip(fm.ttflist, mine, strict=False)):
        # findfont keeps the first of equally good matches: the bundled file goes before any system copy.
        ours = {id(e) for e in mine}
        fm.ttflist[:] = mine + [e for e in fm.ttflist if id(e) not in ours]
        fm._findfont_cached.cache_clear()
    return _family(path)


@caches.memo(None)
def _bundled_font() -> Path:
    path = _mplfonts_dir() / CJK_FONT_FILE
    if not path.exists():
        raise RuntimeError(f"CJK font file not found: {path}. Reinstall mplfonts.")
    return path


@caches.memo(None)
def _family(path: str) -> str:
    return font_manager.FontProperties(fname=path).get_name()


def rc(base_size: float = 10.0) -> dict:
    """countylib's figure settings as an rcParams dict (for ``plt.style.use`` or ``matplotlib.rc_context``).

    The font family names the CJK font itself, so text made inside :func:`style` keeps it when the figure
    is drawn later (a notebook draws after the cell). SVG text is saved as paths: Chinese shows on a
    machine without the font.

    >>> rc()["font.family"][0]
    'Noto Sans CJK SC'
    """
    family = register_cjk_font()
    return {
        "font.family": [family, "DejaVu Sans", "sans-serif"],
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": base_size,
        "axes.titlesize": base_size * 1.3,
        "axes.titleweight": "normal",  # the CJK font ships one weight; bold would fall back
        "axes.labelsize": base_size,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "svg.fonttype": "path",
        # The font's own hints: matplotlib's default (FreeType's autohinter on every glyph) makes text layout
        # with the CJK font ~2x slower, which is most of a small figure's cost; the output looks the same.
        "text.hinting": "default",
        "pdf.fonttype": 42,
    }


@contextmanager
def style(base_size: float = 10.0):
    """countylib's figure style for the figures made inside the block; your own settings come back after.

    >>> import matplotlib
    >>> with style():
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("河南省县域经济")
    >>> plt.close(fig)
    """
    with matplotlib.rc_context(rc(base_size)):
        yield


_APPLIED: dict = {}


def use_style(base_size: float = 10.0) -> None:
    """Apply countylib's style to the settings you have not changed yourself (those still at matplotlib's
    defaults, or at the values an earlier call applied); a setting you made is never overwritten.

    >>> import matplotlib
    >>> matplotlib.rcParams["font.size"] = 14
    >>> use_style()
    >>> matplotlib.rcParams["font.size"], matplotlib.rcParams["font.family"][0]
    (14.0, 'Noto Sans CJK SC')
    >>> matplotlib.rcdefaults()
    """
    defaults = matplotlib.rcParamsDefault
    for key, value in rc(base_size).items():
        current = matplotlib.rcParams[key]
        if current == defaults[key] or (key in _APPLIED and current == _APPLIED[key]):
            matplotlib.rcParams[key] = value
            _APPLIED[key] = matplotlib.rcParams[key]


def new_figure(width: float = 8.0, height: float = 6.0):
    """Return ``(fig, ax)`` in countylib's style (your own settings are left as they are).

    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_size_inches().tolist()
    [4.0, 3.0]
    """
    with style():
        return plt.subplots(figsize=(width, height), layout="constrained")


def add_source_note(fig, text: str, fontsize: float = 7.5) -> None:
    """Write a source note (data source and year) under the figure.

    >>> fig, ax = new_figure(4, 3)
    >>> add_source_note(fig, "数据来源：示例")
    """
    with style():
        note = wrap_note(text, 0.97 * fig.get_size_inches()[0], fontsize)
        fig.text(0.01, -0.01, note, ha="left", va="top", fontsize=fontsize, color="#555555")


_BREAK_AFTER = set("，。；、：）」』》, ;:)")


def _em(ch: str) -> float:
    """Width of a character in em: CJK and full-width forms are one em, everything else about half."""
    import unicodedata

    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55


def wrap_note(text: str, width_in: float, fontsize: float) -> str:
    """``text`` broken into lines that fit ``width_in`` inches at ``fontsize`` points.

    matplotlib's own ``wrap=True`` breaks only at spaces, so a Chinese note (no spaces) stays one line
    and a tight export widens the whole figure to hold it. Lines break after punctuation or a space
    when one is near the end of the line, else between any two characters; existing line breaks stay.

    >>> wrap_note("数据来源：甲；乙", 10, 10)
    '数据来源：甲；乙'
    >>> lines = wrap_note("数据来源：" + "、".join(["某某县"] * 40), 4, 8).splitlines()
    >>> len(lines) > 1 and all(sum(_em(c) for c in line) <= 4 * 72 / 8 for line in lines)
    True
    """
    limit = max(width_in * 72.0 / fontsize, 4.0)  # ems per line
    out = []
    for paragraph in str(text).split("\n"):
        line, width = "", 0.0
        for ch in paragraph:
            w = _em(ch)
            if line and width + w > limit:
                cut = max((i for i, c in enumerate(line) if c in _BREAK_AFTER), default=-1)
                if cut >= len(line) * 0.7:  # a natural break close to the end
                    out.append(line[:cut + 1].rstrip())
                    line = line[cut + 1:].lstrip()
                else:
                    out.append(line)
                    line = ""
                width = sum(_em(c) for c in line)
            line += ch
            width += w
        out.append(line)
    return "\n".join(out)


#: Figures laid out to fit their canvas (fixed margins) carry this gid: saved without a tight bounding box,
#: which would draw them twice.
FIXED_LAYOUT = "countylib-fixed-layout"


def compact_png(fig, dpi: int = 100, colors: int = 128) -> bytes:
    """``fig`` as a palette PNG for a screen: ``dpi`` 100 (a 6.2-inch figure is 620 px wide), at most
    ``colors`` colours (Pillow's fast octree quantizer; flat fills and anti-aliased text keep their look),
    about a quarter of the bytes of matplotlib's RGBA PNG.

    >>> fig, ax = new_figure(4, 3)
    >>> png = compact_png(fig)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    import io

    from PIL import Image

    if fig.get_gid() == FIXED_LAYOUT:  # draw once at the screen's resolution and take the pixels
        shown = fig.dpi
        fig.set_dpi(dpi)
        try:
            fig.canvas.draw()
            width, height = fig.canvas.get_width_height(physical=True)
            image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            image = image.convert("RGB")
        finally:
            fig.set_dpi(shown)
    else:  # the tight box needs savefig; its PNG is written with the least compression, read back at once
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.06, facecolor="white",
                    pil_kwargs={"compress_level": 1})
        image = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    image = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=9)
    return out.getvalue()


def use_compact_png(shell=None) -> bool:
    """Show matplotlib figures of this IPython session as :func:`compact_png` images (a batch of reports
    turns this on in its kernels); False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, compact_png)
    return True
