"""Import and export through the Data page: worker parsing, dialogs answered, one undo."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import make_dataset
from tunedesk.core.dataset import Dataset
from tunedesk.ui.dialogs.column_mapping_dialog import ColumnMappingDialog
from tunedesk.ui.dialogs.export_dialog import ExportDialog
from tunedesk.ui.pages.data import DataPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")




def _answer(page: DataPage, answer: Callable[[QDialog], None]) -> list[QDialog]:
    """Answer every dialog the page opens (after it is shown, like a person would)."""
    seen: list[QDialog] = []

    def on_opened(dialog: QDialog) -> None:
        seen.append(dialog)
        asyncio.get_running_loop().call_soon(answer, dialog)

    page.dialog_opened.connect(on_opened)
    return seen


def _click(dialog: QDialog, text: str) -> None:
    """Press the message box's button labelled ``text``."""
    assert isinstance(dialog, QMessageBox)
    next(b for b in dialog.buttons() if b.text() == text).click()


def _run(qtbot: QtBot, task: asyncio.Task[Any] | None) -> Any:
    assert task is not None
    qtbot.waitUntil(task.done, timeout=15000)
    return task.result()


def test_import_csv_appends_as_one_undo_step(
    qtbot: QtBot, page: DataPage, tmp_path: Path
) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    csv = tmp_path / "faq.csv"
    csv.write_text("question,answer\nWhere?,Here.\n\"Multi\nline?\",Yes\n", encoding="utf-8")

    seen = _answer(page, lambda dialog: _click(dialog, "Append the new rows"))
    messages: list[str] = []
    page.status_message.connect(messages.append)
    assert _run(qtbot, page.import_files([str(csv)])) is True
    assert len(seen) == 1
    assert [ex.question for ex in ds] == ["Question 1?", "Question 2?", "Where?", "Multi\nline?"]
    assert page.undo_stack.count() == 1
    assert "examples loaded: 2." in messages[-1]
    page.undo_stack.undo()
    assert len(ds) == 2


def test_headerless_file_asks_for_columns_then_replace_is_undoable(
    qtbot: QtBot, page: DataPage, tmp_path: Path
) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    tsv = tmp_path / "raw.tsv"
    tsv.write_text("x1\tWhat is A?\tA is a letter.\nx2\tWhat is B?\tB too.\n", encoding="utf-8")

    def answer(dialog: QDialog) -> None:
        if isinstance(dialog, ColumnMappingDialog):
            dialog.question.setCurrentIndex(dialog.question.findData(1))
            dialog.answer.setCurrentIndex(dialog.answer.findData(2))
            dialog.accept()
        else:
            _click(dialog, "Replace them")

    seen = _answer(page, answer)
    assert _run(qtbot, page.import_files([str(tsv)])) is True
    assert isinstance(seen[0], ColumnMappingDialog)
    assert [(ex.question, ex.answer) for ex in ds] == [
        ("What is A?", "A is a letter."), ("What is B?", "B too.")
    ]
    page.undo_stack.undo()
    assert [ex.question for ex in ds] == ["Question 1?", "Question 2?"]


def test_bad_lines_become_import_findings(qtbot: QtBot, page: DataPage, tmp_path: Path) -> None:
    ds = Dataset()
    page.set_dataset(ds)
    path = tmp_path / "data.jsonl"
    good = json.dumps({"messages": [{"role": "user", "content": "Q"},
                                    {"role": "assistant", "content": "A"}]})
    path.write_text(f"{good}\n{{broken\n{good}\n", encoding="utf-8")
    messages: list[str] = []
    page.status_message.connect(messages.append)
    assert _run(qtbot, page.import_files([str(path)])) is True
    assert len(ds) == 2
    import_findings = [f for f in page.findings_model.findings() if f.path is not None]
    assert import_findings
    assert page.findings_model.location(import_findings[0]) == "Line 2 of data.jsonl"
    assert "loaded 2 of 3 lines" in messages[-1]


def test_unreadable_file_is_reported_and_nothing_changes(
    qtbot: QtBot, page: DataPage, tmp_path: Path
) -> None:
    ds = make_dataset(3)
    page.set_dataset(ds)
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04 not for us")
    texts: list[str] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.informativeText())
        dialog.accept()

    _answer(page, answer)
    assert _run(qtbot, page.import_files([str(path)])) is False
    assert len(texts) == 1
    assert "Nothing in your table was changed." in texts[0]
    assert len(ds) == 3
    assert page.undo_stack.count() == 0


def test_export_writes_jsonl_after_the_error_warning(
    qtbot: QtBot, page: DataPage, tmp_path: Path
) -> None:
    ds = make_dataset(3)  # fewer than 10 examples: an error
    page.set_dataset(ds)
    with qtbot.wait_signal(page.checks_finished, timeout=15000):
        pass

    def answer(dialog: QDialog) -> None:
        if isinstance(dialog, ExportDialog):
            dialog.folder.setText(str(tmp_path))
            dialog.validation.setValue(0)
            dialog.accept()
        else:
            assert isinstance(dialog, QMessageBox)
            assert "Azure will reject this data" in dialog.text()
            _click(dialog, "Export anyway")

    seen = _answer(page, answer)
    result = _run(qtbot, page.export_dataset())
    assert len(seen) == 2
    assert result is not None
    lines = (tmp_path / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3


def test_import_and_export_buttons_are_off_while_an_import_runs(
    qtbot: QtBot, page: DataPage, tmp_path: Path
) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    csv = tmp_path / "faq.csv"
    csv.write_text("question,answer\nWhere?,Here.\n", encoding="utf-8")
    buttons = (page.import_button, page.empty_import_button, page.export_button)
    states: list[list[bool]] = []
    messages: list[str] = []
    page.status_message.connect(messages.append)

    def try_again_then_append(dialog: QDialog) -> None:
        states.append([b.isEnabled() for b in buttons])
        assert page.import_files([str(csv)]) is None  # a second import does not start
        assert page.export_dataset() is None
        _click(dialog, "Append the new rows")

    _answer(page, try_again_then_append)
    assert _run(qtbot, page.import_files([str(csv)])) is True
    assert states == [[False, False, False]]
    assert "Wait for the import or export to finish." in messages
    assert [b.isEnabled() for b in buttons] == [True, True, True]
    assert len(ds) == 3  # one import, not two
