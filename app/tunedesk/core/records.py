"""What the project-record histories share: the tolerant JSON readers their ``from_json``
methods use, and :class:`RecordHistory`, the add/update/get/list-newest-first/flush over
:meth:`Project.put_record <tunedesk.core.project.Project.put_record>` that
:class:`~tunedesk.core.jobs.JobHistory`, :class:`~tunedesk.core.deployments.DeploymentHistory`
and :class:`~tunedesk.core.quiz.QuizHistory` are made of.

The readers never raise: a missing or mistyped value gives the default (a project file may
have been written by an older or newer TuneDesk, or edited by hand).

Plain Python: no Qt, no cloud imports.
"""

from __future__ import annotations

import builtins
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, Self, TypeVar

from tunedesk.core.project import Project


# ----------------------------------------------------------------------------- JSON readers
def read_str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def read_opt_str(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def read_int(value: Any, default: int | None = None) -> int | None:
    """An int (a float with no fraction counts; a bool does not)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return default


def read_float(value: Any) -> float | None:
    """A finite number as a float (not a bool), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def read_dict(value: Any) -> dict[str, Any]:
    """A shallow copy of a JSON object, or an empty one."""
    return dict(value) if isinstance(value, dict) else {}


def read_time(value: Any) -> datetime | None:
    """An ISO 8601 text (``Z`` allowed) as an aware datetime, a naive one read as UTC; None
    for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def write_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ----------------------------------------------------------------------------- the history
class StoredRecord(Protocol):
    """What a history needs of its records (frozen dataclasses with these members)."""

    @property
    def created_at(self) -> datetime: ...

    def to_json(self) -> dict[str, Any]: ...

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """The record, or ValueError when ``data`` cannot be one."""
        ...


R = TypeVar("R", bound=StoredRecord)


class RecordHistory(Generic[R]):
    """The records of one kind in one project, newest first (by ``created_at``).

    ``add``/``update`` queue the change; pass ``flush=True`` (or call :meth:`flush`) when it
    must be on disk before going on. Flushing waits for the disk: call it off the UI thread.
    Records of ``kind`` are read with ``record_type.from_json``; one that cannot be read
    (ValueError) is skipped with a warning on the logger of the subclass's module.

    ``key`` gives a record's key in the project; ``label`` names a record in the error of
    :meth:`add` ("a job record 'k' exists already"; by default "<kind> record"). Subclasses
    may override :meth:`_check` (refuse a record before it is stored) and :meth:`_stamp`
    (the record actually stored and returned, e.g. with the time it was updated).
    """

    def __init__(
        self,
        project: Project,
        kind: str,
        record_type: type[R],
        *,
        key: Callable[[R], str],
        label: str = "",
    ) -> None:
        self.project = project
        self._kind = kind
        self._read = record_type.from_json
        self._key = key
        self._label = label or f"{kind} record"
        self._log = logging.getLogger(type(self).__module__)

    # -- hooks ----------------------------------------------------------------------------
    def _check(self, record: R) -> None:
        """Raise ValueError for a record that must not be stored (nothing by default)."""

    def _stamp(self, record: R) -> R:
        """The record to store and return (``record`` itself by default)."""
        return record

    # -- writing --------------------------------------------------------------------------
    def add(self, record: R, *, flush: bool = False) -> R:
        """Store a new record; ValueError if one with the same key exists already."""
        self._check(record)
        key = self._key(record)
        if self.project.get_record(self._kind, key) is not None:
            raise ValueError(f"a {self._label} {key!r} exists already")
        return self._put(record, flush)

    def update(self, record: R, *, flush: bool = False) -> R:
        """Store a changed record (added if it was not there)."""
        self._check(record)
        return self._put(record, flush)

    def _put(self, record: R, flush: bool) -> R:
        stored = self._stamp(record)
        self.project.put_record(self._kind, self._key(record), stored.to_json())
        if flush:
            self.project.flush()
        return stored

    def flush(self) -> None:
        self.project.flush()

    # -- reading --------------------------------------------------------------------------
    def get(self, key: str) -> R | None:
        data = self.project.get_record(self._kind, key)
        if data is None:
            return None
        try:
            return self._read(data)
        except ValueError:
            self._log.warning("ignoring a damaged %s record %r", self._kind, key)
            return None

    def list(self) -> builtins.list[R]:
        """Every readable record, newest first (damaged ones are skipped and logged)."""
        records = []
        for data in self.project.list_records(self._kind):
            try:
                records.append(self._read(data))
            except ValueError as exc:
                self._log.warning("ignoring a damaged %s record: %s", self._kind, exc)
        records.sort(key=lambda r: r.created_at, reverse=True)
        return records


__all__ = [
    "RecordHistory",
    "StoredRecord",
    "read_dict",
    "read_float",
    "read_int",
    "read_opt_str",
    "read_str",
    "read_time",
    "write_time",
]
