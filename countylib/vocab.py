"""One vocabulary for text as published: normalisation and the marker words every reader shares.

Yearbook readers, the units parser, the name resolver and the bulletin extractor all see the same
kinds of text: full-width digits and spaces, traditional characters, pinyin inserted after characters
in reprints (``地區(qū)``), footnote marks after names (``栾川县①``), and words around numbers that
change what a number means (``约``, ``突破``, ``预计``, ``本级``). They all take those from here, so
they cannot disagree about them.

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
from dataclasses import dataclass

import numpy as np

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

#: Column headings of a growth rate; the indicator is the one of the heading group above (地区生产总值 over
#: 比上年增长). A growth heading alone says nothing about *which* indicator grew.
GROWTH_LABEL = re.compile(
    r"(?:比上年|比去年|较上年|比上年同期|同比)?(?:增长率?|增速|增幅|增减率?)(?:±|\+/?-)?(?:\(%\)|%)?$"
    r"|(?:比上年|比去年|较上年|比上年同期|同比)?(?:±|\+/?-)(?:\(%\)|%)?$"
    r"|^(?:比上年|比去年|较上年|同比)(?:\(%\)|%)?$"
)
#: Column headings that mean "the level of the indicator of the heading group" (地区生产总值 over 总量).
LEVEL_WORDS = ("总量", "绝对值", "绝对数", "总额", "数值", "金额", "数额", "本年", "全年", "本年累计", "累计", "总计", "合计",
               "实绩", "年末数", "本年实际", "规模", "指标值")
#: Words of a group heading that make the columns under it shares of a whole (三次产业构成（%） over 第一产业 |
#: 第二产业 | 第三产业): a sector's share, never its value added.
STRUCTURE_WORDS = ("构成", "结构", "比重", "占比", "比例")
#: Words of a group heading that change what the indicator under it measures (户籍人口 over 城镇化率 is not the
#: resident urbanization rate; 上年同期 over 地区生产总值 is last year's figure): such columns are not mapped.
QUALIFIER_WORDS = ("户籍", "上年", "去年", "上期", "同期", "指数", "平均", "两年")
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
#: A table-wide unit line: 单位：万元, 金额单位：万元, 计量单位：万元、万人 (one unit per dimension).
UNIT_LINE = re.compile(r"^(?:金额|计量|货币|价值|价格|数量|人口)?单位[:：]?\s*(?P<unit>\S.*)$")
#: What separates several units on one unit line (单位：万元、万人、%).
UNIT_LINE_SEPARATORS = re.compile(r"[、，,;；/]|及|和")
#: Currency signs that only say "money" (¥38,034 is 元).
CURRENCY_SIGNS = ("¥", "￥", "RMB", "人民币", "CNY")
#: A multiplier written inside a number or as a bare unit (3.2亿, 5万, unit 萬), as powers of ten.
MULTIPLIER_EXPONENTS = {"万亿": 12, "亿": 8, "千万": 7, "百万": 6, "十万": 5, "万": 4, "千": 3, "百": 2}

#: Words that start a note row under a table (注 also numbered: 注1：, 注②).
NOTE_WORDS = ("注", "说明", "资料来源", "数据来源", "备注", "附注")
NOTE_ROW = re.compile(rf"^(?:{NOTE_WORDS[0]}[0-9①-⑩]*(?:[:：]|$)|(?:{'|'.join(NOTE_WORDS[1:])})[:：]?)")
#: Two-year average growth: not the year's own rate.
TWO_YEAR_WORDS = ("两年平均", "两年年均")
#: Averages over several years: not the year's own rate either.
AVERAGE_GROWTH_WORDS = (*TWO_YEAR_WORDS, "年均", "平均每年", "三年平均", "五年平均")
#: Words naming the unit itself in its own text, by the last character of its name (全县 in a 县's text).
OWN_SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "县": ("全县域", "全县", "本县", "我县", "县域"),
    "市": ("全市域", "全市", "本市", "我市", "市域"),
    "区": ("全区域", "全区", "本区", "我区", "区域"),
    "旗": ("全旗", "本旗", "我旗", "旗域"),
}
#: Words naming a larger unit than a county (a county's text quoting its province or the nation).
OTHER_SCOPE_WORDS = ("全国", "全省", "全州", "全盟", "全自治区", "全自治州", "全地区")
#: Parts of the economy: a figure for them is not the unit's total (民营经济增加值 is not GDP).
ECONOMY_PART_WORDS = ("民营经济", "非公有制经济", "非公经济", "十大生态产业", "规模以上", "规上", "规模工业",
                      "限额以上", "限上", "开发区", "产业集聚区", "高新区", "园区")
#: The registered (hukou) population: its urban part or urbanization rate is not the resident one.
REGISTERED_WORDS = ("户籍", "户口", "公安部门")
#: Words for a change rather than a level: 新增高新技术企业12家 is not the number of firms.
INCREASE_WORDS = ("新增", "净增", "新认定", "新培育", "新引进", "新登记", "新入库", "新晋", "增加", "减少", "净减")
#: Part of a year (first quarter, January to May): not the year's figure.
PERIOD_PATTERN = re.compile(quick_start(
    r"第?[一二三四1-4]季度|前[两二三]季度|[一二三四1-4]至[二三四2-4]季度|上半年|下半年|"
    r"(?:1|一)\s*[-—~至到]\s*(?:1[01]|[2-9]|[二三四五六七八九]|十一?)\s*月|"
    r"(?<![\d年\-—~])(?:1[01]|[1-9])月份?(?:末|底)?(?![\d日])|[一二三四五六七八九十]+月份",
    "第前上下一二三四五六七八九十1-9"))
#: Every match of PERIOD_PATTERN has one of these: a stretch of text without them names no part of a year.
PERIOD_MARKS = ("季", "半年", "月")
#: Targets and plans: a number a text hopes for is not an outcome.
TARGET_WORDS = ("预期目标", "目标", "力争", "争取", "计划", "规划", "确保", "奋斗")
#: Wordings that look like a registry indicator but are not one, with the reason (checked together with the
#: registry's aliases, the longest wording at a place wins: 户籍人口城镇化率 is not 城镇化率).
LOOKALIKES: dict[str, str] = {
    **dict.fromkeys(("财政总收入", "一般公共预算总收入", "公共财政预算总收入", "财政收入总额"),
                    "total fiscal revenue, larger than 一般公共预算收入"),
    **dict.fromkeys(("户籍人口城镇化率", "户籍城镇化率"), "urbanization of the registered population"),
    **dict.fromkeys(("户籍人均生产总值", "户籍人均地区生产总值", "户籍人口人均生产总值", "户籍人口人均地区生产总值"),
                    "per capita of the registered population"),
    **dict.fromkeys(("农村常住人口", "乡村常住人口", "乡村人口", "农村人口", "非农业人口", "农业人口"),
                    "a part of the population"),
    "总人口": "总人口 without 户籍 or 常住: which population is unclear",
    **dict.fromkeys(("城乡居民人均可支配收入", "城乡常住居民人均可支配收入", "城乡居民收入"),
                    "urban and rural residents together: not one series"),
    **dict.fromkeys(("城乡居民收入比", "城乡收入比"), "a ratio of incomes"),
    **dict.fromkeys(("规模以上工业增加值", "规上工业增加值", "规模工业增加值", "工业增加值", "建筑业增加值",
                     "农林牧渔业增加值", "农业增加值", "服务业增加值", "制造业增加值", "民营经济增加值",
                     "非公有制经济增加值", "高新技术产业增加值", "战略性新兴产业增加值", "数字经济增加值"),
                    "value added of a part of the economy"),
    **dict.fromkeys(("农林牧渔业总产值", "规模以上工业总产值", "规模工业总产值", "工业总产值", "高新技术产业产值"),
                    "gross output, not value added"),
    **dict.fromkeys(("税收收入占", "税收占比", "税收占", "税收比重"), "the tax share of revenue"),
    **dict.fromkeys(("居民人均消费支出", "人均消费支出", "人均生活消费支出"), "consumption, not income"),
    **dict.fromkeys(("城镇新增就业", "新增就业"), "new jobs"),
    **dict.fromkeys(("万元GDP能耗", "万元地区生产总值能耗", "单位GDP能耗", "单位地区生产总值能耗"), "energy intensity"),
    "国内生产总值": "the nation's GDP, not a county's",
}
#: Noise characters left by broken encodings: removed, and a number that touches one is not trusted.
NOISE_CHARS = "?\ufffd"

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


def is_growth_label(label: object) -> bool:
    """True for a heading that names a growth rate without saying of what (比上年增长, 增长率, ±%).

    >>> is_growth_label("比上年增长(%)"), is_growth_label("±%"), is_growth_label("增速"), is_growth_label("总量")
    (True, True, True, False)
    >>> is_growth_label("比上年增长±%"), is_growth_label("指数(上年=100)"), is_growth_label("%")
    (True, False, False)
    """
    return bool(GROWTH_LABEL.fullmatch(normalize(label)))


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


# ------------------------------------------------------------------------------------------------------
# Running text with an offset map
# ------------------------------------------------------------------------------------------------------

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
#: Markup left in copies of web pages: HTML tags and entities, forum BBCode, markdown images, bare URLs.
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/tr|/li|/h[1-6]|/table|p|div|tr|li|table)\b[^>]{0,200}>|"
                        r"\[/?(?:align|p|tr|table|list|quote|indent|hr|br)\b[^\]\n]{0,80}\]", re.IGNORECASE)
_CELL_TAG = re.compile(r"<\s*/t[dh]\s*>|\[/td\]", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"<[!/]?[a-zA-Z][^<>]{0,300}>|<!--.*?-->|"
    r"\[/?(?:color|font|size|b|i|u|s|strike|sup|sub|url|img|backcolor|td|th|float|media|attach|email|code|"
    r"free|hide|\*|left|center|right)\b[^\]\n]{0,120}\]|"
    r"!\[(?:[^\[\]\n]|\[[^\]\n]*\])*\]\([^)\n]*\)|https?://[^\s()<>\"'，。；、]+", re.IGNORECASE)
_ENTITIES = {"nbsp": " ", "amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "ensp": " ", "emsp": " ",
             "middot": "·", "times": "×", "mdash": "—", "ldquo": "“", "rdquo": "”", "hellip": "…"}
_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9a-fA-F]{1,5}|[a-zA-Z]{2,7});")
# Footnote marks in running text: circled numbers, superscripts, [2] 【1】 after a word or a figure.
_FOOTNOTE_MARK = re.compile(quick_start(
    r"[\u2460-\u2473\u2776-\u277f\u3251-\u325f\u32b1-\u32bf]|(?<![mM])[⁰¹²³⁴-⁹]+|"
    r"\[\s*(?:注\s*)?\d{1,2}\s*\]|【\s*(?:注\s*)?\d{1,2}\s*】|［\s*\d{1,2}\s*］",
    r"\u2460-\u2473\u2776-\u277f\u3251-\u325f\u32b1-\u32bf⁰¹²³⁴-⁹\[【［"))
# (patterns start with a character class, a literal or a quick_start look-ahead, not a look-behind: the regex
# engine then skips ahead fast)
_FOOTNOTE_CHARS = "[【［" + "".join(map(chr, range(0x2460, 0x2474))) + "".join(map(chr, range(0x2776, 0x2780))) + "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PINYIN = re.compile(rf"[(（](?<=[{CJK}][(（])[a-z{_TONED}]{{1,6}}[)）]|"
                     rf"[a-z{_TONED}](?<=[{CJK}][a-z{_TONED}])[a-z{_TONED}]{{0,5}}[)）]")
# (at the start of the text the look-behind has nothing to look at, so it succeeds there too)
_THOUSANDS = re.compile(r"\d(?<![\d.,]\d)\d{0,2}(?:,\d{3})+(?![\d]|,\d)")
# A page number left on a line of its own by a PDF copy (- 1 -), often inside a sentence.
_PAGE_NUMBER = re.compile(r"\n[ \t]*[-—–]\s?\d{1,3}\s?[-—–][ \t]*(?=\n)")
_BROKEN_FIGURE = re.compile(r"\n(?<=[\d.]\n)[ \t]*(?=[\d.]|[亿万千]?元|万人|%)")
_SPACE = r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200a\u202f]"
_SPACES = re.compile(f"{_SPACE}{_SPACE}*")  # (not "+": a pattern that starts with a class is searched fast)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


@dataclass(frozen=True)
class MappedText:
    """Normalised text that remembers, for each of its characters, the original characters it came from.

    ``starts[i]`` and ``ends[i]`` bound the original characters behind normalised character ``i``, so
    :meth:`span` turns a match in the normalised text into ``(start, end)`` in the original.

    >>> m = normalize_mapped("地區(qū)生產(chǎn)總值達２３０億元")
    >>> m.text
    '地区生产总值达230亿元'
    >>> s, e = m.span(7, 12)
    >>> m.original[s:e]
    '２３０億元'
    """

    text: str
    starts: np.ndarray
    ends: np.ndarray
    original: str
    noisy: bool = False  # the original has noise characters (?, U+FFFD) that were removed

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalised characters ``text[start:end]``."""
        if end <= start:
            pos = int(self.starts[start]) if start < len(self.text) else len(self.original)
            return pos, pos
        return int(self.starts[start]), int(self.ends[end - 1])

    def spans(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`span` of many stretches at once: original starts and ends for arrays of normalised ones.

        >>> m = normalize_mapped("GDP[1] 2３0億元")
        >>> [a.tolist() for a in m.spans(np.array([3, 3]), np.array([6, 8]))]
        [[7, 7], [10, 12]]
        """
        start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
        n = len(self.text)
        if n == 0:
            return np.full(start.shape, len(self.original)), np.full(start.shape, len(self.original))
        at = np.where(start < n, self.starts[np.minimum(start, n - 1)], len(self.original)).astype(np.int64)
        return at, np.where(end > start, self.ends[np.clip(end - 1, 0, n - 1)], at).astype(np.int64)

    def touches_noise(self, start, end):
        """True when a removed noise character (``?``, U+FFFD) stood right before or after ``text[start:end]``
        (not empty); for arrays of starts and ends, an array of the answers.

        >>> m = normalize_mapped("生产总值?230亿元,增长4.2%")
        >>> m.touches_noise(4, 9), m.touches_noise(np.array([4, 12]), np.array([9, 15])).tolist()
        (True, [True, False])
        """
        start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
        noise = np.array([m.start() for m in re.finditer(f"[{re.escape(NOISE_CHARS)}]", self.original)]
                         if self.noisy else [], dtype=np.int64)
        if len(noise) == 0:
            touched = np.zeros(start.shape, dtype=bool)
        else:
            n = len(self.text)
            o_start, o_end = self.spans(start, end)
            before = np.where(start > 0, self.ends[np.clip(start - 1, 0, n - 1)], 0)  # the gaps, in the original
            after = np.where(end < n, self.starts[np.clip(end, 0, n - 1)], len(self.original))

            def noise_in(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # a noise character in [a, b)
                i = np.minimum(np.searchsorted(noise, a), len(noise) - 1)
                return (noise[i] >= a) & (noise[i] < b)

            touched = noise_in(before, o_start) | noise_in(o_end, after)
        return touched if touched.ndim else bool(touched)


def _substitute(text: str, starts: np.ndarray, ends: np.ndarray, pattern: re.Pattern, repl):
    """One pass of ``pattern.sub(repl, text)`` that carries the offset arrays along (vectorised: the
    only Python work per match is the match itself, and the array work grows with the number of
    matches plus one copy of the arrays)."""
    spans, news = [], []
    for m in pattern.finditer(text):
        new = repl(m) if callable(repl) else repl
        if new != m.group(0):
            spans.append(m.span())
            news.append(new)
    if not spans:
        return text, starts, ends
    n = len(text)
    a, b = np.array(spans, dtype=np.int64).T
    removed = b - a
    lens = np.fromiter((len(x) for x in news), dtype=np.int64, count=len(news))
    # the original characters behind a replacement: those of the match (of the place, for an empty match)
    lo = np.where(a < n, starts[np.minimum(a, n - 1)], ends[n - 1] if n else 0)
    hi = np.where(b > a, ends[np.maximum(b - 1, 0)], lo)
    # Matches never overlap, so the characters kept before match i are a[i] less those removed before it;
    # the k-th removed character (counting over all matches) stood at k + kept_before of its match, and
    # the k-th new character stands at k + kept_before of its match in the new text.
    kept_before = a - (np.cumsum(removed) - removed)
    keep = np.ones(n, dtype=bool)
    keep[np.arange(removed.sum()) + np.repeat(kept_before, removed)] = False
    new_at = np.arange(lens.sum()) + np.repeat(kept_before, lens)
    is_new = np.zeros(n - removed.sum() + lens.sum(), dtype=bool)
    is_new[new_at] = True
    new_starts, new_ends = np.empty(len(is_new), dtype=starts.dtype), np.empty(len(is_new), dtype=ends.dtype)
    new_starts[new_at], new_ends[new_at] = np.repeat(lo, lens), np.repeat(hi, lens)
    new_starts[~is_new], new_ends[~is_new] = starts[keep], ends[keep]
    pieces, last = [], 0
    for (x, y), new in zip(spans, news, strict=True):
        pieces.append(text[last:x])
        pieces.append(new)
        last = y
    pieces.append(text[last:])
    return "".join(pieces), new_starts, new_ends


#: Variant characters that traditional-to-simplified conversion leaves as they are (陜西 -> 陕西).
_VARIANTS = {"陜": "陕", "峯": "峰", "羣": "群", "綫": "线", "衆": "众", "裏": "里", "鑛": "矿", "竪": "竖"}


@caches.memo(65536)
def _char_form(ch: str) -> str:
    if ch in NOISE_CHARS or ch in _ZERO_WIDTH:
        return ""
    if ch in "∶︰":
        return ":"
    if ch == "℅":  # the care-of sign typed for a per-cent sign (增长15℅); NFKC would make it "c/o"
        return "%"
    if ch in _VARIANTS:
        return _VARIANTS[ch]
    out = unicodedata.normalize("NFKC", ch)
    return to_simplified(out) if not out.isascii() else out


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name.startswith("#"):
        try:
            return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
        except (ValueError, OverflowError):
            return m.group(0)
    return _ENTITIES.get(name.lower(), m.group(0))


def _space(m: re.Match) -> str:
    text, a, b = m.string, m.start(), m.end()
    left, right = text[a - 1] if a else "\n", text[b] if b < len(text) else "\n"
    if left == "\n" or right == "\n":
        return ""
    if (left.isdigit() and right.isdigit()) or ("\u3400" <= left <= "\u9fff" and "\u3400" <= right <= "\u9fff"):
        return " "
    if left == "|" or right == "|" or (left.isalpha() and left.isascii() and right.isalpha() and right.isascii()):
        return " "
    return ""


_WRAPPED_LINE = re.compile(r"\n(?<=[,，、;；\u3400-\u9fff]\n)[ \t]*(?=[\u3400-\u9fff\d(（])")


def _wrapped_line(m: re.Match) -> str:
    """Join a line of prose wrapped in the middle of a sentence: after a comma, or a long line with commas
    that stops in the middle of a word (同比增\n长6.0%). Headings and table cells (short lines) stay apart."""
    text, a = m.string, m.start()
    line = text[text.rfind("\n", 0, a) + 1:a]
    if line.endswith((",", "，", "、", ";", "；")) and "|" not in line:
        return ""
    if len(line) >= 25 and ("," in line or "，" in line) and "|" not in line and "。" not in line[-3:]:
        return ""
    return m.group(0)


def _broken_figure(m: re.Match) -> str:
    """Join a figure split over two lines (``生产总值23\\n0.65亿元``), but never two cells of a table."""
    text, a = m.string, m.start()
    line_start = text.rfind("\n", 0, a) + 1
    line = text[line_start:a]
    if not re.search(f"[{CJK}]", line) or re.fullmatch(r"[\s\d.|%-]*", line):
        return m.group(0)
    line_end = text.find("\n", m.end())
    nxt = text[m.end(): line_end if line_end >= 0 else len(text)]
    if re.fullmatch(r"[\s\d.%|-]*", nxt):
        return m.group(0)
    return ""


def normalize_mapped(text: str) -> MappedText:
    """Normalise running text once, keeping a map back to the original characters.

    Removes HTML tags and entities, forum BBCode, markdown images and URLs, pinyin glosses after
    characters (``地區(qū)``), footnote marks (``[2]``, ``【1】``, ``①``, superscripts) and noise characters
    (``?``); converts full-width forms (NFKC) and traditional characters; reads middle-dot decimals
    (``1·8`` -> ``1.8``) and thousands separators (``22,892`` -> ``22892``); drops page numbers a PDF
    copy left inside the text (a line ``- 1 -``); joins a figure broken over two lines; and drops spaces except between two characters or two numbers, where one is kept.
    Line breaks stay: they end sentences and separate table cells.

    >>> normalize_mapped("[b]2[/b][b]022年[/b]GDP[2] 22,892元，增长1·8％").text
    '2022年GDP22892元,增长1.8%'
    """
    text = str(text)
    n = len(text)
    starts = np.arange(n, dtype=np.int32 if n < 2**31 - 1 else np.int64)  # half the memory to carry along
    ends = starts + 1
    work = text.replace("\r\n", "\n ").replace("\r", "\n")  # same length: keeps offsets
    noisy = _has_any(work, NOISE_CHARS)
    passes = [(_CELL_TAG, "|", "<["), (_BLOCK_TAG, "\n", "<["), (_INLINE_TAG, "", "<[!h"), (_ENTITY, _entity, "&"),
              (_FOOTNOTE_MARK, "", _FOOTNOTE_CHARS)]
    for pattern, repl, needs in passes:
        if _has_any(work, needs):  # a pass whose characters are absent would change nothing
            work, starts, ends = _substitute(work, starts, ends, pattern, repl)
    forms = {ch: _char_form(ch) for ch in _distinct_chars(work)}
    same_length = {c: f for c, f in forms.items() if len(f) == 1 and f != c}  # these keep the offsets
    if same_length:
        work = _translate(work, same_length)
    other = [re.escape(c) for c, f in forms.items() if len(f) != 1]
    if other:
        work, starts, ends = _substitute(work, starts, ends, re.compile("|".join(other)),
                                         lambda m: forms.get(m.group(0), m.group(0)))
    chars = set("".join(forms.values()))  # the characters of the text now
    passes = [(_PINYIN, "", ")"), (_FOOTNOTE_MARK, "", _FOOTNOTE_CHARS), (MIDDLE_DOT_DECIMAL, ".", "·•∙・"),
              (_THOUSANDS, lambda m: m.group(0).replace(",", ""), ","), (_PAGE_NUMBER, "", "-—–"), (_BROKEN_FIGURE, _broken_figure, "\n"),
              (_WRAPPED_LINE, _wrapped_line, "\n"),
              (_SPACES, _space, " \t")]
    for pattern, repl, needs in passes:
        if chars.intersection(needs):
            work, starts, ends = _substitute(work, starts, ends, pattern, repl)
    return MappedText(work, starts, ends, text, noisy)


def _has_any(text: str, chars: str) -> bool:
    return re.search(f"[{re.escape(chars)}]", text) is not None


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def positions(text: str, chars: str) -> list[int]:
    """Where the characters ``chars`` stand in ``text``, in order (looked up on all code points at once).

    >>> positions("全县。增长4%;其中|", "。;|")
    [2, 7, 10]
    """
    return np.flatnonzero(np.isin(_code_points(text), [ord(c) for c in chars])).tolist()


def _translate(text: str, table: dict[str, str]) -> str:
    """``text.translate`` for a table of characters to single characters, on the code points of the text
    at once (str.translate looks up each of a long text's characters in turn).

    >>> _translate("生产总值，增長４%", {"，": ",", "長": "长", "４": "4"})
    '生产总值,增长4%'
    """
    keys = np.array(sorted(ord(c) for c in table), dtype=np.uint32)
    values = np.array([ord(table[chr(k)]) for k in keys], dtype=np.uint32)
    codes = _code_points(text).copy()
    found = np.flatnonzero(np.isin(codes, keys))
    codes[found] = values[np.searchsorted(keys, codes[found])]
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def _distinct_chars(text: str) -> list[str]:
    """The distinct characters of ``text`` (counted by code point: ``set(text)`` would make an object for
    every character of a long text)."""
    return [chr(c) for c in np.flatnonzero(np.bincount(_code_points(text)))]
