"""Unsaved ("Untitled") projects: a folder in the user data directory.

A project that has not been saved anywhere yet is still a file, so it is kept like any
other and can be offered for restoring after a crash.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from tunedesk import APP_ID, PROJECT_SUFFIX
from tunedesk.core.project.files import _sidecar

SCRATCH_FOLDER = "Unsaved"


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


def _in_scratch_dir(path: Path) -> bool:
    try:
        return path.resolve().parent == scratch_dir().resolve()
    except OSError:
        return False
