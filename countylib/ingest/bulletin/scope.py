"""Whose figure is it, and for which year: the words before a label decide.

A figure is the county's own only when everything between the start of its clause and its label is
known to leave the scope alone (a year, 全年, 全县, the county's name, 其中, 分产业看, 按常住人口计算 ...).
Anything else is looked at for what it says -- another place, a sub-scope (本级, 城区), part of the
economy (民营经济), the registered population (户籍), a change (新增), part of the year (一季度), a
target (目标) -- and the figure is reported with that reason instead of accepted.

>>> own = Own.of("嵩县")
>>> classify("2022年全县", own).status
'ok'
>>> q = classify("洛阳市", own)
>>> q.status, q.kind, q.reason
('ambiguous', 'place', 'figure of another place (洛阳市)')
>>> classify("区本级", own).kind
'subscope'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import countylib.ingest.bulletin.patterns as pt
import countylib.ingest.bulletin.words as bwords
from countylib import caches, vocab

#: The last characters of full place names (河南省, 偃师市, 嵩县, 鄂温克族自治旗, 锡林郭勒盟).
PLACE_SUFFIXES = "省市县区旗州盟"
# Registry names that are everyday words in running text (城区 is a district of 阳泉市, and a sub-scope).
_GENERIC_PLACES = {"城区", "郊区", "矿区", "东区", "西区", "新区", "市区", "市中区", "市辖区", "河东区", "河西区"}


@dataclass(frozen=True)
class Own:
    """The unit a text is about: its names and the words it uses for itself (全县 in a 县's text)."""

    names: frozenset[str] = frozenset()
    scope_words: tuple[str, ...] = tuple(w for ws in bwords.OWN_SCOPE_WORDS.values() for w in ws)
    other_scope_words: tuple[str, ...] = bwords.OTHER_SCOPE_WORDS
    given: bool = False

    def __hash__(self) -> int:  # part of the key of every cached reading of the words before a label
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash((self.names, self.scope_words, self.other_scope_words, self.given))

    @cached_property
    def names_longest_first(self) -> tuple[str, ...]:
        """Its names, the longest first (石柱土家族自治县 before 石柱县 before 石柱)."""
        return tuple(sorted(self.names, key=len, reverse=True))

    @cached_property
    def label_prefixes(self) -> tuple[str, ...]:
        """Words that may stand before a table's row label to say the row is the unit's own: its scope
        words (全县), then its names, the longest first."""
        return (*self.scope_words, *self.names_longest_first)

    @classmethod
    @caches.memo(None)
    def of(cls, county: str | None) -> Own:
        """Names of ``county`` as the registry knows them (full, short, with its prefecture).

        >>> {"石柱", "石柱县", "重庆市石柱土家族自治县"} <= Own.of("石柱土家族自治县").names
        True
        >>> Own.of("偃师市").scope_words[:2], "偃师区" in Own.of("偃师市").names  # the name a 2019 text used
        (('全市域', '全市'), True)
        """
        if not county:
            return cls()
        from countylib.data import regions

        name = given = vocab.clean_name(county)
        names = {name}
        res = regions.resolve([name], errors="report", level=None)
        if res.adcode.notna().iloc[0]:
            row = regions.lookup([res.adcode.iloc[0]]).iloc[0]
            full, short = row["name"], row["short_name"]
            names |= {full, short}
            if len(short) >= 2:
                names.add(short + full[-1])  # 石柱土家族自治县 -> 石柱县
                if full.endswith(("自治县", "自治旗")):
                    names.add(short + full[-3:])  # 紫云苗族布依族自治县 -> 紫云自治县
            for pref in (row.get("prefecture_name"), row.get("province_name")):
                if isinstance(pref, str) and pref and pref != full:
                    names |= {pref + full, pref + short + full[-1]}
            name = full
        names = {n for n in names if len(n) >= 2}
        if given[-1:] in bwords.OWN_SCOPE_WORDS and not given.endswith("自治县"):
            name = given  # a former name (偃师市 for today's 偃师区): its text speaks of itself as 全市
        kind = name[-1] if name and name[-1] in bwords.OWN_SCOPE_WORDS else None
        if name.endswith("自治县"):
            kind = "县"
        scope = bwords.OWN_SCOPE_WORDS.get(kind, ()) if kind else ()
        others = tuple(w for ws in bwords.OWN_SCOPE_WORDS.values() for w in ws if w.startswith("全") and w not in scope)
        return cls(frozenset(names), scope or cls.scope_words, bwords.OTHER_SCOPE_WORDS + others, True)


@dataclass
class Scope:
    """What the words before a figure say about it."""

    status: str = "ok"  # ok | ambiguous | other
    kind: str = ""  # place, subscope, economy, registered, increase, period, target, qualified
    reason: str = ""
    explicit_own: bool = False  # names the unit itself (全县, 嵩县): later clauses inherit nothing before it
    year: int | None = None
    flags: set[str] = field(default_factory=set)
    year_word: str = ""  # 上年, 去年, 今年 at the start: relative to the text's year, see attribute._year
    places: tuple[str, ...] = ()  # the places listed before the label, ours among them (嵩县、栾川县共…)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


_CONNECTORS = (
    "其中:", "其中", "分产业看", "分三次产业看", "分三次产业", "分产业", "按产业分", "按产业看", "三次产业中", "分行业看",
    "按常住人口计算的", "按常住人口计算", "按常住地分", "按常住地划分", "常住人口中", "常住", "经初步核算", "据初步核算",
    "初步核算", "经初步测算", "据初步测算", "初步测算", "初步统计", "据统计", "经核算", "全年", "年末", "年底", "年内",
    "当年", "本年", "截至", "截止", "到", "至", "在", "于", "末", "底", "全体", "国家级", "国家", "有效", "认定", "拥有",
    "共有", "现有", "有", "共", "实现", "完成", "达到", "预计", "约", "已", "累计", "一年来", "全面", "合计", "总计",
    "主要经济指标", "主要指标", "经济总量", "综合实力", "全口径", "首次", "一举", "再次", "成功", "顺利", "辖区", "全辖区",
    "境内", "域内", "当年价", "现价", "按当年价格计算的", "按现价计算的", "可比价",
    # run-in headings, printed in bold before a paragraph's first sentence (人口年末常住人口…, 国民经济全年实现…)
    "人口", "国民经济", "财政",
)


@caches.memo(None)
def _preamble_pattern(own: Own) -> re.Pattern:
    words = sorted({*_CONNECTORS, *own.scope_words, *own.names, "上年", "去年", "今年"}, key=len, reverse=True)
    token = (rf"(?:(?:19|20)\d{{2}}年(?:度|末|底|全年|年末|年底)?|{pt.PAREN}|[\s:、]|"
             + "|".join(re.escape(w) for w in words) + ")")
    return re.compile(rf"(?:{token})*")


def classify(text: str, own: Own) -> Scope:
    """Classify the words between the start of a clause and a label (the preamble); see :func:`_classify`.

    >>> own = Own.of("中江县")
    >>> classify("按常住人口计算的", own).ok, classify("新增", own).kind, classify("一季度", own).kind
    (True, 'increase', 'period')
    """
    status, kind, reason, explicit_own, year, flags, word, places = _classify(text, own)
    return Scope(status, kind, reason, explicit_own, year, set(flags), word, places)


@caches.memo(16384)
def _classify(text: str, own: Own) -> tuple:
    s = _classify_scope(text, own)
    return s.status, s.kind, s.reason, s.explicit_own, s.year, frozenset(s.flags), s.year_word, s.places


def _classify_scope(text: str, own: Own) -> Scope:
    scope = Scope()
    m = _preamble_pattern(own).fullmatch(text)
    if m is not None:
        scope.explicit_own = any(w in text for w in (*own.scope_words, *own.names))
        _time(text, scope)
        bad = _paren_problem(text)
        if bad:
            scope.status, scope.kind, scope.reason = "ambiguous", "qualified", f"note {bad} before the label"
        elif _other_scope_word(text, own):
            _set_place(scope, _other_scope_word(text, own))
        return scope
    _time(text, scope)
    places = place_names(text)
    if any(p in own.names for p in places) and _only_places(text, places, own):
        scope.explicit_own = True  # 华安县、云霄县居民…: a statement about each place, ours too
        scope.places = tuple(dict.fromkeys(places))
        return scope
    q = qualifier(text, own)
    if q is not None:
        scope.status, scope.kind, scope.reason = q
        return scope
    rest = _preamble_pattern(own).sub("", text)[:12]
    scope.status, scope.kind, scope.reason = "other", "qualified", f"label qualified by '{rest}'"
    return scope


@caches.memo(16384)
def qualifier(text: str, own: Own) -> tuple[str, str, str] | None:
    """(status, kind, reason) for words that change whose figure it is, or None (a blacklist scan).

    >>> qualifier("民营经济全年实现增加值", Own.of("嵩县"))
    ('other', 'economy', 'part of the economy (民营经济)')
    """
    if period := bwords.PERIOD_PATTERN.search(text):
        return "other", "period", f"part of the year ({period.group(0)})"
    if word := next((w for w in bwords.TARGET_WORDS if w in text), None):
        return "other", "target", f"a target or plan ({word}), not an outcome"
    places = [p for p in place_names(text) if p not in own.names]
    other = _other_scope_word(text, own)
    if places or other:
        return "ambiguous", "place", f"figure of another place ({(places or [other])[0]})"
    if word := next((w for w in vocab.SUBSCOPE_WORDS if w in text), None):
        return "ambiguous", "subscope", f"sub-scope ({word}), not the whole unit"
    if word := next((w for w in bwords.ECONOMY_PART_WORDS if w in text), None):
        return "other", "economy", f"part of the economy ({word})"
    if word := next((w for w in bwords.REGISTERED_WORDS if w in text), None):
        return "other", "registered", f"registered population ({word})"
    if word := next((w for w in bwords.INCREASE_WORDS if w in text.replace("增加值", "值")), None):
        return "other", "increase", f"a change ({word}), not a level"
    return None


def _set_place(scope: Scope, name: str) -> None:
    scope.status, scope.kind, scope.reason = "ambiguous", "place", f"figure of another place ({name})"


def _other_scope_word(text: str, own: Own) -> str | None:
    return next((w for w in own.other_scope_words if w in text), None)


def _paren_problem(text: str) -> str | None:
    """A note in brackets that narrows the scope ((不含开发区), (城区)); one that widens it to the whole
    published total ((含玉东,下同)) does not."""
    for m in re.finditer(pt.PAREN, text):
        inner = m.group(0).strip("()")
        if pt.PAREN_OK.fullmatch(m.group(0)) or inner.startswith(("含", "包含", "包括")):
            continue
        if qualifier(inner, Own()) is not None:
            return m.group(0)
    return None


def _only_places(text: str, places: list[str], own: Own) -> bool:
    rest = text
    for p in sorted(places, key=len, reverse=True):
        rest = rest.replace(p, "、")
    return _preamble_pattern(own).fullmatch(rest.replace("和", "、").replace("与", "、")) is not None


def _time(text: str, scope: Scope) -> None:
    years = [int(m.group("y")) for m in pt.TIME_YEAR.finditer(text)]
    if years:
        scope.year = years[-1]
    if m := re.match(r"^(?:上年|去年|今年)", text):
        scope.year_word = m.group(0)
    if "预计" in text:
        scope.flags.add("estimate")


@caches.memo(None)
def _place_index() -> dict[str, str]:
    from countylib.data import regions

    reg = regions.registry()
    names: dict[str, str] = {}
    for r in reg.itertuples(index=False):
        if r.name not in _GENERIC_PLACES and len(r.name) >= 2:
            names.setdefault(r.name, r.adcode)
    return names


def place_names(text: str) -> list[str]:
    """Registry place names in ``text`` (full names ending in 省 市 县 区 旗 州 盟), longest at each end.

    >>> place_names("2022年漳州市居民")
    ['漳州市']
    """
    index = _place_index()
    found = []
    for i, ch in enumerate(text):
        if ch not in PLACE_SUFFIXES:
            continue
        for k in range(min(i + 1, 12), 1, -1):
            cand = text[i - k + 1:i + 1]
            if cand in index:
                found.append(cand)
                break
    return found
