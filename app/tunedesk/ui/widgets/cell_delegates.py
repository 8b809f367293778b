"""Editors for the Q&A grid: multi-line text cells and the Split combo."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from tunedesk.core.dataset import Split
from tunedesk.ui.models.examples_table_model import parse_split, split_label

ModelIndex = QModelIndex | QPersistentModelIndex

EDITOR_MIN_LINES = 5


class CellTextEdit(QPlainTextEdit):
    """The in-cell editor: wraps text; Enter commits, Shift/Alt+Enter inserts a line break."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFrameShape(QPlainTextEdit.Shape.Box)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)


class MultilineTextDelegate(QStyledItemDelegate):
    """Edits Question/Answer cells in a QPlainTextEdit taller than the row (spreadsheet keys).

    Reimplements ``createEditor``/``setEditorData``/``setModelData``/``updateEditorGeometry``
    and ``eventFilter`` (Enter commits instead of inserting a new line).
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        """Reimplements ``QStyledItemDelegate::paint``: whole lines only, the last elided.

        Qt's own painting clips wrapped text at the cell's bottom edge, cutting a line in
        half; this lays the text out and shows only the lines that fit, ending with "…".
        """
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(2, 1, -2, -1)
        if not text or rect.width() <= 0:
            return
        metrics = QFontMetrics(opt.font)
        lines = _wrapped_lines(
            text, opt.font, rect.width(), max(1, rect.height() // metrics.lineSpacing())
        )
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(role))
        y = rect.top()
        for line in lines:
            painter.drawText(
                QRect(rect.left(), y, rect.width(), metrics.lineSpacing()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                line,
            )
            y += metrics.lineSpacing()
        painter.restore()

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        editor = CellTextEdit(parent)
        editor.setFont(option.font)
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            value = index.data(Qt.ItemDataRole.EditRole)
            editor.setPlainText("" if value is None else str(value))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> None:
        rect = option.rect
        line = option.fontMetrics.lineSpacing()
        height = max(rect.height(), line * EDITOR_MIN_LINES + 12)
        parent = editor.parentWidget()
        if parent is not None:
            bottom = parent.height()
            top = rect.top() if rect.top() + height <= bottom else max(0, bottom - height)
        else:
            top = rect.top()
        editor.setGeometry(rect.left(), top, rect.width(), height)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Reimplements ``QStyledItemDelegate::eventFilter`` for the Enter key."""
        if (
            isinstance(editor, QPlainTextEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            mods = event.modifiers()
            if mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier):
                editor.insertPlainText("\n")
                return True
            if mods & Qt.KeyboardModifier.ControlModifier:
                return False  # let Ctrl+Enter reach the page (add a row)
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


class SplitDelegate(QStyledItemDelegate):
    """Edits the Split column with a combo of Auto / Train / Validation."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        for split in Split:
            combo.addItem(split_label(split), split.value)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            split = parse_split(index.data(Qt.ItemDataRole.EditRole)) or Split.AUTO
            editor.setCurrentIndex(max(0, editor.findData(split.value)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            data: Any = editor.currentData()
            model.setData(index, data, Qt.ItemDataRole.EditRole)


def _wrapped_lines(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """``text`` word-wrapped to ``width``; at most ``max_lines``, the last one elided."""
    layout = QTextLayout(text.replace("\n", "\u2028"), font)  # keep the author's breaks
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(lines) == max_lines - 1:
            rest = text[start:].replace("\n", " ")
            more = start + length < len(text)
            metrics = QFontMetrics(font)
            if more or metrics.horizontalAdvance(rest) > width:
                rest = metrics.elidedText(
                    rest + (" …" if more else ""), Qt.TextElideMode.ElideRight, width
                )
            lines.append(rest)
            break
        lines.append(text[start : start + length].rstrip("\n\u2028"))
    layout.endLayout()
    return lines
