"""A process killed with SIGKILL loses no edit made more than a second before it died."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import pytest
from tests.helpers.project_state import dataset_state as _state

from tunedesk.core.project import Project

CHILD = Path(__file__).with_name("crash_child.py")
SEED = 20240611
RUN_SECONDS = 1.5
GRACE_SECONDS = 1.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]


def _child_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tunedesk_crash_child", CHILD)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_and_kill(path: Path, pause: float) -> tuple[list[tuple[int, float]], float, str]:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(path), str(SEED), str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(30), "the child did not start"
        assert lines[0] == "ready", lines[:3]
        time.sleep(RUN_SECONDS)
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        proc.wait(10)
        reader.join(10)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, err
    edits = []
    for line in lines[1:]:
        word, n, stamp = line.split()
        assert word == "edit"
        edits.append((int(n), float(stamp)))
    return edits, killed_at, err


@pytest.mark.parametrize("pause", [0.001, 0.0], ids=["typing-fast", "flood"])
def test_sigkill_loses_nothing_older_than_a_second(tmp_path: Path, pause: float) -> None:
    child = _child_module()
    path = tmp_path / "crash.tunedesk"
    Project.create(path, child.initial_dataset()).close()

    edits, killed_at, err = _run_and_kill(path, pause)
    must_have = max((n for n, t in edits if t < killed_at - GRACE_SECONDS), default=0)
    last_printed = max((n for n, _ in edits), default=0)
    assert must_have >= 50, f"the child made too few edits to prove anything: {edits[:5]} {err}"

    with Project.open(path) as project:  # opens without error after the crash
        saved = _state(project.dataset)
        saved_rows = len(project.dataset)

    # Replay the child's edits in memory: the file must hold exactly edits 1..k for some
    # k >= must_have (transactions commit whole and in order; the last edit may have been
    # made but not yet printed when the kill arrived).
    ds = child.initial_dataset()
    rng = random.Random(SEED)
    for n in range(1, must_have):
        child.make_edit(ds, rng, n)
    matched = None
    for n in range(must_have, last_printed + 2):
        child.make_edit(ds, rng, n)
        if len(ds) == saved_rows and _state(ds) == saved:
            matched = n
            break
    assert matched is not None, (
        f"the saved project is not the state after any edit {must_have}..{last_printed + 1}"
    )

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        positions = [r[0] for r in conn.execute("SELECT pos FROM examples ORDER BY pos")]
    finally:
        conn.close()
    assert positions == list(range(saved_rows))
    stamps = dict(edits)
    behind = killed_at - stamps.get(matched, killed_at)
    print(  # noqa: T201 - the figures are the point of this test's -s output
        f"\n[{pause=}] edits printed: {last_printed}, required (>1 s old): {must_have}, "
        f"saved through edit {matched} (made {behind:.3f} s before the kill); rows {saved_rows}"
    )
