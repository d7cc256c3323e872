"""The light core: `pip install countylib` (no `reports` extra) loads data, runs analyses and draws static
maps; the parts that render notebooks say in one line which extra they need."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS_ONLY = ("papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "IPython", "jupyter_client",
                "jupyterlab", "xstatic", "distributed", "dask")  # (fontTools comes with matplotlib)

# Runs in a fresh interpreter in which the packages of the extras cannot be imported, as after a
# plain `pip install countylib`.
SCRIPT = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None
import matplotlib
matplotlib.use("Agg")
import countylib
from countylib import census, maps, regions, stats
from countylib.output import maps as output_maps
henan = countylib.load(["gdp"], province="河南", year=2022, wide=True, geometry=True)
assert len(henan) == 157, len(henan)
m = maps.indicator_map("urbanization", "河南", 2020)
m.save({png!r}, dpi=100)
res = census.regression("schooling_years", "urbanization", province="河南", fixed_effects="prefecture")
assert res.n > 100 and "稳健" in res.to_html()
loaded = sorted(n for n in {blocked!r} if sys.modules.get(n) is not None)
assert not loaded, loaded
try:
    from countylib.output import kernels
except ImportError as exc:
    print("REFUSED:", exc)
"""


def _core_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {d.split(">")[0].split("[")[0].split("=")[0].strip().lower() for d in project["dependencies"]}


def test_core_dependencies_leave_out_the_notebook_stack():
    core = _core_dependencies()
    for heavy in ("papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "jupyterlab", "jupyter_client",
                  "ipython", "xstatic-leaflet"):
        assert heavy not in core, f"{heavy} is in the core dependencies"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert {"papermill>=2.6", "nbconvert>=7.16", "ipykernel>=6.29"} <= set(extras["reports"])


def test_core_works_without_the_reports_extra_and_says_what_is_missing(tmp_path, bundled_build):
    png = tmp_path / "map.png"
    script = SCRIPT.format(blocked=REPORTS_ONLY, png=str(png))
    result = subprocess.run([sys.executable, "-c", script], cwd=bundled_build, capture_output=True, text=True,
                            env={"COUNTYLIB_HOME": str(bundled_build), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert png.stat().st_size > 10_000
    refused = [ln for ln in result.stdout.splitlines() if ln.startswith("REFUSED:")]
    assert refused == ["REFUSED: countylib.output.kernels needs the optional 'reports' extra (nbformat is not "
                       "installed): pip install 'countylib[reports]'"], result.stdout


def test_the_command_names_the_extra_in_one_line(tmp_path, bundled_build):
    script = ("import sys\nfor n in ('papermill', 'nbformat', 'nbconvert', 'nbclient'):\n    sys.modules[n] = None\n"
              "sys.argv = ['countylib', 'render', 'check', '.']\nfrom countylib.cli import main\nmain()\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=bundled_build, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "countylib[reports]" in lines[0], result.stderr
