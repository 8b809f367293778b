"""Screenshots of the Model & settings and Train pages, in English and Chinese, in the window.

The model list, the settings with Advanced open, the pre-flight summary, a job mid-run with
its chart, a finished job and a failed one — through the emulator on the classic hub route
(azure-ai-ml). They land in artifacts/screenshots/ (``model-*``, ``train-*``) for people to
look at; docs/screenshots/ keeps a selection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.gui.test_model_and_train_pages import WAIT, choose_place, model_page
from tests.gui.test_sign_in_screenshots import open_window
from tunedesk.core.flow import Step
from tunedesk.core.jobs import JobHistory
from tunedesk.ui.pages.train import TrainPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def shoot(widget: QWidget, folder: Path, name: str, language: str, qtbot: QtBot) -> Path:
    qtbot.wait(150)
    path = folder / f"{name}-{language}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_model_and_train_screenshots(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
) -> None:
    win = open_window(qtbot, language)
    win.resize(1280, 860)
    choose_place(qtbot, win, "Family project")
    page = model_page(qtbot, win)
    page.scroller.verticalScrollBar().setValue(0)
    shoot(win, screenshot_dir, "model-list", language, qtbot)

    page.settings_panel.advanced_toggle.setChecked(True)
    page.scroller.ensureWidgetVisible(page.settings_panel.advanced, 0, 0)
    shoot(win, screenshot_dir, "model-settings-advanced", language, qtbot)

    page.preflight.confirm.setChecked(True)
    page.scroller.verticalScrollBar().setValue(page.scroller.verticalScrollBar().maximum())
    shoot(win, screenshot_dir, "model-preflight", language, qtbot)

    # Mid-run: a long run, shot once the chart has a few points.
    azure_emulator.aml.timeline = AmlTimeline(
        not_started=0.2, queued=0.2, running=14.0, loss_points=40
    )
    qtbot.mouseClick(page.preflight.start, Qt.MouseButton.LeftButton)
    train = win.page(Step.TRAIN)
    assert isinstance(train, TrainPage)
    assert win.project is not None
    history = JobHistory(win.project)
    qtbot.waitUntil(lambda: len(history.list()) == 1, timeout=WAIT)
    key = history.list()[0].client_key
    qtbot.waitUntil(
        lambda: (r := history.get(key)) is not None and len(r.metrics) >= 8, timeout=WAIT
    )
    qtbot.waitUntil(lambda: train.chart.loss_series.count() >= 8, timeout=WAIT)
    shoot(win, screenshot_dir, "train-running", language, qtbot)

    qtbot.waitUntil(lambda: key not in train._tasks, timeout=WAIT)
    shoot(win, screenshot_dir, "train-finished", language, qtbot)

    # A failed run: Azure's reason in plain words and what to change.
    azure_emulator.aml.timeline = AmlTimeline(
        not_started=0.1,
        queued=0.1,
        running=0.5,
        outcome="Failed",
        error=("UserError", "The training data has an invalid format on line 3."),
    )
    win.go_to(Step.MODEL)
    qtbot.waitUntil(page.preflight.ready, timeout=WAIT)
    page.preflight.confirm.setChecked(True)
    qtbot.mouseClick(page.preflight.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(history.list()) == 2, timeout=WAIT)
    failed = history.list()[0].client_key
    qtbot.waitUntil(lambda: failed not in train._tasks, timeout=WAIT)
    qtbot.waitUntil(train.failure.isVisible, timeout=WAIT)
    shoot(win, screenshot_dir, "train-failed", language, qtbot)
    win.close()
