"""The index page of an extraction run: every document with its place, year, figures found, and why a
file was not read, each linking to its own review page. Self-contained and offline like every page
countylib writes (its CJK font subset inside, everything from data escaped).

>>> page = index_page([{"file": "<a>.pdf", "status": "failed", "reason": "no text layer: run OCR first"}], font=False)
>>> "&lt;a&gt;.pdf" in page and "no text layer" in page and "<a>.pdf" not in page
True
"""

from __future__ import annotations

from countylib.output import fonts, pages

STATUS_ZH = {"read": "已读取", "failed": "失败", "skipped": "非文档"}
KIND_ZH = {"html": "网页", "pdf": "PDF", "docx": "Word", "text": "文本"}


def index_page(documents: list[dict], title: str = "", subtitle: str = "", font: bool = True) -> str:
    """HTML page listing ``documents``: dicts with file, status (read/failed/skipped) and, as far as known,
    link (relative address of its review page), kind, county, adcode, year, where (pages or address),
    accepted, ambiguous, reason."""
    rows = []
    for d in documents:
        rows.append({"file": d.get("file", ""), "link": d.get("link", ""), "status": d.get("status", ""),
                     "status_zh": STATUS_ZH.get(d.get("status", ""), d.get("status", "")),
                     "kind": KIND_ZH.get(d.get("kind", ""), d.get("kind", "")), "county": d.get("county", ""),
                     "adcode": d.get("adcode", ""), "year": d.get("year") or "", "where": d.get("where", ""),
                     "accepted": d.get("accepted", ""), "ambiguous": d.get("ambiguous", ""),
                     "reason": d.get("reason", "")})
    counts = {s: sum(r["status"] == s for r in rows) for s in ("read", "failed", "skipped")}
    counts["figures"] = sum(int(r["accepted"] or 0) for r in rows)
    counts["ambiguous"] = sum(int(r["ambiguous"] or 0) for r in rows)
    page = pages.render("extract_index.html.j2", fonts_marker=pages.Markup(fonts.MARKER),
                        title=title or "统计公报与政府工作报告：提取结果", subtitle=subtitle, documents=rows,
                        counts=counts)
    return fonts.embed(page) if font else page.replace(fonts.MARKER, "", 1)
