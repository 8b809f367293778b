"""A project's files on disk: the SQLite file and its sidecars, durable renames, identity.

SQLite may keep ``-wal``, ``-shm`` or ``-journal`` files next to ``name.tunedesk``; they are
part of the project: a stale one is removed before a new file is moved into its place, and
they are deleted with it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


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


def _move_into_place(tmp: Path, path: Path) -> None:
    """Replace ``path`` by the finished file ``tmp``, durably.

    A stale ``-wal`` next to the target would be replayed into the new file: the sidecars
    go first, then the rename, then the folder is synced so the rename survives a crash.
    """
    for side in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            _sidecar(path, side).unlink()
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
