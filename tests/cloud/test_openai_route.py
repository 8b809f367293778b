"""The Azure OpenAI route end to end: real ``openai`` + ARM clients against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SUBSCRIPTION_ID
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, SYSTEM, sp_session, training_files, wait_until
from tunedesk.cloud.discovery import AIResource, Discovery
from tunedesk.cloud.errors import KeyRejected, QuotaReached, RegionNotSupported
from tunedesk.cloud.routes.base import (
    Hyperparameters,
    JobRef,
    JobRequest,
    JobState,
    UploadedData,
)
from tunedesk.cloud.routes.openai_route import OpenAIRoute, parse_results_csv
from tunedesk.cloud.secrets import KeyringSecretStore

MODEL = "gpt-4.1-mini-2025-04-14"


async def _resource(d: Discovery, name: str) -> AIResource:
    resources = await d.list_ai_resources(SUBSCRIPTION_ID)
    return next(r for r in resources if r.name == name)


async def _route(name: str = "contoso-aoai-swc") -> tuple[OpenAIRoute, Discovery]:
    store = KeyringSecretStore()
    session = await sp_session(store)
    d = Discovery(session)
    resource = await _resource(d, name)
    return OpenAIRoute(resource.endpoint, session, store, resource=resource, discovery=d), d


def test_full_flow_upload_train_metrics_checkpoints_deploy_chat(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.2, running=0.6, steps=12)
    train, valid = training_files(tmp_path)
    journal: list[JobRef] = []
    progress: list[tuple[int, int]] = []

    async def scenario() -> None:
        route, d = await _route()
        models = await route.list_base_models()
        assert models.from_service
        assert MODEL in [m.id for m in models.models]

        data = await route.upload(str(train), str(valid), lambda a, b: progress.append((a, b)))
        account = azure_emulator.openai.account("contoso-aoai-swc")
        assert account.files[data.training].data == train.read_bytes()
        assert account.files[data.validation or ""].data == valid.read_bytes()

        def note(ref: JobRef) -> None:
            # The journal runs before the create request reaches the service.
            if not ref.job_id:
                assert not azure_emulator.calls("POST", r"/fine_tuning/jobs$")
            journal.append(ref)

        request = JobRequest(
            client_key="k1",
            base_model=MODEL,
            data=data,
            hyperparameters=Hyperparameters(
                batch_size=2, learning_rate_multiplier=0.1, epochs=3, seed=7,
                suffix="family-facts-and-more-words",
            ),
        )
        job = await route.submit(request, note)
        assert job.job_id.startswith("ftjob-")
        assert await route.find_job("k1") == job
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED, status
        assert status.fine_tuned_model
        assert status.fine_tuned_model.startswith(MODEL + ".ft-")
        assert status.finished_at is not None
        assert status.created_at is not None

        points = await route.metrics(job)
        assert [p.step for p in points] == list(range(1, 13))
        assert all(p.train_loss is not None for p in points)
        # validation accuracy comes from the docs' column spelling; -1 rows are None
        assert any(p.valid_accuracy is not None for p in points)

        events = await route.events(job)
        assert events
        assert events == sorted(events, key=lambda e: e.time)
        checkpoints = await route.checkpoints(job)
        assert checkpoints
        assert checkpoints[-1].model == status.fine_tuned_model

        deployment = await route.deploy(job, "family-ft")
        assert deployment.state == "Succeeded"
        assert deployment.billed_hourly
        assert deployment.billing_note is not None
        chat = await route.chat(deployment)
        question = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": FACTS[0][0]}]
        assert await chat.complete(question) == FACTS[0][1]
        pieces = [p async for p in chat.stream(question)]
        assert len(pieces) > 1
        assert "".join(pieces) == FACTS[0][1]
        await chat.aclose()
        await route.delete_deployment(deployment)
        assert "family-ft" not in account.deployments
        await route.aclose()
        d.close()

    run(scenario())
    assert progress[-1][0] == progress[-1][1] == train.stat().st_size + valid.stat().st_size
    assert [bool(r.job_id) for r in journal] == [False, True]
    creates = azure_emulator.calls("POST", r"/openai/fine_tuning/jobs$")
    assert len(creates) == 1
    body = creates[0].json()
    assert body["metadata"] == {"tunedesk_key": "k1"}
    assert body["suffix"] == "family-facts-and-m"  # cut to Azure's 18 characters
    assert body["seed"] == 7
    assert body["method"]["supervised"]["hyperparameters"] == {
        "n_epochs": 3, "batch_size": 2, "learning_rate_multiplier": 0.1,
    }
    data_plane = azure_emulator.calls(host=r"openai\.azure\.com")
    assert data_plane
    assert all(r.q("api-version") for r in data_plane)
    assert all(r.headers.get("authorization", "").startswith("Bearer ") for r in data_plane)


def test_cancel_a_running_job(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=10)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("c1", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.RUNNING})
        await route.cancel(job)
        status = await wait_until(route, job, {JobState.CANCELLED})
        assert status.raw == "cancelled"
        await route.cancel(job)  # cancelling a finished job is a no-op, not an error
        await route.aclose()
        d.close()

    run(scenario())


def test_region_that_cannot_train_is_a_typed_error_naming_regions(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route("contoso-aoai-jpe")
        data = await route.upload(str(train), None)
        # o4-mini has no global training: Japan East cannot train it at all.
        with pytest.raises(RegionNotSupported) as info:
            await route.submit(JobRequest("r1", "o4-mini-2025-04-16", data), lambda ref: None)
        assert info.value.region == "Japan East"
        assert set(info.value.regions) == {"East US 2", "Sweden Central"}
        await route.aclose()
        d.close()

    run(scenario())


def test_global_training_is_requested_outside_standard_regions(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route("contoso-aoai-jpe")
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("g1", MODEL, data), lambda ref: None)
        assert job.job_id
        await route.aclose()
        d.close()

    run(scenario())
    body = azure_emulator.calls("POST", r"/fine_tuning/jobs$")[0].json()
    assert body["trainingType"] == "globalstandard"


def test_second_job_while_one_runs_is_quota(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=10)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        await route.submit(JobRequest("q1", MODEL, data), lambda ref: None)
        with pytest.raises(QuotaReached):
            await route.submit(JobRequest("q2", MODEL, data), lambda ref: None)
        await route.aclose()
        d.close()

    run(scenario())
    assert len(azure_emulator.openai.all_jobs()) == 1


def test_api_key_route_and_a_wrong_key(azure_emulator: Emulator, tmp_path: Path) -> None:
    train, _ = training_files(tmp_path)
    store = KeyringSecretStore()

    async def scenario() -> None:
        from tunedesk.cloud.auth import sign_in_api_key

        endpoint = azure_emulator.openai.endpoint("contoso-aoai-swc")
        good = await sign_in_api_key(endpoint, azure_emulator.openai.key(), store, "aoai-key:x")
        route = OpenAIRoute(endpoint, good, store)
        data = await route.upload(str(train), None)
        assert isinstance(data, UploadedData)
        await route.aclose()
        bad = await sign_in_api_key(endpoint, "0" * 32, store, "aoai-key:y")
        route = OpenAIRoute(endpoint, bad, store)
        with pytest.raises(KeyRejected):
            await route.upload(str(train), None)
        await route.aclose()

    run(scenario())
    keyed = azure_emulator.calls("POST", r"/openai/files$")
    assert keyed
    assert all("api-key" in r.headers for r in keyed)


def test_results_csv_is_read_by_header_names_and_minus_one_is_missing() -> None:
    text = (
        "\ufeffstep,train_loss,train_mean_token_accuracy,valid_loss,"
        "validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n"
        "1,2.5,0.4,-1,-1,-1,-1\n"
        "2,2.0,0.5,2.2,0.45,-1,-1\n"
    )
    points = parse_results_csv(text)
    assert points[0].valid_loss is None
    assert points[0].valid_accuracy is None
    assert points[1].valid_accuracy == 0.45
    assert points[1].train_loss == 2.0
    swapped = "valid_mean_token_accuracy,step,train_loss\n0.7,3,1.5\n"
    assert parse_results_csv(swapped)[0].valid_accuracy == 0.7
