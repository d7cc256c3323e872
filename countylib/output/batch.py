"""The per-county batch: jobs, the index page with a map and key figures, run.json."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from countylib.output import render
from countylib.paths import reports_dir


def county_batch(units: pd.DataFrame, notebook: Path, year: int, run: str = "latest", jobs: int = 2,
                 no_input: bool = True, resume: bool = False, province: str = "河南省",
                 progress: bool = True, scheduler: str | None = None) -> tuple[render.BatchResult, Path]:
    """Render ``notebook`` for every unit in ``units`` (registry rows); write index.html and run.json."""
    out_dir = reports_dir() / run / "county"
    jobs_list = []
    for u in units.itertuples(index=False):
        name = render.safe_filename(f"{u.adcode}-{u.name}")
        jobs_list.append((u.adcode, {"adcode": u.adcode, "year": year, "peers": "prefecture"},
                          out_dir / f"{name}.html"))
    result = render.run_batch(notebook.resolve(), jobs_list, workers=jobs, no_input=no_input, resume=resume,
                              progress=progress, scheduler=scheduler)
    params = {"province": province, "year": year, "jobs": jobs, "notebook": str(notebook), "units": len(units),
              "no_input": no_input, "resume": resume, "scheduler": scheduler or "local"}
    render.write_run_json(out_dir.parent / "run.json", params, result)
    map_png = _index_map(units, province, year, out_dir)
    rows = _index_rows(units, year, result)
    index = out_dir.parent / "index.html"
    render.write_atomic(index, render.index_html(f"{province}县域经济报告（{year}年）", rows, params,
                                                 result.failures, map_png))
    return result, index


def _index_rows(units: pd.DataFrame, year: int, result: render.BatchResult) -> list[dict]:
    from countylib.data.load import load

    try:
        data = load(["gdp", "fiscal_revenue", "pop_resident"], year=year, wide=True)
        data = data.set_index("adcode")
    except Exception:  # noqa: BLE001 - the index still lists reports without figures
        data = pd.DataFrame()
    counts = load(level="county").dropna(subset=["value"]).groupby("adcode").size()
    outcome = {o.key: o for o in result.outcomes}
    rows = []
    for u in units.sort_values("adcode").itertuples(index=False):
        o = outcome.get(u.adcode)

        def val(col: str, code: str = u.adcode) -> str:
            if col in data and code in data.index and pd.notna(data.loc[code, col]):
                return f"{data.loc[code, col]:,.2f}"
            return "—"

        rows.append({
            "代码": u.adcode, "名称": u.name, "地级市": u.prefecture_name, "类型": u.kind,
            f"GDP {year}（亿元）": val("gdp"), "一般公共预算收入（亿元）": val("fiscal_revenue"),
            "常住人口（万人）": val("pop_resident"), "指标数": int(counts.get(u.adcode, 0)),
            "状态": "成功" if o and o.ok else "失败",
            "报告": str(Path(o.path).relative_to(Path(o.path).parents[1])) if o else "",
        })
    return rows


def _index_map(units: pd.DataFrame, province: str, year: int, out_dir: Path) -> str | None:
    import matplotlib.pyplot as plt

    from countylib.data.load import load
    from countylib.output import maps

    try:
        data = load("gdp", province=province, year=year, wide=True, geometry=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = maps.choropleth(data, "gdp", title=f"{province}各县（市、区）地区生产总值", subtitle=f"{year}年，亿元",
                                labels=False, figsize=(7, 7.5))
        path = out_dir / f"index_map_gdp_{year}.png"
        m.save(path, dpi=110)
        plt.close(m.figure)
        return str(path.relative_to(out_dir.parent))
    except Exception:  # noqa: BLE001 - an index without a map is still an index
        return None
