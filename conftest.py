"""The package's docstring examples that read processed data run against the bundled data, built once
per test session (the same build `make reports` runs; a few seconds once the boundary cache exists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def bundled_build() -> Path:
    from countylib.ingest.build import build

    build(ROOT / "data" / "raw", ROOT / "data" / "processed")
    return ROOT


@pytest.fixture(autouse=True)
def _doctests_see_the_bundled_data(request, monkeypatch):
    if isinstance(request.node, DoctestItem):
        monkeypatch.setenv("COUNTYLIB_HOME", str(request.getfixturevalue("bundled_build")))
