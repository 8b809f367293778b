"""The project file: round trips, row order, refusing bad files, scratch files, write errors."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.helpers.project_state import dataset_state

from tunedesk.core.dataset import Dataset, Example, Message, Origin, OriginKind, Role, Split
from tunedesk.core.errors import FileProblem, UserFacingError
from tunedesk.core.project import (
    APPLICATION_ID,
    PROJECT_SUFFIX,
    SCHEMA_VERSION,
    Project,
    ProjectTooNew,
    ProjectWriteError,
    list_scratch_projects,
    scratch_dir,
)
from tunedesk.core.project import schema as schema_module

_state = dataset_state


def _reopened_state(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    with Project.open(path) as p:
        return _state(p.dataset)


def _positions(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT pos FROM examples ORDER BY pos")]
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rich_dataset() -> Dataset:
    return Dataset(
        "You answer questions about the Lin family. 你好 👋",
        [
            Example.qa("Who is Anna's mother?", "Mei.", split=Split.TRAIN, note="checked"),
            Example(
                [
                    Message(Role.SYSTEM, "Own system message"),
                    Message(Role.USER, "第一个问题？"),
                    Message(Role.ASSISTANT, "第一个回答。", weight=0),
                    Message(Role.USER, "And then?"),
                    Message(Role.ASSISTANT, "Then ✓ \"quoted\"\nnew line", weight=1),
                ],
                split=Split.VALIDATION,
                note="multi-turn, 多轮",
                source_line=7,
            ),
            Example(
                [Message("user", [{"type": "text", "text": "parts"}]), Message("bogus", None)]
            ),
            Example.qa("", ""),
            Example.qa(
                "草稿问题？",
                "草稿回答。",
                draft=True,
                origin=Origin(
                    OriginKind.DOCUMENT, source="手册.pdf", page=3, excerpt="原文", chunk="c"
                ),
                group="g1",
            ),
        ],
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / f"family{PROJECT_SUFFIX}"


@pytest.fixture
def project(path: Path) -> Iterator[Project]:
    p = Project.create(path, _rich_dataset())
    yield p
    p.close()


# ----------------------------------------------------------------------------- round trips
def test_create_then_open_round_trips_everything(project: Project, path: Path) -> None:
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected
    assert project.name == "family"


def test_edits_are_saved_without_calling_flush(project: Project, path: Path) -> None:
    ds = project.dataset
    ds.append([Example.qa("Where does Mei live?", "In Taipei.", note="新")])
    ds.insert(0, [Example.qa("first", "row")])
    ds.replace(2, [ds[2].with_answer("Mei Lin.").copy(split=Split.VALIDATION)])
    ds.remove(3, 1)
    ds.set_system_prompt("New prompt ✨")
    expected = _state(ds)
    project.close()  # close() waits for the writer; nothing else saves explicitly
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(len(expected[1])))


def test_file_layout(project: Project, path: Path) -> None:
    project.set_meta("model", {"id": "Phi-4-mini-instruct", "epochs": 3})
    project.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert {"meta", "examples", "records"} <= tables
    assert set(meta) >= {"system_prompt", "name", "created", "app_version", "model"}
    assert meta["name"] == '"family"'


def test_reset_replaces_every_row(project: Project, path: Path) -> None:
    rows = [Example.qa(f"q{i}", f"a{i}") for i in range(50)]
    project.dataset.reset("after reset", rows)
    project.dataset.insert(10, [Example.qa("inserted", "after reset")])
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(51))


def test_replace_with_new_ids_and_swaps(project: Project, path: Path) -> None:
    ds = project.dataset
    a, b = ds[0], ds[1]
    ds.replace(0, [b, a])  # swap two rows through replace
    ds.replace(2, [Example.qa("brand", "new")])  # new id in place of an old one
    expected = _state(ds)
    project.close()
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(len(ds)))


def _random_edits(ds: Dataset, rng: random.Random, count: int, flush: Any = None) -> None:
    for n in range(count):
        r = rng.random()
        if r < 0.4 or len(ds) < 3:
            at = rng.randint(0, len(ds))
            ds.insert(at, [Example.qa(f"q{n}.{k}", f"a{n}") for k in range(rng.randint(1, 4))])
        elif r < 0.7:
            first = rng.randrange(len(ds))
            ds.remove(first, min(rng.randint(1, 3), len(ds) - first))
        else:
            row = rng.randrange(len(ds))
            ds.replace(row, [ds[row].with_answer(f"edited {n}")])
        if flush is not None:
            flush()


def test_row_order_one_edit_per_transaction(project: Project, path: Path) -> None:
    """flush() after each edit: every transaction holds one insert/remove (shifted tail)."""
    _random_edits(project.dataset, random.Random(1), 150, flush=project.flush)
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(len(expected[1])))


def test_row_order_many_edits_per_transaction(
    project: Project, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hold the writer so that all edits land in one batch (the renumbered-tail path)."""
    writer = project._writer
    release = threading.Event()
    sizes: list[int] = []
    original_commit, original_apply = writer._commit, writer._apply

    def held_commit(ops: list[Any]) -> None:
        release.wait(10)
        original_commit(ops)

    def counting_apply(ops: list[Any]) -> None:
        sizes.append(len(ops))
        original_apply(ops)

    monkeypatch.setattr(writer, "_commit", held_commit)
    monkeypatch.setattr(writer, "_apply", counting_apply)
    _random_edits(project.dataset, random.Random(2), 200)
    release.set()
    project.flush()
    assert max(sizes) > 100  # the edits really were applied as one batch
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(len(expected[1])))


def test_twenty_thousand_rows_insert_at_top(tmp_path: Path) -> None:
    path = tmp_path / "big.tunedesk"
    rows = [Example.qa(f"question {i}", f"answer {i}") for i in range(20_000)]
    with Project.create(path, Dataset("p", rows)) as p:
        p.dataset.insert(0, [Example.qa("top", "row")])
        p.dataset.remove(5000, 10)
        expected = _state(p.dataset)
    assert _reopened_state(path) == expected
    assert _positions(path) == list(range(20_000 - 9))


# ----------------------------------------------------------------------------- meta & records
def test_meta_and_records_persist(project: Project, path: Path) -> None:
    project.set_meta("training", {"batch_size": 8, "lr": 0.5, "name": "平衡"})
    assert project.get_meta("training") == {"batch_size": 8, "lr": 0.5, "name": "平衡"}
    assert project.get_meta("missing", 42) == 42
    assert project.get_meta("system_prompt") == project.dataset.system_prompt
    with pytest.raises(ValueError, match="set_system_prompt"):
        project.set_meta("system_prompt", "x")
    with pytest.raises(TypeError):
        project.set_meta("bad", {1, 2})

    project.put_record("job", "ftjob-1", {"status": "pending"})
    project.put_record("job", "ftjob-2", {"status": "running"})
    project.put_record("job", "ftjob-1", {"status": "succeeded"})  # update keeps position
    project.put_record("quiz", "q1", {"score": 0.7})
    project.put_record("deployment", "d1", {"name": "x"})
    project.delete_record("deployment", "d1")
    got = project.get_record("job", "ftjob-1")
    assert got == {"status": "succeeded"}
    assert got is not None
    got["status"] = "mutated by the caller"  # callers get copies
    assert project.get_record("job", "ftjob-1") == {"status": "succeeded"}
    project.close()

    with Project.open(path) as again:
        assert again.get_meta("training") == {"batch_size": 8, "lr": 0.5, "name": "平衡"}
        assert again.get_meta("name") == "family"
        assert again.list_records("job") == [{"status": "succeeded"}, {"status": "running"}]
        assert again.list_records("quiz") == [{"score": 0.7}]
        assert again.list_records("deployment") == []
        assert again.get_record("job", "nope") is None


def test_records_from_another_thread(project: Project, path: Path) -> None:
    def worker() -> None:
        for i in range(100):
            project.put_record("event", f"e{i}", {"i": i})

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    project.dataset.append([Example.qa("while", "threads write")])
    for t in threads:
        t.join()
    project.close()
    with Project.open(path) as again:
        assert [r["i"] for r in again.list_records("event")] == list(range(100))


# ----------------------------------------------------------------------------- refusing files
def test_newer_version_is_refused_and_untouched(project: Project, path: Path) -> None:
    project.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = _sha(path)
    with pytest.raises(ProjectTooNew) as info:
        Project.open(path)
    assert isinstance(info.value, UserFacingError)
    assert info.value.found_version == SCHEMA_VERSION + 1
    assert "newer version of TuneDesk" in str(info.value)
    assert path.name in str(info.value)
    assert _sha(path) == before


def test_random_bytes_are_not_a_project(tmp_path: Path) -> None:
    bad = tmp_path / "notes.tunedesk"
    bad.write_bytes(random.Random(3).randbytes(5000))
    with pytest.raises(FileProblem) as info:
        Project.open(bad)
    assert "is not a TuneDesk project" in str(info.value)
    assert info.value.path == str(bad)


def test_empty_file_and_other_sqlite_databases_are_not_projects(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tunedesk"
    empty.write_bytes(b"")
    other = tmp_path / "other.tunedesk"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    for candidate in (empty, other, tmp_path):
        with pytest.raises(FileProblem, match="not a TuneDesk project"):
            Project.open(candidate)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="could not find"):
        Project.open(tmp_path / "gone.tunedesk")


def test_truncated_project_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cut.tunedesk"
    rows = [Example.qa(f"question {i} " * 5, f"answer {i} " * 5) for i in range(2000)]
    Project.create(path, Dataset("p", rows)).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileProblem) as info:
        Project.open(path)
    assert not isinstance(info.value, ProjectTooNew)
    assert "damaged" in str(info.value)


def test_garbled_row_is_damaged(project: Project, path: Path) -> None:
    project.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE examples SET messages = '[[\"user\"' WHERE pos = 1")
    conn.commit()
    conn.close()
    with pytest.raises(FileProblem, match="damaged"):
        Project.open(path)


def test_a_project_open_twice_is_refused(project: Project, path: Path) -> None:
    with pytest.raises(FileProblem, match="already open"):
        Project.open(path)


def test_migrations_run_for_older_files(
    project: Project, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.close()

    def to_next(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO meta(key, value) VALUES ('migrated', 'true')")

    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema_module.MIGRATIONS, SCHEMA_VERSION, to_next)
    with Project.open(path) as p:
        assert p.get_meta("migrated") is True
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    finally:
        conn.close()


def _version_1_file(path: Path) -> None:
    """A project as TuneDesk wrote it before drafts (schema 1): no draft/origin/grp."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE examples(id TEXT PRIMARY KEY, pos INTEGER NOT NULL,
            messages TEXT NOT NULL, split TEXT, note TEXT, source_line INTEGER);
        CREATE TABLE records(kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
            created TEXT NOT NULL, PRIMARY KEY(kind, id));
        INSERT INTO meta VALUES ('system_prompt', '"Be brief."');
        INSERT INTO examples VALUES
            ('a1', 0, '[["user","Q1"],["assistant","A1"]]', 'auto', 'kept', 3);
        """
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_version_1_file_opens_with_its_rows_and_takes_drafts(tmp_path: Path) -> None:
    path = tmp_path / "old.tunedesk"
    _version_1_file(path)
    with Project.open(path) as p:
        (row,) = p.dataset
        assert (row.id, row.question, row.note, row.source_line) == ("a1", "Q1", "kept", 3)
        assert (row.draft, row.origin, row.group) == (False, None, "")
        p.dataset.append([Example.qa("Q2", "A2", draft=True, group="a1")])
    with Project.open(path) as p:
        assert [(e.question, e.draft, e.group) for e in p.dataset] == [
            ("Q1", False, ""),
            ("Q2", True, "a1"),
        ]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_drafts_origins_and_groups_are_kept_through_edits(project: Project, path: Path) -> None:
    origin = Origin(
        OriginKind.DOCUMENT, source="Handbook.pdf", page=12, excerpt="Leave: 25 days.", chunk="c1"
    )
    drafted = Example.qa("How many days of leave?", "25 days.", draft=True, origin=origin)
    paraphrase = Example.qa(
        "How much leave do I get?",
        "25 days.",
        draft=True,
        origin=Origin(OriginKind.PARAPHRASE, of=drafted.id),
        group=drafted.id,
    )
    project.dataset.append([drafted, paraphrase])
    accepted = project.dataset[len(project.dataset) - 2].copy(draft=False, group=drafted.id)
    project.dataset.replace(len(project.dataset) - 2, [accepted])
    project.close()
    with Project.open(path) as p:
        first, second = list(p.dataset)[-2:]
        assert (first.draft, first.origin, first.group) == (False, origin, drafted.id)
        assert (second.draft, second.group) == (True, drafted.id)
        assert second.origin == Origin(OriginKind.PARAPHRASE, of=drafted.id)


def test_a_damaged_origin_does_not_stop_the_row_opening(project: Project, path: Path) -> None:
    project.dataset.append([Example.qa("Q", "A", draft=True)])
    project.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE examples SET origin = '{not json' WHERE draft = 1")
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        row = p.dataset[len(p.dataset) - 1]
        assert (row.question, row.draft, row.origin) == ("Q", True, None)


# ----------------------------------------------------------------------------- scratch files
def test_scratch_project_lives_in_the_data_dir_and_save_as_removes_it(tmp_path: Path) -> None:
    scratch = Project.create_scratch(Dataset("prompt", [Example.qa("q", "a")]))
    first_path = scratch.path
    assert scratch.is_scratch
    assert first_path.parent == scratch_dir()
    assert first_path.name.startswith("Untitled ")
    assert first_path.suffix == PROJECT_SUFFIX
    assert list_scratch_projects() == [first_path]

    scratch.dataset.append([Example.qa("added", "before saving")])
    target = tmp_path / "kept" / "mine.tunedesk"
    target.parent.mkdir()
    scratch.save_as(target)
    assert not first_path.exists()
    assert not scratch.is_scratch
    assert scratch.path == target
    assert list_scratch_projects() == []
    scratch.dataset.append([Example.qa("added", "after saving")])
    expected = _state(scratch.dataset)
    scratch.close()
    assert _reopened_state(target) == expected
    with Project.open(target) as p:
        assert p.get_meta("name") == "mine"
        assert not p.is_scratch


def test_restoring_a_scratch_project_keeps_it_scratch() -> None:
    a = Project.create_scratch()
    b = Project.create_scratch()  # same second: a different name
    assert a.path != b.path
    a.close()
    b.discard()
    assert list_scratch_projects() == [a.path]
    with Project.open(a.path) as restored:
        assert restored.is_scratch


def test_save_as_keeps_a_normal_original(project: Project, path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.tunedesk"
    project.save_as(copy)
    project.dataset.append([Example.qa("only in", "the copy")])
    project.close()
    assert len(_reopened_state(path)[1]) == 5
    assert len(_reopened_state(copy)[1]) == 6


def test_save_as_to_an_unwritable_place_keeps_working(project: Project, path: Path) -> None:
    with pytest.raises(FileProblem, match="could not save the project as"):
        project.save_as(path.parent / "no such folder" / "x.tunedesk")
    assert project.path == path
    project.dataset.append([Example.qa("still", "saved")])
    project.close()
    assert len(_reopened_state(path)[1]) == 6


# ----------------------------------------------------------------------------- write errors
def test_deleted_file_error_is_raised_then_the_work_is_saved_again(
    project: Project, path: Path
) -> None:
    project.flush()
    os.remove(path)
    project.dataset.append([Example.qa("after", "delete")])
    with pytest.raises(ProjectWriteError) as info:
        project.flush()
    assert "could not be saved to family.tunedesk" in str(info.value)
    assert "moved or deleted" in str(info.value)
    assert project.last_error is info.value
    project.flush()  # the snapshot is written to a new file at the same place
    assert path.exists()
    project.dataset.append([Example.qa("and", "more")])
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected


def test_disk_full_error_is_raised_and_nothing_is_lost(project: Project, path: Path) -> None:
    project.flush()
    conn = project._writer._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    project.dataset.append([Example.qa("big " * 20_000, "answer")])
    with pytest.raises(ProjectWriteError) as info:
        project.flush()
    assert "disk is full" in str(info.value)
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    project.dataset.append([Example.qa("small", "one")])
    project.flush()
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(path) == expected


def test_save_as_rescues_work_when_the_file_is_gone(
    project: Project, path: Path, tmp_path: Path
) -> None:
    project.flush()
    os.remove(path)
    project.dataset.append([Example.qa("rescued", "row")])
    rescue = tmp_path / "rescue.tunedesk"
    project.save_as(rescue)
    expected = _state(project.dataset)
    project.close()
    assert _reopened_state(rescue) == expected


def test_close_twice_and_edits_after_close(project: Project) -> None:
    project.close()
    project.close()
    project.dataset.append([Example.qa("not", "saved")])  # no longer connected: no error
    with pytest.raises(RuntimeError):
        project.flush()
