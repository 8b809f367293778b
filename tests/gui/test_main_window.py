"""The main window: steps, honest unavailable pages, menus, projects open/save/new."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from tunedesk.core import flow
from tunedesk.core.project import Project
from tunedesk.core.samples import open_or_create_sample
from tunedesk.core.settings import Settings, load_settings
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.step_page import UnavailableStepPage


@pytest.fixture
def window(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop) -> MainWindow:
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.ensure_pages()  # as the start-up does right after the first paint
    return win


def _wait_project(qtbot: QtBot, win: MainWindow, task: asyncio.Task[object]) -> None:
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.exception() is None


def test_the_shell_paints_first_and_the_data_page_follows(qtbot: QtBot) -> None:
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    assert flow.Step.DATA not in win._step_pages  # nothing of the Data page before first paint
    assert win.menuBar().actions() == []
    page = win.ensure_pages()
    assert win.ensure_pages() is page
    assert win.pages.currentWidget() is page
    assert [a.text() for a in win.menuBar().actions()] == ["&File", "&Edit", "&View", "&Help"]


def test_sidebar_lists_the_six_steps_and_data_is_current(window: MainWindow) -> None:
    assert window.sidebar.count() == 6
    assert window.pages.currentWidget() is window.data_page
    texts = [window.sidebar.item(i).text() for i in range(6)]
    assert texts[0].startswith("1  Sign in")
    assert texts[5].startswith("6  Chat & check")


def test_every_step_has_its_page_and_nothing_says_not_available() -> None:
    from tunedesk.ui.pages import page_class

    for info in flow.STEPS:
        assert info.available
        assert page_class(info.step) is not None, info.step


def test_menus_have_standard_actions_and_shortcuts(window: MainWindow) -> None:
    actions = {
        a.text().replace("&", ""): a for a in window.findChildren(type(window.save_as_action))
    }
    expected = {
        "New project": QKeySequence.StandardKey.New,
        "Open project…": QKeySequence.StandardKey.Open,
        "Quit": QKeySequence.StandardKey.Quit,
        "Copy": QKeySequence.StandardKey.Copy,
        "Paste": QKeySequence.StandardKey.Paste,
        "Find and replace…": QKeySequence.StandardKey.Find,
    }
    for text, key in expected.items():
        assert text in actions, text
        assert actions[text].shortcut() == QKeySequence(key), text
    for text in (
        "Save project as…",
        "Import data…",
        "Export training files…",
        "Undo",
        "Redo",
        "Cut",
        "Delete rows",
        "About TuneDesk",
        "Open recent",
    ):
        assert any(t.startswith(text) for t in actions) or text == "Open recent", text


def test_open_sample_new_and_save_as(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = open_or_create_sample("en")
    window.set_project(project)
    assert window.data_page.isEnabled()
    assert len(project.dataset) >= 50
    assert "Family sample" in window.windowTitle()

    task = window.new_project()
    _wait_project(qtbot, window, task)
    assert window.project is not None
    assert window.project.is_scratch
    assert len(window.project.dataset) == 0
    assert "not saved to a folder yet" in window.windowTitle()

    target = tmp_path / "My data"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    scratch_path = window.project.path
    window.save_as_dialog()
    qtbot.waitUntil(
        lambda: window.project is not None and not window.project.is_scratch, timeout=10_000
    )
    assert window.project.path == target.with_suffix(".tunedesk")
    assert window.project.path.exists()
    assert not scratch_path.exists()
    qtbot.waitUntil(lambda: window.windowTitle() == "My data — TuneDesk", timeout=10_000)
    window.close()
    assert str(target.with_suffix(".tunedesk")) in load_settings().recent_projects


def test_open_project_reports_a_broken_file_without_crashing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("tunedesk.ui.ops.show_error", lambda _parent, err: shown.append(str(err)))
    bad = tmp_path / "broken.tunedesk"
    bad.write_bytes(b"this is not a database")
    before = window.project
    task = window.open_project(bad)
    qtbot.waitUntil(task.done, timeout=10_000)
    assert shown
    assert "broken.tunedesk" in shown[0]
    assert window.project is before


def test_edits_survive_reopening(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    from tunedesk.core.dataset import Example

    path = tmp_path / "p.tunedesk"
    window.set_project(Project.create(path))
    assert window.project is not None
    window.project.dataset.append([Example.qa("Where do we live?", "In Beijing.")])
    window.close()
    reopened = Project.open(path)
    try:
        assert [ex.question for ex in reopened.dataset] == ["Where do we live?"]
    finally:
        reopened.close()


def test_unsaved_work_is_reopened_and_empty_unsaved_projects_are_not_left_behind(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop
) -> None:
    from tunedesk.core.dataset import Example

    settings = Settings()
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.set_project(Project.create_scratch())
    assert win.project is not None
    kept = win.project.path
    win.project.dataset.append([Example.qa("Who is the eldest?", "JIM.")])
    win.close()
    assert load_settings().recent_projects[0] == str(kept)  # the next start opens it
    assert kept.exists()

    win2 = MainWindow(load_settings())
    qtbot.addWidget(win2)
    win2.set_project(Project.create_scratch())
    assert win2.project is not None
    empty = win2.project.path
    win2.close()
    assert not empty.exists()
    assert str(empty) not in load_settings().recent_projects
    assert load_settings().recent_projects[0] == str(kept)


def test_dropping_a_data_file_on_the_window_imports_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window.set_project(Project.create(tmp_path / "drop.tunedesk"))
    data = tmp_path / "faq.csv"
    data.write_text("question,answer\nWhere do we live?,Beijing\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(data))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.project is not None
    dataset = window.project.dataset
    qtbot.waitUntil(lambda: len(dataset) == 1, timeout=10_000)
    assert dataset[0].answer == "Beijing"


def test_language_menu_is_one_choice_applied_at_once_and_remembered(
    window: MainWindow, qapp: QApplication
) -> None:
    from tunedesk.ui.i18n import install_translators

    actions = window.language_group.actions()
    assert [a.text() for a in actions] == ["Follow the system", "English", "简体中文"]
    assert window.language_group.isExclusive()
    try:
        actions[2].trigger()
        assert [a.isChecked() for a in actions] == [False, False, True]
        assert load_settings().language == "zh_CN"
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles[0] == "文件(&F)", titles  # no restart needed
        assert window.sidebar.item(1).text().endswith("数据")
        assert window.data_page.add_button.text() == "添加问题"
        actions[1].trigger()
        assert window.menuBar().actions()[0].text() == "&File"
        assert window.data_page.add_button.text() == "Add question"
        assert load_settings().language == "en"
    finally:
        install_translators(qapp, "en")


def test_steps_after_data_say_what_they_wait_for(window: MainWindow) -> None:
    model_row = window._step_rows[flow.Step.MODEL]
    item = window.sidebar.item(model_row)
    assert "Sign in first" in item.toolTip()
    window.go_to(flow.Step.MODEL)
    page = window.pages.currentWidget()
    assert isinstance(page, UnavailableStepPage)
    texts = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Sign in first (step 1)" in texts
    assert "Not available yet" not in texts  # built, only blocked until signed in
    assert window.current_page() is None  # no Edit-menu target on a note
    # Sign in and Data are never blocked, and are real pages.
    for step in (flow.Step.SIGN_IN, flow.Step.DATA):
        window.go_to(step)
        current = window.current_page()
        assert current is not None
        assert current.step is step
        assert window.sidebar.item(window._step_rows[step]).toolTip() == str(
            flow.info(step).summary
        )


def test_status_bar_says_who_is_signed_in(window: MainWindow) -> None:
    assert window._cloud_status.text() == "Not signed in"
    window.context.set_offline(True)
    assert window._cloud_status.text().startswith("Offline")
    assert "Data page works offline" in window._cloud_status.text()


def test_the_edit_menu_acts_on_the_page_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to(flow.Step.SIGN_IN)
    page = window.sign_in_page
    assert window.current_page() is page
    page.choices.advanced_toggle.click()
    field = page.choices.sp_tenant
    field.setText("tenant-id")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    window._update_edit_actions()
    assert window._actions["select_all"].isEnabled()
    assert not window._actions["add_row"].isEnabled()  # the Data page's, not here
    window._actions["select_all"].trigger()
    window._actions["copy"].trigger()
    assert QApplication.clipboard().text() == "tenant-id"
    window.go_to(flow.Step.DATA)
    window._update_edit_actions()
    assert not window._actions["add_row"].isEnabled()  # no project open yet
    _wait_project(qtbot, window, window.new_project())
    window._update_edit_actions()
    assert all(window._actions[n].isEnabled() for n in ("add_row", "find", "delete_rows"))
    window._actions["add_row"].trigger()
    assert window.project is not None
    assert len(window.project.dataset) == 1


def test_opening_a_later_page_leaves_the_data_page_as_it_is(
    qtbot: QtBot, window: MainWindow
) -> None:
    _wait_project(qtbot, window, window.new_project())
    page = window.data_page
    resets: list[None] = []
    page.model.modelReset.connect(lambda: resets.append(None))
    window.go_to(flow.Step.SIGN_IN)  # built now, after the project was opened
    assert window.current_page() is window.sign_in_page
    window.go_to(flow.Step.DATA)
    assert resets == []  # no reload, no re-check: selection and scroll stay
    assert page.dataset is window.project.dataset  # type: ignore[union-attr]
