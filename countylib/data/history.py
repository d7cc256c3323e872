"""Code history in the shapes older code asked for, answered by the one crosswalk (:mod:`.crosswalk`).

Tables published before a change use the old names and codes (偃师市 410381 before 2021); panels need
today's units (偃师区 410307). Everything here is computed from the bundled code history
(``data/raw/areacodes``) through :func:`countylib.data.crosswalk.get`; use that module directly for
placements by year, breaks and the classified changes.

>>> from countylib.data import history
>>> history.to_current(["410381", "410181"])
['410307', '410181']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from countylib.data import crosswalk

#: The code history's folder in a raw folder (kept under this name for older imports).
CHANGES_FILE = crosswalk.HISTORY_DIR
COLUMNS = ["old_adcode", "old_name", "new_adcode", "new_name", "province", "prefecture", "year", "change", "source"]
_CHANGE_NAMES = {"撤县设区": "county_to_district", "撤市设区": "county_to_district", "撤旗设区": "county_to_district",
                 "撤县设市": "upgrade", "撤旗设市": "upgrade"}


def history_file(path: Path | None = None) -> Path:
    """The code history's ``result.csv`` in use: under ``path`` (a raw folder, the history folder or the
    file itself), else ``data/raw/areacodes/result.csv``."""
    return crosswalk.history_dir(path) / crosswalk.RESULT_FILE


def changes(path: Path | None = None) -> pd.DataFrame:
    """County-level changes since the first table, one row per old record and today's unit it went to
    (``old_adcode, old_name, new_adcode, new_name, province, prefecture, year, change, source``), ``change``
    being county_to_district, upgrade, recode, merger, split or transfer; ``new_adcode`` is the unit of today
    that carries on the unit the change named as receiving the territory.

    >>> ch = changes()
    >>> row = ch[ch.old_adcode == "410381"].iloc[0]
    >>> row.old_name, row.new_adcode, int(row.year), row.change
    ('偃师市', '410307', 2021, 'county_to_district')
    >>> sorted(set(ch[ch.old_adcode == "412122"].new_adcode))   # 安阳县 recoded in 1983, not 殷都区 (a later transfer)
    ['410522']
    """
    cw = crosswalk.get(path)
    reg = cw.registry_codes
    names = cw.reg["name"]
    rows = []
    for ev in cw.events.itertuples(index=False):
        if ev.level != "county" or ev.kind in ("creation", "abolition"):
            continue
        change = _CHANGE_NAMES.get(ev.detail, "recode") if ev.kind == "recode" else ev.kind
        # the units the event itself names as receiving the territory, each followed to the unit of today that
        # carries it on (not every unit the old territory lies in today: later transfers are events of their own)
        targets = []
        for new in ev.new_codes:
            nrid = cw.record_at(new, ev.year)
            unit = cw.heir(nrid) if nrid is not None else None
            if unit is not None and unit in reg:
                targets.append(unit)
        for code in ev.old_codes:
            rid = cw.record_at(code, ev.year - 1)
            if rid is None:
                continue
            rec = cw.records[rid]
            for unit in sorted(set(targets)):
                rows.append({"old_adcode": code, "old_name": rec.name, "new_adcode": unit,
                             "new_name": names.get(unit, unit), "province": rec.province, "prefecture": rec.prefecture,
                             "year": int(ev.year), "change": change,
                             "source": "民政部县级以上行政区划代码（areacodes）：" + ev.summary})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.drop_duplicates(["old_adcode", "new_adcode", "year"]).reset_index(drop=True)


def successor_map(path: Path | None = None) -> dict[str, str]:
    """Old adcode -> today's adcode for every code no longer in use whose territory went whole to one unit
    (mergers map several codes to one). Codes divided among several units are left out.

    >>> m = successor_map()
    >>> m["410322"], m["410306"]
    ('410308', '410308')
    >>> "330104" in m          # 江干区 was divided between 上城区 and 钱塘区 in 2021
    False
    """
    cw = crosswalk.get(path)
    out = {}
    for code, rids in cw.by_code.items():
        last = cw.records[rids[-1]]
        if last.end is None:
            continue
        units = cw.units(last.rid, last.end - 1)
        if len(units) == 1 and next(iter(units))[0] not in "!?":
            out[code] = next(iter(units))
    return out


def split_units(since: int | None = None, path: Path | None = None) -> dict[str, str]:
    """Today's units (and old codes) whose territory changed by a split or partial transfer (from ``since``
    on), with the changes described: their figures from before cannot stand for today's territory.

    >>> s = split_units(since=2020)
    >>> sorted(c for c in s if c.startswith("3301"))
    ['330102', '330104', '330109', '330110', '330113', '330114']
    """
    cw = crosswalk.get(path)
    ev = cw.events
    ev = ev[ev.kind.isin(crosswalk.BREAKING) & (ev.level == "county")]
    if since is not None:
        ev = ev[ev.year >= since]
    out: dict[str, list[str]] = {}
    for e in ev.itertuples(index=False):
        text = f"{e.year}年{e.summary}"
        for code in (*e.breaks, *e.old_codes, *e.new_codes):
            out.setdefault(code, []).append(text)
    return {code: "；".join(dict.fromkeys(texts)) for code, texts in out.items()}


def to_current(codes: Iterable[str], path: Path | None = None) -> list[str]:
    """Map codes (old or current) onto today's codes: a code still in use stays (the registry's code where
    it differs: 431181 -> 431121), an old one goes to the unit that carries it on; codes divided among
    several units, and unknown codes, are returned unchanged.

    >>> to_current(["410224", "410181", "330104"])
    ['410212', '410181', '330104']
    """
    cw = crosswalk.get(path)
    out = []
    memo: dict[str, str] = {}
    for code in codes:
        code = str(code)
        if code not in memo:
            memo[code] = _current(cw, code)
        out.append(memo[code])
    return out


def _current(cw: crosswalk.Crosswalk, code: str) -> str:
    if code in cw.registry_codes and (code in cw.registry_only or code in cw.current_codes):
        return code
    rids = cw.by_code.get(code)
    if not rids:
        p = cw._supplement_code(code)
        return p.adcode if p is not None and p.adcode else code
    last = cw.records[rids[-1]]
    year = (last.end - 1) if last.end is not None else cw.newest
    p = cw.place_record(last.rid, year)
    return p.adcode if p.adcode else code


def lookup(adcodes: Iterable[str], path: Path | None = None) -> pd.DataFrame:
    """Registry rows for the given codes, county rows preferred; old codes are placed on today's units
    through the crosswalk (a code divided since has no row: NaN).

    >>> lookup(["410224", "330104"]).name.tolist()
    ['祥符区', nan]
    """
    from countylib.data.registry import by_adcode

    return by_adcode().reindex(to_current(list(adcodes), path)).reset_index()
