"""The bundled family sample (the story's data, fixed so it passes every check)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from tunedesk import APP_ID
from tunedesk.core.dataset import Dataset, Role
from tunedesk.core.formats import import_file
from tunedesk.core.i18n import translate
from tunedesk.core.project import PROJECT_SUFFIX, Project
from tunedesk.core.resources import resource_path


def sample_file(language: str) -> Path:
    return resource_path(
        "samples", "family_zh.jsonl" if language.startswith("zh") else "family_en.jsonl"
    )


def sample_dataset(language: str) -> Dataset:
    """The sample as a dataset whose shared system prompt sits above the table."""
    result = import_file(sample_file(language))
    examples = result.examples
    prompt = next((ex.own_system for ex in examples if ex.own_system), "") or ""
    cleaned = [
        ex.copy(
            messages=[m for m in ex.messages if not (m.role == Role.SYSTEM and m.content == prompt)]
        )
        for ex in examples
    ]
    return Dataset(prompt, cleaned)


def open_or_create_sample(language: str) -> Project:
    """Open the user's copy of the sample, creating it from the bundled file the first time."""
    folder = platformdirs.user_data_path(APP_ID, appauthor=False) / "Samples"
    folder.mkdir(parents=True, exist_ok=True)
    name = translate("Samples", "Family sample")
    path = folder / f"{name}{PROJECT_SUFFIX}"
    if path.exists():
        return Project.open(path)
    return Project.create(path, sample_dataset(language))
