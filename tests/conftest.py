"""Shared fixtures: small raw-data folders written by the tests themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

META = """title: {title}
publisher: test fixture
url: null
document: tests/fixtures (figures written for the tests)
retrieved: 2026-11-23
license: test data
kind: {kind}
{extra}"""


def write_source(folder: Path, name: str, text: str, kind: str, extra: str = "", title: str = "fixture") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    (folder / f"{name}.meta.yaml").write_text(META.format(title=title, kind=kind, extra=extra), encoding="utf-8")
    return path


def raw_with_history(folder: Path) -> Path:
    """``folder`` (made if needed) as a raw folder holding the bundled code history (result.csv, its licence
    and sidecar; the diff files are not needed to build) and the hand-kept supplement with its sidecar."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = ROOT / "data" / "raw"
    (folder / "areacodes").mkdir(exist_ok=True)
    for name in ("result.csv", "LICENSE"):
        shutil.copy(raw / "areacodes" / name, folder / "areacodes" / name)
    for name in ("areacodes.meta.yaml", "code_supplement.csv", "code_supplement.csv.meta.yaml"):
        shutil.copy(raw / name, folder / name)
    return folder


@pytest.fixture
def raw_folder(tmp_path: Path) -> Path:
    """A raw folder with the admin changes, a figures list and a wide yearbook table."""
    raw = raw_with_history(tmp_path / "raw")
    write_source(raw, "figures.csv", (FIXTURES / "figures.csv").read_text(encoding="utf-8"), "figures_long")
    write_source(raw, "yearbook_luoyang.csv", (FIXTURES / "yearbook_luoyang.csv").read_text(encoding="utf-8"),
                 "wide", extra="reader:\n  year: 2020\n  province: 河南省\n  prefecture: 洛阳市\n")
    return raw
