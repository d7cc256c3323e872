"""The pages a site adds around its profiles: the index that finds any unit (name, former name, pinyin
initials; filters by province and prefecture; sorts by any column), a page per province with its units on
a linked map, a notice where a profile failed; then the shared stylesheet, script and fonts.

The index carries its search keys as script-safe JSON and filters the rows it already shows (no script
from elsewhere): 2,875 rows open and filter at once.

>>> search_keys("410307")
'410307 偃师区 偃师 ysq yso ys 偃师县 偃师市'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from countylib import caches
from countylib.files import safe_filename, write_atomic, write_if_changed
from countylib.output import fonts, pages, site

#: Census columns of a site's index (every unit has them), after the columns of the run index.
CENSUS_COLUMNS = (("census_pop", "常住人口（万人，2020年普查）", "{:,.2f}"), ("urbanization", "城镇化率（%，2020年）", "{:.1f}"))
PALETTE = ("#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c")  # ColorBrewer BuGn, 5 classes
NO_DATA = "#d9d9d9"


def initials(text: str, limit: int = 4) -> list[str]:
    """Pinyin initials of a name, one spelling for each reading of its characters that pypinyin knows
    (a place name's 长 may be cháng or zhǎng: both are searchable), at most ``limit``.

    >>> initials("重庆"), initials("长垣市")
    (['cq'], ['zys', 'zyf', 'cys', 'cyf'])
    """
    from itertools import islice, product

    from pypinyin import Style, pinyin

    letters = [list(dict.fromkeys(r[0] for r in readings if r)) or [""]
               for readings in pinyin(text, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")]
    return ["".join(p) for p in islice(product(*letters), limit)]


@caches.memo(None)
def _former_names() -> dict[str, tuple[str, ...]]:
    from countylib.data import crosswalk, regions

    cw = crosswalk.get()
    names = regions.by_adcode()["name"].to_dict()
    out: dict[str, list[str]] = {}
    retired = sorted((r for r in cw.records if r.end is not None and r.level == "county"),
                     key=lambda r: (r.end, r.code))
    for r in retired:
        # The unit that carried it on (a recode, a merger), or each unit it was divided among (江干区); not
        # every unit its territory is in today (安阳县 of 1982 went on as 安阳县, which later gave 殷都区 land).
        after = [r.rid] if len(r.successors) <= 1 else [cw.record_at(s, r.end) for s in r.successors]
        for unit in (cw.heir(rid) for rid in after if rid is not None):
            if unit and r.name != names.get(unit) and r.name not in out.setdefault(unit, []):
                out[unit].append(r.name)
    return {code: tuple(names) for code, names in out.items()}


def former_names(adcode: str) -> tuple[str, ...]:
    """Names a unit had before a change in the code history (偃师区: 偃师市); not the names of units that
    gave it territory and went on (安阳县 is no former name of 殷都区).

    >>> former_names("410307"), "安阳县" in former_names("410505"), former_names("330113")
    (('偃师县', '偃师市'), False, ())
    """
    return _former_names().get(adcode, ())


def search_keys(adcode: str, registry: pd.DataFrame | None = None) -> str:
    """What the index's search box matches for a unit: code, name, short name, their pinyin initials,
    former names and theirs (``registry``: :func:`countylib.data.regions.by_adcode`, read once by a caller
    doing many)."""
    from countylib.data import regions

    me = (registry if registry is not None else regions.by_adcode()).loc[adcode]
    words = [adcode, me["name"], me["short_name"], *initials(me["name"]), *initials(me["short_name"])]
    for old in former_names(adcode):
        words += [old, *initials(regions.short_name(old))]
    return " ".join(dict.fromkeys(w for w in words if w))


def province_path(adcode: str, name: str) -> str:
    """A province page, from the run folder: ``province/410000-河南省.html``."""
    return f"province/{safe_filename(f'{adcode}-{name}')}.html"


def _site_chars(run_dir: Path, result, previous: dict) -> dict[str, set[str]]:
    """Characters of the pages this batch wrote, and of pages it kept that the run had not recorded
    (copied in from another machine's run): read from the pages themselves."""
    chars: dict[str, set[str]] = {k: set() for k in fonts.FONT_FILES}
    known = {(e["key"], e.get("fingerprint")) for e in previous.get("reports", [])}
    for o in result.outcomes:
        if o.ok and not o.skipped:
            for kind, text in (o.chars or {}).items():
                chars[kind] |= set(text)
        elif (not o.ok or (o.key, o.fingerprint) not in known) and Path(o.path).is_file():  # failure notices too
            for kind, found in fonts.page_characters(Path(o.path).read_text(encoding="utf-8")).items():
                chars[kind] |= found
    return chars


def finish_site(run_dir: Path, record: dict, result, previous: dict, map_indicator: str = "pop_resident") -> None:
    """The site's own pages and shared files after a batch: index, province pages, stylesheet, script,
    fonts cut for every character of every page."""
    chars = _site_chars(run_dir, result, previous)
    written = [("index.html", index_page(run_dir, record))]
    for code, name in sorted({(_province_code(e["province"]), e["province"]) for e in record.get("reports", [])}):
        if code:
            written.append((province_path(code, name), province_page(run_dir, record, code, name, map_indicator)))
    for rel, page in written:
        for kind, found in fonts.page_characters(page).items():
            chars[kind] |= found
        write_atomic(run_dir / rel, page)
    site.write_stylesheet(run_dir)
    write_if_changed(run_dir / site.ASSETS / "sort_table.js", str(pages.asset("sort_table.js")))
    site.write_fonts(run_dir, chars)


def _province_code(name: str) -> str:
    return _province_codes().get(name, "")


@caches.memo(None)
def _province_codes() -> dict[str, str]:
    from countylib.data import regions

    reg = regions.registry()
    prov = reg[reg.level == "province"]
    return dict(zip(prov.name, prov.adcode, strict=True))


def _values(keys: list[str], indicator: str, year: int) -> pd.Series:
    return _figures(keys, indicator, year).value


def _figures(keys: list[str], indicator: str, year: int) -> pd.DataFrame:
    """The figure of ``indicator`` of each unit of ``keys``: value and flag (a bound or an approximation,
    突破/约, is flagged so; see :func:`countylib.output.maps.is_bound_flag`)."""
    from countylib.data import indicators as ind
    from countylib.data.load import load

    if indicator == "census_pop":  # the census count, also for units whose bulletin gives another year's
        return pd.DataFrame({"value": _census_population(tuple(keys)), "flag": "exact"})
    meta = ind.get(indicator)
    used = 2020 if meta.census is not None else year
    data = load(meta.key, year=used, level="county").dropna(subset=["value"]).drop_duplicates("adcode")
    return data.set_index("adcode")[["value", "flag"]].reindex(keys)


def index_page(run_dir: Path, record: dict) -> str:
    """The site's index: every report of the run in one table with search, filters and sorting."""
    from countylib.output import run_index as batch

    reports = record.get("reports", [])
    rows = batch.index_rows(run_dir, reports)
    keys = sorted({e["key"] for e in reports})
    census = {k: _values(keys, k, 2020) for k, _label, _fmt in CENSUS_COLUMNS}
    search = []
    from countylib.data import regions

    registry = regions.by_adcode()
    for e, row in zip(reports, rows, strict=True):
        added = [{"text": fmt.format(v) if pd.notna(v) else "—", "sort": f"{v:.4f}" if pd.notna(v) else ""}
                 for key, _label, fmt in CENSUS_COLUMNS for v in [census[key].get(e["key"])]]
        row["cells"] = row["cells"][:-2] + added + row["cells"][-2:]  # before status and link
        code = _province_code(e["province"])
        row["province_href"] = province_path(code, e["province"]) if code else ""
        search.append([e["key"], search_keys(e["key"], registry) if e["key"] in registry.index else e["key"],
                       e["province"], e.get("prefecture", "")])
    columns = batch.index_columns()
    columns = columns[:-2] + [{"key": k, "label": label, "numeric": True} for k, label, _ in CENSUS_COLUMNS] \
        + columns[-2:]
    provinces = sorted({e["province"] for e in reports}, key=lambda p: (_province_code(p) or "9", p))
    prefectures = sorted({(e["province"], e.get("prefecture", "")) for e in reports})
    years = sorted({int(e["year"]) for e in reports})
    area = "全国" if len(provinces) > 3 else "、".join(provinces)
    title = f"{area}县级单位概况" + (f"（{'、'.join(map(str, years))}年）" if years else "")
    return pages.render(
        "run_index.html.j2", title=title, rows=rows, columns=columns, maps=[], **batch.run_summary(run_dir, record),
        page_css="", sort_js=pages.asset("sort_table.js"), fonts_marker="",
        site_head=site.SitePage("").head(), search=search, search_js=pages.asset("index_search.js"),
        provinces=[{"name": p, "href": province_path(_province_code(p), p) if _province_code(p) else ""}
                   for p in provinces],
        prefectures=[{"province": p, "name": n} for p, n in prefectures if n])


def _classes(values: pd.Series, k: int = 5) -> tuple[list[float], pd.Series]:
    """Quantile class bounds (:func:`countylib.output.maps.classify`) and each value's class (-1: no figure)."""
    from countylib.output import maps

    q = maps.classify(values, "quantiles", k)
    if q is None:
        return [], pd.Series(-1, index=values.index)
    cls = pd.Series(q.yb, index=values.dropna().index).reindex(values.index, fill_value=-1)
    return [float(b) for b in q.bins], cls


def province_page(run_dir: Path, record: dict, code: str, name: str, indicator: str = "pop_resident") -> str:
    """A province's page: its units on a map of ``indicator`` (each unit links to its profile) and in a
    sortable table."""
    import countylib
    from countylib.data import geo, regions
    from countylib.data import indicators as ind
    from countylib.formatting import value_zh
    from countylib.output import maps, svgmap

    meta = ind.get(indicator)
    reports = [e for e in record.get("reports", []) if e["province"] == name]
    ok = {e["key"]: e["path"] for e in reports if e["status"] == "ok" and (run_dir / e["path"]).is_file()}
    area = svgmap.area_paths("province", code)
    year = max((int(e["year"]) for e in reports), default=2020)
    figures = _figures(list(area.codes), meta.key, year)
    # A bound or an approximation (突破300亿元, 约) is no value: left out of the classes, shown apart.
    bound = figures.value.notna() & figures.flag.map(maps.is_bound_flag).astype(bool)
    relation = figures.flag.map(maps.relation).where(bound, "")
    values = figures.value.mask(bound)
    bounds, cls = _classes(values)
    colours = PALETTE[-len(bounds):] if bounds else ()
    reg = regions.by_adcode()
    fills, titles = {}, {}
    for c in area.codes:
        v = figures.value.get(c)
        fills[c] = maps.BOUND_FILL if bound.get(c, False) else colours[int(cls[c])] if int(cls.get(c, -1)) >= 0 else NO_DATA
        titles[c] = f"{reg.loc[c, 'name']}：" + (
            f"{relation.get(c, '')}{value_zh(v)} {meta.unit}" + ("（下限或约数，未分级）" if bound.get(c, False) else "")
            if pd.notna(v) else "无数据")
    hrefs = {c: "../" + p for c, p in ok.items()}
    legend, low = [], float(values.min()) if values.notna().any() else 0.0
    for colour, high in zip(colours, bounds, strict=True):
        legend.append({"colour": colour, "text": f"{value_zh(low)} – {value_zh(high)}"})
        low = high
    if bound.any():
        legend.append({"colour": maps.BOUND_FILL, "text": maps.bound_label(int(bound.sum()))})
    if figures.value.isna().any():
        legend.append({"colour": NO_DATA, "text": "无数据"})
    rows = []
    for e in sorted(reports, key=lambda e: e["key"]):
        v = figures.value.get(e["key"]) if e["key"] in figures.index else None
        shown = f"{relation.get(e['key'], '')}{value_zh(v)}" if v is not None and pd.notna(v) else "—"
        rows.append({"code": e["key"], "name": e["name"], "prefecture": e.get("prefecture", ""),
                     "kind": e.get("kind", ""), "href": "../" + ok[e["key"]] if e["key"] in ok else "",
                     "value": shown,
                     "sort": f"{float(v):.6f}" if v is not None and pd.notna(v) else "", "status": e["status"]})
    used = 2020 if meta.census is not None else year
    note = f"{geo.BOUNDARY_NOTE}分级：五分位数（mapclassify）。点击地图或表中的名称打开该单位的概况。"
    if bound.any():
        note += (f"{int(bound.sum())} 个单位只有下限或约数（突破、超过、约），未参与分级，地图上以白色标出，"
                 "表中数值前加 ≥ 或 ≈。")
    return pages.render(
        "site_province.html.j2", title=f"{name}：{len(reports)} 个县级单位", version=countylib.__version__,
        site_head=site.SitePage("../").head(), map=svgmap.choropleth_svg(area, fills, titles, hrefs,
                                                                         f"{name}{meta.name_zh}地图"),
        legend=legend, label=f"{meta.name_zh}（{meta.unit}，{used}年）", rows=rows,
        note=note)


def write_failure_page(run_dir: Path, out: Path, entry: dict, error: str) -> None:
    """Where a profile failed, a page saying so (other profiles link it); ``--resume`` renders it again."""
    import countylib

    root = "../" * (len(out.relative_to(run_dir).parts) - 1)
    page = pages.render("site_failed.html.j2", title=f"{entry['name']}（{entry['key']}）", entry=entry,
                        summary=(error or "").splitlines()[0] if error else "", version=countylib.__version__,
                        site_head=site.SitePage(root).head(), index=root + "index.html")
    write_atomic(out, page)


def _census_population(keys: tuple[str, ...]) -> pd.Series:
    from countylib.analysis.census import _census_values

    counties = _census_values().xs("county", level="level")
    return counties["pop_resident"].reindex(list(keys))
