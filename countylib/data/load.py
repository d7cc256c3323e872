"""``countylib.load``: the processed data as one tidy (Geo)DataFrame; ``countylib.sources()``: where it came from.

Every figure carries its provenance: ``source_title``, ``publisher``, ``license``, ``retrieved``, ``url``
(the page of the figure, else the source's), ``source_id`` (the raw file) and ``source_row``, and the name,
code and column as printed (``name_printed``, ``code_printed``, ``column_printed``).

Every figure is on today's units (the code history places old codes and names, sums merged units) and
says whether it covers the unit's territory of today: ``comparable_since`` is the first year from which the
unit's figures do, ``break_note`` (empty when it does) names the changes after the figure's year — a 2019
figure of 余杭区 is of 余杭区 before 临平区 was split off in 2021. :func:`load_panel` lays years side by side.

>>> import countylib
>>> gdp = countylib.load("gdp", province="河南省", year=2022)          # doctest: +SKIP
>>> gdp.columns[:6].tolist()                                             # doctest: +SKIP
['adcode', 'name', 'level', 'year', 'indicator', 'value']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from countylib.caches import bounded, file_key
from countylib.data import indicators as ind
from countylib.data import regions
from countylib.data.years import years
from countylib.paths import processed_dir


class DataNotBuiltError(FileNotFoundError):
    """The processed data is missing; run ``countylib build``."""


@bounded(maxsize=8)
def _read(key: tuple[str, float, int]) -> pd.DataFrame:
    return pd.read_parquet(key[0])


def processed_table(name: str = "indicators", folder: Path | None = None) -> pd.DataFrame:
    """A processed table by name (``indicators``, ``regions``, ``lists``, ``zones``, ``sources``)."""
    path = Path(folder or processed_dir()) / f"{name}.parquet"
    if not path.exists():
        raise DataNotBuiltError(f"{path} not found. Run `countylib build` (or `make build`) first.")
    return _read(file_key(path)).copy()


def sources(folder: Path | None = None) -> pd.DataFrame:
    """The sources of the processed data, one row each: ``source_id`` (the raw file), kind, title,
    publisher, url (or the document named), license, retrieved, sha256, and how many figures were read,
    kept, preferred and rejected, and how many zone rows were reported. Area computed from the boundaries is
    a source of its own.

    >>> import countylib
    >>> countylib.sources()[["source_id", "kept", "preferred"]].head(2)     # doctest: +SKIP
    """
    return processed_table("sources", folder).sort_values("source_id").reset_index(drop=True)


def load(
    indicators: str | Sequence[str] | None = None,
    province: str | None = None,
    prefecture: str | None = None,
    year: int | Sequence[int] | None = None,
    level: str | None = "county",
    wide: bool = False,
    geometry: bool = False,
    all_sources: bool = False,
    folder: Path | None = None,
) -> pd.DataFrame:
    """Tidy indicator data for analysis.

    Parameters
    ----------
    indicators: keys or aliases (``"gdp"``, ``"一般公共预算收入"``); all when None.
    province, prefecture: names (``"河南"``, ``"河南省"``, ``"洛阳市"``) or adcodes; ``province="全国"`` is the
        whole country; an unknown name is an error naming the closest ones.
    year: one year or several, as a researcher has them: ``2022``, ``np.int64(2022)`` (a DataFrame's
        column), ``2022.0``, ``"2022"``, or a list, range or array of these; anything that is not a year is
        refused with a ValueError naming it (see :func:`years`).
    level: ``"county"`` (default), ``"prefecture"``, ``"province"``, or None for every level.
    wide: one row per unit and year, one column per indicator (the preferred figure).
    geometry: attach county polygons (GeoDataFrame); with ``wide`` every county of the area appears,
        with missing values as NaN.
    all_sources: keep every source's figure, not only the preferred one per (unit, year, indicator);
        tidy form only: with ``wide=True`` it is refused, since a wide table holds one figure per cell
        (pivot the tidy table on ``source_id`` to compare sources side by side).

    The same call again (a batch of county reports makes the same few calls for every county) is
    answered from a small cache, as a copy, until the processed files change.
    """
    if wide and all_sources:
        raise ValueError("load(wide=True, all_sources=True): a wide table has one figure per unit, year and "
                         "indicator, the preferred one; for every source's figure use the tidy form "
                         "(wide=False) and pivot on source_id")
    year = years(year)
    province, prefecture = area(province, prefecture)
    base = Path(folder) if folder else processed_dir()
    key = (_frozen(indicators), province, prefecture, year, level, wide, geometry, all_sources,
           file_key(base / "indicators.parquet"), file_key(base / "boundaries.parquet") if geometry else None)
    return _load_cached(key, folder).copy()


def area(province: str | None, prefecture: str | None) -> tuple[str | None, str | None]:
    """The area of a ``load`` as its filters: the province's full name (None for the whole country, 全国)
    and the prefecture as given; an unknown province or prefecture is an error naming the closest, never
    an empty table.

    >>> area("河南", None), area("全国", "洛阳"), area(None, None)
    (('河南省', None), (None, '洛阳'), (None, None))
    >>> area("河蓝省", None)
    Traceback (most recent call last):
    ...
    countylib.data.registry.UnknownAreaError: unknown province '河蓝省'; did you mean 河北省、河南省?
    """
    if province is not None:
        name = regions.area_name(province)
        province = None if name == "全国" else name
    if prefecture is not None:
        regions.check_prefecture(prefecture)
    return province, prefecture


def _frozen(value):
    if isinstance(value, str) or value is None:
        return value
    if hasattr(value, "__iter__"):
        return tuple(value)
    return value


def _marks(table: pd.DataFrame) -> pd.DataFrame:
    """Per unit and year: comparable_since, and the first non-empty break_note of its figures."""
    if "break_note" not in table:
        return pd.DataFrame(columns=["adcode", "year", "comparable_since", "break_note"])
    marks = table[["adcode", "year", "comparable_since", "break_note"]].copy()
    marks["_empty"] = marks.break_note.eq("")
    marks = marks.sort_values(["adcode", "year", "_empty"]).drop_duplicates(["adcode", "year"])
    return marks.drop(columns="_empty")


def nearest_year(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per (adcode, indicator) of a tidy table: the figure of the year nearest ``year`` (the later of
    two equally near). For indicators that pair with any year (``any_year`` in the registry: area, whose
    year is the boundaries' vintage); the ``year`` column keeps each figure's own year.

    >>> t = pd.DataFrame({"adcode": ["a", "a", "b"], "indicator": "area", "year": [2021, 2024, 2019],
    ...                   "value": [1.0, 2.0, 3.0]})
    >>> nearest_year(t, 2022)[["adcode", "year", "value"]].values.tolist()
    [['a', 2021, 1.0], ['b', 2019, 3.0]]
    """
    if table.empty:
        return table
    order = table.assign(_d=(table.year - year).abs(), _later=-table.year)
    return (order.sort_values(["adcode", "indicator", "_d", "_later"]).drop_duplicates(["adcode", "indicator"])
            .drop(columns=["_d", "_later"]).reset_index(drop=True))


#: :func:`years` under another name, for :func:`load_panel`, whose argument is called ``years``.
_parse_years = years


@bounded(maxsize=8)
def _load_cached(key: tuple, folder: Path | None) -> pd.DataFrame:
    indicators, province, prefecture, year, level, wide, geometry, all_sources = key[:8]
    return _load(indicators, province, prefecture, year, level, wide, geometry, all_sources, folder)


def _load(indicators, province, prefecture, year, level, wide, geometry, all_sources, folder) -> pd.DataFrame:
    table = processed_table("indicators", folder)
    if not all_sources:
        table = table[table.preferred]
    if indicators is not None:
        keys = [indicators] if isinstance(indicators, str) else list(indicators)
        keys = [ind.get(k).key for k in keys]
        table = table[table.indicator.isin(keys)]
    if year is not None:
        table = table[table.year.isin(list(year))]
    if level is not None:
        table = table[table.level == level]
    reg = regions.by_adcode()
    if province:
        table = table[regions.province_mask(table.adcode.map(reg.province_adcode), province)]
    if prefecture:
        table = table[regions.prefecture_mask(table.adcode.map(reg.prefecture_adcode), prefecture)]
    table = table.sort_values(["adcode", "year", "indicator"]).reset_index(drop=True)
    if wide:
        marks = _marks(table)
        table = (table.groupby(["adcode", "name", "year", "indicator"], sort=True)["value"].first()
                 .unstack("indicator").reset_index().rename_axis(columns=None))
        table = table.merge(marks, on=["adcode", "year"], how="left")
    if geometry:
        from countylib.data import geo

        shapes = geo.boundaries(province=province, path=Path(folder) / geo.BOUNDARY_FILE if folder else None)
        if prefecture:
            shapes = shapes[regions.prefecture_mask(shapes.prefecture_adcode, prefecture)]
        keep = ["adcode", "short_name", "kind", "prefecture_adcode", "prefecture_name", "province_name",
                "county_economy", "area_km2", "geometry"]
        if not wide:
            keep = [c for c in keep if c != "name"]
        how = "left" if wide else "inner"
        table = shapes[keep + (["name"] if wide else [])].merge(
            table.drop(columns=["name"]) if wide else table, on="adcode", how=how)
    return table


PANEL_BREAKS = ("mark", "drop")


def load_panel(
    indicators: str | Sequence[str],
    years,
    province: str | None = None,
    prefecture: str | None = None,
    level: str = "county",
    breaks: str = "mark",
    folder: Path | None = None,
) -> pd.DataFrame:
    """A unit × year panel on today's units: one row for every unit of the area and every year asked (a
    balanced frame; missing stays NaN), one column per indicator, and the marks of the series:

    * ``comparable_since``: the first year from which the unit's figures cover its territory of today (the
      year of the last split or partial transfer it took part in; 1981 when none since the first code table);
    * ``comparable``: True where the year's figures cover today's territory (``year >= comparable_since``
      and no ``break_note``: the 2010 census, printed with the codes of 2009, is not comparable for a unit
      whose territory changed in 2010, such as 湘潭县);
    * ``break_note``: for a year whose figures cover another territory, the changes after it (one line).

    The rules, as in every figure of ``indicators.parquet``: a figure of an old code or name is placed on the
    unit of today that has its territory (偃师市 2019 -> 偃师区 410307); figures of the members of a merger are
    summed (孟津县 + 吉利区 -> 孟津区; 拱墅区 + 下城区 -> today's 拱墅区), shares recomputed from summed parts or
    left out; a unit that went on with less or more territory keeps its figures, marked (余杭区 2019, before
    临平区 was split off: ``comparable`` False); figures of a unit divided among several (江干区 before 2021)
    and of a code not in use in the figure's year are in no unit (see ``rejects.csv``).

    ``breaks="mark"`` (default) keeps marked values; ``breaks="drop"`` sets them to NaN (the marks stay), for a
    panel whose every value is of today's territory.

    >>> p = load_panel(["pop_resident", "urbanization"], [2010, 2020], province="河南")
    >>> p.loc[p.adcode.eq("410308"), ["year", "pop_resident", "comparable"]].values.tolist()
    [[2010, 48.3713, True], [2020, 48.5987, True]]
    >>> p.loc[p.adcode.eq("410522"), ["year", "comparable_since", "comparable"]].values.tolist()
    [[2010, 2021, False], [2020, 2021, False]]
    """
    if breaks not in PANEL_BREAKS:
        raise ValueError(f"breaks={breaks!r}: use 'mark' (keep marked values) or 'drop' (set them to NaN)")
    keys = [indicators] if isinstance(indicators, str) else list(indicators)
    keys = [ind.get(k).key for k in keys]
    wanted = list(_parse_years(years))
    province, prefecture = area(province, prefecture)
    long = load(keys, province=province, prefecture=prefecture, year=wanted, level=level, folder=folder)
    reg = regions.registry()
    units = reg[reg.level == level] if level else reg
    if province:
        units = units[regions.province_mask(units.province_adcode, province)]
    if prefecture:
        units = units[regions.prefecture_mask(units.prefecture_adcode, prefecture)]
    units = units.drop_duplicates("adcode")[["adcode", "name"]]
    grid = units.merge(pd.DataFrame({"year": wanted}), how="cross")
    values = long.pivot_table(index=["adcode", "year"], columns="indicator", values="value", aggfunc="first")
    values = values.reindex(columns=keys)
    out = grid.merge(values.reset_index(), on=["adcode", "year"], how="left")
    marks = _marks(long)
    out = out.merge(marks, on=["adcode", "year"], how="left")
    since = _comparable_since(units.adcode, level)
    out["comparable_since"] = out.adcode.map(since).astype("Int64")
    out["break_note"] = out.break_note.fillna("")
    # A figure printed with the codes of another year than its own (the 2010 census: the codes of 2009) can
    # be of another territory although its year is not before comparable_since: its break_note says so.
    out["comparable"] = ((out.year >= out.comparable_since.fillna(0)) & out.break_note.eq("")).astype(bool)
    if breaks == "drop":
        out.loc[~out.comparable, keys] = float("nan")
    cols = ["adcode", "name", "year", *keys, "comparable", "comparable_since", "break_note"]
    return out[cols].sort_values(["adcode", "year"]).reset_index(drop=True)


def _comparable_since(adcodes: pd.Series, level: str) -> dict[str, int]:
    from countylib.data import crosswalk

    cw = crosswalk.get()
    lvl = crosswalk.history_level(level)
    return {a: (cw.comparable_since(a, lvl) or 0) for a in adcodes}
