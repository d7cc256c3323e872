"""Where countylib finds its data and writes its outputs.

The project root is, in order: the ``COUNTYLIB_HOME`` environment variable; the nearest
folder at or above the working directory that holds ``data/raw``; the folder above the
installed package. Notebooks run from ``notebooks/`` therefore find ``../data`` by themselves.

>>> from countylib import paths
>>> paths.raw_dir().name
'raw'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The project folder that holds ``data/`` and ``reports/``."""
    env = os.environ.get("COUNTYLIB_HOME")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    return PACKAGE_DIR.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
