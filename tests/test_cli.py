"""The command line: sub-commands listed, each with an example; errors exit non-zero."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from countylib.cli import app

runner = CliRunner()


def test_help_lists_subcommands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("build", "regions", "indicators"):
        assert re.search(rf"^\s+{name}\b", result.output, flags=re.M), name


def test_every_subcommand_help_has_an_example():
    top = runner.invoke(app, ["--help"]).output
    commands = re.findall(r"^\s{2}([a-z][a-z-]+)\s{2,}", top, flags=re.M)
    assert commands
    for name in commands:
        out = runner.invoke(app, [name, "--help"]).output
        assert "Example:" in out and f"countylib {name}" in out, f"{name} --help lacks an example"


def test_regions_command_resolves_and_reports_unknown():
    ok = runner.invoke(app, ["regions", "巩义", "固始縣", "--province", "河南"])
    assert ok.exit_code == 0 and "410181" in ok.output and "411525" in ok.output
    bad = runner.invoke(app, ["regions", "巩义县城"])
    assert bad.exit_code == 1 and "unknown" in bad.output
    area = runner.invoke(app, ["regions", "巩义", "--province", "河蓝"])
    assert area.exit_code == 2 and "unknown province '河蓝'; did you mean" in area.output
    assert "Traceback" not in area.output and len(area.output.strip().splitlines()) == 1


def test_indicators_command_searches():
    out = runner.invoke(app, ["indicators", "R&D"]).output
    assert "rd_intensity" in out and "gdp " not in out


def test_notebooks_named_in_help_examples_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    helps = [runner.invoke(app, ["render", sub, "--help"], terminal_width=200).output
             for sub in ("notebook", "county", "check")]
    named = set(re.findall(r"notebooks/[\w.-]+\.ipynb", " ".join(helps)))
    assert "notebooks/choropleth.ipynb" in named
    assert all((root / n).is_file() for n in named), named
