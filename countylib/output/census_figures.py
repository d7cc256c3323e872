"""Figures of the census: age pyramids, binned scatters and residual maps of census regressions.

The numbers come from :mod:`countylib.analysis.census`; this module only draws them.

>>> from countylib.output import census_figures
>>> fig = census_figures.pyramid_figure("410181")        # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from countylib.analysis.census import (
    AGE_LABELS,
    SOURCE_NOTE,
    age_pyramid,
    residuals,
    source_ids,
    symmetric_bins,
)
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.output import plotting


def _pyramids(adcode: str | int, compare: str | None, folder: Path | None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The unit's age pyramid and the one it is drawn against: its province's (``compare="province"``), the
    unit ``compare`` names, or none."""
    mine = age_pyramid(adcode, folder)
    code = mine.attrs["adcode"]
    if not compare:
        return mine, None
    ref = regions.by_adcode().province_adcode.get(code, code[:2] + "0000") if compare == "province" else compare
    return mine, (age_pyramid(ref, folder) if str(ref) != code else None)


def _pyramid_scale(mine: pd.DataFrame, other: pd.DataFrame | None) -> tuple[float, float]:
    """Half the width of a pyramid's share axis (the largest share, its own or the outline's, rounded up)
    and the step of its ticks, in percent."""
    shares = [mine["男_占比"], mine["女_占比"]] + ([other["男_占比"], other["女_占比"]] if other is not None else [])
    lim = float(np.ceil(np.nanmax(np.concatenate([np.asarray(v, dtype=float) for v in shares])) + 0.3))
    return lim, 2.0 if lim <= 8 else 4.0


def _pyramid_note(other: pd.DataFrame | None) -> str:
    """A pyramid's source note, naming the outline when there is one."""
    return SOURCE_NOTE + (f"黑线：{other.attrs['name']}。" if other is not None else "")


def pyramid_figure(adcode: str | int, compare: str | None = "province", ax=None, folder: Path | None = None):
    """An age pyramid (shares of the total, 男 left, 女 right), with the province's (or ``compare``
    adcode's) shape drawn over it as an outline. Chinese labels and a source note."""
    import matplotlib.pyplot as plt

    plotting.use_style()
    mine, other = _pyramids(adcode, compare, folder)
    if ax is None:  # fixed margins: a constrained layout would double the text layout cost of a report
        fig, ax = plt.subplots(figsize=(6.2, 4.6))
        fig.subplots_adjust(left=0.11, right=0.98, top=0.92, bottom=0.17)
        fig.set_gid(plotting.FIXED_LAYOUT)
    else:
        fig = ax.figure
    y = np.arange(len(AGE_LABELS))
    ax.barh(y, -mine["男_占比"], height=0.86, color="#4a78b0", label=f"{mine.attrs['name']} 男")
    ax.barh(y, mine["女_占比"], height=0.86, color="#d0605e", label=f"{mine.attrs['name']} 女")
    if other is not None:
        edges = np.arange(len(y) + 1) - 0.5
        ax.stairs(-other["男_占比"].to_numpy(), edges, orientation="horizontal", baseline=None, color="#222222",
                  lw=1.1, label=f"{other.attrs['name']}（对照）")
        ax.stairs(other["女_占比"].to_numpy(), edges, orientation="horizontal", baseline=None, color="#222222", lw=1.1)
    # Every other age group labelled, and few x ticks: text layout is most of a small figure's cost.
    ax.set_yticks(y[::2], AGE_LABELS[::2], fontsize=7.5)
    ax.set_ylim(-0.6, len(y) - 0.4)
    lim, step = _pyramid_scale(mine, other)
    ax.set_xlim(-lim, lim)
    half = np.arange(0, lim + 1e-9, step)
    ticks = np.r_[-half[:0:-1], half]
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks], fontsize=8)
    ax.axvline(0, color="#888888", lw=0.6)
    ax.set_xlabel("← 男　　占总人口比重（%）　　女 →")
    ax.set_ylabel("年龄（岁）")
    ax.set_title(f"{mine.attrs['name']}人口年龄结构（2020年，常住人口 {mine.attrs['total'] / 1e4:,.2f} 万人）",
                 fontsize=10.5)
    ax.legend(loc="upper right", fontsize=7.5, frameon=False)
    note = _pyramid_note(other)
    fig.text(0.01, 0.01, note, fontsize=6.5, color="#555555", va="bottom", wrap=True)
    return fig


def binned_scatter(res, bins: int = 20, ax=None):
    """A binned scatter of y on x after absorbing the fixed effects and controls (both residualised,
    means added back): the means of y in ``bins`` quantile bins of x, with the fitted line (seaborn)."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    import statsmodels.formula.api as smf

    plotting.use_style()
    data = res.data
    ycol, xcol = data.columns[0], data.columns[1]
    rhs = [c for c in data.columns[2:] if c != res.label]
    absorb = " + ".join((f"C({c})" if not pd.api.types.is_numeric_dtype(data[c]) else c) for c in rhs) or "1"
    ry = smf.ols(f"{ycol} ~ {absorb}", data).fit().resid + data[ycol].mean()
    rx = smf.ols(f"{xcol} ~ {absorb}", data).fit().resid + data[xcol].mean()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 4.6), layout="constrained")
    else:
        fig = ax.figure
    sns.regplot(x=rx, y=ry, x_bins=bins, ax=ax, color="#2c7fb8", truncate=True,
                line_kws={"color": "#d7301f", "lw": 1.6}, scatter_kws={"s": 30})
    lo, hi = np.quantile(rx, [0.005, 0.995])  # residualised x can run past the raw range; show the bulk
    ax.set_xlim(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
    slope = res.table.loc[xcol] if xcol in res.table.index else None
    ax.set_xlabel(ind.get(res.x).label + ("（去除固定效应与控制变量后）" if rhs else ""))
    ax.set_ylabel(ind.get(res.y).label)
    title = f"分箱散点图：{bins} 个等分位箱，N = {res.n:,}"
    if slope is not None:
        title += f"\n斜率 {slope.coef:.4f}（{res.se_label()} {slope.std_err:.4f}）"
    ax.set_title(title, fontsize=10)
    fig.text(0.01, 0.0, SOURCE_NOTE, fontsize=6.5, color="#555555", va="top")
    return fig


def residual_map(res, province: str | None = "全国"):
    """A map of the regression residuals (diverging colours; units not in the regression hatched)."""
    from countylib.data import geo
    from countylib.output import maps

    frame = res.frame
    values = frame[["adcode"]].assign(残差=residuals(res).reindex(frame.index).values)
    area = maps.area_name(province)
    shapes = geo.boundaries(province=None if area == "全国" else area)
    data = shapes.merge(values, on="adcode", how="left")
    bins = symmetric_bins(values["残差"]) if values["残差"].notna().any() else None  # nothing estimated: all 无数据
    m = maps.choropleth(data, "残差", bins=bins, diverging=True,
                        title=f"{area}回归残差：{ind.get(res.y).name_zh}", unit=ind.get(res.y).unit,
                        source_note=maps.source_note(pd.DataFrame({"source_id": source_ids(), "url": ""})))
    m.ax.set_title(f"实际值 − 拟合值；N = {res.n:,}，未进入回归的单位为无数据", fontsize=10, color="#444444")
    return m


def pyramid_svg(adcode: str | int, compare: str | None = "province", folder: Path | None = None) -> str:
    """The age pyramid of :func:`pyramid_figure` as inline SVG for a web page (a county profile): the same
    bars, outline, labels and source note, drawn in a few milliseconds instead of a matplotlib figure's
    few hundred, about 6 KB, its text in the page's own fonts. Every name is escaped.

    >>> svg = pyramid_svg("410181")
    >>> svg.startswith("<svg") and "巩义市人口年龄结构" in svg and svg.count("<rect") >= 36
    True
    """
    from markupsafe import escape

    mine, other = _pyramids(adcode, compare, folder)
    width, height, left, right, top, bottom = 620, 456, 62, 16, 34, 72
    n = len(AGE_LABELS)
    lim, step = _pyramid_scale(mine, other)
    mid = left + (width - left - right) / 2
    per = (width - left - right) / 2 / lim  # pixels per percentage point
    band = (height - top - bottom) / n

    def y(i: float) -> float:  # the top of age group i (0 = 0-4, drawn at the bottom)
        return top + (n - 1 - i) * band

    out = [f'<svg class="countylib-figure" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(mine.attrs["name"])}人口年龄结构" xmlns="http://www.w3.org/2000/svg" '
           'style="width:100%;max-width:620px;height:auto;display:block;margin:6px 0" font-size="11">']
    name = escape(mine.attrs["name"])
    out.append(f'<text x="{width / 2:g}" y="20" text-anchor="middle" font-size="14">{name}人口年龄结构（2020年，'
               f"常住人口 {mine.attrs['total'] / 1e4:,.2f} 万人）</text>")
    for t in np.arange(-np.floor(lim / step) * step, lim + 1e-9, step):
        x = mid + t * per
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}" stroke="#eeeeee"/>'
                   f'<text x="{x:.1f}" y="{height - bottom + 15}" text-anchor="middle">{abs(t):g}</text>')
    for i in range(n):
        yy, h = y(i) + band * 0.07, band * 0.86
        m, f = float(mine["男_占比"].iloc[i]), float(mine["女_占比"].iloc[i])
        out.append(f'<rect x="{mid - m * per:.1f}" y="{yy:.1f}" width="{m * per:.1f}" height="{h:.1f}" fill="#4a78b0"/>'
                   f'<rect x="{mid:.1f}" y="{yy:.1f}" width="{f * per:.1f}" height="{h:.1f}" fill="#d0605e"/>')
        if i % 2 == 0:
            out.append(f'<text x="{left - 6}" y="{y(i) + band / 2 + 4:.1f}" text-anchor="end">{AGE_LABELS[i]}</text>')
    if other is not None:
        for col, sign in (("男_占比", -1), ("女_占比", 1)):
            pts = []
            for i in range(n):
                x = mid + sign * float(other[col].iloc[i]) * per
                pts += [f"{x:.1f},{y(i) + band:.1f}", f"{x:.1f},{y(i):.1f}"]
            out.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="#222222" stroke-width="1.1"/>')
    out.append(f'<line x1="{mid:g}" x2="{mid:g}" y1="{top}" y2="{height - bottom}" stroke="#888888" stroke-width="0.6"/>'
               f'<text x="{mid:g}" y="{height - bottom + 34}" text-anchor="middle" font-size="12">'
               "← 男　　占总人口比重（%）　　女 →</text>"
               f'<text transform="translate(14 {top + (height - top - bottom) / 2:.0f}) rotate(-90)" '
               'text-anchor="middle" font-size="12">年龄（岁）</text>')
    legend = [("#4a78b0", f"{name} 男"), ("#d0605e", f"{name} 女")]
    if other is not None:
        legend.insert(0, ("", f"{escape(other.attrs['name'])}（对照）"))
    for k, (colour, text) in enumerate(legend):
        ly = top + 8 + 16 * k
        mark = (f'<rect x="{width - 170}" y="{ly - 8}" width="14" height="9" fill="{colour}"/>' if colour else
                f'<line x1="{width - 170}" x2="{width - 156}" y1="{ly - 4}" y2="{ly - 4}" stroke="#222222"/>')
        out.append(f'{mark}<text x="{width - 150}" y="{ly}">{text}</text>')
    note = _pyramid_note(other)
    for k, line in enumerate(plotting.wrap_note(note, width / 72 * 0.97, 9).splitlines()):
        out.append(f'<text x="4" y="{height - 22 + 12 * k}" font-size="9.5" fill="#555555">{escape(line)}</text>')
    out.append("</svg>")
    return "".join(out)
