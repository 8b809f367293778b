"""The Foundry hub (serverless) route end to end: real azure-ai-ml against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SUBSCRIPTION_ID
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, SYSTEM, sp_session, training_files, wait_until
from tunedesk.cloud.discovery import Discovery, Workspace
from tunedesk.cloud.errors import RegionNotSupported
from tunedesk.cloud.routes.base import Hyperparameters, JobRef, JobRequest, JobState
from tunedesk.cloud.routes.hub import HubServerlessRoute, hyperparameters
from tunedesk.cloud.secrets import KeyringSecretStore

MODEL = "Phi-4-mini-instruct"


async def _route(name: str = "family-project") -> HubServerlessRoute:
    store = KeyringSecretStore()
    session = await sp_session(store)
    d = Discovery(session)
    ws: Workspace = next(w for w in await d.list_workspaces(SUBSCRIPTION_ID) if w.name == name)
    d.close()
    return HubServerlessRoute(session, ws, store)


def test_full_flow_upload_train_metrics_deploy_chat(
    azure_emulator: Emulator, tmp_path: Path, memory_keyring: object
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.1, running=0.6)
    train, valid = training_files(tmp_path)
    journal: list[JobRef] = []

    async def scenario() -> None:
        route = await _route()
        models = await route.list_base_models()
        assert models.from_service, models.note
        phi = next(m for m in models.models if m.name == MODEL)
        assert phi.id.startswith("azureml://registries/azureml/models/Phi-4-mini-instruct/versions/")
        assert "westus" in phi.training_regions

        data = await route.upload(str(train), str(valid))
        assert azure_emulator.aml.resolve_uri_bytes(data.training) == train.read_bytes()
        assert azure_emulator.aml.resolve_uri_bytes(data.validation or "") == valid.read_bytes()
        again = await route.upload(str(train), str(valid))  # same content: no second upload
        assert again == data

        def note(ref: JobRef) -> None:
            assert not azure_emulator.calls("PUT", r"/jobs/tunedesk-")
            journal.append(ref)

        request = JobRequest(
            client_key="h1",
            base_model=MODEL,
            data=data,
            hyperparameters=Hyperparameters(batch_size=4, learning_rate_multiplier=0.5, epochs=2),
        )
        job = await route.submit(request, note)
        assert job.job_id == "tunedesk-h1"
        assert await route.find_job("h1") is not None
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED, status
        assert status.raw == "Completed"       # the enum's value, not 'JobStatus.COMPLETED'
        assert status.fine_tuned_model
        assert status.fine_tuned_model.startswith("azureml://locations/westus/workspaces/")

        points = await route.metrics(job)
        assert points
        assert all(p.train_loss is not None for p in points)
        assert any(p.valid_loss is not None for p in points)
        events = await route.events(job)
        assert [e.kind for e in events][:1] == ["status"]

        deployment = await route.deploy(job, "family-phi")
        assert deployment.endpoint.startswith("https://family-phi.westus.models.ai.azure.com")
        assert deployment.billed_hourly
        assert deployment.billing_note is not None
        assert deployment.key_account
        key = azure_emulator.aml.endpoint("family-phi").primary_key
        assert ("com.tunedesk.app", deployment.key_account) in memory_keyring.store  # type: ignore[attr-defined]
        assert key not in repr(deployment)

        chat = await route.chat(deployment)
        question = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": FACTS[1][0]}]
        assert await chat.complete(question) == FACTS[1][1]
        pieces = [p async for p in chat.stream(question)]
        assert "".join(pieces) == FACTS[1][1]
        await chat.aclose()
        await route.delete_deployment(deployment)
        await route.aclose()

    run(scenario())
    assert [r.job_id for r in journal] == ["tunedesk-h1"]
    puts = azure_emulator.calls("PUT", r"/jobs/tunedesk-h1$")
    assert len(puts) == 1
    assert puts[0].q("api-version")
    details = puts[0].json()["properties"]["fineTuningDetails"]
    assert details["hyperParameters"] == {
        "per_device_train_batch_size": "4",
        "learning_rate": "1e-05",
        "num_train_epochs": "2",
    }
    assert details["taskType"] == "chatCompletion"
    assert details["validationData"]["uri"]
    # Phi (Microsoft, azureml registry): no marketplace subscription
    assert not azure_emulator.calls("PUT", r"/marketplaceSubscriptions/")
    arm_calls = azure_emulator.calls(host=r"management\.azure\.com")
    assert all(r.q("api-version") for r in arm_calls)


def test_job_without_validation_data_builds_and_trains(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.1, running=0.3)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("nv", MODEL, data), lambda ref: None)
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED
        await route.aclose()

    run(scenario())
    details = azure_emulator.calls("PUT", r"/jobs/tunedesk-nv$")[0].json()["properties"][
        "fineTuningDetails"
    ]
    assert not details.get("validationData")
    assert not details.get("hyperParameters")


def test_non_microsoft_model_gets_a_marketplace_subscription(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        await route.submit(JobRequest("mk", "Mistral-Nemo", data), lambda ref: None)
        await route.aclose()

    run(scenario())
    subs = azure_emulator.calls("PUT", r"/marketplaceSubscriptions/")
    assert len(subs) == 1
    assert "/versions/" not in subs[0].json()["properties"]["modelId"]


def test_cancel(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=60.0)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("cx", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.RUNNING})
        await route.cancel(job)
        status = await wait_until(route, job, {JobState.CANCELLED})
        assert status.raw == "Canceled"
        await route.aclose()

    run(scenario())


def test_region_without_fine_tuning_names_the_regions_that_have_it(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route("tokyo-project")
        data = await route.upload(str(train), None)
        with pytest.raises(RegionNotSupported) as info:
            await route.submit(JobRequest("tk", MODEL, data), lambda ref: None)
        assert info.value.region == "Japan East"
        assert "West US" in info.value.regions
        assert info.value.model == MODEL
        await route.aclose()

    run(scenario())


def test_hyperparameters_are_strings_and_the_multiplier_scales_the_base_rate() -> None:
    assert hyperparameters(8, 1.0, 3) == {
        "per_device_train_batch_size": "8",
        "learning_rate": "2e-05",
        "num_train_epochs": "3",
    }
    assert hyperparameters(None, None, None) == {}
