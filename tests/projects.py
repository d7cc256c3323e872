"""Small countylib projects written by the tests: a raw folder of made-up figures, built, with the
notebooks beside it, and tiny notebooks for exercising batches."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from countylib.ingest.build import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

META = """title: {title}
publisher: {publisher}
url: {url}
document: {document}
retrieved: 2026-11-23
license: {license}
kind: figures_long
notes: {notes}
"""


def make_project(root: Path, figures: str | None = None, meta: dict | None = None) -> Path:
    """A project folder (data/raw, data/processed built, notebooks/) with the fixture figures, or
    ``figures`` (CSV text in the figures layout) and sidecar fields ``meta``."""
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    for name in ("admin_changes.csv", "admin_changes.csv.meta.yaml"):
        shutil.copy(ROOT / "data" / "raw" / name, raw / name)
    fields = {"title": "fixture figures", "publisher": "test fixture", "url": "null",
              "document": "tests/fixtures (figures written for the tests)", "license": "test data", "notes": "none"}
    fields.update(meta or {})
    (raw / "figures.csv").write_text(figures or (FIXTURES / "figures.csv").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (raw / "figures.csv.meta.yaml").write_text(META.format(**fields), encoding="utf-8")
    build(raw, root / "data" / "processed", boundaries=True)
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "reports").mkdir()
    return root


def tiny_notebook(path: Path, body: str, params: str = 'adcode = "410181"\nyear = 2022') -> Path:
    """A notebook with a parameters cell and one code cell."""
    cell = new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell("# 测试报告"), cell, new_code_cell(body)], metadata={"kernelspec": KERNELSPEC})
    nbformat.write(nb, path)
    return path
