"""The indicator registry (``indicators.yaml``): keys, Chinese and English names, canonical units, aliases.

>>> from countylib import indicators
>>> indicators.get("gdp").unit
'亿元'
>>> indicators.key_for("一般公共财政预算收入")
'fiscal_revenue'
>>> indicators.search("收入").key.tolist()[:3]
['fiscal_revenue', 'tax_revenue', 'disposable_income']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import yaml

from countylib import caches
from countylib.vocab import PER_PERSON_WORDS

REGISTRY_FILE = Path(__file__).with_name("indicators.yaml")


@dataclass(frozen=True)
class CensusSpec:
    """How an indicator is computed from the columns of one census county table (2020 or 2010).

    Either ``column`` (a published figure taken as it is, in ``unit``) or ``numerator`` / ``denominator``
    (columns added up, then ``numerator / denominator * scale``). ``published`` names the sheet's own
    rounded figure of the same quantity, used only as a check. ``long_form``: the columns come from the
    long form, a 10% sample, so only shares are meaningful.
    """

    column: str | None = None
    unit: str = ""
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    scale: float = 1.0
    published: str | None = None
    long_form: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Every sheet column the indicator is computed from."""
        return ((self.column,) if self.column else ()) + self.numerator + self.denominator

    @property
    def is_ratio(self) -> bool:
        return not self.column


#: What an indicator's figures measure; a published unit must be of the same dimension (see
#: ``countylib.ingest.units``). Per-person figures are never totals.
DIMENSIONS = ("money", "money_per_person", "people", "area", "area_per_person", "count", "ratio", "other")
#: Levels a ``range`` or ``typical`` entry may name; ``*`` stands for every level.
LEVELS = ("county", "prefecture", "province")


@dataclass(frozen=True)
class Components:
    """The registry indicators a share or rate is computed from (``numerator / denominator * scale``): a
    share of merged units is recomputed from their summed parts, never averaged.

    >>> get("urbanization").components.columns
    ('pop_urban', 'pop_resident')
    """

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    scale: float = 1.0

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numerator + self.denominator


@dataclass(frozen=True)
class Change:
    """An indicator that is the change of another between two census years: ``percent`` (growth in %) or
    ``difference`` (end minus base, in the unit of ``of``: percentage points for shares).

    >>> c = get("pop_change_2010_2020").change
    >>> c.of, c.base, c.end, c.how
    ('pop_resident', 2010, 2020, 'percent')
    """

    of: str
    base: int
    end: int
    how: str

    def compute(self, base_value, end_value):
        """The change from ``base_value`` to ``end_value`` (numbers or arrays).

        >>> get("pop_change_2010_2020").change.compute(50.0, 60.0), get("urbanization_change_2010_2020").change.compute(40.0, 55.5)
        (20.0, 15.5)
        """
        if self.how == "percent":
            return end_value * 100.0 / base_value - 100.0
        return end_value - base_value


@dataclass(frozen=True)
class Indicator:
    key: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    dimension: str = "other"
    description: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    higher_is_better: bool | None = None
    censuses: tuple[tuple[int, CensusSpec], ...] = ()
    components: Components | None = None
    change: Change | None = None
    range: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # read-only in the registry
    typical: Mapping[str, float] = field(default_factory=dict)
    per_capita: str | None = None
    #: Pairs with figures of any year (area: its year is the boundaries' vintage), the year stated.
    any_year: bool = False

    @property
    def census(self) -> CensusSpec | None:
        """How the indicator is computed from the 2020 census table (None when it is not)."""
        return self.census_spec(2020)

    def census_spec(self, year: int) -> CensusSpec | None:
        """How the indicator is computed from the census table of ``year`` (2020 or 2010), or None where
        that table has no column of the same definition.

        >>> get("urbanization").census_spec(2010).numerator, get("car_share").census_spec(2010)
        (('城镇人口',), None)
        """
        return dict(self.censuses).get(int(year))

    def allowed(self, level: str = "county") -> tuple[float, float] | None:
        """(min, max) the registry allows at ``level``, or None when it states no range.

        >>> get("gdp").allowed("province"), get("gdp_per_capita").allowed("county"), get("urbanization").allowed()
        ((0.0, 200000.0), (0.0, 2000000.0), None)
        """
        return _at_level(self.range, level)

    def typical_value(self, level: str = "county") -> float | None:
        """The order of magnitude of a figure at ``level`` (the plausibility check's anchor), or None.

        >>> get("gdp").typical_value("county"), get("urbanization").typical_value()
        (300.0, None)
        """
        return _at_level(self.typical, level)

    @property
    def label(self) -> str:
        """Chinese name with unit, for axes and legends: ``地区生产总值（亿元）``."""
        return f"{self.name_zh}（{self.unit}）"

    @property
    def additive(self) -> bool:
        """Whether figures add up over units (a merged unit, a prefecture's counties): levels and counts
        such as GDP or population, never shares, rates or figures per person (人均地区生产总值).

        >>> get("gdp").additive, get("urbanization").additive, get("gdp_per_capita").additive
        (True, False, False)
        """
        return self.kind in ("level", "count") and not any(w in self.name_zh for w in PER_PERSON_WORDS)

    @property
    def source_columns(self) -> tuple[str, ...]:
        """Columns of the 2020 census table the indicator is computed from (empty for other indicators).

        >>> get("urbanization").source_columns
        ('城镇人口', '人口数_合计')
        """
        return self.census.columns if self.census else ()

    @property
    def census_years(self) -> tuple[int, ...]:
        """The census years the indicator has a column specification for.

        >>> get("pop_resident").census_years, get("car_share").census_years
        ((2010, 2020), (2020,))
        """
        return tuple(sorted(y for y, _ in self.censuses))


class UnknownIndicatorError(KeyError):
    """An indicator key or alias that the registry does not know."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0])


def registry() -> Mapping[str, Indicator]:
    """All indicators by key, in registry order: a read-only mapping of frozen records.

    >>> registry()["gdp"] = None
    Traceback (most recent call last):
    TypeError: 'mappingproxy' object does not support item assignment
    """
    return MappingProxyType(_registry())


@caches.memo(None)
def _registry() -> dict[str, Indicator]:
    raw = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    out = {}
    for key, spec in raw.items():
        spec = dict(spec)
        spec["aliases"] = tuple(str(a) for a in spec.get("aliases", ()))
        census = spec.pop("census", None)
        if census:
            by_year = census if all(isinstance(k, int) for k in census) else {2020: census}
            spec["censuses"] = tuple(sorted((int(y), _census_spec(v)) for y, v in by_year.items()))
        if spec.get("components"):
            c = dict(spec["components"])
            spec["components"] = Components(tuple(c["numerator"]), tuple(c["denominator"]), float(c.get("scale", 1)))
        if spec.get("change"):
            c = dict(spec["change"])
            spec["change"] = Change(str(c["of"]), int(c["base"]), int(c["end"]), str(c["how"]))
        spec["range"] = MappingProxyType(
            {str(lv): (float(lo), float(hi)) for lv, (lo, hi) in (spec.get("range") or {}).items()})
        spec["typical"] = MappingProxyType({str(lv): float(v) for lv, v in (spec.get("typical") or {}).items()})
        out[key] = Indicator(key=key, **spec)
    for i in out.values():
        bad = [lv for lv in (*i.range, *i.typical) if lv not in (*LEVELS, "*")]
        if i.dimension not in DIMENSIONS or bad or (i.per_capita and out.get(i.per_capita) is None):
            raise ValueError(f"{REGISTRY_FILE.name}: {i.key}: dimension must be one of {', '.join(DIMENSIONS)}, "
                             f"levels one of {', '.join(LEVELS)} or '*', per_capita a key of the registry")
    return out


def _at_level(by_level: dict, level: str):
    """The entry for ``level``, else the one for every level (``*``), else None."""
    return by_level.get(level, by_level.get("*"))


def _census_spec(raw: dict) -> CensusSpec:
    raw = dict(raw)
    for k in ("numerator", "denominator"):
        raw[k] = tuple(str(c) for c in _flatten(raw.get(k, ())))
    raw["scale"] = float(raw.get("scale", 1.0))
    return CensusSpec(**raw)


def _flatten(items) -> list:
    """Column lists in the YAML may nest (``[*age_15_64, *age_65_plus]`` gives two lists)."""
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list | tuple) else [item])
    return out


def census_indicators(year: int = 2020) -> dict[str, Indicator]:
    """Indicators computed from the census county table of ``year`` (2020 or 2010), by key.

    >>> census_indicators()["college_per_100k"].census.scale
    100000.0
    >>> "car_share" in census_indicators(2010), "urbanization" in census_indicators(2010)
    (False, True)
    """
    return {k: i for k, i in registry().items() if i.census_spec(year) is not None}


def change_indicators() -> dict[str, Indicator]:
    """Indicators that are changes of another between two census years, by key.

    >>> sorted(change_indicators())[:2]
    ['age_0_14_share_change_2010_2020', 'age_65_plus_share_change_2010_2020']
    """
    return {k: i for k, i in registry().items() if i.change is not None}


def get(key: str) -> Indicator:
    """The indicator for a key (or an alias).

    >>> get("rd_intensity").name_zh
    'R&D经费投入强度'
    """
    reg = registry()
    if key in reg:
        return reg[key]
    alias = key_for(key)
    if alias:
        return reg[alias]
    import difflib

    close = difflib.get_close_matches(key, list(reg), n=3)
    names = {n: i.key for i in reg.values() for n in (i.name_zh, *i.aliases)}  # 城镇化 -> urbanization
    close += [names[n] for n in difflib.get_close_matches(key, list(names), n=3, cutoff=0.5) if names[n] not in close]
    hint = f" Did you mean {', '.join(f'{k} ({reg[k].name_zh})' for k in dict.fromkeys(close))}?" if close else ""
    raise UnknownIndicatorError(
        f"Unknown indicator {key!r}.{hint} Known keys: {', '.join(reg)} "
        "(countylib.indicators.search('…') or `countylib indicators` finds them by word)."
    )


@caches.memo(None)
def _alias_table() -> dict[str, str]:
    from countylib.data.regions import normalize_name

    table = {}
    for ind in registry().values():
        for name in (ind.key, ind.name_zh, *ind.aliases):
            table.setdefault(normalize_name(name).upper(), ind.key)
    return table


def key_for(name: str) -> str | None:
    """The indicator key for a table heading or bulletin wording, or None.

    >>> key_for("年末常住人口"), key_for("不存在的指标")
    ('pop_resident', None)
    """
    from countylib.data.regions import normalize_name

    return _alias_table().get(normalize_name(name).upper())


def table() -> pd.DataFrame:
    """The registry as a table, one row per indicator.

    >>> table().columns.tolist()[:4]
    ['key', 'name_zh', 'name_en', 'unit']
    """
    rows = [
        {"key": i.key, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit, "kind": i.kind,
         "higher_is_better": i.higher_is_better, "aliases": "、".join(i.aliases), "description": i.description,
         "source_columns": "、".join(i.source_columns)}
        for i in registry().values()
    ]
    return pd.DataFrame(rows)


def search(text: str) -> pd.DataFrame:
    """Indicators whose key, names, aliases or description contain ``text``.

    >>> search("R&D").key.tolist()
    ['rd_expenditure', 'rd_intensity']
    """
    t = table()
    hay = t[["key", "name_zh", "name_en", "aliases", "description"]].astype(str).agg(" ".join, axis=1)
    return t[hay.str.contains(text, case=False, regex=False)].reset_index(drop=True)
