"""The shared system prompt above the grid (applied to every example at export)."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from tunedesk.core.dataset import Dataset
from tunedesk.ui.undo import SetSystemPromptCommand


class SystemPromptBox(QPlainTextEdit):
    """A few lines of text bound to ``dataset.system_prompt``; typing is one undo step.

    It follows the dataset (undo, import, quick fixes) through ``system_prompt_changed``
    and ``reset_done`` and never keeps its own copy beyond what is on screen.
    """

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo_stack = undo_stack
        self._dataset: Dataset | None = None
        self._loading = False
        self.retranslate()
        self.setTabChangesFocus(True)
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(line * 3 + 14)
        self.textChanged.connect(self._on_text_changed)

    def retranslate(self) -> None:
        self.setPlaceholderText(
            self.tr(
                "Optional: tell the model who it is and how to answer, e.g. “You are the "
                "help desk of Contoso. Answer briefly and politely.” It is applied to every "
                "example."
            )
        )

    def set_dataset(self, dataset: Dataset | None) -> None:
        if self._dataset is not None:
            self._dataset.system_prompt_changed.disconnect(self._on_dataset_prompt_changed)
            self._dataset.reset_done.disconnect(self._on_dataset_reset)
        self._dataset = dataset
        if dataset is not None:
            dataset.system_prompt_changed.connect(self._on_dataset_prompt_changed)
            dataset.reset_done.connect(self._on_dataset_reset)
        self._load()

    def _load(self) -> None:
        text = self._dataset.system_prompt if self._dataset is not None else ""
        if text == self.toPlainText():
            return
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False

    def _on_dataset_prompt_changed(self, _old: str) -> None:
        self._load()

    def _on_dataset_reset(self) -> None:
        self._load()

    def _on_text_changed(self) -> None:
        if self._loading or self._dataset is None:
            return
        text = self.toPlainText()
        if text != self._dataset.system_prompt:
            self._undo_stack.push(
                SetSystemPromptCommand(self._dataset, text, self.tr("Edit system prompt"))
            )
