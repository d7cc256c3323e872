"""Name resolution: place names as printed -> current adcodes, vectorised, with reasons for failures.

Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional characters
(固始縣), footnote marks (栾川县①) and old names (偃师市 -> 410307). Functional zones come back
with ``status == "zone"`` and no code.

Names are resolved for a year when one is given: a full name as printed beats a short form at any level
(开封市 is the prefecture 410200, never 祥符区, the successor of 开封县); short forms of old names count only
before their change; a unit created by a merger does not exist before it; and one member of a merger
(吉利区 before 2021) never stands for the merged unit (``status == "merger_member"``, no adcode, its own old
code in ``old_adcode``).

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

from countylib.caches import bounded, file_key
from countylib.data import history
from countylib.data.registry import prefecture_codes, registry, short_name
from countylib.vocab import clean_name

# Functional zones (开发区, 高新区, 示范区, 航空港区 ...). 新区 is not among them: 浦东新区, 滨海新区, 沈北新区 and
# 清新区 are administrative units; a 新区 the registry does not know is reported as a zone only after
# every registry lookup failed.
ZONE_PATTERN = re.compile(
    r"(开发区|高新区|高新技术产业|示范区|航空港|综合实验区|综合试验区|产业集聚区|管理区|管委会|试验区|保税区|"
    r"合作区|产业园区|工业园区|风景名胜区|旅游区)"
)
UNKNOWN_ZONE_SUFFIX = ("新区",)


class RegionError(ValueError):
    """A name could not be resolved to exactly one unit."""


class AmbiguousNameError(RegionError):
    """A name matches several units; the message lists every candidate."""


class UnknownNameError(RegionError):
    """A name matches no unit; the message lists the closest known names."""


@dataclass(frozen=True)
class _Entry:
    adcode: str
    name: str
    province: str
    province_short: str
    prefecture: str
    prefecture_adcode: str
    level: str
    via: str  # "name", "short", "old_name"
    valid_before: int | None = None  # old names: the year of the change
    created: int | None = None  # current units made by a merger: the year they came into being
    change: str = ""  # old names: county_to_district, upgrade, merger ...
    old_adcode: str = ""  # old names: the code the name had


def _index(history_path: Path | None = None) -> tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[str]]:
    """Names -> entries, built once per version of the code-history table in use."""
    return _index_for(file_key(history.history_file(history_path)))


@bounded(maxsize=4)
def _index_for(key: tuple[str, float, int]) -> tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[str]]:
    reg = registry()
    try:
        changes = history.changes(Path(key[0]))
    except FileNotFoundError:
        changes = pd.DataFrame(columns=["old_adcode", "old_name", "new_adcode", "year", "change"])
    created = {r.new_adcode: int(r.year) for r in changes.itertuples(index=False) if r.change == "merger"}
    by_name: dict[str, list[_Entry]] = defaultdict(list)
    by_short: dict[str, list[_Entry]] = defaultdict(list)
    for r in reg.itertuples(index=False):
        born = created.get(r.adcode) if r.level == "county" else None
        e = _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.prefecture_adcode,
                   r.level, "name", created=born)
        by_name[r.name].append(e)
        if r.short_name != r.name:
            by_short[r.short_name].append(
                _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.prefecture_adcode,
                       r.level, "short", created=born)
            )
    current = reg.drop_duplicates("adcode", keep="last").set_index("adcode")
    for h in changes.itertuples(index=False):
        # A split does not make the old name a name of its successors.
        if h.new_adcode not in current.index or getattr(h, "change", "") == "split":
            continue
        cur = current.loc[h.new_adcode]
        e = _Entry(h.new_adcode, cur["name"], cur.province_name, cur.province_short, cur.prefecture_name,
                   cur.prefecture_adcode, "county", "old_name", int(h.year), change=str(h.change),
                   old_adcode=str(h.old_adcode))
        by_name[h.old_name].append(e)
        old_short = short_name(h.old_name)
        if old_short != h.old_name:
            by_short[old_short].append(e)
    names = sorted(set(by_name))
    return dict(by_name), dict(by_short), names


def full_names(history_path: Path | None = None) -> frozenset[str]:
    """Every full name a unit has or had (巩义市, 偃师区 and 偃师市 ...): for finding place names in a text
    before resolving them.

    >>> {"偃师市", "偃师区", "洛阳市"} <= full_names()
    True
    """
    return frozenset(_index(history_path)[2])


def is_zone(name: str, code: str | None = None) -> bool:
    """True for functional zones (开发区, 高新区, 示范区, 航空港区...), which are not administrative units.

    >>> is_zone("郑州经济技术开发区"), is_zone("巩义市"), is_zone("", "410171"), is_zone("浦东新区")
    (True, False, True, False)
    """
    if code and len(code) == 6 and code.isdigit() and code[4] == "7":
        return True
    return bool(name) and bool(ZONE_PATTERN.search(name))


def _valid(c: _Entry, year: int | None, exact: bool) -> bool:
    """Whether an entry can be what a name printed in ``year`` means."""
    if c.via != "old_name":
        return year is None or c.created is None or year >= c.created
    if year is None or year < (c.valid_before or 0):
        return True
    # After the change only the full old name, printed as a stale label, still points at the unit.
    return exact


def _filter(cands: list[_Entry], province: str, prefecture: str, level: str | None) -> list[_Entry]:
    if province:
        cands = [c for c in cands if province in (c.province, c.province_short)]
    if prefecture:
        codes = prefecture_codes(prefecture)
        cands = [c for c in cands if c.prefecture_adcode in codes]
    if level:
        cands = [c for c in cands if c.level == level]
    # The same unit reached twice (济源 as prefecture and county; a name and an old name) counts once.
    uniq: dict[tuple[str, str, str], _Entry] = {}
    for c in cands:
        uniq.setdefault((c.adcode, c.level, c.old_adcode), c)
    cands = list(uniq.values())
    if level is None and len({c.adcode for c in cands}) == 1 and not any(c.old_adcode for c in cands):
        cands = cands[-1:]
    return cands


def _resolve_one(name: str, province: str, prefecture: str, year: int | None, level: str | None,
                 history_path: Path | None = None):
    """(adcode, status, candidates, old_adcode) for one normalised name."""
    by_name, by_short, known = _index(history_path)
    if not name:
        return None, "missing", (), ""
    tiers = ((by_name, name, True), (by_short, name, False), (by_short, short_name(name), False))
    for i, (table, key, exact) in enumerate(tiers):
        if i == 1 and is_zone(name):
            return None, "zone", (), ""
        cands = _filter(table.get(key, []), province, prefecture, None)
        if not exact:  # a short form must still fit the printed suffix: 开封县 is no prefecture
            fits = _levels_for_suffix(name)
            cands = [c for c in cands if c.level in fits]
        if year is None:
            current = [c for c in cands if c.via != "old_name"]
            pool = current or [c for c in cands if c.via == "old_name"]
        else:
            pool = [c for c in cands if _valid(c, year, exact)]
        if not pool:
            continue
        at_level = [c for c in pool if level is None or c.level == level]
        if not at_level:
            c = pool[0]
            unit = registry().loc[lambda r, a=c.adcode: r.adcode == a].iloc[-1]
            what = f"{unit['name']}({c.adcode}) is a {c.level} unit ({unit.kind}), not {level}"
            return None, "wrong_level", (what,), ""
        members = [c for c in at_level if c.change == "merger"]
        others = [c for c in at_level if c.change != "merger"]
        if members and not others:
            return _merger_status(members, year, history_path)
        idents = sorted({c.adcode for c in others})
        if len(idents) > 1:
            return None, "ambiguous", tuple(f"{c.province}{c.prefecture}{c.name}({c.adcode})" for c in others), ""
        c = others[0]
        return c.adcode, ("historical" if c.via == "old_name" else c.via), (), c.old_adcode
    if name.endswith(UNKNOWN_ZONE_SUFFIX):
        return None, "zone", ("a 新区 that is not an administrative unit in the registry",), ""
    return None, "unknown", tuple(difflib.get_close_matches(name, known, n=5, cutoff=0.5)), ""


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


def _merger_status(members: list[_Entry], year: int | None, history_path: Path | None):
    """A name of one member of a merger: never the merged unit."""
    c = members[0]
    what = history.describe_merger(c.adcode, history_path)
    if year is not None and year >= (c.valid_before or 0):
        return None, "merged", (f"old name of a merged unit printed for {year}, after the merger: {what}",), \
            c.old_adcode
    return None, "merger_member", (f"one member of a merger, not the merged unit: {what}",), c.old_adcode


def resolve(
    names: Sequence[str] | pd.Series,
    province: str | Sequence[str] | None = None,
    prefecture: str | Sequence[str] | None = None,
    year: int | Sequence[int] | None = None,
    level: str | None = "county",
    errors: str = "raise",
    history_path: Path | None = None,
) -> pd.DataFrame:
    """Resolve place names to current adcodes, vectorised over unique (name, province, prefecture, year).

    Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional
    characters (固始縣) and old names (偃师市 -> 410307). Functional zones come back with
    ``status == "zone"`` and no code. ``year`` (one, or one per name) is the year the names were
    printed for: see the module docstring for what it changes. ``history_path`` is the code-history table
    to use (default ``data/raw/admin_changes.csv``). ``errors="raise"`` raises on ambiguous or unknown
    names; ``errors="report"`` returns them with their status and candidates instead.

    Returns a frame aligned with ``names``: input, adcode, status (name, short, historical, zone,
    merger_member, merged, wrong_level, ambiguous, unknown, missing), candidates, old_adcode (the code an
    old name had).

    >>> resolve(["偃师市", "开封市", "浦东新区"], level=None).adcode.tolist()
    ['410307', '410200', '310115']
    >>> resolve(["吉利区"], province="河南", year=2019, errors="report")[["adcode", "status", "old_adcode"]].values.tolist()
    [[None, 'merger_member', '410306']]
    >>> resolve(["鼓楼区"], errors="report").status.tolist()
    ['ambiguous']
    """
    names = pd.Series(np.asarray(names, dtype=object))
    n = len(names)
    prov = _as_column(province, n)
    pref = _as_column(prefecture, n)
    years = pd.Series(_year_column(year, n))
    # Factorise each column, combine the integer codes, resolve each distinct combination once.
    (nc, nu), (pc, pu), (fc, fu) = (_normalized_codes(s) for s in (names, prov, pref))
    yc, yu = pd.factorize(years, use_na_sentinel=False)
    yu = list(yu) or [-1]
    combined = ((nc.astype(np.int64) * len(pu) + pc) * len(fu) + fc) * len(yu) + yc
    uniq, codes = np.unique(combined, return_inverse=True)
    looked = []
    for key in uniq:
        rest, y_i = divmod(int(key), len(yu))
        rest, f = divmod(rest, len(fu))
        n_i, p_i = divmod(rest, len(pu))
        y = int(yu[y_i])
        looked.append(_resolve_one(nu[n_i], pu[p_i], fu[f], None if y < 0 else y, level, history_path))
    adcode = np.array([r[0] for r in looked], dtype=object)
    status = np.array([r[1] for r in looked], dtype=object)
    cands = np.array(["; ".join(r[2]) for r in looked], dtype=object)
    old = np.array([r[3] for r in looked], dtype=object)
    out = pd.DataFrame({
        "input": names.values,
        "adcode": adcode[codes] if n else [],
        "status": status[codes] if n else [],
        "candidates": cands[codes] if n else [],
        "old_adcode": old[codes] if n else [],
    })
    if errors == "raise":
        _raise_for(out)
    return out


def _year_column(year: int | Sequence[int] | None, n: int) -> np.ndarray:
    if year is None:
        return np.full(n, -1, dtype=np.int64)
    if isinstance(year, int | np.integer):
        return np.full(n, int(year), dtype=np.int64)
    return pd.to_numeric(pd.Series(np.asarray(year, dtype=object)), errors="coerce").fillna(-1).astype(
        np.int64).to_numpy()


def _as_column(value: str | Sequence[str] | pd.Series | None, n: int) -> pd.Series:
    if value is None or isinstance(value, str):
        return pd.Series(np.full(n, value or "", dtype=object))
    return pd.Series(np.asarray(value, dtype=object))


def _normalized_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the normalised distinct values they point to."""
    codes, uniq = pd.factorize(values.fillna(""), use_na_sentinel=False)
    return codes, [clean_name(v) for v in uniq] or [""]


def _raise_for(out: pd.DataFrame) -> None:
    bad = out[out.status.isin(["ambiguous", "unknown", "missing", "wrong_level", "merger_member", "merged"])]
    if bad.empty:
        return
    first = bad.iloc[0]
    more = f" ({len(bad) - 1} more unresolved names)" if len(bad) > 1 else ""
    if first.status == "ambiguous":
        raise AmbiguousNameError(
            f"Name {first.input!r} matches several units: {first.candidates}. "
            f"Pass province= or prefecture= to choose.{more}"
        )
    if first.status in ("merger_member", "merged"):
        raise RegionError(f"Name {first.input!r} does not stand for one current unit: {first.candidates}.{more}")
    if first.status == "wrong_level":
        raise RegionError(f"Name {first.input!r} is not at the level asked for: {first.candidates}.{more}")
    if first.status == "missing":
        raise UnknownNameError(f"Row {bad.index[0]} has an empty name.{more}")
    hint = f" Closest known names: {first.candidates}." if first.candidates else ""
    raise UnknownNameError(f"Unknown place name {first.input!r}.{hint}{more}")


