"""100,000-row budgets (DESIGN.md): open, import 50 MB JSONL, check with tokens, export,
memory, and cell edit → repaint. Each figure is shown next to a baseline measured in the
same run on the same data (the cost of just reading and json-parsing it), so a slow
machine shows up in both columns.

    python bench/dataset.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = [
    "family",
    "brother",
    "sister",
    "cat",
    "football",
    "apple",
    "painting",
    "blue",
    "green",
    "park",
    "Beijing",
    "dinner",
    "homework",
    "school",
    "teacher",
    "weekend",
    "holiday",
    "music",
    "piano",
    "birthday",
    "garden",
    "哥哥",
    "弟弟",
    "猫",
    "足球",
    "苹果",
    "画画",
    "公园",
]


def make_rows(n: int, seed: int = 7) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        q = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 20)))
        a = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(25, 50)))
        rows.append(
            {
                "messages": [
                    {
                        "role": "system",
                        "content": "You know everything about the Li family in Beijing.",
                    },
                    {"role": "user", "content": f"{q} #{i}?"},
                    {"role": "assistant", "content": a},
                ]
            }
        )
    return rows


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def child_memory(project: Path) -> float:
    """Peak RSS (MB) of a fresh process that opens the project, checks it and shows it."""
    code = f"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from tunedesk.core.checks import run_checks
from tunedesk.core.project import Project
from tunedesk.ui.pages.data import DataPage
app = QApplication([])
p = Project.open({str(project)!r})
report = run_checks(p.dataset)
page = DataPage(QUndoStack())
page.set_dataset(p.dataset)
page.resize(1280, 800); page.show(); app.processEvents()
p.close()
# VmHWM, not ru_maxrss: on Linux ru_maxrss survives fork+exec and would report the parent's.
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(int(hwm.split()[1]) / 1024)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return float(out.stdout.strip().splitlines()[-1])


def edit_repaint_ms(project: Path) -> float:
    """Median time from a cell edit (setData) until the table has repainted."""
    code = f"""
import os, statistics, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QTableView
from tunedesk.core.project import Project
from tunedesk.ui.pages.data import DataPage
app = QApplication([])
p = Project.open({str(project)!r})
page = DataPage(QUndoStack())
page.set_dataset(p.dataset)
page.resize(1280, 800); page.show(); app.processEvents()
view = page.findChild(QTableView)
model = view.model()
class Painted(QObject):
    hit = False
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            self.hit = True
        return False
probe = Painted(); view.viewport().installEventFilter(probe)
times = []
for i in range(30):
    idx = model.index(i % 10, 1)
    probe.hit = False
    t = time.perf_counter()
    model.setData(idx, "edited question %d" % i, Qt.ItemDataRole.EditRole)
    while not probe.hit:
        app.processEvents()
    times.append((time.perf_counter() - t) * 1000)
p.close()
print(statistics.median(times))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from tunedesk.core.checks import run_checks
    from tunedesk.core.export import export_jsonl
    from tunedesk.core.formats import import_file
    from tunedesk.core.project import Project
    from tunedesk.core.tokens import get_encoding

    get_encoding()  # loading the vocabulary is a one-off start-up cost, timed elsewhere
    results: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_text:
        tmp = Path(tmp_text)
        os.environ["XDG_DATA_HOME"] = str(tmp / "data")
        rows = make_rows(args.rows)
        src = tmp / "big.jsonl"
        src.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )
        size_mb = src.stat().st_size / 1e6

        base_parse, _ = timed(lambda: [json.loads(x) for x in src.read_text("utf-8").splitlines()])
        t_import, result = timed(lambda: import_file(src))
        examples = result.examples  # type: ignore[attr-defined]
        results.append(
            (f"import {size_mb:.0f} MB JSONL", f"{t_import:.2f} s", f"{base_parse:.2f} s", "≤ 2 s")
        )

        from tunedesk.core.dataset import Dataset

        dataset = Dataset("You know everything about the Li family in Beijing.", examples)
        t_check, report = timed(lambda: run_checks(dataset))
        results.append(("full check with token counts", f"{t_check:.2f} s", "", "≤ 3 s"))

        out = tmp / "out"
        out.mkdir()
        base_dump, _ = timed(
            lambda: (tmp / "dump.jsonl").write_text(
                "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
            )
        )
        t_export, _ = timed(lambda: export_jsonl(dataset, out))
        results.append(("export", f"{t_export:.2f} s", f"{base_dump:.2f} s", "≤ 1 s"))

        path = tmp / "big.tunedesk"
        _t_create, project = timed(lambda: Project.create(path, dataset))
        project.close()  # type: ignore[attr-defined]
        t_open, project = timed(lambda: Project.open(path))
        project.close()  # type: ignore[attr-defined]
        results.append(("open project", f"{t_open:.2f} s", f"{base_parse:.2f} s", "≤ 1 s"))

        results.append(
            ("peak memory (open + check + table)", f"{child_memory(path):.0f} MB", "", "≤ 400 MB")
        )
        results.append(
            ("cell edit → repaint (median)", f"{edit_repaint_ms(path):.1f} ms", "", "≤ 16 ms")
        )
        del report
    print(f"rows: {args.rows}; baseline = plain read + json of the same data in this run")
    print("| measure | TuneDesk | baseline | budget |")
    print("|---|---|---|---|")
    for row in results:
        print("| " + " | ".join(row) + " |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(bench process peak RSS {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
