"""Ask which columns of a table hold the questions and answers (when TuneDesk cannot tell)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.formats import ColumnMapping


class ColumnMappingDialog(QDialog):
    """Shows the file's headings and a few rows; combos choose Question/Answer (+ optional).

    ``mapping()`` returns the chosen :class:`ColumnMapping` once accepted.
    """

    def __init__(
        self,
        path: str,
        headers: list[str],
        sample: list[list[str]],
        guess: ColumnMapping | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose the columns"))
        self._headers = headers
        intro = QLabel(
            self.tr(
                "TuneDesk could not tell which columns of {file} hold the questions and "
                "which hold the answers. Please choose them."
            ).format(file=os.path.basename(path))
        )
        intro.setWordWrap(True)

        self.preview = QTableWidget(len(sample), len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, row in enumerate(sample):
            for c, cell in enumerate(row[: len(headers)]):
                item = QTableWidgetItem(cell.replace("\n", " ⏎ "))
                item.setToolTip(cell)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(len(headers)):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 260))

        self.question = self._combo(optional=False)
        self.answer = self._combo(optional=False)
        self.system = self._combo(optional=True)
        self.split = self._combo(optional=True)
        self.note = self._combo(optional=True)
        self.has_header = QCheckBox(self.tr("The first row holds column names"))
        if guess is not None:
            self._select(self.question, guess.question)
            self._select(self.answer, guess.answer)
            self._select(self.system, guess.system)
            self._select(self.split, guess.split)
            self._select(self.note, guess.note)
            self.has_header.setChecked(guess.has_header)
        else:
            self._select(self.question, 0)
            self._select(self.answer, 1 if len(headers) > 1 else 0)
            self.has_header.setChecked(True)
        self.has_header.setVisible(False)  # the importer already decided from the first row

        form = QFormLayout()
        form.addRow(self.tr("Questions are in"), self.question)
        form.addRow(self.tr("Answers are in"), self.answer)
        form.addRow(self.tr("System prompt (optional)"), self.system)
        form.addRow(self.tr("Split (optional)"), self.split)
        form.addRow(self.tr("Note (optional)"), self.note)

        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.preview, 1)
        layout.addLayout(form)
        layout.addWidget(self.has_header)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for combo in (self.question, self.answer):
            combo.currentIndexChanged.connect(self._validate)
        self._validate()
        self.resize(720, 480)

    def _combo(self, *, optional: bool) -> QComboBox:
        combo = QComboBox()
        if optional:
            combo.addItem(self.tr("(none)"), None)
        for i, name in enumerate(self._headers):
            combo.addItem(name or self.tr("Column {number}").format(number=i + 1), i)
        return combo

    @staticmethod
    def _select(combo: QComboBox, column: int | None) -> None:
        pos = combo.findData(column)
        if pos >= 0:
            combo.setCurrentIndex(pos)

    def _validate(self) -> None:
        same = self.question.currentData() == self.answer.currentData()
        self.problem.setText(
            self.tr("Questions and answers must come from different columns.") if same else ""
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not same)

    def mapping(self) -> ColumnMapping:
        return ColumnMapping(
            question=int(self.question.currentData()),
            answer=int(self.answer.currentData()),
            system=self.system.currentData(),
            split=self.split.currentData(),
            note=self.note.currentData(),
            has_header=self.has_header.isChecked(),
        )
