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
    wait: bool = typer.Option(True, "--wait/--no-wait",
                              help="While another build runs: wait for it (default), or stop at once."),
) -> None:
    """Build data/processed from data/raw and write build_report.md.

    A broken input (empty file, invalid sidecar, a year that is not a year, a money column without a unit)
    stops the build with one line naming the file and exit code 2; the previous output stays as it was.
    One build runs at a time: a second one waits (saying so), or with --no-wait stops with exit code 2;
    a file of data/raw changed during the build stops it too, replacing nothing.

    Example:  countylib build
    """
    import os

    from countylib.ingest.build import BuildError
    from countylib.ingest.build import build as run

    show = sys.stderr.isatty() if progress is None else progress
    try:
        result = run(boundaries=not no_boundaries, progress=show, wait=wait)
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
    """Resolve place names (or 6-digit codes) of any year since 1981 to today's adcodes; a unit whose
    territory changed since that year says so (note), a unit divided since is a split with its successors.

    Example:  countylib regions 巩义 滑县 偃师市 --province 河南
    Example:  countylib regions 江干区 余杭区 --province 浙江 --year 2020
    """
    from countylib.data import regions

    try:
        out = regions.resolve(names, province=province, prefecture=prefecture, year=year, errors="report")
    except (regions.YearOutOfRangeError, regions.UnknownAreaError) as exc:
        _fail(str(exc))
    reg = regions.lookup(out.adcode.fillna("000000"))
    out["name"] = reg["name"].where(out.adcode.notna(), "")
    out["prefecture"] = reg["prefecture_name"].where(out.adcode.notna(), "")
    cols = ["input", "adcode", "name", "prefecture", "status", "candidates"] + (["note"] if out.note.ne("").any() else [])
    typer.echo(out[cols].fillna("").to_string(index=False))
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
    paths: list[str] = typer.Argument(..., help="Documents, or folders of them: saved web pages (.html, .htm, .mhtml), "
                                                "PDF with a text layer, Word (.docx), text (.txt in UTF-8, GB18030 or UTF-16)."),
    county: str = typer.Option(None, "--county", help="The county every document is about (default: read from each "
                                                      "document's title: 2022年巩义市…统计公报 -> 巩义市)."),
    year: int = typer.Option(None, "--year", help="The year the figures are for (default: from each title; a 2023 "
                                                  "work report -> 2022)."),
    output: str = typer.Option(None, "-o", "--output", help="CSV to write in the data/raw figures layout (+ sidecar)."),
    province: str = typer.Option(None, "--province", help="Province, to settle names several provinces share (鼓楼区)."),
    review: bool = typer.Option(False, "--review",
                                help="Print each figure with its context; write a review page per document and an "
                                     "index page listing every document."),
    review_dir: str = typer.Option(None, "--review-dir",
                                   help="Folder for the review pages and the index (default: beside each document; "
                                        "the index in the folder given, or beside the first file)."),
    encoding: str = typer.Option(None, "--encoding", help="Text encoding when it cannot be detected (gb18030, big5 ...)."),
    url: str = typer.Option(None, "--url", help="Address of the published document, for documents that record none."),
    progress: bool = typer.Option(None, "--progress/--no-progress",
                                  help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Extract figures from bulletins and work reports: files or whole folders, each figure with its span.

    Each document's county and year come from its title and first lines unless given; a document whose
    place or year cannot be settled, and every file that cannot be read, is listed with its reason and the
    run goes on. Figures of other places, sub-scopes (本级, 城区), other years and joint figures of several
    counties are reported as ambiguous and not written; growth of anything but GDP is set aside.

    Exit codes: 0 every document read; 1 some documents failed (the others are written); 2 nothing read
    (no document found, every document failed, a bad option, or the CSV could not be written).

    Example:  countylib extract bulletins/ -o data/raw/bulletins_2022.csv --review --province 河南
    """
    from pathlib import Path

    from countylib.data import regions
    from countylib.ingest.bulletin import collection, identify

    if province:
        try:
            regions.area_name(province)
        except regions.UnknownAreaError as exc:
            _fail(str(exc))
    if county:
        who = identify.identify("", county=county, year=year, province=province)
        if not who.adcode:
            _fail(who.reason)
    show = sys.stderr.isatty() if progress is None else progress
    wrap = review_wrap = None
    if show:
        from tqdm import tqdm

        wrap = lambda items: tqdm(items, desc="documents", unit="doc", file=sys.stderr)  # noqa: E731
        review_wrap = lambda items: tqdm(items, desc="review pages", unit="page", file=sys.stderr)  # noqa: E731
    run = collection.extract_documents(paths, county=county, year=year, province=province, encoding=encoding,
                                       url=url or "", progress=wrap)
    documents = run.read + run.failed
    if not documents:
        _fail(f"no documents in {', '.join(paths)} (.html, .htm, .mhtml, .pdf, .docx, .txt)"
              + (f"; {len(run.skipped)} other files not read" if run.skipped else ""))
    if len(run.documents) == 1 and run.failed:
        _fail(f"{run.failed[0].path}: {run.failed[0].reason}")
    links = _review_pages(run, Path(review_dir) if review_dir else None, review_wrap) if review else {}
    for d in run.documents:
        _echo_document(d, review)
    rows = run.rows()
    counts = {s: sum(d.count(s) for d in run.read) for s in ("ok", "ambiguous", "other")}
    typer.echo(f"{len(run.documents)} files: {len(run.read)} documents read, {len(run.failed)} failed, "
               f"{len(run.skipped)} not documents; {len(rows)} figures extracted, {counts['ambiguous']} ambiguous "
               f"(not written), {counts['other']} set aside")
    if review:
        index = _review_index(run, links, Path(review_dir) if review_dir else _index_folder(paths))
        typer.echo(f"review index: {index}")
    if output:
        if rows.empty:
            typer.echo(f"no figures to write: {output} not written")
        else:
            _write_figures(Path(output), rows, run)
    if not run.read:
        raise typer.Exit(2)
    if run.failed:
        raise typer.Exit(1)


def _echo_document(d, review: bool) -> None:
    """One line for each file; with ``--review`` the figures of each document read, with their context."""
    import pandas as pd

    if d.status != "read":
        typer.secho(f"{d.path}: {'FAILED' if d.status == 'failed' else 'not read'}: {d.reason}",
                    fg="red" if d.status == "failed" else None, err=d.status == "failed")
        return
    doc, who = d.document, d.identity
    where = f", {doc.pages} pages" if doc.pages else (f", {doc.url}" if doc.url else "")
    typer.echo(f"{d.path}: {who.printed or who.county} ({who.adcode}) {who.year}{where}: {d.count('ok')} figures, "
               f"{d.count('ambiguous')} ambiguous" + (f"; {d.reason}" if d.reason else ""))
    if not review:
        return
    for r in d.figures[d.figures.status.isin(["ok", "ambiguous"])].astype(object).itertuples(index=False):
        context = doc.text[max(0, r.start - 30):r.end + 15].replace("\n", " ")
        mark = "OK " if r.status == "ok" else "?? "
        page = "" if pd.isna(r.page) else f" p.{r.page}"
        typer.echo(f"  {mark}{r.indicator:<24} {r.value_text}{r.unit_text:<6} {r.year}  [{d.path.name}{page}:"
                   f"{r.start}-{r.end}] …{context}…" + (f"  ({r.reason})" if r.reason else ""))


def _review_pages(run, folder, wrap=None) -> dict:
    """A review page for every document read (beside it, or in ``folder``); {document path: page path}."""
    from countylib.files import write_atomic
    from countylib.output import review

    out = {}
    for d in (wrap or list)(run.read):
        doc, who = d.document, d.identity
        where = f"{doc.pages} pages" if doc.pages else doc.url
        subtitle = "; ".join(p for p in (f"{len(doc.text):,} characters from {doc.kind}", where, who.title[:60],
                                         d.reason) if p)
        page = review.render(doc.text, d.figures.drop(columns=["page"]),
                             title=f"{d.path.name}: {who.printed or who.county} {who.year}",
                             subtitle=subtitle)
        target = (folder or d.path.resolve().parent) / f"{d.path.name}.review.html"
        try:
            write_atomic(target, page)
        except OSError as exc:
            _fail(f"{target}: cannot write the review page ({exc.strerror}); pass --review-dir")
        out[d.path] = target
    return out


def _index_folder(paths: list[str]):
    from pathlib import Path

    first = Path(paths[0])
    return first if first.is_dir() else first.resolve().parent


def _review_index(run, links: dict, folder):
    """The index page of the run (``extract-index.html`` in ``folder``), linking each document's review page."""
    import os

    from countylib.files import write_atomic
    from countylib.output.extraction import index_page

    target = folder / "extract-index.html"
    entries = []
    for d in run.documents:
        doc, who = d.document, d.identity
        entry = {"file": str(d.path), "status": d.status, "reason": d.reason,
                 "kind": doc.kind if doc else "", "accepted": d.count("ok") if d.status == "read" else "",
                 "ambiguous": d.count("ambiguous") if d.status == "read" else ""}
        if d.status == "read":
            entry.update(county=who.printed or who.county, adcode=who.adcode, year=who.year,
                         where=f"{doc.pages} 页" if doc.pages else doc.url)
        if d.path in links:
            entry["link"] = os.path.relpath(links[d.path], folder.resolve()).replace(os.sep, "/")
        entries.append(entry)
    try:
        write_atomic(target, index_page(entries, subtitle=f"{len(run.documents)} 个文件"))
    except OSError as exc:
        _fail(f"{target}: cannot write the index page ({exc.strerror}); pass --review-dir")
    return target


def _fail(message: str) -> None:
    """One line on stderr, exit code 2."""
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _write_figures(out, rows, run) -> None:
    """The figures CSV and its sidecar (YAML written by yaml.safe_dump, so any file name is safe)."""
    from datetime import date
    from pathlib import Path

    import yaml

    from countylib.files import write_atomic

    written = {Path(p).name for p in set(rows.document)}
    names = ", ".join(sorted({d.path.name for d in run.read if d.path.name in written}))
    urls = sorted(set(rows.url) - {""})
    meta = {"title": f"figures extracted from {len(set(rows.document))} documents" if len(set(rows.document)) > 1
            else f"figures extracted from {names}", "publisher": "see the source documents",
            "url": urls[0] if len(urls) == 1 else None, "document": names, "retrieved": date.today().isoformat(),
            "license": "facts as published", "kind": "figures_long",
            "notes": "extracted by countylib extract; each row names its document (column document), its page "
                     "(column page, PDF) or address (column url, when the document records one) and the character "
                     "span of the figure in the document's text (columns start, end; also in column note)"}
    sidecar = out.with_name(out.name + ".meta.yaml")
    try:
        write_atomic(out, rows.to_csv(index=False))
        write_atomic(sidecar, yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    except OSError as exc:
        _fail(f"{out}: cannot write ({exc.strerror})")
    typer.echo(f"wrote {out} ({len(rows)} figures) and {sidecar.name}")


render_app = typer.Typer(
    help="Render notebooks and per-county reports to HTML.\n\nExample:  countylib render county --province 河南省 --year 2022",
    no_args_is_help=True,
)
app.add_typer(render_app, name="render")


def _render_exit(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, fg="red", err=True)
    return typer.Exit(code)


def wait_for_build() -> None:
    """Wait, saying so in one line, while a build is writing data/processed: a render started meanwhile
    would read some tables of the old build and some of the new one."""
    from countylib.ingest.build import exclusive
    from countylib.paths import processed_dir

    if processed_dir().is_dir():
        with exclusive(processed_dir(), wait=True,
                       on_wait=lambda line: typer.echo(f"{line}; the reports start after it", err=True)):
            pass


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
    import os
    import time
    from pathlib import Path

    from countylib import render
    from countylib.output import batch
    from countylib.paths import reports_dir

    wait_for_build()
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
    made: list[Path] = []
    try:
        out_dir = reports_dir() / batch.check_run_name(run)
        params = render.check_parameters(nb_path, dict(zip(names, values, strict=True)))
        if "output_dir" in render.notebook_parameters(nb_path):
            params["output_dir"] = str(_output_dir(params.get("output_dir"), out_dir))
        made = _folders_to_make(out_dir)
        batch.check_writable(out_dir)
    except (batch.BatchError, render.ParameterError) as exc:
        _remove_empty(made)
        raise _render_exit(f"{nb_path.name}: {exc}") from None
    stem = render.safe_filename(nb_path.stem + "".join(f"-{v}" for k, v in params.items() if k != "output_dir"))
    t0 = time.perf_counter()
    try:
        out = render.render_notebook(nb_path, out_dir / f"{stem}.html", params, no_input=not show_input)
    except render.KernelStartError as exc:
        _remove_empty(made)
        raise _render_exit(str(exc).splitlines()[0]) from None
    except KeyboardInterrupt:
        _remove_empty(made)
        raise _render_exit(f"{nb_path.name}: interrupted", 130) from None
    except Exception as exc:  # noqa: BLE001
        _remove_empty(made)
        detail = render.short_error(exc)
        if os.environ.get("COUNTYLIB_DEBUG"):
            raise _render_exit(f"{nb_path.name} failed: {detail}", 1) from None
        more = " (set COUNTYLIB_DEBUG=1 for the notebook's traceback)" if "\n" in detail else ""
        raise _render_exit(f"{nb_path.name} failed: {detail.splitlines()[0]}{more}", 1) from None
    typer.echo(f"wrote {out} in {time.perf_counter() - t0:.1f} s")


def _folders_to_make(folder) -> list:
    """``folder`` and those of its parents that do not exist yet, deepest first."""
    out = []
    while not folder.exists() and folder != folder.parent:
        out.append(folder)
        folder = folder.parent
    return out


def _remove_empty(folders: list) -> None:
    """Remove the folders a failed command made, if they are still empty (deepest first)."""
    for f in folders:
        try:
            f.rmdir()
        except OSError:
            return


def _output_dir(given, run_dir):
    """The folder a notebook writes its files (figures) into: inside the run folder, given or not; a path
    that leads out of ``reports/<run>/`` (``../../x``, ``/tmp``) is refused."""
    from pathlib import Path

    from countylib.output import batch

    if not given:
        return run_dir.resolve()
    target = Path(given)
    target = (target if target.is_absolute() else run_dir / target).resolve()
    if not target.is_relative_to(run_dir.resolve()):
        raise batch.BatchError(f"-p output_dir {given!r} leads out of the run folder {run_dir}; give a folder "
                               "inside it (a plain name such as maps) or leave it out")
    return target


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

    wait_for_build()

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
