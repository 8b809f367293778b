"""Screenshots of the Chat tab in English and Chinese, through the emulator: the tuned model's
answer on the hub route, an answer streaming in (mid-stream, the emulator's slow stream on a
Foundry resource), and two deployments side by side, one answer stopped, one still coming.
They land in artifacts/screenshots/ (``chat-*``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.gui.test_chat_page import (
    answered,
    ask,
    base_model_on_resource,
    chat_panel,
    deployed_on_hub,
    trained_pairs,
)
from tests.gui.test_model_and_train_pages import WAIT
from tests.gui.test_model_and_train_screenshots import shoot
from tests.gui.test_sign_in_screenshots import open_window
from tunedesk.core.deployments import DeploymentHistory
from tunedesk.core.flow import Step
from tunedesk.ui.pages.chat import ChatPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

QUESTIONS = {
    "en": ("Who are you?", "Can you tell me about our family?"),
    "zh_CN": ("你是谁？", "能介绍一下我们家吗？"),
}


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_chat_screenshots_hub_tuned_answer(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.1, queued=0.1, running=0.6)
    win = open_window(qtbot, language)
    win.resize(1280, 860)
    deployed_on_hub(qtbot, win, azure_emulator)
    pairs = trained_pairs(win)
    panel = chat_panel(qtbot, win)
    for question, _ in pairs[:2]:
        ask(qtbot, panel, question)
        answered(qtbot, panel)
    assert panel.main.view.text_of(3) == pairs[1][1]
    panel.prompt_fold.click()
    shoot(win, screenshot_dir, "chat-hub-answered", language, qtbot)
    win._billing_acknowledged = True
    win.close()


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_chat_screenshots_mid_stream_and_side_by_side(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
) -> None:
    azure_emulator.openai.stream_delay = 0.25
    win = open_window(qtbot, language)
    win.resize(1280, 860)
    first = base_model_on_resource(qtbot, win, azure_emulator, "family-assistant")
    panel = chat_panel(qtbot, win)
    one, two = QUESTIONS[language]
    azure_emulator.openai.stream_delay = 0.01
    ask(qtbot, panel, one)
    answered(qtbot, panel)
    azure_emulator.openai.stream_delay = 0.25
    ask(qtbot, panel, two)
    qtbot.waitUntil(lambda: len(panel.main.view.text_of(3).split()) >= 6, timeout=WAIT)
    shoot(win, screenshot_dir, "chat-mid-stream", language, qtbot)
    panel.stop()
    answered(qtbot, panel)

    base_model_on_resource(qtbot, win, azure_emulator, "gpt-4-1-mini-base")
    page = win.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    page.refresh_deployments()
    assert panel.main.record is not None
    assert panel.main.record.id == first.id
    panel.clear()
    panel.compare_with(panel.compare.itemData(1))
    ask(qtbot, panel, one)
    qtbot.waitUntil(lambda: len(panel.other.view.text_of(1).split()) >= 4, timeout=WAIT)
    panel.other.stop.click()
    qtbot.waitUntil(lambda: not panel.other.streaming, timeout=WAIT)
    qtbot.waitUntil(lambda: len(panel.main.view.text_of(1).split()) >= 8, timeout=WAIT)
    shoot(win, screenshot_dir, "chat-side-by-side", language, qtbot)
    panel.stop()
    answered(qtbot, panel)

    assert win.project is not None
    history = DeploymentHistory(win.project)
    for record in history.active():
        history.mark_deleted(record.id, flush=True)
    page.refresh_deployments()
    shoot(win, screenshot_dir, "chat-nothing-online", language, qtbot)
    qtbot.mouseClick(panel.go_deploy, Qt.MouseButton.LeftButton)
    win._billing_acknowledged = True
    win.close()
