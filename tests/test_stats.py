"""Known-answer tests for regressions (against statsmodels called directly) and the comparative helpers."""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from countylib.analysis import stats

matplotlib.use("Agg")

# A small dataset written for the test (made-up numbers).
DATA = pd.DataFrame({
    "name": [f"县{i}" for i in range(14)],
    "gdp": [120, 250, 310, 95, 480, 700, 860, 1500, 220, 330, 410, 980, 640, 2600.0],
    "rd": [0.8, 1.1, 1.6, 0.5, 2.0, 2.2, 2.6, 3.1, 1.0, 1.5, 1.9, 2.8, 2.1, 3.9],
    "pop": [30, 55, 60, 25, 70, 80, 95, 120, 50, 62, 66, 100, 85, 160.0],
})


def _panel(n: int, groups: int, seed: int) -> pd.DataFrame:
    """Made-up county data: ``groups`` provinces, four controls, a slope of 0.5 on x."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"name": [f"县{i}" for i in range(n)],
                       "province": [f"省{i % groups:02d}" for i in range(n)],
                       **{c: rng.normal(size=n) for c in ("x", "c1", "c2", "c3", "c4")}})
    df["y"] = 0.5 * df.x + 0.2 * df.c1 + df.province.str[-2:].astype(int) * 0.1 + rng.normal(size=n)
    return df


def test_coefficients_and_hc3_errors_equal_statsmodels():
    res = stats.regress(DATA, "rd", "gdp", controls=["pop"], log=["gdp"], cov_type="HC3")
    X = sm.add_constant(pd.DataFrame({"ln_gdp": np.log(DATA.gdp), "pop": DATA["pop"]}))
    ref = sm.OLS(DATA.rd, X).fit(cov_type="HC3", use_t=True)
    assert res.table.loc["ln_gdp", "coef"] == pytest.approx(ref.params["ln_gdp"], rel=1e-10)
    assert res.table.loc["ln_gdp", "std_err"] == pytest.approx(ref.bse["ln_gdp"], rel=1e-10)
    assert res.table.loc["pop", "p"] == pytest.approx(ref.pvalues["pop"], rel=1e-8)
    assert res.table.loc["pop", "ci_high"] == pytest.approx(ref.conf_int().loc["pop", 1], rel=1e-10)
    assert res.r2 == pytest.approx(ref.rsquared) and res.adj_r2 == pytest.approx(ref.rsquared_adj)
    assert res.formula == "rd ~ ln_gdp + pop" and res.n == 14 and res.df_resid == 11 == ref.df_resid
    assert {"breusch_pagan_p", "jarque_bera_p", "influential"} <= set(res.diagnostics)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
def test_every_covariance_equals_statsmodels(cov_type):
    res = stats.regress(DATA, "rd", "gdp", controls=["pop"], cov_type=cov_type)
    ref = smf.ols("rd ~ gdp + pop", DATA).fit(cov_type=cov_type, use_t=True)
    assert res.table["std_err"].tolist() == pytest.approx(ref.bse.tolist(), rel=1e-10)
    assert res.table["p"].tolist() == pytest.approx(ref.pvalues.tolist(), rel=1e-8)


def test_missing_units_are_dropped_with_a_list():
    df = DATA.copy()
    df.loc[2, "rd"] = np.nan
    df.loc[5, "gdp"] = -1
    res = stats.regress(df, "rd", "gdp", log=["gdp"])
    assert res.n == 12
    assert dict(zip(res.dropped["name"], res.dropped.reason, strict=True)) == {
        "县2": "缺少rd", "县5": "地区生产总值 ≤ 0，无法取对数"}  # registry keys by their Chinese name


# ------------------------------------------------------------------------------------------------------
# When inference is refused: residual degrees of freedom, not rows
# ------------------------------------------------------------------------------------------------------


def test_twelve_rows_with_four_controls_and_fixed_effects_leave_three_df_and_no_p_values():
    df = _panel(12, 4, seed=1)
    res = stats.regress(df, "y", "x", controls=["c1", "c2", "c3", "c4"], fixed_effects="province")
    ref = smf.ols("y ~ x + c1 + c2 + c3 + c4 + C(province)", df).fit(cov_type="HC3", use_t=True)
    assert ref.df_resid == 3 and np.isfinite(ref.pvalues["x"]), "statsmodels would print a p-value"
    assert res.n == 12 and res.n_params == 9 and res.df_resid == 3
    assert not res.inference and res.table.empty and res.model is None
    assert "剩余自由度 3" in res.message and "少于 8" in res.message
    assert "不作统计推断" in res.to_html() and "p 值</th>" not in res.to_html()


def test_the_same_twelve_rows_without_controls_allow_inference():
    df = _panel(12, 4, seed=1)
    res = stats.regress(df, "y", "x")
    assert res.inference and res.df_resid == 10
    assert stats.regress(df.head(10), "y", "x").inference
    refused = stats.regress(df.head(9), "y", "x")
    assert not refused.inference and refused.df_resid == 7


def test_small_samples_refuse_inference_but_still_plot():
    res = stats.regress(DATA.head(4), "rd", "gdp")
    assert not res.inference and res.table.empty and "剩余自由度 2" in res.message
    fig = res.plot()
    assert fig.axes[0].collections, "the scatter is still drawn"
    assert "不作统计推断" in fig.axes[0].get_title()


def test_a_fixed_effect_group_of_one_unit_is_left_out_with_a_note():
    df = _panel(40, 5, seed=2)
    df.loc[len(df)] = {"name": "孤县", "province": "省99", "x": 3.0, "c1": 0.0, "c2": 0, "c3": 0, "c4": 0,
                       "y": 10.0}
    full = smf.ols("y ~ x + C(province)", df).fit(cov_type="HC3")
    assert not np.isfinite(full.bse["x"]) or full.get_influence().hat_matrix_diag.max() > 1 - 1e-8
    res = stats.regress(df, "y", "x", fixed_effects="province")
    assert res.n == 40 and res.dropped["name"].tolist() == ["孤县"]
    assert "所在省份仅此一个单位" in res.dropped.reason.iloc[0] and "杠杆值为 1" in res.dropped.reason.iloc[0]
    ref = smf.ols("y ~ x + C(province)", df.iloc[:40]).fit(cov_type="HC3", use_t=True)
    assert res.table.loc["x", "coef"] == pytest.approx(ref.params["x"], rel=1e-10)
    assert res.table.loc["x", "coef"] == pytest.approx(full.params["x"], rel=1e-8), "the slope is the same"
    assert res.table.loc["x", "std_err"] == pytest.approx(ref.bse["x"], rel=1e-10)
    assert res.n_groups == 5 and res.df_resid == 40 - 6


def test_leverage_one_without_fixed_effects_refuses_hc3():
    df = _panel(30, 3, seed=3)
    df["only_one"] = 0.0
    df.loc[7, "only_one"] = 1.0
    res = stats.regress(df, "y", "x", controls=["only_one"])
    assert not res.inference and "县7" in res.message and "杠杆值为 1" in res.message
    assert stats.regress(df, "y", "x", controls=["only_one"], cov_type="HC1").inference


# ------------------------------------------------------------------------------------------------------
# Cluster-robust errors and fixed effects at national scale
# ------------------------------------------------------------------------------------------------------


def test_cluster_robust_errors_equal_statsmodels():
    df = _panel(300, 30, seed=4)
    res = stats.regress(df, "y", "x", controls=["c1"], fixed_effects="province", cov_type="cluster",
                        cluster="province")
    groups = pd.factorize(df.province)[0]
    ref = smf.ols("y ~ x + c1 + C(province)", df).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    # the province dummies are nested in the province clusters: fixest/reghdfe leave them out of K, which
    # statsmodels counts (K = 32 parameters against 3 without the 29 dummies)
    n, k_full, k_nested = res.n, int(ref.df_model) + 1, int(ref.df_model) + 1 - 29
    assert res.table.loc["x", "std_err"] == pytest.approx(ref.bse["x"] * ((n - k_full) / (n - k_nested)) ** 0.5,
                                                          rel=1e-10)
    assert res.n_clusters == 30 and "聚类" in res.se_label() and "30 类" in res.se_label()
    assert "聚类稳健标准误" in res.to_html()


def test_few_clusters_refuse_inference():
    df = _panel(200, 6, seed=5)
    res = stats.regress(df, "y", "x", cov_type="cluster", cluster="province")
    assert res.df_resid == 198 and not res.inference
    assert "6 个聚类" in res.message and "G − 1 = 5" in res.message


def test_cluster_needs_both_arguments():
    with pytest.raises(ValueError, match="cluster"):
        stats.regress(DATA, "rd", "gdp", cov_type="cluster")
    with pytest.raises(ValueError, match="cluster"):
        stats.regress(DATA.assign(p="a"), "rd", "gdp", cluster="p")
    with pytest.raises(ValueError, match="cov_type"):
        stats.regress(DATA, "rd", "gdp", cov_type="HC9")


def test_thirty_province_fixed_effects_on_2800_counties():
    df = _panel(2800, 30, seed=6)
    res = stats.regress(df, "y", "x", controls=["c1", "c2"], fixed_effects="province", cov_type="cluster",
                        cluster="province")
    ref = smf.ols("y ~ x + c1 + c2 + C(province)", df).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df.province)[0]}, use_t=True)
    assert res.n_params == 33 and res.df_resid == 2767  # constant, x, c1, c2, 29 dummies
    assert res.table.loc["x", "coef"] == pytest.approx(ref.params["x"], rel=1e-10)
    html = res.to_html()
    assert "29 个虚拟变量" in html and "C(province)[T." not in html


# ------------------------------------------------------------------------------------------------------
# Readable results
# ------------------------------------------------------------------------------------------------------


def test_html_table_has_the_numbers_and_escapes_data():
    df = DATA.copy()
    df.loc[3, "rd"] = np.nan
    df.loc[3, "name"] = "<script>坏</script>"
    res = stats.regress(df, "rd", "gdp", log=["gdp"])
    html = res.to_html()
    assert res._repr_html_() == html
    assert f"{res.table.loc['ln_gdp', 'coef']:.4g}" in html
    assert f"{res.table.loc['ln_gdp', 'std_err']:.4g}" in html
    assert "95% 置信区间" in html and "N = 13" in html and f"R² = {res.r2:.3f}" in html
    assert "rd ~ ln_gdp" in html
    assert "<details" in html and "剔除 1 个单位" in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_labels_fall_back_to_the_name():
    df = DATA.assign(label=[None] + [f"简{i}" for i in range(1, 14)])
    res = stats.regress(df, "rd", "gdp", label="label")
    assert res.data.label.tolist()[:2] == ["县0", "简1"]


def test_plots_draw_with_fixed_effects_and_residuals():
    df = _panel(60, 4, seed=7)
    res = stats.regress(df, "y", "x", fixed_effects="province")
    fig = res.plot()
    assert "斜率" in fig.axes[0].get_title() and not fig.axes[0].lines, "no single line through FE groups"
    plain = stats.regress(df, "y", "x")
    assert plain.plot().axes[0].lines, "a fitted line without fixed effects"
    assert len(plain.plot_residuals().axes) == 2
    with pytest.raises(ValueError, match="no fitted model"):
        stats.regress(df.head(5), "y", "x").plot_residuals()


# ------------------------------------------------------------------------------------------------------
# Growth
# ------------------------------------------------------------------------------------------------------


def test_cagr_and_growth_known_answers():
    assert stats.cagr(100, 121, 2) == pytest.approx(0.10)
    assert stats.cagr(200, 800, 10) == pytest.approx(4 ** 0.1 - 1)
    assert stats.growth_multiple(300, 960) == pytest.approx(3.2)
    with pytest.raises(ValueError):
        stats.cagr(100, 200, 0)


@pytest.mark.parametrize(("start", "end"), [(0, 10), (-50, 100), (100, -5), (100, 0)])
def test_cagr_of_non_positive_levels_is_nan_with_a_warning(start, end):
    with pytest.warns(RuntimeWarning, match="CAGR undefined"):
        out = stats.cagr(start, end, 3)
    assert isinstance(out, float) and math.isnan(out)


def test_cagr_of_missing_values_is_nan_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(stats.cagr(float("nan"), 10, 3))


def test_two_year_average_is_geometric():
    # 2020 +2.3 %, 2021 +8.1 %: sqrt(1.023 * 1.081) - 1 = 5.16 %, not the arithmetic 5.2 %
    avg = stats.two_year_average(2.3, 8.1)
    assert avg == pytest.approx((math.sqrt(1.023 * 1.081) - 1) * 100)
    assert round(avg, 2) == 5.16 and round((2.3 + 8.1) / 2, 2) == 5.2
    assert (1 + avg / 100) ** 2 == pytest.approx(1.023 * 1.081), "applied twice it gives the two years"
    assert avg / 100 == pytest.approx(stats.cagr(100, 100 * 1.023 * 1.081, 2))
    assert stats.two_year_average(-2.0, 2.0) < 0, "a fall and an equal rise do not cancel"


# ------------------------------------------------------------------------------------------------------
# Ranks, shares, gaps, thresholds
# ------------------------------------------------------------------------------------------------------


def test_ranks_with_ties_and_within_groups():
    df = pd.DataFrame({"p": ["a", "a", "a", "b", "b"], "v": [5.0, 9.0, 9.0, 1.0, np.nan]})
    assert stats.rank(df, "v").tolist()[:4] == [3.0, 1.0, 1.0, 4.0]
    assert stats.rank(df, "v", by="p").tolist()[:4] == [3.0, 1.0, 1.0, 1.0]


def test_shares_sum_to_100_within_each_parent():
    df = pd.DataFrame({"p": ["a", "a", "b", "b", "b"], "v": [1.0, 3.0, 2.0, 2.0, 4.0]})
    shares = stats.share_of_parent(df, "v", "p")
    assert shares.groupby(df.p).sum().tolist() == pytest.approx([100.0, 100.0])
    assert shares.tolist() == pytest.approx([25, 75, 25, 25, 50])


def test_gaps_and_thresholds():
    df = pd.DataFrame({"adcode": ["320583", "410181", "410185"], "rd": [3.83, 1.0, np.nan]})
    g = stats.gap(df, "rd", reference="320583").set_index("adcode")
    assert g.loc["410181", "gap"] == pytest.approx(-2.83)
    assert stats.gap(df, "rd", reference=2.0).set_index("adcode").loc["410181", "ratio"] == pytest.approx(0.5)
    with pytest.raises(KeyError, match="no value"):
        stats.gap(df, "rd", reference="410185")
    t = stats.threshold_counts(pd.DataFrame({"gdp": [450, 520, 1100, np.nan]}), "gdp", [500, 1000])
    assert t["count"].tolist() == [2, 1] and t["N"].tolist() == [3, 3]


def test_group_columns_and_p_values_read_as_chinese_in_the_report():
    df = _panel(300, 30, seed=4).rename(columns={"province": "province_name"})
    res = stats.regress(df, "y", "x", fixed_effects="province_name", cov_type="cluster", cluster="province_name")
    page = res.to_html()
    assert res.se_label() == "聚类稳健标准误（按省份聚类，30 类）"
    assert "省份固定效应：30 组" in page and "province_name：" not in page and "按 province_name" not in page
    assert "p = <" not in page
    bp = res.diagnostics["breusch_pagan_p"]
    assert (f"Breusch–Pagan p = {bp:.3f}" if bp >= 0.001 else "Breusch–Pagan p < 0.001") in page
    few = stats.regress(_panel(200, 6, seed=5).rename(columns={"province": "prefecture_name"}), "y", "x",
                        cov_type="cluster", cluster="prefecture_name")
    assert "6 个聚类（按地级市）" in few.message


def test_a_group_of_one_is_explained_without_naming_a_column_or_hc3():
    df = _panel(40, 4, seed=6)
    df.loc[0, "province"] = "省99"
    res = stats.regress(df.rename(columns={"province": "prefecture_name"}), "y", "x",
                        fixed_effects="prefecture_name", cov_type="HC1")
    assert res.dropped.reason.tolist() == ["所在地级市仅此一个单位（杠杆值为 1，稳健标准误无定义），不参与估计"]


def test_clustered_errors_with_fixed_effects_nested_in_the_clusters_follow_fixest():
    """stats.regress and panel.regress give the same standard errors for the same model: fixed-effect dummies
    nested in the clusters are not counted in K of the small-sample correction (fixest, reghdfe)."""
    import numpy as np

    from countylib.analysis import panel

    rng = np.random.default_rng(1)
    prov = rng.integers(0, 20, 400)
    df = pd.DataFrame({"name": [f"u{i}" for i in range(400)], "prov": [f"p{p}" for p in prov],
                       "pref": [f"q{p}-{i % 3}" for i, p in enumerate(prov)]})
    df["x"] = rng.normal(size=400) + prov * 0.1
    df["y"] = 0.4 * df.x + prov * 0.3 + rng.normal(size=400)
    for fe in ("prov", "pref"):  # counties by province; prefectures within provinces, clustered by province
        s = stats.regress(df, "y", "x", fixed_effects=fe, cov_type="cluster", cluster="prov")
        p = panel.regress(df, "y", "x", fe=fe, cluster="prov")
        assert s.table.loc["x", "std_err"] == pytest.approx(p.table.loc["x", "std_err"], rel=1e-9), fe
        assert s.table.loc["x", "p"] == pytest.approx(p.table.loc["x", "p"], rel=1e-6), fe
    # not nested (a province's units in several clusters): every dummy counts, as statsmodels has it
    s = stats.regress(df, "y", "x", fixed_effects="prov", cov_type="cluster", cluster="pref")
    import statsmodels.formula.api as smf
    ref = smf.ols("y ~ x + C(prov)", df).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df.pref)[0]})
    assert s.table.loc["x", "std_err"] == pytest.approx(ref.bse["x"], rel=1e-9)
