"""Whether a rendered report is up to date: a hash of what made it, written into the page.

A report's fingerprint hashes the notebook, its parameters, the processed data and countylib itself
(version and source, templates and the scripts and stylesheets pages inline), and the installed versions
of the packages that compute or draw what a page shows (:data:`DRAWING_PACKAGES`: matplotlib, nbconvert,
the Leaflet and font packages inlined into pages ...) and of Python. ``--resume`` re-renders a report exactly when its fingerprint differs from the
one stored in the existing page; file times play no part (copying a folder or touching a file changes
nothing, a different year or edited data always re-renders).

>>> fp = job_fingerprint(b'{"cells": []}', {"adcode": "410181", "year": 2022}, "inputs")
>>> fp == job_fingerprint(b'{"cells": []}', {"year": 2022, "adcode": "410181"}, "inputs")
True
>>> fp == job_fingerprint(b'{"cells": []}', {"adcode": "410181", "year": 2021}, "inputs")
False
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

_META = re.compile(rb'<meta\s[^>]*name="countylib-fingerprint"[^>]*>')
_CONTENT = re.compile(rb'content="([0-9a-f]+)"')


def _hash_files(h, files: list[Path], root: Path) -> None:
    for f in sorted(files):
        h.update(str(f.relative_to(root)).encode("utf-8") + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")


#: Packages whose installed version changes what a page shows: they run the notebook and compute its
#: numbers, draw its figures and maps, write its HTML, or are inlined into it (Leaflet, the CJK fonts).
DRAWING_PACKAGES = ("matplotlib", "seaborn", "mapclassify", "geopandas", "shapely", "pyproj", "pandas", "numpy",
                    "statsmodels", "nbconvert", "nbclient", "nbformat", "papermill", "ipykernel", "ipython",
                    "jinja2", "markupsafe", "fonttools", "mplfonts", "xstatic-leaflet", "pyarrow")


def drawing_versions() -> dict[str, str]:
    """Installed versions of :data:`DRAWING_PACKAGES` and of Python ('' for a package not installed).

    >>> v = drawing_versions()
    >>> v["python"].count(".") == 2 and bool(v["nbconvert"]) and bool(v["xstatic-leaflet"])
    True
    """
    import platform
    from importlib import metadata

    out = {"python": platform.python_version()}
    for name in DRAWING_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def code_digest() -> str:
    """countylib's version, the hash of its own source, registry files and everything shipped with its
    templates (the scripts and stylesheets pages inline), and the versions of :func:`drawing_versions`."""
    import countylib
    from countylib.paths import PACKAGE_DIR

    h = hashlib.sha256(countylib.__version__.encode())
    files = [p for pattern in ("*.py", "*.yaml", "*.j2", "*.css", "*.js") for p in PACKAGE_DIR.rglob(pattern)
             if "__pycache__" not in p.parts]
    files += [p for p in (PACKAGE_DIR / "output" / "templates").rglob("*") if p.is_file()]
    _hash_files(h, sorted(set(files)), PACKAGE_DIR)
    h.update(json.dumps(drawing_versions(), sort_keys=True).encode())
    return h.hexdigest()


def data_digest(folder: Path | None = None) -> str:
    """The hash of every file in the processed-data folder (names and bytes)."""
    from countylib.paths import processed_dir

    folder = Path(folder or processed_dir())
    h = hashlib.sha256()
    if folder.is_dir():
        _hash_files(h, [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")], folder)
    return h.hexdigest()


def inputs_digest(folder: Path | None = None) -> str:
    """What every report of a batch shares: the processed data and countylib."""
    return hashlib.sha256((data_digest(folder) + code_digest()).encode()).hexdigest()


def job_fingerprint(notebook: bytes, params: dict, inputs: str, context: dict | None = None) -> str:
    """The fingerprint of one report: notebook bytes, parameters (order-free), the shared inputs and, for a
    page of a site, its context (where it sits, which pages it links: a neighbour added to the run
    changes the page)."""
    h = hashlib.sha256(notebook)
    h.update(json.dumps(params, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    h.update(inputs.encode())
    if context:
        h.update(json.dumps(context, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    return h.hexdigest()[:40]


def stored_fingerprint(page: Path) -> str | None:
    """The fingerprint written into an existing page, or None (no page, or a page without one)."""
    try:
        with open(page, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    tag = _META.search(head)
    value = _CONTENT.search(tag.group(0)) if tag else None
    return value.group(1).decode() if value else None
