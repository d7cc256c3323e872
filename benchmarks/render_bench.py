"""Render the same N county reports two ways in one run and print both times and the ratio.

naive:     for each county, `papermill` then `jupyter nbconvert --to html --no-input`, serially
           (a fresh kernel and fresh imports per report).
countylib: `countylib render county --only ...` with its defaults (a warm kernel per CPU).

    python benchmarks/render_bench.py [--n 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from countylib.data import regions

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def naive(codes: list[str], year: int, work: Path) -> float:
    nb = ROOT / "notebooks" / "county_report.ipynb"
    t0 = time.perf_counter()
    for code in codes:
        out = work / f"{code}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(nb), str(out), "-p", "adcode", code, "-p", "year", str(year),
                        "--cwd", str(nb.parent), "--no-progress-bar"], check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)], check=True,
                       capture_output=True)
    return time.perf_counter() - t0


def pooled(codes: list[str], year: int, run: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "countylib"), "render", "county", "--year", str(year), "--run", run,
                    "--only", ",".join(codes)], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--year", type=int, default=2022)
    args = ap.parse_args()
    codes = regions.counties("河南省", county_economy=True).adcode.head(args.n).tolist()
    run = "bench-render"
    with tempfile.TemporaryDirectory() as tmp:
        t_naive = naive(codes, args.year, Path(tmp))
    t_pool = pooled(codes, args.year, run)
    info = json.loads((ROOT / "reports" / run / "run.json").read_text(encoding="utf-8"))
    per_report = [r["seconds"] for r in info["reports"]]
    last = info["batches"][-1]
    shutil.rmtree(ROOT / "reports" / run, ignore_errors=True)
    n = len(codes)
    print(f"{n} county reports")
    print(f"naive papermill + nbconvert loop: {t_naive:.1f} s ({t_naive / n:.2f} s/report)")
    print(f"countylib render county (defaults): {t_pool:.1f} s ({t_pool / n:.2f} s/report, including start-up)")
    print(f"  of which kernel time per report (mean over {n}): {sum(per_report) / n:.2f} s on "
          f"{last['parameters']['jobs']} workers; batch wall: {last['seconds_total']:.1f} s")
    print(f"ratio naive / countylib: {t_naive / t_pool:.1f}x (target >= 5x and < 1 s/report)")


if __name__ == "__main__":
    main()
