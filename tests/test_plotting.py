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
