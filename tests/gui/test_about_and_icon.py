"""Identity: the application icon the start-up sets, and Help > About (version, licences, links)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from tunedesk import __version__
from tunedesk.core.settings import Settings
from tunedesk.ui import app as ui_app
from tunedesk.ui.i18n import install_translators
from tunedesk.ui.main_window import MainWindow

# A top-level window on the offscreen platform (as in the other window tests).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def app_icon(qapp: QApplication) -> Iterator[QIcon]:
    previous = qapp.windowIcon()
    ui_app._set_application_icon(qapp)
    yield qapp.windowIcon()
    qapp.setWindowIcon(previous)


def test_the_application_icon_has_the_window_sizes(app_icon: QIcon, qtbot: QtBot) -> None:
    sizes = {(s.width(), s.height()) for s in app_icon.availableSizes()}
    assert sizes == {(n, n) for n in ui_app.WINDOW_ICON_SIZES}
    assert not app_icon.pixmap(16, 16).isNull()
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    assert win.windowIcon().cacheKey() == app_icon.cacheKey()  # every window inherits it


def _about_text(qtbot: QtBot, win: MainWindow) -> tuple[str, str]:
    """Open Help > About, read its title and text, close it."""
    seen: list[tuple[str, str]] = []

    def read_and_close() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((box.windowTitle(), label.text()))
        box.accept()

    QTimer.singleShot(0, read_and_close)
    win.about()
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(Settings())
    qtbot.addWidget(win)
    return win


def test_about_names_version_licences_and_real_links_only(qtbot: QtBot, window: MainWindow) -> None:
    title, text = _about_text(qtbot, window)
    assert title == "About TuneDesk"
    assert f"TuneDesk {__version__}" in text
    assert "Licence: proprietary" in text
    assert "Qt for Python" in text
    assert "GNU Lesser General Public License version 3" in text
    links = re.findall(r'href="([^"]+)"', text)
    assert links[:2] == [
        "https://doc.qt.io/qtforpython-6/",
        "https://www.gnu.org/licenses/lgpl-3.0.html",
    ]
    assert links[2].startswith("file://")  # the local log folder; no made-up project home
    assert len(links) == 3
    assert "{" not in text


def test_about_is_translated(qtbot: QtBot, qapp: QApplication, window: MainWindow) -> None:
    install_translators(qapp, "zh_CN")
    try:
        title, text = _about_text(qtbot, window)
    finally:
        install_translators(qapp, "en")
    assert title != "About TuneDesk"
    assert "Licence" not in text
    assert "open the log folder" not in text
    assert f"TuneDesk {__version__}" in text
    assert len(re.findall(r'href="', text)) == 3
