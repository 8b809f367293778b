"""The review bar above the grid, shown while rows a model drafted wait for a person.

"12 drafts to review" with Accept / Reject for the selected drafts, Accept all, and a
switch to show only the drafts. Every action is one undo step on the page's stack; nothing
is ever accepted without a click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from tunedesk.core.dataset import Dataset, Example
from tunedesk.ui.undo import RemoveExamplesByIdCommand, ReplaceExamplesCommand


def accept_command(
    dataset: Dataset, drafts: Sequence[Example], text: str
) -> ReplaceExamplesCommand:
    """Accept ``drafts`` (reviewed: they train from now on) as one undo step."""
    return ReplaceExamplesCommand(dataset, [(ex, ex.copy(draft=False)) for ex in drafts], text)


class DraftsBar(QFrame):
    """Signals: show_drafts_requested(bool) — show only drafts (True) or every row."""

    show_drafts_requested = Signal(bool)

    def __init__(
        self,
        undo_stack: QUndoStack,
        selected: Callable[[], list[Example]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("draftsBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._undo_stack = undo_stack
        self._selected = selected
        self._dataset: Dataset | None = None
        self._count = 0
        self._box: object = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        # it wraps rather than widening the grid's side of the splitter
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(120)
        self.accept_selected = QPushButton()
        self.accept_selected.clicked.connect(self._on_accept_selected)
        self.reject_selected = QPushButton()
        self.reject_selected.clicked.connect(self._on_reject_selected)
        self.accept_all = QPushButton()
        self.accept_all.clicked.connect(self._on_accept_all)
        self.only_drafts = QPushButton()
        self.only_drafts.setCheckable(True)
        self.only_drafts.toggled.connect(self.show_drafts_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        buttons = (self.only_drafts, self.accept_selected, self.reject_selected, self.accept_all)
        for button in buttons:
            layout.addWidget(button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.accept_selected.setText(self.tr("Accept selected"))
        self.accept_selected.setToolTip(self.tr("The selected drafts are checked: train on them"))
        self.reject_selected.setText(self.tr("Reject selected"))
        self.reject_selected.setToolTip(
            self.tr("Remove the selected drafts (Undo brings them back)")
        )
        self.accept_all.setText(self.tr("Accept all…"))
        self.only_drafts.setText(self.tr("Show only drafts"))
        self._update_label()

    def set_dataset(self, dataset: Dataset | None) -> None:
        self._dataset = dataset
        self.refresh()

    def refresh(self) -> None:
        """Count the drafts again (after any change to the rows)."""
        ds = self._dataset
        self._count = sum(1 for ex in ds if ex.draft) if ds is not None else 0
        self._update_label()
        self.setVisible(self._count > 0)
        if not self._count and self.only_drafts.isChecked():
            self.only_drafts.setChecked(False)

    def selection_changed(self) -> None:
        has = any(ex.draft for ex in self._selected())
        self.accept_selected.setEnabled(has)
        self.reject_selected.setEnabled(has)

    @property
    def count(self) -> int:
        return self._count

    def _update_label(self) -> None:
        if self._count == 1:
            text = self.tr("1 draft to review")
        else:
            text = self.tr("{count} drafts to review").format(count=f"{self._count:,}")
        self.label.setText(text)
        self.label.setToolTip(
            self.tr(
                "A model wrote these rows. Check each against its source (in the panel on "
                "the right), then accept, edit or reject it."
            )
        )

    def _drafts(self) -> list[Example]:
        return [ex for ex in self._selected() if ex.draft]

    def _on_accept_selected(self) -> None:
        drafts, ds = self._drafts(), self._dataset
        if drafts and ds is not None:
            text = self.tr("Accept {count} drafts").format(count=len(drafts))
            self._undo_stack.push(accept_command(ds, drafts, text))

    def _on_reject_selected(self) -> None:
        drafts, ds = self._drafts(), self._dataset
        if drafts and ds is not None:
            text = self.tr("Reject {count} drafts").format(count=len(drafts))
            self._undo_stack.push(RemoveExamplesByIdCommand(ds, [ex.id for ex in drafts], text))

    def _on_accept_all(self) -> None:
        from tunedesk.ui import ops

        ds = self._dataset
        if ds is None:
            return
        drafts = [ex for ex in ds if ex.draft]
        if not drafts:
            return
        box, accept = ops.destructive_box(
            self,
            title=self.tr("Accept all drafts"),
            text=self.tr("Accept all {count} drafts without reading them?").format(
                count=len(drafts)
            ),
            detail=self.tr("A wrong draft teaches the model a wrong answer. Undo takes this back."),
            act=self.tr("Accept all"),
            keep=self.tr("Keep reviewing"),
        )
        self._box = box  # kept alive while it is open

        async def ask() -> None:
            await ops.run_dialog(box)
            if box.clickedButton() is accept and self._dataset is ds:
                text = self.tr("Accept {count} drafts").format(count=len(drafts))
                self._undo_stack.push(accept_command(ds, drafts, text))

        ops.run_op(self, ask, label=self.tr("Accept all drafts"), quiet=True)
