"""The grid shows the examples model directly until a filter or search needs the proxy;
sorting reorders the rows themselves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.ui.models.examples_table_model import Column, FilterMode
from tunedesk.ui.pages.data import DataPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def page(page: DataPage) -> DataPage:
    """The shared Data page (conftest) holding three questions and a multi-turn row."""
    questions = ["banana?", "apple?", "cherry?"]
    examples = [Example.qa(q, f"answer {i}") for i, q in enumerate(questions)]
    examples.append(
        Example([Message("user", "hi"), Message("assistant", "hello"),
                 Message("user", "more?"), Message("assistant", "yes")])
    )
    page.set_dataset(Dataset("", examples))
    return page


def _column(page: DataPage, column: Column) -> list[str]:
    model = page.table.model()
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_unfiltered_unsorted_grid_shows_the_model_itself(page: DataPage) -> None:
    assert page.table.model() is page.model
    assert page.proxy.sourceModel() is None  # detached: bulk loads cost no filter callbacks
    assert _column(page, Column.QUESTION)[:3] == ["banana?", "apple?", "cherry?"]


def test_header_sort_reorders_the_rows_as_one_undo_step(page: DataPage, qtbot: QtBot) -> None:
    ds = page.dataset
    assert ds is not None
    page.table.sortByColumn(Column.QUESTION, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: ds[0].question == "apple?", timeout=5000)
    assert page.table.model() is page.model  # no proxy: the data itself is in order
    assert [ex.question for ex in ds][:3] == ["apple?", "banana?", "cherry?"]
    assert _column(page, Column.NUMBER)[:3] == ["1", "2", "3"]  # row numbers follow
    page.table.sortByColumn(Column.QUESTION, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: ds[0].question == "hi", timeout=5000)
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert [ex.question for ex in ds] == ["banana?", "apple?", "cherry?", "hi"]


def test_sorting_while_filtered_sorts_the_data_and_keeps_the_filter(
    page: DataPage, qtbot: QtBot
) -> None:
    ds = page.dataset
    assert ds is not None
    page.view.set_search("?")
    assert page.table.model() is page.proxy
    page.table.sortByColumn(Column.QUESTION, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: ds[0].question == "apple?", timeout=5000)
    # the multi-turn row matches through its follow-up question "more?"
    assert _column(page, Column.QUESTION) == ["apple?", "banana?", "cherry?", "hi\n(+1 more turns)"]


def test_filter_round_trip_keeps_the_current_row_and_selection_signals(
    page: DataPage, qtbot: QtBot
) -> None:
    page.select_row(3)
    page.view.set_mode(FilterMode.MULTI_TURN)
    assert page.table.model() is page.proxy
    assert page.view.rowCount() == 1
    assert page.view.mapToSource(page.table.currentIndex()).row() == 3
    page.view.set_mode(FilterMode.ALL)
    assert page.table.model() is page.model
    assert page.proxy.sourceModel() is None
    assert page.table.currentIndex().row() == 3
    # the detail panel still follows the (new) selection model after the switch
    page.select_row(1)
    assert page.view.mapToSource(page.table.currentIndex()).row() == 1


def test_search_uses_the_proxy_only_while_text_is_entered(page: DataPage) -> None:
    page.view.set_search("cherry")
    assert page.view.rowCount() == 1
    page.view.set_search("")
    assert page.table.model() is page.model
    assert page.view.rowCount() == 4
