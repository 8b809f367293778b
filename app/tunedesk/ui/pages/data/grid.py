"""The Data page's grid: how the table view is set up, and the cell helpers its parts share.

The grid shows :class:`ExamplesTableModel` directly, or through the filter proxy while a
filter or search is in force (:class:`GridModels` switches): the helpers here map the
view's indexes back to dataset rows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from tunedesk.ui.models.examples_table_model import TEXT_COLUMNS, Column
from tunedesk.ui.models.grid_models import GridModels
from tunedesk.ui.widgets.cell_delegates import MultilineTextDelegate, SplitDelegate

ROW_LINES = 3  # text lines shown per grid row (uniform heights: smooth with 100k rows)


def configure_table(table: QTableView) -> tuple[MultilineTextDelegate, SplitDelegate]:
    """Set up ``table`` as the examples grid; returns the cell delegates it now uses."""
    # No sort indicator before sorting is enabled, or enabling it sorts by column 0.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.verticalHeader().setVisible(False)
    line = table.fontMetrics().lineSpacing()
    vheader = table.verticalHeader()
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(line * ROW_LINES + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(Column.QUESTION, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(Column.ANSWER, QHeaderView.ResizeMode.Stretch)
    char = table.fontMetrics().averageCharWidth()
    table.setColumnWidth(Column.NUMBER, char * 7)
    table.setColumnWidth(Column.SPLIT, char * 20)
    table.setColumnWidth(Column.TOKENS, char * 12)  # the header, 40 % longer, fits
    table.setColumnWidth(Column.STATUS, char * 16)
    text_delegate = MultilineTextDelegate(table)
    split_delegate = SplitDelegate(table)
    for col in TEXT_COLUMNS:
        table.setItemDelegateForColumn(col, text_delegate)
    table.setItemDelegateForColumn(Column.SPLIT, split_delegate)
    return text_delegate, split_delegate


def open_editor(table: QTableView) -> QWidget | None:
    """The grid's open cell editor, if any (found without relying on window focus)."""
    if table.state() != QAbstractItemView.State.EditingState:
        return None
    for child in table.viewport().children():
        if isinstance(child, QWidget) and child.isVisible():
            return child
    return None


def commit_open_editor(table: QTableView) -> None:
    """Write an open cell editor's text into the model and close it (before a bulk edit)."""
    editor = open_editor(table)
    if editor is not None:
        table.commitData(editor)
        table.closeEditor(editor, MultilineTextDelegate.EndEditHint.NoHint)


def selected_source_cells(table: QTableView, view: GridModels) -> list[QModelIndex]:
    """The selected cells as indexes of the examples model (through the proxy, if any)."""
    return [view.mapToSource(i) for i in table.selectionModel().selectedIndexes()]
