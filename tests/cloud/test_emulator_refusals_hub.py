"""The emulator refuses the hub hyperparameters a serverless job does not take (issue 12),
and the hub route no longer sends them: real azure-ai-ml against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.identity import ClientSecretCredential

from tests.azure_emulator.aml_jobs import HYPERPARAMETERS
from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    RESOURCE_GROUP,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)
from tests.cloud.conftest import run
from tests.cloud.helpers import training_files, wait_until
from tests.cloud.test_hub_route import MODEL, _route
from tunedesk.cloud.routes.base import Hyperparameters, JobRequest, JobState
from tunedesk.cloud.routes.hub import HYPERPARAMETER_KEYS

# azure-ai-ml's own schemas use a marshmallow option marshmallow deprecates; not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.RemovedInMarshmallow4Warning"),
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.ChangedInMarshmallow4Warning"),
]


@pytest.fixture
def ml(azure_emulator: Emulator) -> Iterator[Any]:
    from azure.ai.ml import MLClient

    with ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET) as cred:
        yield MLClient(cred, SUBSCRIPTION_ID, RESOURCE_GROUP, "family-project", show_progress=False)


def _job(ml: Any, tmp_path: Path, name: str, hyper: dict[str, Any]) -> Any:
    from azure.ai.ml import Input, MLClient, Output
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Data
    from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import (
        CustomModelFineTuningJob,
    )

    train, _ = training_files(tmp_path)
    data = ml.data.create_or_update(
        Data(path=str(train), type=AssetTypes.URI_FILE, name=f"{name}-train", version="1")
    )
    registry = MLClient(ml._credential, registry_name="azureml", show_progress=False)
    model = registry.models.get(MODEL, label="latest")
    return CustomModelFineTuningJob(
        task="ChatCompletion",
        model=Input(type="mlflow_model", path=str(model.id)),
        training_data=Input(type="uri_file", path=str(data.id)),
        validation_data=None,
        hyperparameters=hyper,
        outputs={"registered_model": Output(type="mlflow_model", name=f"{name}-out")},
        name=name,
        display_name=name,
        experiment_name="tunedesk",
    )


def _refusal(ml: Any, job: Any) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as info:
        ml.jobs.create_or_update(job)
    assert info.value.status_code == 400
    return info.value


def _sent(azure_emulator: Emulator, name: str) -> dict[str, Any]:
    [put] = azure_emulator.calls("PUT", rf"/jobs/{name}$")
    return dict(put.json()["properties"]["fineTuningDetails"].get("hyperParameters") or {})


def test_the_route_and_the_emulator_agree_on_the_keys() -> None:
    assert set(HYPERPARAMETER_KEYS) == set(HYPERPARAMETERS)


# -- refusal 1: a key the job does not take ------------------------------------------------
@pytest.mark.parametrize(
    "key",
    ["learning_rate_multiplier", "batch_size", "n_epochs", "seed", "Learning_Rate"],
)
def test_the_emulator_refuses_a_key_the_job_does_not_take(
    azure_emulator: Emulator, ml: Any, tmp_path: Path, key: str
) -> None:
    job = _job(ml, tmp_path, "unknown-key", {"num_train_epochs": "1", key: "0.1"})
    error = _refusal(ml, job)
    assert f"Unsupported hyperparameter '{key}'" in str(error)
    assert "per_device_train_batch_size, learning_rate, num_train_epochs" in str(error)
    assert not azure_emulator.aml.jobs_named("unknown-key")
    # the keys it takes are accepted (this is not a refusal of everything)
    ok = _job(ml, tmp_path, "known-keys", {"num_train_epochs": "1", "learning_rate": "0.00002"})
    assert ml.jobs.create_or_update(ok).name == "known-keys"


def test_the_route_sends_no_key_the_job_does_not_take(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        # everything a person can set, seed and suffix included (as on Azure OpenAI)
        hp = Hyperparameters(
            batch_size=2, learning_rate_multiplier=0.05, epochs=3, seed=7, suffix="family"
        )
        job = await route.submit(JobRequest("keys", MODEL, data, hp), lambda ref: None)
        status = await wait_until(route, job, {JobState.SUCCEEDED, JobState.FAILED})
        assert status.state is JobState.SUCCEEDED, status
        await route.aclose()

    run(scenario())
    sent = _sent(azure_emulator, "tunedesk-keys")
    assert sent == {
        "per_device_train_batch_size": "2",
        "learning_rate": "0.00001",
        "num_train_epochs": "3",
    }
    assert "seed" not in sent
    assert "learning_rate_multiplier" not in sent


# -- refusal 2: a value that is not a string ----------------------------------------------
@pytest.mark.parametrize(
    ("key", "value"),
    [("num_train_epochs", 2), ("learning_rate", 2e-5), ("per_device_train_batch_size", 4)],
)
def test_the_emulator_refuses_a_value_that_is_not_a_string(
    azure_emulator: Emulator, ml: Any, tmp_path: Path, key: str, value: Any
) -> None:
    # azure-ai-ml sends a number as a JSON number: the type on the wire is dict[str, str]
    error = _refusal(ml, _job(ml, tmp_path, "not-a-string", {key: value}))
    assert "to type 'System.String'" in str(error)
    assert f"hyperParameters.{key}" in str(error)
    assert _sent(azure_emulator, "not-a-string") == {key: value}
    assert not azure_emulator.aml.jobs_named("not-a-string")


def test_the_route_sends_every_value_as_a_string(azure_emulator: Emulator, tmp_path: Path) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        hp = Hyperparameters(batch_size=1, learning_rate_multiplier=1, epochs=1)  # all ints
        await route.submit(JobRequest("strings", MODEL, data, hp), lambda ref: None)
        await route.aclose()

    run(scenario())
    sent = _sent(azure_emulator, "tunedesk-strings")
    assert sent == {
        "per_device_train_batch_size": "1",
        "learning_rate": "0.0002",
        "num_train_epochs": "1",
    }
    assert all(isinstance(v, str) for v in sent.values())
    assert azure_emulator.aml.jobs_named("tunedesk-strings")


# -- refusal 3: a string that is not a positive number ("auto", -1: "let Azure choose") ---
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("num_train_epochs", "auto"),
        ("num_train_epochs", "-1"),
        ("num_train_epochs", "2.5"),
        ("per_device_train_batch_size", "0"),
        ("learning_rate", "fast"),
        ("learning_rate", "0"),
    ],
)
def test_the_emulator_refuses_a_value_that_is_not_a_positive_number(
    azure_emulator: Emulator, ml: Any, tmp_path: Path, key: str, value: str
) -> None:
    error = _refusal(ml, _job(ml, tmp_path, "bad-value", {key: value}))
    assert f"Invalid value '{value}' for hyperparameter '{key}'" in str(error)
    assert not azure_emulator.aml.jobs_named("bad-value")


def test_letting_azure_choose_sends_nothing(azure_emulator: Emulator, tmp_path: Path) -> None:
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route = await _route()
        data = await route.upload(str(train), None)
        await route.submit(JobRequest("auto", MODEL, data, Hyperparameters()), lambda r: None)
        only_epochs = Hyperparameters(epochs=4)
        await route.submit(JobRequest("auto4", MODEL, data, only_epochs), lambda r: None)
        await route.aclose()

    run(scenario())
    assert _sent(azure_emulator, "tunedesk-auto") == {}
    assert _sent(azure_emulator, "tunedesk-auto4") == {"num_train_epochs": "4"}
    assert azure_emulator.aml.jobs_named("tunedesk-auto")
    assert azure_emulator.aml.jobs_named("tunedesk-auto4")
