"""The live checklist beside the grid: a summary line and every finding, errors first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.findings import Finding
from tunedesk.ui.models.findings_model import FindingRole, FindingsModel, FixLabelRole, LocationRole

ModelIndex = QModelIndex | QPersistentModelIndex

_PAD = 6
_ICON = 20
_BUTTON_MARGIN = 24  # a push button's frame and padding around its label
_MIN_BUTTON = 64  # never narrower: an elided label still shows how it starts


def _bold_font(option: QStyleOptionViewItem) -> QFont:
    """The location's font: the item's, bold."""
    font = QFont(option.font)
    font.setBold(True)
    return font


def _bold_metrics(option: QStyleOptionViewItem) -> QFontMetrics:
    return QFontMetrics(_bold_font(option))
_MSG_LINES = 3  # message lines shown; the full text is in the tooltip


class FindingDelegate(QStyledItemDelegate):
    """Paints icon, message (up to three lines, elided), then location and quick-fix button.

    Uniform row heights keep the list fast with thousands of findings; the full message
    is in the tooltip. ``fix_clicked(index)`` fires when the painted button is clicked.
    """

    fix_clicked = Signal(QModelIndex)

    def _lines(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.lineSpacing()

    @staticmethod
    def _button_height(option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height() + 10

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        # Message lines, then one row shared by the location and the button: nothing overlaps.
        line = self._lines(option)
        return QSize(200, line * _MSG_LINES + self._button_height(option) + 3 * _PAD)

    def _button_rect(self, option: QStyleOptionViewItem, index: ModelIndex) -> QRect | None:
        """The quick-fix button, right-aligned beside the location. The location ("Row 3")
        is short and says where to look, so it keeps its room; a long button label gives
        way and is elided (long translations, the pseudo-locale)."""
        label = index.data(FixLabelRole)
        if not label:
            return None
        fm = option.fontMetrics
        rect = option.rect
        text_left = rect.left() + _PAD + _ICON + _PAD
        location = str(index.data(LocationRole) or "")
        taken = _bold_metrics(option).horizontalAdvance(location) + 2 * _PAD if location else 0
        room = rect.right() - _PAD - text_left - taken
        width = max(min(fm.horizontalAdvance(label) + _BUTTON_MARGIN, room), _MIN_BUTTON)
        height = self._button_height(option)
        top = rect.top() + _PAD + option.fontMetrics.lineSpacing() * _MSG_LINES + _PAD // 2
        return QRect(rect.right() - width - _PAD, top, width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        # background / selection only
        opt.text = ""
        opt.icon = type(opt.icon)()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect = option.rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon.paint(painter, QRect(rect.left(), rect.top() + 1, _ICON, _ICON))
        text_left = rect.left() + _ICON + _PAD
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        line = option.fontMetrics.lineSpacing()
        message = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        msg_rect = QRect(text_left, rect.top(), rect.right() - text_left, line * _MSG_LINES)
        painter.drawText(
            msg_rect,
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            _elide_lines(option, message, msg_rect.width()),
        )
        button = self._button_rect(option, index)
        location = str(index.data(LocationRole) or "")
        if location:
            painter.setFont(_bold_font(option))
            if not selected:
                painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
            right = (button.left() - _PAD) if button is not None else rect.right()
            loc_rect = QRect(
                text_left, rect.top() + line * _MSG_LINES + _PAD // 2, right - text_left,
                self._button_height(option),
            )
            painter.drawText(
                loc_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                painter.fontMetrics().elidedText(location, Qt.TextElideMode.ElideRight,
                                                 loc_rect.width()),
            )
        painter.restore()
        if button is not None:
            bopt = QStyleOptionButton()
            bopt.rect = button
            bopt.text = option.fontMetrics.elidedText(
                str(index.data(FixLabelRole)),
                Qt.TextElideMode.ElideRight,
                button.width() - _BUTTON_MARGIN,
            )
            bopt.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            bopt.palette = option.palette
            bopt.fontMetrics = option.fontMetrics
            style.drawControl(QStyle.ControlElement.CE_PushButton, bopt, painter, widget)

    def editorEvent(
        self, event: QEvent, model: object, option: QStyleOptionViewItem, index: ModelIndex
    ) -> bool:
        """Reimplements ``QAbstractItemDelegate::editorEvent``: clicks on the fix button."""
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            button = self._button_rect(option, index)
            if button is not None and button.contains(event.position().toPoint()):
                self.fix_clicked.emit(self._as_index(index))
                return True
        return False

    @staticmethod
    def _as_index(index: ModelIndex) -> QModelIndex:
        if isinstance(index, QPersistentModelIndex):
            model = index.model()
            return model.index(index.row(), index.column()) if model else QModelIndex()
        return index


def _elide_lines(option: QStyleOptionViewItem, text: str, width: int) -> str:
    """Elide ``text`` so that, word-wrapped into ``width``, it fits in _MSG_LINES lines."""
    fm = option.fontMetrics
    text = " ".join(text.split())
    budget = width * _MSG_LINES - fm.averageCharWidth() * 4 * _MSG_LINES  # wrap slack per line
    if fm.horizontalAdvance(text) <= budget:
        return text
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, budget)


class ChecklistPanel(QWidget):
    """Summary line + the findings list. Activating a finding asks the page to show its row.

    Signals:
        finding_activated(Finding): a finding was clicked (select and scroll to its row).
        fix_requested(Finding): its quick-fix button was clicked.
    """

    finding_activated = Signal(object)
    fix_requested = Signal(object)

    def __init__(self, model: FindingsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.all_good = QLabel()
        self.all_good.setWordWrap(True)
        self.all_good.setVisible(False)
        self.list = QListView()
        self.list.setModel(model)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.delegate = FindingDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.delegate.fix_clicked.connect(self._on_delegate_fix_clicked)
        self.list.clicked.connect(self._on_list_clicked)
        self.list.activated.connect(self._on_list_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.all_good, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.list, 1)
        model.modelReset.connect(self._on_model_reset)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Checklist"))
        self.all_good.setText(self.tr("No problems found. Your data is ready for training."))

    def _on_model_reset(self) -> None:
        empty = self.model.rowCount() == 0
        self.all_good.setVisible(empty)
        self.list.setVisible(not empty)

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def _on_list_clicked(self, index: QModelIndex) -> None:
        finding = index.data(FindingRole)
        if isinstance(finding, Finding):
            self.finding_activated.emit(finding)

    def _on_delegate_fix_clicked(self, index: QModelIndex) -> None:
        finding = index.data(FindingRole)
        if isinstance(finding, Finding):
            self.fix_requested.emit(finding)
