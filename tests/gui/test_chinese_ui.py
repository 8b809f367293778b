"""In Chinese, nothing visible is left in English (beyond names that stay English).

Walks the real main window, the Data page with problem rows, the checklist and the detail
panel in zh_CN and collects every visible text: labels, buttons, actions, placeholders,
combo items, headers and grid cells of the columns TuneDesk writes itself.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tunedesk.core.catalog import load_catalog
from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.core.project import Project
from tunedesk.core.settings import Settings
from tunedesk.ui.i18n import install_translators
from tunedesk.ui.main_window import MainWindow
from tunedesk.ui.models.examples_table_model import Column

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# Words that stay as they are in Chinese software: product names, formats, keys.
ALLOWED = {
    "tunedesk",
    "azure",
    "openai",
    "microsoft",
    "foundry",
    "token",
    "tokens",
    "jsonl",
    "csv",
    "tsv",
    "xlsx",
    "excel",
    "json",
    "ctrl",
    "qt",
    "about",
    "contoso",
    "english",
    "jim",
    "mike",
    "kitty",
    "auto",
    "enter",
    "shift",
    "esc",
    "alt",
    "del",
    "tab",
    "api",  # "API 密钥" (API key) is how Microsoft's Chinese UI says it
}
# Whole texts that stay as they are: the base models' names (the Sign in page's model combo
# box lists them from the bundled catalog; "Phi-4-mini-instruct" is a product name) and a
# bare example address as a placeholder (the Azure OpenAI endpoint field).
MODEL_NAMES = {model.display_name for model in load_catalog().models}
EXAMPLE_URL = re.compile(r"https://[a-z0-9.-]+\.azure\.com")
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3,}")


def _stays_english(where: str, text: str) -> bool:
    # a model's name, alone or with a translated mark such as "（已停用）" (retired)
    if where == "QComboBox item" and any(
        text.startswith(name) and not WORD.search(text[len(name) :]) for name in MODEL_NAMES
    ):
        return True
    return where.endswith("placeholder") and EXAMPLE_URL.fullmatch(text) is not None


def _english_words(text: str) -> list[str]:
    text = re.sub(r"\(&\w\)|&", "", text)  # mnemonics
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


@pytest.fixture
def english_afterwards(qapp: QApplication) -> Iterator[None]:
    """For a test that switches the language itself: the next tests get English back."""
    yield
    install_translators(qapp, "en")


def _visible_texts(root: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        name = type(widget).__name__
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            found.append((name, widget.text()))
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.placeholderText():
            found.append((name + " placeholder", widget.placeholderText()))
        if isinstance(widget, QComboBox):
            found += [(name + " item", widget.itemText(i)) for i in range(widget.count())]
        found += [("action", a.text()) for a in widget.actions() if a.text()]
        if widget.toolTip():
            found.append((name + " tooltip", widget.toolTip()))
    return found


def _rows() -> list[Example]:
    return [
        Example([Message("system", "你是我们家的小助手。")]),  # system-only row
        Example.qa("哥哥几岁？", "哥哥10岁。"),
        Example.qa("哥哥几岁？", "他十岁。"),  # same question, other answer
        Example(
            [
                Message("user", "你好"),
                Message("assistant", "你好！"),
                Message("user", "再见"),
                Message("assistant", "再见！"),
            ]
        ),
    ]


def _all_texts(win: MainWindow) -> list[tuple[str, str]]:
    """Every text a person can see in the window, its menus, grid, checklist and steps."""
    page = win.data_page
    texts = _visible_texts(win)
    for menu_action in win.menuBar().actions():
        texts.append(("menu", menu_action.text()))
        if menu_action.menu() is not None:
            texts += [("menu item", a.text()) for a in menu_action.menu().actions() if a.text()]
    model = page.model
    for column in Column:
        texts.append(("header", model.headerData(column, Qt.Orientation.Horizontal)))
    for row in range(model.rowCount()):
        for column in (Column.QUESTION, Column.SPLIT, Column.STATUS):
            value = model.data(model.index(row, column))
            if isinstance(value, str) and value:
                texts.append((f"cell {row},{column.name}", value))
    findings = page.findings_model
    for row in range(findings.rowCount()):
        index = findings.index(row, 0)
        texts.append(("finding", str(index.data(Qt.ItemDataRole.DisplayRole))))
        for role in range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 6):
            value = index.data(role)
            if isinstance(value, str) and value:
                texts.append(("finding role", value))
    current = win.sidebar.currentRow()
    for step in range(win.sidebar.count()):
        win.sidebar.setCurrentRow(step)
        texts += _visible_texts(win.pages.currentWidget())
    win.sidebar.setCurrentRow(current)
    return texts


def _assert_chinese(texts: list[tuple[str, str]]) -> None:
    leaks = sorted(
        {
            f"{where}: {text!r}"
            for where, text in texts
            if _english_words(text) and not _stays_english(where, text)
        }
    )
    assert not leaks, "\n".join(leaks)
    assert any(CJK.search(text) for _, text in texts)


def _window_with_rows(qtbot: QtBot, tmp_path: Path, language: str) -> MainWindow:
    win = MainWindow(Settings(language=language))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    page = win.ensure_pages()
    win.set_project(Project.create(tmp_path / "rows.tunedesk", Dataset("", _rows())))
    with qtbot.waitSignal(page.checks_finished, timeout=15_000):
        pass
    page.select_row(0)
    page.find()  # the find bar too
    return win


def test_nothing_english_is_left_in_the_chinese_ui(
    chinese: None, qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    win = _window_with_rows(qtbot, tmp_path, "zh_CN")
    _assert_chinese(_all_texts(win))
    win.close()


def test_switching_to_chinese_while_running_leaves_nothing_english(
    english_afterwards: None,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tunedesk.ui.main_window.save_settings", lambda _settings: None)
    win = _window_with_rows(qtbot, tmp_path, "en")
    english = _all_texts(win)  # builds every page in English first
    assert any(text == "System prompt" for _, text in english)
    chinese_action = next(
        a for a in win.language_group.actions() if a.text() == "简体中文"
    )
    chinese_action.trigger()
    _assert_chinese(_all_texts(win))
    assert win.settings.language == "zh_CN"
    win.close()
