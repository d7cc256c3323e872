"""Rendering: warm kernels keep reports isolated; one failure never stops a batch."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from countylib.output import render


def _notebook(path: Path) -> Path:
    params = new_code_cell('name = "a"\nfail = False\nleak_check = False')
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell(
        "if leak_check:\n"
        "    assert 'secret' not in dir(), 'a variable leaked from the previous report'\n"
        "secret = name\n"
        "if fail:\n"
        "    raise ValueError(f'report {name} failed on purpose')\n"
        "print('县域报告', name)"
    )
    nb = new_notebook(cells=[params, body])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_batch_isolates_reports_and_survives_a_failure(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    jobs = [
        ("1", {"name": "一"}, tmp_path / "out" / "1.html"),
        ("2", {"name": "二", "fail": True}, tmp_path / "out" / "2.html"),
        ("3", {"name": "三", "leak_check": True}, tmp_path / "out" / "3.html"),
        ("4", {"name": "四", "leak_check": True}, tmp_path / "out" / "4.html"),
    ]
    result = render.run_batch(nb, jobs, workers=1, progress=False, warmup=None)
    status = {o.key: o.ok for o in result.outcomes}
    assert status == {"1": True, "2": False, "3": True, "4": True}
    failure = result.failures[0]
    assert "report 二 failed on purpose" in failure.error
    assert not (tmp_path / "out" / "2.html").exists()
    page = (tmp_path / "out" / "3.html").read_text(encoding="utf-8")
    assert "县域报告 三" in page and "leak_check" not in page  # code hidden by default


def test_resume_skips_up_to_date_reports(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    out = tmp_path / "out" / "1.html"
    render.run_batch(nb, [("1", {"name": "x"}, out)], workers=1, progress=False, warmup=None)
    again = render.run_batch(nb, [("1", {"name": "x"}, out)], workers=1, progress=False, resume=True, warmup=None)
    assert again.outcomes[0].skipped


def test_safe_filenames():
    assert render.safe_filename("410181-巩义市") == "410181-巩义市"
    assert "/" not in render.safe_filename("../../etc/passwd")
    assert render.safe_filename("") == "report"


def test_index_page_lists_reports_and_failures():
    page = render.index_html("河南", [{"代码": "410181", "名称": "巩义市", "报告": "county/a.html"}], {"year": 2022},
                             [render.Outcome("410225", "x", False, 0.1, error="ValueError: boom")], None)
    assert "巩义市" in page and "county/a.html" in page and "ValueError: boom" in page and "sortBy" in page


def test_batch_runs_on_a_dask_local_cluster(tmp_path):
    from distributed import Client, LocalCluster

    nb = _notebook(tmp_path / "t.ipynb")
    jobs = [(str(i), {"name": f"n{i}", "fail": i == 2, "leak_check": True}, tmp_path / "out" / f"{i}.html")
            for i in range(1, 4)]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result = render.run_batch(nb, jobs, progress=False, scheduler=client.scheduler.address)
    assert {o.key: o.ok for o in result.outcomes} == {"1": True, "2": False, "3": True}
    assert "failed on purpose" in result.failures[0].error
    assert "n3" in (tmp_path / "out" / "3.html").read_text(encoding="utf-8")
