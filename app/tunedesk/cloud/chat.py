"""Chatting with a deployed model (both routes speak the OpenAI chat-completions format).

:class:`OpenAIChatClient` wraps an ``openai`` async client. It can hold a second way to
authenticate, used once if the first is refused with 401 (serverless endpoints document the
raw key in ``Authorization``; some accept only ``Bearer <key>``, AZURE.md 1.9).

Retries are ours, not the SDK's (issue 13): the openai client would obey Retry-After up to
two minutes, twice, in silence. Here the SDK never retries (``max_retries=0``); a 429, a
5xx or a connection that failed before any answer is retried in :meth:`_create`, each wait
is reported to ``on_wait`` first (a :class:`RetryWait`: "Azure is busy, retrying in 6 s")
and is a plain ``asyncio.sleep``, so cancelling the awaiting task stops it at once. The
attempts and the total wait are bounded; after them the last error is raised (``Throttled``
with its retry-after, ``ServiceProblem``…).

Content filtering: a question the filter blocks raises ``ContentFiltered(where="prompt")``;
an answer the filter stops (``finish_reason="content_filter"``) raises
``ContentFiltered(where="answer", partial=...)`` *after* ``stream()`` has yielded every piece
that arrived, so a chat page shows the text and then says why it ended.

Token usage: given ``on_usage``, :meth:`stream` asks for ``stream_options.include_usage``
(a last chunk with no choices carries the request's ``usage``; Azure OpenAI takes it on
the v1 API and the preview api-versions since 2024-09-01-preview, while the 2024-10-21 GA
spec does not list it: azure-rest-api-specs ``inference/stable/2024-10-21``,
Azure/azure-sdk-for-java#40998) and :meth:`complete` reads
``response.usage``; ``on_usage(prompt_tokens, completion_tokens)`` is called once, when the
answer has arrived. A service that sends no usage (an endpoint that ignores the option, a
stream cut short) calls nothing: callers count the tokens themselves then. An endpoint
that refuses the option (400 naming ``stream_options``) is asked again without it, and not
asked for it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from typing import Any

from tunedesk.cloud.errors import (
    CloudError,
    ContentFiltered,
    ErrorContext,
    NetworkProblem,
    RequestRejected,
    ServiceProblem,
    Throttled,
    filtered_categories,
    to_user_error,
)
from tunedesk.cloud.routes.base import ChatMessage, OnUsage, OnWait, RetryWait

log = logging.getLogger(__name__)

ClientFactory = Callable[[], Any]   # -> openai.AsyncOpenAI | openai.AsyncAzureOpenAI

MAX_ATTEMPTS = 4            # the first request and up to three retries
MAX_TOTAL_WAIT = 90.0       # seconds of waiting, all retries together
MAX_ONE_WAIT = 60.0         # a longer Retry-After is not waited out: Throttled at once
# A stream read while the loop was busy arrives as one buffer of many chunks, and the SDK
# parses them all in one task step (bench/drafting.py: steps of 10-100 ms with three
# streams at once). After this long of parsing, the stream lets the rest of the loop run.
STREAM_SLICE = 0.004        # seconds


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1, 2, …) when Azure named no wait: 1, 2, 4, 8."""
    return float(min(2.0 ** (attempt - 1), 8.0))


class OpenAIChatClient:
    def __init__(
        self,
        model: str,
        factories: Sequence[ClientFactory],
        ctx: ErrorContext,
        *,
        temperature: float | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        max_total_wait: float = MAX_TOTAL_WAIT,
        max_one_wait: float = MAX_ONE_WAIT,
    ) -> None:
        if not factories:
            raise ValueError("at least one client factory is needed")
        self.model = model
        self.max_attempts = max(1, max_attempts)
        self.max_total_wait = max_total_wait
        self.max_one_wait = max_one_wait
        self._factories = list(factories)
        self._ctx = replace(ctx, deployment=ctx.deployment or model)
        self._temperature = temperature
        self._client: Any = None
        self._once: Any = None
        self._usage_option = True  # False once the endpoint refused stream_options
        self._use(self._factories[0]())
        self._index = 0

    def _use(self, client: Any) -> None:
        self._client = client
        # The SDK retries nothing: every retry is ours, announced and cancellable.
        self._once = client.with_options(max_retries=0)

    def _options(self, max_tokens: int | None, temperature: float | None) -> dict[str, Any]:
        """Per-call settings; a call's ``temperature`` wins over the client's own."""
        options: dict[str, Any] = {}
        if max_tokens is not None:
            options["max_tokens"] = max_tokens
        if temperature is None:
            temperature = self._temperature
        if temperature is not None:
            options["temperature"] = temperature
        return options

    async def _switch_after_401(self, exc: Exception) -> bool:
        import openai

        if (
            isinstance(exc, openai.AuthenticationError)
            and self._index + 1 < len(self._factories)
        ):
            await self._client.close()
            self._index += 1
            self._use(self._factories[self._index]())
            return True
        return False

    def _mapped(self, exc: Exception) -> CloudError:
        mapped = to_user_error(exc, self._ctx)
        if mapped is None:
            raise exc
        return mapped

    def _delay(self, err: CloudError, attempt: int) -> float | None:
        """Seconds to wait before retry ``attempt``, or None: do not retry this one."""
        if isinstance(err, Throttled):
            return err.wait if err.wait is not None else backoff(attempt)
        if isinstance(err, ServiceProblem):
            return backoff(attempt)
        if isinstance(err, NetworkProblem) and err.kind in ("timeout", "offline"):
            return backoff(attempt)
        return None

    async def _create(self, on_wait: OnWait | None, **kwargs: Any) -> Any:
        """The create call, retried through our own bounded, announced waits."""
        waited = 0.0
        failures = 0
        while True:
            try:
                return await self._once.chat.completions.create(model=self.model, **kwargs)
            except Exception as exc:
                if await self._switch_after_401(exc):
                    continue
                err = self._mapped(exc)
                failures += 1
                delay = self._delay(err, failures)
                if (
                    delay is None
                    or failures >= self.max_attempts
                    or delay > self.max_one_wait
                    or waited + delay > self.max_total_wait
                ):
                    raise err from exc
                waited += delay
                wait = RetryWait(delay, failures, self.max_attempts - 1, err)
                log.info(
                    "chat: %s (%s); retry %d of %d in %.1f s",
                    type(err).__name__, err.status, failures, self.max_attempts - 1, delay,
                )
                if on_wait is not None:
                    on_wait(wait)
                await asyncio.sleep(delay)

    async def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_wait: OnWait | None = None,
        on_usage: OnUsage | None = None,
    ) -> str:
        """The whole answer at once (``ContentFiltered`` if the filter stopped it)."""
        response = await self._create(
            on_wait, messages=list(messages), **self._options(max_tokens, temperature)
        )
        if on_usage is not None:
            _report_usage(getattr(response, "usage", None), on_usage)
        if not response.choices:
            return ""
        choice = response.choices[0]
        text = str(choice.message.content or "") if choice.message is not None else ""
        if choice.finish_reason == "content_filter":
            raise ContentFiltered("answer", _choice_categories(choice), text)
        return text

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        on_wait: OnWait | None = None,
        on_usage: OnUsage | None = None,
    ) -> AsyncIterator[str]:
        """The answer piece by piece, as the service sends it; then ``ContentFiltered``
        (with every piece in ``partial``) if the filter stopped it."""
        options = self._options(max_tokens, temperature)
        stream = await self._open_stream(list(messages), options, on_wait, on_usage is not None)
        pieces: list[str] = []
        finish: str | None = None
        categories: tuple[str, ...] = ()
        usage: Any = None
        loop = asyncio.get_running_loop()
        turn = loop.time()
        try:
            async for chunk in stream:
                if loop.time() - turn > STREAM_SLICE:
                    await asyncio.sleep(0)  # the UI's turn
                    turn = loop.time()
                # include_usage: the last chunk has the usage and no choices (some
                # endpoints put it on the chunk with the finish reason instead).
                usage = getattr(chunk, "usage", None) or usage
                # Azure sends a first chunk with only prompt_filter_results and no choices.
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                delta = getattr(choice, "delta", None)
                piece = delta.content if delta is not None else None
                if piece:
                    pieces.append(piece)
                    yield piece
                if choice.finish_reason:
                    finish = choice.finish_reason
                    categories = _choice_categories(choice) or categories
        except CloudError:
            raise
        except Exception as exc:
            raise self._mapped(exc) from exc
        finally:
            await stream.close()
        if on_usage is not None:
            _report_usage(usage, on_usage)
        if finish == "content_filter":
            raise ContentFiltered("answer", categories, "".join(pieces))

    async def _open_stream(
        self,
        messages: list[ChatMessage],
        options: dict[str, Any],
        on_wait: OnWait | None,
        want_usage: bool,
    ) -> Any:
        if want_usage and self._usage_option:
            try:
                return await self._create(
                    on_wait,
                    messages=messages,
                    stream=True,
                    stream_options={"include_usage": True},
                    **options,
                )
            except RequestRejected as err:
                if "stream_options" not in f"{err.service_message} {err.code}".lower():
                    raise
                log.info("chat: the endpoint refuses stream_options; usage is not asked again")
                self._usage_option = False
        return await self._create(on_wait, messages=messages, stream=True, **options)

    async def aclose(self) -> None:
        await self._client.close()


def _report_usage(usage: Any, on_usage: OnUsage) -> None:
    if usage is None:
        return
    prompt = getattr(usage, "prompt_tokens", None)
    completion = getattr(usage, "completion_tokens", None)
    if isinstance(prompt, int) or isinstance(completion, int):
        on_usage(
            prompt if isinstance(prompt, int) else 0,
            completion if isinstance(completion, int) else 0,
        )


def _choice_categories(choice: Any) -> tuple[str, ...]:
    extra = getattr(choice, "model_extra", None) or {}
    return filtered_categories(extra.get("content_filter_results"))
