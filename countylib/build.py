"""The build: data/raw -> data/processed, with the build report.

The public face of :mod:`countylib.ingest.build`; import it as
``from countylib import build``.
"""

from __future__ import annotations

from countylib.ingest.build import (  # noqa: F401
    OUTPUT_COLUMNS,
    READERS,
    BuildError,
    BuildResult,
    Source,
    build,
    discover,
    is_licence_file,
    read_census,
    read_source,
    render_report,
)

__all__ = [
    "BuildError", "BuildResult", "OUTPUT_COLUMNS", "READERS", "Source", "build", "discover",
    "is_licence_file", "read_census", "read_source", "render_report",
]
