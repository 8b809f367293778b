"""Worker threads for blocking SDK calls, and the one helper coroutines use to reach them.

* ``sdk`` pool: azure-ai-ml is synchronous and slow to import; every MLClient call runs here,
  never on the calling (UI/event-loop) thread.
* ``io`` pool: keyring, azure-identity token requests, ARM REST calls, small file reads.

Cancelling an ``await run_sync(...)`` stops waiting but cannot stop the thread (Python has
no thread cancellation); :func:`shutdown_executors` therefore uses ``wait=False,
cancel_futures=True`` so quitting the app never waits for an in-flight SDK call.

SDK modules are imported lazily by the code that needs them, so ``import tunedesk.cloud``
stays cheap; the UI calls :func:`preload_sdks` on a worker thread after the first paint.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import importlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_lock = threading.Lock()
_pools: dict[str, ThreadPoolExecutor] = {}
_SIZES = {"sdk": 4, "io": 4}

# Imported by preload_sdks(), in this order (identity is needed first, azure-ai-ml is slowest).
HEAVY_MODULES = (
    "tunedesk.cloud.auth",
    "tunedesk.cloud.discovery",
    "azure.identity",
    "azure.core.pipeline.transport",
    "azure.mgmt.core",
    "openai",
    "azure.ai.ml",
    "azure.ai.ml.entities",
)


def _pool(kind: str) -> ThreadPoolExecutor:
    with _lock:
        pool = _pools.get(kind)
        if pool is None:
            pool = _pools[kind] = ThreadPoolExecutor(
                max_workers=_SIZES[kind], thread_name_prefix=f"tunedesk-{kind}"
            )
        return pool


def sdk_executor() -> ThreadPoolExecutor:
    """The dedicated pool for azure-ai-ml (synchronous SDK)."""
    return _pool("sdk")


def io_executor() -> ThreadPoolExecutor:
    """The pool for keyring, token requests, ARM REST and file reads."""
    return _pool("io")


async def run_sync(
    fn: Callable[P, T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run a blocking callable on the io pool and await its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(io_executor(), functools.partial(fn, *args, **kwargs))


async def run_sdk(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking azure-ai-ml call on the dedicated SDK pool and await its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(sdk_executor(), functools.partial(fn, *args, **kwargs))


async def run_waiting_for_person(fn: Callable[[], T], *, name: str = "tunedesk-sign-in") -> T:
    """Run a blocking call that waits for a person (browser or device-code sign-in).

    Such a call can block for up to 15 minutes and cannot be interrupted. It gets its own
    daemon thread rather than a pool thread: cancelling stops waiting at once, and quitting
    the app never waits for it (Python joins pool threads at exit, daemon threads not).
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: Any, exc: BaseException | None) -> None:
        if future.done():
            return  # cancelled meanwhile: the late answer is dropped
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)

    def target() -> None:
        result: Any = None
        exc: BaseException | None = None
        try:
            result = fn()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting coroutine
            exc = error
        # A closed loop (the app quit meanwhile) means nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, exc)

    threading.Thread(target=target, name=name, daemon=True).start()
    return await future


def shutdown_executors() -> None:
    """Stop all pools without waiting for running SDK calls (app exit, test teardown)."""
    with _lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=False, cancel_futures=True)


def preload_sdks() -> None:
    """Import the heavy SDKs (run on a worker thread after the first window is painted)."""
    from tunedesk.cloud.net import configure_network

    configure_network()  # the SDKs' first clients must already see the OS trust store
    for name in HEAVY_MODULES:
        importlib.import_module(name)
    # The SDKs bring ~230,000 long-lived objects; every full collection afterwards walked
    # them all, holding the GIL for ~110 ms on whichever thread allocated (bench/upload.py saw
    # 176 ms loop stalls while watching a job). Frozen, the collector skips them.
    gc.freeze()
