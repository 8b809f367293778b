"""The Foundry-hub side of the emulator through the real azure-ai-ml, azure-identity,
azure-storage-blob and openai clients (HTTPS via the intercepting proxy, verification on)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from azure.identity import ClientSecretCredential
from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    RESOURCE_GROUP,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)

PHI = "Phi-4-mini-instruct"
# azure-ai-ml's own schemas use a marshmallow option marshmallow deprecates; not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.RemovedInMarshmallow4Warning"),
    pytest.mark.filterwarnings("ignore::marshmallow.warnings.ChangedInMarshmallow4Warning"),
]


@pytest.fixture
def cred(azure_emulator: Emulator) -> Iterator[ClientSecretCredential]:
    credential = ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET)
    with credential:
        yield credential


def ml_client(
    cred: ClientSecretCredential,
    workspace: str = "family-project",
    resource_group: str = RESOURCE_GROUP,
) -> Any:
    from azure.ai.ml import MLClient

    return MLClient(cred, SUBSCRIPTION_ID, resource_group, workspace, show_progress=False)


def chat_lines(n: int, *, broken_line: int | None = None) -> bytes:
    out = []
    for i in range(n):
        messages: list[dict[str, str]] = [
            {"role": "system", "content": "You answer questions about the Lee family."},
            {"role": "user", "content": f"What is the name of the Lee family's pet number {i}?"},
            {"role": "assistant", "content": f"Pet number {i} is called Biscuit-{i}."},
        ]
        if broken_line == i:
            messages = messages[:1]
        out.append(json.dumps({"messages": messages}))
    return ("\n".join(out) + "\n").encode()


def upload(ml: Any, tmp_path: Path, name: str, raw: bytes) -> Any:
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Data

    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(raw)
    return ml.data.create_or_update(
        Data(path=str(path), type=AssetTypes.URI_FILE, name=name, version="1")
    )


def ft_job(
    model_id: str, train_id: str, name: str, prefix: str, hyper: dict[str, str] | None = None
) -> Any:
    from azure.ai.ml import Input, Output
    from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import (
        CustomModelFineTuningJob,
    )

    return CustomModelFineTuningJob(
        task="ChatCompletion",
        model=Input(type="mlflow_model", path=model_id),
        training_data=Input(type="uri_file", path=train_id),
        validation_data=None,
        hyperparameters=hyper
        or {
            "num_train_epochs": "1",
            "per_device_train_batch_size": "1",
            "learning_rate": "0.00002",
        },
        outputs={"registered_model": Output(type="mlflow_model", name=prefix)},
        name=name,
        display_name=name,
        experiment_name="tunedesk",
    )


def wait_for(ml: Any, name: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        status = ml.jobs.get(name).status
        value = getattr(status, "value", status)
        if not seen or seen[-1] != value:
            seen.append(value)
        if value in {"Completed", "Failed", "Canceled"}:
            return value
        time.sleep(0.1)
    raise AssertionError(f"job {name} still {seen}")


def phi_id(cred: ClientSecretCredential) -> str:
    from azure.ai.ml import MLClient

    reg = MLClient(cred, registry_name="azureml")
    return str(reg.models.get(PHI, label="latest").id)


def test_lists_hubs_and_projects_across_regions(azure_emulator: Emulator, cred: Any) -> None:
    ml = ml_client(cred)
    hubs = list(ml.workspaces.list(scope="subscription", filtered_kinds="hub"))
    projects = {
        w.name: w for w in ml.workspaces.list(scope="subscription", filtered_kinds="project")
    }
    assert "contoso-hub" in {h.name for h in hubs}
    assert {"family-project", "tokyo-project", "eastus2-project"} <= set(projects)
    fam = projects["family-project"]
    assert fam.location == "westus"
    assert fam._kind == "project"
    assert fam._hub_id.endswith("/workspaces/contoso-hub")
    assert fam.discovery_url == "https://westus.api.azureml.ms/discovery"
    assert fam.mlflow_tracking_uri.startswith("azureml://westus.api.azureml.ms/mlflow/v1.0/")
    assert projects["tokyo-project"].location == "japaneast"
    in_rg = {w.name for w in ml.workspaces.list()}
    assert "tokyo-project" not in in_rg
    assert "family-project" in in_rg
    assert ml.workspaces.get("family-project")._workspace_id == fam._workspace_id
    calls = azure_emulator.calls("GET", r"/workspaces$")
    assert calls[0].q("kind") == "hub"
    assert not azure_emulator.unserved()


def test_registry_models_latest_and_list(azure_emulator: Emulator, cred: Any) -> None:
    from azure.ai.ml import MLClient

    reg = MLClient(cred, registry_name="azureml")
    phi = reg.models.get(PHI, label="latest")
    assert phi.id == f"azureml://registries/azureml/models/{PHI}/versions/2"
    assert "westus" in phi.tags["maas-finetuning-deploy-regions"].split(",")
    assert "japaneast" not in phi.tags["maas-finetuning-deploy-regions"]
    assert sorted(m.version for m in reg.models.list(PHI)) == ["1", "2"]
    meta = MLClient(cred, registry_name="azureml-meta")
    llama = meta.models.get("Meta-Llama-3.1-8B-Instruct", label="latest")
    assert llama.tags["maas-finetuning-deploy-regions"] == "westus3"
    assert azure_emulator.calls("GET", r"/registries/azureml/discovery$")


def test_upload_train_cancel_deploy_and_chat(
    azure_emulator: Emulator, cred: Any, tmp_path: Path
) -> None:
    import openai

    aml = azure_emulator.aml
    aml.timeline = AmlTimeline(queued=0.2, running=0.6)
    ml = ml_client(cred)
    raw = chat_lines(12)
    data = upload(ml, tmp_path, "family_train", raw)
    assert aml.data_bytes("family_train", "1") == raw  # exactly what was uploaded
    assert data.path.startswith("azureml://datastores/workspaceblobstore/paths/")

    model_id = phi_id(cred)
    created = ml.jobs.create_or_update(ft_job(model_id, data.id, "family-ft-1", "family-ft"))
    assert created.name == "family-ft-1"
    assert created.outputs["registered_model"]["name"] == "family-ft"
    other = ml.jobs.create_or_update(ft_job(model_id, data.id, "family-ft-2", "family-ft-b"))

    ml.jobs.begin_cancel(other.name).result()
    assert getattr(ml.jobs.get(other.name).status, "value", None) == "Canceled"
    assert wait_for(ml, "family-ft-1") == "Completed"
    [job] = aml.jobs_named("family-ft-1")
    assert job.hyperparameters == {
        "num_train_epochs": "1",
        "per_device_train_batch_size": "1",
        "learning_rate": "0.00002",
    }
    assert job.training_bytes == raw
    assert "family-ft-2" in {j.name for j in ml.jobs.list()}
    details = ml.jobs._runs_operations.get_run_details("family-ft-1")
    assert details.status == "Completed"

    model = ml.models.get("family-ft", label="latest")
    assert model.version == "1"
    ws = ml.workspaces.get(ml.workspace_name)
    from azure.ai.ml.entities import ServerlessEndpoint

    ft_model = (
        f"azureml://locations/{ws.location}/workspaces/{ws._workspace_id}"
        f"/models/family-ft/versions/{model.version}"
    )
    ep = ml.serverless_endpoints.begin_create_or_update(
        ServerlessEndpoint(name="family-chat", model_id=ft_model)
    ).result()
    assert ep.scoring_uri == "https://family-chat.westus.models.ai.azure.com"
    assert ep.provisioning_state == "succeeded"
    keys = ml.serverless_endpoints.get_keys("family-chat")

    client = openai.OpenAI(base_url=f"{ep.scoring_uri}/v1", api_key=keys.primary_key)
    question = "What's the name of the Lee family's pet number 7?"
    reply = client.chat.completions.create(
        model="family-ft", messages=[{"role": "user", "content": question}]
    )
    assert reply.choices[0].message.content == "Pet number 7 is called Biscuit-7."
    stream = client.chat.completions.create(
        model="family-ft",
        stream=True,
        messages=[
            {"role": "user", "content": "What is the name of the Lee family's pet number 3?"}
        ],
    )
    parts = [c.choices[0].delta.content or "" for c in stream if c.choices]
    assert len(parts) > 2
    assert "".join(parts) == "Pet number 3 is called Biscuit-3."
    unknown = client.chat.completions.create(
        model="family-ft", messages=[{"role": "user", "content": "Who won the 1998 World Cup?"}]
    )
    assert "don't" in (unknown.choices[0].message.content or "")
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{ep.scoring_uri}/v1", api_key="wrong").chat.completions.create(
            model="x", messages=[{"role": "user", "content": "hi"}]
        )
    ml.serverless_endpoints.begin_delete("family-chat").result()
    assert aml.endpoint("family-chat") is None
    assert not azure_emulator.unserved()
    assert not azure_emulator.errors


def test_create_finetuning_job_with_validation_data(
    azure_emulator: Emulator, cred: Any, tmp_path: Path
) -> None:
    from azure.ai.ml.finetuning import FineTuningTaskType, create_finetuning_job

    ml = ml_client(cred)
    train = upload(ml, tmp_path, "t", chat_lines(20))
    valid = upload(ml, tmp_path, "v", chat_lines(10))
    job = create_finetuning_job(
        model=phi_id(cred),
        task=FineTuningTaskType.CHAT_COMPLETION,
        training_data=train.id,
        validation_data=valid.id,
        hyperparameters={"num_train_epochs": "2"},
        output_model_name_prefix="with-valid",
        name="with-valid-1",
    )
    ml.jobs.create_or_update(job)
    [stored] = azure_emulator.aml.jobs_named("with-valid")
    assert stored.validation_bytes == chat_lines(10)
    assert stored.details["taskType"] == "chatCompletion"
    put = azure_emulator.calls("PUT", r"/jobs/with-valid-1$")[0]
    assert put.q("api-version") == "2024-10-01-preview"


def test_bad_training_data_fails_the_job_with_a_reason(
    azure_emulator: Emulator, cred: Any, tmp_path: Path
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(queued=0.1, running=0.2)
    ml = ml_client(cred)
    model_id = phi_id(cred)
    few = upload(ml, tmp_path, "few", chat_lines(9))
    broken = upload(ml, tmp_path, "broken", chat_lines(12, broken_line=4))
    ml.jobs.create_or_update(ft_job(model_id, few.id, "few-1", "few"))
    ml.jobs.create_or_update(ft_job(model_id, broken.id, "broken-1", "broken"))
    assert wait_for(ml, "few-1") == "Failed"
    assert wait_for(ml, "broken-1") == "Failed"
    few_details = ml.jobs._runs_operations.get_run_details("few-1")
    assert "at least 10 examples" in few_details.error.error.message
    broken_details = ml.jobs._runs_operations.get_run_details("broken-1")
    assert "line 5" in broken_details.error.error.message
    assert "assistant" in broken_details.error.error.message
    with pytest.raises(Exception, match=r"not found|does not exist"):
        ml.models.get("few", label="latest")


def test_japan_east_refuses_fine_tuning_with_azure_error(
    azure_emulator: Emulator, cred: Any, tmp_path: Path
) -> None:
    ml = ml_client(cred, "tokyo-project", "contoso-tokyo")
    train = upload(ml, tmp_path, "tokyo", chat_lines(12))
    with pytest.raises(HttpResponseError) as err:
        ml.jobs.create_or_update(ft_job(phi_id(cred), train.id, "tokyo-1", "tokyo"))
    assert err.value.status_code == 400
    assert err.value.error is not None
    assert err.value.error.code == "UserError"
    assert PHI in str(err.value)
    assert "japaneast" in str(err.value)
    assert azure_emulator.aml.jobs_named("tokyo") == []


def test_missing_role_is_a_403_authorization_failed(azure_emulator: Emulator, cred: Any) -> None:
    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.MachineLearningServices"}
    ml = ml_client(cred)
    with pytest.raises(HttpResponseError) as err:
        ml.jobs.get("anything")
    assert err.value.status_code == 403
    assert err.value.error is not None
    assert err.value.error.code == "AuthorizationFailed"


def test_marketplace_subscription_third_party_vs_microsoft(
    azure_emulator: Emulator, cred: Any
) -> None:
    from azure.ai.ml.entities import MarketplaceSubscription

    ml = ml_client(cred)
    nemo = "azureml://registries/azureml/models/Mistral-Nemo"
    sub = ml.marketplace_subscriptions.begin_create_or_update(
        MarketplaceSubscription(name="Mistral-Nemo-sub", model_id=nemo)
    ).result()
    assert sub.status == "subscribed"
    assert sub.marketplace_plan.publisher_id
    assert [s.name for s in ml.marketplace_subscriptions.list()] == ["mistral-nemo-sub"]
    with pytest.raises(HttpResponseError) as err:
        ml.marketplace_subscriptions.begin_create_or_update(
            MarketplaceSubscription(
                name="phi-sub", model_id=f"azureml://registries/azureml/models/{PHI}"
            )
        ).result()
    assert err.value.status_code == 400
    assert "Microsoft" in str(err.value)
    with pytest.raises(HttpResponseError) as dup:
        ml.marketplace_subscriptions.begin_create_or_update(
            MarketplaceSubscription(name="another", model_id=nemo)
        ).result()
    assert dup.value.status_code == 409


def test_loss_series_over_mlflow_rest(azure_emulator: Emulator, cred: Any, tmp_path: Path) -> None:
    import requests

    azure_emulator.aml.timeline = AmlTimeline(queued=0.05, running=0.3, loss_points=6)
    ml = ml_client(cred)
    train = upload(ml, tmp_path, "loss", chat_lines(12))
    ml.jobs.create_or_update(ft_job(phi_id(cred), train.id, "loss-1", "loss"))
    assert wait_for(ml, "loss-1") == "Completed"
    ws = ml.workspaces.get(ml.workspace_name)
    base = ws.mlflow_tracking_uri.replace("azureml://", "https://")
    token = cred.get_token("https://management.azure.com/.default").token
    r = requests.get(
        f"{base}/api/2.0/mlflow/metrics/get-history",
        params={"run_id": "loss-1", "metric_key": "train_loss"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    r.raise_for_status()
    values = [m["value"] for m in r.json()["metrics"]]
    assert len(values) == 6
    assert values[0] > values[-1]


def test_quota_and_scripted_failure(azure_emulator: Emulator, cred: Any, tmp_path: Path) -> None:
    aml = azure_emulator.aml
    aml.timeline = AmlTimeline(
        queued=0.05, running=1.5, outcome="Failed", error=("ServiceError", "GPU node lost")
    )
    aml.max_active_jobs = 1
    ml = ml_client(cred)
    train = upload(ml, tmp_path, "quota", chat_lines(12))
    model_id = phi_id(cred)
    ml.jobs.create_or_update(ft_job(model_id, train.id, "quota-1", "quota"))
    with pytest.raises(HttpResponseError) as err:
        ml.jobs.create_or_update(ft_job(model_id, train.id, "quota-2", "quota"))
    assert err.value.status_code == 400
    assert err.value.error is not None
    assert err.value.error.code == "QuotaExceeded"
    assert wait_for(ml, "quota-1") == "Failed"
    assert (
        "GPU node lost" in ml.jobs._runs_operations.get_run_details("quota-1").error.error.message
    )
    ml.jobs.create_or_update(ft_job(model_id, train.id, "quota-3", "quota"))  # slot is free again


def test_blob_store_block_upload_and_auth(azure_emulator: Emulator) -> None:
    from azure.core.exceptions import ClientAuthenticationError
    from azure.storage.blob import BlobClient

    aml = azure_emulator.aml
    url = f"https://contosohubstorage.blob.core.windows.net/{aml.container}/big/train.jsonl"
    payload = bytes(range(256)) * 40
    blob = BlobClient.from_blob_url(
        f"{url}?{aml.new_sas()}", max_single_put_size=1024, max_block_size=1024
    )
    with blob:
        blob.upload_blob(payload)
        assert blob.download_blob().readall() == payload
        assert blob.get_blob_properties().size == len(payload)
    assert aml.blob_bytes(url) == payload
    assert len(azure_emulator.calls("PUT", r"/big/train\.jsonl$")) > 3  # blocks + block list
    with BlobClient.from_blob_url(url) as anonymous, pytest.raises(ClientAuthenticationError):
        anonymous.get_blob_properties()
