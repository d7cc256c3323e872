"""Readers for real-world tables: yearbook sheets (wide, multi-row headers, unit rows, notes rows,
aggregate rows), long figure lists and county lists (the 2020 census table: :mod:`countylib.ingest.census_tables`).

Every reader returns *figures*: one row per published number, nothing converted yet::

    row, name, adcode, province, prefecture, year, indicator, column, value_text, unit,
    url, source_quality, note, is_aggregate   (+ row_kind, scope, context from the yearbook reader)

``row`` is the 1-based row number in the file (for error messages), ``name`` the label as printed,
``is_aggregate`` marks totals (全省, 全市, a prefecture's own row) so they are kept but never added to the
counties. ``row_kind`` says what a label stands for when it is not a unit's name (see
:func:`countylib.vocab.row_label_kind`; ``zone`` for functional zones), ``scope`` the unit a total row
stands for as the sidecar declares it, ``context`` the last prefecture-like row above (a hint when a
county name is ambiguous).

Example
-------
>>> import io
>>> csv = "地区,地区生产总值（亿元）,常住人口（万人）\\n全省,100,10\\n巩义市,60,6\\n注：初步核算。,,\\n"
>>> figs = read_wide(io.StringIO(csv), year=2022, province="河南省")
>>> figs[["name", "indicator", "value_text", "unit", "row_kind", "scope"]].values.tolist()[:2]
[['全省', 'gdp', '100', '亿元', 'province_total', '河南省'], ['全省', 'pop_resident', '10', '万人', 'province_total', '河南省']]
"""

from __future__ import annotations

import re
from os import PathLike
from typing import IO

import numpy as np
import pandas as pd

from countylib import vocab
from countylib.data.names import is_zone
from countylib.ingest import headings
from countylib.ingest import layout as layout_mod
from countylib.ingest.sheets import ReaderError, read_sheet, read_text, source_name

FIGURE_COLUMNS = [
    "row", "name", "adcode", "province", "prefecture", "year", "indicator", "column", "value_text", "unit",
    "url", "source_quality", "note", "is_aggregate",
]
#: Columns the yearbook and figure-list readers add; readers that do not give them get defaults in the build.
LAYOUT_COLUMNS = ["row_kind", "scope", "context"]
YEAR_RANGE = (1949, 2100)

Source = str | PathLike | IO

__all__ = ["FIGURE_COLUMNS", "LAYOUT_COLUMNS", "ReaderError", "check_year", "column_indicator",
           "read_county_list", "read_figures_long", "read_wide"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS + LAYOUT_COLUMNS)


def check_year(value: object, where: str) -> int:
    """An integer year between 1949 and 2100, or :class:`ReaderError` naming ``where``.

    >>> check_year("2022", "t.csv"), check_year(2021.0, "t.csv")
    (2022, 2021)
    >>> check_year("2022年", "t.csv row 3")
    Traceback (most recent call last):
    ...
    countylib.ingest.sheets.ReaderError: t.csv row 3: year '2022年' is not a whole number between 1949 and 2100
    """
    text = str(value).strip()
    ok = re.fullmatch(r"\d{4}(?:\.0+)?", text) is not None
    year = int(float(text)) if ok else None
    if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ReaderError(f"{where}: year {value!r} is not a whole number between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}")
    return year


def column_indicator(label: str) -> tuple[str | None, str]:
    """Indicator key and unit from a column label such as ``地区生产总值（亿元）`` (parts joined by ``_``).

    >>> column_indicator("地区生产总值（亿元）")
    ('gdp', '亿元')
    >>> column_indicator("居民人均可支配收入_农村")
    ('disposable_income_rural', '')
    >>> column_indicator("社会消费品零售总额_比上年增长(%)")
    (None, '%')
    """
    bare, unit = headings.strip_units([p for p in label.split("_") if p])
    key, _ = headings.map_heading(bare)
    return key, unit


def read_wide(
    source: Source,
    year: int | None = None,
    province: str | None = None,
    prefecture: str | None = None,
    name_col: int | None = None,
    code_col: int | None = None,
    header_rows: int | None = None,
    sheet: str | int | None = 0,
    units: dict[str, str] | None = None,
    encoding: str | None = None,
    totals: str | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read a yearbook-style table: one row per unit, one column per indicator.

    The layout (title, 单位 line, heading rows with merged groups, English row, unit row) is found by
    :func:`countylib.ingest.layout.analyse`; ``header_rows`` (rows above the first row of figures),
    ``name_col``/``code_col`` (0-based) and ``units`` (indicator key or heading -> unit as printed)
    override or complete it. ``year`` is the year the figures are for (taken from the title when left out;
    an error when they disagree). ``totals`` names the unit that 合计/总计 rows stand for.

    Notes rows (注：…) and section rows without figures are dropped; every other row is kept with its
    ``row_kind``. ``.attrs`` holds ``columns`` (each column's heading, indicator, unit and where the unit
    came from) and ``unmapped_columns`` (heading: reason).
    """
    file = name or source_name(source)
    sh = read_sheet(source, sheet, encoding, name=file)
    if header_rows is None:
        sh = layout_mod.untranspose(sh) or layout_mod.unpanel(sh) or sh
    try:
        lay = layout_mod.analyse(sh, name_col, code_col, header_rows, units)
    except ReaderError as exc:
        if "no data row found" in str(exc) and len(sh.sheet_names) > 1:
            raise ReaderError(f"{exc}; the workbook has sheets {sh.sheet_names}: name the table's sheet with "
                              "`reader: sheet:` in the sidecar") from None
        raise
    every_column_dated = bool(lay.mapped) and all(c.year for c in lay.mapped)
    if year is None and lay.title_year is None and not every_column_dated:
        said = "names several" if vocab.TITLE_YEAR.search(vocab.normalize(lay.title)) else "names none"
        raise ReaderError(f"{file}: no year: the title {said}; add `reader: year: 2022` (the year of the "
                          "figures) to the sidecar")
    if year is not None or lay.title_year is not None:
        year = check_year(year if year is not None else lay.title_year, f"{file}: sidecar")
    if lay.title_year is not None and lay.title_year != year and not any(c.year for c in lay.mapped):
        raise ReaderError(f"{file}: the title says {lay.title_year} ({lay.title!r}) but the sidecar says year "
                          f"{year}; correct `reader: year:`")
    mapped = lay.mapped
    records = []
    context = ""
    prefectures = _prefecture_names()
    for i in range(lay.header_rows, len(sh.cells)):
        r = sh.cells[i]
        printed = layout_mod.printed_name(r[lay.name_col] or next(
            (r[j] for j in reversed(lay.label_cols) if r[j]), ""))
        code = r[lay.code_col] if lay.code_col is not None else ""
        if not code:
            code, printed = layout_mod.split_code(printed)
        if not printed and not code and not any(layout_mod.is_number_cell(r[c.index]) for c in mapped):
            continue
        if vocab.is_note_label(printed) or (len(vocab.normalize(printed)) > 25 and not any(r[c.index] for c in mapped)):
            continue
        if not any(r[c.index] for c in mapped):
            context = _context(printed, context, prefectures)
            continue
        if _repeated_heading(r, printed, mapped):
            continue
        kind = _row_kind(printed, code)
        scope = _scope(kind, province, prefecture, totals)
        for c in mapped:
            records.append({
                "row": sh.file_row(i, c.index), "name": printed, "adcode": code, "province": province or "",
                "prefecture": prefecture or "", "year": c.year or year, "indicator": c.indicator, "column": c.label,
                "value_text": r[c.index], "unit": c.unit, "url": "", "source_quality": "", "note": c.routed,
                "is_aggregate": kind in ("province_total", "prefecture_total", "total"),
                "row_kind": kind, "scope": scope, "context": context,
            })
        if kind == "":
            context = _context(printed, context, prefectures)
    out = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS + LAYOUT_COLUMNS) if records else _empty()
    out.attrs["unmapped_columns"] = [f"{c.label} ({c.problem})" for c in lay.unmapped]
    out.attrs["columns"] = [
        {"column": c.label, "indicator": c.indicator or "", "unit": c.unit, "unit_from": c.unit_source,
         "note": "; ".join(x for x in (c.problem or (f"figures for {c.year}" if c.year else ""), c.routed,
                                       sh.arranged) if x)}
        for c in lay.columns if c.problem != "empty column"
    ]
    out.attrs["encoding"] = sh.encoding
    return out


def _row_kind(printed: str, code: str) -> str:
    if not vocab.normalize(printed) and not vocab.normalize(code):
        return "unnamed"
    clean = vocab.clean_name(printed)
    code6 = vocab.clean_code(code)
    kind = vocab.row_label_kind(printed)
    if kind == "subscope" and _is_unit_named(code6, clean):
        return ""  # 城区 with 140302 printed beside it: the district of 阳泉 so named, not a sub-scope label
    if kind:
        return kind
    if is_zone(clean, code6 or None):
        return "zone"
    return ""


def _is_unit_named(code: str, name: str) -> bool:
    """True when ``code`` is a unit of today (or of any year) that is called ``name`` (城区 140302)."""
    if not code or len(code) != 6 or not code.isdigit():
        return False
    from countylib.data import crosswalk

    cw = crosswalk.get()
    return any(cw.records[r].name == name for r in cw.by_code.get(code, ())) or cw.reg["name"].get(code) == name


def _scope(kind: str, province: str | None, prefecture: str | None, totals: str | None) -> str:
    if kind == "province_total":
        return province or totals or ""
    if kind == "prefecture_total":
        return prefecture or totals or ""
    if kind == "total":
        return totals or ""
    return ""


def _context(printed: str, previous: str, prefectures: frozenset[str] | None = None) -> str:
    """A row naming a prefecture-level city (郑州市, 一、开封市) starts the block of its counties below it; a
    county-level city (邳州市) does not.

    >>> _context("二、徐州市", ""), _context("邳州市", "徐州市"), _context("合计", "徐州市")
    ('徐州市', '徐州市', '徐州市')
    """
    clean = vocab.clean_name(printed)
    names_ = _prefecture_names() if prefectures is None else prefectures
    return clean if clean in names_ and not vocab.row_label_kind(printed) else previous


def _prefecture_names() -> frozenset[str]:
    from countylib.data import registry

    reg = registry.registry()
    return frozenset(reg.name[reg.level == "prefecture"])


def _repeated_heading(row: list[str], printed: str, mapped: list) -> bool:
    """A heading row printed again inside the table (a page break: 县（市） | 地区生产总值 | …, or 甲 | 1 | 2):
    no figures, the name column's heading, an English heading or column numbers.

    >>> _repeated_heading(["县（市）", "地区生产总值"], "县（市）", [headings.Column(1, "gdp", "gdp")])
    True
    """
    if layout_mod.is_column_numbers(row):
        return True
    figures = any(layout_mod.is_number_cell(row[c.index]) or layout_mod.is_placeholder_cell(row[c.index])
                  for c in mapped)
    name = vocab.normalize(printed)
    return not figures and (bool(vocab.HEADING_LABEL.match(name)) or vocab.is_english_label(printed))


def read_figures_long(source: Source, encoding: str | None = None, name: str | None = None) -> pd.DataFrame:
    """Read a long list of figures, one row per published number (UTF-8 or GBK, detected).

    Required columns: county, year, indicator, value_text, unit. Optional: adcode, province,
    prefecture, url, source_quality, note. A row that cannot be read (a year that is not a whole number
    between 1949 and 2100, more or fewer cells than the header) is set aside with the reason in
    ``.attrs["rejected"]`` (records in the figures layout plus ``reason``; the build lists them in
    rejects.csv); the other rows are read as usual.

    >>> import io
    >>> csv = "county,province,year,indicator,value_text,unit,url\\n巩义市,河南省,2022,gdp,1,亿元,http://x\\n"
    >>> read_figures_long(io.StringIO(csv))[["name", "indicator", "row"]].values.tolist()
    [['巩义市', 'gdp', 2]]
    >>> bad = read_figures_long(io.StringIO(csv + "巩义市,河南省,20222,gdp,1,亿元,http://x\\n")).attrs["rejected"]
    >>> [(r["row"], r["reason"]) for r in bad]
    [(3, "year '20222' is not a whole number between 1949 and 2100")]
    """
    file = name or source_name(source)
    table, rows, ragged = _read_csv_rows(source, encoding, file)
    required = {"county", "year", "indicator", "value_text", "unit"}
    missing = required - set(table.columns)
    if missing:
        raise ReaderError(
            f"{file}: missing column(s) {', '.join(sorted(missing))}; a figures file needs "
            f"{', '.join(sorted(required))}"
        )
    years, year_problem = [], []
    for y in table["year"]:
        try:
            years.append(check_year(y, ""))
            year_problem.append("")
        except ReaderError as exc:
            years.append(0)
            year_problem.append(str(exc).removeprefix(": "))
    kinds = [_row_kind(n, c) for n, c in zip(table["county"], table.get("adcode", pd.Series([""] * len(table))),
                                              strict=True)]
    out = pd.DataFrame({
        "row": rows,
        "name": table["county"],
        "adcode": table.get("adcode", ""),
        "province": table.get("province", ""),
        "prefecture": table.get("prefecture", ""),
        "year": years,
        "indicator": table["indicator"],
        "column": "value_text",
        "value_text": table["value_text"],
        "unit": table["unit"],
        "url": table.get("url", ""),
        "source_quality": table.get("source_quality", ""),
        "note": table.get("note", ""),
        "is_aggregate": False,
        "row_kind": kinds,
        "scope": "",
        "context": "",
    })
    out.loc[out.row_kind == "province_total", "scope"] = out.province
    out = out[FIGURE_COLUMNS + LAYOUT_COLUMNS]
    bad_year = pd.Series(year_problem, index=out.index).ne("")
    rejected = [out[bad_year].assign(reason=pd.Series(year_problem, index=out.index)[bad_year], year=pd.NA)]
    if ragged:
        rejected.append(pd.DataFrame([{"row": r, "reason": why, "name": first} for r, why, first in ragged]))
    out = out[~bad_year].reset_index(drop=True)
    rejected = [r for r in rejected if len(r)]
    set_aside = (pd.concat(rejected, ignore_index=True).reindex(columns=[*FIGURE_COLUMNS, *LAYOUT_COLUMNS, "reason"])
                 .sort_values("row") if rejected else pd.DataFrame())
    if out.empty and rejected:
        raise ReaderError(f"{file}: no row could be read (row {set_aside.row.iloc[0]}: {set_aside.reason.iloc[0]})")
    # records, not a frame: attrs travel through pandas operations, which compare them
    out.attrs["rejected"] = set_aside.astype(object).where(set_aside.notna(), None).to_dict("records")
    return out


def _read_csv_rows(source: Source, encoding: str | None, file: str
                   ) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str, str]]]:
    """(table of the rows whose cells match the header, their 1-based line numbers, rows set aside as
    (line, reason, first cell)). Every cell is text; blank lines are skipped; empty and header-only files
    are errors."""
    import csv
    import io

    text, _ = read_text(source, encoding, file)
    if not text.strip():
        raise ReaderError(f"{file}: the file is empty")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    good, lines, ragged = [], [], []
    start = 2
    for record in reader:
        line = start
        start = reader.line_num + 1
        if not any(c.strip() for c in record):
            continue
        if len(record) != len(header):
            ragged.append((line, f"the row has {len(record)} cells and the header {len(header)} (a comma inside a "
                                 "value without quotes, or a cell lost?): not read", record[0] if record else ""))
            continue
        good.append(record)
        lines.append(line)
    if not good and not ragged:
        raise ReaderError(f"{file}: header only: no data rows")
    table = pd.DataFrame(good, columns=[h.strip() for h in header], dtype=object)
    return table, np.array(lines, dtype=int), ragged


def _read_csv_table(source: Source, encoding: str | None, file: str) -> pd.DataFrame:
    """A CSV with a header row, every cell as text; empty and header-only files are errors."""
    import io

    text, _ = read_text(source, encoding, file)
    if not text.strip():
        raise ReaderError(f"{file}: the file is empty")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if table.empty:
        raise ReaderError(f"{file}: header only: no data rows")
    return table


def read_county_list(source: Source, encoding: str | None = None, name: str | None = None) -> pd.DataFrame:
    """Read a ranked county list (rank, province, county) as printed.

    >>> import io
    >>> read_county_list(io.StringIO("rank,province,county\\n1,江苏,昆山市\\n")).values.tolist()
    [[2, 1, '江苏', '昆山市']]
    """
    file = name or source_name(source)
    table = _read_csv_table(source, encoding, file)
    missing = {"rank", "county"} - set(table.columns)
    if missing:
        raise ReaderError(f"{file}: a county list needs columns rank and county (missing {missing})")
    return pd.DataFrame({
        "row": np.arange(2, len(table) + 2),
        "rank": pd.to_numeric(table["rank"], errors="coerce").astype("Int64"),
        "province": table.get("province", ""),
        "county": table["county"],
    })
