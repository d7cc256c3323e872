"""``data/raw`` -> ``data/processed``: read, resolve regions, parse units, validate, tidy, report.

Deterministic (rows sorted, no timestamps: same inputs, same bytes) and atomic (everything is
written to a temporary folder first; files replace the previous ones only once all succeeded).
``data/raw`` is only ever read.

>>> from countylib.ingest.build import build
>>> result = build()                      # doctest: +SKIP
>>> result.counts["indicators"] > 0       # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from countylib import vocab
from countylib.data import indicators, regions
from countylib.ingest import readers, units, validate
from countylib.paths import processed_dir, raw_dir

REQUIRED_META = ("title", "publisher", "retrieved", "license", "kind")
KINDS = ("figures_long", "county_list", "wide", "census_2020", "admin_changes")
OUTPUT_COLUMNS = [
    "adcode", "name", "level", "year", "indicator", "value", "unit", "value_text", "unit_published", "flag",
    "preferred", "conflict", "source_id", "source_row", "url", "source_quality", "note",
]


class BuildError(RuntimeError):
    """The build cannot go on; the message names the file and what to do."""


@dataclass
class Source:
    path: Path
    meta: dict

    @property
    def source_id(self) -> str:
        return self.path.name


@dataclass
class BuildResult:
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    report_path: Path | None = None


def discover(raw: Path) -> list[Source]:
    """Every data file in ``raw`` with its ``.meta.yaml`` sidecar (sorted by name).

    A data file without a sidecar, or a sidecar without title/publisher/url-or-document/
    retrieved/license/kind, stops the build: no figure enters without its source.
    """
    if not raw.is_dir():
        raise BuildError(f"raw data folder not found: {raw}")
    sources = []
    for path in sorted(raw.iterdir()):
        if path.name.startswith(".") or path.name.endswith(".meta.yaml") or path.suffix.lower() == ".md":
            continue
        if is_licence_file(path):  # a licence text kept beside its data file, named in that file's sidecar
            continue
        if not path.is_file():
            continue
        sidecar = path.with_name(path.name + ".meta.yaml")
        if not sidecar.exists():
            raise BuildError(
                f"{path.name}: no sidecar {sidecar.name}. Every raw file needs one naming its source "
                f"({', '.join(REQUIRED_META)}, url or document); see data/README.md."
            )
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        missing = [k for k in REQUIRED_META if not meta.get(k)]
        if not (meta.get("url") or meta.get("document")):
            missing.append("url or document")
        if missing:
            raise BuildError(f"{sidecar.name}: missing {', '.join(missing)}")
        if meta["kind"] not in KINDS:
            raise BuildError(f"{sidecar.name}: kind {meta['kind']!r} is not one of {', '.join(KINDS)}")
        sources.append(Source(path, meta))
    return sources


LICENCE_SUFFIXES = (".license", ".licence", ".license.txt", ".licence.txt")


def is_licence_file(path: Path) -> bool:
    """A licence text shipped with a data file (``<name>.LICENSE``, ``LICENSE``, ``COPYING``): not data,
    so it needs no sidecar; the data file's sidecar names it (``license_file``).

    >>> is_licence_file(Path("census_county_2020_leiii.LICENSE")), is_licence_file(Path("figures.csv"))
    (True, False)
    """
    name = path.name.lower()
    return name.endswith(LICENCE_SUFFIXES) or name.split(".")[0] in ("license", "licence", "copying")


def read_source(src: Source) -> pd.DataFrame:
    """Figures of one source, with source_id and the sidecar's url as default."""
    kind, opts = src.meta["kind"], dict(src.meta.get("reader") or {})
    if kind == "figures_long":
        figs = readers.read_figures_long(src.path)
    elif kind == "wide":
        figs = readers.read_wide(src.path, **opts)
    else:  # census_2020 is read by read_census (its own code mapping and shares); lists and history elsewhere
        return pd.DataFrame(columns=readers.FIGURE_COLUMNS + ["source_id"])
    figs = figs.copy()
    figs["source_id"] = src.source_id
    # A row's own URL wins; otherwise the sidecar's (documents without a URL stay in the sidecar).
    figs["url"] = figs["url"].replace("", np.nan).fillna(src.meta.get("url") or "")
    default_quality = src.meta.get("source_quality", "")
    figs["source_quality"] = figs["source_quality"].replace("", np.nan).fillna(default_quality)
    return figs


# ------------------------------------------------------------------------------------------------------
# Steps
# ------------------------------------------------------------------------------------------------------


def _reject(frame: pd.DataFrame, mask: pd.Series, reasons, bucket: list[pd.DataFrame]) -> pd.DataFrame:
    if mask.any():
        rej = frame[mask].copy()
        rej["reason"] = reasons[mask] if isinstance(reasons, pd.Series) else reasons
        bucket.append(rej)
    return frame[~mask].copy()


def attach_codes(figs: pd.DataFrame, rejects: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every figure a current adcode; return (figures, zones). Unresolvable rows are rejected."""
    figs = figs.reset_index(drop=True)
    figs["year"] = pd.to_numeric(figs["year"], errors="coerce")
    figs = _reject(figs, figs.year.isna(), "year is not a number", rejects)
    figs["year"] = figs.year.astype(int)
    is_zone = (figs.note == "zone") | figs.name.map(lambda n: regions.is_zone(vocab.clean_name(n)))
    zones = figs[is_zone & ~figs.is_aggregate].copy()
    figs = figs[~is_zone | figs.is_aggregate].copy()

    code = figs.adcode.fillna("").astype(str).str.strip()
    bad_code = (code != "") & ~code.str.fullmatch(r"\d{6}")
    figs = _reject(figs, bad_code, "adcode is not 6 digits: " + code, rejects)
    code = code[~bad_code]
    figs["old_adcode"] = code.where(code != "", "")
    figs["adcode"] = regions.to_current(code.tolist())

    _code_totals(figs)
    need = figs.adcode == ""
    if need.any():
        sub = figs[need]
        res = regions.resolve(sub.name, province=sub.province.tolist(), prefecture=sub.prefecture.tolist(),
                              year=None, level="county", errors="report")
        res.index = sub.index
        # Rows printed as totals, or naming a prefecture, are aggregates with their own code.
        upper = res.status == "wrong_level"
        if upper.any():
            up = regions.resolve(sub.name[upper], province=sub.province[upper].tolist(), level=None,
                                 errors="report")
            res.loc[upper, "adcode"] = up.adcode.values
            figs.loc[res.index[upper], "is_aggregate"] = True
            res.loc[upper, "status"] = np.where(up.adcode.notna(), "name", up.status)
        figs.loc[need, "adcode"] = res.adcode.fillna("")
        reason = ("name not resolved (" + res.status + "): " + sub.name.astype(str) + " "
                  + res.candidates.fillna(""))
        failed = pd.Series(False, index=figs.index)
        failed[res.index] = res.adcode.isna()
        figs = _reject(figs, failed, reason.reindex(figs.index), rejects)

    level = regions.by_adcode()
    unknown = ~figs.adcode.isin(level.index)
    figs = _reject(figs, unknown, "adcode unknown to the registry: " + figs.adcode, rejects)
    figs["level"] = figs.adcode.map(level.level)
    figs["unit_name"] = figs.adcode.map(level["name"])
    return figs, zones


def _code_totals(figs: pd.DataFrame) -> None:
    """Rows such as 全市/合计 take the code of the table's prefecture (or province) from the sidecar."""
    totals = figs.is_aggregate & (figs.adcode == "") & figs["name"].map(
        lambda n: vocab.is_total_label(n) or vocab.clean_name(n) in ("市区", "市辖区"))
    for (prov, pref), idx in figs[totals].groupby(["province", "prefecture"]).groups.items():
        parent = pref or prov
        if not parent:
            continue
        res = regions.resolve([parent], province=prov or None, level=None, errors="report")
        if res.adcode.notna().iloc[0]:
            figs.loc[idx, "adcode"] = res.adcode.iloc[0]


def parse_figures(figs: pd.DataFrame, rejects: list[pd.DataFrame]) -> pd.DataFrame:
    """Known indicators only; values into canonical units with flags."""
    reg = indicators.registry()
    unknown = ~figs.indicator.isin(list(reg))
    figs = _reject(figs, unknown, "unknown indicator: " + figs.indicator.astype(str), rejects)
    canonical = figs.indicator.map(lambda k: reg[k].unit)
    parsed = units.parse_values(figs.value_text.reset_index(drop=True), figs.unit.reset_index(drop=True),
                                canonical.reset_index(drop=True))
    parsed.index = figs.index
    figs["value"] = parsed.value
    figs["flag"] = parsed.flag
    figs["canonical_unit"] = canonical
    figs["scale"] = parsed.scale
    figs["flag"] = _flags_from_notes(figs.flag, figs.note)
    invalid = figs.flag == "invalid"
    return _reject(figs, invalid, parsed.reason, rejects)


NOTE_FLAGS = (
    ("lower_bound", ("突破", "超过", "lower bound", "exceeded")),
    ("approximate", ("APPROXIMATE", "'约", "约'", "左右", "approximate")),
    ("estimate", ("PROJECTION", "预计", "预计数", "estimate")),
)


def _flags_from_notes(flag: pd.Series, note: pd.Series) -> pd.Series:
    """Collected figures keep value_text as a bare number; where the note records 突破/约/预计,
    the flag says so (the value stays as published)."""
    out = flag.copy()
    text = note.fillna("").astype(str)
    for name, words in NOTE_FLAGS:
        hit = (out == "exact") & text.map(lambda t, w=words: any(x in t for x in w))
        out[hit] = name
    return out


def combine_mergers(figs: pd.DataFrame, rejects: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum figures of old units merged into one current unit (same source, year and indicator).

    A table from before 2021 lists 孟津县 and 吉利区 separately; both map to 孟津区 (410308) and
    their levels are summed. Shares and rates cannot be summed and are rejected with that reason.
    """
    history = regions.changes()
    targets = set(history.loc[history.change == "merger", "new_adcode"])
    member = figs.old_adcode.where(figs.old_adcode != "", figs["name"].map(vocab.clean_name))
    figs = figs.assign(_member=member)
    key = ["source_id", "adcode", "year", "indicator"]
    cand = figs[figs.adcode.isin(targets)]
    counts = cand.groupby(key)._member.transform("nunique")
    merged_idx = counts[counts > 1].index
    if len(merged_idx) == 0:
        return figs.drop(columns="_member")
    part = figs.loc[merged_idx]
    additive = part.indicator.map(lambda k: indicators.get(k).kind in ("level", "count"))
    rest = figs.drop(index=merged_idx)
    _reject(part, ~additive, "merged unit: a share or rate of the old units cannot be summed", rejects)
    part = part[additive]
    rows = []
    for _, g in part.sort_values("_member").groupby(key, sort=True):
        first = g.iloc[0].copy()
        first["value"] = g.value.sum(min_count=len(g))
        first["value_text"] = " + ".join(f"{t} ({m})" for t, m in zip(g.value_text, g["name"], strict=True))
        first["note"] = f"sum of {'、'.join(g['name'])}, merged into {first.unit_name} ({first.adcode})"
        first["source_row"] = int(g.source_row.min())
        first["flag"] = "exact" if (g.flag == "exact").all() else g.flag[g.flag != "exact"].iloc[0]
        rows.append(first)
    return pd.concat([rest, pd.DataFrame(rows)], ignore_index=True).drop(columns="_member")


def tidy(figs: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "adcode": figs.adcode.astype(str),
        "name": figs.unit_name.astype(str),
        "level": figs.level.astype(str),
        "year": figs.year.astype(int),
        "indicator": figs.indicator.astype(str),
        "value": figs.value.astype(float),
        "unit": figs.canonical_unit.astype(str),
        "value_text": figs.value_text.astype(str),
        "unit_published": figs.unit.astype(str),
        "flag": figs.flag.astype(str),
        "source_id": figs.source_id.astype(str),
        "source_row": figs.source_row.astype(int),
        "url": figs.url.fillna("").astype(str),
        "source_quality": figs.source_quality.fillna("").astype(str),
        "note": figs.note.fillna("").astype(str),
        "scale": figs.scale.astype(float),
    })
    return out


# ------------------------------------------------------------------------------------------------------
# County lists
# ------------------------------------------------------------------------------------------------------


def resolve_list(src: Source) -> pd.DataFrame:
    """Entries of a county list with their adcodes and defects (status, problem)."""
    entries = readers.read_county_list(src.path)
    res = regions.resolve(entries.county, province=entries.province.tolist(), errors="report")
    out = entries.assign(adcode=res.adcode.values, status=res.status.values, candidates=res.candidates.values)
    out["problem"] = ""
    out.loc[out.status == "wrong_level", "problem"] = "not a county: " + out.candidates
    out.loc[out.status.isin(["unknown", "ambiguous"]), "problem"] = "not resolved (" + out.status + ") " + out.candidates
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
# The 2020 census (countylib.ingest.census): codes mapped with the code history, counts summed for
# mergers, shares computed from the counts, zones reported per province. The parse is cached by the
# file's content hash in <out>/.cache.
# ------------------------------------------------------------------------------------------------------


@dataclass
class CensusPart:
    rows: pd.DataFrame      # tidy indicator rows
    zones: pd.DataFrame     # zone and unattributed rows, in the zones layout
    counts: pd.DataFrame    # census_2020.parquet: counts per current unit
    provinces: pd.DataFrame  # where each province's people are
    source_id: str


def read_census(src: Source, out: Path) -> CensusPart:
    from countylib.ingest import census

    try:
        t = census.tables(src.path, cache_dir=out / ".cache")
    except Exception as exc:  # noqa: BLE001 - a reader failure names its file
        raise BuildError(f"{src.path.name}: could not be read: {exc}") from exc
    rows = census.indicator_rows(t, src.source_id, url=src.meta.get("url") or "",
                                 source_quality=src.meta.get("source_quality", "") or "")
    counts = t.units.assign(source_id=src.source_id, year=census.CENSUS_YEAR)
    return CensusPart(rows, census.zone_rows(t, src.source_id).rename(columns={"source_row": "row"}), counts,
                      census.province_report(t), src.source_id)


def _add_census(table, zones, censuses, rejects):
    """Census rows join the table; county rows pass the range checks (province and prefecture totals
    exceed the county ranges by design)."""
    rows = pd.concat([c.rows for c in censuses], ignore_index=True)
    county = rows.level == "county"
    kept, out_of_range = validate.check_ranges(rows[county])
    if len(out_of_range):
        rejects.append(out_of_range)
    table = pd.concat([table, kept, rows[~county]], ignore_index=True)
    zones = pd.concat([zones.rename(columns={"source_row": "row"}), *[c.zones for c in censuses]], ignore_index=True)
    return table, zones


def census_report(part: CensusPart) -> str:
    """The census section of build_report.md: people per province in units, zones and unattributed rows."""
    p = part.provinces
    return (f"\n## 2020 census ({part.source_id}): where each province's people are\n\n"
            "Province total as published = people in today's county-level units + in functional-zone rows "
            "(codes ending 71-79 or no code; attributed to no county) + in unattributed rows (units split "
            "since 2020, codes with no current unit; listed under Functional zones with the reason). "
            "`difference` is 0 when the table adds up.\n\n" + _md_table(p, max_rows=40))


# ------------------------------------------------------------------------------------------------------
# Orchestration
# ------------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build(raw: Path | None = None, out: Path | None = None, boundaries: bool = True,
          progress: bool = False) -> BuildResult:
    """Run the whole build and write ``regions.parquet``, ``indicators.parquet``, ``lists.parquet``,
    ``zones.parquet``, ``rejects.csv``, ``boundaries.parquet`` and ``build_report.md``."""
    raw = Path(raw or raw_dir())
    out = Path(out or processed_dir())
    sources = discover(raw)
    rejects: list[pd.DataFrame] = []
    figure_sources = [s for s in sources if s.meta["kind"] in ("figures_long", "wide")]
    frames = []
    unmapped: dict[str, list[str]] = {}
    for src in figure_sources:
        try:
            f = read_source(src)
        except Exception as exc:  # noqa: BLE001 - a reader failure names its file
            raise BuildError(f"{src.path.name}: could not be read: {exc}") from exc
        unmapped[src.source_id] = list(f.attrs.get("unmapped_columns", []))
        frames.append(f)
    figs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=readers.FIGURE_COLUMNS + ["source_id"])
    figs = figs.rename(columns={"row": "source_row"})
    n_read = len(figs)
    figs, zones = attach_codes(figs, rejects)
    figs = parse_figures(figs, rejects)
    figs = combine_mergers(figs, rejects)
    table = tidy(figs)
    table, out_of_range = validate.check_ranges(table)
    if len(out_of_range):
        rejects.append(out_of_range)
    censuses = [read_census(s, out) for s in sources if s.meta["kind"] == "census_2020"]
    if censuses:
        table, zones = _add_census(table, zones, censuses, rejects)
    table = validate.check_duplicates(table, mode="report")
    table = table.sort_values(["adcode", "year", "indicator", "source_id", "source_row"]).reset_index(drop=True)
    table = validate.schema_check(table)[OUTPUT_COLUMNS]

    lists = [resolve_list(s) for s in sources if s.meta["kind"] == "county_list"]
    lists_df = pd.concat(lists, ignore_index=True) if lists else pd.DataFrame()
    reg = regions.registry().drop(columns=["boundary_path"])
    reject_df = _rejects_frame(rejects)
    zones_df = _zones_frame(zones)

    out.mkdir(parents=True, exist_ok=True)
    # The temporary folder sits beside the output, on the same file system, so os.replace is atomic.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}-") as tmp:
        tmp = Path(tmp)
        _write_parquet(reg, tmp / "regions.parquet")
        _write_parquet(table, tmp / "indicators.parquet")
        _write_parquet(lists_df, tmp / "lists.parquet")
        _write_parquet(zones_df, tmp / "zones.parquet")
        if censuses:
            _write_parquet(pd.concat([c.counts for c in censuses], ignore_index=True), tmp / "census_2020.parquet")
        reject_df.to_csv(tmp / "rejects.csv", index=False)
        geo_note = ""
        if boundaries:
            from countylib.data import geo

            bounds = geo.build_boundaries(progress=progress)
            geo.write_boundaries(bounds, tmp / "boundaries.parquet")
            geo_note = f"{len(bounds)} county-level polygons"
        report = render_report(sources, n_read, table, reject_df, zones_df, lists_df, unmapped, geo_note)
        report += "".join(census_report(c) for c in censuses)
        (tmp / "build_report.md").write_text(report, encoding="utf-8")
        for f in sorted(tmp.iterdir()):
            os.replace(f, out / f.name)
    counts = {"read": n_read, "indicators": len(table), "rejected": len(reject_df), "zones": len(zones_df),
              "list_entries": len(lists_df), "sources": len(sources),
              "census_figures": sum(len(c.rows) for c in censuses)}
    return BuildResult(out_dir=out, counts=counts, rejects=reject_df, report_path=out / "build_report.md")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.reset_index(drop=True)
    frame.to_parquet(path, index=False, compression="zstd")


def _rejects_frame(rejects: list[pd.DataFrame]) -> pd.DataFrame:
    cols = ["source_id", "source_row", "name", "adcode", "year", "indicator", "value_text", "unit", "reason"]
    if not rejects:
        return pd.DataFrame(columns=cols)
    frames = []
    for r in rejects:
        if "unit_published" in r:
            r = r.drop(columns=["unit"]).rename(columns={"unit_published": "unit"})
        r = r.rename(columns={"row": "source_row"})
        if "name" not in r and "unit_name" in r:
            r["name"] = r["unit_name"]
        frames.append(r.reindex(columns=cols))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["source_id", "source_row", "indicator"], key=lambda s: s.astype(str)).reset_index(
        drop=True)


def _zones_frame(zones: pd.DataFrame) -> pd.DataFrame:
    cols = ["source_id", "source_row", "province", "prefecture", "name", "year", "indicator", "value_text", "unit",
            "note"]
    if zones.empty:
        return pd.DataFrame(columns=cols)
    z = zones.rename(columns={"row": "source_row"}).reindex(columns=cols)
    return z.astype({"year": int}).sort_values(["source_id", "source_row", "indicator"]).reset_index(drop=True)


def _md_table(frame: pd.DataFrame, max_rows: int = 60) -> str:
    if frame.empty:
        return "_none_\n"
    shown = frame.head(max_rows).astype(str)
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * len(shown.columns)]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    if len(frame) > max_rows:
        lines.append(f"\n… {len(frame) - max_rows} more rows (see the file named above).")
    return "\n".join(lines) + "\n"


def render_report(sources, n_read, table, rejects, zones, lists, unmapped, geo_note) -> str:
    """The Markdown build report: inputs, what was kept, rejected and why, conflicts, coverage."""
    parts = ["# Build report\n"]
    src_rows = pd.DataFrame([
        {"file": s.path.name, "kind": s.meta["kind"], "title": s.meta["title"], "publisher": s.meta["publisher"],
         "sha256[:16]": _sha256(s.path)}
        for s in sources
    ])
    parts += ["## Files read\n", _md_table(src_rows)]
    n_pref = int(table.preferred.sum())
    parts.append(
        f"\n## Summary\n\n- figures read: {n_read}\n- figures kept: {len(table)} "
        f"({n_pref} preferred, {len(table) - n_pref} duplicates of a preferred figure)\n"
        f"- rows rejected: {len(rejects)} (all listed in `rejects.csv`)\n"
        f"- functional-zone rows reported, not attributed to any county: {len(zones)}\n"
        + (f"- boundaries: {geo_note}\n" if geo_note else "")
    )
    flags = table[table.flag != "exact"].groupby(["flag"]).size().rename("rows").reset_index()
    parts += ["\n## Figures that are not exact\n", _md_table(flags)]
    conflicts = table[table.conflict].loc[:, ["adcode", "name", "year", "indicator", "value_text",
                                              "unit_published", "source_quality", "preferred", "note"]]
    parts += [
        "\n## Conflicts (same unit, year and indicator; values differ beyond rounding)\n",
        "Both rows are kept; `load()` returns the preferred one: a figure whose note marks a partial scope "
        "(市级 vs 全市) is never preferred; then the better source; then more digits.\n\n",
        _md_table(conflicts),
    ]
    no_url = table[table.url == ""][["adcode", "name", "year", "indicator", "value_text", "note"]]
    parts += ["\n## Figures without a URL (their note names the document)\n", _md_table(no_url)]
    parts += ["\n## Rejected rows\n", _md_table(rejects)]
    parts += ["\n## Functional zones (not administrative units; not in any county's figure)\n", _md_table(zones)]
    if not lists.empty:
        problems = lists[lists.problem != ""][["list_id", "rank", "province", "county", "adcode", "problem"]]
        parts += [f"\n## County lists\n\n{lists.list_id.nunique()} list(s), {len(lists)} entries. Defects:\n\n",
                  _md_table(problems)]
    cols = {k: v for k, v in unmapped.items() if v}
    if cols:
        parts.append("\n## Columns not mapped to an indicator\n\n")
        parts += [f"- {k}: {', '.join(v)}\n" for k, v in sorted(cols.items())]
    pref = table[table.preferred & table.value.notna() & (table.level == "county")]
    cov = pref.groupby(["indicator", "year"]).adcode.nunique().rename("counties").reset_index()
    parts += ["\n## Coverage (counties with a value, preferred figures)\n", _md_table(cov, max_rows=200)]
    return "".join(parts)
