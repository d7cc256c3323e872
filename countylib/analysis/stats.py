"""Regressions and comparisons researchers can cite: statsmodels underneath, tidy tables on top.

Inference is refused when it would mislead: the rule counts *residual degrees of freedom* (N minus
every estimated parameter, fixed-effect dummies included; with clusters, also the number of clusters
minus one), not rows. A fixed-effect group with a single unit is left out of the estimation with a
note: its own dummy fits it exactly (leverage 1), so it adds nothing to the slope and HC3 is
undefined there.

>>> import pandas as pd
>>> df = pd.DataFrame({"name": list("abcdefghijkl"), "x": range(1, 13),
...                    "y": [2.1, 3.9, 6.2, 8.1, 9.8, 12.2, 13.9, 16.1, 18.2, 19.9, 22.1, 24.0]})
>>> res = regress(df, "y", "x")
>>> res.n, res.df_resid, round(float(res.table.loc["x", "coef"]), 3)
(12, 10, 1.999)
>>> small = regress(df.head(9), "y", "x")
>>> small.inference, small.df_resid
(False, 7)
>>> round(cagr(100, 200, 10), 6)
0.071773
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.regression.linear_model import RegressionResultsWrapper
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.stattools import jarque_bera

from countylib import views
from countylib.analysis.panel import MIN_DF_RESID, _coefficient_table, _name_zh

# MIN_DF_RESID (from panel, one rule for both): fewest residual degrees of freedom with which standard
# errors and p-values are reported. A bivariate regression needs N >= 10; each control or fixed-effect
# dummy raises that by one.
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")
_LEVERAGE_ONE = 1 - 1e-8


@dataclass(repr=False)
class RegressionResult:
    """What a regression produced, what it dropped and why, and whether inference was allowed.

    ``table`` has one row per term (coef, std_err, t, p, ci_low, ci_high); it is empty when
    ``inference`` is False, and ``message`` says why. ``dropped`` lists every unit left out with
    its reason. In a notebook the result displays as an HTML table (:meth:`to_html`).
    """

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
    df_resid: int = 0
    n_params: int = 0
    controls: tuple[str, ...] = ()
    fixed_effects: str | None = None
    n_groups: int = 0
    cluster: str | None = None
    n_clusters: int = 0

    # ------------------------------------------------------------------ text
    def summary(self) -> str:
        """A plain-text summary: the fitted formula, N, R², coefficients, diagnostics, drops."""
        lines = [f"formula: {self.formula}",
                 f"N = {self.n} (dropped {len(self.dropped)}); parameters {self.n_params}; "
                 f"residual df {self.df_resid}"]
        if not self.inference:
            lines.append(self.message)
            return "\n".join(lines)
        lines.append(f"R² = {self.r2:.3f}, adjusted R² = {self.adj_r2:.3f}, covariance: {self.se_label()}")
        lines.append(self.table.round(4).to_string())
        d = self.diagnostics
        lines.append(f"Breusch–Pagan p = {d['breusch_pagan_p']:.3f}; Jarque–Bera p = {d['jarque_bera_p']:.3f}")
        lines.append("most influential (Cook's D): " + ", ".join(
            f"{n} ({v:.2f})" for n, v in d["influential"]))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RegressionResult {self.formula}, N = {self.n}>\n{self.summary()}"

    def se_label(self) -> str:
        """The kind of standard error, in Chinese, e.g. ``稳健标准误（HC3）``."""
        if self.cov_type == "cluster":
            return f"聚类稳健标准误（按{group_label(self.cluster)}聚类，{self.n_clusters} 类）"
        if self.cov_type == "nonrobust":
            return "普通标准误"
        return f"稳健标准误（{self.cov_type}）"

    # ------------------------------------------------------------------ views (drawn by countylib.output)
    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self) -> str:
        """The result as one self-contained HTML block: the formula, a table of coefficients with
        standard errors, 95 % intervals and p-values, N, R², and the units left out (a count, with
        the list in an expandable ``<details>``). Every string that comes from data is escaped.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"name": ["<i>甲县</i>"] + [f"县{i}" for i in range(12)],
        ...                    "x": range(13), "y": [None] + [0.5 * i + (i % 3) for i in range(12)]})
        >>> page = regress(df, "y", "x").to_html()
        >>> "<details" in page and "&lt;i&gt;甲县" in page and "<i>甲县" not in page
        True
        """
        return views.show(self, "html")

    def plot(self, ax=None):
        """Scatter with the fitted line and its 95 % band from the model itself (same covariance as the
        table); influential or extreme points labelled. Returns the matplotlib figure."""
        return views.show(self, "plot", ax=ax)

    def plot_residuals(self):
        """Residuals against fitted values and their distribution, for a fitted model."""
        if not self.inference or self.model is None:
            raise ValueError(f"no fitted model to diagnose: {self.message}")
        return views.show(self, "residuals")

    def labelled(self) -> list:
        """Rows worth a label in a figure: influential units, the extremes of x and y, every unit when
        there are 12 or fewer."""
        idx = set()
        if self.diagnostics.get("influential_index"):
            idx |= set(self.diagnostics["influential_index"])
        if self.data.empty:
            return []
        ys = self.data.iloc[:, 0]
        xs = self.data.iloc[:, 1]
        for s in (xs, ys):
            idx |= {s.idxmax(), s.idxmin()}
        if self.n <= 12:
            idx |= set(self.data.index)
        return sorted(idx)


def _text(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)


#: How the grouping columns of fixed effects and clusters read in a report.
GROUP_LABELS = {"province_name": "省份", "province": "省份", "prefecture_name": "地级市", "prefecture": "地级市",
                "region": "区域", "north_south": "南北"}


def group_label(column: str | None) -> str:
    """The Chinese name of a grouping column (fixed effects, clusters); other columns as they are.

    >>> group_label("province_name"), group_label("prefecture_name"), group_label("my_groups")
    ('省份', '地级市', 'my_groups')
    """
    return GROUP_LABELS.get(str(column), str(column))


def _labels(data: pd.DataFrame, label: str) -> pd.Series:
    """Labels for units: the ``label`` column, falling back to ``name``, then ``adcode``, then the index."""
    out = pd.Series(data.index.astype(str), index=data.index, dtype=object)
    for col in ("adcode", "name", label):
        if col in data:
            out = data[col].astype(object).where(data[col].notna(), out)
    return out


def regress(
    data: pd.DataFrame,
    y: str,
    x: str,
    controls: Sequence[str] = (),
    log: Iterable[str] = (),
    fixed_effects: str | None = None,
    cov_type: str = "HC3",
    cluster: str | None = None,
    label: str = "name",
    min_df: int = MIN_DF_RESID,
    source_note: str = "",
) -> RegressionResult:
    """OLS of ``y`` on ``x`` (+ controls, + fixed effects) with robust standard errors.

    Parameters
    ----------
    log: variables to enter as natural logs (``ln_<name>``); values <= 0 are dropped with that reason.
    fixed_effects: a column of groups (e.g. ``"province_name"``), absorbed as dummies via ``C()``.
        Groups with a single unit are left out with a note (leverage 1: HC3 undefined there).
    cov_type: ``"HC3"`` (default), ``"HC0"``–``"HC2"``, ``"nonrobust"`` or ``"cluster"``.
    cluster: with ``cov_type="cluster"``, the column of clusters (statsmodels' cluster-robust
        covariance with its small-sample correction; t tests with G − 1 degrees of freedom).
    min_df: fewest residual degrees of freedom (N minus parameters, fixed-effect dummies included;
        with clusters also G − 1) for which coefficients, standard errors and p-values are reported.

    Units missing any variable are dropped and listed (``result.dropped``), never silently. Below
    ``min_df`` the result refuses inference (``inference=False`` and a message saying why) but can
    still draw the scatter. p-values and intervals use the t distribution with the residual degrees
    of freedom (G − 1 with clusters), as Stata's ``regress, vce(...)`` does.
    """
    if cov_type not in COV_TYPES:
        raise ValueError(f"cov_type {cov_type!r} is not one of {COV_TYPES}")
    if (cov_type == "cluster") != (cluster is not None):
        raise ValueError("cluster-robust errors need both cov_type='cluster' and cluster=<column>")
    log = set(log)
    groups = [c for c in (fixed_effects, cluster) if c]
    needed = [y, x, *controls, *groups]
    missing_cols = [c for c in needed if c not in data.columns]
    if missing_cols:
        raise KeyError(f"columns not in the data: {missing_cols}; columns are {list(data.columns)}")
    frame = pd.DataFrame(index=data.index)
    names = {}
    reasons = pd.Series("", index=data.index)
    for var in [y, x, *controls]:
        col = f"ln_{var}" if var in log else var
        vals = pd.to_numeric(data[var], errors="coerce")
        reasons[vals.isna() & (reasons == "")] = f"缺少{_name_zh(var)}"
        if var in log:
            bad = vals <= 0
            reasons[bad & (reasons == "")] = f"{_name_zh(var)} ≤ 0，无法取对数"
            vals = np.log(vals.where(~bad))
        frame[col] = vals
        names[var] = col
    for g in dict.fromkeys(groups):
        frame[g] = data[g]
        reasons[data[g].isna() & (reasons == "")] = f"缺少分组 {g}"
    frame[label] = _labels(data, label)
    keep = reasons == ""
    if fixed_effects:
        members = frame.loc[keep, fixed_effects]
        alone = members.index[members.map(members.value_counts()) == 1]
        reasons[alone] = f"所在{group_label(fixed_effects)}仅此一个单位（杠杆值为 1，稳健标准误无定义），不参与估计"
        keep = reasons == ""
    dropped = pd.DataFrame({label: frame.loc[~keep, label], "reason": reasons[~keep]})
    frame = frame[keep]
    rhs = [names[x], *[names[c] for c in controls]] + ([f"C({fixed_effects})"] if fixed_effects else [])
    formula = f"{names[y]} ~ {' + '.join(rhs)}"
    n = len(frame)
    result = RegressionResult(y=y, x=x, formula=formula, data=frame, n=n, dropped=dropped, inference=False,
                              cov_type=cov_type, label=label, source_note=source_note,
                              controls=tuple(controls), fixed_effects=fixed_effects, cluster=cluster)
    if fixed_effects:
        result.n_groups = int(frame[fixed_effects].nunique())
    if cluster:
        result.n_clusters = int(frame[cluster].nunique())
    if n == 0:
        result.message = "没有同时具备全部变量的单位，无法估计。"
        return result
    model = smf.ols(formula, data=frame)
    with warnings.catch_warnings():  # a refused fit (N at or below the parameters) divides by zero
        warnings.simplefilter("ignore", RuntimeWarning)
        ols = model.fit()
    rank = int(model.rank)
    result.n_params, result.df_resid = rank, n - rank
    refusal = _refusal(result, rank, min_df)
    if refusal:
        result.message = refusal
        return result
    influence = ols.get_influence()
    hat = pd.Series(influence.hat_matrix_diag, index=frame.index)
    if cov_type in ("HC2", "HC3") and (hat > _LEVERAGE_ONE).any():
        who = "、".join(_text(v) for v in frame.loc[hat > _LEVERAGE_ONE, label])
        result.message = (f"{who} 的杠杆值为 1（模型完全拟合该单位），{cov_type} 标准误无定义："
                          "不报告标准误和 p 值。请去掉只含这个单位的控制变量或分组。")
        return result
    # The same fit with the robust covariance (what model.fit(cov_type=...) does, without refitting).
    cov_kwds = {"groups": pd.factorize(frame[cluster])[0]} if cluster else {}
    fitted = ols if cov_type == "nonrobust" else RegressionResultsWrapper(
        ols.get_robustcov_results(cov_type=cov_type, use_t=True, **cov_kwds))
    table = _coefficients(fitted, _nested_factor(frame, result, rank) if cluster else 1.0,
                          result.n_clusters - 1 if cluster else None)
    bp = het_breuschpagan(fitted.resid, model.exog)
    jb = jarque_bera(fitted.resid)
    cooks = pd.Series(influence.cooks_distance[0], index=frame.index)
    top = cooks.sort_values(ascending=False)
    threshold = 4 / n
    infl = top[top > threshold].head(5)
    result.inference = True
    result.model = fitted
    result.table = table
    result.r2, result.adj_r2 = float(fitted.rsquared), float(fitted.rsquared_adj)
    result.diagnostics = {
        "breusch_pagan_lm": float(bp[0]), "breusch_pagan_p": float(bp[1]),
        "jarque_bera": float(jb[0]), "jarque_bera_p": float(jb[1]),
        "cooks_threshold": threshold,
        "influential": [(frame.loc[i, label], float(v)) for i, v in (infl if len(infl) else top.head(3)).items()],
        "influential_index": list(infl.index),
        "max_leverage": float(hat.max()),
    }
    return result


def _nested_factor(frame: pd.DataFrame, result: RegressionResult, rank: int) -> float:
    """The factor on the clustered covariance that follows fixest and reghdfe when the fixed effects are
    nested in the clusters (each fixed-effect group within one cluster: counties by province, or
    prefectures clustered by province): their dummies are not counted in K of the small-sample correction
    (N − 1)/(N − K), as :mod:`countylib.analysis.panel` does; statsmodels counts every dummy. 1 otherwise.
    """
    fe = result.fixed_effects
    if not fe or not result.cluster or fe == result.cluster and result.n_groups <= 1:
        return 1.0
    nested = bool((frame.groupby(fe)[result.cluster].nunique() <= 1).all())
    if not nested:
        return 1.0
    k_nested = rank - max(result.n_groups - 1, 0)
    return (result.n - rank) / (result.n - k_nested)


def _coefficients(fitted, factor: float, df_t: int | None) -> pd.DataFrame:
    """The coefficient table (coef, std_err, t, p, ci_low, ci_high), the covariance scaled by ``factor`` and
    t tests on ``df_t`` degrees of freedom (G − 1 with clusters; the model's own otherwise)."""
    params = fitted.params
    se = np.sqrt(np.diag(np.asarray(fitted.cov_params())) * factor)
    return _coefficient_table(params.to_numpy(), se, df_t if df_t is not None else fitted.df_resid, params.index)


def _refusal(result: RegressionResult, rank: int, min_df: int) -> str:
    """Why inference is refused (empty when it is allowed)."""
    n, df = result.n, result.df_resid
    parts = [f"{1 + len(result.controls)} 个解释变量", "常数项"]
    if result.fixed_effects:
        parts.append(f"{max(result.n_groups - 1, 0)} 个固定效应虚拟变量")
    what = f"N = {n}，估计 {rank} 个参数（{'、'.join(parts)}），剩余自由度 {df}"
    if df < min_df:
        return (f"{what}，少于 {min_df}：不报告系数、标准误和 p 值，散点图仅作描述。")
    if result.cluster and result.n_clusters - 1 < min_df:
        return (f"{what}；但只有 {result.n_clusters} 个聚类（按{group_label(result.cluster)}），G − 1 = "
                f"{result.n_clusters - 1} 少于 {min_df}：聚类稳健标准误不可靠，不作推断。")
    return ""


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
    """End value as a multiple of the start value (NaN, with a warning, when the start is not positive).

    >>> growth_multiple(50, 125)
    2.5
    """
    if pd.isna(start) or pd.isna(end):
        return float("nan")
    if start <= 0:
        warnings.warn(f"growth multiple undefined for start = {start}; returning NaN", RuntimeWarning,
                      stacklevel=2)
        return float("nan")
    return end / start


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate (as a fraction) between two levels ``years`` apart:
    ``(end / start) ** (1 / years) - 1``.

    A start or end value that is not positive has no such rate (a negative ratio would give a complex
    number): the result is NaN with a ``RuntimeWarning``. Missing values give NaN quietly.

    >>> round(cagr(100, 121, 2), 10)
    0.1
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     cagr(100, -5, 3)
    nan
    """
    if years <= 0:
        raise ValueError(f"CAGR needs a positive number of years, got {years}")
    if pd.isna(start) or pd.isna(end):
        return float("nan")
    if start <= 0 or end <= 0:
        warnings.warn(f"CAGR undefined for start = {start}, end = {end} (both must be positive); "
                      "returning NaN", RuntimeWarning, stacklevel=2)
        return float("nan")
    return (end / start) ** (1 / years) - 1


def two_year_average(g1: float, g2: float) -> float:
    """两年平均增长 (two-year average growth, %) from the two annual rates in %.

    The convention is geometric, as in the statistical bulletins: the rate that, applied twice,
    gives the same two-year growth, ``sqrt((1 + g1)(1 + g2)) - 1`` — not the arithmetic mean
    ``(g1 + g2) / 2``, which overstates it whenever the two rates differ. It equals
    ``cagr(1, (1 + g1)(1 + g2), 2)``.

    >>> round(two_year_average(2.3, 8.1), 4)
    5.16
    >>> round((2.3 + 8.1) / 2, 4)  # the arithmetic mean, not the convention
    5.2
    """
    factor = (1 + g1 / 100) * (1 + g2 / 100)
    if factor <= 0:
        warnings.warn(f"two-year average undefined for rates {g1} % and {g2} %; returning NaN",
                      RuntimeWarning, stacklevel=2)
        return float("nan")
    return (math.sqrt(factor) - 1) * 100


def gap(data: pd.DataFrame, column: str, reference: str | float = "mean", by: str | None = None,
        key: str = "adcode") -> pd.DataFrame:
    """Gap of each unit to a reference: the mean (of all, or within ``by``), a named unit's value
    (an adcode, e.g. 昆山市 ``"320583"``), or a number. Returns difference and ratio.

    >>> df = pd.DataFrame({"adcode": ["1", "2"], "v": [10.0, 30.0]})
    >>> gap(df, "v")[["gap", "ratio"]].values.tolist()
    [[-10.0, 0.5], [10.0, 1.5]]
    >>> gap(df, "v", reference="2").gap.tolist()
    [-20.0, 0.0]
    >>> gap(df, "v", reference=25).gap.tolist()
    [-15.0, 5.0]
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

    >>> threshold_counts(pd.DataFrame({"v": [600, 1200, 300, None]}), "v", [500, 1000]).to_dict("records")
    [{'threshold': 500.0, 'count': 2, 'N': 3, 'missing': 1}, {'threshold': 1000.0, 'count': 1, 'N': 3, 'missing': 1}]
    """
    vals = data[column]
    n = int(vals.notna().sum())
    rows = [{"threshold": float(t), "count": int((vals >= t).sum()), "N": n, "missing": int(vals.isna().sum())}
            for t in thresholds]
    return pd.DataFrame(rows)
