"""The census in the build and in load(), against baselines measured in the same run.

1. Parsing the census sheet (3,358 rows x 153 columns): openpyxl (pandas' default engine, the baseline;
   skipped with --quick) vs calamine vs the content-hash cache (an unchanged file is not parsed).
2. The full build with the census (boundaries from their cache), cold (no parse cache) vs warm
   (cache present), into a temporary folder. Target: under 30 s.
3. ``countylib.load()`` of one census indicator for all of China: first call (reads the parquet) vs warm
   (cached table). Target: under 0.2 s warm.

    python benchmarks/census_bench.py [--quick] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd
from timing import median, once

import countylib
from countylib.ingest import census_tables as census
from countylib.ingest.build import build
from countylib.paths import processed_dir, raw_dir

CENSUS_FILE = raw_dir() / "census_county_2020_leiii.xlsx"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the openpyxl baseline (about 30 s)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        calamine = once(lambda: census._parse(CENSUS_FILE, census.LAYOUTS[2020]))
        census.read_sheet(CENSUS_FILE, tmp)
        cached = median(lambda: census.read_sheet(CENSUS_FILE, tmp), args.repeat)
        line = f"census sheet: calamine {calamine:.2f} s, content-hash cache {cached:.3f} s"
        if not args.quick:
            openpyxl = once(lambda: pd.read_excel(CENSUS_FILE, dtype=str, engine="openpyxl"))
            line += f", openpyxl {openpyxl:.2f} s (ratio openpyxl / calamine {openpyxl / calamine:.1f}x, " \
                    f"openpyxl / cache {openpyxl / cached:.0f}x)"
        print(line)

        # The build's boundary cache lives in data/processed/.cache; share it so only the census differs.
        out = tmp / "processed"
        (out / ".cache").mkdir(parents=True)
        for f in (processed_dir() / ".cache").glob("boundaries-*.parquet"):
            (out / ".cache" / f.name).symlink_to(f)
        cold = once(lambda: build(raw_dir(), out))
        warm = median(lambda: build(raw_dir(), out), max(1, args.repeat - 1))
        print(f"full build with the census: {cold:.1f} s cold (sheet parsed), {warm:.1f} s warm (parse cached; "
              f"target < 30 s); ratio cold / warm {cold / warm:.1f}x")

        countylib.reload()
        first = once(lambda: countylib.load("urbanization", year=2020, folder=out))
        warm_load = median(lambda: countylib.load("urbanization", year=2020, folder=out), args.repeat)
        n = len(countylib.load("urbanization", year=2020, folder=out))
        print(f"load('urbanization', year=2020), all of China ({n} units): first {first:.3f} s, warm "
              f"{warm_load:.3f} s (target < 0.2 s); ratio {first / warm_load:.0f}x")


if __name__ == "__main__":
    main()
