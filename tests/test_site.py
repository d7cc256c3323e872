"""A batch as a site: shared fonts, stylesheet and base maps under assets/, profiles linking their
prefecture's units and neighbours, an index that finds units, province pages, `render check` following
every link; units without census figures; resume after a neighbour joins; a failed profile; a Dask
cluster of two worker processes; unknown areas and codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from countylib.cli import app
from countylib.data import geo
from tests.projects import report_project, tiny_notebook

runner = CliRunner()
TINY = (
    "import os\n"
    "from IPython.display import HTML, display\n"
    "if adcode == os.environ.get('FAIL_ADCODE'):\n"
    "    raise RuntimeError(f'county {adcode} failed on purpose')\n"
    "display(HTML(f'<p>报告 {adcode} <span data-countylib-unit=\"410182\">荥阳市</span></p>'))"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = report_project(tmp_path_factory.mktemp("site"))
    tiny_notebook(root / "notebooks" / "tiny.ipynb", TINY)
    return root


@pytest.fixture
def home(project, monkeypatch):
    monkeypatch.setenv("COUNTYLIB_HOME", str(project))
    monkeypatch.delenv("FAIL_ADCODE", raising=False)
    return project


@pytest.fixture(scope="module")
def site_run(project):
    import os

    old = os.environ.get("COUNTYLIB_HOME")
    os.environ["COUNTYLIB_HOME"] = str(project)
    try:
        out = runner.invoke(app, ["render", "county", "--only", "410181,410182,411525", "--run", "site", "--jobs", "1"])
        assert out.exit_code == 0, out.output
    finally:
        if old is None:
            os.environ.pop("COUNTYLIB_HOME", None)
        else:
            os.environ["COUNTYLIB_HOME"] = old
    return project / "reports" / "site"


def _page(run: Path, name: str) -> str:
    return (run / "county" / "2022" / name).read_text(encoding="utf-8")


def test_pages_of_a_site_share_fonts_and_maps_and_pass_the_check(site_run, home):
    page = _page(site_run, "410181-巩义市.html")
    assert "@font-face" not in page and 'href="../../assets/fonts.css"' in page
    assert re.search(r'src="../../assets/img/province-410000-[0-9a-f]{10}\.svg"', page)
    assert len(list((site_run / "assets" / "fonts").glob("countylib-sans-*.otf"))) == 1
    # one base map of Henan for all three pages, one of each prefecture
    assert len(list((site_run / "assets" / "img").glob("province-410000-*.svg"))) == 1
    checked = runner.invoke(app, ["render", "check", str(site_run)])
    assert checked.exit_code == 0, checked.output
    pages = len(list(site_run.rglob("*.html")))
    assert f"{pages} pages checked: {pages} fine" in checked.output
    assert (site_run / "province" / "410000-河南省.html").is_file()


def test_a_profile_links_its_prefecture_and_neighbours_that_the_site_has(site_run):
    gongyi = _page(site_run, "410181-巩义市.html")
    assert '<a data-countylib-unit="410182" href="../../county/2022/410182-荥阳市.html">荥阳市</a>' in gongyi \
        or 'href="../../county/2022/410182-荥阳市.html"' in gongyi
    assert "411525-固始县.html" not in gongyi  # another prefecture, no common border
    assert re.search(r'<span data-countylib-unit="410106">上街区</span>', gongyi), "a neighbour without a page"


def test_a_profile_leads_back_to_the_index_and_its_province(site_run):
    gongyi = _page(site_run, "410181-巩义市.html")
    nav = re.search(r'<main>\s*<nav class="countylib-site-nav">(.*?)</nav>', gongyi, re.S).group(1)
    targets = re.findall(r'href="([^"]+)"', nav)
    assert targets == ["../../index.html", "../../province/410000-河南省.html"] and "河南省" in nav
    assert all((site_run / "county" / "2022" / t).resolve().is_file() for t in targets)


def test_a_unit_without_census_figures_says_why_and_shows_no_empty_rows(site_run):
    xingyang = _page(site_run, "410182-荥阳市.html")
    assert "2020年人口普查的分县表中没有荥阳市的数据行" in xingyang
    assert "人口年龄结构" not in xingyang
    assert xingyang.count("无数据") == 1, "only its GDP, published masked (XX), reads 无数据"
    assert "未收录荥阳市的经济指标" in xingyang or "未收录的经济指标" in xingyang


def test_the_index_finds_units_by_pinyin_initials_and_filters_by_province(site_run):
    index = (site_run / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="finder-data">(.*?)</script>', index, re.S)
                      .group(1))
    keys = {row[0]: row[1].split() for row in data}
    assert {"巩义市", "gys", "gy"} <= set(keys["410181"]) and "gs" in keys["411525"]
    assert all(row[2] == "河南省" for row in data)
    assert "<script src=" not in index, "the index carries its own scripts"
    province = (site_run / "province" / "410000-河南省.html").read_text(encoding="utf-8")
    assert province.count('<a href="../county/2022/') >= 3 + 3  # map and table link each page


def test_every_character_the_index_draws_is_in_the_site_font_the_search_hint_too(site_run):
    """The search box's hint (名称、曾用名、拼音首字母或代码) is text the page draws in its font: 拼 and 母
    occur nowhere else on a site, and showed as boxes when only element text was counted."""
    from fontTools.ttLib import TTFont

    index = (site_run / "index.html").read_text(encoding="utf-8")
    hint = re.search(r'placeholder="([^"]+)"', index).group(1)
    [font] = (site_run / "assets" / "fonts").glob("countylib-sans-*.otf")
    covered = {chr(c) for c in TTFont(font).getBestCmap()}
    assert set(hint) - covered == set(), hint
    row = re.search(r'<tr>\s*<td[^>]*data-v="410181">.*?</tr>', index, re.S).group(0)
    assert re.search(r'<a href="county/2022/410181-巩义市.html">巩义市</a>', row), "the name opens the profile"


def test_the_index_counts_a_unit_s_indicators_as_its_profile_does(site_run, home):
    from countylib.analysis import county

    index = (site_run / "index.html").read_text(encoding="utf-8")
    heads = re.findall(r'<th scope="col" data-col="\d+"[^>]*>([^<]*)</th>', index)
    row = re.search(r'<tr>\s*<td[^>]*data-v="410181">.*?</tr>', index, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    mine = county.figures("410181", 2022)
    assert cells[heads.index("指标数")] == str(len(mine)) == str(mine.indicator.nunique())
    assert len(county.figures("410181", 2022)) < len(county.load(level="county").query("adcode == '410181'"))


def test_table_headings_may_wrap_so_a_wide_table_fits_the_page(site_run):
    """Headings such as 常住人口（万人，2020年普查） wrap at their spaces and brackets; only numbers stay on
    one line. (With every heading on one line the site's index was 1,400 px wide: its status and links
    fell off a 1,280 px screen.)"""
    css = (site_run / "assets" / "page.css").read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    nowrap = [sel.strip() for sel, body in rules if "nowrap" in body]
    assert not [sel for sel in nowrap for part in sel.split(",") if re.match(r"\s*th\b", part.strip())], nowrap
    assert any("td.num" in sel for sel in nowrap), "numbers never break"


def test_the_index_links_the_analyses_rendered_into_the_run_with_their_titles(home):
    run = home / "reports" / "analyses"
    out = runner.invoke(app, ["render", "notebook", str(home / "notebooks" / "tiny.ipynb"), "--run", "analyses",
                                "-p", "adcode", "410181"])
    assert out.exit_code == 0, out.output
    [page] = [p for p in run.glob("*.html")]
    # the tab says what the page is: the notebook's heading, then the file's name
    assert f"<title>测试报告 · {page.stem}</title>" in page.read_text(encoding="utf-8")
    out = runner.invoke(app, ["render", "county", "--only", "410181", "--run", "analyses", "--jobs", "1",
                              "--notebook", str(home / "notebooks" / "tiny.ipynb")])
    assert out.exit_code == 0, out.output
    index = (run / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="analyses"[^>]*>(.*?)</nav>', index, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]*)</a>', nav) == [(page.name, f"测试报告 · {page.stem}")]
    checked = runner.invoke(app, ["render", "check", str(run)])
    assert checked.exit_code == 0, checked.output


def test_render_check_catches_a_broken_link_and_a_character_the_site_fonts_lack(site_run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(site_run, copy)
    page = copy / "county" / "2022" / "410181-巩义市.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>龘</p></main>"), encoding="utf-8")
    for img in (copy / "assets" / "img").glob("prefecture-410100-*.svg"):
        img.unlink()
    out = runner.invoke(app, ["render", "check", str(page)])
    assert out.exit_code == 1
    assert "broken link: ../../assets/img/prefecture-410100-" in out.output
    assert "characters not in the site's fonts (sans): 龘" in out.output


def test_resume_renders_again_only_the_pages_whose_links_changed(home):
    base = ["render", "county", "--notebook", "notebooks/tiny.ipynb", "--jobs", "1", "--run", "grow"]
    assert runner.invoke(app, [*base, "--only", "410181"]).exit_code == 0
    assert "410182-荥阳市.html" not in (home / "reports/grow/county/2022/410181-巩义市.html").read_text(encoding="utf-8")
    assert runner.invoke(app, [*base, "--only", "410182"]).exit_code == 0
    again = runner.invoke(app, [*base, "--only", "410181,410182", "--resume"])
    assert "1 rendered, 1 up to date" in again.output, again.output  # 巩义 now links 荥阳; 荥阳 knew 巩义
    assert 'href="../../county/2022/410182-荥阳市.html"' in (
        home / "reports/grow/county/2022/410181-巩义市.html").read_text(encoding="utf-8")
    assert "0 rendered, 2 up to date" in runner.invoke(app, [*base, "--only", "410181,410182", "--resume"]).output


def test_a_failed_profile_leaves_a_notice_where_other_pages_link(home, monkeypatch):
    monkeypatch.setenv("FAIL_ADCODE", "410182")
    out = runner.invoke(app, ["render", "county", "--notebook", "notebooks/tiny.ipynb", "--jobs", "1", "--run",
                              "fails", "--only", "410181,410182"])
    assert out.exit_code == 1 and "county 410182 failed on purpose" in out.output
    notice = (home / "reports/fails/county/2022/410182-荥阳市.html").read_text(encoding="utf-8")
    assert "生成失败" in notice and "county 410182 failed on purpose" in notice
    index = (home / "reports/fails/index.html").read_text(encoding="utf-8")
    assert 'href="county/2022/410182-荥阳市.html"' not in index and "失败" in index
    assert runner.invoke(app, ["render", "check", str(home / "reports/fails")]).exit_code == 0


def test_self_contained_pages_carry_everything(home):
    out = runner.invoke(app, ["render", "county", "--only", "410181", "--run", "alone", "--jobs", "1",
                              "--self-contained"])
    assert out.exit_code == 0, out.output
    page = (home / "reports/alone/county/2022/410181-巩义市.html").read_text(encoding="utf-8")
    assert "@font-face" in page and "assets/" not in page and "data:image/svg+xml," in page
    assert not (home / "reports/alone/assets").exists()
    assert runner.invoke(app, ["render", "check", str(home / "reports/alone")]).exit_code == 0


def test_a_batch_runs_on_a_local_cluster_of_two_worker_processes(home):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        out = runner.invoke(app, ["render", "county", "--notebook", "notebooks/tiny.ipynb", "--run", "cluster",
                                  "--only", "410181,410182,410183,410184", "--scheduler", client.scheduler.address])
        workers = len(client.scheduler_info()["workers"])
    assert out.exit_code == 0, out.output
    assert workers == 2
    run = home / "reports" / "cluster"
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in record["reports"]] == ["ok"] * 4
    assert "报告 410183" in (run / "county/2022/410183-新密市.html").read_text(encoding="utf-8")
    assert 'href="../../county/2022/410182-荥阳市.html"' in (run / "county/2022/410181-巩义市.html").read_text(
        encoding="utf-8")
    assert runner.invoke(app, ["render", "check", str(run)]).exit_code == 0


def test_unknown_areas_and_codes_are_one_line_with_close_matches(home):
    area = runner.invoke(app, ["render", "county", "--province", "郑洲市", "--run", "x"])
    assert area.exit_code == 2 and "unknown province or prefecture '郑洲市'; did you mean 郑州市" in area.output
    code = runner.invoke(app, ["render", "county", "--province", "全国", "--only", "410199", "--run", "x"])
    assert code.exit_code == 2 and "not county-level units: 410199 (close: 41018" in code.output
    prefecture = runner.invoke(app, ["render", "county", "--province", "郑州", "--only", "411525", "--run", "x"])
    assert prefecture.exit_code == 2 and "not county-level units of 郑州市: 411525" in prefecture.output


def test_neighbours_share_a_border_not_a_corner(tmp_path):
    boxes = {"000001": shapely.box(0, 0, 1, 1), "000002": shapely.box(1, 0, 2, 1), "000003": shapely.box(1, 1, 2, 2),
             "000004": shapely.box(5, 5, 6, 6)}
    frame = gpd.GeoDataFrame({"adcode": list(boxes)}, geometry=list(boxes.values()), crs="EPSG:4326")
    path = tmp_path / "processed" / geo.BOUNDARY_FILE
    path.parent.mkdir()
    geo.write_boundaries(frame, path)
    nb = geo.neighbours(path)
    assert nb == {"000001": ("000002",), "000002": ("000001", "000003"), "000003": ("000002",), "000004": ()}
    assert list((path.parent / ".cache").glob("neighbours-*.json")), "kept for the next process"


def test_parts_rendered_on_two_machines_merge_into_one_site_by_resume(home):
    base = ["render", "county", "--notebook", "notebooks/tiny.ipynb", "--jobs", "1", "--province", "郑州市"]
    for k in (1, 2):
        out = runner.invoke(app, [*base, "--run", f"part{k}", "--part", f"{k}/2"])
        assert out.exit_code == 0, out.output
    first = {p.name for p in (home / "reports/part1/county/2022").glob("*.html")}
    second = {p.name for p in (home / "reports/part2/county/2022").glob("*.html")}
    assert first and second and not first & second  # each machine its share
    merged = home / "reports" / "merged" / "county"
    for k in (1, 2):
        shutil.copytree(home / f"reports/part{k}/county", merged, dirs_exist_ok=True)
    out = runner.invoke(app, [*base, "--run", "merged", "--resume"])
    assert f"0 rendered, {len(first) + len(second)} up to date" in out.output, out.output
    assert runner.invoke(app, ["render", "check", str(home / "reports/merged")]).exit_code == 0


def test_a_province_map_leaves_bounds_out_of_its_classes_and_marks_them(bundled_build, monkeypatch, tmp_path):
    """浚县's 2022 GDP is published only as a lower bound (突破300亿元): no class colour, shown as ≥."""
    from countylib.output import maps, site_pages

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    reports = [{"key": k, "name": n, "province": "河南省", "prefecture": "", "year": 2022, "status": "ok",
                "path": f"{k}.html"} for k, n in (("410621", "浚县"), ("410181", "巩义市"))]
    page = site_pages.province_page(tmp_path, {"reports": reports}, "410000", "河南省", "gdp")

    def shape(code):
        return re.search(rf'fill="([^"]*)" data-code="{code}"><title>([^<]*)</title>', page).groups()

    assert shape("410621") == (maps.BOUND_FILL, "浚县：≥300.00 亿元（下限或约数，未分级）")
    assert shape("410181")[0] in site_pages.PALETTE
    assert re.findall(r'<td class="num" data-v="[^"]*">([^<]*)</td>', page) == ["962.58", "≥300.00"]
    assert "只有下限或约数" in page
