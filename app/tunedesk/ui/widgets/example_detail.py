"""The row detail panel: the selected example as a full conversation, editable with undo.

A drafted row also shows where it came from (the document and page, and the passage it was
drafted from; or the row a paraphrase rephrases) and, while it is a draft, Accept and
Reject: each one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.dataset import Example, Message, OriginKind, Role, Split
from tunedesk.ui.models.examples_table_model import ExamplesTableModel, split_label
from tunedesk.ui.undo import RemoveExamplesByIdCommand, ReplaceExamplesCommand


class _MessageEditor(QWidget):
    """One message: role combo, text box, remove button."""

    def __init__(self, panel: ExampleDetailPanel, index: int, message: Message) -> None:
        super().__init__()
        self.index = index
        self.role = QComboBox()
        for role, label in panel.role_labels().items():
            self.role.addItem(label, role)
        pos = self.role.findData(str(message.role))
        if pos < 0:  # an invalid role from a file: show it so the checks make sense
            self.role.addItem(str(message.role), str(message.role))
            pos = self.role.count() - 1
        self.role.setCurrentIndex(pos)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(_text(message.content))
        line = self.text.fontMetrics().lineSpacing()
        self.text.setMinimumHeight(line * 3 + 12)
        self.text.setMaximumHeight(line * 10 + 12)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(
            QCoreApplication.translate("ExampleDetailPanel", "Remove this message")
        )
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.role)
        top.addStretch(1)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.text)


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    return str(content)


class ExampleDetailPanel(QWidget):
    """Shows one example (by id) from the table model's dataset; edits push undo commands.

    The panel re-reads the example whenever the model reports a change, and rebuilds its
    editors only when what is shown differs (so typing keeps the cursor).
    """

    def __init__(
        self, model: ExamplesTableModel, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._undo_stack = undo_stack
        self._example_id: str | None = None
        self._editors: list[_MessageEditor] = []
        self._loading = False

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        # --- where a drafted row came from, and its review buttons
        self.origin_box = QFrame()
        self.origin_box.setObjectName("originBox")
        self.origin_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.origin_title = QLabel()
        self.origin_title.setWordWrap(True)
        self.origin_title.setObjectName("originTitle")
        self.origin_text = QPlainTextEdit()
        self.origin_text.setReadOnly(True)
        self.origin_text.setMaximumHeight(96)
        self.accept_draft = QPushButton()
        self.accept_draft.setObjectName("primaryButton")
        self.accept_draft.clicked.connect(self.accept_current)
        self.reject_draft = QPushButton()
        self.reject_draft.clicked.connect(self.reject_current)
        review = QHBoxLayout()
        review.setContentsMargins(0, 0, 0, 0)
        review.addWidget(self.accept_draft)
        review.addWidget(self.reject_draft)
        review.addStretch(1)
        origin = QVBoxLayout(self.origin_box)
        origin.setContentsMargins(8, 6, 8, 6)
        origin.addWidget(self.origin_title)
        origin.addWidget(self.origin_text)
        origin.addLayout(review)
        self.origin_box.hide()

        self._messages_box = QWidget()
        self._messages_layout = QVBoxLayout(self._messages_box)
        self._messages_layout.setContentsMargins(0, 0, 4, 0)
        self._messages_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self._messages_box)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)

        self.add_turn = QPushButton()
        self.add_turn.clicked.connect(self._on_add_turn_clicked)
        self.split = QComboBox()
        for split in Split:
            self.split.addItem("", split.value)  # texts: retranslate
        self.split.activated.connect(self._on_split_activated)
        self.note = QLineEdit()
        self.note.textEdited.connect(self._on_note_edited)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self._split_label = QLabel()
        self._note_label = QLabel()
        form.addRow(self._split_label, self.split)
        form.addRow(self._note_label, self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_turn)
        buttons.addStretch(1)

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.origin_box)
        body.addWidget(self.scroll_area, 1)
        body.addLayout(buttons)
        body.addLayout(form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self._body, 1)
        self._body.setVisible(False)

        model.dataChanged.connect(self._on_model_changed)
        model.rowsRemoved.connect(self._on_model_changed)
        model.modelReset.connect(self._on_model_changed)
        self._set_texts()

    def _set_texts(self) -> None:
        self.title.setText(self.tr("Selected example"))
        self.hint.setText(self.tr("Select a row to see and edit the whole conversation."))
        self.add_turn.setText(self.tr("Add turn"))
        self.add_turn.setToolTip(self.tr("Add a follow-up question and its answer"))
        self.note.setPlaceholderText(self.tr("A note for yourself (not used for training)"))
        self.accept_draft.setText(self.tr("Accept"))
        self.accept_draft.setToolTip(self.tr("You checked it: it is training data now"))
        self.reject_draft.setText(self.tr("Reject"))
        self.reject_draft.setToolTip(self.tr("Remove this draft (Undo brings it back)"))
        self._split_label.setText(self.tr("Split"))
        self._note_label.setText(self.tr("Note"))
        for pos in range(self.split.count()):
            self.split.setItemText(pos, split_label(Split(self.split.itemData(pos))))

    def retranslate(self) -> None:
        """Show the panel in the language just installed (the editors are rebuilt)."""
        self._set_texts()
        self._refresh(force=True)

    @staticmethod
    def role_labels() -> dict[str, str]:
        return {
            Role.SYSTEM.value: QCoreApplication.translate("ExampleDetailPanel", "System"),
            Role.USER.value: QCoreApplication.translate("ExampleDetailPanel", "Question (user)"),
            Role.ASSISTANT.value: QCoreApplication.translate(
                "ExampleDetailPanel", "Answer (assistant)"
            ),
        }

    # ------------------------------------------------------------------ showing
    @property
    def example_id(self) -> str | None:
        return self._example_id

    def show_example(self, example_id: str | None) -> None:
        self._example_id = example_id
        self._refresh(force=True)

    def current_example(self) -> Example | None:
        ds = self._model.dataset
        if ds is None or self._example_id is None:
            return None
        row = ds.index_of(self._example_id)
        return ds[row] if row is not None else None

    def _on_model_changed(self, *_args: object) -> None:
        self._refresh(force=False)

    def _refresh(self, *, force: bool) -> None:
        ex = self.current_example()
        self._body.setVisible(ex is not None)
        self.hint.setVisible(ex is None)
        if ex is None:
            self._example_id = None
            self.title.setText(self.tr("Selected example"))
            self._clear_editors()
            return
        ds = self._model.dataset
        row = ds.index_of(ex.id) if ds is not None else None
        self.title.setText(self.tr("Row {row}").format(row=(row or 0) + 1))
        self._loading = True
        try:
            if force or not self._shows(ex):
                self._rebuild(ex)
            pos = self.split.findData(ex.split.value)
            self.split.setCurrentIndex(max(0, pos))
            if self.note.text() != ex.note:
                self.note.setText(ex.note)
            self._show_origin(ex)
        finally:
            self._loading = False

    def _show_origin(self, ex: Example) -> None:
        origin = ex.origin
        self.origin_box.setVisible(origin is not None or ex.draft)
        self.accept_draft.setVisible(ex.draft)
        self.reject_draft.setVisible(ex.draft)
        excerpt = ""
        if origin is not None and origin.kind == OriginKind.PARAPHRASE:
            ds = self._model.dataset
            row = ds.index_of(origin.of) if ds is not None else None
            if row is None:
                where = self.tr("Another wording of a question no longer in the table.")
            else:
                where = self.tr("Another wording of the question in row {row}:").format(
                    row=row + 1
                )
                excerpt = ds[row].question if ds is not None else ""
        elif origin is not None:
            if origin.page is not None:
                where = self.tr("Drafted from {name}, page {page}:").format(
                    name=origin.source, page=origin.page
                )
            else:
                where = self.tr("Drafted from {name}:").format(name=origin.source)
            excerpt = origin.excerpt
        else:
            where = self.tr("Drafted by a model.")
        status = (
            self.tr("Draft: check it against the source, then accept, edit or reject it.")
            if ex.draft
            else self.tr("Reviewed.")
        )
        self.origin_title.setText(f"{status}\n{where}")
        if self.origin_text.toPlainText() != excerpt:
            self.origin_text.setPlainText(excerpt)
        self.origin_text.setVisible(bool(excerpt))

    def accept_current(self) -> None:
        """The shown draft is reviewed: it trains from now on (one undo step)."""
        old = self.current_example()
        if old is None or not old.draft:
            return
        self._push(old, old.copy(draft=False), self.tr("Accept draft"), None)

    def reject_current(self) -> None:
        """Remove the shown draft (one undo step)."""
        ex, ds = self.current_example(), self._model.dataset
        if ex is None or ds is None or not ex.draft:
            return
        self._undo_stack.push(RemoveExamplesByIdCommand(ds, [ex.id], self.tr("Reject draft")))

    def _shows(self, ex: Example) -> bool:
        if len(ex.messages) != len(self._editors):
            return False
        return all(
            e.role.currentData() == str(m.role) and e.text.toPlainText() == _text(m.content)
            for e, m in zip(self._editors, ex.messages, strict=True)
        )

    def _clear_editors(self) -> None:
        for e in self._editors:
            e.setParent(None)
            e.deleteLater()
        self._editors = []

    def _rebuild(self, ex: Example) -> None:
        self._clear_editors()
        for i, m in enumerate(ex.messages):
            editor = _MessageEditor(self, i, m)
            editor.role.activated.connect(lambda _p, idx=i: self._on_message_edited(idx))
            editor.text.textChanged.connect(lambda idx=i: self._on_message_edited(idx))
            editor.remove.clicked.connect(lambda _c=False, idx=i: self._on_remove_clicked(idx))
            self._messages_layout.insertWidget(self._messages_layout.count() - 1, editor)
            self._editors.append(editor)

    # ------------------------------------------------------------------ editing
    def _push(self, old: Example, new: Example, label: str, merge_key: str | None) -> None:
        ds = self._model.dataset
        if ds is None:
            return
        self._undo_stack.push(ReplaceExamplesCommand(ds, [(old, new)], label, merge_key=merge_key))

    def _messages_from_editors(self, old: Example) -> list[Message]:
        out = []
        for e, m in zip(self._editors, old.messages, strict=False):
            out.append(Message(str(e.role.currentData()), e.text.toPlainText(), m.weight))
        return out

    def _on_message_edited(self, index: int) -> None:
        if self._loading:
            return
        old = self.current_example()
        if old is None or len(old.messages) != len(self._editors):
            return
        new = old.copy(messages=self._messages_from_editors(old))
        self._push(old, new, self.tr("Edit message"), f"{old.id}:{index}")

    def _on_remove_clicked(self, index: int) -> None:
        old = self.current_example()
        if old is None or not 0 <= index < len(old.messages):
            return
        messages = [Message(m.role, m.content, m.weight) for m in old.messages]
        del messages[index]
        self._push(old, old.copy(messages=messages), self.tr("Remove message"), None)
        self._refresh(force=True)

    def _on_add_turn_clicked(self) -> None:
        old = self.current_example()
        if old is None:
            return
        messages = [Message(m.role, m.content, m.weight) for m in old.messages]
        messages += [Message(Role.USER.value, ""), Message(Role.ASSISTANT.value, "")]
        self._push(old, old.copy(messages=messages), self.tr("Add turn"), None)
        self._refresh(force=True)
        if len(self._editors) >= 2:
            self._editors[-2].text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_split_activated(self, _pos: int) -> None:
        old = self.current_example()
        split = Split(self.split.currentData())
        if old is None or old.split == split:
            return
        self._push(old, old.copy(split=split), self.tr("Change split"), None)

    def _on_note_edited(self, text: str) -> None:
        old = self.current_example()
        if old is None or self._loading or old.note == text:
            return
        self._push(old, old.copy(note=text), self.tr("Edit note"), f"{old.id}:note")

    def current_index_changed(self, index: QModelIndex) -> None:
        """Slot for the view's current-row changes (``index`` in the table model)."""
        ex = index.data(Qt.ItemDataRole.UserRole + 1) if index.isValid() else None
        self.show_example(ex.id if isinstance(ex, Example) else None)
