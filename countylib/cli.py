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
    progress: bool = typer.Option(None, "--progress/--no-progress",
                                  help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Build data/processed from data/raw and write build_report.md.

    A broken input (empty file, invalid sidecar, a year that is not a year, a money column without a unit)
    stops the build with one line naming the file and exit code 2; the previous output stays as it was.

    Example:  countylib build
    """
    import os

    from countylib.ingest.build import BuildError
    from countylib.ingest.build import build as run

    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run(boundaries=not no_boundaries, progress=show)
    except BuildError as exc:
        typer.secho(f"build failed: {exc}", fg="red", err=True)
        raise typer.Exit(2) from None
    except Exception as exc:  # noqa: BLE001 - one line for the user; COUNTYLIB_DEBUG=1 shows the traceback
        if os.environ.get("COUNTYLIB_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        typer.secho(f"build failed ({type(exc).__name__}): {first} (set COUNTYLIB_DEBUG=1 for details)", fg="red",
                    err=True)
        raise typer.Exit(1) from None
    c = result.counts
    typer.echo(
        f"read {c['read']} figures from {c['sources']} sources: kept {c['from_sources']} "
        f"({c['preferred']} preferred), rejected or not attributed {c['rejected']}, conflicts "
        f"{c['conflicts']} rows, warnings {c['warnings']}, zones {c['zones']}, census figures "
        f"{c.get('census_figures', 0)}, area figures {c['area']}, "
        f"list entries {c['list_entries']}\nreport: {result.report_path}"
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
    from countylib.data import regions

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
    from countylib.data import indicators

    table = indicators.search(text) if text else indicators.table()
    typer.echo(table[["key", "name_zh", "unit", "name_en"]].to_string(index=False))


@app.command("extract")
def extract_cmd(
    files: list[str] = typer.Argument(..., help="Text files of bulletins or work reports (UTF-8, GB18030 or UTF-16)."),
    county: str = typer.Option(..., "--county", help="The county the text is about (巩义市)."),
    year: int = typer.Option(..., "--year", help="The year the figures are for (a 2023 report on 2022: 2022)."),
    output: str = typer.Option(None, "-o", "--output", help="CSV to write in the data/raw figures layout."),
    province: str = typer.Option(None, "--province", help="Province, to resolve the county name."),
    review: bool = typer.Option(False, "--review",
                                help="Print each figure with its context and write <file>.review.html beside each file."),
    review_dir: str = typer.Option(None, "--review-dir", help="Folder for the review pages (default: beside each file)."),
    encoding: str = typer.Option(None, "--encoding", help="Text encoding when it cannot be detected (gb18030, big5 ...)."),
    url: str = typer.Option(None, "--url", help="Address of the published text, written into the CSV and sidecar."),
) -> None:
    """Extract figures from bulletin or work-report text, each with its character span.

    Figures of other places, sub-scopes (本级, 城区), other years and two-year averages are reported as
    ambiguous and not written; growth of anything but GDP is set aside.

    Example:  countylib extract gongyi_2022.txt --county 巩义市 --year 2022 -o data/raw/gongyi_2022.csv --review
    """
    from pathlib import Path

    from countylib.data import regions
    from countylib.files import write_atomic
    from countylib.ingest import bulletin

    code = regions.resolve([county], province=province, errors="report")
    if code.adcode.isna().iloc[0]:
        cands = code.candidates.iloc[0] if "candidates" in code else ""
        _fail(f"county {county!r} not found ({code.status.iloc[0]}{'; candidates: ' + str(cands) if cands else ''}); "
              "check the name or pass --province")
    adcode = code.adcode.iloc[0]
    rows, counts = [], {"ok": 0, "ambiguous": 0, "other": 0}
    for f in files:
        try:
            text, enc = bulletin.read_text(f, encoding)
        except bulletin.BadInput as exc:
            _fail(str(exc))
        found = bulletin.scan(text, county=county, year=year)
        name = Path(f).name
        for r in found.astype(object).itertuples(index=False):  # plain values: Arrow columns iterate slowly
            status = r.status if r.status in counts else "other"
            counts[status] += 1
            if review and r.status in ("ok", "ambiguous"):
                context = text[max(0, r.start - 30):r.end + 15].replace("\n", " ")
                mark = "OK " if r.status == "ok" else "?? "
                typer.echo(f"{mark}{r.indicator:<24} {r.value_text}{r.unit_text:<6} {r.year}  [{name}:{r.start}-{r.end}] "
                           f"…{context}…" + (f"  ({r.reason})" if r.reason else ""))
            if r.status == "ok":
                rows.append({"county": county, "adcode": adcode, "province": province or "", "year": r.year,
                             "indicator": r.indicator, "value_text": r.value_text, "unit": r.unit_text,
                             "url": url or "", "source_quality": "",
                             "note": f"{name} chars {r.start}-{r.end}" + (f"; {r.flags}" if r.flags else "")})
        if review:
            page = bulletin.render_review(text, found, title=f"{name}: {county} {year}",
                                          subtitle=f"{len(text):,} characters, {enc}")
            folder = Path(review_dir) if review_dir else Path(f).resolve().parent
            target = folder / f"{name}.review.html"
            try:
                write_atomic(target, page)
            except OSError as exc:
                _fail(f"{target}: cannot write the review page ({exc.strerror}); pass --review-dir")
            typer.echo(f"review page: {target}")
    typer.echo(f"{len(rows)} figures extracted, {counts['ambiguous']} ambiguous (not written), "
               f"{counts['other']} set aside")
    if output:
        _write_figures(Path(output), rows, files, county, year, url)


def _fail(message: str) -> None:
    """One line on stderr, exit code 2."""
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _write_figures(out, rows: list[dict], files: list[str], county: str, year: int, url: str | None) -> None:
    """The figures CSV and its sidecar (YAML written by yaml.safe_dump, so any file name is safe)."""
    from datetime import date
    from pathlib import Path

    import pandas as pd
    import yaml

    from countylib.files import write_atomic

    columns = ["county", "adcode", "province", "year", "indicator", "value_text", "unit", "url", "source_quality",
               "note"]
    names = ", ".join(Path(f).name for f in files)
    meta = {"title": f"figures extracted from {names}", "publisher": "see the source document",
            "url": url or None, "document": names, "retrieved": date.today().isoformat(),
            "license": "facts as published", "kind": "figures_long",
            "notes": f"extracted by countylib extract for {county} {year}; spans in column note"}
    sidecar = out.with_name(out.name + ".meta.yaml")
    try:
        write_atomic(out, pd.DataFrame(rows, columns=columns).to_csv(index=False))
        write_atomic(sidecar, yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    except OSError as exc:
        _fail(f"{out}: cannot write ({exc.strerror})")
    typer.echo(f"wrote {out} and {sidecar.name}")


render_app = typer.Typer(
    help="Render notebooks and per-county reports to HTML.\n\nExample:  countylib render county --province 河南省 --year 2022",
    no_args_is_help=True,
)
app.add_typer(render_app, name="render")


def _render_exit(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, fg="red", err=True)
    return typer.Exit(code)


@render_app.command("notebook", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def render_notebook_cmd(
    ctx: typer.Context,
    path: str = typer.Argument(..., help="Notebook to run (papermill parameters cell)."),
    param: list[str] = typer.Option(None, "-p", "--param", help="NAME VALUE; repeat for each parameter."),
    run: str = typer.Option("latest", "--run", help="Run folder under reports/ (a plain name)."),
    show_input: bool = typer.Option(False, "--show-input", help="Keep code cells in the HTML."),
) -> None:
    """Run any parameterised notebook and write reports/<run>/<name>.html.

    Parameters are checked against the notebook's cell tagged 'parameters' before a kernel starts:
    an unknown name lists the notebook's parameters, a value of the wrong type names the parameter.

    Example:  countylib render notebook notebooks/choropleth.ipynb -p indicator gdp -p year 2022
    """
    import time
    from pathlib import Path

    from countylib.output import batch, render
    from countylib.paths import reports_dir

    names, values = list(param or []), list(ctx.args)
    stray = [v for v in values if _looks_like_option(v)]
    if stray:
        county_only = {"--province", "--year", "--jobs", "-j", "--only", "--districts", "--resume", "--notebook",
                       "--scheduler", "--no-input"}
        hint = (f"; {stray[0]} is an option of `countylib render county` (one report per county)"
                if stray[0].split("=")[0] in county_only else "")
        raise _render_exit(f"render notebook has no option {stray[0]} (its options: -p NAME VALUE, --run, "
                           f"--show-input){hint}")
    if len(names) != len(values):
        raise _render_exit(f"each -p needs NAME VALUE; got names {names} and values {values}")
    nb_path = Path(path)
    if not nb_path.is_file():
        raise _render_exit(f"notebook not found: {nb_path}")
    try:
        out_dir = reports_dir() / batch.check_run_name(run)
        params = render.check_parameters(nb_path, dict(zip(names, values, strict=True)))
        if "output_dir" in render.notebook_parameters(nb_path):
            params.setdefault("output_dir", str(out_dir.resolve()))
        batch.check_writable(out_dir)
    except (batch.BatchError, render.ParameterError) as exc:
        raise _render_exit(f"{nb_path.name}: {exc}") from None
    stem = render.safe_filename(nb_path.stem + "".join(f"-{v}" for k, v in params.items() if k != "output_dir"))
    t0 = time.perf_counter()
    try:
        out = render.render_notebook(nb_path, out_dir / f"{stem}.html", params, no_input=not show_input)
    except render.KernelStartError as exc:
        raise _render_exit(str(exc)) from None
    except KeyboardInterrupt:
        raise _render_exit(f"{nb_path.name}: interrupted", 130) from None
    except Exception as exc:  # noqa: BLE001
        raise _render_exit(f"{nb_path.name} failed: {render.short_error(exc)}", 1) from None
    typer.echo(f"wrote {out} in {time.perf_counter() - t0:.1f} s")


def _not_rendered(codes: set[str], province: str, districts: bool) -> str:
    """Why ``--only`` codes are not in the batch: 市辖区 without ``--districts``, or not units of the area."""
    from countylib.output import batch

    everything = batch.select_units(province, districts=True)[1].set_index("adcode")
    named = lambda c: f"{c} {everything.loc[c, 'name']}" if c in everything.index else c  # noqa: E731
    wards = sorted(c for c in codes if c in everything.index and not districts)
    others = sorted(c for c in codes if c not in wards)
    parts = []
    if wards:
        parts.append(f"{', '.join(map(named, wards))}: 市辖区, rendered only with --districts")
    if others:
        parts.append(f"not county-level units of {province}: {', '.join(others)}")
    return "; ".join(parts)


def _part(text: str) -> tuple[int, int]:
    """``--part K/N`` as (K, N), 1 <= K <= N.

    >>> _part("2/3")
    (2, 3)
    """
    from countylib.output.batch import BatchError

    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise BatchError(f"--part takes K/N (this machine's share, e.g. 1/3), not {text!r}") from None
    if not 1 <= k <= n:
        raise BatchError(f"--part {text}: K must be between 1 and N")
    return k, n


def _looks_like_option(text: str) -> bool:
    """``--districts`` or ``-x``, not a value such as ``-0.5`` or ``-``.

    >>> [_looks_like_option(t) for t in ["--districts", "-j", "-0.5", "河南省", "-"]]
    [True, True, False, False, False]
    """
    return text.startswith("--") and len(text) > 2 or len(text) >= 2 and text[0] == "-" and text[1].isalpha()


@render_app.command("county")
def render_county_cmd(
    province: str = typer.Option("河南省", "--province",
                                 help="全国, a province (河南省) or a prefecture (成都市) whose units to render."),
    year: int = typer.Option(2022, "--year", help="Report year (part of each report's path)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Parallel kernels (default: number of CPUs)."),
    only: str = typer.Option(None, "--only", help="Comma-separated adcodes to render (added to the run)."),
    districts: bool = typer.Option(False, "--districts", help="Also render the 市辖区."),
    resume: bool = typer.Option(False, "--resume",
                                help="Skip reports rendered from the same notebook, parameters, data and countylib."),
    no_input: bool = typer.Option(True, "--no-input/--show-input", help="Hide code cells (default)."),
    run: str = typer.Option("latest", "--run", help="Run folder under reports/ (a plain name)."),
    notebook: str = typer.Option("notebooks/county_report.ipynb", "--notebook", help="Report notebook."),
    scheduler: str = typer.Option(None, "--scheduler",
                                  help="Dask scheduler address (tcp://host:8786) to render on a cluster."),
    self_contained: bool = typer.Option(False, "--self-contained",
                                        help="Every page one file with its fonts and maps (no shared assets/)."),
    map_indicator: str = typer.Option("pop_resident", "--map-indicator",
                                      help="Indicator of the province pages' maps (a site's pages)."),
    part: str = typer.Option(None, "--part",
                             help="K/N: this machine's share of a run split over N machines (every N-th unit)."),
) -> None:
    """Render one HTML report per county, an index page and run.json; failures are listed, never fatal.

    By default the run folder is a site: pages share their stylesheet, fonts and base maps under assets/,
    link their prefecture's units and their neighbours, and each province gets a page with a linked map;
    the folder works offline when copied or zipped. --self-contained makes every page one file instead.

    Before any kernel starts it checks the processed data, the area, the run folder and the notebook.
    Ctrl-C stops the batch and still writes index.html and run.json for what finished.

    Example:  countylib render county --province 全国 --districts --year 2022 --jobs 2
    """
    import os
    from pathlib import Path

    from countylib.data import regions
    from countylib.output import batch
    from countylib.output.kernels import KernelStartError

    try:
        batch.check_run_name(run)
        batch.check_processed_data()
        province, units = batch.select_units(province, districts)
        if jobs < 0:
            raise batch.BatchError(f"--jobs must be 1 or more, not {jobs}")
        if only:
            wanted = {c.strip() for c in only.split(",") if c.strip()}
            unknown = wanted - set(units.adcode)
            if unknown:
                everywhere = set(regions.counties(None).adcode)
                reasons = [_not_rendered(unknown & everywhere, province, districts)] if unknown & everywhere else []
                if unknown - everywhere:
                    reasons.append(batch.unknown_codes(sorted(unknown - everywhere)))
                raise batch.BatchError("; ".join(reasons))
            units = units[units.adcode.isin(wanted)]
        if units.empty:
            raise batch.BatchError(f"no county-level units to render in {province}")
        share = _part(part) if part else None
        nb_path = Path(notebook)
        if not nb_path.exists() and not nb_path.is_absolute():  # relative to the project, wherever we are
            from countylib.paths import project_root

            nb_path = project_root() / nb_path
        result, index = batch.county_batch(units, nb_path, year=year, run=run,
                                           jobs=jobs or os.cpu_count() or 1, no_input=no_input, resume=resume,
                                           province=province, scheduler=scheduler, progress=sys.stderr.isatty(),
                                           site=not self_contained, map_indicator=map_indicator, part=share)
    except (batch.BatchError, KernelStartError) as exc:
        raise _render_exit(str(exc)) from None
    done = sum(o.ok and not o.skipped for o in result.outcomes)
    skipped = sum(o.skipped for o in result.outcomes)
    typer.echo(f"{done} rendered, {skipped} up to date, {len(result.failures)} failed in {result.seconds:.1f} s; "
               f"index: {index}")
    for f in result.failures:
        typer.secho(f"  {f.key}: {f.error.splitlines()[0] if f.error else ''}", fg="red", err=True)
    if result.interrupted:
        raise _render_exit(f"interrupted: {len(result.outcomes)} of {result.planned} reports finished; "
                    "run the same command with --resume to render the rest", 130)
    if result.failures:
        raise typer.Exit(1)


@render_app.command("check")
def render_check_cmd(
    paths: list[str] = typer.Argument(..., help="HTML pages, or folders to search for *.html."),
) -> None:
    """Check pages before sharing them: nothing loaded from the network, every character in the embedded fonts.

    A site's pages are checked against the site: every relative link resolves inside the run folder and
    every character is in the shared fonts.

    Example:  countylib render check reports/latest
    """
    from pathlib import Path

    from countylib.output.export import check_file

    pages = []
    for p in map(Path, paths):
        pages += sorted(p.rglob("*.html")) if p.is_dir() else [p]
    if not pages:
        raise _render_exit(f"no HTML pages in {', '.join(paths)}")
    bad = 0
    for page in pages:
        problems = check_file(page)
        for problem in problems:
            typer.secho(f"{page}: {problem}", fg="red", err=True)
        bad += bool(problems)
    typer.echo(f"{len(pages)} pages checked: {len(pages) - bad} fine, {bad} with problems")
    if bad:
        raise typer.Exit(1)


def main() -> None:
    """The ``countylib`` command: a part that needs an optional extra says which, in one line (exit 2)."""
    from countylib.extras import MissingExtraError

    try:
        app()
    except MissingExtraError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
