"""The owner of every cache in countylib, and ``countylib.reload()`` to drop them all.

Every cache in the package is made here — :func:`memo` for a function, :func:`on_reload` for anything
else — so :func:`listing` shows them all in one table and :func:`reload` empties them all. Caches of
files are keyed by the file's path, modification time and size (:func:`file_key`), so an edited code
history or a rebuilt ``indicators.parquet`` is noticed on the next call; most keep only a few entries,
so a long-running kernel does not grow without bound.

What a cache hands out can never change what the next caller sees: tables come out as copies
(``copy=True``), and registries as read-only mappings of frozen records.

>>> from countylib import caches
>>> caches.file_key("no/such/file")
('no/such/file', 0.0, -1)
>>> @caches.memo(maxsize=2, copy=True, what="an example")
... def squares(n):
...     import pandas as pd
...     return pd.DataFrame({"x": range(n)})
>>> mine = squares(3)
>>> mine.loc[0, "x"] = 99                       # the caller changes its copy ...
>>> int(squares(3).x.iloc[0])                   # ... not what the next caller gets
0
>>> "countylib.caches.squares" in set(caches.listing().name)
True
"""

from __future__ import annotations

import copy as _copy
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class _Cache:
    name: str
    what: str
    clear: Callable[[], None]
    size: Callable[[], int]
    maxsize: int | None


_CACHES: dict[str, _Cache] = {}


def file_key(path: str | Path) -> tuple[str, float, int]:
    """(path, mtime, size) of a file, or (path, 0.0, -1) when it does not exist: a cache key that
    changes whenever the file is replaced or edited."""
    path = str(path)
    try:
        st = os.stat(path)
    except OSError:
        return path, 0.0, -1
    return path, st.st_mtime, st.st_size


def _copied(value: Any) -> Any:
    """A copy of a cached value that the caller may change freely (tables deep, containers recursively)."""
    if hasattr(value, "copy") and type(value).__module__.startswith(("pandas", "geopandas")):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    if isinstance(value, list | dict | set):
        return _copy.deepcopy(value)
    return value


def memo(maxsize: int | None = 4, *, copy: bool = False, what: str = "") -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` registered with this module: listed, and cleared by :func:`reload`.

    ``copy=True``: every call returns a copy of the cached value (for tables a caller might change).
    ``maxsize=None``: unbounded, for caches of a fixed, small domain (compiled patterns, the registry).
    """

    def wrap(func: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(func)
        name = f"{func.__module__}.{func.__qualname__}"
        _CACHES[name] = _Cache(name, what or (func.__doc__ or "").strip().split("\n")[0], cached.cache_clear,
                               lambda: cached.cache_info().currsize, maxsize)
        if not copy:
            return cached  # type: ignore[return-value]

        @functools.wraps(func)
        def copying(*args: Any, **kwargs: Any) -> Any:
            return _copied(cached(*args, **kwargs))

        copying.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        copying.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return copying  # type: ignore[return-value]

    return wrap


def bounded(maxsize: int = 4) -> Callable[[F], F]:
    """A cache of at most ``maxsize`` entries (see :func:`memo`)."""
    return memo(maxsize)


def on_reload(clear: Callable[[], None], name: str = "", what: str = "",
              size: Callable[[], int] | None = None) -> None:
    """Register a cache that is not a function (a dict, a module-level table): :func:`reload` calls
    ``clear``, :func:`listing` shows it under ``name``."""
    key = name or f"{getattr(clear, '__module__', '')}.{getattr(clear, '__qualname__', repr(clear))}"
    _CACHES[key] = _Cache(key, what, clear, size or (lambda: -1), None)


def listing() -> pd.DataFrame:
    """Every cache in countylib: name (module.function), what it keeps, entries now, most entries kept.

    >>> t = listing()
    >>> {"countylib.data.registry.registry", "countylib.data.load._read"} <= set(t.name)
    True
    """
    import pandas as pd

    _import_owners()
    rows = [{"name": c.name, "what": c.what, "entries": c.size(), "maxsize": c.maxsize} for c in _CACHES.values()]
    return pd.DataFrame(rows, columns=["name", "what", "entries", "maxsize"]).sort_values("name").reset_index(
        drop=True)


def _import_owners() -> None:
    """Import the stage modules that own caches, so the listing is complete in a fresh session."""
    import importlib
    import pkgutil

    import countylib

    for info in pkgutil.walk_packages(countylib.__path__, "countylib."):
        if info.name.split(".")[1] in ("data", "ingest", "analysis", "output"):
            try:
                importlib.import_module(info.name)
            except ImportError:  # an optional extra (reports, distributed) that is not installed
                continue


def reload() -> None:
    """Forget every cached table, registry, boundary set, font cut and compiled pattern (after editing files
    by hand, say). A batch of reports does not need it between reports: what the caches hand out cannot be
    changed by a report, and the batch puts back countylib's module-level names
    (:mod:`countylib.output.kernel_state`).

    >>> import countylib
    >>> countylib.reload()
    """
    for cache in list(_CACHES.values()):
        cache.clear()
