"""Imports follow the stages: the ground floor, then data, ingest, analysis and output, then the public
faces and the command line. Every import statement counts, also one inside a function, and no group of
modules imports itself round in a circle."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import countylib

PACKAGE = Path(countylib.__file__).resolve().parent
STAGES = {"data": 1, "ingest": 2, "analysis": 3, "output": 4}
GROUND = 0
TOP = 5  # the public faces (countylib/regions.py …) and the command line


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["countylib", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()
FACES = {f"countylib.{name}" for name in countylib.PUBLIC_MODULES} - {"countylib.caches", "countylib.escape"}


def level(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES):
        return STAGES[parts[1]]
    if module in FACES or module == "countylib.cli":
        return TOP
    return GROUND  # the ground-floor modules, and the package itself (``countylib.__version__``)


def _target(name: str) -> str | None:
    """The package module an imported name lives in (a function imported from a module: that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str) -> set[str]:
    """Every countylib module that ``module`` imports, anywhere in its code."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            names = [f"{base}.{alias.name}" for alias in node.names] if base else []
            names = [n if _target(n) != base or n in MODULES else base for n in names]
        for name in names:
            if name.startswith("countylib"):
                target = _target(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {m: imports(m) for m in MODULES}


def test_every_import_points_down_the_stages():
    against = sorted(f"{a} ({level(a)}) -> {b} ({level(b)})" for a, bs in GRAPH.items() for b in bs
                     if level(b) > level(a) and a != "countylib")
    assert not against, "\n".join(against)


def test_no_module_imports_itself_round_a_circle():
    graph = {m: {b for b in bs if b != "countylib"} for m, bs in GRAPH.items()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    assert "countylib.output.plotting" in GRAPH["countylib.output.census_figures"]
    assert level("countylib.analysis.stats") < level("countylib.output.regression")
    assert level("countylib.caches") == GROUND and level("countylib.regions") == TOP


def test_no_import_hook_stands_in_for_modules():
    text = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    assert "meta_path" not in text
    for name in countylib.PUBLIC_MODULES:
        assert (PACKAGE / f"{name}.py").exists(), f"countylib.{name} is not a module file"


def _public_names(module) -> list[str]:
    """What a stage module offers: ``__all__``, else its own top-level functions and classes (constants are
    the module's settings, not what a researcher calls)."""
    if hasattr(module, "__all__"):
        return list(module.__all__)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
    return [n for n in names if not n.startswith("_")]


@pytest.mark.parametrize("face", sorted(FACES - {"countylib.render", "countylib.api"}))
def test_each_public_face_offers_everything_its_stage_modules_offer(face):
    """``from countylib import X`` has every public name of the stage modules it gathers: a function added
    to a stage module and forgotten in its face would be invisible to researchers."""
    import importlib

    module = importlib.import_module(face)
    gathered = {n for n in GRAPH[face] if n.startswith("countylib.") and level(n) < TOP}
    assert gathered, f"{face} gathers no stage module"
    for stage_module in sorted(gathered):
        if stage_module.count(".") < 2:  # a ground-floor helper the face happens to use
            continue
        offered = set(module.__all__)
        source = importlib.import_module(stage_module)
        missing = [n for n in _public_names(source) if n not in offered and n in dir(source)
                   and getattr(module, n, None) is None]
        if stage_module in PRIMARY.get(face, (stage_module,)):
            assert not missing, f"{face} lacks {missing} of {stage_module}"


#: The stage modules a face stands for in full (others it takes a few names from).
PRIMARY = {
    "countylib.county": ("countylib.analysis.county", "countylib.output.county_figures"),
    "countylib.geo": ("countylib.data.geo",),
    "countylib.maps": ("countylib.output.maps",),
    "countylib.bulletin": ("countylib.ingest.bulletin",),
}


def test_every_cache_is_made_by_countylib_caches():
    """No module keeps a functools cache of its own (``countylib.reload()`` could not empty it); caches that
    are not functions are registered too."""
    from countylib import caches
    from countylib.output import fonts

    own = []
    for module, path in MODULES.items():
        if module == "countylib.caches":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = (isinstance(node, ast.Attribute) and node.attr in ("lru_cache", "cache")
                         and isinstance(node.value, ast.Name) and node.value.id == "functools")
            imported = (isinstance(node, ast.ImportFrom) and node.module == "functools"
                        and bool({a.name for a in node.names} & {"lru_cache", "cache"}))
            if attribute or imported:
                own.append(f"{module}:{node.lineno}")
    assert not own, f"functools caches outside countylib.caches: {own}"
    names = set(caches.listing().name)
    assert {"countylib.output.export._stylesheet", "countylib.output.fonts._BASE"} <= names
    fonts._BASE["sans"] = (frozenset("甲"), b"")
    caches.reload()
    assert not fonts._BASE
