"""A batch on a Dask distributed cluster (``pip install 'countylib[distributed]'``): one warm kernel per
worker process, reused across the reports that worker renders.

>>> from countylib.output import runner
>>> runner.run_batch("notebooks/county_report.ipynb", jobs, scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import time
from pathlib import Path

from countylib.output import kernels

_WORKER_KERNEL = None


def remote_render(nb_path: str, params: dict, out: str, no_input: bool, key: str, fingerprint: str = ""):
    """Run on a Dask worker: render one report in the worker's warm kernel (started on first use)."""
    global _WORKER_KERNEL
    t0 = time.perf_counter()
    try:
        if _WORKER_KERNEL is None:
            _WORKER_KERNEL = kernels.WarmKernel(Path(nb_path).parent, warmup=kernels.DEFAULT_WARMUP)
            atexit.register(_WORKER_KERNEL.close)  # the worker shuts its kernel down when it exits
        _WORKER_KERNEL.ensure_alive()
        kernels.render_notebook(nb_path, out, params, no_input=no_input, kernel=_WORKER_KERNEL,
                                cwd=Path(nb_path).parent, fingerprint=fingerprint)
        return kernels.Outcome(key, out, True, time.perf_counter() - t0, fingerprint=fingerprint)
    except Exception as exc:  # noqa: BLE001 - isolate every report's failure
        return kernels.Outcome(key, out, False, time.perf_counter() - t0, error=kernels.short_error(exc),
                               fingerprint=fingerprint)


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
        futures = [client.submit(remote_render, str(nb_path), j.params, str(j.out), no_input, j.key, j.fingerprint,
                                 key=f"report-{j.key}-{j.fingerprint[:8]}", pure=False) for j in todo]
        with tqdm(total=len(futures), desc="reports (cluster)", unit="report", disable=not progress) as bar:
            for fut in dask_completed(futures):
                outcome = fut.result()
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
