"""Figures in running text: a label, the words allowed after it, a number with a unit that fits.

The text is cut into sentences (。；! and line breaks) and clauses (commas, colons that are not in a
ratio). In a sentence, each label is tried in turn:

* ``LABEL [gap] VALUE`` -- the level (gap: 达到, 为, 实现, (GDP), (现价), 总量 ...);
* for GDP, ``… VALUE [filler] GROWTH`` and ``LABEL [gap] GROWTH, [达] VALUE`` -- its growth, where the
  filler may only be words such as 按可比价格计算, 比上年, 同比: growth never jumps over another subject;
* ``A、B … 分别为 x、y`` -- paired labels (and paired places: 华安县、云霄县… 分别达到 x、y);
* ``三次产业结构(由上年的a:b:c)调整为d:e:f`` -- the current year's structure.

Growth of anything but GDP is reported (status ``other``), never taken. Whose figure it is and for
which year is decided in :mod:`countylib.ingest.bulletin.scope` from the words before the label.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import countylib.ingest.bulletin.patterns as pt
import countylib.ingest.bulletin.scope as sc
from countylib import vocab
from countylib.data import indicators as ind
from countylib.ingest import units

SENTENCE_END = "。!\n|"  # the characters that end a sentence
PART_END = "。;!\n|"  # and a part of a sentence (between semicolons): the extractor reads these
CLAUSE_SEP = re.compile(vocab.quick_start(r"[,;]|(?<![\d%]):|:(?!\d)", ",;:"))
THRESHOLD = re.compile(r"(?:大关|关口|台阶|大台阶|门槛|量级)")
#: The verb that leads from a clause to its figure. A bound word (突破, 超过) is not consumed: it stays with the
#: number, which is then read as the lower bound it is (预计增长6.8%，突破500亿元).
REACH = re.compile(r"[,、]?\s?(?:(?P<y>(?:19|20)\d\d)年)?(?:全年|总量|规模)?(?:达到|达|为|增至|增加到|提高到|实现|"
                   r"跃升至|升至|(?=突破|超过))")
GROWTH_KEYS = {"gdp": "gdp_growth"}
_URBAN_RURAL = re.compile(r"城乡(常住)?居民")
SECTOR_SHARE = {"va_primary": "share_primary", "va_secondary": "share_secondary", "va_tertiary": "share_tertiary"}
#: The share a level may be followed by (…，占生产总值的比重为24.7% / 城镇人口…，占总人口的比重为…).
SHARE_OF_LEVEL = {**SECTOR_SHARE, "pop_urban": "urbanization"}
#: GDP growth written as a rate after its own label (GDP增长率为6.5%).
_RATE = re.compile(rf"(?:为|达到?|是)?(?P<avg>)(?P<dir>)(?P<num>-?{pt.NUMBER}|{pt.MASK})\s?%(?P<post>)")
SHARE_AFTER = re.compile(
    rf"[,，]\s?(?:占(?:全县|全市|全区|全旗)?(?:地区生产总值|国内生产总值|生产总值|GDP)的?(?:比重|比例)(?:为|达到?|是)?|"
    rf"占比(?:为|达到?)?)(?P<num>{pt.NUMBER})\s?%")
#: 城镇人口41.4万人，占常住人口的比重为43.6%: the urban share of the resident population (its urbanization).
URBAN_SHARE_AFTER = re.compile(
    rf"[,，]\s?(?:占(?:年末)?(?:常住)?(?:总)?人口的?(?:比重|比例)(?:为|达到?|是)?)(?P<num>{pt.NUMBER})\s?%")
_YEAR_OF = r"(?:(?P<{0}>(?:19|20)\d\d)年(?:末)?的?)?"
FROM_TO = re.compile(
    rf"(?:由|从){_YEAR_OF.format('y1')}(?P<v1>{pt.NUMBER}(?:万亿元|亿元|万元|元|万人|人|%|家|个))"
    rf"(?:增加|增长|提高|提升|跃升|上升|扩大|攀升|跃居)(?:到|至){_YEAR_OF.format('y2')}"
    rf"(?P<v2>(?:{pt.NUMBER})(?:万亿元|亿元|万元|元|万人|人|%|家|个))")
THRESHOLD_CLAUSE = re.compile(
    rf"(?:首次|一举|成功|顺利)?(?P<marker>突破|超过|跨越|迈上|站上)(?P<num>{pt.NUMBER})(?P<inner>)(?P<unit>万亿元|亿元|万元|元|万人)"
    r"(?P<post>)(?:大关|关口|台阶|大台阶|门槛)")


@dataclass(slots=True)
class Candidate:
    """One figure found in the text, before it is checked and converted."""

    key: str  # registry key ("" for a lookalike wording)
    label: str  # the wording it was found under
    value_text: str  # number with the markers that change it (约230.65, 突破400, 300余)
    unit_text: str
    start: int  # span of the figure in the normalised text
    end: int
    label_start: int
    label_end: int
    source: str = "prose"
    flags: frozenset[str] = frozenset()  # see flag()
    status: str = "ok"
    reason: str = ""
    kind: str = ""  # what decided a non-ok status (scope kinds, "growth", "lookalike", ...)
    year: int | None = None
    preamble: tuple[int, int] | None = None  # text deciding the scope, when not the label's own clause
    num_span: tuple[int, int] = (0, 0)
    named: bool = False  # the label is a name in brackets: 占常住人口比重(常住人口城镇化率)为…

    def set(self, status: str, reason: str, kind: str = "") -> None:
        """Record why a figure is not taken (the first reason found stays)."""
        if self.status == "ok":
            self.status, self.reason, self.kind = status, reason, kind

    def flag(self, name: str) -> None:
        """Add a flag (growth, estimate, approximate ...). Most figures have none: they all share the one
        empty frozenset, and a figure gets a set of its own only when flagged."""
        self.flags = self.flags | {name}


_MEMO_SIZE = 32
T = TypeVar("T")


@dataclass
class Doc:
    text: str
    own: sc.Own
    year: int | None
    sentence_ends: list[int]  # positions of 。! and line breaks (and len(text))
    seps: list[int]  # clause separators (positions)
    memo: dict = field(default_factory=dict)  # see remember()
    report: bool = False  # a government work report (去年 is the year it reviews)

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()``, once for each key while the text around it is read (what a sentence says, its
        level clauses). The text is read in order, so only the most recent keys are kept."""
        if key not in self.memo:
            if len(self.memo) >= _MEMO_SIZE:
                del self.memo[next(iter(self.memo))]
            self.memo[key] = compute()
        return self.memo[key]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """Bounds of the sentence around ``pos`` (semicolons do not end it)."""
        i = bisect_left(self.sentence_ends, pos)
        return (self.sentence_ends[i - 1] + 1 if i else 0), self.sentence_ends[min(i, len(self.sentence_ends) - 1)]


def _value_text(m: re.Match) -> str:
    return (m.group("marker") or "") + m.group("num") + (m.group("inner") or "") + (m.group("post") or "")


def _figure(key: str, label: re.Match | tuple[int, int, str], v: re.Match, unit: str | None = None,
            source: str = "prose") -> Candidate:
    ls, le, lt = (label.start(), label.end(), label.group(0)) if isinstance(label, re.Match) else label
    start = v.start("marker") if v.group("marker") else v.start("num")
    end = v.end("unit") if v.group("unit") else v.end("num")
    if v.group("post"):
        end = v.end("post")
    return Candidate(key, lt, _value_text(v), unit if unit is not None else (v.group("unit") or ""), start, end,
                     ls, le, source, num_span=(v.start("num"), v.end("num")))


def _growth(key: str, label: re.Match | tuple[int, int, str], g: re.Match) -> Candidate:
    ls, le, lt = (label.start(), label.end(), label.group(0)) if isinstance(label, re.Match) else label
    num = g.group("num")
    if g.group("dir") in ("下降", "减少", "回落", "降低") and not num.startswith("-"):
        num = "-" + num
    c = Candidate(key, lt, num + (g.group("post") or ""), "%", g.start("num"), g.end(), ls, le,
                  num_span=(g.start("num"), g.end("num")))
    c.flag("growth")
    if g.group("avg"):
        c.set("other", f"average growth over several years ({g.group('avg')}), not the year's rate", "growth")
    return c


def _fits(key: str, unit: str) -> bool:
    try:
        units.factor(unit, ind.get(key).unit)
    except units.UnitError:
        return False
    return True


def _clause_start(doc: Doc, pos: int, floor: int) -> int:
    i = bisect_left(doc.seps, pos) - 1
    return max(floor, doc.seps[i] + 1) if i >= 0 else floor


def _clause_end(doc: Doc, pos: int, ceil: int) -> int:
    """The separator ending the clause that ``text[:pos]`` ends in (``pos`` itself when it is one)."""
    i = bisect_left(doc.seps, pos)
    return min(ceil, doc.seps[i]) if i < len(doc.seps) else ceil


class SentenceReader:
    """Reads the figures of one sentence part ``text[s:e]``, given the matches of the label and structure
    patterns in it."""

    def __init__(self, doc: Doc, s: int, e: int, labels: list[re.Match], structures: list[re.Match]):
        self.doc, self.t, self.s, self.e, self.labels, self.structures = doc, doc.text, s, e, labels, structures
        self.out: list[Candidate] = []
        self.used: set[int] = set()  # label starts handled by paired or structure readers

    def read(self) -> list[Candidate]:
        t = self.t
        at = t.find("分别", self.s, self.e)
        while at >= 0:
            self._paired(at)
            at = t.find("分别", at + 2, self.e)
        for m in self.structures:
            self._structure(m)
        for m in self.labels:
            if m.start() not in self.used:
                self._single(m)
        return self.out

    # -- single labels ---------------------------------------------------------------------------------
    def _single(self, m: re.Match) -> None:
        t = self.t
        named = m.start() > self.s and t[m.start() - 1] == "(" and t.startswith(")", m.end())
        before = len(self.out)
        self._read_label(m, m.end() + 1 if named else m.end())
        if named:
            for c in self.out[before:]:
                c.named = True

    def _read_label(self, m: re.Match, after: int) -> None:
        t, e = self.t, self.e
        key = pt.label_key(m.group(0))
        if key is None:
            return
        gap_end = pt.GAP.match(t, after, e).end()
        if key == "":
            self._lookalike(m, gap_end)
            return
        if key in ("gdp_growth",):
            f = pt.FILLER.match(t, gap_end, e).end()
            g = _RATE.match(t, f, e) or pt.GROWTH.match(t, f, e)
            if g:
                self.out.append(_growth("gdp_growth", m, g))
            return
        # growth written before the level: 地区生产总值增长6.5%，达到300亿元
        f = pt.FILLER.match(t, gap_end, e).end()
        g = pt.GROWTH.match(t, f, e)
        if g is not None:
            self._growth_of(key, m, g)
            after = REACH.match(t, g.end(), e)
            v = pt.VALUE.match(t, after.end(), e) if after else None
            if v is not None:
                self._level(key, m, v)
                if "lower_bound" in _marker_flags(v) or THRESHOLD.match(t, v.end(), e):
                    self._carry_over(key, m, v.end())  # 增长6.8%，突破500亿元，达到512.3亿元
            return
        v = pt.VALUE.match(t, gap_end, e)
        if v is None:
            if not self._from_to(key, m, gap_end):
                self._carry_over(key, m, m.end())
            return
        self._level(key, m, v)
        end = v.end()
        if "lower_bound" in _marker_flags(v) or THRESHOLD.match(t, v.end(), e):
            carried = self._carry_over(key, m, v.end())
            end = carried or end
        else:
            self._threshold_after(key, m, v.end())
        # the growth of that level, in the same sentence, with nothing but filler in between
        f = pt.FILLER.match(t, end, e).end()
        g = pt.GROWTH.match(t, f, e)
        if g is not None:
            self._growth_of(key, m, g)
            end = g.end()
        self._of_which_places(key, m, end)
        share = SHARE_OF_LEVEL.get(key)
        if share is not None:  # 第一产业增加值6.57亿元，增长3.1%，占生产总值的比重为24.7% / 城镇人口…，占总人口的比重为…
            sh = (URBAN_SHARE_AFTER if key == "pop_urban" else SHARE_AFTER).match(t, end, e)
            if sh is not None:
                c = Candidate(share, m.group(0), sh.group("num"), "%", sh.start("num"), sh.end(),
                              m.start(), m.end(), num_span=(sh.start("num"), sh.end("num")))
                self.out.append(c)

    def _of_which_places(self, key: str, m, pos: int) -> None:
        """…共实现生产总值673.7亿元，其中嵩县263.5亿元、栾川县410.2亿元: each place's part of a joint figure,
        under the joint figure's label (whose place it is, the scope of ``其中嵩县`` decides)."""
        t, e = self.t, self.e
        w = _OF_WHICH.match(t, pos, e)
        if w is None:
            return
        at = w.end()
        while at < e:
            name = _place_at(t, at, e)
            if name is None:
                return
            verb = _PART_VERB.match(t, at + len(name), e)
            v = pt.VALUE.match(t, verb.end(), e)
            if v is None or not _fits(key, v.group("unit")):
                return
            c = _figure(key, m, v)
            c.preamble = (w.start() + 1, at + len(name))
            self.out.append(c)
            sep = pt.LIST_SEP.match(t, v.end(), e)
            if sep is None:
                return
            at = sep.end()

    def _level(self, key: str, m, v: re.Match) -> Candidate | None:
        c = _figure(key, m, v)
        if not _fits(key, c.unit_text):
            c.set("ambiguous", f"unit {c.unit_text} does not fit {ind.get(key).name_zh} ({ind.get(key).unit})",
                  "unit")
        self.out.append(c)
        return c

    def _growth_of(self, key: str, m, g: re.Match) -> None:
        c = _growth(GROWTH_KEYS.get(key, key), m, g)
        if key not in GROWTH_KEYS:
            c.set("other", f"growth of {ind.get(key).name_zh}: the registry has no growth indicator for it", "growth")
        self.out.append(c)

    def _carry_over(self, key: str, m, pos: int) -> int | None:
        """突破400亿元大关,达到417亿元 / 先后跨过500亿元、600亿元两个关口,2020年达到619.04亿元: the figure of
        the next clause, which has no label of its own. Returns the end of that figure."""
        t, e = self.t, self.e
        ce = _clause_end(self.doc, pos, e)
        if ce >= e or (pos == m.end() and not THRESHOLD.search(t, pos, ce)):
            return None
        if pos != m.end() and t[pos:ce].strip() not in ("", *THRESHOLD.findall(t[pos:ce])):
            return None
        r = REACH.match(t, ce, e)
        v = pt.VALUE.match(t, r.end(), e) if r else None
        if v is not None and _fits(key, v.group("unit")):
            c = _figure(key, m, v)
            c.preamble = (ce + 1, r.end())
            self.out.append(c)
            return v.end()
        return None

    def _from_to(self, key: str, m, pos: int) -> bool:
        """由2017年的150亿元增加到2022年的230亿元: the end figure, for its year; the start is another year's."""
        f = FROM_TO.match(self.t, pos, self.e)
        if f is None:
            return False
        start = pt.VALUE.match(self.t, f.start("v1"), f.end("v1"))
        end = pt.VALUE.match(self.t, f.start("v2"), f.end("v2"))
        if start is None or end is None:
            return False
        for v, y in ((start, f.group("y1")), (end, f.group("y2"))):
            c = self._level(key, m, v)
            if c is None:
                continue
            if y:  # the year alone decides: 2017年
                at = f.start("y1" if v is start else "y2")
                c.preamble = (at, at + 5)
            elif v is end:
                c.set("ambiguous", "the year of the figure reached is not stated (由…增加到…)", "year")
            else:
                c.set("other", "the starting level of a change over several years", "year")
        return True

    def _threshold_after(self, key: str, m, pos: int) -> None:
        """达到556.4亿元,首次突破500亿元大关: the threshold of the next clause is a lower bound of the same figure."""
        t, e = self.t, self.e
        if not t.startswith(",", pos):
            return
        r = THRESHOLD_CLAUSE.match(t, pos + 1, e)
        if r is not None and _fits(key, r.group("unit")):
            c = _figure(key, m, r)
            c.preamble = (pos + 1, r.start("marker"))
            self.out.append(c)

    def _lookalike(self, m: re.Match, gap_end: int) -> None:
        t = self.t
        v = pt.VALUE.match(t, gap_end, self.e)
        if v is None:
            return
        plain = pt.canonical_label(m.group(0))
        if plain == "总人口" and re.search("户籍|户口", t[self.s:m.start()]) and _fits("pop_registered", v.group("unit")):
            self.out.append(_figure("pop_registered", m, v))  # 户籍总户数…,总人口54.41万人
            return
        c = _figure("", m, v)
        c.set("other", pt.lookalike_reason(m.group(0)), "lookalike")
        self.out.append(c)

    # -- paired labels ------------------------------------------------------------------------------------
    def _paired(self, fb: int) -> None:
        t, doc = self.t, self.doc
        cs = _clause_start(doc, fb, self.s)
        subj_start, subj_end = cs, fb
        head = self._head_label(subj_start, subj_end)
        own_clause = True
        if head is None and pt.THREE_SECTORS.search(t, subj_start, subj_end) is None and \
                _URBAN_RURAL.search(t, cs, fb) is None:
            if cs <= self.s:
                return
            pcs = _clause_start(doc, cs - 1, self.s)  # 华安县、云霄县居民人均可支配收入首次超过3万元,分别达到…
            lab = [m for m in self.labels if pcs <= m.start() < cs - 1]
            if not lab:
                return
            subj_start, subj_end = pcs, lab[-1].end()
            head, own_clause = lab[-1], False
        verb = re.compile(r"分别(?:是|为|达到|达|实现|完成|增长|下降|提高|突破|超过|占)?").match(t, fb, self.e)
        values = self._value_list(verb.end())
        if not values:
            return
        growth = verb.group(0).endswith(("增长", "下降", "提高"))
        bound = next((w for w in ("突破", "超过") if verb.group(0).endswith(w)), "")  # 分别突破4万元、2万元: bounds
        labels, places, pre_end = self._paired_labels(head, subj_start, subj_end)
        if labels is None:
            return
        for m in self.labels:
            if own_clause and subj_start <= m.start() < subj_end:
                self.used.add(m.start())
        n = len(places) if places else len(labels)
        if n != len(values) or n < 2:
            for v in values:
                c = _figure(labels[0][0] or "", (subj_start, subj_end, t[subj_start:subj_end]), v,
                            unit=v.group("unit") or values[-1].group("unit") or "")
                c.set("ambiguous", f"{n} labels but {len(values)} values after 分别", "paired")
                self.out.append(c)
            return
        unit = next((v.group("unit") for v in reversed(values) if v.group("unit")), "")
        for i, v in enumerate(values):
            key, text = labels[0] if places else labels[i]
            lab = (subj_start, subj_end, text)
            u = v.group("unit") or unit
            if growth or (u == "%" and key and not _fits(key, "%")):
                if not key:
                    continue
                gkey = GROWTH_KEYS.get(key, key)
                c = _figure(gkey, lab, v, unit="%")
                c.flag("growth")
                if key not in GROWTH_KEYS:
                    c.set("other", f"growth of {text}: the registry has no growth indicator for it", "growth")
                elif verb.group(0).endswith("下降") and not c.value_text.startswith("-"):
                    c.value_text = "-" + c.value_text
            else:
                c = _figure(key, lab, v, unit=u)
                if not key:
                    c.set("other", f"{text}: not a registry indicator", "lookalike")
                elif not _fits(key, u):
                    c.set("ambiguous", f"unit {u} does not fit {text}", "unit")
            if bound and not growth and not v.group("marker"):
                c.value_text = bound + c.value_text
            c.preamble = (cs if subj_start == cs else subj_start, pre_end)
            if places:
                place = places[i]
                if place not in doc.own.names:
                    c.set("ambiguous", f"figure of another place ({place})", "place")
                else:
                    c.preamble = (pre_end, head.start())  # the list of places, ours among them
                    c.flag("paired")
            self.out.append(c)

    def _head_label(self, a: int, b: int) -> re.Match | None:
        """The label right before 分别 (only gap words between)."""
        for m in reversed(self.labels):
            if a <= m.start() and m.end() <= b:
                if pt.GAP.match(self.t, m.end(), b).end() == b:
                    return m
                return None
        return None

    def _paired_labels(self, head, a: int, b: int):
        """(labels [(key, wording)], places [names] or None, end of the preamble) for the subject text[a:b]."""
        t, own = self.t, self.doc.own
        subject = t[a:b]
        three = pt.THREE_SECTORS.search(subject)
        if three is not None:
            suffix = re.sub(r"(?:为|是|达到|达|实现|完成|\s)+$", "", subject[three.end():])
            for name in own.names_longest_first:  # …占玉山县生产总值的比重 -> …占生产总值比重
                suffix = suffix.replace("占" + name, "占")
            words = [s + suffix for s in pt.SECTORS]
            keys = [pt.fullmatch_label(w) for w in words]
            if any(k is None for k in keys):
                return None, None, a
            return list(zip(keys, words, strict=True)), None, a + three.start()
        both = _URBAN_RURAL.search(subject)
        if both and head is not None and pt.canonical_label(head.group(0)).startswith(both.group(0)):
            suffix = pt.canonical_label(head.group(0))[len(both.group(0)):]
            mid = both.group(1) or ""
            words = [f"城镇{mid}居民{suffix}", f"农村{mid}居民{suffix}"]  # 城乡(常住)居民…分别: urban, rural
            keys = [pt.fullmatch_label(w) for w in words]
            if any(k is None for k in keys):
                return None, None, a
            return list(zip(keys, words, strict=True)), None, a + both.start()
        if head is None:
            return None, None, a
        head_key = pt.label_key(head.group(0))
        before = t[a:head.start()]
        pre = sc._preamble_pattern(own).match(before)
        pre_len = pre.end() if pre else 0
        items = [p for p in re.split(r"、|和|与|及", before[pre_len:])]
        glued = items[-1] if items else ""
        places = sc.place_names(before)
        if glued and places and all(p in places for p in (x.strip() for x in items if x.strip())):
            return [(head_key, head.group(0))], [x.strip() for x in items if x.strip()], a + pre_len
        if glued:
            return None, None, a
        htext = head.group(0)
        labels = []
        for item in items[:-1]:
            item = item.strip()
            key = pt.fullmatch_label(item)
            word = item
            if key is None:
                for k in range(1, len(htext)):
                    if pt.fullmatch_label(item + htext[k:]) is not None:
                        word = item + htext[k:]
                        key = pt.fullmatch_label(word)
                        break
            if key is None:
                return None, None, a
            labels.append((key, word))
        labels.append((head_key, htext))
        return labels, None, a + pre_len

    def _value_list(self, pos: int) -> list[re.Match]:
        t, e = self.t, self.e
        out = []
        while True:
            v = pt.VALUE_ITEM.match(t, pos, e)
            if v is None or not v.group("num"):
                break
            out.append(v)
            sep = pt.LIST_SEP.match(t, v.end(), e)
            if sep is None:
                break
            pos = sep.end()
        if out and not out[-1].group("unit"):
            return []
        # a separator may have been a clause comma: stop at the first item that is not a number with a unit
        return out

    # -- structure ----------------------------------------------------------------------------------------
    def _structure(self, m: re.Match) -> None:
        t, e = self.t, self.e
        g = pt.STRUCTURE_GAP.match(t, m.end(), e)
        pos = g.end()
        pos = re.compile(r"分别(?:为|是)?").match(t, pos, e).end() if t.startswith("分别", pos) else pos
        r = pt.RATIO.match(t, pos, e) or pt.SHARE_LIST.match(t, pos, e)
        if r is None:
            return
        names = ("a", "b", "c") if r.group("a") is not None else ("a2", "b2", "c2")
        values = [float(r.group(x)) for x in names]
        for x, key in zip(names, ("share_primary", "share_secondary", "share_tertiary"), strict=True):
            c = Candidate(key, m.group(0), r.group(x), "%", r.start(x), r.end(x), m.start(), m.end(), "structure",
                          num_span=(r.start(x), r.end(x)))
            if abs(sum(values) - 100) > 1.0:
                c.set("ambiguous", f"the three shares add up to {sum(values):g}, not 100", "structure")
            self.out.append(c)


_OF_WHICH = re.compile(r",\s?其中:?\s?")
_PART_VERB = re.compile(r"(?:为|达到|达|实现|完成)?")


def _place_at(t: str, at: int, e: int) -> str | None:
    """The registry place name that starts at ``t[at]`` (the longest), if any."""
    head = t[at:min(e, at + 12)]
    names = [n for n in sc.place_names(head) if head.startswith(n)]
    return max(names, key=len) if names else None


def _marker_flags(v: re.Match) -> set[str]:
    return {vocab.MARKERS[w] for w in (v.group("marker"), v.group("inner"), v.group("post")) if w}
