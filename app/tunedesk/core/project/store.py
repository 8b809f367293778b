"""The open project: :class:`Project`, the one object the rest of TuneDesk talks to.

Persistence is automatic. A :class:`Project` listens to its :class:`Dataset`'s events (which
fire on the UI thread), and the handlers only put the immutable ``Example`` objects on a
queue for the project's writer thread (:mod:`.writer`), which saves them. ``meta`` (free-form
settings) and ``records`` (jobs, deployments, quiz results) are kept in memory as JSON text
and saved the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import sqlite3
import threading
import zlib
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tunedesk import PROJECT_SUFFIX, __version__
from tunedesk.core.dataset import Dataset, Example
from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import lazy
from tunedesk.core.project.errors import ProjectWriteError, _damaged, _open_problem
from tunedesk.core.project.files import _delete_db_files, _same_file
from tunedesk.core.project.schema import (
    _UPSERT_FILE,
    _UPSERT_META,
    _UPSERT_RECORD,
    FileInfo,
    FileKey,
    _add_missing_tables,
    _dumps,
    _load,
    _migrate,
    _readable_version,
    _Snapshot,
    _write_new_file,
)
from tunedesk.core.project.scratch import _in_scratch_dir, scratch_dir
from tunedesk.core.project.writer import (
    _Barrier,
    _connect,
    _DataOp,
    _Insert,
    _Read,
    _Remove,
    _Replace,
    _Reset,
    _Resync,
    _SaveAs,
    _Sql,
    _Stop,
    _Writer,
)

log = logging.getLogger(__name__)

_RESERVED_META = frozenset({"system_prompt"})  # owned by the Dataset


def _copy_damaged(path: Path, cause: BaseException) -> FileProblem:
    problem = FileProblem(
        str(path),
        lazy.translate(
            "Project", "The copy of a training file kept in the project {name} is damaged."
        ).format(name=path.name),
        lazy.translate(
            "Project",
            "The rest of the project is fine. Training again stores a new copy.",
        ),
    )
    problem.__cause__ = cause
    return problem


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
        files: dict[FileKey, FileInfo] | None = None,
    ) -> None:
        """Internal: use :meth:`create`, :meth:`create_scratch` or :meth:`open`."""
        self.path = path
        self.dataset = dataset
        self.is_scratch = is_scratch
        self._meta = meta
        self._records = records
        self._files: dict[FileKey, FileInfo] = dict(files or {})
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
        found = _readable_version(path)  # read-only: nothing written yet
        try:
            conn = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise _open_problem(path, exc) from exc
        try:
            _migrate(conn, path, found)
            _add_missing_tables(conn)
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
            files=loaded.files,
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

    def has_record(self, kind: str, id: str) -> bool:
        """Whether a record is stored, without decoding it."""
        with self._lock:
            return id in self._records.get(kind, {})

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

    # ---------------------------------------------------------------- file copies
    def put_file(self, kind: str, id: str, role: str, data: bytes) -> str:
        """Keep an exact copy of ``data`` in the project (e.g. the training file a job was
        given), saved like any edit: call :meth:`flush` when it must be on disk. Returns
        its SHA-256. Compresses on the calling thread (100 MB take about a second): call
        it off the UI thread. Replaces an earlier copy under the same key."""
        sha = hashlib.sha256(data).hexdigest()
        packed = zlib.compress(data, 6)
        row = (kind, id, role, sha, len(data), "zlib", packed, _now())
        with self._lock:
            self._files[(kind, id, role)] = (sha, len(data))
            self._send(_Sql(_UPSERT_FILE, row))
        return sha

    def file_info(self, kind: str, id: str, role: str) -> FileInfo | None:
        """``(sha256, size)`` of a stored copy, or None (from memory, no file access)."""
        with self._lock:
            return self._files.get((kind, id, role))

    def list_files(self, kind: str, id: str) -> dict[str, FileInfo]:
        """The roles stored for one record, with their ``(sha256, size)``."""
        with self._lock:
            return {r: info for (k, i, r), info in self._files.items() if k == kind and i == id}

    def get_file(self, kind: str, id: str, role: str) -> bytes | None:
        """The exact bytes stored by :meth:`put_file`, checked against their SHA-256, or None.

        Blocks until the writer has read them (off the UI thread for big files). Raises
        :class:`FileProblem` when the copy is damaged, :class:`ProjectWriteError` when the
        project cannot be read any more.
        """
        self._check_open()
        with self._lock:
            if (kind, id, role) not in self._files:
                return None
            op = _Read(
                "SELECT sha256, size, codec, data FROM files WHERE kind = ? AND id = ? "
                "AND role = ?",
                (kind, id, role),
            )
            self._writer.put(op)
        self._writer.wait(op.done)
        if op.error is not None:
            if isinstance(op.error, sqlite3.DatabaseError) and not isinstance(
                op.error, sqlite3.OperationalError
            ):
                raise _copy_damaged(self.path, op.error) from op.error
            raise _open_problem(self.path, op.error) from op.error
        if not op.rows:
            return None  # e.g. lost while rescuing an unreadable file (logged then)
        sha, size, codec, packed = op.rows[0]
        try:
            if codec != "zlib":
                raise ValueError(f"unknown codec {codec!r}")
            data = zlib.decompress(packed)
        except (ValueError, TypeError, zlib.error) as exc:
            raise _copy_damaged(self.path, exc) from exc
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            raise _copy_damaged(self.path, ValueError(f"{kind}/{id}/{role}: wrong SHA-256"))
        return data

    def delete_files(self, kind: str, id: str) -> None:
        """Remove every stored copy of one record."""
        with self._lock:
            keys = [k for k in self._files if k[0] == kind and k[1] == id]
            for key in keys:
                del self._files[key]
            if keys:
                self._send(_Sql("DELETE FROM files WHERE kind = ? AND id = ?", (kind, id)))

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
