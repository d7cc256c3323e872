"""Code history: old codes and names -> today's units (``data/raw/admin_changes.csv``).

Tables published before a change use the old names and codes (偃师市 410381 before 2021); panels need
today's units (偃师区 410307). Mergers map several old codes onto one (孟津县 + 吉利区 -> 孟津区 410308).
The table is re-read whenever the file changes.

>>> from countylib.data import history
>>> history.to_current(["410381", "410181"])
['410307', '410181']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from countylib.caches import bounded, file_key
from countylib.paths import raw_dir

CHANGES_FILE = "admin_changes.csv"


def history_file(path: Path | None = None) -> Path:
    """The code-history table in use: ``path``, else ``data/raw/admin_changes.csv``."""
    return Path(path or raw_dir() / CHANGES_FILE)


COLUMNS = ["old_adcode", "old_name", "new_adcode", "new_name", "province", "prefecture", "year", "change", "source"]


@bounded(maxsize=4)
def _changes_cached(key: tuple[str, float, int]) -> pd.DataFrame:
    if key[2] < 0:  # no such file: no recorded changes (a raw folder without admin_changes.csv)
        return pd.DataFrame({c: pd.Series(dtype=int if c == "year" else object) for c in COLUMNS})
    table = pd.read_csv(key[0], dtype=str, comment="#").fillna("")
    table["year"] = table["year"].astype(int)
    return table


def changes(path: Path | None = None) -> pd.DataFrame:
    """The curated table of old codes and names -> current codes (``data/raw/admin_changes.csv``).

    >>> ch = changes()
    >>> row = ch.set_index("old_adcode").loc["410381"]
    >>> row.old_name, row.new_adcode, int(row.year), row.change
    ('偃师市', '410307', 2021, 'county_to_district')
    """
    return _changes_cached(file_key(history_file(path))).copy()


def successor_map(path: Path | None = None) -> dict[str, str]:
    """Old adcode -> current adcode for every recorded change (mergers map several codes to one).

    Splits are left out: an old unit divided between several units has no single successor.

    >>> m = successor_map()
    >>> m["410322"], m["410306"]
    ('410308', '410308')
    >>> "330104" in m          # 江干区 was divided between 上城区 and 钱塘区 in 2021
    False
    """
    return dict(_successors(file_key(history_file(path))))


@bounded(maxsize=4)
def _successors(key: tuple[str, float, int]) -> tuple[tuple[str, str], ...]:
    table = _changes_cached(key)
    table = table[table.change != "split"]
    return tuple(zip(table.old_adcode, table.new_adcode, strict=True))


def split_units(since: int | None = None, path: Path | None = None) -> dict[str, str]:
    """Codes whose territory changed in a split (from ``since`` on), old and current, with the change
    described: figures of these units from before the split cannot be carried onto today's units.

    >>> s = split_units(since=2020)
    >>> sorted(c for c in s if c.startswith("3301"))
    ['330102', '330104', '330109', '330110', '330113', '330114']
    """
    table = changes(path)
    table = table[table.change == "split"]
    if since is not None:
        table = table[table.year >= since]
    out: dict[str, list[str]] = {}
    for r in table.itertuples(index=False):
        text = f"{r.old_name}（{r.old_adcode}）部分划入{r.new_name}（{r.new_adcode}），{r.year}年"
        for code in (r.old_adcode, r.new_adcode):
            out.setdefault(code, []).append(text)
    return {code: "；".join(dict.fromkeys(texts)) for code, texts in out.items()}


def to_current(codes: Iterable[str], path: Path | None = None) -> list[str]:
    """Map codes (old or current) onto today's codes; unknown codes are returned unchanged.

    >>> to_current(["410224", "410181"])
    ['410212', '410181']
    """
    m = successor_map(path)
    out = []
    for code in codes:
        seen = set()
        while code in m and code not in seen:  # follow chains (A -> B -> C)
            seen.add(code)
            code = m[code]
        out.append(code)
    return out



def mergers(path: Path | None = None) -> dict[str, dict]:
    """Merged units: new adcode -> ``{"year", "name", "members": {old adcode: old name}}``.

    A member alone never stands for the merged unit: figures of the members are summed only when every
    member is present (see :func:`countylib.ingest.steps.combine_mergers`).

    >>> m = mergers()["410308"]
    >>> m["year"], sorted(m["members"].items())
    (2021, [('410306', '吉利区'), ('410322', '孟津县')])
    """
    table = changes(path)
    table = table[table.change == "merger"]
    out: dict[str, dict] = {}
    for r in table.itertuples(index=False):
        entry = out.setdefault(r.new_adcode, {"year": int(r.year), "name": r.new_name, "members": {}})
        entry["members"][r.old_adcode] = r.old_name
        entry["year"] = max(entry["year"], int(r.year))
    return out


def member_of(path: Path | None = None) -> dict[str, str]:
    """Old adcode of every member of a merger -> the merged unit's adcode.

    >>> member_of()["410306"], "410381" in member_of()
    ('410308', False)
    """
    return {old: new for new, entry in mergers(path).items() for old in entry["members"]}


def describe_merger(new_adcode: str, path: Path | None = None) -> str:
    """One line naming a merger's members, for messages.

    >>> describe_merger("410308")
    '孟津县(410322) + 吉利区(410306) -> 孟津区(410308) in 2021'
    """
    entry = mergers(path)[new_adcode]
    members = " + ".join(f"{n}({c})" for c, n in sorted(entry["members"].items(), key=lambda x: x[0], reverse=True))
    return f"{members} -> {entry['name']}({new_adcode}) in {entry['year']}"
