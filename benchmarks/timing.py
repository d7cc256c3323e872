"""Timers the benchmark scripts share. Each script runs as ``python benchmarks/<name>_bench.py``, which puts
this folder first on the import path, so ``from timing import once`` finds this file.

>>> seconds, result = best_of(lambda: sum(range(10)), 3)
>>> result, seconds >= 0
(45, True)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def once(fn: Callable[[], Any]) -> float:
    """Seconds one call of ``fn`` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median(fn: Callable[[], Any], repeat: int, warm_up: bool = False) -> float:
    """Median seconds of ``repeat`` calls of ``fn`` (after one untimed call when ``warm_up``)."""
    if warm_up:
        fn()
    return float(statistics.median([once(fn) for _ in range(repeat)]))


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Fastest seconds of ``repeat`` calls of ``fn``, and what the last call returned."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out
