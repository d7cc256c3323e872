"""`countylib render county` and `render notebook` as a researcher runs them: checks before any kernel
starts, runs that keep their reports, the year in the path, failures that link nowhere, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from countylib.cli import app
from countylib.output import kernels
from tests.projects import report_project, tiny_notebook

runner = CliRunner()
REPORT = (
    "import os, time\n"
    "from pathlib import Path\n"
    "pids = Path(os.environ['COUNTYLIB_HOME'], 'pids')\n"
    "pids.mkdir(exist_ok=True)\n"
    "(pids / str(os.getpid())).touch()\n"
    "if adcode == os.environ.get('FAIL_ADCODE'):\n"
    "    raise RuntimeError(f'county {adcode} failed on purpose')\n"
    "time.sleep(float(os.environ.get('REPORT_SECONDS', '0')))\n"
    "print('报告', adcode, year)"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = report_project(tmp_path_factory.mktemp("project"))
    tiny_notebook(root / "notebooks" / "tiny.ipynb", REPORT)
    return root


@pytest.fixture
def home(project, monkeypatch):
    monkeypatch.setenv("COUNTYLIB_HOME", str(project))
    monkeypatch.delenv("FAIL_ADCODE", raising=False)
    return project


@pytest.fixture
def no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started before the checks")
    monkeypatch.setattr(kernels.WarmKernel, "start", refuse)


def _county(*args: str):
    return runner.invoke(app, ["render", "county", "--notebook", "notebooks/tiny.ipynb", "--jobs", "1", *args])


def test_render_county_checks_before_any_kernel_starts(home, no_kernels, tmp_path, monkeypatch):
    bad = _county("--province", "河楠省", "--run", "checks")
    assert bad.exit_code == 2 and "unknown province or prefecture '河楠省'" in bad.output and "河南省" in bad.output
    assert _county("--run", "../x").exit_code == 2
    assert "plain folder name" in _county("--run", "../x").output
    (home / "reports" / "blocked").write_text("a file where the run folder should be")
    blocked = _county("--run", "blocked", "--only", "410181")
    assert blocked.exit_code == 2 and "cannot write to" in blocked.output
    empty = tmp_path / "empty"
    (empty / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("COUNTYLIB_HOME", str(empty))
    unbuilt = _county("--run", "checks")
    assert unbuilt.exit_code == 2 and "countylib build" in unbuilt.output


def test_render_notebook_checks_parameters_before_a_kernel_starts(home, no_kernels):
    nb = str(home / "notebooks" / "choropleth.ipynb")
    unknown = runner.invoke(app, ["render", "notebook", nb, "-p", "yaer", "2021"])
    assert unknown.exit_code == 2
    assert "no parameter 'yaer' (did you mean year?)" in unknown.output and "indicator (str" in unknown.output
    wrong = runner.invoke(app, ["render", "notebook", nb, "-p", "year", "二〇二二"])
    assert wrong.exit_code == 2 and "parameter 'year' takes int" in wrong.output
    code = runner.invoke(app, ["render", "notebook", nb, "-p", "x=1;import os;y", "1"])
    assert code.exit_code == 2 and "is not a parameter name" in code.output


def _run(project: Path, run: str) -> dict:
    return json.loads((project / "reports" / run / "run.json").read_text(encoding="utf-8"))


def _links(project: Path, run: str) -> set[str]:
    import re

    page = (project / "reports" / run / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<a href="(county/[^"]+)">', page))


def test_only_adds_to_a_run_and_the_year_is_in_the_path(home):
    assert _county("--only", "410181", "--run", "adds").exit_code == 0
    assert _county("--only", "411525", "--run", "adds").exit_code == 0
    record = _run(home, "adds")
    assert [(r["key"], r["year"], r["status"]) for r in record["reports"]] == [("410181", 2022, "ok"),
                                                                              ("411525", 2022, "ok")]
    assert _links(home, "adds") == {"county/2022/410181-巩义市.html", "county/2022/411525-固始县.html"}
    older = _county("--only", "410181", "--run", "adds", "--year", "2021", "--resume")
    assert older.exit_code == 0 and "1 rendered, 0 up to date" in older.output
    assert "报告 410181 2021" in (home / "reports/adds/county/2021/410181-巩义市.html").read_text(encoding="utf-8")
    assert "报告 410181 2022" in (home / "reports/adds/county/2022/410181-巩义市.html").read_text(encoding="utf-8")
    again = _county("--only", "410181,411525", "--run", "adds", "--resume")
    assert "0 rendered, 2 up to date" in again.output
    assert len(_run(home, "adds")["reports"]) == 3
    index = (home / "reports" / "adds" / "index.html").read_text(encoding="utf-8")
    assert "<th scope=\"row\">跳过未变的报告（--resume）</th><td>是</td>" in index and "no_input" not in index
    assert _run(home, "adds")["batches"][-1]["parameters"]["resume"] is True  # run.json keeps the command's names


def test_a_failed_report_links_nowhere_and_its_error_is_plain_text(home, monkeypatch):
    # self-contained pages: nothing links a failed page, so none is left (a site leaves a notice instead)
    assert _county("--only", "410181,411525", "--run", "fails", "--self-contained").exit_code == 0
    monkeypatch.setenv("FAIL_ADCODE", "410181")
    failed = _county("--only", "410181,411525", "--run", "fails", "--self-contained")
    assert failed.exit_code == 1 and "county 410181 failed on purpose" in failed.output
    assert not (home / "reports/fails/county/2022/410181-巩义市.html").exists(), "a stale page was left behind"
    assert _links(home, "fails") == {"county/2022/411525-固始县.html"}
    record = _run(home, "fails")
    error = next(r["error"] for r in record["reports"] if r["key"] == "410181")
    assert error.startswith("RuntimeError: county 410181 failed on purpose") and "\x1b" not in error
    index = (home / "reports/fails/index.html").read_text(encoding="utf-8")
    assert "county 410181 failed on purpose" in index and "\x1b" not in index and "[0;31m" not in index


def test_one_ctrl_c_stops_the_batch_and_writes_the_index(home):
    env = {**os.environ, "COUNTYLIB_HOME": str(home), "REPORT_SECONDS": "4"}
    env.pop("FAIL_ADCODE", None)
    for pid in (home / "pids").glob("*") if (home / "pids").exists() else []:
        pid.unlink()
    codes = "410181,411525,410122,410183,410184"
    proc = subprocess.Popen([sys.executable, "-m", "countylib.cli", "render", "county", "--notebook",
                             "notebooks/tiny.ipynb", "--jobs", "1", "--run", "ctrlc", "--only", codes],
                            cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    first = home / "reports" / "ctrlc" / "county" / "2022"
    deadline = time.monotonic() + 120
    while not list(first.glob("*.html")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert list(first.glob("*.html")), proc.communicate()[0].decode()
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    out = proc.communicate(timeout=60)[0].decode()
    # What proves the batch stopped is the count of finished reports below (left alone it would finish all
    # five); this bound only catches a hang, with room for a loaded machine.
    assert time.monotonic() - t0 < 45, f"the batch took {time.monotonic() - t0:.1f} s to stop"
    assert proc.returncode == 130, out
    assert "interrupted:" in out and "--resume" in out
    record = _run(home, "ctrlc")
    status = {r["key"]: r["status"] for r in record["reports"]}
    assert list(status.values()).count("ok") in (1, 2) and "interrupted" in status.values()
    assert _links(home, "ctrlc") == {r["path"] for r in record["reports"] if r["status"] == "ok"}
    for pid in (home / "pids").glob("*"):
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid.name), 0)  # every kernel is gone


def test_options_of_render_county_given_to_render_notebook_are_named(home, no_kernels):
    nb = str(home / "notebooks" / "county_report.ipynb")
    out = runner.invoke(app, ["render", "notebook", nb, "-p", "adcode", "410102", "--districts"])
    assert out.exit_code == 2
    assert "render notebook has no option --districts" in out.output
    assert "option of `countylib render county`" in out.output
    other = runner.invoke(app, ["render", "notebook", nb, "-p", "adcode", "410102", "--colour"])
    assert other.exit_code == 2 and "no option --colour" in other.output and "render county" not in other.output
    negative = runner.invoke(app, ["render", "notebook", nb, "-p", "adcode", "-1"])
    assert "no option" not in negative.output, "a negative value is a value"


def test_only_a_district_without_districts_says_to_add_it(home, no_kernels):
    out = _county("--only", "410102,999999", "--run", "wards")
    assert out.exit_code == 2
    assert "410102 中原区: 市辖区, rendered only with --districts" in out.output
    assert "not county-level units: 999999" in out.output


def test_an_unreachable_scheduler_is_one_clear_error():
    import socket

    import dask
    import distributed  # noqa: F401 - its config defaults first, so leaving the `with` below restores only the timeout

    from countylib.output import cluster

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with (dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
          pytest.raises(kernels.KernelStartError, match=f"cannot reach the Dask scheduler at {address}")):
        cluster.run_on_cluster(Path("x.ipynb"), [], address, True, False)


def test_render_notebook_without_processed_data_fails_in_one_line_and_leaves_no_run_folder(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    (empty / "data" / "raw").mkdir(parents=True)
    nb = tiny_notebook(tmp_path / "needs_data.ipynb", "import countylib\ncountylib.load('gdp', year=year)")
    monkeypatch.setenv("COUNTYLIB_HOME", str(empty))
    monkeypatch.delenv("COUNTYLIB_DEBUG", raising=False)
    out = runner.invoke(app, ["render", "notebook", str(nb), "--run", "first"])
    assert out.exit_code == 1
    assert out.output.strip().count("\n") == 0, out.output
    assert "DataNotBuiltError" in out.output and "countylib build" in out.output
    assert not (empty / "reports").exists()  # neither reports/first nor reports/ itself are left behind


def test_render_notebook_keeps_output_dir_inside_the_run_folder(home, no_kernels, tmp_path):
    nb = tiny_notebook(tmp_path / "writes.ipynb", "print(output_dir)", params='year = 2022\noutput_dir = "."')
    for outside in ("../../x", "../other-run", str(tmp_path / "elsewhere")):
        out = runner.invoke(app, ["render", "notebook", str(nb), "--run", "kept", "-p", "output_dir", outside])
        assert out.exit_code == 2 and "leads out of the run folder" in out.output, out.output
    assert not (home / "x").exists() and not (tmp_path / "elsewhere").exists()
    assert not (home / "reports" / "kept").exists()
