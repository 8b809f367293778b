"""The Sign in page, driven like a person would, through the emulator and the real SDKs.

azure-identity/MSAL, azure-core's ARM pipeline and keyring are real; Azure is the emulator
(tests/azure_emulator) behind the standard proxy and CA variables.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.azure_emulator.browser import use_browser_script
from tests.azure_emulator.server import Emulator
from tests.azure_emulator.world import (
    SP_CLIENT_ID,
    SP_CLIENT_SECRET,
    SUBSCRIPTION_ID,
    TENANT_ID,
    USER_NAME,
)
from tunedesk.cloud import auth
from tunedesk.core.settings import Settings, load_settings
from tunedesk.ui.context import AppContext
from tunedesk.ui.pages.sign_in import SignInPage
from tunedesk.ui.pages.sign_in.create_dialog import CreatePlaceDialog

WAIT = 30_000

# The offscreen platform cannot resize top-level windows to their hint (a QWizard-style page
# shown alone); harmless, and the same ignore as the Data page tests.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def make_page(qtbot: QtBot, settings: Settings | None = None) -> SignInPage:
    context = AppContext(settings or Settings(), QUndoStack())
    page = SignInPage.for_context(context)
    assert isinstance(page, SignInPage)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    return page


@pytest.fixture
def page(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, azure_emulator: Emulator
) -> Iterator[SignInPage]:
    widget = make_page(qtbot)
    yield widget
    widget.cancel_sign_in()


def place_rows(page: SignInPage) -> dict[str, tuple[str, str, str]]:
    tree = page.chooser.tree
    rows = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        rows[item.text(0)] = (item.text(1), item.text(2), item.text(3))
    return rows


def wait_for_places(qtbot: QtBot, page: SignInPage) -> None:
    qtbot.waitUntil(lambda: page.chooser.tree.topLevelItemCount() > 0, timeout=WAIT)


def select(page: SignInPage, name: str) -> None:
    tree = page.chooser.tree
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == name:
            tree.setCurrentItem(tree.topLevelItem(i))
            return
    raise AssertionError(f"{name} not listed: {place_rows(page)}")


def sign_in_as_service_principal(qtbot: QtBot, page: SignInPage) -> None:
    choices = page.choices
    choices.advanced_toggle.click()
    choices.sp_tenant.setText(TENANT_ID)
    choices.sp_client.setText(SP_CLIENT_ID)
    choices.sp_secret.setText(SP_CLIENT_SECRET)
    assert choices.sp_button.isEnabled()
    qtbot.mouseClick(choices.sp_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)


def test_device_code_sign_in_then_places_marked_for_the_model(
    qtbot: QtBot, page: SignInPage
) -> None:
    assert page.stack.currentWidget() is page.choices
    qtbot.mouseClick(page.choices.device_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.device
    # The code is shown large with its link and countdown (the emulator approves it itself).
    qtbot.waitUntil(lambda: bool(page.device.code_label.text()), timeout=WAIT)
    assert "microsoft.com/devicelogin" in page.device._step1.text()
    assert "valid for" in page.device.countdown.text()
    page.device.copy_button.click()
    assert QApplication.clipboard().text() == page.device.code_label.text()
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)
    assert page.stack.currentWidget() is page.chooser
    assert USER_NAME in page.chooser.account_label.text()
    # No encrypted token cache on this Linux test machine: said once, plainly.
    assert "sign in each time" in page.note.text

    wait_for_places(qtbot, page)
    rows = place_rows(page)
    assert page.chooser.model_combo.currentData() == "Phi-4-mini-instruct"
    assert rows["Tokyo project"][1:] == ("Japan East", "✗ No")
    assert rows["Family project"][1] == "West US"
    assert rows["Family project"][2].startswith("✓")
    # An Azure OpenAI resource cannot train a hub model: said, with the reason.
    assert any(r[2] == "✗ No" and "Azure OpenAI" in r[0] for r in rows.values())

    select(page, "Tokyo project")
    assert not page.chooser.use_button.isEnabled()
    detail = page.chooser.detail.text()
    assert "cannot be fine-tuned in Japan East" in detail
    assert "West US" in detail
    assert "East US 2" in detail

    select(page, "Family project")
    assert page.chooser.use_button.isEnabled()
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    place = page.ctx.place
    assert place is not None
    assert (place.route, place.name, place.region) == ("hub", "Family project", "West US")
    assert "Ready: training will happen in Family project (West US)" in page.chooser.ready.text
    saved = load_settings()
    assert saved.cloud_place_id == place.id
    assert saved.cloud_subscription_id == SUBSCRIPTION_ID


def test_choosing_another_model_re_marks_the_places(qtbot: QtBot, page: SignInPage) -> None:
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    combo = page.chooser.model_combo
    combo.setCurrentIndex(combo.findData("Ministral-3B"))
    rows = place_rows(page)
    assert rows["Family project"][2] == "✗ No"
    assert page.ctx.settings.model_id == "Ministral-3B"
    assert any(r[2].startswith("✓") for r in rows.values())  # an Azure OpenAI resource


def test_browser_sign_in_with_a_stand_in_browser(
    qtbot: QtBot, page: SignInPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_browser_script(tmp_path, monkeypatch)
    qtbot.mouseClick(page.choices.browser_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.browser_wait
    assert not page.choices.browser_button.isEnabled()
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)
    assert page.ctx.session is not None
    assert page.ctx.session.method is auth.SignInMethod.BROWSER
    wait_for_places(qtbot, page)


def test_cancel_while_the_browser_is_open_leaves_the_page_usable(
    qtbot: QtBot, page: SignInPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_browser_script(tmp_path, monkeypatch, answers=False)
    qtbot.mouseClick(page.choices.browser_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.browser_wait
    qtbot.wait(300)
    qtbot.mouseClick(page.browser_wait.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.choices, timeout=WAIT)
    assert "Sign-in cancelled" in page.note.text
    assert page.choices.browser_button.isEnabled()
    assert page.choices.device_button.isEnabled()
    assert not page.ctx.signed_in
    # ... and another way to sign in works right away.
    qtbot.mouseClick(page.choices.device_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)


def test_service_principal_then_a_second_launch_is_silent_and_sign_out_forgets(
    qtbot: QtBot, page: SignInPage, memory_keyring: object
) -> None:
    sign_in_as_service_principal(qtbot, page)
    assert page.choices.sp_secret.text() == ""  # not kept in the widget
    wait_for_places(qtbot, page)
    select(page, "Family project")
    page.chooser.use_button.click()
    assert page.ctx.place is not None

    # The next launch: a new window signs in silently and picks the same place again.
    again = make_page(qtbot, load_settings())
    task = again.restore()
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert again.ctx.signed_in
    qtbot.waitUntil(lambda: again.ctx.place is not None, timeout=WAIT)
    assert again.ctx.place is not None
    assert again.ctx.place.name == "Family project"

    # Sign out: record, keyring entries and remembered ids are gone, and it says so.
    task = again.sign_out()
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert not again.ctx.signed_in
    assert again.ctx.place is None
    assert again.stack.currentWidget() is again.choices
    assert "signed out" in again.note.text
    assert not auth.record_path().exists()
    assert memory_keyring.store == {}  # type: ignore[attr-defined]
    assert load_settings().cloud_place_id == ""
    third = make_page(qtbot, load_settings())
    task = third.restore()
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert not third.ctx.signed_in


def test_api_key_sign_in_uses_that_resource_and_restores(
    qtbot: QtBot, page: SignInPage, azure_emulator: Emulator, memory_keyring: object
) -> None:
    endpoint = azure_emulator.openai.endpoint("contoso-aoai-swc")
    key = azure_emulator.openai.key("contoso-aoai-swc")
    choices = page.choices
    choices.advanced_toggle.click()
    choices.key_endpoint.setText(endpoint)
    choices.key_value.setText(key)
    qtbot.mouseClick(choices.key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ctx.signed_in, timeout=WAIT)
    combo = page.chooser.model_combo
    combo.setCurrentIndex(combo.findData("Ministral-3B"))
    qtbot.waitUntil(lambda: page.chooser.use_button.isEnabled(), timeout=WAIT)
    page.chooser.use_button.click()
    assert page.ctx.place is not None
    assert page.ctx.place.route == "openai"
    assert choices.key_value.text() == ""
    assert key not in auth.record_path().read_text(encoding="utf-8")
    assert key in memory_keyring.store.values()  # type: ignore[attr-defined]

    again = make_page(qtbot, load_settings())
    task = again.restore()
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert again.ctx.api_key is not None
    assert again.ctx.api_key.endpoint == endpoint.rstrip("/")
    qtbot.waitUntil(lambda: again.ctx.place is not None, timeout=WAIT)


def test_discovery_throttled_past_retries_says_so_with_retry(
    qtbot: QtBot, page: SignInPage, azure_emulator: Emulator
) -> None:
    azure_emulator.faults.add(
        "429", method="GET", path=r"/subscriptions$", times=10, seconds=0.05
    )
    sign_in_as_service_principal(qtbot, page)
    message = page.chooser.message
    qtbot.waitUntil(lambda: message.retry_button.isVisible(), timeout=WAIT)
    assert message.property("tone") == "error"
    assert message.text
    azure_emulator.faults.clear()
    qtbot.mouseClick(message.retry_button, Qt.MouseButton.LeftButton)
    wait_for_places(qtbot, page)
    assert not message.isVisible() or message.property("tone") != "error"


def test_an_offline_start_says_so_and_retry_signs_in(
    qtbot: QtBot, page: SignInPage, azure_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    # Next launch with the network down (the proxy refuses every connection).
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    again = make_page(qtbot, load_settings())
    task = again.restore()
    qtbot.waitUntil(task.done, timeout=60_000)
    assert again.ctx.offline
    assert not again.ctx.signed_in
    assert "cannot be reached" in again.note.text
    assert "Data page" in again.note.detail
    # The network is back: Retry signs in.
    for name, value in azure_emulator.env().items():
        monkeypatch.setenv(name, value)
    qtbot.mouseClick(again.note.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.ctx.signed_in, timeout=WAIT)
    assert not again.ctx.offline


def test_the_sign_in_record_holds_no_secret(qtbot: QtBot, page: SignInPage) -> None:
    sign_in_as_service_principal(qtbot, page)
    record = json.loads(auth.record_path().read_text(encoding="utf-8"))
    assert SP_CLIENT_SECRET not in json.dumps(record)


def _create_dialog(qtbot: QtBot, page: SignInPage) -> CreatePlaceDialog:
    qtbot.mouseClick(page.chooser.create_button, Qt.MouseButton.LeftButton)
    dialogs = page.findChildren(CreatePlaceDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.existing_group.isEnabled(), timeout=WAIT)  # groups listed
    return dialog


@pytest.mark.parametrize("drop", [False, True], ids=["clean", "dropped-after-put"])
def test_create_one_for_me_makes_exactly_one_hub_and_project_and_selects_it(
    qtbot: QtBot, page: SignInPage, azure_emulator: Emulator, drop: bool
) -> None:
    azure_emulator.provisioning.delay = 0.3
    azure_emulator.provisioning.retry_after = 0
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    before = {w.name for w in azure_emulator.aml.workspaces.values()}
    dialog = _create_dialog(qtbot, page)
    # Only regions that can fine-tune the model are offered; nothing costs money yet.
    offered = [dialog.region_combo.itemText(i) for i in range(dialog.region_combo.count())]
    assert "Japan East" not in offered
    assert "West US" in offered
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findText("West US"))
    summary = dialog.summary.text()
    assert "costs nothing" in summary or "cost" in summary
    assert dialog.create_button.isEnabled()
    if drop:
        azure_emulator.faults.add(
            "drop_after", method="PUT", path=r"/workspaces/[^/]+$", times=2
        )
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.region_combo.isEnabled()  # nothing can be changed while creating
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    created = {w.name for w in azure_emulator.aml.workspaces.values()} - before
    kinds = sorted(azure_emulator.aml.workspaces[name].kind for name in created)
    assert kinds == ["hub", "project"]
    place = page.ctx.place
    assert place is not None
    assert place.route == "hub"
    assert place.region == "West US"
    assert page.chooser.current_place() == place
    assert load_settings().cloud_place_id == place.id


def test_create_one_for_me_says_which_role_is_missing(
    qtbot: QtBot, page: SignInPage, azure_emulator: Emulator
) -> None:
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    azure_emulator.world.denied[SP_CLIENT_ID] = {"Microsoft.Resources"}
    dialog = _create_dialog(qtbot, page)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT)
    assert "Contributor" in dialog.message.text + dialog.message.detail
    assert dialog.isVisible()  # nothing lost: the choices are still there
    assert dialog.create_button.isEnabled()
    dialog.reject()
