"""Exporting the Data page's dataset as chat JSONL for Azure (train and validation files)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from tunedesk.core.dataset import Dataset
from tunedesk.core.findings import Finding
from tunedesk.ui import ops

if TYPE_CHECKING:
    from tunedesk.core.export import ExportResult


class DataExporter(QObject):
    """Asks for a folder and the validation share, warns about errors, writes the JSONL.

    Remembers the folder and the share between exports; the page's checks plan the same
    split as the last export (:attr:`validation_fraction`).

    Signals:
        status_message(str): progress and where the files went, for the status bar.
    """

    status_message = Signal(str)

    def __init__(self, page: QWidget, run_dialog: Callable[[QDialog], Awaitable[int]]) -> None:
        super().__init__(page)
        self._page = page  # the dialogs' parent
        self._run_dialog = run_dialog
        self.validation_fraction = 0.1
        self._last_folder: str | None = None

    async def export(self, dataset: Dataset, errors: Sequence[Finding]) -> ExportResult | None:
        """Export ``dataset`` (``errors``: the checks' errors, warned about first).

        Returns None when the person cancels; the files are written in a worker from a
        snapshot, so edits made meanwhile do not reach them.
        """
        if errors and not await self._export_anyway(errors):
            return None
        from tunedesk.ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self._last_folder or str(Path.home()), self._page)
        if await self._run_dialog(dialog) != QDialog.DialogCode.Accepted:
            dialog.deleteLater()
            return None
        folder = dialog.folder.text().strip()
        fraction = dialog.validation_fraction()
        dialog.deleteLater()
        if not folder:
            return None
        self._last_folder = folder
        self.validation_fraction = fraction
        from tunedesk.core.export import export_jsonl

        snapshot = Dataset(dataset.system_prompt, list(dataset.examples))
        self.status_message.emit(self.tr("Exporting…"))
        result = await ops.in_worker(
            lambda: export_jsonl(snapshot, folder, validation_fraction=fraction)
        )
        self.status_message.emit(
            self.tr("Exported {train} training and {validation} validation examples to {folder}."
                    ).format(train=result.train_count, validation=result.validation_count,
                             folder=folder)
        )
        return result

    async def _export_anyway(self, errors: Sequence[Finding]) -> bool:
        """Azure will reject data with errors: say so, and export only when asked to."""
        box = QMessageBox(self._page)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Export"))
        box.setText(
            self.tr("Azure will reject this data. Problems to fix first: {count}.").format(
                count=len(errors)
            )
        )
        shown = "\n".join(f"• {f.message}" for f in errors[:5])
        box.setInformativeText(shown + "\n\n" + self.tr("Export anyway?"))
        anyway = box.addButton(self.tr("Export anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        await self._run_dialog(box)
        go = box.clickedButton() is anyway
        box.deleteLater()
        return go
