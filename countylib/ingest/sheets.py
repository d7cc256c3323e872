"""A sheet as published -> a grid of cell texts, whatever the file: xlsx or CSV, UTF-8 or GBK.

Yearbook tables arrive as ``.xlsx`` (merged heading cells, footnote marks set in superscript, numbers
stored as numbers, shares formatted as percentages) or as CSV exported by Chinese software, usually in
GBK/GB18030. :func:`read_sheet` returns every cell as the text a reader sees on the page:

* CSV: the encoding is taken from ``encoding`` (the sidecar's ``reader: encoding:``) or detected as for
  every text countylib reads (:mod:`countylib.ingest.encodings`): a byte-order mark, UTF-8, GB18030 (a
  superset of GBK and GB2312) when it reads as Chinese, else Big5 or UTF-16 found by charset_normalizer;
* xlsx: numbers as their shortest decimal text (``962.58``, not ``962.5799999999999``), cells formatted
  as percentages as the percentage shown (0.052 in a ``0.0%`` cell is ``5.2``), superscript runs of rich
  text as superscript characters (so ``栾川县`` + superscript ``1`` reads ``栾川县¹``, a footnote mark),
  and the merged ranges, so headings spanning several columns can be filled in.

>>> import io
>>> sheet = read_sheet(io.BytesIO("地区,地区生产总值\\n巩义市,962.58\\n".encode("gbk")), name="t.csv")
>>> sheet.encoding, sheet.cells[1]
('gb18030', ['巩义市', '962.58'])
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import IO

from countylib.ingest import encodings

Source = str | PathLike | IO

_SUPERSCRIPT = str.maketrans("0123456789abcdefghijklmnoprstuvwxyz+-()",
                             "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁺⁻⁽⁾")


class ReaderError(ValueError):
    """A table whose layout the reader cannot follow; the message names file, row and what to do."""


@dataclass
class Sheet:
    """Cell texts of one sheet (rows of equal length) and its merged ranges (0-based, inclusive)."""

    cells: list[list[str]]
    name: str
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str = ""
    #: For a sheet rearranged before reading (printed turned, or in panels side by side): the file row
    #: (1-based) of every grid cell; None when grid rows are file rows.
    file_rows: list[list[int]] | None = None
    #: How the sheet was rearranged, for the build report ('' when it was not).
    arranged: str = ""
    #: Every sheet of the workbook (xlsx), to name them when the one read holds no table.
    sheet_names: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def file_row(self, i: int, j: int) -> int:
        """The 1-based row in the file of grid cell (i, j).

        >>> Sheet([["a", "b"]], "t").file_row(0, 1), Sheet([["a", "b"]], "t", file_rows=[[3, 5]]).file_row(0, 1)
        (1, 5)
        """
        if self.file_rows is not None:
            return self.file_rows[i][j]
        return i + 1


def source_name(source: Source) -> str:
    """The file name of a source, for messages.

    >>> source_name("data/raw/t.csv"), source_name(io.StringIO(""))
    ('t.csv', '<stream>')
    """
    if isinstance(source, str | PathLike):
        return Path(source).name
    return Path(str(getattr(source, "name", "<stream>"))).name


def read_sheet(source: Source, sheet: str | int | None = 0, encoding: str | None = None,
               name: str | None = None) -> Sheet:
    """Every cell of a sheet as text; see the module docstring."""
    name = name or source_name(source)
    if name.lower().endswith((".xlsx", ".xlsm")):
        sh = _read_xlsx(source, sheet, name)
    elif name.lower().endswith(".xls"):
        raise ReaderError(f"{name}: the old .xls format is not read; open it and save it as .xlsx (or CSV), "
                          "unchanged otherwise")
    else:
        text, used = read_text(source, encoding, name)
        sh = Sheet(_csv_rows(text), name, [], used)
    sh.cells = _trim(sh.cells)
    if not sh.cells:
        raise ReaderError(f"{name}: the file is empty: no cells with content")
    return sh


def read_text(source: Source, encoding: str | None, name: str) -> tuple[str, str]:
    """(text, encoding used) of a text file, found as every reader of countylib finds it
    (:func:`countylib.ingest.encodings.decode`)."""
    data = _bytes(source)
    if isinstance(data, str):
        return data, "str"
    try:
        return encodings.decode(data, name, encoding)
    except encodings.EncodingError as exc:
        hint = ("fix `encoding:` in the sidecar (utf-8, gb18030, big5 …)" if encoding
                else "add `encoding:` (e.g. big5) under `reader:` in the sidecar")
        raise ReaderError(f"{exc}; {hint}") from None


def _bytes(source: Source) -> bytes | str:
    if isinstance(source, str | PathLike):
        return Path(source).read_bytes()
    data = source.read()
    return data


def _csv_rows(text: str) -> list[list[str]]:
    """Rows of a delimited text: commas, or tabs when the first line with a separator has tabs and no commas
    (Excel's "Unicode text" export, UTF-16 with tabs).

    >>> _csv_rows("地区\\t地区生产总值\\n巩义市\\t1,234.5\\n")
    [['地区', '地区生产总值'], ['巩义市', '1,234.5']]
    """
    first = next((ln for ln in text.splitlines() if "," in ln or "\t" in ln), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    return [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]


def _trim(cells: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty rows and columns (keeps blank rows inside the table)."""
    while cells and not any(cells[-1]):
        cells.pop()
    if not cells:
        return []
    width = max((j + 1 for r in cells for j, c in enumerate(r) if c), default=0)
    return [r[:width] + [""] * (width - len(r[:width])) for r in cells]


# ------------------------------------------------------------------------------------------------------
# xlsx
# ------------------------------------------------------------------------------------------------------


def _read_xlsx(source: Source, sheet: str | int | None, name: str) -> Sheet:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(source, data_only=True, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - a broken workbook names its file
        raise ReaderError(f"{name}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        ws = wb.worksheets[sheet or 0] if isinstance(sheet, int) or sheet is None else wb[sheet]
    except (IndexError, KeyError):
        raise ReaderError(f"{name}: no sheet {sheet!r}; sheets are {wb.sheetnames}") from None
    cells = [[_cell_text(c) for c in row] for row in ws.iter_rows()]
    merged = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
    return Sheet(cells, name, merged, "xlsx", sheet_names=list(wb.sheetnames))


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "__iter__") and not isinstance(value, bytes):  # CellRichText
        return _rich_text(value).strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        text = number_text(value)
        if _is_percent_format(getattr(cell, "number_format", "") or ""):
            text = _as_percent(text)
        return text
    return str(value).strip()


def number_text(value: int | float) -> str:
    """A stored number as printed: integers without ``.0``, floats by their shortest decimal text with
    binary noise of sums removed (15 significant digits).

    >>> number_text(2693488.0), number_text(962.58), number_text(0.1 + 0.2), number_text(12)
    ('2693488', '962.58', '0.3', '12')
    """
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    text = format(Decimal(repr(value)).normalize(), "f") if abs(value) < 1e16 else repr(value)
    short = format(Decimal(format(value, ".15g")).normalize(), "f")
    text = short if len(short) < len(text) else text
    return text.rstrip(".") if "." in text and text.endswith(".") else text


def _is_percent_format(fmt: str) -> bool:
    """A number format that shows a stored fraction as a percentage (``0.0%``; a quoted "%" is literal)."""
    unquoted = re.sub(r'"[^"]*"|\\.', "", fmt)
    return "%" in unquoted


def _as_percent(text: str) -> str:
    return format((Decimal(text) * 100).normalize(), "f")


def _rich_text(value) -> str:
    parts = []
    for block in value:
        if isinstance(block, str):
            parts.append(block)
            continue
        text = block.text
        font = getattr(block, "font", None)
        if font is not None and getattr(font, "vertAlign", None) == "superscript" and text.strip():
            text = text.strip().lower().translate(_SUPERSCRIPT)
        parts.append(text)
    return "".join(parts)
