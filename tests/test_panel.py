"""Fixed-effects regressions: known answers (first differences, explicit dummies in statsmodels) and the
same data through pyfixest, whose conventions (fixest's) the standard errors follow."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.formula.api as smf

from countylib.analysis import panel

# Tolerances: coefficients agree to rounding; pyfixest demeans iteratively (to 1e-8), which moves its
# standard errors in the 11th digit.
COEF_TOL = 1e-10
SE_TOL = 1e-8
MAX_DIFF: dict[str, float] = {"coef": 0.0, "se": 0.0}


def _balanced(units: int = 60, years=(2010, 2020), seed: int = 0) -> pd.DataFrame:
    """Made-up panel: unit effects correlated with x (so pooled OLS is biased), a year effect, slope 0.5
    on x1 and -0.2 on x2, errors heteroskedastic in x1."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"adcode": np.repeat([f"{410100 + i:06d}" for i in range(units)], len(years)),
                       "year": np.tile(list(years), units)})
    effect = df.adcode.map(dict(zip(df.adcode.unique(), rng.normal(size=units), strict=True)))
    df["x1"] = rng.normal(size=len(df)) + effect
    df["x2"] = rng.normal(size=len(df))
    df["y"] = (0.5 * df.x1 - 0.2 * df.x2 + 2 * effect + 0.3 * (df.year == years[-1])
               + rng.normal(size=len(df)) * (1 + 0.5 * df.x1.abs()))
    return df


def _real_shaped(seed: int = 7) -> pd.DataFrame:
    """Made-up county panel shaped like the real one: 240 units nested in 48 prefectures nested in 12
    provinces, 2012-2019 with years missing at random (unbalanced), and units seen once (singletons)."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(240):
        pref = u % 48
        years = [t for t in range(2012, 2020) if rng.random() < 0.7] if u % 29 else [2016]
        rows += [(f"{410000 + u:06d}", f"县{u}", f"市{pref:02d}", f"省{pref % 12:02d}", t) for t in years]
    df = pd.DataFrame(rows, columns=["adcode", "name", "prefecture", "province", "year"])
    unit_effect = df.adcode.map({u: rng.normal() for u in df.adcode.unique()})
    pref_shock = df.prefecture.map({p: rng.normal() for p in df.prefecture.unique()})
    df["x1"] = rng.normal(size=len(df)) + 0.5 * unit_effect
    df["x2"] = rng.normal(size=len(df)) + 0.01 * (df.year - 2012)
    df["y"] = (0.5 * df.x1 - 0.3 * df.x2 + unit_effect + 0.1 * (df.year - 2012) + pref_shock * (df.year > 2015)
               + rng.normal(size=len(df)) * (1 + df.x1.abs()))
    return df


def _pyfixest(formula: str, data: pd.DataFrame, vcov):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.feols(formula, data=data, vcov=vcov, fixef_rm="singleton")


def _assert_same(res: panel.PanelResult, ref) -> None:
    terms = list(ref.coef().index)
    assert list(res.terms) == terms
    coef = np.abs(res.coef[terms].to_numpy() - ref.coef().to_numpy()).max()
    se = np.abs(res.se[terms].to_numpy() - ref.se().to_numpy()).max()
    assert coef < COEF_TOL and se < SE_TOL, (coef, se)
    MAX_DIFF["coef"], MAX_DIFF["se"] = max(MAX_DIFF["coef"], coef), max(MAX_DIFF["se"], se)
    assert res.pvalues[terms].to_numpy() == pytest.approx(ref.pvalue().to_numpy(), rel=1e-6, abs=1e-12)
    assert res.n == ref._N and res.df_k == ref._df_k and res.df_t == int(ref._df_t)
    assert res.r2 == pytest.approx(ref._r2, abs=1e-12) and res.adj_r2 == pytest.approx(ref._adj_r2, abs=1e-12)
    if res.fe:
        assert res.r2_within == pytest.approx(ref._r2_within, abs=1e-12)


# ------------------------------------------------------------------------------------------------------
# Against pyfixest
# ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("vcov", "kwargs"), [
    ({"CRV1": "adcode"}, {}),                       # the default: clustered by the first fixed effect
    ("hetero", {"vcov": "HC1"}),
    ("iid", {"vcov": "iid"}),
])
def test_two_way_balanced_panel_equals_pyfixest(vcov, kwargs):
    df = _balanced()
    res = panel.regress(df, "y", ["x1", "x2"], fe=["adcode", "year"], **kwargs)
    _assert_same(res, _pyfixest("y ~ x1 + x2 | adcode + year", df, vcov))


@pytest.mark.parametrize(("formula", "vcov", "kwargs"), [
    ("y ~ x1 + x2 | adcode + year", {"CRV1": "adcode"}, {"fe": ["adcode", "year"]}),
    # units nested in prefectures: the unit fixed effects count as one in K
    ("y ~ x1 + x2 | adcode + year", {"CRV1": "prefecture"}, {"fe": ["adcode", "year"], "cluster": "prefecture"}),
    ("y ~ x1 + x2 | adcode + year", {"CRV1": "province"}, {"fe": ["adcode", "year"], "cluster": "province"}),
    ("y ~ x1 + x2 | prefecture + year", {"CRV1": "province"}, {"fe": ["prefecture", "year"], "cluster": "province"}),
    ("y ~ x1 + x2 | adcode + year + province", {"CRV1": "adcode"}, {"fe": ["adcode", "year", "province"]}),
    ("y ~ x1 + x2 | adcode + year", "hetero", {"fe": ["adcode", "year"], "vcov": "HC1"}),
    ("y ~ x1 + x2 | province", {"CRV1": "province"}, {"fe": "province"}),
    ("y ~ x1 + x2", "hetero", {}),
    ("y ~ x1 + x2", {"CRV1": "prefecture"}, {"cluster": "prefecture"}),
])
def test_unbalanced_nested_panel_with_singletons_equals_pyfixest(formula, vcov, kwargs):
    df = _real_shaped()
    res = panel.regress(df, "y", ["x1", "x2"], **kwargs)
    _assert_same(res, _pyfixest(formula, df, vcov))


def test_alternating_projections_give_the_same_numbers(monkeypatch):
    df = _real_shaped()
    monkeypatch.setattr(panel, "EXACT_CELLS", 0)  # every multi-way model through the iterative path
    res = panel.regress(df, "y", ["x1", "x2"], fe=["adcode", "year", "province"], cluster="prefecture")
    _assert_same(res, _pyfixest("y ~ x1 + x2 | adcode + year + province", df, {"CRV1": "prefecture"}))


def test_largest_differences_from_pyfixest_are_tiny():
    """Runs after the comparisons above (same module, file order) and states what they found."""
    assert MAX_DIFF["se"] > 0, "the comparisons above did not run first"
    assert MAX_DIFF["coef"] < COEF_TOL and MAX_DIFF["se"] < SE_TOL
    print(f"\nmax |coef - pyfixest| = {MAX_DIFF['coef']:.2e}, max |se - pyfixest| = {MAX_DIFF['se']:.2e}")


# ------------------------------------------------------------------------------------------------------
# Known answers without pyfixest
# ------------------------------------------------------------------------------------------------------


def test_two_periods_two_way_fe_is_first_differences():
    df = _balanced(units=80)
    res = panel.regress(df, "y", ["x1", "x2"], fe=["adcode", "year"])
    d = df.sort_values(["adcode", "year"]).groupby("adcode")[["y", "x1", "x2"]].diff().dropna()
    fd = smf.ols("y ~ x1 + x2", d).fit()
    assert res.coef.to_numpy() == pytest.approx(fd.params[["x1", "x2"]].to_numpy(), rel=1e-10)


def test_one_way_fe_equals_explicit_dummies_in_statsmodels():
    df = _real_shaped()
    n_prov = df.province.nunique()
    sm_fit = smf.ols("y ~ x1 + x2 + C(province)", df)
    for ours, theirs in (("iid", "nonrobust"), ("HC1", "HC1"), ("HC3", "HC3")):
        res = panel.regress(df, "y", ["x1", "x2"], fe="province", vcov=ours)
        ref = sm_fit.fit(cov_type=theirs)
        assert res.coef.to_numpy() == pytest.approx(ref.params[["x1", "x2"]].to_numpy(), rel=1e-10), ours
        assert res.se.to_numpy() == pytest.approx(ref.bse[["x1", "x2"]].to_numpy(), rel=1e-9), ours
    assert res.df_resid == len(df) - 2 - n_prov == int(ref.df_resid)
    assert res.r2 == pytest.approx(ref.rsquared, rel=1e-12) and res.adj_r2 == pytest.approx(ref.rsquared_adj)


def test_nested_fixed_effects_leave_k_as_one_in_the_cluster_correction():
    """statsmodels counts every dummy in K: (N-1)/(N-K_full) G/(G-1). Prefectures nested in the province
    clusters count as one coefficient, so our variance is statsmodels' times (N - K_full) / (N - K_nested)."""
    df = _real_shaped()
    res = panel.regress(df, "y", ["x1", "x2"], fe="prefecture", cluster="province")
    groups = pd.factorize(df.province)[0]
    ref = smf.ols("y ~ x1 + x2 + C(prefecture)", df).fit(cov_type="cluster", cov_kwds={"groups": groups})
    n, k_full = len(df), 2 + df.prefecture.nunique()
    k_nested = 2 + 1
    assert res.nested == ("prefecture",) and res.df_k == k_nested
    expected = ref.bse[["x1", "x2"]].to_numpy() * np.sqrt((n - k_full) / (n - k_nested))
    assert res.se.to_numpy() == pytest.approx(expected, rel=1e-9)
    assert res.ssc == pytest.approx(12 / 11 * (n - 1) / (n - k_nested))


def test_singletons_are_dropped_repeatedly_with_reasons():
    df = pd.DataFrame({"adcode": ["a", "a", "b", "b", "c", "d", "d", "e", "e"] * 2,
                       "year": [1, 2, 1, 3, 1, 1, 2, 1, 2] * 2,
                       "x": np.arange(18.0), "y": np.sin(np.arange(18.0))})
    df = df.drop_duplicates(["adcode", "year"]).reset_index(drop=True)
    # c is alone in its unit; once b's year-3 row (alone in year 3) goes, b is alone too
    res = panel.regress(df, "y", "x", fe=["adcode", "year"], min_df=0)
    reasons = dict(zip(df.loc[res.dropped.index, "adcode"] + "/" + df.loc[res.dropped.index, "year"].astype(str),
                       res.dropped.reason, strict=True))
    assert set(reasons) == {"c/1", "b/3", "b/1"}
    assert "year" in reasons["b/3"] and "adcode" in reasons["c/1"] and "adcode" in reasons["b/1"]
    assert all("仅此一个观测" in r for r in reasons.values())
    assert res.n == 6


def test_regressor_constant_within_units_is_dropped_as_collinear():
    df = _balanced()
    df["x_2010"] = df.groupby("adcode").x1.transform("first")  # a level fixed in 2010, like urbanization
    res = panel.regress(df, "y", ["x1", "x_2010"], fe=["adcode", "year"])
    assert res.collinear == ("x_2010",) and res.terms == ("x1",)
    assert res.coef["x1"] == pytest.approx(panel.regress(df, "y", "x1", fe=["adcode", "year"]).coef["x1"])


def test_collinearity_is_found_through_alternating_projections_too(monkeypatch):
    df = _real_shaped()
    df["level"] = 50 + df.groupby("adcode").x1.transform("mean")  # constant within units, far from zero
    df["const"] = 3.0
    monkeypatch.setattr(panel, "EXACT_CELLS", 0)
    res = panel.regress(df, "y", ["x1", "level", "x2"], fe=["adcode", "year", "province"])
    assert res.collinear == ("level",) and res.terms == ("x1", "x2")
    assert panel.regress(df, "y", ["x1", "const"]).collinear == ("const",)  # with the intercept


def test_too_few_clusters_or_residual_df_refuse_inference():
    df = _real_shaped()
    few = df[df.province.isin(["省00", "省01", "省02", "省03", "省04"])]
    res = panel.regress(few, "y", "x1", fe=["adcode", "year"], cluster="province")
    assert not res.inference and res.table.empty and "5 个聚类" in res.message
    tiny = _balanced(units=6)
    res = panel.regress(tiny, "y", ["x1", "x2"], fe=["adcode", "year"], vcov="HC1")
    assert res.df_resid == 12 - 2 - 7 and not res.inference and "剩余自由度 3" in res.message


def test_one_year_with_unit_fixed_effects_says_every_row_is_a_singleton():
    df = _balanced()
    res = panel.regress(df[df.year == 2010], "y", "x1", fe=["adcode", "year"])
    assert res.n == 0 and not res.inference and "唯一" in res.message and len(res.dropped) == 60
    res = panel.regress(df.assign(y=np.nan), "y", "x1", fe=["adcode", "year"])
    assert res.n == 0 and "没有同时具备全部变量" in res.message


def test_missing_and_unloggable_values_are_listed():
    df = _balanced()
    df.loc[3, "x1"] = np.nan
    df["g"] = np.exp(df.y / 10)
    df.loc[10, "g"] = -1.0
    res = panel.regress(df, "g", "x1", fe=["adcode", "year"], log=["g"])
    reasons = res.dropped.reason.tolist()
    assert "缺少x1" in reasons and "g ≤ 0，无法取对数" in reasons
    assert sum("仅此一个观测" in r for r in reasons) == 2  # their partners in a two-year panel
    assert res.y == "ln_g" and res.n == len(df) - 4


def test_tidy_input_gives_the_same_result_as_wide():
    df = _balanced()
    tidy = df.melt(id_vars=["adcode", "year"], var_name="indicator", value_name="value")
    tidy["source_id"] = "made-up"
    a = panel.regress(df, "y", ["x1", "x2"], fe=["adcode", "year"])
    b = panel.regress(tidy, "y", ["x1", "x2"], fe=["adcode", "year"])
    pd.testing.assert_frame_equal(a.table, b.table)
    dup = pd.concat([tidy, tidy.head(1)])
    with pytest.raises(ValueError, match="sharing a unit, time and indicator, first 410100 2010"):
        panel.wide(dup)


def test_bad_arguments_are_one_line_errors():
    df = _balanced()
    with pytest.raises(ValueError, match="HC3 .* at most one fixed effect"):
        panel.regress(df, "y", "x1", fe=["adcode", "year"], vcov="HC3")
    with pytest.raises(ValueError, match="vcov 'HC9'"):
        panel.regress(df, "y", "x1", vcov="HC9")
    with pytest.raises(KeyError, match=r"\['gdp'\]"):
        panel.regress(df, "gdp", "x1")
    with pytest.raises(ValueError, match="needs cluster="):
        panel.regress(df, "y", "x1", vcov="cluster")


def test_population_change_on_2010_levels_across_china(bundled_build, monkeypatch):
    """The panel_change notebook's question from the bundled data: y of 2020 (the change since 2010), x of
    2010, every unit of today; units whose territory changed between the censuses are left out, named."""
    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    from countylib.analysis import census

    data = census.regression_data("pop_change_2010_2020", "urbanization", ["age_65_plus_share"], year=2020,
                                  x_year=2010)
    row = data.set_index("adcode").loc["410308"]  # 孟津区: 2010 = 孟津县 + 吉利区, summed before the share
    assert row.urbanization == pytest.approx(census.merged_values("urbanization", [["410308"]], year=2010)[0])
    assert pd.isna(data.set_index("adcode").loc["330110", "pop_change_2010_2020"])  # 余杭区: 临平区 split off
    res = panel.regress(data, "pop_change_2010_2020", ["urbanization", "age_65_plus_share"], fe="province_name",
                        cluster="province_name")
    usable = data.dropna(subset=["pop_change_2010_2020", "urbanization", "age_65_plus_share"])
    assert res.n + len(res.dropped) == len(data) and res.n <= len(usable)
    assert "余杭区" in set(res.dropped.name) and res.n_clusters == 31
    assert res.coef["urbanization"] > 0 and res.coef["age_65_plus_share"] < 0  # growth where cities and youth are


def test_the_readme_s_fixed_effects_example_runs_as_written(bundled_build, monkeypatch, tmp_path):
    """The README's block on fixed effects and regression tables, run as a researcher pastes it."""
    import re

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    monkeypatch.chdir(tmp_path)
    readme = (bundled_build / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "two_way = panel.regress" in b)
    names: dict = {}
    exec(compile(block, "README.md", "exec"), names)
    two_way = names["two_way"]
    assert two_way.fe == ("adcode", "year") and two_way.n > 5000 and two_way.inference
    assert set(two_way.dropped.adcode) and two_way.n + len(two_way.dropped) == len(names["p"])
    assert sorted(f.name for f in (tmp_path / "tables").iterdir()) == [
        "table1.docx", "table1.html", "table1.tex", "table2.docx", "table2.html", "table2.tex"]
