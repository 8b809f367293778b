"""Injected faults as the real clients observe them."""

from __future__ import annotations

import time

import openai
import pytest
import requests
from openai import AzureOpenAI
from tests.azure_emulator.server import Emulator
from tests.emulator.test_emulator_openai import ACCOUNT, API_VERSION, family_jsonl

JOBS = r"/openai/fine_tuning/jobs$"


def client(emulator: Emulator, **kw: object) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=emulator.openai.endpoint(ACCOUNT),
        api_version=API_VERSION,
        api_key=emulator.openai.key(ACCOUNT),
        **kw,
    )  # type: ignore[arg-type]


def upload(c: AzureOpenAI) -> str:
    return c.files.create(file=("t.jsonl", family_jsonl()), purpose="fine-tune").id


def test_429_with_retry_after_is_retried_by_openai(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", method="POST", path=JOBS, seconds=0.2)
    with client(azure_emulator) as c:
        job = c.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=upload(c))
    posts = azure_emulator.calls("POST", JOBS)
    assert [p.status for p in posts] == [429, 200]
    assert posts[0].fault == "429"
    assert posts[1].time - posts[0].time >= 0.2
    assert job.status == "pending"
    assert not azure_emulator.faults.pending


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_errors_are_retried(azure_emulator: Emulator, kind: str) -> None:
    azure_emulator.faults.add(kind, method="GET", path=r"/openai/files$", seconds=0)
    with client(azure_emulator) as c:
        assert c.files.list().data == []
    assert [r.status for r in azure_emulator.calls("GET", r"/openai/files$")] == [int(kind), 200]


def test_drop_after_processes_the_request_but_the_client_never_hears(
    azure_emulator: Emulator,
) -> None:
    azure_emulator.faults.add("drop_after", method="POST", path=JOBS)
    with client(azure_emulator, max_retries=0) as c:
        training_file = upload(c)
        with pytest.raises(openai.APIConnectionError):
            c.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training_file)
        # The duplicate-submission trap: the job exists although the client saw an error.
        jobs = c.fine_tuning.jobs.list().data
    assert len(jobs) == 1
    assert azure_emulator.calls("POST", JOBS)[0].status is None


def test_drop_before_does_not_process(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("drop_before", method="POST", path=JOBS)
    with client(azure_emulator, max_retries=0) as c:
        training_file = upload(c)
        with pytest.raises(openai.APIConnectionError):
            c.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training_file)
        assert c.fine_tuning.jobs.list().data == []


def test_slow_response_times_out_a_patient_less_client(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("slow", method="GET", path=r"/openai/files$", seconds=0.5)
    with (
        client(azure_emulator, max_retries=0, timeout=0.2) as c,
        pytest.raises(openai.APITimeoutError),
    ):
        c.files.list()
    azure_emulator.faults.add("slow", method="GET", path=r"/openai/files$", seconds=0.3)
    started = time.monotonic()
    with client(azure_emulator) as c:
        c.files.list()
    assert time.monotonic() - started >= 0.3


def test_expired_token_on_arm_and_after_calls(azure_emulator: Emulator) -> None:
    tok = azure_emulator.world.issue_token("https://management.azure.com", "someone").token
    azure_emulator.faults.add(
        "expired_token", host="management", path="^/subscriptions$", after_calls=1
    )
    url = "https://management.azure.com/subscriptions?api-version=2022-12-01"
    headers = {"Authorization": f"Bearer {tok}"}
    with requests.Session() as s:
        assert s.get(url, headers=headers, timeout=10).status_code == 200
        r = s.get(url, headers=headers, timeout=10)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "ExpiredAuthenticationToken"
        assert "WWW-Authenticate" in r.headers
        assert s.get(url, headers=headers, timeout=10).status_code == 200


def test_expired_token_on_the_data_plane(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("expired_token", path=r"/openai/models$")
    with client(azure_emulator) as c, pytest.raises(openai.AuthenticationError):
        c.models.list()


def test_real_token_expiry(azure_emulator: Emulator) -> None:
    tok = azure_emulator.world.issue_token("https://management.azure.com", "someone").token
    azure_emulator.world.expire_all_tokens()
    r = requests.get(
        "https://management.azure.com/tenants?api-version=2022-12-01",
        headers={"Authorization": f"Bearer {tok}"},
        timeout=10,
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "ExpiredAuthenticationToken"


def test_429_on_the_data_plane_speaks_like_azure(azure_emulator: Emulator) -> None:
    """Azure's own wording (it names the operation and links the quota page), its
    x-ratelimit headers, and a variant with Retry-After alone."""
    azure_emulator.openai.deploy_now("chat")
    azure_emulator.faults.add("429", path=r"/chat/completions$", seconds=0.4)
    azure_emulator.faults.add("429", path=r"/chat/completions$", seconds=2, retry_after_ms=False)
    answers = []
    with client(azure_emulator, max_retries=0) as c:
        for _ in range(2):
            with pytest.raises(openai.RateLimitError) as caught:
                c.chat.completions.create(
                    model="chat", messages=[{"role": "user", "content": "hi"}]
                )
            answers.append(caught.value)
    first, second = answers
    assert first.code == "429"
    assert first.message.endswith(
        "have exceeded token rate limit of your current AIServices S0 pricing tier. Please "
        "retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would "
        "like to further increase the default rate limit."
    )
    assert first.message.startswith(
        "Error code: 429 - "
        f"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version "
        f"{API_VERSION} have"
    )
    assert first.response.headers["retry-after-ms"] == "400"
    assert first.response.headers["retry-after"] == "1"
    assert first.response.headers["x-ratelimit-remaining-requests"] == "0"
    assert first.response.headers["x-ratelimit-remaining-tokens"] == "0"
    assert "retry-after-ms" not in second.response.headers
    assert "x-ms-retry-after-ms" not in second.response.headers
    assert second.response.headers["retry-after"] == "2"
    assert "Please retry after 2 seconds." in second.message
