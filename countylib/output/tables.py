"""Tables for reports: every cell and heading escaped as text, numbers right-aligned, missing shown as
无数据, the row index hidden, and the same HTML for the same table (no random element ids).

>>> import pandas as pd
>>> t = styled(pd.DataFrame({"名称": ["<b>巩义市</b>"], "数值": [12962.58], "年份": [2022]}))
>>> html = t.to_html()
>>> "&lt;b&gt;巩义市&lt;/b&gt;" in html and "<b>巩义市" not in html, "12,962.58" in html, ">2022<" in html
(True, True, True)
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from countylib import escape

NUMBER = re.compile(r"^\s*[-+−]?[\d,]+(\.\d+)?\s*%?\s*$")
RANK = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")  # a rank among units: "151 / 157", kept on one line like a number


def _numeric(col: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(col):
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    shown = col.dropna().astype(str)
    shown = shown[~shown.isin(["无数据", "—", ""])]
    return bool(len(shown)) and bool(shown.map(lambda s: bool(NUMBER.match(s) or RANK.match(s))).all())


def styled(frame: pd.DataFrame, precision: int = 2, na_rep: str = "无数据", formats: dict | None = None,
           wrap: tuple[str, ...] = ()):
    """A pandas Styler for a report table.

    ``formats``: per-column format strings or functions (as ``Styler.format``); ``wrap``: columns of long
    text (sources, notes) that may wrap instead of widening the table.
    """
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes()
                          + "|".join(frame.columns).encode("utf-8")).hexdigest()[:10]
    st = frame.style.hide(axis="index").set_uuid(f"c{digest}")
    st = st.format(na_rep=na_rep, escape="html")
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    if floats:  # thousands separators for measured values only (never for years or codes)
        st = st.format(f"{{:,.{precision}f}}", subset=floats, na_rep=na_rep, escape="html")
    if formats:
        st = st.format(formats, na_rep=na_rep, escape="html")
    st = st.format_index(escape="html", axis=1)
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    styles = []
    for i, col in enumerate(frame.columns):
        if _numeric(frame[col]):
            classes[col] = "num"
            styles.append({"selector": f"th.col_heading.col{i}", "props": "text-align: right;"})
        elif col in wrap:
            classes[col] = "wrap"
    return st.set_td_classes(classes).set_table_styles(styles, overwrite=False)


class Collapsed:
    """A long table shown folded under a one-line summary (``<details>``), so it does not fill the page:
    the reader opens it when wanted. Displays itself in a notebook and in pages made from one.

    >>> import pandas as pd
    >>> page = Collapsed(styled(pd.DataFrame({"名称": ["<i>甲县</i>"]})), "说明（1 个 <单位>）")._repr_html_()
    >>> page.startswith("<details><summary>说明（1 个 &lt;单位&gt;）</summary>"), "&lt;i&gt;甲县" in page
    (True, True)
    """

    def __init__(self, table, summary: str):
        self.table, self.summary = table, summary

    def _repr_html_(self) -> str:
        inner = self.table.to_html() if hasattr(self.table, "to_html") else str(self.table)
        return f"<details><summary>{escape.html(self.summary)}</summary>{inner}</details>"
