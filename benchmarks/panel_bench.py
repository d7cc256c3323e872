"""Two-way fixed effects at national scale: 2,800 counties x 2 census years, unit and year fixed effects,
errors clustered by county, on synthetic data generated here with a fixed seed.

Times ``panel.regress`` (drops and singletons, absorption, collinearity check, fit, clustered covariance
with the small-sample correction) against baselines measured in the same run:

* the naive path: statsmodels OLS with an explicit dummy for every county and year and its cluster
  covariance (the same coefficients; its standard errors differ only by fixest's nested K, which the
  benchmark corrects for before comparing). Its cost grows with the cube of the units (87 s for 2,800
  here), so by default it runs on the first 1,000 units, against ``panel.regress`` on the same rows;
  ``--naive-units 2800`` for the full size;
* pyfixest's ``feols`` (when installed: the ``dev`` extra), warm, and its first call in a fresh process
  (imports included), since that is what a notebook pays once.

Prints the times, the ratios, and the largest differences in coefficients and standard errors.

    python benchmarks/panel_bench.py [--units 2800] [--years 2] [--repeat 5] [--naive-units 1000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from timing import best_of

from countylib.analysis import panel


def synthetic(units: int, years: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"adcode": np.repeat([f"{100000 + i:06d}" for i in range(units)], years),
                       "year": np.tile(np.arange(2010, 2010 + 10 * years, 10), units)})
    effect = np.repeat(rng.normal(size=units), years)
    for name in ("x1", "x2", "x3"):
        df[name] = rng.normal(size=len(df)) + 0.5 * effect
    df["y"] = 0.5 * df.x1 - 0.2 * df.x2 + 0.1 * df.x3 + effect + 0.3 * (df.year > 2010) + rng.normal(size=len(df))
    return df


PYFIXEST_COLD = """
import time, numpy as np, pandas as pd
t0 = time.perf_counter()
import pyfixest as pf
df = pd.read_parquet({path!r})
pf.feols("y ~ x1 + x2 + x3 | adcode + year", data=df, vcov={{"CRV1": "adcode"}})
print(time.perf_counter() - t0)
"""

COUNTYLIB_COLD = """
import time, pandas as pd
t0 = time.perf_counter()
from countylib.analysis import panel
df = pd.read_parquet({path!r})
panel.regress(df, "y", ["x1", "x2", "x3"], fe=["adcode", "year"])
print(time.perf_counter() - t0)
"""


def cold(script: str, df: pd.DataFrame) -> float:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/panel.parquet"
        df.to_parquet(path)
        out = subprocess.run([sys.executable, "-c", script.format(path=path)], capture_output=True, text=True,
                             check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2800)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--naive-units", type=int, default=1000)
    a = ap.parse_args()
    df = synthetic(a.units, a.years)
    xs = ["x1", "x2", "x3"]

    ours_t, ours = best_of(lambda: panel.regress(df, "y", xs, fe=["adcode", "year"]), a.repeat)
    assert ours.inference and ours.n == a.units * a.years
    print(f"{a.units} units x {a.years} years = {len(df)} rows, 3 regressors, unit and year fixed effects, "
          f"clustered by unit ({ours.n_clusters} clusters)")
    print(f"panel.regress:                           {ours_t * 1000:9.1f} ms   (target < 200 ms)")

    small = df[df.adcode < f"{100000 + a.naive_units:06d}"]

    def naive():
        dummies = pd.get_dummies(small[["adcode", "year"]].astype(str), drop_first=True, dtype=float)
        X = sm.add_constant(pd.concat([small[xs], dummies], axis=1))
        return sm.OLS(small["y"], X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(small.adcode)[0]},
                                         use_t=True)

    small_t, mine = best_of(lambda: panel.regress(small, "y", xs, fe=["adcode", "year"]), a.repeat)
    naive_t, ref = best_of(naive, 1)
    n, k_full = len(small), len(ref.params)
    nested_se = ref.bse[xs].to_numpy() * np.sqrt((n - k_full) / (n - mine.df_k))  # fixest's K, see panel.py
    print(f"on the first {a.naive_units} units ({n} rows):")
    print(f"  panel.regress:                         {small_t * 1000:9.1f} ms")
    print(f"  statsmodels OLS, explicit dummies:     {naive_t * 1000:9.1f} ms   ratio {naive_t / small_t:8.1f}x")
    print(f"  max |coef diff| {np.abs(mine.coef[xs].to_numpy() - ref.params[xs].to_numpy()).max():.1e}, "
          f"max |se diff| {np.abs(mine.se[xs].to_numpy() - nested_se).max():.1e}")
    try:
        import pyfixest as pf
    except ImportError:
        print("pyfixest not installed (pip install -e '.[dev]'): no comparison with it")
        return
    pf_t, fit = best_of(lambda: pf.feols("y ~ x1 + x2 + x3 | adcode + year", data=df, vcov={"CRV1": "adcode"}),
                        a.repeat)
    print(f"pyfixest feols (warm):                   {pf_t * 1000:9.1f} ms   ratio {pf_t / ours_t:8.1f}x")
    print(f"  max |coef diff| {np.abs(ours.coef[xs].to_numpy() - fit.coef()[xs].to_numpy()).max():.1e}, "
          f"max |se diff| {np.abs(ours.se[xs].to_numpy() - fit.se()[xs].to_numpy()).max():.1e}")
    ours_cold, pf_cold = cold(COUNTYLIB_COLD, df), cold(PYFIXEST_COLD, df)
    print(f"first fit in a fresh process (imports included): panel.regress {ours_cold:.2f} s, "
          f"pyfixest {pf_cold:.2f} s   ratio {pf_cold / ours_cold:.1f}x")


if __name__ == "__main__":
    main()
