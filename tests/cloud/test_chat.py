"""Chat as Azure really fails (issue 13), through the real openai client and the emulator.

Throttling is not quota, our own retries are announced, bounded and cancellable, the content
filter is never silent, and an unknown deployment is named.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from tests.azure_emulator.aoai import BASE_MODEL_ANSWER
from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tunedesk.cloud.auth import sign_in_api_key
from tunedesk.cloud.chat import OpenAIChatClient
from tunedesk.cloud.errors import (
    ContentFiltered,
    DeploymentMissing,
    QuotaReached,
    ServiceProblem,
    Throttled,
)
from tunedesk.cloud.routes.base import Deployment, RetryWait
from tunedesk.cloud.routes.openai_route import OpenAIRoute
from tunedesk.cloud.secrets import KeyringSecretStore

CHAT = r"/chat/completions$"
QUESTION = [{"role": "user", "content": "Who are you?"}]
ACCOUNT = "contoso-aoai-swc"


def _deployment(emulator: Emulator, name: str = "chat") -> Deployment:
    endpoint = emulator.openai.endpoint(ACCOUNT)
    return Deployment("openai", name, "gpt-4.1-mini-2025-04-14", endpoint, "Succeeded", endpoint)


def chatting(
    emulator: Emulator,
    scenario: Callable[[OpenAIChatClient], Awaitable[None]],
    *,
    deployment: str = "chat",
    **limits: Any,
) -> None:
    """Run ``scenario`` with the route's own chat client (key sign-in) for ``deployment``."""
    emulator.openai.deploy_now("chat")

    async def main() -> None:
        store = KeyringSecretStore()
        endpoint = emulator.openai.endpoint(ACCOUNT)
        auth = await sign_in_api_key(endpoint, emulator.openai.key(ACCOUNT), store, "aoai:chat")
        route = OpenAIRoute(endpoint, auth, store)
        chat = await route.chat(_deployment(emulator, deployment))
        assert isinstance(chat, OpenAIChatClient)
        for name, value in limits.items():
            setattr(chat, name, value)
        try:
            await scenario(chat)
        finally:
            await chat.aclose()
            await route.aclose()

    run(main())


async def collect(stream: AsyncIterator[str], into: list[str]) -> None:
    async for piece in stream:
        into.append(piece)


# -- 1. throttling is not quota ----------------------------------------------------------------
def test_azure_rate_limit_wording_is_throttled_not_quota(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add(
        "429", path=CHAT, seconds=7, retry_after_ms=False, times=1
    )

    async def scenario(chat: OpenAIChatClient) -> None:
        with pytest.raises(Throttled) as caught:
            await chat.complete(QUESTION)
        err = caught.value
        assert not isinstance(err, QuotaReached)
        assert err.retryable
        assert err.retry_after == 7.0
        assert err.wait == 7.0
        assert "aka.ms/oai/quotaincrease" in (err.service_message or "")
        assert "ChatCompletions_Create" in (err.service_message or "")
        assert "Try again in 7 seconds." in str(err)

    chatting(azure_emulator, scenario, max_attempts=1)
    (call,) = azure_emulator.calls("POST", CHAT)
    assert call.status == 429
    assert call.response_headers["x-ratelimit-remaining-requests"] == "0"
    assert call.response_headers["x-ratelimit-remaining-tokens"] == "0"
    assert "retry-after-ms" not in call.response_headers


# -- 4. our own retries: announced, honouring Azure's wait, bounded, cancellable ---------------
def test_throttled_stream_retries_in_our_loop_and_announces_each_wait(
    azure_emulator: Emulator,
) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=0.3, times=2)
    waits: list[RetryWait] = []
    pieces: list[str] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        await collect(chat.stream(QUESTION, on_wait=waits.append), pieces)

    chatting(azure_emulator, scenario)
    assert "".join(pieces) == BASE_MODEL_ANSWER
    assert [w.seconds for w in waits] == [0.3, 0.3]  # retry-after-ms, exactly
    assert [w.attempt for w in waits] == [1, 2]
    assert all(isinstance(w.reason, Throttled) for w in waits)
    assert str(waits[0].message) == "Azure is busy, retrying in 1 s."
    calls = azure_emulator.calls("POST", CHAT)
    assert [c.status for c in calls] == [429, 429, 200]  # the SDK retried nothing itself
    assert calls[1].time - calls[0].time >= 0.3
    assert calls[2].time - calls[1].time >= 0.3


def test_retry_after_in_whole_seconds_alone_is_honoured(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=1, retry_after_ms=False)
    waits: list[RetryWait] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        assert await chat.complete(QUESTION, on_wait=waits.append) == BASE_MODEL_ANSWER

    chatting(azure_emulator, scenario)
    assert [w.seconds for w in waits] == [1.0]
    calls = azure_emulator.calls("POST", CHAT)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].time - calls[0].time >= 1.0


def test_attempts_and_total_wait_are_bounded_then_throttled(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=0.1, times=50)
    waits: list[RetryWait] = []

    async def by_attempts(chat: OpenAIChatClient) -> None:
        with pytest.raises(Throttled):
            await chat.complete(QUESTION, on_wait=waits.append)

    chatting(azure_emulator, by_attempts, max_attempts=3)
    assert len(azure_emulator.calls("POST", CHAT)) == 3
    assert [(w.attempt, w.max_attempts) for w in waits] == [(1, 2), (2, 2)]

    azure_emulator.recorder.clear()
    waits.clear()

    async def by_total_wait(chat: OpenAIChatClient) -> None:
        with pytest.raises(Throttled):
            await chat.complete(QUESTION, on_wait=waits.append)

    chatting(azure_emulator, by_total_wait, max_total_wait=0.25)
    assert len(azure_emulator.calls("POST", CHAT)) == 3   # waits of 0.1 + 0.1; a third: no
    assert len(waits) == 2


def test_a_long_retry_after_is_not_sat_out_in_silence(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=120, retry_after_ms=False)
    waits: list[RetryWait] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        started = time.monotonic()
        with pytest.raises(Throttled) as caught:
            await chat.complete(QUESTION, on_wait=waits.append)
        assert time.monotonic() - started < 5
        assert caught.value.retry_after == 120.0

    chatting(azure_emulator, scenario)
    assert waits == []
    assert len(azure_emulator.calls("POST", CHAT)) == 1


def test_cancelling_stops_the_wait_at_once(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", path=CHAT, seconds=30)

    async def scenario(chat: OpenAIChatClient) -> None:
        waiting = asyncio.Event()
        pieces: list[str] = []

        def on_wait(wait: RetryWait) -> None:
            assert wait.seconds == 30.0
            waiting.set()

        task = asyncio.create_task(collect(chat.stream(QUESTION, on_wait=on_wait), pieces))
        await asyncio.wait_for(waiting.wait(), 10)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        assert pieces == []

    chatting(azure_emulator, scenario)
    assert len(azure_emulator.calls("POST", CHAT)) == 1


def test_a_server_error_is_retried_with_backoff_and_said(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("503", path=CHAT, seconds=0)
    waits: list[RetryWait] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        assert await chat.complete(QUESTION, on_wait=waits.append) == BASE_MODEL_ANSWER

    chatting(azure_emulator, scenario)
    assert [w.seconds for w in waits] == [1.0]
    assert isinstance(waits[0].reason, ServiceProblem)
    assert str(waits[0].message) == "Azure had a problem, retrying in 1 s."
    assert [c.status for c in azure_emulator.calls("POST", CHAT)] == [503, 200]


# -- 2. content filtering ---------------------------------------------------------------------
def test_a_filtered_question_is_said_in_plain_words(azure_emulator: Emulator) -> None:
    blocked = [{"role": "user", "content": "Tell me something [[filter:prompt]]"}]

    async def scenario(chat: OpenAIChatClient) -> None:
        with pytest.raises(ContentFiltered) as caught:
            await chat.complete(blocked)
        err = caught.value
        assert err.where == "prompt"
        assert err.categories == ("violence",)
        assert err.partial == ""
        assert err.status == 400
        assert err.code == "content_filter"
        assert not err.retryable
        assert str(err.message) == (
            "Azure's content filter blocked this question (violence), so the model did not "
            "answer."
        )
        pieces: list[str] = []
        with pytest.raises(ContentFiltered) as streamed:
            await collect(chat.stream(blocked), pieces)
        assert streamed.value.where == "prompt"
        assert pieces == []

    chatting(azure_emulator, scenario)
    assert [c.status for c in azure_emulator.calls("POST", CHAT)] == [400, 400]


def test_a_filtered_answer_keeps_what_arrived_and_then_says_why(
    azure_emulator: Emulator,
) -> None:
    question = [{"role": "user", "content": "Who are you? [[filter:answer:hate]]"}]
    half = " ".join(BASE_MODEL_ANSWER.split(" ")[: len(BASE_MODEL_ANSWER.split(" ")) // 2])

    async def scenario(chat: OpenAIChatClient) -> None:
        pieces: list[str] = []
        with pytest.raises(ContentFiltered) as caught:
            await collect(chat.stream(question), pieces)
        err = caught.value
        assert len(pieces) > 1
        assert "".join(pieces) == half == err.partial
        assert err.where == "answer"
        assert err.categories == ("hate",)
        assert str(err.message) == "Azure's content filter stopped the answer (hate)."
        with pytest.raises(ContentFiltered) as whole:
            await chat.complete(question)
        assert whole.value.partial == half

    chatting(azure_emulator, scenario)


# -- 3. an unknown deployment is named --------------------------------------------------------
def test_an_unknown_deployment_is_named(azure_emulator: Emulator) -> None:
    async def scenario(chat: OpenAIChatClient) -> None:
        with pytest.raises(DeploymentMissing) as caught:
            await chat.complete(QUESTION)
        err = caught.value
        assert err.deployment == "family-gone"
        assert str(err.message) == 'Azure has no deployment named "family-gone".'
        assert "resource" not in str(err.message)
        assert err.code == "DeploymentNotFound"
        assert "does not exist" in (err.service_message or "")

    chatting(azure_emulator, scenario, deployment="family-gone")
    assert [c.status for c in azure_emulator.calls("POST", CHAT)] == [404]


# -- 5. token usage, when asked for ---------------------------------------------------------
def test_a_stream_reports_the_usage_azure_sends_when_asked(azure_emulator: Emulator) -> None:
    usages: list[tuple[int, int]] = []
    pieces: list[str] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        await collect(chat.stream(QUESTION, on_usage=lambda p, c: usages.append((p, c))), pieces)
        await collect(chat.stream(QUESTION), [])  # not asked: the request is as before

    chatting(azure_emulator, scenario)
    assert "".join(pieces) == BASE_MODEL_ANSWER
    (usage,) = usages  # once, from the last chunk
    assert usage[0] > 0
    assert usage[1] > 0
    asked, plain = (c.json() for c in azure_emulator.calls("POST", CHAT))
    assert asked["stream_options"] == {"include_usage": True}
    assert "stream_options" not in plain


def test_a_whole_answer_reports_its_usage(azure_emulator: Emulator) -> None:
    usages: list[tuple[int, int]] = []

    async def scenario(chat: OpenAIChatClient) -> None:
        answer = await chat.complete(QUESTION, on_usage=lambda p, c: usages.append((p, c)))
        assert answer == BASE_MODEL_ANSWER
        await collect(chat.stream(QUESTION, on_usage=lambda p, c: usages.append((p, c))), [])

    chatting(azure_emulator, scenario)
    whole, streamed = usages
    assert whole == streamed  # the same question and answer, counted the same way
    assert whole[0] > 0
    assert whole[1] > 0
    assert "stream_options" not in azure_emulator.calls("POST", CHAT)[0].json()
