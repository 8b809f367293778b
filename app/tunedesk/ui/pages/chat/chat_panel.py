"""The Chat tab of Chat & check: talk to a deployment, optionally next to another one.

What a person sees, top to bottom:

* a row with **Compare with** (none, or another deployment that is online), **More**
  (temperature and the longest answer), **Clear**, **Export conversation…** and **Copy
  code…**;
* the **System prompt** the model was trained with, folded into one line; unfolded it can be
  changed for this chat (the project keeps its own) and put back;
* one transcript (:class:`~tunedesk.ui.widgets.chat_view.ChatView`) per model, side by side
  when comparing, each headed by which model it is (fine-tuned or base) and its own Stop;
* the question box (Enter sends, Shift+Enter starts a new line), Send and Stop.

Each answer streams in its own task, started through :func:`tunedesk.ui.ops.run_op`
(``quiet``: the transcript is the progress). The whole conversation so far is sent each
turn, after the system prompt. Stop cancels the task: what arrived stays, marked "Stopped".
A wait before a retry ("Azure is busy, retrying in 6 s.") is shown under the transcript
while it lasts; the content filter, a connection cut mid-answer and other errors are said in
plain words under what arrived, which is never lost.

When nothing of the project is online, the tab says so in one sentence, with a button to
the Deploy step.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.errors import UserFacingError
from tunedesk.core.flow import Step
from tunedesk.ui import ops
from tunedesk.ui.widgets.chat_view import ChatView
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import ChatClient, ChatMessage, RetryWait
    from tunedesk.core.deployments import DeploymentRecord
    from tunedesk.core.project import Project
    from tunedesk.ui.context import AppContext
    from tunedesk.ui.pages.chat.page import ChatPage

DEFAULT_TEMPERATURE = 0.7
DEFAULT_MAX_TOKENS = 800
MAX_TOKENS_LIMIT = 16384


def model_label(record: DeploymentRecord) -> str:
    """The deployed model's name as a person reads it: a hub model's registry URI
    (``azureml://…/models/<name>/versions/<n>``) shortened to ``<name>``."""
    model = record.model
    if "/models/" in model:
        model = model.split("/models/", 1)[1].split("/", 1)[0]
    return model


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- small widgets


class QuestionBox(QPlainTextEdit):
    """The question being written: Enter sends it, Shift+Enter starts a new line.

    Signals:
        submitted(): Enter was pressed (without Shift).
    """

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        lines = 3
        height = self.fontMetrics().lineSpacing() * lines
        margins = self.contentsMargins()
        self.setFixedHeight(
            height + 2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # reimplements QWidget::keyPressEvent
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class _Fold(QToolButton):
    """A flat header that folds the widget under it open and shut (an arrow and a title)."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._body = body
        self.setObjectName("fold")
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggled.connect(self._on_toggled)
        body.setVisible(False)

    def _on_toggled(self, shown: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self._body.setVisible(shown)


class _Column(QWidget):
    """One model's side of the chat: a header naming it, its Stop, its transcript and the
    line that says why it is waiting before a retry."""

    def __init__(self, panel: ChatPanel) -> None:
        super().__init__()
        self.panel = panel
        self.record: DeploymentRecord | None = None
        self.task: asyncio.Task[Any] | None = None
        self.answer: int | None = None  # the transcript index of the answer streaming in
        self._wait: RetryWait | None = None
        self._wait_until = 0.0
        self.title = QLabel()
        self.title.setObjectName("columnTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stop = QPushButton()
        self.stop.clicked.connect(self.cancel)
        policy = self.stop.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # both headers keep one height
        self.stop.setSizePolicy(policy)
        self.stop.hide()
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 0, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.stop)
        self.view = ChatView()
        self.view.setMinimumWidth(260)
        self.wait_line = QLabel()
        self.wait_line.setObjectName("hint")
        self.wait_line.setWordWrap(True)
        self.wait_line.hide()
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._show_wait)
        frame = QFrame()
        frame.setObjectName("transcript")
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(1, 1, 1, 1)
        inside.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(frame, 1)
        layout.addWidget(self.wait_line)

    @property
    def streaming(self) -> bool:
        return self.task is not None and not self.task.done()

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    # ------------------------------------------------------------ retry waits
    def show_wait(self, wait: RetryWait) -> None:
        """Azure asked to wait (or failed) and the client retries after ``wait.seconds``."""
        self._wait = wait
        self._wait_until = time.monotonic() + wait.seconds
        self._countdown.start()
        self._show_wait()

    def _show_wait(self) -> None:
        if self._wait is None:
            return
        left = max(0.0, self._wait_until - time.monotonic())
        self.wait_line.setText(str(replace(self._wait, seconds=left).message))
        self.wait_line.show()
        if left <= 0:
            self._countdown.stop()

    def clear_wait(self) -> None:
        if self._wait is not None:
            self._wait = None
            self._countdown.stop()
            self.wait_line.hide()

    # ------------------------------------------------------------ the conversation
    def history(self) -> list[ChatMessage]:
        """The questions and answers so far, as chat-completions takes them (answers that
        brought nothing left out)."""
        return [
            m
            for m in self.view.messages()
            if m["role"] in ("user", "assistant") and m["content"].strip()
        ]

    def end(self, *, stopped: bool = False, error: str = "") -> None:
        self.clear_wait()
        if self.answer is not None:
            self.view.finish(self.answer, stopped=stopped, error=error)
            self.answer = None


class CodeDialog(QDialog):
    """Python and curl code that asks the chosen deployment one question, with Copy buttons.
    The key is read from an environment variable; it is never in the code."""

    def __init__(self, parent: QWidget, python: str, curl: str, note: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Code for this deployment"))
        self.resize(760, 520)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()
        self.python = self._code_tab(python, fixed, self.tr("Python"))
        self.curl = self._code_tab(curl, fixed, self.tr("curl"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _code_tab(self, code: str, font: Any, title: str) -> QPlainTextEdit:
        text = QPlainTextEdit(code)
        text.setReadOnly(True)
        text.setFont(font)
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(lambda: self._copy(text, copy))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(copy)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(text, 1)
        layout.addLayout(row)
        self.tabs.addTab(tab, title)
        return text

    def _copy(self, text: QPlainTextEdit, button: QPushButton) -> None:
        QGuiApplication.clipboard().setText(text.toPlainText())
        button.setText(self.tr("Copied"))
        QTimer.singleShot(1500, lambda: button.setText(self.tr("Copy")))


# ---------------------------------------------------------------- the panel


class ChatPanel(QWidget):
    """Streaming chat with the page's chosen deployment, and optionally a second one.

    The page calls :meth:`set_context`, :meth:`set_project`, :meth:`set_choices` (every
    deployment online) and :meth:`set_deployment` (the one chosen), :meth:`retranslate` on a
    language change and :meth:`shutdown` when it closes. Clients come from
    :meth:`ChatPage.client_for` and are closed when their deployment is no longer shown.
    """

    def __init__(self, page: ChatPage) -> None:
        super().__init__(page)
        self.page = page
        self.context: AppContext | None = None
        self.project: Project | None = None
        self.choices: list[DeploymentRecord] = []
        self._clients: dict[str, ChatClient] = {}
        self._training_prompt = ""
        self._setting_prompt = False
        self._code_dialog: CodeDialog | None = None
        self._export_dialog: QFileDialog | None = None

        # -- nothing online
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_deploy = QPushButton()
        self.go_deploy.setObjectName("primaryButton")
        self.go_deploy.clicked.connect(lambda: page.step_requested.emit(Step.DEPLOY.value))
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addWidget(self.go_deploy, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.empty = empty

        # -- the toolbar
        self.compare_label = QLabel()
        self.compare = QComboBox()
        self.compare.setMinimumWidth(220)
        self.compare.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.compare.currentIndexChanged.connect(self._on_compare_changed)
        self.compare_label.setBuddy(self.compare)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_conversation)
        self.code_button = QPushButton()
        self.code_button.clicked.connect(self.show_code)

        # -- More: temperature and the longest answer
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(1)
        self.temperature.setValue(DEFAULT_TEMPERATURE)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, MAX_TOKENS_LIMIT)
        self.max_tokens.setSingleStep(100)
        self.max_tokens.setValue(DEFAULT_MAX_TOKENS)
        self.temperature_label = QLabel()
        self.temperature_label.setBuddy(self.temperature)
        self.temperature_hint = QLabel()
        self.temperature_hint.setObjectName("hint")
        self.max_tokens_label = QLabel()
        self.max_tokens_label.setBuddy(self.max_tokens)
        self.max_tokens_hint = QLabel()
        self.max_tokens_hint.setObjectName("hint")
        more = QWidget()
        more_form = QFormLayout(more)
        more_form.setContentsMargins(24, 0, 0, 4)
        for label, field, hint in (
            (self.temperature_label, self.temperature, self.temperature_hint),
            (self.max_tokens_label, self.max_tokens, self.max_tokens_hint),
        ):
            row = QHBoxLayout()
            row.addWidget(field)
            row.addWidget(hint, 1)
            more_form.addRow(label, row)
        self.more = _Fold(more)

        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        toolbar.addWidget(self.compare_label)
        toolbar.addWidget(self.compare)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.more)
        toolbar.addStretch(1)
        toolbar.addWidget(self.clear_button)
        toolbar.addWidget(self.export_button)
        toolbar.addWidget(self.code_button)

        # -- the system prompt, folded
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setFixedHeight(self.prompt_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.prompt_edit.textChanged.connect(self._on_prompt_edited)
        self.prompt_hint = QLabel()
        self.prompt_hint.setObjectName("hint")
        self.prompt_hint.setWordWrap(True)
        self.reset_prompt = QPushButton()
        self.reset_prompt.clicked.connect(self._on_reset_prompt_clicked)
        prompt_body = QWidget()
        prompt_layout = QVBoxLayout(prompt_body)
        prompt_layout.setContentsMargins(24, 0, 0, 4)
        prompt_layout.setSpacing(4)
        prompt_layout.addWidget(self.prompt_edit)
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(self.prompt_hint, 1)
        prompt_row.addWidget(self.reset_prompt)
        prompt_layout.addLayout(prompt_row)
        self.prompt_fold = _Fold(prompt_body)
        self.prompt_summary = QLabel()
        self.prompt_summary.setObjectName("hint")
        self.prompt_summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        prompt_header = QHBoxLayout()
        prompt_header.setContentsMargins(0, 0, 0, 0)
        prompt_header.addWidget(self.prompt_fold)
        prompt_header.addWidget(self.prompt_summary, 1)

        # -- the transcripts
        self.main = _Column(self)
        self.other = _Column(self)
        self.other.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.main)
        self.splitter.addWidget(self.other)

        # -- the question
        self.input = QuestionBox()
        self.input.submitted.connect(self.send)
        self.input.textChanged.connect(self._update_buttons)
        self.send_button = QPushButton()
        self.send_button.setObjectName("primaryButton")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        ask = QHBoxLayout()
        ask.addWidget(self.input, 1)
        ask.addLayout(buttons)
        self.note = InlineMessage()

        chat = QWidget()
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 8, 0, 0)
        chat_layout.setSpacing(6)
        chat_layout.addLayout(toolbar)
        chat_layout.addWidget(more)
        chat_layout.addLayout(prompt_header)
        chat_layout.addWidget(prompt_body)
        chat_layout.addWidget(self.note)
        chat_layout.addWidget(self.splitter, 1)
        chat_layout.addLayout(ask)
        self.chat = chat

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(chat)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setStyleSheet(
            "#columnTitle { font-weight: 600; }"
            "QToolButton#fold { border: none; background: transparent; padding: 2px 0; }"
            "#hint { color: palette(placeholder-text); }"
            "#transcript { border: 1px solid palette(mid); border-radius: 6px; }"
        )
        self.retranslate()
        self._show_state()

    # ------------------------------------------------------------------ the page's calls
    def set_context(self, context: AppContext) -> None:
        self.context = context

    def set_project(self, project: Project | None) -> None:
        if self.project is not None:
            with contextlib.suppress(ValueError):  # a closed project's dataset forgot it
                self.project.dataset.system_prompt_changed.disconnect(
                    self._on_training_prompt_changed
                )
        self.project = project
        if project is not None:
            project.dataset.system_prompt_changed.connect(self._on_training_prompt_changed)
        self.clear()
        self._load_training_prompt(force=True)

    def set_choices(self, records: list[DeploymentRecord]) -> None:
        """The deployments online (the ones "Compare with" offers, but the chosen one)."""
        self.choices = list(records)
        self._fill_compare()
        self._show_state()

    def set_deployment(self, record: DeploymentRecord | None) -> None:
        """The deployment chosen in the page's picker (None: nothing online)."""
        previous = self.main.record
        if record is not None and previous is not None and previous.id == record.id:
            self.main.record = record
        else:
            self.stop()
            self.main.view.clear()
            self.other.view.clear()
            self.main.record = record
            if previous is not None:
                self._release(previous)
        self._fill_compare()
        self._load_training_prompt()
        self._show_state()

    def retranslate(self) -> None:
        self.empty_text.setText(
            self.tr(
                "Nothing of this project is online yet: deploy a trained model to chat with it."
            )
        )
        self.go_deploy.setText(self.tr("Go to Deploy"))
        self.compare_label.setText(self.tr("Compare with:"))
        self.more.setText(self.tr("More"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Start a new conversation"))
        self.export_button.setText(self.tr("Export conversation…"))
        self.export_button.setToolTip(self.tr("Save this conversation as a Markdown file"))
        self.code_button.setText(self.tr("Copy code…"))
        self.code_button.setToolTip(
            self.tr("Python and curl code that asks this deployment a question")
        )
        self.temperature_label.setText(self.tr("Temperature:"))
        self.temperature_hint.setText(
            self.tr("0 gives the same, most likely answer each time; up to 2 varies more.")
        )
        self.max_tokens_label.setText(self.tr("Longest answer:"))
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.max_tokens_hint.setText(self.tr("An answer stops when it reaches this length."))
        self.prompt_fold.setText(self.tr("System prompt"))
        self.prompt_hint.setText(
            self.tr(
                "Sent before every question, as in training. Changing it here tries another "
                "prompt in this chat only; the project keeps its own."
            )
        )
        self.reset_prompt.setText(self.tr("Use the training prompt"))
        self.prompt_edit.setPlaceholderText(self.tr("No system prompt"))
        self.input.setPlaceholderText(
            self.tr("Ask a question (Enter sends, Shift+Enter starts a new line)")
        )
        self.send_button.setText(self.tr("Send"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer; what arrived stays"))
        for column in (self.main, self.other):
            column.stop.setText(self.tr("Stop"))
            column.view.retranslate()
        self.note.retranslate()
        self._fill_compare()
        self._show_titles()
        self._show_prompt_summary()

    def shutdown(self) -> None:
        """Cancel every stream and close every client."""
        self.stop()
        for record_id in list(self._clients):
            self._close_client(record_id)

    # ------------------------------------------------------------------ state shown
    def _show_state(self) -> None:
        online = self.main.record is not None
        self.stack.setCurrentWidget(self.chat if online else self.empty)
        self.other.setVisible(self.other.record is not None)
        self._show_titles()
        self._update_buttons()

    def _kind(self, record: DeploymentRecord) -> str:
        return self.tr("base model") if record.base_model else self.tr("fine-tuned")

    def _show_titles(self) -> None:
        for column, role in ((self.main, self.tr("Talking to")), (self.other, self.tr("Next to"))):
            record = column.record
            if record is None:
                column.title.clear()
                continue
            text = self.tr("{role}: {name} ({kind})").format(
                role=role, name=record.name, kind=self._kind(record)
            )
            column.title.setText(text)
            column.title.setToolTip(f"{record.name}\n{record.model}")

    def streaming(self) -> bool:
        return self.main.streaming or self.other.streaming

    def _update_buttons(self) -> None:
        busy = self.streaming()
        has_text = bool(self.input.toPlainText().strip())
        self.send_button.setEnabled(not busy and has_text and self.main.record is not None)
        self.stop_button.setEnabled(busy)
        comparing = self.other.record is not None
        for column in (self.main, self.other):
            column.stop.setVisible(comparing and column.streaming)
        has_chat = self.main.view.count() > 0 or self.other.view.count() > 0
        self.clear_button.setEnabled(has_chat)
        self.export_button.setEnabled(has_chat and not busy)
        self.code_button.setEnabled(self.main.record is not None)
        self.compare.setEnabled(not busy)

    # ------------------------------------------------------------------ compare with
    def _fill_compare(self) -> None:
        current = self.other.record.id if self.other.record is not None else None
        chosen = self.main.record.id if self.main.record is not None else None
        self.compare.blockSignals(True)
        self.compare.clear()
        self.compare.addItem(self.tr("none"), None)
        for record in self.choices:
            if record.id == chosen:
                continue
            label = f"{record.name} · {model_label(record)} ({self._kind(record)})"
            self.compare.addItem(label, record.id)
        index = self.compare.findData(current) if current is not None else 0
        self.compare.setCurrentIndex(max(index, 0))
        self.compare.blockSignals(False)
        self.compare_label.setVisible(self.compare.count() > 1)
        self.compare.setVisible(self.compare.count() > 1)
        if index < 0:
            self._on_compare_changed()

    def _on_compare_changed(self, *_args: object) -> None:
        wanted = self.compare.currentData()
        record = next((r for r in self.choices if r.id == wanted), None)
        previous = self.other.record
        if record is not None and previous is not None and record.id == previous.id:
            return
        self.other.cancel()
        self.other.view.clear()
        self.other.record = record
        if previous is not None:
            self._release(previous)
        self._show_state()
        if record is not None:
            half = max(1, self.splitter.width() // 2)
            self.splitter.setSizes([half, half])

    def compare_with(self, record_id: str | None) -> None:
        """Choose the deployment to compare with (None: none)."""
        self.compare.setCurrentIndex(max(0, self.compare.findData(record_id)))

    # ------------------------------------------------------------------ clients
    async def _client(self, record: DeploymentRecord) -> ChatClient:
        client = self._clients.get(record.id)
        if client is None:
            client = await self.page.client_for(record)
            if record.id in self._clients:  # another column made one meanwhile
                await client.aclose()
                return self._clients[record.id]
            self._clients[record.id] = client
        return client

    def _release(self, record: DeploymentRecord) -> None:
        """Close ``record``'s client unless a column still shows it."""
        if record.id not in {c.record.id for c in (self.main, self.other) if c.record}:
            self._close_client(record.id)

    def _close_client(self, record_id: str) -> None:
        client = self._clients.pop(record_id, None)
        if client is None:
            return
        try:
            asyncio.get_event_loop()
        except RuntimeError:
            return
        ops.run_op(self, client.aclose, label="", quiet=True, on_error=lambda _e: None)

    # ------------------------------------------------------------------ the system prompt
    def system_prompt(self) -> str:
        """The system prompt this chat sends (the training one unless changed here)."""
        return self.prompt_edit.toPlainText()

    def prompt_changed_here(self) -> bool:
        return self.system_prompt() != self._training_prompt

    def _load_training_prompt(self, *, force: bool = False) -> None:
        was_changed = self.prompt_changed_here()
        self._training_prompt = self.project.dataset.system_prompt if self.project else ""
        if force or not was_changed:
            self._set_prompt(self._training_prompt)
        self._show_prompt_summary()

    def _on_training_prompt_changed(self, _old: str) -> None:
        self._load_training_prompt()

    def _set_prompt(self, text: str) -> None:
        self._setting_prompt = True
        try:
            self.prompt_edit.setPlainText(text)
        finally:
            self._setting_prompt = False

    def _on_prompt_edited(self) -> None:
        if not self._setting_prompt:
            self._show_prompt_summary()

    def _on_reset_prompt_clicked(self) -> None:
        self._set_prompt(self._training_prompt)
        self._show_prompt_summary()

    def _show_prompt_summary(self) -> None:
        text = " ".join(self.system_prompt().split())
        if self.prompt_changed_here():
            state = self.tr("changed for this chat")
        elif text:
            state = self.tr("as in training")
        else:
            state = self.tr("none: the data has no system prompt")
        shown = f"“{text}” · {state}" if text else state
        metrics = self.prompt_summary.fontMetrics()
        width = max(200, self.prompt_summary.width())
        self.prompt_summary.setText(metrics.elidedText(shown, Qt.TextElideMode.ElideMiddle, width))
        self.prompt_summary.setToolTip(self.system_prompt())
        self.reset_prompt.setVisible(self.prompt_changed_here())

    def resizeEvent(self, event: Any) -> None:  # reimplements QWidget::resizeEvent
        super().resizeEvent(event)
        self._show_prompt_summary()

    # ------------------------------------------------------------------ asking
    def columns(self) -> list[_Column]:
        """The transcripts questions go to (one, or two when comparing)."""
        return [c for c in (self.main, self.other) if c.record is not None]

    def send(self) -> None:
        """Send the question in the box to every model shown."""
        question = self.input.toPlainText().strip()
        if not question or self.streaming() or self.main.record is None:
            return
        self.input.clear()
        self.note.clear()
        for column in self.columns():
            column.view.add_message("user", question)
            self._ask(column)
        self._update_buttons()

    def stop(self) -> None:
        """Stop every answer streaming in; what arrived stays."""
        for column in (self.main, self.other):
            column.cancel()

    def clear(self) -> None:
        """A new conversation: streams stopped, transcripts emptied."""
        self.stop()
        for column in (self.main, self.other):
            column.end()
            column.view.clear()
        self.note.clear()
        self._update_buttons()

    def _ask(self, column: _Column) -> None:
        record = column.record
        assert record is not None
        messages: list[ChatMessage] = []
        prompt = self.system_prompt()
        if prompt.strip():
            messages.append({"role": "system", "content": prompt})
        messages += column.history()
        column.answer = index = column.view.begin_answer(record.name)
        max_tokens = self.max_tokens.value()
        temperature = round(self.temperature.value(), 2)

        async def work() -> None:
            try:
                client = await self._client(record)
                async for piece in client.stream(
                    messages,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    on_wait=column.show_wait,
                ):
                    column.clear_wait()
                    column.view.append(index, piece)
            except asyncio.CancelledError:
                column.end(stopped=True)
                raise
            except UserFacingError as exc:
                column.end(error=self._error_text(exc, bool(column.view.text_of(index))))
                return
            except Exception:
                column.end(error=self.tr("Something went wrong here, and the answer ended."))
                raise
            column.end()

        def done(_result: object = None) -> None:
            self._update_buttons()

        column.task = ops.run_op(
            self,
            work,
            label=self.tr("Waiting for the answer…"),
            quiet=True,
            on_error=lambda error: column.end(error=str(error)),
        )
        column.task.add_done_callback(done)

    def _error_text(self, error: UserFacingError, arrived: bool) -> str:
        from tunedesk.cloud.errors import ContentFiltered, NetworkProblem

        if arrived and isinstance(error, NetworkProblem):
            return self.tr(
                "The connection broke off in the middle of the answer: above is what arrived. "
                "Send the question again for the whole answer."
            )
        if arrived and not isinstance(error, ContentFiltered):
            return self.tr("The answer broke off: {reason}").format(reason=str(error))
        return str(error)

    # ------------------------------------------------------------------ export
    def conversation(self, column: _Column) -> list[dict[str, str]]:
        """What ``column``'s conversation was, the system prompt first."""
        messages: list[dict[str, str]] = []
        if self.system_prompt().strip():
            messages.append({"role": "system", "content": self.system_prompt()})
        return messages + column.history()

    def markdown(self) -> str:
        """The conversation (both, when comparing) as Markdown."""
        from tunedesk.core.snippets import conversation_markdown

        now = datetime.now().astimezone()
        parts = []
        for column in self.columns():
            record = column.record
            assert record is not None
            if not column.history():
                continue
            parts.append(
                conversation_markdown(
                    self.conversation(column),
                    title=self.tr("Chat with {name}").format(name=record.name),
                    model=record.model or record.name,
                    when=now,
                )
            )
        return "\n---\n\n".join(parts)

    def export_conversation(self) -> None:
        """Ask where to save the conversation, then write it there (off the UI thread)."""
        project = self.project.name if self.project is not None else "TuneDesk"
        folder = str(self.project.path.parent) if self.project is not None else ""
        dialog = QFileDialog(self, self.tr("Export conversation"), folder)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Markdown (*.md)"))
        dialog.setDefaultSuffix("md")
        dialog.selectFile(self.tr("{project} chat").format(project=project) + ".md")
        self._export_dialog = dialog
        text = self.markdown()

        async def work() -> Path | None:
            result = await ops.run_dialog(dialog)
            files = dialog.selectedFiles()
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted or not files:
                return None
            path = Path(files[0])
            try:
                await ops.in_worker(_write_text, path, text)
            except OSError as exc:
                self.note.show_message(
                    self.tr("Could not save {name}.").format(name=path.name),
                    exc.strerror or str(exc),
                    tone=Tone.ERROR,
                )
                return None
            return path

        def saved(path: Path | None) -> None:
            if path is not None:
                self.page.status_message.emit(
                    self.tr("Saved the conversation to {path}.").format(path=str(path))
                )

        ops.run_op(
            self,
            work,
            label=self.tr("Saving…"),
            quiet=True,
            on_success=saved,
            busy=[self.export_button],
        )

    # ------------------------------------------------------------------ code
    def show_code(self) -> None:
        """A dialog with Python and curl code for the chosen deployment."""
        from tunedesk.core.snippets import DEFAULT_KEY_ENV, curl_snippet, python_snippet

        record = self.main.record
        if record is None:
            return
        route = "hub" if record.route == "hub" else "openai"
        question = next(
            (m["content"] for m in reversed(self.main.history()) if m["role"] == "user"), None
        )
        options: dict[str, Any] = {
            "route": route,
            "api_key_env": DEFAULT_KEY_ENV,
            "system_prompt": self.system_prompt(),
            "question": question,
        }
        try:
            python = python_snippet(record.endpoint, record.name, **options)
            curl = curl_snippet(record.endpoint, record.name, **options)
        except ValueError:
            self.note.show_message(
                self.tr("TuneDesk does not know this deployment's address, so it has no code."),
                tone=Tone.WARNING,
            )
            return
        note = self.tr(
            "Code that asks {name} a question. Set the environment variable {env} to the "
            "deployment's key first (Azure portal, the deployment's Keys): the key is never "
            "written into the code."
        ).format(name=record.name, env=DEFAULT_KEY_ENV)
        dialog = CodeDialog(self, python, curl, note)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._code_dialog = dialog
        dialog.show()
