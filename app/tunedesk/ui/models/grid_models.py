"""Which model the grid shows: the examples model itself, or the filter/sort proxy.

While nothing is filtered the table shows :class:`ExamplesTableModel` directly.
A QSortFilterProxyModel calls the Python ``filterAcceptsRow`` once per source row whenever
rows arrive in bulk, so importing 100,000 rows through the proxy stalled the UI thread
for 0.2-0.9 s (bench/responsiveness.py); without it the reset costs a few milliseconds.
The proxy is attached (and the view switched to it) only while a filter or a search is in
force. Sorting reorders the rows themselves (ExamplesTableModel.sorted_examples).

Signals:
    switched(): the table now shows another model (reconnect selection-model signals).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QTableView

from tunedesk.ui.models.examples_table_model import (
    ExamplesFilterModel,
    ExamplesTableModel,
    FilterMode,
)

ModelIndex = QModelIndex | QPersistentModelIndex


class GridModels(QObject):
    switched = Signal()

    def __init__(
        self, table: QTableView, model: ExamplesTableModel, proxy: ExamplesFilterModel
    ) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._proxy = proxy
        table.setModel(model)

    # ------------------------------------------------------------------ mapping
    @property
    def uses_proxy(self) -> bool:
        return self._table.model() is self._proxy

    def mapToSource(self, index: ModelIndex) -> QModelIndex:
        """A view index as an index of the examples model."""
        if index.isValid() and index.model() is self._proxy:
            return self._proxy.mapToSource(index)
        if isinstance(index, QPersistentModelIndex):
            if not index.isValid():
                return QModelIndex()
            return self._model.index(index.row(), index.column())
        return index

    def mapFromSource(self, index: QModelIndex) -> QModelIndex:
        """An examples-model index as an index of what the table shows (invalid if hidden)."""
        return self._proxy.mapFromSource(index) if self.uses_proxy else index

    def index(self, row: int, column: int) -> QModelIndex:
        return self._table.model().index(row, column)

    def rowCount(self) -> int:
        return self._table.model().rowCount()

    # ------------------------------------------------------------------ filtering
    def set_mode(self, mode: FilterMode) -> None:
        self._proxy.set_mode(mode)
        self._update()

    def set_search(self, text: str) -> None:
        self._proxy.set_search(text)
        self._update()

    def refresh(self) -> None:
        if self.uses_proxy:
            self._proxy.refresh()

    def _update(self) -> None:
        wanted = self._proxy.mode != FilterMode.ALL or bool(self._proxy.search)
        if wanted != self.uses_proxy:
            self._switch(to_proxy=wanted)

    def _switch(self, *, to_proxy: bool) -> None:
        current = self.mapToSource(self._table.currentIndex())
        if to_proxy:
            self._proxy.setSourceModel(self._model)
            self._table.setModel(self._proxy)
        else:
            self._table.setModel(self._model)
            self._proxy.setSourceModel(None)  # type: ignore[arg-type]  # detach: no callbacks
        self.switched.emit()
        if current.isValid():
            restored = self.mapFromSource(current)
            if restored.isValid():
                self._table.setCurrentIndex(restored)
