"""Injected faults on submit and status: never a duplicate job, never a lost one.

Each fault hits the real SDK over real HTTP (the emulator's proxy answers 429/5xx, drops the
connection after the service handled the request, delays, or rejects the token).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tests.cloud.helpers import sp_session, training_files, wait_until
from tests.cloud.test_hub_route import _route as hub_route
from tests.cloud.test_openai_route import MODEL as OPENAI_MODEL
from tests.cloud.test_openai_route import _route as openai_route
from tunedesk.cloud.discovery import Discovery
from tunedesk.cloud.errors import NetworkProblem, SignInExpired
from tunedesk.cloud.routes.base import JobRef, JobRequest, JobState
from tunedesk.cloud.secrets import KeyringSecretStore

RETRIED = ["429", "500", "503", "drop_after", "slow"]
ALL = [*RETRIED, "expired_token"]


@pytest.mark.parametrize("kind", ALL)
def test_openai_submit_fault(azure_emulator: Emulator, tmp_path: Path, kind: str) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.3, steps=5)
    train, _ = training_files(tmp_path)
    journal: list[JobRef] = []

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            data = await route.upload(str(train), None)
            azure_emulator.faults.add(
                kind, method="POST", path=r"/openai/v1/fine_tuning/jobs$", seconds=0.3
            )
            request = JobRequest("f-" + kind, OPENAI_MODEL, data)
            if kind == "expired_token":
                with pytest.raises(SignInExpired):
                    await route.submit(request, journal.append)
                assert azure_emulator.openai.all_jobs() == []
            job = await route.submit(request, journal.append)  # (again) after signing in
            status = await wait_until(route, job, {JobState.SUCCEEDED})
            assert status.fine_tuned_model
        finally:
            await route.aclose()
            d.close()

    run(scenario())
    jobs = azure_emulator.openai.all_jobs()
    assert len(jobs) == 1
    assert journal[-1].job_id == jobs[0].id
    creates = azure_emulator.calls("POST", r"/openai/v1/fine_tuning/jobs$")
    lookups = azure_emulator.calls("GET", r"/openai/v1/fine_tuning/jobs$")
    if kind == "drop_after":
        # created by the dropped request, found by its tag, never sent again
        assert [c.status for c in creates] == [None]
        assert len(lookups) >= 2
    elif kind == "slow":
        assert len(creates) == 1
    else:
        assert [c.status for c in creates][-1] == 200
        assert len(creates) == 2
    assert all(c.json()["metadata"] == {"tunedesk_key": "f-" + kind} for c in creates)


@pytest.mark.parametrize("kind", ALL)
def test_openai_status_fault(azure_emulator: Emulator, tmp_path: Path, kind: str) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.3, steps=5)
    train, _ = training_files(tmp_path)

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            data = await route.upload(str(train), None)
            job = await route.submit(JobRequest("s-" + kind, OPENAI_MODEL, data), journal)
            azure_emulator.faults.add(
                kind, method="GET", path=r"/openai/v1/fine_tuning/jobs/ftjob-[^/]+$", seconds=0.3
            )
            if kind == "expired_token":
                with pytest.raises(SignInExpired):
                    await route.status(job)
            status = await wait_until(route, job, {JobState.SUCCEEDED})
            assert status.raw == "succeeded"
        finally:
            await route.aclose()
            d.close()

    def journal(ref: JobRef) -> None:
        pass

    run(scenario())
    assert len(azure_emulator.openai.all_jobs()) == 1
    faulted = [r for r in azure_emulator.requests if r.fault]
    assert len(faulted) == 1


@pytest.mark.parametrize("kind", ALL)
def test_hub_submit_fault(azure_emulator: Emulator, tmp_path: Path, kind: str) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, _ = training_files(tmp_path)
    journal: list[JobRef] = []
    name = "tunedesk-f-" + kind.replace("_", "-")

    async def scenario() -> None:
        route = await hub_route()
        try:
            data = await route.upload(str(train), None)
            azure_emulator.faults.add(kind, method="PUT", path=rf"/jobs/{name}$", seconds=0.3)
            request = JobRequest("f-" + kind, "Phi-4-mini-instruct", data)
            if kind == "expired_token":
                with pytest.raises(SignInExpired):
                    await route.submit(request, journal.append)
                assert azure_emulator.aml.jobs_named(name) == []
            job = await route.submit(request, journal.append)
            await wait_until(route, job, {JobState.SUCCEEDED})
        finally:
            await route.aclose()

    run(scenario())
    assert len(azure_emulator.aml.jobs_named(name)) == 1
    assert journal[-1].job_id == name
    puts = [
        (r.method, r.status)
        for r in azure_emulator.calls(path=rf"/jobs/{name}$")
        if r.method == "PUT"
    ]
    if kind == "drop_after":
        assert puts == [("PUT", None)]  # adopted after the lookup, never re-sent
    elif kind == "slow":
        assert len(puts) == 1
    else:
        assert len(puts) == 2
        # between the failed and the good PUT, the route looked the job up by name
        seq = [(r.method, r.status) for r in azure_emulator.calls(path=rf"/jobs/{name}$")]
        first_put = seq.index(puts[0])
        assert ("GET", 404) in seq[first_put:]


@pytest.mark.parametrize("kind", ALL)
def test_hub_status_fault(azure_emulator: Emulator, tmp_path: Path, kind: str) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.2)
    train, _ = training_files(tmp_path)
    name = "tunedesk-s-" + kind.replace("_", "-")

    async def scenario() -> None:
        route = await hub_route()
        try:
            data = await route.upload(str(train), None)
            job = await route.submit(
                JobRequest("s-" + kind, "Phi-4-mini-instruct", data), lambda ref: None
            )
            azure_emulator.faults.add(kind, method="GET", path=rf"/jobs/{name}$", seconds=0.3)
            if kind == "expired_token":
                with pytest.raises(SignInExpired):
                    await route.status(job)
            status = await wait_until(route, job, {JobState.SUCCEEDED})
            assert status.raw == "Completed"
        finally:
            await route.aclose()

    run(scenario())
    assert len(azure_emulator.aml.jobs_named(name)) == 1


def test_arm_throttling_honours_retry_after(azure_emulator: Emulator) -> None:
    azure_emulator.faults.add("429", method="GET", path=r"^/subscriptions$", seconds=1.0)

    async def scenario() -> None:
        session = await sp_session(KeyringSecretStore())
        d = Discovery(session)
        try:
            assert await d.list_subscriptions()
        finally:
            d.close()

    run(scenario())
    calls = azure_emulator.calls("GET", r"^/subscriptions$")
    assert [c.status for c in calls[:2]] == [429, 200]
    assert calls[1].time - calls[0].time >= 0.9


def test_unreachable_proxy_is_a_network_problem(
    azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tunedesk.cloud.errors import NetworkProblem

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")

    async def scenario() -> None:
        from tunedesk.cloud import auth

        start = time.monotonic()
        with pytest.raises(NetworkProblem):
            await auth.sign_in_service_principal(
                "72f988bf-86f1-41af-91ab-2d7cd011db47", "x", KeyringSecretStore(), secret="y"
            )
        assert time.monotonic() - start < 60

    run(scenario())


def test_openai_create_is_not_sent_again_when_no_lookup_answers(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    """The create arrived but its answer was lost, and every lookup failed too: submit
    raises instead of sending a second create; the journaled job is found later."""
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=30.0, steps=5)
    train, _ = training_files(tmp_path)
    journal: list[JobRef] = []

    async def scenario() -> None:
        route, d = await openai_route()
        try:
            data = await route.upload(str(train), None)
            azure_emulator.faults.add(
                "drop_after", method="POST", path=r"/openai/v1/fine_tuning/jobs$"
            )
            azure_emulator.faults.add(
                "drop_before",
                method="GET",
                path=r"/openai/v1/fine_tuning/jobs$",
                times=40,
                after_calls=1,
            )
            with pytest.raises(NetworkProblem):
                await route.submit(JobRequest("lost", OPENAI_MODEL, data), journal.append)
            assert [r.job_id for r in journal] == [""]
            azure_emulator.faults.clear()  # the network is back
            found = await route.find_job("lost")
            assert found is not None
            assert found.job_id == azure_emulator.openai.all_jobs()[0].id
            await route.cancel(found)
        finally:
            await route.aclose()
            d.close()

    run(scenario())
    assert len(azure_emulator.openai.all_jobs()) == 1
    assert len(azure_emulator.calls("POST", r"/openai/v1/fine_tuning/jobs$")) == 1
