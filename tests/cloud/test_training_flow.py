"""Prepare → submit once → watch, on both routes, through the emulator with the real SDKs.

Faults are the emulator's (dropped connections after the service acted, connections refused
before it did, failed jobs); the project file is real, and "the app was killed" is a copy of
the project file and its WAL taken while the app was running (what a crash leaves on disk),
opened by a new JobHistory.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.cloud.conftest import run
from tests.cloud.helpers import FACTS, SYSTEM
from tests.cloud.test_hub_route import MODEL as HUB_MODEL
from tests.cloud.test_hub_route import _route as hub_route
from tests.cloud.test_openai_route import MODEL as OPENAI_MODEL
from tests.cloud.test_openai_route import _route as openai_route
from tunedesk.cloud.errors import NetworkProblem
from tunedesk.cloud.routes.base import Hyperparameters, JobRequest, TrainingRoute, UploadedData
from tunedesk.cloud.training import (
    PollPlan,
    PreparedData,
    Watch,
    WatchUpdate,
    cancel_job,
    prepare_files,
    remaining_estimate,
    resume,
    submit_once,
)
from tunedesk.core.dataset import Dataset, Example
from tunedesk.core.export import plan_split
from tunedesk.core.jobs import JobHistory, JobRecord
from tunedesk.core.project import Project

FAST = PollPlan(fast=0.05, slow=0.05, fast_for=60.0, jitter=0.2, retry_first=0.05, retry_max=0.2)
ROUTES = ["openai", "hub"]
OPENAI_CREATE = r"/fine_tuning/jobs$"
OPENAI_STATUS = r"/fine_tuning/jobs/ftjob-[^/]+$"


def _dataset() -> Dataset:
    return Dataset(SYSTEM, [Example.qa(q, a) for q, a in FACTS])


class Flow:
    """One route + a real project + prepared files, for one scenario."""

    def __init__(self, kind: str, emulator: Emulator, tmp: Path) -> None:
        self.kind = kind
        self.emulator = emulator
        self.tmp = tmp
        self.project = Project.create(tmp / "family.tunedesk", _dataset())
        self.history = JobHistory(self.project)
        data = tmp / "data"
        data.mkdir(exist_ok=True)
        self.prepared = prepare_files(self.project.dataset, plan_split(_dataset(), 0.2), data)
        self.route: Any = None
        self._discovery: Any = None

    async def open(self) -> TrainingRoute:
        if self.kind == "openai":
            self.route, self._discovery = await openai_route()
        else:
            self.route = await hub_route()
        return self.route

    async def close(self) -> None:
        if self.route is not None:
            await self.route.aclose()
        if self._discovery is not None:
            self._discovery.close()

    def record(self) -> JobRecord:
        return JobRecord.new(
            "openai" if self.kind == "openai" else "hub",
            base_model=self.model,
            model_name=self.model,
            settings={"preset": "quick", "epochs": 2},
            estimate={"minutes": 1},
        )

    @property
    def model(self) -> str:
        return OPENAI_MODEL if self.kind == "openai" else HUB_MODEL

    def factory(self, upload: UploadedData) -> JobRequest:
        return JobRequest("", self.model, upload, Hyperparameters(epochs=2))

    def jobs(self) -> list[Any]:
        if self.kind == "openai":
            return self.emulator.openai.all_jobs()
        return self.emulator.aml.jobs_named("tunedesk-")

    def creates(self) -> list[Any]:
        if self.kind == "openai":
            return self.emulator.calls("POST", OPENAI_CREATE)
        return self.emulator.calls("PUT", r"/jobs/tunedesk-[^/]+$")

    def calls_uploads(self) -> list[Any]:
        if self.kind == "openai":
            return self.emulator.calls("POST", r"/files$")
        return self.emulator.calls("PUT", host=r"\.blob\.core\.windows\.net")

    def status_path(self) -> str:
        return OPENAI_STATUS if self.kind == "openai" else r"/jobs/tunedesk-[^/]+$"

    def slow_job(self) -> None:
        if self.kind == "openai":
            self.emulator.openai.timeline = Timeline(pending=0.2, running=30.0, steps=300)
        else:
            self.emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.1, running=30.0)

    def quick_job(self, *, failed: str | None = None) -> None:
        if self.kind == "openai":
            self.emulator.openai.timeline = Timeline(
                pending=0.2,
                running=0.8,
                steps=10,
                outcome="failed" if failed else "succeeded",
                error={"code": "invalidTrainingData", "message": failed} if failed else None,
            )
        else:
            self.emulator.aml.timeline = AmlTimeline(
                not_started=0.05,
                queued=0.1,
                running=0.8,
                outcome="Failed" if failed else "Completed",
                error=("UserError", failed) if failed else None,
            )

    def uploaded_bytes(self, record: JobRecord) -> bytes:
        if self.kind == "openai":
            return (
                self.emulator.openai.account("contoso-aoai-swc")
                .files[record.uploaded_training_file]
                .data
            )
        return self.emulator.aml.resolve_uri_bytes(record.uploaded_training_file)


def crash_image(project: Project, dest: Path) -> Path:
    """What is on disk right now (file + WAL), as if the app died this instant."""
    for suffix in ("", "-wal"):
        source = Path(str(project.path) + suffix)
        if source.exists():
            shutil.copyfile(source, str(dest) + suffix)
    return dest


async def until(check: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def scenario(flow: Flow, body: Callable[[], Awaitable[None]]) -> None:
    async def wrapped() -> None:
        await flow.open()
        try:
            await body()
        finally:
            await flow.close()

    try:
        run(wrapped())
    finally:
        if not flow.project.closed:
            flow.project.close()


# ----------------------------------------------------------------------------- full runs
@pytest.mark.parametrize("kind", ROUTES)
def test_full_run_to_succeeded_with_metrics_and_events(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    updates: list[WatchUpdate] = []
    seen_on_disk: list[JobRecord | None] = []

    def progress(done: int, total: int) -> None:
        if not seen_on_disk:  # the first progress report: the upload is leaving now
            image = crash_image(flow.project, tmp_path / "during-upload.tunedesk")
            with Project.open(image) as p:
                history = JobHistory(p)
                seen_on_disk.append(history.get(record.client_key))
                assert history.training_file(record.client_key) == (
                    flow.prepared.training_path.read_bytes()
                )

    record = flow.record()

    async def body() -> None:
        submitted = await submit_once(
            flow.route, flow.history, record, flow.prepared, flow.factory, progress=progress
        )
        assert submitted.state == "preparing"
        assert submitted.job_id
        assert submitted.uploaded_training_file
        assert submitted.submitted_at is not None
        final = await Watch(flow.route, flow.history, submitted, updates.append, plan=FAST).run()
        assert final.state == "succeeded", final
        assert final.fine_tuned_model
        assert final.error == ""
        assert len(final.metrics) >= 5
        assert [m[0] for m in final.metrics] == sorted({m[0] for m in final.metrics})
        assert all(m[1] is not None for m in final.metrics)
        assert final.events
        assert flow.history.get(record.client_key) == final
        assert flow.history.active() == []
        assert flow.uploaded_bytes(final) == flow.prepared.training_path.read_bytes()
        assert flow.history.training_file(record.client_key) == (
            flow.prepared.training_path.read_bytes()
        )

    scenario(flow, body)
    assert seen_on_disk
    assert seen_on_disk[0] is not None
    assert seen_on_disk[0].state == "uploading"
    assert seen_on_disk[0].training_sha256 == flow.prepared.training_sha256
    states = [u.record.state for u in updates]
    assert states[-1] == "succeeded"
    assert "running" in states
    assert all(u.connection == "ok" for u in updates)
    grown = [len(u.record.metrics) for u in updates]
    assert grown == sorted(grown)
    assert grown[-1] > grown[0]
    assert len(flow.jobs()) == 1
    # reopened, the history is all there
    path = flow.project.path
    with Project.open(path) as p:
        again = JobHistory(p).list()
        assert [r.state for r in again] == ["succeeded"]
        assert again[0].metrics == updates[-1].record.metrics


@pytest.mark.parametrize("kind", ROUTES)
def test_a_failed_job_says_why_in_plain_words(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    reason = "Line 3: example is missing an assistant message."
    flow.quick_job(failed=reason)

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        final = await Watch(flow.route, flow.history, record, plan=FAST).run()
        assert final.state == "failed"
        assert final.error == f"The training failed: {reason}"
        assert final.service_error == reason
        assert final.terminal

    scenario(flow, body)


@pytest.mark.parametrize("kind", ROUTES)
def test_cancel_while_running(azure_emulator: Emulator, tmp_path: Path, kind: str) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.slow_job()
    updates: list[WatchUpdate] = []

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        watch = Watch(flow.route, flow.history, record, updates.append, plan=FAST)
        task = asyncio.ensure_future(watch.run())
        await until(lambda: bool(updates) and updates[-1].record.state == "running", "running")
        cancelled = await cancel_job(flow.route, flow.history, watch.record)
        assert cancelled.state in ("cancelling", "cancelled")
        final = await asyncio.wait_for(task, 30)
        assert final.state == "cancelled"
        assert flow.history.get(record.client_key) == final
        assert remaining_estimate(final, datetime.now(UTC)) is None
        # cancelling a finished job changes nothing
        assert (await cancel_job(flow.route, flow.history, final)).state == "cancelled"

    scenario(flow, body)
    assert len(flow.jobs()) == 1


# ----------------------------------------------------------------------------- restarts
@pytest.mark.parametrize("kind", ROUTES)
def test_app_killed_mid_job_then_reopened_picks_it_up(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    if kind == "openai":
        azure_emulator.openai.timeline = Timeline(pending=0.2, running=3.0, steps=30)
    else:
        azure_emulator.aml.timeline = AmlTimeline(not_started=0.05, queued=0.1, running=3.0)
    image = tmp_path / "after-crash.tunedesk"

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        updates: list[WatchUpdate] = []
        task = asyncio.ensure_future(
            Watch(flow.route, flow.history, record, updates.append, plan=FAST).run()
        )
        await until(lambda: bool(updates) and updates[-1].record.state == "running", "running")
        crash_image(flow.project, image)  # the app dies here
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        with Project.open(image) as reopened:
            history = JobHistory(reopened)
            [active] = history.active()
            assert active.job_id == record.job_id
            picked = await resume(flow.route, history, active)
            assert picked.job_id == record.job_id
            final = await Watch(flow.route, history, picked, plan=FAST).run()
            assert final.state == "succeeded"
            assert final.metrics
            assert history.get(record.client_key) == final

    scenario(flow, body)
    assert len(flow.jobs()) == 1
    assert len(flow.creates()) == 1


@pytest.mark.parametrize("kind", ROUTES)
def test_app_killed_while_the_create_was_on_its_way(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    """The create request reached Azure (slowly), the app died before it heard back: the
    reopened project finds the job instead of creating a second one."""
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    create = OPENAI_CREATE if kind == "openai" else r"/jobs/tunedesk-[^/]+$"
    method = "POST" if kind == "openai" else "PUT"
    azure_emulator.faults.add("slow", method=method, path=create, seconds=1.0)
    image = tmp_path / "after-crash.tunedesk"

    async def body() -> None:
        record = flow.record()
        task = asyncio.ensure_future(
            submit_once(flow.route, flow.history, record, flow.prepared, flow.factory)
        )
        await until(lambda: bool(azure_emulator.calls(method, create)), "the create request")
        crash_image(flow.project, image)  # the app dies while the create is in flight
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await until(lambda: len(flow.jobs()) == 1, "the job to exist on the service")

        with Project.open(image) as reopened:
            history = JobHistory(reopened)
            [stored] = history.active()
            assert stored.state == "submitting"
            assert stored.uploaded_training_file
            picked = await resume(flow.route, history, stored, flow.factory)
            assert picked.state == "preparing"
            assert picked.job_id
            final = await Watch(flow.route, history, picked, plan=FAST).run()
            assert final.state == "succeeded"

    scenario(flow, body)
    assert len(flow.jobs()) == 1
    assert len(flow.creates()) == 1


# ----------------------------------------------------------------------------- faults
@pytest.mark.parametrize("kind", ROUTES)
def test_network_lost_while_watching_reconnects(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    updates: list[WatchUpdate] = []

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        # Every status call refused for a while: more than the SDK's own retries absorb.
        times = 6 if kind == "openai" else 5
        azure_emulator.faults.add("drop_before", method="GET", path=flow.status_path(), times=times)
        final = await Watch(flow.route, flow.history, record, updates.append, plan=FAST).run()
        assert final.state == "succeeded"

    scenario(flow, body)
    connections = [u.connection for u in updates]
    assert "reconnecting" in connections
    assert connections[-1] == "ok"
    lost = next(u for u in updates if u.connection == "reconnecting")
    assert lost.retry_in is not None
    assert lost.retry_in > 0
    assert lost.message is not None
    assert str(lost.message).startswith("Could not reach Azure. Checking again in")
    assert all(f.exhausted for f in azure_emulator.faults._faults)


def test_signin_expired_while_watching_waits_for_signing_in_again(
    azure_emulator: Emulator, tmp_path: Path
) -> None:
    flow = Flow("openai", azure_emulator, tmp_path)
    flow.quick_job()
    updates: list[WatchUpdate] = []

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        azure_emulator.faults.add("expired_token", method="GET", path=OPENAI_STATUS)
        watch = Watch(flow.route, flow.history, record, updates.append, plan=FAST)
        task = asyncio.ensure_future(watch.run())
        await until(lambda: bool(updates) and updates[-1].connection == "signin", "signin")
        await asyncio.sleep(0.3)
        assert not task.done()  # waits for the person, does not poll
        polls = len(azure_emulator.calls("GET", OPENAI_STATUS))
        await asyncio.sleep(0.3)
        assert len(azure_emulator.calls("GET", OPENAI_STATUS)) == polls
        watch.signed_in_again()
        final = await asyncio.wait_for(task, 30)
        assert final.state == "succeeded"

    scenario(flow, body)
    assert [u.connection for u in updates].count("signin") == 1
    assert updates[-1].connection == "ok"


@pytest.mark.parametrize(
    "kind",
    ["openai", "hub"],
)
def test_dropped_create_then_no_answers_is_resumed_without_a_second_job(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    """The create reached the service but its answer was lost, and the lookups failed too:
    submit_once raises; the record says "submitting"; resume finds the job."""
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    if kind == "openai":
        create, method, lookup = OPENAI_CREATE, "POST", r"/fine_tuning/jobs$"
    else:
        create, method, lookup = r"/jobs/tunedesk-[^/]+$", "PUT", r"/jobs/tunedesk-[^/]+$"

    async def body() -> None:
        record = flow.record()
        azure_emulator.faults.add("drop_after", method=method, path=create)
        # every lookup after it (the route's own retries included) is refused
        azure_emulator.faults.add("drop_before", method="GET", path=lookup, times=40, after_calls=1)
        try:
            again = await submit_once(flow.route, flow.history, record, flow.prepared, flow.factory)
        except NetworkProblem:
            stored = flow.history.get(record.client_key)
            assert stored is not None
            assert stored.state == "submitting"
            assert stored.error == "Could not reach Microsoft Azure."
            assert len(flow.jobs()) == 1  # it does exist
            azure_emulator.faults.clear()  # the network is back
            again = await submit_once(flow.route, flow.history, record, flow.prepared, flow.factory)
        # (the hub route may PUT the same job name again: that updates the one job)
        assert len(flow.jobs()) == 1
        assert again.state == "preparing"
        assert again.job_id
        final = await Watch(flow.route, flow.history, again, plan=FAST).run()
        assert final.state == "succeeded"

    scenario(flow, body)
    assert len(flow.jobs()) == 1


@pytest.mark.parametrize("kind", ROUTES)
def test_create_that_never_arrived_is_sent_by_a_later_attempt_once(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    """Every create attempt refused before it reached Azure: submit_once raises, the record
    stays "submitting"; the next attempt looks the job up, finds none and creates one."""
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    method = "POST" if kind == "openai" else "PUT"
    create = OPENAI_CREATE if kind == "openai" else r"/jobs/tunedesk-[^/]+$"
    azure_emulator.faults.add("drop_before", method=method, path=create, times=4)

    async def body() -> None:
        record = flow.record()
        with pytest.raises(NetworkProblem):
            await submit_once(flow.route, flow.history, record, flow.prepared, flow.factory)
        stored = flow.history.get(record.client_key)
        assert stored is not None
        assert stored.state == "submitting"
        assert not flow.jobs()
        assert await resume(flow.route, flow.history, stored) == stored  # no factory: waits
        uploads = len(flow.calls_uploads())
        assert uploads >= 1
        again = await resume(flow.route, flow.history, stored, flow.factory, prepared=flow.prepared)
        assert again.state == "preparing"
        assert again.uploaded_training_file == stored.uploaded_training_file  # not re-sent
        assert len(flow.calls_uploads()) == uploads
        final = await Watch(flow.route, flow.history, again, plan=FAST).run()
        assert final.state == "succeeded"

    scenario(flow, body)
    assert len(flow.jobs()) == 1
    assert [c.status for c in flow.creates()][-1] in (200, 201)


@pytest.mark.parametrize("kind", ROUTES)
def test_dropped_create_is_adopted_within_submit_once(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    method = "POST" if kind == "openai" else "PUT"
    create = OPENAI_CREATE if kind == "openai" else r"/jobs/tunedesk-[^/]+$"
    azure_emulator.faults.add("drop_after", method=method, path=create)

    async def body() -> None:
        record = await submit_once(
            flow.route, flow.history, flow.record(), flow.prepared, flow.factory
        )
        assert record.state == "preparing"
        final = await Watch(flow.route, flow.history, record, plan=FAST).run()
        assert final.state == "succeeded"
        assert final.job_id == flow.jobs()[0].id if kind == "openai" else final.job_id

    scenario(flow, body)
    assert len(flow.jobs()) == 1
    assert [c.status for c in flow.creates()] == [None]


@pytest.mark.parametrize("kind", ROUTES)
def test_upload_that_fails_is_sent_again_from_the_projects_copy(
    azure_emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    """The upload's connection fails every time: nothing is submitted, the record stays
    "uploading"; after a restart resume sends the project's exact copy and submits once."""
    flow = Flow(kind, azure_emulator, tmp_path)
    flow.quick_job()
    upload = r"/files$" if kind == "openai" else r"\.blob\.core\.windows\.net"
    if kind == "openai":
        azure_emulator.faults.add("drop_before", method="POST", path=upload, times=20)
    else:
        azure_emulator.faults.add("drop_before", method="PUT", host=upload, times=40)
    image = tmp_path / "after-crash.tunedesk"
    original = flow.prepared.training_path.read_bytes()

    async def body() -> None:
        record = flow.record()
        with pytest.raises(NetworkProblem):
            await submit_once(flow.route, flow.history, record, flow.prepared, flow.factory)
        stored = flow.history.get(record.client_key)
        assert stored is not None
        assert stored.state == "uploading"
        assert not flow.jobs()
        crash_image(flow.project, image)
        azure_emulator.faults.clear()
        # the table changes and the exported files are gone: the copy is what is sent
        flow.prepared.training_path.write_text("something else\n")
        with Project.open(image) as reopened:
            history = JobHistory(reopened)
            [active] = history.active()
            picked = await resume(
                flow.route, history, active, flow.factory, folder=tmp_path / "resend"
            )
            assert picked.state == "preparing"
            assert flow.uploaded_bytes(picked) == original
            final = await Watch(flow.route, history, picked, plan=FAST).run()
            assert final.state == "succeeded"

    scenario(flow, body)
    assert len(flow.jobs()) == 1
    assert len(flow.creates()) == 1


def test_remaining_estimate_from_steps() -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    record = JobRecord.new("openai", state="running", started_at=start, total_steps=100)
    assert remaining_estimate(record, start + timedelta(minutes=5)) is None  # no step yet
    record = record.with_metrics([[25, 1.0, None, None, None]])
    assert remaining_estimate(record, start + timedelta(minutes=10)) == timedelta(minutes=30)
    no_total = replace(record, total_steps=None)
    assert remaining_estimate(no_total, start + timedelta(minutes=10)) is None
    from_estimate = replace(no_total, estimate={"total_steps": 50})
    assert remaining_estimate(from_estimate, start + timedelta(minutes=10)) == timedelta(minutes=10)
    assert remaining_estimate(replace(record, state="succeeded"), start) is None


def test_prepare_files_writes_the_split_and_hashes(tmp_path: Path) -> None:
    import hashlib
    import json

    dataset = _dataset()
    plan = plan_split(dataset, 0.2)
    prepared: PreparedData = prepare_files(dataset, plan, tmp_path)
    lines = prepared.training_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == prepared.training_rows
    assert prepared.training_rows + prepared.validation_rows == len(FACTS)
    assert prepared.validation_rows == sum(1 for s in plan.values() if s == "validation")
    assert json.loads(lines[0])["messages"][0] == {"role": "system", "content": SYSTEM}
    assert (
        prepared.training_sha256 == hashlib.sha256(prepared.training_path.read_bytes()).hexdigest()
    )
    assert prepared.validation_path is not None
    assert len(prepared.data_version) == 12
    assert prepare_files(dataset, plan, tmp_path).data_version == prepared.data_version
    no_validation = prepare_files(dataset, 0.0, tmp_path)
    assert no_validation.validation_path is None
    assert not (tmp_path / "validation.jsonl").exists()
    assert no_validation.data_version != prepared.data_version
