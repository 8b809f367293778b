"""The shape every step page shares.

A page is a view of one step (STYLE G3): it reads the :class:`~tunedesk.ui.context.AppContext`,
starts long work only through :func:`tunedesk.ui.ops.run_op`, and tells the window what to
show in the status bar through ``status_message``. The main window decides *whether* a page
is shown (the flow's :func:`~tunedesk.core.flow.blocked_reason`), builds it the first time
its step is opened, routes the Edit menu to it, and calls :meth:`StepPage.retranslate` when
the language changes.

Signals:
    status_message(str): a short note for the status bar.
    step_requested(str): the page asks the window to show another step (a ``Step``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.flow import Step

if TYPE_CHECKING:
    from tunedesk.ui.context import AppContext

# The Edit menu's actions a page may handle (the main window owns the QActions).
EDIT_ACTIONS = (
    "cut",
    "copy",
    "paste",
    "select_all",
    "add_row",
    "insert_row",
    "delete_rows",
    "find",
)
TEXT_EDIT_ACTIONS = frozenset({"cut", "copy", "paste", "select_all"})

# The look the pages share, by object name; a page appends its own selectors.
PAGE_STYLE = (
    "#pageTitle { font-size: 22px; font-weight: 600; }"
    "#sectionTitle { font-size: 16px; font-weight: 600; }"
    "#viewTitle { font-size: 17px; font-weight: 600; }"
    "#subTitle { font-weight: 600; }"
    "#cardTitle { font-size: 14px; font-weight: 600; }"
    "#hint { color: palette(placeholder-text); }"
    "#card { border: 1px solid palette(mid); border-radius: 6px; }"
    "QPushButton#primaryButton { font-weight: 600; padding: 6px 18px; }"
)


def scrolling_column(page: QWidget, column: QWidget, *, max_width: int) -> QScrollArea:
    """Lay ``page`` out as one centred ``column`` (at most ``max_width`` wide, with the
    pages' margins) that scrolls as a whole; returns the scroll area."""
    column.setMaximumWidth(max_width)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column, 8)
    row.addStretch(1)
    body = QWidget()
    body_layout = QVBoxLayout(body)
    body_layout.setContentsMargins(32, 28, 32, 24)
    body_layout.addLayout(row, 1)
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QScrollArea.Shape.NoFrame)
    scroller.setWidget(body)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroller)
    return scroller


class StepPage(QWidget):
    """Base of every step page (see the module docstring for the contract).

    Subclasses set :attr:`step`, build their widgets in ``__init__``, set every text in
    :meth:`retranslate` (and call it once at the end of ``__init__``), and connect to the
    context in :meth:`set_context`.
    """

    status_message = Signal(str)
    step_requested = Signal(str)

    step: ClassVar[Step]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: AppContext | None = None

    @classmethod
    def for_context(cls, context: AppContext) -> StepPage:
        """Build the page for ``context`` (the main window's factory calls this)."""
        page = cls()
        page.set_context(context)
        return page

    def set_context(self, context: AppContext) -> None:
        """Attach the page to the app's shared state; subclasses connect its signals here
        and show what the context already holds (a page may be built after a project was
        opened or a sign-in restored: nothing is announced again for it)."""
        self.context = context

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def page_shown(self) -> None:
        """The page became the current one (start lazy loading here)."""

    def shutdown(self) -> None:
        """The window is closing, before its project is closed: stop background work
        (a watch that writes to the project) here. Whatever is on Azure keeps running."""

    # ------------------------------------------------------------------ Edit menu
    def edit_actions(self) -> frozenset[str]:
        """Which Edit-menu actions apply now. By default: text editing in a focused field."""
        return TEXT_EDIT_ACTIONS if self._focused_text() is not None else frozenset()

    def edit(self, action: str) -> None:
        """Carry out an Edit-menu action (one of :meth:`edit_actions`)."""
        widget = self._focused_text()
        if widget is None or action not in TEXT_EDIT_ACTIONS:
            return
        method = {"cut": "cut", "copy": "copy", "paste": "paste", "select_all": "selectAll"}
        getattr(widget, method[action])()

    def _focused_text(self) -> QLineEdit | QPlainTextEdit | QTextEdit | None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QPlainTextEdit | QTextEdit) and self.isAncestorOf(focus):
            return focus
        return None
