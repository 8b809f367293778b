"""Tables: CSV/TSV/TXT (any of the usual encodings and delimiters) and Excel .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from tunedesk.core.cooperative import cooperative
from tunedesk.core.dataset import Example
from tunedesk.core.errors import FileProblem
from tunedesk.core.formats._common import (
    ColumnMapping,
    ColumnMappingNeeded,
    ImportResult,
    Problems,
    display_name,
)
from tunedesk.core.formats._headers import (
    detect_mapping,
    example_from_values,
    guess_mapping,
    looks_like_header,
    mapping_fields,
)
from tunedesk.core.formats._text import MAX_IMPORT_BYTES, decode_text
from tunedesk.core.i18n import lazy, translate

_SAMPLE_ROWS = 5
Row = tuple[int, list[str]]  # (1-based line or sheet row, cells)


# ---------------------------------------------------------------------- CSV / TSV / TXT
def sniff_delimiter(text: str, preferred: str) -> str:
    """The delimiter (comma, semicolon, tab) that splits the first records most evenly."""
    sample = text[:65536]
    cut = sample.rfind("\n")
    if 0 < cut < len(sample) - 1:
        sample = sample[: cut + 1]
    best: tuple[float, int, int] | None = None
    choice = preferred
    order = [preferred] + [d for d in (",", "\t", ";") if d != preferred]
    for rank, delimiter in enumerate(order):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            widths = [len(r) for r in itertools.islice(reader, 30) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        if common < 2:
            continue
        score = (widths.count(common) / len(widths), common, -rank)
        if best is None or score > best:
            best, choice = score, delimiter
    return choice


def _csv_rows(path: str, text: str, delimiter: str, problems: Problems) -> Iterator[Row]:
    """Records with the physical line on which each starts; broken quoting -> problems."""
    # Multi-line answers can be long; the csv module's default cell limit is 128 KiB.
    if csv.field_size_limit() < MAX_IMPORT_BYTES:
        csv.field_size_limit(MAX_IMPORT_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                problems.add("import.open_quote", lazy.translate(
                    "Import", "Line {line} of {file} opens a quote (\") that is never closed, "
                    "so the rest of the file could not be read. Add the missing quote and "
                    "import the file again."
                ).format(line=start, file=display_name(path)), start)
                return
            problems.add("import.bad_quotes", lazy.translate(
                "Import", "The quotes on line {line} of {file} do not match ({detail}). Put "
                "the whole cell in quotes and double any quote inside it (\"\"), then import "
                "the file again."
            ).format(line=start, file=display_name(path), detail=str(exc)), start)
            start = reader.line_num + 1
            continue
        yield start, record
        start = reader.line_num + 1


def import_delimited(
    path: str, data: bytes, suffix: str, mapping: ColumnMapping | None
) -> ImportResult:
    text, encoding = decode_text(path, data)
    if text.startswith("\ufeff"):
        text = text[1:]
    preferred = "\t" if suffix in {".tsv", ".txt"} else ","
    delimiter = "\t" if suffix == ".tsv" else sniff_delimiter(text, preferred)
    kind = "tsv" if delimiter == "\t" else "csv"
    problems = Problems(path)
    rows = _csv_rows(path, text, delimiter, problems)
    return _import_table(path, kind, rows, problems, mapping, encoding)


# ---------------------------------------------------------------------- XLSX
def _cell_text(value: Any, number_format: str | None) -> str:
    """A cell's value as the person sees it in Excel (3, not 3.0; dates without 00:00)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if number_format and "%" in number_format:
            return f"{value * 100:.15g}%"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _not_xlsx(path: str, data_start: bytes) -> FileProblem:
    if data_start.startswith(b"\xd0\xcf\x11\xe0"):
        hint = lazy.translate(
            "Import", "It looks like an old Excel 97-2003 (.xls) file. Open it in Excel and "
            "save it as Excel Workbook (.xlsx), then import it again."
        )
    else:
        hint = lazy.translate(
            "Import", "Open it in Excel and save it again as Excel Workbook (.xlsx), or save it "
            "as CSV UTF-8 and import that."
        )
    return FileProblem(
        path,
        lazy.translate("Import", "{file} is not a valid Excel workbook (.xlsx).").format(
            file=display_name(path)),
        hint,
    )


def _sheet_rows(sheet: Any) -> Iterator[Row]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
    number = 0
    for cells in sheet.iter_rows():
        number += 1
        texts: list[str] = []
        for cell in cells:
            row = getattr(cell, "row", None)
            if isinstance(row, int) and row > number:
                number = row
            texts.append(_cell_text(cell.value, getattr(cell, "number_format", None)))
        yield number, texts


def import_xlsx(
    path: str, data_start: bytes, mapping: ColumnMapping | None
) -> ImportResult:
    if not data_start.startswith(b"PK"):
        raise _not_xlsx(path, data_start)
    import openpyxl  # slow to import (~0.2 s); only needed for Excel files

    problems = Problems(path)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it does not read (data validation, styles…);
            # they do not matter for the cell values imported here.
            warnings.simplefilter("ignore")
            # Open the file ourselves: openpyxl leaves its own handle open when it fails.
            with open(path, "rb") as handle:
                book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                try:
                    rows = _first_sheet_with_data(book)
                    if rows is None:
                        raise FileProblem(
                            path,
                            lazy.translate("Import", "{file} has no data in any sheet.").format(
                                file=display_name(path)),
                            lazy.translate("Import", "Put the questions in one column and the "
                                           "answers in the next, then import it again."),
                        )
                    return _import_table(path, "xlsx", rows, problems, mapping, None)
                finally:
                    book.close()
    except (FileProblem, ColumnMappingNeeded):
        raise
    except zipfile.BadZipFile:
        raise _not_xlsx(path, data_start) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a damaged file
        raise _not_xlsx(path, data_start) from None


def _first_sheet_with_data(book: Any) -> Iterator[Row] | None:
    for sheet in book.worksheets:
        if not hasattr(sheet, "iter_rows"):
            continue  # a chart sheet
        rows = _sheet_rows(sheet)
        for row in rows:
            if any(c.strip() for c in row[1]):
                return itertools.chain([row], rows)
    return None


# ---------------------------------------------------------------------- rows -> examples
def _import_table(
    path: str,
    kind: str,
    rows: Iterator[Row],
    problems: Problems,
    mapping: ColumnMapping | None,
    encoding: str | None,
) -> ImportResult:
    blank = 0
    head: list[Row] = []
    for row in rows:
        if not any(c.strip() for c in row[1]):
            blank += 1
            continue
        head.append(row)
        if len(head) > _SAMPLE_ROWS:
            break
    if not head:
        raise FileProblem(
            path,
            lazy.translate("Import", "{file} contains no rows with text.").format(
                file=display_name(path)),
            lazy.translate("Import", "Put the questions in one column and the answers in the "
                           "next, then import it again."),
        )
    first = head[0][1]
    width = max(len(r[1]) for r in head)
    if mapping is None:
        mapping = detect_mapping(first)
        if mapping is None:
            _ask_for_mapping(path, head, width)
    assert mapping is not None
    if not _mapping_fits(mapping, width):
        raise FileProblem(
            path,
            lazy.translate(
                "Import", "The columns chosen for {file} do not exist in it: it has {count} "
                "columns."
            ).format(file=display_name(path), count=width),
            lazy.translate("Import", "Choose the question and answer columns again."),
        )
    found = mapping_fields(mapping)
    examples: list[Example] = []
    data_rows: Iterable[Row] = itertools.chain(head, rows)
    skip_header = mapping.has_header
    for line, cells in cooperative(data_rows):  # worker thread: let the UI in
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        if skip_header:
            skip_header = False
            continue
        examples.append(example_from_values(cells, found, line, keep_missing=True))
    if not examples and not len(problems):
        raise FileProblem(
            path,
            lazy.translate("Import", "{file} has column headings but no rows below them.").format(
                file=display_name(path)),
            lazy.translate("Import", "Add your questions and answers under the headings, then "
                           "import it again."),
        )
    return ImportResult(path, kind, examples, problems.findings(), encoding=encoding,
                        mapping=mapping, skipped_blank=blank)


def _mapping_fits(mapping: ColumnMapping, width: int) -> bool:
    columns = mapping.columns()
    return (
        mapping.question != mapping.answer
        and all(0 <= c < width for c in columns)
        and len(set(columns)) == len(columns)
    )


def _ask_for_mapping(path: str, head: list[Row], width: int) -> None:
    first = head[0][1]
    guess = guess_mapping(first, width)
    header = guess.has_header if guess is not None else looks_like_header(first)
    if header:
        headers = [
            cell.strip() or translate("Import", "Column {number}").format(number=i + 1)
            for i, cell in enumerate([*first, *[""] * (width - len(first))])
        ]
        sample_rows = head[1:]
    else:
        headers = [translate("Import", "Column {number}").format(number=i + 1)
                   for i in range(width)]
        sample_rows = head
    sample = [[*cells, *[""] * (width - len(cells))] for _, cells in sample_rows[:_SAMPLE_ROWS]]
    raise ColumnMappingNeeded(path, headers, sample, guess)
