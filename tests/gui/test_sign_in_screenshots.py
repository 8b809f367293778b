"""Screenshots of every state of the Sign in page, in English and Chinese, in the real window.

Signed out, waiting for the browser, a device code, choosing with a Japan East project that
cannot train the model, a place chosen (ready), creating one, and starting offline. They land
in artifacts/screenshots/ (``sign-in-<state>-<language>.png``) for people to look at; the
README and docs/screenshots/ show a selection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.azure_emulator.browser import use_browser_script
from tests.azure_emulator.server import Emulator
from tests.gui.test_sign_in_page import (
    WAIT,
    _create_dialog,
    select,
    sign_in_as_service_principal,
    wait_for_places,
)
from tunedesk.core import flow
from tunedesk.core.samples import open_or_create_sample
from tunedesk.core.settings import Settings, load_settings
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.pages.sign_in import SignInPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def open_window(qtbot: QtBot, language: str, settings: Settings | None = None) -> MainWindow:
    win = MainWindow(settings or Settings(language=language))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.ensure_pages()
    win.set_project(open_or_create_sample(language))
    win.go_to(flow.Step.SIGN_IN)
    return win


def shoot(widget: QWidget, folder: Path, state: str, language: str, qtbot: QtBot) -> Path:
    qtbot.wait(80)
    path = folder / f"sign-in-{state}-{language}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_sign_in_screenshots(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win = open_window(qtbot, language)
    page: SignInPage = win.sign_in_page
    shoot(win, screenshot_dir, "signed-out", language, qtbot)
    page.choices.advanced_toggle.click()
    shoot(win, screenshot_dir, "advanced", language, qtbot)
    page.choices.advanced_toggle.click()

    # Waiting for the browser (a browser that never answers), then cancelled.
    use_browser_script(tmp_path, monkeypatch, answers=False)
    page.sign_in_browser()
    shoot(win, screenshot_dir, "browser-waiting", language, qtbot)
    page.cancel_sign_in()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.choices, timeout=WAIT)

    # A device code on screen (approval held back until the picture is taken).
    azure_emulator.entra.auto_approve = False
    page.sign_in_device_code()
    qtbot.waitUntil(lambda: bool(page.device.code_label.text()), timeout=WAIT)
    shoot(win, screenshot_dir, "device-code", language, qtbot)
    page.cancel_sign_in()
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.choices, timeout=WAIT)
    azure_emulator.entra.auto_approve = True

    # Choosing: the Japan East project cannot train Phi-4-mini-instruct, and says why.
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    select(page, "Tokyo project")
    shoot(win, screenshot_dir, "choosing-japan-east", language, qtbot)

    # Creating one for me: the plain summary before anything is created.
    dialog = _create_dialog(qtbot, page)
    shoot(dialog, screenshot_dir, "create-one", language, qtbot)
    dialog.reject()

    # Ready: a place that can train the model is chosen.
    select(page, "Family project")
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    assert page.ctx.place is not None
    shoot(win, screenshot_dir, "ready", language, qtbot)
    if language == "zh_CN":
        assert "Ready" not in page.chooser.ready.text, "Chinese translation not loaded"

    # Offline: the next start cannot reach Azure; the Data page keeps working.
    win.close()
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    offline = open_window(qtbot, language, load_settings())
    task = offline.sign_in_page.restore()
    qtbot.waitUntil(task.done, timeout=60_000)
    assert offline.context.offline
    shoot(offline, screenshot_dir, "offline", language, qtbot)
    offline.go_to(flow.Step.DATA)
    shoot(offline, screenshot_dir, "offline-data", language, qtbot)
    offline.go_to(flow.Step.MODEL)
    shoot(offline, screenshot_dir, "blocked-step", language, qtbot)
