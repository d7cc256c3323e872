"""What a warm kernel resets between two reports besides variables: matplotlib's settings (rcParams)
as they were after warm-up, pandas' options, open figures, the working folder, and countylib's own
module-level names (a report that rebinds ``countylib.data.registry.COUNTY_KINDS`` changes it for itself
only). countylib's caches hand out copies or read-only records (:mod:`countylib.caches`), so what a report
does to a table it was given never reaches the next report either.

Runs inside the kernel: the batch runner calls :func:`snapshot` once after warm-up and :func:`restore`
before every report (after ``%reset -f``), so no report sees another's settings.

>>> import matplotlib
>>> snapshot()
>>> matplotlib.rcParams["font.size"] = 31.0
>>> restore()
>>> matplotlib.rcParams["font.size"] == 31.0
False
"""

from __future__ import annotations

import copy
import gc
import os
import sys
import warnings

_BASELINE: dict = {}
_MODULES: dict[str, dict] = {}  # countylib module name -> its globals as they were after warm-up
_KEEP = ("backend", "interactive")  # the kernel's own: an inline backend shows figures only when interactive


def snapshot() -> None:
    """Remember the kernel's settings as the state every report starts from."""
    _BASELINE.clear()
    _BASELINE["cwd"] = os.getcwd()
    import matplotlib
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # loads the kernel's backend now: its settings are part of the baseline
    _BASELINE["rc"] = copy.deepcopy({k: v for k, v in matplotlib.rcParams.items() if k not in _KEEP})
    _MODULES.clear()
    _remember_modules()
    # What warm-up imported lives as long as the kernel: move it out of the garbage collector's sight, so
    # the full collection in every ``%reset -f`` scans a report's objects only (0.2 s -> 0.005 s a report).
    gc.collect()
    gc.freeze()


def restore() -> None:
    """Put back the settings :func:`snapshot` remembered; pandas' options go back to pandas' defaults."""
    if not _BASELINE:
        snapshot()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    import matplotlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(copy.deepcopy(_BASELINE["rc"]))
        if "pandas" in sys.modules:
            sys.modules["pandas"].reset_option("all")
    os.chdir(_BASELINE["cwd"])
    _restore_modules()
    # What a report leaves alive is countylib's caches (tables split by unit, maps of the province...): out of
    # the collector's sight too, so the next report's ``%reset -f`` scans its own objects only (0.35 s -> ms).
    gc.freeze()


def _countylib_modules() -> list:
    return [m for name, m in list(sys.modules.items())
            if m is not None and (name == "countylib" or name.startswith("countylib."))
            and name != __name__]


def _remember_modules() -> None:
    """Remember the globals of every countylib module imported so far (a new one from its first sight on)."""
    for module in _countylib_modules():
        _MODULES.setdefault(module.__name__, dict(vars(module)))


def _restore_modules() -> None:
    """Rebind every countylib module-level name a report rebound or deleted to what it was."""
    for module in _countylib_modules():
        saved = _MODULES.get(module.__name__)
        if saved is None:  # first imported by the last report: remember it as it is now
            _MODULES[module.__name__] = dict(vars(module))
            continue
        current = vars(module)
        for name, value in saved.items():
            if current.get(name, _MISSING) is not value:
                setattr(module, name, value)


_MISSING = object()
