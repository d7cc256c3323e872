r"""The regression table a paper uses: several models side by side, as HTML, LaTeX (booktabs) and Word.

One column per model: each coefficient with its standard error under it, then one row per fixed effect
(是/否, Yes/No), the kind of standard errors, the number of clusters, N, R² and (for models with fixed
effects) within R², and notes saying what the brackets and stars mean — the layout of fixest's
``etable``, Stata's ``esttab`` and R's ``modelsummary``. Models are :class:`countylib.analysis.panel.PanelResult`
or :class:`countylib.analysis.stats.RegressionResult`.

Conventions (each can be changed):

* standard errors in square brackets under the coefficient (``se_style="parentheses"`` for ``( )``);
* significance stars ``*`` p < 0.10, ``**`` p < 0.05, ``***`` p < 0.01, the thresholds of economics
  journals and of fixest's ``etable`` (``stars=False`` for none, or a mapping such as
  ``{"*": 0.05, "**": 0.01, "***": 0.001}`` for esttab's), from the p-values of each model (t with the
  model's degrees of freedom: G − 1 with clusters); the notes under the table state them;
* three decimals, N with thousands separators;
* labels: ``labels={"urbanization": "城镇化率", "adcode": "县"}`` names variables, fixed effects and
  clusters; indicator keys of the registry get their registry names by default; ``lang="en"`` writes the
  table's own words (N, fixed effects, standard errors, notes) in English.

Every label is escaped for its format (HTML entities, LaTeX specials), and the same models give the
same bytes in every format (no dates, no random ids). A :class:`~countylib.analysis.panel.PanelResult`
shows itself in a notebook as a one-column table drawn here (registered in :mod:`countylib.views`).

>>> import numpy as np, pandas as pd
>>> from countylib.analysis import panel
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"adcode": np.repeat([f"{410100 + i}" for i in range(30)], 2), "year": [2010, 2020] * 30})
>>> df["x"] = rng.normal(size=60)
>>> df["z"] = rng.normal(size=60)
>>> df["y"] = 0.5 * df.x + rng.normal(size=60)
>>> m1 = panel.regress(df, "y", "x", fe=["adcode", "year"])
>>> m2 = panel.regress(df, "y", ["x", "z"], fe=["adcode", "year"])
>>> t = table([m1, m2], labels={"x": "城镇化率 <%>", "adcode": "县", "year": "年份"})
>>> for row in t.cells()[:6]:
...     print(" | ".join(row).strip())
| (1) | (2)
被解释变量：y |  |
城镇化率 <%> | 0.697*** | 0.709***
| [0.224] | [0.234]
z |  | 0.155
|  | [0.168]
>>> "城镇化率 &lt;%&gt;" in t.to_html(), r"城镇化率 \textless{}\%\textgreater{}" in t.to_latex()
(True, True)
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from countylib import __version__, files, views
from countylib.analysis import panel
from countylib.data import indicators as ind
from countylib.escape import latex
from countylib.output import fonts, pages

#: Thresholds of the significance stars (p below the value), the economics convention.
STARS = {"*": 0.10, "**": 0.05, "***": 0.01}
SE_STYLES = {"brackets": ("[", "]"), "parentheses": ("(", ")")}
FORMATS = ("html", "tex", "docx")

#: The table's own words.
WORDS = {
    "zh": {"depvar": "被解释变量", "colon": "：", "fe": "{}固定效应", "yes": "是", "no": "否", "se": "标准误",
           "cluster": "聚类（{}）", "HC1": "稳健（HC1）", "HC3": "稳健（HC3）", "iid": "普通",
           "clusters": "聚类数", "n": "观测值", "r2": "R²", "r2_within": "组内 R²", "intercept": "常数项",
           "se_note": {"brackets": "方括号内为标准误。", "parentheses": "括号内为标准误。"},
           "stars_note": "{}。", "star_sep": "，", "refused": "模型 {} 不作统计推断：{}",
           "ln": "ln {}"},
    "en": {"depvar": "Dependent variable", "colon": ": ", "fe": "{} FE", "yes": "Yes", "no": "No", "se": "Standard errors",
           "cluster": "Clustered ({})", "HC1": "Robust (HC1)", "HC3": "Robust (HC3)", "iid": "IID",
           "clusters": "Clusters", "n": "Observations", "r2": "R²", "r2_within": "Within R²",
           "intercept": "Constant",
           "se_note": {"brackets": "Standard errors in brackets.", "parentheses": "Standard errors in parentheses."},
           "stars_note": "{}.", "star_sep": ", ", "refused": "Model {}: no inference. {}", "ln": "ln {}"},
}
#: Names of the usual grouping columns when no label is given.
GROUPS = {"adcode": ("县", "County"), "year": ("年份", "Year"), "province": ("省份", "Province"),
          "province_name": ("省份", "Province"), "prefecture": ("地级市", "Prefecture"),
          "prefecture_name": ("地级市", "Prefecture"), "region": ("区域", "Region")}


@dataclass
class Model:
    """One model as the table sees it (from either kind of result)."""

    depvar: str
    terms: tuple[str, ...]
    coef: dict[str, float]
    se: dict[str, float]
    p: dict[str, float]
    n: int
    r2: float
    r2_within: float
    fe: tuple[str, ...]
    vcov_type: str
    cluster: str | None
    n_clusters: int
    inference: bool
    message: str


def model(result) -> Model:
    """A :class:`Model` from a ``PanelResult`` or a ``stats.RegressionResult``."""
    if isinstance(result, panel.PanelResult):
        t = result.table
        return Model(result.y, result.terms, _col(t, "coef"), _col(t, "std_err"), _col(t, "p"), result.n,
                     result.r2, result.r2_within, result.fe, result.vcov_type, result.cluster, result.n_clusters,
                     result.inference, result.message)
    if hasattr(result, "cov_type") and hasattr(result, "fixed_effects"):  # countylib.analysis.stats
        t = result.table
        fe_prefix = f"C({result.fixed_effects})" if result.fixed_effects else None
        # with fixed effects as dummies the intercept is one group's level: not reported, as with absorbed ones
        terms = tuple(str(s) for s in t.index
                      if not (fe_prefix and (str(s).startswith(fe_prefix) or str(s) == "Intercept")))
        if not terms:
            terms = tuple(c for c in result.data.columns[1:2])
        vcov = {"nonrobust": "iid", "HC0": "HC0", "HC2": "HC2"}.get(result.cov_type, result.cov_type)
        fe = (result.fixed_effects,) if result.fixed_effects else ()
        return Model(str(result.data.columns[0]), terms, _col(t, "coef"), _col(t, "std_err"), _col(t, "p"),
                     result.n, result.r2, float("nan"), fe, vcov, result.cluster, result.n_clusters,
                     result.inference, result.message)
    raise TypeError(f"a regression table takes results of countylib's regressions, not {type(result).__name__}")


def _col(t, name: str) -> dict[str, float]:
    return {str(k): float(v) for k, v in t[name].items()} if name in t else {}


@dataclass
class Row:
    """One row: its kind (head, depvar, coef, se, fe, stat), label, and one cell per model; ``stars``
    holds the stars of coefficient cells (shown raised where the format allows)."""

    kind: str
    label: str
    cells: list[str]
    stars: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        stars = self.stars or [""] * len(self.cells)
        return [self.label, *(c + s for c, s in zip(self.cells, stars, strict=True))]


@dataclass
class RegTable:
    """A regression table: rows in sections, notes, and the three ways to write it."""

    rows: list[Row]
    notes: list[str]
    title: str = ""
    lang: str = "zh"

    @property
    def n_models(self) -> int:
        return len(self.rows[0].cells)

    def cells(self) -> list[list[str]]:
        """Every row as plain text: the label, then one cell per model (stars after the number)."""
        return [r.texts() for r in self.rows]

    # ------------------------------------------------------------------ HTML
    def to_html(self) -> str:
        """The table as an HTML fragment (inline styles, so it looks the same in a notebook and on a
        countylib page); every label escaped."""
        sections = [[{"kind": r.kind, "label": r.label, "pairs": list(zip(r.cells, r.stars or [""] * len(r.cells),
                                                                          strict=True))} for r in s]
                    for s in self._sections()]
        return pages.render("regtable.html.j2", table=self, sections=sections)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html_page(self, embed_fonts: bool = True) -> str:
        """A self-contained page (offline: the CJK characters it shows are embedded as a font subset)."""
        page = pages.render("regtable_page.html.j2", table=self, body=pages.Markup(self.to_html()),
                            fonts_marker=pages.Markup(fonts.MARKER), version=__version__)
        return fonts.embed(page) if embed_fonts else page.replace(fonts.MARKER, "", 1)

    def _sections(self) -> list[list[Row]]:
        out: list[list[Row]] = []
        kind_section = {"head": 0, "depvar": 0, "coef": 1, "se": 1, "fe": 2, "vcov": 3, "stat": 3}
        for r in self.rows:
            s = kind_section[r.kind]
            while len(out) <= s:
                out.append([])
            out[s].append(r)
        return [s for s in out if s]

    # ------------------------------------------------------------------ LaTeX
    def to_latex(self, label: str = "") -> str:
        """A ``table`` environment with a booktabs ``tabular`` (``\\usepackage{booktabs}``; Chinese labels
        need a CJK-capable document, e.g. ctex with XeLaTeX). Labels are escaped; stars are raised."""
        m = self.n_models
        lines = [f"% regression table written by countylib {__version__}", r"\begin{table}[htbp]", r"\centering"]
        if self.title:
            lines.append(rf"\caption{{{latex(self.title)}}}")
        if label:
            lines.append(rf"\label{{{re.sub(r'[^A-Za-z0-9:_.-]', '-', label)}}}")
        lines.append(rf"\begin{{tabular}}{{l{'c' * m}}}")
        lines.append(r"\toprule")
        for i, section in enumerate(self._sections()):
            if i:
                lines.append(r"\midrule")
            for r in section:
                stars = r.stars or [""] * m
                cells = [latex(c) + (f"$^{{{s}}}$" if s else "") for c, s in zip(r.cells, stars, strict=True)]
                lines.append(" & ".join([latex(r.label), *cells]) + r" \\")
        lines.append(r"\bottomrule")
        lines.append(r"\end{tabular}")
        if self.notes:
            lines.append(r"\par\smallskip")
            lines.append(r"\begin{minipage}{\linewidth}\footnotesize")
            lines.append(" ".join(latex(n) for n in self.notes))
            lines.append(r"\end{minipage}")
        lines.append(r"\end{table}")
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ Word
    def to_docx(self) -> bytes:
        """A Word document (.docx) holding the table: three-line (booktabs) rules, Times New Roman with
        SimSun for Chinese, stars raised; the same bytes for the same table."""
        return _docx(self)

    # ------------------------------------------------------------------ files
    def write(self, folder: str | Path, name: str = "regression", formats: Sequence[str] = FORMATS,
              embed_fonts: bool = True) -> dict[str, Path]:
        """Write ``name.html``, ``name.tex`` and ``name.docx`` into ``folder``. All three are made in
        memory first and each file is replaced atomically, so a failure leaves the old files whole."""
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise ValueError(f"formats {unknown} are not among {FORMATS}")
        if Path(folder).suffix.lower().lstrip(".") in FORMATS:
            raise ValueError(f"{folder} names a file; write() takes a folder and a name: "
                             f"write({str(Path(folder).parent)!r}, name={Path(folder).stem!r})")
        made = {"html": lambda: self.to_html_page(embed_fonts), "tex": self.to_latex, "docx": self.to_docx}
        content = {f: made[f]() for f in formats}
        stem = files.safe_filename(name)
        return {f: files.write_atomic(Path(folder) / f"{stem}.{f}", content[f]) for f in formats}


def table(
    models,
    labels: Mapping[str, str] | None = None,
    lang: str = "zh",
    se_style: str = "brackets",
    stars: bool | Mapping[str, float] = True,
    digits: int = 3,
    order: Sequence[str] = (),
    drop: Sequence[str] = (),
    model_names: Sequence[str] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
) -> RegTable:
    """Several regression results side by side (``models``: a list, a mapping name -> result, or one result).

    ``labels`` maps variable, fixed-effect and cluster names to what the table shows; ``order`` puts
    those terms first (the others follow in the order they first appear, the constant last); ``drop``
    leaves terms out; ``model_names`` adds a row of names under (1), (2) ...; ``notes`` are added under
    the table after the notes on standard errors and stars.
    """
    if lang not in WORDS:
        raise ValueError(f"lang must be one of {sorted(WORDS)}, not {lang!r}")
    if se_style not in SE_STYLES:
        raise ValueError(f"se_style must be one of {sorted(SE_STYLES)}, not {se_style!r}")
    if isinstance(models, Mapping):
        model_names = list(models) if model_names is None else model_names
        models = list(models.values())
    elif isinstance(models, panel.PanelResult) or hasattr(models, "cov_type"):
        models = [models]  # one result: a one-column table
    models = [model(m) for m in models]
    if not models:
        raise ValueError("a regression table needs at least one model")
    if model_names is not None and len(model_names) != len(models):
        raise ValueError(f"{len(model_names)} model names for {len(models)} models")
    thresholds = (STARS if stars is True else dict(stars)) if stars else {}
    w = WORDS[lang]
    name = _namer(labels or {}, lang)
    open_, close = SE_STYLES[se_style]

    rows = [Row("head", "", [f"({i})" for i in range(1, len(models) + 1)])]
    if model_names is not None:
        rows.append(Row("head", "", [str(s) for s in model_names]))
    depvars = [name(m.depvar) for m in models]
    if len(models) > 1 and len(set(depvars)) == 1:  # one dependent variable: said once, not in every column
        rows.append(Row("depvar", f"{w['depvar']}{w['colon']}{depvars[0]}", [""] * len(models)))
    else:
        rows.append(Row("depvar", w["depvar"], depvars))
    for term in _terms(models, order, drop):
        coef, se, st = [], [], []
        for m in models:
            if term not in m.terms:
                coef.append("")
                se.append("")
                st.append("")
            elif not m.inference or term not in m.coef:
                coef.append("—")
                se.append("")
                st.append("")
            else:
                coef.append(_num(m.coef[term], digits))
                se.append(f"{open_}{_num(m.se[term], digits)}{close}")
                st.append(_stars(m.p.get(term, math.nan), thresholds))
        rows.append(Row("coef", w["intercept"] if term == "Intercept" else name(term), coef, st))
        rows.append(Row("se", "", se))
    for f in dict.fromkeys(f for m in models for f in m.fe):
        rows.append(Row("fe", w["fe"].format(name(f)), [w["yes"] if f in m.fe else w["no"] for m in models]))
    rows.append(Row("vcov", w["se"], [_vcov_text(m, w, name) for m in models]))
    if any(m.vcov_type == "cluster" for m in models):
        rows.append(Row("stat", w["clusters"], [f"{m.n_clusters:,}" if m.vcov_type == "cluster" else ""
                                                for m in models]))
    rows.append(Row("stat", w["n"], [f"{m.n:,}" for m in models]))
    rows.append(Row("stat", w["r2"], [_num(m.r2, digits) if m.inference else "" for m in models]))
    if any(m.fe for m in models):
        rows.append(Row("stat", w["r2_within"], [_num(m.r2_within, digits) if m.inference and m.fe else ""
                                                 for m in models]))
    all_notes = [w["se_note"][se_style]]
    if thresholds:
        legend = w["star_sep"].join(f"{s} p < {_threshold(v)}" for s, v in sorted(thresholds.items(),
                                                                                   key=lambda kv: -kv[1]))
        all_notes.append(w["stars_note"].format(legend))
    all_notes += [w["refused"].format(f"({i})", m.message) for i, m in enumerate(models, 1) if not m.inference]
    all_notes += [str(n) for n in notes]
    return RegTable(rows=rows, notes=all_notes, title=str(title), lang=lang)


def write(models, folder: str | Path, name: str = "regression", formats: Sequence[str] = FORMATS,
          **options) -> dict[str, Path]:
    """:func:`table` of ``models`` (``options`` as there) written as ``name.html/.tex/.docx`` into
    ``folder`` (:meth:`RegTable.write`). Returns the paths by format."""
    t = models if isinstance(models, RegTable) else table(models, **options)
    return t.write(folder, name, formats)


# --------------------------------------------------------------------------------------------------
# Pieces
# --------------------------------------------------------------------------------------------------


def _terms(models: list[Model], order: Sequence[str], drop: Sequence[str]) -> list[str]:
    seen = list(dict.fromkeys(t for m in models for t in m.terms))
    first = [t for t in order if t in seen]
    rest = [t for t in seen if t not in first and t != "Intercept"]
    out = first + rest + (["Intercept"] if "Intercept" in seen and "Intercept" not in first else [])
    return [t for t in out if t not in set(drop)]


def _namer(labels: Mapping[str, str], lang: str):
    """Label of a variable, fixed effect or cluster: the user's, else the registry's, else the name."""
    w = WORDS[lang]

    def name(key: str) -> str:
        if key in labels:
            return str(labels[key])
        if key.startswith("ln_"):
            base = key[3:]
            if base in labels:
                return w["ln"].format(labels[base])
            meta = ind.registry().get(base)
            if meta is not None:
                return w["ln"].format(meta.name_zh if lang == "zh" else meta.name_en)
            return key
        if key in GROUPS:
            return GROUPS[key][0 if lang == "zh" else 1]
        meta = ind.registry().get(key)
        if meta is not None:
            return meta.label if lang == "zh" else f"{meta.name_en} ({meta.unit})"
        return key

    return name


def _vcov_text(m: Model, w: dict, name) -> str:
    if m.vcov_type == "cluster":
        return w["cluster"].format(name(m.cluster))
    return w.get(m.vcov_type, m.vcov_type)


def _num(v: float, digits: int) -> str:
    """A number with ``digits`` decimals, or as many more as show two significant digits of a small one
    (a coefficient of 0.0012 with its error 0.0003 is not ``0.001 [0.000]``); missing as empty.

    >>> _num(0.00123, 3), _num(0.00031, 3), _num(1234.5678, 2), _num(-0.0, 3), _num(float("nan"), 3)
    ('0.0012', '0.00031', '1234.57', '0.000', '')
    """
    if v is None or math.isnan(v):
        return ""
    if v != 0 and abs(v) < 10 ** (1 - digits):
        digits = min(8, max(digits, 1 - math.floor(math.log10(abs(v)))))
    text = f"{v:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _stars(p: float, thresholds: Mapping[str, float]) -> str:
    """The most stars whose threshold ``p`` is below.

    >>> _stars(0.004, STARS), _stars(0.04, STARS), _stars(0.2, STARS), _stars(float("nan"), STARS)
    ('***', '**', '', '')
    """
    if math.isnan(p):
        return ""
    hits = [s for s, v in thresholds.items() if p < v]
    return max(hits, key=len) if hits else ""


def _threshold(v: float) -> str:
    return f"{v:g}"


# --------------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------------

_DOCX_DATE = (2000, 1, 1, 0, 0, 0)


def _docx(t: RegTable) -> bytes:
    import datetime

    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    fixed = datetime.datetime(*_DOCX_DATE)
    props = doc.core_properties
    props.created = props.modified = props.last_printed = fixed
    props.author = props.last_modified_by = "countylib"
    props.title = t.title
    props.revision = 1
    if t.title:
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.add_run(t.title).bold = True
    sections = t._sections()
    rows = [r for s in sections for r in s]
    grid = doc.add_table(rows=len(rows), cols=t.n_models + 1)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    first_of_section = {id(s[0]) for s in sections[1:]}
    for i, r in enumerate(rows):
        stars = r.stars or [""] * t.n_models
        for j, (text, star) in enumerate(zip([r.label, *r.cells], ["", *stars], strict=True)):
            cell = grid.cell(i, j)
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if j == 0 else WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.space_after = Pt(0)
            para.add_run(text)
            if star:
                para.add_run(star).font.superscript = True
            borders = {}
            if i == 0:
                borders["top"] = 12
            if i == len(rows) - 1:
                borders["bottom"] = 12
            if id(r) in first_of_section:
                borders["top"] = 6
            if borders:
                _cell_borders(cell, borders, OxmlElement, qn)
    for note in t.notes:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(note).font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


def _cell_borders(cell, borders: dict[str, int], OxmlElement, qn) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    edges = OxmlElement("w:tcBorders")
    for edge, size in borders.items():
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        edges.append(el)
    tc_pr.append(edges)


def _stable_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 2000-01-01, so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_DOCX_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


@views.register(panel.PanelResult, "html")
def panel_html(result: panel.PanelResult) -> str:
    """A fixed-effects result in a notebook: its one-column table."""
    return table([result]).to_html()
