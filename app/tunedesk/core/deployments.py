"""Deployments as the project remembers them: :class:`DeploymentRecord` and
:class:`DeploymentHistory` (issue 9; the Deploy page and the "still billed" reminder).

What a deployment costs, in the words the Deploy page uses (AZURE.md 1.8, 2.4 and 9):

- A fine-tuned model deployed as Standard / Global Standard (resource route) or as a
  serverless endpoint (hub route) is billed **per hour for as long as it exists**, used or
  not: :meth:`DeploymentRecord.billing_sentence` says the hourly price and the cost so far,
  counted in started hours (so the figure never understates what Azure may charge).
- A **Developer** deployment (``developertier``) has no hourly fee and Azure removes it 24
  hours after it was created (:data:`DEVELOPER_LIFETIME`).
- A **base model** deployment (not tuned) has no hourly hosting fee: it is billed per token.

The record holds no secret: ``key_account`` is the name of the keyring entry holding the
endpoint key (hub route), never the key.

Plain Python: no Qt, no cloud imports (the cloud layer's ``Deployment`` maps onto this).
"""

from __future__ import annotations

import builtins
import logging
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tunedesk.core.i18n import Text, lazy
from tunedesk.core.jobs import RouteName
from tunedesk.core.project import Project
from tunedesk.core.records import RecordHistory
from tunedesk.core.records import read_float as _float
from tunedesk.core.records import read_str as _str
from tunedesk.core.records import read_time as _time

log = logging.getLogger(__name__)

RECORD_KIND = "deployment"  # Project records of this kind
DEVELOPER_SKUS = frozenset({"developertier", "developer"})  # ARM sku.name / the CLI's word
DEVELOPER_LIFETIME = timedelta(hours=24)
# Provisioning states after which nothing runs (ARM provisioningState, the SDK's snake case).
_ENDED_STATES = frozenset({"failed", "canceled", "cancelled", "deleting", "deleted"})


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime:
    """``moment`` (now when None), a naive one read as UTC."""
    if moment is None:
        return _now()
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def is_developer_sku(sku: str) -> bool:
    return sku.strip().lower() in DEVELOPER_SKUS


def money(value: float, currency: str) -> str:
    """``$1.70`` for US dollars, ``1.70 EUR`` otherwise."""
    amount = f"{value:,.2f}"
    return f"${amount}" if currency.upper() == "USD" else f"{amount} {currency}".strip()


def _duration(elapsed: timedelta) -> Text:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return lazy.translate("Deployments", "{minutes} min").format(minutes=rest)
    if hours < 48:
        if rest == 0:
            return lazy.translate("Deployments", "{hours} h").format(hours=hours)
        return lazy.translate("Deployments", "{hours} h {minutes} min").format(
            hours=hours, minutes=rest
        )
    days, hours = divmod(hours, 24)
    return lazy.translate("Deployments", "{days} days {hours} h").format(days=days, hours=hours)


def _started_hours(elapsed: timedelta) -> int:
    return max(1, math.ceil(elapsed.total_seconds() / 3600 - 1e-9))


# ----------------------------------------------------------------------------- the record
@dataclass(frozen=True, slots=True)
class DeploymentRecord:
    """Everything the project keeps about one deployment (immutable: use ``replace``)."""

    name: str  # the deployment / endpoint name on Azure
    route: RouteName
    model: str  # the deployed model id (fine-tuned model, checkpoint model or base model)
    created_at: datetime
    id: str = ""  # the record's own key ("" becomes a fresh one in new())
    job_client_key: str = ""  # the JobRecord whose model this is ("" for a base model)
    checkpoint_id: str = ""  # ftchkpt-… when a checkpoint was deployed
    sku: str = ""  # deployment type: standard, GlobalStandard, developertier, Consumption
    endpoint: str = ""  # scoring URI (hub) or resource endpoint (openai)
    target: str = ""  # workspace ARM id or resource endpoint (the cloud Deployment's target)
    state: str = ""  # provisioning state as reported
    key_account: str = ""  # keyring account name of the endpoint key: never the key
    expires_at: datetime | None = None  # Developer: created_at + 24 h
    hourly_price: float | None = None  # hosting per hour in ``currency``; None: unknown
    currency: str = "USD"
    deleted_at: datetime | None = None
    base_model: bool = False  # a base model deployment (no tuning): billed per token

    @classmethod
    def new(
        cls, name: str, route: RouteName, model: str, *, sku: str = "", **values: Any
    ) -> DeploymentRecord:
        """A record for a deployment about to be created: a fresh id, created now, and for
        a Developer deployment the time Azure removes it."""
        values.setdefault("id", uuid.uuid4().hex)
        created = values.setdefault("created_at", _now())
        if is_developer_sku(sku):
            values.setdefault("expires_at", created + DEVELOPER_LIFETIME)
        return cls(name=name, route=route, model=model, sku=sku, **values)

    # -- state --------------------------------------------------------------------------
    @property
    def developer(self) -> bool:
        return is_developer_sku(self.sku)

    @property
    def billed_hourly(self) -> bool:
        """A fine-tuned model hosted on anything but Developer is billed every hour."""
        return not self.base_model and not self.developer

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and _aware(now) >= self.expires_at

    def is_active(self, now: datetime | None = None) -> bool:
        """Not deleted by TuneDesk, and not past the time Azure removes it."""
        return self.deleted_at is None and not self.expired(now)

    @property
    def active(self) -> bool:
        """:meth:`is_active` now."""
        return self.is_active()

    def billed_at(self, now: datetime | None = None) -> bool:
        """Still costing money every hour at ``now``: active, billed hourly, and not in a
        failed/cancelled/deleting state."""
        return (
            self.is_active(now)
            and self.billed_hourly
            and self.state.strip().lower() not in _ENDED_STATES
        )

    def deleted(self, when: datetime | None = None) -> DeploymentRecord:
        return replace(self, deleted_at=when or _now())

    # -- words --------------------------------------------------------------------------
    def billing_sentence(self, now: datetime) -> Text:
        """What it costs, in one sentence: "Billed about $1.70 per hour while it exists;
        running for 3 h so far (about $5.10)", "No hourly fee; Azure removes it on
        2026-12-04 at 14:05", "Deleted". Times are shown in ``now``'s time zone (a naive
        ``now`` is UTC)."""
        now = _aware(now)
        if self.deleted_at is not None:
            return lazy.translate("Deployments", "Deleted")
        if self.developer:
            if self.expires_at is None:
                return lazy.translate(
                    "Deployments", "No hourly fee; Azure removes it 24 hours after it was created"
                )
            local = self.expires_at.astimezone(now.tzinfo)
            date, time = local.strftime("%Y-%m-%d"), local.strftime("%H:%M")
            if now >= self.expires_at:
                return lazy.translate(
                    "Deployments", "No hourly fee; Azure removed it on {date} at {time}"
                ).format(date=date, time=time)
            return lazy.translate(
                "Deployments", "No hourly fee; Azure removes it on {date} at {time}"
            ).format(date=date, time=time)
        if self.base_model:
            return lazy.translate(
                "Deployments", "No hourly fee; billed for the words it reads and writes"
            )
        elapsed = max(now - self.created_at, timedelta(0))
        if self.hourly_price is None:
            return lazy.translate(
                "Deployments",
                "Billed per hour while it exists (no published price); running for {elapsed} "
                "so far",
            ).format(elapsed=_duration(elapsed))
        cost = self.hourly_price * _started_hours(elapsed)
        return lazy.translate(
            "Deployments",
            "Billed about {price} per hour while it exists; running for {elapsed} so far "
            "(about {cost})",
        ).format(
            price=money(self.hourly_price, self.currency),
            elapsed=_duration(elapsed),
            cost=money(cost, self.currency),
        )

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.isoformat() if isinstance(value, datetime) else value
        return out

    @classmethod
    def from_json(cls, data: Any) -> DeploymentRecord:
        """A record from :meth:`to_json` output; missing or mistyped values get their
        defaults. Raises ValueError without an id, a name or a known route."""
        if not isinstance(data, dict):
            raise ValueError("a deployment record must be a JSON object")
        record_id, name, route = data.get("id"), data.get("name"), data.get("route")
        if not isinstance(record_id, str) or not record_id:
            raise ValueError("a deployment record needs an id")
        if not isinstance(name, str) or not name:
            raise ValueError("a deployment record needs a name")
        if route not in ("hub", "openai"):
            raise ValueError(f"unknown route {route!r}")
        price = _float(data.get("hourly_price"))
        return cls(
            name=name,
            route="hub" if route == "hub" else "openai",
            model=_str(data.get("model")),
            created_at=_time(data.get("created_at")) or datetime.fromtimestamp(0, UTC),
            id=record_id,
            job_client_key=_str(data.get("job_client_key")),
            checkpoint_id=_str(data.get("checkpoint_id")),
            sku=_str(data.get("sku")),
            endpoint=_str(data.get("endpoint")),
            target=_str(data.get("target")),
            state=_str(data.get("state")),
            key_account=_str(data.get("key_account")),
            expires_at=_time(data.get("expires_at")),
            hourly_price=price if price is not None and price >= 0 else None,
            currency=_str(data.get("currency"), "USD") or "USD",
            deleted_at=_time(data.get("deleted_at")),
            base_model=data.get("base_model") is True,
        )


def still_billed(
    records: Iterable[DeploymentRecord], now: datetime | None = None
) -> list[DeploymentRecord]:
    """The records still costing money every hour at ``now`` (:meth:`DeploymentRecord.
    billed_at`), oldest first: the ones to offer to delete before closing."""
    moment = _aware(now)
    return sorted((r for r in records if r.billed_at(moment)), key=lambda r: r.created_at)


# ----------------------------------------------------------------------------- the history
class DeploymentHistory(RecordHistory[DeploymentRecord]):
    """The deployment records of one project (record kind ``"deployment"``, keyed by
    ``id``), newest first.

    ``add``/``update`` queue the change; ``flush=True`` waits until it is on disk (do that
    before the create request leaves, so a deployment that may exist is never forgotten).
    """

    def __init__(self, project: Project) -> None:
        super().__init__(project, RECORD_KIND, DeploymentRecord, key=lambda r: r.id)

    def _check(self, record: DeploymentRecord) -> None:
        if not record.id:
            raise ValueError("a deployment record needs an id (use DeploymentRecord.new)")

    def active(self, now: datetime | None = None) -> builtins.list[DeploymentRecord]:
        """Records not deleted and not past their removal time, newest first."""
        moment = _aware(now)
        return [r for r in self.list() if r.is_active(moment)]

    def still_billed(self, now: datetime | None = None) -> builtins.list[DeploymentRecord]:
        return still_billed(self.list(), now)

    def for_job(self, client_key: str) -> builtins.list[DeploymentRecord]:
        """The deployments of one training job's model, newest first."""
        return [r for r in self.list() if r.job_client_key == client_key]

    def mark_deleted(
        self, record_id: str, when: datetime | None = None, *, flush: bool = False
    ) -> DeploymentRecord | None:
        """Record that the deployment was deleted; None when there is no such record."""
        record = self.get(record_id)
        if record is None:
            return None
        return self.update(record.deleted(when), flush=flush)


__all__ = [
    "DEVELOPER_LIFETIME",
    "DEVELOPER_SKUS",
    "RECORD_KIND",
    "DeploymentHistory",
    "DeploymentRecord",
    "is_developer_sku",
    "money",
    "still_billed",
]
