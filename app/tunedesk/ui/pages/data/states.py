"""What the Data page shows instead of the editor: no project open, or a project without rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class NoProjectState(QWidget):
    """One centred sentence: open or create a project first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel()
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._label)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self._label.setText(
            self.tr("Open or create a project to start adding questions and answers.")
        )


class EmptyState(QWidget):
    """A project without rows: what to write, what files work, and two big buttons.

    The page connects :attr:`add_button` and :attr:`import_button`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self._title = QLabel()
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = self._text = QLabel()
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        self.add_button = QPushButton()
        self.import_button = QPushButton()
        for button in (self.add_button, self.import_button):
            button.setMinimumSize(220, 56)
            bfont = QFont(button.font())
            bfont.setPointSizeF(bfont.pointSizeF() * 1.2)
            button.setFont(bfont)
        self.add_button.setDefault(True)
        hint = self._hint = QLabel()
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setFixedWidth(560)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary, yet readable
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Teach the model what you know"))
        self._text.setText(
            self.tr(
                "Write the questions people ask and the answers you want the model to give. "
                "Azure needs at least 10 examples; 50 to 100 good ones work much better."
            )
        )
        self._hint.setText(
            self.tr(
                "Excel (.xlsx), CSV, TSV and JSONL files work: a column of questions and a "
                "column of answers is enough. You can also drop files here or paste cells "
                "copied from Excel (Ctrl+V)."
            )
        )
        for label in (self._text, self._hint):  # wrapped at a fixed width
            label.setMinimumHeight(label.heightForWidth(label.maximumWidth()))
        self.add_button.setText(self.tr("Add a question"))
        self.import_button.setText(self.tr("Import a file…"))
