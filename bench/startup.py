"""Time to first window: TuneDesk vs a bare PySide6 window, in the same run.

Each measurement is a fresh process; the parent measures from spawn until the child
reports the first paint of its main window (the same probe in both, see PROBE).
Budget (DESIGN.md): TuneDesk ≤ 1.3 × bare.

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

# Both children report the first paint through the same probe: an event filter on the
# top-level QMainWindow only, installed as it is constructed. Two things keep the probe from
# costing one child more than the other:
# - it watches that one window, not the whole application (an application-wide filter calls
#   Python for every event of every object: ~22 ms more for TuneDesk's window than for the
#   bare one);
# - it is set up by an import hook the moment PySide6.QtWidgets loads, so each child imports
#   everything else in its own order (PySide6 makes every module imported after it read its
#   own source, a cost the app avoids by loading its plain-Python modules first).
PROBE = r"""
import importlib.util
import sys

def _install_probe(widgets):
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        done = False
        def eventFilter(self, obj, ev):
            if not self.done and ev.type() == QEvent.Type.Paint:
                self.done = True
                print("PAINTED", flush=True)
                QTimer.singleShot(0, widgets.QApplication.instance().quit)
            return False

    probe = Probe()
    init = widgets.QMainWindow.__init__
    def probed_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.installEventFilter(probe)
    widgets.QMainWindow.__init__ = probed_init
    widgets._bench_probe = probe  # keep it alive

class _ProbeInstaller:
    def find_spec(self, name, path=None, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module
        def exec_and_probe(module):
            exec_module(module)
            _install_probe(module)
        spec.loader.exec_module = exec_and_probe
        return spec

sys.meta_path.insert(0, _ProbeInstaller())
"""

# A bare PySide6 window.
BARE = (
    PROBE
    + r"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show()
app.exec()
"""
)

# The real app, started as the `tunedesk` command starts it.
APP = (
    PROBE
    + r"""
from tunedesk.__main__ import main
sys.exit(main(["--no-err-windows"]))
"""
)


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
