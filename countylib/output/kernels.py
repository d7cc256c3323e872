"""Warm Jupyter kernels and the batch runner.

A batch keeps one kernel warm per worker: papermill injects each report's parameters, nbclient runs the
notebook in a kernel that already imported countylib and loaded the data, and before every report the
kernel's variables, open figures, matplotlib settings, pandas options and working folder are reset, so
no report sees another's state. Kernels are separate processes; the threads here only drive them.

* A kernel that cannot start is a :class:`KernelStartError` after ``startup_timeout`` seconds at most
  (a kernelspec whose command does not exist fails at once), never a hang.
* Ctrl-C stops a batch within seconds: the running reports are interrupted, the kernels shut down, and
  :func:`run_batch` returns what finished with ``interrupted=True`` so the caller can write its index.
* Kernels talk over Unix sockets in a private folder where the platform has them (no TCP port open to
  other users of the machine, and no unencrypted-transport warning in the logs).

>>> from countylib.output import runner
>>> runner.run_batch("notebooks/county_report.ipynb",
...                   [("410181", {"adcode": "410181"}, "out/410181.html")])  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import copy
import os
import queue
import re
import shutil
import signal
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from countylib import extras

try:
    import nbformat
except ImportError:  # the reports extra is not installed
    extras.require("reports", __name__, "nbformat")
    raise

from countylib.files import write_atomic
from countylib.output import export, fonts

extras.require("reports", __name__, "nbformat", "nbclient", "jupyter_client", "papermill", "ipykernel")

# The kernel's matplotlib backend is loaded (its first figure) before figures are set to show as compact
# PNGs: loading the inline backend registers its own PNG formatter.
DEFAULT_WARMUP = ("import countylib, countylib.county, countylib.maps\n"
                  "import matplotlib.pyplot as _countylib_plt\n"
                  "_countylib_plt.close(_countylib_plt.figure())\n"
                  "from countylib.output import plotting as _countylib_plotting\n"
                  "_countylib_plotting.use_compact_png()\n"
                  "del _countylib_plotting, _countylib_plt")
RESET_TAG = "countylib-reset"
RESET_SOURCE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "from countylib.output import kernel_state as _countylib_state\n"
    "_countylib_state.restore()\n"
    "del _countylib_state"
)
BASELINE_SOURCE = "from countylib.output import kernel_state as _s\n_s.snapshot()\ndel _s"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


class KernelStartError(RuntimeError):
    """A kernel did not start or did not answer; the message says which and what to check."""


@dataclass
class Outcome:
    """One report of a batch: where it went, whether it worked, how long it took, why it failed."""

    key: str
    path: str
    ok: bool
    seconds: float
    error: str = ""
    skipped: bool = False
    fingerprint: str = ""
    chars: dict = field(default_factory=dict)  # site pages: the characters shown, by font kind


@dataclass
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    planned: int = 0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def plain_text(text: str) -> str:
    """``text`` without ANSI colour codes (IPython colours its tracebacks).

    >>> plain_text("\\x1b[0;31mValueError\\x1b[0m: boom")
    'ValueError: boom'
    """
    return _ANSI.sub("", text)


def short_error(exc: BaseException) -> str:
    """The exception line first, then the last lines of the traceback; plain text.

    >>> short_error(ValueError("boom"))
    'ValueError: boom'
    """
    text = plain_text(str(exc)) or exc.__class__.__name__
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    if len(lines) <= 1:
        line = lines[0] if lines else text
        return line if re.match(r"^\w*(Error|Exception|Interrupt)\b", line) else f"{exc.__class__.__name__}: {line}"
    tail = [ln for ln in lines if re.match(r"^\w*(Error|Exception|Interrupt)\b", ln)]
    head = tail[-1] if tail else lines[-1]
    return head + "\n" + "\n".join(lines[-15:])


class WarmKernel:
    """One kernel kept alive across notebooks (use as a context manager, or call :meth:`close`)."""

    def __init__(self, cwd: str | Path, kernel_name: str = "python3", startup_timeout: float = 60.0,
                 timeout: int = 600, warmup: str | None = None):
        self.cwd = Path(cwd)
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.timeout = timeout
        self.warmup = warmup
        self.km = self.kc = None
        self._socket_dir: str | None = None
        self.start()

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start the kernel, wait until it answers, run the warm-up code and remember its settings."""
        from jupyter_client.kernelspec import NoSuchKernel
        from jupyter_client.manager import KernelManager

        options = {}
        if os.name == "posix":
            self._socket_dir = tempfile.mkdtemp(prefix="countylib-kernel-")
            options = {"transport": "ipc", "ip": os.path.join(self._socket_dir, "k")}
        self.km = KernelManager(kernel_name=self.kernel_name, **options)
        name = self.kernel_name
        try:
            self.km.start_kernel(cwd=str(self.cwd))
        except NoSuchKernel:
            self.close()
            raise KernelStartError(f"no Jupyter kernel named {name!r}; `jupyter kernelspec list` shows the "
                                   "installed ones (`make install` installs python3 into .venv)") from None
        except OSError as exc:
            self.close()
            what = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
            raise KernelStartError(f"kernel {name!r} did not start ({what}); check its command with "
                                   "`jupyter kernelspec list` and reinstall it (`make install`)") from None
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError as exc:
            self.close()
            raise KernelStartError(f"kernel {name!r} did not answer within {self.startup_timeout:.0f} s ({exc}); "
                                   "check that it starts with `jupyter console --kernel " + name + "`") from None
        setup = (self.warmup + "\n" if self.warmup else "") + BASELINE_SOURCE
        errors: list[str] = []
        reply = self.kc.execute_interactive(setup, timeout=max(self.timeout, 60), output_hook=_collect_errors(errors))
        if reply["content"]["status"] != "ok":
            self.close()
            detail = f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}"
            raise KernelStartError(f"kernel {name!r} started but its warm-up code failed: {detail}")

    def alive(self) -> bool:
        return bool(self.km is not None and self.km.is_alive())

    def ensure_alive(self) -> None:
        """Start a fresh kernel if this one died (a report that crashed its kernel does not sink the rest)."""
        if not self.alive():
            self.close()
            self.start()

    def run(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """Execute ``nb`` in this kernel (after the reset cell that :func:`prepare` put first)."""
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, timeout=self.timeout, kernel_name=self.kernel_name,
                                resources={"metadata": {"path": str(self.cwd)}})
        client.kc = self.kc
        client.execute(cleanup_kc=False)
        return nb

    def interrupt(self) -> None:
        """Interrupt whatever the kernel is running (the report fails at once with KeyboardInterrupt)."""
        with contextlib.suppress(Exception):
            if self.alive():
                self.km.interrupt_kernel()

    def close(self) -> None:
        """Shut the kernel down and remove its sockets; safe to call twice."""
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                self.km.cleanup_resources()
        self.km = self.kc = None
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None


def _collect_errors(errors: list[str]):
    def hook(msg):
        if msg.get("msg_type") == "error":
            errors.append(f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}")
    return hook


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """A notebook file as a node; cells saved without ids get ids from their position (quietly, and the same
    every time, so pages stay byte-identical)."""
    import json

    text = Path(path).read_text(encoding="utf-8")
    saved = [bool(c.get("id")) for c in json.loads(text).get("cells", [])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nbformat.validator.MissingIDFieldWarning)
        nb = nbformat.reads(text, as_version=4)
    if len(saved) == len(nb.cells):
        for i, (cell, had_id) in enumerate(zip(nb.cells, saved, strict=True)):
            if not had_id:
                cell["id"] = f"cell-{i}"
    return nb


def prepare(nb: nbformat.NotebookNode, params: dict) -> nbformat.NotebookNode:
    """``nb`` with the parameters injected (papermill) and the reset cell first."""
    from papermill.parameterize import parameterize_notebook

    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb.metadata.setdefault("kernelspec", {"name": "python3", "language": "python", "display_name": "Python 3"})
    if params:
        nb = parameterize_notebook(nb, params, report_mode=False)
        for cell in nb.cells:  # papermill's cell gets a random id: a fixed one keeps pages byte-identical
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell["id"] = "injected-parameters"
    reset = nbformat.v4.new_code_cell(RESET_SOURCE)
    reset.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, reset)
    return nb


def finish(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without the reset cell."""
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    return nb


def execute(nb_path: str | Path, params: dict, kernel: WarmKernel | None = None, cwd: str | Path | None = None,
            kernel_name: str = "python3") -> nbformat.NotebookNode:
    """Run a notebook with parameters: in ``kernel`` when given, else in a fresh kernel of its own."""
    nb_path = Path(nb_path)
    nb = prepare(read_notebook(nb_path), params)
    if kernel is not None:
        kernel.run(nb)
    else:
        with WarmKernel(cwd or nb_path.parent, kernel_name=kernel_name) as own:
            own.run(nb)
    return finish(nb)


def render_notebook(nb_path: str | Path, out_html: str | Path, params: dict | None = None, no_input: bool = True,
                    kernel: WarmKernel | None = None, cwd: str | Path | None = None, fingerprint: str = "") -> Path:
    """Execute ``nb_path`` with ``params`` and write ``out_html`` (self-contained, atomic). Returns the path."""
    out_html = Path(out_html)
    nb = execute(nb_path, dict(params or {}), kernel=kernel, cwd=cwd or Path(nb_path).parent)
    return write_atomic(out_html, export.to_html(nb, no_input=no_input, title=out_html.stem, fingerprint=fingerprint))


@contextlib.contextmanager
def shielded():
    """Ignore Ctrl-C for the duration (the clean-up after a first Ctrl-C must finish); main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class Job:
    """One report: its key, the notebook's parameters, the page to write, its fingerprint, and where it
    sits in a site (None: a self-contained page)."""

    key: str
    params: dict
    out: Path
    fingerprint: str
    site: object | None = None  # a countylib.output.site.SitePage
    site_dir: Path | None = None  # the run folder the site's shared files go to


def render_page(kernel: WarmKernel, template: nbformat.NotebookNode, job: Job, no_input: bool):
    """Run one report in ``kernel`` and export it: a self-contained page, or a site page with its shared
    files (:class:`countylib.output.site.Rendered`)."""
    from countylib.output.site import Rendered

    kernel.ensure_alive()
    nb = finish(kernel.run(prepare(copy.deepcopy(template), job.params)))
    if job.site is None:
        return Rendered(export.to_html(nb, no_input=no_input, title=job.out.stem, fingerprint=job.fingerprint))
    return export.to_site_page(nb, job.site, no_input=no_input, title=job.out.stem, fingerprint=job.fingerprint)


def write_rendered(job: Job, rendered) -> None:
    """Write a rendered page (and, for a site, the shared files it uses that are not there yet)."""
    from countylib.output.site import write_assets

    if rendered.assets:
        write_assets(Path(job.site_dir or job.out.parent), rendered.assets)
    write_atomic(job.out, rendered.html)


def _render_job(kernel: WarmKernel, template: nbformat.NotebookNode, job: Job, no_input: bool) -> Outcome:
    t0 = time.perf_counter()
    try:
        rendered = render_page(kernel, template, job, no_input)
        write_rendered(job, rendered)
        return Outcome(job.key, str(job.out), True, time.perf_counter() - t0, fingerprint=job.fingerprint,
                       chars=rendered.chars)
    except Exception as exc:  # noqa: BLE001 - isolate every report's failure
        return Outcome(job.key, str(job.out), False, time.perf_counter() - t0, error=short_error(exc),
                       fingerprint=job.fingerprint)


def start_kernels(n: int, cwd: Path, kernel_name: str = "python3", startup_timeout: float = 60.0,
                  timeout: int = 600, warmup: str | None = DEFAULT_WARMUP) -> list[WarmKernel]:
    """Start ``n`` kernels in parallel; if any fails, shut the others down and raise its error."""
    kernels: list[WarmKernel] = []
    errors: list[BaseException] = []

    def _one() -> None:
        try:
            kernels.append(WarmKernel(cwd, kernel_name, startup_timeout, timeout, warmup))
        except BaseException as exc:  # noqa: BLE001 - reported below, in the calling thread
            errors.append(exc)

    threads = [threading.Thread(target=_one, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    except KeyboardInterrupt:
        with shielded():
            for t in threads:
                t.join(startup_timeout)
            for k in kernels:
                k.close()
        raise
    if errors:
        for k in kernels:
            k.close()
        raise errors[0]
    return kernels


def run_local(template, cwd: Path, todo: list[Job], workers: int, no_input: bool, progress: bool,
               on_done, warmup, kernel_name, startup_timeout, timeout) -> tuple[list[Outcome], bool]:
    from tqdm import tqdm

    n = max(1, min(workers, len(todo)))
    font_thread = threading.Thread(target=_prepare_fonts, daemon=True)  # cut the fonts while kernels start
    font_thread.start()
    kernels = start_kernels(n, cwd, kernel_name, startup_timeout, timeout, warmup)
    pending: queue.SimpleQueue[Job] = queue.SimpleQueue()
    for job in todo:
        pending.put(job)
    results: queue.SimpleQueue[Outcome | None] = queue.SimpleQueue()
    stop = threading.Event()

    def work(kernel: WarmKernel) -> None:
        try:
            while not stop.is_set():
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                results.put(_render_job(kernel, template, job, no_input))
        finally:
            results.put(None)

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in kernels]
    outcomes: list[Outcome] = []
    interrupted = False
    bar = tqdm(total=len(todo), desc="reports", unit="report", disable=not progress)

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
        bar.update(1)
        if not outcome.ok:
            bar.write(f"failed: {outcome.key}: {outcome.error.splitlines()[0] if outcome.error else ''}")

    try:
        font_thread.join()
        for t in threads:
            t.start()
        running = len(threads)
        while running:
            try:
                item = results.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is None:
                running -= 1
            else:
                record(item)
    except KeyboardInterrupt:
        interrupted = True
        with shielded():
            stop.set()
            for k in kernels:
                k.interrupt()
            deadline = time.monotonic() + 10
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()))
            while True:  # reports that finished before the interrupt reached them are kept
                try:
                    item = results.get_nowait()
                except queue.Empty:
                    break
                if item is not None and item.ok:
                    record(item)
    finally:
        with shielded():
            for k in kernels:
                k.close()
            bar.close()
    return outcomes, interrupted


def _prepare_fonts() -> None:
    with contextlib.suppress(Exception):  # without processed data the pages cut from the full font
        fonts.prepare()
