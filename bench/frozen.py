"""Frozen onedir bundle: size and time to first window (DESIGN.md: ≤ 170 MB, ≤ 0.5 s).

    pyinstaller --noconfirm --distpath dist packaging/tunedesk.spec
    python bench/frozen.py dist/TuneDesk

Two times per run, median of the runs after the first (which warms the disk cache):

* start → first window: from starting the process to the first line of the app's log
  file. The log is opened right after the first window is painted (tunedesk.ui.app), so
  its first line is written just after the first paint: an upper bound, ~10 ms over.
* start → window → quit: the bundle starts, paints, builds the Data page, opens a new
  project and quits (``--quit-after 0``), until the process has exited.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 9
SIZE_BUDGET_MB = 170
FIRST_WINDOW_BUDGET_S = 0.5


def size_mb(folder: Path) -> float:
    # lstat: PyInstaller links some libraries; count each file once, as the archive would.
    return (
        sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_symlink() and p.is_file())
        / 1e6
    )


def first_log_line_time(state: Path) -> float | None:
    """Wall-clock time of the first line of tunedesk.log under ``state`` (None if none)."""
    for log in state.rglob("tunedesk.log"):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                stamp = dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            except ValueError:
                continue
            return stamp.timestamp()
    return None


def main() -> int:
    folder = Path(sys.argv[1])
    exe = folder / ("TuneDesk.exe" if sys.platform == "win32" else "TuneDesk")
    whole: list[float] = []
    first: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        state = Path(home) / "s"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": f"{home}/c",
            "XDG_DATA_HOME": f"{home}/d",
            "XDG_STATE_HOME": str(state),
            "XDG_CACHE_HOME": f"{home}/k",
            "LOCALAPPDATA": f"{home}/l",
        }
        for _ in range(RUNS):
            shutil.rmtree(state, ignore_errors=True)
            wall = time.time()
            start = time.perf_counter()
            subprocess.run(
                [str(exe), "--no-err-windows", "--quit-after", "0"],
                env=env,
                check=True,
                capture_output=True,
                timeout=60,
            )
            whole.append(time.perf_counter() - start)
            logged = first_log_line_time(state)
            if logged is None:
                print(f"no line in {state}/**/tunedesk.log: cannot time the first window")
                return 1
            first.append(logged - wall)
    size = size_mb(folder)
    window = statistics.median(first[1:])
    run = statistics.median(whole[1:])
    print("| measure | value | budget |")
    print("|---|---|---|")
    print(f"| onedir bundle size | {size:.1f} MB | ≤ {SIZE_BUDGET_MB} MB |")
    print(
        f"| start → first window (median; range) | {window:.2f} s "
        f"({min(first[1:]):.2f}–{max(first[1:]):.2f}) | ≤ {FIRST_WINDOW_BUDGET_S} s |"
    )
    print(
        f"| start → window → Data page → quit (median; range) | {run:.2f} s "
        f"({min(whole[1:]):.2f}–{max(whole[1:]):.2f}) | |"
    )
    return 0 if size <= SIZE_BUDGET_MB and window <= FIRST_WINDOW_BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
