"""Reading a file's bytes safely and finding out how its text is encoded."""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata

from tunedesk.core.errors import FileProblem
from tunedesk.core.formats._common import MAX_IMPORT_BYTES, display_name
from tunedesk.core.i18n import lazy

_SAMPLE = 64 * 1024
_MB = 1024 * 1024
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),   # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAVE_AS_UTF8 = lazy.translate(
    "Import", "Save it again as UTF-8 (in Excel: File > Save As > CSV UTF-8) and import it again."
)


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """The file's bytes (the first ``limit`` only, if given) after checking that it exists,
    is a file, is not empty and is not bigger than :data:`MAX_IMPORT_BYTES`."""
    name = display_name(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(
                path, lazy.translate("Import", "{file} is a folder, not a file.").format(file=name),
                lazy.translate("Import", "Choose a file inside the folder."),
            )
        check_size(path, info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1 if limit is None else limit)
    except FileNotFoundError:
        raise FileProblem(
            path, lazy.translate("Import", "{file} could not be found.").format(file=name),
            lazy.translate("Import", "Check that the file still exists and was not moved or "
                           "renamed."),
        ) from None
    except PermissionError:
        raise FileProblem(
            path, lazy.translate("Import", "TuneDesk is not allowed to read {file}.").format(
                file=name),
            lazy.translate("Import", "Close the file in other programs (such as Excel) or check "
                           "its permissions, then try again."),
        ) from None
    except OSError as exc:
        raise unreadable(path, exc) from None
    if limit is None:
        check_size(path, len(data))  # it may have changed since os.stat
    return data


def unreadable(path: str, exc: OSError) -> FileProblem:
    return FileProblem(
        path,
        lazy.translate("Import", "{file} could not be read ({reason}).").format(
            file=display_name(path), reason=exc.strerror or exc.__class__.__name__),
        lazy.translate("Import", "Check that the file is on a drive you can reach, then try "
                       "again."),
    )


def check_size(path: str, size: int) -> None:
    name = display_name(path)
    if size == 0:
        raise FileProblem(
            path, lazy.translate("Import", "{file} is empty.").format(file=name),
            lazy.translate("Import", "Choose a file that contains your questions and answers."),
        )
    if size > MAX_IMPORT_BYTES:
        raise FileProblem(
            path,
            lazy.translate(
                "Import", "{file} is {size} MB, more than the {limit} MB that Azure accepts "
                "for one training file."
            ).format(file=name, size=size // _MB, limit=MAX_IMPORT_BYTES // _MB),
            lazy.translate("Import", "Split it into smaller files, or remove examples you do "
                           "not need."),
        )


def binary_problem(path: str, line: int | None = None) -> FileProblem:
    return FileProblem(
        path,
        lazy.translate(
            "Import", "{file} does not look like a text file: it contains binary data."
        ).format(file=display_name(path)),
        lazy.translate(
            "Import", "Choose a .jsonl, .csv, .tsv, .txt or .xlsx file. If this is an Excel "
            "workbook, make sure its name ends in .xlsx."
        ),
        line=line,
    )


def control_ratio(sample: bytes) -> float:
    """Share of control bytes (NUL, escape…) that text files do not contain."""
    if not sample:
        return 0.0
    return sum(1 for b in sample if b in _CONTROL) / len(sample)


def line_of(data: bytes | str, position: int) -> int:
    newline: bytes | str = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, position) + 1  # type: ignore[arg-type]


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot UTF-16 without a byte-order mark from its pattern of zero bytes."""
    sample = data[: 4096 - 4096 % 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """No control characters, private-use or unassigned code points in the first part."""
    sample = text[:_SAMPLE]
    if not sample:
        return True
    odd = 0
    for ch in sample:
        if (ch < " " and ch not in "\t\n\r\f") or (
            ch > "~" and unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"}
        ):
            odd += 1
    return odd <= len(sample) // 100


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then strict UTF-8, then GB18030 if it reads as text."""
    name = display_name(path)
    found = bom_encoding(data)
    if found is None:
        guessed = _utf16_without_bom(data)
        if guessed is not None:
            found = (guessed, 0)
    if found is not None:
        encoding, skip = found
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise FileProblem(
                path,
                lazy.translate(
                    "Import", "{file} says it is {encoding} text, but part of it is not."
                ).format(file=name, encoding=encoding.upper()),
                _SAVE_AS_UTF8,
            ) from exc
        if "\x00" in text or not _looks_like_text(text):
            raise binary_problem(path)
        return text, encoding
    zero = data.find(b"\x00")
    if zero >= 0:
        raise binary_problem(path, line_of(data, zero))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if not _looks_like_text(text):
            raise binary_problem(path)
        return text, "utf-8"
    if control_ratio(data[:_SAMPLE]) > 0.01:
        raise binary_problem(path)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, "gb18030"
    raise FileProblem(
        path,
        lazy.translate(
            "Import", "TuneDesk cannot read the text in {file}: it is not in a text encoding "
            "TuneDesk knows (UTF-8, UTF-16 or GB18030). The first unreadable character is on "
            "line {line}."
        ).format(file=name, line=line_of(data, utf8_error.start)),
        _SAVE_AS_UTF8,
        line=line_of(data, utf8_error.start),
    )
