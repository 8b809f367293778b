"""The Data page driven like a person would: edits, paste, delete, find/replace, fixes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QUndoStack
from pytestqt.qtbot import QtBot

from tests.gui.conftest import make_dataset
from tunedesk.core.dataset import Dataset, Example, Message, Split
from tunedesk.core.project import Project
from tunedesk.core.settings import Settings
from tunedesk.ui.context import AppContext
from tunedesk.ui.models.examples_table_model import Column
from tunedesk.ui.pages.base import EDIT_ACTIONS
from tunedesk.ui.pages.data import DataPage
from tunedesk.ui.pages.data.page import CHECK_DELAY_MS

SEL = QItemSelectionModel.SelectionFlag

# The offscreen platform plugin warns whenever a top-level window is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")




def _wait_checks(qtbot: QtBot, page: DataPage) -> None:
    with qtbot.wait_signal(page.checks_finished, timeout=15000):
        pass


def _select(page: DataPage, row: int, col: Column, flag: SEL = SEL.ClearAndSelect) -> None:
    index = page.view.mapFromSource(page.model.index(row, col))
    page.table.selectionModel().select(index, flag)
    page.table.selectionModel().setCurrentIndex(index, SEL.NoUpdate)


def test_states_no_project_empty_editor(qtbot: QtBot, page: DataPage) -> None:
    assert page._stack.currentIndex() == 0
    ds = Dataset()
    page.set_dataset(ds)
    assert page._stack.currentIndex() == 1
    qtbot.mouseClick(page.empty_add_button, Qt.MouseButton.LeftButton)
    assert len(ds) == 1
    assert page._stack.currentIndex() == 2
    page.undo_stack.undo()
    assert page._stack.currentIndex() == 1


def test_cell_edit_undo_redo_and_counts(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(3)
    with qtbot.wait_signal(page.counts_changed, timeout=15000) as counts:
        page.set_dataset(ds)
    examples, errors, _warnings, tokens = counts.args
    assert examples == 3
    assert errors >= 1  # fewer than 10 examples
    assert tokens > 0
    assert page.model.data(page.model.index(0, Column.TOKENS)) != "…"
    index = page.view.index(1, Column.QUESTION)
    assert page.table.model().setData(index, "Edited?", Qt.ItemDataRole.EditRole)
    assert ds[1].question == "Edited?"
    page.undo_stack.undo()
    assert ds[1].question == "Question 2?"
    page.undo_stack.redo()
    assert ds[1].question == "Edited?"


def test_typing_in_the_cell_editor_commits_on_enter(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    _select(page, 0, Column.ANSWER)
    page.table.setFocus()
    page.table.edit(page.table.currentIndex())
    editor = QGuiApplication.focusObject()
    qtbot.keyClicks(editor, "line one")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "line two")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert ds[0].answer == "line one\nline two"
    assert page.undo_stack.count() == 1


EXCEL_BLOCK = (
    'New Q1\t"First line\nsecond line with ""quotes"""\r\n'
    "New Q2\tA2\r\n"
    "New Q3\tA3\r\n"
    "New Q4\tA4\r\n"
)


def test_paste_excel_block_fills_and_appends_one_undo(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(3)
    page.set_dataset(ds)
    _select(page, 1, Column.QUESTION)
    page.paste_text(EXCEL_BLOCK)
    assert len(ds) == 5
    assert ds[1].question == "New Q1"
    assert ds[1].answer == 'First line\nsecond line with "quotes"'
    assert ds[2].question == "New Q2"
    assert [ex.question for ex in ds.examples[3:]] == ["New Q3", "New Q4"]
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert [ex.question for ex in ds] == ["Question 1?", "Question 2?", "Question 3?"]
    assert ds[1].answer == "Answer 2."


def test_paste_with_nothing_selected_appends_and_single_value_fills(
    qtbot: QtBot, page: DataPage
) -> None:
    ds = make_dataset(3)
    page.set_dataset(ds)
    page.table.clearSelection()
    page.paste_text("Q\tA\tvalidation\n")
    assert len(ds) == 4
    assert (ds[3].question, ds[3].answer, ds[3].split) == ("Q", "A", Split.VALIDATION)
    _select(page, 0, Column.SPLIT)
    _select(page, 2, Column.SPLIT, SEL.Select)
    page.paste_text("Train")
    assert [ex.split for ex in ds][:3] == [Split.TRAIN, Split.AUTO, Split.TRAIN]


def test_copy_paste_round_trip(qtbot: QtBot, page: DataPage) -> None:
    ds = Dataset("", [Example.qa('multi\nline "q"', "tab\there"), Example.qa("b", "c")])
    page.set_dataset(ds)
    _select(page, 0, Column.QUESTION)
    _select(page, 0, Column.ANSWER, SEL.Select)
    page.table.setFocus()
    page.copy()
    text = QGuiApplication.clipboard().text()
    _select(page, 1, Column.QUESTION)
    page.paste()
    assert ds[1].question == 'multi\nline "q"'
    assert ds[1].answer == "tab\there"
    assert text.endswith("\r\n")


def test_delete_non_contiguous_rows_and_undo(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(6)
    ids = [ex.id for ex in ds]
    page.set_dataset(ds)
    _select(page, 1, Column.QUESTION)
    _select(page, 4, Column.ANSWER, SEL.Select)
    page.delete_rows()
    assert [ex.id for ex in ds] == [ids[0], ids[2], ids[3], ids[5]]
    page.undo_stack.undo()
    assert [ex.id for ex in ds] == ids


def test_delete_key_clears_cells_undoably(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    _select(page, 0, Column.QUESTION)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert ds[0].question == ""
    page.undo_stack.undo()
    assert ds[0].question == "Question 1?"


def test_find_replace_all_is_one_undo_step(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(4)
    page.set_dataset(ds)
    page.find()
    bar = page.find_bar
    assert bar.isVisible()
    bar.find_edit.setText("answer")
    assert len(bar.matches()) == 4
    assert bar.find_next()
    assert page.table.currentIndex().column() == Column.ANSWER
    bar.replace_edit.setText("Reply")
    assert bar.replace_all() == 4
    assert [ex.answer for ex in ds] == [f"Reply {i}." for i in range(1, 5)]
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert ds[0].answer == "Answer 1."
    bar.match_case.setChecked(True)
    assert bar.matches() == []


def test_system_prompt_typing_merges_into_one_undo(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    qtbot.keyClicks(page.system_prompt_box, "Be nice")
    assert ds.system_prompt == "Be nice"
    assert page.undo_stack.count() == 1
    page.undo_stack.undo()
    assert ds.system_prompt == ""
    assert page.system_prompt_box.toPlainText() == ""


def test_detail_panel_edits_conversation(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(2)
    page.set_dataset(ds)
    _select(page, 1, Column.QUESTION)
    detail = page.detail
    assert detail.example_id == ds[1].id
    detail.add_turn.click()
    assert len(ds[1].messages) == 4
    qtbot.keyClicks(detail._editors[2].text, "Follow-up?")
    assert ds[1].messages[2].content == "Follow-up?"
    assert page.model.data(page.model.index(1, Column.QUESTION)).endswith("(+1 more turns)")
    page.undo_stack.undo()  # the typing
    page.undo_stack.undo()  # the added turn
    assert len(ds[1].messages) == 2


def test_quick_fix_from_checklist_and_undo(qtbot: QtBot, page: DataPage) -> None:
    system_only = Example([Message("system", "You know the family.")])
    ds = Dataset("", [system_only, *make_dataset(10).examples])
    page.set_dataset(ds)
    _wait_checks(qtbot, page)
    fixable = [f for f in page.findings_model.findings() if f.fix is not None]
    assert fixable, page.findings_model.findings()
    finding = next(f for f in fixable if f.row_id == system_only.id)
    # click the painted quick-fix button of that finding
    row = page.findings_model.findings().index(finding)
    view = page.checklist.list
    index = page.findings_model.index(row)
    view.scrollTo(index)
    rect = view.visualRect(index)
    with qtbot.wait_signal(page.checks_finished, timeout=15000):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton,
            pos=rect.bottomRight() - rect.topLeft().__class__(20, 12),
        )
    assert ds.system_prompt == "You know the family."
    assert len(ds) == 10
    assert all(f.row_id != system_only.id for f in page.findings_model.findings())
    page.undo_stack.undo()
    assert ds.system_prompt == ""
    assert ds[0].id == system_only.id


def test_filter_and_search(qtbot: QtBot, page: DataPage) -> None:
    ds = make_dataset(12)
    page.set_dataset(ds)
    page.search_edit.setText("question 1")
    qtbot.waitUntil(lambda: page.view.rowCount() == 4)  # 1, 10, 11, 12
    assert page.table.model().data(page.view.index(1, Column.NUMBER)) == "10"


def test_the_context_opens_projects_and_hears_the_example_count(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    context = AppContext(Settings(), QUndoStack())
    page = DataPage.for_context(context)
    qtbot.addWidget(page)
    assert isinstance(page, DataPage)
    assert page.undo_stack is context.undo_stack
    project = Project.create(tmp_path / "p.tunedesk", make_dataset(4))
    try:
        context.set_project(project)
        assert page.dataset is project.dataset
        assert context.flow_state().examples == 4
        page.add_row()
        with qtbot.wait_signal(context.flow_changed, timeout=15000):
            pass  # the count is reported once the checks ran
        assert context.flow_state().examples == 5
        context.set_project(None)
        assert page.dataset is None
        qtbot.wait(CHECK_DELAY_MS + 100)  # any check still running finds no project
        assert context.flow_state().examples is None  # "no project", not "0 examples"
    finally:
        page.set_dataset(None)
        project.close()


def test_the_edit_menu_reaches_the_page_through_edit(qtbot: QtBot, page: DataPage) -> None:
    assert "add_row" not in page.edit_actions()  # no project: only text editing applies
    ds = make_dataset(2)
    page.set_dataset(ds)
    assert page.edit_actions() == frozenset(EDIT_ACTIONS)
    page.edit("add_row")
    assert len(ds) == 3
    _select(page, 0, Column.QUESTION)  # closes the new row's editor
    page.edit("copy")
    assert QGuiApplication.clipboard().text() == "Question 1?\r\n"  # Excel's TSV
    page.edit("select_all")
    assert {i.row() for i in page.table.selectionModel().selectedIndexes()} == {0, 1, 2}
    page.edit("find")
    assert page.find_bar.isVisible()
