"""The batch runner: plan a batch of reports (what is up to date, what to render) and run it on warm local
kernels (:mod:`countylib.output.kernels`) or on a Dask cluster (:mod:`countylib.output.cluster`).

>>> from countylib.output import runner
>>> runner.run_batch("notebooks/county_report.ipynb", [("410181", {"adcode": "410181"}, "out.html")])  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from countylib.output import cluster, fingerprints, kernels


def run_batch(
    nb_path: str | Path,
    jobs: Iterable[tuple[str, dict, str | Path]],
    workers: int = 2,
    no_input: bool = True,
    resume: bool = False,
    progress: bool = True,
    on_done: Callable[[kernels.Outcome], None] | None = None,
    warmup: str | None = kernels.DEFAULT_WARMUP,
    scheduler=None,
    kernel_name: str = "python3",
    startup_timeout: float = 60.0,
    timeout: int = 600,
    site_pages: dict | None = None,
    site_dir: str | Path | None = None,
) -> kernels.BatchResult:
    """Render many ``(key, params, out_html)`` jobs with a pool of warm kernels; failures never stop it.

    ``resume``: skip a job whose page exists and carries the fingerprint of this notebook, these parameters,
    the processed data and this countylib (:mod:`countylib.output.fingerprints`).
    ``scheduler``: address of a Dask distributed scheduler (or a ``Client``) to run the batch on a cluster.
    ``site_pages``: key -> :class:`~countylib.output.site.SitePage` for pages of a site whose shared files
    go to ``site_dir`` (the page's place and links are part of its fingerprint).
    Ctrl-C returns what finished, with ``interrupted=True``.
    """
    nb_path = Path(nb_path).resolve()
    start = time.perf_counter()
    notebook = nb_path.read_bytes()
    inputs = fingerprints.inputs_digest()
    result = kernels.BatchResult()
    todo: list[kernels.Job] = []
    site_pages = site_pages or {}
    for key, params, out in jobs:
        site = site_pages.get(key)
        fp = fingerprints.job_fingerprint(notebook, params, inputs, page_context(site))
        if resume and fingerprints.stored_fingerprint(Path(out)) == fp:
            result.outcomes.append(kernels.Outcome(key, str(out), True, 0.0, skipped=True, fingerprint=fp))
        else:
            todo.append(kernels.Job(key, params, Path(out), fp, site, Path(site_dir) if site_dir else None))
    result.planned = len(todo) + len(result.outcomes)
    if todo:
        if scheduler is not None:
            done, result.interrupted = cluster.run_on_cluster(nb_path, todo, scheduler, no_input, progress, on_done)
        else:
            template = kernels.read_notebook(nb_path)
            done, result.interrupted = kernels.run_local(template, nb_path.parent, todo, workers, no_input, progress,
                                                  on_done, warmup, kernel_name, startup_timeout, timeout)
        result.outcomes += done
    result.outcomes.sort(key=lambda o: o.key)
    result.seconds = time.perf_counter() - start
    return result


def page_context(site) -> dict | None:
    """What a page's fingerprint adds for a site page: its place in the site and the pages it links."""
    if site is None:
        return None
    return {"site": site.root, "links": sorted(site.links.items()), "province": list(site.province)}
