"""The project file: one SQLite file per project, saved as you type.

Import from here; the submodules are the parts of one thing:

- ``files``: the SQLite file and its ``-wal``/``-shm``/``-journal`` sidecars on disk, durable
  renames, file identity.
- ``errors``: :class:`ProjectWriteError` and the plain-words problems met while opening a file
  (not a project, damaged, missing, already open).
- ``schema``: the file format (``SCHEMA_VERSION``, ``APPLICATION_ID``, the tables, the compact
  row encoding), reading the header and version without writing, :data:`MIGRATIONS`, writing
  a complete file atomically, loading one; :class:`ProjectTooNew`, next to the version it names.
- ``writer``: the writer thread that owns the connection (WAL, ``synchronous=FULL``, exclusive
  lock) and turns queued edits into group-committed transactions; its operations; what it
  does after a write error.
- ``scratch``: the folder of unsaved ("Untitled") projects.
- ``store``: :class:`Project`, the facade: create, open, save as, close, meta and records, and
  the dataset events it forwards to the writer.

Each submodule imports only the ones listed above it.
"""

from __future__ import annotations

from tunedesk import PROJECT_SUFFIX
from tunedesk.core.project.errors import ProjectWriteError
from tunedesk.core.project.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, ProjectTooNew
from tunedesk.core.project.scratch import list_scratch_projects, scratch_dir
from tunedesk.core.project.store import Project

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
