"""What can go wrong with a project file, in plain words.

:class:`ProjectWriteError` is raised when edits could not be saved; the helpers build the
:class:`FileProblem` shown when a file cannot be opened (not a project, damaged, missing,
already open in another window, not allowed). :class:`ProjectTooNew` lives in
:mod:`.schema`, next to the version it reports.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from tunedesk.core.errors import FileProblem, UserFacingError
from tunedesk.core.i18n import lazy


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
