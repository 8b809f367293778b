"""Small pure pieces: status normalisation, suffixes, errors, executors."""

from __future__ import annotations

import asyncio
import threading

from tests.cloud.conftest import run
from tunedesk.cloud.errors import ErrorContext, Throttled, parse_retry_after
from tunedesk.cloud.executor import run_sdk, run_sync
from tunedesk.cloud.routes.base import JobRef, JobState, safe_key
from tunedesk.cloud.routes.hub import normalize_status as hub_state
from tunedesk.cloud.routes.hub import status_value
from tunedesk.cloud.routes.openai_route import clean_suffix
from tunedesk.cloud.routes.openai_route import normalize_status as openai_state


def test_openai_statuses_beyond_the_typing() -> None:
    assert openai_state("pending") is JobState.PREPARING
    assert openai_state("validating_files") is JobState.PREPARING
    assert openai_state("succeeded") is JobState.SUCCEEDED
    assert openai_state("cancelled") is JobState.CANCELLED
    assert openai_state("something_new") is JobState.RUNNING  # unknown: in progress
    assert not openai_state("paused").terminal


def test_hub_statuses_use_the_enum_value() -> None:
    from azure.ai.ml._restclient.arm_ml_service.models import JobStatus as RestStatus

    assert status_value(RestStatus.RUNNING) == "Running"
    assert hub_state(status_value(RestStatus.COMPLETED)) is JobState.SUCCEEDED
    assert hub_state("CancelRequested") is JobState.CANCELLING
    assert hub_state("NotResponding") is JobState.FAILED
    assert hub_state("Finalizing") is JobState.RUNNING


def test_suffix_and_keys() -> None:
    assert clean_suffix("Family Facts & more words!") == "family-facts-more-words"
    assert len(clean_suffix("x" * 50) or "") == 40  # SUFFIX_MAX (issue 12)
    assert clean_suffix("  ") is None
    assert safe_key("Project 7/Run #2") == "project-7-run-2"


def test_job_ref_round_trips_through_json() -> None:
    ref = JobRef("hub", "k", "tunedesk-k", "/subscriptions/x", "Phi-4", "out")
    assert JobRef.from_json(ref.to_json()) == ref


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert Throttled(0.2).retry_after == 1.0
    assert ErrorContext().route == "arm"


def test_sdk_calls_run_on_the_dedicated_pool_not_the_loop_thread() -> None:
    async def scenario() -> tuple[str, str, str]:
        loop_thread = threading.current_thread().name
        sdk = await run_sdk(lambda: threading.current_thread().name)
        io = await run_sync(lambda: threading.current_thread().name)
        await asyncio.sleep(0)
        return loop_thread, sdk, io

    loop_thread, sdk, io = run(scenario())
    assert sdk.startswith("tunedesk-sdk")
    assert io.startswith("tunedesk-io")
    assert loop_thread not in (sdk, io)
