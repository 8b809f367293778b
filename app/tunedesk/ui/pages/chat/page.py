"""Step 6, Chat & check: talk to the deployed model, next to another one, and quiz it.

The page holds what both of its tabs share: the project's deployments that are online
(:class:`~tunedesk.core.deployments.DeploymentHistory`), the one chosen, and a way to get a
streaming chat client for any of them (:meth:`ChatPage.client_for`, through the place's
route: the cloud is reached only through the route and :mod:`tunedesk.ui.ops`). The tabs:

* **Chat** (:class:`~tunedesk.ui.pages.chat.chat_panel.ChatPanel`): streaming chat with the
  training system prompt, side by side with another deployment, export and code snippets;
* **Quiz** (:class:`~tunedesk.ui.pages.chat.quiz_panel.QuizPanel`): every validation question
  through the model, scored, misses sent back to the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from tunedesk.core.flow import Step
from tunedesk.ui.pages.base import PAGE_STYLE, StepPage
from tunedesk.ui.pages.chat.chat_panel import ChatPanel, model_label
from tunedesk.ui.pages.chat.quiz_panel import QuizPanel
from tunedesk.ui.widgets.inline_message import InlineMessage

if TYPE_CHECKING:
    from tunedesk.cloud.routes.base import ChatClient
    from tunedesk.core.deployments import DeploymentHistory, DeploymentRecord
    from tunedesk.ui.context import AppContext


class ChatPage(StepPage):
    """Chat & check. Signals: ``deployment_changed(object)`` — the chosen
    :class:`DeploymentRecord` (or None) changed; the tabs follow it."""

    step = Step.CHAT
    deployment_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deployments: DeploymentHistory | None = None
        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.note = InlineMessage()
        self._picker_label = QLabel()
        self.picker = QComboBox()
        self.picker.setMinimumWidth(320)
        self.picker.currentIndexChanged.connect(self._on_picked)
        self.chat = ChatPanel(self)
        self.quiz = QuizPanel(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.chat, "")
        self.tabs.addTab(self.quiz, "")
        top = QHBoxLayout()
        top.addWidget(self._picker_label)
        top.addWidget(self.picker)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(10)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addWidget(self.note)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setStyleSheet(PAGE_STYLE)
        self.retranslate()

    # ------------------------------------------------------------------ StepPage
    def set_context(self, context: AppContext) -> None:
        super().set_context(context)
        context.project_changed.connect(self._on_project_changed)
        context.jobs_changed.connect(self.refresh_deployments)
        self.chat.set_context(context)
        self.quiz.set_context(context)
        self._on_project_changed(context.project)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Chat & check"))
        self._intro.setText(
            self.tr(
                "Talk to your model, next to the base model if you like, and quiz it with the "
                "questions it did not train on to see what it learned."
            )
        )
        self._picker_label.setText(self.tr("Talking to:"))
        self.tabs.setTabText(0, self.tr("Chat"))
        self.tabs.setTabText(1, self.tr("Quiz"))
        self.chat.retranslate()
        self.quiz.retranslate()
        self.note.retranslate()

    def page_shown(self) -> None:
        self.refresh_deployments()

    def shutdown(self) -> None:
        self.chat.shutdown()
        self.quiz.shutdown()

    # ------------------------------------------------------------------ deployments
    def _on_project_changed(self, project: Any) -> None:
        self.shutdown()
        self.deployments = None
        if project is not None:
            from tunedesk.core.deployments import DeploymentHistory

            self.deployments = DeploymentHistory(project)
        self.chat.set_project(project)
        self.quiz.set_project(project)
        self.refresh_deployments()

    def online(self) -> list[DeploymentRecord]:
        """The project's deployments that are online in the chosen place."""
        if self.deployments is None:
            return []
        return [r for r in self.deployments.active() if r.state.lower() == "succeeded"]

    def refresh_deployments(self) -> None:
        current = self.current()
        records = self.online()
        self.picker.blockSignals(True)
        self.picker.clear()
        for record in records:
            model = model_label(record)
            self.picker.addItem(record.name + (f" · {model}" if model else ""), record.id)
        self._picker_label.setVisible(bool(records))
        self.picker.setVisible(bool(records))
        index = self.picker.findData(current.id) if current is not None else -1
        self.picker.setCurrentIndex(index if index >= 0 else 0)
        self.picker.blockSignals(False)
        self.chat.set_choices(records)
        self._on_picked()

    def current(self) -> DeploymentRecord | None:
        wanted = self.picker.currentData()
        if wanted is None or self.deployments is None:
            return None
        return self.deployments.get(str(wanted))

    def _on_picked(self, *_args: object) -> None:
        record = self.current()
        self.chat.set_deployment(record)
        self.quiz.set_deployment(record)
        self.deployment_changed.emit(record)

    async def client_for(self, record: DeploymentRecord) -> ChatClient:
        """A streaming chat client for ``record`` (close it with ``aclose()``)."""
        from tunedesk.cloud.routes.base import Deployment

        assert self.context is not None
        deployment = Deployment.of(record)
        return await self.context.route().chat(deployment)
