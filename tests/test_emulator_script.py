"""``scripts/emulator.sh``: the emulator comes up, the real app runs against it, all goes down.

The test's own XDG folders (isolated by ``tests/conftest.py``) stand in for the developer's
real profile. The script keeps its state in ``$XDG_CACHE_HOME/tunedesk-emulator`` (CA, log
and the throwaway profile), so afterwards the sample project must be in that profile, and
the test's config, data and state folders must still be empty.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "emulator.sh"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="the throwaway profile is XDG folders"
    ),
    pytest.mark.skipif(
        not (REPO / ".venv" / "bin" / "python").exists(),
        reason="needs the repository's .venv (scripts/test.sh makes it)",
    ),
]


def _processes_mentioning(text: str) -> dict[int, str]:
    """Live processes whose arguments or environment mention ``text``: pid -> command line."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:  # gone, or not ours
            continue
        if text.encode() in cmdline + environ:
            found[int(proc.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return found


@pytest.fixture
def _kill_leftovers(tmp_path: Path) -> Iterator[None]:
    """Even a failing run leaves nothing behind (the script, the app, the emulator)."""
    yield
    for pid in _processes_mentioning(str(tmp_path)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.usefixtures("_kill_leftovers")
def test_one_command_runs_the_app_against_the_emulator_and_cleans_up(tmp_path: Path) -> None:
    xdg = {
        name: Path(os.environ[name])
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
    }
    env = {**os.environ, "HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    script = subprocess.Popen(
        ["sh", str(SCRIPT), "--quit-after", "3000"],
        cwd=tmp_path,  # the script finds the repository by itself
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so a hung run can be ended as a whole
    )
    try:
        output, _ = script.communicate(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(script.pid, signal.SIGKILL)
        output, _ = script.communicate()
        pytest.fail(f"scripts/emulator.sh did not finish:\n{output}")
    assert script.returncode == 0, output

    emulator_dir = xdg["XDG_CACHE_HOME"] / "tunedesk-emulator"
    log = emulator_dir / "emulator.log"
    assert str(log) in output
    assert "Service principal: tenant" in output  # the sign-in facts reach the terminal
    listening = re.search(r"Azure emulator listening on http://127\.0\.0\.1:(\d+)", log.read_text())
    assert listening, log.read_text()

    # Stopped cleanly: its env file is gone, nothing listens on its port, no process is left.
    assert not (emulator_dir / "emulator.env").exists()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", int(listening[1])))
    assert _processes_mentioning(str(tmp_path)) == {}

    # The app used the throwaway profile, not the (stand-in) real one.
    profile = emulator_dir / "profile"
    assert list((profile / "data" / "TuneDesk" / "Samples").glob("*.tunedesk"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        assert list(xdg[name].iterdir()) == [], name
    assert [p.name for p in xdg["XDG_CACHE_HOME"].iterdir()] == ["tunedesk-emulator"]
