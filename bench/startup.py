"""Time to first window: TuneDesk vs a bare PySide6 window, in the same run.

Each measurement is a fresh process; the parent measures from spawn until the child
reports its first paint of a top-level window. Budget (DESIGN.md): TuneDesk ≤ 1.3 × bare.

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# A child that paints a bare window and reports.
BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
class Probe(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            print("PAINTED", flush=True); app.quit()
        return False
app = QApplication(sys.argv)
probe = Probe(); app.installEventFilter(probe)
w = QMainWindow(); w.resize(1280, 800); w.show()
app.exec()
"""

# A child that starts the real app (tunedesk.ui.app.run_gui) and reports its first paint.
APP = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from tunedesk.__main__ import _gui_parser
from tunedesk.ui import app as app_module
class Probe(QObject):
    done = False
    def eventFilter(self, obj, ev):
        if (not self.done and ev.type() == QEvent.Type.Paint
                and obj.isWidgetType() and obj.isWindow()):
            self.done = True
            print("PAINTED", flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False
probe = Probe()
_orig = QApplication.__init__
def patched(self, *a, **k):
    _orig(self, *a, **k)
    self.installEventFilter(probe)
QApplication.__init__ = patched
sys.exit(app_module.run_gui(_gui_parser().parse_args(["--no-err-windows"])))
"""


def measure(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("PAINTED"):
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError("the child never painted")
    proc.wait(timeout=30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        # Users run installed bytecode: let children write .pyc even where the environment
        # says not to (the warm-up run then compiles every module once).
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {
            **base,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_STATE_HOME": f"{home}/state",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        measure(BARE, env)  # warm the file cache once for both
        measure(APP, env)
        bare, app = [], []
        for _ in range(args.runs):  # interleave so machine noise hits both alike
            bare.append(measure(BARE, env))
            app.append(measure(APP, env))
    b, a = statistics.median(bare), statistics.median(app)
    print("| measure | median | budget |")
    print("|---|---|---|")
    print(f"| bare PySide6 window | {b * 1000:.0f} ms | |")
    print(f"| TuneDesk first window | {a * 1000:.0f} ms | |")
    print(f"| ratio | {a / b:.2f} × | ≤ 1.30 × |")
    return 0 if a / b <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
