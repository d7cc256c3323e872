"""Writing output files: atomically, with the user's normal permissions, under names that are safe.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a.html", "<p>县域</p>").read_text(encoding="utf-8")
'<p>县域</p>'
>>> safe_filename("410181-巩义市")
'410181-巩义市'
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from pathvalidate import sanitize_filename

SPACES = re.compile(r"\s+")
MAX_NAME = 120  # bytes (40 Chinese characters in UTF-8), well inside every file system's 255-byte limit


def safe_filename(text: str) -> str:
    """A file name that is safe on every platform whatever a county name or a parameter contains:
    pathvalidate removes separators and characters Windows, macOS or Linux refuse, renames reserved
    names (CON, NUL …) and keeps it short; spaces become ``_``; a name that would be hidden or empty
    (``..``) becomes ``report``.

    >>> safe_filename("410181-巩义市"), safe_filename("a/b\\\\c: d*?"), safe_filename("../..")
    ('410181-巩义市', 'a_b_c__d__', 'report')
    >>> safe_filename("CON"), len(safe_filename("县" * 400).encode("utf-8"))
    ('CON_', 120)
    """
    name = sanitize_filename(SPACES.sub("_", str(text)), replacement_text="_", platform="universal",
                             max_len=MAX_NAME)
    name = name.lstrip(".").strip("_ ") if name.startswith(".") else name.strip(" ")
    return name if name.strip("._") else "report"


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file name beside ``path`` (in its folder, made if needed) for a writer that wants a
    name (``to_parquet``, ``savefig``); ``path`` is replaced by that file when the block ends, and the
    file is removed if the block fails. The name is private to this process and call, so two processes
    writing the same cache never mix their bytes. ``suffix`` ends the name (``.png`` for a writer that
    takes the format from it).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("县域", encoding="utf-8")
    >>> target.read_text(encoding="utf-8"), [p.name for p in target.parent.iterdir()]
    ('县域', ['t.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` so that readers never see half a file.

    The file is created with mode 0666 filtered by the process umask, as ``open()`` would create it
    (a shared folder or a web server can read the reports), never the 0600 of a private temp file.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_path(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    return path


def write_if_changed(path: str | Path, text: str) -> bool:
    """Write ``text`` to ``path`` (atomically) unless the file already holds exactly that; whether it wrote.
    Shared assets of a site keep their modification time when a run adds pages.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.css"
    >>> write_if_changed(p, "x"), write_if_changed(p, "x"), write_if_changed(p, "y")
    (True, False, True)
    """
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True
