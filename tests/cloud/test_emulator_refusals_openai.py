"""What the stricter Azure OpenAI emulator refuses, each through the real openai (or ARM)
client, and beside it that TuneDesk's route sends what Azure wants instead of leaning on
the emulator's old leniency."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
import requests
from azure.identity import ClientSecretCredential
from openai import AzureOpenAI, OpenAI

from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    ARM_SCOPE,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, training_files, wait_until, write_jsonl
from tests.cloud.test_openai_route import FOUNDRY, MODEL, OPEN_MODEL, _route
from tunedesk.cloud.discovery import check_place
from tunedesk.cloud.errors import CloudError
from tunedesk.cloud.routes.base import JobRequest, JobState
from tunedesk.cloud.routes.openai_route import SUFFIX_MAX, clean_suffix

CLASSIC = "contoso-aoai-swc"
V1_JOBS = r"/openai/v1/fine_tuning/jobs$"


def v1(emulator: Emulator, account: str = CLASSIC) -> OpenAI:
    return OpenAI(
        base_url=f"{emulator.openai.endpoint(account)}openai/v1/",
        api_key=emulator.openai.key(account),
        max_retries=0,
    )


def dated(emulator: Emulator, version: str, account: str = CLASSIC) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=emulator.openai.endpoint(account),
        api_version=version,
        api_key=emulator.openai.key(account),
        max_retries=0,
    )


@pytest.fixture
def jsonl(tmp_path: Path) -> bytes:
    return write_jsonl(tmp_path / "t.jsonl", FACTS[:12]).read_bytes()


def upload(client: OpenAI, data: bytes) -> str:
    return client.files.create(file=("t.jsonl", data), purpose="fine-tune").id


def error_code(exc: openai.APIStatusError) -> str:
    return f"{exc.status_code} {exc.message}"


@pytest.fixture
def arm_token(azure_emulator: Emulator) -> Iterator[str]:
    with ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET) as cred:
        yield cred.get_token(ARM_SCOPE).token


# -- api-versions --------------------------------------------------------------------------
def test_unknown_api_versions_are_refused_and_the_route_sends_none(
    azure_emulator: Emulator,
) -> None:
    for version in ("2023-13-01-preview", "2099-01-01", "v2"):
        with dated(azure_emulator, version) as c, pytest.raises(openai.BadRequestError):
            c.models.list()
    with dated(azure_emulator, "2024-10-21") as c:
        assert c.models.list().data  # a version from the specs is served
    with v1(azure_emulator) as c:
        assert c.models.list().data
        with pytest.raises(openai.BadRequestError, match="not supported on the v1 API"):
            c.models.list(extra_query={"api-version": "2025-04-01-preview"})

    async def scenario() -> None:
        route, d = await _route()
        assert (await route.list_base_models()).from_service
        await route.aclose()
        d.close()

    run(scenario())
    listed = azure_emulator.calls("GET", r"/openai/v1/models$")[-1]
    assert listed.status == 200
    assert listed.q("api-version") is None


# -- trainingType ----------------------------------------------------------------------------
def test_v1_job_create_needs_a_training_type_and_the_route_always_sends_one(
    azure_emulator: Emulator, jsonl: bytes, tmp_path: Path
) -> None:
    with v1(azure_emulator) as c:
        file_id = upload(c, jsonl)
        with pytest.raises(openai.BadRequestError, match="trainingType is required"):
            c.fine_tuning.jobs.create(model=MODEL, training_file=file_id)
        with pytest.raises(openai.BadRequestError, match="not supported"):
            c.fine_tuning.jobs.create(
                model=MODEL, training_file=file_id, extra_body={"trainingType": "cheap"}
            )
    assert azure_emulator.openai.all_jobs() == []
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("tt1", MODEL, data), lambda ref: None)
        await route.cancel(job)
        await route.aclose()
        d.close()

    run(scenario())
    sent = [r for r in azure_emulator.calls("POST", V1_JOBS) if r.status == 200]
    assert len(sent) == 1
    assert sent[0].json()["trainingType"] == "globalstandard"


def test_developer_training_only_where_the_model_and_version_allow_it(
    azure_emulator: Emulator, jsonl: bytes, tmp_path: Path
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=10)
    with v1(azure_emulator, FOUNDRY) as c:
        file_id = upload(c, jsonl)
        with pytest.raises(openai.BadRequestError, match="Developer training is not available"):
            c.fine_tuning.jobs.create(
                model=OPEN_MODEL, training_file=file_id, extra_body={"trainingType": "developer"}
            )
    with dated(azure_emulator, "2024-10-21") as c:
        file_id = upload(c, jsonl)
        with pytest.raises(openai.BadRequestError, match="2025-04-01-preview or later"):
            c.fine_tuning.jobs.create(
                model=MODEL, training_file=file_id, extra_body={"trainingType": "developer"}
            )
    assert azure_emulator.openai.all_jobs() == []
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(
            JobRequest("dev", MODEL, data, training_type="developer"), lambda ref: None
        )
        await route.cancel(job)
        await route.aclose()
        d.close()

    run(scenario())
    body = next(r for r in azure_emulator.calls("POST", V1_JOBS) if r.status == 200).json()
    assert body["trainingType"] == "developer"


def test_data_zone_training_only_in_its_zone(azure_emulator: Emulator, jsonl: bytes) -> None:
    with v1(azure_emulator) as c:  # Sweden Central is not in the US data zone
        file_id = upload(c, jsonl)
        with pytest.raises(openai.BadRequestError, match="Data Zone training is not available"):
            c.fine_tuning.jobs.create(
                model=MODEL,
                training_file=file_id,
                extra_body={"trainingType": "datazonestandard"},
            )
    with v1(azure_emulator, FOUNDRY) as c:  # North Central US is
        file_id = upload(c, jsonl)
        job = c.fine_tuning.jobs.create(
            model=OPEN_MODEL, training_file=file_id, extra_body={"trainingType": "datazonestandard"}
        )
        c.fine_tuning.jobs.cancel(job.id)


# -- keys ------------------------------------------------------------------------------------
def test_each_api_takes_the_key_in_its_documented_header(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    key = azure_emulator.openai.key(CLASSIC)
    base = azure_emulator.openai.endpoint(CLASSIC)
    with requests.Session() as s:
        # Dated API: "api-key"; a key as a bearer token is not an Entra token.
        url = f"{base}openai/files?api-version=2024-10-21"
        assert s.get(url, headers={"api-key": key}, timeout=10).status_code == 200
        assert s.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=10).status_code == 401
        # v1: "api-key" (REST reference) or "Authorization: Bearer <key>" (its Python example).
        url = f"{base}openai/v1/files"
        assert s.get(url, headers={"api-key": key}, timeout=10).status_code == 200
        assert s.get(url, headers={"Authorization": f"Bearer {key}"}, timeout=10).status_code == 200
        assert s.get(url, headers={"api-key": "0" * 32}, timeout=10).status_code == 401
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        from tunedesk.cloud.auth import sign_in_api_key
        from tunedesk.cloud.routes.openai_route import OpenAIRoute
        from tunedesk.cloud.secrets import KeyringSecretStore

        store = KeyringSecretStore()
        auth = await sign_in_api_key(base, key, store, "aoai-key:refusals")
        route = OpenAIRoute(base, auth, store)  # v1: Bearer <key>
        await route.upload(str(train), None)
        await route.aclose()

    run(scenario())
    assert azure_emulator.calls("POST", r"/openai/v1/files$")[-1].status == 200


def test_a_foundry_token_audience_only_on_foundry_resources(azure_emulator: Emulator) -> None:
    token = azure_emulator.world.issue_token("https://ai.azure.com", SP_CLIENT_ID).token
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as s:
        foundry = f"{azure_emulator.openai.endpoint(FOUNDRY)}openai/v1/files"
        assert s.get(foundry, headers=headers, timeout=10).status_code == 200
        served = f"https://{FOUNDRY}.services.ai.azure.com/openai/v1/files"
        assert s.get(served, headers=headers, timeout=10).status_code == 200
        classic = f"{azure_emulator.openai.endpoint(CLASSIC)}openai/v1/files"
        refused = s.get(classic, headers=headers, timeout=10)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"
        wrong_host = f"https://{CLASSIC}.services.ai.azure.com/openai/v1/files"
        assert s.get(wrong_host, headers=headers, timeout=10).status_code == 404


# -- which models a customer may train -------------------------------------------------------
def test_restricted_and_retired_models_are_refused_for_a_new_customer(
    azure_emulator: Emulator, jsonl: bytes
) -> None:
    with v1(azure_emulator, FOUNDRY) as c:  # the Foundry resource: a new customer
        file_id = upload(c, jsonl)
        with pytest.raises(openai.BadRequestError, match="only by existing customers"):
            c.fine_tuning.jobs.create(
                model=MODEL, training_file=file_id, extra_body={"trainingType": "globalstandard"}
            )
        with pytest.raises(openai.BadRequestError, match="retired"):
            c.fine_tuning.jobs.create(
                model="Meta-Llama-3.1-8B-Instruct",
                training_file=file_id,
                extra_body={"trainingType": "globalstandard"},
            )
    # The app marks them before anything is sent, with the catalog's status sentence.
    restricted = check_place(MODEL, "openai", "northcentralus")
    assert not restricted.supported
    assert "existing customers" in str(restricted.reason)
    assert not check_place("Meta-Llama-3.1-8B-Instruct", "hub", "westus").supported
    # An existing customer (the seeded classic account) still trains it.
    with v1(azure_emulator) as c:
        job = c.fine_tuning.jobs.create(
            model=MODEL, training_file=upload(c, jsonl), extra_body={"trainingType": "standard"}
        )
        c.fine_tuning.jobs.cancel(job.id)


def test_open_models_train_only_on_foundry_resources(
    azure_emulator: Emulator, jsonl: bytes, tmp_path: Path
) -> None:
    with (
        v1(azure_emulator) as c,
        pytest.raises(openai.BadRequestError, match="only in a Foundry resource"),
    ):
        c.fine_tuning.jobs.create(
            model=OPEN_MODEL,
            training_file=upload(c, jsonl),
            extra_body={"trainingType": "globalstandard"},
        )
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        classic, d = await _route()
        data = await classic.upload(str(train), None)
        with pytest.raises(CloudError):  # a plain message, not a crash
            await classic.submit(JobRequest("o1", OPEN_MODEL, data), lambda ref: None)
        await classic.aclose()
        d.close()

    run(scenario())


def test_a_long_suffix_is_refused_and_the_route_cuts_it(
    azure_emulator: Emulator, jsonl: bytes
) -> None:
    with v1(azure_emulator) as c, pytest.raises(openai.BadRequestError, match="at most 40"):
        c.fine_tuning.jobs.create(
            model=MODEL,
            training_file=upload(c, jsonl),
            suffix="x" * 41,
            extra_body={"trainingType": "globalstandard"},
        )
    assert SUFFIX_MAX == 40
    cut = clean_suffix("Family Facts " * 5)
    assert cut is not None
    assert len(cut) <= SUFFIX_MAX


# -- the queue -------------------------------------------------------------------------------
def test_a_second_job_is_queued_not_refused_until_the_queue_is_full(
    azure_emulator: Emulator, jsonl: bytes
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.05, running=30.0, steps=10)
    azure_emulator.openai.max_queued_jobs = 2
    extra = {"trainingType": "globalstandard"}
    with v1(azure_emulator) as c:
        file_id = upload(c, jsonl)
        first = c.fine_tuning.jobs.create(model=MODEL, training_file=file_id, extra_body=extra)
        time.sleep(0.1)
        queued = [
            c.fine_tuning.jobs.create(model=MODEL, training_file=file_id, extra_body=extra)
            for _ in range(2)
        ]
        assert c.fine_tuning.jobs.retrieve(first.id).status == "running"
        assert [c.fine_tuning.jobs.retrieve(j.id).status for j in queued] == ["queued"] * 2
        with pytest.raises(openai.RateLimitError, match="2 queued"):
            c.fine_tuning.jobs.create(model=MODEL, training_file=file_id, extra_body=extra)
        events = c.fine_tuning.jobs.list_events(queued[0].id).data
        assert events[-1].message == f"Created fine-tuning job: {queued[0].id}"
        c.fine_tuning.jobs.cancel(first.id)
        time.sleep(0.1)
        assert c.fine_tuning.jobs.retrieve(queued[0].id).status in ("pending", "running")
        assert c.fine_tuning.jobs.retrieve(queued[1].id).status == "queued"
        for j in queued:
            c.fine_tuning.jobs.cancel(j.id)


# -- checkpoints -----------------------------------------------------------------------------
def test_a_checkpoint_is_deployed_by_id_never_by_name(
    azure_emulator: Emulator, tmp_path: Path, arm_token: str
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.05, running=0.3, steps=6)
    train, _ = training_files(tmp_path)

    async def scenario() -> tuple[str, str]:
        route, d = await _route()
        data = await route.upload(str(train), None)
        job = await route.submit(JobRequest("ck", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.SUCCEEDED})
        checkpoint = (await route.checkpoints(job))[0]
        await route.deploy(job, "by-id", checkpoint=checkpoint)  # the route uses the id
        await route.aclose()
        d.close()
        return checkpoint.id, checkpoint.model

    checkpoint_id, checkpoint_name = run(scenario())
    assert checkpoint_id.startswith("ftchkpt-")
    assert ":ckpt-step-" in checkpoint_name
    account = azure_emulator.openai.account(CLASSIC)
    url = (
        f"https://management.azure.com{account.arm_id(SUBSCRIPTION_ID)}/deployments/by-name"
        "?api-version=2024-10-01"
    )
    body = {
        "sku": {"name": "standard", "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": checkpoint_name, "version": "1"}},
    }
    refused = requests.put(
        url,
        data=json.dumps(body),
        timeout=10,
        headers={"Authorization": f"Bearer {arm_token}", "Content-Type": "application/json"},
    )
    assert refused.status_code == 400
    assert "by its id" in refused.json()["error"]["message"]
    assert account.deployments["by-id"].model == checkpoint_id
