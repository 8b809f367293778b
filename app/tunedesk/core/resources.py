"""Where bundled read-only resources (translations, tokenizer, samples, catalog) live."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    # app/tunedesk/core/resources.py -> repository root
    return Path(__file__).resolve().parents[3] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
