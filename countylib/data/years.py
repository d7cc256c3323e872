"""Years as researchers have them: ``2022``, ``np.int64(2022)`` from a DataFrame, ``2022.0``, ``"2022"``,
``"2022年"``, or a list, range or array of them. Every function that takes a year reads it here, so
``load``, ``load_panel``, ``regions.resolve`` and the county lists accept the same things and refuse the
same things, in one line naming the value.

>>> import numpy as np
>>> years(np.int64(2022)), years("2022年"), years(range(2020, 2022))
((2022,), (2022,), (2020, 2021))
>>> year_column(["2013", None, 2019.0], 3).tolist()
[2013, -1, 2019]
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 1949, 2100
_YEAR_TEXT = re.compile(r"\s*(\d{4})\s*年?\s*")


def years(value: object) -> tuple[int, ...] | None:
    """Years as ``load()`` takes them -> a tuple of ints (None for None): one year or an iterable of them,
    each an int of any kind (numpy's too), a float without a fraction (``2022.0``), or its text (``"2022"``,
    ``"2022年"``). Anything else is refused in one line naming the value.

    >>> import numpy as np
    >>> years(np.int64(2022)), years(2022.0), years("2022"), years(range(2020, 2023)), years(None)
    ((2022,), (2022,), (2022,), (2020, 2021, 2022), None)
    >>> years(2022.5)
    Traceback (most recent call last):
    ...
    ValueError: year=2022.5 is not a year: pass a whole year such as 2022 (or a list of years)
    """
    if value is None:
        return None
    if _scalar(value):
        return (one_year(value, value),)
    items = list(value.tolist() if hasattr(value, "tolist") else value)  # type: ignore[attr-defined]
    if not items:
        raise ValueError(f"year={value!r} names no year: pass a year such as 2022 (or a list of years)")
    return tuple(one_year(v, value) for v in items)


def year_column(value: object, n: int) -> np.ndarray:
    """One year per row of ``n`` rows, -1 where there is none: ``value`` is None (no year), one year for
    every row, or one per row (a column of a sheet, where an empty cell is no year). A value that is not a
    year is refused as in :func:`years`.

    >>> year_column(None, 2).tolist(), year_column("2013", 2).tolist()
    ([-1, -1], [2013, 2013])
    >>> year_column(["2013", "二〇一三"], 2)
    Traceback (most recent call last):
    ...
    ValueError: year=['2013', '二〇一三'] holds '二〇一三', which is not a year: pass a whole year such as 2022 (or a list of years)
    """
    if value is None:
        return np.full(n, -1, dtype=np.int64)
    if _scalar(value):
        return np.full(n, one_year(value, value), dtype=np.int64)
    items = list(value.tolist() if hasattr(value, "tolist") else value)  # type: ignore[attr-defined]
    return np.array([-1 if _empty(v) else one_year(v, value) for v in items], dtype=np.int64)


def one_year(v: object, given: object) -> int:
    """One year (``given`` is what the caller passed, for the message)."""
    shown = f"year={given!r}" if v is given else f"year={given!r} holds {v!r}, which"
    if isinstance(v, bool) or v is None:
        y = None
    elif isinstance(v, numbers.Integral):
        y = int(v)
    elif isinstance(v, numbers.Real):
        y = int(v) if float(v).is_integer() else None
    elif isinstance(v, str):
        m = _YEAR_TEXT.fullmatch(v)
        y = int(m.group(1)) if m else None
    else:
        y = None
    if y is None or not FIRST_YEAR <= y <= LAST_YEAR:
        raise ValueError(f"{shown} is not a year: pass a whole year such as 2022 (or a list of years)")
    return y


def _scalar(value: object) -> bool:
    return isinstance(value, str | bytes) or not isinstance(value, Iterable) or getattr(value, "ndim", 1) == 0


def _empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and bool(pd.isna(v)))
