"""One vocabulary for text as published: normalisation and the marker words every reader shares.

Yearbook readers, the units parser, the name resolver and the bulletin extractor all see the same
kinds of text: full-width digits and spaces, traditional characters, footnote marks after names
(``栾川县①``), and words around numbers that change what a number means (``约``, ``突破``, ``预计``,
``本级``). They all take those from here, so they cannot disagree about them. What only one reader
needs lives with it: the extractor's offset-mapped text and its words in
:mod:`countylib.ingest.bulletin.text` and :mod:`countylib.ingest.bulletin.words`, the layout
analysis's heading words in :mod:`countylib.ingest.layout`.

>>> normalize("３８.５　億元")
'38.5亿元'
>>> clean_name("　栾 川 县①")
'栾川县'
>>> marker_flag("突破"), marker_flag("达到"), marker_flag("约")
('lower_bound', 'exact', 'approximate')
>>> row_label_kind("县域合计"), row_label_kind("其中：市区"), row_label_kind("全省")
('subtotal', 'subscope', 'province_total')
"""

from __future__ import annotations

import re
import unicodedata

from countylib import caches


def quick_start(pattern: str, first: str) -> str:
    """``pattern`` behind a look-ahead for the characters its matches can start with (``first``, as the
    inside of a character class). Searching a long text, the regex engine then passes over every other
    position at once instead of trying each alternative there. The matches are the same, as long as
    ``first`` holds every character a match can start with. (A pattern that starts with a literal or a
    character class needs none: the engine skips ahead by it already.)

    >>> p = re.compile(quick_start("约?[0-9]+亿元", "约0-9"))
    >>> [m.group(0) for m in p.finditer("全县约230亿元,其中12亿元")]
    ['约230亿元', '12亿元']
    """
    return f"(?=[{first}])(?:{pattern})"


# ------------------------------------------------------------------------------------------------------
# Marker words around a number
# ------------------------------------------------------------------------------------------------------

#: Word -> flag it gives the number it stands with. Verbs (达到, 实现 ...) say nothing about precision:
#: "达230.65亿元" is the exact figure 230.65.
MARKERS: dict[str, str] = {
    **dict.fromkeys(("大约", "约", "左右", "上下", "近", "将近", "接近", "余", "多", "许"), "approximate"),
    **dict.fromkeys(("突破", "超过", "超", "逾", "以上", "多于", "高于", "跨越", "迈上", "站上"), "lower_bound"),
    **dict.fromkeys(("不足", "不到", "以下", "少于", "低于"), "upper_bound"),
    **dict.fromkeys(("预计", "预估", "预期", "预测"), "estimate"),
    **dict.fromkeys(("初步核算", "初步统计", "快报", "初步测算", "初步"), "preliminary"),
    **dict.fromkeys(("达到", "达", "实现", "完成", "为", "是", "共计", "合计", "总计", "累计", "最终核实", "核实数"),
                    "exact"),
    **dict.fromkeys(("增加到", "增至", "提高到", "提升到", "上升到", "增长到", "达至", "提高至", "提升至", "上升至",
                     "增长至", "增加至"), "exact"),
}
#: Markers written after the number (``300余家``, ``230亿元左右``); all other markers stand before it.
SUFFIX_MARKERS = ("左右", "上下", "以上", "以下", "余", "多", "许")
#: Order of strength when several markers stand together (the stronger statement wins).
FLAG_STRENGTH = ("exact", "preliminary", "estimate", "approximate", "upper_bound", "lower_bound")

#: Words that narrow a figure to part of the unit: a 本级 budget, an urban-district total.
SUBSCOPE_WORDS = ("县本级", "市本级", "区本级", "县级本级", "本级", "市级", "县级", "城区", "中心城区", "市区",
                  "主城区", "县城")
#: Totals and subtotals printed as row labels in yearbook tables.
TOTAL_WORDS = ("全国", "全省", "全市", "全区", "全县", "合计", "总计", "总计数", "县域合计", "各县(市)合计",
               "省直管县合计", "各县合计")
#: Row labels that stand for the whole province, the whole prefecture, or a scope the sidecar must declare.
PROVINCE_TOTAL_WORDS = ("全省",)
PREFECTURE_TOTAL_WORDS = ("全市",)
DECLARED_TOTAL_WORDS = ("合计", "总计", "总计数", "总体", "全区", "全县", "全国")
#: Row labels of subtotals: part of a table's units added up (县域合计, 各县（市）合计, 小计 ...).
SUBTOTAL_WORDS = ("县域合计", "各县(市)合计", "县(市)合计", "省直管县合计", "各县合计", "各县市合计", "县域", "市辖区",
                  "市辖区合计", "各区合计", "小计", "县(市)", "省辖市", "县级市", "各县(市)", "各省辖市")
#: What a sub-scope row starts with (其中：市区) or ends with (洛阳市区, 市本级).
SUBSCOPE_PREFIX = ("其中",)
SUBSCOPE_SUFFIX = ("市区", "城区", "本级", "县城")

#: Row labels of the name column's heading (地区, 县（市）, 县（市、区）…): a row holding one of them is a heading
#: row even when the cells beside it are numbers (地区 | 2021 | 2022).
HEADING_LABEL = re.compile(
    r"^(?:地区|地名|区域|名称|单位|项目|指标|行政区划|区划|县别|市别|地区名称|单位名称|区县|县区|县市区?|市县区?|市区县)"
    r"(?:名称|代码)?$|^各?[县市区旗](?:[(（][县市区旗、,，]+[)）])(?:名称|别)?$")
#: Words that make an indicator a figure per person (人均地区生产总值): never summed over units.
PER_PERSON_WORDS = ("人均", "每人", "每万人", "每十万人")
#: A title's year: （2022年）, 2022年 — not 2023年鉴 (the edition).
TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!鉴)")
#: A span of years in a title (2021—2022年, 2021-2022年): the title names both.
YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[—–\-~～至到]\s*((?:19|20)\d{2})\s*年(?!鉴)")
#: Currency signs that only say "money" (¥38,034 is 元).
CURRENCY_SIGNS = ("¥", "￥", "RMB", "人民币", "CNY")
#: A multiplier written inside a number or as a bare unit (3.2亿, 5万, unit 萬), as powers of ten.
MULTIPLIER_EXPONENTS = {"万亿": 12, "亿": 8, "千万": 7, "百万": 6, "十万": 5, "万": 4, "千": 3, "百": 2}

#: Words that start a note row under a table (注 also numbered: 注1：, 注②).
NOTE_WORDS = ("注", "说明", "资料来源", "数据来源", "备注", "附注")
NOTE_ROW = re.compile(rf"^(?:{NOTE_WORDS[0]}[0-9①-⑩]*(?:[:：]|$)|(?:{'|'.join(NOTE_WORDS[1:])})[:：]?)")
MARKER_PATTERN = re.compile("|".join(map(re.escape, sorted(MARKERS, key=len, reverse=True))))
MASKED = re.compile(r"^[xX×*＊]+$")
MISSING = re.compile(r"^(?:[—–\-－…\.。·/]+|无|空|NA|N/A|None)?$", re.IGNORECASE)
# Pinyin glosses inserted after characters by some reprints: 地區(qū)生產(chǎn)總值.
PINYIN_GLOSS = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ\s]+[)）]")
# Footnote marks after a name: ①, ⑴, (1), [2], 【3】, *, #, †, superscript digits and letters. Matched on the
# text as printed (NFKC would turn ① and ¹ into a plain 1) and again after normalisation.
FOOTNOTE = re.compile(
    r"(?:[\u2460-\u24ff\u2776-\u2793*＊#＃†‡§⁰¹²³⁴-⁹⁺ᵃ-ᶿ\u02b0-\u02ff]"
    r"|[(（\[【]\s*[0-9a-zA-Z]{1,2}\s*[)）\]】]|\s)+$"
)
# Numbering before a name in a table (一、郑州市; (二)洛阳市; 1.巩义市): place names never start that way.
LEADING_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,3}\s*[、.．])\s*")
# After normalisation: one or two ASCII digits or lower-case letters glued to a Chinese name are a footnote
# mark whose superscript formatting was lost (栾川县1, 兰考县a): place names never end that way.
TRAILING_MARK = re.compile(r"(?<=[\u4e00-\u9fff])[0-9a-z]{1,2}$")
# A middle dot between digits is a decimal point in some reprints (1·8%).
# (The dot comes first, the look-behind after it: a pattern that starts with a character class lets the
# regex engine skip ahead to the next candidate character instead of trying every position.)
MIDDLE_DOT_DECIMAL = re.compile(r"[·•∙・](?<=\d[·•∙・])(?=\d)")


def marker_flag(word: str) -> str | None:
    """The flag a marker word gives a number, or None if the word is not a marker.

    >>> marker_flag("左右"), marker_flag("预计"), marker_flag("地区")
    ('approximate', 'estimate', None)
    """
    return MARKERS.get(word)


def strongest(flags) -> str:
    """The flag that wins when several markers stand by one number.

    >>> strongest(["exact", "approximate"]), strongest([])
    ('approximate', 'exact')
    """
    best = "exact"
    for f in flags:
        if f in FLAG_STRENGTH and FLAG_STRENGTH.index(f) > FLAG_STRENGTH.index(best):
            best = f
    return best


# ------------------------------------------------------------------------------------------------------
# Normalisation
# ------------------------------------------------------------------------------------------------------


@caches.memo(None)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters (OpenCC); ASCII passes through untouched.

    >>> to_simplified("固始縣")
    '固始县'
    """
    if text.isascii():
        return text
    return _converter().convert(text)


@caches.memo(65536)
def normalize(text: object, spaces: bool = False) -> str:
    """Full-width -> half-width (NFKC), simplified characters, whitespace removed (kept as single spaces
    with ``spaces=True``). Missing values become ``""``.

    >>> normalize(" 滑　县 "), normalize("１，２３４.５"), normalize("a  b", spaces=True)
    ('滑县', '1,234.5', 'a b')
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    out = unicodedata.normalize("NFKC", str(text))
    out = re.sub(r"\s+", " " if spaces else "", out).strip()
    return to_simplified(out)


@caches.memo(65536)
def clean_name(name: object) -> str:
    """A place name as printed -> as the registry writes it: normalised, no spaces, no footnote marks.

    >>> clean_name("巩 义 市"), clean_name("兰考县*"), clean_name("汝州市(1)"), clean_name("嵩  县【2】")
    ('巩义市', '兰考县', '汝州市', '嵩县')
    >>> clean_name("栾川县①"), clean_name("伊川县¹"), clean_name("宜阳县ᵃ"), clean_name("　中牟县")
    ('栾川县', '伊川县', '宜阳县', '中牟县')
    >>> clean_name("一、郑州市"), clean_name("（二）洛阳市"), clean_name("3.巩义市")
    ('郑州市', '洛阳市', '巩义市')
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = FOOTNOTE.sub("", str(name).strip())
    text = LEADING_NUMBERING.sub("", text)
    text = PINYIN_GLOSS.sub("", normalize(text))
    text = FOOTNOTE.sub("", text)
    return TRAILING_MARK.sub("", text)


#: A 区划代码 as printed: the 6-digit adcode, or a 9- or 12-digit 统计用区划代码 that starts with it.
PRINTED_CODE = re.compile(r"^\d{6}(?:\d{3}|\d{6})?$")


def clean_code(code: object) -> str:
    """A code as printed -> the 6-digit adcode it starts with (12-digit 统计用区划代码 too); any other text
    normalised and otherwise as it is.

    >>> clean_code("４１０１８１"), clean_code("410182000000"), clean_code("4101"), clean_code(None)
    ('410181', '410182', '4101', '')
    """
    c = normalize(code)
    return c[:6] if PRINTED_CODE.match(c) else c


@caches.memo(4096)
def clean_unit(unit: object) -> str:
    """A unit as printed -> its plain form: no brackets, pinyin glosses, ``单位：`` or spaces.

    >>> clean_unit("萬(wàn)元"), clean_unit("（万元）"), clean_unit("单位：亿元"), clean_unit("％")
    ('万元', '万元', '亿元', '%')
    """
    text = PINYIN_GLOSS.sub("", normalize(unit))
    text = re.sub(r"^单位[:：]?", "", text)
    text = text.strip("()（）[]【】")
    return {"k㎡": "km2", "㎢": "km2", "km^2": "km2", "平方千米": "平方公里"}.get(text, text)


# Footnote marks after a number as printed: circled or superscript marks (NFKC would make ① a digit 1),
# a bracketed number, or one * or # after a number that is plainly complete (962.58*, 2306460#).
NUMBER_FOOTNOTE_RAW = re.compile(r"[\u2460-\u24ff\u2776-\u2793⁰¹²³⁴-⁹⁺ᵃ-ᶿ†‡§]+$")
NUMBER_FOOTNOTE = re.compile(r"(?:(?<=\d)[(（\[【]\s*\d{1,2}\s*[)）\]】]|(?<=\d\.\d)[*#]|(?<=\d\.\d\d)[*#]|(?<=\d{3})[*#])$")
# A dash printed for a minus sign before the digits (–0.5, ‐2.1 from PDF conversions); a dash alone is "missing".
DASH_MINUS = re.compile(r"^[\u2010-\u2013\ufe63](?=\d|\.\d)")


def clean_number_text(text: object) -> str:
    """A number as printed -> plain digits: normalised, middle-dot decimals, thousands separators and
    footnote marks gone, a minus sign as ``-``.

    >>> clean_number_text("２２，８９２"), clean_number_text("1·8"), clean_number_text(" 3 200 ")
    ('22892', '1.8', '3200')
    >>> clean_number_text("962.58①"), clean_number_text("962.58¹"), clean_number_text("962.58(1)"), clean_number_text("−1.2")
    ('962.58', '962.58', '962.58', '-1.2')
    >>> clean_number_text("12**"), clean_number_text("962.58*"), clean_number_text("(3)"), clean_number_text("–0.5")
    ('12**', '962.58', '(3)', '-0.5')
    >>> clean_number_text("1,23"), clean_number_text("1,2345")
    ('1,23', '1,2345')
    """
    raw = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
    raw = NUMBER_FOOTNOTE_RAW.sub("", raw)
    out = MIDDLE_DOT_DECIMAL.sub(".", normalize(raw)).replace("−", "-")
    out = NUMBER_FOOTNOTE.sub("", out)
    out = DASH_MINUS.sub("-", out)
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", out)


def is_total_label(name: object) -> bool:
    """True for row labels that are totals (全省, 合计, 县域合计 ...), not units.

    >>> is_total_label("合 计"), is_total_label("全市"), is_total_label("巩义市")
    (True, True, False)
    """
    return clean_name(name) in TOTAL_WORDS


def row_label_kind(name: object) -> str | None:
    """What a row label in a yearbook table stands for, when it is not a unit's name.

    ``province_total`` (全省), ``prefecture_total`` (全市), ``total`` (合计, 总计, 全区, 全县: the scope must
    be declared in the sidecar), ``subtotal`` (县域合计, 各县（市）合计, 小计), ``subscope`` (其中…, 市区, 城区,
    本级, 市本级) or None (a name to resolve).

    >>> [row_label_kind(x) for x in ("全 省", "全市", "合 计", "各县（市）合计", "其中:城区", "市本级", "巩义市")]
    ['province_total', 'prefecture_total', 'total', 'subtotal', 'subscope', 'subscope', None]
    """
    text = clean_name(name)
    if not text:
        return None
    if text.startswith(SUBSCOPE_PREFIX):
        return "subscope"
    if text in PROVINCE_TOTAL_WORDS:
        return "province_total"
    if text in PREFECTURE_TOTAL_WORDS:
        return "prefecture_total"
    if text in DECLARED_TOTAL_WORDS:
        return "total"
    if text in SUBTOTAL_WORDS or text.endswith(("合计", "小计")):
        return "subtotal"
    if text in SUBSCOPE_WORDS:
        return "subscope"
    return None


def is_english_label(text: object) -> bool:
    """True for an English heading (``Gross Regional Product``): ASCII with at least two letters.

    >>> is_english_label("Gross Regional Product (10 000 yuan)"), is_english_label("地区"), is_english_label("%")
    (True, False, False)
    """
    t = normalize(text, spaces=True)
    return bool(t) and t.isascii() and len(re.findall(r"[A-Za-z]", t)) >= 2


def title_year(text: object) -> int | None:
    """The single year a table title names (（2022年）), or None when it names none or several.

    >>> title_year("21-2 各县（市）主要经济指标（2022年）"), title_year("河南统计年鉴2023"), title_year("主要指标")
    (2022, None, None)
    >>> title_year("表5  2018年各县（市、区）主要经济指标"), title_year("各县地区生产总值（2021—2022年）")
    (2018, None)
    """
    text = normalize(text, spaces=True)
    years = {int(m.group(1)) for m in TITLE_YEAR.finditer(text)}
    years |= {int(y) for m in YEAR_SPAN.finditer(text) for y in m.groups()}
    return years.pop() if len(years) == 1 else None


def is_note_label(text: object) -> bool:
    """True for the note lines under a table (注：..., 资料来源：...).

    >>> is_note_label("注：初步核算数"), is_note_label("资料来源：市统计局"), is_note_label("注册企业")
    (True, True, False)
    """
    return bool(NOTE_ROW.match(normalize(text)))
