"""Running text with an offset map: the extractor reads normalised text and reports spans in the original.

Reprints of bulletins carry pinyin glosses (``地區(qū)``), HTML and forum markup, footnote marks, full-width
forms, traditional characters, middle-dot decimals and thousands separators. :func:`normalize_mapped`
removes them all at once and keeps, for every character it returns, the original characters behind it,
so a figure found in the normalised text points back to the exact span the researcher can check.

>>> text = "全縣生產(chǎn)總值２３０億元"
>>> m = normalize_mapped(text)
>>> m.text, m.text[6:11]
('全县生产总值230亿元', '230亿元')
>>> s, e = m.span(6, 11)
>>> text[s:e]
'２３０億元'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from countylib import caches
from countylib.vocab import MIDDLE_DOT_DECIMAL, quick_start, to_simplified

#: Characters a bad copy put in place of others (a question mark, the replacement character).
NOISE_CHARS = "?\ufffd"

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
