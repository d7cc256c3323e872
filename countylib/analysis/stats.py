"""Regressions and comparisons researchers can cite: statsmodels underneath, tidy tables on top.

>>> import pandas as pd
>>> df = pd.DataFrame({"name": list("abcdefghijkl"), "x": range(1, 13),
...                    "y": [2.1, 3.9, 6.2, 8.1, 9.8, 12.2, 13.9, 16.1, 18.2, 19.9, 22.1, 24.0]})
>>> res = regress(df, "y", "x")
>>> res.n, round(res.table.loc["x", "coef"], 3)
(12, 1.995)
>>> round(cagr(100, 200, 10), 6)
0.071773
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.stattools import jarque_bera

from countylib.data import indicators as ind

MIN_N = 10


@dataclass
class RegressionResult:
    """What a regression produced, and what it dropped."""

    y: str
    x: str
    formula: str
    data: pd.DataFrame
    n: int
    dropped: pd.DataFrame
    inference: bool
    message: str = ""
    model: object | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    r2: float = float("nan")
    adj_r2: float = float("nan")
    diagnostics: dict = field(default_factory=dict)
    cov_type: str = "HC3"
    label: str = "name"
    source_note: str = ""

    def summary(self) -> str:
        """A plain-text summary: the fitted formula, N, R², coefficients, diagnostics, drops."""
        lines = [f"formula: {self.formula}", f"N = {self.n} (dropped {len(self.dropped)})"]
        if not self.inference:
            lines.append(self.message)
            return "\n".join(lines)
        lines.append(f"R² = {self.r2:.3f}, adjusted R² = {self.adj_r2:.3f}, covariance: {self.cov_type}")
        lines.append(self.table.round(4).to_string())
        d = self.diagnostics
        lines.append(f"Breusch–Pagan p = {d['breusch_pagan_p']:.3f}; Jarque–Bera p = {d['jarque_bera_p']:.3f}")
        lines.append("most influential (Cook's D): " + ", ".join(
            f"{n} ({v:.2f})" for n, v in d["influential"]))
        return "\n".join(lines)

    def plot(self, ax=None):
        """Scatter with the fitted line and 95 % band; influential or extreme points labelled."""
        import matplotlib.pyplot as plt

        from countylib.output import plotting

        plotting.use_style()
        if ax is None:
            fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
        else:
            fig = ax.figure
        xcol, ycol = self.data.columns[1], self.data.columns[0]
        xs, ys = self.data[xcol], self.data[ycol]
        ax.scatter(xs, ys, s=28, color="#2c7fb8", alpha=0.85, zorder=3)
        if self.inference and self.model is not None:
            grid = pd.DataFrame({xcol: np.linspace(xs.min(), xs.max(), 100)})
            for c in self.data.columns[2:]:
                if c != self.label and pd.api.types.is_numeric_dtype(self.data[c]):
                    grid[c] = self.data[c].mean()
            try:
                pred = self.model.get_prediction(grid).summary_frame(alpha=0.05)
                ax.plot(grid[xcol], pred["mean"], color="#d7301f", lw=1.8, zorder=2)
                ax.fill_between(grid[xcol], pred["mean_ci_lower"], pred["mean_ci_upper"], color="#d7301f",
                                alpha=0.15, lw=0, zorder=1)
            except Exception:  # noqa: BLE001 - fixed effects make a single line meaningless
                pass
        for idx in self._labelled():
            ax.annotate(str(self.data.loc[idx, self.label]), (xs[idx], ys[idx]), fontsize=8,
                        xytext=(4, 3), textcoords="offset points")
        ax.set_xlabel(_axis_label(self.x, xcol))
        ax.set_ylabel(_axis_label(self.y, ycol))
        title = f"N = {self.n}"
        if self.inference:
            slope = self.table.loc[xcol]
            title += f"，斜率 {slope.coef:.3f}（{self.cov_type} 标准误 {slope.std_err:.3f}，p = {slope.p:.3f}），R² = {self.r2:.2f}"
        else:
            title += "：样本过小，不作统计推断"
        ax.set_title(title, fontsize=10)
        note = self.source_note or ""
        if len(self.dropped):
            note += f"{'；' if note else ''}因缺失剔除 {len(self.dropped)} 个单位"
        if note:
            fig.text(0.01, -0.02, note, fontsize=7, color="#555555", va="top", wrap=True)
        return fig

    def _labelled(self) -> list:
        idx = set()
        if self.diagnostics.get("influential_index"):
            idx |= set(self.diagnostics["influential_index"])
        ys = self.data.iloc[:, 0]
        xs = self.data.iloc[:, 1]
        for s in (xs, ys):
            idx |= {s.idxmax(), s.idxmin()}
        if self.n <= 12:
            idx |= set(self.data.index)
        return sorted(idx)


def _axis_label(key: str, col: str) -> str:
    meta = ind.registry().get(key)
    base = meta.label if meta else key
    return f"ln {base}" if col.startswith("ln_") else base


def regress(
    data: pd.DataFrame,
    y: str,
    x: str,
    controls: Sequence[str] = (),
    log: Iterable[str] = (),
    fixed_effects: str | None = None,
    cov_type: str = "HC3",
    label: str = "name",
    min_n: int = MIN_N,
    source_note: str = "",
) -> RegressionResult:
    """OLS of ``y`` on ``x`` (+ controls, + fixed effects) with robust standard errors.

    Units missing any variable are dropped and listed (``result.dropped``), never silently; ``log``
    variables with values <= 0 are dropped with that reason. Below ``min_n`` observations the result
    refuses inference (``inference=False``, a message saying why) but can still draw the scatter.
    """
    log = set(log)
    needed = [y, x, *controls] + ([fixed_effects] if fixed_effects else [])
    missing_cols = [c for c in needed if c not in data.columns]
    if missing_cols:
        raise KeyError(f"columns not in the data: {missing_cols}; columns are {list(data.columns)}")
    frame = pd.DataFrame(index=data.index)
    names = {}
    reasons = pd.Series("", index=data.index)
    for var in [y, x, *controls]:
        col = f"ln_{var}" if var in log else var
        vals = pd.to_numeric(data[var], errors="coerce")
        reasons[vals.isna() & (reasons == "")] = f"{var} missing"
        if var in log:
            bad = vals <= 0
            reasons[bad & (reasons == "")] = f"{var} <= 0 cannot be logged"
            vals = np.log(vals.where(~bad))
        frame[col] = vals
        names[var] = col
    if fixed_effects:
        frame[fixed_effects] = data[fixed_effects]
        reasons[data[fixed_effects].isna() & (reasons == "")] = f"{fixed_effects} missing"
    frame[label] = data[label] if label in data else data.index.astype(str)
    keep = reasons == ""
    dropped = pd.DataFrame({label: frame.loc[~keep, label], "reason": reasons[~keep]})
    frame = frame[keep]
    rhs = [names[x], *[names[c] for c in controls]] + ([f"C({fixed_effects})"] if fixed_effects else [])
    formula = f"{names[y]} ~ {' + '.join(rhs)}"
    n = len(frame)
    result = RegressionResult(y=y, x=x, formula=formula, data=frame, n=n, dropped=dropped, inference=False,
                              cov_type=cov_type, label=label, source_note=source_note)
    if n < min_n:
        result.message = (f"N = {n} is below {min_n}: no coefficients, standard errors or p-values are reported; "
                          "the scatter is shown for description only.")
        return result
    model = smf.ols(formula, data=frame).fit(cov_type=cov_type)
    ci = model.conf_int(0.05)
    table = pd.DataFrame({"coef": model.params, "std_err": model.bse, "t": model.tvalues, "p": model.pvalues,
                          "ci_low": ci[0], "ci_high": ci[1]})
    table.index.name = "term"
    bp = het_breuschpagan(model.resid, model.model.exog)
    jb = jarque_bera(model.resid)
    cooks = pd.Series(model.get_influence().cooks_distance[0], index=frame.index)
    top = cooks.sort_values(ascending=False)
    threshold = 4 / n
    infl = top[top > threshold].head(5)
    result.inference = True
    result.model = model
    result.table = table
    result.r2, result.adj_r2 = float(model.rsquared), float(model.rsquared_adj)
    result.diagnostics = {
        "breusch_pagan_lm": float(bp[0]), "breusch_pagan_p": float(bp[1]),
        "jarque_bera": float(jb[0]), "jarque_bera_p": float(jb[1]),
        "cooks_threshold": threshold,
        "influential": [(frame.loc[i, label], float(v)) for i, v in (infl if len(infl) else top.head(3)).items()],
        "influential_index": list(infl.index),
    }
    return result


# --------------------------------------------------------------------------------------------------
# Comparative helpers
# --------------------------------------------------------------------------------------------------


def rank(data: pd.DataFrame, column: str, by: str | None = None, ascending: bool = False) -> pd.Series:
    """Ranks (1 = largest by default), ties share the best rank, missing values get no rank.

    >>> rank(pd.DataFrame({"v": [5, 9, 9, None, 1]}), "v").tolist()
    [3.0, 1.0, 1.0, nan, 4.0]
    """
    if by:
        return data.groupby(by)[column].rank(ascending=ascending, method="min")
    return data[column].rank(ascending=ascending, method="min")


def share_of_parent(data: pd.DataFrame, column: str, parent: str = "prefecture_adcode",
                    total: pd.Series | None = None) -> pd.Series:
    """Each unit's share (%) of its parent's total: the sum of the units given, or ``total`` by parent.

    >>> df = pd.DataFrame({"p": ["a", "a", "b"], "v": [1.0, 3.0, 2.0]})
    >>> share_of_parent(df, "v", "p").tolist()
    [25.0, 75.0, 100.0]
    """
    denom = data[parent].map(total) if total is not None else data.groupby(parent)[column].transform("sum")
    return data[column] / denom * 100


def growth_multiple(start: float, end: float) -> float:
    """End value as a multiple of the start value.

    >>> growth_multiple(50, 125)
    2.5
    """
    return end / start


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate (as a fraction) between two levels ``years`` apart.

    >>> round(cagr(100, 121, 2), 10)
    0.1
    """
    if start <= 0 or years <= 0:
        raise ValueError("CAGR needs a positive start value and a positive number of years")
    return (end / start) ** (1 / years) - 1


def two_year_average(g1: float, g2: float) -> float:
    """Two-year average growth (%), from two annual rates in %: sqrt((1+g1)(1+g2)) - 1.

    >>> round(two_year_average(2.3, 8.1), 4)
    5.1565
    """
    return (math.sqrt((1 + g1 / 100) * (1 + g2 / 100)) - 1) * 100


def gap(data: pd.DataFrame, column: str, reference: str | float = "mean", by: str | None = None,
        key: str = "adcode") -> pd.DataFrame:
    """Gap of each unit to a reference: the mean (of all, or within ``by``), a named unit's value
    (an adcode, e.g. 昆山市 ``"320583"``), or a number. Returns difference and ratio.

    >>> df = pd.DataFrame({"adcode": ["1", "2"], "v": [10.0, 30.0]})
    >>> gap(df, "v")[["gap", "ratio"]].values.tolist()
    [[-10.0, 0.5], [10.0, 1.5]]
    >>> gap(df, "v", reference="2").gap.tolist()
    [-20.0, 0.0]
    """
    if isinstance(reference, int | float):
        ref = pd.Series(float(reference), index=data.index)
    elif reference == "mean":
        ref = data.groupby(by)[column].transform("mean") if by else pd.Series(data[column].mean(), index=data.index)
    else:
        match = data.loc[data[key] == reference, column]
        if match.empty or match.isna().all():
            raise KeyError(f"reference unit {reference!r} has no value for {column}")
        ref = pd.Series(float(match.iloc[0]), index=data.index)
    return pd.DataFrame({key: data[key], column: data[column], "reference": ref, "gap": data[column] - ref,
                         "ratio": data[column] / ref})


def threshold_counts(data: pd.DataFrame, column: str, thresholds: Sequence[float]) -> pd.DataFrame:
    """How many units are at or above each threshold, out of how many with data (N).

    >>> threshold_counts(pd.DataFrame({"v": [600, 1200, 300, None]}), "v", [500, 1000]).values.tolist()
    [[500.0, 2, 3, 1], [1000.0, 1, 3, 1]]
    """
    vals = data[column]
    n = int(vals.notna().sum())
    rows = [{"threshold": float(t), "count": int((vals >= t).sum()), "N": n, "missing": int(vals.isna().sum())}
            for t in thresholds]
    return pd.DataFrame(rows)
