"""The ``.tunedesk`` file format: tables, row encoding, versions, migrations, loading.

A ``.tunedesk`` file holds the system prompt, the rows (with ids, split, notes), free-form
settings (``meta``) and the history of jobs, deployments and quiz results (``records``)::

    PRAGMA application_id = APPLICATION_ID     -- "TUND": says "this is a TuneDesk project"
    PRAGMA user_version   = SCHEMA_VERSION     -- migrated forward, never opened if newer
    meta(key TEXT PRIMARY KEY, value TEXT)     -- JSON values
    examples(id TEXT PRIMARY KEY, pos INTEGER NOT NULL, messages TEXT NOT NULL,
             split TEXT, note TEXT, source_line INTEGER,
             draft INTEGER, origin TEXT, grp TEXT)      -- since version 2
    records(kind TEXT, id TEXT, data TEXT, created TEXT, PRIMARY KEY(kind, id))
    files(kind TEXT, id TEXT, role TEXT, sha256 TEXT, size INTEGER, codec TEXT,
          data BLOB, created TEXT, PRIMARY KEY(kind, id, role))

``files`` holds exact copies of files a record refers to (the training and validation
files a job was given, byte for byte): ``data`` is the content compressed with ``codec``
(``"zlib"``), ``size`` and ``sha256`` describe the uncompressed bytes and are checked on
every read. It is an *additive* table (:data:`ADDITIVE_TABLES`): it is created in new files
and added to older ones when they are opened, without changing ``user_version``, because a
TuneDesk that does not know it simply ignores it (a colleague with the previous version can
still open and edit the file; only the copies are invisible there).

``examples.messages`` is stored compactly as a JSON list of ``[role, content]`` or
``[role, content, weight]`` arrays (not objects): it opens about 40% faster than
``{"role": .., "content": ..}`` objects, which matters at 100,000 rows. ``pos`` is always
exactly ``0 .. n-1`` in row order.

A file is only opened after its header and version have been read without writing
anything: a newer one is refused with :class:`ProjectTooNew` and left untouched, an older
one is upgraded in one transaction by :data:`MIGRATIONS`.

Version 2 (issue 11) added ``draft`` (1 while a drafted row waits for review), ``origin``
(JSON: where a drafted row came from) and ``grp`` (a question asked several ways shares
one). Columns, not a side table, so undo, copy and every edit carry them with the row; a
real migration, not an additive table, because a version-1 TuneDesk rewriting the rows
would silently turn unreviewed drafts into training data. New files are written next to
their target and moved into place atomically.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from tunedesk.core.cooperative import bulk_build, cooperative
from tunedesk.core.dataset import Dataset, Example, Message, Origin, OriginKind, Split
from tunedesk.core.errors import FileProblem
from tunedesk.core.i18n import lazy
from tunedesk.core.project.errors import _damaged, _not_a_project, _open_problem
from tunedesk.core.project.files import _delete_db_files, _move_into_place

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
APPLICATION_ID = 0x54554E44  # b"TUND", stored in the SQLite header at offset 68

_SQLITE_MAGIC = b"SQLite format 3\x00"
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SCHEMA_V1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE examples(
    id TEXT PRIMARY KEY,
    pos INTEGER NOT NULL,
    messages TEXT NOT NULL,
    split TEXT,
    note TEXT,
    source_line INTEGER,
    draft INTEGER,
    origin TEXT,
    grp TEXT
);
CREATE TABLE records(
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY(kind, id)
);
"""

_FILES_TABLE = """
CREATE TABLE IF NOT EXISTS files(
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    codec TEXT NOT NULL,
    data BLOB NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY(kind, id, role)
)
"""

# Tables a TuneDesk that does not know them can ignore: created in new files and added to
# older ones on open (``_add_missing_tables``), without a ``user_version`` bump, so the file
# still opens in the previous version. Anything an older version would misread needs a
# real migration (:data:`MIGRATIONS`) instead.
ADDITIVE_TABLES: dict[str, str] = {"files": _FILES_TABLE}  # name -> CREATE statement

_FILE_COLUMNS = "kind, id, role, sha256, size, codec, data, created"
_UPSERT_FILE = (
    f"INSERT INTO files({_FILE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(kind, id, role) DO UPDATE SET sha256 = excluded.sha256, "
    "size = excluded.size, codec = excluded.codec, data = excluded.data"
)
_SELECT_FILES = f"SELECT {_FILE_COLUMNS} FROM files"

Migration = Callable[[sqlite3.Connection], None]
# version -> function that upgrades a file from that version to version + 1, inside one
# transaction. Add an entry (and bump SCHEMA_VERSION) whenever the file layout changes.
def _v1_to_v2(conn: sqlite3.Connection) -> None:
    for column in ("draft INTEGER", "origin TEXT", "grp TEXT"):
        conn.execute(f"ALTER TABLE examples ADD COLUMN {column}")


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


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


def _encode_messages(messages: Iterable[Message]) -> str:
    return _dumps(
        [
            [m.role, m.content] if m.weight is None else [m.role, m.content, m.weight]
            for m in messages
        ]
    )


def _encode_origin(origin: Origin | None) -> str | None:
    if origin is None:
        return None
    data: dict[str, Any] = {"kind": str(origin.kind)}
    for key in ("source", "page", "excerpt", "chunk", "of"):
        value = getattr(origin, key)
        if value not in ("", None):
            data[key] = value
    return _dumps(data)


_ORIGIN_KINDS: dict[Any, OriginKind] = {k.value: k for k in OriginKind}


def _decode_origin(text: str | None) -> Origin | None:
    """An origin as stored; None for none, or for one too damaged to read (it is only a
    record of where a row came from: the row itself must still open)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") not in _ORIGIN_KINDS:
        return None
    page = data.get("page")

    def text_of(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    return Origin(
        _ORIGIN_KINDS[data["kind"]],
        source=text_of("source"),
        page=page if isinstance(page, int) and not isinstance(page, bool) else None,
        excerpt=text_of("excerpt"),
        chunk=text_of("chunk"),
        of=text_of("of"),
    )


_Row = tuple[str, int, str, str, str, int | None, int | None, str | None, str | None]


def _row(example: Example, pos: int) -> _Row:
    return (
        example.id,
        pos,
        _encode_messages(example.messages),
        str(example.split),
        example.note,
        example.source_line,
        *_review_columns(example),
    )


def _review_columns(example: Example) -> tuple[int | None, str | None, str | None]:
    """``draft, origin, grp`` as stored (NULL for the usual row: no draft, no origin)."""
    return (
        1 if example.draft else None,
        _encode_origin(example.origin),
        example.group or None,
    )


_INSERT_ROW = (
    "INSERT INTO examples(id, pos, messages, split, note, source_line, draft, origin, grp) "
    "VALUES (?,?,?,?,?,?,?,?,?)"
)
_UPSERT_META = (
    "INSERT INTO meta(key, value) VALUES (?, ?) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)
_UPSERT_RECORD = (
    "INSERT INTO records(kind, id, data, created) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data"
)


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
            for table in ADDITIVE_TABLES.values():
                conn.execute(table)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
            _write_snapshot(conn, snap)
            conn.execute("COMMIT")
        finally:
            conn.close()  # checkpoints the WAL into the file and removes it
        _move_into_place(tmp, path)
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


def _readable_version(path: Path) -> int:
    """The schema version of a project file, checked without writing anything to it.

    Raises :class:`ProjectTooNew` (file untouched) or :class:`FileProblem`.
    """
    _read_header(path)              # read-only: magic and application id
    found = _read_version(path)     # read-only connection: nothing written yet
    if found > SCHEMA_VERSION:
        raise ProjectTooNew(path, found)
    if found < 1:
        raise _damaged(path)
    return found


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


def _add_missing_tables(conn: sqlite3.Connection) -> None:
    """Create the :data:`ADDITIVE_TABLES` an older file lacks (one transaction)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = [ddl for name, ddl in ADDITIVE_TABLES.items() if name not in names]
    if not missing:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in missing:
            conn.execute(table)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


FileKey = tuple[str, str, str]          # (kind, id, role)
FileInfo = tuple[str, int]              # (sha256, size) of the uncompressed bytes


@dataclass(slots=True)
class _Loaded:
    dataset: Dataset
    meta: dict[str, str]
    records: dict[str, dict[str, tuple[str, str]]]
    positions_ok: bool
    files: dict[FileKey, FileInfo]


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
            "SELECT id, pos, messages, split, note, source_line, draft, origin, grp "
            "FROM examples"
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
                Example(
                    [msg(*m) for m in messages],
                    r[0],
                    splits.get(r[3], auto),
                    r[4] or "",
                    r[5],
                    bool(r[6]),
                    _decode_origin(r[7]) if r[7] else None,
                    r[8] or "",
                )
                for r, messages in zip(chunk, decoded, strict=True)
            )
    files: dict[FileKey, FileInfo] = {
        (kind, rid, role): (sha, int(size))
        for kind, rid, role, sha, size in conn.execute(
            "SELECT kind, id, role, sha256, size FROM files"
        )
    }
    return _Loaded(
        Dataset(prompt if isinstance(prompt, str) else "", examples),
        meta,
        records,
        positions_ok,
        files,
    )
