"""The environment of a TuneDesk child process with a fresh, empty user profile."""

from __future__ import annotations

import os
from pathlib import Path


def fresh_profile_env(home: Path) -> dict[str, str]:
    """This process's environment, with XDG folders under ``home`` and offscreen Qt.

    The test run's own XDG and pytest variables are dropped, so the child sees none of them.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTEST_"))}
    for var, sub in {
        "XDG_CONFIG_HOME": "c",
        "XDG_DATA_HOME": "d",
        "XDG_STATE_HOME": "s",
        "XDG_CACHE_HOME": "k",
    }.items():
        env[var] = str(home / sub)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env
