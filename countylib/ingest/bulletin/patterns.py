"""The wordings and number shapes the extractor looks for, built from the indicator registry and
:mod:`countylib.vocab` (never a word list of its own for indicators or markers).

Everything here works on text normalised by :func:`countylib.btext.normalize_mapped` (half-width
digits and punctuation, simplified characters, no pinyin glosses or footnote marks).

>>> m = LABELS.search("全年全县地区生产总值230亿元")
>>> m.group(0), label_key(m.group(0))
('地区生产总值', 'gdp')
>>> label_key("户籍人口城镇化率")  # a lookalike: not an indicator
''
>>> v = VALUE.match("约230.65亿元左右")
>>> v.group("marker"), v.group("num"), v.group("unit"), v.group("post")
('约', '230.65', '亿元', '左右')
"""

from __future__ import annotations

import re

import countylib.ingest.bulletin.words as bwords
from countylib import caches, vocab
from countylib.data import indicators as ind
from countylib.ingest import units

# ------------------------------------------------------------------------------------------------------
# Labels: registry aliases and lookalike wordings, longest first
# ------------------------------------------------------------------------------------------------------

#: Registry aliases that name no subject in running text (a heading word, not a wording of prose).
_NOT_IN_PROSE = {"GDP增长率"}
_SCOPE_AFTER_ZHAN = "(?:全县|全市|全区|全旗|县域|全县域|全市域)?"
#: After 占, GDP may be written four ways; the registry's wordings are matched with any of them.
_GDP_AFTER_ZHAN = "(?:地区生产总值|国内生产总值|生产总值|GDP)"


def _flexible(word: str) -> str:
    """Regex for a wording that also matches the usual small variations: 的 before 比重/占比, a scope
    word after 占 (第一产业增加值占全县生产总值的比重)."""
    out = re.escape(canonical_label(word))
    out = out.replace("占地区生产总值", "占" + _SCOPE_AFTER_ZHAN + _GDP_AFTER_ZHAN)
    out = out.replace("占", "占" + _SCOPE_AFTER_ZHAN) if _GDP_AFTER_ZHAN not in out else out
    out = re.sub(r"(?<!的)(比重|占比)", r"的?\1", out)
    return out


@caches.memo(4096)
def canonical_label(text: str) -> str:
    """A matched label without the optional parts, as the registry writes it.

    >>> canonical_label("第一产业增加值占全县地区生产总值的比重")
    '第一产业增加值占地区生产总值比重'
    """
    text = re.sub("占" + _SCOPE_AFTER_ZHAN + _GDP_AFTER_ZHAN, "占地区生产总值", text)
    text = re.sub("占" + _SCOPE_AFTER_ZHAN, "占", text)
    return re.sub(r"的(比重|占比)", r"\1", text)


@caches.memo(None)
def _wordings() -> dict[str, str]:
    """Wording (normalised) -> registry key, or "" for a lookalike."""
    words: dict[str, str] = {}
    for key, meta in ind.registry().items():
        for w in (meta.name_zh, *meta.aliases):
            w = vocab.normalize(w)
            if len(w) >= 2 and "_" not in w and w not in _NOT_IN_PROSE:
                words.setdefault(w, key)
    for w in bwords.LOOKALIKES:
        words[vocab.normalize(w)] = ""
    # the variants with 的 (…的比重) are matched by the regex; store them under the plain form too
    return {canonical_label(w): k for w, k in words.items()}


@caches.memo(None)
def _label_pattern() -> re.Pattern:
    """All wordings, longest first, grouped by their first character (地(?:区生产总值|…)|人(?:…)|…). At a
    place only the group of its character can match, and each group keeps the order of its wordings, so
    the matches are those of the plain alternation; the regex engine just tries far fewer wordings."""
    ordered = [(w, _flexible(w)) for w in sorted(_wordings(), key=len, reverse=True)]
    groups: dict[str, list[str]] = {}
    for word, pattern in ordered:
        head = re.escape(word[0])
        if not pattern.startswith(head):  # a wording whose pattern does not start with a plain character
            return re.compile("|".join(p for _, p in ordered))
        groups.setdefault(head, []).append(pattern[len(head):])
    return re.compile("|".join(f"{head}(?:{'|'.join(rest)})" for head, rest in groups.items()))


class _Labels:
    """Lazy proxy so importing this module does not read the registry."""

    def __getattr__(self, name):
        return getattr(_label_pattern(), name)


LABELS = _Labels()


@caches.memo(4096)
def label_key(text: str) -> str | None:
    """Registry key of a matched label, ``""`` for a lookalike, None if it is no known wording."""
    return _wordings().get(canonical_label(text))


def lookalike_reason(text: str) -> str:
    """Why a lookalike wording is not the indicator it resembles."""
    plain = canonical_label(text)
    for w, reason in bwords.LOOKALIKES.items():
        if vocab.normalize(w) == plain:
            return f"{plain}: {reason}"
    return plain


@caches.memo(4096)
def fullmatch_label(text: str) -> str | None:
    """Key for a whole string that is exactly one wording (used for table rows and paired labels)."""
    m = _label_pattern().fullmatch(text)
    return label_key(m.group(0)) if m else None


# ------------------------------------------------------------------------------------------------------
# Numbers with their units and markers
# ------------------------------------------------------------------------------------------------------

def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


#: Markers written before a number that change what it means (约, 突破, 不足 ...), from the vocabulary.
PREFIX_MARKERS = [w for w, f in vocab.MARKERS.items()
                  if w not in vocab.SUFFIX_MARKERS and f in ("approximate", "lower_bound", "upper_bound")]
#: Verbs and other words that stand between a label and its number without changing it (达到, 为 ...).
EXACT_WORDS = [w for w, f in vocab.MARKERS.items() if f == "exact" and w not in vocab.SUFFIX_MARKERS]
_INNER_SUFFIX = _alt(w for w in vocab.SUFFIX_MARKERS if len(w) == 1)  # 300余家
_OUTER_SUFFIX = _alt(w for w in vocab.SUFFIX_MARKERS if len(w) > 1)  # 230亿元左右

#: Units a figure in prose may carry (those of the units parser); longest first.
UNIT_WORDS = sorted((u for u in units.UNITS if not u.isascii() or u in ("%",)), key=len, reverse=True)
_UNIT = "|".join(
    re.escape(u) + {"人": "(?![次民均口])", "万人": "(?!次)", "个": "(?!百分点|点|月|季度)", "元": "(?!/吨)"}.get(u, "")
    for u in UNIT_WORDS)
NUMBER = r"\d+(?:\.\d+)?"
MASK = r"[xX×*]{1,6}(?:\.[xX×*]{1,4})?"
_VALUE_FIRST = re.escape("".join(sorted({w[0] for w in PREFIX_MARKERS}))) + r"\dxX×*"
VALUE = re.compile(vocab.quick_start(
    rf"(?P<marker>{_alt(PREFIX_MARKERS)})?(?P<num>{NUMBER}|{MASK})(?P<inner>{_INNER_SUFFIX})?\s?"
    rf"(?P<unit>{_UNIT})(?P<post>{_OUTER_SUFFIX})?", _VALUE_FIRST))
#: A list of values after 分别 (分别为12.5亿元、8.1亿元 or 分别为12.5、8.1亿元).
VALUE_ITEM = re.compile(
    rf"(?P<marker>{_alt(PREFIX_MARKERS)})?(?P<num>-?{NUMBER}|{MASK})(?P<inner>{_INNER_SUFFIX})?\s?"
    rf"(?P<unit>{_UNIT})?(?P<post>{_OUTER_SUFFIX})?")
LIST_SEP = re.compile(r"\s?(?:、|,|和|与|及|以及)\s?")

# A parenthetical note between a label and its number: (GDP), (现价), (初步核算数) ...
PAREN = r"\(\([^()\n]{1,24}\)\)|\([^()\n]{1,24}\)"
#: What such a note may say without changing whose figure it is.
PAREN_OK = re.compile(r"\((?:GDP|现价|按?当年价格?计算?|当年价|按现价计算|初步核算数?|初步统计数?|快报数?|预计数?|"
                      r"预计|初步数|下同|同比|同比,下同|全域口径|全口径|按常住人口计算|按年?常住人口计算|含[^()不]{0,12}|"
                      r"[A-Za-z&]{2,8})\)")

#: Words that may stand between a label and its number (besides the exact verbs of the vocabulary).
GAP_WORDS = ["总量", "总额", "总数", "数量", "规模", "全年", "年末", "已", "已经", "首次", "再次", "一举", "共", "有",
             "增加值", "最终核实为", "核实为", "核实", "最终", "初步核算", "预计", "总", "约为", "当年", "GDP"]
#: A change stated before the level it leads to: 比上年提高1.1个百分点，达到45.2% / 比上年增加20亿元，达到230亿元.
CHANGE_BEFORE = (rf"(?:比上年|较上年|比去年|较去年|同比)?(?:提高|上升|下降|回落|增加|净增|减少|多增)了?{NUMBER}"
                 r"(?:个百分点|万亿元|亿元|万元|元|万人|人|家|个)[,，、]\s?(?:总量|总数|累计|总计)?"
                 r"(?=达到|达|为|至|提高到|上升到|增至|增加到|超过?|突破|逾)")
GAP = re.compile(rf"(?:\s|:|{PAREN}|{CHANGE_BEFORE}|{_alt(EXACT_WORDS + GAP_WORDS)})*")

# ------------------------------------------------------------------------------------------------------
# Growth rates, structure ratios, years
# ------------------------------------------------------------------------------------------------------

_AVG = _alt(bwords.AVERAGE_GROWTH_WORDS)
#: Words between a level and its growth rate (按可比价格计算, 比上年, 同比 ...).
FILLER = re.compile(
    rf"(?:[\s,、]|{PAREN}|(?:按照|按)?(?:(?:19|20)\d\d年)?(?:可比价格?|不变价格?|可比口径)计算?|以(?:可比|不变)价格?计算|"
    r"可比价|可比|按初步核算数据?|"
    r"经?初步核算|据初步核算|比上年同期|较上年同期|比上年|较上年|比去年|较去年|同比|比(?:19|20)\d\d年|较(?:19|20)\d\d年|"
    r"实际|全年|年|"
    rf"(?:比上年|较上年)?(?:净增|增加|新增|多增)了?{NUMBER}(?:万亿元|亿元|万元|元)(?=[,、]))*")
GROWTH = re.compile(
    rf"(?P<avg>{_AVG})?(?:(?P<dir>增长|下降|减少|回落|降低|增加|提高|增(?=-?\d))了?|(?:增速|增幅|增长率)(?:为|达到?|是)?)"
    rf"(?P<num>-?{NUMBER}|{MASK})\s?%(?P<post>{_OUTER_SUFFIX})?")
RATIO = re.compile(rf"(?P<a>{NUMBER})%?\s?:\s?(?P<b>{NUMBER})%?\s?:\s?(?P<c>{NUMBER})%?(?![\d:.])")
STRUCTURE_LABEL = re.compile(
    r"(?:三次产业|三大产业|一二三产业?|一、二、三产业?|第一、二、三产业|第一、第二、第三产业|一产、二产、三产|产业)"
    r"(?:增加值)?(?:占(?:GDP|地区生产总值|生产总值)的?)?(?:的)?(?:结构|比重|比例|构成|占比|之比|比)+")
#: Three shares written as a list: 9.2%、51.0%、39.8% (or 9.2%、51.0%和39.8%, or 9.3、41.0、49.6).
SHARE_LIST = re.compile(rf"(?P<a>{NUMBER})%(?:、|,)(?P<b>{NUMBER})%(?:、|,|和)(?P<c>{NUMBER})%|"
                        rf"(?P<a2>{NUMBER})、(?P<b2>{NUMBER})(?:、|和)(?P<c2>{NUMBER})(?![\d.%])")
_ANY_RATIO = (rf"(?:{NUMBER}%?\s?:\s?{NUMBER}%?\s?:\s?{NUMBER}%?|{NUMBER}%(?:、|,){NUMBER}%(?:、|,|和){NUMBER}%)")
STRUCTURE_GAP = re.compile(
    rf"(?:[\s:]|{PAREN}|为|是|达到|调整为|优化为|调整到|变为|演变为|演进为|转变为|进一步|继续|不断|持续|"
    rf"由(?:上年|去年|(?:19|20)\d\d年)?(?:末)?的?{_ANY_RATIO}(?:调整|优化|变化|转变|演变|演进)?(?:为|到)|,)*")
THREE_SECTORS = re.compile(r"(?:三次产业|三大产业|一二三产业?|一、二、三产业?|第一、二、三产业?|第一、第二、第三产业?|"
                           r"一产、二产、三产|一、二、三产)")
SECTORS = ("第一产业", "第二产业", "第三产业")
#: A year that sets the time of what follows (2021年全县…, 到2022年末…), not a base year (与2020年相比).
TIME_YEAR = re.compile(vocab.quick_start(
    r"(?:(?P<by>截至|截止|到|至)|在|于)?(?P<y>(?:19|20)\d{2})年(?:度|末|底|全年|年末|年底)?"
    r"(?!相比|比|以来|的|前|后|[-—~至到])(?(by)|(?!\d{1,2}月|[一二三四五六七八九十]{1,2}月))", "截到至在于12"))
PRELIMINARY = re.compile(_alt(w for w, f in vocab.MARKERS.items() if f == "preliminary") + "|初步测算|初步结果")
ESTIMATE = re.compile(_alt(w for w, f in vocab.MARKERS.items() if f == "estimate"))
