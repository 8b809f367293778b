"""Test-wide isolation: offscreen Qt, temporary user folders, in-memory keyring, English."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.azure_emulator.fixtures"]

# Set before anything imports Qt or qasync.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = REPO / "artifacts"

GUI_FIXTURES = {"qapp", "qtbot", "qtmodeltester", "qasync_loop", "main_window"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a QApplication as ``gui`` (qutebrowser's approach)."""
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point platformdirs (XDG on Linux) at a temp folder: tests never see the real profile."""
    home = tmp_path / "home"
    for var, sub in {
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
        "XDG_CACHE_HOME": "cache",
        "XDG_STATE_HOME": "state",
    }.items():
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    return home


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[object]:
    import keyring

    from tests.helpers.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(_memory_keyring: object) -> object:
    """The in-memory keyring backend of this test (its ``store`` dict can be inspected)."""
    return _memory_keyring


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    from tunedesk.core import i18n

    i18n.set_language("en")
    i18n.set_backend(None)
    yield
    i18n.set_language("en")
    i18n.set_backend(None)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
