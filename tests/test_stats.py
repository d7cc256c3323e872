"""Known-answer tests for regressions and comparative helpers, and the county-list module."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from countylib.analysis import lists, stats
from countylib.ingest.build import build

# A small dataset written for the test (made-up numbers).
DATA = pd.DataFrame({
    "name": [f"县{i}" for i in range(14)],
    "gdp": [120, 250, 310, 95, 480, 700, 860, 1500, 220, 330, 410, 980, 640, 2600.0],
    "rd": [0.8, 1.1, 1.6, 0.5, 2.0, 2.2, 2.6, 3.1, 1.0, 1.5, 1.9, 2.8, 2.1, 3.9],
    "pop": [30, 55, 60, 25, 70, 80, 95, 120, 50, 62, 66, 100, 85, 160.0],
})


def test_coefficients_and_hc3_errors_equal_statsmodels():
    res = stats.regress(DATA, "rd", "gdp", controls=["pop"], log=["gdp"], cov_type="HC3")
    X = sm.add_constant(pd.DataFrame({"ln_gdp": np.log(DATA.gdp), "pop": DATA["pop"]}))
    ref = sm.OLS(DATA.rd, X).fit(cov_type="HC3")
    assert res.table.loc["ln_gdp", "coef"] == pytest.approx(ref.params["ln_gdp"], rel=1e-10)
    assert res.table.loc["ln_gdp", "std_err"] == pytest.approx(ref.bse["ln_gdp"], rel=1e-10)
    assert res.table.loc["pop", "p"] == pytest.approx(ref.pvalues["pop"], rel=1e-8)
    assert res.r2 == pytest.approx(ref.rsquared) and res.adj_r2 == pytest.approx(ref.rsquared_adj)
    assert res.formula == "rd ~ ln_gdp + pop" and res.n == 14
    assert {"breusch_pagan_p", "jarque_bera_p", "influential"} <= set(res.diagnostics)


def test_missing_units_are_dropped_with_a_list():
    df = DATA.copy()
    df.loc[2, "rd"] = np.nan
    df.loc[5, "gdp"] = -1
    res = stats.regress(df, "rd", "gdp", log=["gdp"])
    assert res.n == 12
    assert dict(zip(res.dropped["name"], res.dropped.reason, strict=True)) == {
        "县2": "rd missing", "县5": "gdp <= 0 cannot be logged"}


def test_small_samples_refuse_inference_but_still_plot():
    res = stats.regress(DATA.head(4), "rd", "gdp")
    assert not res.inference and res.table.empty and "below 10" in res.message
    fig = res.plot()
    assert fig.axes[0].collections, "the scatter is still drawn"


def test_cagr_and_two_year_average_known_answers():
    assert stats.cagr(100, 121, 2) == pytest.approx(0.10)
    assert stats.cagr(200, 800, 10) == pytest.approx(4 ** 0.1 - 1)
    assert stats.growth_multiple(300, 960) == pytest.approx(3.2)
    # 2020 +2.3 %, 2021 +8.1 % -> sqrt(1.023 * 1.081) - 1
    assert stats.two_year_average(2.3, 8.1) == pytest.approx((math.sqrt(1.023 * 1.081) - 1) * 100)
    with pytest.raises(ValueError):
        stats.cagr(0, 10, 5)


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
    t = stats.threshold_counts(pd.DataFrame({"gdp": [450, 520, 1100, np.nan]}), "gdp", [500, 1000])
    assert t["count"].tolist() == [2, 1] and t["N"].tolist() == [3, 3]


def test_list_module_reports_both_defects_of_the_bundled_2022_list(tmp_path):
    root = Path(__file__).resolve().parents[1]
    build(root / "data" / "raw", tmp_path / "out", boundaries=False)
    frame = pd.read_parquet(tmp_path / "out" / "lists.parquet")
    entries = lists.entries("baiqiang_2022_list", frame)
    bad = lists.defects(entries)
    assert set(bad["rank"]) == {13, 16, 79}
    assert "not a county" in bad.set_index("rank").loc[16, "problem"]
    by_region = lists.breakdown(entries, "region").set_index("region")
    assert by_region["count"].sum() == 98  # 100 entries - 福州市 - the second 滕州市
    assert lists.breakdown(entries, "region").attrs["left_out"] == 2
    assert by_region.loc["东部", "count"] > by_region.loc["中部", "count"]
    ns = lists.breakdown(entries, "north_south").set_index("north_south")["count"]
    assert ns.sum() == 98
