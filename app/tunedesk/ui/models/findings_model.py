"""The checklist's model: findings of the latest check plus import problems, errors first."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIcon

from tunedesk.core.findings import Finding, FixKind, Severity
from tunedesk.ui.models.examples_table_model import severity_icon

ModelIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invalid index: a default argument that is never modified

FindingRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, FindingRole)`` -> the :class:`Finding`."""
LocationRole = Qt.ItemDataRole.UserRole + 2
"""Where the finding is, in words ("Row 12", "Line 3 of data.jsonl"); may be empty."""
FixLabelRole = Qt.ItemDataRole.UserRole + 3
"""The quick-fix button text, or None when the finding has no quick fix."""


def fix_label(kind: FixKind) -> str:
    labels = {
        FixKind.APPLY_SYSTEM_PROMPT: QCoreApplication.translate(
            "FindingsModel", "Use shared prompt"
        ),
        FixKind.USE_AS_SYSTEM_PROMPT: QCoreApplication.translate(
            "FindingsModel", "Use as system prompt"
        ),
        FixKind.REMOVE_DUPLICATES: QCoreApplication.translate("FindingsModel", "Remove duplicates"),
        FixKind.TRIM_WHITESPACE: QCoreApplication.translate("FindingsModel", "Trim spaces"),
        FixKind.REMOVE_EMPTY: QCoreApplication.translate("FindingsModel", "Remove empty rows"),
    }
    return labels.get(kind, QCoreApplication.translate("FindingsModel", "Fix"))


class FindingsModel(QAbstractListModel):
    """Presents findings as a flat list (errors before warnings, then by row).

    ``locate(finding)`` is supplied by the page and turns a finding's row id into the
    current row number, so numbers stay right while rows move.
    """

    def __init__(
        self, locate: Callable[[Finding], int | None] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._locate = locate or (lambda _f: None)
        self._icons: dict[Severity, QIcon] = {}

    def retranslate(self) -> None:
        """Messages, places and fix labels are translated when shown: show them again."""
        self.layoutAboutToBeChanged.emit()  # sizes change with the text: re-measure
        self.layoutChanged.emit()

    def set_findings(self, findings: Iterable[Finding]) -> None:
        items = list(findings)
        order = {Severity.ERROR: 0, Severity.WARNING: 1}
        items.sort(key=lambda f: order.get(f.severity, 2))  # stable: keeps row order inside
        self.beginResetModel()
        self._findings = items
        self.endResetModel()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def location(self, finding: Finding) -> str:
        if finding.row_id is not None:
            row = self._locate(finding)
            if row is not None:
                return QCoreApplication.translate("FindingsModel", "Row {row}").format(row=row + 1)
        if finding.path is not None:
            import os

            name = os.path.basename(finding.path)
            if finding.line is not None:
                return QCoreApplication.translate("FindingsModel", "Line {line} of {file}").format(
                    line=finding.line, file=name
                )
            return name
        if finding.line is not None:
            return QCoreApplication.translate("FindingsModel", "Line {line}").format(
                line=finding.line
            )
        return ""

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: ModelIndex = _ROOT) -> int:
        """Reimplements ``QAbstractItemModel::rowCount``."""
        return 0 if parent.isValid() else len(self._findings)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Reimplements ``QAbstractItemModel::data``."""
        if not index.isValid() or not 0 <= index.row() < len(self._findings):
            return None
        f = self._findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(f.message)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = self.location(f)
            return f"{where}: {f.message}" if where else str(f.message)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(f.severity)
            if icon is None:
                icon = self._icons[f.severity] = severity_icon(f.severity)
            return icon
        if role == FindingRole:
            return f
        if role == LocationRole:
            return self.location(f)
        if role == FixLabelRole:
            return fix_label(f.fix) if f.fix is not None else None
        return None
