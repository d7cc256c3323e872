"""Rendering: warm kernels keep reports isolated (variables and settings); one failure never stops a
batch; resume decides by fingerprint; kernels that cannot start are errors, not hangs."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from countylib import render
from countylib.output import kernels


def _notebook(path: Path) -> Path:
    params = new_code_cell('name = "a"\nfail = False\nleak_check = False')
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell(
        "import matplotlib, pandas as pd\n"
        "if leak_check:\n"
        "    assert 'secret' not in dir(), 'a variable leaked from the previous report'\n"
        "    assert matplotlib.rcParams['font.size'] != 31, 'a matplotlib setting leaked'\n"
        "    assert pd.get_option('display.max_rows') != 3, 'a pandas option leaked'\n"
        "secret = name\n"
        "matplotlib.rcParams['font.size'] = 31\n"
        "pd.set_option('display.max_rows', 3)\n"
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
    assert status == {"1": True, "2": False, "3": True, "4": True}, [o.error for o in result.outcomes]
    failure = result.failures[0]
    assert failure.error.startswith("ValueError: report 二 failed on purpose")
    assert "\x1b[" not in failure.error, "ANSI colour codes reached the error text"
    assert not (tmp_path / "out" / "2.html").exists()
    page = (tmp_path / "out" / "3.html").read_text(encoding="utf-8")
    assert "县域报告 三" in page and "leak_check" not in page  # code hidden by default


def test_pages_are_written_with_the_users_permissions(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    old = os.umask(0o022)
    try:
        render.run_batch(nb, [("1", {"name": "x"}, tmp_path / "out" / "1.html")], workers=1, progress=False,
                         warmup=None)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out" / "1.html").stat().st_mode) == 0o644


def test_resume_skips_by_fingerprint_not_by_file_time(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    out = tmp_path / "out" / "1.html"
    job = [("1", {"name": "x"}, out)]
    render.run_batch(nb, job, workers=1, progress=False, warmup=None)
    os.utime(out, (0, 0))  # a page older than everything: times must not matter
    again = render.run_batch(nb, job, workers=1, progress=False, resume=True, warmup=None)
    assert again.outcomes[0].skipped
    other = render.run_batch(nb, [("1", {"name": "y"}, out)], workers=1, progress=False, resume=True, warmup=None)
    assert not other.outcomes[0].skipped and "县域报告 y" in out.read_text(encoding="utf-8")
    edited_nb = nbformat.read(nb, as_version=4)
    edited_nb.cells[1].source += "\nprint('edited')"
    nbformat.write(edited_nb, nb)
    edited = render.run_batch(nb, [("1", {"name": "y"}, out)], workers=1, progress=False, resume=True, warmup=None)
    assert not edited.outcomes[0].skipped, "an edited notebook must re-render"


def test_short_error_is_plain_text():
    err = kernels.short_error(RuntimeError("\x1b[0;31mValueError\x1b[0m: boom\nmore"))
    assert err.startswith("ValueError: boom") and "\x1b" not in err


def test_safe_filenames():
    assert render.safe_filename("410181-巩义市") == "410181-巩义市"
    assert "/" not in render.safe_filename("../../etc/passwd")
    assert render.safe_filename("") == "report" and render.safe_filename("..") == "report"


def _kernelspec(root: Path, name: str, argv: list[str]) -> None:
    folder = root / "kernels" / name
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": name, "language": "python"}))


def test_a_kernel_whose_command_does_not_exist_is_an_error_not_a_hang(tmp_path, monkeypatch):
    _kernelspec(tmp_path, "broken", ["/no/such/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    nb = _notebook(tmp_path / "t.ipynb")
    t0 = time.monotonic()
    with pytest.raises(render.KernelStartError, match="'broken' did not start.*no/such/python"):
        render.run_batch(nb, [("1", {}, tmp_path / "1.html")], workers=2, progress=False, warmup=None,
                         kernel_name="broken", startup_timeout=20)
    assert time.monotonic() - t0 < 15


def test_a_kernel_that_never_answers_times_out(tmp_path, monkeypatch):
    _kernelspec(tmp_path, "silent", ["sleep", "60"])
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    nb = _notebook(tmp_path / "t.ipynb")
    t0 = time.monotonic()
    with pytest.raises(render.KernelStartError, match="did not answer within 3 s"):
        render.run_batch(nb, [("1", {}, tmp_path / "1.html")], workers=1, progress=False, warmup=None,
                         kernel_name="silent", startup_timeout=3)
    assert time.monotonic() - t0 < 20


def test_an_unknown_kernel_name_is_an_error(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    with pytest.raises(render.KernelStartError, match="no Jupyter kernel named 'nope'"):
        render.run_batch(nb, [("1", {}, tmp_path / "1.html")], progress=False, warmup=None, kernel_name="nope")


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


def test_same_inputs_same_bytes(tmp_path):
    nb = _notebook(tmp_path / "t.ipynb")
    pages = []
    for run in ("a", "b"):
        out = tmp_path / run / "page.html"
        render.run_batch(nb, [("1", {"name": "巩义市"}, out)], workers=1, progress=False, warmup=None)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


STATE_REPORT = (
    "import countylib\n"
    "import countylib.data.registry as registry_module\n"
    "from countylib import indicators, regions\n"
    "if check:\n"
    "    assert len(regions.counties('河南', county_economy=True)) == 103, 'the registry kept a change'\n"
    "    assert regions.by_adcode().loc['410181', 'name'] == '巩义市', 'by_adcode kept a change'\n"
    "    assert registry_module.COUNTY_ECONOMY_KINDS[0] == '县', 'a module-level name kept a change'\n"
    "    assert countylib.load('gdp', province='河南', year=2022).value.notna().all(), 'load kept a change'\n"
    "    assert indicators.get('gdp').unit == '亿元'\n"
    "    print('clean start')\n"
    "else:\n"
    "    reg = regions.registry()\n"
    "    reg.drop(reg.index[reg.adcode == '410181'], inplace=True)\n"
    "    by = regions.by_adcode()\n"
    "    by.loc['410181', 'name'] = '改过的名字'\n"
    "    registry_module.COUNTY_ECONOMY_KINDS = ('市辖区',)\n"
    "    gdp = countylib.load('gdp', province='河南', year=2022)\n"
    "    gdp['value'] = float('nan')\n"
    "    try:\n"
    "        indicators.registry()['gdp'] = None\n"
    "    except TypeError:\n"
    "        pass\n"
    "    assert len(reg) == len(regions.registry()) - 1 and by.loc['410181', 'name'] == '改过的名字'\n"
    "    print('state changed')\n"
)


def test_each_report_in_a_warm_kernel_starts_as_in_a_fresh_kernel(tmp_path, bundled_build, monkeypatch):
    """A report that changes tables it was handed and rebinds countylib's module-level names leaves the
    next report in the same kernel the state a fresh kernel would have."""
    import warnings

    monkeypatch.setenv("COUNTYLIB_HOME", str(bundled_build))
    params = new_code_cell("check = False")
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, new_code_cell(STATE_REPORT)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "state.ipynb"
    nbformat.write(nb, path)
    jobs = [("1", {"check": False}, tmp_path / "1.html"), ("2", {"check": True}, tmp_path / "2.html"),
            ("3", {"check": False}, tmp_path / "3.html"), ("4", {"check": True}, tmp_path / "4.html")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = render.run_batch(path, jobs, workers=1, progress=False)
    errors = {o.key: o.error for o in result.outcomes if not o.ok}
    assert not errors, errors
    assert "clean start" in (tmp_path / "4.html").read_text(encoding="utf-8")


def test_resume_fingerprint_covers_inlined_scripts_and_the_versions_that_draw_pages(tmp_path, monkeypatch):
    """A page made with another sort script, another Leaflet or another nbconvert is not up to date."""
    import shutil
    from importlib import metadata

    from countylib import paths
    from countylib.output import fingerprints

    pkg = tmp_path / "countylib"
    shutil.copytree(paths.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", pkg)
    base = fingerprints.code_digest()
    assert fingerprints.code_digest() == base  # nothing changed, same fingerprint
    script = pkg / "output" / "templates" / "sort_table.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// sorts differently\n", encoding="utf-8")
    edited = fingerprints.code_digest()
    assert edited != base
    real = metadata.version
    for package in ("nbconvert", "xstatic-leaflet", "matplotlib"):
        monkeypatch.setattr(metadata, "version", lambda name, p=package: "0.0.1" if name == p else real(name))
        assert fingerprints.code_digest() != edited, package
    monkeypatch.setattr(metadata, "version", real)
    assert fingerprints.code_digest() == edited


def test_figures_of_a_batch_are_palette_pngs_sized_for_the_screen(tmp_path):
    import base64
    import io
    import re

    from PIL import Image

    body = new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(6, 3))\n"
                         "ax.bar(['甲', '乙'], [1, 2])")
    nb = new_notebook(cells=[body])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "fig.ipynb"
    nbformat.write(nb, path)
    result = render.run_batch(path, [("1", {}, tmp_path / "fig.html")], workers=1, progress=False)
    assert not result.failures, result.failures[0].error
    page = (tmp_path / "fig.html").read_text(encoding="utf-8")
    image = Image.open(io.BytesIO(base64.b64decode(re.search(r"data:image/png;base64,([^\"']+)", page).group(1))))
    assert image.mode == "P", "a batch's figures are palette PNGs"
    assert image.size[0] <= 620  # 6 inches at 100 dpi (the tight box trims the margins)
