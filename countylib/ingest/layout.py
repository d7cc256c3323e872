"""The layout of a yearbook sheet: where the headings end, which column is which indicator, in which unit.

Real sheets put a title row above the headings (``21-2 各县（市）主要经济指标（2022年）``), a line
``单位：万元`` above or below it, one or more Chinese heading rows with merged group headings
(``地区生产总值`` over ``总量 | 比上年增长(%)``), an English row (``Region | Gross Regional Product``), and
a unit row (``（万元）| （万人）| (%)``) before the first row of figures. :func:`analyse` finds each of
these and gives every column an indicator (or the reason it has none) and a unit, telling where the unit
came from. A money or population column whose unit is written nowhere is an error: the sidecar must
say it (``reader: units:``).

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
from countylib.ingest import units as units_mod
from countylib.ingest.sheets import ReaderError, Sheet

HEADER_UNIT = re.compile(r"[（(\[【]\s*(?:单位[:：]?)?\s*([^()（）\[\]【】]+?)\s*[)）\]】]\s*$")
_CODE_HEADING = ("代码", "编码", "区划码", "code")
_SUBSCOPE = {"城镇": "_urban", "农村": "_rural", "城镇居民": "_urban", "农村居民": "_rural", "城镇常住居民": "_urban",
             "农村常住居民": "_rural", "全体居民": "", "全体": ""}
_CJK = re.compile(r"[\u4e00-\u9fff]")
NO_GROWTH_GROUP = "a growth column without an indicator heading above it"
_YEAR_HEADING = re.compile(r"(?:19|20)\d{2}(?:\.0)?(?:年度?)?(?:末)?")


@dataclass
class Column:
    """One column of figures: its heading as printed, the indicator it carries and its unit."""

    index: int
    label: str
    indicator: str | None = None
    unit: str = ""
    unit_source: str = ""
    problem: str = ""
    year: int | None = None  # a column headed by a year (地区生产总值 over 2021年 | 2022年)


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


def cell_unit(text: str) -> str:
    """The unit a cell states on its own (``（万元）``, ``单位：万人``, ``%``), or ''.

    >>> cell_unit("（万元）"), cell_unit("单位：亿元"), cell_unit("(%)"), cell_unit("地区")
    ('万元', '亿元', '%', '')
    """
    u = units_mod.normalize_unit(text)
    return u if u in units_mod.UNITS else ""


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
        indicators_below = sum(map_heading(_strip_units([heading_text(r[0])])[0])[0] is not None for r in body if r[0])
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
        lines = [c for c in r[offset:] if vocab.UNIT_LINE.match(vocab.normalize(c))]
        if lines and not any(vocab.UNIT_LINE.match(vocab.normalize(c)) for c in row):
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
        lay.columns.append(_column(j, labels[j], unit_cells[j], lay.table_units, units or {}, sheet.name))
    _growth_beside_level(lay.columns, labels, unit_cells)
    _same_indicator_twice(lay.columns)
    return lay


def _same_indicator_twice(columns: list[Column]) -> None:
    """Two columns giving the same indicator for the same year (two panels side by side not told apart, or two
    measures of one quantity): which is which cannot be told, so neither is read."""
    seen: dict[tuple[str, int | None], list[Column]] = {}
    for col in columns:
        if col.indicator:
            seen.setdefault((col.indicator, col.year), []).append(col)
    for (key, _), cols in seen.items():
        if len(cols) < 2:
            continue
        for col in cols:
            others = ", ".join(repr(c.label) for c in cols if c is not col)
            col.problem = (f"{key} also in column {others}: two columns give one indicator for one year; "
                           "split the table or set `header_rows`/`name_col` in the sidecar")
            col.indicator = None


def _growth_beside_level(columns: list[Column], labels: list[list[str]], unit_cells: list[str]) -> None:
    """A growth column printed right after a level column under the same group headings (地区生产总值 | 增长,
    社会消费品零售总额 | 增长) is that indicator's growth, as a reader of the table takes it."""
    by_index = {c.index: c for c in columns}
    for col in columns:
        if col.indicator or col.problem != NO_GROWTH_GROUP:
            continue
        left = by_index.get(col.index - 1)
        if left is None or left.indicator is None or labels[left.index][:-1] != labels[col.index][:-1]:
            continue
        if indicators.get(left.indicator).kind not in ("level", "count"):
            continue
        growth = growth_indicator(left.indicator)
        if growth is None:
            col.problem = (f"growth of {indicators.get(left.indicator).name_zh} ({left.indicator}), the column before "
                           "it: the registry has no growth indicator for it")
            continue
        printed = [(u, w) for u, w in ((_strip_units(labels[col.index][-1:])[1], "heading"),
                                        (cell_unit(unit_cells[col.index]), "unit row")) if u]
        if printed and units_mod.dimension(printed[0][0]) != "ratio":
            col.problem = f"{printed[0][1]} prints {printed[0][0]}: an increase, not a growth rate"
            continue
        col.indicator, col.problem, col.year = growth, "", left.year
        col.unit, col.unit_source = printed[0] if printed else ("%", "assumed")


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
    years = [int(c[:4]) for c in filled if _YEAR_HEADING.fullmatch(c) and 1949 <= int(c[:4]) <= 2100]
    others = [c for c in filled if not _YEAR_HEADING.fullmatch(c)]
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
            m = vocab.UNIT_LINE.match(vocab.normalize(c))
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


def unit_line_units(text: str) -> list[str]:
    """The units a 单位 line names, at most one per dimension (several of one dimension say nothing).

    >>> unit_line_units("万元"), unit_line_units("万元、万人、%"), unit_line_units("万元，亿元")
    (['万元'], ['万元', '万人', '%'], [])
    """
    parts = [cell_unit(p) for p in vocab.UNIT_LINE_SEPARATORS.split(text) if p.strip()]
    if not parts or not all(parts):
        return []
    dims = [units_mod.dimension(u) for u in parts]
    return [] if len(set(dims)) != len(dims) else parts


def _column(j: int, parts: list[str], unit_cell: str, table_units: list[str], sidecar: dict[str, str],
            file: str) -> Column:
    """Indicator and unit of one column; raises when a money or population column has no unit.

    A unit printed for the column itself (in its own heading or in the unit row) that does not fit the
    indicator leaves the column unmapped (a % under 第一产业 is a share, not value added); a group heading's
    unit of another dimension is the group's level column's, and is passed over for its rates and shares.
    """
    label = "_".join(parts) or f"col{j + 1}"
    bare, heading_unit = _strip_units(parts)
    year, bare, problem = _heading_year(bare)
    if problem:
        return Column(j, label, None, problem=problem)
    key, problem = map_heading(bare)
    col = Column(j, label, key, problem=problem, year=year)
    if key is None:
        return col
    canonical = indicators.get(key).unit
    dim = units_mod.dimension(canonical)
    leaf_unit = _strip_units(parts[-1:])[1] if parts else ""
    group_unit = heading_unit if heading_unit and not leaf_unit else ""
    found, where = "", ""
    for unit, source, own in ((leaf_unit, "heading", True), (cell_unit(unit_cell), "unit row", True),
                              (group_unit, "heading", False)):
        if not unit:
            continue
        if units_mod.dimension(unit) == dim:
            found, where = unit, source
            break
        if own or dim != "ratio":
            col.indicator = None
            col.problem = (f"{source} prints {unit}, which does not fit {indicators.get(key).name_zh} ({key}, "
                           f"{canonical}); map it with `reader: units:` only if the heading is wrong")
            return col
    given = sidecar.get(key) or sidecar.get(label) or ""
    if given:
        resolved, why = units_mod.resolve_unit(given, canonical)
        if why:
            raise ReaderError(f"{file}: `reader: units:` gives {given!r} for {key}: {why}")
        if found and units_mod.normalize_unit(found) != resolved:
            raise ReaderError(f"{file}: column {label!r} prints its unit as {found} but the sidecar says {given}; "
                              "remove the sidecar entry or correct it")
        found, where = found or resolved, where or "sidecar"
    line = [u for u in table_units if units_mod.dimension(u) == dim]
    if not found and line:
        found, where = line[0], "单位 line"
    if not found and dim in units_mod.UNIT_REQUIRED:
        raise ReaderError(
            f"{file}: column {label!r} ({key}, {dim}) has no unit in its heading, a unit row or a 单位 line; "
            f"add it to the sidecar as `reader: units: {{{key}: {'万人' if dim == 'people' else '万元'}}}` (the unit "
            "printed in the yearbook)"
        )
    if not found:
        found, where = canonical, "assumed"
    col.unit, col.unit_source = found, where
    return col


def _heading_year(bare: list[str]) -> tuple[int | None, list[str], str]:
    """(year, the other parts, problem) of heading parts where one part is a year (2021 over 地区生产总值,
    or 地区生产总值 over 2021年).

    >>> _heading_year(["2021", "地区生产总值"]), _heading_year(["地区生产总值", "2022年"])[0]
    ((2021, ['地区生产总值'], ''), 2022)
    """
    years = {int(p[:4]) for p in bare if _YEAR_HEADING.fullmatch(p)}
    rest = [p for p in bare if not _YEAR_HEADING.fullmatch(p)]
    if not years or not rest:
        return None, bare, ""
    if len(years) > 1:
        return None, rest, f"heading names several years ({', '.join(map(str, sorted(years)))})"
    return years.pop(), rest, ""


def _strip_units(parts: list[str]) -> tuple[list[str], str]:
    """Heading parts without the units written in them, and the unit nearest the leaf."""
    bare, unit = [], ""
    for p in parts:
        p = vocab.normalize(p)
        m = HEADER_UNIT.search(p)
        if m and cell_unit(m.group(1)):
            unit = cell_unit(m.group(1))
            p = p[: m.start()].strip()
        elif p.endswith("%") and vocab.GROWTH_LABEL.search(p):
            unit = "%"
            p = p[:-1]
        elif cell_unit(p):
            unit = cell_unit(p)
            p = ""
        p = re.sub(r"^其中[:：]?", "", p)
        if p:
            bare.append(p)
    return bare, unit


def growth_indicator(key: str) -> str | None:
    """The registry's growth-rate indicator of a level indicator (``gdp`` -> ``gdp_growth``), or None.

    >>> growth_indicator("gdp"), growth_indicator("retail_sales")
    ('gdp_growth', None)
    """
    g = f"{key}_growth"
    return g if g in indicators.registry() else None


def map_heading(parts: list[str]) -> tuple[str | None, str]:
    """(indicator key, '') for heading parts, or (None, why not). A growth heading belongs to the indicator
    of its group and is never guessed; a level word (总量) means the group's indicator; the columns of a
    structure group (三次产业构成) are shares; a group heading that qualifies what is measured (户籍人口 over
    城镇化率, 上年同期 over 地区生产总值) leaves the column unmapped.

    >>> map_heading(["地区生产总值", "比上年增长"]), map_heading(["社会消费品零售总额", "比上年增长"])[0]
    (('gdp_growth', ''), None)
    >>> map_heading(["比上年增长"])
    (None, 'a growth column without an indicator heading above it')
    >>> map_heading(["居民人均可支配收入", "农村"]), map_heading(["地区生产总值", "总量"])
    (('disposable_income_rural', ''), ('gdp', ''))
    >>> map_heading(["三次产业构成", "第一产业"]), map_heading(["户籍人口", "城镇化率"])[0]
    (('share_primary', ''), None)
    """
    parts = [vocab.normalize(p) for p in parts if vocab.normalize(p)]
    if not parts:
        return None, "no heading"
    key, problem = _map_parts(parts)
    if key is None:
        return key, problem
    for g in parts[:-1]:
        own = indicators.key_for(g)
        if any(w in g for w in vocab.QUALIFIER_WORDS) and key not in (own, growth_indicator(own or "")):
            return None, f"{g} over {parts[-1]}: not {indicators.get(key).name_zh} as the registry defines it"
    return key, ""


def _map_parts(parts: list[str]) -> tuple[str | None, str]:
    leaf, groups = parts[-1], parts[:-1]
    if vocab.is_growth_label(leaf):
        return _growth_of(_group_indicator(groups), groups, NO_GROWTH_GROUP)
    if any(w in g for g in groups for w in vocab.STRUCTURE_WORDS):
        return _share_of(leaf, next(g for g in groups if any(w in g for w in vocab.STRUCTURE_WORDS)))
    if leaf in vocab.LEVEL_WORDS:
        base = _group_indicator(groups)
        return (base, "") if base else (None, f"{leaf} under a heading that is not an indicator")
    if any(vocab.is_growth_label(g) for g in groups):  # 比上年增长 over 地区生产总值 | 社会消费品零售总额
        return _growth_of(indicators.key_for(leaf), [leaf], f"{leaf}: growth of an unknown indicator")
    whole = indicators.key_for("".join(parts))
    if whole:
        return whole, ""
    for g in reversed(groups):  # 城镇 under 年末常住人口 (常住人口): 城镇常住人口
        own = indicators.key_for(g)
        for joined in (leaf + g, leaf + indicators.get(own).name_zh if own else ""):
            if joined and indicators.key_for(joined):
                return indicators.key_for(joined), ""
    direct = indicators.key_for(leaf)
    if direct:
        return direct, ""
    if leaf in _SUBSCOPE:
        base = _group_indicator(groups)
        sub = f"{base}{_SUBSCOPE[leaf]}" if base else None
        if sub in indicators.registry():
            return sub, ""
        return None, f"{leaf} of {groups[-1] if groups else '?'}: no such indicator in the registry"
    m = vocab.GROWTH_LABEL.search(leaf)
    if m and m.start() > 0:
        base = indicators.key_for(leaf[: m.start()])
        return _growth_of(base, [leaf[: m.start()]], f"{leaf}: growth of an unknown indicator")
    return None, "heading not in the indicator registry"


def _share_of(leaf: str, group: str) -> tuple[str | None, str]:
    """The share indicator of a column under a structure heading (三次产业构成 over 第一产业 -> share_primary)."""
    base = indicators.key_for(leaf)
    names = [leaf] + ([indicators.get(base).name_zh] if base else [])
    for name in names:
        for suffix in ("比重", "占比"):
            key = indicators.key_for(name + suffix)
            if key and indicators.get(key).kind == "share":
                return key, ""
    return None, f"{leaf} under {group}: a share, and the registry has no share indicator for it"


def _group_indicator(groups: list[str]) -> str | None:
    for g in reversed(groups):
        key = indicators.key_for(g)
        if key:
            return key
    return None


def _growth_of(base: str | None, groups: list[str], missing: str) -> tuple[str | None, str]:
    if base is None:
        return None, missing if not groups else f"growth of {groups[-1]}: not an indicator in the registry"
    g = growth_indicator(base)
    if g:
        return g, ""
    return None, f"growth of {indicators.get(base).name_zh} ({base}): the registry has no growth indicator for it"
