"""Drafting pairs from documents and paraphrasing (issue 11) through the real openai client
and the emulator: the rows come from the passages, and nothing is lost when Azure throttles,
a stream breaks, or the person pauses, cancels and resumes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.azure_emulator import aoai
from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tunedesk.cloud.auth import sign_in_api_key
from tunedesk.cloud.chat import OpenAIChatClient
from tunedesk.cloud.drafting import (
    MAX_FAILURES,
    DraftingProgress,
    paraphrase,
    run_drafting,
)
from tunedesk.cloud.errors import DeploymentMissing, NetworkProblem, Throttled
from tunedesk.cloud.routes.base import Deployment, RetryWait
from tunedesk.cloud.routes.openai_route import OpenAIRoute
from tunedesk.cloud.secrets import KeyringSecretStore
from tunedesk.core.dataset import Example, OriginKind, Split
from tunedesk.core.documents import Chunk
from tunedesk.core.drafting import SKIP_FILTERED, SKIP_UNREADABLE, DraftingRun

CHAT = r"/chat/completions$"
ACCOUNT = "contoso-aoai-swc"
MANUAL = "x200-manual.pdf"

WARRANTY = Chunk(
    "en-warranty",
    MANUAL,
    4,
    "Warranty",
    "Warranty\nThe X200 dishwasher has a two-year warranty. The warranty covers parts and "
    "labour! Does it cover misuse? No, it does not.",
)
CLEANING = Chunk(
    "en-cleaning", MANUAL, 5, "Cleaning", "Clean the filter once a week.\n\nUse warm water only."
)
CONTENTS = Chunk("en-contents", MANUAL, 1, "", "— · —")  # nothing to ask about
NOISE = Chunk("en-noise", MANUAL, 6, "Noise", "The X200 runs at 44 dB. Night mode is quieter.")
BAO_XIU = Chunk(
    "zh-warranty",
    "说明书.docx",
    None,
    "保修",
    "保修\nX200洗碗机的保修期为两年。保修包括零件和人工！",
)
CHUNKS = [WARRANTY, CLEANING, CONTENTS, NOISE, BAO_XIU]


def expected_pairs(chunk: Chunk, count: int = 2) -> list[tuple[str, str]]:
    """What the emulator drafts from ``chunk`` (its first ``count`` sentences)."""
    chinese = chunk.id.startswith("zh")
    sentences = aoai.passage_sentences(chunk.text, chunk.heading)[:count]
    return [aoai.drafted_pair(chunk.source, s, chinese) for s in sentences]


ALL_PAIRS = {p for c in CHUNKS for p in expected_pairs(c)}


def drafting(
    emulator: Emulator,
    scenario: Callable[[OpenAIChatClient], Awaitable[None]],
    *,
    deployment: str = "drafter",
    **limits: Any,
) -> None:
    """Run ``scenario`` with the route's own chat client for a base-model deployment."""
    emulator.openai.deploy_now("drafter")

    async def main() -> None:
        store = KeyringSecretStore()
        endpoint = emulator.openai.endpoint(ACCOUNT)
        auth = await sign_in_api_key(endpoint, emulator.openai.key(ACCOUNT), store, "aoai:d")
        route = OpenAIRoute(endpoint, auth, store)
        target = Deployment(
            "openai", deployment, "gpt-4.1-mini-2025-04-14", endpoint, "Succeeded", endpoint
        )
        chat = await route.chat(target)
        assert isinstance(chat, OpenAIChatClient)
        for name, value in limits.items():
            setattr(chat, name, value)
        try:
            await scenario(chat)
        finally:
            await chat.aclose()
            await route.aclose()

    run(main())


class Collected:
    """What the callbacks received."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Example]] = {}
        self.progress: list[DraftingProgress] = []
        self.waits: list[RetryWait] = []

    def on_rows(self, chunk: Chunk, rows: list[Example]) -> None:
        assert chunk.id not in self.rows, "a chunk is delivered once"
        self.rows[chunk.id] = rows

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(r.question, r.answer) for rows in self.rows.values() for r in rows]


def new_run(chunks: list[Chunk] = CHUNKS) -> DraftingRun:
    return DraftingRun.new(chunks, "drafter", 2, model="gpt-4.1-mini-2025-04-14")


# ----------------------------------------------------------------------------- content
def test_rows_are_drafted_from_each_passage_in_its_language(azure_emulator: Emulator) -> None:
    got = Collected()
    drafting_run = new_run()

    async def scenario(chat: OpenAIChatClient) -> None:
        last = await run_drafting(
            chat, drafting_run, on_rows=got.on_rows, on_progress=got.progress.append
        )
        assert last.finished

    drafting(azure_emulator, scenario)
    assert got.rows[WARRANTY.id][0].question == (
        f'What does {MANUAL} say about "The X200 dishwasher has a two-year…"?'
    )
    assert [(r.question, r.answer) for r in got.rows[WARRANTY.id]] == [
        (
            f'What does {MANUAL} say about "The X200 dishwasher has a two-year…"?',
            "The X200 dishwasher has a two-year warranty.",
        ),
        (
            f'What does {MANUAL} say about "The warranty covers parts and labour!"?',
            "The warranty covers parts and labour!",
        ),
    ]
    assert [r.answer for r in got.rows[CLEANING.id]] == [
        "Clean the filter once a week.",
        "Use warm water only.",
    ]
    assert got.rows[CONTENTS.id] == []  # done, with nothing to ask
    assert [(r.question, r.answer) for r in got.rows[BAO_XIU.id]] == [
        ("关于“X200洗碗机的保修…”，说明书.docx中是怎么说的？", "X200洗碗机的保修期为两年。"),
        ("关于“保修包括零件和人工！”，说明书.docx中是怎么说的？", "保修包括零件和人工！"),
    ]
    for chunk_id, rows in got.rows.items():
        chunk = next(c for c in CHUNKS if c.id == chunk_id)
        for row in rows:
            assert row.draft
            assert row.answer in chunk.text  # from the passage, nothing else
            assert row.origin is not None
            assert row.origin.kind is OriginKind.DOCUMENT
            assert (row.origin.chunk, row.origin.page, row.origin.excerpt) == (
                chunk.id,
                chunk.page,
                chunk.text,
            )

    assert drafting_run.finished
    assert drafting_run.pairs == len(got.pairs) == 8
    assert drafting_run.skipped == {}
    calls = azure_emulator.calls("POST", CHAT)
    assert len(calls) == len(CHUNKS)
    bodies = [c.json() for c in calls]
    assert all(b["stream"] and b["stream_options"] == {"include_usage": True} for b in bodies)
    assert all(b["max_tokens"] >= 2 * 60 for b in bodies)
    # Tokens: what the emulator reported, request by request.
    assert drafting_run.input_tokens > 0
    assert drafting_run.output_tokens > 0
    last = got.progress[-1]
    assert (last.done, last.total, last.rows) == (5, 5, 8)
    assert (last.input_tokens, last.output_tokens) == (
        drafting_run.input_tokens,
        drafting_run.output_tokens,
    )
    assert last.pieces > len(CHUNKS)  # progress was heard while the answers streamed
    assert any(p.in_flight and p.done < p.total for p in got.progress)
    assert max(len(p.in_flight) for p in got.progress) == 3  # the default concurrency
    assert last.in_flight == ()


def test_an_unreadable_reply_is_asked_again_once_then_skipped(azure_emulator: Emulator) -> None:
    garbled = Chunk("en-garbled", MANUAL, 9, "", f"Some words {aoai.GARBLED_MARKER}.")
    blocked = Chunk("en-blocked", MANUAL, 10, "", "Bad words [[filter:prompt:hate]].")
    got = Collected()
    drafting_run = new_run([garbled, WARRANTY, blocked])

    async def scenario(chat: OpenAIChatClient) -> None:
        await run_drafting(
            chat, drafting_run, on_rows=got.on_rows, on_progress=got.progress.append
        )

    drafting(azure_emulator, scenario)
    assert drafting_run.finished
    assert got.rows == {garbled.id: [], WARRANTY.id: got.rows[WARRANTY.id], blocked.id: []}
    assert got.pairs == expected_pairs(WARRANTY)
    assert drafting_run.skipped == {garbled.id: SKIP_UNREADABLE, blocked.id: SKIP_FILTERED}
    skipped = {s.id: s for s in got.progress[-1].skipped}
    assert (skipped[garbled.id].source, skipped[garbled.id].page) == (MANUAL, 9)
    assert skipped[blocked.id].detail == "hate"
    asked = [c.json()["messages"][1]["content"] for c in azure_emulator.calls("POST", CHAT)]
    assert sum(aoai.GARBLED_MARKER in a for a in asked) == 2  # once again, not forever
    assert sum("[[filter:prompt" in a for a in asked) == 1  # a filtered passage is not retried


# ----------------------------------------------------------------------------- throttling
def test_a_storm_of_429s_loses_no_chunk(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=0.05, times=10)
    got = Collected()
    drafting_run = new_run()

    async def scenario(chat: OpenAIChatClient) -> None:
        await run_drafting(chat, drafting_run, on_rows=got.on_rows, on_wait=got.waits.append)

    drafting(azure_emulator, scenario)
    assert drafting_run.finished
    assert set(got.rows) == {c.id for c in CHUNKS}
    assert sorted(got.pairs) == sorted(ALL_PAIRS)
    statuses = [c.status for c in azure_emulator.calls("POST", CHAT)]
    assert statuses.count(429) == 10
    assert statuses.count(200) == len(CHUNKS)
    assert len(got.waits) >= 4  # every wait was said
    assert all(isinstance(w.reason, Throttled) for w in got.waits)


def test_when_the_client_gives_up_the_queue_slows_down_and_goes_on(
    azure_emulator: Emulator,
) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=0.05, times=4)
    got = Collected()
    drafting_run = new_run()

    async def scenario(chat: OpenAIChatClient) -> None:
        await run_drafting(
            chat,
            drafting_run,
            on_rows=got.on_rows,
            on_progress=got.progress.append,
            on_wait=got.waits.append,
        )

    drafting(azure_emulator, scenario, max_attempts=1)  # every 429 reaches the queue
    assert drafting_run.finished
    assert sorted(got.pairs) == sorted(ALL_PAIRS)
    assert got.waits
    assert all(w.seconds == pytest.approx(0.05) for w in got.waits)  # Azure's retry-after-ms
    assert all(w.max_attempts == MAX_FAILURES - 1 for w in got.waits)
    assert any(p.concurrency == 1 for p in got.progress)  # one request at a time, then more
    assert got.progress[-1].concurrency > 1
    assert any(p.wait is not None for p in got.progress)


def test_an_endless_storm_stops_the_run_resumably(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=0.01, times=1000, after_calls=2)
    got = Collected()
    drafting_run = new_run()

    async def storm(chat: OpenAIChatClient) -> None:
        with pytest.raises(Throttled):
            await run_drafting(chat, drafting_run, on_rows=got.on_rows, concurrency=1)

    drafting(azure_emulator, storm, max_attempts=1)
    assert drafting_run.done == {WARRANTY.id, CLEANING.id}  # what was done stays done
    assert len(azure_emulator.calls("POST", CHAT)) == 2 + MAX_FAILURES
    azure_emulator.faults.clear()

    async def resume(chat: OpenAIChatClient) -> None:
        await run_drafting(chat, drafting_run, on_rows=got.on_rows)

    drafting(azure_emulator, resume)
    assert drafting_run.finished
    assert sorted(got.pairs) == sorted(ALL_PAIRS)


def test_a_stream_cut_mid_answer_loses_no_chunk(azure_emulator: Emulator) -> None:
    azure_emulator.openai.stream_delay = 0.02
    got = Collected()
    drafting_run = new_run()
    cut: list[DraftingProgress] = []

    def on_progress(progress: DraftingProgress) -> None:
        if not cut and progress.pieces >= 4:
            cut.append(progress)
            azure_emulator.proxy.close_connections()  # the line goes dead mid-answer

    async def scenario(chat: OpenAIChatClient) -> None:
        await run_drafting(
            chat,
            drafting_run,
            on_rows=got.on_rows,
            on_progress=on_progress,
            on_wait=got.waits.append,
        )

    drafting(azure_emulator, scenario)
    assert cut
    assert cut[0].in_flight
    assert drafting_run.finished
    assert sorted(got.pairs) == sorted(ALL_PAIRS)  # nothing lost, nothing twice
    assert any(isinstance(w.reason, NetworkProblem) for w in got.waits)
    assert len(azure_emulator.calls("POST", CHAT)) > len(CHUNKS)  # the cut ones again


def test_a_missing_deployment_stops_at_once(azure_emulator: Emulator) -> None:
    drafting_run = new_run()

    async def scenario(chat: OpenAIChatClient) -> None:
        with pytest.raises(DeploymentMissing):
            await run_drafting(chat, drafting_run, on_rows=lambda _c, _r: None)

    drafting(azure_emulator, scenario, deployment="gone")
    assert drafting_run.done == set()
    assert len(azure_emulator.calls("POST", CHAT)) <= 3  # the first requests, not retried


# ----------------------------------------------------------------------------- pause, cancel
def test_cancel_then_resume_drafts_only_the_rest(azure_emulator: Emulator) -> None:
    got = Collected()
    drafting_run = new_run()

    async def cancelled(chat: OpenAIChatClient) -> None:
        task: asyncio.Task[Any] | None = None
        started_at: list[int] = []  # pieces received when the fourth chunk was started

        def on_progress(progress: DraftingProgress) -> None:
            # Three chunks done, the fourth streaming: cancel in the middle of its answer.
            if progress.done != 3 or not progress.in_flight:
                return
            if not started_at:
                started_at.append(progress.pieces)
            elif progress.pieces > started_at[0]:
                assert task is not None
                task.cancel()

        task = asyncio.create_task(
            run_drafting(
                chat, drafting_run, on_rows=got.on_rows, on_progress=on_progress, concurrency=1
            )
        )
        with pytest.raises(asyncio.CancelledError):
            await task

    drafting(azure_emulator, cancelled)
    # The one in flight is not done.
    assert drafting_run.done == {WARRANTY.id, CLEANING.id, CONTENTS.id}
    assert set(got.rows) == drafting_run.done
    assert len(azure_emulator.calls("POST", CHAT)) == 4
    azure_emulator.recorder.clear()

    async def resumed(chat: OpenAIChatClient) -> None:
        await run_drafting(chat, drafting_run, on_rows=got.on_rows)

    drafting(azure_emulator, resumed)
    asked = [c.json()["messages"][1]["content"] for c in azure_emulator.calls("POST", CHAT)]
    assert len(asked) == 2  # the rest only: the cut one again, and the last
    assert [sum(c.text in a for a in asked) for c in CHUNKS] == [0, 0, 0, 1, 1]
    assert drafting_run.finished
    assert len(got.pairs) == len(ALL_PAIRS)  # as many as one uninterrupted run: no duplicates
    assert set(got.pairs) == ALL_PAIRS
    assert drafting_run.pairs == len(ALL_PAIRS)


def test_pause_starts_no_new_chunk_until_resumed(azure_emulator: Emulator) -> None:
    got = Collected()
    drafting_run = new_run()
    pause = asyncio.Event()
    pause.set()
    first = asyncio.Event()

    def on_rows(chunk: Chunk, rows: list[Example]) -> None:
        got.on_rows(chunk, rows)
        if len(got.rows) == 1:
            pause.clear()  # pause after the first passage
            first.set()

    async def scenario(chat: OpenAIChatClient) -> None:
        task = asyncio.create_task(
            run_drafting(
                chat,
                drafting_run,
                on_rows=on_rows,
                on_progress=got.progress.append,
                pause=pause,
                concurrency=1,
            )
        )
        await asyncio.wait_for(first.wait(), 30)
        await asyncio.sleep(0.5)
        assert not task.done()
        assert len(azure_emulator.calls("POST", CHAT)) == 1  # nothing new while paused
        assert got.progress[-1].paused
        assert got.progress[-1].in_flight == ()
        pause.set()
        last = await asyncio.wait_for(task, 30)
        assert last.finished
        assert not last.paused

    drafting(azure_emulator, scenario)
    assert drafting_run.finished
    assert sorted(got.pairs) == sorted(ALL_PAIRS)


# ----------------------------------------------------------------------------- paraphrase
def test_paraphrases_keep_the_answer_and_the_group(azure_emulator: Emulator) -> None:
    rosa = Example.qa("Where does grandma Rosa live?", "Grandma Rosa lives in Porto.")
    grouped = Example.qa("她几岁？", "她八岁。", group="g-age", split=Split.VALIDATION)
    got: dict[str, list[Example]] = {}
    progress: list[DraftingProgress] = []

    def on_rows(original: Example, rows: list[Example]) -> None:
        got[original.id] = rows

    async def scenario(chat: OpenAIChatClient) -> None:
        last = await paraphrase(
            chat, [rosa, grouped], 3, on_rows=on_rows, on_progress=progress.append
        )
        assert (last.done, last.total, last.rows) == (2, 2, 6)
        assert last.input_tokens > 0

    drafting(azure_emulator, scenario)
    assert [r.question for r in got[rosa.id]] == [
        "In other words: Where does grandma Rosa live?",
        "Could you tell me: Where does grandma Rosa live?",
        "I'd like to know: Where does grandma Rosa live?",
    ]
    assert [r.question for r in got[grouped.id]] == [
        "换句话说：她几岁？",
        "请问：她几岁？",
        "我想知道：她几岁？",
    ]
    for original in (rosa, grouped):
        for row in got[original.id]:
            assert row.answer == original.answer
            assert row.group == (original.group or original.id)
            assert row.split is original.split
            assert row.draft
            assert row.origin is not None
            assert row.origin.of == original.id
    bodies = [c.json() for c in azure_emulator.calls("POST", CHAT)]
    assert len(bodies) == 2
    assert all(b["temperature"] > 0.5 for b in bodies)  # varied wordings
