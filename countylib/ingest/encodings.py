"""Which encoding a published text file is in: one reader for yearbook CSV sheets and bulletin texts.

Files come as UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text"), GB18030/GBK
(most Chinese government downloads) and now and then Big5 (reprints from Hong Kong and Taiwan). The
order of the tests is what makes the answer dependable:

1. the encoding the user gives (a sidecar's ``reader: encoding:``, ``--encoding``);
2. a byte-order mark;
3. UTF-8, which random bytes almost never are;
4. GB18030 or Big5, whichever reads as Chinese: both decode most byte strings, so each reading is scored
   by how many of its characters (as simplified characters) are ones county documents use — the place
   names of the region registry, the indicator registry's wordings and the common words of bulletins —
   and GB18030 wins a tie (a Big5 text read as GB18030 gives rare characters, and the other way round);
5. otherwise ``charset_normalizer`` chooses among the other encodings Chinese text is written in (HZ,
   Big5-HKSCS …; UTF-16 without a mark is known by its NUL bytes before step 3), and its choice too must read as Chinese (it is not used for GB18030 against Big5:
   on short texts it often takes one for the other).

Anything else is an :class:`EncodingError` with one line naming the file; the caller adds what the user
can do (a sidecar key, a command-line option).

>>> decode("全县生产总值".encode("gbk"), "a.csv")
('全县生产总值', 'gb18030')
>>> decode("全縣生產總值230.5億元，比上年增長3.1%。".encode("big5"), "b.txt")
('全縣生產總值230.5億元，比上年增長3.1%。', 'big5')
"""

from __future__ import annotations

import codecs

from countylib import caches

#: Encodings Chinese text is published in, tried by charset_normalizer after UTF-8 and GB18030 failed.
CHINESE_ENCODINGS = ("utf_16_le", "utf_16_be", "hz", "big5hkscs")
#: Words of bulletins and yearbooks beyond the registries' names (their characters count as familiar).
COMMON_WORDS = ("年月日全县市区省镇乡村增长下降亿万千元人口总值产业生的和与比上年下为及其中个百分点同期实现完成达到"
                "约预计初步核算统计公报国民经济社会发展一二三四五六七八九十第收入支出投资消费工业农业服务业企业")
SAMPLE = 262_144  # bytes charset_normalizer looks at: enough for a verdict, fast on a 5 MB file
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class EncodingError(ValueError):
    """A file whose encoding is unknown, wrong as given, or cannot be told; the message is one line."""


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file named ``name`` (see the module doc for the order)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise EncodingError(f"{name}: unknown encoding {encoding!r}") from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise EncodingError(f"{name}: not valid {encoding} text (byte {exc.start})") from None
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data[:65536]:  # NUL bytes: never in UTF-8, GB18030 or Big5 text, always in UTF-16 text with digits
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if reads_as_chinese(text) and "\x00" not in text:
                return text, enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if reads_as_chinese(text):
            readings.append((familiarity(text), enc == "gb18030", enc, text))
    if readings:
        _, _, enc, text = max(readings)
        return text, enc
    guess = _guess(data)
    if guess is not None:
        return guess
    raise EncodingError(f"{name}: cannot tell the encoding (not UTF-8, and as GB18030 or Big5 it does not read "
                        "as Chinese)")


@caches.memo(None)
def familiar_characters() -> frozenset[str]:
    """Characters county documents use: the region registry's names, the indicator registry's names and
    wordings, and :data:`COMMON_WORDS`."""
    from countylib.data import indicators, registry

    chars = set(COMMON_WORDS)
    for name in registry.registry().name:
        chars.update(name)
    for ind in indicators.registry().values():
        chars.update(ind.name_zh)
        for alias in ind.aliases:
            chars.update(alias)
    return frozenset(c for c in chars if "\u3400" <= c <= "\u9fff")


def familiarity(text: str, sample: int = 20_000) -> int:
    """How many characters of (the start of) ``text``, as simplified characters, are familiar ones.

    >>> familiarity("全縣生產總值") > familiarity("跋玻羆綿竡")
    True
    """
    from countylib.vocab import to_simplified

    known = familiar_characters()
    return sum(c in known for c in to_simplified(text[:sample]))


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:SAMPLE], cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is None:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return (text, best.encoding) if reads_as_chinese(text) else None


def reads_as_chinese(text: str, share: float = 0.8) -> bool:
    """True when at least ``share`` of the text's non-ASCII characters are CJK characters or CJK punctuation
    (text decoded with the wrong encoding is mostly rare symbols and letters of other scripts).

    >>> reads_as_chinese("全县生产总值230亿元"), reads_as_chinese("Ã¥Â…Â¨Ã¥ÂŽÂ¿"), reads_as_chinese("GDP 2022")
    (True, False, True)
    """
    sample = text[:SAMPLE]
    non_ascii = [c for c in sample if ord(c) > 127]
    if not non_ascii:
        return True
    cjk = sum("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\u3000" <= c <= "\u303f"
              or "\uff00" <= c <= "\uffef" or "\uf900" <= c <= "\ufaff" for c in non_ascii)
    return cjk / len(non_ascii) >= share
