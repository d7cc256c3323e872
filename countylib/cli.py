"""The ``countylib`` command line.

    countylib build
    countylib regions 巩义 滑县 --province 河南
    countylib indicators 收入
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    help="countylib: county-economy data for China — build the dataset, look up regions, render reports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.command()
def build(
    no_boundaries: bool = typer.Option(False, "--no-boundaries", help="Skip the boundary cache (faster)."),
) -> None:
    """Build data/processed from data/raw and write build_report.md.

    Example:  countylib build
    """
    from countylib.build import BuildError
    from countylib.build import build as run

    try:
        result = run(boundaries=not no_boundaries, progress=sys.stderr.isatty())
    except BuildError as exc:
        typer.secho(f"build failed: {exc}", fg="red", err=True)
        raise typer.Exit(2) from None
    c = result.counts
    typer.echo(
        f"read {c['read']} figures from {c['sources']} sources: kept {c['indicators']}, rejected {c['rejected']}, "
        f"zones {c['zones']}, list entries {c['list_entries']}\nreport: {result.report_path}"
    )


@app.command("regions")
def regions_cmd(
    names: list[str] = typer.Argument(..., help="Place names as written (巩义, 滑　县, 固始縣, 偃师市)."),
    province: str = typer.Option(None, "--province", "-p", help="Province to search in (河南 or 河南省)."),
    prefecture: str = typer.Option(None, "--prefecture", help="Prefecture to search in."),
    year: int = typer.Option(None, "--year", help="Year the names are from (old names resolve to today's codes)."),
) -> None:
    """Resolve place names to adcodes.

    Example:  countylib regions 巩义 滑县 偃师市 --province 河南
    """
    from countylib import regions

    out = regions.resolve(names, province=province, prefecture=prefecture, year=year, errors="report")
    reg = regions.lookup(out.adcode.fillna("000000"))
    out["name"] = reg["name"].where(out.adcode.notna(), "")
    out["prefecture"] = reg["prefecture_name"].where(out.adcode.notna(), "")
    typer.echo(out[["input", "adcode", "name", "prefecture", "status", "candidates"]].fillna("").to_string(index=False))
    if out.adcode.isna().any() and not out.status.eq("zone").all():
        raise typer.Exit(1)


@app.command("indicators")
def indicators_cmd(text: str = typer.Argument("", help="Search text (key, Chinese or English name, alias).")) -> None:
    """List or search the indicator registry.

    Example:  countylib indicators 收入
    """
    from countylib import indicators

    table = indicators.search(text) if text else indicators.table()
    typer.echo(table[["key", "name_zh", "unit", "name_en"]].to_string(index=False))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
