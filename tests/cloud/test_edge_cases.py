"""Rejected files, untrainable models, the bundled-catalog fallback, re-submission after a
restart, serverless key header, and the cheap import of the cloud package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, training_files, wait_until, write_jsonl
from tests.cloud.test_hub_route import _route as hub_route
from tests.cloud.test_openai_route import MODEL
from tests.cloud.test_openai_route import _route as openai_route
from tunedesk.cloud.errors import CloudError, ModelNotTrainable
from tunedesk.cloud.routes.base import JobRef, JobRequest, JobState, TrainingRoute
from tunedesk.core.catalog import load_catalog


def test_openai_rejects_a_file_with_too_few_examples(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    small = write_jsonl(tmp_path / "small.jsonl", FACTS[:3])

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            # The minimum is for training data: the file is accepted, the job is refused.
            data = await route.upload(str(small), None)
            with pytest.raises(CloudError) as info:
                await route.submit(
                    JobRequest("few", "gpt-4.1-mini-2025-04-14", data), lambda r: None
                )
            said = f"{info.value.message} {info.value.service_message or ''}"
            assert "10 examples" in said
        finally:
            await route.aclose()
            d.close()

    run(scenario())


def test_openai_model_that_cannot_be_fine_tuned(azure_emulator: Emulator, tmp_path: Path) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            data = await route.upload(str(train), None)
            with pytest.raises(ModelNotTrainable):
                await route.submit(JobRequest("nt", "gpt-35-turbo-0125", data), lambda r: None)
        finally:
            await route.aclose()
            d.close()

    run(scenario())


def test_hub_job_with_bad_data_fails_with_the_service_reason(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    small = write_jsonl(tmp_path / "small.jsonl", FACTS[:3])

    async def scenario() -> None:
        route = await hub_route()
        try:
            data = await route.upload(str(small), None)
            job = await route.submit(JobRequest("bad", "Phi-4-mini-instruct", data), lambda r: None)
            status = await wait_until(route, job, {JobState.FAILED, JobState.SUCCEEDED})
            assert status.state is JobState.FAILED
            assert status.service_error
            assert status.error is not None
            assert status.service_error in str(status.error)
        finally:
            await route.aclose()

    run(scenario())


@pytest.mark.parametrize("route_name", ["hub", "openai"])
def test_submitting_again_with_the_same_key_adopts_the_job(
    azure_emulator: Emulator, tmp_path: Path, route_name: str
) -> None:
    train, _ = training_files(tmp_path)
    refs: list[JobRef] = []

    async def scenario() -> None:
        d = None
        route: TrainingRoute
        if route_name == "hub":
            route = await hub_route()
            model = "Phi-4-mini-instruct"
        else:
            route, d = await openai_route()
            model = MODEL
        assert isinstance(route, TrainingRoute)
        try:
            data = await route.upload(str(train), None)
            first = await route.submit(JobRequest("again", model, data), refs.append)
            # the app restarts and the person presses "Train" again
            second = await route.submit(JobRequest("again", model, data), refs.append)
            assert second.job_id == first.job_id
            assert await route.find_job("again") is not None
            assert await route.find_job("never-submitted") is None
        finally:
            await route.aclose()
            if d is not None:
                d.close()

    run(scenario())
    if route_name == "hub":
        assert len(azure_emulator.aml.jobs_named("tunedesk-again")) == 1
        assert len(azure_emulator.calls("PUT", r"/jobs/tunedesk-again$")) == 1
    else:
        assert len(azure_emulator.openai.all_jobs()) == 1
        assert len(azure_emulator.calls("POST", r"/fine_tuning/jobs$")) == 1


def test_model_lists_fall_back_to_the_bundled_catalog_and_say_so(
    azure_emulator: Emulator,
) -> None:
    azure_emulator.faults.add("500", host=r"api\.azureml\.ms$", times=50)
    azure_emulator.faults.add("500", path=r"/openai/v1/models$", times=50)

    async def scenario() -> None:
        hub = await hub_route()
        route, d = await openai_route()
        try:
            for models in (await hub.list_base_models(), await route.list_base_models()):
                assert not models.from_service
                assert models.models
                assert models.note is not None
                assert load_catalog().checked.isoformat() in str(models.note)
        finally:
            await hub.aclose()
            await route.aclose()
            d.close()

    run(scenario())


def test_serverless_chat_sends_the_documented_raw_key(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await hub_route()
        try:
            data = await route.upload(str(train), None)
            job = await route.submit(JobRequest("rk", "Phi-4-mini-instruct", data), lambda r: None)
            await wait_until(route, job, {JobState.SUCCEEDED})
            deployment = await route.deploy(job, "raw-key")
            chat = await route.chat(deployment)
            assert await chat.complete([{"role": "user", "content": FACTS[2][0]}]) == FACTS[2][1]
            await chat.aclose()
        finally:
            await route.aclose()

    run(scenario())
    key = azure_emulator.aml.endpoint("raw-key").primary_key
    scoring = azure_emulator.calls("POST", host=r"models\.ai\.azure\.com$")
    assert [r.headers.get("authorization") for r in scoring] == [key]


def test_importing_the_cloud_layer_loads_no_sdk() -> None:
    code = (
        "import sys; import tunedesk.cloud.routes.hub, tunedesk.cloud.routes.openai_route, "
        "tunedesk.cloud.discovery, tunedesk.cloud.auth, tunedesk.cloud.secrets; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('openai', 'msal') "
        "or m.startswith(('azure.ai', 'azure.identity', 'azure.core'))]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
