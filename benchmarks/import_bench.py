"""Start-up cost of countylib, now against a baseline revision measured in the same run.

Each measurement runs in a fresh interpreter (so nothing is cached by the process), with the code of
the revision under test first on ``sys.path``:

1. ``import countylib``
2. ``import countylib`` + ``countylib.load("gdp", province="河南", year=2022)``
3. the warm-up of a report kernel: ``import countylib, countylib.county, countylib.maps``

The baseline is a git revision (default: the last commit before the public names became modules of their
own), checked out into a temporary worktree for the run; the processed data is the project's, read by both.
Runs alternate between the two; prints medians and the ratio now / baseline (below 1.00 is faster).

    python benchmarks/import_bench.py [--baseline REV] [--repeat 11]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "import countylib": "import countylib",
    "import + load(gdp, 河南, 2022)": "import countylib\ncountylib.load('gdp', province='河南', year=2022)",
    "report kernel warm-up": "import countylib, countylib.county, countylib.maps",
}
TIMER = "import time\nt0 = time.perf_counter()\n{code}\nprint(time.perf_counter() - t0)\n"


def once(code: str, source_root: Path) -> float:
    """Seconds ``code`` takes in a fresh interpreter with ``source_root`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(source_root), "COUNTYLIB_HOME": str(ROOT), "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-c", TIMER.format(code=code)], env=env, cwd=tempfile.gettempdir(),
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def paired(code: str, base: Path, repeat: int) -> tuple[float, float]:
    """Medians for the baseline and now, runs alternating so that a change in the machine's load hits both."""
    before, now = [], []
    for _ in range(repeat):
        before.append(once(code, base))
        now.append(once(code, ROOT))
    return statistics.median(before), statistics.median(now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="836bfe8", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), args.baseline], cwd=ROOT, check=True)
        try:
            print(f"{'case':34s} {'baseline':>10s} {'now':>10s} {'now/baseline':>13s}")
            for name, code in CASES.items():
                once(code, ROOT)  # warm the file system cache for both
                once(code, base)
                before, now = paired(code, base, args.repeat)
                print(f"{name:34s} {before:9.3f}s {now:9.3f}s {now / before:12.2f}x")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
