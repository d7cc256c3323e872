"""countylib: comparative county-economy data for China, keyed by 6-digit adcode.

The package is laid out by stage, in the order data flows; an import never points up this list::

    countylib/paths.py, vocab.py, caches.py, files.py, escape.py, formatting.py, views.py
                           the ground floor every stage may use: where files are, one vocabulary, the
                           owner of every cache, atomic files, escaping, numbers as shown, result views
    countylib/data/        what codes, names and indicators mean: regions and code history, the indicator
                           registry, load(), boundaries — the ground the readers stand on
    countylib/ingest/      reading what was published, with data/: units, readers, census, bulletins, build
    countylib/analysis/    what researchers compute on processed data: statistics, lists, county tables, census
    countylib/output/      what people see: plotting, maps, tables, notebook rendering, batches, templates
    countylib/cli.py       the ``countylib`` command, on top

``data`` comes before ``ingest`` because reading needs meaning, not the other way round: a reader resolves
printed names with the region registry and converts units to the indicator registry's, while the
registries never look at a published file. Results of ``analysis`` show themselves in notebooks through
:mod:`countylib.views`, whose views ``output`` registers; ``analysis`` never imports ``output``.

The names researchers import (``countylib.regions``, ``countylib.units``, ``countylib.bulletin``,
``countylib.stats``, ``countylib.maps``, ``countylib.plotting``, ``countylib.census`` ...) are modules of
their own at the top of the package: each gathers the public functions of its stage modules, so
``from countylib import regions`` is followed by type checkers and completed by editors.

>>> import countylib
>>> countylib.__version__
'0.2.0'
>>> from countylib import regions
>>> regions.resolve(["偃师市"]).adcode.tolist()
['410307']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.2.0"

#: Modules researchers import by their short names (each a module file beside this one).
PUBLIC_MODULES = (
    "api", "batch", "build", "bulletin", "caches", "census", "compare", "county", "crosswalk", "escape", "geo",
    "indicators", "lists", "maps", "panel", "plotting", "readers", "regions", "regtable", "render", "stats",
    "tables", "units", "validate",
)
#: Functions at the top level, imported on first use so ``import countylib`` stays cheap.
PUBLIC_FUNCTIONS = {
    "load": "countylib.data.load",
    "load_panel": "countylib.data.load",
    "sources": "countylib.data.load",
    "reload": "countylib.caches",
}

__all__ = ["__version__", *PUBLIC_FUNCTIONS, *PUBLIC_MODULES]

if TYPE_CHECKING:  # what type checkers and editors see; at run time these load on first use
    from countylib.caches import reload as reload
    from countylib.data.load import load as load
    from countylib.data.load import load_panel as load_panel
    from countylib.data.load import sources as sources


if not TYPE_CHECKING:  # hidden from type checkers, which would otherwise accept any misspelt name

    def __getattr__(name: str):
        """``countylib.load`` and the other top-level functions, and ``countylib.<module>`` after a bare
        ``import countylib``, loaded on first use (PEP 562)."""
        if name in PUBLIC_FUNCTIONS:
            return getattr(importlib.import_module(PUBLIC_FUNCTIONS[name]), name)
        if name in PUBLIC_MODULES:
            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module 'countylib' has no attribute {name!r}")
