"""Fixed-effects regressions on panels and cross-sections, with the standard errors papers cite.

:func:`regress` fits OLS with any number of absorbed fixed effects (unit and year for a panel, province
for a cross-section) and returns a :class:`PanelResult`: coefficients, standard errors, t, p and 95 %
intervals, N, R² and within R², what was dropped and why. ``countylib.output.regtable`` puts several
results side by side in the table a paper uses (HTML, LaTeX, Word).

Standard errors follow fixest (R) and reghdfe (Stata), the conventions researchers cite:

* ``vcov="cluster"`` (the default with fixed effects: clustered by the first fixed effect, as fixest
  does): the CRV1 sandwich times ``G/(G-1) * (N-1)/(N-K)``; t tests and intervals use G - 1 degrees of
  freedom. K counts the regressors and the fixed-effect coefficients, except those of a fixed effect
  nested in the clusters (every level inside one cluster: unit fixed effects with errors clustered by
  unit), which count as one — fixest's ``ssc(fixef.K = "nested")`` default, reghdfe's rule.
* ``vcov="HC1"`` (fixest's ``"hetero"``, the default without fixed effects): ``N/(N-K)`` times the
  White sandwich, K counting every fixed-effect coefficient.
* ``vcov="iid"``: the classical ``RSS/(N-K)`` times ``(X'X)^-1``.
* ``vcov="HC3"`` (no more than one fixed effect): the jackknife-like HC3 of :func:`countylib.stats.regress`,
  leverage including the fixed effect's own ``1/n_g``; no further correction, as statsmodels.

The fixed-effect coefficients are counted as fixest counts them: every level of every fixed effect,
minus one for each fixed effect after the first. Singletons (an observation alone in a level of some
fixed effect) are dropped first, repeatedly, as reghdfe does and fixest does with
``fixef.rm = "singleton"``: they are fitted exactly and only inflate N; each is listed with its reason.

Inference is refused, with a message, when the residual degrees of freedom (N minus every estimated
coefficient) or the number of clusters minus one fall below ``min_df`` (8, the rule of
:func:`countylib.stats.regress`).

**Engine.** The estimator is written here on numpy and scipy rather than calling pyfixest. With one
fixed effect the data are demeaned by group exactly; with more, the fixed effect with the most levels is
demeaned exactly and the others (years, a few hundred levels at most) are partialled out by least squares
on their demeaned dummies, which is exact by the Frisch–Waugh–Lovell theorem; only larger
configurations fall back to alternating projections (to 1e-12). pyfixest gives the same numbers (the
test suite compares coefficients and standard errors with it), but it would add about 40 MB of
dependencies (formulaic, narwhals, maketables, great-tables and their own), several seconds of imports
on the first fit, and an API that still changes between 0.x releases; this module imports only what
countylib already has, and fits 2,800 units x 2 years in a few milliseconds. pyfixest stays a test
dependency (the ``dev`` extra).

>>> import numpy as np, pandas as pd
>>> units, years = 40, [2010, 2015, 2020]
>>> df = pd.DataFrame({"adcode": np.repeat([f"{410100 + i}" for i in range(units)], 3),
...                    "year": years * units})
>>> rng = np.random.default_rng(1)
>>> df["x"] = rng.normal(size=len(df))
>>> df["y"] = 0.5 * df.x + df.adcode.str[-2:].astype(int) / 10 + (df.year - 2010) / 50 \\
...     + rng.normal(scale=0.1, size=len(df))
>>> res = regress(df, "y", "x", fe=["adcode", "year"])          # clustered by adcode
>>> res.n, res.n_clusters, res.vcov_type, res.df_t
(120, 40, 'cluster', 39)
>>> print(f"{res.coef['x']:.3f} [{res.se['x']:.4f}]")
0.488 [0.0149]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg
from scipy import stats as sps

from countylib import views
from countylib.data import indicators as ind

#: Fewest residual degrees of freedom (and clusters minus one) with which standard errors and p-values
#: are reported; ``countylib.stats`` applies the same rule (this constant).
MIN_DF_RESID = 8
VCOV_TYPES = ("iid", "HC1", "HC3", "cluster")
_VCOV_ALIASES = {"hetero": "HC1", "CRV1": "cluster", "nonrobust": "iid", "HC3": "HC3", "HC1": "HC1",
                 "iid": "iid", "cluster": "cluster"}
#: Collinearity: a regressor whose remaining variance, after the fixed effects and the regressors before
#: it, is below this share of its variance is dropped (as fixest's ``collin.tol``).
COLLINEAR_TOL = 1e-10
#: The exact two-step absorption builds N x L dense dummies for the smaller fixed effects: used while
#: N x L stays under this many cells (40 MB), alternating projections beyond.
EXACT_CELLS = 5_000_000
MAP_TOL = 1e-12
MAP_MAXITER = 100_000
#: Columns of a tidy table (``countylib.load``) that belong to one figure, not to the unit and year.
FIGURE_COLUMNS = frozenset({"indicator", "value", "unit", "value_text", "unit_published", "flag", "preferred",
                            "conflict", "source_id", "source_row", "url", "source_quality", "note", "source_title",
                            "publisher", "license", "retrieved", "name_printed", "code_printed",
                            "column_printed", "conflict_with"})

@dataclass(repr=False)
class PanelResult:
    """What :func:`regress` estimated, on which rows, with which standard errors.

    ``table`` has one row per regressor (coef, std_err, t, p, ci_low, ci_high) and is empty when
    ``inference`` is False (``message`` says why). ``dropped`` lists every row left out with its reason;
    ``collinear`` names regressors dropped as collinear with the fixed effects or the other regressors.
    ``df_k`` is the K of the small-sample correction, ``df_t`` the degrees of freedom of t tests,
    ``df_resid`` N minus every estimated coefficient.
    """

    y: str
    x: tuple[str, ...]
    terms: tuple[str, ...]
    n: int
    fe: tuple[str, ...]
    fe_levels: dict[str, int]
    vcov_type: str
    cluster: str | None
    n_clusters: int
    dropped: pd.DataFrame
    inference: bool
    message: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    vcov: pd.DataFrame = field(default_factory=pd.DataFrame)
    r2: float = float("nan")
    r2_within: float = float("nan")
    adj_r2: float = float("nan")
    rmse: float = float("nan")
    df_k: int = 0
    df_t: int = 0
    df_resid: int = 0
    ssc: float = 1.0
    collinear: tuple[str, ...] = ()
    nested: tuple[str, ...] = ()
    resid: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    source_note: str = ""

    @property
    def coef(self) -> pd.Series:
        """Coefficients by term (empty when inference is refused)."""
        return self.table["coef"] if "coef" in self.table else pd.Series(dtype=float)

    @property
    def se(self) -> pd.Series:
        """Standard errors by term."""
        return self.table["std_err"] if "std_err" in self.table else pd.Series(dtype=float)

    @property
    def pvalues(self) -> pd.Series:
        """p-values by term (t distribution with ``df_t`` degrees of freedom)."""
        return self.table["p"] if "p" in self.table else pd.Series(dtype=float)

    def tidy(self) -> pd.DataFrame:
        """One row per term with the model's name for it (``term``), as broom's ``tidy()``."""
        return self.table.reset_index()

    def summary(self) -> str:
        """Plain text: the model, N, fixed effects, standard errors, coefficients and drops."""
        fe = ", ".join(f"{f} ({self.fe_levels[f]})" for f in self.fe) or "none"
        se = self.vcov_type + (f" by {self.cluster} ({self.n_clusters} clusters)" if self.cluster else "")
        lines = [f"{self.y} ~ {' + '.join(self.terms) or '(nothing estimable)'} | fixed effects: {fe}",
                 f"N = {self.n} (dropped {len(self.dropped)}); standard errors: {se}; K = {self.df_k}, "
                 f"t df = {self.df_t}, residual df = {self.df_resid}"]
        if self.collinear:
            lines.append("dropped as collinear: " + ", ".join(self.collinear))
        if not self.inference:
            lines.append(self.message)
            return "\n".join(lines)
        lines.append(f"R² = {self.r2:.4f}, within R² = {self.r2_within:.4f}, adjusted R² = {self.adj_r2:.4f}")
        lines.append(self.table.round(6).to_string())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<PanelResult {self.y}, N = {self.n}>\n{self.summary()}"

    def _repr_html_(self) -> str:
        """In a notebook: the one-column regression table (drawn by ``countylib.output.regtable``)."""
        return views.show(self, "html")


# --------------------------------------------------------------------------------------------------
# Input: tidy or wide
# --------------------------------------------------------------------------------------------------


def wide(data: pd.DataFrame, unit: str = "adcode", time: str = "year") -> pd.DataFrame:
    """A tidy table (``unit, time, indicator, value, ...``, as ``countylib.load`` returns) as one row per
    unit and time with one column per indicator; columns constant within each unit and time (name,
    province, a break mark ...) come along, figure-level columns (source, flag ...) do not. A table that
    already has no ``indicator``/``value`` columns is returned as it is.

    Where a tidy table carries several figures for one unit, time and indicator, only ``preferred`` ones
    are used; still more than one is an error naming the first.

    >>> tidy = pd.DataFrame({"adcode": ["1", "1", "2", "2"], "year": [2020] * 4, "name": ["a", "a", "b", "b"],
    ...                      "indicator": ["y", "x"] * 2, "value": [1.0, 2.0, 3.0, 4.0],
    ...                      "source_id": ["s", "t", "s", "t"]})
    >>> wide(tidy)
      adcode  year name    x    y
    0      1  2020    a  2.0  1.0
    1      2  2020    b  4.0  3.0
    """
    if not {"indicator", "value"} <= set(data.columns):
        return data
    for key in (unit, time):
        if key not in data.columns:
            raise KeyError(f"a tidy table needs the column {key!r} (unit={unit!r}, time={time!r}); "
                           f"columns are {list(data.columns)}")
    tidy = data
    if "preferred" in tidy.columns:
        tidy = tidy[tidy["preferred"].fillna(False).astype(bool)]
    keys = [unit, time, "indicator"]
    dup = tidy.duplicated(keys, keep=False)
    if dup.any():
        first = tidy.loc[dup, keys].iloc[0]
        raise ValueError(f"the tidy table has {int(dup.sum())} rows sharing a unit, time and indicator, first "
                         f"{first[unit]} {first[time]} {first['indicator']}: keep one figure each "
                         "(e.g. the preferred ones) before making a panel")
    values = tidy.pivot(index=[unit, time], columns="indicator", values="value")
    values.columns.name = None
    others = [c for c in tidy.columns if c not in FIGURE_COLUMNS and c not in (unit, time)]
    if others:
        varying = tidy.groupby([unit, time], sort=False)[others].nunique(dropna=False).max()
        others = [c for c in others if varying[c] <= 1]
    attrs = tidy.drop_duplicates([unit, time]).set_index([unit, time])[others]
    out = attrs.join(values).sort_index().reset_index()
    return out[[unit, time, *others, *sorted(values.columns)]]


# --------------------------------------------------------------------------------------------------
# Estimation
# --------------------------------------------------------------------------------------------------


def regress(
    data: pd.DataFrame,
    y: str,
    x: str | Sequence[str],
    fe: str | Sequence[str] = (),
    cluster: str | None = None,
    vcov: str | None = None,
    log: Iterable[str] = (),
    unit: str = "adcode",
    time: str = "year",
    min_df: int = MIN_DF_RESID,
    drop_singletons: bool = True,
    source_note: str = "",
) -> PanelResult:
    """OLS of ``y`` on ``x`` with absorbed fixed effects ``fe`` and robust or clustered standard errors.

    Parameters
    ----------
    data: one row per observation (unit and year for a panel, unit for a cross-section), with the
        variables as columns; or a tidy table (``indicator``, ``value``), made wide with :func:`wide`
        on ``unit`` and ``time``.
    y, x: column names; ``x`` one or several regressors.
    fe: columns whose levels are absorbed as fixed effects, e.g. ``["adcode", "year"]`` (two-way) or
        ``"province_name"``. No intercept is reported with fixed effects.
    cluster: the column to cluster by; implies ``vcov="cluster"``.
    vcov: ``"cluster"``, ``"HC1"`` (alias ``"hetero"``), ``"HC3"`` or ``"iid"``. Default: clustered by
        ``cluster``, else by the first fixed effect, else HC1.
    log: variables entered as natural logs (``ln_<name>``); values <= 0 are dropped with that reason.
    min_df: fewest residual degrees of freedom (and clusters minus one) for inference.
    drop_singletons: drop observations alone in a level of a fixed effect (repeatedly).

    Rows missing any variable, fixed effect or cluster are dropped and listed in ``result.dropped``.

    >>> df = pd.DataFrame({"province": list("aaabbbcccddd") * 2, "x": list(range(24)),
    ...                    "y": [0.5 * i + (i % 4) for i in range(24)]})
    >>> res = regress(df, "y", "x", fe="province", vcov="HC3")
    >>> res.vcov_type, res.n, res.df_resid, res.terms
    ('HC3', 24, 19, ('x',))
    """
    xs = (x,) if isinstance(x, str) else tuple(x)
    fes = (fe,) if isinstance(fe, str) else tuple(fe)
    if not xs:
        raise ValueError("regress needs at least one regressor x")
    vcov_type, cluster = _vcov_choice(vcov, cluster, fes)
    if vcov_type == "HC3" and len(fes) > 1:
        raise ValueError(f"HC3 needs the leverage of every observation, which countylib computes with at most one "
                         f"fixed effect (given {len(fes)}: {list(fes)}); use vcov='cluster' or 'HC1'")
    data = wide(data, unit, time)
    if not data.index.is_unique:  # rows are told apart by their index in `dropped` and `resid`
        data = data.reset_index(drop=True)
    log = set(log)
    needed = [y, *xs, *fes, *([cluster] if cluster else [])]
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise KeyError(f"columns not in the data: {missing}; columns are {list(data.columns)}")
    if len(set(xs)) != len(xs) or y in xs:
        raise ValueError(f"y and x must be distinct columns: y={y!r}, x={list(xs)}")

    names = {v: (f"ln_{v}" if v in log else v) for v in (y, *xs)}
    values = {}
    reasons = pd.Series("", index=data.index, dtype=object)
    for var in (y, *xs):
        raw = data[var]
        vals = pd.to_numeric(raw, errors="coerce").astype(float)
        bad_text = raw.notna() & vals.isna()
        shown = _name_zh(var)
        reasons[bad_text & (reasons == "")] = f"{shown} 不是数值"
        reasons[vals.isna() & (reasons == "")] = f"缺少{shown}"
        if var in log:
            nonpos = vals <= 0
            reasons[nonpos & (reasons == "")] = f"{shown} ≤ 0，无法取对数"
            vals = np.log(vals.where(~nonpos))
        values[var] = vals.to_numpy()
    groups = tuple(dict.fromkeys((*fes, *([cluster] if cluster else []))))
    for g in groups:
        reasons[data[g].isna() & (reasons == "")] = f"缺少分组 {g}"
    keep = (reasons == "").to_numpy()
    codes = {g: pd.factorize(data[g])[0] for g in groups}
    if drop_singletons and fes:
        keep = _drop_singletons(keep, [codes[f] for f in fes], fes, reasons)
    dropped = _dropped_frame(data, reasons, keep, unit, time)

    n = int(keep.sum())
    yv = values[y][keep]
    X = np.column_stack([values[v][keep] for v in xs]) if n else np.empty((0, len(xs)))
    fe_codes = [_compact(codes[f][keep]) for f in fes]
    fe_levels = {f: int(c.max() + 1) if n else 0 for f, c in zip(fes, fe_codes, strict=True)}
    cl = _compact(codes[cluster][keep]) if cluster else None
    n_clusters = int(cl.max() + 1) if cluster and n else 0
    result = PanelResult(y=names[y], x=xs, terms=(), n=n, fe=fes, fe_levels=fe_levels, vcov_type=vcov_type,
                         cluster=cluster, n_clusters=n_clusters, dropped=dropped, inference=False,
                         source_note=source_note)
    if n == 0:
        singletons = dropped.reason.str.contains("仅此一个观测", regex=False).any()
        result.message = ("每个观测都是其固定效应中唯一的一个（例如只有一年的数据却用单位固定效应），无法估计。"
                          if singletons else "没有同时具备全部变量的观测，无法估计。")
        return result

    terms = [names[v] for v in xs]
    if fes:
        M = _absorb(np.column_stack([yv, X]), fe_codes)
        yt, Xt = M[:, 0], M[:, 1:]
    else:
        yt, Xt = yv, np.column_stack([np.ones(n), X])
        terms = ["Intercept", *terms]
    raw = X if fes else np.column_stack([np.ones(n), X])
    kept_cols = _independent(Xt, (raw**2).sum(axis=0), COLLINEAR_TOL)
    result.collinear = tuple(t for i, t in enumerate(terms) if i not in kept_cols)
    Xt = Xt[:, kept_cols]
    terms = [terms[i] for i in kept_cols]
    result.terms = tuple(terms)
    k = len(terms)

    n_fe = len(fes)
    k_fe = sum(fe_levels.values())
    k_fe_adj = k_fe - (n_fe - 1) if n_fe > 1 else k_fe
    k_all = k + k_fe_adj
    nested = tuple(f for f, c in zip(fes, fe_codes, strict=True) if cluster and _nested(c, cl))
    result.nested = nested
    df_k = k + k_fe_adj - sum(fe_levels[f] for f in nested) + len(nested)
    result.df_k, result.df_resid = df_k, n - k_all
    result.df_t = n_clusters - 1 if vcov_type == "cluster" else n - df_k
    refusal = _refusal(result, k, min_df)
    if refusal:
        result.message = refusal
        return result

    XtX = Xt.T @ Xt
    chol = linalg.cho_factor(XtX)
    beta = linalg.cho_solve(chol, Xt.T @ yt)
    resid = yt - Xt @ beta
    bread = linalg.cho_solve(chol, np.eye(k))
    rss = float(resid @ resid)
    if vcov_type == "iid":
        ssc = 1.0
        V = rss / (n - df_k) * bread
    elif vcov_type == "HC1":
        ssc = n / (n - df_k)
        V = ssc * _sandwich(bread, Xt * resid[:, None])
    elif vcov_type == "HC3":
        ssc = 1.0
        lev = np.einsum("ij,jk,ik->i", Xt, bread, Xt)
        if fes:
            lev = lev + 1.0 / np.bincount(fe_codes[0])[fe_codes[0]]
        if (lev > 1 - 1e-8).any():
            result.message = ("有观测的杠杆值为 1（模型完全拟合该观测），HC3 标准误无定义："
                              "请改用 vcov='HC1' 或 'cluster'。")
            return result
        V = _sandwich(bread, Xt * (resid / (1 - lev))[:, None])
    else:
        ssc = n_clusters / (n_clusters - 1) * (n - 1) / (n - df_k)
        scores = np.zeros((n_clusters, k))
        np.add.at(scores, cl, Xt * resid[:, None])
        V = ssc * bread @ (scores.T @ scores) @ bread
    V = (V + V.T) / 2
    table = _coefficient_table(beta, np.sqrt(np.diag(V)), result.df_t, terms)
    tss = float(((yv - yv.mean()) ** 2).sum())
    tss_within = float(yt @ yt) if fes else tss
    result.inference = True
    result.table = table
    result.vcov = pd.DataFrame(V, index=terms, columns=terms)
    result.ssc = float(ssc)
    result.r2 = 1 - rss / tss if tss > 0 else float("nan")
    result.r2_within = 1 - rss / tss_within if fes and tss_within > 0 else float("nan")
    result.adj_r2 = 1 - (1 - result.r2) * (n - 1) / (n - k_all) if tss > 0 else float("nan")
    result.rmse = math.sqrt(rss / n)
    result.resid = pd.Series(resid, index=data.index[keep], name="resid")
    return result


def _vcov_choice(vcov: str | None, cluster: str | None, fes: tuple[str, ...]) -> tuple[str, str | None]:
    if vcov is not None and vcov not in _VCOV_ALIASES:
        raise ValueError(f"vcov {vcov!r} is not one of {VCOV_TYPES} (or 'hetero', 'CRV1')")
    kind = _VCOV_ALIASES.get(vcov) if vcov else None
    if cluster is not None:
        if kind not in (None, "cluster"):
            raise ValueError(f"cluster={cluster!r} asks for clustered errors, but vcov={vcov!r}; drop one of them")
        return "cluster", cluster
    if kind == "cluster":
        if not fes:
            raise ValueError("vcov='cluster' needs cluster=<column> (or a fixed effect to cluster by)")
        return "cluster", fes[0]
    if kind is None:
        return ("cluster", fes[0]) if fes else ("HC1", None)
    return kind, None


def _compact(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0..L-1 over the levels that occur."""
    if not len(codes):
        return codes
    _, inv = np.unique(codes, return_inverse=True)
    return inv.astype(np.int64)


def _drop_singletons(keep: np.ndarray, codes: list[np.ndarray], fes: tuple[str, ...],
                     reasons: pd.Series) -> np.ndarray:
    """Drop observations alone in a level of a fixed effect, until none is (dropping one can make another)."""
    keep = keep.copy()
    changed = True
    while changed:
        changed = False
        for f, c in zip(fes, codes, strict=True):
            counts = np.bincount(c[keep], minlength=int(c.max()) + 1 if len(c) else 0)
            alone = keep & (counts[c] == 1)
            if alone.any():
                reasons[alone] = f"所在 {f} 仅此一个观测（被其固定效应完全拟合），不参与估计"
                keep &= ~alone
                changed = True
    return keep


def _dropped_frame(data: pd.DataFrame, reasons: pd.Series, keep: np.ndarray, unit: str, time: str) -> pd.DataFrame:
    ids = [c for c in (unit, "name", time) if c in data.columns]
    out = data.loc[~keep, ids].copy()
    out["reason"] = reasons[~keep]
    return out


def _group_demean(M: np.ndarray, codes: np.ndarray) -> np.ndarray:
    counts = np.bincount(codes).astype(float)
    means = np.column_stack([np.bincount(codes, weights=M[:, j]) for j in range(M.shape[1])]) / counts[:, None]
    return M - means[codes]


def _absorb(M: np.ndarray, fe_codes: list[np.ndarray]) -> np.ndarray:
    """``M`` with the fixed effects partialled out (the residuals of regressing each column on them)."""
    if len(fe_codes) == 1:
        return _group_demean(M, fe_codes[0])
    order = sorted(range(len(fe_codes)), key=lambda i: -int(fe_codes[i].max() + 1))
    big, rest = fe_codes[order[0]], [fe_codes[i] for i in order[1:]]
    n_dummies = sum(int(c.max()) for c in rest)  # each without its first level
    if M.shape[0] * n_dummies <= EXACT_CELLS:
        D = np.zeros((M.shape[0], n_dummies))
        col = 0
        for c in rest:
            rows = np.flatnonzero(c > 0)
            D[rows, col + c[rows] - 1] = 1.0
            col += int(c.max())
        Mt, Dt = _group_demean(M, big), _group_demean(D, big)
        coef, *_ = np.linalg.lstsq(Dt, Mt, rcond=None)
        return Mt - Dt @ coef
    return _alternating_projections(M, [big, *rest])


def _alternating_projections(M: np.ndarray, fe_codes: list[np.ndarray]) -> np.ndarray:
    """Demean by each fixed effect in turn until nothing changes (the method of alternating projections)."""
    out = M.astype(float, copy=True)
    scale = 1.0 + np.abs(M).max()
    for _ in range(MAP_MAXITER):
        before = out.copy()
        for c in fe_codes:
            out = _group_demean(out, c)
        if np.abs(out - before).max() <= MAP_TOL * scale:
            return out
    raise RuntimeError(f"absorbing {len(fe_codes)} fixed effects did not converge in {MAP_MAXITER} rounds; "
                       "check for fixed effects that barely overlap, or drop one")


def _independent(X: np.ndarray, scale: np.ndarray, tol: float) -> list[int]:
    """Indices of the columns of ``X`` kept when each is checked, in order, against those kept before it
    (an in-order Cholesky): one whose sum of squares left after them is below ``tol`` times ``scale`` (its
    sum of squares before the fixed effects were taken out) is collinear. Measuring against the column as
    given, not as demeaned, catches a regressor constant within units whatever rounding is left of it."""
    kept: list[int] = []
    if not X.shape[0]:
        return kept
    G = X.T @ X
    L = np.zeros_like(G)
    for j in range(G.shape[0]):
        own = G[j, j]
        if own <= 0:
            continue
        idx = kept
        if idx:
            sub = L[np.ix_(idx, idx)]
            lj = linalg.solve_triangular(sub, G[idx, j], lower=True)
            rest = own - lj @ lj
        else:
            lj, rest = np.empty(0), own
        if rest <= tol * max(scale[j], own):
            continue
        L[j, idx] = lj
        L[j, j] = math.sqrt(rest)
        kept.append(j)
    return kept


def _nested(fe_codes: np.ndarray, clusters: np.ndarray) -> bool:
    """Whether every level of the fixed effect lies inside one cluster."""
    pairs = np.unique(fe_codes.astype(np.int64) * (int(clusters.max()) + 1) + clusters)
    return len(pairs) == int(fe_codes.max()) + 1


def _coefficient_table(coef, se, df: float, terms) -> pd.DataFrame:
    """The coefficient table, one row per term (index ``term``): coef, std_err, t, p and the 95 % interval
    (ci_low, ci_high), t tests on ``df`` degrees of freedom. :func:`countylib.stats.regress` uses it too."""
    t = coef / se
    p = 2 * sps.t.sf(np.abs(t), df)
    half = sps.t.ppf(0.975, df) * se
    return pd.DataFrame({"coef": coef, "std_err": se, "t": t, "p": p, "ci_low": coef - half,
                         "ci_high": coef + half}, index=pd.Index(terms, name="term"))


def _sandwich(bread: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return bread @ (scores.T @ scores) @ bread


def _refusal(result: PanelResult, k: int, min_df: int) -> str:
    """Why inference is refused (empty when it is allowed)."""
    if k == 0:
        return "每个解释变量都与固定效应共线（在其各组内不变）：无可估计的系数。"
    if result.n - result.df_k <= 0 or (result.vcov_type == "cluster" and result.n_clusters < 2):
        return (f"N = {result.n}，参数 {result.df_k} 个，聚类 {result.n_clusters} 个：无法计算标准误。")
    what = (f"N = {result.n}，估计 {k} 个解释变量和 {result.n - result.df_resid - k} 个固定效应系数，"
            f"剩余自由度 {result.df_resid}")
    if result.df_resid < min_df:
        return f"{what}，少于 {min_df}：不报告标准误和 p 值。"
    if result.vcov_type == "cluster" and result.n_clusters - 1 < min_df:
        return (f"{what}；但只有 {result.n_clusters} 个聚类（按 {result.cluster}），G − 1 = {result.n_clusters - 1} "
                f"少于 {min_df}：聚类稳健标准误不可靠，不作推断。")
    return ""


def _name_zh(column: str) -> str:
    """A column's name in reasons: the registry's Chinese name for an indicator key, else the column as it is.

    >>> _name_zh("pop_change_2010_2020"), _name_zh("my_x")
    ('常住人口变化率（2010—2020年）', 'my_x')
    """
    meta = ind.registry().get(column)
    return meta.name_zh if meta else column
