"""The Azure OpenAI / Foundry resource route end to end: real ``openai`` + ARM clients against
the emulator, on the v1 API (``/openai/v1/``, no api-version)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.azure_emulator.aoai import PAUSE_MESSAGE, Timeline
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
from tunedesk.cloud.routes.openai_route import (
    DATED_API_VERSION,
    SUFFIX_MAX,
    OpenAIRoute,
    choose_training_type,
    deployment_skus,
    parse_results_csv,
)
from tunedesk.cloud.secrets import KeyringSecretStore

MODEL = "gpt-4.1-mini-2025-04-14"  # existing customers only: the seeded classic accounts are
OPEN_MODEL = "Ministral-3B"  # Global-only open model, Foundry resources only
FOUNDRY = "contoso-ais-ncus"
JOBS = r"/openai/v1/fine_tuning/jobs$"


async def _resource(d: Discovery, name: str) -> AIResource:
    resources = await d.list_ai_resources(SUBSCRIPTION_ID)
    return next(r for r in resources if r.name == name)


async def _route(
    name: str = "contoso-aoai-swc", **options: object
) -> tuple[OpenAIRoute, Discovery]:
    store = KeyringSecretStore()
    session = await sp_session(store)
    d = Discovery(session)
    resource = await _resource(d, name)
    route = OpenAIRoute(
        resource.endpoint,
        session,
        store,
        resource=resource,
        discovery=d,
        **options,  # type: ignore[arg-type]
    )
    return route, d


def test_full_flow_upload_train_metrics_checkpoints_deploy_chat(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.2, running=0.6, steps=12)
    train, valid = training_files(tmp_path)
    journal: list[JobRef] = []
    progress: list[tuple[int, int]] = []
    long_suffix = "family-facts-and-more-words-than-forty-characters"

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
                batch_size=2,
                learning_rate_multiplier=0.1,
                epochs=3,
                seed=7,
                suffix=long_suffix,
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
        assert events[0].message == f"Created fine-tuning job: {job.job_id}"
        checkpoints = await route.checkpoints(job)
        assert len(checkpoints) == 3
        assert all(c.id.startswith("ftchkpt-") for c in checkpoints)
        assert [c.model for c in checkpoints] == [
            f"{status.fine_tuned_model}:ckpt-step-{c.step}" for c in checkpoints
        ]

        deployment = await route.deploy(job, "family-ft")
        assert deployment.state == "Succeeded"
        assert deployment.billed_hourly
        assert deployment.billing_note is not None
        assert account.deployments["family-ft"].sku == "Standard"  # Sweden Central's default
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
    creates = azure_emulator.calls("POST", JOBS)
    assert len(creates) == 1
    body = creates[0].json()
    assert body["metadata"] == {"tunedesk_key": "k1"}
    assert body["suffix"] == long_suffix[:SUFFIX_MAX].strip("-")
    assert len(body["suffix"]) <= 40
    assert body["seed"] == 7
    # Global where the catalog allows it in Sweden Central.
    assert body["trainingType"] == "globalstandard"
    assert body["method"]["supervised"]["hyperparameters"] == {
        "n_epochs": 3,
        "batch_size": 2,
        "learning_rate_multiplier": 0.1,
    }
    data_plane = azure_emulator.calls(host=r"openai\.azure\.com")
    assert data_plane
    assert all(r.path.startswith("/openai/v1/") for r in data_plane)
    assert not any(r.q("api-version") for r in data_plane)
    assert all(r.headers.get("authorization", "").startswith("Bearer ") for r in data_plane)
    assert all(r.status < 400 for r in data_plane)


def test_open_model_trains_globally_on_a_foundry_resource(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.4, steps=6)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route(FOUNDRY)
        assert route.resource is not None
        assert route.resource.is_foundry
        assert route.resource.foundry_endpoint == f"https://{FOUNDRY}.services.ai.azure.com"
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("open1", OPEN_MODEL, data), lambda ref: None)
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED, status
        assert status.fine_tuned_model
        assert status.fine_tuned_model.startswith(OPEN_MODEL)
        await route.aclose()
        d.close()

    run(scenario())
    body = azure_emulator.calls("POST", JOBS)[0].json()
    assert body["model"] == OPEN_MODEL
    assert body["trainingType"] == "globalstandard"


def test_developer_tier_job_pauses_and_resumes(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.openai.timeline = Timeline(
        pending=0.1, running=1.0, steps=10, pause_after=0.3, paused=0.8, resuming=0.4
    )
    train, _ = training_files(tmp_path)

    async def scenario() -> list[JobState]:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(
            JobRequest("dev1", MODEL, data, training_type="developer"), lambda ref: None
        )
        seen: list[JobState] = []
        raws: list[str] = []
        while True:
            status = await route.status(job)
            if not seen or seen[-1] is not status.state:
                seen.append(status.state)
            if not raws or raws[-1] != status.raw:
                raws.append(status.raw)
            if status.state.terminal:
                break
            await asyncio.sleep(0.05)
        assert "paused" in raws
        assert "resuming" in raws
        events = await route.events(job)
        messages = [e.message for e in events]
        assert PAUSE_MESSAGE in messages
        assert messages.index(PAUSE_MESSAGE) < messages.index("Job resuming.")
        await route.aclose()
        d.close()
        return seen

    seen = run(scenario())
    assert seen[-1] is JobState.SUCCEEDED
    paused = seen.index(JobState.PAUSED)
    assert JobState.RUNNING in seen[:paused]  # ran, then paused ...
    assert JobState.RUNNING in seen[paused + 1 :]  # ... then ran again
    body = azure_emulator.calls("POST", JOBS)[0].json()
    assert body["trainingType"] == "developer"


def test_checkpoint_is_deployed_by_its_id(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.3, steps=6)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("cp1", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.SUCCEEDED})
        first = (await route.checkpoints(job))[0]
        deployment = await route.deploy(job, "early", checkpoint=first)
        assert deployment.model == first.id
        chat = await route.chat(deployment)
        answer = await chat.complete([{"role": "user", "content": FACTS[1][0]}])
        assert answer == FACTS[1][1]  # the checkpoint learned the training data too
        await chat.aclose()
        await route.aclose()
        d.close()

    run(scenario())
    put = azure_emulator.calls("PUT", r"/deployments/early$")[0].json()
    assert put["properties"]["model"]["name"].startswith("ftchkpt-")


def test_deployment_sku_follows_the_region(azure_emulator: Emulator, tmp_path: Path) -> None:
    assert deployment_skus("swedencentral", developer=True) == (
        "standard",
        "GlobalStandard",
        "developertier",
    )
    assert deployment_skus("East US 2", developer=False) == ("standard", "GlobalStandard")
    assert deployment_skus("northcentralus", developer=False)[0] == "standard"
    assert deployment_skus("japaneast", developer=True) == ("GlobalStandard", "developertier")
    assert deployment_skus("westus", developer=False) == ("GlobalStandard",)
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.3, steps=6)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        # Japan East has no Standard deployment of fine-tuned models: Global Standard.
        route, d = await _route("contoso-aoai-jpe")
        assert route.deployment_skus(MODEL) == ("GlobalStandard", "developertier")
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("sku1", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.SUCCEEDED})
        default = await route.deploy(job, "jpe-default")
        assert default.billed_hourly
        dev = await route.deploy(job, "jpe-dev", sku="developertier")
        assert not dev.billed_hourly
        assert dev.billing_note is None
        await route.aclose()
        d.close()

    run(scenario())
    account = azure_emulator.openai.account("contoso-aoai-jpe")
    assert account.deployments["jpe-default"].sku == "GlobalStandard"
    assert account.deployments["jpe-dev"].sku == "DeveloperTier"
    assert account.deployments["jpe-dev"].capacity == 50
    dev_put = azure_emulator.calls("PUT", r"/deployments/jpe-dev$")[0]
    assert dev_put.q("api-version") == "2025-07-01-preview"


def test_find_job_after_a_dropped_create_without_metadata(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    """The dated specs know no job metadata: the job is found by our file and its time."""
    azure_emulator.openai.keep_metadata = False
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=10)
    azure_emulator.faults.add("drop_after", method="POST", path=JOBS)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        # Someone else's untagged job on another file is never adopted.
        other = await route.upload(str(train), None)
        before = datetime.now(UTC)
        data = await route.upload(str(train), None)
        journal: list[JobRef] = []
        job = await route.submit(JobRequest("drop1", MODEL, data), journal.append)
        assert job.job_id
        assert journal[-1] == job
        created = azure_emulator.openai.job(job.job_id)
        assert created.metadata is None
        assert created.training_file == data.training
        assert await route.find_job("drop1") is None  # no tag to find it by
        found = await route.find_job("drop1", training_file=data.training, submitted_after=before)
        assert found == job
        assert await route.find_job("drop1", training_file=other.training) is None
        await route.cancel(job)
        await route.aclose()
        d.close()

    run(scenario())
    creates = azure_emulator.calls("POST", JOBS)
    assert len(creates) == 1  # adopted, never sent twice
    assert creates[0].fault == "drop_after"


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
    assert azure_emulator.calls("POST", JOBS)[0].json()["trainingType"] == "standard"


def test_training_type_is_chosen_from_the_catalog() -> None:
    assert choose_training_type(OPEN_MODEL, "japaneast") == "globalstandard"
    assert choose_training_type(OPEN_MODEL, "") == "globalstandard"
    assert choose_training_type(MODEL, "swedencentral") == "globalstandard"
    assert choose_training_type("o4-mini-2025-04-16", "eastus2") == "standard"
    assert choose_training_type(MODEL, "swedencentral", "standard") == "standard"
    assert choose_training_type(MODEL, "swedencentral", "developer") == "developer"
    assert choose_training_type(MODEL, "swedencentral", "global") == "globalstandard"


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
    body = azure_emulator.calls("POST", JOBS)[0].json()
    assert body["trainingType"] == "globalstandard"


def test_a_second_job_is_queued_and_the_queue_has_a_limit(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=10)
    azure_emulator.openai.max_queued_jobs = 1
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        first = await route.submit(JobRequest("q1", MODEL, data), lambda ref: None)
        second = await route.submit(JobRequest("q2", MODEL, data), lambda ref: None)
        await wait_until(route, first, {JobState.RUNNING})
        waiting = await route.status(second)
        assert waiting.state is JobState.PREPARING
        assert waiting.raw == "queued"
        with pytest.raises(QuotaReached):
            await route.submit(JobRequest("q3", MODEL, data), lambda ref: None)
        await route.cancel(first)
        await wait_until(route, second, {JobState.RUNNING})  # starts when the first ends
        await route.cancel(second)
        await route.aclose()
        d.close()

    run(scenario())
    assert len(azure_emulator.openai.all_jobs()) == 2


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
    keyed = azure_emulator.calls("POST", r"/openai/v1/files$")
    assert len(keyed) == 2
    # v1: the key as "Authorization: Bearer <key>" (the v1 docs' key example).
    key = azure_emulator.openai.key()
    assert keyed[0].headers["authorization"] == f"Bearer {key}"
    assert [r.status for r in keyed] == [200, 401]


def test_the_dated_api_still_works_on_a_classic_account(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    train, _ = training_files(tmp_path)
    store = KeyringSecretStore()

    async def scenario() -> None:
        from tunedesk.cloud.auth import sign_in_api_key

        endpoint = azure_emulator.openai.endpoint("contoso-aoai-swc")
        auth = await sign_in_api_key(endpoint, azure_emulator.openai.key(), store, "aoai-key:d")
        route = OpenAIRoute(endpoint, auth, store, api_version=DATED_API_VERSION)
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("d1", MODEL, data), lambda ref: None)
        assert job.job_id
        await route.cancel(job)
        await route.aclose()

    run(scenario())
    dated = azure_emulator.calls(host=r"openai\.azure\.com")
    assert dated
    assert all(r.q("api-version") == DATED_API_VERSION for r in dated)
    assert all("api-key" in r.headers and "authorization" not in r.headers for r in dated)
    assert (
        azure_emulator.calls("POST", r"/openai/fine_tuning/jobs$")[0].json()["trainingType"]
        == "globalstandard"
    )


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
