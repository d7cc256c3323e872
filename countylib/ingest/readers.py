"""Readers for real-world tables: yearbook sheets (wide, multi-row headers, unit rows, notes rows,
aggregate rows), long figure lists and county lists (the 2020 census table: :mod:`countylib.ingest.census`).

Every reader returns *figures*: one row per published number, nothing converted yet::

    row, name, adcode, province, prefecture, year, indicator, column, value_text, unit,
    url, source_quality, note, aggregate

``row`` is the 1-based row number in the file (for error messages), ``aggregate`` marks totals
(全国, 全省, a prefecture's own row) so they are kept but never added to the counties.

Example
-------
>>> import io
>>> csv = "地区,地区生产总值（亿元）,常住人口（万人）\\n全市,100,10\\n巩义市,60,6\\n注：初步核算。,,\\n"
>>> figs = read_wide(io.StringIO(csv), year=2022, province="河南省")
>>> figs[["name", "indicator", "value_text", "unit", "is_aggregate"]].values.tolist()[:2]
[['全市', 'gdp', '100', '亿元', True], ['全市', 'pop_resident', '10', '万人', True]]
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from countylib import vocab
from countylib.data import indicators
from countylib.ingest.units import UNITS, normalize_unit

FIGURE_COLUMNS = [
    "row", "name", "adcode", "province", "prefecture", "year", "indicator", "column", "value_text", "unit",
    "url", "source_quality", "note", "is_aggregate",
]
HEADER_UNIT = re.compile(r"[（(]([^()（）]+)[)）]\s*$")

Source = str | PathLike | IO


class ReaderError(ValueError):
    """A table whose layout the reader cannot follow; the message names file, row and what to do."""


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS)


def _read_grid(source: Source, sheet: str | int | None = 0) -> pd.DataFrame:
    """The whole sheet as strings, no header, empty cells as ''."""
    name = str(getattr(source, "name", source))
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        grid = pd.read_excel(source, sheet_name=sheet, header=None, dtype=str)
    else:
        grid = pd.read_csv(source, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False)
    return grid.astype(object).where(grid.notna(), "").map(lambda v: str(v).strip())


def _is_number_like(cell: str) -> bool:
    return bool(re.search(r"\d", cell)) and not re.search(r"[\u4e00-\u9fff]{2,}", cell)


def detect_header_rows(grid: pd.DataFrame, name_col: int = 0) -> int:
    """Number of header rows: rows before the first row whose cells right of the name column are
    mostly numbers.

    >>> g = pd.DataFrame([["地区", "GDP", "人口"], ["", "亿元", "万人"], ["巩义市", "1", "2"]])
    >>> detect_header_rows(g)
    2
    """
    for i in range(len(grid)):
        cells = [c for j, c in enumerate(grid.iloc[i]) if j != name_col and c != ""]
        if cells and grid.iloc[i, name_col] and sum(map(_is_number_like, cells)) >= max(1, len(cells) // 2):
            return i
    raise ReaderError("no data row found: no row has a name and mostly numbers after it")


def _unit_row(grid: pd.DataFrame, header_rows: int) -> int | None:
    for i in range(header_rows):
        cells = [normalize_unit(c) for c in grid.iloc[i, 1:] if c]
        if cells and sum(c in UNITS for c in cells) >= max(1, len(cells) // 2):
            return i
    return None


def flatten_headers(grid: pd.DataFrame, header_rows: int, skip: int | None = None) -> list[str]:
    """Join multi-row headers into one label per column (merged cells are forward-filled).

    >>> g = pd.DataFrame([["地区", "居民人均可支配收入", ""], ["", "城镇", "农村"]])
    >>> flatten_headers(g, 2)
    ['地区', '居民人均可支配收入_城镇', '居民人均可支配收入_农村']
    """
    width = grid.shape[1]
    # A title row (one filled cell in a wide table) is not part of the column labels.
    rows = [i for i in range(header_rows)
            if i != skip and not (width > 2 and sum(c != "" for c in grid.iloc[i]) == 1 and grid.iloc[i, 0])]
    if not rows:
        return [f"col{j}" for j in range(grid.shape[1])]
    head = grid.iloc[rows].replace("", np.nan).ffill(axis=1).fillna("")
    # Forward fill must not spill a label into the name column's neighbours on the last header row.
    last = grid.iloc[rows[-1]]
    labels = []
    for j in range(grid.shape[1]):
        parts = []
        for k in range(len(rows)):
            cell = head.iloc[k, j] if k < len(rows) - 1 else last.iloc[j]
            if cell and cell not in parts:
                parts.append(cell)
        labels.append("_".join(parts) or f"col{j}")
    return labels


_SUBSCOPE = {"城镇": "_urban", "农村": "_rural", "城镇居民": "_urban", "农村居民": "_rural"}


def column_indicator(label: str) -> tuple[str | None, str]:
    """Indicator key and unit from a column label such as ``地区生产总值（亿元）``.

    >>> column_indicator("地区生产总值（亿元）")
    ('gdp', '亿元')
    >>> column_indicator("居民人均可支配收入_农村")
    ('disposable_income_rural', '')
    """
    unit = ""
    m = HEADER_UNIT.search(label)
    if m and normalize_unit(m.group(1)) in UNITS:
        unit, label = m.group(1), label[: m.start()]
    parts = [p for p in label.split("_") if p]
    key = indicators.key_for("".join(parts)) or (indicators.key_for(parts[0]) if parts else None)
    if key and len(parts) > 1 and parts[-1] in _SUBSCOPE:
        sub = key + _SUBSCOPE[parts[-1]]
        key = sub if sub in indicators.registry() else key
    return key, unit


def read_wide(
    source: Source,
    year: int,
    province: str | None = None,
    prefecture: str | None = None,
    name_col: int = 0,
    code_col: int | None = None,
    header_rows: int | None = None,
    sheet: str | int | None = 0,
    units: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read a yearbook-style table: one row per unit, one column per indicator.

    Header rows are detected (or given), multi-row headers joined, units taken from a unit row, from
    ``（亿元）`` in the header, or from ``units`` (indicator key -> unit). Notes rows at the bottom are
    dropped; aggregate rows (全市, 合计, ...) are kept and marked. Columns whose heading is not a known
    indicator are left out (``unmapped_columns`` in ``.attrs`` lists them).
    """
    grid = _read_grid(source, sheet)
    if grid.empty:
        raise ReaderError(f"{_name(source)}: the table is empty")
    header_rows = detect_header_rows(grid, name_col) if header_rows is None else header_rows
    unit_row = _unit_row(grid, header_rows)
    labels = flatten_headers(grid, header_rows, skip=unit_row)
    body = grid.iloc[header_rows:]
    mapped: dict[int, tuple[str, str]] = {}
    unmapped = []
    for j, label in enumerate(labels):
        if j in (name_col, code_col):
            continue
        key, unit = column_indicator(label)
        if unit_row is not None and grid.iloc[unit_row, j]:
            unit = grid.iloc[unit_row, j]
        if key is None:
            if any(body.iloc[:, j] != ""):
                unmapped.append(label)
            continue
        unit = unit or (units or {}).get(key, "")
        mapped[j] = (key, unit)
    records = []
    for offset, (_, r) in enumerate(body.iterrows()):
        name = r.iloc[name_col]
        if not name and (code_col is None or not r.iloc[code_col]):
            continue
        if vocab.is_note_label(name) and all(r.iloc[j] == "" for j in mapped):
            continue
        code = r.iloc[code_col] if code_col is not None else ""
        is_aggregate = vocab.is_total_label(name) or vocab.clean_name(name) in ("市区", "市辖区")
        for j, (key, unit) in mapped.items():
            records.append({
                "row": header_rows + offset + 1, "name": name, "adcode": code, "province": province or "",
                "prefecture": prefecture or "", "year": int(year), "indicator": key, "column": labels[j],
                "value_text": r.iloc[j], "unit": unit, "url": "", "source_quality": "", "note": "",
                "is_aggregate": is_aggregate,
            })
    out = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS) if records else _empty()
    out.attrs["unmapped_columns"] = unmapped
    return out


def read_figures_long(source: Source) -> pd.DataFrame:
    """Read a long list of figures, one row per published number.

    Required columns: county, year, indicator, value_text, unit. Optional: adcode, province,
    prefecture, url, source_quality, note.

    >>> import io
    >>> csv = "county,province,year,indicator,value_text,unit,url\\n巩义市,河南省,2022,gdp,1,亿元,http://x\\n"
    >>> read_figures_long(io.StringIO(csv))[["name", "indicator", "row"]].values.tolist()
    [['巩义市', 'gdp', 2]]
    """
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    required = {"county", "year", "indicator", "value_text", "unit"}
    missing = required - set(table.columns)
    if missing:
        raise ReaderError(
            f"{_name(source)}: missing column(s) {', '.join(sorted(missing))}; a figures file needs "
            f"{', '.join(sorted(required))}"
        )
    out = pd.DataFrame({
        "row": np.arange(2, len(table) + 2),
        "name": table["county"],
        "adcode": table.get("adcode", ""),
        "province": table.get("province", ""),
        "prefecture": table.get("prefecture", ""),
        "year": table["year"],
        "indicator": table["indicator"],
        "column": "value_text",
        "value_text": table["value_text"],
        "unit": table["unit"],
        "url": table.get("url", ""),
        "source_quality": table.get("source_quality", ""),
        "note": table.get("note", ""),
        "is_aggregate": False,
    })
    return out[FIGURE_COLUMNS]


def read_county_list(source: Source) -> pd.DataFrame:
    """Read a ranked county list (rank, province, county) as printed.

    >>> import io
    >>> read_county_list(io.StringIO("rank,province,county\\n1,江苏,昆山市\\n")).values.tolist()
    [[2, 1, '江苏', '昆山市']]
    """
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    missing = {"rank", "county"} - set(table.columns)
    if missing:
        raise ReaderError(f"{_name(source)}: a county list needs columns rank and county (missing {missing})")
    return pd.DataFrame({
        "row": np.arange(2, len(table) + 2),
        "rank": pd.to_numeric(table["rank"], errors="coerce").astype("Int64"),
        "province": table.get("province", ""),
        "county": table["county"],
    })


def _name(source: Source) -> str:
    if isinstance(source, str | PathLike):
        return Path(source).name
    return str(getattr(source, "name", "<stream>"))
