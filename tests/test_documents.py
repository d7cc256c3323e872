"""Researchers' own documents: saved web pages, PDF and Word files, folders of them, the county and year of
each found from its title. Every document here is written for the tests (made-up numbers), by
``tests/fixtures/documents/make_documents.py`` or kept as a saved page in that folder."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from countylib.cli import app
from countylib.ingest import documents
from countylib.ingest.bulletin import collection, identify

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("make_documents", FIXTURES / "make_documents.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    return make.make(tmp_path_factory.mktemp("documents") / "collected")


def figures(doc: documents.Document, county: str, year: int) -> dict[str, float]:
    from countylib.ingest import bulletin

    got = bulletin.extract(doc.text, county=county, year=year)
    return {r.indicator: round(float(r.value), 6) for r in got.itertuples()}


# -- web pages ---------------------------------------------------------------------------------------------

def test_a_saved_government_page_gives_its_main_text_and_address(folder):
    doc = documents.read(folder / "gongyi_2022_page.html")
    assert doc.kind == "html" and doc.encoding == "gb18030"
    assert doc.url == "http://www.gongyi.test/tjgb/2023/0328/gongyi2022.html"  # the browser's "saved from" comment
    assert doc.text.startswith("2022年巩义市国民经济和社会发展统计公报\n")
    for noise in ("999.9", "888", "99万人", "首页", "相关文章", "版权所有", "1.0亿元", "突破1000亿元", "阅读次数"):
        assert noise not in doc.text, noise  # scripts, navigation, side bars, footers, hidden drafts
    assert "指标 | 单位 | 绝对数 | 比上年增长(%) |\n地区生产总值 | 亿元 | 1012.36 | 4.5 |" in doc.text
    got = figures(doc, "巩义市", 2022)
    assert got == {"gdp": 1012.36, "gdp_growth": 4.5, "va_primary": 16.21, "va_secondary": 561.4, "va_tertiary": 434.75,
                   "share_primary": 1.6, "share_secondary": 55.5, "share_tertiary": 42.9, "pop_resident": 82.13,
                   "pop_urban": 52.77, "urbanization": 64.25, "fiscal_revenue": 45.62, "tax_revenue": 31.08,
                   "disposable_income": 38126.0, "retail_sales": 312.5}


def test_a_reprint_with_pinyin_glosses_ruby_and_a_table(folder):
    doc = documents.read(folder / "yiyang_2022_reprint.html")
    assert doc.url == "https://reprint.example.test/yiyang/2022-gongbao.html"  # canonical before og:url
    assert "sì shí" not in doc.text and "廣告" not in doc.text and "網友" not in doc.text and "777" not in doc.text
    assert figures(doc, "宜阳县", 2022) == {
        "gdp": 271.36, "gdp_growth": 3.8, "share_primary": 16.1, "share_secondary": 42.7, "share_tertiary": 41.2,
        "pop_resident": 45.54, "urbanization": 43.6, "fiscal_revenue": 14.05, "va_primary": 43.69,
        "va_secondary": 115.87, "va_tertiary": 111.8}
    assert identify.identify(doc.text, doc.title).county == "宜阳县"


def test_a_page_without_main_text_is_one_line_of_reason(folder):
    with pytest.raises(documents.BadInput, match="no main text in the page"):
        documents.read(folder / "portal_no_text.html")


def test_a_page_saved_as_one_file_mhtml(tmp_path):
    page = (FIXTURES / "yiyang_2022_reprint.html").read_text(encoding="utf-8")
    mht = ("From: <Saved by a browser>\nSnapshot-Content-Location: https://saved.example.test/y.html\n"
           "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"B\"\n\n--B\n"
           "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n" + page + "\n--B--\n")
    (tmp_path / "y.mhtml").write_bytes(mht.encode("utf-8"))
    doc = documents.read(tmp_path / "y.mhtml")
    assert doc.url == "https://saved.example.test/y.html" and "２７１．３６" in doc.text


# -- PDF and Word ------------------------------------------------------------------------------------------

def test_a_pdf_text_layer_keeps_the_page_of_each_figure(folder):
    doc = documents.read(folder / "songxian_2022.pdf")
    assert doc.kind == "pdf" and doc.pages == 2
    run = collection.extract_documents([folder / "songxian_2022.pdf"])
    rows = run.rows().set_index("indicator")
    assert rows.loc["gdp", "value_text"] == "263.52" and rows.loc["gdp", "page"] == 1
    assert rows.loc["pop_resident", "page"] == 2 and rows.loc["fiscal_revenue", "page"] == 2
    s, e = rows.loc["pop_resident", ["start", "end"]]
    assert doc.text[s:e] == "43.18万人" and doc.page_at(s) == 2
    # the urban population under the registered one is not the resident urban population
    assert rows.loc["pop_urban", "value_text"] == "19.02"


@pytest.mark.parametrize("name,reason", [
    ("scan.pdf", "no text layer (2 pages of images, a scan): run OCR first"),
    ("locked.pdf", "an encrypted PDF"),
    ("broken.pdf", "a damaged PDF"),
    ("photo.pdf", "named .pdf but a PNG image"),
    ("empty.txt", "empty file"),
])
def test_documents_that_cannot_be_read_say_why_in_one_line(folder, name, reason):
    with pytest.raises(documents.BadInput) as exc:
        documents.read(folder / name)
    assert reason in str(exc.value) and name in str(exc.value) and "\n" not in str(exc.value)


def test_a_word_work_report_of_2023_reports_on_2022_with_its_table(folder):
    doc = documents.read(folder / "xinan_report_2023.docx")
    assert "社会消费品零售总额 | 亿元 | 168.4 | 2.1 |" in doc.text
    who = identify.identify(doc.text, doc.title)
    assert (who.county, who.year, who.kind) == ("新安县", 2022, "work_report")
    got = figures(doc, "新安县", 2022)
    assert got == {"gdp": 452.8, "gdp_growth": 5.1, "fiscal_revenue": 21.36, "disposable_income_urban": 39870.0,
                   "disposable_income_rural": 19215.0, "retail_sales": 168.4}  # targets for 2023 are not outcomes


def test_a_word_file_that_is_a_spreadsheet_or_damaged(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "t.docx", "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(documents.BadInput, match="a spreadsheet"):
        documents.read(tmp_path / "t.docx")
    (tmp_path / "d.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(documents.BadInput, match="damaged"):
        documents.read(tmp_path / "d.docx")


# -- county and year from the document ----------------------------------------------------------------------

@pytest.mark.parametrize("text,kwargs,expected", [
    ("2022年巩义市国民经济和社会发展统计公报\n全市…", {}, ("巩义市", "410181", 2022, "")),
    ("巩义市2022年国民经济和社会发展\n统计公报\n", {}, ("巩义市", "410181", 2022, "")),
    ("2023年巩义市政府工作报告\n各位代表：", {}, ("巩义市", "410181", 2022, "")),
    ("政府工作报告\n——二〇二三年一月八日在新安县第十六届人民代表大会第三次会议上", {}, ("新安县", "410323", 2022, "")),
    ("2019年偃师市国民经济和社会发展统计公报", {}, ("偃师区", "410307", 2019, "")),
    ("开封市鼓楼区2022年国民经济和社会发展统计公报", {}, ("鼓楼区", "410204", 2022, "")),
    ("2022年鼓楼区国民经济和社会发展统计公报", {"province": "河南"}, ("鼓楼区", "410204", 2022, "")),
    ("2022年鼓楼区国民经济和社会发展统计公报", {}, ("", "", 2022, "is the name of several units")),
    ("洛阳市2022年国民经济和社会发展统计公报", {}, ("", "", 2022, "a prefecture's bulletin (洛阳市)")),
    ("河南省2022年国民经济和社会发展统计公报", {}, ("", "", 2022, "a province's bulletin")),
    ("郑州航空港经济综合实验区2022年国民经济和社会发展统计公报", {}, ("", "", 2022, "a functional zone")),
    ("嵩县、栾川县2022年统计公报", {}, ("", "", 2022, "several counties")),
    ("巩义市国民经济和社会发展统计公报", {}, ("巩义市", "410181", None, "no year in the title")),
    ("全县生产总值230亿元。", {}, ("", "", None, "no title of a statistical bulletin")),
    ("政府工作报告\n各位代表：", {}, ("", "", None, "work report whose date")),
    ("2 0 2 2 年 巩 义 市 国 民 经 济 和 社 会 发 展 统 计 公 报\n", {}, ("巩义市", "410181", 2022, "")),
    ("政府工作报告\n在嵩县第十五届人民代表大会第三次会议上\n（2023年1月10日）\n", {}, ("嵩县", "410325", 2022, "")),
    ("政府工作报告\n——2022年12月20日在湘阴县第十八届人民代表大会第二次会议上\n", {}, ("湘阴县", "430624", 2022, "")),
    ("政府工作报告\n——二〇二二年十二月二十日在湘阴县第十八届人民代表大会第二次会议上", {}, ("湘阴县", "430624", 2022, "")),
    ("2023年湘阴县政府工作报告\n——2022年12月20日在湘阴县第十八届人民代表大会第二次会议上", {},
     ("湘阴县", "430624", 2022, "")),
    ("政府工作报告\n——2022年9月28日在湘阴县第十八届人民代表大会第二次会议上", {}, ("湘阴县", "430624", None, "not settled")),
    ("2022年湘阴县政府工作报告\n——2022年12月20日在湘阴县第十八届人民代表大会第二次会议上", {},
     ("湘阴县", "430624", None, "not settled")),
    ("2022年信阳市商城县国民经济和社会发展统计公报(2023年更新)\n商城县统计局", {}, ("商城县", "411524", 2022, "")),
    ("2022年商城县国民经济和社会发展统计公报（2023年3月）", {}, ("商城县", "411524", 2022, "")),
    ("(河南省)西峡县人民政府工作报告(2023年6月15日)\n各位代表：", {}, ("西峡县", "411323", 2022, "")),
    ("(湖南省)湘阴县人民政府工作报告(2022年12月20日)\n各位代表：", {}, ("湘阴县", "430624", 2022, "")),
    ("2019年驻马店市驿城区国民经济和社会发展统计公报 2019年，在区委、区政府的正确领导下，全区上下齐心协力，攻坚克难，"
     "全区经济保持平稳健康发展，各项社会事业持续进步。", {}, ("驿城区", "411702", 2019, "")),
    ("据2022年嵩县国民经济和社会发展统计公报显示，全县生产总值230亿元，比上年增长4.2%，一般公共预算收入11亿元，"
     "社会消费品零售总额131亿元，城乡居民收入增长6%。", {}, ("", "", None, "no title")),
    ("2022年信阳市商城县国民经济和社会发展统\n计公报(2023年更新)\n商城县统计局", {}, ("商城县", "411524", 2022, "")),
    ("2019年驻马店市驿城区国民经济和社会发展统计公\n报 2019年，在区委、区政府的正确领导下，全区上下齐心协力", {},
     ("驿城区", "411702", 2019, "")),
    ("嵩县国民经济和社会发展统计公报（2022年）\n嵩县统计局", {}, ("嵩县", "410325", 2022, "")),
    ("全县生产总值230亿元。", {"county": "嵩县", "year": 2021}, ("嵩县", "410325", 2021, "")),
    ("2022年巩义市国民经济和社会发展统计公报", {"county": "嵩县"}, ("嵩县", "410325", 2022, "")),
])
def test_county_and_year_from_the_title_or_given(text, kwargs, expected):
    who = identify.identify(text, **kwargs)
    county, adcode, year, reason = expected
    assert (who.county, who.adcode, who.year) == (county, adcode, year), who
    assert (reason in who.reason) if reason else who.ok, who


# -- a folder through the command ---------------------------------------------------------------------------

def test_extract_a_folder_lists_every_file_and_writes_one_csv(folder, tmp_path):
    out = tmp_path / "raw" / "collected.csv"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "--no-progress"])
    assert result.exit_code == 1, result.output  # some documents failed, the others are written
    lines = result.output.splitlines()
    for name, reason in [("broken.pdf", "damaged PDF"), ("locked.pdf", "encrypted PDF"), ("scan.pdf", "no text layer"),
                         ("photo.pdf", "PNG image"), ("empty.txt", "empty file"), ("portal_no_text.html", "no main text"),
                         ("luoyang_2022.txt", "prefecture's bulletin"), ("notes.txt", "no title"),
                         ("list.csv", "not a document"), ("logo.png", "an image")]:
        assert sum(name in ln and reason in ln for ln in lines) == 1, (name, result.output)
    assert "jquery" not in result.output  # what the browser saved beside the page is passed over
    assert "15 files: 5 documents read, 8 failed, 2 not documents" in result.output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(rows.columns) == collection.ROW_COLUMNS
    assert set(rows.county) == {"巩义市", "宜阳县", "嵩县", "新安县", "栾川县"}
    gdp = rows[rows.indicator == "gdp"].set_index("county")
    assert gdp.value_text.to_dict() == {"巩义市": "1012.36", "宜阳县": "271.36", "嵩县": "263.52", "新安县": "452.8",
                                        "栾川县": "210.44"}
    assert gdp.loc["嵩县", "page"] == "1" and "p.1 chars" in gdp.loc["嵩县", "note"]
    assert gdp.loc["宜阳县", "url"] == "https://reprint.example.test/yiyang/2022-gongbao.html"
    assert not (rows.indicator.isin(["pop_urban"]) & (rows.county == "栾川县")).any()  # 户籍…其中城镇人口
    meta = yaml.safe_load((tmp_path / "raw" / "collected.csv.meta.yaml").read_text(encoding="utf-8"))
    assert meta["kind"] == "figures_long" and "5 documents" in meta["title"]


def test_a_folder_extracted_builds_and_loads_with_provenance(folder, raw_folder, tmp_path):
    from countylib.data.load import load
    from countylib.ingest.build import build

    out = raw_folder / "collected.csv"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "--no-progress"])
    assert result.exit_code == 1, result.output
    build(raw_folder, tmp_path / "out", boundaries=False)
    got = load("gdp", year=2022, all_sources=True, folder=tmp_path / "out")
    mine = got[got.source_id == "collected.csv"].set_index("name")
    assert mine.loc["嵩县", "value"] == pytest.approx(263.52) and mine.loc["嵩县", "adcode"] == "410325"
    assert "songxian_2022.pdf p.1 chars" in mine.loc["嵩县", "note"]
    assert mine.loc["宜阳县", "url"] == "https://reprint.example.test/yiyang/2022-gongbao.html"
    assert mine.loc["新安县", "value"] == pytest.approx(452.8)


def test_review_index_lists_every_document_and_links_each_review_page(folder, tmp_path):
    from countylib.output.export import check_page

    pages = tmp_path / "review"
    result = runner.invoke(app, ["extract", str(folder), "--review", "--review-dir", str(pages), "--no-progress"])
    assert result.exit_code == 1, result.output
    index = (pages / "extract-index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert sorted(links) == sorted(f"{n}.review.html" for n in (
        "gongyi_2022_page.html", "yiyang_2022_reprint.html", "songxian_2022.pdf", "xinan_report_2023.docx",
        "luanchuan_2022.txt"))
    assert all((pages / link).is_file() for link in links)
    for reason in ("no text layer", "encrypted PDF", "prefecture", "not a document (.csv)"):
        assert reason in index
    assert check_page(index) == [] and check_page((pages / links[0]).read_text(encoding="utf-8")) == []


def test_an_escaped_index_for_hostile_file_names(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "<script>alert(1)<\\script>.txt").write_text("2022年嵩县国民经济和社会发展统计公报\n全县生产总值230.5亿元。",
                                                        encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--review", "--no-progress"])
    assert result.exit_code == 0, result.output
    index = (src / "extract-index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in index and "&lt;script&gt;alert(1)&lt;\\script&gt;.txt" in index
    # a second run does not read the review pages it wrote
    again = runner.invoke(app, ["extract", str(src), "--no-progress"])
    assert again.exit_code == 0 and "1 documents read" in again.output, again.output


def test_exit_codes(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text("2022年嵩县国民经济和社会发展统计公报\n全县生产总值230.5亿元。", encoding="utf-8")
    assert runner.invoke(app, ["extract", str(good)]).exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"")
    (bad / "b.txt").write_text("没有标题的笔记。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 2 and "a.pdf" in result.output and "b.txt" in result.output
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "x.js").write_text("var a;", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(nothing)])
    assert result.exit_code == 2 and "no documents in" in result.output
    shutil.copy(good / "a.txt", bad / "c.txt")
    assert runner.invoke(app, ["extract", str(bad)]).exit_code == 1


def test_given_county_and_year_apply_to_every_document(tmp_path):
    src = tmp_path / "n.txt"
    src.write_text("读书笔记：全县生产总值230.5亿元。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--county", "嵩县", "--year", "2022"])
    assert result.exit_code == 0 and "1 figures extracted" in result.output, result.output


def test_a_page_whose_link_lists_name_other_bulletins_is_read_for_its_own_title(tmp_path):
    page = ("<html><head><title>统计公报_嵩县人民政府</title></head><body><h1>嵩县人民政府</h1>"
            "<div class='left'><ul><li><a href='/1'>2021年嵩县国民经济和社会发展统计公报</a></li>"
            "<li><a href='/2'>2020年嵩县国民经济和社会发展统计公报</a></li></ul></div>"
            "<div class='right'><h2>2022年嵩县国民经济和社会发展统计公报</h2>"
            "<p>全年全县生产总值263.52亿元，比上年增长4.1%。年末全县常住人口43.18万人，全年一般公共预算收入11.46亿元。</p>"
            "</div></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    doc = documents.read(tmp_path / "p.html")
    assert doc.title == "2022年嵩县国民经济和社会发展统计公报" and "2021年" not in doc.text
    run = collection.extract_documents([tmp_path / "p.html"])
    assert [(d.county, d.year) for d in run.documents] == [("嵩县", 2022)]
    assert run.rows().set_index("indicator").loc["gdp", "value_text"] == "263.52"


def test_radical_forms_in_a_pdf_text_layer_read_as_the_characters(tmp_path):
    """Some PDF writers put radical forms (⻓ U+2ED3) in the text layer for ordinary characters (长)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "r.pdf"), invariant=1)
    c.setFont("STSong-Light", 11)
    c.drawString(60, 780, "2022年嵩县国民经济和社会发展统计公报")
    c.drawString(60, 760, "全县生产总值263.5亿元，比上年增\u2ed34.1%。")
    c.showPage()
    c.save()
    doc = documents.read(tmp_path / "r.pdf")
    assert "增长4.1%" in doc.text and "\u2ed3" not in doc.text
    assert figures(doc, "嵩县", 2022) == {"gdp": 263.5, "gdp_growth": 4.1}


def test_a_page_saved_as_utf8_that_still_declares_gb2312(tmp_path):
    page = (FIXTURES / "gongyi_2022_page.html").read_bytes().decode("gb18030")
    (tmp_path / "u.html").write_text(page, encoding="utf-8")  # the meta still says gb2312
    doc = documents.read(tmp_path / "u.html")
    assert doc.encoding == "utf-8" and "全年全市地区生产总值1012.36亿元" in doc.text


def test_a_title_on_the_line_above_a_wrapped_figure_is_still_the_title():
    text = ("2020年嵩县国民经济和社会发展统计公报全年全县地区生产总值27\n.82亿元，按可比价格计算，比上年增长3.6%。"
            "其中，第一产业增加值18.82亿元，增长4.1%；第二产业增加值42.67亿元，增长3.8%。")
    who = identify.identify(text)
    assert (who.county, who.year) == ("嵩县", 2020)


def test_a_site_named_after_bulletins_is_not_the_title_of_its_pages(tmp_path):
    """A reprint site's logo (统计公报库 in an <h1>) names no year; a side bar's heading names another county's
    bulletin that the page's <title> does not repeat: the article's own heading is the title."""
    page = ("<html><head><title>2022年嵩县国民经济和社会发展统计公报 - 公报统计公报库</title></head><body>"
            "<div class='top'><h1><a href='/'>公报统计公报库</a></h1></div>"
            "<div class='r'><h3>2022年栾川县国民经济和社会发展统计公报</h3></div>"
            "<div class='article'><h1>2022年嵩县国民经济和社会发展统计公报</h1><div class='con'>"
            "<p>初步核算，全年全县生产总值263.52亿元，比上年增长4.1%。年末全县常住人口43.18万人。</p>"
            "<p>全年一般公共预算收入11.46亿元，比上年增长6.2%。</p></div></div></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    assert documents.read(tmp_path / "p.html").title == "2022年嵩县国民经济和社会发展统计公报"
    run = collection.extract_documents([tmp_path / "p.html"])
    assert [(d.county, d.year) for d in run.documents] == [("嵩县", 2022)]
    assert run.rows().set_index("indicator").value_text.to_dict() == {
        "gdp": "263.52", "gdp_growth": "4.1", "pop_resident": "43.18", "fiscal_revenue": "11.46"}


def test_a_bulletin_under_a_former_name_speaks_of_itself_in_that_name_s_words(tmp_path):
    """偃师市 became 偃师区 in 2021: its 2019 bulletin says 全市, which is its own figure, not a prefecture's."""
    (tmp_path / "y.txt").write_text("2019年偃师市国民经济和社会发展统计公报\n偃师市统计局\n"
                                    "全年全市生产总值452.6亿元，比上年增长7.8%。年末全市常住人口58.3万人。", encoding="utf-8")
    rows = collection.extract_documents([tmp_path]).rows()
    assert set(rows.adcode) == {"410307"} and set(rows.year) == {2019}
    assert rows.set_index("indicator").value_text.to_dict() == {"gdp": "452.6", "gdp_growth": "7.8",
                                                                "pop_resident": "58.3"}


def _justified_pdf(path: Path, pages: list[list[tuple[str, str]]], size=(300, 400)) -> None:
    """A PDF laid out as a word processor prints a paragraph: lines stretched to the right margin ("full"),
    the last line of a paragraph left short, a running head and a page number outside the text block."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = size
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for lines in pages:
        y = height - 50
        for how, text in lines:
            if how == "head":
                c.setFont("STSong-Light", 8)
                c.drawCentredString(width / 2, height - 20, text)
                continue
            if how == "foot":
                c.setFont("STSong-Light", 8)
                c.drawCentredString(width / 2, 15, text)
                continue
            x = 50 if how.startswith("indent") else 30  # a paragraph's first line starts two characters in
            t = c.beginText(x, y)
            t.setFont("STSong-Light", 10)
            if how.endswith("full"):
                t.setCharSpace((width - 30 - x - pdfmetrics.stringWidth(text, "STSong-Light", 10)) / (len(text) - 1))
            t.textOut(text)
            c.drawText(t)
            y -= 18
        c.showPage()
    c.save()


def test_a_pdf_paragraph_broken_over_lines_and_pages_reads_as_one(tmp_path):
    """Lines that reach the right margin go on: a figure broken between 亿 and 元, between its label and its
    number, or over a page (with the running head and the page numbers between) is read whole."""
    _justified_pdf(tmp_path / "p.pdf", [
        [("short", "2022年嵩县国民经济和社会发展统计公报"),
         ("full", "初步核算，全年全县地区生产总值241.3亿"),
         ("full", "元，比上年增长4.6%。年末全县常住人口"),
         ("short", "43.18万人。"),
         ("full", "全年实现社会消费品零售总额98.7亿元，一般"),
         ("foot", "— 1 —")],
        [("head", "2022年嵩县国民经济和社会发展统计公报"),
         ("short", "公共预算收入12.4亿元，比上年增长7.5%。"),
         ("foot", "— 2 —")]])
    doc = documents.read(tmp_path / "p.pdf")
    assert "— 1 —" not in doc.text and doc.text.count("统计公报") == 1
    assert figures(doc, "嵩县", 2022) == {"gdp": 241.3, "gdp_growth": 4.6, "pop_resident": 43.18,
                                         "retail_sales": 98.7, "fiscal_revenue": 12.4}
    run = collection.extract_documents([tmp_path / "p.pdf"])
    assert run.rows().set_index("indicator").loc[["gdp", "fiscal_revenue"], "page"].tolist() == [1, 2]


def test_a_pdf_table_row_that_spans_the_page_is_not_joined_to_the_next(tmp_path):
    """A table row reaches the right margin too, but its cells stand apart: each row stays a line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "t.pdf"), pagesize=(300, 400), invariant=1)
    c.setFont("STSong-Light", 10)
    c.drawString(30, 350, "表1 2022年主要指标")
    for i, (label, unit, old, new) in enumerate([("指标", "单位", "2021年", "2022年"),
                                                 ("地区生产总值", "亿元", "231.6", "241.3"),
                                                 ("常住人口", "万人", "43.52", "43.18")]):
        c.drawString(30, 330 - 18 * i, label)
        c.drawString(130, 330 - 18 * i, unit)
        c.drawRightString(220, 330 - 18 * i, old)
        c.drawRightString(270, 330 - 18 * i, new)
    c.showPage()
    c.save()
    doc = documents.read(tmp_path / "t.pdf")
    assert [ln.split()[0] for ln in doc.text.splitlines()[1:]] == ["指标", "地区生产总值", "常住人口"]


def test_a_short_article_beside_a_side_bar_of_text_is_read_without_the_side_bar(tmp_path):
    """A short news item in one column, a county profile with figures of no stated year in the other: no
    column holds 80 % of the text, the one with the page's title is the article."""
    profile = ("嵩县位于河南省西部，伏牛山北麓，总面积3120平方公里，辖10个乡镇，总人口58万人。全县生产总值突破220亿元，"
               "一般公共预算收入11亿元。境内有白云山、天池山等国家级森林公园，是全国重点产粮县、全省中药材基地县。")
    page = ("<html><head><title>嵩县2023年政府工作报告_嵩县人民政府</title></head><body><div class='wrap'>"
            "<div class='lm_left'><div class='bt'>嵩县2023年政府工作报告</div>"
            "<p>——2023年2月20日在嵩县第十五届人民代表大会第三次会议上</p><p>各位代表：</p>"
            "<p>一、2022年工作回顾</p><p>过去一年，全县生产总值完成241.3亿元，增长4.6%，各项事业稳步推进。</p></div>"
            f"<div class='lm_right'><div class='tit'>县情概况</div><p>{profile}</p></div></div></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    doc = documents.read(tmp_path / "p.html")
    assert "县情概况" not in doc.text and "241.3亿元" in doc.text
    rows = collection.extract_documents([tmp_path / "p.html"]).rows()
    assert rows.set_index("indicator").value_text.to_dict() == {"gdp": "241.3", "gdp_growth": "4.6"}


def test_a_pdf_paragraph_goes_on_after_a_full_stop_at_the_margin_until_an_indented_line(tmp_path):
    """A full stop at the end of a full line does not end the paragraph: its next line, not indented, goes on
    (市级… 。| 其中… : the parts stay with their sub-scope); an indented line starts a new paragraph."""
    _justified_pdf(tmp_path / "p.pdf", [[
        ("short", "2022年慈溪市国民经济和社会发展统计公报"),
        ("indent full", "全市实现地区生产总值2388.46亿元，增"),
        ("short", "长2.7%。"),
        ("indent full", "市级实现地区生产总值1570.21亿元。"),
        ("full", "其中，第三产业增加值655.32亿元。三次产业"),
        ("short", "之比为3.8:54.2:42.0。"),
        ("indent short", "年末全市常住人口185.1万人。")]])
    doc = documents.read(tmp_path / "p.pdf")
    assert "亿元。其中" in doc.text and "\n年末全市常住人口" in doc.text
    assert figures(doc, "慈溪市", 2022) == {"gdp": 2388.46, "gdp_growth": 2.7, "pop_resident": 185.1}


def test_a_word_table_cell_merged_down_labels_its_first_row_only(tmp_path):
    """地区生产总值 merged over a row of levels and a row of growth rates: the levels are the GDP, the rates'
    row has no label of its own (as a web page's rowspan), so the two are not read as conflicting GDPs."""
    import docx

    d = docx.Document()
    d.add_paragraph("2022年嵩县国民经济和社会发展统计公报")
    d.add_paragraph("单位：亿元")
    table = d.add_table(rows=5, cols=3)
    for i, row in enumerate([("指标", "2021年", "2022年"), ("地区生产总值", "226.4", "238.9"), ("", "5.1", "4.4"),
                             ("一般公共预算收入", "11.8", "12.6"), ("", "6.0", "6.8")]):
        for j, value in enumerate(row):
            if value:
                table.cell(i, j).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    d.save(tmp_path / "t.docx")
    doc = documents.read(tmp_path / "t.docx")
    assert doc.text.count("地区生产总值") == 1
    assert figures(doc, "嵩县", 2022) == {"gdp": 238.9, "fiscal_revenue": 12.6}


def test_one_path_given_as_text_is_that_path_not_its_characters(tmp_path, monkeypatch):
    # A researcher passes the folder (or file) as a string or a Path: that is one path, never the
    # characters of it ("/" is the root of the file system).
    src = tmp_path / "songxian_2022.txt"
    src.write_text("2022年嵩县国民经济和社会发展统计公报\n全年全县生产总值230.65亿元。", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in (str(src), src, str(tmp_path), "songxian_2022.txt"):
        run = collection.extract_documents(given)
        assert run.summary()[["status", "county", "year", "accepted"]].values.tolist() == [["read", "嵩县", 2022, 1]]


def test_a_misspelt_province_is_one_line_before_any_document_is_read(tmp_path):
    from countylib.data.registry import UnknownAreaError

    src = tmp_path / "gulou_2022.txt"
    src.write_text("2022年鼓楼区国民经济和社会发展统计公报\n全年全区生产总值300亿元。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--province", "河蓝"])
    assert result.exit_code == 2 and "unknown province '河蓝'; did you mean" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(UnknownAreaError, match="河南省"):
        collection.extract_documents(src, province="河蓝")
    assert collection.extract_documents(src, province="河南").summary().adcode.tolist() == ["410204"]

