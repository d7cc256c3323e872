"""``data/raw`` -> ``data/processed``: read, resolve regions, parse units, validate, tidy, report.

Deterministic (rows sorted, no timestamps: same inputs, same bytes) and atomic (everything is
written to a temporary folder first; files replace the previous ones only once all succeeded).
``data/raw`` is only ever read; its ``areacodes/`` (the code history 1981-2024) and ``code_supplement.csv``
place every figure on today's units through :mod:`countylib.data.crosswalk`.

One build at a time per output folder: a build holds a lock (``<out>/.build.lock``, a ``filelock``
lock the system releases when the process ends, however it ends); a second build waits for it, saying so
in one line (or, with ``wait=False``, refuses in one line). Every file of ``data/raw`` is hashed when
the build starts and again before its output replaces the previous one: if any changed meanwhile, the
build stops and replaces nothing, so ``processed/`` always matches one state of ``raw/``. Temporary folders
left beside the output by a build that was killed (``.processed-xxxxxxxx``) are removed by the next
build, once it holds the lock (no live build can own them then).

The work is done in focused modules: :mod:`~countylib.ingest.sources` (sidecars, reading by kind),
:mod:`~countylib.ingest.steps` (resolve, parse, merge, tidy, area), :mod:`~countylib.ingest.validate`
(checks) and :mod:`~countylib.ingest.report` (``build_report.md``).

>>> from countylib.ingest.build import build
>>> result = build()                      # doctest: +SKIP
>>> result.counts["indicators"] > 0       # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import filelock
import pandas as pd
from tqdm import tqdm

from countylib import vocab
from countylib.data import indicators as ind
from countylib.data import names, registry
from countylib.data.history import CHANGES_FILE
from countylib.ingest import census_tables as census_reader
from countylib.ingest import readers, steps, validate
from countylib.ingest.report import Outcome, census_ids, render_report
from countylib.ingest.sources import (
    CENSUS_KINDS,
    READERS,
    BuildError,
    Source,
    discover,
    is_licence_file,
    provenance,
    read_source,
)
from countylib.paths import processed_dir, raw_dir

OUTPUT_COLUMNS = steps.OUTPUT_COLUMNS
REJECT_COLUMNS = ["source_id", "source_row", "name", "adcode", "year", "indicator", "column", "value_text", "unit",
                  "reason"]
SOURCE_COLUMNS = ["source_id", "kind", "title", "publisher", "url", "license", "retrieved", "sha256", "read",
                  "kept", "preferred", "rejected", "zones"]

__all__ = ["BuildError", "BuildResult", "OUTPUT_COLUMNS", "READERS", "Source", "build", "discover", "is_licence_file",
           "read_census", "read_source", "render_report"]


@dataclass
class BuildResult:
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    report_path: Path | None = None


def _read_all(sources: list[Source], bar: tqdm, rejects: list[pd.DataFrame] | None = None
              ) -> tuple[pd.DataFrame, dict, dict]:
    """Every source's figures; rows a reader set aside (``attrs["rejected"]``) go to ``rejects``."""
    frames, columns, unmapped = [], {}, {}
    for src in sources:
        bar.set_postfix_str(src.source_id[:40])
        figs = read_source(src)
        unmapped[src.source_id] = list(figs.attrs.get("unmapped_columns", []))
        columns[src.source_id] = list(figs.attrs.get("columns", []))
        set_aside = figs.attrs.get("rejected") or []
        if rejects is not None and set_aside:
            rejects.append(pd.DataFrame(set_aside).assign(**provenance(src), source_id=src.source_id).rename(
                columns={"row": "source_row"}))
        figs.attrs = {}
        frames.append(figs.assign(**provenance(src)))
        bar.update(1)
    cols = readers.FIGURE_COLUMNS + readers.LAYOUT_COLUMNS + ["source_id"]
    figs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    figs = figs.rename(columns={"row": "source_row"})
    for col in readers.LAYOUT_COLUMNS:
        figs[col] = figs[col].fillna("") if col in figs else ""
    unknown_kind = figs["row_kind"].eq("") & figs["adcode"].fillna("").eq("")
    figs.loc[unknown_kind, "row_kind"] = figs.loc[unknown_kind, "name"].map(lambda n: vocab.row_label_kind(n) or "")
    return figs, columns, unmapped


def build(raw: Path | None = None, out: Path | None = None, boundaries: bool = True,
          progress: bool = False, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> BuildResult:
    """Run the whole build and write ``regions.parquet``, ``indicators.parquet``, ``lists.parquet``,
    ``zones.parquet``, ``sources.parquet``, ``rejects.csv``, ``boundaries.parquet`` and ``build_report.md``.

    ``area`` rows come from the boundaries built now, or (``boundaries=False``) from a
    ``boundaries.parquet`` already in ``out``; without either there are none and the report says so.
    While another build of ``out`` runs, this one waits (``on_wait`` gets one line saying so; by default
    it goes to stderr), or with ``wait=False`` raises :class:`BuildError`.
    """
    raw = Path(raw or raw_dir())
    out = Path(out or processed_dir())
    with exclusive(out, wait=wait, on_wait=on_wait):
        remove_leftovers(out)
        before = raw_state(raw)
        sources = discover(raw)
        steps_total = sum(s.kind in READERS or s.kind in CENSUS_KINDS for s in sources) + 5 + (1 if boundaries else 0)
        with tqdm(total=steps_total, desc="build", unit="step", disable=not progress) as bar:
            return _run(raw, out, sources, boundaries, progress, bar, before)


LOCK_NAME = ".build.lock"


@contextmanager
def exclusive(out: Path, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the build lock of ``out`` for the block (made with its folder if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    lock = filelock.FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if not wait:
            raise BuildError(f"another build of {out} is running (lock {path}); run this one when it has "
                             "finished") from None
        (on_wait or _say)(f"another build of {out} is running; waiting for it to finish (lock {path})")
        lock.acquire()
    try:
        yield path
    finally:
        lock.release()


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _leftover_pattern(out: Path) -> re.Pattern:
    """Names of the temporary folders a build of ``out`` writes into (``tempfile``'s 8 random characters)."""
    return re.compile(rf"\.{re.escape(out.name)}-[a-z0-9_]{{8}}")


def remove_leftovers(out: Path) -> list[str]:
    """Remove the temporary folders that builds of ``out`` killed while writing left beside it; call it
    holding the lock (:func:`exclusive`), when no live build can own one. Returns the names removed."""
    pattern = _leftover_pattern(out)
    gone = []
    for p in sorted(out.parent.iterdir()) if out.parent.is_dir() else []:
        if p.is_dir() and not p.is_symlink() and pattern.fullmatch(p.name):
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p.name)
    return gone


def raw_state(raw: Path) -> dict[str, str]:
    """SHA-256 of every file in ``raw`` and its folders (the code history in ``areacodes/``), not hidden
    ones, by path within ``raw``: the state a build reads."""
    if not raw.is_dir():
        return {}
    files = (p for p in sorted(raw.rglob("*")) if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(raw).parts))
    return {p.relative_to(raw).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _check_unchanged(raw: Path, before: dict[str, str]) -> None:
    """Stop (replacing nothing) when a file of ``raw`` changed, appeared or went since the build began."""
    after = raw_state(raw)
    changed = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
    if changed:
        raise BuildError(f"{changed[0]} changed in {raw} while the build was reading it"
                         + (f" (and {len(changed) - 1} more)" if len(changed) > 1 else "")
                         + "; nothing was replaced: run the build again")


def _run(raw: Path, out: Path, sources: list[Source], boundaries: bool, progress: bool, bar: tqdm,
         before: dict[str, str] | None = None) -> BuildResult:
    """The build's steps, reporting progress on ``bar``."""
    history_path = raw / CHANGES_FILE
    figure_sources = [s for s in sources if s.kind in READERS]
    rejects: list[pd.DataFrame] = []

    figs, columns, unmapped = _read_all(figure_sources, bar, rejects)
    n_read = len(figs) + sum(len(r) for r in rejects)
    read_counts = pd.concat([figs[["source_id"]], *[r[["source_id"]] for r in rejects]]).source_id.value_counts(
        ).to_dict() if n_read else {}
    bar.set_postfix_str("resolving names")
    figs, zones = steps.attach_codes(figs, rejects, history_path)
    bar.update(1)
    bar.set_postfix_str("parsing values")
    figs = steps.parse_figures(figs, rejects)
    figs = steps.combine_mergers(figs, rejects, history_path)
    table = steps.mark_breaks(steps.tidy(figs), history_path=history_path)
    bar.update(1)

    bounds = None
    if boundaries:
        from countylib.data import geo

        bar.set_postfix_str("boundaries")
        bounds = geo.build_boundaries(progress=progress)
        bar.update(1)
    table, area_note = _with_area(table, bounds, out, history_path)

    bar.set_postfix_str("validating")
    # Out-of-range figures are set aside first: they have no say in what a typical figure is.
    table, out_of_range = validate.check_ranges(table)
    table, implausible = validate.check_plausibility(table)
    rejects += [r for r in (out_of_range, implausible) if len(r)]
    censuses = []
    for src in (s for s in sources if s.kind in CENSUS_KINDS):
        bar.set_postfix_str(src.source_id[:40])
        censuses.append(read_census(src, out, history_path))
        bar.update(1)
    changes = census_changes(censuses, rejects, history_path)
    if censuses:
        table, zones = _add_census(table, zones, censuses, rejects, changes)
    table = validate.check_duplicates(table, mode="report")
    table = table.sort_values(["adcode", "year", "indicator", "source_id", "source_row"]).reset_index(drop=True)
    table = validate.schema_check(table)[OUTPUT_COLUMNS]
    warnings = validate.cross_checks(table)
    bar.update(1)

    lists = [resolve_list(s, history_path) for s in sources if s.kind == "county_list"]
    lists_df = pd.concat(lists, ignore_index=True) if lists else pd.DataFrame()
    reject_df = _rejects_frame(rejects)
    source_df = _sources_frame(sources, read_counts, _count_by_source(rejects, zones, table), table, lists_df)
    reg = registry.registry().drop(columns=["boundary_path"])
    bar.update(1)

    bar.set_postfix_str("writing")
    out.mkdir(parents=True, exist_ok=True)
    # The temporary folder sits beside the output, on the same file system, so os.replace is atomic.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        tmp = Path(tmp)
        _write_parquet(reg, tmp / "regions.parquet")
        _write_parquet(table, tmp / "indicators.parquet")
        _write_parquet(lists_df, tmp / "lists.parquet")
        _write_parquet(zones, tmp / "zones.parquet")
        _write_parquet(source_df, tmp / "sources.parquet")
        for year in sorted({c.year for c in censuses}):
            counts = pd.concat([c.counts for c in censuses if c.year == year], ignore_index=True)
            _write_parquet(counts, tmp / f"census_{year}.parquet")
        reject_df.to_csv(tmp / "rejects.csv", index=False)
        geo_note = ""
        if bounds is not None:
            from countylib.data import geo

            geo.write_boundaries(bounds, tmp / "boundaries.parquet")
            geo_note = f"{len(bounds)} county-level polygons"
        outcome = Outcome(sources=sources, n_read=n_read, table=table, rejects=reject_df, zones=zones,
                          lists=lists_df, columns=columns, unmapped=unmapped, warnings=warnings,
                          geo_note=geo_note, area_note=area_note,
                          extra={"censuses": censuses, "history_path": history_path})
        (tmp / "build_report.md").write_text(render_report(outcome), encoding="utf-8")
        if before is not None:
            _check_unchanged(raw, before)
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
    bar.update(1)
    is_area = table.source_id == steps.AREA_SOURCE_ID
    area = int(is_area.sum())
    is_census = table.source_id.isin(census_ids(censuses))
    counts = {"read": n_read, "indicators": len(table), "from_sources": int((~is_area & ~is_census).sum()),
              "area": area, "preferred": int((table.preferred & ~is_area & ~is_census).sum()),
              "rejected": len(reject_df), "zones": len(zones),
              "conflicts": int(table.conflict.sum()), "warnings": len(warnings), "list_entries": len(lists_df),
              "sources": len(sources), "census_figures": int(is_census.sum())}
    return BuildResult(out_dir=out, counts=counts, rejects=reject_df, report_path=out / "build_report.md")


def _with_area(table: pd.DataFrame, bounds, out: Path, history_path: Path) -> tuple[pd.DataFrame, str]:
    """The table with ``area`` rows from the boundary polygons, and a note for the report."""
    if bounds is None:
        cached = out / "boundaries.parquet"
        if not cached.exists():
            return table, ("No area figures: the build ran without boundaries (`--no-boundaries`) and no "
                           "boundaries.parquet from an earlier build was found.")
        bounds = pd.read_parquet(cached, columns=["adcode", "area_km2"])
    area = steps.mark_breaks(steps.area_figures(bounds, history_path), history_path=history_path)
    note = (f"{len(area)} `area` figures (行政区域面积, km²): county-level units from their polygons in the Albers "
            f"equal-area projection, prefectures and provinces as sums of their counties; source "
            f"{steps.AREA_SOURCE_ID}, year {int(area.year.iloc[0]) if len(area) else '-'} (the latest code change "
            "the boundaries show; a lower bound of their vintage). A published area from a raw file is preferred "
            "over a computed one.")
    return pd.concat([table, area[table.columns]], ignore_index=True), note


# ------------------------------------------------------------------------------------------------------
# The censuses of 2020 and 2010 (countylib.ingest.census_tables): codes placed with the code history, counts
# summed for mergers, shares computed from the counts, zones reported per province, units whose territory
# changed marked; the changes 2010 -> 2020 on today's units. Each parse is cached by the file's content
# hash in <out>/.cache.
# ------------------------------------------------------------------------------------------------------


@dataclass
class CensusPart:
    rows: pd.DataFrame      # tidy indicator rows, with provenance
    zones: pd.DataFrame     # zone and unattributed rows, in the zones layout
    counts: pd.DataFrame    # census_<year>.parquet: counts per current unit
    provinces: pd.DataFrame  # where each province's people are
    source_id: str
    year: int = census_reader.CENSUS_YEAR
    tables: object = None    # the census.CensusTables
    defects: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_census(src: Source, out: Path, history_path: Path | None = None) -> CensusPart:
    """The census table of ``src`` as tidy rows (each with its provenance), zones and counts. The year of its
    figures and of its codes come from the sidecar (``reader: year, codes_year``), else its kind."""
    opts = src.reader_options
    year = int(opts.get("year") or CENSUS_KINDS[src.kind])
    try:
        t = census_reader.tables(src.path, cache_dir=out / ".cache", history_path=history_path, year=year,
                                 codes_year=opts.get("codes_year"))
    except Exception as exc:  # noqa: BLE001 - a reader failure names its file
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BuildError(first if first.startswith(src.source_id) else f"{src.source_id}: could not be read: "
                         f"{first}") from None
    rows = census_reader.indicator_rows(t, src.source_id, url=src.meta.get("url") or "",
                                        source_quality=src.meta.get("source_quality", "") or "")
    units = t.units.set_index("adcode")
    rows = rows.assign(**provenance(src), name_printed=rows.adcode.map(units.member_names).fillna(""),
                       code_printed=rows.adcode.map(units.members).fillna(""), column_printed=rows.unit_published)
    zones = census_reader.zone_rows(t, src.source_id)
    if not zones.empty:
        zones = zones.rename(columns={"note": "why"}).reindex(columns=steps.ZONE_COLUMNS)
        zones["code_printed"] = ""
    counts = t.units.assign(source_id=src.source_id, year=t.year)
    defects = t.defects.assign(source_id=src.source_id)
    return CensusPart(rows, zones, counts, census_reader.province_report(t), src.source_id, t.year, t, defects)


def census_changes(censuses: list[CensusPart], rejects: list[pd.DataFrame], history_path: Path | None
                   ) -> pd.DataFrame:
    """The change indicators between the censuses read (2010 -> 2020), as tidy rows with provenance; units
    whose territory changed between them go to ``rejects`` with the reason."""
    by_year = {c.year: c for c in censuses}
    frames = []
    for base, end in dict.fromkeys((m.change.base, m.change.end) for m in ind.change_indicators().values()):
        if base not in by_year or end not in by_year:
            continue
        a, b = by_year[base], by_year[end]
        rows, rejected = census_reader.change_rows(a.tables, b.tables, history_path)
        rows = rows.assign(source_title=f"{a.rows.source_title.iloc[0]}；{b.rows.source_title.iloc[0]}",
                           publisher=b.rows.publisher.iloc[0], license=b.rows.license.iloc[0],
                           retrieved=b.rows.retrieved.iloc[0], name_printed=rows["name"], code_printed=rows.adcode,
                           column_printed=rows.unit_published)
        frames.append(rows)
        if len(rejected):
            rejects.append(rejected.assign(source_id=census_reader.CHANGE_SOURCE_ID, column=rejected.unit_published))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _add_census(table: pd.DataFrame, zones: pd.DataFrame, censuses: list[CensusPart],
                rejects: list[pd.DataFrame], changes: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Census rows (and the changes between censuses) join the table after the range checks for their
    level; zones join the zones."""
    parts = [c.rows for c in censuses] + ([changes] if changes is not None and len(changes) else [])
    rows = pd.concat(parts, ignore_index=True).reindex(columns=table.columns)
    kept, out_of_range = validate.check_ranges(rows)
    if len(out_of_range):
        rejects.append(out_of_range)
    table = pd.concat([table, kept], ignore_index=True)
    parts = [z for z in [zones, *[c.zones for c in censuses]] if not z.empty]
    zones = pd.concat(parts, ignore_index=True) if parts else zones
    return table, zones


# ------------------------------------------------------------------------------------------------------
# County lists
# ------------------------------------------------------------------------------------------------------


def resolve_list(src: Source, history_path: Path | None = None) -> pd.DataFrame:
    """Entries of a county list with their adcodes and defects (status, problem)."""
    entries = readers.read_county_list(src.path, **src.reader_options)
    edition = int(src.meta.get("edition", 0) or 0) or None
    res = names.resolve(entries.county, province=entries.province.tolist(), year=edition, errors="report",
                        history_path=history_path)
    out = entries.assign(adcode=res.adcode.values, status=res.status.values, candidates=res.candidates.values)
    out["problem"] = ""
    out.loc[out.status == "wrong_level", "problem"] = "not a county: " + out.candidates
    bad = out.status.isin(["unknown", "ambiguous", "merger_member", "merged", "zone"])
    out.loc[bad, "problem"] = "not resolved (" + out.status + ") " + out.candidates
    dup = out.adcode.notna() & out.duplicated("adcode", keep=False)
    ranks = out[dup].groupby("adcode")["rank"].agg(lambda r: ", ".join(map(str, r)))
    out.loc[dup, "problem"] = "listed more than once (ranks " + out.loc[dup, "adcode"].map(ranks) + ")"
    meta = src.meta
    out.insert(0, "list_id", src.path.stem)
    out.insert(1, "title", meta.get("title", ""))
    out.insert(2, "publisher", meta.get("list_publisher", meta.get("publisher", "")))
    out.insert(3, "edition", int(meta.get("edition", 0) or 0))
    return out.drop(columns=["candidates"])


# ------------------------------------------------------------------------------------------------------
# Output frames
# ------------------------------------------------------------------------------------------------------


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.reset_index(drop=True)
    frame.attrs = {}  # what a step left there (a pandera schema) is no data, and pandas would write it
    frame.to_parquet(path, index=False, compression="zstd")


def _rejects_frame(rejects: list[pd.DataFrame]) -> pd.DataFrame:
    if not rejects:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    frames = []
    for r in rejects:
        r = r.copy()
        if "unit_published" in r:
            r = r.drop(columns=["unit"]).rename(columns={"unit_published": "unit"})
        r = r.rename(columns={"row": "source_row"})
        if "name_printed" in r:
            r["name"] = r["name_printed"]
        elif "name" not in r and "unit_name" in r:
            r["name"] = r["unit_name"]
        if "column_printed" in r and "column" not in r:
            r["column"] = r["column_printed"]
        if "code_printed" in r:
            r["adcode"] = r["adcode"].where(r["adcode"].fillna("").astype(str) != "", r["code_printed"])
        frames.append(r.reindex(columns=REJECT_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    out["adcode"] = out["adcode"].fillna("").astype(str)
    return out.sort_values(["source_id", "source_row", "indicator", "column"], key=_sort_key).reset_index(drop=True)


def _sort_key(s: pd.Series) -> pd.Series:
    """Rows in file order (row 2 before row 10), everything else as text."""
    if s.name == "source_row":
        return pd.to_numeric(s, errors="coerce").fillna(-1)
    return s.astype(str)


def _count_by_source(rejects: list[pd.DataFrame], zones: pd.DataFrame, table: pd.DataFrame) -> dict:
    rej = pd.concat([r[["source_id"]] for r in rejects]) if rejects else pd.DataFrame(columns=["source_id"])
    return {"rejected": rej.source_id.value_counts().to_dict(), "zones": zones.source_id.value_counts().to_dict(),
            "kept": table.source_id.value_counts().to_dict(),
            "preferred": table[table.preferred].source_id.value_counts().to_dict()}


def _sources_frame(sources: list[Source], read: dict, counts: dict, table: pd.DataFrame, lists: pd.DataFrame
                   ) -> pd.DataFrame:
    """One row per source with its provenance and how many of its figures were read, kept, preferred and
    rejected (a county list counts its entries as read and its resolved entries as kept)."""
    rows = []
    for s in sources:
        sid = s.source_id
        n_read, kept, rej = read.get(sid, 0), counts["kept"].get(sid, 0), counts["rejected"].get(sid, 0)
        if s.kind in CENSUS_KINDS:
            n_read = kept + rej
        if s.kind == "county_list" and not lists.empty:
            entries = lists[lists.list_id == s.path.stem]
            n_read, kept, rej = len(entries), int(entries.adcode.notna().sum()), int(entries.adcode.isna().sum())
        rows.append({"source_id": sid, "kind": s.kind, "title": str(s.meta.get("title", "")),
                     "publisher": str(s.meta.get("publisher", "")),
                     "url": str(s.meta.get("url") or s.meta.get("document") or ""),
                     "license": str(s.meta.get("license", "")), "retrieved": str(s.meta.get("retrieved", "")),
                     "sha256": s.sha256(), "read": n_read, "kept": kept,
                     "preferred": counts["preferred"].get(sid, 0), "rejected": rej,
                     "zones": counts["zones"].get(sid, 0)})
    for computed in (steps.AREA_SOURCE_ID, census_reader.CHANGE_SOURCE_ID):
        part = table[table.source_id == computed]
        if len(part):
            first = part.iloc[0]
            rows.append({"source_id": computed, "kind": "computed", "title": first.source_title,
                         "publisher": first.publisher, "url": first.url, "license": first.license, "retrieved": "",
                         "sha256": "", "read": 0, "kept": len(part), "preferred": int(part.preferred.sum()),
                         "rejected": counts["rejected"].get(computed, 0), "zones": 0})
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)
