"""Scope, year and flags of the figures found in one sentence.

* The figure's own preamble (clause start -> label) is classified by :func:`scope.classify`.
* A ``其中`` clause belongs to the figure before it: 区本级…，其中… is 区本级 too; 户籍人口…，其中城镇人口 is
  the urban part of the registered population, not ``pop_urban``.
* Without words naming the unit itself, a clause inherits the place, sub-scope, part of the economy or
  part of the year of an earlier figure in the same sentence (洛阳市生产总值…，一般公共预算收入…).
* The year is the one set at the start of the figure's clause or of an earlier clause in the sentence
  (2021年全县…), never a base year (与2020年相比) nor a year inside a figure's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import countylib.ingest.bulletin.patterns as pt
import countylib.ingest.bulletin.scope as sc
import countylib.ingest.bulletin.text as btext
import countylib.ingest.bulletin.words as bwords
from countylib.ingest.bulletin.prose import Candidate, Doc, _clause_start

INHERITED_KINDS = ("place", "subscope", "economy", "period")
_LEAD_SCOPE = re.compile(r"全(?:县|市|区|旗|省|国|州|盟)")
#: Indicators that the registered population's words (户籍) change: its urban part, its urbanization.
REGISTERED_SENSITIVE = ("pop_urban", "urbanization", "gdp_per_capita")
_CHANGE = re.compile(r"(?:比上年|较上年|比去年|较去年|同比|比.{0,6}年末?)?(?:增长|下降|增加|减少|净增|净减|回落|提高|高出)")
_COMPARISON = re.compile(r"(?:比|较|高出|低于|高于|相当于)")
_INCREASE = re.compile("|".join(map(re.escape, bwords.INCREASE_WORDS)))
_TARGET = re.compile("|".join(map(re.escape, bwords.TARGET_WORDS)))
_PERIOD_MARK = re.compile("|".join(map(re.escape, bwords.PERIOD_MARKS)))


def level_clauses(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """(clause start, value start) of the clauses in ``text[s:e]`` that state a level (not a change)."""
    return doc.remember(("levels", s, e), lambda: _level_clauses(doc, s, e))


def _level_clauses(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in pt.VALUE.finditer(doc.text, s, e):
        if v.group("unit") in ("%", "‰"):
            continue
        cs = _clause_start(doc, v.start(), s)
        if out and out[-1][0] == cs:  # the clause is known to state a level already
            continue
        before = doc.text[cs:v.start()].replace("增加值", "值")
        if _CHANGE.search(before[-8:]) or _COMPARISON.match(before) or _SOURCE.match(before) or \
                _INCREASE.search(before):
            continue
        out.append((cs, v.start()))
    return out


@dataclass
class _Sentence:
    """What a whole sentence says once, for every figure in it."""

    doc: Doc
    bounds: tuple[int, int]
    context: list[tuple[int, str, str, str]]  # (end, status, reason, kind): 一季度, 目标 …
    years: list[tuple[int, int]]  # (position, year) of years that start a clause
    estimates: list[int]
    preliminary: bool

    @property
    def levels(self) -> list[tuple[int, int]]:
        """Level clauses of the sentence, computed when a figure needs them."""
        return level_clauses(self.doc, *self.bounds)


def _sentence(doc: Doc, ss: int, se: int) -> _Sentence:
    return doc.remember(("sentence", ss, se), lambda: _read_sentence(doc, ss, se))


def _read_sentence(doc: Doc, ss: int, se: int) -> _Sentence:
    t = doc.text
    # parts of the year (一季度, 1-5月) and target words are rare: one quick search tells whether to look for them
    periods = bwords.PERIOD_PATTERN.finditer(t, ss, se) if _PERIOD_MARK.search(t, ss, se) else ()
    context = [(m.end(), "other", f"part of the year ({m.group(0)})", "period")
               for m in periods if not re.search(r"(?:比|较|与|同)$", t[max(ss, m.start() - 2):m.start()])]
    for w in bwords.TARGET_WORDS if _TARGET.search(t, ss, se) else ():
        at = t.find(w, ss, se)
        while at >= 0:
            context.append((at + len(w), "other", f"a target or plan ({w}), not an outcome", "target"))
            at = t.find(w, at + 1, se)
    if doc.report:  # in a work report given early in a year, 今年 is the year after the one it reviews
        at = t.find("今年", ss, se)
        while at >= 0:
            context.append((at + 2, "other", "今年 in a work report: the year after the one reported on", "year"))
            at = t.find("今年", at + 1, se)
    context.sort()
    years = [(m.start(), int(m.group("y"))) for m in pt.TIME_YEAR.finditer(t, ss, se)
             if m.start() == ss or t[m.start() - 1] in ", :;"]
    return _Sentence(doc, (ss, se), context, years,
                     [m.end() for m in pt.ESTIMATE.finditer(t, ss, se)], pt.PRELIMINARY.search(t, ss, se) is not None)


def attribute(doc: Doc, cands: list[Candidate], s: int, e: int, prev: tuple[int, int] | None) -> None:
    """Set status, reason, year and flags of the candidates of the sentence part ``text[s:e]`` in place."""
    if not cands:
        return
    t, own = doc.text, doc.own
    ss, se = doc.sentence_of(s)
    ss = max(ss, s - 2000)  # a "sentence" of a text without full stops must not make this quadratic
    sent = _sentence(doc, ss, se)
    for c in cands:
        ps, pe = c.preamble or (_clause_start(doc, c.label_start, s), c.label_start)
        pre = t[ps:pe]
        cut = pre.rfind(" ")  # a run-in heading before a space: 国民经济 全县地区生产总值…
        if cut >= 0:
            ps, pre = ps + cut + 1, pre[cut + 1:]
        if pt.VALUE.search(pre):  # a figure ends a statement whose punctuation is lost: 增长4.5%三次产业结构…
            last = list(pt.VALUE.finditer(pre))[-1]
            ps, pre = ps + last.end(), pre[last.end():]
        lead = _LEAD_SCOPE.match(c.label)  # a wording such as 全市生产总值 names its scope itself
        if lead:
            pre += lead.group(0)
        if c.named:  # …比重(常住人口城镇化率)为: the words before the bracket describe the figure
            q = sc.qualifier(pre[:-1], own)
            scope = sc.Scope(*(q or ("ok", "", "")))
        else:
            scope = sc.classify(pre, own)
        if not scope.ok:
            c.set(scope.status, scope.reason, scope.kind)
        if c.status == "ok" and len(scope.places) > 1 and "paired" not in c.flags and not _each(doc, c, ps, se):
            c.set("ambiguous", f"joint figure of {'、'.join(scope.places)}: it is no one place's own", "joint")
        if c.status == "ok" and sent.context and sent.context[0][0] <= ps:  # sorted: the first is the earliest
            c.set(*sent.context[0][1:])
        if c.status == "ok" and not scope.explicit_own:
            q = _inherited(doc, c, ps, s, sent, prev)
            if q is not None:
                c.set(*q)
        c.year = _year(doc, scope, sent, ps)
        if c.status == "ok" and doc.year is not None and c.year != doc.year:
            c.set("ambiguous", f"figure for {c.year}; the text is about {doc.year}", "year")
        if sent.preliminary:
            c.flag("preliminary")
        if scope.flags or (sent.estimates and sent.estimates[0] <= ps) or \
                any(ps <= at <= c.start for at in sent.estimates):  # 生产总值预计增长6.8%: 预计 after the label
            c.flag("estimate")
        if c.status == "ok":
            _note_after(doc, c)


_EACH = re.compile(r"均|各|都")


def _each(doc: Doc, c: Candidate, ps: int, se: int) -> bool:
    """Several places named before one figure: a statement about each (均超过, 分别达到 later in the
    sentence) rather than a joint total (嵩县、栾川县共实现生产总值673.7亿元)."""
    return _EACH.search(doc.text, ps, c.start) is not None or doc.text.find("分别", c.end, se) >= 0


def noisy_numbers(mapped: btext.MappedText, cands: list[Candidate]) -> None:
    """Figures whose number a removed noise character (``?``) touches: a digit may be lost. (The last
    check of :func:`attribute`, made for all the figures of the prose at once.)"""
    if not mapped.noisy:
        return
    numbered = [c for c in cands if c.num_span[1] > c.num_span[0]]
    touched = mapped.touches_noise([c.num_span[0] for c in numbered], [c.num_span[1] for c in numbered])
    for c in (c for c, bad in zip(numbered, touched, strict=True) if bad):
        c.set("ambiguous", "a noise character (?) touches the number: digits may be lost", "noise")


_NOTE_AFTER = re.compile(rf"\s?(?P<note>{pt.PAREN})")


def _note_after(doc: Doc, c: Candidate) -> None:
    """A note in brackets right after the figure that changes whose figure it is: 人均GDP45228元(按户籍人口计算)
    is per registered resident, 12.3亿元(不含开发区) leaves part of the unit out."""
    m = _NOTE_AFTER.match(doc.text, c.end)
    if m is None or pt.PAREN_OK.fullmatch(m.group("note")):
        return
    inner = m.group("note").strip("()")
    if inner.startswith(("含", "包含", "包括")):
        return
    q = sc.qualifier(inner, doc.own)
    if q is None or q[1] == "increase" or (q[1] == "registered" and c.key not in REGISTERED_SENSITIVE):
        return
    c.set(q[0], f"note {m.group('note')} after the figure: {q[2]}", q[1])


def _inherited(doc: Doc, c: Candidate, ps: int, s: int, sent: _Sentence, prev) -> tuple[str, str, str] | None:
    t, own = doc.text, doc.own
    ss = sent.bounds[0]
    q_at = t.rfind("其中", s, c.label_start)
    if q_at < 0:  # 其中，第一产业…；第二产业…；第三产业…: siblings in later parts of the sentence belong too
        q_at = t.rfind("其中", ss, s)
        if q_at >= 0 and not _same_family(c.key, _first_key_after(doc, q_at, s)):
            q_at = -1
    if q_at >= 0:  # 其中 A…, B…: every part listed after 其中 belongs to the figure before it
        parent = [lv for lv in sent.levels if lv[1] < q_at]
        if parent:
            text = t[parent[-1][0]:parent[-1][1]]
        else:
            before = doc.sentence_of(ss - 1) if ss > 0 else None
            if before is None and prev is not None:
                before = prev
            first = level_clauses(doc, *before) if before else []
            text = t[first[0][0]:first[0][1]] if first else ""
        q = sc.qualifier(text, own)
        if q is None or q[1] in ("increase", "target"):
            return None
        if q[1] == "registered" and c.key not in REGISTERED_SENSITIVE:
            return None
        return q[0], f"part of a figure that is not the unit's total: {q[2]}", q[1]
    if (q := _preface(doc, ps, s)) is not None and (q[1] != "registered" or c.key in REGISTERED_SENSITIVE):
        return q[0], f"{q[2]}, said before the figure", q[1]
    for cs, vs in sent.levels:
        if vs >= ps:
            break
        q = sc.qualifier(t[cs:vs], own)
        if q is None:
            continue
        same_part = cs >= s  # between semicolons; a place also carries over a semicolon
        if q[1] == "place" or (same_part and (q[1] in INHERITED_KINDS or
                                               (q[1] == "registered" and c.key in REGISTERED_SENSITIVE))):
            return q[0], f"{q[2]}, said earlier in the sentence", q[1]
    return None


_FAMILIES = (("va_primary", "va_secondary", "va_tertiary"), ("share_primary", "share_secondary", "share_tertiary"),
             ("disposable_income_urban", "disposable_income_rural"), ("pop_urban",))


def _same_family(a: str, b: str | None) -> bool:
    return b is not None and any(a in f and b in f for f in _FAMILIES)


def _first_key_after(doc: Doc, pos: int, end: int) -> str | None:
    m = pt.LABELS.search(doc.text, pos, end)
    return pt.label_key(m.group(0)) if m else None


_SOURCE = re.compile(r"^(?:根据|据|依据|经|按照?).*(?:核算|测算|调查|抽样|统计|推算)")


def _preface(doc: Doc, ps: int, s: int) -> tuple[str, str, str] | None:
    """The clause right before a figure's clause, when it has no figure of its own, sets its terms:
    按户籍人口计算，人均GDP为63525元 is per registered resident. A data source (根据…统一核算) does not."""
    if ps - 1 <= s:
        return None
    pcs = _clause_start(doc, ps - 1, s)
    text = doc.text[pcs:ps - 1]
    if not text or pt.VALUE.search(text) or _SOURCE.match(text):
        return None
    q = sc.qualifier(text, doc.own)
    if q is not None and q[1] in ("registered", "subscope", "economy", "period"):
        return q
    return None


def _year(doc: Doc, scope: sc.Scope, sent: _Sentence, ps: int) -> int | None:
    if scope.year is not None:
        return scope.year
    year = None
    for at, y in sent.years:
        if at >= ps:
            break
        year = y
    if year is not None:
        return year
    if doc.year is not None and scope.year_word:
        # a work report given early in the next year says 去年 for the year it reviews and 今年 for the next
        shift = {"上年": -1, "去年": 0 if doc.report else -1, "今年": 1 if doc.report else 0}[scope.year_word]
        return doc.year + shift
    return doc.year
