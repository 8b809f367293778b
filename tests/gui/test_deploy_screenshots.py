"""Screenshots of the Deploy page in English and Chinese: a trained model ready to deploy,
and a deployment online with its cost, through the emulator on the classic hub route.
They land in artifacts/screenshots/ (``deploy-*``); docs/screenshots/ keeps a selection.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.gui.test_model_and_train_pages import WAIT, choose_place, model_page
from tests.gui.test_model_and_train_screenshots import shoot
from tests.gui.test_sign_in_screenshots import open_window
from tunedesk.core.flow import Step
from tunedesk.core.jobs import JobHistory
from tunedesk.ui.pages.deploy import DeployPage
from tunedesk.ui.pages.train import TrainPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_deploy_screenshots(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.1, queued=0.1, running=0.6)
    win = open_window(qtbot, language)
    win.resize(1280, 860)
    choose_place(qtbot, win, "Family project")
    page = model_page(qtbot, win)
    page.preflight.confirm.setChecked(True)
    qtbot.mouseClick(page.preflight.start, Qt.MouseButton.LeftButton)
    train = win.page(Step.TRAIN)
    assert isinstance(train, TrainPage)
    assert win.project is not None
    history = JobHistory(win.project)
    qtbot.waitUntil(lambda: len(history.list()) == 1, timeout=WAIT)
    key = history.list()[0].client_key
    qtbot.waitUntil(lambda: key not in train._tasks, timeout=WAIT)

    win.go_to(Step.DEPLOY)
    deploy = win.page(Step.DEPLOY)
    assert isinstance(deploy, DeployPage)
    shoot(win, screenshot_dir, "deploy-ready", language, qtbot)
    qtbot.mouseClick(deploy.job_cards[0].deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(deploy.deployment_cards) == 1, timeout=WAIT)
    shoot(win, screenshot_dir, "deploy-online", language, qtbot)
    win._billing_acknowledged = True
    win.close()
