"""JSONL (one example per line) and JSON (an array of examples) importers."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from tunedesk.core.cooperative import cooperative
from tunedesk.core.dataset import Example, Message
from tunedesk.core.formats._common import (
    ImportResult,
    Problems,
    display_name,
    nothing_loaded,
)
from tunedesk.core.formats._headers import example_from_values, recognise
from tunedesk.core.formats._text import (
    binary_problem,
    bom_encoding,
    control_ratio,
    line_of,
)
from tunedesk.core.i18n import Text, lazy


class BadLine(ValueError):
    """One line/object cannot become an example. ``message`` says where and what to do."""

    def __init__(self, code: str, message: Text) -> None:
        super().__init__(message.english())
        self.code = code
        self.message = message


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, and Azure rejects them: treat them as broken JSON.
    raise ValueError(f"{name} is not allowed in JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_decode = _DECODER.decode
_OBJECT_KEYS: dict[tuple[str, ...], dict[str, int]] = {}


def example_from_chat_json(
    obj: Any, line: int | None, *, path: str = "", example_id: str | None = None
) -> Example:
    """One parsed JSON value -> Example, or :class:`BadLine` when its shape is unusable.

    Understands ``{"messages": [...]}`` (chat), ``{"prompt", "completion"}`` (Azure text),
    ``{"question", "answer"}`` and the other headings a table may use. Roles, contents and
    weights are kept exactly as found, so the checks can report odd ones.
    ``example_id`` replaces the generated id (the importer makes ids in bulk, faster).
    """
    if not isinstance(obj, dict):
        raise BadLine("import.not_object", lazy.translate(
            "Import", "Line {line} of {file} is not a JSON object. Each line should hold one "
            "example, with a \"messages\" list or a question and an answer."
        ).format(line=line, file=display_name(path)))
    raw = obj.get("messages")
    if raw is not None:
        if not isinstance(raw, list):
            raise BadLine("import.messages_not_list", lazy.translate(
                "Import", "On line {line} of {file}, \"messages\" is not a list. Write it as "
                "[{{\"role\": \"user\", \"content\": \"…\"}}, …] and import the file again."
            ).format(line=line, file=display_name(path)))
        messages = []
        for number, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                raise BadLine("import.message_not_object", lazy.translate(
                    "Import", "On line {line} of {file}, message {number} is not an object "
                    "with a role and a content. Fix it and import the file again."
                ).format(line=line, file=display_name(path), number=number))
            messages.append(
                Message(item.get("role", ""), item.get("content"), item.get("weight"))
            )
        if example_id is None:
            return Example(messages, source_line=line)
        return Example(messages, id=example_id, source_line=line)
    keys = tuple(obj)
    found = _OBJECT_KEYS.get(keys)
    if found is None:
        found = recognise(keys)
        if len(_OBJECT_KEYS) < 1000:
            _OBJECT_KEYS[keys] = found
    if "question" not in found and "answer" not in found:
        raise BadLine("import.unknown_shape", lazy.translate(
            "Import", "Line {line} of {file} has no \"messages\" list and no question and "
            "answer (or prompt and completion), so it is not an example TuneDesk can use."
        ).format(line=line, file=display_name(path)))
    example = example_from_values(list(obj.values()), found, line or 0, keep_missing=False)
    if example_id is not None:
        example.id = example_id
    return example


_FIRST_NON_SPACE = re.compile(rb"[ \t\r\n]*")
_PIECE = 1 << 20


def _utf8_lines(data: bytes, start: int) -> list[str] | None:
    """``data[start:].decode("utf-8").split("\\n")``, done in ~1 MB pieces cut after a
    newline (so never inside a character), releasing the GIL between pieces; None when the
    bytes are not valid UTF-8."""
    lines: list[str] = []
    size = len(data)
    pos = start
    while True:
        cut = data.find(b"\n", min(pos + _PIECE, size))
        end = size if cut < 0 else cut + 1
        try:
            parts = data[pos:end].decode("utf-8").split("\n")
        except UnicodeDecodeError:
            return None
        if end < size:
            parts.pop()  # the empty text after the newline the piece ends with
        lines.extend(parts)
        if end >= size:
            return lines
        pos = end
        time.sleep(0)  # let the UI thread in (see core/cooperative.py)


def import_jsonl(path: str, data: bytes, *, as_array: bool) -> ImportResult:
    """JSONL, or a JSON array/object when ``as_array`` (a .json file) or when it is one."""
    encoding = "utf-8"
    found = bom_encoding(data)
    skip = 0
    if found is not None:
        encoding, skip = found
    elif control_ratio(data[:65536]) > 0.1:
        raise binary_problem(path)
    first = _FIRST_NON_SPACE.match(data, skip)
    head = data[first.end() : first.end() + 1] if first else b""
    whole_json = head == b"[" or (as_array and head == b"{")

    text: str | None = None
    lines: Sequence[str | bytes]
    text_lines: list[str] | None = None
    if encoding in {"utf-8", "utf-8-sig"} and not whole_json:
        # The common case, in ~1 MB pieces so no single 50 ms C call holds the GIL.
        text_lines = _utf8_lines(data, skip)
        # Not UTF-8: decode line by line below, so good lines still load.
        if text_lines is not None:  # noqa: SIM108 - a ternary widens to Sequence[object]
            lines = text_lines
        else:
            lines = data[skip:].split(b"\n")
    else:
        try:
            text = data[skip:].decode("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            if found is not None:
                raise binary_problem(path) from None
            text = None  # decode line by line below, so good lines still load
        if text is not None and found is not None and encoding != "utf-8-sig" and "\x00" in text:
            raise binary_problem(path)
        if text is not None and whole_json:
            whole = _import_whole(path, text, encoding)
            if whole is not None:
                return whole
        lines = text.split("\n") if text is not None else data.split(b"\n")

    problems = Problems(path)
    examples: list[Example] = []
    blank = 0
    decode = _decode
    append = examples.append
    # One random block for all ids: uuid4() per example costs ~0.15 s per 100,000 lines.
    ids = os.urandom(8 * len(lines)).hex()
    # Parsing runs on a worker thread: cooperative() lets the UI thread in regularly.
    items: Iterator[str | bytes] = cooperative(lines)
    for number, raw in enumerate(items, 1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                if raw.strip():
                    _line_problem(problems, path, number, raw)
                else:
                    blank += 1
                continue
        else:
            line = raw
        if not line or line.isspace():
            blank += 1
            continue
        try:
            obj = decode(line)
        except (ValueError, RecursionError) as exc:
            _json_problem(problems, path, number, line, exc)
            continue
        try:
            append(example_from_chat_json(
                obj, number, path=path, example_id=ids[16 * number - 16 : 16 * number]
            ))
        except BadLine as bad:
            problems.add(bad.code, bad.message, number)
    if not examples:
        if text is None and text_lines is not None:
            text = "\n".join(text_lines)
        if text is not None:  # perhaps one pretty-printed object spread over many lines
            whole = _import_whole(path, text, encoding)
            if whole is not None and whole.examples:
                return whole
        raise nothing_loaded(path, problems)
    if lines and not lines[-1]:
        blank -= 1  # the newline that ends the last line does not make a blank line
    return ImportResult(path, "jsonl", examples, problems.findings(),
                        encoding=encoding, skipped_blank=max(blank, 0))


def _line_problem(problems: Problems, path: str, number: int, raw: bytes) -> None:
    if b"\x00" in raw:
        _nul_problem(problems, path, number)
        return
    problems.add("import.not_utf8", lazy.translate(
        "Import", "Line {line} of {file} contains characters that are not UTF-8 text. Save the "
        "file as UTF-8 and import it again."
    ).format(line=number, file=display_name(path)), number)


def _nul_problem(problems: Problems, path: str, number: int) -> None:
    problems.add("import.binary_line", lazy.translate(
        "Import", "Line {line} of {file} contains binary data instead of text. Delete that "
        "line and import the file again."
    ).format(line=number, file=display_name(path)), number)


def _json_problem(
    problems: Problems, path: str, number: int, line: str, exc: Exception
) -> None:
    if "\x00" in line:
        _nul_problem(problems, path, number)
        return
    if isinstance(exc, RecursionError):
        detail = "nested too deeply"
    elif isinstance(exc, json.JSONDecodeError):
        detail = f"{exc.msg} at character {exc.colno}"
    else:
        detail = str(exc)[:200]
    problems.add("import.bad_json", lazy.translate(
        "Import", "Line {line} of {file} is not valid JSON ({detail}). Fix or delete that line "
        "and import the file again."
    ).format(line=number, file=display_name(path), detail=detail), number)


def _import_whole(path: str, text: str, encoding: str) -> ImportResult | None:
    """A JSON array of examples (or a single object). None if the text is not one value."""
    start = len(text) - len(text.lstrip())
    try:
        value, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    if text[end:].strip():
        return None  # more than one value: JSONL after all
    problems = Problems(path)
    examples: list[Example] = []
    if isinstance(value, dict):
        try:
            examples.append(example_from_chat_json(value, line_of(text, start), path=path))
        except BadLine as bad:
            problems.add(bad.code, bad.message, line_of(text, start))
    elif isinstance(value, list):
        # Decode again element by element to learn the line on which each one starts.
        position = text.index("[", start) + 1
        line = line_of(text, position)
        for item in value:
            while text[position] in " \t\r\n,":
                if text[position] == "\n":
                    line += 1
                position += 1
            try:
                _, after = _DECODER.raw_decode(text, position)
            except (ValueError, RecursionError):  # cannot happen: it decoded above
                after = position + 1
            try:
                examples.append(example_from_chat_json(item, line, path=path))
            except BadLine as bad:
                problems.add(bad.code, bad.message, line)
            line += text.count("\n", position, after)
            position = after
    else:
        return None
    if not examples:
        raise nothing_loaded(path, problems)
    return ImportResult(path, "json", examples, problems.findings(), encoding=encoding)
