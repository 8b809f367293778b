"""The Deploy page, driven like a person would, through the emulator and the real SDKs.

A model is trained first through the real Model & settings and Train pages; then it is
deployed, shown online with its billing, reminded about at quit, and deleted.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.server import Emulator
from tests.gui.test_model_and_train_pages import (
    WAIT,
    choose_place,
    model_page,
    only_record,
    start,
    wait_for_the_end,
)
from tunedesk.core.deployments import DeploymentHistory
from tunedesk.core.flow import Step
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.pages.deploy import DeployPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def trained(qtbot: QtBot, win: MainWindow, place: str, model: str = "") -> None:
    choose_place(qtbot, win, place, model)
    train = start(qtbot, win, model_page(qtbot, win))
    final = wait_for_the_end(qtbot, train, only_record(win).client_key)
    assert final.state == "succeeded", (final.state, final.error)


def button(box: QMessageBox, role: QMessageBox.ButtonRole) -> object:
    return next(b for b in box.buttons() if box.buttonRole(b) == role)


def test_hub_deploy_shows_billing_reminds_at_quit_and_deletes(
    qtbot: QtBot,
    emulator_window: MainWindow,
    azure_emulator: Emulator,
) -> None:
    window = emulator_window
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.1, queued=0.1, running=0.8)
    trained(qtbot, window, "Family project")
    assert window.context.has_trained_model
    window.go_to(Step.DEPLOY)
    page = window.page(Step.DEPLOY)
    assert isinstance(page, DeployPage)
    assert len(page.job_cards) == 1
    card = page.job_cards[0]
    assert card.sku.currentData() == "serverless"
    assert "billed by the hour" in card.sku_sentence.text()
    qtbot.mouseClick(card.deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.deployment_cards) == 1, timeout=WAIT)
    online = page.deployment_cards[0]
    assert online.record.state.lower() == "succeeded"
    assert online.record.key_account  # the key is in the keyring; the record names it
    assert "billed" in online.billing.text().lower() or "hour" in online.billing.text()
    assert page.billed.isVisible()
    assert window.context.has_deployment
    assert window.project is not None
    assert len(DeploymentHistory(window.project).active()) == 1

    # Quitting with it online: said first; Cancel keeps TuneDesk open.
    window.close()
    box = window._quit_box
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    assert online.record.name in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(100)
    assert window.isVisible()

    page.confirm_delete(online.record)
    box = page._delete_box
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    button(box, QMessageBox.ButtonRole.DestructiveRole).click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not page.deployment_cards, timeout=WAIT)
    assert not page.billed.isVisible()
    assert not DeploymentHistory(window.project).active()
    assert not window.context.has_deployment
    name = online.record.name
    assert all(n != name for _, n in azure_emulator.aml.endpoints)  # gone on "Azure" too


def test_resource_route_checkpoint_deploy_by_id_and_the_base_model_beside_it(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    from tests.azure_emulator.aoai import Timeline

    window = emulator_window
    azure_emulator.openai.timeline = Timeline(pending=0.2, running=1.0, steps=20)
    trained(qtbot, window, "contoso-ais-ncus", "Ministral-3B")
    window.go_to(Step.DEPLOY)
    page = window.page(Step.DEPLOY)
    assert isinstance(page, DeployPage)
    card = page.job_cards[0]
    # North Central US offers Standard deployments of fine-tuned models; Global elsewhere.
    assert [card.sku.itemData(i) for i in range(card.sku.count())][:2] == [
        "standard",
        "GlobalStandard",
    ]
    qtbot.waitUntil(lambda: bool(card.checkpoints), timeout=WAIT)
    chosen = card.chosen_checkpoint()
    assert chosen is not None  # the lowest validation loss is suggested
    assert chosen.id.startswith("ftchkpt-")
    assert "suggested" in card.checkpoint.currentText()
    qtbot.mouseClick(card.deploy, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.deployment_cards) == 1, timeout=WAIT)
    tuned = page.deployment_cards[0].record
    assert tuned.checkpoint_id == chosen.id
    assert tuned.model == chosen.id  # deployed by its ftchkpt- id, as the docs say
    # The catalog has no published hourly price for an open model: said, not invented.
    assert tuned.hourly_price is None
    assert "no published price" in str(tuned.billing_sentence(tuned.created_at))

    qtbot.mouseClick(page.job_cards[0].deploy_base, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.deployment_cards) == 2, timeout=WAIT)
    base = next(c.record for c in page.deployment_cards if c.record.base_model)
    assert base.model == "Ministral-3B"
    assert "No hourly fee" in str(base.billing_sentence(base.created_at))
    assert window.project is not None
    assert {r.name for r in DeploymentHistory(window.project).still_billed()} == {tuned.name}

    for record in (tuned, base):
        page.confirm_delete(record)
        box = page._delete_box
        qtbot.waitUntil(box.isVisible, timeout=WAIT)
        button(box, QMessageBox.ButtonRole.DestructiveRole).click()  # type: ignore[attr-defined]
        qtbot.waitUntil(
            lambda r=record: all(c.record.id != r.id for c in page.deployment_cards),
            timeout=WAIT,
        )
    assert not DeploymentHistory(window.project).active()
