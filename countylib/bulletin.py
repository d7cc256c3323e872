"""Figures out of statistical bulletins and government work reports, each with its span.

The public face of :mod:`countylib.ingest.bulletin` (with :mod:`countylib.ingest.documents` for saved
pages, PDF and Word files, and the review page of :mod:`countylib.output.review`); import it as
``from countylib import bulletin``.
"""

from __future__ import annotations

from countylib.ingest import documents
from countylib.ingest.bulletin import (  # noqa: F401
    COLUMNS,
    BadInput,
    collection,
    extract,
    read_text,
    scan,
)
from countylib.ingest.bulletin.collection import Collection, DocumentResult, extract_documents
from countylib.ingest.bulletin.identify import Identity, identify
from countylib.ingest.documents import Document
from countylib.ingest.documents import read as read_document
from countylib.output.review import render as render_review  # noqa: F401 - the review page is drawn in output

__all__ = [
    "COLUMNS", "BadInput", "Collection", "Document", "DocumentResult", "Identity", "collection", "documents",
    "extract", "extract_documents", "identify", "read_document", "read_text", "render_review", "scan",
]
