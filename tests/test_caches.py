"""Every cache has one owner: countylib.caches lists them all and empties them all (that no module makes a cache
of its own is checked in test_stages.py)."""

from __future__ import annotations

from pathlib import Path

import countylib
from countylib import caches

PACKAGE = Path(countylib.__file__).resolve().parent


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
