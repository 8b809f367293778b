"""Everything a project keeps about its dataset, as plain values to compare."""

from __future__ import annotations

from typing import Any

from tunedesk.core.dataset import Dataset


def dataset_state(ds: Dataset) -> tuple[str, list[tuple[Any, ...]]]:
    return ds.system_prompt, [
        (
            ex.id,
            [(m.role, m.content, m.weight) for m in ex.messages],
            str(ex.split),
            ex.note,
            ex.source_line,
            ex.draft,
            ex.origin,
            ex.group,
        )
        for ex in ds
    ]
