"""Which model the grid shows: the examples model itself, or the filter proxy.

While nothing is filtered the table shows :class:`ExamplesTableModel` directly: rows that
arrive in bulk (an import of 100,000) then cost no filtering at all, where an attached
filter has to test every new row on the UI thread. The proxy
(:class:`ExamplesFilterModel`) is attached, and the view switched to it, only while a
filter or a search is in force. Sorting reorders the rows themselves
(ExamplesTableModel.sorted_examples).

The Data page's filter box and search field go through :meth:`GridModels.filter`, which
computes the rows on a worker: matching a search against 100,000 rows takes ~0.1 s.

Signals:
    switched(): the table now shows another model (reconnect selection-model signals).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QTableView

from tunedesk.ui import ops
from tunedesk.ui.models.examples_table_model import (
    REPORT_FILTERS,
    ExamplesFilterModel,
    ExamplesTableModel,
    FilterMode,
    filtered_rows,
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
        self._request = 0  # the latest filter() call; older ones give way
        self._wanted = (proxy.mode, proxy.search)  # what the latest filter() call asked for
        self._revision = 0  # bumped by every change of the rows or their check results
        for signal in (
            model.dataChanged,
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self._on_model_changed)
        table.setModel(model)

    def _on_model_changed(self, *_args: Any) -> None:
        self._revision += 1

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

    def visible_rows(self) -> Sequence[int] | None:
        """The examples-model rows the table shows, ascending; None when it shows all."""
        return self._proxy.source_rows() if self.uses_proxy else None

    # ------------------------------------------------------------------ filtering
    def set_mode(self, mode: FilterMode) -> None:
        """Filter now, on this thread (see :meth:`filter` for the worker way)."""
        self._request += 1  # a filter() still computing would undo this
        self._wanted = (mode, self._wanted[1])
        self._proxy.set_mode(mode)
        self._update()

    def set_search(self, text: str) -> None:
        """Search now, on this thread (see :meth:`filter` for the worker way)."""
        self._request += 1
        self._wanted = (self._wanted[0], text.strip())
        self._proxy.set_search(text)
        self._update()

    async def filter(self, mode: FilterMode | None = None, search: str | None = None) -> None:
        """Change the filter and/or the search, computing the rows on a worker.

        Overlapping calls end with the latest one applied (each builds on the one before);
        if the data changes while the worker computes, it computes again.
        """
        self._request += 1
        request = self._request
        self._wanted = (
            self._wanted[0] if mode is None else mode,
            self._wanted[1] if search is None else search.strip(),
        )
        mode, search = self._wanted
        if mode == FilterMode.ALL and not search:
            self._show_all()
            return
        while True:
            revision = self._revision
            inputs = self._proxy.filter_inputs(mode, search, self._model)
            rows = await ops.in_worker(filtered_rows, *inputs) if inputs is not None else []
            if request != self._request:
                return  # a newer call owns the view now
            if revision == self._revision:
                break
        self._proxy.apply(mode, search, rows)  # detached, it only records mode and search
        if not self.uses_proxy:
            self._switch(to_proxy=True, rows=rows)

    def clear(self) -> None:
        """Show every row now (a filter() still computing is dropped)."""
        self._request += 1
        self._wanted = (FilterMode.ALL, "")
        self._show_all()

    def _show_all(self) -> None:
        if self.uses_proxy:
            self._switch(to_proxy=False)  # first: the switch keeps the current cell
        self._proxy.apply(FilterMode.ALL, "", [])

    async def refresh(self) -> None:
        """Re-filter after new check results, if the filter depends on them."""
        if self.uses_proxy and self._proxy.mode in REPORT_FILTERS:
            await self.filter()

    def _update(self) -> None:
        wanted = self._proxy.mode != FilterMode.ALL or bool(self._proxy.search)
        if wanted != self.uses_proxy:
            self._switch(to_proxy=wanted)

    def _switch(self, *, to_proxy: bool, rows: list[int] | None = None) -> None:
        current = self.mapToSource(self._table.currentIndex())
        if to_proxy:
            self._proxy.setSourceModel(self._model, rows)
            self._table.setModel(self._proxy)
        else:
            self._table.setModel(self._model)
            self._proxy.setSourceModel(None)  # detach: no callbacks
        self.switched.emit()
        if current.isValid():
            restored = self.mapFromSource(current)
            if restored.isValid():
                self._table.setCurrentIndex(restored)
