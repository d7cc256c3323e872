"""Reading researchers' own documents: saved web pages, PDF text layers, a folder of mixed documents.

All documents are written by this script (made-up bulletins) into a temporary folder:

* ``html``: saved government pages (~40 KB: navigation, scripts, side bars, a bulletin of ~60 figures
  and a table), read by ``countylib.ingest.documents.read`` (main text, tables as rows, address);
  baseline in the same run: one regular expression that strips every tag (the least a converter does).
* ``pdf``: a 60-page PDF with a text layer; baseline: pypdfium2's own text of every page, in a loop,
  without the checks and the page map countylib adds.
* ``folder``: 200 mixed documents (web pages, 3-page PDFs, Word files, GB18030 texts, and a few that
  fail: empty, scanned, damaged) through ``extract_documents`` (read, county and year from each title,
  scan); baseline: reading every file's bytes.

Prints times, pages or documents per second and the ratio to each baseline.

    python benchmarks/documents_bench.py [--pages 200] [--pdf-pages 60] [--folder 200]
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

from countylib.ingest import documents
from countylib.ingest.bulletin import collection

COUNTIES = ["巩义市", "嵩县", "栾川县", "宜阳县", "新安县", "洛宁县", "汝阳县", "伊川县", "登封市", "新密市"]

PARAGRAPH = ("经初步核算，全年全县地区生产总值{a}.{b}亿元，按可比价格计算，比上年增长{g}.{h}%。其中，第一产业增加值{c}.{b}亿元，"
             "增长{h}.{g}%；第二产业增加值{d}.{h}亿元，增长{g}.{b}%；第三产业增加值{e}.{g}亿元，增长{h}.{b}%。"
             "年末全县常住人口{c}.{d}万人，其中城镇人口{g}.{b}万人，常住人口城镇化率{q}.{h}%。全年一般公共预算收入"
             "{c}.{g}亿元，增长{h}.{b}%。全年粮食总产量{d}.{e}万吨，增长{g}.{h}%；规模以上工业增加值增长{h}.{g}%。")


def _fill(rng: random.Random, text: str) -> str:
    return text.format(**{k: rng.randint(10, 99) for k in "abcdeghq"})


FILLER = ("全年粮食播种面积{a}.{b}万亩，粮食总产量{d}.{e}万吨，增长{g}.{h}%。全年居民消费价格上涨{h}.{g}%，"
          "其中食品烟酒类价格上涨{g}.{b}%。全县坚持稳中求进工作总基调，民生福祉持续改善，各项事业取得新的进展。")


def _bulletin_lines(rng: random.Random, county: str, year: int, n: int) -> list[str]:
    """A title, one paragraph of the bulletin's main figures, then paragraphs of other matters."""
    return [f"{year}年{county}国民经济和社会发展统计公报", _fill(rng, PARAGRAPH)] + \
        [_fill(rng, FILLER) for _ in range(n - 1)]


def _page(rng: random.Random, county: str, year: int) -> str:
    nav = "".join(f'<li><a href="/c{i}">栏目{i}</a></li>' for i in range(40))
    side = "".join(f'<li><a href="/r{i}">{year - 1}年第{i}期经济运行简况</a></li>' for i in range(30))
    lines = _bulletin_lines(rng, county, year, 12)
    body = "".join(f'<p style="text-indent:2em">{ln}</p>\n' for ln in lines[1:])
    rows = "".join(f"<tr><td>指标{i}</td><td>亿元</td><td>{rng.randint(10, 999)}.{rng.randint(0, 9)}</td>"
                   f"<td>{rng.randint(1, 9)}.{rng.randint(0, 9)}</td></tr>" for i in range(20))
    script = "var s = '" + "x" * 3000 + "';"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{lines[0]}_政府网</title>"
            f"<script>{script}</script><style>.a{{color:red}}</style></head><body>"
            f"<div class='nav'><ul>{nav}</ul></div><div class='wrap'><div class='main'><h1>{lines[0]}</h1>"
            f"<div class='TRS_Editor'>{body}<table><tr><th>指标</th><th>单位</th><th>绝对数</th><th>增长(%)</th></tr>"
            f"{rows}</table></div></div><div class='sidebar'><ul>{side}</ul></div></div>"
            f"<div class='footer'>版权所有 主办单位 网站标识码</div><script>{script}</script></body></html>")


def _pdf(path: Path, rng: random.Random, county: str, year: int, pages: int) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), invariant=1)
    for p in range(pages):
        c.setFont("STSong-Light", 10)
        text = "".join(_bulletin_lines(rng, county, year, 3)[0 if p == 0 else 1:])
        for i in range(0, min(len(text), 1400), 38):
            c.drawString(40, 800 - 14 * (i // 38), text[i:i + 38])
        c.showPage()
    c.save()


def _docx(path: Path, rng: random.Random, county: str, year: int) -> None:
    import docx

    d = docx.Document()
    for line in _bulletin_lines(rng, county, year, 8):
        d.add_paragraph(line)
    t = d.add_table(rows=10, cols=3)
    for r in range(10):
        for k, v in enumerate((f"指标{r}", "亿元", f"{rng.randint(10, 999)}.{rng.randint(0, 9)}")):
            t.cell(r, k).text = v
    d.save(str(path))


def bench_html(folder: Path, n: int) -> None:
    rng = random.Random(1)
    paths = []
    for i in range(n):
        p = folder / f"page{i}.html"
        p.write_text(_page(rng, COUNTIES[i % len(COUNTIES)], 2022), encoding="utf-8")
        paths.append(p)
    tag = re.compile(r"<[^>]+>")
    t0 = time.perf_counter()
    for p in paths:
        tag.sub("", p.read_text(encoding="utf-8"))
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in paths:
        documents.read(p)
    took = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in paths) / n / 1024
    print(f"html: {n} saved pages of {size:.0f} KB")
    print(f"  baseline (strip every tag with one regex): {base:.2f} s")
    print(f"  documents.read: {took:.2f} s = {n / took:.0f} pages/s; ratio read/baseline = {took / base:.1f}")


def bench_pdf(folder: Path, pages: int) -> None:
    import pypdfium2 as pdfium

    path = folder / "long.pdf"
    _pdf(path, random.Random(2), "嵩县", 2022, pages)
    t0 = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        pdf[i].get_textpage().get_text_range()
    pdf.close()
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc = documents.read(path)
    took = time.perf_counter() - t0
    print(f"pdf: {pages} pages with a text layer, {len(doc.text):,} characters")
    print(f"  baseline (pypdfium2 text of every page, in a loop): {base:.2f} s")
    print(f"  documents.read: {took:.2f} s = {pages / took:.0f} pages/s; ratio read/baseline = {took / base:.2f}")


def bench_folder(folder: Path, n: int) -> None:
    rng = random.Random(3)
    for i in range(n):
        county, kind = COUNTIES[i % len(COUNTIES)], i % 10
        year = 2018 + i % 5
        stem = folder / f"doc{i:03d}"
        if kind in (0, 1, 2, 3):
            stem.with_suffix(".html").write_text(_page(rng, county, year), encoding="utf-8")
        elif kind in (4, 5):
            _pdf(stem.with_suffix(".pdf"), rng, county, year, 3)
        elif kind == 6:
            _docx(stem.with_suffix(".docx"), rng, county, year)
        elif kind in (7, 8):
            stem.with_suffix(".txt").write_bytes("\n".join(_bulletin_lines(rng, county, year, 10)).encode("gb18030"))
        elif i % 3 == 0:  # a few that fail: empty, not a PDF, no title
            stem.with_suffix(".txt").write_bytes(b"")
        elif i % 3 == 1:
            stem.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n" + bytes(300))
        else:
            stem.with_suffix(".txt").write_text(_fill(rng, PARAGRAPH), encoding="utf-8")
    files = sorted(folder.iterdir())
    t0 = time.perf_counter()
    for f in files:
        f.read_bytes()
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = collection.extract_documents([folder])
    took = time.perf_counter() - t0
    rows = run.rows()
    print(f"folder: {len(files)} mixed documents (web pages, 3-page PDFs, Word, GB18030 text, a few bad)")
    print(f"  baseline (read every file's bytes): {base:.3f} s")
    print(f"  extract_documents: {took:.2f} s = {len(files) / took:.0f} documents/s for {len(run.read)} read, "
          f"{len(run.failed)} failed, {len(rows):,} figures; ratio to baseline = {took / base:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--pdf-pages", type=int, default=60)
    ap.add_argument("--folder", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("html", "pdf", "folder"):
            (root / name).mkdir()
        bench_html(root / "html", args.pages)
        bench_pdf(root / "pdf", args.pdf_pages)
        bench_folder(root / "folder", args.folder)


if __name__ == "__main__":
    main()
