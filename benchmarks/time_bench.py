"""Counties through time, against baselines measured in the same run.

1. Building the crosswalk from the code history (data/raw/areacodes/result.csv, ~6,800 code records):
   reading the records, classifying every change, and placing every county-level record of every year it
   was in use on today's units (~100,000 code-years). Baseline: the same placements by a naive per-row
   loop, each looking its successors up by scanning all records, without memory of what it traced before
   (timed on a sample of code-years and scaled up, which the line says). Target: under 1 s.
2. Harmonising the national census panel of 2010 + 2020 (both sheets already parsed; the parse is cached
   by the build): placing every row on today's units, summing merged units, the changes 2010 -> 2020.
   Baseline: the same done row by row (each row placed, its counts added to its unit's running sum).
   Target: under 2 s.

    python benchmarks/time_bench.py [--repeat 3] [--sample 400]
"""

from __future__ import annotations

import argparse
import random
import tempfile

import pandas as pd
from timing import median, once

from countylib.data import crosswalk, registry
from countylib.ingest import census_tables as census
from countylib.paths import raw_dir

RESULT = raw_dir() / crosswalk.HISTORY_DIR / crosswalk.RESULT_FILE
SUPPLEMENT = raw_dir() / crosswalk.SUPPLEMENT_FILE


def fresh_crosswalk(place_all: bool = True) -> crosswalk.Crosswalk:
    """A crosswalk built from the files: records read, registry linked, every change classified; with
    ``place_all`` also every county-level code-year placed on today's units."""
    records = crosswalk.read_records(RESULT)
    reg = registry.registry()
    cw = crosswalk.Crosswalk(records, dict(zip(reg.adcode, reg.level, strict=True)),
                             crosswalk.read_supplement(SUPPLEMENT))
    cw.events  # noqa: B018 - the classification of every change (it places each change's records)
    if place_all:
        for year in range(crosswalk.FIRST_YEAR, cw.newest + 1):
            cw.composition(year)  # every record of the year placed on today's units
    return cw


def naive_units(records: list[crosswalk.Record], rec: crosswalk.Record, year: int, terminal: dict[str, str]) -> set:
    """Where a record's territory of ``year`` is today, found by scanning all records at every step."""
    def at(code: str, y: int) -> crosswalk.Record | None:
        for r in records:
            if r.code == code and r.in_use(y):
                return r
        return None

    out: set = set()
    for code, t in rec.transfers:
        if t > year:
            nxt = at(code, t)
            out |= naive_units(records, nxt, t, terminal) if nxt else {f"?{code}"}
    if rec.end is None:
        out.add(terminal.get(rec.code, f"!{rec.code}"))
    else:
        for code in rec.successors or ("",):
            nxt = at(code, rec.end) if code else None
            out |= naive_units(records, nxt, rec.end, terminal) if nxt else {f"!{rec.code}"}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample", type=int, default=400, help="code-years timed for the naive loop")
    args = ap.parse_args()
    registry.registry()  # the registry of today's units is read once per session by everything: not timed

    built = median(lambda: fresh_crosswalk(place_all=False), args.repeat)
    placed = median(fresh_crosswalk, args.repeat)
    cw = fresh_crosswalk()
    pairs = [(r, y) for r in cw.records if r.level == "county"
             for y in range(r.start, (r.end or cw.newest + 1))]
    random.Random(0).shuffle(pairs)
    sample = pairs[:args.sample]
    naive = once(lambda: [naive_units(cw.records, r, y, cw.terminal) for r, y in sample])
    same = all(naive_units(cw.records, r, y, cw.terminal) == set(cw.units(r.rid, y)) for r, y in sample[:50])
    naive_all = naive * len(pairs) / len(sample)
    print(f"crosswalk: {len(cw.records):,} records read and {len(cw.events):,} changes classified in {built:.2f} s "
          f"(target < 1 s); with all {len(pairs):,} county-level code-years placed on today's units {placed:.2f} s; "
          f"naive per-row loop {naive / len(sample) * 1e3:.2f} ms per code-year, {naive_all:,.1f} s for all (scaled "
          f"up from {len(sample)}) — ratio naive / crosswalk {naive_all / placed:,.1f}x; same answers: {same}")

    with tempfile.TemporaryDirectory() as tmp:
        lay10, lay20 = census.layout(2010), census.layout(2020)
        s10 = census.read_sheet(raw_dir() / "census_county_2010_leiii.xlsx", tmp, lay10)
        s20 = census.read_sheet(raw_dir() / "census_county_2020_leiii.xlsx", tmp, lay20)

        def harmonise():
            a = census.assemble(s10, lay=lay10)
            b = census.assemble(s20, lay=lay20)
            return census.change_rows(a, b)

        harmonise()
        fast = median(harmonise, args.repeat)
        rows = len(s10) + len(s20)
        slow = once(lambda: row_by_row(s10, lay10) and row_by_row(s20, lay20))
        print(f"census panel 2010 + 2020: {rows:,} rows placed on today's units, merged units summed, changes "
              f"computed in {fast:.2f} s (target < 2 s); row by row {slow:.2f} s — ratio {slow / fast:.1f}x")


def row_by_row(sheet: pd.DataFrame, lay: census.Layout) -> dict:
    """The naive path: every row placed, its counts added to its unit's running sum, one row at a time."""
    cw = crosswalk.get()
    values = census.numbers(sheet, lay=lay)
    kinds = census.row_kinds(sheet, lay, values)
    units: dict[str, pd.Series] = {}
    for i, row in values.iterrows():
        if kinds[i] not in ("county", "prefecture", "province"):
            continue
        p = cw.place(sheet.at[i, lay.code], lay.codes_year, kinds[i])
        if p.adcode:
            units[p.adcode] = units[p.adcode].add(row, fill_value=0) if p.adcode in units else row
    return units


if __name__ == "__main__":
    main()
