"""How a regression result looks: its HTML block and its figures (scatter with the fit, residuals).

:class:`countylib.analysis.stats.RegressionResult` computes; this module draws it, and registers the
drawings as the result's views (``res.to_html()``, ``res.plot()``, ``res.plot_residuals()``).

>>> import pandas as pd
>>> from countylib.analysis.stats import regress
>>> df = pd.DataFrame({"name": list("abcdefghijkl"), "x": range(1, 13),
...                    "y": [2.1, 3.9, 6.2, 8.1, 9.8, 12.2, 13.9, 16.1, 18.2, 19.9, 22.1, 24.0]})
>>> "稳健标准误（HC3）" in to_html(regress(df, "y", "x"))
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from countylib import views
from countylib.analysis.stats import RegressionResult, _text, group_label
from countylib.data import indicators as ind
from countylib.escape import html as e
from countylib.output import plotting


def _num(v: float) -> str:
    if pd.isna(v):
        return "—"
    return f"{v:.4g}" if v != 0 else "0"


def _p(p: float) -> str:
    if pd.isna(p):
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _p_is(p: float) -> str:
    """``p = 0.123`` or ``p < 0.001``.

    >>> _p_is(0.0001), _p_is(0.25)
    ('p < 0.001', 'p = 0.250')
    """
    if pd.isna(p):
        return "p = —"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _axis_label(key: str, col: str) -> str:
    meta = ind.registry().get(key)
    base = meta.label if meta else key
    return f"ln {base}" if col.startswith("ln_") else base


@views.register(RegressionResult, "html")
def to_html(res: RegressionResult) -> str:
    """The result as one self-contained HTML block (see :meth:`RegressionResult.to_html`)."""
    parts = ['<div class="countylib-regression" style="margin:0.5em 0 1em 0">']
    parts.append(f'<p style="margin:0 0 0.3em 0">模型：<code>{e(res.formula)}</code>'
                 f'（OLS，{e(res.se_label())}）</p>')
    if res.inference:
        parts.append(_coef_table_html(res))
    else:
        parts.append(f'<p style="margin:0.3em 0;padding:0.4em 0.6em;background:#fdf2e9;'
                     f'border-left:3px solid #e67e22"><b>不作统计推断。</b>{e(res.message)}</p>')
    stats_line = [f"N = {res.n}", f"参数 {res.n_params} 个", f"剩余自由度 {res.df_resid}"]
    if res.fixed_effects:
        stats_line.append(f"{e(group_label(res.fixed_effects))}固定效应：{res.n_groups} 组")
    if res.inference:
        stats_line += [f"R² = {res.r2:.3f}", f"调整 R² = {res.adj_r2:.3f}"]
        d = res.diagnostics
        stats_line.append(f"Breusch–Pagan {_p_is(d['breusch_pagan_p'])}")
        stats_line.append(f"Jarque–Bera {_p_is(d['jarque_bera_p'])}")
    parts.append(f'<p style="margin:0.3em 0;color:#333">{"；".join(stats_line)}</p>')
    if res.inference and res.diagnostics.get("influential"):
        infl = "、".join(f"{e(_text(n))}（{v:.2f}）" for n, v in res.diagnostics["influential"])
        parts.append(f'<p style="margin:0.3em 0;color:#555;font-size:90%">影响最大的单位（Cook 距离）：{infl}</p>')
    parts.append(_dropped_html(res))
    if res.source_note:
        parts.append(f'<p style="margin:0.3em 0;color:#555;font-size:85%">{e(res.source_note)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _coef_table_html(res: RegressionResult) -> str:
    fe_prefix = f"C({res.fixed_effects})" if res.fixed_effects else None
    th = 'style="text-align:right;padding:2px 10px;border-bottom:1px solid #999"'
    rows = []
    for term, r in res.table.iterrows():
        if fe_prefix and str(term).startswith(fe_prefix):
            continue
        rows.append(
            f'<tr><td style="text-align:left;padding:2px 10px">{_term_label(str(term))}</td>'
            + "".join(f'<td style="text-align:right;padding:2px 10px">{v}</td>' for v in (
                _num(r.coef), _num(r.std_err), f"[{_num(r.ci_low)}, {_num(r.ci_high)}]", _p(r.p)))
            + "</tr>")
    if fe_prefix:
        rows.append(f'<tr><td colspan="5" style="text-align:left;padding:2px 10px;color:#555">'
                    f'{e(group_label(res.fixed_effects))}固定效应：{res.n_groups - 1} 个虚拟变量，系数从略</td></tr>')
    head = (f'<tr><th style="text-align:left;padding:2px 10px;border-bottom:1px solid #999">变量</th>'
            f'<th {th}>系数</th><th {th}>{e(res.se_label())}</th><th {th}>95% 置信区间</th>'
            f'<th {th}>p 值</th></tr>')
    return (f'<table style="border-collapse:collapse;margin:0.3em 0"><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _term_label(term: str) -> str:
    if term == "Intercept":
        return "常数项"
    key = term[3:] if term.startswith("ln_") else term
    meta = ind.registry().get(key)
    if meta is None:
        return f"<code>{e(term)}</code>"
    name = f"ln {meta.label}" if term.startswith("ln_") else meta.label
    return f'{e(name)} <code style="color:#777">{e(term)}</code>'


def _dropped_html(res: RegressionResult) -> str:
    if res.dropped.empty:
        return '<p style="margin:0.3em 0;color:#555">没有剔除任何单位。</p>'
    counts = res.dropped.reason.value_counts()
    why = "；".join(f"{e(r)} {c} 个" for r, c in counts.items())
    rows = "".join(f'<tr><td style="padding:1px 10px">{e(_text(r[res.label]))}</td>'
                   f'<td style="padding:1px 10px">{e(_text(r.reason))}</td></tr>'
                   for _, r in res.dropped.iterrows())
    return (f'<details style="margin:0.3em 0"><summary>剔除 {len(res.dropped)} 个单位（{why}）</summary>'
            f'<table style="border-collapse:collapse;font-size:90%"><thead><tr>'
            f'<th style="text-align:left;padding:1px 10px">单位</th>'
            f'<th style="text-align:left;padding:1px 10px">原因</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></details>')


@views.register(RegressionResult, "plot")
def scatter(res: RegressionResult, ax=None):
    """Scatter (seaborn) with the fitted line and its 95 % band from the model itself (so the band
    uses the same robust covariance as the table); influential or extreme points labelled.

    seaborn's ``regplot`` is not used for the line: it would refit without the controls and draw
    a bootstrap band that disagrees with the reported standard errors.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    plotting.use_style()
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
    else:
        fig = ax.figure
    xcol, ycol = res.data.columns[1], res.data.columns[0]
    xs, ys = res.data[xcol], res.data[ycol]
    sns.scatterplot(x=xs, y=ys, ax=ax, s=36, color="#2c7fb8", alpha=0.85, edgecolor="white", zorder=3)
    if res.inference and res.model is not None and not res.fixed_effects:
        grid = pd.DataFrame({xcol: np.linspace(xs.min(), xs.max(), 100)})
        for c in res.data.columns[2:]:
            if c not in (res.label, res.cluster) and pd.api.types.is_numeric_dtype(res.data[c]):
                grid[c] = res.data[c].mean()
        pred = res.model.get_prediction(grid).summary_frame(alpha=0.05)
        ax.plot(grid[xcol], pred["mean"], color="#d7301f", lw=1.8, zorder=2)
        ax.fill_between(grid[xcol], pred["mean_ci_lower"], pred["mean_ci_upper"], color="#d7301f",
                        alpha=0.15, lw=0, zorder=1)
    for idx in res.labelled():
        ax.annotate(_text(res.data.loc[idx, res.label]), (xs[idx], ys[idx]), fontsize=8,
                    xytext=(4, 3), textcoords="offset points")
    ax.set_xlabel(_axis_label(res.x, xcol))
    ax.set_ylabel(_axis_label(res.y, ycol))
    title = f"N = {res.n}"
    if res.inference:
        slope = res.table.loc[xcol]
        title += (f"，斜率 {slope.coef:.3f}（{res.se_label()} {slope.std_err:.3f}，{_p_is(slope.p)}），"
                  f"R² = {res.r2:.2f}")
    else:
        title += f"，剩余自由度 {res.df_resid}：不作统计推断"
    ax.set_title(title, fontsize=10)
    note = res.source_note or ""
    if len(res.dropped):
        note += f"{'；' if note else ''}剔除 {len(res.dropped)} 个单位（缺失、无法取对数等，名单见回归表）"
    if note:
        fig.text(0.01, -0.02, plotting.wrap_note(note, 0.97 * fig.get_size_inches()[0], 7), fontsize=7,
                 color="#555555", va="top")
    return fig


@views.register(RegressionResult, "residuals")
def residual_plots(res: RegressionResult):
    """Residuals against fitted values and their distribution (seaborn), for a fitted model."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    plotting.use_style()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
    fitted, resid = res.model.fittedvalues, res.model.resid
    sns.scatterplot(x=fitted, y=resid, ax=a1, s=24, color="#2c7fb8", edgecolor="white")
    a1.axhline(0, color="#999999", lw=0.8)
    a1.set_xlabel("拟合值")
    a1.set_ylabel("残差")
    sns.histplot(resid, kde=True, ax=a2, color="#2c7fb8")
    a2.set_xlabel("残差")
    a2.set_ylabel("单位数")
    fig.suptitle(f"残差诊断（N = {res.n}，Jarque–Bera {_p_is(res.diagnostics['jarque_bera_p'])}）",
                 fontsize=10)
    return fig
