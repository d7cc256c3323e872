"""Caches of the processed tables and registries, and ``countylib.reload()`` to drop them all.

Every cache in countylib is keyed by the file it was read from and that file's modification time and
size, so an edited ``admin_changes.csv`` or a rebuilt ``indicators.parquet`` is noticed on the next call.
Each cache keeps only a few entries, so a long-running kernel does not grow without bound.

>>> from countylib.data import caches
>>> caches.file_key("no/such/file")
('no/such/file', 0.0, -1)
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

F = TypeVar("F", bound=Callable)
_REGISTERED: list = []
_CLEARERS: list[Callable[[], None]] = []


def file_key(path: str | Path) -> tuple[str, float, int]:
    """(path, mtime, size) of a file, or (path, 0.0, -1) when it does not exist: a cache key that
    changes whenever the file is replaced or edited."""
    path = str(path)
    try:
        st = os.stat(path)
    except OSError:
        return path, 0.0, -1
    return path, st.st_mtime, st.st_size


def bounded(maxsize: int = 4) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` that :func:`reload` also clears."""

    def wrap(func: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(func)
        _REGISTERED.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def on_reload(clear: Callable[[], None]) -> None:
    """Have :func:`reload` also call ``clear`` (for a cache that is not a function, such as a dict)."""
    _CLEARERS.append(clear)


def reload() -> None:
    """Forget every cached table, registry and boundary set (after editing files by hand, say).

    >>> import countylib
    >>> countylib.reload()
    """
    for cached in _REGISTERED:
        cached.cache_clear()
    for clear in _CLEARERS:
        clear()
