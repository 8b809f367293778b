"""The base-model list of the Model & settings page: one card per model, for this place.

The list joins what the place's route reports (the service's own model list, or the bundled
catalog with its date when Azure cannot be asked) with the catalog's plain descriptions and
prices. Models this place cannot train stay visible but disabled, with the reason and where
they can be trained; retired and customer-restricted models say so and are never preselected.

Signals:
    model_chosen(str): the person picked a model (its id, as the route takes it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.catalog import BaseModel


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """One row of the list (plain data: built by the page from the route and the catalog)."""

    id: str  # what the route's JobRequest.base_model takes
    name: str
    description: str
    route: str  # "hub" | "openai"
    catalog: BaseModel | None  # None: the service offers a model the catalog does not know
    reason: str = ""  # why this place cannot train it ("" when it can)
    recommended: bool = False

    @property
    def enabled(self) -> bool:
        return not self.reason


def money(amount: float, currency: str) -> str:
    """``1.7, "USD"`` -> ``$1.70`` (other currencies by their code)."""
    if currency == "USD":
        return f"${amount:,.2f}"
    return f"{amount:,.2f} {currency}"


class ModelCard(QFrame):
    """The widget inside one list row."""

    def __init__(self, choice: ModelChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = choice
        self.setObjectName("modelCard")
        self.name = QLabel()
        self.name.setObjectName("modelName")
        self.badge = QLabel()
        self.badge.setObjectName("badge")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("hint")
        self.facts.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name)
        top.addWidget(self.badge)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addWidget(self.facts)
        layout.addWidget(self.reason)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.retranslate()

    def set_selected(self, selected: bool) -> None:
        """The chosen model's card is outlined (the list's own highlight stays off, so
        the card's text keeps the palette's colours in light and dark themes)."""
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def retranslate(self) -> None:
        choice = self.choice
        base = choice.catalog
        self.name.setText(base.label if base is not None else choice.name)
        self.badge.setText(self.tr("Recommended for a small Q&A set"))
        self.badge.setVisible(choice.recommended and choice.enabled)
        self.description.setText(base.description if base is not None else choice.description)
        self.description.setVisible(bool(self.description.text()))
        self.facts.setText(" · ".join(self._facts()))
        self.reason.setText(choice.reason)
        self.reason.setVisible(bool(choice.reason))
        self.setEnabled(choice.enabled)

    def _facts(self) -> list[str]:
        choice = self.choice
        facts = [
            self.tr("Trains in a hub project (classic)")
            if choice.route == "hub"
            else self.tr("Trains in a Foundry resource")
        ]
        base = choice.catalog
        if base is None:
            return facts
        if base.max_example_tokens:
            facts.append(
                self.tr("up to {tokens} tokens per example").format(
                    tokens=f"{base.max_example_tokens:,}"
                )
            )
        prices = base.prices
        training = next(
            (
                p
                for p in (
                    prices.training_global,
                    prices.training_standard,
                    prices.training_data_zone,
                    prices.training_developer,
                )
                if p is not None
            ),
            None,
        )
        if training is not None:
            facts.append(
                self.tr("training {price} per million tokens").format(
                    price=money(training, prices.currency)
                )
            )
        else:
            facts.append(self.tr("training price: see Azure's price list"))
        hosting = next(
            (p for p in (prices.hosting_global_standard, prices.hosting_standard) if p),
            None,
        )
        if hosting is not None:
            facts.append(
                self.tr("hosting {price} per hour").format(price=money(hosting, prices.currency))
            )
        return facts


class ModelList(QWidget):
    """A list of :class:`ModelCard` rows, enabled ones first; keyboard and mouse select."""

    model_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("modelList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(2)
        self.list.setStyleSheet(
            "#modelList { background: palette(base); }"
            "#modelList::item { background: transparent; border: none; }"
            "#modelList::item:selected { background: transparent; }"
            "#modelCard { border: 1px solid palette(midlight); border-radius: 6px; }"
            '#modelCard[selected="true"] { border: 2px solid palette(highlight);'
            " background: palette(alternate-base); }"
        )
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.more = QToolButton()
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.setArrowType(Qt.ArrowType.RightArrow)
        self.more.toggled.connect(self._on_more_toggled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        self._choices: list[ModelChoice] = []
        self._setting = False

    # ------------------------------------------------------------------ contents
    def set_choices(self, choices: list[ModelChoice], current: str | None) -> None:
        """Show ``choices`` (enabled first) and select ``current`` if it can be chosen,
        else the recommended one, else the first enabled one."""
        ordered = [c for c in choices if c.enabled] + [c for c in choices if not c.enabled]
        self._choices = ordered
        self._setting = True
        try:
            self.list.clear()
            for choice in ordered:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, choice.id)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, choice.name)
                if not choice.enabled:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setToolTip(choice.reason)
                card = ModelCard(choice)
                self.list.addItem(item)
                self.list.setItemWidget(item, card)
            self._show_unavailable()
            wanted = self._pick(current)
            if wanted is not None:
                self.list.setCurrentRow(wanted)
        finally:
            self._setting = False
        self._fit_height()
        chosen = self.current_id()
        if chosen is not None:
            self.model_chosen.emit(chosen)

    def _pick(self, current: str | None) -> int | None:
        enabled = [i for i, c in enumerate(self._choices) if c.enabled]
        for i in enabled:
            if current and self._choices[i].id.lower() == current.lower():
                return i
        for i in enabled:
            if self._choices[i].recommended:
                return i
        return enabled[0] if enabled else None

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        if item is None or not (item.flags() & Qt.ItemFlag.ItemIsEnabled):
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def current_choice(self) -> ModelChoice | None:
        wanted = self.current_id()
        return next((c for c in self._choices if c.id == wanted), None)

    def choices(self) -> list[ModelChoice]:
        return list(self._choices)

    def select(self, model_id: str) -> bool:
        for i, choice in enumerate(self._choices):
            if choice.id == model_id and choice.enabled:
                self.list.setCurrentRow(i)
                return True
        return False

    def retranslate(self) -> None:
        for i in range(self.list.count()):
            card = self.list.itemWidget(self.list.item(i))
            if isinstance(card, ModelCard):
                card.retranslate()
        self._show_unavailable()

    def _on_more_toggled(self, on: bool) -> None:
        self.more.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._show_unavailable()

    def _show_unavailable(self) -> None:
        """Models this place cannot train are listed on request (with why, and where)."""
        hidden = sum(1 for c in self._choices if not c.enabled)
        show = self.more.isChecked()
        for i, choice in enumerate(self._choices):
            self.list.item(i).setHidden(not choice.enabled and not show)
        self.more.setVisible(hidden > 0)
        self.more.setText(
            self.tr("Hide the models this place cannot train")
            if show
            else self.tr("Show the {count} models this place cannot train, and why").format(
                count=hidden
            )
        )
        self._fit_rows()
        self._fit_height()

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_rows()
        self._fit_height()

    def _fit_rows(self) -> None:
        width = max(200, self.list.viewport().width() - 4)
        for i in range(self.list.count()):
            item = self.list.item(i)
            card = self.list.itemWidget(item)
            if card is not None:
                height = card.heightForWidth(width) if card.hasHeightForWidth() else -1
                if height <= 0:
                    height = card.sizeHint().height()
                item.setSizeHint(QSize(width, height))

    def _fit_height(self) -> None:
        """Show every listed row: the page scrolls, not the list."""
        total = sum(
            self.list.item(i).sizeHint().height() + 2 * self.list.spacing()
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        )
        self.list.setFixedHeight(max(total + 2 * self.list.frameWidth() + 4, 60))

    def _on_current_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        for item, selected in ((previous, False), (current, True)):
            card = self.list.itemWidget(item) if item is not None else None
            if isinstance(card, ModelCard):
                card.set_selected(selected)
        if self._setting or current is None:
            return
        if current.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.model_chosen.emit(str(current.data(Qt.ItemDataRole.UserRole)))
