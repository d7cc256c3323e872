"""Figures out of statistical bulletins and work reports (统计公报, 政府工作报告), each with its span.

Precision over recall: a figure is taken only when a registry wording, the words allowed after it and
a number with a unit that fits stand together, and nothing before the label says the figure is
someone else's (another place, a sub-scope such as 本级 or 城区, 民营经济, the registered population,
part of the year, a target) or another year's. Everything else that looks like a figure is still
reported by :func:`scan`, with a status and a reason:

``ok``
    accepted; :func:`extract` returns these.
``ambiguous``
    may be the unit's figure, but a reader must decide: another place, a sub-scope, another year,
    a masked or implausible value, a unit that does not fit, conflicting figures.
``other``
    recognised as something that is not a registry figure of the unit: growth of anything but GDP
    (flag ``growth``), lookalike wordings (财政总收入, 户籍人口城镇化率), changes (新增), parts of the
    economy or of the year, targets.
``duplicate``
    the same figure again (a table repeating the prose).

The text is normalised once (:func:`countylib.btext.normalize_mapped`: reprint glosses, markup,
footnote marks, full-width forms, traditional characters, middle-dot decimals, thousands separators)
and every span points into the ORIGINAL text.

>>> recs = extract("全年全县生产总值230.65亿元，比上年增长4.2%。", county="嵩县", year=2022)
>>> recs[["indicator", "value", "unit", "year"]].values.tolist()
[['gdp', 230.65, '亿元', 2022], ['gdp_growth', 4.2, '%', 2022]]
>>> text = "全縣地區(qū)生產(chǎn)總值達(dá)到439.19億元，人均地區生產總值53308元，增長3.0%。"
>>> got = scan(text, county="中江县", year=2022)
>>> got[["indicator", "value_text", "status"]].values.tolist()
[['gdp', '439.19', 'ok'], ['gdp_per_capita', '53308', 'ok'], ['gdp_per_capita', '3.0', 'other']]
>>> s, e = got.start.iloc[0], got.end.iloc[0]
>>> text[s:e]
'439.19億元'
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import groupby

import numpy as np
import pandas as pd

import countylib.ingest.bulletin.patterns as pt
import countylib.ingest.bulletin.tables as tables
import countylib.ingest.bulletin.text as btext
from countylib.data import indicators as ind
from countylib.ingest import units
from countylib.ingest.bulletin.attribute import attribute, noisy_numbers
from countylib.ingest.bulletin.prose import CLAUSE_SEP, PART_END, SENTENCE_END, Candidate, Doc, SentenceReader
from countylib.ingest.bulletin.reading import BadInput, read_text
from countylib.ingest.bulletin.scope import Own

__all__ = ["COLUMNS", "BadInput", "extract", "read_text", "scan"]

COLUMNS = ["indicator", "value", "unit", "value_text", "unit_text", "year", "flags", "start", "end", "status",
           "reason", "source", "label", "label_start", "label_end"]

#: Values outside these bounds are not a county's figure whatever the text says (canonical units).
PLAUSIBLE = {
    "gdp": (0.5, 50000), "gdp_growth": (-40, 60), "va_primary": (0.01, 30000), "va_secondary": (0.01, 30000),
    "va_tertiary": (0.01, 30000), "share_primary": (0, 100), "share_secondary": (0, 100), "share_tertiary": (0, 100),
    "pop_resident": (0.2, 1000), "pop_registered": (0.2, 1000), "pop_urban": (0.05, 1000), "urbanization": (1, 100),
    "gdp_per_capita": (2000, 3_000_000), "fiscal_revenue": (0.001, 5000), "fiscal_expenditure": (0.05, 5000),
    "tax_revenue": (0.001, 5000), "retail_sales": (0.05, 20000), "disposable_income": (1000, 300_000),
    "disposable_income_urban": (1000, 300_000), "disposable_income_rural": (800, 300_000),
    "rd_expenditure": (0.001, 5000), "rd_intensity": (0.01, 20), "hightech_firms": (1, 30000), "area": (1, 500_000),
}
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})年[^。\n]{0,30}?(?:统计公报|国民经济和社会发展)")


def scan(text: str, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Every candidate figure with its status (``ok``, ``ambiguous``, ``other``, ``duplicate``) and reason.

    ``county`` names the unit the text is about (its own words: 全县, its name); ``year`` the year the
    text reports on (figures explicitly for another year are ``ambiguous``). Without ``year``, the year
    of a title such as ``2022年…统计公报`` is used.

    >>> got = scan("洛阳市全年生产总值5675.2亿元。市级一般公共预算收入3.2亿元。", county="嵩县", year=2022)
    >>> got[["indicator", "status", "reason"]].values.tolist()[0]
    ['gdp', 'ambiguous', 'figure of another place (洛阳市)']
    """
    with _collector_paused():
        return _scan(text, county, year)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a text is read. Reading builds a few objects for each
    figure that live until the end; in a long text the collector would walk over all of them again and
    again (about a tenth of the time of a 5 MB text) and find next to nothing to collect: they hold no
    reference cycles. Memory is freed as usual meanwhile, and the collector is back on when the scan ends."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _scan(text: str, county: str | None, year: int | None) -> pd.DataFrame:
    mapped = btext.normalize_mapped(text)
    t = mapped.text
    if year is None and (m := _TITLE_YEAR.search(t[:2000])):
        year = int(m.group(1))
    ends = btext.positions(t, PART_END) + [len(t)]
    sentence_ends = btext.positions(t, SENTENCE_END) + [len(t)]
    doc = Doc(t, Own.of(county), year, sentence_ends, _clause_separators(t),
              report=re.search(r"政府工作报告|各位代表|工作回顾", t[:3000]) is not None)
    cands: list[Candidate] = []
    for i, labels, structures in _parts_to_read(t, ends):
        s = ends[i - 1] + 1 if i else 0
        e = ends[i]
        found = SentenceReader(doc, s, e, labels, structures).read()
        prev = (ends[i - 2] + 1 if i > 1 else 0, ends[i - 1]) if i else None
        attribute(doc, found, s, e, prev)
        cands.extend(found)
    noisy_numbers(mapped, cands)
    cands.extend(tables.read(doc, mapped))
    _plan_sections(doc, cands)
    _other_place_document(doc, cands)
    _registered_context(doc, cands)
    _parts_follow_their_total(doc, cands)
    return _finalise(mapped, doc, cands)


def _parts_to_read(t: str, ends: list[int]) -> Iterator[tuple[int, list[re.Match], list[re.Match]]]:
    """(index, labels, structure wordings) of each part of the text (``ends`` are their ends) that has a
    label or a structure wording, in text order: one pass of each pattern over the text (neither
    pattern can match across the end of a part)."""
    structures: dict[int, list[re.Match]] = {}
    for m in pt.STRUCTURE_LABEL.finditer(t):
        structures.setdefault(bisect_right(ends, m.start()), []).append(m)
    only_structure = iter(sorted(structures))
    k = next(only_structure, None)
    for i, labels in groupby(pt.LABELS.finditer(t), key=lambda m: bisect_right(ends, m.start())):
        while k is not None and k <= i:
            if k < i:
                yield k, [], structures[k]
            k = next(only_structure, None)
        yield i, list(labels), structures.get(i, [])
    while k is not None:
        yield k, [], structures[k]
        k = next(only_structure, None)


def _clause_separators(t: str) -> list[int]:
    """Commas, semicolons and colons that end a clause: not those inside brackets ((含开发区,下同))."""
    seps = [m.start() for m in CLAUSE_SEP.finditer(t)]
    if "(" not in t:
        return seps
    at = np.array(seps, dtype=np.int64)
    opens = np.array([m.start() for m in re.finditer(r"\(", t)], dtype=np.int64)
    closes = np.array([m.start() for m in re.finditer(r"\)", t)], dtype=np.int64)
    n_open = np.searchsorted(opens, at, side="right")
    depth = n_open - np.searchsorted(closes, at, side="right")
    last_open = opens[np.maximum(n_open - 1, 0)]
    keep = np.ones(len(at), dtype=bool)
    for i in np.flatnonzero((depth > 0) & (at - last_open <= 30)):  # in a bracket opened shortly before
        keep[i] = "\n" in t[last_open[i]:at[i]]
    return at[keep].tolist()


def extract(text: str, county: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Accepted figures only: indicator, value (canonical unit), unit, value_text and unit_text as
    written, year, flags (approximate, lower_bound, estimate, preliminary, growth, ...), start/end span
    in ``text``, source (prose, structure, table) and the label it was found under.

    >>> extract("年末常住人口４５．５４萬人，其中城镇人口20.1万人。", county="商城县", year=2022).value.tolist()
    [45.54, 20.1]
    """
    out = scan(text, county=county, year=year)
    return out[out.status == "ok"].drop(columns=["status", "reason"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------


def _finalise(mapped: btext.MappedText, doc: Doc, cands: list[Candidate]) -> pd.DataFrame:
    cands = _unique(cands)
    _partial_year_document(cands)
    if not cands:
        return pd.DataFrame(columns=COLUMNS)
    canon = [ind.get(c.key).unit if c.key else (c.unit_text or "%") for c in cands]
    dims = [ind.get(c.key).dimension if c.key else "" for c in cands]
    parsed = units.parse_values(pd.Series([c.value_text for c in cands], dtype=object),
                                pd.Series([c.unit_text for c in cands], dtype=object),
                                pd.Series(canon, dtype=object), pd.Series(dims, dtype=object))
    values = parsed.value.to_numpy()
    plain = values.tolist()  # Python floats: the checks below look at one value at a time
    for c, flag, reason, v in zip(cands, parsed.flag.tolist(), parsed.reason.tolist(), plain, strict=True):
        if flag == "masked":
            c.flag("masked")
            c.set("ambiguous", "masked value", "masked")
        elif flag in ("invalid", "missing"):
            c.set("ambiguous", reason or "no number", "invalid")
        elif flag in ("approximate", "lower_bound", "upper_bound", "estimate"):
            c.flag(flag)
        if c.status == "ok" and c.key in PLAUSIBLE:
            lo, hi = PLAUSIBLE[c.key]
            if not (lo <= v <= hi):
                c.set("ambiguous", f"implausible value {v:g} {ind.get(c.key).unit}", "implausible")
    _conflicts(cands, plain)
    _sector_sum(cands, plain)
    _part_of_total(cands, plain)
    start, end = mapped.spans([c.start for c in cands], [c.end for c in cands])
    label_start, label_end = mapped.spans([c.label_start for c in cands], [c.label_end for c in cands])
    ok = np.array([c.status == "ok" for c in cands])
    columns = {
        "indicator": [c.key for c in cands], "value": np.where(ok, values, np.nan),
        "unit": canon, "value_text": [c.value_text for c in cands], "unit_text": [c.unit_text for c in cands],
        "year": pd.array([c.year for c in cands], dtype="Int64"), "flags": [",".join(sorted(c.flags)) for c in cands],
        "start": start, "end": end, "status": [c.status for c in cands],
        "reason": [c.reason for c in cands], "source": [c.source for c in cands], "label": [c.label for c in cands],
        "label_start": label_start, "label_end": label_end}
    out = pd.DataFrame(columns)
    return out.sort_values(["start", "end"], kind="stable").reset_index(drop=True)


#: The title of a text: at the start of a line, not in brackets (数据来源：…统计公报 is a source note).
_TITLE = re.compile(r"^[^\n。()]{0,40}?(?:国民经济和社会发展统计公报|统计公报|政府工作报告|国民经济和社会发展计划)", re.M)


#: A line that is the title of a bulletin or a work report, anywhere in a text (two bulletins joined in one file).
_TITLE_LINE = re.compile(r"^[ \t]*([^\n。,;:]{0,40}?(?:国民经济和社会发展统计公报|统计公报|政府工作报告))[ \t]*$", re.M)
_TITLE_KIND = r"(?:(?:19|20)\d\d年)?(?:国民经济|统计公报|政府工作报告)"


def _titles(t: str) -> list[tuple[int, str]]:
    """(position, title) of the text's title (in its first 600 characters) and of every later line that is
    the title of another bulletin or report."""
    first = _TITLE.search(t, 0, 600)
    out = [(0, first.group(0))] if first else []
    after = first.end() if first else 0
    out += [(m.start(1), m.group(1)) for m in _TITLE_LINE.finditer(t, after)]
    return out


def _other_place_document(doc: Doc, cands: list[Candidate]) -> None:
    """A text whose title names another place (定西市…统计公报 filed under 陇西县) is that place's text; in a
    text holding several bulletins one after the other, each part is the place's and year's its title
    names: the figures of another place's or another year's part are not the unit's."""
    from countylib.ingest.bulletin.scope import place_names

    if not doc.own.given:
        return
    titles = _titles(doc.text)
    if not titles:
        return
    bounds = [at for at, _ in titles[1:]] + [len(doc.text)]
    for (start, title), end in zip(titles, bounds, strict=True):
        places = [p for p in place_names(title) if re.search(re.escape(p) + _TITLE_KIND, title)]
        reason = None
        if places and not any(n in title for n in doc.own.names):
            reason = f"the text is {places[-1]}'s ({title.strip()[:30]})" if start == 0 else \
                f"in the part of the text that is {places[-1]}'s ({title.strip()[:30]})"
        elif start > 0 and doc.year is not None and "统计公报" in title and \
                (y := re.search(r"((?:19|20)\d\d)年", title)) and int(y.group(1)) != doc.year:
            reason = f"in the part of the text that is the bulletin for {y.group(1)} ({title.strip()[:30]})"
        if reason is None:
            continue
        for c in cands:
            if start <= c.start < end:
                c.set("ambiguous", reason, "place" if places else "year")


#: 户籍人口…，其中城镇人口 / 户籍人口…。城镇人口…: the urban part of whichever population was stated last.
_TOTAL_POPULATION = ("pop_registered", "pop_resident")
_RESIDENT = re.compile("常住")
_REGISTERED = re.compile("户籍|公安")


def _sentence_start(t: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after the last 。, ! or line break before it)."""
    return max(t.rfind(ch, 0, pos) for ch in "。!\n") + 1


def _registered_context(doc: Doc, cands: list[Candidate]) -> None:
    """An urban population or urbanization rate that does not say 常住 belongs to the population stated
    before it: after the registered population (户籍人口, or a 总人口 that does not say which), with no
    resident population in between, it may be the registered population's and is not taken."""
    last: Candidate | None = None
    for c in sorted(cands, key=lambda c: c.start):
        plain = pt.canonical_label(c.label) if c.key == "" else ""
        if c.key in _TOTAL_POPULATION or plain == "总人口":
            last = c
            continue
        if c.key not in ("pop_urban", "urbanization") or c.status != "ok":
            continue
        if _RESIDENT.search(doc.text, max(0, c.label_start - 6), c.label_end):
            continue
        sentence = doc.text[_sentence_start(doc.text, c.label_start):c.label_start]
        if _REGISTERED.search(sentence) and not _RESIDENT.search(sentence):  # 户籍总人口…(a figure not read)…;城镇人口
            c.set("ambiguous", "in a sentence on the registered population (户籍): may be part of it", "registered")
            continue
        if last is None:
            continue
        if last.key != "pop_resident":
            what = "the registered population" if last.key else "a 总人口 that does not say which population"
            c.set("ambiguous", f"follows {what} ({last.label} {last.value_text}{last.unit_text}) with no resident "
                               "population stated in between: may be part of it", "registered")


_PARTS_OF_GDP = ("va_primary", "va_secondary", "va_tertiary", "share_primary", "share_secondary", "share_tertiary")
#: Why a total is not the unit's that its parts share: another place, a sub-scope, part of the economy or of the
#: year, another year, several places jointly.
_CARRIED_KINDS = ("place", "subscope", "economy", "period", "year", "joint")


def _parts_follow_their_total(doc: Doc, cands: list[Candidate]) -> None:
    """The sectors' value added and the structure of GDP (三次产业之比) belong to the GDP stated last before
    them in the same paragraph: after 市级实现地区生产总值… (a sub-scope) or 2021年全县生产总值… (another year),
    they are that figure's parts too, also in a later sentence that does not say so again."""
    last: Candidate | None = None
    for c in sorted(cands, key=lambda c: c.start):
        if c.key == "gdp" and c.source == "prose":
            last = c
            continue
        if c.key not in _PARTS_OF_GDP or c.status != "ok" or c.source == "table" or last is None:
            continue
        if "\n" in doc.text[last.end:c.label_start]:  # another paragraph
            last = None
            continue
        if last.status != "ok" and last.kind in _CARRIED_KINDS:
            c.set(last.status, f"part of a total that is not the unit's ({last.reason})", last.kind)


_PLAN_HEAD = re.compile(r"目标|工作安排|总体要求|工作思路|主要任务|重点工作|工作建议|展望|计划(?:草案)?$")
_FUTURE = re.compile(r"今年|明年|新的一年|下一步|未来|(?P<y>(?:19|20)\d\d)年")
_REVIEW_HEAD = re.compile(r"回顾|执行情况|过去(?:一|的一|五)年|主要成绩")
#: A heading: numbered (二、 （二） 2. 第二部分), or a line without the commas and full stops of a sentence
#: (今年以来，在县委的坚强领导下，…完成了主要目标任务。 opens a paragraph of a December report's review).
_HEADING_FORM = re.compile(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十]+"
                           r"|[^，,。；;]*[：:]?$")


def _plan_sections(doc: Doc, cands: list[Candidate]) -> None:
    """In a work report, the section on the coming year's targets (二、2023年工作安排) holds no outcomes."""
    t = doc.text
    regions, start, pos = [], None, 0
    for line in t.split("\n"):
        at, pos = pos, pos + len(line) + 1
        head = line.strip()
        if not head or len(head) > 60 or not _HEADING_FORM.match(head):
            continue
        future = _FUTURE.search(head)
        is_future = future is not None and (
            future.group("y") is None or (doc.year is not None and int(future.group("y")) > doc.year))
        if start is None and _PLAN_HEAD.search(head) and is_future:
            start = at
        elif start is not None and _REVIEW_HEAD.search(head):
            regions.append((start, at))
            start = None
    if start is not None:
        regions.append((start, len(t)))
    for a, b in regions:
        for c in cands:
            if a <= c.start < b:
                c.set("other", f"in the section on plans and targets ({t[a:t.find(chr(10), a)][:20]})", "target")


def _unique(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per (indicator, span): paired and structure readers may both see 三次产业…分别为."""
    seen, out = set(), []
    for c in sorted(cands, key=lambda c: 2 * c.start + (c.status != "ok")):  # by place, accepted ones first
        k = (c.key, c.start, c.end)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def _partial_year_document(cands: list[Candidate]) -> None:
    """A text whose first figure is for part of the year (一季度, 1-5月) reports part of the year throughout."""
    if cands and cands[0].kind == "period":
        reason = cands[0].reason
        for c in cands[1:]:
            c.set("other", f"the text reports {reason}", "period")


def _tolerance(c: Candidate, value: float) -> float:
    digits = c.value_text.split(".")[1] if "." in c.value_text else ""
    decimals = len(re.match(r"\d*", digits).group(0))
    try:
        scale = units.factor(c.unit_text, ind.get(c.key).unit, ind.get(c.key).dimension)
    except (units.UnitError, KeyError):
        scale = 1.0
    return 0.5 * 10.0 ** -decimals * scale + 1e-9 * abs(value)


def _conflicts(cands: list[Candidate], values: list[float]) -> None:
    """Exact repeats become ``duplicate``; exact figures that disagree beyond rounding are all ambiguous."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cands):
        if c.status == "ok" and not math.isnan(values[i]):
            groups.setdefault((c.key, c.year), []).append(i)
    for members in groups.values():
        firsts: list[int] = []
        first_of: dict[float, int] = {}
        for i in members:
            same = first_of.get(values[i])
            if same is not None:
                cands[i].status, cands[i].kind = "duplicate", "duplicate"
                cands[i].reason = f"same figure as {cands[same].label} {cands[same].value_text}{cands[same].unit_text}"
            else:
                first_of[values[i]] = i
                firsts.append(i)
        exact = [i for i in firsts if not cands[i].flags & {"lower_bound", "upper_bound", "approximate"}]
        if len(exact) < 2:
            continue
        sources = {cands[i].source for i in exact}
        if "structure" in sources and len(sources) > 1 and \
                max(values[i] for i in exact) - min(values[i] for i in exact) <= 1.0:
            continue  # 三次产业结构24.8:21.3:53.4 and 第三产业增加值比重53.87%: the ratio is rounded
        spread = max(values[i] for i in exact) - min(values[i] for i in exact)
        if spread > max(_tolerance(cands[i], values[i]) for i in exact):  # they differ beyond rounding
            shown = "、".join(f"{cands[i].value_text}{cands[i].unit_text}" for i in exact[:4])
            shown += f" and {len(exact) - 4} more" if len(exact) > 4 else ""
            for i in exact:
                cands[i].set("ambiguous", f"conflicting figures in the text: {shown}", "conflict")


def _sector_sum(cands: list[Candidate], values: list[float]) -> None:
    """The three sectors' value added must add up to GDP (within 2 %); if not, one of them is not the county's."""
    ok: dict[tuple, list[int]] = {}
    for i, c in enumerate(cands):
        if c.status == "ok" and c.key in ("gdp", "va_primary", "va_secondary", "va_tertiary"):
            ok.setdefault((c.key, c.year), []).append(i)
    for (key, year), members in ok.items():
        if key != "gdp" or len(members) != 1:
            continue
        parts = [ok.get((k, year), []) for k in ("va_primary", "va_secondary", "va_tertiary")]
        if any(len(p) != 1 for p in parts):
            continue
        total, gdp = sum(values[p[0]] for p in parts), values[members[0]]
        if gdp > 0 and abs(total - gdp) / gdp > 0.02:
            for p in parts:
                cands[p[0]].set("ambiguous", f"the three sectors add up to {total:g}, GDP is {gdp:g}", "sum")


#: A part can never exceed the total it is part of (in the same year).
PART_OF = {"tax_revenue": "fiscal_revenue", "pop_urban": "pop_resident", "va_primary": "gdp", "va_secondary": "gdp",
           "va_tertiary": "gdp"}


def _part_of_total(cands: list[Candidate], values: list[float]) -> None:
    """税收收入 larger than 一般公共预算收入 (其中税收收入 under 财政总收入) is part of another total: ambiguous."""
    totals: dict[tuple, list[int]] = {}
    for i, c in enumerate(cands):
        if c.status == "ok" and c.key in PART_OF.values() and not c.flags & {"lower_bound", "upper_bound", "approximate"}:
            totals.setdefault((c.key, c.year), []).append(i)
    for i, c in enumerate(cands):
        whole = PART_OF.get(c.key)
        if c.status != "ok" or whole is None or math.isnan(values[i]):
            continue
        bigger = [j for j in totals.get((whole, c.year), []) if values[i] > values[j] * (1 + 1e-6)]
        if bigger:
            j = bigger[0]
            c.set("ambiguous", f"larger than {cands[j].label} {cands[j].value_text}{cands[j].unit_text}, which it "
                               "is part of: it belongs to another total", "part")
