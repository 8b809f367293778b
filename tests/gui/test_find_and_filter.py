"""Find, search and filters through the real Data page widgets: results are computed on a
worker and applied to the grid without losing the current cell."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.ui.models.examples_table_model import Column, ExamplesFilterModel, FilterMode
from tunedesk.ui.pages.data import DataPage
from tunedesk.ui.widgets.find_replace_bar import FindReplaceBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _dataset() -> Dataset:
    return Dataset(
        "",
        [
            Example.qa("What time is dinner?", "At six."),  # 0
            Example.qa("晚饭几点？", "六点。"),  # 1: full-width question mark
            Example.qa("Who walks the dog", "Dad walks the dog."),  # 2: no question mark
            Example.qa("Where is the cat?", "Under the table."),  # 3
            Example(  # 4: multi-turn
                [
                    Message("user", "Hi"),
                    Message("assistant", "Hello"),
                    Message("user", "Bye?"),
                    Message("assistant", "Bye"),
                ]
            ),
        ],
    )


def _current(page: DataPage) -> tuple[int, int]:
    src = page.view.mapToSource(page.table.currentIndex())
    return src.row(), src.column()


def _make_current(page: DataPage, row: int, column: Column = Column.QUESTION) -> None:
    index = page.view.mapFromSource(page.model.index(row, column))
    page.table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


# ---------------------------------------------------------------------------- find bar
def _finding_cat(qtbot: QtBot, page: DataPage) -> tuple[Dataset, FindReplaceBar]:
    """The find bar open on the test data with "cat" counted (row 3's question)."""
    ds = _dataset()
    page.set_dataset(ds)
    page.find()
    bar = page.find_bar
    bar.find_edit.setText("cat")
    qtbot.waitUntil(lambda: bar.count_label.text() == "1 matches", timeout=5000)
    return ds, bar


def test_find_counts_on_a_worker_and_folds_full_width_forms(qtbot: QtBot, page: DataPage) -> None:
    page.set_dataset(_dataset())
    page.find()
    bar = page.find_bar
    qtbot.keyClicks(bar.find_edit, "?")
    # 0, 1 (？), 3, and 4, whose follow-up question is "Bye?"
    qtbot.waitUntil(lambda: bar.count_label.text() == "4 matches", timeout=5000)
    assert [row for row, _col in bar.matches()] == [0, 1, 3, 4]
    bar.match_case.setChecked(True)
    qtbot.waitUntil(lambda: bar.count_label.text() == "3 matches", timeout=5000)


def test_a_jump_asked_for_while_counting_happens_when_the_count_is_ready(
    qtbot: QtBot, page: DataPage
) -> None:
    page.set_dataset(_dataset())
    page.find()
    bar = page.find_bar
    bar.find_edit.setText("dog")
    assert bar.find_next() is False  # not counted yet: no wait on the UI thread
    qtbot.waitUntil(lambda: _current(page) == (2, Column.QUESTION), timeout=5000)
    assert bar.count_label.text() == "1 of 2"
    assert bar.find_next()
    assert _current(page) == (2, Column.ANSWER)
    assert bar.find_next()  # wraps around
    assert _current(page) == (2, Column.QUESTION)
    assert bar.find_previous()
    assert _current(page) == (2, Column.ANSWER)


def test_edits_keep_the_count_current_without_recounting_everything(
    qtbot: QtBot, page: DataPage
) -> None:
    ds, bar = _finding_cat(qtbot, page)
    generation = bar._generation
    page.model.setData(page.model.index(0, Column.ANSWER), "The cat brings it.")
    assert bar._generation == generation  # the edited row was re-matched, nothing dropped
    qtbot.waitUntil(lambda: bar.count_label.text() == "2 matches", timeout=5000)
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: bar.count_label.text() == "1 matches", timeout=5000)
    ds.remove(3, 1)  # the matching row goes (a data change not made in the grid)
    qtbot.waitUntil(lambda: bar.count_label.text() == "No matches", timeout=5000)


def test_find_skips_rows_a_filter_hides(qtbot: QtBot, page: DataPage) -> None:
    page.set_dataset(_dataset())
    page.view.set_mode(FilterMode.MULTI_TURN)
    page.find()
    bar = page.find_bar
    bar.find_edit.setText("e")  # in nearly every row; only row 4 is shown
    assert len(bar.matches()) > 2
    assert bar.find_next()
    assert _current(page) == (4, Column.QUESTION)  # the follow-up "Bye?"
    assert bar.count_label.text() == "1 of 2"
    assert bar.find_next()
    assert _current(page) == (4, Column.ANSWER)  # "Hello"
    assert bar.count_label.text() == "2 of 2"


def test_replace_all_replaces_both_widths_in_one_undo_step(qtbot: QtBot, page: DataPage) -> None:
    ds = _dataset()
    page.set_dataset(ds)
    page.find(replace=True)
    bar = page.find_bar
    bar.find_edit.setText("?")
    bar.replace_edit.setText("!")
    assert bar.replace_all() == 4
    assert [ex.question for ex in ds][:4] == [
        "What time is dinner!",
        "晚饭几点!",
        "Who walks the dog",
        "Where is the cat!",
    ]
    assert page.undo_stack.count() == 1
    assert ds[4].messages[2].content == "Bye!"  # the follow-up question too
    page.undo_stack.undo()
    assert ds[1].question == "晚饭几点？"
    assert ds[4].messages[2].content == "Bye?"


# ---------------------------------------------------------------------------- filters
def test_typing_a_search_filters_on_a_worker_and_keeps_the_current_row(
    qtbot: QtBot, page: DataPage
) -> None:
    page.set_dataset(_dataset())
    _make_current(page, 3, Column.ANSWER)
    page.search_edit.insert("？")  # full-width (typed through the input method): both widths
    qtbot.waitUntil(lambda: page.table.model() is page.proxy, timeout=5000)
    assert page.proxy.source_rows() == [0, 1, 3, 4]
    assert _current(page) == (3, Column.ANSWER)
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.table.model() is page.model, timeout=5000)
    assert _current(page) == (3, Column.ANSWER)


def test_the_show_box_filters_and_a_later_search_narrows_it(qtbot: QtBot, page: DataPage) -> None:
    page.set_dataset(_dataset())
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(int(FilterMode.MULTI_TURN)))
    qtbot.waitUntil(lambda: page.view.rowCount() == 1, timeout=5000)
    page.search_edit.setText("nothing like this")
    qtbot.waitUntil(lambda: page.view.rowCount() == 0, timeout=5000)
    assert page.proxy.mode == FilterMode.MULTI_TURN  # the search kept the box's filter


def test_overlapping_filter_requests_end_with_the_latest(qtbot: QtBot, page: DataPage) -> None:
    page.set_dataset(_dataset())
    loop = asyncio.get_event_loop()
    first = loop.create_task(page.view.filter(search="dinner"))
    second = loop.create_task(page.view.filter(search="cat"))
    qtbot.waitUntil(lambda: first.done() and second.done(), timeout=5000)
    assert page.proxy.search == "cat"
    assert page.proxy.source_rows() == [3]


def test_selecting_a_hidden_row_clears_the_filter(qtbot: QtBot, page: DataPage) -> None:
    page.set_dataset(_dataset())
    page.search_edit.setText("cat")
    qtbot.waitUntil(lambda: page.view.rowCount() == 1, timeout=5000)
    page.select_row(1)
    assert page.table.model() is page.model
    assert page.search_edit.text() == ""
    assert _current(page)[0] == 1
    qtbot.wait(300)  # the cleared search box must not bring the filter back
    assert page.table.model() is page.model


def test_filtered_rows_follow_inserts_and_removals(qtbot: QtBot, qtmodeltester: object) -> None:
    from PySide6.QtGui import QUndoStack

    from tunedesk.ui.models.examples_table_model import ExamplesTableModel

    ds = _dataset()
    model = ExamplesTableModel(QUndoStack())
    model.set_dataset(ds)
    proxy = ExamplesFilterModel()
    proxy.setSourceModel(model)
    proxy.set_search("?")
    assert proxy.source_rows() == [0, 1, 3, 4]
    ds.insert(1, [Example.qa("New?", "Yes."), Example.qa("No mark", "No.")])
    assert proxy.source_rows() == [0, 1, 3, 5, 6]  # the new match in place, the rest moved
    assert proxy.data(proxy.index(3, Column.NUMBER)) == "6"
    assert proxy.data(proxy.index(1, Column.QUESTION)) == "New?"
    ds.remove(0, 2)
    assert proxy.source_rows() == [1, 3, 4]
    assert [proxy.data(proxy.index(r, Column.QUESTION)) for r in range(2)] == [
        "晚饭几点？",
        "Where is the cat?",
    ]
    assert proxy.mapFromSource(model.index(0, Column.QUESTION)).isValid() is False
    assert proxy.mapFromSource(model.index(3, Column.ANSWER)).row() == 1
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == "#"
    # The structure is sound afterwards. (The tester cannot watch the inserts themselves:
    # the # column shows each row's position in the data, which an insert above changes.)
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_an_edit_while_the_text_changes_never_spoils_an_older_count(
    qtbot: QtBot, page: DataPage
) -> None:
    _ds, bar = _finding_cat(qtbot, page)
    bar.find_edit.setText("dog")  # its count has not run yet
    page.model.setData(page.model.index(0, Column.QUESTION), "Is my cat here?")
    bar.find_edit.setText("cat")  # back to the text counted before the edit
    assert [row for row, _col in bar.matches()] == [0, 3]
