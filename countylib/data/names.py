"""Name resolution: place names (or codes) as printed -> today's adcodes, vectorised, with reasons for failures.

Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional characters
(固始縣), footnote marks (栾川县①), old names (偃师市 -> 410307) and 6-digit codes of any year since 1981.
Functional zones come back with ``status == "zone"`` and no code.

Names are resolved for the year they were printed for, through the one crosswalk of the code history
(:mod:`countylib.data.crosswalk`): a name means the unit that had it *that year* (any year from 1981 to the
newest table), and that unit is placed on today's units:

* the same territory today (a rename or recode): its adcode (偃师市 2019 -> 410307; 开封县 2013 -> 410212);
* one member of a merger (吉利区 before 2021, and 拱墅区 before it absorbed 下城区 in 2021):
  ``status == "merger_member"``, no adcode, its own code in ``old_adcode`` — a member alone never stands for
  the merged unit;
* a unit that went on with less or more territory (余杭区 2019, before 临平区 was split off): its adcode,
  with the change in ``note``;
* a unit divided among several (江干区 2020): ``status == "split"``, the successors in ``candidates``.

A full name as printed beats a short form at any level (开封市 is the prefecture 410200, never 祥符区, the
successor of 开封县, short form 开封); short forms of old names count only while the name was in use; a
full old name printed after its change still points at its unit when the territory went on whole (偃师市
in a 2022 table is 偃师区), but an old member of a merger printed after the merger is ``merged``; a name not
yet in use that year (孟津区 2019) is ``not_in_use``. A year outside the history is a one-line error.

>>> from countylib.data.names import resolve
>>> resolve(["巩义", "滑　县", "固始縣"], province="河南省").adcode.tolist()
['410181', '410526', '411525']
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from countylib.data import crosswalk
from countylib.data.crosswalk import YearOutOfRangeError
from countylib.data.registry import area_name, by_adcode, check_prefecture, prefecture_codes, short_name
from countylib.data.years import year_column
from countylib.vocab import clean_name

# Functional zones (开发区, 高新区, 示范区, 航空港区 ...). 新区 is not among them: 浦东新区, 滨海新区, 沈北新区 and
# 清新区 are administrative units; a 新区 the registry does not know is reported as a zone only after
# every registry lookup failed. Zones with plain names (伊滨区, 鸭河工区) are listed by name in
# data/raw/code_supplement.csv.
ZONE_PATTERN = re.compile(
    r"(开发区|高新区|高新技术产业|示范区|航空港|综合实验区|综合试验区|产业集聚区|管理区|管委会|试验区|保税区|"
    r"合作区|产业园区|工业园区|风景名胜区|旅游区)"
)
UNKNOWN_ZONE_SUFFIX = ("新区",)
#: Statuses that leave a name without one current unit (``errors="raise"`` raises on them).
UNRESOLVED = ("ambiguous", "unknown", "missing", "wrong_level", "merger_member", "merged", "split", "not_in_use",
              "no_current_unit")

__all__ = ["ZONE_PATTERN", "AmbiguousNameError", "RegionError", "UnknownNameError", "YearOutOfRangeError", "is_zone",
           "resolve"]


class RegionError(ValueError):
    """A name could not be resolved to exactly one unit."""


class AmbiguousNameError(RegionError):
    """A name matches several units; the message lists every candidate."""


class UnknownNameError(RegionError):
    """A name matches no unit; the message lists the closest known names."""


@dataclass(frozen=True)
class _Entry:
    """A name of a unit: a record of the code history (``rid``) or a registry unit the history lacks."""

    name: str
    level: str
    provinces: tuple[str, ...]     # as the history wrote it then, and today's (full and short)
    prefecture: str                # as written then
    prefecture_codes: tuple[str, ...]
    via: str                       # "name" or "short"
    rid: int | None = None         # history record
    adcode: str | None = None      # registry-only units
    start: int | None = None
    end: int | None = None

    def in_use(self, year: int) -> bool:
        return self.rid is None or (self.start <= year and (self.end is None or year < self.end))


@dataclass
class _Index:
    cw: crosswalk.Crosswalk
    by_name: dict[str, list[_Entry]]
    by_short: dict[str, list[_Entry]]
    known: list[str]
    current: list[str]
    by_province: dict[str, set[str]]
    zones: dict[str, list[dict]]
    placements: dict

    def place(self, e: _Entry, year: int) -> crosswalk.Placement:
        key = (e.rid, year, e.level)
        if key not in self.placements:
            self.placements[key] = self.cw.place_record(e.rid, year, e.level)
        return self.placements[key]


def _index(history_path: Path | None = None) -> _Index:
    """Names -> entries, built once per crosswalk (kept on it, so it goes when the history changes)."""
    cw = crosswalk.get(history_path)
    idx = getattr(cw, "_names_index", None)
    if idx is None:
        idx = _build_index(cw)
        cw._names_index = idx
    return idx


def _build_index(cw: crosswalk.Crosswalk) -> _Index:
    reg = by_adcode()
    prov_short = {n: short_name(n, "province") for n in reg.province_name.unique()}
    prov_of_code = {a: n for a, n in zip(reg.index, reg.province_name, strict=True) if a.endswith("0000")}
    by_name: dict[str, list[_Entry]] = defaultdict(list)
    by_short: dict[str, list[_Entry]] = defaultdict(list)

    def add(e: _Entry) -> None:
        by_name[e.name].append(e)
        short = short_name(e.name, "province" if e.level == "province" else "county")
        if short != e.name:
            by_short[short].append(_Entry(**{**e.__dict__, "via": "short"}))

    for r in cw.records:
        today_prov = prov_of_code.get(r.code[:2] + "0000", "")
        provs = tuple(dict.fromkeys(p for p in (r.province, short_name(r.province, "province"), today_prov,
                                                 prov_short.get(today_prov, "")) if p))
        pref_code = r.code[:4] + "00"
        add(_Entry(r.name, r.level, provs, r.prefecture, (pref_code,), "name", rid=r.rid, start=r.start, end=r.end))
    for code in sorted(cw.registry_only):
        row = reg.loc[code]
        provs = (row.province_name, row.province_short)
        add(_Entry(row["name"], row.level, provs, row.prefecture_name, (row.prefecture_adcode,), "name", adcode=code))
    sup = cw.supplement
    for r in sup[(sup.kind == "statistical_code") & (sup.current_adcode != "")].itertuples(index=False):
        if r.current_adcode in reg.index and r.name not in by_name:
            add(_Entry(r.name, "county", (r.province, short_name(r.province, "province")), r.prefecture,
                       (reg.loc[r.current_adcode, "prefecture_adcode"],), "name", adcode=r.current_adcode))
    current = sorted({e.name for es in by_name.values() for e in es if e.rid is None or e.end is None})
    by_province: dict[str, set[str]] = defaultdict(set)
    for name, entries in by_name.items():
        for e in entries:
            for p in e.provinces:
                by_province[p].add(name)
    return _Index(cw, dict(by_name), dict(by_short), sorted(set(by_name)), current, dict(by_province), cw.zones,
                  {})


def full_names(history_path: Path | None = None) -> frozenset[str]:
    """Every full name a unit has or had (巩义市, 偃师区 and 偃师市 ...): for finding place names in a text
    before resolving them.

    >>> {"偃师市", "偃师区", "洛阳市"} <= full_names()
    True
    """
    return frozenset(_index(history_path).known)


def is_zone(name: str, code: str | None = None, province: str | None = None) -> bool:
    """True for functional zones (开发区, 高新区, 示范区, 航空港区..., and zones known by name such as 伊滨区),
    which are not administrative units.

    >>> is_zone("郑州经济技术开发区"), is_zone("巩义市"), is_zone("", "410171"), is_zone("浦东新区"), is_zone("鸭河工区")
    (True, False, True, False, True)
    """
    if code and len(code) == 6 and code.isdigit() and code[4] == "7":
        return True
    if not name:
        return False
    return _named_zone(name, province)


def _named_zone(name: str, province: str | None = None, idx: _Index | None = None) -> bool:
    """A zone by its name: of the zone pattern, or known by name in ``idx``'s history (None: the default)."""
    return bool(ZONE_PATTERN.search(name)) or _known_zone(clean_name(name), province, idx) is not None


def _known_zone(name: str, province: str | None = None, idx: _Index | None = None) -> dict | None:
    rows = (idx if idx is not None else _index()).zones.get(name, [])
    for r in rows:
        if not province or province in (r["province"], short_name(r["province"], "province")):
            return r
    return None


def _levels_for_suffix(name: str) -> tuple[str, ...]:
    """Levels a name can denote by its suffix (县/区/旗 only county-level units; 省 only provinces).

    >>> _levels_for_suffix("开封县"), _levels_for_suffix("开封市"), _levels_for_suffix("开封")
    (('county',), ('county', 'prefecture', 'province'), ('county', 'prefecture', 'province'))
    """
    if name.endswith(("县", "区", "旗")) and not name.endswith(("自治区", "特别行政区", "地区", "林区")):
        return ("county",)
    if name.endswith("省") or name.endswith(("自治区", "特别行政区")):
        return ("province",)
    if name.endswith(("自治州", "盟", "地区")):
        return ("prefecture",)
    return ("county", "prefecture", "province")


def _filter(cands: list[_Entry], province: str, prefecture: str) -> list[_Entry]:
    if province:
        cands = [c for c in cands if province in c.provinces]
    if prefecture:
        codes = prefecture_codes(prefecture)
        short = short_name(prefecture, "county")
        cands = [c for c in cands if set(c.prefecture_codes) & codes or c.prefecture in (prefecture, short)
                 or short_name(c.prefecture, "county") == short]
    return cands


@dataclass(frozen=True)
class _Found:
    """One candidate placed for the year: the unit today (or why none), how it was reached."""

    entry: _Entry
    adcode: str | None
    status: str          # name / short / historical / merger_member / merged / split / no_current_unit / not_in_use
    level: str
    note: str = ""
    candidates: tuple[str, ...] = ()
    old_adcode: str = ""


def _found(idx: _Index, e: _Entry, year: int | None, stale: bool = False, printed: int | None = None) -> _Found:
    """What entry ``e`` means as printed for ``year`` (None: today, or its last year for an old name);
    ``printed``: the year the name was printed for, when ``stale`` (a name no longer in use that year)."""
    if e.rid is None:
        return _Found(e, e.adcode, e.via, e.level)
    rec = idx.cw.records[e.rid]
    at = year if year is not None and rec.in_use(year) else (rec.end - 1 if rec.end is not None else idx.cw.newest)
    p = idx.place(e, at)
    names = idx.cw.reg["name"]
    old = rec.code
    if p.status == "merger_member":
        what = _describe_members(idx, p, at)
        if stale:
            return _Found(e, None, "merged", e.level, candidates=(
                f"old name of a merged unit printed for {printed}, after the merger: {what}",), old_adcode=old)
        return _Found(e, None, "merger_member", e.level,
                      candidates=(f"one member of a merger, not the merged unit: {what}",), old_adcode=old)
    if p.status == "split":
        succ = "、".join(f"{names[c]}({c})" for c in p.candidates if c in names)
        return _Found(e, None, "split", e.level, note=p.note,
                      candidates=(f"{rec.name}({old}) was divided: its territory of {at} is now in {succ}",),
                      old_adcode=old)
    if p.status != "placed":
        return _Found(e, None, p.status, e.level, note=p.note, candidates=(p.note,), old_adcode=old)
    level = idx.cw.reg["level"].get(p.adcode, e.level)
    same_name = idx.cw.reg["name"].get(p.adcode) == rec.name
    current = same_name and (rec.end is None or year is None) and (p.how != "recoded" or year is None)
    status = e.via if current else "historical"
    return _Found(e, p.adcode, status, level, note=p.note, old_adcode="" if status != "historical" else old)


def _describe_members(idx: _Index, p: crosswalk.Placement, year: int) -> str:
    cw = idx.cw
    names = [f"{cw.records[cw.record_at(c, year)].name}({c})" for c in sorted(p.members, reverse=True)]
    target = cw.reg["name"].get(p.adcode, p.adcode)
    ev = cw.events
    merged = ev[(ev.kind == "merger") & ev.new_codes.map(lambda t: p.adcode in t)
                & (ev.year > year)]
    when = f" in {int(merged.year.min())}" if len(merged) else ""
    return f"{' + '.join(names)} -> {target}({p.adcode}){when}"


def _resolve_one(idx: _Index, name: str, province: str, prefecture: str, year: int | None, level: str | None,
                 default_history: bool = True):
    """(adcode, status, candidates, old_adcode, note) for one normalised name; ``default_history``: ``idx`` is
    of the default code history (the check of :func:`is_zone` reads that one, whichever history ``idx`` is of)."""
    if not name:
        return None, "missing", (), "", ""
    if re.fullmatch(r"\d{6}", name):
        return _resolve_code(idx, name, year, level)
    tiers = ((idx.by_name, name, True), (idx.by_short, name, False), (idx.by_short, short_name(name), False))
    not_yet: list[_Found] = []
    for i, (table, key, exact) in enumerate(tiers):
        if i == 1:
            zone = _known_zone(name, province, idx)
            if zone is not None:
                return None, "zone", (f"functional zone: {zone['note']}",), "", ""
            if _named_zone(name, idx=idx if default_history else None):
                return None, "zone", (), "", ""
        cands = _filter(table.get(key, []), province, prefecture)
        if not exact:  # a short form must still fit the printed suffix: 开封县 is no prefecture
            fits = _levels_for_suffix(name)
            cands = [c for c in cands if c.level in fits]
        found = _pool(idx, cands, year, exact)
        if not found and exact and year is not None:
            later = [c for c in cands if c.rid is not None and idx.cw.records[c.rid].start > year]
            if later:  # a name from a later year: its unit then, if it was one unit of the same territory
                found = [f for f in (_earlier(idx, c, year) for c in later) if f is not None]
                not_yet += later
                if not found:
                    break
        if not found:
            continue
        at_level = [f for f in found if level is None or f.level == level or f.adcode is None and f.entry.level == level]
        if not at_level:
            f = found[0]
            unit = by_adcode().loc[f.adcode] if f.adcode in idx.cw.reg["name"] else None
            what = (f"{unit['name']}({f.adcode}) is a {f.level} unit ({unit.kind}), not {level}" if unit is not None
                    else f"{f.entry.name} is a {f.level} unit, not {level}")
            return None, "wrong_level", (what,), "", ""
        placed = [f for f in at_level if f.adcode]
        if placed:
            idents = sorted({f.adcode for f in placed})
            if len(idents) > 1:
                reg = by_adcode()
                return None, "ambiguous", tuple(
                    f"{reg.loc[a, 'province_name']}{reg.loc[a, 'prefecture_name']}{reg.loc[a, 'name']}({a})"
                    for a in idents), "", ""
            f = sorted(placed, key=lambda x: (x.status != "name", x.status != "short", x.note != ""))[0]
            return f.adcode, f.status, (), f.old_adcode, f.note
        f = at_level[0]
        return None, f.status, f.candidates, f.old_adcode, f.note
    if not_yet:
        rec = idx.cw.records[not_yet[0].rid]
        origin = idx.cw._origin(rec.rid)
        return None, "not_in_use", (f"{rec.name}({rec.code}) is a name from {rec.start} on ({origin}); "
                                    f"not in use in {year}",), "", ""
    if name.endswith(UNKNOWN_ZONE_SUFFIX):
        return None, "zone", ("a 新区 that is not an administrative unit in the registry",), "", ""
    pool = idx.by_province.get(province) if province else None
    current = [n for n in idx.current if n in pool] if pool else idx.current
    known = sorted(pool) if pool else idx.known
    close = difflib.get_close_matches(name, current, n=5, cutoff=0.5)
    if len(close) < 5:  # then old names, after today's
        close += [n for n in difflib.get_close_matches(name, known, n=5, cutoff=0.5) if n not in close]
    return None, "unknown", tuple(close[:5]), "", ""


def _earlier(idx: _Index, e: _Entry, year: int) -> _Found | None:
    """A name of a later year printed for ``year`` (长垣市 for 2018): its unit, when that unit's territory of
    ``year`` was one earlier unit's, whole (长垣县); None when it was several (孟津区 before 2021) or part of one."""
    rec = idx.cw.records[e.rid]
    unit = idx.place(e, rec.start).adcode
    comp = idx.cw.composition(year).get(unit) if unit else None
    if comp is None or not comp.exact or len(comp.contributors) != 1:
        return None
    old = comp.contributors[0]
    return _Found(e, unit, "historical", e.level, old_adcode=old)


def _pool(idx: _Index, cands: list[_Entry], year: int | None, exact: bool) -> list[_Found]:
    """The candidates that can be what a name printed for ``year`` means, placed on today's units."""
    if year is None:
        today = [c for c in cands if c.rid is None or idx.cw.records[c.rid].end is None]
        if today:
            return [_found(idx, c, None) for c in today]
        latest: dict[str | None, _Found] = {}  # an old name: its most recent record for each unit
        for c in sorted(cands, key=lambda c: c.end or 0, reverse=True):
            f = _found(idx, c, None)
            latest.setdefault(f.adcode or f.old_adcode, f)
        return list(latest.values())
    now = [c for c in cands if c.in_use(year)]
    if now:
        return [_found(idx, c, year) for c in now]
    if not exact:
        return []
    # A full name printed after its change: a stale label of its unit (偃师市 2022 -> 偃师区), or of a merged unit.
    before = [c for c in cands if c.rid is not None and c.end is not None and c.end <= year]
    before.sort(key=lambda c: c.end or 0, reverse=True)
    return [_found(idx, c, None, stale=True, printed=year) for c in before[:1]] if before else []


def _resolve_code(idx: _Index, code: str, year: int | None, level: str | None):
    """A 6-digit code printed for ``year`` (today when None)."""
    cw = idx.cw
    y = year if year is not None else cw.newest or 0
    if cw.newest is None:
        reg = by_adcode()
        return (code, "name", (), "", "") if code in reg.index else (None, "unknown", (), "", "")
    lvl = level or "county"
    p = cw.place(code, y, lvl if not code.endswith("00") or level else ("province" if code.endswith("0000")
                                                                          else "prefecture"), stale=year is None)
    if p.status == "placed":
        return p.adcode, ("name" if p.how == "same" and p.exact else "historical"), (), (
            "" if p.how == "same" else code), p.note
    if p.status == "merger_member":
        members = " + ".join(p.members)
        return None, "merger_member", (f"one member of a merger, not the merged unit: {members} -> {p.adcode}",), code, ""
    reason = p.note or p.status
    return None, p.status, (*p.candidates, reason) if p.status != "unknown" else p.candidates, code, p.note


def resolve(
    names: Sequence[str] | pd.Series,
    province: str | Sequence[str] | None = None,
    prefecture: str | Sequence[str] | None = None,
    year: int | Sequence[int] | None = None,
    level: str | None = "county",
    errors: str = "raise",
    history_path: Path | None = None,
) -> pd.DataFrame:
    """Resolve place names (or 6-digit codes) to today's adcodes, vectorised over unique (name, province,
    prefecture, year).

    Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional
    characters (固始縣) and old names (偃师市 -> 410307). Functional zones come back with
    ``status == "zone"`` and no code. ``year`` (one, or one per name) is the year the names were
    printed for: see the module docstring for what it changes; a year before 1981 or after the newest
    code table raises :class:`YearOutOfRangeError`. ``history_path`` is the code history to use (default
    ``data/raw/areacodes``). ``errors="raise"`` raises on names without one current unit;
    ``errors="report"`` returns them with their status and candidates instead.

    Returns a frame aligned with ``names``: input, adcode, status (name, short, historical, zone,
    merger_member, merged, split, not_in_use, no_current_unit, wrong_level, ambiguous, unknown, missing),
    candidates, old_adcode (the code an old name had), note (for a unit whose territory changed since: the
    changes, as a series break).

    >>> resolve(["偃师市", "开封市", "浦东新区"], level=None).adcode.tolist()
    ['410307', '410200', '310115']
    >>> resolve(["吉利区"], province="河南", year=2019, errors="report")[["adcode", "status", "old_adcode"]].values.tolist()
    [[None, 'merger_member', '410306']]
    >>> resolve(["江干区"], province="浙江", year=2020, errors="report").status.tolist()
    ['split']
    >>> resolve(["鼓楼区"], errors="report").status.tolist()
    ['ambiguous']
    """
    if isinstance(names, str):  # one name: a frame of one row, as for a list of one
        names = [names]
    if isinstance(province, str) and province.strip():  # one area for every name: a misspelt one is said so
        area_name(province)
    if isinstance(prefecture, str) and prefecture.strip():
        check_prefecture(prefecture)
    names = pd.Series(np.asarray(names, dtype=object))
    n = len(names)
    prov = _as_column(province, n)
    pref = _as_column(prefecture, n)
    years = pd.Series(year_column(year, n))
    _check_years(years, history_path)
    # Factorise each column, combine the integer codes, resolve each distinct combination once.
    (nc, nu), (pc, pu), (fc, fu) = (_normalized_codes(s) for s in (names, prov, pref))
    yc, yu = pd.factorize(years, use_na_sentinel=False)
    yu = list(yu) or [-1]
    combined = ((nc.astype(np.int64) * len(pu) + pc) * len(fu) + fc) * len(yu) + yc
    uniq, codes = np.unique(combined, return_inverse=True)
    idx = _index(history_path)
    looked = []
    for key in uniq:
        rest, y_i = divmod(int(key), len(yu))
        rest, f = divmod(rest, len(fu))
        n_i, p_i = divmod(rest, len(pu))
        y = int(yu[y_i])
        looked.append(_resolve_one(idx, nu[n_i], pu[p_i], fu[f], None if y < 0 else y, level, history_path is None))
    cols = [np.array([r[i] for r in looked], dtype=object) for i in range(5)]
    cols[2] = np.array(["; ".join(r[2]) for r in looked], dtype=object)
    out = pd.DataFrame({
        "input": names.values,
        **{k: (c[codes] if n else []) for k, c in zip(["adcode", "status", "candidates", "old_adcode", "note"], cols,
                                                     strict=True)},
    })
    if errors == "raise":
        _raise_for(out)
    return out


def _check_years(years: pd.Series, history_path: Path | None) -> None:
    cw = crosswalk.get(history_path)
    if cw.newest is None:
        return
    given = years[years >= 0]
    bad = given[(given < crosswalk.FIRST_YEAR) | (given > cw.newest)]
    if len(bad):
        more = f" ({len(bad)} rows)" if len(bad) > 1 else ""
        cw.check_year(int(bad.iloc[0]), f"year{more}")


def _as_column(value: str | Sequence[str] | pd.Series | None, n: int) -> pd.Series:
    if value is None or isinstance(value, str):
        return pd.Series(np.full(n, value or "", dtype=object))
    return pd.Series(np.asarray(value, dtype=object))


def _normalized_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the normalised distinct values they point to."""
    codes, uniq = pd.factorize(values.fillna(""), use_na_sentinel=False)
    return codes, [clean_name(v) for v in uniq] or [""]


def _raise_for(out: pd.DataFrame) -> None:
    bad = out[out.status.isin(UNRESOLVED)]
    if bad.empty:
        return
    first = bad.iloc[0]
    more = f" ({len(bad) - 1} more unresolved names)" if len(bad) > 1 else ""
    if first.status == "ambiguous":
        raise AmbiguousNameError(
            f"Name {first.input!r} matches several units: {first.candidates}. "
            f"Pass province= or prefecture= to choose.{more}"
        )
    if first.status in ("merger_member", "merged", "split", "not_in_use", "no_current_unit"):
        raise RegionError(f"Name {first.input!r} does not stand for one current unit ({first.status}): "
                          f"{first.candidates}.{more}")
    if first.status == "wrong_level":
        raise RegionError(f"Name {first.input!r} is not at the level asked for: {first.candidates}.{more}")
    if first.status == "missing":
        raise UnknownNameError(f"Row {bad.index[0]} has an empty name.{more}")
    hint = f" Closest known names: {first.candidates}." if first.candidates else ""
    raise UnknownNameError(f"Unknown place name {first.input!r}.{hint}{more}")

