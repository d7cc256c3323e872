"""A self-contained HTML page to check what was extracted from a text in a minute.

Each figure is highlighted in its context (green accepted, orange ambiguous, grey set aside) with its
indicator, value, year and flags; the ambiguous ones with their reasons. Everything from the text is
escaped (jinja2 autoescape); the page carries its own CJK font subset and loads nothing.

>>> from countylib.ingest import bulletin
>>> text = "全县生产总值230亿元。洛阳市生产总值<b>5675亿元</b>。"
>>> page = render(text, bulletin.scan(text, county="嵩县", year=2022), "test", font=False)
>>> "&lt;b&gt;" in page and "figure of another place" in page
True
"""

from __future__ import annotations

import math

import pandas as pd

from countylib.data import indicators as ind
from countylib.output import fonts, pages

CONTEXT = 40
MAX_FULL_TEXT = 300_000
MAX_ROWS = 1000  # per table: a page for a 5 MB text stays readable


def _name(key: str) -> str:
    return ind.get(key).name_zh if key else ""


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _context(text: str, row, rows: pd.DataFrame) -> list[dict]:
    """Pieces of the text around one figure: its label underlined, the figure marked."""
    a, b = max(0, min(row.start, row.label_start) - CONTEXT), min(len(text), max(row.end, row.label_end) + CONTEXT)
    marks = sorted({(row.label_start, row.label_end, "", True), (row.start, row.end, row.status, False)})
    pieces, pos = [], a
    for s, e, cls, is_label in marks:
        if s < pos or e > b or e <= s:
            continue
        pieces.append({"text": text[pos:s].replace("\n", " ⏎ "), "cls": "", "label": False})
        pieces.append({"text": text[s:e], "cls": "" if is_label else cls, "label": is_label})
        pos = e
    pieces.append({"text": text[pos:b].replace("\n", " ⏎ "), "cls": "", "label": False})
    if a > 0:
        pieces[0]["text"] = "…" + pieces[0]["text"]
    if b < len(text):
        pieces[-1]["text"] += "…"
    return pieces


def _full_text(text: str, rows: pd.DataFrame) -> list[dict]:
    pieces, pos = [], 0
    for r in rows.sort_values(["start", "end"]).astype(object).itertuples():
        if r.start < pos or r.end <= r.start:
            continue  # overlapping marks are listed in the tables only
        pieces.append({"text": text[pos:r.start], "cls": ""})
        tip = f"{r.indicator or r.label} {r.value_text}{r.unit_text} {r.year if r.year is not pd.NA else ''} {r.reason}"
        pieces.append({"text": text[r.start:r.end], "cls": r.status, "n": r.n, "tip": tip.strip()})
        pos = r.end
    pieces.append({"text": text[pos:], "cls": ""})
    return pieces


def render(text: str, figures: pd.DataFrame, title: str = "", subtitle: str = "", font: bool = True) -> str:
    """HTML page for ``figures`` (the frame :func:`countylib.ingest.bulletin.scan` returns) found in ``text``."""
    rows = figures.reset_index(drop=True).copy()
    rows["n"] = range(1, len(rows) + 1)
    items: dict[str, list] = {"ok": [], "ambiguous": [], "other": []}
    counts = {"ok": 0, "ambiguous": 0, "other": 0}
    for r in rows.astype(object).itertuples():  # plain values: Arrow columns iterate slowly
        group = "ok" if r.status == "ok" else "ambiguous" if r.status == "ambiguous" else "other"
        counts[group] += 1
        if len(items[group]) >= MAX_ROWS:
            continue
        item = {"n": r.n, "indicator": r.indicator or "—", "name": _name(r.indicator), "label": r.label,
                "value": _fmt(r.value), "unit": r.unit, "printed": f"{r.value_text}{r.unit_text}",
                "year": "" if pd.isna(r.year) else int(r.year), "flags": r.flags.replace(",", ", "),
                "reason": r.reason, "context": _context(text, r, rows)}
        items[group].append(item)
    data = {"title": title or "Figures found in the text", "subtitle": subtitle, "max_rows": MAX_ROWS,
            "counts": counts, "accepted": items["ok"],
            "ambiguous": items["ambiguous"], "others": items["other"], "length": len(text),
            "full_text": _full_text(text, rows) if len(text) <= MAX_FULL_TEXT else None}
    page = pages.render("review.html.j2", fonts_marker=pages.Markup(fonts.MARKER), **data)
    return fonts.embed(page) if font else page.replace(fonts.MARKER, "", 1)
