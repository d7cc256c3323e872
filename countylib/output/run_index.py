"""The index of a run: one row per report (name, area, figures, status, link), the failures and the
parameters of the last batch, as ``index.html`` (a site's index adds search and filters:
:mod:`countylib.output.site_pages`).

>>> shown_parameters({"jobs": 2, "resume": True, "scheduler": "local", "extra": "x"})
[('并行内核数（--jobs）', '2'), ('跳过未变的报告（--resume）', '是'), ('运行位置（--scheduler）', '本机'), ('extra', 'x')]
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pandas as pd

from countylib.output import fonts, pages

STATUS = {"ok": "成功", "failed": "失败", "interrupted": "未完成（中断）"}


def _figures(years: set[int]) -> dict[int, pd.DataFrame]:
    from countylib.data.load import load

    out = {}
    for y in years:
        try:
            with warnings.catch_warnings(action="ignore"):
                out[y] = load(["gdp", "fiscal_revenue", "pop_resident"], year=y, wide=True).set_index("adcode")
        except Exception:  # noqa: BLE001 - the index still lists reports without figures
            out[y] = pd.DataFrame()
    return out


def _indicator_counts() -> pd.Series:
    """How many indicators each unit has figures of, counted as its profile counts them (one per indicator,
    whatever the years: a census indicator of 2010 and 2020 is one)."""
    from countylib.data.load import load

    try:
        with warnings.catch_warnings(action="ignore"):
            return load(level="county").groupby("adcode").indicator.nunique()
    except Exception:  # noqa: BLE001
        return pd.Series(dtype=int)


COLUMNS = [("code", "代码", False), ("name", "名称", False), ("province", "省份", False),
           ("prefecture", "地级市", False), ("kind", "类型", False),
           ("year", "年份", True), ("gdp", "地区生产总值（亿元）", True),
           ("fiscal_revenue", "一般公共预算收入（亿元）", True), ("pop_resident", "常住人口（万人）", True),
           ("count", "指标数", True), ("status", "状态", False), ("link", "报告", False)]


def index_rows(run_dir: Path, reports: list[dict]) -> list[dict]:
    """One row per report: cells with the text shown and the value sorted by."""
    figures = _figures({int(e["year"]) for e in reports})
    counts = _indicator_counts()
    rows = []
    for e in reports:
        data = figures.get(int(e["year"]), pd.DataFrame())
        cells = []
        for key, _label, _numeric in COLUMNS:
            if key in ("gdp", "fiscal_revenue", "pop_resident"):
                v = data.loc[e["key"], key] if key in data and e["key"] in data.index else None
                has = v is not None and pd.notna(v)
                cells.append({"text": f"{v:,.2f}" if has else "—", "sort": f"{float(v):.6f}" if has else ""})
            elif key == "count":
                n = int(counts.get(e["key"], 0))
                cells.append({"text": str(n), "sort": str(n)})
            elif key == "status":
                cells.append({"text": STATUS.get(e["status"], e["status"]), "sort": e["status"],
                              "css": {"failed": "failed", "interrupted": "stale"}.get(e["status"], "")})
            elif key == "link":
                linked = e["status"] == "ok" and (run_dir / e["path"]).is_file()
                cells.append({"href": e["path"] if linked else ""})
            elif key == "code":
                cells.append({"text": e["key"], "sort": e["key"]})
            else:
                text = str(e.get(key, ""))
                cells.append({"text": text, "sort": text})
        rows.append({"cells": cells})
    return rows


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def other_pages(run_dir: Path) -> list[dict]:
    """The other pages at the top of the run folder (``render notebook`` writes its analyses there): file
    name and the page's own title, for the index to link.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "index.html").write_text("<title>索引</title>", encoding="utf-8")
    >>> _ = (d / "choropleth-gdp-2022.html").write_text("<title>县级指标地图 &amp; 表</title>", encoding="utf-8")
    >>> other_pages(d)
    [{'href': 'choropleth-gdp-2022.html', 'title': '县级指标地图 & 表'}]
    """
    out = []
    for page in sorted(Path(run_dir).glob("*.html")):
        if page.name == "index.html":
            continue
        with page.open(encoding="utf-8", errors="replace") as f:
            found = _TITLE.search(f.read(65536))
        out.append({"href": page.name, "title": html.unescape(found.group(1)).strip() if found else page.stem})
    return out


#: How the parameters of the last batch read on the index page (run.json keeps the names of the command).
PARAMETER_LABELS = {"province": "范围（--province）", "year": "年份", "jobs": "并行内核数（--jobs）", "notebook": "笔记本",
                    "units": "本批单位数", "no_input": "隐藏代码（--no-input）", "resume": "跳过未变的报告（--resume）",
                    "scheduler": "运行位置（--scheduler）", "site": "共用字体与地图（网站模式）",
                    "part": "本机份额（--part）"}


def shown_parameters(parameters: dict) -> list[tuple[str, str]]:
    """The last batch's parameters as the index page shows them: Chinese names, 是/否, 本机.

    >>> shown_parameters({"jobs": 2, "resume": True, "scheduler": "local", "extra": "x"})
    [('并行内核数（--jobs）', '2'), ('跳过未变的报告（--resume）', '是'), ('运行位置（--scheduler）', '本机'), ('extra', 'x')]
    """
    def value(v) -> str:
        if isinstance(v, bool):
            return "是" if v else "否"
        return "本机" if v == "local" else str(v)

    return [(PARAMETER_LABELS.get(k, k), value(v)) for k, v in parameters.items()]


def run_summary(run_dir: Path, record: dict) -> dict:
    """What every index page of a run says besides its table: the package version, reports by status, the
    failed ones with the first line of their error, the last batch's parameters and the run's other pages
    (keyword arguments of ``templates/run_index.html.j2``)."""
    import countylib

    reports = record.get("reports", [])
    failures = [{"key": e["key"], "name": e["name"], "year": e["year"], "error": e["error"],
                 "summary": (e["error"] or "").splitlines()[0] if e["error"] else ""}
                for e in reports if e["status"] == "failed"]
    last = record.get("batches", [{}])[-1].get("parameters", {}) if record.get("batches") else {}
    return {"version": countylib.__version__, "counts": {s: sum(e["status"] == s for e in reports) for s in STATUS},
            "failures": failures, "parameters": shown_parameters(last), "analyses": other_pages(run_dir)}


def index_columns() -> list[dict]:
    """The columns of the index table (:data:`COLUMNS`) as the template takes them."""
    return [{"key": k, "label": label, "numeric": num} for k, label, num in COLUMNS]


def index_html(run_dir: Path, record: dict) -> str:
    """The run's index page (from ``templates/run_index.html.j2``), fonts embedded."""
    reports = record.get("reports", [])
    provinces = sorted({e["province"] for e in reports})
    years = sorted({int(e["year"]) for e in reports})
    title = f"{'、'.join(provinces) or ''}县域经济报告" + (f"（{'、'.join(map(str, years))}年）" if years else "")
    maps = [{"src": p, "alt": f"{y}年地区生产总值地图"} for y, p in sorted(record.get("maps", {}).items())]
    page = pages.render(
        "run_index.html.j2", title=title, rows=index_rows(run_dir, reports), columns=index_columns(), maps=maps,
        page_css=pages.asset("page.css"), sort_js=pages.asset("sort_table.js"),
        fonts_marker=pages.Markup(fonts.MARKER), **run_summary(run_dir, record))
    return fonts.embed(page)
