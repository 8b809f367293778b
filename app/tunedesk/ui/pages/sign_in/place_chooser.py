"""After signing in: choose where training happens, from lists (never typed ids).

Tenant (only when there is more than one) → subscription → the Foundry hub projects and
Azure OpenAI / Foundry resources in it, each marked with whether it can fine-tune the chosen
base model there and, when not, why and which regions can. Every lookup runs through
:func:`tunedesk.ui.ops.run_op` (quietly: progress and errors show inline, with Retry).

Signals:
    place_chosen(object): "Train here" on a place that can train the model (a ``Place``).
    create_requested(): "Create one for me…".
    sign_out_requested(): "Sign out".
    continue_requested(): "Continue" once a place is chosen.
    places_loaded(): the list of places was filled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.catalog import BaseModel, load_catalog
from tunedesk.core.errors import UserFacingError
from tunedesk.ui import ops
from tunedesk.ui.context import Place
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.discovery import Discovery, RegionCheck, Subscription, Tenant
    from tunedesk.ui.context import AppContext

PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
_YES, _NO = "#188038", "#c5221f"  # green / red that stay legible on light and dark rows


class PlaceChooser(QWidget):
    """Who is signed in, the base model, and the list of places to train it."""

    place_chosen = Signal(object)
    create_requested = Signal()
    sign_out_requested = Signal()
    continue_requested = Signal()
    places_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: AppContext | None = None
        self._discovery: Discovery | None = None
        self._tenant_discovery: Discovery | None = None
        self._subscriptions: list[Subscription] = []
        self._places: list[Place] = []
        self._retry: Callable[[], object] | None = None
        self._loading: asyncio.Task[Any] | None = None
        self._filling = False

        self.account_label = QLabel()
        self.account_label.setObjectName("accountLabel")
        self.account_label.setWordWrap(True)
        self.sign_out_button = QPushButton()
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        account_row = QHBoxLayout()
        account_row.addWidget(self.account_label, 1)
        account_row.addWidget(self.sign_out_button)

        self.model_combo = QComboBox()
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_combo.currentIndexChanged.connect(self._on_model_combo_changed)
        self.model_description = QLabel()
        self.model_description.setWordWrap(True)
        self.model_description.setObjectName("hint")
        self.tenant_combo = QComboBox()
        self.tenant_combo.currentIndexChanged.connect(self._on_tenant_combo_changed)
        self.subscription_combo = QComboBox()
        self.subscription_combo.currentIndexChanged.connect(self._on_subscription_combo_changed)
        self._form_labels = [QLabel(), QLabel(), QLabel()]
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # The description goes with the combo box in one cell: a word-wrapped label in a
        # row of its own gets a height for a much narrower width from QFormLayout.
        model_cell = QWidget()
        model_layout = QVBoxLayout(model_cell)
        model_layout.setContentsMargins(0, 0, 0, 0)
        model_layout.setSpacing(4)
        model_layout.addWidget(self.model_combo)
        model_layout.addWidget(self.model_description)
        form.addRow(self._form_labels[0], model_cell)
        form.addRow(self._form_labels[1], self.tenant_combo)
        form.addRow(self._form_labels[2], self.subscription_combo)

        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._apply_search)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnCount(4)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self._on_use_button_clicked())
        self.detail = QLabel()
        self.detail.setWordWrap(True)

        self.use_button = QPushButton()
        self.use_button.setObjectName("primaryButton")
        self.use_button.clicked.connect(self._on_use_button_clicked)
        self.create_button = QPushButton()
        self.create_button.clicked.connect(self.create_requested)
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)

        self.message = InlineMessage()
        self.message.retry_requested.connect(self._on_message_retry_requested)
        self.ready = InlineMessage()
        self.continue_button = QPushButton()
        self.continue_button.clicked.connect(self.continue_requested)
        ready_row = QHBoxLayout()
        ready_row.addWidget(self.ready, 1)
        ready_row.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignVCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(account_row)
        layout.addLayout(ready_row)
        layout.addLayout(form)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._fill_models()
        self.retranslate()
        self._show_ready()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.sign_out_button.setText(self.tr("Sign out"))
        self._form_labels[0].setText(self.tr("Base model to train"))
        self._form_labels[1].setText(self.tr("Directory (tenant)"))
        self._form_labels[2].setText(self.tr("Subscription"))
        self.search_edit.setPlaceholderText(self.tr("Search by name or region"))
        self.tree.setHeaderLabels(
            [self.tr("Name"), self.tr("Type"), self.tr("Region"), self.tr("Can train the model?")]
        )
        self.use_button.setText(self.tr("Train here"))
        self.create_button.setText(self.tr("Create one for me…"))
        self.reload_button.setText(self.tr("Refresh"))
        self.continue_button.setText(self.tr("Continue"))
        self.message.retranslate()
        self.ready.retranslate()
        self._update_account()
        self._update_model_description()
        self._refresh_marks()
        self._show_ready()

    def _type_name(self, place: Place) -> str:
        kind = str(getattr(place.target, "kind", "")).lower()
        if place.route == "hub":
            return self.tr("Foundry hub project")
        if kind == "aiservices":
            return self.tr("Foundry resource (AI Services)")
        if kind == "openai":
            return self.tr("Azure OpenAI resource")
        return self.tr("Azure OpenAI (key)")

    # ------------------------------------------------------------------ state
    def set_context(self, context: AppContext) -> None:
        self.context = context
        context.cloud_changed.connect(self._show_ready)
        wanted = context.settings.model_id
        for i in range(self.model_combo.count()):
            if self.model_combo.itemData(i) == wanted:
                self.model_combo.setCurrentIndex(i)
                break

    @property
    def model(self) -> BaseModel | None:
        model_id = self.model_combo.currentData()
        return load_catalog().get(str(model_id)) if model_id else None

    def start(self) -> None:
        """Fill the lists for the context's sign-in (call after each sign-in)."""
        assert self.context is not None
        self._clear_lists()
        self._update_account()
        key = self.context.api_key
        key_mode = key is not None and self.context.session is None
        for widget in (self.search_edit, self.create_button, self.reload_button):
            widget.setVisible(not key_mode)
        self._set_row_visible(self.subscription_combo, not key_mode)
        self._set_row_visible(self.tenant_combo, False)
        if key_mode:
            assert key is not None
            from urllib.parse import urlsplit

            host = urlsplit(key.endpoint).hostname or key.endpoint
            self._set_places(
                [Place(route="openai", id=key.endpoint, name=host, location="", target=key)]
            )
            return
        from tunedesk.cloud.discovery import Discovery

        assert self.context.session is not None
        self._discovery = Discovery(self.context.session)
        self._load_tenants()

    def stop(self) -> None:
        """Forget everything about the signed-out account."""
        if self._loading is not None:
            self._loading.cancel()
        self._clear_lists()
        if self._tenant_discovery not in (None, self._discovery):
            self._tenant_discovery.close()
        if self._discovery is not None:
            self._discovery.close()
        self._discovery = self._tenant_discovery = None
        self.message.clear()

    def _clear_lists(self) -> None:
        self._filling = True
        try:
            self.tenant_combo.clear()
            self.subscription_combo.clear()
            self.tree.clear()
        finally:
            self._filling = False
        self._subscriptions, self._places = [], []
        self.detail.clear()
        self.use_button.setEnabled(False)

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    def _update_account(self) -> None:
        context = self.context
        if context is None:
            return
        if context.session is not None:
            self.account_label.setText(str(context.session.describe()))
        elif context.api_key is not None:
            self.account_label.setText(
                self.tr("Using an Azure OpenAI key for {endpoint}").format(
                    endpoint=context.api_key.endpoint
                )
            )
        else:
            self.account_label.clear()

    def _show_ready(self) -> None:
        place = self.context.place if self.context is not None else None
        if place is None:
            self.ready.clear()
            self.continue_button.hide()
            return
        self.ready.show_message(
            self.tr("Ready: training will happen in {place}.").format(place=place.describe()),
            self.tr("You can change this at any time on this page."),
            tone=Tone.SUCCESS,
        )
        self.continue_button.show()

    # ------------------------------------------------------------------ lookups
    def _run(
        self,
        work: Callable[[], Awaitable[Any]],
        busy_text: str,
        on_success: Callable[[Any], object],
    ) -> None:
        """One lookup: inline progress, inline error with Retry (which runs it again)."""
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._retry = lambda: self._run(work, busy_text, on_success)
        self.message.show_message(busy_text, tone=Tone.INFO)
        context = self.context

        def done(result: Any) -> None:
            self.message.clear()
            if context is not None:
                context.set_offline(False)
            on_success(result)

        self._loading = ops.run_op(
            self,
            work,
            label=busy_text,
            quiet=True,
            on_success=done,
            on_error=self._on_lookup_failed,
            busy=(self.reload_button,),
        )

    def _on_lookup_failed(self, error: UserFacingError) -> None:
        from tunedesk.cloud.errors import NetworkProblem

        if self.context is not None and isinstance(error, NetworkProblem):
            self.context.set_offline(True)
        self.message.show_error(error, retry=True)

    def _on_message_retry_requested(self) -> None:
        if self._retry is not None:
            self._retry()

    def _on_reload_button_clicked(self) -> None:
        if self._subscriptions:
            self._load_places()
        else:
            self._load_tenants()

    def _load_tenants(self) -> None:
        discovery = self._discovery
        assert discovery is not None
        self._run(
            discovery.list_tenants,
            self.tr("Looking up your directories…"),
            self._set_tenants,
        )

    def _set_tenants(self, tenants: list[Tenant]) -> None:
        assert self.context is not None
        self._fill_combo(
            self.tenant_combo,
            [(t.display_name or t.default_domain or t.tenant_id, t.tenant_id) for t in tenants],
        )
        self._set_row_visible(self.tenant_combo, len(tenants) > 1)
        wanted = self.context.settings.cloud_tenant_id or (
            self.context.session.tenant_id if self.context.session is not None else None
        )
        index = self.tenant_combo.findData(wanted) if wanted else -1
        if index < 0 and tenants:
            index = 0
        if index >= 0:
            self.tenant_combo.setCurrentIndex(index)
            if self.tenant_combo.currentIndex() == index:
                self._on_tenant_combo_changed(index)

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        """Replace ``combo``'s (label, id) items without reacting to the changes."""
        self._filling = True
        try:
            combo.clear()
            for label, value in items:
                combo.addItem(label, value)
        finally:
            self._filling = False

    def _tenant_id(self) -> str | None:
        data = self.tenant_combo.currentData()
        return str(data) if data else None

    def _on_tenant_combo_changed(self, _index: int) -> None:
        if self._filling or self._discovery is None:
            return
        tenant_id = self._tenant_id()
        if self._tenant_discovery not in (None, self._discovery):
            self._tenant_discovery.close()
        discovery = self._discovery.for_tenant(tenant_id) if tenant_id else self._discovery
        self._tenant_discovery = discovery
        self._run(
            discovery.list_subscriptions,
            self.tr("Looking up your subscriptions…"),
            self._set_subscriptions,
        )

    def _set_subscriptions(self, subscriptions: list[Subscription]) -> None:
        assert self.context is not None
        self._subscriptions = subscriptions
        self._fill_combo(
            self.subscription_combo, [(s.display_name, s.subscription_id) for s in subscriptions]
        )
        self._set_row_visible(self.subscription_combo, True)
        if not subscriptions:
            self.tree.clear()
            self.message.show_message(
                self.tr("This account has no Azure subscription in this directory."),
                self.tr(
                    "Ask your Azure administrator to give you access to a subscription, "
                    "then press Refresh."
                ),
                tone=Tone.WARNING,
            )
            return
        index = self.subscription_combo.findData(self.context.settings.cloud_subscription_id)
        if index < 0:
            enabled = [i for i, s in enumerate(subscriptions) if s.state.lower() == "enabled"]
            index = enabled[0] if enabled else 0
        self.subscription_combo.setCurrentIndex(index)
        if self.subscription_combo.currentIndex() == index:
            self._load_places()

    def _on_subscription_combo_changed(self, _index: int) -> None:
        if not self._filling:
            self._load_places()

    def _subscription(self) -> Subscription | None:
        sub_id = self.subscription_combo.currentData()
        return next((s for s in self._subscriptions if s.subscription_id == sub_id), None)

    def _load_places(self) -> None:
        sub = self._subscription()
        discovery = self.discovery
        if sub is None or discovery is None:
            return
        tenant_id = self._tenant_id()

        async def work() -> list[Place]:
            workspaces, resources = await asyncio.gather(
                discovery.list_workspaces(sub.subscription_id, kinds=("project",)),
                discovery.list_ai_resources(sub.subscription_id),
            )
            places = [
                Place("hub", w.id, w.display_name, w.location, w, tenant_id, sub.display_name)
                for w in workspaces
            ]
            places += [
                Place("openai", r.id, r.name, r.location, r, tenant_id, sub.display_name)
                for r in resources
            ]
            return places

        self._run(
            work,
            self.tr("Looking for Foundry projects and Azure OpenAI resources…"),
            self._set_places,
        )

    # ------------------------------------------------------------------ the list
    def _set_places(self, places: list[Place]) -> None:
        self._places = places
        self._filling = True
        try:
            self.tree.clear()
            for place in places:
                item = QTreeWidgetItem([place.name, self._type_name(place), place.region, ""])
                item.setData(0, PLACE_ROLE, place)
                item.setToolTip(0, place.id)
                self.tree.addTopLevelItem(item)
        finally:
            self._filling = False
        self._refresh_marks()
        self._apply_search()
        # The place chosen last time (or the one in use) is selected again.
        wanted = (
            self.context.place.id
            if self.context is not None and self.context.place is not None
            else (self.context.settings.cloud_place_id if self.context is not None else "")
        )
        for item in self._items():
            if item.data(0, PLACE_ROLE).id == wanted:
                self.tree.setCurrentItem(item)
                break
        else:
            usable = [i for i in self._items() if self._check(i.data(0, PLACE_ROLE)).supported]
            first = usable or self._items()
            if first:  # selected even when it cannot train: its line says why
                self.tree.setCurrentItem(first[0])
        self._say_when_nothing_fits()
        self.places_loaded.emit()

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _check(self, place: Place) -> RegionCheck:
        from tunedesk.cloud.discovery import check_place

        model = self.model
        return check_place(model if model is not None else "", place.route, place.location)

    def _refresh_marks(self) -> None:
        for item in self._items():
            place: Place = item.data(0, PLACE_ROLE)
            check = self._check(place)
            if check.supported and check.reason is None:
                item.setText(3, self.tr("✓ Yes"))
            elif check.supported:
                item.setText(3, self.tr("✓ Yes, with global training"))
            else:
                item.setText(3, self.tr("✗ No"))
            item.setForeground(3, QBrush(QColor(_YES if check.supported else _NO)))
            item.setToolTip(3, str(check.reason) if check.reason is not None else "")
        self._on_tree_current_item_changed(self.tree.currentItem(), None)

    def _say_when_nothing_fits(self) -> None:
        if not self._places and self.search_edit.isVisible():
            self.message.show_message(
                self.tr("There is no Foundry project or Azure OpenAI resource here yet."),
                self.tr(
                    "Press “Create one for me…” and TuneDesk sets one up in a region that can "
                    "train {model}, or choose another subscription."
                ).format(model=self._model_name()),
                tone=Tone.WARNING,
            )
        elif self._places and not any(self._check(p).supported for p in self._places):
            self.message.show_message(
                self.tr("None of these can train {model}.").format(model=self._model_name()),
                self.tr(
                    "Press “Create one for me…” to set one up in a region that can, choose "
                    "another subscription, or choose another base model."
                ),
                tone=Tone.WARNING,
            )

    def _model_name(self) -> str:
        model = self.model
        return model.display_name if model is not None else ""

    def _apply_search(self) -> None:
        needle = self.search_edit.text().strip().casefold()
        for item in self._items():
            hay = " ".join(item.text(c) for c in range(3)).casefold()
            item.setHidden(bool(needle) and needle not in hay)

    def _on_tree_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            self.detail.clear()
            self.use_button.setEnabled(False)
            return
        place: Place = current.data(0, PLACE_ROLE)
        check = self._check(place)
        self.use_button.setEnabled(check.supported)
        if check.reason is not None:
            self.detail.setText(str(check.reason))
        elif place.region:
            self.detail.setText(
                self.tr("{model} can be fine-tuned in {region}.").format(
                    model=self._model_name(), region=place.region
                )
            )
        else:
            self.detail.setText(
                self.tr("Azure checks the region of this resource when training starts.")
            )

    def current_place(self) -> Place | None:
        item = self.tree.currentItem()
        return item.data(0, PLACE_ROLE) if item is not None else None

    def select_place(self, place_id: str) -> bool:
        for item in self._items():
            if item.data(0, PLACE_ROLE).id == place_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def add_place(self, place: Place) -> None:
        """A place just created: list it and select it."""
        self._set_places([*[p for p in self._places if p.id != place.id], place])
        self.select_place(place.id)

    def is_usable(self, place: Place) -> bool:
        return self._check(place).supported

    def _on_use_button_clicked(self) -> None:
        place = self.current_place()
        if place is not None and self._check(place).supported:
            self.place_chosen.emit(place)

    # ------------------------------------------------------------------ models
    def _fill_models(self) -> None:
        from PySide6.QtGui import QStandardItemModel

        catalog = load_catalog()
        items = self.model_combo.model()
        for model in catalog.models:
            self.model_combo.addItem(model.label, model.id)
            if model.retired and isinstance(items, QStandardItemModel):
                # listed, marked, so a returning user sees why it is gone; never selectable
                items.item(self.model_combo.count() - 1).setEnabled(False)
        default = catalog.recommended_default()  # never a retired or restricted model
        if default is not None:
            self.model_combo.setCurrentIndex(self.model_combo.findData(default.id))

    def _on_model_combo_changed(self, _index: int) -> None:
        model = self.model
        if model is not None and model.retired:  # e.g. remembered from before it retired
            default = load_catalog().recommended_default()
            if default is not None:
                self.model_combo.setCurrentIndex(self.model_combo.findData(default.id))
                return
        if model is not None and self.context is not None:
            self.context.settings.model_id = model.id
        self._update_model_description()
        self._refresh_marks()
        if self._places:
            self.message.clear()
            self._say_when_nothing_fits()

    def _update_model_description(self) -> None:
        model = self.model
        text = model.description if model is not None else ""
        if model is not None and model.status_note:
            text = f"{model.status_note} {text}"
        self.model_description.setText(text)
        for i in range(self.model_combo.count()):  # the marks follow the UI language
            listed = load_catalog().get(str(self.model_combo.itemData(i)))
            if listed is not None:
                self.model_combo.setItemText(i, listed.label)

    @property
    def discovery(self) -> Discovery | None:
        """The lookups for the directory chosen now."""
        return self._tenant_discovery or self._discovery

    @property
    def subscription(self) -> Subscription | None:
        return self._subscription()

    @property
    def places(self) -> list[Place]:
        return list(self._places)
