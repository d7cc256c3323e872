"""Chinese text renders with the font shipped in mplfonts: no tofu, no system font."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest
from matplotlib import font_manager

from countylib.output import plotting


def _render(title: str) -> list[str]:
    plotting.use_style()
    fig, ax = plotting.new_figure(4, 3)
    ax.set_title(title)
    ax.set_xlabel("地区生产总值（亿元）")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    matplotlib.pyplot.close(fig)
    return [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def test_cjk_title_renders_without_missing_glyphs():
    assert _render("河南省县域经济") == []


def test_the_check_would_catch_missing_glyphs():
    """Guard: with a Latin-only font the same title does warn, so the test above can fail."""
    plotting.use_style()
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"], "font.family": ["sans-serif"]}):
        fig, ax = matplotlib.pyplot.subplots()
        ax.set_title("河南省县域经济")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        matplotlib.pyplot.close(fig)
    assert any("missing from" in str(w.message) for w in caught)


def test_font_comes_from_mplfonts_package_not_the_system():
    family = plotting.register_cjk_font()
    assert family == "Noto Sans CJK SC"
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "mplfonts" in path and path.endswith(plotting.CJK_FONT_FILE)


def _copy_of_the_bundled_font(folder):
    """A copy of the bundled Noto Sans CJK SC under another file name, as a system or user font would be."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "NotoSansCJKsc-Regular-system.otf"
    shutil.copy(plotting.cjk_font_path(), copy)
    return copy


def test_bundled_font_wins_over_a_system_copy_found_first(tmp_path, monkeypatch):
    """A machine with its own Noto Sans CJK SC (fonts-noto-cjk): matplotlib knows that copy first, as it
    scans the system's fonts before countylib registers its own; countylib's figures still use the bundle."""
    fm = font_manager.fontManager
    monkeypatch.setattr(fm, "ttflist", list(fm.ttflist))  # restored after the test
    fm.addfont(str(_copy_of_the_bundled_font(tmp_path / "fonts")))
    system = [e for e in fm.ttflist if "-system" in e.fname]
    fm.ttflist[:] = system + [e for e in fm.ttflist if e not in system]
    fm._findfont_cached.cache_clear()
    try:
        family = font_manager.FontProperties(family="Noto Sans CJK SC")
        assert "-system" in font_manager.findfont(family)  # guard: the copy is what matplotlib would take
        with plotting.style():
            fig, ax = matplotlib.pyplot.subplots()
            title = ax.set_title("河南省县域经济")
            used = fm._find_fonts_by_props(title.get_fontproperties())[0]
            matplotlib.pyplot.close(fig)
        assert "mplfonts" in used and used.endswith(plotting.CJK_FONT_FILE)
        assert font_manager.findfont(family).endswith(plotting.CJK_FONT_FILE)
    finally:
        monkeypatch.undo()
        fm._findfont_cached.cache_clear()


FRESH = """
from matplotlib import font_manager
family = font_manager.FontProperties(family="Noto Sans CJK SC")
try:
    before = font_manager.findfont(family, fallback_to_default=False)
except ValueError:  # no CJK font on this machine
    before = "none"
from countylib.output import plotting
plotting.use_style()
print(before)
print(font_manager.findfont(family, fallback_to_default=False))
"""


@pytest.mark.parametrize("system_font", [True, False], ids=["user font installed", "no CJK font of its own"])
def test_a_fresh_process_draws_with_the_bundled_font_with_or_without_a_system_cjk_font(tmp_path, system_font):
    """A new process with an empty matplotlib cache, with and without a Noto Sans CJK SC of its own in the
    user's font folder (which matplotlib scans, like the system's)."""
    import os
    import subprocess
    import sys

    data = tmp_path / "share"
    if system_font:
        _copy_of_the_bundled_font(data / "fonts")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "XDG_DATA_HOME": str(data)}
    out = subprocess.run([sys.executable, "-c", FRESH], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    before, after = out.stdout.split()
    if system_font:
        assert before.endswith("-system.otf") or "/usr/share/fonts" in before  # matplotlib alone takes a system one
    assert "mplfonts" in after and after.endswith(plotting.CJK_FONT_FILE)


def test_matplotlib_folder_is_not_modified():
    import pathlib

    mpl_fonts = pathlib.Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    assert not list(mpl_fonts.glob("*CJK*")), "a CJK font was copied into matplotlib's own folder"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_figures_export_in_each_format(fmt):
    plotting.use_style()
    fig, ax = plotting.new_figure(3, 2)
    ax.set_title("县域")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    matplotlib.pyplot.close(fig)
    assert len(buf.getvalue()) > 1000


def test_use_style_keeps_the_settings_the_user_made():
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams["font.size"] = 13
        matplotlib.rcParams["axes.spines.top"] = True  # the default: countylib may style it
        matplotlib.rcParams["savefig.dpi"] = 150
        plotting.use_style()
        assert matplotlib.rcParams["font.size"] == 13 and matplotlib.rcParams["savefig.dpi"] == 150
        assert matplotlib.rcParams["font.family"][0] == "Noto Sans CJK SC"
        assert matplotlib.rcParams["axes.spines.top"] is False
        matplotlib.rcParams["axes.titlesize"] = 21  # the user changes a setting countylib applied
        plotting.use_style()
        assert matplotlib.rcParams["axes.titlesize"] == 21


def test_style_is_local_and_its_figures_keep_the_cjk_font_when_drawn_later():
    with matplotlib.rc_context():
        matplotlib.rcParams["font.size"] = 13
        matplotlib.rcParams["font.family"] = ["serif"]
        with plotting.style():
            assert matplotlib.rcParams["font.size"] == 10
            fig, ax = matplotlib.pyplot.subplots()
            ax.set_title("河南省县域经济")
        assert matplotlib.rcParams["font.size"] == 13 and matplotlib.rcParams["font.family"] == ["serif"]
        with warnings.catch_warnings(record=True) as caught:  # drawn after the block, as a notebook does
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        matplotlib.pyplot.close(fig)
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_svg_shows_chinese_without_the_font():
    with plotting.style():
        fig, ax = matplotlib.pyplot.subplots()
        ax.set_title("固始县")
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    matplotlib.pyplot.close(fig)
    svg = buf.getvalue()
    assert "<text" not in svg and "固始县" not in svg.split("<!--")[0] and "<path" in svg
