"""Screenshots of the Quiz tab of Chat & check, in English and Chinese, in the window.

The family sample is trained and deployed on the hub route through the emulator, then
quizzed: the results, the misses only (after sending them back to the table) and two runs
compared. They land in artifacts/screenshots/ (``quiz-*``) for people to look at.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.azure_emulator.server import Emulator
from tests.gui.test_quiz_panel import deployed_quiz, run_quiz
from tunedesk.core.project import Project
from tunedesk.core.samples import sample_dataset
from tunedesk.core.settings import Settings
from tunedesk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def shoot(widget: QWidget, folder: Path, name: str, language: str, qtbot: QtBot) -> Path:
    qtbot.wait(150)
    path = folder / f"quiz-{name}-{language}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_quiz_screenshots(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    win = MainWindow(Settings(language=language))
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    qtbot.waitExposed(win)
    win.ensure_pages()
    win.set_project(Project.create(tmp_path / "Family.tunedesk", sample_dataset(language)))
    try:
        quiz = deployed_quiz(qtbot, win, azure_emulator)
        validation = run_quiz(qtbot, quiz)
        run_quiz(qtbot, quiz, include_training=True)
        quiz.table.scrollToTop()
        shoot(win, screenshot_dir, "results", language, qtbot)

        quiz.only_misses.setChecked(True)
        qtbot.mouseClick(quiz.send_back, Qt.MouseButton.LeftButton)
        shoot(win, screenshot_dir, "misses", language, qtbot)

        quiz.only_misses.setChecked(False)
        quiz.note.clear()
        quiz.compare.setCurrentIndex(quiz.compare.findData(validation.id))
        quiz.table.scrollToTop()
        shoot(win, screenshot_dir, "compare", language, qtbot)
    finally:
        win._billing_acknowledged = True  # the deployment is left online: close anyway
        win.close()
