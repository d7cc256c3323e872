"""Regression at national scale: 2,800 counties, 30 province fixed effects absorbed with C(), errors
clustered by province, on synthetic data.

Times ``stats.regress`` (drop bookkeeping, the residual-df rule, singleton check, fit, diagnostics,
Cook's distance and the HTML table) against a baseline measured in the same run: the bare statsmodels
formula fit of the same model with the same covariance. Prints both times and the ratio.

    python benchmarks/regress_bench.py [--counties 2800] [--provinces 30] [--repeat 5]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from timing import best_of

from countylib.analysis import stats


def synthetic(n: int, groups: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"name": [f"县{i}" for i in range(n)], "province": [f"省{i % groups:02d}" for i in range(n)],
                       "gdp": rng.lognormal(5, 1, n), "pop": rng.lognormal(3.5, 0.6, n), "urban": rng.uniform(20, 90, n)})
    df["rd"] = 0.3 * np.log(df.gdp) + 0.01 * df.urban + rng.normal(0, 0.5, n)
    return df


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counties", type=int, default=2800)
    ap.add_argument("--provinces", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    df = synthetic(a.counties, a.provinces)
    df["ln_gdp"] = np.log(df.gdp)
    groups = pd.factorize(df.province)[0]

    def baseline():
        smf.ols("rd ~ ln_gdp + pop + urban + C(province)", df).fit(
            cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)

    def countylib_regress():
        res = stats.regress(df, "rd", "gdp", controls=["pop", "urban"], log=["gdp"], fixed_effects="province",
                            cov_type="cluster", cluster="province")
        assert res.inference and res.n == a.counties
        res.to_html()

    base, _ = best_of(baseline, a.repeat)
    ours, _ = best_of(countylib_regress, a.repeat)
    print(f"{a.counties} counties, {a.provinces} province fixed effects, clustered by province")
    print(f"statsmodels fit alone:        {base * 1000:8.1f} ms")
    print(f"stats.regress (with checks):  {ours * 1000:8.1f} ms")
    print(f"ratio regress / bare fit:     {ours / base:8.2f}")


if __name__ == "__main__":
    main()
