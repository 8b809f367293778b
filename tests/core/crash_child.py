"""Child process for tests/core/test_project_crash.py: edit a project until killed.

Usage: ``python crash_child.py <project path> <seed> <pause seconds>``

Opens the project, prints ``ready``, then makes one edit after another (insert rows, replace
cells, change the system prompt, remove rows, change notes and splits) and prints
``edit <n> <time.monotonic()>`` after each one. It never calls ``flush()`` or ``close()``:
only the autosave can keep the edits. The edits are a pure function of the seed and the
dataset, so the parent replays them with :func:`make_edit` to know the exact expected state.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from tunedesk.core.dataset import Dataset, Example, Message, Role, Split

SEED_ROWS = 300
SAFETY_EXIT_SECONDS = 120.0


def initial_dataset() -> Dataset:
    return Dataset(
        "prompt 0",
        [
            Example.qa(f"seed question {i}", f"seed answer {i}", id=f"s{i}", source_line=i + 1)
            for i in range(SEED_ROWS)
        ],
    )


def make_edit(ds: Dataset, rng: random.Random, n: int) -> None:
    """Edit number ``n`` (deterministic for a given rng state and dataset)."""
    r = rng.random()
    splits = list(Split)
    if r < 0.35 or len(ds) < 5:
        at = rng.randint(0, len(ds))
        if rng.random() < 0.2:  # a multi-turn conversation with a weight
            ex = Example(
                [
                    Message(Role.USER, f"q{n} 第一问"),
                    Message(Role.ASSISTANT, f"a{n} ✓", weight=0),
                    Message(Role.USER, f"q{n} follow-up"),
                    Message(Role.ASSISTANT, f"a{n} again", weight=1),
                ],
                id=f"i{n}",
                split=rng.choice(splits),
            )
        else:
            ex = Example.qa(f"q{n} 问题", f"a{n}", id=f"i{n}", split=rng.choice(splits))
        ds.insert(at, [ex])
    elif r < 0.65:
        row = rng.randrange(len(ds))
        ex = ds[row]
        ds.replace(row, [ex.with_answer(f"{ex.answer} a{n}")])
    elif r < 0.75:
        ds.set_system_prompt(f"prompt {n} — 系统")
    elif r < 0.85:
        row = rng.randrange(len(ds))
        ds.remove(row, min(rng.randint(1, 3), len(ds) - row))
    elif r < 0.95:
        row = rng.randrange(len(ds))
        ex = ds[row]
        ds.replace(row, [ex.copy(note=f"{ex.note} n{n}".strip(), split=rng.choice(splits))])
    else:
        at = rng.randint(0, len(ds))
        ds.insert(at, [Example.qa(f"q{n}.{k}", f"a{n}.{k}", id=f"i{n}.{k}") for k in range(3)])


def say(line: str) -> None:
    """One line to the parent, flushed at once (like ``print(..., flush=True)``)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    from tunedesk.core.project import Project

    path, seed, pause = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    project = Project.open(path)
    rng = random.Random(seed)
    say("ready")
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < SAFETY_EXIT_SECONDS:
        n += 1
        make_edit(project.dataset, rng, n)
        say(f"edit {n} {time.monotonic()!r}")
        if pause:
            time.sleep(pause)
    os._exit(3)  # never reached in the test: the parent kills us long before


if __name__ == "__main__":
    main()
