"""The Chat page's transcript: messages rendered as Markdown, answers streamed piece by piece.

Each message is its own widget (a :class:`_Bubble`): a header with the role ("You", the
model's name, "System prompt") and Copy, the body, and a status line under it (the "…" of
an answer that has not started, "Stopped", or the error that ended it). Notices ("Azure is
busy, retrying in 6 s") are a single dimmed line. Colours follow the palette (light and
dark), fonts follow the widget's (Chinese renders with the system's CJK font), text is
selectable, links open in the browser.

Streaming without stalling the loop. ``append`` only buffers the piece and starts one
zero-ms single-shot timer for the whole view, so a burst of pieces in one turn of the event
loop costs one flush, and a piece is on screen at the next paint. Rendering re-parses
Markdown, so re-rendering a whole 4,000-token answer (16,000 characters) on each flush
would be quadratic over the answer and over the loop budget by itself. So a body is a
column of Markdown *segments*, each an auto-height ``QTextBrowser``: once the live segment
is longer than ``SETTLE_CHARS`` it is cut at the last safe place (a blank line before a
line that starts a new block, or between two lines of a fenced code block, which is closed
there and reopened in the next segment) and only the part after the cut is rendered again
from then on. Each segment is independent Markdown, so what streaming showed is the final
rendering: ``finish`` renders only the live segment once more. (Inserting Markdown
fragments into one document instead merged lists and lost the first block's format of each
fragment.) The price: a selection cannot span two segments; Copy takes the whole message.
The next segment is made ahead, in a turn of its own (``_make_spare``), so a cut only
renders.

Even the live segment's render (setMarkdown and the decoration, 2 ms on average, up to
6 ms) on every flush kept the loop ~70 % busy at 200 pieces a second, so between Markdown
renders a flush appends the new text at the end as plain text with a ``QTextCursor``
(0.3 ms): the live segment is rendered as Markdown at most every ``MARKDOWN_INTERVAL_MS``,
at a cut and at ``finish``, and a plain tail left when the stream pauses is rendered by a
timer that long after. So unformatted Markdown (``**``, a fence) shows at the end of an
answer for at most 100 ms. ``bench/streaming.py`` measures it (budgets: stall ≤ 50 ms,
chunk-to-screen ≤ 20 ms); see its docstring for the figures.

Auto-scroll: while the view is at the bottom it stays there as text arrives; once the
person scrolls up it stays where they put it, until they scroll back down.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextFrameFormat,
    QTextTable,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

ROLES = ("system", "user", "assistant", "notice")
SETTLE_CHARS = 600  # a live segment longer than this is cut at its last safe place
MIN_CUT_CHARS = 200  # …but never so early that a settled segment is tiny
MARKDOWN_INTERVAL_MS = 100  # the live segment's tail is plain text at most this long
_LINK_SCHEMES = ("http", "https", "mailto")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# A line after a blank line that may still belong to the block before it (an indented
# continuation, another list item), so the text must not be cut before it.
_CONTINUES = re.compile(r"^(?:[ \t]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))")


@dataclass(frozen=True, slots=True)
class Cut:
    """Where to cut a segment's Markdown source: ``source[:at] + close`` is rendered as
    the settled segment and ``reopen`` starts the next one (a fence cut in two)."""

    at: int
    close: str = ""
    reopen: str = ""


def find_cut(
    source: str, min_chars: int = MIN_CUT_CHARS, max_chars: int = SETTLE_CHARS
) -> Cut | None:
    """Where ``source`` can be cut into two independent pieces of Markdown that render as
    the whole would: the last such place between ``min_chars`` and ``max_chars``, else the
    first one after ``max_chars``. Only complete lines are considered (the last,
    unterminated one may still grow)."""
    best: Cut | None = None
    fence: tuple[str, int, str] | None = None  # marker, its length, the opening line
    fence_lines = 0
    prev_blank = False
    pos = 0
    lines = source.split("\n")
    for line in lines[:-1]:
        start = pos
        pos += len(line) + 1
        match = _FENCE.match(line)
        closes = (
            fence is not None
            and match is not None
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= fence[1]
            and not match.group(2).strip()
        )
        if best is not None and start > max_chars:
            break
        if start >= min_chars:
            if fence is not None and fence_lines > 0 and not closes:
                best = Cut(start, fence[0] * fence[1], fence[2] + "\n")
            elif fence is None and prev_blank and line.strip() and not _CONTINUES.match(line):
                best = Cut(start)
        if fence is None:
            if match is not None:
                fence = (match.group(1)[0], len(match.group(1)), line)
                fence_lines = 0
            prev_blank = not line.strip()
        elif closes:
            fence = None
            prev_blank = False
        else:
            fence_lines += 1
            prev_blank = False
    return best


# ---------------------------------------------------------------- colours


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0-1) of the way to ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


@dataclass(frozen=True, slots=True)
class _Colours:
    code: QColor
    table_border: QColor
    error: QColor
    dim: QColor
    user: QColor
    assistant: QColor
    system: QColor
    border: QColor

    @staticmethod
    def of(palette: QPalette) -> _Colours:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        dark = base.lightnessF() < 0.5
        return _Colours(
            code=_mix(base, text, 0.08),
            table_border=_mix(base, text, 0.3),
            error=QColor("#f28b82" if dark else "#c5221f"),
            # PlaceholderText is Text at half opacity, which a style sheet's name() drops.
            dim=_mix(base, text, 0.5),
            user=_mix(base, highlight, 0.14),
            assistant=base,
            system=_mix(base, text, 0.04),
            border=_mix(base, text, 0.15),
        )


# ---------------------------------------------------------------- one segment


class _Segment(QTextBrowser):
    """One piece of a message's Markdown in a read-only, selectable browser as tall as its
    text (no scroll bars of its own: the transcript scrolls)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.viewport().setAutoFillBackground(False)
        self.setAutoFillBackground(False)
        self.document().setDocumentMargin(0)
        self.markdown = ""
        self.setFixedHeight(0)

    def render_markdown(self, source: str, colours: _Colours) -> None:
        self.markdown = source
        self.document().setMarkdown(source, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self.decorate(colours)
        self._fit()

    def append_plain(self, piece: str) -> None:
        """``piece`` as plain text at the end (cheap: no parse, only its lines are laid
        out); the next ``render_markdown`` gives it its format."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(piece, QTextCharFormat())
        self.markdown += piece
        self._fit()

    def decorate(self, colours: _Colours) -> None:
        """What Qt's Markdown import leaves plain: code blocks go into a tinted, padded
        frame (and wrap instead of running off the edge), inline code gets the tint, tables
        get borders and padding. Run again when the palette changes: frames made before
        are recoloured, not nested."""
        doc = self.document()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families()
        tint = QBrush(colours.code)
        root = doc.rootFrame()
        cursor = QTextCursor(doc)
        groups: list[tuple[int, int]] = []  # code blocks not framed yet: (start, end)
        previous_code = False
        block = doc.begin()
        while block.isValid():
            fmt = block.blockFormat()
            if _is_code(fmt):
                if fmt.nonBreakableLines():
                    fmt.setNonBreakableLines(False)
                    cursor.setPosition(block.position())
                    cursor.setBlockFormat(fmt)
                end = block.position() + block.length() - 1
                if QTextCursor(block).currentFrame() == root:
                    if previous_code and groups:
                        groups[-1] = (groups[-1][0], end)
                    else:
                        groups.append((block.position(), end))
                previous_code = True
                cursor.setPosition(block.position())
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                code = QTextCharFormat()
                code.setFontFamilies(fixed)
                code.setFontFixedPitch(True)
                cursor.mergeCharFormat(code)
            else:
                previous_code = False
                # One call a block (not a Python loop over QTextBlock.iterator).
                for span in block.textFormats():
                    if span.format.fontFixedPitch():
                        cursor.setPosition(block.position() + span.start)
                        cursor.setPosition(
                            block.position() + span.start + span.length,
                            QTextCursor.MoveMode.KeepAnchor,
                        )
                        inline = QTextCharFormat()
                        inline.setBackground(tint)
                        inline.setFontFamilies(fixed)
                        inline.setFontFixedPitch(True)
                        cursor.mergeCharFormat(inline)
            block = block.next()
        for frame in _frames(root):
            if isinstance(frame, QTextTable):
                table = frame.format()
                table.setBorder(1)
                table.setBorderBrush(QBrush(colours.table_border))
                table.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
                table.setBorderCollapse(True)
                table.setCellPadding(4)
                table.setCellSpacing(0)
                frame.setFormat(table)
            elif frame.frameFormat().boolProperty(_CODE_FRAME):
                frame.setFrameFormat(_code_frame_format(colours))
        for start, end in reversed(groups):
            first = doc.findBlock(start).blockFormat()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            frame = cursor.insertFrame(_code_frame_format(colours))
            # The frame's first block comes without the code format, and the block a frame
            # needs before it is left empty with it: give the format back, and make the
            # empty block take no room.
            inside = QTextCursor(frame.firstCursorPosition())
            inside.setBlockFormat(first)
            spacer = QTextBlockFormat()
            spacer.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            for position in (frame.firstPosition() - 1, frame.lastPosition() + 1):
                around = QTextCursor(doc)
                around.setPosition(min(position, doc.characterCount() - 1))
                if not around.block().text() and around.currentFrame() == root:
                    around.setBlockFormat(spacer)

    def _fit(self) -> None:
        height = 0 if not self.markdown.strip() else math.ceil(self.document().size().height())
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # reimplements QWidget::resizeEvent
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme().lower() in _LINK_SCHEMES:
            QDesktopServices.openUrl(url)


_CODE_FRAME = int(QTextFormat.Property.UserProperty.value) + 1


def _is_code(fmt: QTextBlockFormat) -> bool:
    return (
        fmt.hasProperty(QTextFormat.Property.BlockCodeFence)
        or fmt.hasProperty(QTextFormat.Property.BlockCodeLanguage)
        or fmt.nonBreakableLines()
    )


def _code_frame_format(colours: _Colours) -> QTextFrameFormat:
    fmt = QTextFrameFormat()
    fmt.setBackground(QBrush(colours.code))
    fmt.setPadding(8)
    fmt.setTopMargin(4)
    fmt.setBottomMargin(4)
    fmt.setBorder(0)
    fmt.setProperty(_CODE_FRAME, True)
    return fmt


def _frames(frame: QTextFrame) -> list[QTextFrame]:
    found: list[QTextFrame] = []
    for child in frame.childFrames():
        found.append(child)
        found.extend(_frames(child))
    return found


# ---------------------------------------------------------------- one message


class _Bubble(QFrame):
    """One message: header (role, Copy), the Markdown segments, the status line."""

    def __init__(self, role: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("chatBubble")
        self.role = role
        self.title = title
        self.parts: list[str] = []
        self.text = ""  # what has been rendered or is about to be (joined parts)
        self.rendered = 0  # characters of ``text`` on screen
        self.streaming = False
        self.stopped = False
        self.error = ""
        self._live_start = 0  # where in ``text`` the live segment starts
        self._prefix = ""  # a fence reopened at the start of the live segment
        self.raw = False  # the live segment ends in plain text not rendered as Markdown
        self._spare: _Segment | None = None  # the next segment, made ahead of a cut

        self.role_label = QLabel()
        self.role_label.setObjectName("chatRole")
        font = self.role_label.font()
        font.setBold(True)
        self.role_label.setFont(font)
        self.copy_button = QToolButton()
        self.copy_button.setAutoRaise(True)
        self.copy_button.setCursor(Qt.CursorShape.PointingHandCursor)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.role_label)
        header.addStretch(1)
        header.addWidget(self.copy_button)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        if role == "notice":
            layout.setContentsMargins(12, 0, 12, 0)
            self.role_label.hide()
            self.copy_button.hide()
        else:
            layout.setContentsMargins(12, 8, 12, 10)
            layout.addLayout(header)
        layout.addLayout(self.body)
        layout.addWidget(self.status)
        self.segments: list[_Segment] = []
        self.live = self._new_segment()
        self._typing = QTimer(self)
        self._typing.setInterval(450)
        self._typing.timeout.connect(self._on_typing_timeout)
        self._dots = 0
        self._copied = QTimer(self)
        self._copied.setSingleShot(True)
        self._copied.setInterval(1500)
        self._copied.timeout.connect(self.retranslate)

    def _new_segment(self) -> _Segment:
        segment = self._spare or self._make_segment()
        self._spare = None
        self.segments.append(segment)
        if self.streaming:
            QTimer.singleShot(0, self, self._make_spare)
        return segment

    def _make_segment(self) -> _Segment:
        segment = _Segment(self)
        self.body.addWidget(segment)  # after the live one, 0 px tall until it is used
        return segment

    def _make_spare(self) -> None:
        """The segment after the live one, made in a turn of its own: a cut only renders
        (making a QTextBrowser costs 1-3 ms, the first one shown up to 30 ms)."""
        if self.streaming and self._spare is None:
            self._spare = self._make_segment()

    # ------------------------------------------------------------ text

    def add(self, piece: str) -> None:
        self.parts.append(piece)

    def pending(self) -> bool:
        return bool(self.parts)

    def render_pending(self, colours: _Colours, *, markdown: bool = True) -> None:
        """Show what arrived since the last render, in the live segment only: as Markdown,
        or, unless ``markdown`` (or a cut re-renders the live segment anyway), appended
        as plain text (``raw`` until the next Markdown render)."""
        new = "".join(self.parts)
        self.parts.clear()
        self.text += new
        segments = len(self.segments)
        while True:
            source = self._prefix + self.text[self._live_start :]
            if len(source) <= SETTLE_CHARS:
                break
            cut = find_cut(source, max(MIN_CUT_CHARS, len(self._prefix) + 1))
            if cut is None:
                break
            self.live.render_markdown(source[: cut.at] + cut.close, colours)
            self._live_start += cut.at - len(self._prefix)
            self._prefix = cut.reopen
            self.live = self._new_segment()
        if markdown or len(self.segments) != segments or not self.live.markdown:
            self.live.render_markdown(self._prefix + self.text[self._live_start :], colours)
            self.raw = False
        elif new:
            self.live.append_plain(new)
            self.raw = True
        self.rendered = len(self.text)
        if self.text and self._typing.isActive():
            self._typing.stop()
            self._show_status()

    def full_text(self) -> str:
        return self.text + "".join(self.parts)

    # ------------------------------------------------------------ states

    def start_typing(self) -> None:
        self.streaming = True
        self._make_spare()
        self._dots = 2
        self._typing.start()
        self._show_status()

    def end(self, *, stopped: bool, error: str) -> None:
        self.streaming = False
        if self._spare is not None:
            self.body.removeWidget(self._spare)
            self._spare.deleteLater()
            self._spare = None
        self.stopped = stopped
        self.error = error
        self._typing.stop()
        self._show_status()

    def _on_typing_timeout(self) -> None:
        self._dots = (self._dots + 1) % 3
        self._show_status()

    def _show_status(self) -> None:
        if self.error:
            self.status.setText(self.error)
            self.status.setProperty("state", "error")
        elif self.stopped:
            self.status.setText(self.tr("Stopped"))
            self.status.setProperty("state", "stopped")
        elif self.streaming and not self.full_text() and self._typing.isActive():
            self.status.setText(" ".join("•" * (self._dots + 1)))
            self.status.setProperty("state", "typing")
        else:
            self.status.clear()
            self.status.setProperty("state", None)
        style = self.status.style()
        style.unpolish(self.status)  # the style sheet's [state=…] rules read the property
        style.polish(self.status)
        self.status.setVisible(bool(self.status.text()))

    def copied(self) -> None:
        self.copy_button.setText(self.tr("Copied"))
        self._copied.start()

    # ------------------------------------------------------------ looks

    def retranslate(self) -> None:
        if self.role == "user":
            self.role_label.setText(self.tr("You"))
        elif self.role == "system":
            self.role_label.setText(self.tr("System prompt"))
        elif self.role == "assistant":
            self.role_label.setText(self.title or self.tr("Model"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy this message (as Markdown)"))
        self._show_status()

    def restyle(self, colours: _Colours) -> None:
        background = {
            "user": colours.user,
            "assistant": colours.assistant,
            "system": colours.system,
        }.get(self.role)
        border = "none" if background is None else f"1px solid {colours.border.name()}"
        dashed = "dashed" if self.role == "system" else "solid"
        self.setStyleSheet(
            f"#chatBubble {{ background: {background.name() if background else 'transparent'};"
            f" border: {border.replace('solid', dashed)}; border-radius: 8px; }}"
            "#chatBubble QTextBrowser { background: transparent; border: none; }"
            f"#chatBubble QLabel#chatRole {{ color: {colours.dim.name()}; }}"
            f'#chatBubble QLabel[state="error"] {{ color: {colours.error.name()}; }}'
            f'#chatBubble QLabel[state="stopped"] {{ color: {colours.dim.name()};'
            " font-style: italic; }"
            f'#chatBubble QLabel[state="typing"] {{ color: {colours.dim.name()}; }}'
        )
        if self.role == "notice":
            for segment in self.segments:
                palette = segment.palette()
                palette.setColor(QPalette.ColorRole.Text, colours.dim)
                segment.setPalette(palette)
        for segment in self.segments:
            segment.decorate(colours)


# ---------------------------------------------------------------- the view


class ChatView(QWidget):
    """A scrolling transcript of chat messages (system prompt, questions, answers, notices).

    Indices are positions in the transcript, from 0 in the order messages were added;
    ``clear()`` starts again at 0.

    Signals:
        message_copied(int): a message's Markdown was put on the clipboard.
    """

    message_copied = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bubbles: list[_Bubble] = []
        self._dirty: set[int] = set()
        self._colours = _Colours.of(self.palette())
        self.flush_interval_ms = 0  # 0: one flush a turn of the event loop (module doc)
        self.markdown_interval_ms = MARKDOWN_INTERVAL_MS
        self._last_markdown = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._markdown_timer = QTimer(self)  # renders a plain tail left by the last flush
        self._markdown_timer.setSingleShot(True)
        self._markdown_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._markdown_timer.timeout.connect(self._on_markdown_timeout)

        self._column = QWidget()
        self._column.setObjectName("chatColumn")
        self._messages = QVBoxLayout(self._column)
        self._messages.setContentsMargins(16, 16, 16, 16)
        self._messages.setSpacing(10)
        self._messages.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self._column)
        self._follow = True
        bar = self._scroll.verticalScrollBar()
        bar.rangeChanged.connect(self._on_scroll_range_changed)
        bar.valueChanged.connect(self._on_scroll_value_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)
        self._apply_style()

    # ---------------------------------------------------------------- messages

    def add_message(self, role: str, text: str, *, title: str = "") -> int:
        """A whole message (``role`` one of "system", "user", "assistant", "notice");
        ``title`` names the model of an assistant message. Returns its index."""
        index = self._add(role, title)
        bubble = self._bubbles[index]
        bubble.add(text)
        self._render(bubble)
        return index

    def begin_answer(self, title: str = "") -> int:
        """An empty answer from the model named ``title`` (or "Model"), showing that it is
        on its way; fill it with ``append`` and end it with ``finish``."""
        index = self._add("assistant", title)
        self._bubbles[index].start_typing()
        return index

    def append(self, index: int, piece: str) -> None:
        """One streamed piece of answer ``index``: buffered, on screen at the next flush."""
        if not piece:
            return
        self._bubbles[index].add(piece)
        self._dirty.add(index)
        if not self._timer.isActive():
            self._timer.start(self.flush_interval_ms)

    def finish(self, index: int, *, stopped: bool = False, error: str = "") -> None:
        """The answer ended: render what arrived, then "Stopped" or ``error`` under it."""
        bubble = self._bubbles[index]
        self._dirty.discard(index)
        self._render(bubble)
        bubble.end(stopped=stopped, error=error)
        self._keep_at_bottom()

    def clear(self) -> None:
        self._timer.stop()
        self._markdown_timer.stop()
        self._dirty.clear()
        for bubble in self._bubbles:
            self._messages.removeWidget(bubble)
            bubble.deleteLater()
        self._bubbles.clear()
        self._follow = True

    def count(self) -> int:
        return len(self._bubbles)

    def role_of(self, index: int) -> str:
        return self._bubbles[index].role

    def text_of(self, index: int) -> str:
        """The message's raw Markdown, including pieces not rendered yet."""
        return self._bubbles[index].full_text()

    def rendered_length(self, index: int) -> int:
        """How many characters of ``text_of(index)`` are rendered (the rest is buffered)."""
        return self._bubbles[index].rendered

    def messages(self, *, include_notices: bool = False) -> list[dict[str, str]]:
        """``{"role", "content"}`` for each message in order, as chat-completions takes
        them; notices are the app's, not the conversation's, and are left out unless
        asked for."""
        return [
            {"role": bubble.role, "content": bubble.full_text()}
            for bubble in self._bubbles
            if include_notices or bubble.role != "notice"
        ]

    def copy(self, index: int) -> None:
        """Put message ``index``'s raw Markdown on the clipboard."""
        QGuiApplication.clipboard().setText(self.text_of(index))
        self._bubbles[index].copied()
        self.message_copied.emit(index)

    def retranslate(self) -> None:
        for bubble in self._bubbles:
            bubble.retranslate()

    def bubble(self, index: int) -> QWidget:
        """The widget showing message ``index`` (for tests and screenshots)."""
        return self._bubbles[index]

    def documents(self, index: int) -> list[QTextDocument]:
        """The rendered documents of message ``index``, in order (one per segment)."""
        return [segment.document() for segment in self._bubbles[index].segments]

    # ---------------------------------------------------------------- internals

    def _add(self, role: str, title: str) -> int:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
        bubble = _Bubble(role, title, self._column)
        index = len(self._bubbles)
        bubble.copy_button.clicked.connect(lambda: self.copy(index))
        bubble.retranslate()
        bubble.restyle(self._colours)
        self._bubbles.append(bubble)
        self._messages.insertWidget(self._messages.count() - 1, bubble)
        self._keep_at_bottom()
        return index

    def _render(self, bubble: _Bubble) -> None:
        bubble.render_pending(self._colours)

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        markdown = (now - self._last_markdown) * 1000 >= self.markdown_interval_ms
        if markdown:
            self._last_markdown = now
        dirty, self._dirty = self._dirty, set()
        for index in sorted(dirty):
            if index < len(self._bubbles):
                self._bubbles[index].render_pending(self._colours, markdown=markdown)
        if any(bubble.raw for bubble in self._bubbles) and not self._markdown_timer.isActive():
            self._markdown_timer.start(self.markdown_interval_ms)

    def _on_markdown_timeout(self) -> None:
        if self._dirty:  # the flush about to run renders them as Markdown
            self._last_markdown = 0.0
            return
        self._last_markdown = time.perf_counter()
        for bubble in self._bubbles:
            if bubble.raw:
                bubble.render_pending(self._colours)

    def _keep_at_bottom(self) -> None:
        if self._follow:
            bar = self._scroll.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _on_scroll_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self._scroll.verticalScrollBar().setValue(maximum)

    def _on_scroll_value_changed(self, value: int) -> None:
        self._follow = value >= self._scroll.verticalScrollBar().maximum() - 8

    def _apply_style(self) -> None:
        self._colours = _Colours.of(self.palette())
        self._column.setAutoFillBackground(True)
        self._column.setBackgroundRole(QPalette.ColorRole.Window)
        for bubble in self._bubbles:
            bubble.restyle(self._colours)

    def changeEvent(self, event: QEvent) -> None:  # reimplements QWidget::changeEvent
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
