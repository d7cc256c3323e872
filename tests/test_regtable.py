"""The regression table: numbers from the results, the same cells in HTML and Word, LaTeX that TeX can
read, hostile labels shown as text, the same bytes every time, files replaced whole."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
import numpy as np
import pandas as pd
import pytest

from countylib.analysis import panel, stats
from countylib.output import regtable

HOSTILE = {"x": '<script>alert("x")</script>', "z": '"><img src=x onerror=alert(1)> 50% & ln_z #1 $ ^ ~ \\ {a}',
           "adcode": "county_{i}", "year": "[年份]"}


def _data(units: int = 40, seed: int = 2) -> pd.DataFrame:
    """Made-up two-year panel: 40 units in 10 provinces."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"adcode": np.repeat([f"{410100 + i}" for i in range(units)], 2),
                       "year": [2010, 2020] * units})
    df["name"] = "县" + df.adcode.str[-2:]
    df["province"] = "省" + (df.index // 2 % 10).astype(str)
    df["x"] = rng.normal(size=len(df))
    df["z"] = rng.normal(size=len(df))
    df["y"] = 0.4 * df.x - 0.05 * df.z + rng.normal(size=len(df))
    return df


@pytest.fixture(scope="module")
def models():
    df = _data()
    return [panel.regress(df, "y", "x", fe=["adcode", "year"]),
            panel.regress(df, "y", ["x", "z"], fe=["adcode", "year"], cluster="province"),
            panel.regress(df, "y", ["x", "z"], vcov="HC1"),
            stats.regress(df[df.year == 2020], "y", "x", controls=["z"], fixed_effects="province")]


class _Cells(HTMLParser):
    """Text of every table row's cells, tags inside a cell (sup) dropped."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data.strip("\n")


def _html_cells(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def _docx_cells(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for row in document.tables[0].rows]


# ------------------------------------------------------------------------------------------------------
# Numbers
# ------------------------------------------------------------------------------------------------------


def test_cells_carry_the_numbers_of_the_results(models):
    t = regtable.table(models)
    rows = {r.label or f"se-{i}": r for i, r in enumerate(t.rows)}
    cells = t.cells()
    labels = [c[0] for c in cells]
    x_row = labels.index("x")
    for j, m in enumerate(models[:3], start=1):
        coef, se, p = m.coef["x"], m.se["x"], m.pvalues["x"]
        stars = "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""
        assert cells[x_row][j] == f"{coef:.3f}{stars}"
        assert cells[x_row + 1][j] == f"[{se:.3f}]"
    cross = models[3].table.loc["x"]
    assert cells[x_row][4].startswith(f"{cross.coef:.3f}") and cells[x_row + 1][4] == f"[{cross.std_err:.3f}]"
    assert "Intercept" not in labels and "常数项" in labels  # only model 3 (no fixed effects) has one
    assert cells[labels.index("常数项")][1:] == ["", "", f"{models[2].coef['Intercept']:.3f}" + rows["常数项"].stars[2], ""]
    assert cells[labels.index("观测值")][1:] == ["80", "80", "80", "40"]
    assert cells[labels.index("R²")][1:] == [f"{m.r2:.3f}" for m in models]
    assert cells[labels.index("组内 R²")][1:] == [f"{models[0].r2_within:.3f}", f"{models[1].r2_within:.3f}", "", ""]
    assert cells[labels.index("聚类数")][1:] == ["40", "10", "", ""]
    assert cells[labels.index("县固定效应")][1:] == ["是", "是", "否", "否"]
    assert cells[labels.index("省份固定效应")][1:] == ["否", "否", "否", "是"]
    assert cells[labels.index("标准误")][1:] == ["聚类（县）", "聚类（省份）", "稳健（HC1）", "稳健（HC3）"]


def test_stars_and_brackets_follow_the_options(models):
    m = models[0]
    plain = regtable.table([m], stars=False, se_style="parentheses", digits=4)
    row = [r for r in plain.rows if r.label == "x"][0]
    assert row.cells == [f"{m.coef['x']:.4f}"] and not any(row.stars)
    assert plain.cells()[plain.cells().index(row.texts()) + 1][1] == f"({m.se['x']:.4f})"
    assert plain.notes == ["括号内为标准误。"]
    strict = regtable.table([m], stars={"+": 0.5, "*": 1e-12})
    assert [r for r in strict.rows if r.label == "x"][0].stars == ["+"]
    assert strict.notes[1] == "+ p < 0.5，* p < 1e-12。"


def test_english_words_and_registry_labels():
    df = _data().rename(columns={"x": "urbanization"})
    res = panel.regress(df.assign(gdp=np.exp(df.y)), "gdp", "urbanization", fe=["adcode", "year"], log=["gdp"])
    zh = regtable.table([res]).cells()
    en = regtable.table([res], lang="en", labels={"adcode": "County"}).cells()
    assert zh[1] == ["被解释变量", "ln 地区生产总值"] and zh[2][0] == "常住人口城镇化率（%）"
    assert en[1] == ["Dependent variable", "ln Gross domestic product (current prices)"]
    assert en[2][0] == "Urbanization rate (resident population) (%)"
    assert [c[0] for c in en[4:]] == ["County FE", "Year FE", "Standard errors", "Clusters", "Observations", "R²",
                                      "Within R²"]


def test_refused_inference_shows_a_dash_and_says_why():
    df = _data(units=6)
    res = panel.regress(df, "y", "x", fe=["adcode", "year"], vcov="HC1")
    assert not res.inference
    t = regtable.table([res])
    assert t.cells()[2] == ["x", "—"] and t.cells()[3] == ["", ""]
    assert t.notes[-1].startswith("模型 (1) 不作统计推断：N = 12")


def test_panel_result_shows_as_a_table_in_a_notebook(models):
    assert models[0]._repr_html_() == regtable.table([models[0]]).to_html()


# ------------------------------------------------------------------------------------------------------
# Formats
# ------------------------------------------------------------------------------------------------------


def test_html_and_word_show_the_same_cells(models):
    t = regtable.table(dict(zip(["基准", "聚类到省", "混合", "截面"], models, strict=True)), labels=HOSTILE,
                       title="表 1 <人口变化>")
    assert _html_cells(t.to_html()) == t.cells() == _docx_cells(t.to_docx())
    document = docx.Document(io.BytesIO(t.to_docx()))
    assert [p.text for p in document.paragraphs] == ["表 1 <人口变化>", *t.notes]
    x_row = [c[0] for c in t.cells()].index(HOSTILE["x"])
    sup = [r for c in document.tables[0].rows[x_row].cells for p in c.paragraphs for r in p.runs
           if r.font.superscript]
    assert sup and all(set(r.text) == {"*"} for r in sup)


def test_hostile_labels_are_text_in_html(models):
    t = regtable.table(models[:2], labels=HOSTILE, title="<b>title</b>", notes=["<i>note</i>"])
    for html in (t.to_html(), t.to_html_page(embed_fonts=False)):
        assert "<script>" not in html and "<img" not in html and "<b>title" not in html and "<i>note" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html
        assert "&lt;b&gt;title&lt;/b&gt;" in html and "&lt;i&gt;note&lt;/i&gt;" in html


def _balanced_braces(tex: str) -> bool:
    depth, i = 0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2  # \{ \} \\ \% ... are not groups
            continue
        if ch == "%":  # a comment runs to the end of the line
            i = tex.find("\n", i)
            i = len(tex) if i < 0 else i
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def test_latex_has_the_shape_tex_reads(models):
    t = regtable.table(models, labels=HOSTILE, title="Table_1: 100% & more", notes=["a_b # c"])
    tex = t.to_latex(label="tab:pop change")
    assert _balanced_braces(tex)
    lines = tex.splitlines()
    body = [ln for ln in lines if ln.endswith(r"\\")]
    assert len(body) == len(t.rows)
    for ln in body:  # one unescaped & between each pair of cells
        assert len(re.findall(r"(?<!\\)&", ln)) == t.n_models, ln
    text = "\n".join(lines[1:])  # the first line is a comment
    text = re.sub(r"\$\^\{\*+\}\$", "", text.replace(r"\\", ""))  # stars are raised in maths: $^{**}$
    assert not re.search(r"(?<!\\)[%_#$^~]", text), "an unescaped special character"
    assert r"100\% \& more" in tex and r"county\_\{i\}" in tex and r"a\_b \# c" in tex
    assert r"\textbackslash{}" in tex and "{[}年份{]}" in tex and r"\label{tab:pop-change}" in tex
    assert tex.count(r"\begin{") == tex.count(r"\end{") == 3
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert rule in tex
    assert "$^{***}$" in tex  # model (1)'s x is far from zero


def test_same_models_give_the_same_bytes(models, tmp_path):
    a = regtable.write(models, tmp_path / "a", labels={"x": "城镇化率"})
    b = regtable.write(models, tmp_path / "b", labels={"x": "城镇化率"})
    for fmt in regtable.FORMATS:
        assert a[fmt].read_bytes() == b[fmt].read_bytes(), fmt
    page = a["html"].read_text(encoding="utf-8")
    assert "@font-face" in page and "城镇化率" in page and "http" not in page.split("<main>")[1]


def test_write_replaces_all_three_or_none(models, tmp_path, monkeypatch):
    t = regtable.table(models[:1])
    paths = t.write(tmp_path, name="表1", embed_fonts=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表1.docx", "表1.html", "表1.tex"]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    wider = regtable.table(models)

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(regtable.RegTable, "to_docx", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        wider.write(tmp_path, name="表1", embed_fonts=False)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert paths["tex"].read_text(encoding="utf-8") == t.to_latex()


def test_one_result_is_a_one_column_table_and_writes_as_one(models, tmp_path):
    for m in (models[0], models[3]):  # a panel result and a cross-section of countylib.stats
        one = regtable.table(m)
        assert one.cells() == regtable.table([m]).cells() and one.cells()[0] == ["", "(1)"]
    written = regtable.write(models[0], tmp_path, name="one")
    assert sorted(p.name for p in written.values()) == ["one.docx", "one.html", "one.tex"]
    assert _docx_cells(written["docx"].read_bytes()) == regtable.table(models[0]).cells()


def test_bad_arguments_are_clear(models):
    with pytest.raises(ValueError, match="lang must be one of"):
        regtable.table(models, lang="fr")
    with pytest.raises(TypeError, match="not DataFrame"):
        regtable.table([pd.DataFrame()])
    with pytest.raises(ValueError, match="3 model names for 4 models"):
        regtable.table(models, model_names=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"formats \['pdf'\]"):
        regtable.table(models).write("/nonexistent", formats=["pdf"])


def test_write_given_a_file_name_says_it_takes_a_folder(tmp_path):
    import numpy as np
    import pandas as pd

    from countylib.analysis import panel
    from countylib.output import regtable

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"adcode": [f"{i:06d}" for i in range(40)], "x": rng.normal(size=40)})
    df["y"] = df.x + rng.normal(size=40)
    with pytest.raises(ValueError, match="takes a folder and a name"):
        regtable.write(panel.regress(df, "y", "x"), tmp_path / "out.html")
    assert not (tmp_path / "out.html").exists()
