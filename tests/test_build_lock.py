"""Two builds at once, with real processes: one waits for the other, processed/ always matches one state of
raw/, and what a killed build left behind is removed by the next one (never a live build's folder)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pandas as pd

from countylib.ingest.build import LOCK_NAME
from tests.conftest import ROOT, raw_with_history, write_source

# A build in a process of its own; PAUSE=read stops it after reading data/raw, PAUSE=write after its first
# output file is in the temporary folder, until the file named by GO exists (it first writes READY).
BUILDER = """
import os, sys, time
from pathlib import Path
from countylib.ingest import build as b

def hold():
    Path(os.environ["READY"]).write_text("ready")
    while not Path(os.environ["GO"]).exists():
        time.sleep(0.05)

def after(fn):
    def wrapped(*args, **kwargs):
        result = fn(*args, **kwargs)
        if not getattr(wrapped, "done", False):
            wrapped.done = True
            hold()
        return result
    return wrapped

pause = os.environ.get("PAUSE", "")
if pause == "read":
    b._read_all = after(b._read_all)
elif pause == "write":
    b._write_parquet = after(b._write_parquet)
try:
    b.build(Path(sys.argv[1]), Path(sys.argv[2]), boundaries=False)
except b.BuildError as exc:
    print(f"build failed: {exc}", file=sys.stderr)
    sys.exit(2)
"""

HEADER = "county,adcode,province,year,indicator,value_text,unit\n"
ROWS = [("巩义市", "410181", "962.58"), ("登封市", "410185", "478.4"), ("新密市", "410183", "550.1"),
        ("新郑市", "410184", "1401.35"), ("荥阳市", "410182", "810.33")]


def _figures(rows) -> str:
    return HEADER + "".join(f"{n},{c},河南省,2022,gdp,{v},亿元\n" for n, c, v in rows)


def _start(tmp: Path, tag: str, raw: Path, out: Path, pause: str = "") -> tuple[subprocess.Popen, Path, Path, Path]:
    ready, go, err = tmp / f"{tag}.ready", tmp / f"{tag}.go", tmp / f"{tag}.err"
    env = {**os.environ, "PAUSE": pause, "READY": str(ready), "GO": str(go), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", BUILDER, str(raw), str(out)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=err.open("w"))
    return proc, ready, go, err


def _until(condition, proc: subprocess.Popen | None = None, seconds: float = 120) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        if proc is not None and proc.poll() is not None:
            return condition()
        time.sleep(0.05)
    return False


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.is_dir() and p.name.startswith(f".{out.name}-"))


def test_a_second_build_waits_and_the_output_matches_raw_as_it_is_now(tmp_path):
    """Build A reads five rows, then the file is cut to two and build B starts: B waits for A; A sees the
    change and replaces nothing; B then builds the two rows. Without the lock B finished first and A, older,
    overwrote it with five rows beside the new file's hash."""
    raw = raw_with_history(tmp_path / "raw")
    write_source(raw, "f.csv", _figures(ROWS), "figures_long")
    out = tmp_path / "processed"
    a, a_ready, a_go, a_err = _start(tmp_path, "a", raw, out, pause="read")
    try:
        assert _until(a_ready.exists, a), a_err.read_text()
        (raw / "f.csv").write_text(_figures(ROWS[:2]), encoding="utf-8")
        b, _, _, b_err = _start(tmp_path, "b", raw, out)
        waited = _until(lambda: "waiting" in b_err.read_text(), b, seconds=60)
        a_go.write_text("go")
        assert a.wait(120) == 2 and b.wait(120) == 0, (a_err.read_text(), b_err.read_text())
    finally:
        for p in (a, locals().get("b")):
            if p is not None and p.poll() is None:
                p.kill()
    assert waited
    line = b_err.read_text().strip()
    assert line.count("\n") == 0 and line.startswith(f"another build of {out} is running; waiting for it")
    assert "f.csv changed in" in a_err.read_text() and "nothing was replaced" in a_err.read_text()
    table = pd.read_parquet(out / "indicators.parquet")
    assert sorted(table[table.source_id == "f.csv"].adcode) == ["410181", "410185"]
    sources = pd.read_parquet(out / "sources.parquet").set_index("source_id")
    assert sources.loc["f.csv", "sha256"] == hashlib.sha256((raw / "f.csv").read_bytes()).hexdigest()[:16]


def test_a_killed_build_leaves_a_folder_the_next_build_removes_but_never_a_live_builds(tmp_path):
    raw = raw_with_history(tmp_path / "raw")
    write_source(raw, "f.csv", _figures(ROWS), "figures_long")
    out = tmp_path / "processed"
    killed, k_ready, _, k_err = _start(tmp_path, "k", raw, out, pause="write")
    assert _until(k_ready.exists, killed), k_err.read_text()
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(30)
    left = _leftovers(out)
    assert len(left) == 1 and any((out.parent / left[0]).iterdir())  # what the killed build was writing
    live, l_ready, l_go, l_err = _start(tmp_path, "l", raw, out, pause="write")
    try:
        assert _until(l_ready.exists, live), l_err.read_text()
        mine = _leftovers(out)
        assert len(mine) == 1 and mine != left  # the dead build's folder is gone; the live build's is there
        third, _, _, t_err = _start(tmp_path, "t", raw, out)
        assert _until(lambda: "waiting" in t_err.read_text(), third, seconds=60), t_err.read_text()
        assert _leftovers(out) == mine  # a waiting build leaves the live build's folder alone
        l_go.write_text("go")
        assert live.wait(120) == 0 and third.wait(120) == 0, (l_err.read_text(), t_err.read_text())
    finally:
        for p in (live, locals().get("third")):
            if p is not None and p.poll() is None:
                p.kill()
    assert _leftovers(out) == []
    assert len(pd.read_parquet(out / "indicators.parquet").query("source_id == 'f.csv'")) == 5


def test_no_wait_refuses_in_one_line_while_another_process_builds(tmp_path):
    home = tmp_path / "project"
    raw_with_history(home / "data" / "raw")
    out = home / "data" / "processed"
    out.mkdir(parents=True)
    cmd = [str(Path(sys.executable).with_name("countylib")), "build", "--no-boundaries", "--no-progress", "--no-wait"]
    env = {**os.environ, "COUNTYLIB_HOME": str(home)}
    with filelock.FileLock(str(out / LOCK_NAME)):  # this process builds, as far as the other can tell
        busy = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert busy.returncode == 2 and busy.stderr.strip().count("\n") == 0
    assert "another build of" in busy.stderr and "is running" in busy.stderr and "Traceback" not in busy.stderr
    assert not (out / "indicators.parquet").exists()
    free = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert free.returncode == 0 and (out / "indicators.parquet").exists()


def test_the_state_a_build_checks_covers_the_code_history_folder(tmp_path):
    """A change to data/raw/areacodes/ while a build reads it is noticed like a change to any raw file."""
    from countylib.ingest.build import raw_state

    raw = raw_with_history(tmp_path / "raw")
    before = raw_state(raw)
    assert "areacodes/result.csv" in before
    history = raw / "areacodes" / "result.csv"
    history.write_bytes(history.read_bytes() + b"\n")
    after = raw_state(raw)
    assert [k for k in before if before[k] != after.get(k)] == ["areacodes/result.csv"]


def test_a_render_waits_for_a_running_build(tmp_path, monkeypatch, capsys):
    """A report batch started while a build writes data/processed waits for it, saying so in one line."""
    import threading

    from countylib.cli import wait_for_build
    from countylib.ingest.build import exclusive

    monkeypatch.setenv("COUNTYLIB_HOME", str(tmp_path))
    processed = tmp_path / "data" / "processed"
    (tmp_path / "data" / "raw").mkdir(parents=True)
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def build():
        with exclusive(processed):
            held.set()
            release.wait(10)

    builder = threading.Thread(target=build)
    builder.start()
    held.wait(10)
    waiter = threading.Thread(target=lambda: (wait_for_build(), done.set()))
    waiter.start()
    time.sleep(0.5)
    assert not done.is_set(), "the render went ahead while the build held the lock"
    release.set()
    waiter.join(10)
    builder.join(10)
    assert done.is_set()
    assert "waiting for it to finish" in capsys.readouterr().err
