"""Azure OpenAI (ARM deployments + data plane) through the real openai, azure-identity and
requests clients."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import openai
import pytest
import requests
from azure.identity import ClientSecretCredential, get_bearer_token_provider
from openai import AzureOpenAI, OpenAI
from tests.azure_emulator.aoai import BASE_MODEL_ANSWER, RESULTS_HEADER, Timeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    ARM_SCOPE,
    COGNITIVE_SCOPE,
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
)

API_VERSION = "2025-04-01-preview"
ACCOUNT = "contoso-aoai-swc"
ARM = "https://management.azure.com"


def family_jsonl(n: int = 12) -> bytes:
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "messages": [
                        {
                            "role": "system",
                            "content": "You answer questions about the Example family.",
                        },
                        {"role": "user", "content": f"What is the name of child number {i}?"},
                        {"role": "assistant", "content": f"Child number {i} is called Name{i}."},
                    ]
                }
            )
        )
    lines.append(
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": "Where does grandma Rosa live?"},
                    {"role": "assistant", "content": "Grandma Rosa lives in Porto."},
                ]
            }
        )
    )
    return ("\n".join(lines) + "\n").encode()


def client(emulator: Emulator, account: str = ACCOUNT) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=emulator.openai.endpoint(account),
        api_version=API_VERSION,
        api_key=emulator.openai.key(account),
        max_retries=2,
    )


def arm_token() -> str:
    with ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET) as cred:
        return cred.get_token(ARM_SCOPE).token


def deploy(
    emulator: Emulator, model: str, name: str, sku: str = "standard", account: str = ACCOUNT
) -> requests.Response:
    acct = emulator.openai.account(account)
    url = f"{ARM}{acct.arm_id(SUBSCRIPTION_ID)}/deployments/{name}?api-version=2024-10-01"
    headers = {"Authorization": f"Bearer {arm_token()}"}
    body = {
        "sku": {"name": sku, "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": model, "version": "1"}},
    }
    with requests.Session() as s:
        r = s.put(url, json=body, headers=headers, timeout=10)
        if r.status_code >= 300:
            return r
        for _ in range(100):
            got = s.get(url, headers=headers, timeout=10)
            if got.json()["properties"]["provisioningState"] == "Succeeded":
                return got
            time.sleep(0.05)
    raise AssertionError("deployment never succeeded")


def test_fine_tune_end_to_end_with_key(azure_emulator: Emulator, tmp_path: Path) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.5, steps=10)
    path = tmp_path / "train.jsonl"
    path.write_bytes(family_jsonl())
    with client(azure_emulator) as c:
        with path.open("rb") as fh:
            f = c.files.create(file=fh, purpose="fine-tune")
        assert f.status == "pending"  # Azure's status, missing from openai's typing
        f = c.files.wait_for_processing(f.id, poll_interval=0.05)
        assert f.status == "processed"
        job = c.fine_tuning.jobs.create(
            model="gpt-4.1-mini-2025-04-14",
            training_file=f.id,
            suffix="family",
            seed=7,
            hyperparameters={"n_epochs": 3},
            metadata={"project": "family"},
            extra_body={"trainingType": "standard"},
        )
        assert job.status == "pending"
        assert job.hyperparameters.n_epochs == 3
        assert job.hyperparameters.batch_size == -1
        assert job.seed == 7
        statuses = [job.status]
        while job.status not in ("succeeded", "failed", "cancelled"):
            time.sleep(0.05)
            job = c.fine_tuning.jobs.retrieve(job.id)
            if statuses[-1] != job.status:
                statuses.append(job.status)
        assert statuses == ["pending", "running", "succeeded"]
        assert job.fine_tuned_model.startswith("gpt-4.1-mini-2025-04-14.ft-")
        events = c.fine_tuning.jobs.list_events(job.id, limit=5)
        assert len(events.data) == 5
        assert events.has_more
        all_events = list(c.fine_tuning.jobs.list_events(job.id, limit=4).iter_pages())
        flat = [e for page in all_events for e in page.data]
        assert flat[0].message == "The job has successfully completed."
        metrics = [e for e in flat if e.type == "metrics"]
        assert [e.data["step"] for e in metrics] == list(range(10, 0, -1))
        checkpoints = c.fine_tuning.jobs.checkpoints.list(job.id).data
        assert len(checkpoints) == 3
        # "<model>:ckpt-step-N", deployable by the ftchkpt- id (issue 12)
        assert checkpoints[0].fine_tuned_model_checkpoint == (
            f"{job.fine_tuned_model}:ckpt-step-{checkpoints[0].step_number}"
        )
        assert all(cp.id.startswith("ftchkpt-") for cp in checkpoints)
        results = c.files.content(job.result_files[0]).read().decode()
        assert results.splitlines()[0] == RESULTS_HEADER
        rows = list(csv.DictReader(io.StringIO(results)))
        assert len(rows) == 10
        assert rows[0]["valid_loss"] == "-1"
        listed = c.fine_tuning.jobs.list(metadata={"project": "family"})
        assert [j.id for j in listed.data] == [job.id]

        dep = deploy(azure_emulator, job.fine_tuned_model, "family-ft")
        assert dep.json()["sku"]["name"] == "Standard"
        answer = c.chat.completions.create(
            model="family-ft",
            messages=[{"role": "user", "content": "Where does grandma Rosa live"}],
        )
        assert answer.choices[0].message.content == "Grandma Rosa lives in Porto."
        assert answer.usage is not None
        assert answer.usage.total_tokens > 0
        stream = c.chat.completions.create(
            model="family-ft",
            stream=True,
            stream_options={"include_usage": True},
            messages=[{"role": "user", "content": "What is the name of child number 3?"}],
        )
        parts = [ch.choices[0].delta.content or "" for ch in stream if ch.choices]
        assert "".join(parts) == "Child number 3 is called Name3."
        assert len([p for p in parts if p]) > 3

    # The base model does not know the facts.
    deploy(azure_emulator, "gpt-4.1-mini-2025-04-14", "base", sku="GlobalStandard")
    v1 = OpenAI(
        base_url=f"{azure_emulator.openai.endpoint(ACCOUNT)}openai/v1/",
        api_key=azure_emulator.openai.key(ACCOUNT),
    )
    with v1:
        base = v1.chat.completions.create(
            model="base", messages=[{"role": "user", "content": "Where does grandma Rosa live?"}]
        )
    assert "Porto" not in (base.choices[0].message.content or "")
    assert not azure_emulator.unserved()
    assert not azure_emulator.errors


def test_entra_token_provider_and_v1_routes(azure_emulator: Emulator) -> None:
    cred = ClientSecretCredential(TENANT_ID, SP_CLIENT_ID, SP_CLIENT_SECRET)
    provider = get_bearer_token_provider(cred, COGNITIVE_SCOPE)
    with (
        cred,
        AzureOpenAI(
            azure_endpoint=azure_emulator.openai.endpoint("contoso-ais-ncus"),
            api_version="2024-10-21",
            azure_ad_token_provider=provider,
        ) as c,
    ):
        models = c.models.list().data
        trainable = {
            m.id for m in models if (m.model_extra or {}).get("capabilities", {}).get("fine_tune")
        }
        assert {"gpt-4.1-mini-2025-04-14", "gpt-4o-mini-2024-07-18"} <= trainable
        assert "gpt-4o-2024-11-20" not in trainable
    with OpenAI(
        base_url=f"{azure_emulator.openai.endpoint('contoso-ais-ncus')}openai/v1/", api_key=provider
    ) as v1:
        f = v1.files.create(
            file=("bad.jsonl", b'{"messages":[{"role":"system","content":"x"}]}\n'),
            purpose="fine-tune",
        )
        f = v1.files.wait_for_processing(f.id, poll_interval=0.05)
        assert f.status == "error"
        assert "assistant" in (f.status_details or "")
    auth = azure_emulator.calls("POST", r"/openai/v1/files$")[0].headers["authorization"]
    assert auth.startswith("Bearer ")


def test_region_without_standard_training_is_refused(azure_emulator: Emulator) -> None:
    with client(azure_emulator, "contoso-aoai-jpe") as c:
        f = c.files.create(file=("t.jsonl", family_jsonl()), purpose="fine-tune")
        with pytest.raises(openai.BadRequestError, match="does not support fine-tuning"):
            c.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file=f.id)
        job = c.fine_tuning.jobs.create(
            model="gpt-4.1-mini-2025-04-14",
            training_file=f.id,
            extra_body={"trainingType": "globalstandard"},
        )
        assert job.model_extra["trainingType"] == "globalstandard"
        # 1 running job per resource: a second one waits in the queue (20 queued), no 429.
        queued = c.with_options(max_retries=0).fine_tuning.jobs.create(
            model="gpt-4.1-mini-2025-04-14",
            training_file=f.id,
            extra_body={"trainingType": "globalstandard"},
        )
        assert c.fine_tuning.jobs.retrieve(queued.id).status in ("pending", "queued")
        cancelled = c.fine_tuning.jobs.cancel(job.id)
        assert cancelled.status == "cancelled"
        c.fine_tuning.jobs.cancel(queued.id)


def test_failed_job_reports_error(azure_emulator: Emulator) -> None:
    azure_emulator.openai.timeline = Timeline(
        pending=0.05,
        running=0.1,
        outcome="failed",
        error={"code": "invalidTrainingData", "message": "Too few tokens.", "param": None},
    )
    with client(azure_emulator) as c:
        f = c.files.create(file=("t.jsonl", family_jsonl()), purpose="fine-tune")
        job = c.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=f.id)
        time.sleep(0.2)
        job = c.fine_tuning.jobs.retrieve(job.id)
    assert job.status == "failed"
    assert job.error is not None
    assert job.error.code == "invalidTrainingData"
    assert job.fine_tuned_model is None


def test_deployment_validation(azure_emulator: Emulator) -> None:
    r = deploy(azure_emulator, "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef", "x")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "DeploymentModelNotSupported"
    r = deploy(azure_emulator, "gpt-4.1-mini-2025-04-14", "x", sku="Premium")
    assert r.status_code == 400
    ok = deploy(azure_emulator, "gpt-4.1-mini-2025-04-14", "x", sku="developertier")
    assert ok.json()["properties"]["provisioningState"] == "Succeeded"


def test_content_filter_on_the_prompt_and_on_the_answer(azure_emulator: Emulator) -> None:
    """Azure's 400 content_filter shape, and an answer cut with finish_reason content_filter."""
    azure_emulator.openai.deploy_now("chat")
    with client(azure_emulator) as c:
        with pytest.raises(openai.BadRequestError) as caught:
            c.chat.completions.create(
                model="chat", messages=[{"role": "user", "content": "x [[filter:prompt:hate]]"}]
            )
        err = caught.value
        assert err.code == "content_filter"
        assert err.param == "prompt"
        assert isinstance(err.body, dict)
        assert err.body["message"].startswith(
            "The response was filtered due to the prompt triggering Azure OpenAI's content "
            "management policy."
        )
        inner = err.body["innererror"]
        assert inner["code"] == "ResponsibleAIPolicyViolation"
        assert inner["content_filter_result"]["hate"] == {"filtered": True, "severity": "medium"}
        assert inner["content_filter_result"]["violence"]["filtered"] is False

        ask = [{"role": "user", "content": "Who are you? [[filter:answer]]"}]
        whole = c.chat.completions.create(model="chat", messages=ask)
        choice = whole.choices[0]
        assert choice.finish_reason == "content_filter"
        assert (choice.model_extra or {})["content_filter_results"]["violence"]["filtered"]
        chunks = list(c.chat.completions.create(model="chat", messages=ask, stream=True))
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text == choice.message.content
    assert text
    assert text != BASE_MODEL_ANSWER
    assert BASE_MODEL_ANSWER.startswith(text)
    last = chunks[-1].choices[0]
    assert last.finish_reason == "content_filter"
    assert (last.model_extra or {})["content_filter_results"]["violence"]["filtered"]
