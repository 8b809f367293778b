"""Importing questions and answers from files people already have (no Qt here).

``import_file`` reads JSONL/JSON (chat ``messages``, ``prompt``/``completion``,
``question``/``answer``), CSV/TSV/TXT tables in UTF-8, UTF-16 or GB18030, and Excel .xlsx
workbooks. Lines or rows that cannot be loaded become :class:`Finding` s in
``ImportResult.problems`` while every good line is still loaded. A file that cannot be read
at all raises :class:`~tunedesk.core.errors.FileProblem`; a table whose columns are not
recognised raises :class:`ColumnMappingNeeded`. Nothing else is raised.
"""

from __future__ import annotations

import os

from tunedesk.core.cooperative import bulk_build
from tunedesk.core.errors import FileProblem
from tunedesk.core.formats._common import (
    MAX_IMPORT_BYTES,
    SUPPORTED_SUFFIXES,
    ColumnMapping,
    ColumnMappingNeeded,
    ImportResult,
    display_name,
)
from tunedesk.core.formats._headers import detect_mapping, normalise, parse_split
from tunedesk.core.formats._jsonl import BadLine, example_from_chat_json, import_jsonl
from tunedesk.core.formats._table import import_delimited, import_xlsx
from tunedesk.core.formats._text import read_bytes
from tunedesk.core.i18n import lazy

__all__ = [
    "MAX_IMPORT_BYTES",
    "SUPPORTED_SUFFIXES",
    "BadLine",
    "ColumnMapping",
    "ColumnMappingNeeded",
    "ImportResult",
    "detect_mapping",
    "example_from_chat_json",
    "import_file",
    "normalise",
    "parse_split",
]


def import_file(
    path: str | os.PathLike[str], *, mapping: ColumnMapping | None = None
) -> ImportResult:
    """Read the examples in ``path``. ``mapping`` says which columns to use in a table.

    Raises :class:`FileProblem` when the file cannot be read at all and
    :class:`ColumnMappingNeeded` when a table's columns are not recognised.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise FileProblem(
            str(path), lazy.translate("Import", "This is not a file name: {name}").format(
                name=str(path)),
        ) from None
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FileProblem(
            name,
            lazy.translate("Import", "TuneDesk cannot import {file}: it does not know files "
                           "of this type.").format(file=display_name(name)),
            lazy.translate("Import", "Use a .jsonl, .csv, .tsv, .txt or .xlsx file. In Excel, "
                           "choose File > Save As > Excel Workbook (.xlsx) or CSV UTF-8."),
        )
    with bulk_build():
        if suffix == ".xlsx":
            return import_xlsx(name, read_bytes(name, limit=8), mapping)
        data = read_bytes(name)
        if suffix in {".jsonl", ".json"}:
            return import_jsonl(name, data, as_array=suffix == ".json")
        return import_delimited(name, data, suffix, mapping)


