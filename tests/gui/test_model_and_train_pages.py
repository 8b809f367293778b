"""Model & settings and Train, driven like a person would, through the emulator and the real SDKs.

The whole main window: sign in (service principal), choose a place on the Sign in page, pick
the model and preset, tick the confirmation, start, and watch the job to its end on the Train
page (azure-ai-ml on the hub route, openai on the resource route; Azure is the emulator).
"""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.azure_emulator.aml_state import AmlTimeline
from tests.azure_emulator.aoai import Timeline
from tests.azure_emulator.server import Emulator
from tests.gui.test_sign_in_page import select, sign_in_as_service_principal, wait_for_places
from tunedesk.core.flow import Step
from tunedesk.core.jobs import JobHistory, JobRecord
from tunedesk.core.project import Project
from tunedesk.core.settings import Settings
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.pages.model import ModelPage
from tunedesk.ui.pages.train import TrainPage

WAIT = 60_000

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(emulator_window: MainWindow) -> MainWindow:
    return emulator_window


def choose_place(qtbot: QtBot, win: MainWindow, name: str, model: str = "") -> None:
    """Sign in and choose ``name``, for ``model`` (the Sign in page's "for" choice)."""
    win.go_to(Step.SIGN_IN)
    page = win.sign_in_page
    sign_in_as_service_principal(qtbot, page)
    wait_for_places(qtbot, page)
    if model:
        combo = page.chooser.model_combo
        combo.setCurrentIndex(combo.findData(model))
        assert combo.currentData() == model
    select(page, name)
    assert page.chooser.use_button.isEnabled(), page.chooser.detail.text()
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    assert win.context.place is not None


def model_page(qtbot: QtBot, win: MainWindow) -> ModelPage:
    win.go_to(Step.MODEL)
    page = win.page(Step.MODEL)
    assert isinstance(page, ModelPage)
    qtbot.waitUntil(lambda: page._service_list is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: page.preflight.ready(), timeout=WAIT)
    return page


def start(qtbot: QtBot, win: MainWindow, page: ModelPage) -> TrainPage:
    assert not page.preflight.start.isEnabled()  # not before the explicit confirmation
    page.preflight.confirm.setChecked(True)
    assert page.preflight.start.isEnabled()
    qtbot.mouseClick(page.preflight.start, Qt.MouseButton.LeftButton)
    train = win.page(Step.TRAIN)
    assert isinstance(train, TrainPage)
    qtbot.waitUntil(lambda: win.current_page() is train, timeout=WAIT)
    assert win.project is not None
    qtbot.waitUntil(lambda: len(JobHistory(win.project).list()) == 1, timeout=WAIT)
    return train


def wait_for_the_end(qtbot: QtBot, train: TrainPage, key: str) -> JobRecord:
    """Until the page has stopped watching (the last round's events and metrics are in)."""
    qtbot.waitUntil(lambda: key not in train._tasks, timeout=WAIT)
    assert train.history is not None
    record = train.history.get(key)
    assert record is not None
    return record


def only_record(win: MainWindow) -> JobRecord:
    assert win.project is not None
    records = JobHistory(win.project).list()
    assert len(records) == 1, records
    return records[0]


def test_hub_route_from_model_choice_to_succeeded_with_the_chart_filling(
    qtbot: QtBot, window: MainWindow, azure_emulator: Emulator
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.3, queued=0.3, running=4.0)
    choose_place(qtbot, window, "Family project")
    page = model_page(qtbot, window)
    assert page.models.current_id() is not None
    assert "Phi-4-mini" in page.models.current_id()  # the recommended default
    # The registry still lists retired models: shown, never offered.
    by_id = {c.id.split("/models/")[-1].split("/")[0]: c for c in page.models.choices()}
    assert not by_id["Meta-Llama-3.1-8B-Instruct"].enabled
    assert "Retired" in by_id["Meta-Llama-3.1-8B-Instruct"].reason
    unavailable = [c for c in page.models.choices() if not c.enabled]
    assert unavailable
    assert all(c.reason for c in unavailable)
    # Balanced: Azure chooses, and the estimate says so instead of assuming 3 epochs.
    assert "Azure chooses" in page.preflight.estimate.text()

    train = start(qtbot, window, page)
    qtbot.waitUntil(lambda: train.history_view.topLevelItemCount() == 1, timeout=WAIT)
    record = only_record(window)
    assert window.project is not None
    history = JobHistory(window.project)
    assert history.training_file(record.client_key)  # the exact bytes sent, kept
    final = wait_for_the_end(qtbot, train, record.client_key)
    assert final.state == "succeeded", (final.state, final.error)
    assert final.metrics, "the chart's points come from the service's metrics"
    qtbot.waitUntil(lambda: train.chart.loss_series.count() > 0, timeout=WAIT)
    assert train.deploy_button.isVisible()
    notes = train._notifier.sent if train._notifier is not None else []
    assert [n.title for n in notes] == ["Training finished"]
    assert window.context.has_trained_model


def test_resource_route_open_model_global_training_to_succeeded(
    qtbot: QtBot, window: MainWindow, azure_emulator: Emulator
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.3, running=4.0, steps=20)
    choose_place(qtbot, window, "contoso-ais-ncus", "Ministral-3B")
    page = model_page(qtbot, window)
    choice = page.models.current_choice()
    assert choice is not None
    assert choice.route == "openai"
    assert page.settings_panel.settings().training_type == "global"
    train = start(qtbot, window, page)
    record = only_record(window)
    assert window.project is not None

    final = wait_for_the_end(qtbot, train, record.client_key)
    assert final.state == "succeeded", (final.state, final.error)
    assert final.job_id.startswith("ftjob-")
    assert final.metrics
    assert train.chart.loss_series.count() > 0


def test_a_service_failure_is_shown_in_plain_words_with_what_to_change(
    qtbot: QtBot, window: MainWindow, azure_emulator: Emulator
) -> None:
    azure_emulator.openai.timeline = Timeline(
        pending=0.2,
        running=0.5,
        outcome="failed",
        error={
            "code": "invalid_training_file",
            "message": "Line 3: the file format is invalid.",
            "param": "training_file",
        },
    )
    choose_place(qtbot, window, "contoso-ais-ncus", "Ministral-3B")
    train = start(qtbot, window, model_page(qtbot, window))
    record = only_record(window)
    assert window.project is not None

    wait_for_the_end(qtbot, train, record.client_key)
    qtbot.waitUntil(lambda: train.failure.isVisible(), timeout=WAIT)
    assert "Line 3" in train.failure.text
    assert "Data page" in train.failure.detail
    notes = train._notifier.sent if train._notifier is not None else []
    assert [n.title for n in notes] == ["Training failed"]


def test_cancel_asks_first_then_stops_the_job(
    qtbot: QtBot, window: MainWindow, azure_emulator: Emulator
) -> None:
    azure_emulator.openai.timeline = Timeline(pending=0.2, running=60.0, steps=20)
    choose_place(qtbot, window, "contoso-ais-ncus", "Ministral-3B")
    train = start(qtbot, window, model_page(qtbot, window))
    record = only_record(window)
    assert window.project is not None
    history = JobHistory(window.project)
    qtbot.waitUntil(
        lambda: (r := history.get(record.client_key)) is not None and r.state == "running",
        timeout=WAIT,
    )
    train.confirm_cancel()
    box = train._cancel_box
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    keep.click()
    qtbot.wait(300)
    current = history.get(record.client_key)
    assert current is not None
    assert not current.terminal

    train.confirm_cancel()
    box = train._cancel_box
    qtbot.waitUntil(box.isVisible, timeout=WAIT)
    stop = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    stop.click()
    qtbot.waitUntil(
        lambda: (r := history.get(record.client_key)) is not None and r.state == "cancelled",
        timeout=WAIT,
    )


def test_closing_mid_job_and_reopening_resumes_the_watch(
    qtbot: QtBot,
    window: MainWindow,
    azure_emulator: Emulator,
    qasync_loop: asyncio.AbstractEventLoop,
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.2, queued=0.2, running=20.0)
    choose_place(qtbot, window, "Family project")
    train = start(qtbot, window, model_page(qtbot, window))
    record = only_record(window)
    assert window.project is not None
    path = window.project.path
    qtbot.waitUntil(
        lambda: (
            (r := JobHistory(window.project).get(record.client_key)) is not None  # type: ignore[arg-type]
            and r.state == "running"
        ),
        timeout=WAIT,
    )
    window.close()  # TuneDesk closes while the job runs on Azure
    assert record.client_key not in train._tasks or train._tasks[record.client_key].done()

    again = MainWindow(Settings())
    qtbot.addWidget(again)
    again.show()
    again.ensure_pages()
    again.set_project(Project.open(path))
    assert again.project is not None
    choose_place(qtbot, again, "Family project")
    # Nobody opened the Train page: it is built to watch the job that was running.
    resumed = again.page(Step.TRAIN)
    assert isinstance(resumed, TrainPage)
    qtbot.waitUntil(lambda: record.client_key in resumed._tasks, timeout=WAIT)
    final = wait_for_the_end(qtbot, resumed, record.client_key)
    assert final.state == "succeeded", (final.state, final.error)
    assert final.job_id == record.job_id or record.job_id == ""
    assert len(JobHistory(again.project).list()) == 1
    assert len(azure_emulator.aml.jobs) == 1  # watched again, never submitted again
    again.close()


def test_network_loss_while_watching_says_reconnecting_then_carries_on(
    qtbot: QtBot, window: MainWindow, azure_emulator: Emulator
) -> None:
    azure_emulator.aml.timeline = AmlTimeline(not_started=0.2, queued=0.2, running=20.0)
    choose_place(qtbot, window, "Family project")
    train = start(qtbot, window, model_page(qtbot, window))
    record = only_record(window)
    assert window.project is not None
    history = JobHistory(window.project)
    qtbot.waitUntil(
        lambda: (r := history.get(record.client_key)) is not None and r.state == "running",
        timeout=WAIT,
    )
    # Every status call dropped for a while: more than the SDK's own retries absorb.
    azure_emulator.faults.add("drop_before", method="GET", path=r"/jobs/tunedesk-[^/]+$", times=5)
    qtbot.waitUntil(lambda: train.connection.isVisible(), timeout=WAIT)
    assert "Reconnecting to Azure" in train.connection.text
    assert train.connection.detail.startswith("Could not reach Azure")  # the watch's words
    final = wait_for_the_end(qtbot, train, record.client_key)
    assert final.state == "succeeded", (final.state, final.error)
    assert not train.connection.isVisible()
