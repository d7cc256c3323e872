"""``countylib.load``: the processed data as one tidy (Geo)DataFrame; ``countylib.sources()``: where it came from.

Every figure carries its provenance: ``source_title``, ``publisher``, ``license``, ``retrieved``, ``url``
(the page of the figure, else the source's), ``source_id`` (the raw file) and ``source_row``, and the name,
code and column as printed (``name_printed``, ``code_printed``, ``column_printed``).

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
    province, prefecture: names (``"河南"``, ``"河南省"``, ``"洛阳市"``) or adcodes.
    year: one year or several.
    level: ``"county"`` (default), ``"prefecture"``, ``"province"``, or None for every level.
    wide: one row per unit and year, one column per indicator.
    geometry: attach county polygons (GeoDataFrame); with ``wide`` every county of the area appears,
        with missing values as NaN.
    all_sources: keep every source's figure, not only the preferred one per (unit, year, indicator).

    The same call again (a batch of county reports makes the same few calls for every county) is
    answered from a small cache, as a copy, until the processed files change.
    """
    base = Path(folder) if folder else processed_dir()
    key = (_frozen(indicators), province, prefecture, _frozen(year), level, wide, geometry, all_sources,
           file_key(base / "indicators.parquet"), file_key(base / "boundaries.parquet") if geometry else None)
    return _load_cached(key, folder).copy()


def _frozen(value):
    return tuple(value) if isinstance(value, list | tuple) else value


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
        years = [year] if isinstance(year, int) else list(year)
        table = table[table.year.isin(years)]
    if level is not None:
        table = table[table.level == level]
    reg = regions.by_adcode()
    if province:
        table = table[regions.province_mask(table.adcode.map(reg.province_adcode), province)]
    if prefecture:
        table = table[regions.prefecture_mask(table.adcode.map(reg.prefecture_adcode), prefecture)]
    table = table.sort_values(["adcode", "year", "indicator"]).reset_index(drop=True)
    if wide:
        table = (table.groupby(["adcode", "name", "year", "indicator"], sort=True)["value"].first()
                 .unstack("indicator").reset_index().rename_axis(columns=None))
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
