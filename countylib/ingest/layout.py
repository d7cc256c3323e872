"""The layout of a yearbook sheet: where the title, the 单位 line, the headings and the figures are.

Real sheets put a title row above the headings (``21-2 各县（市）主要经济指标（2022年）``), a line
``单位：万元`` above or below it, one or more Chinese heading rows with merged group headings
(``地区生产总值`` over ``总量 | 比上年增长(%)``), an English row (``Region | Gross Regional Product``), and
a unit row (``（万元）| （万人）| (%)``) before the first row of figures. :func:`analyse` finds each of
these — the sheet's geometry — and hands each column's heading parts to :mod:`countylib.ingest.headings`,
which gives it an indicator (or the reason it has none) and a unit, telling where the unit came from. A
money or population column whose unit is written nowhere is an error: the sidecar must say it
(``reader: units:``).

>>> from countylib.ingest.sheets import Sheet
>>> rows = [["21-2 各县（市）主要经济指标（2022年）", "", ""], ["单位：万元", "", ""],
...         ["地区", "地区生产总值", ""], ["", "总量", "比上年增长(%)"], ["巩义市", "9625800", "4.1"]]
>>> lay = analyse(Sheet(rows, "t.csv"))
>>> [(c.indicator, c.unit, c.unit_source) for c in lay.columns]
[('gdp', '万元', '单位 line'), ('gdp_growth', '%', 'heading')]
>>> lay.header_rows, lay.title_year
(4, 2022)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from countylib import caches, vocab
from countylib.data import indicators
from countylib.ingest.headings import (
    YEAR_HEADING,
    Column,
    cell_unit,
    column,
    growth_beside_level,
    map_heading,
    same_indicator_twice,
    strip_units,
    unit_line_units,
)
from countylib.ingest.sheets import ReaderError, Sheet

#: A table-wide unit line: 单位：万元, 金额单位：万元, 计量单位：万元、万人 (one unit per dimension).
UNIT_LINE = re.compile(r"^(?:金额|计量|货币|价值|价格|数量|人口)?单位[:：]?\s*(?P<unit>\S.*)$")


_CODE_HEADING = ("代码", "编码", "区划码", "code")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Layout:
    """Where things are in a sheet (0-based rows and columns)."""

    header_rows: int
    name_col: int
    code_col: int | None
    #: Columns left of the name column holding names only (prefectures in the first column, their counties
    #: in the second): a row whose name cell is empty takes its name from them.
    label_cols: list[int] = field(default_factory=list)
    title: str = ""
    title_year: int | None = None
    table_unit: str = ""
    table_units: list[str] = field(default_factory=list)  # every unit of the 单位 line (万元、万人、%)
    unit_row: int | None = None
    english_rows: list[int] = field(default_factory=list)
    label_rows: list[int] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    @property
    def mapped(self) -> list[Column]:
        return [c for c in self.columns if c.indicator]

    @property
    def unmapped(self) -> list[Column]:
        return [c for c in self.columns if not c.indicator and c.problem != "empty column"]


# ------------------------------------------------------------------------------------------------------
# Cell kinds
# ------------------------------------------------------------------------------------------------------


def is_number_cell(text: str) -> bool:
    """A cell that holds a figure (a number, possibly with marker words or a multiplier).

    >>> is_number_cell("1,234.5"), is_number_cell("约320"), is_number_cell("3.2亿"), is_number_cell("2022年")
    (True, True, True, False)
    """
    t = vocab.clean_number_text(text)
    if not t or not re.search(r"\d", t):
        return False
    t = vocab.MARKER_PATTERN.sub("", t)
    t = re.sub(r"^[¥￥]", "", t)
    return bool(re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:万亿|亿|万|千)?%?", t))


def is_placeholder_cell(text: str) -> bool:
    """A cell that stands for a missing or masked figure (…, —, -, X, *).

    >>> is_placeholder_cell("…"), is_placeholder_cell("X"), is_placeholder_cell("巩义市")
    (True, True, False)
    """
    t = vocab.clean_number_text(text)
    return bool(t) and bool(vocab.MISSING.match(t) or vocab.MASKED.match(t))


def heading_text(cell: str) -> str:
    """A heading cell without its English lines (bilingual cells put them under the Chinese).

    >>> heading_text("地区生产总值\\nGross Regional Product"), heading_text("比上年增长(%) Growth (%)")
    ('地区生产总值', '比上年增长(%)')
    >>> heading_text("地区生产总值（亿元） Gross Regional Product (100 million yuan)"), heading_text("GDP")
    ('地区生产总值（亿元）', 'GDP')
    """
    lines = [_ENGLISH_AFTER.sub("", ln.strip()) for ln in re.split(r"[\r\n]+", cell) if ln.strip()]
    kept = [ln for ln in lines if not vocab.is_english_label(ln) or indicators.key_for(ln)]
    return "".join(kept)


# An English heading after the Chinese one on the same line (HTML tables copied into a sheet lose the break).
_ENGLISH_AFTER = re.compile(r"(?<=[\u4e00-\u9fff)）%])\s+[A-Za-z][A-Za-z0-9\s'’.,:()\-/%&]*$")


def printed_name(cell: str) -> str:
    """A row label without an English gloss after it (``郑州市 Zhengzhou`` -> ``郑州市``).

    >>> printed_name("郑州市\\nZhengzhou"), printed_name("　巩 义 市")
    ('郑州市', '　巩 义 市')
    """
    lines = [ln for ln in re.split(r"[\r\n]+", cell) if ln.strip()]
    kept = [ln for ln in lines if not vocab.is_english_label(ln)] or lines[:1]
    text = "".join(kept)
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+[A-Za-z][A-Za-z\s'’.\-]*$", "", text)


_CODE_BEFORE_NAME = re.compile(r"^\s*(?P<code>\d{6}(?:\d{3}|\d{6})?)\s*(?P<name>[^\d\s].*)$")


def untranspose(sheet: Sheet) -> Sheet | None:
    """The sheet turned so that units are rows, when it prints them as columns (指标名称 | 计量单位 | 巩义市 |
    荥阳市, one row per indicator); None when it does not. Rows above the heading (title, 单位 line) stay on
    top; notes under the table are dropped.

    >>> rows = [["指标", "计量单位", "巩义市", "荥阳市"], ["地区生产总值", "亿元", "962.58", "810.33"],
    ...         ["年末常住人口", "万人", "81.36", "69.85"]]
    >>> untranspose(Sheet(rows, "t.csv")).cells
    [['指标', '地区生产总值', '年末常住人口'], ['计量单位', '亿元', '万人'], ['巩义市', '962.58', '81.36'], ['荥阳市', '810.33', '69.85']]
    """
    cells = sheet.cells
    for i, row in enumerate(cells[:20]):
        places = [c for c in row[1:] if c and _is_place_heading(c)]
        if len(places) < 2 or len(places) < (len([c for c in row[1:] if c]) + 1) // 2:
            continue
        body = [r for r in cells[i + 1:] if any(r[1:])]
        indicators_below = sum(map_heading(strip_units([heading_text(r[0])])[0])[0] is not None for r in body if r[0])
        if indicators_below < 2:
            return None
        numbers = [i] + [k for k in range(i + 1, len(cells)) if any(cells[k][1:])]
        block = [cells[k] for k in numbers]
        turned = [[r[j] for r in block] for j in range(sheet.width)]
        width = len(block)
        top = [(r + [""] * width)[:width] for r in cells[:i]]
        keep = [j for j, t in enumerate(turned) if any(t)]
        rows = top + [turned[j] for j in keep]
        merged = [(c0 + len(top), numbers.index(r0), c1 + len(top), numbers.index(r1))
                  for r0, c0, r1, c1 in sheet.merged if r0 in numbers and r1 in numbers and c1 < len(keep)]
        file_rows = [[k + 1] * width for k in range(i)] + [[k + 1 for k in numbers] for _ in keep]
        return Sheet(rows, sheet.name, merged, sheet.encoding, file_rows=file_rows,
                     arranged="printed with units as columns: read turned")
    return None


def unpanel(sheet: Sheet) -> Sheet | None:
    """The sheet with panels printed side by side (地区 | 地区生产总值 | 地区 | 地区生产总值, the second half of
    the units to the right of the first) stacked one under the other; None when it has one panel. Heading
    rows are the first panel's (a 单位 line printed over a later panel is kept).

    >>> rows = [["地区", "地区生产总值（亿元）", "地区", "地区生产总值（亿元）"], ["巩义市", "962.58", "荥阳市", "810.33"],
    ...         ["新郑市", "1401.35", "", ""]]
    >>> unpanel(Sheet(rows, "t.csv")).cells
    [['地区', '地区生产总值（亿元）'], ['巩义市', '962.58'], ['新郑市', '1401.35'], ['荥阳市', '810.33']]
    """
    cells = sheet.cells
    try:
        start = first_data_row(cells, sheet.name)
    except ReaderError:
        return None
    name_col, _ = find_name_and_code_columns(cells, start)
    body = [r for r in cells[start:] if any(r)]
    above = _fill_merged(sheet, start)
    head = [next((heading_text(r[j]) for r in reversed(above) if r[j]), "") for j in range(sheet.width)]
    offset = None
    for j in range(name_col + 2, sheet.width):
        col = [r[j] for r in body if r[j]]
        names = [c for c in col if _CJK.search(c) and not is_number_cell(c) and not is_placeholder_cell(c)]
        same_heading = bool(head[j]) and vocab.normalize(head[j]) == vocab.normalize(head[name_col])
        if names and len(names) >= 0.6 * len(col) and (
                same_heading or (len(names) >= 2 and sum(_is_place_heading(c) for c in names) >= 0.5 * len(names))):
            offset = j - name_col
            break
    if offset is None:
        return None
    panels = range(0, sheet.width, offset)
    top = []
    for r in cells[:start]:
        row = r[:offset] + [""] * (offset - len(r[:offset]))
        lines = [c for c in r[offset:] if UNIT_LINE.match(vocab.normalize(c))]
        if lines and not any(UNIT_LINE.match(vocab.normalize(c)) for c in row):
            empty = [k for k in range(offset - 1, -1, -1) if not row[k]]
            if empty:
                row[empty[0]] = lines[0]
        top.append(row)
    rows, file_rows = list(top), [[i + 1] * offset for i in range(start)]
    for p0 in panels:
        for i in range(start, len(cells)):
            part = cells[i][p0:p0 + offset]
            part = part + [""] * (offset - len(part))
            if any(part):
                rows.append(part)
                file_rows.append([i + 1] * offset)
    merged = [m for m in sheet.merged if m[0] < start and m[3] < offset]
    return Sheet(rows, sheet.name, merged, sheet.encoding, file_rows=file_rows,
                 arranged=f"printed in {len(panels)} panels side by side: read one under the other")


def _is_place_heading(cell: str) -> bool:
    """A column heading that names a place or a total (巩义市, 全市, 市区), as in a table printed with units as
    columns."""
    text = vocab.clean_name(heading_text(cell) or cell)
    if vocab.row_label_kind(text):
        return True
    return text in _place_names()


@caches.memo(None)
def _place_names() -> frozenset[str]:
    """Every name and short name of the registry (made once: the registry itself is read once)."""
    from countylib.data import registry

    reg = registry.registry()
    return frozenset(reg.name) | frozenset(reg.short_name.dropna())


def split_code(cell: str) -> tuple[str, str]:
    """(code, name) of a row label that prints the 区划代码 before the name in one cell; ('', label) otherwise.

    >>> split_code("410181 巩义市"), split_code("410182000000滎陽市"), split_code("巩义市")
    (('410181', '巩义市'), ('410182000000', '滎陽市'), ('', '巩义市'))
    """
    m = _CODE_BEFORE_NAME.match(cell)
    if m and _CJK.search(m.group("name")):
        return m.group("code"), m.group("name").strip()
    return "", cell


# ------------------------------------------------------------------------------------------------------
# Analysis
# ------------------------------------------------------------------------------------------------------


def analyse(sheet: Sheet, name_col: int | None = None, code_col: int | None = None, header_rows: int | None = None,
            units: dict[str, str] | None = None, year: int | None = None) -> Layout:
    """The layout of ``sheet``; raises :class:`ReaderError` naming the file when it cannot be followed."""
    cells = sheet.cells
    start = header_rows if header_rows is not None else first_data_row(cells, sheet.name)
    if start >= len(cells):
        raise ReaderError(f"{sheet.name}: header only: no data rows after row {start}")
    body = cells[start:]
    given_name = name_col is not None
    if name_col is None or code_col is None:
        found_name, found_code = find_name_and_code_columns(cells, start)
        name_col = found_name if name_col is None else name_col
        code_col = found_code if code_col is None and found_code != name_col else code_col
    text_cols = _name_columns(body, code_col)
    if not given_name and name_col in text_cols:
        name_col = _most_specific(body, text_cols)
    head = _fill_merged(sheet, start)
    lay = Layout(header_rows=start, name_col=name_col, code_col=code_col)
    _classify_header_rows(head, lay)
    labels = _labels(head, lay, merged=any(r0 < start for r0, _, _, _ in sheet.merged))
    unit_cells = head[lay.unit_row] if lay.unit_row is not None else [""] * sheet.width
    lay.label_cols = [j for j in text_cols if j != name_col] if name_col in text_cols else []
    for j in range(sheet.width):
        if j in (name_col, code_col) or j in lay.label_cols:
            continue
        if not any(r[j] for r in body):
            lay.columns.append(Column(j, "_".join(labels[j]) or f"col{j + 1}", problem="empty column"))
            continue
        lay.columns.append(column(j, labels[j], unit_cells[j], lay.table_units, units or {}, sheet.name))
    growth_beside_level(lay.columns, labels, unit_cells)
    same_indicator_twice(lay.columns)
    return lay


def _name_columns(body: list[list[str]], code_col: int | None) -> list[int]:
    """The leading columns of the body that hold names only (text, no figures), before the first column of
    figures: a prefecture column beside a county column, or the county column alone."""
    out = []
    for j in range(len(body[0]) if body else 0):
        if j == code_col:
            continue
        col = [r[j] for r in body if r[j]]
        if not col:
            continue
        if not all(_CJK.search(c) and not is_number_cell(c) and not is_placeholder_cell(c) for c in col):
            break
        out.append(j)
    return out


def _most_specific(body: list[list[str]], cols: list[int]) -> int:
    """Of several name columns, the one naming the most different places (the counties, not the prefecture
    repeated beside each of them); the first of equals."""
    return max(cols, key=lambda j: (len({r[j] for r in body if r[j]}), -j))


def first_data_row(cells: list[list[str]], name: str) -> int:
    """Index of the first row of figures: a label (name or code) followed by mostly numbers. Rows that only
    look so are heading rows: a row of column numbers (甲 | 1 | 2 | 3), a row of years (地区 | 2021 | 2022,
    the name column's heading beside numbers), and a row with headings under it (2021 over 地区生产总值).

    >>> first_data_row([["表1", ""], ["地区", "GDP"], ["", "万元"], ["甲", "1"], ["巩义市", "1"]], "t")
    4
    >>> first_data_row([["", "地区生产总值（亿元）", ""], ["地区", "2021", "2022"], ["巩义市", "921.6", "962.58"]], "t")
    2
    """
    for i, row in enumerate(cells):
        labels = [j for j, c in enumerate(row) if c and (_CJK.search(c) or vocab.PRINTED_CODE.match(c)) and not is_number_cell(c)]
        if not labels:
            continue
        first_figure = next((j for j, c in enumerate(row) if is_number_cell(c) and j > labels[0]), len(row))
        label_end = max(j for j in labels if j < first_figure) if labels[0] < first_figure else labels[0]
        after = [c for c in row[labels[0] + 1:] if c]
        numbers = [c for c in after if is_number_cell(c)]
        if not numbers or is_column_numbers(row) or is_year_row(row):
            continue
        if vocab.HEADING_LABEL.match(vocab.normalize(row[labels[0]])) or _headings_below(cells, i, label_end):
            continue
        figures = sum(is_number_cell(c) or is_placeholder_cell(c) for c in after)
        if figures >= max(1, (len(after) + 1) // 2):
            return i
    raise ReaderError(f"{name}: no data row found: no row has a name followed by mostly numbers "
                      "(is the file empty or header only?)")


def is_year_row(row: list[str]) -> bool:
    """A heading row of years (2021 | 2022, 2021年 | 2022年): two or more, every one a year, increasing.

    >>> is_year_row(["", "2021", "2022"]), is_year_row(["巩义市", "921.6", "962.58"]), is_year_row(["x", "2022"])
    (True, False, False)
    """
    filled = [vocab.normalize(c) for c in row if c]
    years = [int(c[:4]) for c in filled if YEAR_HEADING.fullmatch(c) and 1949 <= int(c[:4]) <= 2100]
    others = [c for c in filled if not YEAR_HEADING.fullmatch(c)]
    return len(years) >= 2 and years == sorted(set(years)) and len(others) <= 1


def _headings_below(cells: list[list[str]], i: int, label_col: int) -> bool:
    """Whether the next non-empty row holds headings (text that is no figure) in most of its value cells."""
    for row in cells[i + 1:]:
        after = [c for c in row[label_col + 1:] if c]
        if not any(row):
            continue
        if not after:
            return False
        text = [c for c in after if _CJK.search(c) and not is_number_cell(c) and not is_placeholder_cell(c)]
        return len(text) >= max(1, (len(after) + 1) // 2)
    return False


def is_column_numbers(row: list[str]) -> bool:
    """A row numbering the columns (甲 | 乙 | 1 | 2 | 3), printed under the headings of many tables.

    >>> is_column_numbers(["甲", "1", "2", "3"]), is_column_numbers(["巩义市", "1", "2", "3"])
    (True, False)
    """
    filled = [vocab.normalize(c) for c in row if c]
    nums = [c for c in filled if c.isdigit()]
    marks = [c for c in filled if not c.isdigit()]
    numbered = bool(nums) and nums == [str(k) for k in range(1, len(nums) + 1)]
    return numbered and (len(nums) >= 2 or bool(marks)) and all(
        c in ("甲", "乙", "丙", "栏次", "序号", "A", "B") for c in marks)


def find_name_and_code_columns(cells: list[list[str]], start: int) -> tuple[int, int | None]:
    """(name column, code column or None) from the body: names are Chinese text, codes 6 or 12 digits."""
    body = [r for r in cells[start:] if any(r)]
    width = len(cells[0])
    name_col, code_col = 0, None
    best = -1.0
    for j in range(min(width, 4)):
        col = [r[j] for r in body if r[j]]
        if not col:
            continue
        cjk = sum(bool(_CJK.search(c)) and not is_number_cell(c) for c in col) / len(body)
        if cjk > best + 1e-9 and cjk >= 0.5:
            best, name_col = cjk, j
            break
    for j in range(min(width, 4)):
        col = [r[j] for r in body if r[j]]
        if j != name_col and col and sum(bool(vocab.PRINTED_CODE.match(c)) for c in col) >= 0.8 * len(col):
            heading = "".join(r[j] for r in cells[:start]).lower()
            if any(w in heading for w in _CODE_HEADING) or j < name_col:
                code_col = j
                break
    return name_col, code_col


def _fill_merged(sheet: Sheet, start: int) -> list[list[str]]:
    """Header rows with merged ranges filled in (a group heading stands over every column it spans)."""
    head = [list(r) for r in sheet.cells[:start]]
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= start:
            continue
        value = sheet.cells[r0][c0] if r0 < len(sheet.cells) and c0 < sheet.width else ""
        for r in range(r0, min(r1, start - 1) + 1):
            for c in range(c0, min(c1, sheet.width - 1) + 1):
                head[r][c] = value
    return head


def _classify_header_rows(head: list[list[str]], lay: Layout) -> None:
    """Title rows, 单位 lines, the unit row and English rows are told apart from heading rows."""
    for i, row in enumerate(head):
        for j, c in enumerate(row):
            m = UNIT_LINE.match(vocab.normalize(c))
            if m:
                found = unit_line_units(m.group("unit"))
                if found:
                    lay.table_units = found
                    lay.table_unit = "、".join(found)
                row[j] = ""
        filled = [c for c in row if c]
        values = {c for c in row if c}
        rest = [c for j, c in enumerate(row) if c and j not in (lay.name_col, lay.code_col)]
        if not filled or is_column_numbers(row):
            continue
        at = next(j for j, c in enumerate(row) if c)
        if len(values) == 1 and len(row) >= 2 and not lay.label_rows and len(filled) in (1, len(row)) and (
                at <= lay.name_col or len(filled) == len(row)) and (
                len(vocab.normalize(filled[0])) >= 6 or vocab.title_year(filled[0]) or "表" in filled[0]):
            lay.title = (lay.title + " " + filled[0]).strip()
            lay.title_year = lay.title_year or vocab.title_year(filled[0])
            continue
        if rest and sum(bool(cell_unit(c)) for c in rest) >= max(1, (len(rest) + 1) // 2):
            lay.unit_row = i
            continue
        if sum(vocab.is_english_label(c) for c in filled) >= max(1, (len(filled) + 1) // 2):
            lay.english_rows.append(i)
            continue
        lay.label_rows.append(i)


def _labels(head: list[list[str]], lay: Layout, merged: bool) -> list[list[str]]:
    """Heading parts of every column, top to bottom. Without merged ranges (CSV), a group heading written
    once stands over the empty cells to its right that have a heading below them."""
    width = len(head[0]) if head else 0
    rows = [[heading_text(c) for c in head[i]] for i in lay.label_rows]
    if not merged:
        for k in range(len(rows) - 1):
            row, below = rows[k], rows[k + 1]
            for j in range(1, width):
                if not row[j] and row[j - 1] and below[j] and j - 1 not in (lay.name_col, lay.code_col):
                    row[j] = row[j - 1]
    labels = []
    for j in range(width):
        parts: list[str] = []
        for row in rows:
            if row[j] and row[j] not in parts:
                parts.append(row[j])
        labels.append(parts)
    return labels


