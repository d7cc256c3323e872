"""Name resolution: place names as printed -> current adcodes, vectorised, with reasons for failures.

Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional characters
(固始縣), footnote marks (栾川县①) and old names (偃师市 -> 410307). Functional zones come back
with ``status == "zone"`` and no code.

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

from countylib.data import history
from countylib.data.caches import bounded, file_key
from countylib.data.registry import prefecture_codes, registry, short_name
from countylib.vocab import clean_name

ZONE_PATTERN = re.compile(
    r"(开发区|高新区|高新技术产业|示范区|航空港|综合实验区|综合试验区|新区|产业集聚区|管理区|管委会|试验区|保税区)"
)


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
    valid_before: int | None = None


def _index(history_path: Path | None = None) -> tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[str]]:
    """Names -> entries, built once per version of the code-history table in use."""
    return _index_for(file_key(history.history_file(history_path)))


@bounded(maxsize=4)
def _index_for(key: tuple[str, float, int]) -> tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[str]]:
    reg = registry()
    by_name: dict[str, list[_Entry]] = defaultdict(list)
    by_short: dict[str, list[_Entry]] = defaultdict(list)
    for r in reg.itertuples(index=False):
        e = _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.prefecture_adcode,
                   r.level, "name")
        by_name[r.name].append(e)
        if r.short_name != r.name:
            by_short[r.short_name].append(
                _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.prefecture_adcode,
                       r.level, "short")
            )
    try:
        changes = history.changes(Path(key[0]))
    except FileNotFoundError:
        changes = pd.DataFrame(columns=["old_name", "new_adcode", "year", "province"])
    current = reg.set_index("adcode")
    for h in changes.itertuples(index=False):
        # A split does not make the old name a name of its successors.
        if h.new_adcode not in current.index or getattr(h, "change", "") == "split":
            continue
        cur = current.loc[[h.new_adcode]].iloc[-1]
        e = _Entry(h.new_adcode, cur["name"], cur.province_name, cur.province_short, cur.prefecture_name,
                   cur.prefecture_adcode, cur.level, "old_name", int(h.year))
        by_name[h.old_name].append(e)
        old_short = short_name(h.old_name)
        if old_short != h.old_name:
            by_short[old_short].append(e)
    names = sorted(set(by_name))
    return dict(by_name), dict(by_short), names


def is_zone(name: str, code: str | None = None) -> bool:
    """True for functional zones (开发区, 高新区, 示范区, 航空港区...), which are not administrative units.

    >>> is_zone("郑州经济技术开发区"), is_zone("巩义市"), is_zone("", "410171")
    (True, False, True)
    """
    if code and len(code) == 6 and code.isdigit() and code[4] == "7":
        return True
    return bool(name) and bool(ZONE_PATTERN.search(name))


def _filter(cands: list[_Entry], province: str, prefecture: str, level: str | None) -> list[_Entry]:
    if province:
        cands = [c for c in cands if province in (c.province, c.province_short)]
    if prefecture:
        codes = prefecture_codes(prefecture)
        cands = [c for c in cands if c.prefecture_adcode in codes]
    if level:
        cands = [c for c in cands if c.level == level]
    # The same unit reached twice (济源 as prefecture and county; a name and an old name) counts once.
    uniq: dict[tuple[str, str], _Entry] = {}
    for c in cands:
        uniq.setdefault((c.adcode, c.level), c)
    cands = list(uniq.values())
    if level is None and len({c.adcode for c in cands}) == 1:
        cands = cands[-1:]
    return cands


def _resolve_one(name: str, province: str, prefecture: str, year: int | None, level: str | None):
    by_name, by_short, _ = _index()
    if not name:
        return None, "missing", ()
    if is_zone(name):
        return None, "zone", ()
    for table, key in ((by_name, name), (by_short, name), (by_short, short_name(name))):
        cands = _filter(table.get(key, []), province, prefecture, level)
        current = [c for c in cands if c.via != "old_name"]
        old = [c for c in cands if c.via == "old_name" and (year is None or year < (c.valid_before or 0))]
        # Before a change, the old name means the old unit; from the change year on, the current one wins.
        pick = old if (old and year is not None) else (current or old)
        codes = sorted({c.adcode for c in pick})
        if len(codes) == 1:
            return codes[0], ("historical" if pick[0].via == "old_name" else pick[0].via), ()
        if len(codes) > 1:
            return None, "ambiguous", tuple(f"{c.province}{c.prefecture}{c.name}({c.adcode})" for c in pick)
    if level is not None:
        other, status, _ = _resolve_one(name, province, prefecture, year, None)
        if other is not None:
            unit = registry().loc[lambda r: r.adcode == other].iloc[0]
            return None, "wrong_level", (f"{unit['name']}({other}) is a {unit.level} unit ({unit.kind}), not {level}",)
    return None, "unknown", tuple(difflib.get_close_matches(name, _index()[2], n=5, cutoff=0.5))


def resolve(
    names: Sequence[str] | pd.Series,
    province: str | Sequence[str] | None = None,
    prefecture: str | Sequence[str] | None = None,
    year: int | None = None,
    level: str | None = "county",
    errors: str = "raise",
) -> pd.DataFrame:
    """Resolve place names to current adcodes, vectorised over unique (name, province, prefecture).

    Accepts full-width spaces, missing or different suffixes (巩义/巩义市), traditional
    characters (固始縣) and old names (偃师市 -> 410307). Functional zones come back with
    ``status == "zone"`` and no code. ``errors="raise"`` raises on ambiguous or unknown names;
    ``errors="report"`` returns them with their status and candidates instead.

    Returns a frame aligned with ``names``: input, adcode, status, candidates.

    >>> resolve(["偃师市", "吉利区"], province="河南").adcode.tolist()
    ['410307', '410308']
    >>> resolve(["鼓楼区"], errors="report").status.tolist()
    ['ambiguous']
    """
    names = pd.Series(np.asarray(names, dtype=object))
    n = len(names)
    prov = _as_column(province, n)
    pref = _as_column(prefecture, n)
    # Factorise each column, combine the integer codes, resolve each distinct combination once.
    (nc, nu), (pc, pu), (fc, fu) = (_normalized_codes(s) for s in (names, prov, pref))
    combined = (nc.astype(np.int64) * len(pu) + pc) * len(fu) + fc
    uniq, codes = np.unique(combined, return_inverse=True)
    looked = []
    for key in uniq:
        rest, f = divmod(int(key), len(fu))
        n_i, p_i = divmod(rest, len(pu))
        looked.append(_resolve_one(nu[n_i], pu[p_i], fu[f], year, level))
    adcode = np.array([r[0] for r in looked], dtype=object)
    status = np.array([r[1] for r in looked], dtype=object)
    cands = np.array(["; ".join(r[2]) for r in looked], dtype=object)
    out = pd.DataFrame({
        "input": names.values,
        "adcode": adcode[codes] if n else [],
        "status": status[codes] if n else [],
        "candidates": cands[codes] if n else [],
    })
    if errors == "raise":
        _raise_for(out)
    return out


def _as_column(value: str | Sequence[str] | pd.Series | None, n: int) -> pd.Series:
    if value is None or isinstance(value, str):
        return pd.Series(np.full(n, value or "", dtype=object))
    return pd.Series(np.asarray(value, dtype=object))


def _normalized_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the normalised distinct values they point to."""
    codes, uniq = pd.factorize(values.fillna(""), use_na_sentinel=False)
    return codes, [clean_name(v) for v in uniq] or [""]


def _raise_for(out: pd.DataFrame) -> None:
    bad = out[out.status.isin(["ambiguous", "unknown", "missing", "wrong_level"])]
    if bad.empty:
        return
    first = bad.iloc[0]
    more = f" ({len(bad) - 1} more unresolved names)" if len(bad) > 1 else ""
    if first.status == "ambiguous":
        raise AmbiguousNameError(
            f"Name {first.input!r} matches several units: {first.candidates}. "
            f"Pass province= or prefecture= to choose.{more}"
        )
    if first.status == "wrong_level":
        raise RegionError(f"Name {first.input!r} is not at the level asked for: {first.candidates}.{more}")
    if first.status == "missing":
        raise UnknownNameError(f"Row {bad.index[0]} has an empty name.{more}")
    hint = f" Closest known names: {first.candidates}." if first.candidates else ""
    raise UnknownNameError(f"Unknown place name {first.input!r}.{hint}{more}")


