"""ExamplesTableModel: plain asserts, qtmodeltester, signal order (STYLE G8)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from tests.gui.conftest import make_dataset
from tunedesk.core.dataset import Dataset, Example, Message, Split
from tunedesk.core.findings import Finding, Severity
from tunedesk.core.i18n import lazy
from tunedesk.ui.models.examples_table_model import (
    Column,
    ExamplesFilterModel,
    ExamplesTableModel,
    FilterMode,
    FindingsRole,
    RowRole,
    SortRole,
)

D = Qt.ItemDataRole.DisplayRole
E = Qt.ItemDataRole.EditRole


def _model(qtbot: QtBot, dataset: Dataset | None = None) -> tuple[ExamplesTableModel, QUndoStack]:
    stack = QUndoStack()
    model = ExamplesTableModel(stack)
    model.set_dataset(dataset if dataset is not None else make_dataset())
    return model, stack


def test_rows_columns_and_display(qtbot: QtBot) -> None:
    model, _ = _model(qtbot)
    assert model.rowCount() == 5
    assert model.columnCount() == len(Column) == 6
    assert model.headerData(Column.QUESTION, Qt.Orientation.Horizontal) == "Question"
    assert model.data(model.index(0, Column.NUMBER)) == "1"
    assert model.data(model.index(2, Column.QUESTION)) == "Question 3?"
    assert model.data(model.index(2, Column.ANSWER), E) == "Answer 3."
    assert model.data(model.index(0, Column.SPLIT)) == "Auto"
    assert model.data(model.index(0, Column.TOKENS)) == "…"
    ex = model.data(model.index(1, Column.ANSWER), RowRole)
    assert isinstance(ex, Example)
    assert ex.question == "Question 2?"


def test_flags_only_question_answer_split_are_editable(qtbot: QtBot) -> None:
    model, _ = _model(qtbot)
    editable = {
        c for c in Column if model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable
    }
    assert editable == {Column.QUESTION, Column.ANSWER, Column.SPLIT}
    assert not model.setData(model.index(0, Column.TOKENS), "5", E)
    assert not model.setData(model.index(0, Column.QUESTION), "x", D)
    assert not model.setData(model.index(0, Column.SPLIT), "sideways", E)


def test_set_data_is_undoable(qtbot: QtBot) -> None:
    ds = make_dataset()
    model, stack = _model(qtbot, ds)
    with qtbot.wait_signal(model.dataChanged):
        assert model.setData(model.index(1, Column.ANSWER), "New answer", E)
    assert ds[1].answer == "New answer"
    assert model.setData(model.index(1, Column.SPLIT), "validation", E)
    assert ds[1].split == Split.VALIDATION
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert ds[1].answer == "Answer 2."
    assert ds[1].split.value == "auto"
    stack.redo()
    assert ds[1].answer == "New answer"


def test_multi_turn_marker_and_system_only_row(qtbot: QtBot) -> None:
    multi = Example(
        [Message("user", "Hi"), Message("assistant", "Hello"),
         Message("user", "More?"), Message("assistant", "Yes"),
         Message("user", "Again?"), Message("assistant", "Sure")]
    )
    system_only = Example([Message("system", "You are kind.")])
    model, _ = _model(qtbot, Dataset("", [multi, system_only]))
    assert model.data(model.index(0, Column.QUESTION)) == "Hi\n(+2 more turns)"
    assert model.data(model.index(0, Column.QUESTION), E) == "Hi"
    assert model.data(model.index(1, Column.QUESTION)) == "(only a system message)"


def test_report_gives_tokens_status_and_effective_split(qtbot: QtBot) -> None:
    ds = make_dataset(3)
    model, _ = _model(qtbot, ds)
    bad = Finding(Severity.ERROR, "x", lazy.translate("T", "Broken"), row_id=ds[1].id)
    with qtbot.wait_signal(model.dataChanged):
        model.set_report(
            [bad], {ex.id: 10 * (i + 1) for i, ex in enumerate(ds)},
            {ds[0].id: Split.TRAIN, ds[1].id: Split.VALIDATION, ds[2].id: Split.TRAIN},
        )
    assert model.data(model.index(2, Column.TOKENS)) == "30"
    assert model.data(model.index(2, Column.TOKENS), SortRole) == 30
    assert model.data(model.index(1, Column.STATUS)) == "Error"
    assert model.data(model.index(1, Column.STATUS), Qt.ItemDataRole.ToolTipRole) == "• Broken"
    assert model.data(model.index(1, Column.STATUS), FindingsRole) == [bad]
    assert model.data(model.index(0, Column.STATUS)) == ""
    assert model.data(model.index(1, Column.SPLIT)) == "Auto → validation"


def test_qtmodeltester(qtbot: QtBot, qtmodeltester: object) -> None:
    model, _ = _model(qtbot, make_dataset(20))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    proxy = ExamplesFilterModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_signal_order_insert_remove_replace_reset(qtbot: QtBot) -> None:
    ds = make_dataset(3)
    model, _ = _model(qtbot, ds)
    seen: list[tuple[str, int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: seen.append(("inserted", a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: seen.append(("removed", a, b)))
    with qtbot.wait_signals([model.rowsAboutToBeInserted, model.rowsInserted], order="strict"):
        ds.insert(1, [Example.qa("a", "b"), Example.qa("c", "d")])
    assert seen == [("inserted", 1, 2)]
    assert model.data(model.index(1, Column.QUESTION)) == "a"
    with qtbot.wait_signals([model.rowsAboutToBeRemoved, model.rowsRemoved], order="strict"):
        ds.remove(0, 2)
    assert seen[-1] == ("removed", 0, 1)
    with qtbot.wait_signal(model.dataChanged) as changed:
        ds.replace(1, [ds[1].with_answer("z"), ds[2].with_answer("y")])
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), bottom.row()) == (1, 2)
    with qtbot.wait_signals([model.modelAboutToBeReset, model.modelReset], order="strict"):
        ds.reset("", [])
    assert model.rowCount() == 0


def test_filter_modes_and_search(qtbot: QtBot) -> None:
    multi = Example(
        [Message("user", "Hi"), Message("assistant", "Hello"),
         Message("user", "More"), Message("assistant", "Yes")]
    )
    ds = Dataset("", [*make_dataset(4).examples, multi])
    ds.replace(0, [ds[0].copy(split=Split.TRAIN)])
    model, _ = _model(qtbot, ds)
    proxy = ExamplesFilterModel()
    proxy.setSourceModel(model)
    warn = Finding(Severity.WARNING, "w", lazy.translate("T", "Hmm"), row_id=ds[2].id)
    model.set_report([warn], {})
    proxy.set_mode(FilterMode.PROBLEMS)
    assert proxy.rowCount() == 1
    assert proxy.data(proxy.index(0, Column.NUMBER)) == "3"  # dataset row number survives
    proxy.set_mode(FilterMode.ERRORS)
    assert proxy.rowCount() == 0
    proxy.set_mode(FilterMode.TRAIN)
    assert proxy.rowCount() == 1
    proxy.set_mode(FilterMode.MULTI_TURN)
    assert proxy.rowCount() == 1
    proxy.set_mode(FilterMode.ALL)
    proxy.set_search("answer 4")
    assert proxy.rowCount() == 1
    proxy.set_search("")
    # Sorting is done in the data by the Data page: the proxy passes the request on and
    # keeps the source order itself.
    with qtbot.waitSignal(model.sort_requested) as sorted_signal:
        proxy.sort(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    assert sorted_signal.args == [Column.NUMBER, Qt.SortOrder.DescendingOrder]
    assert proxy.data(proxy.index(0, Column.NUMBER)) == "1"
    ordered = model.sorted_examples(Column.NUMBER, Qt.SortOrder.DescendingOrder)
    assert [ex.id for ex in ordered] == [ex.id for ex in reversed(ds.examples)]
    assert proxy.index(0, 0).parent() == QModelIndex()
