"""countylib: comparative county-economy data for China, keyed by 6-digit adcode.

The package is laid out by stage, in the order data flows::

    countylib/vocab.py     one vocabulary: text normalisation and the marker words every reader shares
    countylib/ingest/      reading what was published: units, readers, census, bulletins, the build
    countylib/data/        what the data means: regions and code history, indicators, load(), boundaries
    countylib/analysis/    what researchers compute: statistics, lists, county tables, comparisons, census
    countylib/output/      what people see: plotting, maps, notebook rendering, batches, HTML templates

The short names researchers import (``countylib.regions``, ``countylib.units``, ``countylib.bulletin``,
``countylib.stats``, ``countylib.maps``, ``countylib.plotting`` ...) are the same module objects as their
stage paths (``countylib.regions is countylib.data.regions``).

>>> import countylib
>>> countylib.__version__
'0.2.0'
>>> from countylib import regions
>>> import countylib.data.regions
>>> regions is countylib.data.regions
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.2.0"

# Short public name -> module, by stage. Kept so notebooks written as `from countylib import geo` work.
PUBLIC_MODULES = {
    "units": "countylib.ingest.units",
    "readers": "countylib.ingest.readers",
    "census": "countylib.analysis.census",
    "bulletin": "countylib.ingest.bulletin",
    "build": "countylib.ingest.build",
    "validate": "countylib.ingest.validate",
    "regions": "countylib.data.regions",
    "indicators": "countylib.data.indicators",
    "geo": "countylib.data.geo",
    "api": "countylib.data.load",
    "stats": "countylib.analysis.stats",
    "lists": "countylib.analysis.lists",
    "county": "countylib.analysis.county",
    "compare": "countylib.analysis.compare",
    "plotting": "countylib.output.plotting",
    "maps": "countylib.output.maps",
    "render": "countylib.output.render",
    "batch": "countylib.output.batch",
    "tables": "countylib.output.tables",
}
# Functions at the top level, imported on first use so `import countylib` stays cheap.
PUBLIC_FUNCTIONS = {
    "load": "countylib.data.load",
    "sources": "countylib.data.load",
    "reload": "countylib.data.caches",
}

__all__ = ["__version__", *PUBLIC_FUNCTIONS, *PUBLIC_MODULES]


class _ShortNameFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes ``import countylib.regions`` give the module ``countylib.data.regions`` itself."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, short = fullname.partition(".")
        if prefix != __name__ or short not in PUBLIC_MODULES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(PUBLIC_MODULES[spec.name.partition(".")[2]])
        self._own_spec = module.__spec__  # the import system stamps the alias spec on it next
        return module

    def exec_module(self, module):  # already executed under its own name: only restore its spec
        module.__spec__ = self._own_spec


if not any(isinstance(f, _ShortNameFinder) for f in sys.meta_path):
    sys.meta_path.append(_ShortNameFinder())


def __getattr__(name: str):
    if name in PUBLIC_FUNCTIONS:
        return getattr(importlib.import_module(PUBLIC_FUNCTIONS[name]), name)
    if name in PUBLIC_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'countylib' has no attribute {name!r}")
