"""Chatting with a deployed model (both routes speak the OpenAI chat-completions format).

:class:`OpenAIChatClient` wraps an ``openai`` async client. It can hold a second way to
authenticate, used once if the first is refused with 401 (serverless endpoints document the
raw key in ``Authorization``; some accept only ``Bearer <key>``, AZURE.md 1.9).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from tunedesk.cloud.errors import ErrorContext, to_user_error
from tunedesk.cloud.routes.base import ChatMessage

ClientFactory = Callable[[], Any]   # -> openai.AsyncOpenAI | openai.AsyncAzureOpenAI


class OpenAIChatClient:
    def __init__(
        self,
        model: str,
        factories: Sequence[ClientFactory],
        ctx: ErrorContext,
        *,
        temperature: float | None = None,
    ) -> None:
        if not factories:
            raise ValueError("at least one client factory is needed")
        self.model = model
        self._factories = list(factories)
        self._ctx = ctx
        self._temperature = temperature
        self._client: Any = self._factories[0]()
        self._index = 0

    def _options(self, max_tokens: int | None) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if max_tokens is not None:
            options["max_tokens"] = max_tokens
        if self._temperature is not None:
            options["temperature"] = self._temperature
        return options

    async def _switch_after_401(self, exc: Exception) -> bool:
        import openai

        if (
            isinstance(exc, openai.AuthenticationError)
            and self._index + 1 < len(self._factories)
        ):
            await self._client.close()
            self._index += 1
            self._client = self._factories[self._index]()
            return True
        return False

    def _raise(self, exc: Exception) -> None:
        mapped = to_user_error(exc, self._ctx)
        if mapped is None:
            raise exc
        raise mapped from exc

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None
    ) -> str:
        """The whole answer at once."""
        while True:
            try:
                response = await self._client.chat.completions.create(
                    model=self.model, messages=list(messages), **self._options(max_tokens)
                )
            except Exception as exc:
                if await self._switch_after_401(exc):
                    continue
                self._raise(exc)
                raise  # unreachable; keeps type checkers happy
            if not response.choices:
                return ""
            return str(response.choices[0].message.content or "")

    async def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None
    ) -> AsyncIterator[str]:
        """The answer piece by piece, as the service sends it."""
        while True:
            try:
                stream = await self._client.chat.completions.create(
                    model=self.model,
                    messages=list(messages),
                    stream=True,
                    **self._options(max_tokens),
                )
            except Exception as exc:
                if await self._switch_after_401(exc):
                    continue
                self._raise(exc)
                raise
            break
        try:
            async for chunk in stream:
                # Azure sends a first chunk with only prompt_filter_results and no choices.
                if not chunk.choices:
                    continue
                piece = chunk.choices[0].delta.content
                if piece:
                    yield piece
        except Exception as exc:  # noqa: BLE001 - _raise maps it or re-raises it unchanged
            self._raise(exc)
        finally:
            await stream.close()

    async def aclose(self) -> None:
        await self._client.close()
