"""Pages as colleagues open them: offline (nothing loaded from the network), every string from data
escaped, every character in the embedded fonts, SVG without fonts, files readable by others."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from typer.testing import CliRunner

from countylib import escape, render
from countylib.cli import app
from countylib.output import batch, export, fonts
from tests.projects import KERNELSPEC, report_project

runner = CliRunner()
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
JS_URL = "javascript:alert(3)"
MARKDOWN = "[点我](javascript:alert(4)) **粗** <b>粗</b> ![图](http://evil.test/x.png) $x$"
URL_BREAKOUT = 'http://evil.test/"><script>alert(5)</script>'
FIELDS = ["dataset", "county", "adcode", "province", "year", "indicator", "value_text", "unit", "url",
          "source_quality", "note"]


def _hostile_figures() -> str:
    rows = [
        # kept: the hostile strings sit in fields the build keeps (url, source quality, note, dataset)
        [ATTRIBUTE, "巩义市", "410181", "河南省", "2022", "gdp", "1,000.5", "亿元", JS_URL, SCRIPT, MARKDOWN],
        [SCRIPT, "固始县", "411525", "河南省", "2022", "gdp", "269.35", "亿元", URL_BREAKOUT, MARKDOWN, ATTRIBUTE],
        [MARKDOWN, "固始县", "411525", "河南省", "2022", "pop_resident", "100", "万人", "", ATTRIBUTE, MARKDOWN],
        # rejected: hostile names, indicators, units and values (the build report lists them)
        [SCRIPT, SCRIPT, ATTRIBUTE, MARKDOWN, "2022", "gdp", "1", "亿元", JS_URL, SCRIPT, SCRIPT],
        [SCRIPT, "巩义市", "410181", "河南省", "2022", MARKDOWN, "1", "亿元", JS_URL, SCRIPT, SCRIPT],
        [SCRIPT, "巩义市", "410181", "河南省", "2022", "gdp", ATTRIBUTE, SCRIPT, JS_URL, SCRIPT, SCRIPT],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows([FIELDS, *rows])
    return buf.getvalue()


class _Page(HTMLParser):
    """Everything in a page that could run or load: tags, attributes, script and style text, shown text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif self._in and self._in[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    return p


def assert_no_live_markup(page: str) -> _Page:
    p = _parse(page)
    for tag, attrs in p.tags:
        handlers = [k for k in attrs if k.lower().startswith("on")]
        assert not handlers, f"<{tag}> carries event handlers {handlers}"
        for key in ("href", "src", "action", "formaction", "data", "xlink:href"):
            value = re.sub(r"[\s\x00-\x1f]", "", attrs.get(key, "")).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text/html")), f"<{tag} {key}={value!r}>"
        assert tag not in ("iframe", "object", "embed", "frame"), f"<{tag}> in the page"
        assert not (tag == "img" and attrs.get("src") == "x"), "an <img> from data became live"
    for script in p.scripts:  # data may sit in a script only inside JSON strings, never as code
        code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', script)
        assert "alert(" not in code, "a script carries a string from data as code"
    return p


def assert_offline(page: str) -> None:
    assert export.external_references(page) == []
    p = _parse(page)
    for tag, attrs in p.tags:
        for key in ("src", "href"):
            value = attrs.get(key, "").strip().lower()
            if tag in ("script", "link", "iframe", "img", "source", "video", "audio", "embed"):
                assert not value.startswith(("http:", "https:", "//")), f"<{tag} {key}={value}>"
    for css in p.styles:
        assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", css, re.I)
        assert not re.search(r"@import", css, re.I)
    lowered = page.lower()
    for needle in ("mathjax", "require.js", "require.min.js", "mermaid", "trust notebook"):
        assert needle not in lowered, needle


def assert_glyphs_covered(page: str) -> None:
    missing = fonts.uncovered(page)
    assert missing == {"sans": set(), "mono": set()}, missing


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = report_project(tmp_path_factory.mktemp("hostile"), figures=_hostile_figures(),
                        meta={"title": json.dumps(MARKDOWN), "publisher": json.dumps(SCRIPT),
                              "url": json.dumps(JS_URL), "document": json.dumps(ATTRIBUTE),
                              "license": json.dumps(SCRIPT), "notes": json.dumps(MARKDOWN)})
    old_home, old_umask = os.environ.get("COUNTYLIB_HOME"), os.umask(0o022)
    os.environ["COUNTYLIB_HOME"] = str(root)
    try:
        county = runner.invoke(app, ["render", "county", "--only", "410181,411525", "--run", "hostile", "--jobs", "1"])
        assert county.exit_code == 0, county.output
        chosen = runner.invoke(app, ["render", "notebook", str(root / "notebooks" / "choropleth.ipynb"),
                                     "--run", "hostile", "-p", "indicator", "gdp", "-p", "year", "2022"])
        assert chosen.exit_code == 0, chosen.output
    finally:
        os.umask(old_umask)
        if old_home is None:
            os.environ.pop("COUNTYLIB_HOME", None)
        else:
            os.environ["COUNTYLIB_HOME"] = old_home
    run = root / "reports" / "hostile"
    pages = {p.relative_to(run).as_posix(): p.read_text(encoding="utf-8") for p in run.rglob("*.html")}
    assert set(pages) == {"index.html", "choropleth-gdp-2022.html", "county/2022/410181-巩义市.html",
                          "county/2022/411525-固始县.html", "province/410000-河南省.html"}
    return run, pages


def test_strings_from_data_never_become_markup(hostile_run):
    _, pages = hostile_run
    for name, page in pages.items():
        parsed = assert_no_live_markup(page)
        assert "alert(5)" not in "".join(parsed.scripts), name
    gongyi = _parse(pages["county/2022/410181-巩义市.html"])
    assert JS_URL in "".join(gongyi.text), "the url shows as text"
    gushi = "".join(_parse(pages["county/2022/411525-固始县.html"]).text)
    assert URL_BREAKOUT in gushi and JS_URL in gushi, "hostile urls (the row's, the sidecar's) show as written"
    table = "".join(_parse(pages["choropleth-gdp-2022.html"]).text)
    assert URL_BREAKOUT in table and JS_URL in table


def test_pages_work_offline_and_every_character_is_in_the_embedded_fonts(hostile_run):
    run, pages = hostile_run
    for name, page in pages.items():
        assert_offline(page)
        if 'name="countylib-site"' in page:  # a page of the site: the site's shared fonts cover it
            assert export.check_file(run / name) == [], name
            assert "@font-face" not in page, name
        else:  # a notebook rendered alone carries its fonts
            assert_glyphs_covered(page)
            assert "@font-face" in page, name


def test_the_interactive_map_sits_in_the_page(hostile_run):
    _, pages = hostile_run
    page = pages["choropleth-gdp-2022.html"]
    parsed = _parse(page)
    maps = [a for t, a in parsed.tags if t == "div" and "countylib-map" in a.get("class", "").split()]
    assert len(maps) == 1
    leaflet = [s for s in parsed.scripts if "Leaflet 1.9" in s]
    assert leaflet and "countylibMap(" in "".join(parsed.scripts)
    data = next(s for s in parsed.scripts if "countylibMap(" in s)
    assert "巩义市" in data and "<" not in data.split("countylibMap(", 1)[1]


def test_svg_exports_carry_no_font_dependent_text(hostile_run):
    run, _ = hostile_run
    svg = (run / "map_gdp_2022_河南省.svg").read_text(encoding="utf-8")
    assert "<text" not in svg and svg.count("<path") > 100


def test_reports_are_readable_by_others(hostile_run):
    run, _ = hostile_run
    for path in [*run.rglob("*.html"), run / "run.json", *(run / "assets").rglob("*.*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_markdown_from_data_is_shown_as_written(tmp_path):
    cell = new_code_cell("from IPython.display import Markdown, display\nfrom countylib import escape\n"
                         f"display(Markdown(escape.markdown({MARKDOWN!r} + ' ' + {ATTRIBUTE!r})))")
    nb_path = tmp_path / "md.ipynb"
    nbformat.write(new_notebook(cells=[cell], metadata={"kernelspec": KERNELSPEC}), nb_path)
    page = render.render_notebook(nb_path, tmp_path / "md.html").read_text(encoding="utf-8")
    parsed = assert_no_live_markup(page)
    shown = "".join(parsed.text)
    assert MARKDOWN in shown and ATTRIBUTE in shown
    assert not [t for t, a in parsed.tags if t in ("strong", "b", "img") or (t == "a" and a.get("href"))]


def test_maths_loads_mathjax_only_when_the_notebook_has_maths(tmp_path):
    plain = new_notebook(cells=[nbformat.v4.new_markdown_cell("收入 5 美元，成本 3 美元")])
    maths = new_notebook(cells=[nbformat.v4.new_markdown_cell("弹性 $\\beta = 0.5$")])
    assert "mathjax" not in export.to_html(plain).lower()
    assert "mathjax" in export.to_html(maths).lower()


def test_index_escapes_names_and_errors(tmp_path):
    record = {"reports": [{"key": "410181", "name": SCRIPT, "prefecture": ATTRIBUTE, "kind": MARKDOWN,
                           "province": "河南省", "year": 2022, "path": "county/2022/x.html", "status": "failed",
                           "skipped": False, "seconds": 1.0, "error": f"ValueError: {SCRIPT} {ATTRIBUTE}",
                           "fingerprint": ""}],
              "batches": [{"parameters": {"province": SCRIPT}}]}
    page = batch.index_html(tmp_path, record)
    parsed = assert_no_live_markup(page)
    assert SCRIPT in "".join(parsed.text) and ATTRIBUTE in "".join(parsed.text)
    assert not [a for t, a in parsed.tags if t == "a"], "a failed report must not be linked"
    assert_offline(page)
    assert_glyphs_covered(page)


def test_escape_markdown_and_html_round_trip():
    assert escape.html(ATTRIBUTE) == "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
    assert "\n" not in escape.markdown("a\nb") and escape.markdown("a*b*") == "a\\*b\\*"


def test_fonts_cover_text_in_pre_with_the_monospaced_font():
    page = "<p>巩义市</p><pre>OLS 回归：固始县 N = 24</pre>"
    css = fonts.embedded_font_css(page)
    covered = fonts.embedded_fonts(css)
    assert set("固始县回归") <= covered["countylib CJK Mono"]
    assert set("巩义市") <= covered["countylib CJK"]
    assert fonts.uncovered(css + page) == {"sans": set(), "mono": set()}
    assert fonts.uncovered(page)["mono"] >= set("固始县"), "the check sees characters no font covers"


def test_saved_interactive_map_is_one_offline_page(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    from countylib.output import webmap

    frame = gpd.GeoDataFrame({"adcode": ["410181", "411525"], "name": [SCRIPT, "固始县"],
                              "prefecture_name": [ATTRIBUTE, "信阳市"], "gdp": [1000.5, None]},
                             geometry=[box(113, 34.5, 113.3, 34.8), box(115.5, 31.9, 115.9, 32.3)], crs=4326)
    m = webmap.interactive(frame, "gdp", sources={"410181": JS_URL})
    page = m.save(tmp_path / "map.html").read_text(encoding="utf-8")
    assert_offline(page)
    assert_no_live_markup(page)
    assert_glyphs_covered(page)
    assert "<script>alert" not in page and "\\u003cscript\\u003ealert(1)" in page
    assert stat.S_IMODE(Path(tmp_path / "map.html").stat().st_mode) & 0o044


def test_render_check_passes_the_run_and_catches_a_page_that_would_not_work(hostile_run, tmp_path):
    run, _ = hostile_run
    ok = runner.invoke(app, ["render", "check", str(run)])
    assert ok.exit_code == 0 and "5 pages checked: 5 fine, 0 with problems" in ok.output
    bad = tmp_path / "bad.html"
    bad.write_text('<script src="https://cdn.example/x.js"></script><p>巩义市</p>', encoding="utf-8")
    caught = runner.invoke(app, ["render", "check", str(bad)])
    assert caught.exit_code == 1 and "loads from the network" in caught.output
    assert "characters not in the embedded fonts: 义巩市" in caught.output
