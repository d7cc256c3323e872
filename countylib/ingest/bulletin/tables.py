"""Figures in tables that lost their layout: one cell per line, ``|``-separated rows or cells, rows of
a label and numbers separated by spaces.

A table is a run of short lines (cells). Its unit comes from a ``单位：万元`` line, a column heading
(``绝对数(亿元)``, ``年末数(人)``) or the label (``地区生产总值(万元)``); without a unit nothing is taken.
A row is a label cell that is exactly a registry wording (after ``其中:``, ``#``, 全县) followed by its
numbers: the level column (绝对数, 总量, 年末数 …, or the first) and, for GDP only, the growth column
(比上年增长). The title above the table can change whose figures they are (户籍人口数及构成: the
城镇人口 row is the registered population's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import countylib.ingest.bulletin.patterns as pt
import countylib.ingest.bulletin.scope as sc
from countylib.ingest import units
from countylib.ingest.bulletin.prose import Candidate, Doc

_NUM = re.compile(r"-?\d+(?:\.\d+)?%?|[xX*]{1,6}")
_UNIT_ANYWHERE = re.compile(r"(?:计量)?单位\s?:\s?(?P<u>[^、,\s|]+)")
_HEAD_UNIT = re.compile(r"\((?P<u>[^()]{1,6})\)\s?$|\((?P<u2>[^()]{1,6})\)")
_LEVEL_HEAD = re.compile(r"绝\s?对\s?数|总\s?量|数\s?值|年末数|本年|金额|实绩|实际|完成数?|现行价格?|现价|当年价|增加值|"
                         r"(?:19|20)\d\d年(?:末)?(?:数)?$")
_PLAN_HEAD = re.compile(r"计划|目标|预期|预计")
_GROWTH_HEAD = re.compile(r"增长|增速|增减|增幅|比上年|同比|±")
_YEAR_HEAD = re.compile(r"^((?:19|20)\d\d)年?(?:末|底)?(?:数|值)?(?:\(.*\))?$")
_LABEL_HEAD = re.compile(r"^(?:指\s?标|项\s?目|名\s?称|产品名称|品\s?名|类\s?别)")
_ROW_FOOTNOTE = re.compile(r"[(\[【]\d{1,2}[)\]】]$")  # 第一产业(3): a footnote mark after the row label
_ROW_PREFIX = re.compile(r"^(?:其中\s?[:：]?|#|\*|\s)+")
_SPACE_ROW = re.compile(rf"^(?P<label>[^\d|]{{2,24}}?)\s?(?P<nums>(?:{_NUM.pattern})(?:\s(?:{_NUM.pattern}))*)$")
_MAX_CELL = 40


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int
    line: int = -1  # the line of a row of several cells (地区生产总值 | 230.5 | 4.2); -1 for a cell alone on its line

    @property
    def is_number(self) -> bool:
        return _NUM.fullmatch(self.text) is not None


def _cells(t: str) -> Iterator[list[Cell]]:
    """Runs of two cells or more, in text order (a prose line ends a run)."""
    runs: list[list[Cell]] = [[]]
    pos = 0
    for number, line in enumerate(t.split("\n")):
        start, pos = pos, pos + len(line) + 1
        first = len(runs[-1])
        if len(runs) > 1:  # only the last run can still grow
            yield from (r for r in runs[:-1] if len(r) >= 2)
            del runs[:-1]
        stripped = line.strip()
        if not stripped:
            continue
        if "|" not in stripped and (len(stripped) > 120 or "。" in stripped or
                                    ("," in stripped and len(stripped) > _MAX_CELL)):
            runs.append([])
            continue
        parts = [(m.group(0), start + m.start()) for m in re.finditer(r"[^|]+", line)] if "|" in line else \
            [(line, start)]
        for text, at in parts:
            if "|" in line and "。" in text:  # a table glued to the end of a paragraph: keep its first cell
                cut = text.rfind("。") + 1
                text, at = text[cut:], at + cut
            text_s = text.strip()
            if not text_s:
                continue
            at += len(text) - len(text.lstrip())
            m = _SPACE_ROW.match(text_s) if "|" not in line else None
            if m and len(m.group("nums").split()) >= 1 and not _NUM.fullmatch(text_s):
                runs[-1].append(Cell(m.group("label").strip(), at, at + m.end("label")))
                for n in re.finditer(r"\S+", m.group("nums")):
                    runs[-1].append(Cell(n.group(0), at + m.start("nums") + n.start(), at + m.start("nums") + n.end()))
            elif len(text_s) <= _MAX_CELL:
                runs[-1].append(Cell(text_s, at, at + len(text_s)))
            elif (u := _UNIT_ANYWHERE.search(text_s)) and "。" not in text_s:  # 表1 …构成 单位:亿元 指标名称
                runs.append([Cell(text_s[:u.start()].strip(), at, at + u.start()),
                             Cell(u.group(0), at + u.start(), at + u.end())])
            else:
                runs.append([])
        if len(runs[-1]) - first >= 2:  # a row of cells: its numbers are its own, not the next row's
            for cell in runs[-1][first:]:
                cell.line = number
    yield from (r for r in runs if len(r) >= 2)


def _unit_of(text: str) -> str | None:
    u = units.normalize_unit(text)
    return u if u in units.UNITS else None


def read(doc: Doc, mapped) -> list[Candidate]:
    """Candidates from every table in the document."""
    t = doc.text
    if "|" not in t and "\n" not in t:
        return []
    out: list[Candidate] = []
    for run in _cells(t):
        out.extend(_read_run(doc, run))
    return out


def _read_run(doc: Doc, run: list[Cell]) -> list[Candidate]:
    t = doc.text
    unit: str | None = None
    columns: list[str] = []  # value-column headings, in order
    col_units: list[str | None] = []
    line_start = t.rfind("\n", 0, run[0].start) + 1
    title = t[t.rfind("\n", 0, max(0, line_start - 1)) + 1:line_start].strip()
    if len(title) > _MAX_CELL or "。" in title:  # the line above is prose, not the table's title
        title = ""
    out: list[Candidate] = []
    i = 0
    while i < len(run):
        cell = run[i]
        text = cell.text
        if m := _UNIT_ANYWHERE.search(text):
            unit = _unit_of(m.group("u")) or unit
            if m.start() > 0:
                title += " " + text[:m.start()]
            i += 1
            continue
        if cell.is_number:
            i += 1
            continue
        label_text = _ROW_FOOTNOTE.sub("", _ROW_PREFIX.sub("", text).replace(" ", ""))
        label_unit = None
        if hu := re.search(r"\((?P<u>[^()]{1,6})\)$", label_text):
            label_unit = _unit_of(hu.group("u"))
            if label_unit:
                label_text = label_text[:hu.start()]
        key = _row_key(label_text, doc)
        j = i + 1
        if key and j < len(run) and (row_unit := _unit_of(run[j].text)):  # 地区生产总值 | 亿元 | 230.5 | 4.2
            label_unit = label_unit or row_unit
            j += 1
        nums = []
        while j < len(run) and run[j].is_number and (cell.line < 0 or run[j].line == cell.line):
            nums.append(run[j])
            j += 1
        if key is None or not nums:
            if not nums and not key:  # a heading cell
                plain = text.replace(" ", "")
                if plain.startswith(("表", "图")) or len(plain) > 16:
                    title += " " + text
                elif _LABEL_HEAD.match(plain):
                    columns, col_units = [], []
                elif _LEVEL_HEAD.search(plain) or _GROWTH_HEAD.search(plain) or _PLAN_HEAD.fullmatch(plain) or \
                        re.search(r"比重|占比|构成|单位|不变价|可比价", plain):
                    columns.append(text.replace(" ", ""))
                    hu = _HEAD_UNIT.search(text)
                    col_units.append(_unit_of(hu.group("u") or hu.group("u2")) if hu else None)
                else:
                    title += " " + text
            i = max(j, i + 1)
            continue
        out.extend(_row(doc, key, cell, label_text, nums, columns, col_units, label_unit or unit, title))
        i = j
    return out


def _strip_own(label: str, doc: Doc) -> str:
    for w in doc.own.label_prefixes:
        if label.startswith(w) and len(label) > len(w) + 1:
            return label[len(w):]
    return label


def _row_key(label: str, doc: Doc) -> str | None:
    key = pt.fullmatch_label(_strip_own(label, doc))
    return key if key else None


def _row(doc, key, cell, label, nums, columns, col_units, unit, title) -> list[Candidate]:
    level_i, growth_i = 0, None
    if columns and len(columns) >= len(nums):
        cols = columns[-len(nums):] if len(columns) > len(nums) else columns
        years = [_YEAR_HEAD.search(c) for c in cols]
        if any(years):  # 指标 | 2021年 | 2022年 | 增长%: the column of the text's year, or none
            level_i = next((k for k, y in enumerate(years) if y and int(y.group(1)) == doc.year), None)
            if level_i is None:
                return []
        else:
            level_i = next((k for k, c in enumerate(cols) if _LEVEL_HEAD.search(c)), None)
        if level_i is None:  # a column that is neither growth nor plan (目标, 计划)
            level_i = next((k for k, c in enumerate(cols) if not _GROWTH_HEAD.search(c) and not _PLAN_HEAD.search(c)),
                           None)
            if level_i is None:
                return []
        growth_i = next((k for k, c in enumerate(cols) if _GROWTH_HEAD.search(c)), None)
        unit = col_units[columns.index(cols[level_i])] or unit
    elif len(nums) == 2 and re.search("增长|增速", title):
        growth_i = 1
    out = []
    if unit is None or level_i >= len(nums):
        return out
    n = nums[level_i]
    if n.text.endswith("%") and unit != "%":
        return out
    c = Candidate(key, label, n.text.rstrip("%"), unit, n.start, n.end, cell.start, cell.end, "table",
                  num_span=(n.start, n.end))
    out.append(c)
    if key == "gdp" and growth_i is not None and growth_i < len(nums) and growth_i != level_i:
        g = nums[growth_i]
        gc = Candidate("gdp_growth", label, g.text.rstrip("%"), "%", g.start, g.end, cell.start, cell.end, "table",
                       num_span=(g.start, g.end))
        gc.flag("growth")
        out.append(gc)
    q, where = sc.qualifier(title, doc.own), "table title"
    lq = sc.qualifier(_strip_own(label, doc), doc.own)  # 全市生产总值 as a row of a county's table
    if lq is not None and lq[1] in ("place", "subscope", "economy", "period"):
        q, where = lq, "table row"
    for c in out:
        c.year = doc.year
        years = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", title)]
        if years and doc.year is not None and years[-1] != doc.year:
            c.set("ambiguous", f"table for {years[-1]}; the text is about {doc.year}", "year")
        if q is not None and (q[1] != "registered" or c.key in ("pop_urban", "urbanization")) \
                and q[1] not in ("increase",):
            c.set(q[0], f"{q[2]} ({where})", q[1])
    return out
