"""The writer thread: queued edits become SQLite transactions, off the UI thread.

One writer thread per project owns the SQLite connection, serialises to JSON and
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

import errno
import logging
import os
import queue
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tunedesk.core.cooperative import cooperative
from tunedesk.core.dataset import Example
from tunedesk.core.project.errors import ProjectWriteError, _FileGone
from tunedesk.core.project.files import _delete_db_files, _identity, _move_into_place
from tunedesk.core.project.schema import (
    _INSERT_ROW,
    _SELECT_FILES,
    _UPSERT_FILE,
    _UPSERT_META,
    _dumps,
    _encode_messages,
    _review_columns,
    _row,
    _Snapshot,
    _write_new_file,
    _write_snapshot,
)

log = logging.getLogger(__name__)

_MAX_BATCH = 5_000             # operations per transaction, bounds one commit's duration
# Edits queued but not yet committed before an edit waits for the writer to catch up. Typing
# never gets near it; a script making thousands of separate edits per second does, and
# without a bound its unsaved backlog (what a crash would lose) would grow without limit.
_MAX_BACKLOG = 5_000


class _OutOfSync(RuntimeError):
    """The writer's row order no longer matches the edits it receives (a bug): resync."""


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
class _Read:
    """A query answered on the writer thread after everything queued before it is
    committed (the connection holds an exclusive lock: nobody else can read the file)."""

    sql: str
    params: tuple[Any, ...]
    done: threading.Event = field(default_factory=threading.Event)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    error: BaseException | None = None


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
_Op = _DataOp | _Barrier | _Read | _SaveAs | _Stop


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
            segment: list[_DataOp | _Barrier | _Read] = []
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

    def _commit(self, ops: list[_DataOp | _Barrier | _Read]) -> None:
        data: list[_DataOp] = [op for op in ops if not isinstance(op, _Barrier | _Read)]
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
            if isinstance(op, _Read):
                self._read(op)
            elif isinstance(op, _Barrier):
                op.done.set()

    def _read(self, op: _Read) -> None:
        try:
            op.rows = self._conn.execute(op.sql, op.params).fetchall()
        except Exception as exc:  # noqa: BLE001 - handed to the reader
            op.error = exc
        op.done.set()

    def _old_files(self) -> list[tuple[Any, ...]]:
        """The file copies of the current connection, to carry into a file written from a
        snapshot (snapshots hold no file copies). The connection still reads a file that
        was deleted or moved away; if even that fails, the copies are lost (logged)."""
        try:
            return self._conn.execute(_SELECT_FILES).fetchall()
        except Exception:  # a damaged old file: keep the rest of the rescue
            log.warning("file copies of %s could not be carried over", self._path, exc_info=True)
            return []

    def _put_files(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(_UPSERT_FILE, rows)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except Exception:  # the rescued project matters more than the copies
            log.warning("file copies could not be written to %s", self._path, exc_info=True)

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
        files = self._old_files()
        self._conn.close()
        _write_new_file(self._path, _Snapshot("", (), {}, []))
        self._conn = _connect(self._path)
        self._identity = _identity(self._path)
        self._put_files(self._conn, files)

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
            "UPDATE examples SET messages = ?, split = ?, note = ?, source_line = ?, "
            "draft = ?, origin = ?, grp = ? WHERE id = ?",
            [
                (
                    _encode_messages(ex.messages),
                    str(ex.split),
                    ex.note,
                    ex.source_line,
                    *_review_columns(ex),
                    ex.id,
                )
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
                files = self._old_files()
                _write_new_file(op.path, op.snapshot)
                conn = _connect(op.path)
                self._put_files(conn, files)
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
            _move_into_place(tmp, path)
        except BaseException:
            _delete_db_files(tmp)
            raise
