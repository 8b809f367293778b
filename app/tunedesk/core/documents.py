"""Text from the expert's own documents, cut into chunks to ask for question–answer pairs.

:func:`extract` reads a PDF, Word (.docx), HTML, Markdown or text file into a
:class:`DocumentText`: headings and paragraphs in reading order, with the page each came
from for a PDF. :func:`chunk` packs those blocks into :class:`Chunk` objects of at most
``max_chars`` characters that follow the document's sections and never span two pages, with
ids that stay the same for the same document (a resume after a restart finds them again).
:func:`language_of` tells Chinese text from English, so pairs are asked for in the
document's language.

:func:`extract` is plain blocking code: the UI runs it on a worker thread and passes a
``should_stop`` it polls between pages (and between the steps of the other formats), so a
cancel is quick; it then raises :class:`~tunedesk.core.errors.UserCancelled`. Anything a
person can fix (a password, a scan without text, a damaged file, a format TuneDesk does not
read) is a :class:`~tunedesk.core.errors.FileProblem` that names the file and says what to do.

Libraries, both pure Python (the bundle has little room to spare, so nothing compiled):

- PDF: pypdf. Paragraphs and headings come from the positions and font sizes of the lines
  (pypdf's plain text has a line break between paragraphs like between any two lines): a
  wider gap than the page's usual line spacing ends a paragraph, a line set clearly larger
  than the document's body text is a heading.
- DOCX: mammoth (pure Python, its one dependency cobble too; python-docx needs lxml, a
  compiled library of several MB). It turns the document into simple HTML (Word's heading
  and title styles become h1–h6, tables stay tables), which goes through the same block
  extractor as .html files.
- HTML, Markdown and text need nothing beyond the standard library; their bytes are decoded
  like imported text files (BOM, UTF-8, GB18030; ``tunedesk.core.formats._text``), HTML
  first by the charset its ``<meta>`` declares.

Plain Python: no Qt, no cloud imports; pypdf and mammoth are imported when first needed
(pypdf takes ~0.15 s to import).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import logging
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tunedesk.core.errors import FileProblem, UserCancelled
from tunedesk.core.formats._text import decode_text
from tunedesk.core.i18n import Text, lazy

if TYPE_CHECKING:
    from pypdf import PageObject

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html",
                                       ".htm")

# What only drafting reads (a .txt may be a tab-separated table to import, so it is not here):
# a file dropped on the window with one of these opens Draft from documents.
DRAFT_ONLY_SUFFIXES: frozenset[str] = frozenset(
    {".pdf", ".docx", ".md", ".markdown", ".html", ".htm"}
)

ShouldStop = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Block:
    """A heading or a paragraph, with its 1-based page in a PDF (None for other formats)."""

    kind: Literal["heading", "paragraph"]
    text: str
    page: int | None


@dataclass(frozen=True, slots=True)
class DocumentText:
    """What :func:`extract` read: the blocks in reading order. ``pages``: a PDF's page count."""

    path: Path
    name: str
    blocks: tuple[Block, ...]
    pages: int | None


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document to ask for pairs about.

    ``source`` is the document's file name, ``page`` the PDF page it starts on, ``heading``
    the heading of the section it belongs to ("" before the first one). The chunk that a
    heading starts has that heading as the first line of ``text`` too.
    """

    id: str
    source: str
    page: int | None
    heading: str
    text: str


# ---------------------------------------------------------------- messages


def _unsupported(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} is not a kind of document TuneDesk can read.")
        .format(name=path.name),
        lazy.translate(
            "Documents", "Add a PDF, Word, HTML, Markdown or text file ({kinds}). Other "
            "documents can be saved as PDF or .docx first."
        ).format(kinds=", ".join(SUPPORTED_SUFFIXES)),
    )


def _unreadable(path: Path, exc: OSError) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} could not be read ({reason}).").format(
            name=path.name, reason=exc.strerror or exc.__class__.__name__),
        lazy.translate("Documents", "Check that the file still exists and that you can open "
                       "it, then add it again."),
    )


def _no_text(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} contains no text.").format(name=path.name),
        lazy.translate("Documents", "Choose a document with the text you want TuneDesk to "
                       "learn from."),
    )


def _password(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} is protected with a password, so TuneDesk cannot "
                       "read it.").format(name=path.name),
        lazy.translate("Documents", "Remove the password (for example open it with the "
                       "password and print it to a new PDF), then add the new file again."),
    )


def _scanned(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate(
            "Documents", "{name} has no text layer, probably a scanned document: TuneDesk "
            "cannot read text from images."
        ).format(name=path.name),
        lazy.translate("Documents", "Run OCR (text recognition) on it, or paste its text into "
                       "a .txt file and add that instead."),
    )


def _damaged_pdf(path: Path, exc: Exception) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} could not be read as a PDF ({reason}).").format(
            name=path.name, reason=str(exc) or exc.__class__.__name__),
        lazy.translate("Documents", "The file may be damaged. If it opens in a PDF viewer, "
                       "print it to a new PDF and add that instead."),
    )


def _not_docx(path: Path) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} is not a Word .docx file.").format(name=path.name),
        lazy.translate("Documents", "If it is an old .doc file, open it in Word and save it as "
                       ".docx (File > Save As), then add it again."),
    )


def _damaged_docx(path: Path, exc: Exception) -> FileProblem:
    return FileProblem(
        str(path),
        lazy.translate("Documents", "{name} could not be read as a Word document ({reason}).")
        .format(name=path.name, reason=str(exc) or exc.__class__.__name__),
        lazy.translate("Documents", "The file may be damaged. Open it in Word, save it again "
                       "as .docx and add it again."),
    )


_SAVE_AS_UTF8: Text = lazy.translate(
    "Documents", "Save it again as UTF-8 text (in most editors: Save As, Encoding UTF-8) and "
    "add it again."
)


# ---------------------------------------------------------------- extraction


def extract(path: Path, should_stop: ShouldStop | None = None) -> DocumentText:
    """Read ``path`` into headings and paragraphs. Blocking; call it off the UI thread.

    ``should_stop`` is polled between pages (and between the steps of the other formats):
    when it returns True, :class:`UserCancelled` is raised. Raises :class:`FileProblem`
    for a file that cannot be read, has no text or is not a supported kind.
    """
    path = Path(path)
    stop = should_stop or (lambda: False)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if size == 0:
        raise _no_text(path)
    _check_stop(stop)
    pages: int | None = None
    if suffix == ".pdf":
        blocks, pages = _pdf_blocks(path, stop)
    elif suffix == ".docx":
        blocks = _docx_blocks(path, stop)
    else:
        data = _read(path)
        _check_stop(stop)
        if suffix in (".html", ".htm"):
            blocks = _html_blocks(_decode(path, data, html=True))
        elif suffix in (".md", ".markdown"):
            blocks = _markdown_blocks(_decode(path, data))
        else:
            blocks = _text_blocks(_decode(path, data))
    _check_stop(stop)
    if not blocks:
        raise _no_text(path)
    return DocumentText(path=path, name=path.name, blocks=tuple(blocks), pages=pages)


def _check_stop(stop: ShouldStop) -> None:
    if stop():
        raise UserCancelled


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


# ---------------------------------------------------------------- text helpers

_CJK_RANGES = (
    ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"),
    ("\U00020000", "\U0002ffff"),
)
_LETTER = re.compile(r"[^\W\d_]")  # what str.isalpha() counts, near enough
_CJK_IDEOGRAPH = re.compile("[" + "".join(f"{a}-{b}" for a, b in _CJK_RANGES) + "]")
# Ideographs plus CJK punctuation, kana and full-width forms: no spaces between lines.
_CJK_WIDE = re.compile(
    "[" + "".join(f"{a}-{b}" for a, b in _CJK_RANGES) + "\u3000-\u30ff\uff00-\uffef]"
)
_LIST_ITEM = re.compile(r"\s*(?:[-*+•·▪●◦]|\d{1,3}[.)、]|[（(]\d{1,3}[）)])\s+")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"\s+")


def _is_list_item(line: str) -> bool:
    return _LIST_ITEM.match(line) is not None


def _join_lines(lines: Iterable[tuple[str, bool]]) -> str:
    """Lines of one paragraph as running text. Each item is (line, starts its own line).

    A word broken with a hyphen at a line end ("extra-" + "ordinary") is joined, a break
    between two Chinese characters vanishes, any other break becomes a space; list items
    and table rows keep their line.
    """
    parts: list[str] = []
    for raw, own_line in lines:
        line = raw.strip()
        if not line:
            continue
        if not parts:
            parts.append(line)
            continue
        last = parts[-1]
        if own_line:
            parts.append("\n" + line)
        elif last.endswith("\u00ad") or (  # a soft hyphen, or "extra-" + "ordinary"
            last.endswith("-") and len(last) > 1 and last[-2].isalpha() and line[0].islower()
        ):
            parts[-1] = last[:-1]
            parts.append(line)
        elif _CJK_WIDE.match(last[-1]) and (_CJK_WIDE.match(line[0]) or
                                           not _CJK_IDEOGRAPH.match(last[-1])):
            parts.append(line)  # 中文 + 中文, or after CJK punctuation
        else:
            parts.append(" " + line)
    return "".join(parts)


def _paragraphs_on_blank_lines(text: str) -> Iterator[str]:
    lines: list[tuple[str, bool]] = []
    for line in text.splitlines():
        if line.strip():
            lines.append((line, _is_list_item(line)))
        elif lines:
            yield _join_lines(lines)
            lines = []
    if lines:
        yield _join_lines(lines)


def _decode(path: Path, data: bytes, html: bool = False) -> str:
    if html:
        declared = _html_charset(data)
        if declared is not None:
            return data.decode(declared, errors="replace").lstrip("\ufeff")
    try:
        text, _encoding = decode_text(str(path), data)
    except FileProblem as exc:  # its message names the file; the hint fits documents here
        raise FileProblem(str(path), exc.message, _SAVE_AS_UTF8, line=exc.line) from None
    return text


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# What browsers read these labels as (WHATWG Encoding): supersets of the declared ones.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252",
                    "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def _html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, unless a BOM or UTF-8 decides it."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name in ("utf-8", "utf-16", "utf-16-le", "utf-16-be") else name


# ---------------------------------------------------------------- text and Markdown


def _text_blocks(text: str) -> list[Block]:
    return [Block("paragraph", p, None) for p in _paragraphs_on_blank_lines(text)]


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_THEMATIC = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"\s{0,3}(?:>\s?)+")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),            # ![alt](src)
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),             # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),            # [text][ref]
    (re.compile(r"(`+)(.+?)\1"), r"\2"),                        # `code`
    (re.compile(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*"), r"\1"),
    (re.compile(r"__(.+?)__"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"(?<![\w*\\])\*(?![\s*])(.+?)(?<![\s*\\])\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),               # <https://…>
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),                # backslash escapes
)


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " | ".join(cell for cell in cells if cell)


def _front_matter_end(lines: list[str]) -> int:
    """Index after a YAML front matter block (``---`` … ``---`` at the very top), else 0."""
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    paragraph: list[tuple[str, bool]] = []
    fence: str | None = None
    code: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = _join_lines(paragraph)
            if joined:
                blocks.append(Block("paragraph", joined, None))
            paragraph.clear()

    for line in lines[_front_matter_end(lines):]:
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                if any(c.strip() for c in code):
                    blocks.append(Block("paragraph", "\n".join(code).strip("\n"), None))
                fence, code = None, []
            else:
                code.append(line.rstrip())
            continue
        opened = _FENCE.match(line)
        if opened is not None:
            flush()
            fence = opened.group(1)
            continue
        if not line.strip():
            flush()
            continue
        atx = _ATX.match(line)
        if atx is not None:
            flush()
            title = _inline(atx.group(2) or "").strip()
            if title:
                blocks.append(Block("heading", title, None))
            continue
        if _SETEXT.match(line) and paragraph and not any(own for _, own in paragraph):
            title = _join_lines(paragraph)
            paragraph.clear()
            blocks.append(Block("heading", title, None))
            continue
        if _THEMATIC.match(line):
            flush()
            continue
        line = _QUOTE.sub("", line, count=1) if line.lstrip().startswith(">") else line
        if line.lstrip().startswith("|"):
            if not _TABLE_RULE.match(line):
                paragraph.append((_inline(_table_row(line)), True))
            continue
        paragraph.append((_inline(line), _is_list_item(line)))
    if fence is not None and any(c.strip() for c in code):  # an unclosed fence runs to the end
        blocks.append(Block("paragraph", "\n".join(code).strip("\n"), None))
    flush()
    return blocks


# ---------------------------------------------------------------- HTML (and DOCX via HTML)

_SKIPPED = frozenset({"script", "style", "nav", "head", "noscript", "template", "svg"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "br", "tr", "pre", "blockquote", "section", "article", "header",
    "footer", "main", "aside", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody",
    "tfoot", "caption", "figure", "figcaption", "hr", "address", "form", "fieldset", "body",
    "details", "summary",
})


class _BlockParser(HTMLParser):
    """Headings and paragraphs of an HTML page (or of mammoth's HTML for a .docx)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._skip: list[str] = []       # open elements whose text is not content
        self._text: list[str] = []       # the paragraph or heading being read
        self._heading = 0                # depth inside h1-h6
        self._pre = 0                    # depth inside <pre>
        self._lists: list[list[int]] = []  # [next number] per open <ol>, [] per <ul>
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    # -- reimplements HTMLParser.handle_starttag / handle_endtag / handle_data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._skip:   # a <head> that was never closed
            del self._skip[self._skip.index("head"):]
        if tag in _SKIPPED:
            self._skip.append(tag)
            return
        if self._skip:
            return
        if tag in ("td", "th"):
            if self._row is None:
                self._flush()
                self._row = []
            self._end_cell()
            self._cell = []
        elif self._cell is not None:
            if tag in _BLOCK_TAGS or tag in _HEADINGS:
                self._cell.append(" ")
        elif tag in _HEADINGS:
            self._flush()
            self._heading += 1
        elif tag == "tr":
            self._end_row()
            self._row = []
        elif tag in _BLOCK_TAGS:
            if self._heading:
                self._text.append(" ")
                return
            if self._pre and tag == "br":
                self._text.append("\n")
                return
            if tag in ("p", "div") and self._text and _is_bullet("".join(self._text)):
                return  # <li><p>…: the paragraph is the list item's text
            self._flush()
            if tag == "pre":
                self._pre += 1
            elif tag == "ol":
                self._lists.append([1])
            elif tag == "ul":
                self._lists.append([])
            elif tag == "li":
                self._text.append(self._bullet())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if tag in self._skip:
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag):]
            return
        if self._skip:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()
        elif self._cell is not None:
            if tag in _BLOCK_TAGS or tag in _HEADINGS:
                self._cell.append(" ")
        elif tag in _HEADINGS:
            self._heading = max(0, self._heading - 1)
            if not self._heading:
                self._flush(kind="heading")
        elif tag in _BLOCK_TAGS and not self._heading:
            self._flush()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag in ("ol", "ul") and self._lists:
                self._lists.pop()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        else:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._end_row()
        self._flush(kind="heading" if self._heading else "paragraph")

    # -- helpers

    def _bullet(self) -> str:
        if not self._lists:
            return "- "
        numbers = self._lists[-1]
        if not numbers:
            return "- "
        numbers[0] += 1
        return f"{numbers[0] - 1}. "

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = _SPACES.sub(" ", "".join(self._cell)).strip()
            if text:
                self._row.append(text)
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row:
            self.blocks.append(Block("paragraph", " | ".join(self._row), None))
        self._row = None

    def _flush(self, kind: Literal["heading", "paragraph"] = "paragraph") -> None:
        raw = "".join(self._text)
        self._text = []
        if self._pre:
            text = "\n".join(line.rstrip() for line in raw.strip("\n").splitlines())
        else:
            text = _SPACES.sub(" ", raw).strip()
        if not text or _is_bullet(text):
            return  # an empty list item leaves only its bullet
        self.blocks.append(Block(kind, text, None))


def _is_bullet(text: str) -> bool:
    return re.fullmatch(r"\s*(?:-|\d+\.)\s*", text) is not None


def _html_blocks(html: str) -> list[Block]:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


# Word's "Title" style is a heading too (mammoth maps only Heading 1-6 by default).
_DOCX_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np.Title => h1:fresh"


def _docx_blocks(path: Path, stop: ShouldStop) -> list[Block]:
    import mammoth  # type: ignore[import-untyped]  # pure Python, no type information
    import mammoth.images  # type: ignore[import-untyped]

    data = _read(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_docx(path)
    _check_stop(stop)
    from xml.parsers.expat import ExpatError

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_DOCX_STYLE_MAP,
            # pictures are not read at all (the default embeds each one as base64)
            convert_image=mammoth.images.img_element(lambda image: {}),
        )
    except (zipfile.BadZipFile, KeyError, OSError):
        # mammoth says "Could not find main document part" with an OSError (the bytes are
        # in memory: no real I/O happens here)
        raise _not_docx(path) from None
    except (ExpatError, ValueError, EOFError, NotImplementedError, zipfile.LargeZipFile) as exc:
        raise _damaged_docx(path, exc) from None
    _check_stop(stop)
    html: str = result.value
    return _html_blocks(html)


# ---------------------------------------------------------------- PDF


@dataclass(slots=True)
class _Line:
    text: str
    y: float | None      # baseline, PDF units from the bottom; None when pypdf gave none
    size: float          # font size on the page, 0 when unknown


@dataclass(slots=True)
class _Paragraph:
    text: str
    page: int
    size: float
    lines: int


def _pdf_blocks(path: Path, stop: ShouldStop) -> tuple[list[Block], int]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            # Many "protected" PDFs only forbid editing and open with the empty password.
            raise _password(path)
        pages = reader.pages
        count = len(pages)
    except (DependencyError, FileNotDecryptedError, NotImplementedError):
        # DependencyError: AES needs the cryptography package (pypdf's own code does RC4
        # only); NotImplementedError: an encryption method pypdf does not know.
        raise _password(path) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        # pypdf reports damage in some files with these rather than with PdfReadError
        raise _damaged_pdf(path, exc) from None

    if not count:
        raise _no_text(path)
    paragraphs: list[_Paragraph] = []
    failed = 0
    for number in range(1, count + 1):
        _check_stop(stop)
        try:
            lines = _pdf_page_lines(pages[number - 1])
        except FileNotDecryptedError:
            raise _password(path) from None
        except DependencyError as exc:
            # AES streams without the cryptography package; anything else (a Brotli
            # stream without brotli) loses only this page
            if "AES" in str(exc):
                raise _password(path) from None
            log.warning("%s: page %d skipped: %s", path.name, number, exc)
            failed += 1
            continue
        except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
                ZeroDivisionError, RecursionError) as exc:
            # One odd page should not lose the rest of the document.
            log.warning("%s: page %d skipped, pypdf could not read its text: %r",
                        path.name, number, exc)
            failed += 1
            continue
        paragraphs.extend(_pdf_page_paragraphs(lines, number))
    if failed == count:
        raise _damaged_pdf(path, PyPdfError(f"no page could be read, {count} tried"))
    if not paragraphs:
        raise _scanned(path)
    return _pdf_headings(paragraphs), count


def _pdf_page_lines(page: PageObject) -> list[_Line]:
    """The page's text lines: each with the baseline where it begins and the font size
    most of its characters are set in (not a bullet's or a footnote mark's)."""
    lines: list[_Line] = []
    parts: list[str] = []
    sizes: Counter[float] = Counter()
    start: list[float | None] = [None]   # baseline of the line's first text

    def close_line() -> None:
        text = "".join(parts).translate(_LIGATURES).strip()
        if text:
            size = sizes.most_common(1)[0][0] if sizes else 0.0
            lines.append(_Line(text, start[0], size))
        parts.clear()
        sizes.clear()
        start[0] = None

    def visit(text: str, cm: list[float], tm: list[float], font: object,
              font_size: float) -> None:
        for i, piece in enumerate(text.split("\n")):
            if i:
                close_line()
            if not piece:
                continue
            parts.append(piece)
            if i == 0 and piece.strip():   # later pieces of ``text`` have no position
                # text space to device space: tm × cm (PDF 1.7, 9.4.4)
                scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                sizes[round(font_size * scale, 1)] += len(piece.strip())
                if start[0] is None:
                    start[0] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    plain = page.extract_text(visitor_text=visit)
    close_line()
    if not lines and plain.strip():
        # No positions came through the visitor: fall back to the plain lines.
        lines = [_Line(line.translate(_LIGATURES).strip(), None, 0.0)
                 for line in plain.splitlines()]
    return lines


_SENTENCE_END = ".!?。！？:：;；"


def _pdf_page_paragraphs(lines: list[_Line], page: int) -> Iterator[_Paragraph]:
    """Group a page's lines into paragraphs by the gaps between them."""
    gaps = [
        prev.y - cur.y for prev, cur in itertools.pairwise(lines)
        if prev.y is not None and cur.y is not None and cur.size
        and abs(prev.size - cur.size) <= 0.15 * max(prev.size, cur.size)
        and 0 < prev.y - cur.y < 3 * cur.size
    ]
    # The usual line spacing: low in the range (paragraph gaps are wider, and a page may
    # have more of them than lines within paragraphs), not the smallest (a superscript).
    spacing = sorted(gaps)[len(gaps) // 4] if gaps else None
    level = sum(
        1 for prev, cur in itertools.pairwise(lines)
        if prev.y is not None and cur.y is not None and abs(prev.y - cur.y) < 0.2 * cur.size
    )
    if len(lines) > 3 and level * 2 > len(lines):
        # Most lines start on the same baseline (text turned sideways): the positions say
        # nothing about paragraphs, so the text alone has to.
        lines = [_Line(line.text, None, line.size) for line in lines]
    longest = max((len(line.text) for line in lines), default=0)
    group: list[_Line] = []

    def paragraph() -> _Paragraph:
        text = _join_lines((line.text, _is_list_item(line.text)) for line in group)
        size = max(line.size for line in group)
        return _Paragraph(text, page, size, len(group))

    for line in lines:
        if not line.text:
            if group:
                yield paragraph()
                group = []
            continue
        if group and _breaks(group[-1], line, spacing, longest):
            yield paragraph()
            group = []
        group.append(line)
    if group:
        yield paragraph()


def _breaks(prev: _Line, line: _Line, spacing: float | None, longest: int) -> bool:
    if prev.y is None or line.y is None:
        # plain text only: a short line that ends a sentence ends its paragraph
        return prev.text[-1] in _SENTENCE_END and len(prev.text) < 0.7 * longest
    size = max(prev.size, line.size) or 12.0
    if abs(prev.size - line.size) > 0.15 * size:
        return True        # a heading and its text, body text and a footnote
    gap = prev.y - line.y
    if gap <= 0.2 * size:
        return True        # up the page or on the same baseline: a new column or block
    if spacing is not None:
        return gap > spacing * 1.3 + 0.5
    return gap > 1.6 * size


def _pdf_headings(paragraphs: list[_Paragraph]) -> list[Block]:
    """Paragraphs set clearly larger than the body text, short and few lines, are headings."""
    weights: Counter[float] = Counter()
    # The body text's size is the one most text is set in; short lines (running headers,
    # page numbers, captions) only count when there is nothing longer.
    long_enough = [p for p in paragraphs if len(p.text) >= _RUNNING_MAX] or paragraphs
    for p in long_enough:
        if p.size:
            weights[round(p.size, 1)] += len(p.text)
    body = weights.most_common(1)[0][0] if weights else 0.0
    blocks = []
    for p in paragraphs:
        heading = (
            body > 0 and p.size >= body * 1.15 and p.lines <= 3 and len(p.text) <= 150
            and p.text[-1] not in ".,;:。，；：" and any(c.isalpha() for c in p.text)
        )
        blocks.append(Block("heading" if heading else "paragraph", p.text, p.page))
    return blocks


# ---------------------------------------------------------------- chunks

_ROMAN = r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# "7", "- 7 -", "(7)", "7 / 30", "iv": page numbers, nothing to learn from
_ONLY_NUMBER = re.compile(rf"[\W_]*(?:\d+(?:\s*/\s*\d+)?|{_ROMAN})[\W_]*", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_TINY_CHUNK = 200
_RUNNING_MAX = 40
# Where a sentence ends: after . ! ? (and closing quotes or brackets) before a space, or
# after 。！？ (and closing marks) anywhere.
_SENTENCE_END_AT = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|[。！？][”’」』）]*")
_SOFT_CUT = re.compile(r"[\s，；、,;]")


def _running_lines(document: DocumentText) -> set[str]:
    """Short lines that repeat on most pages of a PDF: running headers and footers.

    Digits are ignored when comparing ("Page 3 of 10" and "Page 4 of 10" are one line),
    except in headings ("Chapter 3" on page 3 and "Chapter 4" on page 4 are two).
    """
    if not document.pages or document.pages < 3:
        return set()
    pages_of: dict[str, set[int]] = {}
    for block in document.blocks:
        text = block.text.strip()
        if len(text) < _RUNNING_MAX and block.page is not None:
            pages_of.setdefault(_running_key(block.kind, text), set()).add(block.page)
    need = max(3, document.pages // 2 + 1)
    return {key for key, pages in pages_of.items() if len(pages) >= need}


def _running_key(kind: str, text: str) -> str:
    return text if kind == "heading" else _DIGITS.sub("#", text)


def _cut(text: str, limit: int) -> int:
    """Where to cut ``text`` so the first part has at most ``limit`` characters: after the
    last sentence end in reach, else at the last space or comma in its second half, else
    hard at ``limit``."""
    if len(text) <= limit:
        return len(text)
    cut = 0
    for match in _SENTENCE_END_AT.finditer(text):
        if match.end() > limit:
            break
        cut = match.end()
    if cut:
        return cut
    for i in range(limit, limit // 2, -1):
        if _SOFT_CUT.match(text, i - 1):
            return i
    return max(1, limit)


def _split_long(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut as :func:`_cut` says."""
    pieces = []
    while text:
        cut = _cut(text, limit)
        piece = text[:cut].strip()
        if piece:
            pieces.append(piece)
        text = text[cut:].lstrip()
    return pieces


def chunk(document: DocumentText, max_chars: int = 1800) -> list[Chunk]:
    """Pack the document's blocks into chunks of at most ``max_chars`` characters.

    A heading starts a new chunk: it is its first line and its ``heading``; the chunks
    after it in the same section carry the heading too, without repeating it in the text.
    Paragraphs fill a chunk up to ``max_chars``; one that does not fit starts the next
    chunk, and one longer than ``max_chars`` is split at sentence ends (Western and
    Chinese), else at a space or comma, else hard. A chunk does not run onto the next PDF
    page unless it is still tiny (under 200 characters); its page is where it starts.
    Running headers and footers (lines under 40 characters on most pages of a PDF) and
    blocks that are only a page number are left out, and so is a heading with no text
    after it. Ids are stable: the same document always gives the same ids.
    """
    if max_chars < 100:
        raise ValueError("max_chars must be at least 100")
    running = _running_lines(document)
    source = document.name
    out: list[Chunk] = []
    heading = ""
    text = ""              # the chunk being filled
    page: int | None = None       # where the chunk starts
    last_page: int | None = None  # where its last block is
    only_headings = False  # the chunk holds heading lines and nothing else yet

    def emit() -> None:
        nonlocal text, only_headings
        if text and not only_headings:
            index = len(out)
            key = f"{source}\x00{page}\x00{index}\x00{text}".encode()
            out.append(Chunk(hashlib.sha256(key).hexdigest()[:16], source, page, heading, text))
        text = ""
        only_headings = False

    for block in document.blocks:
        content = block.text.strip()
        if not content or _ONLY_NUMBER.fullmatch(content):
            continue
        if len(content) < _RUNNING_MAX and _running_key(block.kind, content) in running:
            continue
        if (block.page is not None and last_page is not None and block.page != last_page
                and len(text) >= _TINY_CHUNK):
            emit()
        last_page = block.page
        if block.kind == "heading" and len(content) <= max_chars // 2:
            title = _SPACES.sub(" ", content)
            if not only_headings or len(text) + 1 + len(title) > max_chars // 2:
                emit()
            if not text:
                page = block.page
            text = f"{text}\n{title}" if text else title
            heading = title
            only_headings = True
            continue
        rest = content
        while rest:
            if text and not only_headings and len(text) + 2 + len(rest) > max_chars:
                emit()
            room = max_chars - len(text) - 2 if text else max_chars
            cut = _cut(rest, room)
            piece, rest = rest[:cut].strip(), rest[cut:].lstrip()
            if not piece:
                continue
            if not text:
                page = block.page
            text = f"{text}\n\n{piece}" if text else piece
            only_headings = False
    emit()
    return out


# ---------------------------------------------------------------- language


def language_of(text: str) -> Literal["zh", "en"]:
    """"zh" when Chinese ideographs are at least a fifth of the letters, else "en"."""
    # counted by the regex engine, not a Python loop per character (drafting asks this of
    # every passage on the UI loop)
    letters = len(_LETTER.findall(text))
    ideographs = len(_CJK_IDEOGRAPH.findall(text))
    return "zh" if letters and ideographs * 5 >= letters else "en"
