"""Reading a bulletin file: text only, in UTF-8, UTF-16, GB18030/GBK or Big5, detected or as told.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("全县生产总值230亿元".encode("gbk"))
>>> read_text(p)
('全县生产总值230亿元', 'gb18030')
"""

from __future__ import annotations

import re
from pathlib import Path

from countylib.ingest import encodings

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


#: Files given by mistake, known by their first bytes.
_FORMATS = ((b"%PDF", "PDF"), (b"PK\x03\x04", "Word/Excel (.docx/.xlsx) or zip"),
            (b"\xd0\xcf\x11\xe0", "Word/Excel 97-2003 (.doc/.xls)"), (b"{\\rtf", "RTF"),
            (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"))


class BadInput(ValueError):
    """A file that is not readable text; the message says which file and what to do."""


def file_bytes(path: str | Path) -> bytes:
    """The bytes of a file to read; :class:`BadInput` in one line for a missing file, a folder or a file with
    nothing in it (the checks every document reader makes first)."""
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give the files inside it (`countylib extract` takes folders)")
    data = path.read_bytes()
    if not data.strip():
        raise BadInput(f"{path}: empty file, nothing to read")
    return data


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file; raises :class:`BadInput` with a one-line message otherwise."""
    return text_of(path, file_bytes(path), encoding)


def text_of(path: str | Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of the bytes read from the text file ``path`` (:func:`file_bytes`): :func:`decode`, after
    the check that they are not a PDF, Word, RTF or image file; raises :class:`BadInput`.

    >>> text_of("a.txt", b"%PDF-1.7")
    Traceback (most recent call last):
    ...
    countylib.ingest.bulletin.reading.BadInput: a.txt: a PDF file, not text; save or copy its text as a UTF-8 .txt file first
    """
    path = Path(path)
    for magic, kind in _FORMATS:
        if data.startswith(magic):
            raise BadInput(f"{path}: a {kind} file, not text; save or copy its text as a UTF-8 .txt file first")
    return decode(path, data, encoding)


def decode(path: str | Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file (``path`` names it in errors), found as every reader of
    countylib finds it (:func:`countylib.ingest.encodings.decode`); raises :class:`BadInput`.

    >>> decode("a.txt", "全县".encode("gbk"))
    ('全县', 'gb18030')
    """
    path = Path(path)
    has_bom = any(data.startswith(bom) for bom, _ in encodings.BOMS)
    if not encoding and not has_bom and b"\x00" in data[:65536] and not _utf16_text(data):
        raise BadInput(f"{path}: binary file (NUL bytes), not text; convert it to UTF-8 text first")
    try:
        text, used = encodings.decode(data, str(path), encoding)
    except encodings.EncodingError as exc:
        hint = "try another --encoding" if encoding else "pass --encoding (e.g. big5) or convert it to UTF-8"
        raise BadInput(f"{exc}; {hint}") from None
    return _checked(path, text, used), used


def _utf16_text(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    sample = data[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _checked(path: Path, text: str, encoding: str) -> str:
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise BadInput(f"{path}: binary content (control characters), not text; convert it to UTF-8 text first")
    return text
