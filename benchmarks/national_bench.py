"""The national site's budgets, measured on a sample province in one run and extrapolated to all 2,875
county-level units.

1. Throughput. `countylib render county --province P --districts` (a site, warm kernels, --jobs = CPUs)
   against the naive loop (papermill then `jupyter nbconvert --no-input`, a fresh kernel per report,
   serially) on --naive units of the same province. Both timed by wall clock and by CPU (the command and
   its kernels): profiles/s here and now, and profiles/s the CPU time allows on this machine's cores
   (what an idle machine gets; the machine is shared, so the load average is printed too).
2. Where a report's time goes, in one warm kernel in this process: each cell of the profile notebook and
   the export, against the previous revision's notebook and export (matplotlib locator map and age
   pyramid, RGBA PNGs, a font subset cut for every page) measured on the same units in the same run.
3. Sizes. Median profile and shared assets of the sample site, extrapolated to the national site; a
   self-contained single report of the largest province.

    python benchmarks/national_bench.py [--province 四川省] [--naive 3] [--baseline REV]

Budgets: >= 3 profiles/s; national site <= 400 MB, median profile <= 120 KB; single report <= 300 KB.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from countylib.data import regions

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NATIONAL_UNITS = 2875
NOTEBOOK = ROOT / "notebooks" / "county_report.ipynb"
CELLS = ["reset", "parameters", "injected parameters", "header + links", "locator", "economic figures",
         "comparison", "census sentences", "age pyramid", "census table"]


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def naive(codes: list[str], year: int, work: Path) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), children_cpu()
    for code in codes:
        out = work / f"{code}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(NOTEBOOK), str(out), "-p", "adcode", code, "-p", "year",
                        str(year), "--cwd", str(NOTEBOOK.parent), "--no-progress-bar"], check=True,
                       capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)], check=True,
                       capture_output=True)
    return time.perf_counter() - t0, children_cpu() - c0


def site_batch(province: str, year: int, run: str, *extra: str) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), children_cpu()
    subprocess.run([str(BIN / "countylib"), "render", "county", "--province", province, "--districts", "--year",
                    str(year), "--run", run, *extra], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0, children_cpu() - c0


def _stamp(s: str) -> float:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def breakdown(codes: list[str], year: int, notebook_text: str | None, new: bool) -> dict[str, float]:
    """Mean seconds per report by cell and for the export, in one warm kernel (this code path or the
    previous revision's notebook and export)."""
    from countylib.output import export, fonts, kernels, site

    with tempfile.TemporaryDirectory() as tmp:
        path = NOTEBOOK if notebook_text is None else Path(tmp) / "previous.ipynb"
        if notebook_text is not None:
            path.write_text(notebook_text, encoding="utf-8")
        warmup = kernels.DEFAULT_WARMUP if new else "import countylib, countylib.county, countylib.maps"
        fonts.prepare()
        totals: dict[str, float] = {}
        with kernels.WarmKernel(NOTEBOOK.parent, warmup=warmup) as kernel:
            template = kernels.read_notebook(path)
            for i, code in enumerate([codes[0], *codes]):  # the first report warms the caches: not counted
                nb = kernels.prepare(copy.deepcopy(template), {"adcode": code, "year": year})
                t0 = time.perf_counter()
                kernel.run(nb)
                t1 = time.perf_counter()
                timed = [c for c in nb.cells if c.metadata.get("execution")]
                cells = [_stamp(c.metadata.execution["shell.execute_reply"])
                         - _stamp(c.metadata.execution["iopub.execute_input"]) for c in timed]
                nb = kernels.finish(nb)
                t2 = time.perf_counter()
                if new:
                    export.to_site_page(nb, site.SitePage("../../"), no_input=True, title=code)
                else:
                    export.to_html(nb, no_input=True, title=code)
                t3 = time.perf_counter()
                if i == 0:
                    continue
                names = CELLS if new else [f"cell {k}" for k in range(len(cells))]
                for name, sec in zip(names, cells, strict=False):
                    totals[name] = totals.get(name, 0.0) + sec
                totals["kernel round trips"] = totals.get("kernel round trips", 0.0) + (t1 - t0) - sum(cells)
                totals["export"] = totals.get("export", 0.0) + (t3 - t2)
        return {k: v / len(codes) for k, v in totals.items()}


def sizes(run_dir: Path) -> tuple[list[int], int]:
    pages = [p.stat().st_size for p in (run_dir / "county").rglob("*.html")]
    assets = sum(p.stat().st_size for p in (run_dir / "assets").rglob("*") if p.is_file())
    return pages, assets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--province", default="四川省")
    ap.add_argument("--naive", type=int, default=3, help="units rendered by the naive loop")
    ap.add_argument("--breakdown", type=int, default=6, help="units of the per-cell breakdown")
    ap.add_argument("--baseline", default="400bbdb", help="git revision of the previous notebook and export")
    ap.add_argument("--year", type=int, default=2022)
    args = ap.parse_args()
    units = regions.counties(args.province)
    codes = units.adcode.tolist()
    n = len(codes)
    cores = os.cpu_count() or 1
    print(f"sample: {args.province}, {n} county-level units; {cores} CPUs; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    run = "bench-national"
    shutil.rmtree(ROOT / "reports" / run, ignore_errors=True)
    wall, cpu = site_batch(args.province, args.year, run)
    record = json.loads((ROOT / "reports" / run / "run.json").read_text(encoding="utf-8"))
    render_wall = record["batches"][-1]["seconds_total"]
    jobs = record["batches"][-1]["parameters"]["jobs"]
    per_report = statistics.mean(r["seconds"] for r in record["reports"])
    with tempfile.TemporaryDirectory() as tmp:
        n_wall, n_cpu = naive(codes[: args.naive], args.year, Path(tmp))
    k = args.naive
    print("\n1. throughput")
    print(f"naive papermill + nbconvert loop: {n_wall / k:.2f} s/report wall, {n_cpu / k:.2f} s CPU ({k} reports)")
    print(f"countylib site batch: {wall:.1f} s wall for {n} ({render_wall:.1f} s rendering, the rest start-up "
          f"and the site's index, province pages and fonts); {cpu / n:.2f} s CPU/report")
    steady = jobs / per_report  # each of the warm kernels renders one report at a time
    print(f"  per report in its warm kernel (mean of {n}): {per_report:.2f} s on {jobs} kernels -> "
          f"{steady:.2f} profiles/s once the kernels are up ({n / render_wall:.2f}/s for this batch, start-up "
          f"included); CPU: {cpu / n:.2f} s/report with start-up and site pages -> {cores / (cpu / n):.2f}/s on "
          f"{cores} idle cores")
    print(f"  ratio naive / countylib per report: wall {(n_wall / k) / per_report * jobs:.1f}x, CPU "
          f"{(n_cpu / k) / (cpu / n):.1f}x")
    print(f"  national, {NATIONAL_UNITS} units at {steady:.2f}/s: {NATIONAL_UNITS / steady / 60:.1f} min "
          f"(+ start-up and the site's pages); target < 15 min, >= 3 profiles/s")

    pages, assets = sizes(ROOT / "reports" / run)
    median = statistics.median(pages)
    single_run = "bench-single"
    shutil.rmtree(ROOT / "reports" / single_run, ignore_errors=True)
    big = "510121"  # Sichuan: the largest province map of the locator
    subprocess.run([str(BIN / "countylib"), "render", "county", "--province", "全国", "--only", big, "--run",
                    single_run, "--self-contained"], check=True, capture_output=True, cwd=ROOT)
    single = next((ROOT / "reports" / single_run / "county").rglob("*.html")).stat().st_size
    print("\n3. sizes")
    print(f"median profile {median / 1024:.0f} KB (max {max(pages) / 1024:.0f} KB), shared assets "
          f"{assets / 1024:.0f} KB for {n} profiles")
    print(f"  national site estimate: {(median * NATIONAL_UNITS + assets * 10) / 1e6:.0f} MB "
          f"(median x {NATIONAL_UNITS} + 10x these assets; budget 400 MB, 120 KB a profile)")
    print(f"  self-contained single report ({big}): {single / 1024:.0f} KB (budget 300 KB)")

    print("\n2. where a report's time goes (mean s/report, one warm kernel, same units)")
    sample = codes[: args.breakdown]
    now = breakdown(sample, args.year, None, new=True)
    try:
        text = subprocess.run(["git", "show", f"{args.baseline}:notebooks/county_report.ipynb"], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout
        before = breakdown(sample, args.year, text, new=False)
    except subprocess.CalledProcessError:
        before = {}
    for name, sec in now.items():
        print(f"  {name:<22} {sec:.3f}")
    print(f"  {'total':<22} {sum(now.values()):.3f}")
    if before:
        print(f"previous revision {args.baseline} (matplotlib locator and pyramid, RGBA PNGs, fonts cut per page):")
        for name, sec in before.items():
            print(f"  {name:<22} {sec:.3f}")
        print(f"  {'total':<22} {sum(before.values()):.3f}   ratio previous / now: "
              f"{sum(before.values()) / sum(now.values()):.1f}x")
    for r in (run, single_run):
        shutil.rmtree(ROOT / "reports" / r, ignore_errors=True)


if __name__ == "__main__":
    main()
