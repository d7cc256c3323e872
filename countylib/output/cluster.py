"""A batch on a Dask distributed cluster (``pip install 'countylib[distributed]'``): one warm kernel per
worker process, reused across the reports that worker renders.

>>> from countylib.output import runner
>>> runner.run_batch("notebooks/county_report.ipynb", jobs, scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import time
from pathlib import Path

from countylib import caches
from countylib.output import kernels

_WORKER_KERNEL = None
_TEMPLATES: dict = {}  # notebook path -> its template, per worker process
caches.on_reload(_TEMPLATES.clear, "countylib.output.cluster._TEMPLATES", "notebook templates of a Dask worker",
                 lambda: len(_TEMPLATES))


def remote_render(nb_path: str, job: kernels.Job, no_input: bool):
    """Run on a Dask worker: render one report in the worker's warm kernel (started on first use) and hand
    the page back, with the shared files it uses: the client writes them, so the workers need no access
    to the run folder (only countylib and the same processed data)."""
    global _WORKER_KERNEL
    t0 = time.perf_counter()
    try:
        if _WORKER_KERNEL is None:
            _WORKER_KERNEL = kernels.WarmKernel(Path(nb_path).parent, warmup=kernels.DEFAULT_WARMUP)
            atexit.register(_WORKER_KERNEL.close)  # the worker shuts its kernel down when it exits
        if nb_path not in _TEMPLATES:
            _TEMPLATES[nb_path] = kernels.read_notebook(nb_path)
        rendered = kernels.render_page(_WORKER_KERNEL, _TEMPLATES[nb_path], job, no_input)
        outcome = kernels.Outcome(job.key, str(job.out), True, time.perf_counter() - t0,
                                  fingerprint=job.fingerprint, chars=rendered.chars)
        return outcome, rendered
    except Exception as exc:  # noqa: BLE001 - isolate every report's failure
        return kernels.Outcome(job.key, str(job.out), False, time.perf_counter() - t0,
                               error=kernels.short_error(exc), fingerprint=job.fingerprint), None


def run_on_cluster(nb_path: Path, todo: list, scheduler, no_input: bool, progress: bool, on_done=None):
    """Send the jobs to the cluster; return ``(outcomes, interrupted)``. Ctrl-C cancels what has not run."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--scheduler needs the optional extra: pip install 'countylib[distributed]'") from exc
    from tqdm import tqdm

    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    except (OSError, ValueError, TypeError) as exc:  # refused, timed out, unknown host, malformed address
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise kernels.KernelStartError(f"cannot reach the Dask scheduler at {scheduler} ({why}); start one with "
                               "`dask scheduler` or check the address and port") from None
    outcomes, interrupted = [], False
    futures = []
    try:
        jobs = {f"report-{j.key}-{j.fingerprint[:8]}": j for j in todo}
        futures = [client.submit(remote_render, str(nb_path), j, no_input, key=name, pure=False)
                   for name, j in jobs.items()]
        with tqdm(total=len(futures), desc="reports (cluster)", unit="report", disable=not progress) as bar:
            for fut in dask_completed(futures):
                outcome, rendered = fut.result()
                if rendered is not None:
                    try:
                        kernels.write_rendered(jobs[fut.key], rendered)
                    except OSError as exc:
                        outcome.ok, outcome.error = False, f"OSError: cannot write {outcome.path}: {exc.strerror}"
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
                bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
        with kernels.shielded():
            client.cancel(futures)
    finally:
        if not isinstance(scheduler, Client):
            with kernels.shielded():
                client.close()
    return outcomes, interrupted
