"""The Foundry hub (serverless) route end to end: real azure-ai-ml against the emulator."""

from __future__ import annotations

import asyncio
import inspect
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SUBSCRIPTION_ID
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, SYSTEM, sp_session, training_files, wait_until
from tunedesk.cloud.discovery import Discovery, Workspace
from tunedesk.cloud.errors import CloudError, RegionNotSupported
from tunedesk.cloud.executor import run_sdk
from tunedesk.cloud.routes.base import (
    BaseModelList,
    Checkpoint,
    Hyperparameters,
    JobRef,
    JobRequest,
    JobState,
)
from tunedesk.cloud.routes.hub import (
    BASE_LEARNING_RATE,
    HYPERPARAMETER_KEYS,
    HubServerlessRoute,
    NotOfferedOnHub,
    hyperparameters,
    learning_rate_for,
)
from tunedesk.cloud.secrets import KeyringSecretStore
from tunedesk.core.catalog import load_catalog

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
        assert phi.id.startswith(
            "azureml://registries/azureml/models/Phi-4-mini-instruct/versions/"
        )
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
            # the recommended multiplier (0.02-0.2) maps to the notebook's learning rate
            hyperparameters=Hyperparameters(batch_size=4, learning_rate_multiplier=0.1, epochs=2),
        )
        job = await route.submit(request, note)
        assert job.job_id == "tunedesk-h1"
        assert await route.find_job("h1") is not None
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED, status
        assert status.raw == "Completed"  # the enum's value, not 'JobStatus.COMPLETED'
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
    received = {
        "per_device_train_batch_size": "4",
        "learning_rate": "0.00002",  # the notebook's default, not 2e-5 x 0.1 = 2e-6
        "num_train_epochs": "2",
    }
    assert details["hyperParameters"] == received
    [emulated] = azure_emulator.aml.jobs_named("tunedesk-h1")
    assert emulated.hyperparameters == received  # what the (emulated) service took and ran
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


@pytest.mark.parametrize(
    ("multiplier", "learning_rate"),
    [
        (0.02, "0.000004"),  # the low end of the recommended 0.02-0.2
        (0.05, "0.00001"),
        (0.1, "0.00002"),  # the notebook's "learning_rate": "0.00002"
        (0.2, "0.00004"),  # the high end
        (1.0, "0.0002"),
    ],
)
def test_the_multiplier_maps_to_a_learning_rate_around_the_notebook_default(
    multiplier: float, learning_rate: str
) -> None:
    """Issue 12: 2e-5 x multiplier gave 4e-7 to 4e-6 for the recommended multipliers,
    far below the notebook's 2e-5; the base is now 2e-4 (module docstring)."""
    assert hyperparameters(None, multiplier, None) == {"learning_rate": learning_rate}
    assert learning_rate_for(multiplier) == pytest.approx(multiplier * BASE_LEARNING_RATE)
    assert pytest.approx(2e-4) == BASE_LEARNING_RATE


def test_hyperparameters_are_strings_under_the_keys_the_job_takes() -> None:
    hp = hyperparameters(8, 0.1, 3)
    assert hp == {
        "per_device_train_batch_size": "8",
        "learning_rate": "0.00002",
        "num_train_epochs": "3",
    }
    assert all(isinstance(v, str) for v in hp.values())
    assert set(hp) == set(HYPERPARAMETER_KEYS)
    # "let Azure choose": nothing at all is sent for a knob left open (no "auto", no -1)
    assert hyperparameters(None, None, None) == {}
    assert hyperparameters(None, None, 5) == {"num_train_epochs": "5"}
    assert hyperparameters(16, None, None) == {"per_device_train_batch_size": "16"}
    for bad in ((0, None, None), (None, 0.0, None), (None, -0.1, None), (None, None, 0)):
        with pytest.raises(ValueError, match="must be"):
            hyperparameters(*bad)
    with pytest.raises(ValueError, match="whole number"):
        hyperparameters(2.5, None, None)  # type: ignore[arg-type]


def _untagged_job(route: HubServerlessRoute, name: str, training: str, model_id: str) -> None:
    """A job submitted without TuneDesk's name or tag (as from an older TuneDesk)."""
    from azure.ai.ml import Input, Output
    from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import (
        CustomModelFineTuningJob,
    )

    job = CustomModelFineTuningJob(
        task="ChatCompletion",
        model=Input(type="mlflow_model", path=model_id),
        training_data=Input(type="uri_file", path=training),
        validation_data=None,
        hyperparameters={"num_train_epochs": "1"},
        outputs={"registered_model": Output(type="mlflow_model", name=f"{name}-model")},
        name=name,
        display_name=name,
        experiment_name="elsewhere",
    )
    route._client().jobs.create_or_update(job)


def test_find_job_falls_back_to_the_training_data_and_the_submission_time(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, valid = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        other = await route.upload(str(valid), None)  # different content: another asset
        assert other.training != data.training
        model_id = (await route.list_base_models()).models[0].id
        await run_sdk(_untagged_job, route, "older-on-same-data", data.training, model_id)
        await asyncio.sleep(0.05)
        before = datetime.now(UTC)
        await asyncio.sleep(0.05)
        await run_sdk(_untagged_job, route, "on-other-data", other.training, model_id)
        await run_sdk(_untagged_job, route, "lost-job", data.training, model_id)
        await asyncio.sleep(0.05)
        await run_sdk(_untagged_job, route, "later-on-same-data", data.training, model_id)

        # by name/tag first: nothing called tunedesk-lost exists, and no data given
        assert await route.find_job("lost") is None
        found = await route.find_job("lost", training_file=data.training, submitted_after=before)
        assert found is not None
        assert found.job_id == "lost-job"  # the first one on that data after the time
        assert found.client_key == "lost"
        assert found.output_name == "lost-job-model"
        assert found.base_model == model_id
        assert found.target == route.workspace.id
        # a naive time counts as UTC
        naive = before.replace(tzinfo=None)
        again = await route.find_job("lost", training_file=data.training, submitted_after=naive)
        assert again == found
        # without a time: the earliest job on that data
        first = await route.find_job("lost", training_file=data.training)
        assert first is not None
        assert first.job_id == "older-on-same-data"
        # nothing on that data after a later time
        late = datetime.now(UTC) + timedelta(minutes=5)
        assert (
            await route.find_job("lost", training_file=data.training, submitted_after=late) is None
        )
        # the asset's other spelling (azureml:name:version) finds the same job
        name, version = data.training.split("/data/")[1].split("/versions/")
        short = f"azureml:{name}:{version}"
        assert await route.find_job("lost", training_file=short, submitted_after=before) == found

        # a job TuneDesk submitted is still found by its name, whatever data is given
        job = await route.submit(JobRequest("tagged", MODEL, data), lambda ref: None)
        by_name = await route.find_job("tagged", training_file=other.training, submitted_after=late)
        assert by_name is not None
        assert by_name.job_id == job.job_id == "tunedesk-tagged"
        status = await wait_until(route, found, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED
        await route.aclose()

    run(scenario())
    untagged = azure_emulator.aml.jobs_named("lost-job")[0]
    assert "tunedesk_key" not in (untagged.body.get("tags") or {})
    assert azure_emulator.calls("GET", r"/jobs$")  # the fallback listed the project's jobs


def test_deploy_takes_only_the_serverless_sku_and_no_checkpoint(
    azure_emulator: Emulator, tmp_path: Path, memory_keyring: object
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("dp", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.SUCCEEDED})
        assert await route.checkpoints(job) == []
        checkpoint = Checkpoint("ftchkpt-1", "model-step-10", 10, {})
        with pytest.raises(NotOfferedOnHub) as info:
            await route.deploy(job, "dp-checkpoint", checkpoint=checkpoint)
        assert isinstance(info.value, CloudError)
        assert isinstance(info.value, ValueError)
        assert "classic hub project" in str(info.value.message)
        for sku in ("developertier", "GlobalStandard", "Standard"):
            with pytest.raises(NotOfferedOnHub) as info:
                await route.deploy(job, "dp-sku", sku=sku)
            assert sku in str(info.value.message)
            assert "serverless" in str(info.value.message)
        assert not azure_emulator.calls("PUT", r"/serverlessEndpoints/")  # nothing was sent
        deployment = await route.deploy(job, "dp-serverless", sku="Consumption")
        assert deployment.name == "dp-serverless"
        assert deployment.billed_hourly
        await route.delete_deployment(deployment)
        await route.aclose()

    run(scenario())
    [put] = azure_emulator.calls("PUT", r"/serverlessEndpoints/dp-serverless$")
    assert put.json()["sku"] == {"name": "Consumption"}


def test_the_route_has_the_interfaces_new_signatures() -> None:
    find = inspect.signature(HubServerlessRoute.find_job)
    assert list(find.parameters) == ["self", "client_key", "training_file", "submitted_after"]
    assert find.parameters["training_file"].kind is inspect.Parameter.KEYWORD_ONLY
    assert find.parameters["training_file"].default is None
    assert find.parameters["submitted_after"].kind is inspect.Parameter.KEYWORD_ONLY
    assert find.parameters["submitted_after"].default is None
    deploy = inspect.signature(HubServerlessRoute.deploy)
    assert list(deploy.parameters) == ["self", "job", "name", "sku", "checkpoint"]
    for key in ("sku", "checkpoint"):
        assert deploy.parameters[key].kind is inspect.Parameter.KEYWORD_ONLY
        assert deploy.parameters[key].default is None
    hints = typing.get_type_hints(HubServerlessRoute.deploy)
    assert hints["checkpoint"] == Checkpoint | None
    assert hints["sku"] == str | None
    assert typing.get_type_hints(HubServerlessRoute.find_job)["submitted_after"] == (
        datetime | None
    )


def test_the_bundled_fallback_offers_no_retired_or_restricted_model(
    azure_emulator: Emulator,
) -> None:
    async def scenario() -> tuple[BaseModelList, BaseModelList]:
        route = await _route()
        live = await route.list_base_models()
        azure_emulator.faults.add("500", host=r"api\.azureml\.ms$", times=50)
        fallback = await HubServerlessRoute(
            route.session, route.workspace, route.store
        ).list_base_models()
        await route.aclose()
        return live, fallback

    live, fallback = run(scenario())
    catalog = load_catalog()
    assert not fallback.from_service
    assert {m.id for m in fallback.models} == {"Phi-4-mini-instruct", "Phi-4"}
    for m in fallback.models:
        base = catalog.get(m.id)
        assert base is not None
        assert base.offered
        assert m.description == base.description
        assert m.training_regions == base.training_regions
    retired = {m.id for m in catalog.for_route("hub") if not m.offered}
    assert retired == {"Mistral-Nemo", "Meta-Llama-3.1-8B-Instruct"}
    assert not retired & {m.id for m in fallback.models}
    assert fallback.note is not None
    assert "classic hub project" in str(fallback.note)
    assert catalog.checked.isoformat() in str(fallback.note)
    # the service's list: the registry's versioned ids, joined with the catalog's words
    assert live.from_service
    for m in live.models:
        base = catalog.get(m.id)
        assert base is not None, m.id
        assert "/versions/" in m.id
        assert m.name == base.display_name
        assert m.description == base.description
        assert m.from_service
