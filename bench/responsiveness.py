"""The UI event loop never stalls more than 50 ms while importing (DESIGN.md budget).

Runs the real Data page on a qasync loop (offscreen), imports a generated ~50 MB JSONL of
100,000 examples into a project (parse in a worker, rows applied to the model, project
writer thread persisting them, checks with token counts in a worker afterwards) and
records the longest gap between ticks of a 5 ms timer. The baseline is the same timer
on an idle loop in the same run.

    python bench/responsiveness.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dataset import make_rows


class GapMeter:
    """Longest time between consecutive 5 ms ticks of the event loop."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._running = False

    def start(self) -> None:
        self._running = True
        self._last = time.perf_counter()
        asyncio.get_running_loop().call_later(0.005, self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last - 0.005)
        self._last = now
        if self._running:
            asyncio.get_running_loop().call_later(0.005, self._tick)

    def stop(self) -> tuple[float, float]:
        self._running = False
        ordered = sorted(self.gaps)
        p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
        return max(ordered, default=0.0) * 1000, p99 * 1000


async def run(rows: int, tmp: Path) -> list[tuple[str, str, str]]:
    from PySide6.QtGui import QUndoStack

    from tunedesk.core.project import Project
    from tunedesk.ui.data_page import DataPage

    src = tmp / "big.jsonl"
    src.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in make_rows(rows)), encoding="utf-8"
    )
    project = Project.create(tmp / "bench.tunedesk")
    page = DataPage(QUndoStack())
    page.set_dataset(project.dataset)
    page.resize(1280, 800)
    page.show()

    idle = GapMeter()
    idle.start()
    await asyncio.sleep(1.0)
    idle_max, idle_p99 = idle.stop()

    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    await page.import_files_async([str(src)])
    imported = time.perf_counter() - start
    checked = asyncio.Event()
    page.checks_finished.connect(checked.set)
    await asyncio.wait_for(checked.wait(), timeout=120)
    total = time.perf_counter() - start
    busy_max, busy_p99 = meter.stop()
    assert len(project.dataset) == rows, len(project.dataset)
    await asyncio.get_running_loop().run_in_executor(None, project.close)
    size = src.stat().st_size / 1e6
    return [
        ("idle loop (baseline)", f"{idle_max:.0f} ms", f"{idle_p99:.1f} ms"),
        (
            f"import {size:.0f} MB + checks ({imported:.1f} s + {total - imported:.1f} s)",
            f"{busy_max:.0f} ms",
            f"{busy_p99:.1f} ms",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp_text:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp_text) / "data")
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            results = runner.run(run(args.rows, Path(tmp_text)))
    del app
    print("| while | longest loop stall | p99 stall | budget |")
    print("|---|---|---|---|")
    for what, worst, p99 in results:
        print(f"| {what} | {worst} | {p99} | ≤ 50 ms |")
    worst_ms = float(results[-1][1].split()[0])
    return 0 if worst_ms <= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
