"""Screenshots of drafting from documents, in English and Chinese, through the emulator: the
dialog with documents read (one of them a scan it cannot read) and its estimate, the dialog
when drafting is done, and the Data page with the drafts in the table and a draft's source
in the detail panel. They land in artifacts/screenshots/ (``drafting-*``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.azure_emulator.server import Emulator
from tests.gui.test_chat_page import base_model_on_resource
from tests.gui.test_drafting import data_page, documents, drafts, finished, open_drafting, read
from tests.gui.test_model_and_train_pages import WAIT
from tests.gui.test_model_and_train_screenshots import shoot
from tests.gui.test_sign_in_screenshots import open_window
from tests.helpers.documents import make_scanned_pdf
from tunedesk.core.project import Project
from tunedesk.core.samples import sample_dataset

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_drafting_screenshots(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    azure_emulator: Emulator,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    win = open_window(qtbot, language)
    win.resize(1280, 860)
    win.set_project(Project.create(tmp_path / "Family.tunedesk", sample_dataset(language)))
    base_model_on_resource(qtbot, win, azure_emulator, "gpt-4-1-mini")
    page = data_page(qtbot, win)
    dialog = open_drafting(qtbot, page)
    scan = tmp_path / "Scanned contract.pdf"
    scan.write_bytes(make_scanned_pdf())
    read(qtbot, dialog, [*documents(tmp_path), scan])
    qtbot.waitUntil(lambda: bool(dialog.estimate.text()), timeout=WAIT)
    shoot(dialog, screenshot_dir, "drafting-dialog", language, qtbot)

    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    finished(qtbot, dialog)
    shoot(dialog, screenshot_dir, "drafting-dialog-done", language, qtbot)
    dialog.close()

    rows = drafts(win)
    assert rows
    page.drafts_bar.only_drafts.setChecked(True)
    qtbot.waitUntil(lambda: page.table.model().rowCount() == len(rows), timeout=WAIT)
    assert win.project is not None
    target = next(r for r in rows if r.origin is not None and r.origin.page == 1)
    row = win.project.dataset.index_of(target.id)
    assert row is not None
    page.select_row(row)
    qtbot.waitUntil(page.detail.origin_box.isVisible, timeout=WAIT)
    shoot(win, screenshot_dir, "drafting-table", language, qtbot)
    win._billing_acknowledged = True
    win.close()
