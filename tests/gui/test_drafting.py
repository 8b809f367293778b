"""Draft from documents and Paraphrase on the Data page, driven like a person would, through
the emulator and the real openai client.

The emulator answers a drafting prompt from the passage it is sent (each pair's answer is
one sentence of the passage, the question names the source) and a paraphrase prompt with
fixed rewordings, so these tests assert on content: which file, which page, which sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.azure_emulator.server import Emulator
from tests.gui.test_chat_page import base_model_on_resource
from tests.gui.test_model_and_train_pages import WAIT
from tests.helpers.documents import make_docx, make_pdf, make_scanned_pdf
from tunedesk.core.dataset import Example, OriginKind, Split
from tunedesk.core.export import plan_split
from tunedesk.core.flow import Step
from tunedesk.core.project import Project
from tunedesk.core.samples import sample_dataset
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.models.examples_table_model import FilterMode
from tunedesk.ui.pages.data.drafting import DraftDialog
from tunedesk.ui.pages.data.page import DataPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HANDBOOK_PAGES = [
    [
        "# Leave",
        "Every employee has 25 days of paid leave a year. Unused days expire in March.",
    ],
    [
        "# Travel",
        "Train journeys over four hours may be booked in first class. Taxis need a receipt.",
    ],
]
POLICY = [
    ("Heading1", "Expenses"),
    ("Normal", "Meals on business trips are paid up to 40 euros a day. Alcohol is not paid."),
]
CHINESE_MD = "# 年假\n\n每位员工每年有二十五天带薪年假。未休的年假在三月作废。\n"


def documents(folder: Path) -> list[Path]:
    pdf = folder / "Handbook.pdf"
    pdf.write_bytes(make_pdf(HANDBOOK_PAGES))
    docx = folder / "Expenses policy.docx"
    docx.write_bytes(make_docx(POLICY))
    md = folder / "员工手册.md"
    md.write_text(CHINESE_MD, encoding="utf-8")
    return [pdf, docx, md]


def data_page(qtbot: QtBot, win: MainWindow) -> DataPage:
    win.go_to(Step.DATA)
    page = win.page(Step.DATA)
    assert isinstance(page, DataPage)
    qtbot.waitUntil(lambda: win.current_page() is page, timeout=WAIT)
    return page


def open_drafting(qtbot: QtBot, page: DataPage) -> DraftDialog:
    qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    dialog = page._draft_dialog
    assert isinstance(dialog, DraftDialog)
    qtbot.waitExposed(dialog)
    return dialog


def read(qtbot: QtBot, dialog: DraftDialog, paths: list[Path]) -> None:
    dialog.add_documents(paths)
    qtbot.waitUntil(lambda: all(d.chunks is not None for d in dialog._documents), timeout=WAIT)


def ready_to_draft(
    qtbot: QtBot, win: MainWindow, emulator: Emulator, folder: Path
) -> DraftDialog:
    """A deployment online, the dialog open with the three documents read, a pair each."""
    base_model_on_resource(qtbot, win, emulator)
    dialog = open_drafting(qtbot, data_page(qtbot, win))
    read(qtbot, dialog, documents(folder))
    dialog.count.setValue(1)
    return dialog


def finished(qtbot: QtBot, dialog: DraftDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=WAIT)


def select_rows(page: DataPage, rows: list[int]) -> None:
    """The first row current, and the others added to the selection (Ctrl+click)."""
    page.select_row(rows[0])
    selection = page.table.selectionModel()
    for row in rows[1:]:
        selection.select(
            page.view.mapFromSource(page.model.index(row, 0)),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def drafts(win: MainWindow) -> list[Example]:
    assert win.project is not None
    return [ex for ex in win.project.dataset if ex.draft]


# ----------------------------------------------------------------------------- documents
def test_a_pdf_a_docx_and_chinese_markdown_become_draft_rows_with_their_sources(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    win = emulator_window
    base_model_on_resource(qtbot, win, azure_emulator)
    page = data_page(qtbot, win)
    before = len(page.dataset or [])
    dialog = open_drafting(qtbot, page)
    assert not dialog.note.isVisible()  # a deployment is online: nothing is missing
    read(qtbot, dialog, documents(tmp_path))
    assert "Handbook.pdf: 2 passages on 2 pages" in dialog.files.item(0).text()
    qtbot.waitUntil(lambda: "tokens in" in dialog.estimate.text(), timeout=WAIT)
    assert dialog.start.isEnabled()
    dialog.count.setValue(2)
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    finished(qtbot, dialog)
    assert "Done" in dialog.status.text()
    assert "Tokens used" in dialog.estimate.text()
    assert dialog.files.item(0).text().endswith("· drafted")
    assert not dialog.start.isEnabled()  # the same documents are not drafted twice

    rows = drafts(win)
    assert win.project is not None
    assert len(win.project.dataset) == before + len(rows)
    by_source: dict[str, list[Example]] = {}
    for row in rows:
        assert row.origin is not None
        assert row.origin.kind == OriginKind.DOCUMENT
        by_source.setdefault(row.origin.source, []).append(row)
    assert set(by_source) == {"Handbook.pdf", "Expenses policy.docx", "员工手册.md"}
    # grounded: each answer is a sentence of the passage it came from, on its page
    leave = [r for r in by_source["Handbook.pdf"] if r.origin and r.origin.page == 1]
    assert [r.answer for r in leave] == [
        "Every employee has 25 days of paid leave a year.",
        "Unused days expire in March.",
    ]
    assert all("Handbook.pdf" in r.question for r in leave)
    travel = [r for r in by_source["Handbook.pdf"] if r.origin and r.origin.page == 2]
    assert travel
    assert "first class" in travel[0].answer
    assert "40 euros" in by_source["Expenses policy.docx"][0].answer
    chinese = by_source["员工手册.md"]
    assert chinese[0].answer == "每位员工每年有二十五天带薪年假。"
    assert "员工手册" in chinese[0].question
    assert "怎么说" in chinese[0].question

    # the table: flagged, filtered, reviewed in the detail panel
    qtbot.waitUntil(lambda: page.drafts_bar.isVisible(), timeout=WAIT)
    assert str(len(rows)) in page.drafts_bar.label.text()
    page.drafts_bar.only_drafts.setChecked(True)
    qtbot.waitUntil(lambda: page.proxy.mode == FilterMode.DRAFTS, timeout=WAIT)
    qtbot.waitUntil(lambda: page.table.model().rowCount() == len(rows), timeout=WAIT)
    first_row = win.project.dataset.index_of(leave[0].id)
    assert first_row is not None
    page.select_row(first_row)
    detail = page.detail
    qtbot.waitUntil(lambda: detail.origin_box.isVisible(), timeout=WAIT)
    assert "Handbook.pdf, page 1" in detail.origin_title.text()
    assert "25 days of paid leave" in detail.origin_text.toPlainText()
    assert detail.accept_draft.isVisible()
    qtbot.waitUntil(
        lambda: "drafts_to_review" in [f.code for f in page.findings_model.findings()],
        timeout=WAIT,
    )

    qtbot.mouseClick(detail.accept_draft, Qt.MouseButton.LeftButton)
    accepted = win.project.dataset[first_row]
    assert not accepted.draft
    assert accepted.origin == leave[0].origin  # the source is kept
    assert "Reviewed" in detail.origin_title.text()
    assert not detail.accept_draft.isVisible()
    win.context.undo_stack.undo()
    assert win.project.dataset[first_row].draft

    # bulk: reject two selected drafts, then undo brings them back
    page.drafts_bar.only_drafts.setChecked(False)
    qtbot.waitUntil(lambda: page.proxy.mode == FilterMode.ALL, timeout=WAIT)
    last = len(win.project.dataset) - 1
    select_rows(page, [last - 1, last])
    assert page.drafts_bar.reject_selected.isEnabled()
    qtbot.mouseClick(page.drafts_bar.reject_selected, Qt.MouseButton.LeftButton)
    assert len(drafts(win)) == len(rows) - 2
    win.context.undo_stack.undo()
    assert len(drafts(win)) == len(rows)
    dialog.close()


def test_a_file_without_text_gets_its_own_message_and_the_others_still_draft(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    win = emulator_window
    base_model_on_resource(qtbot, win, azure_emulator)
    page = data_page(qtbot, win)
    dialog = open_drafting(qtbot, page)
    scan = tmp_path / "Scanned contract.pdf"
    scan.write_bytes(make_scanned_pdf())
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK\x03\x04 not really")
    notes = tmp_path / "notes.txt"
    notes.write_text("The office opens at eight. It closes at six.", encoding="utf-8")
    read(qtbot, dialog, [scan, odd, notes])
    texts = [dialog.files.item(i).text() for i in range(dialog.files.count())]
    assert "Scanned contract.pdf" in texts[0]
    assert "scan" in texts[0].lower()
    assert "slides.pptx" in texts[1]
    assert ".docx" in texts[1]
    assert texts[2] == "notes.txt: 1 passage"
    qtbot.waitUntil(dialog.start.isEnabled, timeout=WAIT)
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    finished(qtbot, dialog)
    answers = sorted(r.answer for r in drafts(win))
    assert answers == ["It closes at six.", "The office opens at eight."]
    dialog.close()


def test_without_a_deployment_the_dialog_says_what_is_needed_and_the_table_still_works(
    qtbot: QtBot, emulator_window: MainWindow, tmp_path: Path
) -> None:
    win = emulator_window
    page = data_page(qtbot, win)
    dialog = open_drafting(qtbot, page)
    assert dialog.note.isVisible()
    assert "sign in" in dialog.note.text.lower()
    read(qtbot, dialog, documents(tmp_path)[:1])  # reading documents works offline
    assert "2 passages" in dialog.files.item(0).text()
    assert not dialog.start.isEnabled()
    dialog.close()
    before = len(page.dataset or [])
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert len(page.dataset or []) == before + 1


def test_documents_dropped_on_the_window_open_drafting_and_data_files_still_import(
    qtbot: QtBot, emulator_window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    win = emulator_window
    pdf = documents(tmp_path)[0]
    faq = tmp_path / "faq.csv"
    faq.write_text("question,answer\nWhere do we live?,Beijing\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf)), QUrl.fromLocalFile(str(faq))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.set_project(Project.create(tmp_path / "drop.tunedesk"))  # empty: no Add/Replace
    assert win.project is not None
    before = len(win.project.dataset)
    win.dropEvent(event)
    page = win.page(Step.DATA)
    assert isinstance(page, DataPage)
    qtbot.waitUntil(lambda: len(win.project.dataset) == before + 1, timeout=WAIT)
    dialog = page._draft_dialog
    assert isinstance(dialog, DraftDialog)
    qtbot.waitUntil(lambda: all(d.chunks is not None for d in dialog._documents), timeout=WAIT)
    assert [d.path for d in dialog._documents] == [pdf]
    assert dialog.files.item(0).text() == "Handbook.pdf: 2 passages on 2 pages"
    dialog.close()


# ----------------------------------------------------------------------------- resilience
def test_a_429_storm_and_a_dropped_stream_lose_no_passage(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    win = emulator_window
    record = base_model_on_resource(qtbot, win, azure_emulator)
    page = data_page(qtbot, win)
    dialog = open_drafting(qtbot, page)
    read(qtbot, dialog, documents(tmp_path))
    dialog.count.setValue(1)
    # more 429s in a row than the chat client retries: the queue itself waits and asks again
    azure_emulator.openai.fail_chat(record.name, "429", times=6, seconds=0.2)
    waits: list[str] = []
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.wait.isVisible(), timeout=WAIT)
    waits.append(dialog.wait.text())
    assert "Azure is busy" in waits[0]
    # then the line goes dead in the middle of a streamed answer
    azure_emulator.openai.stream_delay = 0.02
    qtbot.waitUntil(lambda: len(drafts(win)) >= 1, timeout=WAIT)
    azure_emulator.proxy.close_connections()
    finished(qtbot, dialog)
    assert "Done" in dialog.status.text()
    sources = sorted((r.origin.source, r.origin.page) for r in drafts(win) if r.origin)
    assert sources == sorted(
        [("Handbook.pdf", 1), ("Handbook.pdf", 2), ("Expenses policy.docx", None),
         ("员工手册.md", None)]
    )


def test_a_stopped_run_resumes_after_reopening_with_no_passage_twice(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator, tmp_path: Path
) -> None:
    win = emulator_window
    dialog = ready_to_draft(qtbot, win, azure_emulator, tmp_path)
    azure_emulator.openai.stream_delay = 0.2  # slow enough to stop after the first passages
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(drafts(win)) >= 1, timeout=WAIT)
    qtbot.mouseClick(dialog.stop, Qt.MouseButton.LeftButton)
    finished(qtbot, dialog)
    assert "Stopped" in dialog.status.text()
    partial = len(drafts(win))
    assert 1 <= partial < 4
    dialog.close()
    azure_emulator.openai.stream_delay = 0.0

    # TuneDesk closes and the project opens again: the stopped run is in it
    assert win.project is not None
    path = win.project.path
    win.set_project(Project.create(tmp_path / "Other.tunedesk", sample_dataset("en")))
    task = win.open_project(path)
    qtbot.waitUntil(task.done, timeout=WAIT)
    assert win.project.path == path
    assert len(drafts(win)) == partial
    page = data_page(qtbot, win)
    again = open_drafting(qtbot, page)
    assert again.resume_note.isVisible()
    assert again.resume_button.isVisible()
    assert f"after {partial} of 4 passages" in again.resume_note.text
    qtbot.mouseClick(again.resume_button, Qt.MouseButton.LeftButton)
    finished(qtbot, again)
    rows = drafts(win)
    chunks = [r.origin.chunk for r in rows if r.origin]
    assert len(chunks) == 4
    assert len(set(chunks)) == 4  # every passage once
    again.close()
    assert open_drafting(qtbot, page).resume_note.isHidden()  # the finished run is gone


def test_stop_lands_the_drafts_gathered_so_far_with_their_progress_as_one_undo_step(
    qtbot: QtBot,
    emulator_window: MainWindow,
    azure_emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Drafts are gathered for FLUSH_MS before they land: Stop lands what arrived at once,
    the stored run counts exactly those passages as done, and one undo takes them away."""
    from tunedesk.core.drafting import latest_unfinished_run
    from tunedesk.ui.pages.data import drafting

    monkeypatch.setattr(drafting, "FLUSH_MS", 600_000)  # nothing lands by itself here
    monkeypatch.setattr(azure_emulator.openai, "stream_delay", 0.2)
    win = emulator_window
    dialog = ready_to_draft(qtbot, win, azure_emulator, tmp_path)
    steps = win.context.undo_stack.count()
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=WAIT)
    assert drafts(win) == []  # gathered, not in the table yet
    qtbot.mouseClick(dialog.stop, Qt.MouseButton.LeftButton)
    landed = drafts(win)
    assert 1 <= len(landed) < 4
    assert f"Stopped: {len(landed)} drafts" in dialog.status.text()
    assert win.context.undo_stack.count() == steps + 1
    assert win.project is not None
    run = latest_unfinished_run(win.project)
    assert run is not None
    assert run.done == {r.origin.chunk for r in landed if r.origin}
    finished(qtbot, dialog)
    win.context.undo_stack.undo()
    assert drafts(win) == []
    dialog.close()


# ----------------------------------------------------------------------------- paraphrase
def test_paraphrases_land_under_their_question_as_drafts_and_the_split_keeps_them_together(
    qtbot: QtBot, emulator_window: MainWindow, azure_emulator: Emulator
) -> None:
    win = emulator_window
    base_model_on_resource(qtbot, win, azure_emulator)
    page = data_page(qtbot, win)
    assert win.project is not None
    dataset = win.project.dataset
    originals = [dataset[0], dataset[3]]
    select_rows(page, [0, 3])
    assert page.paraphrase_action in page.draft_button.menu().actions()
    assert page.paraphrase_action in page.table.actions()  # the grid's right-click menu
    page.paraphrase_action.trigger()
    dialog = page._draft_dialog
    assert isinstance(dialog, DraftDialog)
    assert dialog.files.count() == 2
    dialog.count.setValue(3)
    qtbot.waitUntil(dialog.start.isEnabled, timeout=WAIT)
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    finished(qtbot, dialog)
    assert not dialog.start.isEnabled()  # rephrased once: not asked again
    for original in originals:
        row = dataset.index_of(original.id)
        assert row is not None
        assert dataset[row].group == original.id
        following = [dataset[row + n] for n in range(1, 4)]
        assert all(r.draft and r.group == original.id for r in following)
        assert all(r.answer == original.answer for r in following)
        assert all(original.question in r.question for r in following)
        assert len({r.question for r in following}) == 3
    plan = plan_split(dataset, 0.3)
    for original in originals:
        sides = {plan[ex.id] for ex in dataset if ex.group == original.id}
        assert len(sides) == 1
        assert sides <= {Split.TRAIN, Split.VALIDATION}
    win.context.undo_stack.undo()  # one question's rephrasings go, and its group with them
    groups = []
    for original in originals:
        row = dataset.index_of(original.id)
        assert row is not None
        groups.append(dataset[row].group)
    assert sorted(groups, key=bool) == ["", next(g for g in groups if g)]
    assert sum(1 for ex in dataset if ex.draft) == 3
    dialog.close()


# ----------------------------------------------------------------------------- training
def test_model_and_settings_refuses_unreviewed_drafts_until_included_or_reviewed(
    qtbot: QtBot, emulator_window: MainWindow
) -> None:
    from tests.gui.test_model_and_train_pages import choose_place
    from tunedesk.ui.pages.model import ModelPage

    win = emulator_window
    assert win.project is not None
    dataset = win.project.dataset
    dataset.append([Example.qa(f"Drafted {i}?", f"Answer {i}.", draft=True) for i in range(3)])
    choose_place(qtbot, win, "Family project")
    win.go_to(Step.MODEL)
    page = win.page(Step.MODEL)
    assert isinstance(page, ModelPage)
    preflight = page.preflight
    qtbot.waitUntil(lambda: preflight.include_drafts.isVisible(), timeout=WAIT)
    assert [i.key for i in preflight.failing()] == ["drafts"]
    item = preflight.findChild(QLabel, "check_drafts")
    assert item is not None
    assert "3 rows a model drafted" in item.text()
    preflight.confirm.setChecked(True)
    assert not preflight.start.isEnabled()

    preflight.include_drafts.setChecked(True)
    qtbot.waitUntil(preflight.ready, timeout=WAIT)
    assert preflight.start.isEnabled()
    preflight.include_drafts.setChecked(False)
    qtbot.waitUntil(lambda: not preflight.ready(), timeout=WAIT)

    # reviewed on the Data page: the item passes and the choice is not offered any more
    first = len(dataset) - 3
    dataset.replace(first, [ex.copy(draft=False) for ex in list(dataset)[first:]])
    win.go_to(Step.DATA)
    win.go_to(Step.MODEL)
    qtbot.waitUntil(preflight.ready, timeout=WAIT)
    assert not preflight.include_drafts.isVisible()
