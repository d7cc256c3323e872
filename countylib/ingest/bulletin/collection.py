"""Figures from a collection of documents: files and folders of saved web pages, PDF and Word files and
texts, each read, given its county and year (found in the document or given), and scanned.

Every document gets one :class:`DocumentResult`: read (with its figures), failed (a document that cannot
be read, or whose place or year cannot be settled: the reason says which) or skipped (a file in a folder
that is no document). :meth:`Collection.rows` are the accepted figures in the layout of ``data/raw``
figure lists, each with its document, its page (PDF) or address (a saved page that records one) and its
character span in the document's text.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("2022年嵩县国民经济和社会发展统计公报\\n全县生产总值230.5亿元。", encoding="utf-8")
>>> _ = (d / "b.txt").write_text("全县生产总值99亿元。", encoding="utf-8")
>>> run = extract_documents([d])
>>> [(r.path.name, r.status, r.county, r.year) for r in run.documents]
[('a.txt', 'read', '嵩县', 2022), ('b.txt', 'failed', '', None)]
>>> run.rows()[["county", "adcode", "year", "indicator", "value_text", "unit", "start", "end"]].values.tolist()
[['嵩县', '410325', 2022, 'gdp', '230.5', '亿元', 27, 34]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from countylib.ingest import documents as docs
from countylib.ingest.bulletin.identify import Identity, identify
from countylib.ingest.bulletin.reading import BadInput

#: Columns of the figures list written for ``data/raw`` (the layout ``countylib build`` reads as
#: ``figures_long``); the last four say where in which document each figure was read.
ROW_COLUMNS = ["county", "adcode", "province", "year", "indicator", "value_text", "unit", "url", "source_quality",
               "note", "document", "page", "start", "end"]


@dataclass
class DocumentResult:
    """What came of one file."""

    path: Path
    status: str  # read, failed, skipped
    reason: str = ""
    document: docs.Document | None = None
    identity: Identity | None = None
    figures: pd.DataFrame | None = None  # every candidate of scan(), with its page

    @property
    def county(self) -> str:
        return self.identity.county if self.identity and self.status == "read" else ""

    @property
    def year(self) -> int | None:
        return self.identity.year if self.identity and self.status == "read" else None

    def count(self, status: str) -> int:
        return 0 if self.figures is None else int((self.figures.status == status).sum())

    @property
    def url(self) -> str:
        return self.document.url if self.document else ""


@dataclass
class Collection:
    """The documents of one run, in the order found."""

    documents: list[DocumentResult] = field(default_factory=list)
    url: str = ""  # the address given for documents that record none

    @property
    def read(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "read"]

    @property
    def failed(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "failed"]

    @property
    def skipped(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "skipped"]

    def rows(self) -> pd.DataFrame:
        """Accepted figures, one row each, in the ``data/raw`` figures layout (:data:`ROW_COLUMNS`)."""
        out = []
        for d in self.read:
            ok = d.figures[d.figures.status == "ok"]
            who, doc = d.identity, d.document
            url = doc.url or self.url
            for r in ok.astype(object).itertuples(index=False):
                page = None if pd.isna(r.page) else int(r.page)  # doc.page_at(start), found by _one
                where = f"{d.path.name}" + (f" p.{page}" if page else "") + f" chars {r.start}-{r.end}"
                out.append({"county": who.printed or who.county, "adcode": who.adcode, "province": who.province,
                            "year": int(r.year), "indicator": r.indicator, "value_text": r.value_text,
                            "unit": r.unit_text, "url": url, "source_quality": "",
                            "note": where + (f"; {r.flags}" if r.flags else ""), "document": str(d.path),
                            "page": page if page else "", "start": int(r.start), "end": int(r.end)})
        return pd.DataFrame(out, columns=ROW_COLUMNS)

    def summary(self) -> pd.DataFrame:
        """One row per file: status, place, year, figures found and why a file was not read."""
        return pd.DataFrame([{
            "file": str(d.path), "status": d.status, "kind": d.document.kind if d.document else "",
            "county": d.county, "adcode": d.identity.adcode if d.identity and d.status == "read" else "",
            "year": d.year, "accepted": d.count("ok"), "ambiguous": d.count("ambiguous"), "reason": d.reason,
        } for d in self.documents])


def extract_documents(paths: str | Path | Iterable[str | Path], county: str | None = None, year: int | None = None,
                      province: str | None = None, encoding: str | None = None, url: str = "",
                      progress: Callable[[Iterable], Iterable] | None = None) -> Collection:
    """Read every document in ``paths`` (a file or folder, or a list of them) and extract its figures.

    ``county``/``year`` are given to every document (otherwise each document's are read from its title
    and first lines, see :mod:`countylib.ingest.bulletin.identify`); ``province`` settles names several
    provinces share. ``url`` is written for documents that record no address of their own.
    ``progress`` wraps the list of documents (e.g. ``tqdm``). One document's failure never stops the run.
    """
    if province:  # one province for every document: a misspelt one is said once, before any is read
        from countylib.data.registry import area_name

        area_name(province)
    found = docs.find(paths)
    run = Collection(url=url or "")
    items = progress(found) if progress else found
    for f in items:
        run.documents.append(_one(f, county, year, province, encoding))
    return run


def _one(f: docs.Found, county, year, province, encoding) -> DocumentResult:
    from countylib.ingest import bulletin

    if f.reason:
        return DocumentResult(f.path, "failed" if f.failed else "skipped", f.reason)
    try:
        doc = docs.read(f.path, encoding)
    except BadInput as exc:
        return DocumentResult(f.path, "failed", _without_path(str(exc), f.path))
    who = identify(doc.text, doc.title, county=county, year=year, province=province, title_first=doc.kind == "html")
    if not who.ok:
        return DocumentResult(f.path, "failed", who.reason or "place or year not settled", doc, who)
    found = bulletin.scan(doc.text, county=who.printed or who.county, year=who.year)  # a former name: its own words
    pages = [doc.page_at(int(s)) for s in found.start] if len(found) else []
    found["page"] = pd.array(pages, dtype="Int64") if pages else pd.array([], dtype="Int64")
    return DocumentResult(f.path, "read", doc.note, doc, who, found)


def _without_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message
