"""Step 1, the Sign in page: who you are on Azure, and where training happens.

Views (one at a time): the sign-in choices; waiting for the browser; the device code; and,
once signed in, the place chooser. Sign-in, restore and sign-out run through
:func:`tunedesk.ui.ops.run_op`; their errors show inline on this page, with Retry where
retrying may help. Nothing secret is kept here: keys and secrets go straight to the
context's secret store (the OS keyring) and the fields are cleared afterwards.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tunedesk.core.errors import UserFacingError
from tunedesk.core.flow import Step
from tunedesk.core.settings import save_settings
from tunedesk.ui import ops
from tunedesk.ui.pages.base import PAGE_STYLE, StepPage, scrolling_column
from tunedesk.ui.pages.sign_in.choices import SignInChoices
from tunedesk.ui.pages.sign_in.place_chooser import PlaceChooser
from tunedesk.ui.pages.sign_in.waiting import BrowserWaitView, DeviceCodeView
from tunedesk.ui.widgets.inline_message import InlineMessage, Tone

if TYPE_CHECKING:
    from tunedesk.cloud.auth import DeviceCodePrompt
    from tunedesk.ui.context import AppContext, Place

SignInResult = Any  # AuthSession | ApiKeyAuth


class SignInPage(StepPage):
    """Sign in (browser, device code, service principal, API key), then choose a place."""

    step = Step.SIGN_IN

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sign_in_task: asyncio.Task[Any] | None = None
        self._cache_note_shown = False
        self._cancelled = False

        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.note = InlineMessage()
        self.note.retry_requested.connect(self._on_note_retry_requested)
        self._note_retry: Callable[[], object] | None = None

        self.choices = SignInChoices()
        self.choices.browser_requested.connect(self.sign_in_browser)
        self.choices.device_code_requested.connect(self.sign_in_device_code)
        self.choices.service_principal_requested.connect(self.sign_in_service_principal)
        self.choices.api_key_requested.connect(self.sign_in_api_key)
        self.browser_wait = BrowserWaitView()
        self.browser_wait.cancel_requested.connect(self.cancel_sign_in)
        self.device = DeviceCodeView()
        self.device.cancel_requested.connect(self.cancel_sign_in)
        self.chooser = PlaceChooser()
        self.chooser.place_chosen.connect(self._on_chooser_place_chosen)
        self.chooser.sign_out_requested.connect(self.sign_out)
        self.chooser.create_requested.connect(self._on_chooser_create_requested)
        self.chooser.continue_requested.connect(self._on_chooser_continue_requested)
        self.chooser.places_loaded.connect(self._on_chooser_places_loaded)

        self.stack = QStackedWidget()
        for view in (self.choices, self.browser_wait, self.device, self.chooser):
            self.stack.addWidget(view)

        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(14)
        column_layout.addWidget(self._title)
        column_layout.addWidget(self._intro)
        column_layout.addWidget(self.note)
        column_layout.addWidget(self.stack, 1)
        self.scroller = scrolling_column(self, column, max_width=820)
        self.setStyleSheet(PAGE_STYLE + "#accountLabel { font-size: 14px; font-weight: 600; }")
        self.retranslate()

    # ------------------------------------------------------------------ StepPage
    def set_context(self, context: AppContext) -> None:
        super().set_context(context)
        self.chooser.set_context(context)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Sign in"))
        self._intro.setText(
            self.tr(
                "TuneDesk trains your model in your own Azure account. Sign in with the "
                "Microsoft account you use at work, then choose where training happens."
            )
        )
        self.note.retranslate()
        for view in (self.choices, self.browser_wait, self.device, self.chooser):
            view.retranslate()

    @property
    def ctx(self) -> AppContext:
        assert self.context is not None, "set_context() first"
        return self.context

    def _show(self, view: QWidget) -> None:
        self.stack.setCurrentWidget(view)

    def _say(
        self,
        text: str,
        detail: str = "",
        *,
        tone: Tone = Tone.INFO,
        retry: Callable[[], object] | None = None,
    ) -> None:
        self._note_retry = retry
        self.note.show_message(text, detail, tone=tone, retry=retry is not None)

    def _on_note_retry_requested(self) -> None:
        retry, self._note_retry = self._note_retry, None
        self.note.clear()
        if retry is not None:
            retry()

    # ------------------------------------------------------------------ launch
    def restore(self) -> asyncio.Task[Any]:
        """Sign in silently with what the last session saved (at start-up)."""

        async def work() -> SignInResult:
            # At start-up nothing of the cloud layer is loaded yet: import it on a worker.
            await ops.in_worker(importlib.import_module, "tunedesk.cloud.auth")
            from tunedesk.cloud import auth
            from tunedesk.cloud.errors import KeyringUnavailable

            try:
                key = await auth.restore_api_key(self.ctx.secrets)
            except KeyringUnavailable:
                key = None
            if key is not None:
                return key
            return await auth.restore_session(self.ctx.secrets)

        def done(result: SignInResult) -> None:
            if result is not None:
                self._on_signed_in(result)

        return ops.run_op(
            self,
            work,
            label=self.tr("Signing in…"),
            quiet=True,
            on_success=done,
            on_error=self._on_restore_failed,
        )

    def _on_restore_failed(self, error: UserFacingError) -> None:
        from tunedesk.cloud import auth
        from tunedesk.cloud.errors import KeyringUnavailable, NetworkProblem, SignInRequired

        if isinstance(error, SignInRequired):
            user = auth.saved_username()
            self._say(
                self.tr("Please sign in again.")
                if user is None
                else self.tr("Please sign in again as {user}.").format(user=user),
                self.tr("TuneDesk could not keep your sign-in from last time on this computer."),
            )
        elif isinstance(error, NetworkProblem):
            self.ctx.set_offline(True)
            self._say(
                self.tr("Azure cannot be reached, so you are not signed in yet."),
                self.tr("Your questions and answers on the Data page work offline.")
                + " "
                + str(error.hint or ""),
                tone=Tone.WARNING,
                retry=self.restore,
            )
        elif isinstance(error, KeyringUnavailable):
            self._say(str(error.message), str(error.hint or ""), tone=Tone.WARNING)
        else:
            self._say(
                str(error.message), str(error.hint or ""), tone=Tone.ERROR, retry=self.restore
            )

    # ------------------------------------------------------------------ sign-in flows
    def sign_in_browser(self) -> asyncio.Task[Any]:
        from tunedesk.cloud import auth

        hint = auth.saved_username()
        return self._start_sign_in(lambda: auth.sign_in_browser(login_hint=hint), self.browser_wait)

    def sign_in_device_code(self) -> asyncio.Task[Any]:
        from tunedesk.cloud import auth

        loop = asyncio.get_running_loop()

        def prompt(p: DeviceCodePrompt) -> None:  # called on a worker thread
            loop.call_soon_threadsafe(self.device.show_prompt, p)

        self.device.waiting_for_code()
        return self._start_sign_in(lambda: auth.sign_in_device_code(prompt), self.device)

    def sign_in_service_principal(
        self, tenant_id: str, client_id: str, secret: str
    ) -> asyncio.Task[Any]:
        from tunedesk.cloud import auth

        return self._start_sign_in(
            lambda: auth.sign_in_service_principal(
                tenant_id, client_id, self.ctx.secrets, secret=secret
            ),
            None,
        )

    def sign_in_api_key(self, endpoint: str, key: str) -> asyncio.Task[Any]:
        from tunedesk.cloud import auth
        from tunedesk.cloud.secrets import account_for_openai_key

        return self._start_sign_in(
            lambda: auth.sign_in_api_key(
                endpoint, key, self.ctx.secrets, account_for_openai_key(endpoint)
            ),
            None,
        )

    def _start_sign_in(
        self, work: Callable[[], Awaitable[SignInResult]], view: QWidget | None
    ) -> asyncio.Task[Any]:
        self.note.clear()
        self.choices.set_busy(True)
        if view is not None:
            self._show(view)
        else:
            self._say(self.tr("Checking with Azure…"))

        def failed(error: UserFacingError) -> None:
            from tunedesk.cloud.errors import KeyringUnavailable

            if isinstance(error, KeyringUnavailable):
                ops.run_op(
                    self,
                    lambda: self._offer_session_secrets(error, work, view),
                    label=str(error.message),
                    quiet=True,
                )
                return
            self._say(str(error.message), str(error.hint or ""), tone=Tone.ERROR)

        task = ops.run_op(
            self,
            work,
            label=self.tr("Signing in…"),
            quiet=True,
            on_success=self._on_signed_in,
            on_error=failed,
        )
        self._sign_in_task = task
        task.add_done_callback(self._on_sign_in_task_done)
        return task

    def _on_sign_in_task_done(self, task: asyncio.Task[Any]) -> None:
        if task is not self._sign_in_task:
            return
        self._sign_in_task = None
        self.device.stop()
        self.choices.set_busy(False)
        if self.ctx.signed_in:
            return
        self._show(self.choices)
        if self._cancelled:
            self._cancelled = False
            self._say(self.tr("Sign-in cancelled. Choose a way to sign in when you are ready."))

    def cancel_sign_in(self) -> None:
        """Stop waiting for the browser or the code (the page is usable again at once).

        The blocked SDK call cannot be stopped on its worker thread; it ends by itself when
        its own time limit passes, and its late result is ignored.
        """
        if self._sign_in_task is not None:
            self._cancelled = True
            self._sign_in_task.cancel()

    async def _offer_session_secrets(
        self,
        error: UserFacingError,
        work: Callable[[], Awaitable[SignInResult]],
        view: QWidget | None,
    ) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("No secure password store"))
        box.setText(str(error.message))
        box.setInformativeText(
            self.tr(
                "TuneDesk can keep the secret in memory until you close it, and you type it "
                "again next time. Continue that way?"
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        answer = await ops.run_dialog(box)
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.use_session_secrets()
            self._start_sign_in(work, view)
        else:
            self._say(str(error.message), str(error.hint or ""), tone=Tone.WARNING)

    def _on_signed_in(self, result: SignInResult) -> None:
        from tunedesk.cloud.auth import AuthSession

        if result is None:
            return
        self.choices.clear_secrets()
        self.note.clear()
        if isinstance(result, AuthSession):
            self.ctx.set_sign_in(result)
            if result.cache_note is not None and not self._cache_note_shown:
                self._cache_note_shown = True  # said once per run, plainly
                self._say(str(result.cache_note))
        else:
            self.ctx.set_sign_in(None, result)
        self.ctx.set_offline(False)
        self._show(self.chooser)
        self.chooser.start()

    # ------------------------------------------------------------------ places
    def _on_chooser_places_loaded(self) -> None:
        """Use the remembered place again after a silent sign-in (when it still fits)."""
        if self.ctx.place is not None:
            return
        place = self.chooser.current_place()
        remembered = self.ctx.settings.cloud_place_id
        key_mode = self.ctx.session is None
        if (
            place is not None
            and self.chooser.is_usable(place)
            and (place.id == remembered or key_mode)
        ):
            self._use_place(place)

    def _on_chooser_place_chosen(self, place: Place) -> None:
        self._use_place(place)

    def _use_place(self, place: Place) -> None:
        settings = self.ctx.settings
        settings.cloud_tenant_id = place.tenant_id or ""
        sub = self.chooser.subscription
        settings.cloud_subscription_id = sub.subscription_id if sub is not None else ""
        settings.cloud_place_id = place.id
        save_settings(settings)
        self.ctx.set_place(place)

    def _on_chooser_continue_requested(self) -> None:
        self.step_requested.emit(Step.DATA)

    def _on_chooser_create_requested(self) -> None:
        from tunedesk.ui.pages.sign_in.create_dialog import CreatePlaceDialog

        sub = self.chooser.subscription
        discovery = self.chooser.discovery
        model = self.chooser.model
        if sub is None or discovery is None or model is None:
            return
        dialog = CreatePlaceDialog(discovery, sub, model, self.chooser.places, self)
        dialog.place_created.connect(self._on_place_created)
        dialog.open()

    def _on_place_created(self, place: Place) -> None:
        self.chooser.add_place(place)
        self._use_place(place)

    # ------------------------------------------------------------------ sign-out
    def sign_out(self) -> asyncio.Task[Any]:
        """Forget the sign-in, its cached tokens and every secret TuneDesk stored."""
        from tunedesk.cloud import auth

        store = self.ctx.secrets

        def done(_result: None) -> None:
            self.chooser.stop()
            settings = self.ctx.settings
            settings.cloud_tenant_id = settings.cloud_subscription_id = ""
            settings.cloud_place_id = ""
            save_settings(settings)
            self.ctx.set_sign_in(None)
            self._show(self.choices)
            self._say(
                self.tr("You are signed out."),
                self.tr(
                    "TuneDesk removed your saved sign-in, its cached tokens and every key "
                    "and secret it had stored on this computer."
                ),
                tone=Tone.SUCCESS,
            )

        return ops.run_op(
            self,
            lambda: auth.sign_out(store),
            label=self.tr("Signing out…"),
            quiet=True,
            on_success=done,
            on_error=lambda e: self._say(str(e.message), str(e.hint or ""), tone=Tone.ERROR),
            busy=(self.chooser.sign_out_button,),
        )
