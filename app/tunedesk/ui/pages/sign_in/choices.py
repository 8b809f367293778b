"""The ways to sign in: browser, a code on another device, and (Advanced) a service
principal or an Azure OpenAI key.

Signals:
    browser_requested(): "Sign in with Microsoft".
    device_code_requested(): "Use a code on another device".
    service_principal_requested(str, str, str): tenant id, client id, secret.
    api_key_requested(str, str): endpoint, key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class SignInChoices(QWidget):
    """Buttons for the two everyday ways to sign in, and the Advanced forms below them."""

    browser_requested = Signal()
    device_code_requested = Signal()
    service_principal_requested = Signal(str, str, str)
    api_key_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser_button = QPushButton()
        self.browser_button.setObjectName("primaryButton")
        self.browser_button.setDefault(True)
        self.browser_button.setMinimumHeight(40)
        self.browser_button.clicked.connect(self.browser_requested)
        self.device_button = QPushButton()
        self.device_button.setMinimumHeight(40)
        self.device_button.clicked.connect(self.device_code_requested)
        self._browser_hint = QLabel()
        self._browser_hint.setWordWrap(True)
        self._device_hint = QLabel()
        self._device_hint.setWordWrap(True)

        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._on_advanced_toggle_toggled)

        # Service principal
        self.sp_box = QGroupBox()
        self.sp_tenant = QLineEdit()
        self.sp_client = QLineEdit()
        self.sp_secret = QLineEdit()
        self.sp_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.sp_button = QPushButton()
        self.sp_button.clicked.connect(self._on_sp_button_clicked)
        sp_form = QFormLayout(self.sp_box)
        self._sp_labels = [QLabel(), QLabel(), QLabel()]
        sp_form.addRow(self._sp_labels[0], self.sp_tenant)
        sp_form.addRow(self._sp_labels[1], self.sp_client)
        sp_form.addRow(self._sp_labels[2], self.sp_secret)
        sp_form.addRow("", self.sp_button)

        # Azure OpenAI key
        self.key_box = QGroupBox()
        self.key_endpoint = QLineEdit()
        self.key_value = QLineEdit()
        self.key_value.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_button = QPushButton()
        self.key_button.clicked.connect(self._on_key_button_clicked)
        self._key_note = QLabel()
        self._key_note.setWordWrap(True)
        key_form = QFormLayout(self.key_box)
        self._key_labels = [QLabel(), QLabel()]
        key_form.addRow(self._key_note)
        key_form.addRow(self._key_labels[0], self.key_endpoint)
        key_form.addRow(self._key_labels[1], self.key_value)
        key_form.addRow("", self.key_button)

        self.advanced = QWidget()
        advanced_layout = QVBoxLayout(self.advanced)
        advanced_layout.setContentsMargins(0, 0, 0, 0)
        advanced_layout.addWidget(self.sp_box)
        advanced_layout.addWidget(self.key_box)
        self.advanced.hide()

        for edit in (self.sp_tenant, self.sp_client, self.sp_secret):
            edit.textChanged.connect(self._update_buttons)
        for edit in (self.key_endpoint, self.key_value):
            edit.textChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.browser_button)
        layout.addWidget(self._browser_hint)
        layout.addSpacing(8)
        layout.addWidget(self.device_button)
        layout.addWidget(self._device_hint)
        layout.addSpacing(12)
        toggle_row = QHBoxLayout()
        toggle_row.addWidget(self.advanced_toggle)
        toggle_row.addStretch(1)
        layout.addLayout(toggle_row)
        layout.addWidget(self.advanced)
        layout.addStretch(1)
        for button in (self.browser_button, self.device_button):
            button.setMinimumWidth(320)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.browser_button.setText(self.tr("Sign in with Microsoft"))
        self._browser_hint.setText(
            self.tr(
                "Your web browser opens Microsoft's sign-in page. Use the work account that "
                "has access to your company's Azure."
            )
        )
        self.device_button.setText(self.tr("Use a code on another device"))
        self._device_hint.setText(
            self.tr(
                "For when this computer cannot open a browser: TuneDesk shows a short code "
                "to enter on your phone or another computer."
            )
        )
        self.advanced_toggle.setText(self.tr("Advanced: service principal or API key"))
        self.sp_box.setTitle(self.tr("Service principal (an app registration)"))
        for label, text in zip(
            self._sp_labels,
            (self.tr("Tenant ID"), self.tr("Client ID"), self.tr("Client secret")),
            strict=True,
        ):
            label.setText(text)
        self.sp_tenant.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self.sp_client.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self.sp_button.setText(self.tr("Sign in as this app"))
        self.key_box.setTitle(self.tr("Azure OpenAI endpoint and key"))
        self._key_note.setText(
            self.tr(
                "Only for training Azure OpenAI models in one resource. The key is kept in "
                "this computer's secure password store."
            )
        )
        self._key_labels[0].setText(self.tr("Endpoint"))
        self._key_labels[1].setText(self.tr("Key"))
        self.key_endpoint.setPlaceholderText("https://my-resource.openai.azure.com")
        self.key_button.setText(self.tr("Use this key"))

    def set_busy(self, busy: bool) -> None:
        """Disable every way to start a sign-in while one is running."""
        for widget in (self.browser_button, self.device_button, self.advanced):
            widget.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def clear_secrets(self) -> None:
        """Forget what was typed into the secret fields (after a sign-in or sign-out)."""
        self.sp_secret.clear()
        self.key_value.clear()

    def _on_advanced_toggle_toggled(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _update_buttons(self) -> None:
        self.sp_button.setEnabled(
            all(e.text().strip() for e in (self.sp_tenant, self.sp_client, self.sp_secret))
        )
        self.key_button.setEnabled(
            self.key_endpoint.text().strip().startswith("https://")
            and bool(self.key_value.text().strip())
        )

    def _on_sp_button_clicked(self) -> None:
        self.service_principal_requested.emit(
            self.sp_tenant.text().strip(), self.sp_client.text().strip(), self.sp_secret.text()
        )

    def _on_key_button_clicked(self) -> None:
        self.api_key_requested.emit(
            self.key_endpoint.text().strip().rstrip("/"), self.key_value.text().strip()
        )
