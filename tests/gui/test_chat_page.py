"""The Chat tab, driven like a person would, through the emulator and the real SDKs.

Hub route: the family sample is trained and deployed through the real Model & settings,
Train and Deploy pages, then asked a question it trained on; the emulator's tuned endpoint
answers from the training data. (Side by side on the hub needs a second tuned model: the
emulator, like Azure, allows one deployment per custom model.) Resource route: base model
deployments (no training; the GUI's resource-route training trips over the emulator's
10-example rule on the small validation file), where the emulator streams word by word with
a delay, so side by side, Stop, a connection cut mid-answer, the content filter and a retry
wait can be seen while answers arrive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import BASE_MODEL_ANSWER
from tests.azure_emulator.server import Emulator
from tests.gui.test_deploy_page import trained
from tests.gui.test_model_and_train_pages import WAIT, choose_place, only_record
from tunedesk.core.deployments import DeploymentHistory, DeploymentRecord
from tunedesk.core.flow import Step
from tunedesk.core.jobs import JobHistory
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.pages.chat import ChatPage
from tunedesk.ui.pages.chat.chat_panel import ChatPanel
from tunedesk.ui.pages.deploy import DeployPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CHAT = r"/chat/completions$"
ACCOUNT = "contoso-ais-ncus"


# ---------------------------------------------------------------- helpers
def deployed_on_hub(qtbot: QtBot, win: MainWindow, emulator: Emulator) -> DeploymentRecord:
    """Sign in, train the family sample on the hub project, deploy it: the record."""
    emulator.aml.timeline = AmlTimeline(not_started=0.1, queued=0.1, running=0.8)
    trained(qtbot, win, "Family project")
    win.go_to(Step.DEPLOY)
    deploy = win.page(Step.DEPLOY)
    assert isinstance(deploy, DeployPage)
    qtbot.mouseClick(deploy.job_cards[0].deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(deploy.deployment_cards) == 1, timeout=WAIT)
    return deploy.deployment_cards[0].record


def trained_pairs(win: MainWindow) -> list[tuple[str, str]]:
    """(question, answer) of every example in the training file the job was sent (the
    split is the project's own, so which questions trained is read, not assumed)."""
    assert win.project is not None
    raw = JobHistory(win.project).training_file(only_record(win).client_key)
    pairs = []
    for line in raw.decode("utf-8").splitlines():
        messages = json.loads(line)["messages"]
        user = next(m["content"] for m in messages if m["role"] == "user")
        answer = next(m["content"] for m in messages if m["role"] == "assistant")
        pairs.append((user, answer))
    assert len(pairs) >= 2
    return pairs


def base_model_on_resource(
    qtbot: QtBot, win: MainWindow, emulator: Emulator, name: str = "gpt-base"
) -> DeploymentRecord:
    """Sign in to the Foundry resource, where a base model deployment is online (made on
    "Azure" directly: base models need no training) and kept in the project."""
    if win.context.place is None:
        choose_place(qtbot, win, ACCOUNT, "Ministral-3B")
    model = "gpt-4.1-mini-2025-04-14"
    emulator.openai.deploy_now(name, model, ACCOUNT)
    endpoint = emulator.openai.endpoint(ACCOUNT)
    assert win.project is not None
    record = DeploymentHistory(win.project).add(
        DeploymentRecord.new(
            name,
            "openai",
            model,
            sku="GlobalStandard",
            endpoint=endpoint,
            target=endpoint,
            state="Succeeded",
            base_model=True,
        ),
        flush=True,
    )
    win.context.set_job_results(trained=False, deployed=True)
    return record


def chat_panel(qtbot: QtBot, win: MainWindow) -> ChatPanel:
    win.go_to(Step.CHAT)
    page = win.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    qtbot.waitUntil(lambda: win.current_page() is page, timeout=WAIT)
    qtbot.waitUntil(lambda: page.chat.main.record is not None, timeout=WAIT)
    return page.chat


def ask(qtbot: QtBot, panel: ChatPanel, question: str) -> None:
    panel.input.setFocus()
    panel.input.setPlainText(question)
    qtbot.keyClick(panel.input, Qt.Key.Key_Return)
    assert panel.input.toPlainText() == ""


def answered(qtbot: QtBot, panel: ChatPanel) -> None:
    qtbot.waitUntil(lambda: not panel.streaming(), timeout=WAIT)


def last_answer(panel: ChatPanel, column: Any = None) -> str:
    view = (column or panel.main).view
    return view.text_of(view.count() - 1)


def status_of(panel: ChatPanel, column: Any = None) -> str:
    view = (column or panel.main).view
    bubble = view.bubble(view.count() - 1)
    return str(bubble.status.text())  # type: ignore[attr-defined]


# ---------------------------------------------------------------- hub route
def test_hub_chat_streams_the_trained_answer_with_history_export_and_code(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    window = emulator_window
    record = deployed_on_hub(qtbot, window, azure_emulator)
    (question, answer), (question2, answer2) = trained_pairs(window)[:2]
    panel = chat_panel(qtbot, window)
    assert panel.stack.currentWidget() is panel.chat
    assert panel.main.record is not None
    assert panel.main.record.id == record.id
    assert record.name in panel.main.title.text()
    assert "fine-tuned" in panel.main.title.text()
    # The training system prompt is used, shown folded, and not changed.
    assert window.project is not None
    prompt = window.project.dataset.system_prompt
    assert prompt.startswith("You answer questions about our family")
    assert panel.system_prompt() == prompt
    assert "as in training" in panel.prompt_summary.text()
    assert not panel.prompt_edit.isVisible()

    # Shift+Enter is a new line, not a question.
    panel.input.setFocus()
    qtbot.keyClicks(panel.input, "Hello")
    qtbot.keyClick(panel.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert panel.input.toPlainText() == "Hello\n"
    assert panel.main.view.count() == 0

    azure_emulator.recorder.clear()
    ask(qtbot, panel, question)
    answered(qtbot, panel)
    assert panel.main.view.messages() == [
        {"role": "user", "content": question},
        {"role": "assistant", "content": last_answer(panel)},
    ]
    assert last_answer(panel) == answer
    assert status_of(panel) == ""
    (call,) = azure_emulator.calls("POST", CHAT)
    body = call.json()
    assert body["stream"] is True
    assert body["messages"] == [
        {"role": "system", "content": prompt},
        {"role": "user", "content": question},
    ]
    assert body["temperature"] == pytest.approx(0.7)
    assert body["max_tokens"] == 800

    # Copy per message (ChatView's), and the next turn carries the conversation so far,
    # with the settings under More and a system prompt changed for this chat only.
    panel.main.view.copy(1)
    assert QGuiApplication.clipboard().text() == last_answer(panel)
    panel.more.click()
    assert panel.temperature.isVisible()
    panel.temperature.setValue(0.2)
    panel.max_tokens.setValue(300)
    panel.prompt_fold.click()
    assert panel.prompt_edit.isVisible()
    panel.prompt_edit.setPlainText("Answer in one word.")
    assert "changed for this chat" in panel.prompt_summary.text()
    assert panel.reset_prompt.isVisible()
    assert window.project.dataset.system_prompt == prompt  # the project keeps its own
    ask(qtbot, panel, question2)
    answered(qtbot, panel)
    assert last_answer(panel) == answer2
    body = azure_emulator.calls("POST", CHAT)[-1].json()
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][0]["content"] == "Answer in one word."
    assert body["messages"][2]["content"] == panel.main.view.text_of(1)
    assert body["temperature"] == pytest.approx(0.2)
    assert body["max_tokens"] == 300
    panel.reset_prompt.click()
    assert panel.system_prompt() == prompt

    # Export: Markdown, written where the person chose.
    target = tmp_path / "exported" / "our chat.md"
    target.parent.mkdir()
    panel.export_button.click()
    dialog = panel._export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    name = dialog.findChild(QLineEdit, "fileNameEdit")  # typed, as a person would
    assert name.text() == "Family chat.md"
    name.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Chat with {record.name}")
    assert "## System prompt" in text
    assert f"## You\n\n{question}" in text
    assert f"## Model\n\n{answer}" in text

    # Copy code: Python and curl for this endpoint, the key only named, never written.
    panel.code_button.click()
    code = panel._code_dialog
    assert code is not None
    qtbot.waitUntil(code.isVisible, timeout=WAIT)
    python, curl = code.python.toPlainText(), code.curl.toPlainText()
    host = record.endpoint.split("//", 1)[1].split("/", 1)[0]
    assert host in python
    assert host in curl
    assert 'os.environ["AZURE_OPENAI_API_KEY"]' in python
    assert "$AZURE_OPENAI_API_KEY" in curl
    assert json.dumps(question2, ensure_ascii=False) in python  # the last question asked
    keys = [
        k
        for ep in azure_emulator.aml.endpoints.values()
        for k in (ep.primary_key, ep.secondary_key)
    ]
    assert keys
    assert not any(k in python or k in curl for k in keys)
    code.close()

    # Clear starts again.
    panel.clear_button.click()
    assert panel.main.view.count() == 0
    assert not panel.clear_button.isEnabled()


# ---------------------------------------------------------------- resource route, base model
@pytest.fixture
def slow_stream(azure_emulator: Emulator) -> Emulator:
    azure_emulator.openai.stream_delay = 0.12  # ~2.5 s for the base model's answer
    return azure_emulator


def test_base_model_stop_keeps_what_arrived_and_marks_it_stopped(
    qtbot: QtBot, emulator_window: MainWindow, slow_stream: Emulator
) -> None:
    window = emulator_window
    base_model_on_resource(qtbot, window, slow_stream)
    panel = chat_panel(qtbot, window)
    assert "base model" in panel.main.title.text()
    assert not panel.stop_button.isEnabled()
    ask(qtbot, panel, "Who are you?")
    assert panel.stop_button.isEnabled()
    assert not panel.send_button.isEnabled()
    qtbot.waitUntil(lambda: len(panel.main.view.text_of(1).split()) >= 3, timeout=WAIT)
    panel.stop_button.click()
    answered(qtbot, panel)
    partial = last_answer(panel)
    assert partial
    assert BASE_MODEL_ANSWER.startswith(partial)
    assert partial != BASE_MODEL_ANSWER
    assert status_of(panel) == "Stopped"
    assert not panel.stop_button.isEnabled()

    # The stopped answer is part of the conversation sent next.
    ask(qtbot, panel, "And now?")
    answered(qtbot, panel)
    assert last_answer(panel) == BASE_MODEL_ANSWER
    body = slow_stream.calls("POST", CHAT)[-1].json()
    assert [m["content"] for m in body["messages"] if m["role"] == "assistant"] == [partial]


def test_side_by_side_both_answers_stream_together_each_with_its_own_stop(
    qtbot: QtBot, emulator_window: MainWindow, slow_stream: Emulator
) -> None:
    window = emulator_window
    first = base_model_on_resource(qtbot, window, slow_stream, "gpt-base")
    second = base_model_on_resource(qtbot, window, slow_stream, "gpt-other")
    panel = chat_panel(qtbot, window)
    page = window.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    page.refresh_deployments()
    assert panel.compare.isVisible()
    assert panel.compare.count() == 2  # none, and the one not chosen in "Talking to"
    assert panel.main.record is not None
    other_id = panel.compare.itemData(1)
    assert {panel.main.record.id, other_id} == {first.id, second.id}
    assert not panel.other.isVisible()
    panel.compare_with(other_id)
    assert panel.other.isVisible()
    assert panel.other.record is not None
    assert panel.main.record.name in panel.main.title.text()
    assert panel.other.record.name in panel.other.title.text()
    assert panel.main.title.text() != panel.other.title.text()

    slow_stream.recorder.clear()
    ask(qtbot, panel, "Who are you?")
    assert panel.main.streaming
    assert panel.other.streaming  # two tasks, one per transcript
    assert panel.main.stop.isVisible()
    assert panel.other.stop.isVisible()
    qtbot.waitUntil(lambda: len(panel.other.view.text_of(1).split()) >= 3, timeout=WAIT)
    qtbot.waitUntil(lambda: len(panel.main.view.text_of(1).split()) >= 3, timeout=WAIT)
    panel.other.stop.click()  # only that one
    qtbot.waitUntil(lambda: not panel.other.streaming, timeout=WAIT)
    assert panel.main.streaming
    assert not panel.other.stop.isVisible()
    answered(qtbot, panel)
    assert last_answer(panel) == BASE_MODEL_ANSWER
    assert status_of(panel) == ""
    assert BASE_MODEL_ANSWER.startswith(last_answer(panel, panel.other))
    assert last_answer(panel, panel.other) != BASE_MODEL_ANSWER
    assert status_of(panel, panel.other) == "Stopped"
    models = sorted(c.json()["model"] for c in slow_stream.calls("POST", CHAT))
    assert models == ["gpt-base", "gpt-other"]  # the same question to each

    # Back to one: the other transcript goes away and its client is closed.
    panel.compare_with(None)
    assert not panel.other.isVisible()
    assert set(panel._clients) == {panel.main.record.id}


def test_a_stream_cut_mid_answer_keeps_what_arrived_and_says_so(
    qtbot: QtBot, emulator_window: MainWindow, slow_stream: Emulator
) -> None:
    window = emulator_window
    base_model_on_resource(qtbot, window, slow_stream)
    panel = chat_panel(qtbot, window)
    ask(qtbot, panel, "Who are you?")
    qtbot.waitUntil(lambda: len(panel.main.view.text_of(1).split()) >= 3, timeout=WAIT)
    slow_stream.proxy.close_connections()  # the line goes dead in the middle of the answer
    answered(qtbot, panel)
    partial = last_answer(panel)
    assert partial
    assert BASE_MODEL_ANSWER.startswith(partial.strip())
    assert partial.strip() != BASE_MODEL_ANSWER
    assert "broke off in the middle of the answer" in status_of(panel)
    assert panel.send_button.isEnabled() is False  # nothing typed yet
    ask(qtbot, panel, "Who are you?")
    answered(qtbot, panel)
    assert last_answer(panel) == BASE_MODEL_ANSWER


def test_the_content_filter_and_a_retry_wait_are_said_in_plain_words(
    qtbot: QtBot, emulator_window: MainWindow, slow_stream: Emulator
) -> None:
    window = emulator_window
    base_model_on_resource(qtbot, window, slow_stream)
    panel = chat_panel(qtbot, window)

    ask(qtbot, panel, "Tell me more [[filter:answer:hate]]")
    answered(qtbot, panel)
    assert last_answer(panel)  # half the answer arrived and stays
    assert "content filter stopped the answer" in status_of(panel)

    ask(qtbot, panel, "[[filter:prompt]] again")
    answered(qtbot, panel)
    assert last_answer(panel) == ""
    assert "blocked this question" in status_of(panel)

    slow_stream.faults.add("429", path=CHAT, seconds=1.5, times=1)
    ask(qtbot, panel, "Who are you?")
    qtbot.waitUntil(panel.main.wait_line.isVisible, timeout=WAIT)
    assert "Azure is busy, retrying in" in panel.main.wait_line.text()
    answered(qtbot, panel)
    assert not panel.main.wait_line.isVisible()
    assert last_answer(panel) == BASE_MODEL_ANSWER
    assert [c.status for c in slow_stream.calls("POST", CHAT)][-2:] == [429, 200]


def test_nothing_online_says_so_and_leads_to_deploy(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    window = emulator_window
    record = base_model_on_resource(qtbot, window, azure_emulator)
    panel = chat_panel(qtbot, window)
    assert panel.stack.currentWidget() is panel.chat
    assert window.project is not None
    DeploymentHistory(window.project).mark_deleted(record.id, flush=True)
    page = window.page(Step.CHAT)
    assert isinstance(page, ChatPage)
    page.refresh_deployments()
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty_text.isVisible()
    with qtbot.waitSignal(page.step_requested) as requested:
        panel.go_deploy.click()
    assert requested.args == [Step.DEPLOY.value]
