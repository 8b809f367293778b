"""Writing the dataset as Azure chat JSONL (train.jsonl + validation.jsonl).

The files are UTF-8 without a BOM, one example per line, "\\n" line endings, non-ASCII text
written as is. Each example carries the project system prompt unless it has its own system
message. Files are written to a temporary name and moved into place, so a crash never
leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tunedesk.core.cooperative import cooperative
from tunedesk.core.dataset import Dataset, Example, Split
from tunedesk.core.errors import FileProblem
from tunedesk.core.formats import example_from_chat_json
from tunedesk.core.i18n import lazy

__all__ = [
    "TRAIN_FILE",
    "VALIDATION_FILE",
    "ExportResult",
    "example_from_chat_json",
    "export_jsonl",
    "plan_split",
    "write_chat_jsonl",
]

TRAIN_FILE = "train.jsonl"
VALIDATION_FILE = "validation.jsonl"


@dataclass(frozen=True, slots=True)
class ExportResult:
    train_path: Path
    validation_path: Path | None  # None when no example goes to validation
    train_count: int
    validation_count: int


def _hash_key(example_id: str) -> str:
    return hashlib.sha256(example_id.encode("utf-8")).hexdigest()


def plan_split(dataset: Dataset, validation_fraction: float = 0.1) -> dict[str, Split]:
    """The effective split (TRAIN or VALIDATION) of every example id.

    Examples marked TRAIN or VALIDATION keep it. Of the AUTO examples,
    ``round(fraction × count)`` go to validation, chosen by the SHA-256 of their ids, so the
    same dataset always gives the same split and adding a row moves few others. At least
    one goes to validation when the fraction is above zero, there are two or more examples
    and none is marked VALIDATION; at least one example always stays for training.

    A question asked several ways (rows sharing a :attr:`~Example.group`: an original and
    its paraphrases) is one unit, chosen by the hash of the group: all of it goes to one
    side, so validation never asks what training already taught in other words. Its AUTO
    rows follow a side one of its rows is marked with.
    """
    if not (0.0 <= validation_fraction <= 1.0) or math.isnan(validation_fraction):
        raise ValueError(f"validation_fraction must be between 0 and 1, not {validation_fraction}")
    plan: dict[str, Split] = {}
    units: dict[str, list[str]] = {}  # split key -> its AUTO example ids, in row order
    marked: dict[str, Split] = {}  # group -> the side one of its rows is marked with
    fixed_train = fixed_validation = auto_count = 0
    for example in dataset:
        if example.split == Split.TRAIN:
            plan[example.id] = Split.TRAIN
            fixed_train += 1
        elif example.split == Split.VALIDATION:
            plan[example.id] = Split.VALIDATION
            fixed_validation += 1
        else:
            units.setdefault(example.split_key, []).append(example.id)
            auto_count += 1
            continue
        if example.group:
            marked.setdefault(example.group, example.split)
    for key, side in marked.items():  # AUTO rows of a marked group go where it is marked
        for example_id in units.pop(key, ()):
            plan[example_id] = side
            auto_count -= 1
            if side == Split.TRAIN:
                fixed_train += 1
            else:
                fixed_validation += 1
    wanted = 0
    if validation_fraction > 0 and auto_count:
        wanted = int(validation_fraction * auto_count + 0.5)  # round half up, not to even
        if wanted == 0 and fixed_validation == 0 and len(dataset) >= 2:
            wanted = 1
    # Keys first, cooperatively: this runs on a worker while the UI thread paints.
    keys = {key: _hash_key(key) for key in cooperative(units)}
    ordered = sorted(units, key=keys.__getitem__)
    chosen: set[str] = set()
    taken = 0
    # Whole units while each brings the count nearer to the wanted one (the last unit always
    # stays for training if nothing else does), and at least one when any is wanted.
    for key in ordered[: len(ordered) if fixed_train else len(ordered) - 1]:
        size = len(units[key])
        if taken + size / 2 >= wanted and (taken or not wanted):
            break
        chosen.add(key)
        taken += size
    for key, ids in units.items():
        side = Split.VALIDATION if key in chosen else Split.TRAIN
        for example_id in ids:
            plan[example_id] = side
    return plan


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_ENCODE_ASCII = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


def _line(example: Example, system_prompt: str) -> str:
    record = {"messages": example.chat_messages(system_prompt)}
    text = _ENCODE(record)
    if "\u2028" in text or "\u2029" in text:
        # Valid JSON, but some line readers split on these separators: escape them.
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (from a "\\ud800" escape in an imported file) cannot be UTF-8;
        # ASCII escapes keep the line valid JSON and the file valid UTF-8.
        text = _ENCODE_ASCII(record)
    return text


def write_chat_jsonl(
    path: str | os.PathLike[str], examples: Iterable[Example], system_prompt: str
) -> int:
    """Write ``examples`` as chat JSONL to ``path`` (atomically); returns how many."""
    target = Path(path)
    count = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    except OSError as exc:
        raise _write_problem(target, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            lines: list[str] = []
            for example in examples:
                lines.append(_line(example, system_prompt))
                count += 1
                if len(lines) >= 4096:
                    handle.write("\n".join(lines) + "\n")
                    lines.clear()
            if lines:
                handle.write("\n".join(lines) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp makes it private; an export is a normal file
        os.replace(temp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise _write_problem(target, exc) from exc
        raise
    return count


def _write_problem(target: Path, exc: OSError) -> FileProblem:
    return FileProblem(
        str(target),
        lazy.translate("Export", "TuneDesk could not write {file} ({reason}).").format(
            file=target.name, reason=exc.strerror or exc.__class__.__name__),
        lazy.translate("Export", "Check that the folder exists, that you may write to it and "
                       "that the disk is not full, then try again."),
    )


def export_jsonl(
    dataset: Dataset, out_dir: str | os.PathLike[str], *, validation_fraction: float = 0.1
) -> ExportResult:
    """Write ``train.jsonl`` (and ``validation.jsonl`` when it has examples) to ``out_dir``."""
    folder = Path(out_dir)
    plan = plan_split(dataset, validation_fraction)
    train = [ex for ex in dataset if plan[ex.id] == Split.TRAIN]
    validation = [ex for ex in dataset if plan[ex.id] == Split.VALIDATION]
    prompt = dataset.system_prompt
    train_path = folder / TRAIN_FILE
    train_count = write_chat_jsonl(train_path, train, prompt)
    validation_path: Path | None = None
    validation_count = 0
    if validation:
        validation_path = folder / VALIDATION_FILE
        validation_count = write_chat_jsonl(validation_path, validation, prompt)
    return ExportResult(train_path, validation_path, train_count, validation_count)
