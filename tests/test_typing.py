"""Type checkers and editors follow countylib's public names: the README's examples pass mypy, and a
misspelt function of a short-named module is caught (it would not be if the module were typed ``Any``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHORT_NAMES = ("regions", "units", "bulletin", "stats", "maps", "plotting", "lists", "census", "indicators", "geo",
               "county", "compare", "tables", "escape", "render", "batch", "readers", "validate", "build", "api",
               "panel", "regtable")


def _mypy(path: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", f"--cache-dir={cache}",
                           "--no-color-output", str(path)], cwd=path.parent, capture_output=True, text=True)


def test_readme_examples_type_check_and_short_names_are_followed(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = "\n".join(re.findall(r"```python\n(.*?)```", readme, re.S))
    assert "from countylib import" in examples
    (tmp_path / "readme_examples.py").write_text(examples, encoding="utf-8")
    probe = "\n".join([f"from countylib import {name}" for name in SHORT_NAMES]
                      + [f"{name}.no_such_function_xyz()" for name in SHORT_NAMES]
                      + ["import countylib", "countylib.load_typo()"])
    (tmp_path / "probe.py").write_text(probe + "\n", encoding="utf-8")

    result = _mypy(tmp_path / "readme_examples.py", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr

    result = _mypy(tmp_path / "probe.py", tmp_path / "cache")
    out = result.stdout
    assert "import-not-found" not in out and "import-untyped" not in out, out
    for name in SHORT_NAMES:  # each misspelling is caught: the module's real contents are known
        assert 'Module has no attribute "no_such_function_xyz"' in out or name not in out, out
    caught = out.count('has no attribute "no_such_function_xyz"')
    assert caught == len(SHORT_NAMES), out
    assert 'has no attribute "load_typo"' in out, out
