"""Raw sources and their sidecars: discovery, validation, and reading by ``kind``.

Every file in ``data/raw`` needs a sidecar ``<file>.meta.yaml`` naming its source (title, publisher,
url or document, retrieved, license) and its ``kind``, which chooses the reader (:data:`READERS`). A
broken sidecar (invalid YAML, not a mapping, a missing key, an unknown ``reader:`` option, a year that is
not a whole number between 1949 and 2100) stops the build with one line naming the file.

Readers are registered by kind; adding one is a single entry::

    READERS["my_kind"] = lambda src: my_reader(src.path, **src.reader_options)

>>> sorted(READERS)
['figures_long', 'wide']

The 2020 census (``kind: census_2020``) is read apart by :mod:`countylib.ingest.census_tables`, which maps its
codes and computes its shares itself (see :func:`countylib.ingest.build.read_census`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from countylib.ingest import readers

REQUIRED_META = ("title", "publisher", "retrieved", "license", "kind")
OTHER_KINDS = ("census_2020", "census_2010", "county_list", "code_history", "code_supplement")
#: Kinds read as census county tables (by :mod:`countylib.ingest.census_tables`), with the year of their figures.
CENSUS_KINDS = {"census_2020": 2020, "census_2010": 2010}
LICENCE_SUFFIXES = (".license", ".licence", ".license.txt", ".licence.txt")
#: Options a ``reader:`` mapping may hold, by kind (anything else is a typo worth stopping for).
READER_OPTIONS = {
    "wide": ("year", "province", "prefecture", "name_col", "code_col", "header_rows", "sheet", "units", "encoding",
             "totals"),
    "figures_long": ("encoding",),
    "county_list": ("encoding",),
    "census_2020": ("year", "codes_year"),
    "census_2010": ("year", "codes_year"),
}


class BuildError(RuntimeError):
    """The build cannot go on; the message names the file and what to do."""


@dataclass
class Source:
    """One raw file and its sidecar."""

    path: Path
    meta: dict

    @property
    def source_id(self) -> str:
        return self.path.name

    @property
    def kind(self) -> str:
        return str(self.meta["kind"])

    @property
    def reader_options(self) -> dict:
        return dict(self.meta.get("reader") or {})

    def sha256(self) -> str:
        """The first 16 hex digits of the file's SHA-256 (of a folder: of its declared files, in order)."""
        digest = hashlib.sha256()
        for f in self.files():
            digest.update(f.read_bytes())
        return digest.hexdigest()[:16]

    def files(self) -> list[Path]:
        """The data files of the source: the file itself, or a folder's files its sidecar declares."""
        if not self.path.is_dir():
            return [self.path]
        found: set[Path] = set()
        for pattern in self.meta.get("files") or []:
            found |= {p for p in self.path.glob(str(pattern)) if p.is_file()}
        return sorted(found)


def _read_wide(src: Source) -> pd.DataFrame:
    return readers.read_wide(src.path, **src.reader_options)


def _read_figures_long(src: Source) -> pd.DataFrame:
    return readers.read_figures_long(src.path, **src.reader_options)


#: kind -> function reading a source into figures (see :mod:`countylib.ingest.readers`).
READERS: dict[str, Callable[[Source], pd.DataFrame]] = {
    "figures_long": _read_figures_long,
    "wide": _read_wide,
}


def is_licence_file(path: Path) -> bool:
    """A licence text shipped with a data file (``<name>.LICENSE``, ``LICENSE``, ``COPYING``): not data,
    so it needs no sidecar; the data file's sidecar names it (``license_file``).

    >>> is_licence_file(Path("census_county_2020_leiii.LICENSE")), is_licence_file(Path("figures.csv"))
    (True, False)
    """
    name = path.name.lower()
    return name.endswith(LICENCE_SUFFIXES) or name.split(".")[0] in ("license", "licence", "copying")


def is_spec_file(path: Path) -> bool:
    """A text describing a data format shipped with the data (``diff-spec.md``): not data, so it needs no
    sidecar; the folder's sidecar names it (``spec_file``).

    >>> is_spec_file(Path("areacodes/diff-spec.md")), is_spec_file(Path("areacodes/result.csv"))
    (True, False)
    """
    name = path.name.lower()
    return name.endswith(".md") and (name.endswith("spec.md") or name.startswith("readme"))


def kinds() -> tuple[str, ...]:
    """Every kind a sidecar may name."""
    return (*READERS, *OTHER_KINDS)


def discover(raw: Path) -> list[Source]:
    """Every data file in ``raw`` with its ``.meta.yaml`` sidecar (sorted by name).

    A data file without a sidecar, or a sidecar without title/publisher/url-or-document/
    retrieved/license/kind, stops the build: no figure enters without its source.
    """
    if not raw.is_dir():
        raise BuildError(f"raw data folder not found: {raw}")
    sources = []
    for path in sorted(raw.iterdir()):
        if path.name.startswith(".") or path.name.endswith(".meta.yaml") or path.suffix.lower() == ".md":
            continue
        if is_licence_file(path):  # a licence text kept beside its data file, named in that file's sidecar
            continue
        if not path.is_file() and not path.is_dir():
            continue
        sidecar = path.with_name(path.name + ".meta.yaml")
        if not sidecar.exists():
            what = "folder" if path.is_dir() else "file"
            raise BuildError(
                f"{path.name}: no sidecar {sidecar.name}. Every raw {what} needs one naming its source "
                f"({', '.join(REQUIRED_META)}, url or document); see data/README.md."
            )
        src = Source(path, read_sidecar(sidecar))
        if path.is_dir():
            _check_folder(src)
        sources.append(src)
    return sources


def _check_folder(src: Source) -> None:
    """A folder source (a dataset of several files, such as the code history): every file in it is declared
    by the sidecar's ``files`` patterns, or is a licence or format text, skipped explicitly."""
    meta = src.meta
    if not meta.get("files"):
        raise BuildError(f"{src.path.name}.meta.yaml: a folder's sidecar must list its data files (files: [...])")
    declared = set(src.files())
    named = {src.path.parent / str(meta[k]) for k in ("license_file", "spec_file") if meta.get(k)}
    for f in sorted(p for p in src.path.rglob("*") if p.is_file()):
        if f in declared or f in named or is_licence_file(f) or is_spec_file(f) or f.name.startswith("."):
            continue
        raise BuildError(f"{src.path.name}/{f.relative_to(src.path)}: not a file {src.path.name}.meta.yaml declares "
                         "(files:), nor a licence or format text; declare it or move it out of the folder")


def read_sidecar(sidecar: Path) -> dict:
    """The sidecar as a mapping, checked; :class:`BuildError` with one line naming the file otherwise."""
    try:
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BuildError(f"{sidecar.name}: not UTF-8 text; save the sidecar as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildError(f"{sidecar.name}: not valid YAML{where} ({problem}); fix the sidecar") from None
    if not isinstance(meta, dict):
        got = "empty" if meta is None else type(meta).__name__
        raise BuildError(f"{sidecar.name}: a sidecar must be a mapping (title: …, kind: …), not {got}")
    missing = [k for k in REQUIRED_META if not meta.get(k)]
    if not (meta.get("url") or meta.get("document")):
        missing.append("url or document")
    if missing:
        raise BuildError(f"{sidecar.name}: missing {', '.join(missing)}")
    if meta["kind"] not in kinds():
        raise BuildError(f"{sidecar.name}: kind {meta['kind']!r} is not one of {', '.join(kinds())}")
    _check_reader_options(sidecar.name, meta)
    return meta


def _check_reader_options(name: str, meta: dict) -> None:
    opts = meta.get("reader")
    if opts is None:
        return
    if not isinstance(opts, dict):
        raise BuildError(f"{name}: `reader:` must be a mapping of options (year: 2022, province: …)")
    allowed = READER_OPTIONS.get(meta["kind"])
    if allowed is not None:
        unknown = sorted(set(opts) - set(allowed))
        if unknown:
            raise BuildError(f"{name}: unknown reader option(s) {', '.join(map(str, unknown))} for kind "
                             f"{meta['kind']}; known: {', '.join(allowed)}")
    if "year" in opts:
        try:
            readers.check_year(opts["year"], f"{name}: reader: year")
        except readers.ReaderError as exc:
            raise BuildError(str(exc)) from None
    if "units" in opts and not isinstance(opts["units"], dict):
        raise BuildError(f"{name}: `reader: units:` must map indicators to units ({{gdp: 万元, pop_resident: 万人}})")


def read_source(src: Source) -> pd.DataFrame:
    """Figures of one source, dispatched on the sidecar's ``kind``, with ``source_id``, the sidecar's url
    as default and the source's provenance. Reader errors become one-line :class:`BuildError`."""
    reader = READERS.get(src.kind)
    if reader is None:
        return pd.DataFrame(columns=readers.FIGURE_COLUMNS + readers.LAYOUT_COLUMNS + ["source_id"])
    try:
        figs = reader(src)
    except readers.ReaderError as exc:
        msg = str(exc)
        raise BuildError(msg if msg.startswith(src.source_id) else f"{src.source_id}: {msg}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{src.source_id}: could not be read ({type(exc).__name__}: {exc})") from None
    attrs = dict(figs.attrs)
    figs = figs.copy()
    for col in readers.LAYOUT_COLUMNS:
        if col not in figs:
            figs[col] = ""
    zone_note = figs["note"].astype(str).eq("zone") & figs["row_kind"].eq("")
    figs.loc[zone_note, "row_kind"] = "zone"
    figs["source_id"] = src.source_id
    # A row's own URL wins; otherwise the sidecar's (documents without a URL stay in the sidecar).
    figs["url"] = _or_default(figs["url"], src.meta.get("url") or "")
    figs["source_quality"] = _or_default(figs["source_quality"], src.meta.get("source_quality", "") or "")
    figs.attrs = attrs
    return figs


def _or_default(values: pd.Series, default: str) -> pd.Series:
    """Text cells, the empty (or missing) ones replaced by ``default``."""
    text = values.fillna("").astype(str)
    return text.mask(text.eq(""), str(default))


def provenance(src: Source) -> dict[str, str]:
    """The origin every figure of ``src`` carries: title, publisher, license, retrieved, url or document."""
    m = src.meta
    return {"source_title": str(m.get("title", "")), "publisher": str(m.get("publisher", "")),
            "license": str(m.get("license", "")), "retrieved": str(m.get("retrieved", "")),
            "source_url": str(m.get("url") or m.get("document") or "")}
