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
    ServiceProblem,
    Throttled,
    filtered_categories,
    to_user_error,
)
from tunedesk.cloud.routes.base import ChatMessage, OnWait, RetryWait

log = logging.getLogger(__name__)

ClientFactory = Callable[[], Any]   # -> openai.AsyncOpenAI | openai.AsyncAzureOpenAI

MAX_ATTEMPTS = 4            # the first request and up to three retries
MAX_TOTAL_WAIT = 90.0       # seconds of waiting, all retries together
MAX_ONE_WAIT = 60.0         # a longer Retry-After is not waited out: Throttled at once


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
    ) -> str:
        """The whole answer at once (``ContentFiltered`` if the filter stopped it)."""
        response = await self._create(
            on_wait, messages=list(messages), **self._options(max_tokens, temperature)
        )
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
    ) -> AsyncIterator[str]:
        """The answer piece by piece, as the service sends it; then ``ContentFiltered``
        (with every piece in ``partial``) if the filter stopped it."""
        stream = await self._create(
            on_wait,
            messages=list(messages),
            stream=True,
            **self._options(max_tokens, temperature),
        )
        pieces: list[str] = []
        finish: str | None = None
        categories: tuple[str, ...] = ()
        try:
            async for chunk in stream:
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
        if finish == "content_filter":
            raise ContentFiltered("answer", categories, "".join(pieces))

    async def aclose(self) -> None:
        await self._client.close()


def _choice_categories(choice: Any) -> tuple[str, ...]:
    extra = getattr(choice, "model_extra", None) or {}
    return filtered_categories(extra.get("content_filter_results"))
