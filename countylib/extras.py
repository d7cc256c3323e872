"""Optional parts of countylib and the packages they need.

``pip install countylib`` gives data, analysis and static maps. Rendering notebooks into pages, the
offline fonts and interactive maps need ``countylib[reports]``; running a batch on a Dask cluster needs
``countylib[distributed]``. A module of those parts says so in one line when its packages are missing.

>>> require("reports", "countylib.output.example", "json")          # present: nothing happens
>>> require("reports", "countylib.output.example", "no_such_package_xyz")
Traceback (most recent call last):
countylib.extras.MissingExtraError: countylib.output.example needs the optional 'reports' extra (no_such_package_xyz is not installed): pip install 'countylib[reports]'
"""

from __future__ import annotations

import importlib.util

#: What each extra adds, for messages.
EXTRAS = {
    "reports": "notebook rendering, report pages, embedded fonts, interactive maps",
    "distributed": "batches on a Dask cluster",
}


class MissingExtraError(ImportError):
    """A part of countylib was imported without the optional packages it needs."""


def missing(extra: str, module: str, package: str) -> MissingExtraError:
    """The one-line error for ``module`` when ``package`` of ``extra`` is not installed."""
    return MissingExtraError(f"{module} needs the optional {extra!r} extra ({package} is not installed): "
                             f"pip install 'countylib[{extra}]'")


def require(extra: str, module: str, *packages: str) -> None:
    """Raise :class:`MissingExtraError` naming the extra when one of ``packages`` cannot be imported."""
    for package in packages:
        try:
            found = importlib.util.find_spec(package) is not None
        except (ImportError, ValueError, AttributeError):  # a parent missing or blocked (None in sys.modules)
            found = False
        if not found:
            raise missing(extra, module, package)
