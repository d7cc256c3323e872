"""Every cache has one owner: countylib.caches makes them all, lists them all and empties them all."""

from __future__ import annotations

import ast
from pathlib import Path

import countylib
from countylib import caches

PACKAGE = Path(countylib.__file__).resolve().parent


def test_no_cache_is_made_outside_countylib_caches():
    """functools' caches made anywhere else would escape countylib.reload() and the listing."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "caches.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("cache", "lru_cache") and \
                    isinstance(node.value, ast.Name) and node.value.id == "functools":
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "functools" and \
                    {a.name for a in node.names} & {"cache", "lru_cache"}:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, found


def test_reload_empties_every_listed_cache(bundled_build, monkeypatch):
    import countylib

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    countylib.load("gdp", province="河南", year=2022)
    countylib.regions.resolve(["巩义"])
    before = caches.listing()
    assert (before.entries > 0).sum() >= 5
    countylib.reload()
    after = caches.listing()
    assert (after.entries[after.entries >= 0] == 0).all(), after[after.entries > 0]
