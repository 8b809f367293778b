"""The whole Sign in flow through the real main window, with the app's log file at DEBUG:
afterwards no file TuneDesk wrote (user folders, exported training files) holds a key, a
secret or a token, and the keyring holds them only while someone is signed in.

azure-identity/MSAL, azure-core, openai and keyring's API are real; Azure is the emulator
(tests/azure_emulator) behind the standard proxy and CA variables; the keyring backend is
the in-memory one of tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import SP_CLIENT_SECRET
from tests.cloud.test_no_secret_leaks import _secrets
from tests.gui.test_main_window import window  # noqa: F401  (the shown main window fixture)
from tests.gui.test_sign_in_page import select, sign_in_as_service_principal, wait_for_places
from tunedesk.cloud import auth
from tunedesk.cloud.secrets import accounts_index_path
from tunedesk.core import flow
from tunedesk.core.samples import open_or_create_sample
from tunedesk.core.settings import load_settings, settings_path
from tunedesk.ui import crash
from tunedesk.ui.dialogs.export_dialog import ExportDialog
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.pages.sign_in import SignInPage

WAIT = 30_000
AOAI = "contoso-aoai-swc"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def debug_log() -> Iterator[Path]:
    """The app's log file as the start-up sets it up, with the root logger at DEBUG.

    Afterwards the handler is removed and every logger's level is what it was (setup_logging
    sets some SDK loggers to WARNING for the whole process).
    """
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {
        name: lg.level
        for name, lg in logging.root.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    root_level = root.level
    path = crash.setup_logging()
    root.setLevel(logging.DEBUG)
    yield path
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(root_level)
    for name, lg in logging.root.manager.loggerDict.items():
        if isinstance(lg, logging.Logger):
            lg.setLevel(levels.get(name, logging.NOTSET))


def every_secret(emulator: Emulator) -> set[str]:
    """What the emulator knows as secret: the service principal's secret, every account's
    keys, every access token Entra issued (tests/cloud's list) and any refresh token."""
    return _secrets(emulator) | {t for t in emulator.entra.refresh_tokens if len(t) >= 8}


def written_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())


def leaks(secrets: set[str], files: list[Path]) -> list[str]:
    """``file: secret…`` for each secret found in a file's bytes (UTF-8 or UTF-16)."""
    found = []
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            if secret.encode() in data or secret.encode("utf-16-le") in data:
                found.append(f"{path}: {secret[:6]}…")
    return found


def keyring_values(memory_keyring: object) -> set[str]:
    return set(memory_keyring.store.values())  # type: ignore[attr-defined]


def sign_out(qtbot: QtBot, page: SignInPage) -> None:
    qtbot.mouseClick(page.chooser.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.ctx.signed_in, timeout=WAIT)
    qtbot.waitUntil(lambda: page.chooser.sign_out_button.isEnabled(), timeout=WAIT)


def sign_in_with_key(qtbot: QtBot, page: SignInPage, endpoint: str, key: str) -> None:
    choices = page.choices
    choices.advanced_toggle.setChecked(True)
    choices.key_endpoint.setText(endpoint)
    choices.key_value.setText(key)
    assert choices.key_button.isEnabled()
    qtbot.mouseClick(choices.key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)


def export_training_files(qtbot: QtBot, win: MainWindow, folder: Path) -> None:
    """File > Export training files, answering the page's export dialog with ``folder``."""
    page = win.data_page
    seen: list[QDialog] = []

    def answer(dialog: QDialog) -> None:
        seen.append(dialog)
        assert isinstance(dialog, ExportDialog), dialog  # the sample passes every check
        dialog.folder.setText(str(folder))
        dialog.accept()

    page.dialog_opened.connect(lambda d: asyncio.get_running_loop().call_soon(answer, d))
    win.go_to(flow.Step.DATA)
    task = page.export_dataset()
    assert task is not None
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert task.result() is not None
    assert len(seen) == 1


def test_sign_in_flow_leaves_no_secret_in_any_file(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811  (the fixture imported above)
    azure_emulator: Emulator,
    memory_keyring: object,
    debug_log: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    home: Path = request.getfixturevalue("_isolated_user_dirs")  # config/data/cache/state
    exported = tmp_path / "export"
    exported.mkdir()
    root = logging.getLogger()
    assert root.isEnabledFor(logging.DEBUG)
    assert any(getattr(h, "baseFilename", None) == str(debug_log) for h in root.handlers)
    project = open_or_create_sample("en")
    window.set_project(project)

    # Service principal, through the page's Advanced form; then the Family project.
    window.go_to(flow.Step.SIGN_IN)
    page = window.sign_in_page
    assert window.current_page() is page
    sign_in_as_service_principal(qtbot, page)
    assert page.choices.sp_secret.text() == ""
    wait_for_places(qtbot, page)
    select(page, "Family project")
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    place = window.context.place
    assert place is not None
    assert (place.route, place.name) == ("hub", "Family project")
    assert SP_CLIENT_SECRET in keyring_values(memory_keyring)
    assert azure_emulator.world.tokens  # Entra issued tokens for the lookups
    assert leaks(every_secret(azure_emulator), written_files(home)) == []

    # Sign out: the keyring forgets everything.
    sign_out(qtbot, page)
    assert window.context.place is None
    assert memory_keyring.store == {}  # type: ignore[attr-defined]
    assert not auth.record_path().exists()

    # An Azure OpenAI key, through the other Advanced form; then that resource.
    endpoint = azure_emulator.openai.endpoint(AOAI)
    key = azure_emulator.openai.key(AOAI)
    sign_in_with_key(qtbot, page, endpoint, key)
    combo = page.chooser.model_combo
    combo.setCurrentIndex(combo.findData("Ministral-3B"))  # one the key can train
    qtbot.waitUntil(page.chooser.use_button.isEnabled, timeout=WAIT)
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    place = window.context.place
    assert place is not None
    assert place.route == "openai"
    assert page.choices.key_value.text() == ""
    assert key in keyring_values(memory_keyring)

    export_training_files(qtbot, window, exported)

    # While the window is open: the project's -wal, the record and the keyring's index too.
    expected = {
        debug_log,
        settings_path(),
        auth.record_path(),
        accounts_index_path(),
        project.path,
        project.path.with_name(project.path.name + "-wal"),
    }
    files = written_files(home, exported)
    assert expected <= set(files), expected - set(files)
    assert {exported / "train.jsonl", exported / "validation.jsonl"} <= set(files)
    secrets = every_secret(azure_emulator)
    assert {SP_CLIENT_SECRET, key} <= secrets
    assert leaks(secrets, files) == []

    # Close (saves the settings), then every file once more.
    window.close()
    assert load_settings().cloud_place_id == place.id  # the saved settings name the place
    assert key in keyring_values(memory_keyring)  # still signed in for the next launch
    secrets = every_secret(azure_emulator)
    files = written_files(home, exported)
    assert settings_path() in files
    assert leaks(secrets, files) == []
