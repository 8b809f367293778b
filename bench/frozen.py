"""Frozen onedir bundle: size and time to first window (DESIGN.md: ≤ 170 MB, ≤ 0.5 s).

    pyinstaller --noconfirm --distpath dist packaging/tunedesk.spec
    python bench/frozen.py dist/TuneDesk

The time is an upper bound for the first window: the bundle starts, paints, builds the
Data page, opens a new project and quits (``--quit-after 0``); median of several runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def size_mb(folder: Path) -> float:
    # lstat: PyInstaller links some libraries; count each file once, as the archive would.
    return (
        sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_symlink() and p.is_file())
        / 1e6
    )


def main() -> int:
    folder = Path(sys.argv[1])
    exe = folder / ("TuneDesk.exe" if sys.platform == "win32" else "TuneDesk")
    runs = []
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": f"{home}/c",
            "XDG_DATA_HOME": f"{home}/d",
            "XDG_STATE_HOME": f"{home}/s",
            "XDG_CACHE_HOME": f"{home}/k",
        }
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run(
                [str(exe), "--no-err-windows", "--quit-after", "0"],
                env=env,
                check=True,
                capture_output=True,
                timeout=60,
            )
            runs.append(time.perf_counter() - start)
    size = size_mb(folder)
    run = statistics.median(runs[1:])
    print("| measure | value | budget |")
    print("|---|---|---|")
    print(f"| onedir bundle size | {size:.1f} MB | ≤ 170 MB |")
    print(f"| start → window → quit (median) | {run:.2f} s | first window ≤ 0.5 s |")
    return 0 if size <= 170 and run <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
