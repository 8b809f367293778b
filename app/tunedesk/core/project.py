"""The project file: one SQLite file per project, saved as you type.

A ``.tunedesk`` file holds the system prompt, the rows (with ids, split, notes), free-form
settings (``meta``) and the history of jobs, deployments and quiz results (``records``)::

    PRAGMA application_id = APPLICATION_ID     -- "TUND": says "this is a TuneDesk project"
    PRAGMA user_version   = SCHEMA_VERSION     -- migrated forward, never opened if newer
    meta(key TEXT PRIMARY KEY, value TEXT)     -- JSON values
    examples(id TEXT PRIMARY KEY, pos INTEGER NOT NULL, messages TEXT NOT NULL,
             split TEXT, note TEXT, source_line INTEGER)
    records(kind TEXT, id TEXT, data TEXT, created TEXT, PRIMARY KEY(kind, id))

``examples.messages`` is stored compactly as a JSON list of ``[role, content]`` or
``[role, content, weight]`` arrays (not objects): it opens about 40% faster than
``{"role": .., "content": ..}`` objects, which matters at 100,000 rows. ``pos`` is always
exactly ``0 .. n-1`` in row order.

Persistence is automatic. A :class:`Project` listens to its :class:`Dataset`'s events (which
fire on the UI thread), and the handlers only put the immutable ``Example`` objects on a
queue. One writer thread per project owns the SQLite connection, serialises to JSON and
commits: it takes everything queued, applies it in one transaction and commits at once
("group commit"), so under steady typing every edit is on disk within a few milliseconds and
under a flood of edits a transaction is never more than one batch behind. The file uses WAL
with ``synchronous=FULL`` (a committed edit survives a power cut) and an exclusive lock
(a second TuneDesk window cannot open the same project and interleave writes).

Write errors (disk full, file deleted or moved) are recorded on the writer thread and raised
from the next :meth:`Project.flush` / :meth:`Project.close` as :class:`ProjectWriteError`.
After an error the writer stops applying individual edits; the next edit or flush sends a
full snapshot of the in-memory project instead, so nothing is lost once the cause is fixed,
and :meth:`Project.save_as` can always rescue the work to another place.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import queue
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from tunedesk import APP_ID, PROJECT_SUFFIX, __version__
from tunedesk.core.cooperative import bulk_build, cooperative
from tunedesk.core.dataset import Dataset, Example, Message, Split
from tunedesk.core.errors import FileProblem, UserFacingError
from tunedesk.core.i18n import lazy

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
APPLICATION_ID = 0x54554E44  # b"TUND", stored in the SQLite header at offset 68
SCRATCH_FOLDER = "Unsaved"

_SQLITE_MAGIC = b"SQLite format 3\x00"
_MAX_BATCH = 5_000             # operations per transaction, bounds one commit's duration
# Edits queued but not yet committed before an edit waits for the writer to catch up. Typing
# never gets near it; a script making thousands of separate edits per second does, and
# without a bound its unsaved backlog (what a crash would lose) would grow without limit.
_MAX_BACKLOG = 5_000
_RESERVED_META = frozenset({"system_prompt"})  # owned by the Dataset
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SCHEMA_V1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE examples(
    id TEXT PRIMARY KEY,
    pos INTEGER NOT NULL,
    messages TEXT NOT NULL,
    split TEXT,
    note TEXT,
    source_line INTEGER
);
CREATE TABLE records(
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY(kind, id)
);
"""

Migration = Callable[[sqlite3.Connection], None]
# version -> function that upgrades a file from that version to version + 1, inside one
# transaction. Add an entry (and bump SCHEMA_VERSION) whenever the file layout changes.
MIGRATIONS: dict[int, Migration] = {}


# ---------------------------------------------------------------------------- errors
class ProjectTooNew(FileProblem):
    """The file was written by a newer TuneDesk. It is refused and left untouched."""

    def __init__(self, path: Path, found: int) -> None:
        super().__init__(
            str(path),
            lazy.translate(
                "Project", "{name} was saved by a newer version of TuneDesk."
            ).format(name=path.name),
            lazy.translate(
                "Project", "Update TuneDesk to open it. The file has not been changed."
            ),
        )
        self.found_version = found
        self.supported_version = SCHEMA_VERSION


class ProjectWriteError(UserFacingError):
    """Edits could not be written to the project file. ``__cause__`` is the original error."""

    def __init__(self, path: Path, cause: BaseException) -> None:
        if _is_disk_full(cause):
            hint = lazy.translate(
                "Project",
                "The disk is full. Free some space; TuneDesk saves your work again as soon "
                "as it can. You can also use Save As to keep it somewhere else.",
            )
        elif isinstance(cause, _FileGone):
            hint = lazy.translate(
                "Project",
                "The file was moved or deleted while it was open. TuneDesk will save your "
                "work again under the same name; use Save As to keep it somewhere else.",
            )
        else:
            hint = lazy.translate(
                "Project",
                "Check that the disk is connected and has free space, then try again, or use "
                "Save As to keep your work somewhere else.",
            )
        super().__init__(
            lazy.translate(
                "Project", "Your latest changes could not be saved to {name}."
            ).format(name=path.name),
            hint,
        )
        self.path = path
        self.__cause__ = cause


class _FileGone(OSError):
    """The file we are writing to is no longer at its path (deleted or moved)."""


class _OutOfSync(RuntimeError):
    """The writer's row order no longer matches the edits it receives (a bug): resync."""


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == 13:
        return True  # SQLITE_FULL
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def _not_a_project(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Project", "{name} is not a TuneDesk project.").format(name=path.name),
        lazy.translate(
            "Project",
            "Open a file that ends in .tunedesk, or import questions and answers from a "
            "CSV, Excel or JSONL file instead.",
        ),
    )


def _damaged(path: Path, cause: BaseException | None = None) -> FileProblem:
    problem = FileProblem(
        str(path),
        lazy.translate(
            "Project", "The project {name} is damaged and cannot be opened."
        ).format(name=path.name),
        lazy.translate(
            "Project",
            "If you have another copy of it (for example in an email or a backup), open "
            "that copy instead.",
        ),
    )
    problem.__cause__ = cause
    return problem


def _open_problem(path: Path, exc: BaseException) -> FileProblem:
    """Turn an OS/SQLite error met while opening into a plain message."""
    if isinstance(exc, FileNotFoundError):
        problem = FileProblem(
            str(path),
            lazy.translate("Project", "TuneDesk could not find the project {name}.").format(
                name=path.name
            ),
            lazy.translate("Project", "It may have been moved, renamed or deleted."),
        )
    elif isinstance(exc, sqlite3.OperationalError) and getattr(
        exc, "sqlite_errorcode", None
    ) in {5, 6}:  # SQLITE_BUSY, SQLITE_LOCKED
        problem = FileProblem(
            str(path),
            lazy.translate(
                "Project", "The project {name} is already open in another TuneDesk window."
            ).format(name=path.name),
            lazy.translate("Project", "Switch to that window, or close it and try again."),
        )
    elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.OperationalError
    ):
        return _damaged(path, exc)
    else:
        problem = FileProblem(
            str(path),
            lazy.translate("Project", "TuneDesk could not open the project {name}.").format(
                name=path.name
            ),
            lazy.translate(
                "Project",
                "Check that the file is not read-only and that you are allowed to change "
                "it, then try again. ({reason})",
            ).format(reason=str(exc)),
        )
    problem.__cause__ = exc
    return problem


# ---------------------------------------------------------------------------- encoding
def _encode_messages(messages: Iterable[Message]) -> str:
    return _dumps(
        [
            [m.role, m.content] if m.weight is None else [m.role, m.content, m.weight]
            for m in messages
        ]
    )


def _row(example: Example, pos: int) -> tuple[str, int, str, str, str, int | None]:
    return (
        example.id,
        pos,
        _encode_messages(example.messages),
        str(example.split),
        example.note,
        example.source_line,
    )


_INSERT_ROW = (
    "INSERT INTO examples(id, pos, messages, split, note, source_line) VALUES (?,?,?,?,?,?)"
)
_UPSERT_META = (
    "INSERT INTO meta(key, value) VALUES (?, ?) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)
_UPSERT_RECORD = (
    "INSERT INTO records(kind, id, data, created) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------- files
def scratch_dir() -> Path:
    """Where unsaved ("Untitled") projects live until they are saved somewhere."""
    return platformdirs.user_data_path(APP_ID) / SCRATCH_FOLDER


def list_scratch_projects() -> list[Path]:
    """Unsaved projects left from earlier sessions (newest first), to offer "restore"."""
    folder = scratch_dir()
    if not folder.is_dir():
        return []

    def changed(path: Path) -> float:
        times = [path.stat().st_mtime]
        wal = _sidecar(path, "-wal")
        if wal.exists():
            times.append(wal.stat().st_mtime)
        return max(times)

    found = [p for p in folder.glob("*" + PROJECT_SUFFIX) if p.is_file()]
    return sorted(found, key=changed, reverse=True)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _delete_db_files(path: Path) -> None:
    for p in (path, _sidecar(path, "-wal"), _sidecar(path, "-shm"), _sidecar(path, "-journal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _connect(path: Path) -> sqlite3.Connection:
    """The read-write connection: exclusive lock, WAL, fsync on every commit."""
    conn = sqlite3.connect(path, timeout=0.5, isolation_level=None, check_same_thread=False)
    try:
        # Before the first read, so WAL keeps its index in process memory (no -shm file)
        # and no other process can open the project while we hold it.
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass(slots=True)
class _Snapshot:
    """Everything in a project, as a writer can store it from scratch."""

    system_prompt: str
    examples: tuple[Example, ...]
    meta: dict[str, str]                         # key -> JSON text (without system_prompt)
    records: list[tuple[str, str, str, str]]     # (kind, id, data JSON, created)


def _write_snapshot(conn: sqlite3.Connection, snap: _Snapshot) -> None:
    """Replace all content of an open transaction's database with ``snap``."""
    conn.execute("DELETE FROM meta")
    conn.execute("DELETE FROM records")
    conn.execute("DELETE FROM examples")
    meta = [*snap.meta.items(), ("system_prompt", _dumps(snap.system_prompt))]
    conn.executemany(_UPSERT_META, meta)
    conn.executemany(_UPSERT_RECORD, snap.records)
    conn.executemany(_INSERT_ROW, cooperative(_row(ex, i) for i, ex in enumerate(snap.examples)))


def _write_new_file(path: Path, snap: _Snapshot) -> None:
    """Write a complete project next to ``path`` and move it into place atomically."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=".tunedesk-", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # recorded in the header for later opens
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA_V1.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
            _write_snapshot(conn, snap)
            conn.execute("COMMIT")
        finally:
            conn.close()  # checkpoints the WAL into the file and removes it
        # A stale -wal next to the target would be replayed into the new file: remove it.
        for side in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                _sidecar(path, side).unlink()
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        _delete_db_files(tmp)
        raise


def _read_header(path: Path) -> None:
    """Refuse anything that is not a TuneDesk SQLite file, reading only its first bytes."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except IsADirectoryError as exc:
        raise _not_a_project(path) from exc
    except OSError as exc:
        raise _open_problem(path, exc) from exc
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise _not_a_project(path)
    if int.from_bytes(header[68:72], "big", signed=True) != APPLICATION_ID:
        raise _not_a_project(path)


def _read_version(path: Path) -> int:
    """``user_version`` through a read-only connection (sees committed WAL content)."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", timeout=0.5, uri=True)
    except sqlite3.Error as exc:
        raise _open_problem(path, exc) from exc
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise _open_problem(path, exc) from exc
    finally:
        conn.close()


def _migrate(conn: sqlite3.Connection, path: Path, found: int) -> None:
    if found == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(found, SCHEMA_VERSION):
            step = MIGRATIONS.get(version)
            if step is None:
                raise _damaged(path)
            step(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    log.info("migrated %s from schema %d to %d", path, found, SCHEMA_VERSION)


@dataclass(slots=True)
class _Loaded:
    dataset: Dataset
    meta: dict[str, str]
    records: dict[str, dict[str, tuple[str, str]]]
    positions_ok: bool


_SPLITS: dict[Any, Split] = {s.value: s for s in Split}


_LOAD_CHUNK = 4096


def _load(conn: sqlite3.Connection, path: Path) -> _Loaded:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    for value in meta.values():
        json.loads(value)  # a damaged value must fail now, not later in get_meta
    prompt = json.loads(meta.pop("system_prompt", '""'))
    records: dict[str, dict[str, tuple[str, str]]] = {}
    for kind, rid, data, created in conn.execute(
        "SELECT kind, id, data, created FROM records ORDER BY rowid"
    ):
        json.loads(data)
        records.setdefault(kind, {})[rid] = (data, created)

    # Sorting in Python is faster than ORDER BY; bulk_build pauses the cyclic GC.
    with bulk_build():
        rows = conn.execute(
            "SELECT id, pos, messages, split, note, source_line FROM examples"
        ).fetchall()
        rows.sort(key=itemgetter(1))
        positions_ok = all(r[1] == i for i, r in enumerate(rows))
        msg, auto, splits = Message, Split.AUTO, _SPLITS
        examples: list[Example] = []
        # One json.loads per few thousand rows is much faster than one per row, and freeing
        # each chunk's JSON text as it is decoded keeps the peak memory down.
        for start in range(0, len(rows), _LOAD_CHUNK):
            chunk = rows[start : start + _LOAD_CHUNK]
            rows[start : start + _LOAD_CHUNK] = [None] * len(chunk)
            decoded = json.loads("[" + ",".join([r[2] for r in chunk]) + "]")
            if len(decoded) != len(chunk):
                raise _damaged(path)
            examples.extend(
                Example([msg(*m) for m in messages], r[0], splits.get(r[3], auto), r[4] or "", r[5])
                for r, messages in zip(chunk, decoded, strict=True)
            )
    return _Loaded(
        Dataset(prompt if isinstance(prompt, str) else "", examples), meta, records, positions_ok
    )


# ---------------------------------------------------------------------------- writer ops
@dataclass(slots=True)
class _Insert:
    first: int
    examples: tuple[Example, ...]


@dataclass(slots=True)
class _Remove:
    first: int
    ids: tuple[str, ...]


@dataclass(slots=True)
class _Replace:
    first: int
    old_ids: tuple[str, ...]
    examples: tuple[Example, ...]


@dataclass(slots=True)
class _Reset:
    system_prompt: str
    examples: tuple[Example, ...]


@dataclass(slots=True)
class _Resync:
    snapshot: _Snapshot


@dataclass(slots=True)
class _Sql:
    """A parameterised statement (meta and records)."""

    sql: str
    params: tuple[Any, ...]


@dataclass(slots=True)
class _Barrier:
    done: threading.Event = field(default_factory=threading.Event)


@dataclass(slots=True)
class _SaveAs:
    path: Path
    snapshot: _Snapshot | None  # None: copy the current file with the backup API
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass(slots=True)
class _Stop:
    done: threading.Event = field(default_factory=threading.Event)


_DataOp = _Insert | _Remove | _Replace | _Reset | _Resync | _Sql
_Op = _DataOp | _Barrier | _SaveAs | _Stop


class _Writer:
    """The thread that owns the connection and turns queued edits into transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path, order: list[str]) -> None:
        self._conn = conn
        self._path = path
        self._identity = _identity(path)
        self._order = order                 # row ids in row order, as stored
        self._queue: queue.SimpleQueue[_Op] = queue.SimpleQueue()
        self._broken = False                # ignore edits until a _Resync arrives
        self.needs_resync = False           # read by the owner thread
        self.pending_error: ProjectWriteError | None = None
        self.last_error: ProjectWriteError | None = None
        self.commits = 0
        self._sent = 0                      # operations queued (owner side)
        self._done = 0                      # operations processed (writer side)
        self._progress = threading.Condition()
        self._thread = threading.Thread(
            target=self._run, name=f"tunedesk-project-writer:{path.name}", daemon=True
        )
        self._thread.start()

    # ---------------------------------------------------------------- owner side
    def put(self, op: _Op) -> None:
        """Queue ``op`` (the owner calls this under its lock, so ``_sent`` stays exact)."""
        self._sent += 1
        self._queue.put(op)

    def throttle(self) -> None:
        """Wait while the writer is more than ``_MAX_BACKLOG`` operations behind."""
        if self._sent - self._done <= _MAX_BACKLOG:
            return
        with self._progress:
            while self._sent - self._done > _MAX_BACKLOG // 2 and self._thread.is_alive():
                self._progress.wait(0.25)

    def wait(self, done: threading.Event) -> None:
        while not done.wait(0.25):
            if not self._thread.is_alive():
                raise RuntimeError("the project writer thread has stopped")

    def take_error(self) -> ProjectWriteError | None:
        error, self.pending_error = self.pending_error, None
        return error

    def join(self) -> None:
        self._thread.join()

    # ---------------------------------------------------------------- writer thread
    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < _MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            segment: list[_DataOp | _Barrier] = []
            for op in batch:
                if isinstance(op, _SaveAs | _Stop):
                    self._commit(segment)
                    segment = []
                    if isinstance(op, _Stop):
                        self._conn.close()
                        op.done.set()
                        return
                    self._save_as(op)
                else:
                    segment.append(op)
            self._commit(segment)
            with self._progress:
                self._done += len(batch)
                self._progress.notify_all()

    def _commit(self, ops: list[_DataOp | _Barrier]) -> None:
        data: list[_DataOp] = [op for op in ops if not isinstance(op, _Barrier)]
        if self._broken:  # only a full snapshot can bring the file back in step
            starts = [i for i, op in enumerate(data) if isinstance(op, _Resync)]
            data = data[starts[-1] :] if starts else []
        if data:
            try:
                if isinstance(data[0], _Resync) and not self._file_ok():
                    self._recreate()
                self._check_file()
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._apply(data)
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self.commits += 1
                if self._broken:
                    log.info("project %s saved again after an error", self._path)
                self._broken = False
            except Exception as exc:  # noqa: BLE001 - every failure must reach the owner
                self._fail(exc)
        for op in ops:
            if isinstance(op, _Barrier):
                op.done.set()

    def _fail(self, exc: BaseException) -> None:
        log.error("could not save project %s", self._path, exc_info=exc)
        error = ProjectWriteError(self._path, exc)
        self.pending_error = self.last_error = error
        self._broken = True
        self.needs_resync = True

    def _file_ok(self) -> bool:
        try:
            return _identity(self._path) == self._identity
        except OSError:
            return False

    def _check_file(self) -> None:
        if not self._file_ok():
            raise _FileGone(errno.ENOENT, "the project file is no longer there", str(self._path))

    def _recreate(self) -> None:
        """The file vanished: start an empty one at the same path (a resync fills it)."""
        self._conn.close()
        _write_new_file(self._path, _Snapshot("", (), {}, []))
        self._conn = _connect(self._path)
        self._identity = _identity(self._path)

    def _apply(self, ops: list[_DataOp]) -> None:
        conn, order = self._conn, self._order
        # One insert/remove: shift the tail with a single UPDATE. Several: track the lowest
        # row whose stored pos may be stale and renumber the tail once at the end.
        renumber = sum(isinstance(op, _Insert | _Remove) for op in ops) > 1
        stale = len(order)
        for op in ops:
            if isinstance(op, _Insert):
                first, k, n = op.first, len(op.examples), len(order)
                if not 0 <= first <= n:
                    raise _OutOfSync(f"insert at {first} into {n} rows")
                if first < n:
                    if renumber:
                        stale = min(stale, first + k)
                    else:
                        conn.execute(
                            "UPDATE examples SET pos = pos + ? WHERE pos >= ?", (k, first)
                        )
                conn.executemany(
                    _INSERT_ROW,
                    cooperative(_row(ex, first + i) for i, ex in enumerate(op.examples)),
                )
                order[first:first] = [ex.id for ex in op.examples]
            elif isinstance(op, _Remove):
                first, k = op.first, len(op.ids)
                if order[first : first + k] != list(op.ids):
                    raise _OutOfSync(f"remove {k} rows at {first}")
                conn.executemany("DELETE FROM examples WHERE id = ?", [(i,) for i in op.ids])
                del order[first : first + k]
                if first < len(order):
                    if renumber:
                        stale = min(stale, first)
                    else:
                        conn.execute(
                            "UPDATE examples SET pos = pos - ? WHERE pos >= ?", (k, first + k)
                        )
            elif isinstance(op, _Replace):
                self._replace(op)
            elif isinstance(op, _Reset):
                self._reset(op.system_prompt, op.examples)
                order = self._order
                stale = len(order)
            elif isinstance(op, _Resync):
                _write_snapshot(conn, op.snapshot)
                self._order = order = [ex.id for ex in op.snapshot.examples]
                stale = len(order)
            else:
                conn.execute(op.sql, op.params)
        if stale < len(order):
            conn.executemany(
                "UPDATE examples SET pos = ? WHERE id = ?",
                zip(range(stale, len(order)), order[stale:], strict=True),
            )

    def _replace(self, op: _Replace) -> None:
        first, k = op.first, len(op.examples)
        if self._order[first : first + k] != list(op.old_ids):
            raise _OutOfSync(f"replace {k} rows at {first}")
        same = [ex for ex, old in zip(op.examples, op.old_ids, strict=True) if ex.id == old]
        self._conn.executemany(
            "UPDATE examples SET messages = ?, split = ?, note = ?, source_line = ? WHERE id = ?",
            [
                (_encode_messages(ex.messages), str(ex.split), ex.note, ex.source_line, ex.id)
                for ex in same
            ],
        )
        if len(same) != k:  # rows got new ids: delete all the old ones first, then insert
            changed = [
                (i, ex, old)
                for i, (ex, old) in enumerate(zip(op.examples, op.old_ids, strict=True))
                if ex.id != old
            ]
            self._conn.executemany(
                "DELETE FROM examples WHERE id = ?", [(old,) for _, _, old in changed]
            )
            self._conn.executemany(_INSERT_ROW, [_row(ex, first + i) for i, ex, _ in changed])
            self._order[first : first + k] = [ex.id for ex in op.examples]

    def _reset(self, system_prompt: str, examples: Sequence[Example]) -> None:
        self._conn.execute("DELETE FROM examples")
        rows = cooperative(_row(ex, i) for i, ex in enumerate(examples))
        self._conn.executemany(_INSERT_ROW, rows)
        self._conn.execute(_UPSERT_META, ("system_prompt", _dumps(system_prompt)))
        self._order = [ex.id for ex in examples]

    def _save_as(self, op: _SaveAs) -> None:
        try:
            if op.snapshot is not None:
                _write_new_file(op.path, op.snapshot)
            else:
                self._backup_to(op.path)
            conn = _connect(op.path)
        except Exception as exc:  # noqa: BLE001 - handed to the caller of save_as
            op.error = exc
            op.done.set()
            return
        self._conn.close()
        self._conn, self._path, self._identity = conn, op.path, _identity(op.path)
        if op.snapshot is not None:
            self._order = [ex.id for ex in op.snapshot.examples]
            self._broken = self.needs_resync = False
        op.done.set()

    def _backup_to(self, path: Path) -> None:
        folder = path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=".tunedesk-", suffix=".tmp", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            dest = sqlite3.connect(tmp, isolation_level=None)
            try:
                dest.execute("PRAGMA synchronous = FULL")
                self._conn.backup(dest)
            finally:
                dest.close()
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            for side in ("-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    _sidecar(path, side).unlink()
            os.replace(tmp, path)
            _fsync_dir(folder)
        except BaseException:
            _delete_db_files(tmp)
            raise


# ---------------------------------------------------------------------------- project
class Project:
    """An open project file whose dataset is saved automatically as it changes.

    Edit ``project.dataset`` on one thread (the UI thread); ``get_meta``/``set_meta`` and
    the record methods may be called from any thread. Call :meth:`flush` when something
    must be on disk before moving on (for example a submitted job's id).
    """

    def __init__(
        self,
        path: Path,
        dataset: Dataset,
        conn: sqlite3.Connection,
        *,
        is_scratch: bool,
        meta: dict[str, str],
        records: dict[str, dict[str, tuple[str, str]]],
    ) -> None:
        """Internal: use :meth:`create`, :meth:`create_scratch` or :meth:`open`."""
        self.path = path
        self.dataset = dataset
        self.is_scratch = is_scratch
        self._meta = meta
        self._records = records
        self._lock = threading.RLock()
        self._closed = False
        self._writer = _Writer(conn, path, [ex.id for ex in dataset.examples])
        dataset.inserted.connect(self._on_inserted)
        dataset.removed.connect(self._on_removed)
        dataset.replaced.connect(self._on_replaced)
        dataset.reset_done.connect(self._on_reset)
        dataset.system_prompt_changed.connect(self._on_system_prompt)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def create(
        cls, path: Path, dataset: Dataset | None = None, *, scratch: bool = False
    ) -> Project:
        """Write a new project file at ``path`` (replacing any file there) and open it."""
        path = Path(path)
        dataset = dataset if dataset is not None else Dataset()
        meta = {
            "name": _dumps(path.stem),
            "created": _dumps(_now()),
            "app_version": _dumps(__version__),
        }
        snap = _Snapshot(dataset.system_prompt, tuple(dataset.examples), meta, [])
        try:
            _write_new_file(path, snap)
            conn = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise FileProblem(
                str(path),
                lazy.translate("Project", "TuneDesk could not create the project {name}.").format(
                    name=path.name
                ),
                lazy.translate(
                    "Project",
                    "Choose a folder you are allowed to write to, with free space. ({reason})",
                ).format(reason=str(exc)),
            ) from exc
        return cls(path, dataset, conn, is_scratch=scratch, meta=meta, records={})

    @classmethod
    def create_scratch(cls, dataset: Dataset | None = None) -> Project:
        """A new unsaved project in the user data folder (restorable after a crash)."""
        folder = scratch_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y-%m-%d %H-%M-%S")
        title = str(lazy.translate("Project", "Untitled {date}").format(date=stamp))
        base = re.sub(r'[<>:"/\\|?*]', "-", title)  # a translation must not break the name
        path = folder / (base + PROJECT_SUFFIX)
        counter = 2
        while path.exists():
            path = folder / f"{base} ({counter}){PROJECT_SUFFIX}"
            counter += 1
        return cls.create(path, dataset, scratch=True)

    @classmethod
    def open(cls, path: Path) -> Project:
        """Open and load a project (off the UI thread: 100,000 rows take about 0.4 s).

        Raises :class:`ProjectTooNew` (file untouched) or :class:`FileProblem`.
        """
        path = Path(path)
        _read_header(path)              # read-only: magic and application id
        found = _read_version(path)     # read-only connection: nothing written yet
        if found > SCHEMA_VERSION:
            raise ProjectTooNew(path, found)
        if found < 1:
            raise _damaged(path)
        try:
            conn = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise _open_problem(path, exc) from exc
        try:
            _migrate(conn, path, found)
            loaded = _load(conn, path)
            if not loaded.positions_ok:
                log.warning("renumbering rows of %s", path)
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "UPDATE examples SET pos = ? WHERE id = ?",
                    ((i, ex.id) for i, ex in enumerate(loaded.dataset.examples)),
                )
                conn.execute("COMMIT")
        except FileProblem:
            conn.close()
            raise
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            raise _open_problem(path, exc) from exc
        except (ValueError, TypeError) as exc:  # broken JSON or message layout
            conn.close()
            raise _damaged(path, exc) from exc
        return cls(
            path,
            loaded.dataset,
            conn,
            is_scratch=_in_scratch_dir(path),
            meta=loaded.meta,
            records=loaded.records,
        )

    # ---------------------------------------------------------------- properties
    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def last_error(self) -> ProjectWriteError | None:
        """The most recent write error (also after it has been raised once)."""
        return self._writer.last_error

    @property
    def closed(self) -> bool:
        return self._closed

    # ---------------------------------------------------------------- saving
    def flush(self) -> None:
        """Block until every edit made so far is committed; raise a pending write error."""
        self._check_open()
        with self._lock:
            if self._writer.needs_resync:
                self._send_resync()
            barrier = _Barrier()
            self._writer.put(barrier)
        self._writer.wait(barrier.done)
        error = self._writer.take_error()
        if error is not None:
            raise error

    def save_as(self, path: Path) -> None:
        """Copy the project to ``path`` and continue there. A scratch file is removed."""
        self._check_open()
        path = Path(path)
        if _same_file(path, self.path):
            self.flush()
            return
        rescue = False
        try:
            self.flush()
        except ProjectWriteError:
            rescue = True  # the old file is unusable: write the new one from memory
        with self._lock:
            op = _SaveAs(path, self._snapshot() if rescue else None)
            self._writer.put(op)
        self._writer.wait(op.done)
        if op.error is not None:
            raise FileProblem(
                str(path),
                lazy.translate("Project", "TuneDesk could not save the project as {name}.").format(
                    name=path.name
                ),
                lazy.translate(
                    "Project",
                    "Choose a folder you are allowed to write to, with free space. Your work "
                    "is still in {old}. ({reason})",
                ).format(old=self.path.name, reason=str(op.error)),
            ) from op.error
        old, was_scratch = self.path, self.is_scratch
        self.path = path
        self.is_scratch = False
        with self._lock:
            self._meta["name"] = _dumps(path.stem)
            self._writer.put(_Sql(_UPSERT_META, ("name", self._meta["name"])))
        if was_scratch:
            _delete_db_files(old)

    def close(self) -> None:
        """Save everything, stop the writer and release the file. Safe to call twice."""
        if self._closed:
            return
        self._disconnect()
        try:
            self.flush()
        finally:
            self._closed = True
            stop = _Stop()
            with self._lock:
                self._writer.put(stop)
            self._writer.wait(stop.done)
            self._writer.join()

    def discard(self) -> None:
        """Close and delete the file (for an unsaved project the person does not keep)."""
        with contextlib.suppress(ProjectWriteError):  # being deleted anyway
            self.close()
        _delete_db_files(self.path)

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---------------------------------------------------------------- meta & records
    def get_meta(self, key: str, default: Any = None) -> Any:
        if key == "system_prompt":
            return self.dataset.system_prompt
        with self._lock:
            text = self._meta.get(key)
        return default if text is None else json.loads(text)

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON value (chosen model, training settings...). Saved like any edit."""
        if key in _RESERVED_META:
            raise ValueError(f"{key!r} belongs to the dataset; use dataset.set_system_prompt")
        text = _dumps(value)  # raises TypeError now, on the caller's thread, if not JSON
        with self._lock:
            self._meta[key] = text
            self._send(_Sql(_UPSERT_META, (key, text)))

    def put_record(self, kind: str, id: str, data: dict[str, Any]) -> None:
        """Insert or update one record (a job, a deployment, a quiz result)."""
        text = _dumps(data)
        with self._lock:
            by_id = self._records.setdefault(kind, {})
            created = by_id[id][1] if id in by_id else _now()
            by_id[id] = (text, created)
            self._send(_Sql(_UPSERT_RECORD, (kind, id, text, created)))

    def get_record(self, kind: str, id: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._records.get(kind, {}).get(id)
        return None if entry is None else dict(json.loads(entry[0]))

    def list_records(self, kind: str) -> list[dict[str, Any]]:
        """All records of ``kind``, oldest first."""
        with self._lock:
            texts = [text for text, _ in self._records.get(kind, {}).values()]
        return [dict(json.loads(t)) for t in texts]

    def delete_record(self, kind: str, id: str) -> None:
        with self._lock:
            if self._records.get(kind, {}).pop(id, None) is not None:
                self._send(
                    _Sql("DELETE FROM records WHERE kind = ? AND id = ?", (kind, id))
                )

    # ---------------------------------------------------------------- dataset events
    def _on_inserted(self, first: int, count: int) -> None:
        self._send(_Insert(first, tuple(self.dataset.examples[first : first + count])))

    def _on_removed(self, first: int, removed: list[Example]) -> None:
        self._send(_Remove(first, tuple(ex.id for ex in removed)))

    def _on_replaced(self, first: int, old: list[Example]) -> None:
        new = tuple(self.dataset.examples[first : first + len(old)])
        self._send(_Replace(first, tuple(ex.id for ex in old), new))

    def _on_reset(self) -> None:
        self._send(_Reset(self.dataset.system_prompt, tuple(self.dataset.examples)))

    def _on_system_prompt(self, old: str) -> None:
        self._send(_Sql(_UPSERT_META, ("system_prompt", _dumps(self.dataset.system_prompt))))

    # ---------------------------------------------------------------- internals
    def _send(self, op: _DataOp) -> None:
        with self._lock:
            if self._closed:
                return
            if self._writer.needs_resync:
                self._send_resync()  # the snapshot already contains this edit
            else:
                self._writer.put(op)
        self._writer.throttle()

    def _send_resync(self) -> None:
        self._writer.needs_resync = False
        self._writer.put(_Resync(self._snapshot()))

    def _snapshot(self) -> _Snapshot:
        records = [
            (kind, rid, text, created)
            for kind, by_id in self._records.items()
            for rid, (text, created) in by_id.items()
        ]
        return _Snapshot(
            self.dataset.system_prompt, tuple(self.dataset.examples), dict(self._meta), records
        )

    def _disconnect(self) -> None:
        ds = self.dataset
        ds.inserted.disconnect(self._on_inserted)
        ds.removed.disconnect(self._on_removed)
        ds.replaced.disconnect(self._on_replaced)
        ds.reset_done.disconnect(self._on_reset)
        ds.system_prompt_changed.disconnect(self._on_system_prompt)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the project is closed")

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r}, rows={len(self.dataset)})"


def _in_scratch_dir(path: Path) -> bool:
    try:
        return path.resolve().parent == scratch_dir().resolve()
    except OSError:
        return False


__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "PROJECT_SUFFIX",
    "SCHEMA_VERSION",
    "Project",
    "ProjectTooNew",
    "ProjectWriteError",
    "list_scratch_projects",
    "scratch_dir",
]
