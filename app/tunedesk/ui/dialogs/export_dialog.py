"""Choose where to export and how much to hold back for validation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class ExportDialog(QDialog):
    """Folder + validation percentage (0 = no validation file)."""

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export training files"))
        intro = QLabel(
            self.tr(
                "TuneDesk writes train.jsonl (and validation.jsonl) in the chat format "
                "Azure AI Foundry expects."
            )
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit(folder)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.validation = QSpinBox()
        self.validation.setRange(0, 50)
        self.validation.setValue(10)
        self.validation.setSuffix(" %")
        self.validation.setToolTip(
            self.tr("Examples held back to measure how well the model learned. 0 = none.")
        )
        form = QFormLayout()
        form.addRow(self.tr("Folder"), row)
        form.addRow(self.tr("Validation examples"), self.validation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self._file_dialog: QFileDialog | None = None

    def _on_browse_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a folder"), self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.folder.setText)
        self._file_dialog = dialog
        dialog.open()

    def validation_fraction(self) -> float:
        return self.validation.value() / 100.0
