"""Screenshots of the Data page (artifacts/screenshots) for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from tunedesk.core.dataset import Dataset
from tunedesk.core.formats import import_file
from tunedesk.core.resources import resource_path
from tunedesk.ui.models.examples_table_model import Column
from tunedesk.ui.pages.data import DataPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")




def _sample(name: str, data_dir: Path) -> Dataset:
    path = resource_path("samples", name)
    if not path.exists():
        path = data_dir / "family-as-published.jsonl"
    return Dataset("", import_file(path).examples)


@pytest.mark.parametrize("sample", ["family_en.jsonl", "family_zh.jsonl"])
def test_screenshot_with_sample(
    qtbot: QtBot, page: DataPage, screenshot_dir: Path, data_dir: Path, sample: str
) -> None:
    ds = _sample(sample, data_dir)
    with qtbot.wait_signal(page.checks_finished, timeout=15000):
        page.set_dataset(ds)
    index = page.view.mapFromSource(page.model.index(min(1, len(ds) - 1), Column.QUESTION))
    page.table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.wait(50)
    image = page.grab()
    assert image.width() == 1280
    assert image.save(str(screenshot_dir / f"data_page_{Path(sample).stem}.png"))
    page.find()
    page.find_bar.find_edit.setText("?")
    qtbot.wait(200)
    assert page.grab().save(str(screenshot_dir / f"data_page_{Path(sample).stem}_find.png"))


def test_screenshot_empty_state(qtbot: QtBot, page: DataPage, screenshot_dir: Path) -> None:
    page.set_dataset(Dataset())
    qtbot.wait(50)
    assert page.empty_add_button.isVisible()
    assert page.grab().save(str(screenshot_dir / "data_page_empty.png"))


def test_screenshot_with_problems(qtbot: QtBot, page: DataPage, screenshot_dir: Path) -> None:
    from tunedesk.core.dataset import Example, Message

    ds = Dataset("", [
        Example([Message("system", "You know our family.")]),
        Example.qa("How old is JIM?", "JIM is 10."),
        Example.qa("How old is JIM?", "JIM is 10."),
        Example.qa("  Who is Mike?  ", ""),
        Example([Message("user", "Hi"), Message("assistant", "Hello"),
                 Message("user", "Who are you?"), Message("assistant", "A helper.")]),
    ])
    with qtbot.wait_signal(page.checks_finished, timeout=15000):
        page.set_dataset(ds)
    page.select_row(4)
    qtbot.wait(50)
    assert page.grab().save(str(screenshot_dir / "data_page_problems.png"))
