"""Start-up as a user gets it: a real process, first window before any Azure SDK, crash hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.profile_env import fresh_profile_env

REPO = Path(__file__).resolve().parents[2]
SDKS = ("azure.ai.ml", "openai", "azure.identity")

pytestmark = pytest.mark.slow

# Runs the real start-up (tunedesk.ui.app.run_gui) and reports, at the first paint of a
# window, which SDKs are loaded; optionally raises inside a Qt timer callback.
PROBE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from tunedesk.__main__ import _gui_parser
from tunedesk.ui import app as app_module

SDKS = {sdks!r}

class Probe(QObject):
    painted = False
    def eventFilter(self, obj, ev):
        if not self.painted and ev.type() == QEvent.Type.Paint and obj.isWidgetType() \
                and obj.isWindow():
            self.painted = True
            print("AT_FIRST_PAINT", [m for m in SDKS if m in sys.modules], flush=True)
            if {crash!r}:
                QTimer.singleShot(50, lambda: 1 / 0)
        return False

probe = Probe()
_init = QApplication.__init__
def init(self, *a, **k):
    _init(self, *a, **k)
    self.installEventFilter(probe)
QApplication.__init__ = init
code = app_module.run_gui(_gui_parser().parse_args({args!r}))
print("AT_EXIT", [m for m in SDKS if m in sys.modules], flush=True)
sys.exit(code)
"""


def _run_probe(
    home: Path, *, crash: bool, quit_after: int, lang: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = fresh_profile_env(home)
    if lang is not None:  # the system language, as a desktop session sets it
        for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
            env.pop(var, None)
        env["LANG"] = lang
    code = PROBE.format(
        sdks=SDKS,
        crash=crash,
        args=["--sample", "--no-err-windows", "--quit-after", str(quit_after)],
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_first_window_is_painted_before_any_azure_sdk_is_imported(tmp_path: Path) -> None:
    # The SDK preload starts 1.5 s after the first paint and takes ~2 s on a loaded machine.
    result = _run_probe(tmp_path, crash=False, quit_after=8000)
    assert result.returncode == 0, result.stderr
    lines = dict(
        line.split(" ", 1) for line in result.stdout.splitlines() if line.startswith("AT_")
    )
    assert lines["AT_FIRST_PAINT"] == "[]"
    # ...and they are loaded afterwards, off the UI thread, so later pages never wait.
    assert all(sdk in lines["AT_EXIT"] for sdk in SDKS), lines["AT_EXIT"]
    # the sample project was created and saved in the user data folder
    assert list((tmp_path / "d" / "TuneDesk" / "Samples").glob("*.tunedesk"))


def test_an_unexpected_error_is_logged_with_details_and_the_app_keeps_running(
    tmp_path: Path,
) -> None:
    result = _run_probe(tmp_path, crash=True, quit_after=1500)
    assert result.returncode == 0, result.stderr
    assert "AT_EXIT" in result.stdout  # the window went on and closed normally
    reports = list((tmp_path / "s").rglob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text
    assert "TuneDesk" in text.splitlines()[0]


@pytest.mark.parametrize(
    ("lang", "sample"), [("zh_CN.UTF-8", "家庭示例"), ("C.UTF-8", "Family sample")]
)
def test_without_a_chosen_language_the_system_language_is_used(
    tmp_path: Path, lang: str, sample: str
) -> None:
    result = _run_probe(tmp_path, crash=False, quit_after=1500, lang=lang)
    assert result.returncode == 0, result.stderr
    # the sample project is named and written in the interface language
    names = [p.stem for p in (tmp_path / "d" / "TuneDesk" / "Samples").glob("*.tunedesk")]
    assert names == [sample]
