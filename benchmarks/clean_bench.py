"""Cleaning throughput on a synthetic national-scale table.

2,850 counties x 20 years x 50 indicator columns (2.85 million figures) with messy names (full-width
spaces, missing suffixes, traditional characters) and messy values (thousands separators, 约, X, mixed
units). Times name resolution and unit parsing as countylib does them (vectorised over the column),
against a baseline measured in the same run: the same functions called once per row, on a sample,
scaled up. Prints both times and the ratio.

    python benchmarks/clean_bench.py [--counties 2850] [--years 20] [--indicators 50]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from countylib.data import regions
from countylib.ingest import units


def messy_table(n_counties: int, n_years: int, n_indicators: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    reg = regions.counties()
    reg = reg[reg.kind != "其他"].head(n_counties)
    names = reg["name"].to_numpy(dtype=object)
    # three spellings per unit: as registered, short form, with a full-width space
    short = reg["short_name"].to_numpy(dtype=object)
    spaced = np.array([n[0] + "\u3000" + n[1:] for n in names], dtype=object)
    spelling = rng.integers(0, 3, size=len(names))
    shown = np.where(spelling == 0, names, np.where(spelling == 1, short, spaced))
    prov = reg["province_name"].to_numpy(dtype=object)
    n_rows = len(names) * n_years * n_indicators
    unit_idx = np.repeat(np.arange(len(names)), n_years * n_indicators)
    values = rng.uniform(1, 5_000_000, size=n_rows).round(2).astype(str).astype(object)
    kind = rng.random(n_rows)
    values[kind < 0.05] = np.char.add("约", values[kind < 0.05].astype(str))
    values[(kind >= 0.05) & (kind < 0.07)] = "X"
    values[(kind >= 0.07) & (kind < 0.10)] = "1,234,567"
    unit_choice = np.array(["万元", "亿元", "億元", "萬(wàn)元"], dtype=object)[rng.integers(0, 4, n_rows)]
    return pd.DataFrame({"name": shown[unit_idx], "province": prov[unit_idx], "value_text": values,
                         "unit": unit_choice})


def vectorised(table: pd.DataFrame) -> tuple[float, float]:
    t0 = time.perf_counter()
    res = regions.resolve(table["name"], province=table["province"], errors="report")
    t1 = time.perf_counter()
    parsed = units.parse_values(table["value_text"], table["unit"], "亿元")
    t2 = time.perf_counter()
    assert res.adcode.notna().mean() > 0.99, res.status.value_counts()
    assert parsed.flag.isin(["exact", "approximate", "masked"]).all()
    return t1 - t0, t2 - t1


def per_row(table: pd.DataFrame, sample: int) -> float:
    part = table.sample(n=sample, random_state=1)
    t0 = time.perf_counter()
    for r in part.itertuples(index=False):
        regions.resolve([r.name], province=r.province, errors="report")
        units.parse_value(r.value_text, r.unit, "亿元")
    return (time.perf_counter() - t0) / sample * len(table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--counties", type=int, default=2850)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--sample", type=int, default=2000, help="rows timed for the per-row baseline")
    args = ap.parse_args()
    regions.registry()
    regions.resolve(["巩义"])  # warm the name index, as any session would once
    t0 = time.perf_counter()
    table = messy_table(args.counties, args.years, args.indicators)
    t_make = time.perf_counter() - t0
    t_names, t_units = vectorised(table)
    total = t_names + t_units
    baseline = per_row(table, args.sample)
    print(f"rows: {len(table):,} ({args.counties} units x {args.years} years x {args.indicators} indicators);"
          f" table generated in {t_make:.1f} s")
    print(f"vectorised: names {t_names:.2f} s + units {t_units:.2f} s = {total:.2f} s "
          f"({len(table) / total / 1e6:.2f} M rows/s); target < 15 s")
    print(f"per-row baseline (sample {args.sample}, scaled): {baseline:.0f} s")
    print(f"ratio per-row / vectorised: {baseline / total:.0f}x")
    t0 = time.perf_counter()
    regions.resolve(table["name"].head(10_000), province=table["province"].head(10_000).tolist(), errors="report")
    print(f"resolve 10,000 names: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
