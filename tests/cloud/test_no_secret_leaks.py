"""Full flows with DEBUG logging on: no key, secret or token may appear in the log or in any
file the app wrote under the user folders."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SP_CLIENT_SECRET
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, sp_session, training_files, wait_until
from tests.cloud.test_hub_route import _route as hub_route
from tests.cloud.test_openai_route import MODEL
from tunedesk.cloud import auth
from tunedesk.cloud.discovery import Discovery
from tunedesk.cloud.routes.base import JobRequest, JobState
from tunedesk.cloud.routes.openai_route import OpenAIRoute
from tunedesk.cloud.secrets import KeyringSecretStore


def _secrets(emulator: Emulator) -> set[str]:
    values = {SP_CLIENT_SECRET}
    for account in emulator.openai.accounts.values():
        values |= {account.key1, account.key2}
    values |= set(emulator.world.tokens)  # every access token the emulated Entra issued
    aml = emulator.aml
    values.add(aml.storage_account_key)
    values |= set(aml.sas_tokens)
    for ep in aml.endpoints.values():
        values |= {ep.primary_key, ep.secondary_key}
    return {v for v in values if v and len(v) >= 8}


def test_full_flows_leak_no_secret_into_logs_or_files(
    azure_emulator: Emulator,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    user_dirs: Path,
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.1, running=0.3, steps=4)
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.05, running=0.3)
    train, valid = training_files(tmp_path)
    question = [{"role": "user", "content": FACTS[0][0]}]
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        store = KeyringSecretStore()
        session = await sp_session(store)
        d = Discovery(session)
        resource = next(
            r for r in await d.list_ai_resources(azure_emulator.world.subscription_id)
            if r.name == "contoso-aoai-swc"
        )
        # Entra route: train, deploy, chat
        route = OpenAIRoute(resource.endpoint, session, store, resource=resource, discovery=d)
        data = await route.upload(str(train), str(valid))
        job = await route.submit(JobRequest("leak1", MODEL, data), lambda ref: None)
        await wait_until(route, job, {JobState.SUCCEEDED})
        await route.metrics(job)
        deployment = await route.deploy(job, "leak-ft")
        chat = await route.chat(deployment)
        await chat.complete(question)
        _ = [p async for p in chat.stream(question)]
        await chat.aclose()
        await route.aclose()
        # key route (key fetched with listKeys straight into the keyring)
        key_auth = await d.store_resource_key(resource, store)
        key_route = OpenAIRoute(resource.endpoint, key_auth, store)
        await key_route.status(job)
        await key_route.aclose()
        # hub route: train, deploy, chat with the endpoint key
        hub = await hub_route()
        hub_data = await hub.upload(str(train), None)
        hub_request = JobRequest("leak2", "Phi-4-mini-instruct", hub_data)
        hub_job = await hub.submit(hub_request, lambda ref: None)
        await wait_until(hub, hub_job, {JobState.SUCCEEDED})
        hub_dep = await hub.deploy(hub_job, "leak-phi")
        hub_chat = await hub.chat(hub_dep)
        await hub_chat.complete(question)
        await hub_chat.aclose()
        await hub.aclose()
        # sign-in record for the next launch
        await auth.restore_session(store)
        d.close()

    run(scenario())
    secrets = _secrets(azure_emulator)
    assert len(secrets) > 10
    log_text = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert len(caplog.records) > 50  # DEBUG logging really was on
    leaked = [
        f"{r.name}: {r.getMessage()[:300]}"
        for r in caplog.records
        for s in secrets
        if s in r.getMessage()
    ]
    assert leaked == []
    assert [s for s in secrets if s in log_text] == []
    written = [p for p in user_dirs.rglob("*") if p.is_file()]
    assert written  # at least the sign-in record
    for path in written:
        content = path.read_bytes().decode("utf-8", "replace")
        assert [s for s in secrets if s in content] == [], path
