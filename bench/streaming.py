"""The UI loop while a chat answer streams into the ChatView (DESIGN.md: no stall over 50 ms;
each piece on screen within 20 ms of arriving).

A qasync loop (offscreen) with bench/responsiveness.py's heartbeat (a 5 ms timer, the gaps
between its ticks) while a fake producer, an asyncio task, streams a 4,000-token Markdown
answer (paragraphs, lists, code blocks, a table, some Chinese) in chunks of 1-4 tokens at
200 chunks a second into a shown ``ChatView``. Chunk-to-screen: an event filter stamps
every Paint of a text viewport inside the view with how much of the answer was rendered at
that moment; a chunk is on screen at the first paint after it arrived that shows all of it.

Rows, all in this run:

- the idle loop;
- the baseline: the same stream into a ``QPlainTextEdit`` (``insertPlainText`` at the end:
  ``appendPlainText`` would start a new paragraph per chunk, which is not a stream);
- ``ChatView`` as shipped (a flush each loop turn, the new text appended as plain text,
  the live segment rendered as Markdown at most every 100 ms, at a cut and at the end);
- ``ChatView`` with a fixed 40 ms flush timer, the other design considered;
- rendering the whole answer once with ``setMarkdown`` (what "plain text while streaming,
  Markdown at the end" would stall for at the end).

Exit status 0 only when the shipped row meets both budgets. Figures on the 2-core dev box
(busy: other jobs ran alongside), three runs, PySide6 6.11.3:

- before (adaptive flush timer, Markdown on every flush): stall 16.2 / 13.6 / 60.5 ms,
  chunk-to-screen max 22.8 / 19.7 / 35.2 ms, p99 15.7 / 14.7 / 26.5 ms;
- after: stall 16.1 / 47.4 / 18.8 ms, chunk-to-screen max 16.2 / 52.4 / 23.6 ms, p99
  9.8 / 15.0 / 13.3 ms. The worst cases coincide with a loop stall of the same length
  while no render took over 12 ms (profiled), i.e. the process was not running.

    python bench/streaming.py [--tokens 4000] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from responsiveness import GapMeter

STALL_BUDGET_MS = 50.0
SCREEN_BUDGET_MS = 20.0

_PARAGRAPHS = [
    "Fine-tuning teaches a **small model** the facts your organisation knows. Each example"
    " is a question and the answer you expect, and the model learns from the *pattern* of"
    " many of them rather than from any one line.",
    "The learning-rate multiplier scales how far each step moves the weights; values"
    " between `0.02` and `0.2` are a good start, and a higher one learns faster but can"
    " forget what the base model knew.",
    "奶奶的生日是三月十二日，她住在杭州。爷爷喜欢下棋，每个星期六都去公园。",
    "See [the Azure documentation](https://learn.microsoft.com/azure/ai-foundry/) for the"
    " regions that can train each model.",
]
_LIST = "- check the validation loss\n- compare with the base model\n- send the misses back\n"
_CODE = (
    "```python\n"
    "from pathlib import Path\n\n"
    "def read_examples(path: Path) -> list[dict[str, str]]:\n"
    '    """One example per line."""\n'
    "    rows = []\n"
    '    for line in path.read_text(encoding="utf-8").splitlines():\n'
    "        rows.append(json.loads(line))\n"
    "    return rows\n"
    "```\n"
)
_TABLE = "| Setting | Value |\n|---|---|\n| epochs | 3 |\n| batch size | 8 |\n"


def make_answer(tokens: int, seed: int = 1) -> list[str]:
    """A Markdown answer as ``tokens`` tokens of about 4 characters, as a model's
    tokenizer would cut it (words, spaces and punctuation; CJK a character or two)."""
    rng = random.Random(seed)
    blocks = [*_PARAGRAPHS, _LIST, _CODE, _TABLE]
    out: list[str] = []
    while len(out) < tokens:
        text = rng.choice(blocks) + "\n"
        i = 0
        while i < len(text) and len(out) < tokens:
            n = rng.randint(1, 2) if "\u4e00" <= text[i] <= "\u9fff" else rng.randint(2, 5)
            out.append(text[i : i + n])
            i += n
    return out


def make_chunks(tokens: list[str], seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    chunks: list[str] = []
    i = 0
    while i < len(tokens):
        n = rng.randint(1, 4)
        chunks.append("".join(tokens[i : i + n]))
        i += n
    return chunks


@dataclass
class Result:
    label: str
    stall_ms: float
    p99_ms: float
    screen_max_ms: float | None = None
    screen_p99_ms: float | None = None
    seconds: float = 0.0
    budget: bool = False


class PaintStamps:
    """Event filter: for each Paint of a viewport inside ``root``, when and how much of
    the text was rendered then (``shown()``)."""

    def __init__(self, root: object, shown: Callable[[], int]) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QAbstractScrollArea, QWidget

        self.times: list[float] = []
        self.shown: list[int] = []
        stamps = self

        class _Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if (
                    event.type() == QEvent.Type.Paint
                    and isinstance(watched, QWidget)
                    and isinstance(watched.parent(), QAbstractScrollArea)
                    and root.isAncestorOf(watched)  # type: ignore[attr-defined]
                ):
                    stamps.times.append(time.perf_counter())
                    stamps.shown.append(shown())
                return False

        self.filter = _Filter()

    def delays(self, arrivals: list[tuple[float, int]]) -> list[float]:
        """For each (arrival time, characters so far): ms until a paint showed them."""
        out: list[float] = []
        for arrived, chars in arrivals:
            i = bisect.bisect_left(self.times, arrived)
            while i < len(self.times) and self.shown[i] < chars:
                i += 1
            out.append((self.times[i] - arrived) * 1000 if i < len(self.times) else 1e9)
        return out


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


async def _produce(chunks: list[str], rate: float, sink: Callable[[str], None]) -> list[float]:
    """Send each chunk at its time on a fixed schedule (``rate`` a second); their times."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    stamps: list[float] = []
    for i, chunk in enumerate(chunks):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        stamps.append(time.perf_counter())
        sink(chunk)
    return stamps


async def _measure(
    label: str,
    root: object,
    shown: Callable[[], int],
    sink: Callable[[str], None],
    done: Callable[[], None],
    chunks: list[str],
    rate: float,
    *,
    budget: bool = False,
) -> Result:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    stamps = PaintStamps(root, shown)
    app.installEventFilter(stamps.filter)
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    arrived = await _produce(chunks, rate, sink)
    done()
    await asyncio.sleep(0.3)  # the last flush and paint
    seconds = time.perf_counter() - start
    stall, p99 = meter.stop()
    app.removeEventFilter(stamps.filter)
    totals: list[int] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        totals.append(total)
    delays = stamps.delays(list(zip(arrived, totals, strict=True)))
    return Result(label, stall, p99, max(delays), _p99(delays), seconds, budget)


async def run(tokens: int, rate: float) -> list[Result]:
    from PySide6.QtWidgets import QPlainTextEdit, QTextBrowser

    from tunedesk.ui.widgets.chat_view import ChatView

    chunks = make_chunks(make_answer(tokens))
    answer = "".join(chunks)
    results: list[Result] = []

    idle = GapMeter()
    idle.start()
    await asyncio.sleep(1.0)
    stall, p99 = idle.stop()
    results.append(Result("idle loop", stall, p99))

    edit = QPlainTextEdit()
    edit.resize(900, 700)
    edit.show()
    await asyncio.sleep(0.2)

    def insert(piece: str) -> None:
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        edit.insertPlainText(piece)

    results.append(
        await _measure(
            "QPlainTextEdit.insertPlainText (baseline)",
            edit,
            lambda: edit.document().characterCount() - 1,
            insert,
            lambda: None,
            chunks,
            rate,
        )
    )
    edit.close()

    for label, interval, budget in (
        ("ChatView (as shipped: a flush a loop turn, plain tail, Markdown ≤ 100 ms)", 0, True),
        ("ChatView (fixed 40 ms flush)", 40, False),
    ):
        view = ChatView()
        view.flush_interval_ms = interval
        view.resize(900, 700)
        view.show()
        view.add_message("system", "You answer questions about fine-tuning.")
        view.add_message("user", "How should I set up my first training run?")
        await asyncio.sleep(0.2)
        index = view.begin_answer("Phi-4-mini-instruct-ft")
        result = await _measure(
            label,
            view,
            lambda view=view, index=index: view.rendered_length(index),  # type: ignore[misc]
            lambda piece, view=view, index=index: view.append(index, piece),  # type: ignore[misc]
            lambda view=view, index=index: view.finish(index),  # type: ignore[misc]
            chunks,
            rate,
            budget=budget,
        )
        assert view.text_of(index) == answer
        result.label += f" [{len(view.documents(index))} segments]"
        results.append(result)
        view.close()
        view.deleteLater()

    browser = QTextBrowser()
    browser.resize(900, 700)
    browser.show()
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    browser.setMarkdown(answer)
    browser.document().size()
    once = (time.perf_counter() - start) * 1000
    results.append(Result("one setMarkdown of the whole answer (render at the end)", once, once))
    browser.close()
    return results


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=200.0, help="chunks a second")
    args = parser.parse_args()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        results = runner.run(run(args.tokens, args.rate))
    del app
    chars = len("".join(make_chunks(make_answer(args.tokens))))
    print(
        f"{args.tokens} tokens ({chars:,} characters) in chunks of 1-4 tokens, "
        f"{args.rate:.0f} chunks/s"
    )
    print()
    print("| while | longest stall | p99 stall | chunk-to-screen max | p99 | took |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.label} | {_ms(r.stall_ms)} | {_ms(r.p99_ms)} | {_ms(r.screen_max_ms)}"
            f" | {_ms(r.screen_p99_ms)} | {r.seconds:.1f} s |"
        )
    base = results[1]
    shipped = next(r for r in results if r.budget)
    print()
    print(
        f"ChatView / baseline: longest stall {shipped.stall_ms / max(base.stall_ms, 0.1):.1f}x,"
        f" chunk-to-screen max {shipped.screen_max_ms / max(base.screen_max_ms or 0.1, 0.1):.1f}x"
        f" (budgets: stall ≤ {STALL_BUDGET_MS:.0f} ms, chunk-to-screen ≤"
        f" {SCREEN_BUDGET_MS:.0f} ms)"
    )
    ok = shipped.stall_ms <= STALL_BUDGET_MS and (shipped.screen_max_ms or 0) <= SCREEN_BUDGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
