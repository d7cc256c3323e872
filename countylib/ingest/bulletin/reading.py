"""Reading a bulletin file: text only, in UTF-8, UTF-16 (with BOM) or GB18030/GBK, detected or as told.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("全县生产总值230亿元".encode("gbk"))
>>> read_text(p)
('全县生产总值230亿元', 'gb18030')
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


#: Files given by mistake, known by their first bytes.
_FORMATS = ((b"%PDF", "PDF"), (b"PK\x03\x04", "Word/Excel (.docx/.xlsx) or zip"),
            (b"\xd0\xcf\x11\xe0", "Word/Excel 97-2003 (.doc/.xls)"), (b"{\\rtf", "RTF"),
            (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"))


class BadInput(ValueError):
    """A file that is not readable text; the message says which file and what to do."""


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file; raises :class:`BadInput` with a one-line message otherwise."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give the text files inside it")
    data = path.read_bytes()
    if not data.strip():
        raise BadInput(f"{path}: empty file, no text to read")
    for magic, kind in _FORMATS:
        if data.startswith(magic):
            raise BadInput(f"{path}: a {kind} file, not text; save or copy its text as a UTF-8 .txt file first")
    return decode(path, data, encoding)


def decode(path: str | Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file (``path`` names it in errors): ``encoding`` if given,
    else a byte-order mark, UTF-8, or GB18030 when it reads as Chinese; raises :class:`BadInput`.

    >>> decode("a.txt", "全县".encode("gbk"))
    ('全县', 'gb18030')
    """
    path = Path(path)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BadInput(f"{path}: unknown encoding {encoding!r} (try utf-8, gb18030, big5)") from None
        try:
            return _checked(path, data.decode(encoding), encoding), encoding
        except UnicodeDecodeError as exc:
            raise BadInput(f"{path}: not {encoding} text (byte {exc.start}); try another --encoding") from None
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(path, data.decode(enc), enc), enc
    if b"\x00" in data[:65536]:
        raise BadInput(f"{path}: binary file (NUL bytes), not text; convert it to UTF-8 text first")
    try:
        return _checked(path, data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: neither UTF-8 nor GB18030 text (byte {exc.start}); "
                       "pass --encoding (e.g. big5) or convert it to UTF-8") from None
    non_ascii = [c for c in text if ord(c) > 127]
    cjk = sum("\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" for c in non_ascii)
    if non_ascii and cjk / len(non_ascii) < 0.8:
        raise BadInput(f"{path}: cannot tell the encoding (not UTF-8; as GB18030 it reads as garbage); "
                       "pass --encoding or convert it to UTF-8")
    return _checked(path, text, "gb18030"), "gb18030"


def _checked(path: Path, text: str, encoding: str) -> str:
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise BadInput(f"{path}: binary content (control characters), not text; convert it to UTF-8 text first")
    return text
