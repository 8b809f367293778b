"""ChatView: Markdown rendering, streaming piece by piece, stopped and failed answers, the
history it gives back, Copy, Chinese, and screenshots in both languages."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tunedesk.ui.widgets.chat_view import SETTLE_CHARS, ChatView, find_cut

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ANSWER = """Here is how to **read the file** with `pathlib`:

```python
from pathlib import Path

text = Path("notes.txt").read_text(encoding="utf-8")
print(len(text))
```

Steps:

1. Open the file.
2. Read it with `read_text`.

| Option | Meaning |
|---|---|
| `encoding` | how bytes become text |

See [the docs](https://docs.python.org/3/library/pathlib.html).
"""

ANSWER_ZH = """奶奶的生日是 **三月十二日**，她住在 `杭州`。

- 爷爷喜欢下棋
- 妈妈是老师

```text
生日: 3月12日
```
"""


@pytest.fixture
def view(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop) -> Iterator[ChatView]:
    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(760, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def pieces(text: str, seed: int = 7) -> list[str]:
    """``text`` cut into chunks of 1-16 characters, as a stream delivers them."""
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 16)
        out.append(text[i : i + n])
        i += n
    return out


def document_text(view: ChatView, index: int) -> str:
    return "\n".join(doc.toPlainText() for doc in view.documents(index))


def has_code_block(doc: QTextDocument) -> bool:
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if (
            fmt.hasProperty(QTextFormat.Property.BlockCodeFence)
            and all(span.format.fontFixedPitch() for span in block.textFormats())
            and QTextCursor(block).currentFrame().frameFormat().background().style()
            == Qt.BrushStyle.SolidPattern
        ):
            return True
        block = block.next()
    return False


def stream(view: ChatView, qtbot: QtBot, text: str, *, title: str = "Phi-4-mini") -> int:
    index = view.begin_answer(title)
    for piece in pieces(text):
        view.append(index, piece)
        qtbot.wait(1)
    return index


def test_streaming_produces_the_full_text(view: ChatView, qtbot: QtBot) -> None:
    view.add_message("user", "How do I read a file?")
    index = stream(view, qtbot, ANSWER)
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(ANSWER))
    view.finish(index)
    assert view.text_of(index) == ANSWER
    shown = document_text(view, index)
    assert "read_text(encoding" in shown
    assert "the docs" in shown
    assert "](" not in shown
    assert "**" not in shown


def test_a_long_answer_is_cut_into_segments_that_keep_every_character(
    view: ChatView, qtbot: QtBot
) -> None:
    text = "\n\n".join(
        f"Paragraph {i} says something about the family, with `code {i}`." for i in range(80)
    )
    text += "\n\n```python\n" + "\n".join(f"x{i} = {i}" for i in range(300)) + "\n```\n\nDone."
    index = view.begin_answer()
    for piece in pieces(text, seed=3):
        view.append(index, piece)
    view.finish(index)
    docs = view.documents(index)
    assert len(docs) > 2
    assert all(len(doc.toMarkdown()) < SETTLE_CHARS * 3 for doc in docs)
    shown = document_text(view, index)
    for i in range(80):
        assert f"Paragraph {i} says" in shown
    for i in range(300):
        assert f"x{i} = {i}" in shown
    assert "```" not in shown  # a code block cut in two is closed and reopened, not raw
    assert sum(has_code_block(doc) for doc in docs) >= 2


def test_plain_while_streaming_then_markdown_at_finish(view: ChatView, qtbot: QtBot) -> None:
    view.markdown_interval_ms = 60_000  # no Markdown render but the first, a cut, finish
    index = view.begin_answer()
    view.append(index, "Intro.\n\n")
    qtbot.waitUntil(lambda: view.rendered_length(index) == len("Intro.\n\n"))
    for piece in pieces("Some **bold** and `code`."):
        view.append(index, piece)
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(view.text_of(index)))
    assert "Some **bold** and `code`." in document_text(view, index)  # on screen, plain
    view.finish(index)
    shown = document_text(view, index)
    assert "Some bold and code." in shown
    assert "**" not in shown
    assert view.text_of(index) == "Intro.\n\nSome **bold** and `code`."


def test_a_plain_tail_is_rendered_as_markdown_when_the_stream_pauses(
    view: ChatView, qtbot: QtBot
) -> None:
    view.markdown_interval_ms = 50
    index = view.begin_answer()
    view.append(index, "Intro.\n\n")
    qtbot.waitUntil(lambda: view.rendered_length(index) == len("Intro.\n\n"))
    view.append(index, "Some **bold**")
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(view.text_of(index)))
    qtbot.waitUntil(lambda: "Some bold" in document_text(view, index), timeout=2000)
    assert "**" not in document_text(view, index)


def test_cut_segments_are_markdown_while_the_live_one_is_plain_and_nothing_is_lost(
    view: ChatView, qtbot: QtBot
) -> None:
    view.markdown_interval_ms = 60_000
    text = "\n\n".join(f"Paragraph {i} is **bold {i}** here." for i in range(60)) + "\n\n"
    index = view.begin_answer()
    for n, piece in enumerate(pieces(text, seed=5)):
        view.append(index, piece)
        if n % 7 == 0:
            qtbot.waitUntil(lambda: view.rendered_length(index) == len(view.text_of(index)))
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(text))
    docs = view.documents(index)
    assert len(docs) > 2
    assert all("**" not in doc.toPlainText() for doc in docs[:-1])  # settled: Markdown
    assert view.text_of(index) == text
    view.finish(index)
    shown = document_text(view, index)
    assert "**" not in shown
    for i in range(60):
        assert f"Paragraph {i} is bold {i} here." in shown
    assert len(view.documents(index)) == len(docs)  # the spare segment is not one of them


def test_find_cut_never_cuts_a_list_or_an_open_line() -> None:
    assert find_cut("a\n\n- one\n\n- two\n", min_chars=0) is None
    assert find_cut("para one\n\npara two", min_chars=0) is None  # last line may grow
    cut = find_cut("para one\n\npara two\n", min_chars=0)
    assert cut is not None
    assert cut.at == len("para one\n\n")
    assert not cut.close
    text = "".join(f"p{i}\n\n" for i in range(10)) + "end\n"
    cut = find_cut(text, min_chars=5, max_chars=13)  # the last cut up to 13
    assert cut is not None
    assert text[cut.at :].startswith("p3")
    cut = find_cut("```py\na = 1\nb = 2\n", min_chars=0)
    assert cut is not None
    assert cut.close == "```"
    assert cut.reopen == "```py\n"
    assert "```py\na = 1\nb = 2\n"[: cut.at] == "```py\na = 1\n"


def test_markdown_code_block_inline_code_and_table(view: ChatView) -> None:
    index = view.add_message("assistant", ANSWER, title="Phi-4-mini")
    (doc,) = view.documents(index)
    assert has_code_block(doc)
    inline = False
    block = doc.begin()
    while block.isValid():
        for span in block.textFormats():
            text = block.text()[span.start : span.start + span.length]
            if text == "read_text" and span.format.fontFixedPitch():
                inline = span.format.background().style() == Qt.BrushStyle.SolidPattern
        block = block.next()
    assert inline
    assert "<table" in doc.toHtml()
    assert "1. Open" in doc.toMarkdown() or "1.  Open" in doc.toMarkdown()


@pytest.mark.parametrize(("stopped", "error"), [(True, ""), (False, "The connection dropped.")])
def test_stopped_and_error_keep_what_arrived(
    view: ChatView, qtbot: QtBot, stopped: bool, error: str
) -> None:
    index = view.begin_answer("Phi-4-mini")
    for piece in ("Grandma ", "was born ", "in **March"):
        view.append(index, piece)
    view.finish(index, stopped=stopped, error=error)
    assert view.text_of(index) == "Grandma was born in **March"
    assert "Grandma was born in" in document_text(view, index)
    status = view.bubble(index).status  # type: ignore[attr-defined]
    assert not status.isHidden()
    assert status.text() == (error or "Stopped")
    assert view.messages()[-1] == {"role": "assistant", "content": "Grandma was born in **March"}


def test_typing_state_until_the_first_piece(view: ChatView, qtbot: QtBot) -> None:
    index = view.begin_answer("Phi-4-mini")
    status = view.bubble(index).status  # type: ignore[attr-defined]
    assert not status.isHidden()
    assert status.property("state") == "typing"
    view.append(index, "Hi")
    qtbot.waitUntil(lambda: view.rendered_length(index) == 2)
    assert status.isHidden()
    view.finish(index)
    assert status.isHidden()


def test_messages_round_trip(view: ChatView, qtbot: QtBot) -> None:
    history = [
        {"role": "system", "content": "You answer questions about the Li family."},
        {"role": "user", "content": "When is Grandma's birthday?"},
        {"role": "assistant", "content": "On **12 March**."},
    ]
    for message in history:
        view.add_message(message["role"], message["content"])
    view.add_message("notice", "Azure is busy, retrying in 6 s")
    assert view.messages() == history
    assert view.messages(include_notices=True)[-1]["role"] == "notice"
    again = ChatView()
    qtbot.addWidget(again)
    for message in view.messages():
        again.add_message(message["role"], message["content"])
    assert again.messages() == history
    view.clear()
    assert view.messages() == []
    assert view.count() == 0
    assert view.add_message("user", "again") == 0
    with pytest.raises(ValueError, match="unknown role"):
        view.add_message("tool", "x")


def test_copy_puts_the_raw_markdown_on_the_clipboard(view: ChatView, qtbot: QtBot) -> None:
    index = view.add_message("assistant", ANSWER, title="Phi-4-mini")
    with qtbot.waitSignal(view.message_copied):
        view.bubble(index).copy_button.click()  # type: ignore[attr-defined]
    assert QGuiApplication.clipboard().text() == ANSWER
    assert view.bubble(index).copy_button.text() == "Copied"  # type: ignore[attr-defined]
    view.copy(view.add_message("user", "问题？"))
    assert QGuiApplication.clipboard().text() == "问题？"


def test_chinese_text(view: ChatView, qtbot: QtBot) -> None:
    view.add_message("user", "奶奶的生日是哪天？")
    index = stream(view, qtbot, ANSWER_ZH, title="Phi-4-mini")
    view.finish(index)
    assert view.text_of(index) == ANSWER_ZH
    shown = document_text(view, index)
    assert "奶奶的生日是 三月十二日" in shown
    assert "杭州" in shown
    assert has_code_block(view.documents(index)[0])


def test_auto_scroll_follows_unless_scrolled_up(view: ChatView, qtbot: QtBot) -> None:
    bar = view._scroll.verticalScrollBar()
    index = view.begin_answer()
    for i in range(60):
        view.append(index, f"Line {i} of a long answer.\n\n")
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)
    for i in range(30):
        view.append(index, f"More {i}.\n\n")
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(view.text_of(index)))
    qtbot.wait(20)
    assert bar.value() == 0
    bar.setValue(bar.maximum())
    view.append(index, "The end.\n\n" * 20)
    qtbot.waitUntil(lambda: view.rendered_length(index) == len(view.text_of(index)))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())


def test_retranslate_and_palette(view: ChatView) -> None:
    view.add_message("user", "x")
    view.add_message("system", "y")
    view.retranslate()
    assert view.bubble(0).role_label.text() == "You"  # type: ignore[attr-defined]
    assert view.bubble(1).role_label.text() == "System prompt"  # type: ignore[attr-defined]
    palette = view.palette()
    palette.setColor(palette.ColorRole.Base, palette.color(palette.ColorRole.Text))
    view.setPalette(palette)  # a dark palette: re-styled without errors


@pytest.mark.parametrize("language", ["en", "zh_CN"], indirect=True)
def test_chat_view_screenshot(
    language: str,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    screenshot_dir: Path,
) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(900, 1100)
    view.show()
    qtbot.waitExposed(view)
    zh = language == "zh_CN"
    view.add_message(
        "system",
        "你只回答关于李家的问题。" if zh else "You answer questions about the Li family.",
    )
    view.add_message("user", "奶奶的生日是哪天？" if zh else "How do I read a file in Python?")
    view.add_message("assistant", ANSWER_ZH if zh else ANSWER, title="Phi-4-mini-ft")
    view.add_message("notice", "Azure 繁忙，6 秒后重试" if zh else "Azure is busy, retrying in 6 s")
    view.add_message("user", "再说一遍？" if zh else "And in one line?")
    index = view.begin_answer("Phi-4-mini-ft")
    view.append(index, "你可以用" if zh else "Use `Path(name).read_text()`, which")
    view.finish(index, stopped=True)
    view.begin_answer("Phi-4-mini-ft")
    QApplication.processEvents()
    qtbot.wait(120)
    path = screenshot_dir / f"chat-view-{language}.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 10_000
