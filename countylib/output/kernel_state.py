"""What a warm kernel resets between two reports besides variables: matplotlib's settings (rcParams)
as they were after warm-up, pandas' options, open figures and the working folder.

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
_KEEP = ("backend", "interactive")  # the kernel's own: an inline backend shows figures only when interactive


def snapshot() -> None:
    """Remember the kernel's settings as the state every report starts from."""
    _BASELINE.clear()
    _BASELINE["cwd"] = os.getcwd()
    import matplotlib
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # loads the kernel's backend now: its settings are part of the baseline
    _BASELINE["rc"] = copy.deepcopy({k: v for k, v in matplotlib.rcParams.items() if k not in _KEEP})
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
