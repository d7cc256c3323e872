"""Batches of county reports with an index page and run.json.

The public face of :mod:`countylib.output.batch`; import it as
``from countylib import batch``.
"""

from __future__ import annotations

from countylib.output.batch import (  # noqa: F401
    COLUMNS,
    PARAMETER_LABELS,
    REPORT_PARAMETERS,
    REQUIRED_DATA,
    STATUS,
    BatchError,
    check_notebook,
    check_processed_data,
    check_province,
    check_run_name,
    check_writable,
    county_batch,
    finish_run,
    index_html,
    index_rows,
    read_run,
    report_path,
    select_units,
    shown_parameters,
    unknown_codes,
    versions,
)

__all__ = [
    "REQUIRED_DATA", "REPORT_PARAMETERS", "STATUS", "BatchError", "check_run_name",
    "check_processed_data", "check_province", "check_writable", "check_notebook", "report_path",
    "county_batch", "finish_run", "read_run", "versions", "COLUMNS", "index_rows", "PARAMETER_LABELS",
    "shown_parameters", "index_html",
    "select_units", "unknown_codes",
]
