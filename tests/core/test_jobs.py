"""Job records and the exact file copies a project keeps (core/jobs.py, no cloud)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tunedesk.core.dataset import Dataset, Example
from tunedesk.core.errors import FileProblem
from tunedesk.core.jobs import (
    RECORD_KIND,
    JobHistory,
    JobRecord,
    data_version,
    new_client_key,
)
from tunedesk.core.project import Project, ProjectWriteError


def _record(**changes: object) -> JobRecord:
    base = JobRecord.new(
        "openai",
        place_id="/subscriptions/s/resourceGroups/g/providers/x/accounts/a",
        place_name="contoso-aoai-swc",
        location="swedencentral",
        base_model="gpt-4.1-mini-2025-04-14",
        model_name="GPT-4.1 mini",
        settings={"preset": "balanced", "epochs": 3, "nested": {"a": [1, 2]}},
        training_type="globalstandard",
        data_version="abc123def456",
        training_sha256="0" * 64,
        validation_sha256=None,
        training_rows=12,
        validation_rows=0,
        training_tokens=1234,
        estimate={"minutes": 40, "cost": 1.5},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "jobs.tunedesk", Dataset("p", [Example.qa("q", "a")]))
    yield p  # type: ignore[misc]
    if not p.closed:
        p.close()


def test_client_keys_are_unique_and_fit_job_names() -> None:
    keys = {new_client_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(len(k) == 32 and k.isalnum() and k == k.lower() for k in keys)


def test_record_round_trip_keeps_every_field() -> None:
    now = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
    record = _record(
        job_id="ftjob-1",
        state="running",
        raw_status="running",
        error="The training failed: x",
        service_error="x",
        fine_tuned_model="m.ft-1",
        finished_at=now + timedelta(hours=1),
        trained_tokens=999,
        uploaded_training_file="file-1",
        uploaded_validation_file="file-2",
        submitted_at=now,
        metrics=((1, 2.5, None, 0.1, None), (2, 2.0, 1.9, 0.2, 0.3)),
        events=({"time": now.isoformat(), "level": "info", "message": "Training started."},),
        target="https://x.openai.azure.com",
        output_name="out",
        started_at=now,
        total_steps=20,
    )
    data = record.to_json()
    assert data["created_at"] == record.created_at.isoformat()
    assert data["metrics"] == [[1, 2.5, None, 0.1, None], [2, 2.0, 1.9, 0.2, 0.3]]
    import json

    again = JobRecord.from_json(json.loads(json.dumps(data)))
    assert again == record
    assert again.created_at.tzinfo is not None
    assert not again.terminal
    assert replace(again, state="succeeded").terminal


def test_from_json_tolerates_missing_and_junk_values() -> None:
    minimal = JobRecord.from_json({"client_key": "k", "route": "hub"})
    assert minimal.state == "uploading"
    assert minimal.before_job
    assert minimal.metrics == ()
    assert minimal.created_at.tzinfo is not None
    junk = JobRecord.from_json(
        {
            "client_key": "k",
            "route": "openai",
            "created_at": "yesterday",
            "settings": [1, 2],
            "training_rows": "12",
            "validation_rows": True,
            "training_tokens": 1.5,
            "metrics": [
                [3, "x", 1.0],
                "nope",
                [],
                [-1, 1.0],
                [1, 0.5, None, None, None, 9],
                [3, 0.25, float("nan")],
            ],
            "events": [
                {"time": "2026-01-01T00:00:00Z", "message": "ok", "level": "loud"},
                {"time": "never", "message": "dropped"},
                7,
            ],
            "finished_at": 12,
            "total_steps": -4,
            "future_field": {"kept": False},
        }
    )
    assert junk.settings == {}
    assert junk.training_rows == 0
    assert junk.validation_rows == 0
    assert junk.training_tokens is None
    assert junk.metrics == ((1, 0.5, None, None, None), (3, 0.25, None, None, None))
    assert junk.events == ({"time": "2026-01-01T00:00:00+00:00", "level": "info", "message": "ok"},)
    assert junk.finished_at is None
    assert junk.total_steps is None
    for bad in (None, [], {"route": "hub"}, {"client_key": "k", "route": "aws"}):
        with pytest.raises(ValueError, match=r"job record|route"):
            JobRecord.from_json(bad)


def test_metrics_and_events_merge_without_duplicates() -> None:
    record = _record()
    t = "2026-12-05T10:00:00+00:00"
    merged = record.with_metrics([[1, 3.0, None, None, None], [2, 2.0, None, None, None]])
    merged = merged.with_metrics([[2, None, 1.5, None, None], [3, 1.0, None, None, None]])
    assert merged.metrics == (
        (1, 3.0, None, None, None),
        (2, 2.0, 1.5, None, None),
        (3, 1.0, None, None, None),
    )
    assert merged.with_metrics([[1, 3.0]]) is merged  # nothing new: the same record
    events = [{"time": t, "level": "info", "message": "Step 3/12: training loss=1.0"}]
    with_events = merged.with_events(events).with_events(events)
    assert len(with_events.events) == 1
    assert with_events.total_steps == 12
    assert with_events.with_events(events) is with_events


def test_history_add_update_list_active(project: Project) -> None:
    history = JobHistory(project)
    older = _record(created_at=datetime(2026, 1, 1, tzinfo=UTC), state="succeeded")
    newer = _record(created_at=datetime(2026, 2, 1, tzinfo=UTC))
    history.add(older)
    history.add(newer, flush=True)
    with pytest.raises(ValueError, match="exists already"):
        history.add(newer)
    assert [r.client_key for r in history.list()] == [newer.client_key, older.client_key]
    assert [r.client_key for r in history.active()] == [newer.client_key]
    history.update(replace(newer, state="cancelled", job_id="ftjob-9"))
    got = history.get(newer.client_key)
    assert got is not None
    assert got.job_id == "ftjob-9"
    assert got.updated_at is not None
    assert history.active() == []
    assert history.get("missing") is None
    project.put_record(RECORD_KIND, "broken", {"route": "nowhere"})
    assert len(history.list()) == 2  # a damaged record is skipped, not fatal
    assert history.get("broken") is None


def test_file_copies_are_byte_exact_and_survive_reopen(project: Project, tmp_path: Path) -> None:
    history = JobHistory(project)
    record = _record()
    training = os.urandom(200_000) + b"Grandfather Erik was born in Uppsala.\r\n" * 5000
    validation = b'{"messages": []}\n\x00\xff'
    sha_t, sha_v = history.store_files(record.client_key, training, validation)
    assert sha_t == hashlib.sha256(training).hexdigest()
    assert sha_v == hashlib.sha256(validation).hexdigest()
    history.add(replace(record, training_sha256=sha_t, validation_sha256=sha_v), flush=True)
    assert history.training_file(record.client_key) == training
    assert history.validation_file(record.client_key) == validation
    other = _record()
    history.store_files(other.client_key, b"only training", None)
    assert history.validation_file(other.client_key) is None
    with pytest.raises(FileProblem):
        history.training_file("never-stored")
    path = project.path
    project.close()

    conn = sqlite3.connect(path)
    stored = conn.execute("SELECT SUM(LENGTH(data)), SUM(size) FROM files").fetchone()
    conn.close()
    assert stored[0] < stored[1]  # compressed

    with Project.open(path) as again:
        reopened = JobHistory(again)
        assert reopened.training_file(record.client_key) == training
        assert reopened.validation_file(record.client_key) == validation
        assert reopened.get(record.client_key) is not None


def test_a_changed_copy_is_refused(project: Project) -> None:
    import zlib

    history = JobHistory(project)
    record = _record()
    history.store_files(record.client_key, b"the bytes that were sent", None)
    history.add(record, flush=True)
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE files SET data = ?", (zlib.compress(b"the bytes that were SENT"),))
    conn.commit()
    conn.close()
    with Project.open(path) as again, pytest.raises(FileProblem, match="damaged"):
        JobHistory(again).training_file(record.client_key)


def test_record_hash_must_match_the_copy(project: Project) -> None:
    history = JobHistory(project)
    record = _record(training_sha256="f" * 64)
    history.store_files(record.client_key, b"something else", None)
    history.add(record)
    with pytest.raises(FileProblem, match="not the file"):
        history.training_file(record.client_key)


def test_older_files_get_the_files_table_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.tunedesk"
    Project.create(path, Dataset("p", [Example.qa("q", "a")])).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE files")  # as written by TuneDesk before file copies
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        history = JobHistory(p)
        history.store_files("k", b"data", None)
        p.flush()
        assert history.training_file("k") == b"data"
        assert len(p.dataset) == 1


def test_copies_are_kept_when_the_file_is_rewritten_from_memory(
    project: Project, tmp_path: Path
) -> None:
    """The project file deleted under the app: the writer recreates it from memory, and the
    file copies are carried over from the connection that still reads the old file."""
    history = JobHistory(project)
    history.store_files("k", b"copy that must survive", None)
    project.flush()
    project.path.unlink()
    project.set_meta("after", 1)
    with pytest.raises(ProjectWriteError):  # the write error surfaces once
        project.flush()
    project.set_meta("after", 2)
    project.flush()
    assert history.training_file("k") == b"copy that must survive"
    path = project.path
    project.close()
    with Project.open(path) as again:
        assert JobHistory(again).training_file("k") == b"copy that must survive"
        assert again.get_meta("after") == 2


def test_data_version_is_short_and_content_based() -> None:
    a = data_version("1" * 64, None)
    assert len(a) == 12
    assert a == data_version("1" * 64, None)
    assert a != data_version("1" * 64, "2" * 64)
