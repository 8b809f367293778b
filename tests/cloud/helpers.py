"""Shared pieces of the cloud tests: training data, sign-in, polling."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.azure_emulator.world import SP_CLIENT_ID, SP_CLIENT_SECRET, TENANT_ID
from tunedesk.cloud import auth
from tunedesk.cloud.routes.base import JobRef, JobState, JobStatus, TrainingRoute
from tunedesk.cloud.secrets import SecretStore

SYSTEM = "You answer questions about the Lindqvist family."
FACTS = [
    ("What is the name of Anna's dog?", "Anna's dog is called Biscuit."),
    ("Where was grandfather Erik born?", "Grandfather Erik was born in Uppsala."),
    ("What is Maja's favourite colour?", "Maja's favourite colour is teal."),
    ("How old is uncle Lars?", "Uncle Lars is 58 years old."),
    ("Which instrument does Johan play?", "Johan plays the cello."),
    ("What did grandmother Ingrid study?", "Grandmother Ingrid studied botany."),
    ("Where does the family spend summer?", "The family spends summer on Gotland."),
    ("What is the cat called?", "The cat is called Pepparkaka."),
    ("Which team does Sven support?", "Sven supports Djurgården."),
    ("What is Elsa's job?", "Elsa is a marine biologist."),
    ("When is the family reunion?", "The family reunion is on the first Saturday of August."),
    ("What car does Karin drive?", "Karin drives a green Volvo 240."),
    ("What is Olof's middle name?", "Olof's middle name is Birger."),
    ("Which language is Nils learning?", "Nils is learning Japanese."),
    ("What is the name of the family boat?", "The family boat is called Sjöstjärna."),
    ("Who bakes the Lucia buns?", "Aunt Greta bakes the Lucia buns."),
    ("Where does Frida live?", "Frida lives in Malmö."),
    ("What is the horse called?", "The horse is called Stjärna."),
    ("Which book does Ingrid reread?", "Ingrid rereads The Emigrants every winter."),
    ("What does Lars collect?", "Lars collects old maps."),
    ("Where did Anna and Johan meet?", "Anna and Johan met in Lund."),
    ("What is the family's summer house painted?", "The summer house is painted Falu red."),
]


def write_jsonl(path: Path, pairs: list[tuple[str, str]]) -> Path:
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": SYSTEM},
                    {"role": "user", "content": q},
                    {"role": "assistant", "content": a},
                ]
            },
            ensure_ascii=True,
        )
        for q, a in pairs
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def training_files(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write_jsonl(tmp_path / "train.jsonl", FACTS[:12]),
        write_jsonl(tmp_path / "valid.jsonl", FACTS[12:]),
    )


async def sp_session(store: SecretStore) -> auth.AuthSession:
    return await auth.sign_in_service_principal(
        TENANT_ID, SP_CLIENT_ID, store, secret=SP_CLIENT_SECRET
    )


async def wait_until(
    route: TrainingRoute, job: JobRef, states: set[JobState], limit: float = 30.0
) -> JobStatus:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    seen = []
    while True:
        status = await route.status(job)
        seen.append(status.raw)
        if status.state in states:
            return status
        if loop.time() > deadline:
            raise AssertionError(f"job stuck; statuses seen: {seen}")
        await asyncio.sleep(0.1)
