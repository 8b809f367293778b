"""Drafting pairs from documents and paraphrasing questions with a chat deployment
(issue 11): a small queue of chat requests that loses nothing when Azure throttles, a
stream breaks or the person pauses or cancels.

:func:`run_drafting` asks for pairs about each pending chunk of a
:class:`~tunedesk.core.drafting.DraftingRun`; :func:`paraphrase` asks for other wordings of
some rows' questions. Both run the same queue (:class:`_Queue`):

- Up to ``concurrency`` requests at once, each streamed (``on_progress`` hears of pieces
  as they arrive, so the UI can show that something is happening) and read when complete.
- The client retries 429/5xx/network faults itself and reports each wait to ``on_wait``.
  When it gives up (``Throttled``, ``ServiceProblem``, ``NetworkProblem``: any retryable
  :class:`~tunedesk.cloud.errors.CloudError`, a stream cut mid-answer included) the item
  goes back to the front of the queue, at most one request runs at a time, and the queue
  waits (Azure's Retry-After, else 1, 2, 4… s), says so (``on_wait`` and the progress'
  ``wait``) and goes on; each success lets one more request run, up to ``concurrency``.
  After :data:`MAX_FAILURES` failures in a row (failures of requests that were already
  running when one failed count once) it stops and raises the last error; whatever was
  done stays done.
- A reply that cannot be read is asked again once, then the item counts as done with no
  rows and is reported as skipped (:data:`~tunedesk.core.drafting.SKIP_UNREADABLE`). A
  passage or answer Azure's content filter blocks is skipped the same way
  (:data:`~tunedesk.core.drafting.SKIP_FILTERED`). Never an endless loop.
- Anything else a person must act on (sign-in expired, key refused, no permission, the
  deployment gone, quota, a request Azure refuses) stops at once and is raised.

Pause and cancel (the contract the UI relies on):

- ``pause`` is an :class:`asyncio.Event` the caller owns: set, requests start; cleared,
  the requests in flight finish (their rows are delivered) and no new one starts until it
  is set again. The coroutine keeps running meanwhile (it waits for the event), and its
  progress says ``paused``. None: never paused.
- Cancelling the task that awaits :func:`run_drafting`/:func:`paraphrase` cancels the
  requests in flight at once: they are not done (a later call with the same run asks for
  them again); rows already delivered stay delivered, and ``run`` says exactly which
  chunks they came from. The cancel propagates (``CancelledError``) as usual.

Rows are delivered through ``on_rows`` the moment a reply is read, possibly out of
document order when several requests run at once. For drafting, ``run`` already counts the
chunk as done when ``on_rows`` is called: insert the rows and save the run (``save_run``)
together (in that callback, or later in one go with the rows of the chunks after it), so
the project never holds the rows without the run knowing, or the reverse. ``on_rows`` is
called for every finished chunk, with an empty list when it gave no pairs or was skipped.

Tokens: what Azure reports (``on_usage``); when it reports nothing (a cut stream, an
endpoint without usage) the prompt and the text that arrived are counted with
``o200k_base`` instead. Failed requests that got an answer count: Azure bills them.

Plain Python + asyncio, no Qt: callbacks run on the event loop, synchronously.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from tunedesk.cloud.errors import CloudError, ContentFiltered, Throttled
from tunedesk.cloud.routes.base import ChatClient, ChatMessage, OnWait, RetryWait
from tunedesk.core.dataset import Example
from tunedesk.core.documents import Chunk
from tunedesk.core.drafting import (
    SKIP_FILTERED,
    SKIP_UNREADABLE,
    DraftingRun,
    DraftReplyUnreadable,
    document_rows,
    drafting_max_tokens,
    drafting_messages,
    message_tokens,
    paraphrase_max_tokens,
    paraphrase_messages,
    paraphrase_rows,
    parse_pairs,
    parse_paraphrases,
)

log = logging.getLogger(__name__)

MAX_FAILURES = 6            # retryable failures in a row before the queue stops
MAX_QUEUE_WAIT = 120.0      # the longest wait between two tries, even if Azure asks more
UNREADABLE_RETRIES = 1      # a reply that cannot be read is asked again this many times
PIECE_REPORT_INTERVAL = 0.1  # seconds between progress reports while pieces stream in
DRAFT_TEMPERATURE = 0.2     # faithful to the passage rather than inventive
PARAPHRASE_TEMPERATURE = 0.8  # varied wordings


def queue_backoff(failures: int) -> float:
    """Seconds before the next try after ``failures`` failures in a row when Azure named
    no wait: 1, 2, 4, 8, 16, 32 (capped at :data:`MAX_QUEUE_WAIT`)."""
    return float(min(2.0 ** max(0, failures - 1), MAX_QUEUE_WAIT))


# ----------------------------------------------------------------------------- plain data
@dataclass(frozen=True, slots=True)
class Skipped:
    """An item that counts as done without rows: ``reason`` is
    :data:`~tunedesk.core.drafting.SKIP_UNREADABLE` or
    :data:`~tunedesk.core.drafting.SKIP_FILTERED`; ``source``/``page`` name the passage
    (for a paraphrase: ``source`` is the question, ``page`` None); ``detail``: the content
    filter's categories, comma-separated."""

    id: str
    source: str
    page: int | None
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DraftingProgress:
    """Where a drafting or paraphrasing call is (a snapshot; a new one comes with every
    change). ``done``/``total``: items (chunks, or rows to paraphrase) finished, out of all
    of the run; ``rows``: rows delivered so far (pairs drafted, or new questions);
    ``input_tokens``/``output_tokens``: used so far (for a run: all its calls together);
    ``in_flight``: ids of the items being asked now; ``pieces``: streamed pieces received by
    this call (it grows while an answer streams in: a sign of life); ``wait``: set while
    waiting before a retry, the client's own or the queue's; ``paused``: a pause was asked
    (requests in flight may still be finishing); ``concurrency``: requests allowed at once
    now (1 after a failure, growing back)."""

    done: int
    total: int
    rows: int
    input_tokens: int
    output_tokens: int
    in_flight: tuple[str, ...] = ()
    pieces: int = 0
    skipped: tuple[Skipped, ...] = ()
    wait: RetryWait | None = None
    paused: bool = False
    concurrency: int = 1

    @property
    def finished(self) -> bool:
        return self.done >= self.total


OnProgress = Callable[[DraftingProgress], None]


# ----------------------------------------------------------------------------- the queue
T = TypeVar("T")


@dataclass(slots=True)
class _Item(Generic[T]):
    """One request to make: ``value`` is the chunk or row it is about, ``source``/``page``
    name it in a :class:`Skipped`."""

    id: str
    value: T
    source: str
    page: int | None
    make_messages: Callable[[], list[ChatMessage]]
    max_tokens: int
    unreadable: int = 0                    # replies of this item that could not be read
    _messages: list[ChatMessage] | None = None

    @property
    def messages(self) -> list[ChatMessage]:
        """Built when the item is first asked, not for every pending chunk at the start
        (a 200-page document's prompts at once held the loop for tens of ms)."""
        if self._messages is None:
            self._messages = self.make_messages()
        return self._messages


@dataclass(slots=True)
class _Totals:
    done: int
    total: int
    rows: int
    input_tokens: int
    output_tokens: int
    skipped: list[Skipped] = field(default_factory=list)


class _Queue(Generic[T]):
    """The requests of one call: ``read`` turns a complete reply into rows (raising
    DraftReplyUnreadable), ``finish`` delivers them and records the item as done,
    ``add_tokens`` hears of every request's tokens."""

    def __init__(
        self,
        chat: ChatClient,
        items: Sequence[_Item[T]],
        totals: _Totals,
        *,
        read: Callable[[_Item[T], str], list[Example]],
        finish: Callable[[_Item[T], list[Example], Skipped | None], None],
        add_tokens: Callable[[int, int], None],
        on_progress: OnProgress | None,
        on_wait: OnWait | None,
        pause: asyncio.Event | None,
        concurrency: int,
        temperature: float | None,
    ) -> None:
        self._chat = chat
        self._queue: deque[_Item[T]] = deque(items)
        self._totals = totals
        self._read = read
        self._finish = finish
        self._add_tokens = add_tokens
        self._on_progress = on_progress
        self._on_wait = on_wait
        self._pause = pause
        self._concurrency = max(1, concurrency)
        self._limit = self._concurrency
        self._temperature = temperature
        self._active: dict[asyncio.Task[str], tuple[_Item[T], float]] = {}
        self._pieces = 0
        self._failures = 0
        self._last_failure = float("-inf")     # loop time of the last counted failure
        self._resume_at = 0.0                  # loop time before which nothing starts
        self._wait: RetryWait | None = None
        self._wait_ends = 0.0                  # monotonic time the wait above ends
        self._last_report = 0.0

    # -- progress -------------------------------------------------------------------------
    def progress(self) -> DraftingProgress:
        t = self._totals
        wait = self._wait if time.monotonic() < self._wait_ends else None
        return DraftingProgress(
            done=t.done,
            total=t.total,
            rows=t.rows,
            input_tokens=t.input_tokens,
            output_tokens=t.output_tokens,
            in_flight=tuple(item.id for item, _ in self._active.values()),
            pieces=self._pieces,
            skipped=tuple(t.skipped),
            wait=wait,
            paused=self._paused(),
            concurrency=self._limit,
        )

    def _report(self, *, streaming: bool = False) -> None:
        if self._on_progress is None:
            return
        now = time.monotonic()
        if streaming and now - self._last_report < PIECE_REPORT_INTERVAL:
            return
        self._last_report = now
        self._on_progress(self.progress())

    def _waiting(self, wait: RetryWait) -> None:
        self._wait = wait
        self._wait_ends = time.monotonic() + wait.seconds
        if self._on_wait is not None:
            self._on_wait(wait)
        self._report()

    # -- running --------------------------------------------------------------------------
    def _paused(self) -> bool:
        return self._pause is not None and not self._pause.is_set()

    async def run(self) -> DraftingProgress:
        loop = asyncio.get_running_loop()
        try:
            while self._queue or self._active:
                self._start_ready(loop.time())
                waiting: set[asyncio.Future[Any]] = set(self._active)
                resumed: asyncio.Future[Any] | None = None
                timeout = None
                if self._queue and self._pause is not None and self._paused():
                    resumed = asyncio.ensure_future(self._pause.wait())
                    waiting.add(resumed)
                elif self._queue and len(self._active) < self._limit:
                    timeout = max(0.0, self._resume_at - loop.time())  # cooling down
                if not waiting:
                    await asyncio.sleep(timeout or 0.0)
                    continue
                try:
                    finished, _ = await asyncio.wait(
                        waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    if resumed is not None:
                        resumed.cancel()
                if resumed is not None and resumed in finished:
                    self._report()
                for task in [t for t in self._active if t in finished]:
                    item, started = self._active.pop(task)
                    self._settle(item, started, task)
        except BaseException:
            await self._cancel_active()
            raise
        self._wait = None
        progress = self.progress()
        if self._on_progress is not None:
            self._on_progress(progress)
        return progress

    def _start_ready(self, now: float) -> None:
        started = False
        while (
            self._queue
            and not self._paused()
            and len(self._active) < self._limit
            and now >= self._resume_at
        ):
            item = self._queue.popleft()
            task = asyncio.create_task(self._ask(item), name=f"drafting {item.id}")
            self._active[task] = (item, now)
            started = True
        if started:
            self._report()

    async def _cancel_active(self) -> None:
        tasks = list(self._active)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._active.clear()

    async def _ask(self, item: _Item[T]) -> str:
        pieces: list[str] = []
        usage: tuple[int, int] | None = None
        answered = False

        def on_usage(prompt: int, completion: int) -> None:
            nonlocal usage
            usage = (prompt, completion)

        try:
            async for piece in self._chat.stream(
                item.messages,
                max_tokens=item.max_tokens,
                temperature=self._temperature,
                on_wait=self._waiting,
                on_usage=on_usage,
            ):
                pieces.append(piece)
                self._pieces += 1
                self._report(streaming=True)
            answered = True
        except ContentFiltered as exc:
            answered = exc.where == "answer"  # a blocked question is not answered (or billed)
            raise
        finally:
            self._count_tokens(item, usage, pieces, answered)
        return "".join(pieces)

    def _count_tokens(
        self, item: _Item[T], usage: tuple[int, int] | None, pieces: list[str], answered: bool
    ) -> None:
        if usage is not None:
            prompt, completion = usage
        elif pieces or answered:
            from tunedesk.core.tokens import count_text

            prompt, completion = message_tokens(item.messages), count_text("".join(pieces))
        else:
            return  # refused before any answer (429, 5xx, a dropped connection): not billed
        self._totals.input_tokens += prompt
        self._totals.output_tokens += completion
        self._add_tokens(prompt, completion)

    # -- outcomes -------------------------------------------------------------------------
    def _settle(self, item: _Item[T], started: float, task: asyncio.Task[str]) -> None:
        if task.cancelled():  # only we cancel our tasks, and then we are being cancelled
            raise asyncio.CancelledError
        error = task.exception()
        if error is None:
            self._answered(item, task.result())
        elif isinstance(error, ContentFiltered):
            categories = ", ".join(error.categories)
            skipped = Skipped(item.id, item.source, item.page, SKIP_FILTERED, categories)
            self._done(item, [], skipped)
        elif isinstance(error, CloudError) and error.retryable:
            self._failed(item, started, error)
        else:
            raise error

    def _answered(self, item: _Item[T], reply: str) -> None:
        self._failures = 0
        self._limit = min(self._concurrency, self._limit + 1)
        try:
            rows = self._read(item, reply)
        except DraftReplyUnreadable as exc:
            if item.unreadable < UNREADABLE_RETRIES:
                item.unreadable += 1
                log.info("drafting: the reply for %s could not be read (%s); asking again",
                         item.id, exc)
                self._queue.appendleft(item)
                self._report()
                return
            log.warning("drafting: the reply for %s could not be read twice; skipped", item.id)
            self._done(item, [], Skipped(item.id, item.source, item.page, SKIP_UNREADABLE))
            return
        self._done(item, rows, None)

    def _done(self, item: _Item[T], rows: list[Example], skipped: Skipped | None) -> None:
        self._totals.done += 1
        self._totals.rows += len(rows)
        if skipped is not None:
            self._totals.skipped.append(skipped)
        self._finish(item, rows, skipped)
        self._report()

    def _failed(self, item: _Item[T], started: float, error: CloudError) -> None:
        self._queue.appendleft(item)  # not lost: asked again first
        self._limit = 1
        if started < self._last_failure:
            # It was already on its way when an earlier failure slowed the queue down.
            self._report()
            return
        self._failures += 1
        self._last_failure = asyncio.get_running_loop().time()
        if self._failures >= MAX_FAILURES:
            log.warning("drafting: %d failures in a row; stopping (%s)", self._failures,
                        type(error).__name__)
            raise error
        if isinstance(error, Throttled) and error.wait is not None:
            delay = min(max(error.wait, 0.0), MAX_QUEUE_WAIT)
        else:
            delay = queue_backoff(self._failures)
        self._resume_at = self._last_failure + delay
        log.info("drafting: %s (%s); trying again in %.1f s", type(error).__name__,
                 error.status, delay)
        self._waiting(RetryWait(delay, self._failures, MAX_FAILURES - 1, error))


# ----------------------------------------------------------------------------- drafting
async def run_drafting(
    chat: ChatClient,
    run: DraftingRun,
    *,
    on_rows: Callable[[Chunk, list[Example]], None],
    on_progress: OnProgress | None = None,
    on_wait: OnWait | None = None,
    pause: asyncio.Event | None = None,
    concurrency: int = 3,
) -> DraftingProgress:
    """Draft ``run.count`` pairs from each pending chunk of ``run`` (in document order,
    ``concurrency`` requests at once), updating ``run`` as chunks finish. Returns the last
    progress; raises the :class:`~tunedesk.cloud.errors.CloudError` that stopped it (the
    run stays resumable: call again with the same run). See the module docstring for
    pause, cancel and when ``on_rows`` is called."""
    items = [
        _Item(
            c.id,
            c,
            c.source,
            c.page,
            partial(drafting_messages, c, run.count),
            drafting_max_tokens(run.count),
        )
        for c in run.pending()
    ]
    skipped = [
        Skipped(c.id, c.source, c.page, run.skipped[c.id])
        for c in run.chunks
        if c.id in run.skipped
    ]
    totals = _Totals(
        done=len(run.chunks) - len(items),
        total=len(run.chunks),
        rows=run.pairs,
        input_tokens=run.input_tokens,
        output_tokens=run.output_tokens,
        skipped=skipped,
    )

    def read(item: _Item[Chunk], reply: str) -> list[Example]:
        return document_rows(item.value, parse_pairs(reply))

    def finish(item: _Item[Chunk], rows: list[Example], skip: Skipped | None) -> None:
        run.mark_done(item.id, len(rows), skip.reason if skip is not None else None)
        on_rows(item.value, rows)

    queue: _Queue[Chunk] = _Queue(
        chat,
        items,
        totals,
        read=read,
        finish=finish,
        add_tokens=run.add_tokens,
        on_progress=on_progress,
        on_wait=on_wait,
        pause=pause,
        concurrency=concurrency,
        temperature=DRAFT_TEMPERATURE,
    )
    return await queue.run()


# ----------------------------------------------------------------------------- paraphrasing
async def paraphrase(
    chat: ChatClient,
    rows: Sequence[Example],
    count: int,
    *,
    on_rows: Callable[[Example, list[Example]], None],
    on_progress: OnProgress | None = None,
    on_wait: OnWait | None = None,
    pause: asyncio.Event | None = None,
    concurrency: int = 3,
) -> DraftingProgress:
    """Ask ``count`` other wordings of each row's question; ``on_rows(original, new_rows)``
    gets draft rows with the original's answer and group (see
    :func:`~tunedesk.core.drafting.paraphrase_rows`; set the original's group to its id if
    it has none). Same queue, retries, pause and cancel as :func:`run_drafting`; nothing is
    stored: after a cancel, ask again for the rows that got nothing."""
    items = [
        _Item(
            row.id,
            row,
            row.question,
            None,
            partial(paraphrase_messages, row.question, row.answer, count),
            paraphrase_max_tokens(row.question, count),
        )
        for row in rows
    ]
    totals = _Totals(done=0, total=len(items), rows=0, input_tokens=0, output_tokens=0)

    def read(item: _Item[Example], reply: str) -> list[Example]:
        questions = parse_paraphrases(reply, item.value.question)[:count]
        return paraphrase_rows(item.value, questions)

    def finish(item: _Item[Example], new_rows: list[Example], skip: Skipped | None) -> None:
        on_rows(item.value, new_rows)

    queue: _Queue[Example] = _Queue(
        chat,
        items,
        totals,
        read=read,
        finish=finish,
        add_tokens=lambda _prompt, _completion: None,
        on_progress=on_progress,
        on_wait=on_wait,
        pause=pause,
        concurrency=concurrency,
        temperature=PARAPHRASE_TEMPERATURE,
    )
    return await queue.run()


__all__ = [
    "MAX_FAILURES",
    "DraftingProgress",
    "OnProgress",
    "Skipped",
    "paraphrase",
    "queue_backoff",
    "run_drafting",
]
