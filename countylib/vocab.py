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
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

# ------------------------------------------------------------------------------------------------------
# Marker words around a number
# ------------------------------------------------------------------------------------------------------

#: Word -> flag it gives the number it stands with. Verbs (达到, 实现 ...) say nothing about precision:
#: "达230.65亿元" is the exact figure 230.65.
MARKERS: dict[str, str] = {
    **dict.fromkeys(("大约", "约", "左右", "上下", "近", "将近", "接近", "余", "多", "许"), "approximate"),
    **dict.fromkeys(("突破", "超过", "超", "逾", "以上", "多于", "高于"), "lower_bound"),
    **dict.fromkeys(("不足", "不到", "以下", "少于", "低于"), "upper_bound"),
    **dict.fromkeys(("预计", "预估", "预期"), "estimate"),
    **dict.fromkeys(("初步核算", "初步统计", "快报"), "preliminary"),
    **dict.fromkeys(("达到", "达", "实现", "完成", "为", "是", "共计", "合计", "总计", "累计"), "exact"),
}
#: Order of strength when several markers stand together (the stronger statement wins).
FLAG_STRENGTH = ("exact", "preliminary", "estimate", "approximate", "upper_bound", "lower_bound")

#: Words that narrow a figure to part of the unit: a 本级 budget, an urban-district total.
SUBSCOPE_WORDS = ("县本级", "市本级", "区本级", "县级本级", "本级", "市级", "县级", "城区", "中心城区", "市区",
                  "主城区", "县城")
#: Totals and subtotals printed as row labels in yearbook tables.
TOTAL_WORDS = ("全国", "全省", "全市", "全区", "全县", "合计", "总计", "总计数", "县域合计", "各县(市)合计",
               "省直管县合计", "各县合计")
#: Words that start a note row under a table.
NOTE_WORDS = ("注", "说明", "资料来源", "数据来源", "备注", "附注")
NOTE_ROW = re.compile(r"^(?:注[0-9①-⑩]*(?:[:：]|$)|(?:说明|资料来源|数据来源|备注|附注)[:：]?)")
#: Two-year average growth: not the year's own rate.
TWO_YEAR_WORDS = ("两年平均", "两年年均")

MARKER_PATTERN = re.compile("|".join(map(re.escape, sorted(MARKERS, key=len, reverse=True))))
MASKED = re.compile(r"^[xX×*＊]+$")
MISSING = re.compile(r"^(?:[—–\-－…\.。·/]+|无|空|NA|N/A|None)?$", re.IGNORECASE)
# Pinyin glosses inserted after characters by some reprints: 地區(qū)生產(chǎn)總值.
PINYIN_GLOSS = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ\s]+[)）]")
# Footnote marks after a name: ①, (1), [2], 【3】, *, #, superscript digits and letters.
FOOTNOTE = re.compile(r"(?:[\u2460-\u2473\u2776-\u277f\u24b6-\u24e9*＊#⁰¹²³⁴-⁹ᵃ-ᶻ]|[(（\[【]\s*[0-9a-zA-Z]{1,2}\s*[)）\]】])+$")
# A middle dot between digits is a decimal point in some reprints (1·8%).
MIDDLE_DOT_DECIMAL = re.compile(r"(?<=\d)[·•∙・](?=\d)")


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


@cache
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


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
def clean_name(name: object) -> str:
    """A place name as printed -> as the registry writes it: normalised, no spaces, no footnote marks.

    >>> clean_name("巩 义 市"), clean_name("兰考县*"), clean_name("汝州市(1)"), clean_name("嵩  县【2】")
    ('巩义市', '兰考县', '汝州市', '嵩县')
    """
    # Footnote marks go before NFKC too: it would turn ① and ¹ into plain digits that stick to the name.
    raw = "" if name is None or (isinstance(name, float) and name != name) else FOOTNOTE.sub("", str(name).strip())
    text = PINYIN_GLOSS.sub("", normalize(raw))
    return FOOTNOTE.sub("", text)


@lru_cache(maxsize=4096)
def clean_unit(unit: object) -> str:
    """A unit as printed -> its plain form: no brackets, pinyin glosses, ``单位：`` or spaces.

    >>> clean_unit("萬(wàn)元"), clean_unit("（万元）"), clean_unit("单位：亿元"), clean_unit("％")
    ('万元', '万元', '亿元', '%')
    """
    text = PINYIN_GLOSS.sub("", normalize(unit))
    text = re.sub(r"^单位[:：]?", "", text)
    text = text.strip("()（）[]【】")
    return {"k㎡": "km2", "㎢": "km2", "km^2": "km2", "平方千米": "平方公里"}.get(text, text)


def clean_number_text(text: object) -> str:
    """A number as printed -> plain digits: normalised, middle-dot decimals, thousands separators gone.

    >>> clean_number_text("２２，８９２"), clean_number_text("1·8"), clean_number_text(" 3 200 ")
    ('22892', '1.8', '3200')
    """
    out = MIDDLE_DOT_DECIMAL.sub(".", normalize(text))
    return re.sub(r"(?<=\d)[,，](?=\d{3})", "", out)


def is_total_label(name: object) -> bool:
    """True for row labels that are totals (全省, 合计, 县域合计 ...), not units.

    >>> is_total_label("合 计"), is_total_label("全市"), is_total_label("巩义市")
    (True, True, False)
    """
    return clean_name(name) in TOTAL_WORDS


def is_note_label(text: object) -> bool:
    """True for the note lines under a table (注：..., 资料来源：...).

    >>> is_note_label("注：初步核算数"), is_note_label("资料来源：市统计局"), is_note_label("注册企业")
    (True, True, False)
    """
    return bool(NOTE_ROW.match(normalize(text)))
