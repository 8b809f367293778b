"""Fixtures for the cloud layer: the real SDKs against the Azure emulator (no mocks)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from tunedesk.cloud.executor import shutdown_executors
from tunedesk.cloud.net import configure_network

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one test scenario on a fresh event loop."""
    return asyncio.run(coro)


@pytest.fixture
def user_dirs(_isolated_user_dirs: Any) -> Any:
    """The temporary home holding this test's config/data/cache/state folders."""
    return _isolated_user_dirs


@pytest.fixture(scope="session", autouse=True)
def _network() -> Iterator[None]:
    configure_network()  # truststore, exactly as the app does at start-up
    yield
    shutdown_executors()
