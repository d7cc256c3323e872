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

SAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff\-]+")


def safe_filename(text: str) -> str:
    """A file name that is safe whatever a county name contains.

    >>> safe_filename("410181-巩义市"), safe_filename("a/b\\\\c: d*?"), safe_filename("../..")
    ('410181-巩义市', 'a_b_c_d_', 'report')
    """
    name = SAFE_NAME.sub("_", text).strip(" .")
    return name if name.strip("_") else "report"


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
