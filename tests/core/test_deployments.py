"""Deployment records, what they cost in words, and the project's history (core/deployments.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tunedesk.core import i18n
from tunedesk.core.dataset import Dataset
from tunedesk.core.deployments import (
    DEVELOPER_LIFETIME,
    RECORD_KIND,
    DeploymentHistory,
    DeploymentRecord,
    is_developer_sku,
    money,
    still_billed,
)
from tunedesk.core.project import Project

T0 = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
FAKE_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = Project.create(tmp_path / "deployments.tunedesk", Dataset())
    yield p
    if not p.closed:
        p.close()


def _standard(**changes: object) -> DeploymentRecord:
    record = DeploymentRecord.new(
        "family-ft",
        "openai",
        "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef",
        sku="GlobalStandard",
        created_at=T0,
        job_client_key="k" * 32,
        endpoint="https://contoso.openai.azure.com",
        target="https://contoso.openai.azure.com",
        state="Succeeded",
        hourly_price=1.70,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def _developer(**changes: object) -> DeploymentRecord:
    record = DeploymentRecord.new(
        "family-dev", "openai", "gpt-4.1-mini.ft-1", sku="developertier", created_at=T0
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def _serverless(**changes: object) -> DeploymentRecord:
    record = DeploymentRecord.new(
        "phi-ft-ep",
        "hub",
        "azureml://locations/westus/workspaces/w/models/phi-ft/versions/1",
        sku="Consumption",
        created_at=T0,
        endpoint="https://phi-ft-ep.westus.models.ai.azure.com",
        key_account="endpoint-key:/subscriptions/s/endpoints/phi-ft-ep",
        state="succeeded",
    )
    return replace(record, **changes)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- the record
def test_new_records() -> None:
    a, b = _standard(), _standard()
    assert a.id
    assert a.id != b.id
    assert a.expires_at is None
    assert a.billed_hourly
    dev = _developer()
    assert dev.developer
    assert dev.expires_at == T0 + timedelta(hours=24) == T0 + DEVELOPER_LIFETIME
    assert not dev.billed_hourly
    assert is_developer_sku(" Developer ")
    assert not is_developer_sku("GlobalStandard")
    fresh = DeploymentRecord.new("x", "openai", "m")
    assert fresh.created_at.tzinfo is not None


def test_active_and_still_billed() -> None:
    dev = _developer()
    assert dev.is_active(T0 + timedelta(hours=23, minutes=59))
    assert not dev.is_active(T0 + timedelta(hours=24))
    assert dev.is_active(datetime(2026, 12, 3, 20, 0))  # naive: read as UTC
    deleted = _standard().deleted(T0 + timedelta(hours=2))
    assert not deleted.is_active(T0 + timedelta(hours=1))
    assert not deleted.active
    assert _standard().active

    now = T0 + timedelta(hours=5)
    older = _serverless(created_at=T0 - timedelta(days=1))
    records = [
        _standard(),
        dev,  # no hourly fee
        deleted,
        _standard(state="Failed"),
        _standard(state="Deleting"),
        _standard(base_model=True),  # per token
        older,
    ]
    assert still_billed(records, now) == [older, records[0]]  # oldest first


def test_billing_sentences() -> None:
    record = _standard()
    assert str(record.billing_sentence(T0 + timedelta(hours=3))) == (
        "Billed about $1.70 per hour while it exists; running for 3 h so far (about $5.10)"
    )
    # started hours: 2 h 10 min is charged as 3 hours, never less
    assert str(record.billing_sentence(T0 + timedelta(hours=2, minutes=10))) == (
        "Billed about $1.70 per hour while it exists; running for 2 h 10 min so far (about $5.10)"
    )
    assert str(record.billing_sentence(T0 + timedelta(minutes=4))).endswith(
        "running for 4 min so far (about $1.70)"
    )
    # 73 h 1 min: 74 started hours
    assert "running for 3 days 1 h so far (about $125.80)" in str(
        record.billing_sentence(T0 + timedelta(days=3, hours=1, minutes=1))
    )
    assert "0 min" in str(record.billing_sentence(T0 - timedelta(hours=1)))  # clock skew
    euros = _standard(hourly_price=1234.5, currency="EUR")
    assert "1,234.50 EUR per hour" in str(euros.billing_sentence(T0 + timedelta(hours=1)))
    unknown = _serverless()
    assert str(unknown.billing_sentence(T0 + timedelta(hours=3))) == (
        "Billed per hour while it exists (no published price); running for 3 h so far"
    )
    dev = _developer()
    assert str(dev.billing_sentence(T0 + timedelta(hours=1))) == (
        "No hourly fee; Azure removes it on 2026-12-04 at 14:05"
    )
    beijing = timezone(timedelta(hours=8))
    assert str(dev.billing_sentence(datetime(2026, 12, 4, 0, 0, tzinfo=beijing))) == (
        "No hourly fee; Azure removes it on 2026-12-04 at 22:05"  # shown in now's zone
    )
    assert str(dev.billing_sentence(T0 + timedelta(days=2))) == (
        "No hourly fee; Azure removed it on 2026-12-04 at 14:05"
    )
    assert "24 hours" in str(_developer(expires_at=None).billing_sentence(T0))
    assert "No hourly fee" in str(_standard(base_model=True).billing_sentence(T0))
    assert str(record.deleted(T0).billing_sentence(T0)) == "Deleted"


def test_billing_sentence_is_translated_when_shown() -> None:
    text = _standard().billing_sentence(T0 + timedelta(hours=3))
    assert text.context == "Deployments"
    assert text.kwargs["price"] == "$1.70"
    assert text.kwargs["cost"] == "$5.10"
    assert money(0.5, "usd") == "$0.50"
    assert money(3, "CNY") == "3.00 CNY"


def test_json_round_trip_and_no_secret() -> None:
    for record in [
        _standard(),
        _developer(),
        _serverless().deleted(T0),
        _standard(base_model=True),
    ]:
        data = json.loads(json.dumps(record.to_json()))
        assert DeploymentRecord.from_json(data) == record
    # only the keyring account's name is kept, and nothing looks like a key
    assert FAKE_KEY not in json.dumps(_serverless().to_json())
    assert set(_serverless().to_json()) >= {"key_account", "hourly_price", "expires_at"}
    assert "key" not in {k for k in _serverless().to_json() if k != "key_account"}


def test_from_junk() -> None:
    with pytest.raises(ValueError, match="object"):
        DeploymentRecord.from_json("junk")
    with pytest.raises(ValueError, match="id"):
        DeploymentRecord.from_json({"name": "n", "route": "openai"})
    with pytest.raises(ValueError, match="name"):
        DeploymentRecord.from_json({"id": "i", "route": "openai"})
    with pytest.raises(ValueError, match="route"):
        DeploymentRecord.from_json({"id": "i", "name": "n", "route": "aws"})
    record = DeploymentRecord.from_json(
        {
            "id": "i",
            "name": "n",
            "route": "hub",
            "model": 3,
            "created_at": "not a date",
            "expires_at": "2026-12-04T14:05:00",  # naive: UTC
            "hourly_price": -2,
            "currency": None,
            "base_model": "yes",
            "deleted_at": 5,
            "unknown": {"x": 1},
        }
    )
    assert record.model == ""
    assert record.created_at == datetime.fromtimestamp(0, UTC)
    assert record.expires_at == datetime(2026, 12, 4, 14, 5, tzinfo=UTC)
    assert record.hourly_price is None
    assert record.currency == "USD"
    assert record.base_model is False
    assert record.deleted_at is None
    assert (
        DeploymentRecord.from_json(
            {"id": "i", "name": "n", "route": "openai", "hourly_price": float("inf")}
        ).hourly_price
        is None
    )


# ----------------------------------------------------------------------------- the history
def test_history(project: Project) -> None:
    history = DeploymentHistory(project)
    old = _serverless(created_at=T0 - timedelta(days=2))
    dev = _developer()
    new = _standard(created_at=T0 + timedelta(hours=1))
    for record in (old, dev, new):
        history.add(record)
    history.flush()
    with pytest.raises(ValueError, match="exists"):
        history.add(old)
    with pytest.raises(ValueError, match="id"):
        history.add(replace(new, id=""))
    assert [r.id for r in history.list()] == [new.id, dev.id, old.id]
    assert history.get(dev.id) == dev
    assert history.get("missing") is None
    now = T0 + timedelta(days=2)
    assert [r.id for r in history.active(now)] == [new.id, old.id]  # dev has expired
    assert [r.id for r in history.still_billed(now)] == [old.id, new.id]
    assert [r.id for r in history.for_job("k" * 32)] == [new.id]
    gone = history.mark_deleted(old.id, now, flush=True)
    assert gone is not None
    assert gone.deleted_at == now
    assert history.get(old.id) == gone
    assert history.mark_deleted("missing") is None
    assert [r.id for r in history.still_billed(now)] == [new.id]
    updated = history.update(replace(new, state="Updating"))
    assert history.get(new.id) == updated
    project.put_record(RECORD_KIND, "broken", {"id": "broken"})
    assert len(history.list()) == 3
    assert history.get("broken") is None


def test_history_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "reopen.tunedesk"
    record = _serverless()
    with Project.create(path, Dataset()) as p:
        DeploymentHistory(p).add(record, flush=True)
    with Project.open(path) as p:
        assert DeploymentHistory(p).list() == [record]
