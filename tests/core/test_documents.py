"""Text extraction and chunking of the expert's documents (core/documents.py)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from tests.helpers.documents import make_docx, make_encrypted_pdf, make_pdf, make_scanned_pdf

from tunedesk.core.documents import (
    SUPPORTED_SUFFIXES,
    Block,
    DocumentText,
    chunk,
    extract,
    language_of,
)
from tunedesk.core.errors import FileProblem, UserCancelled

LOREM = (
    "Calibration keeps the instrument honest. Every morning the operator checks the zero "
    "point against the reference weight and writes the result into the log book."
)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _kinds(document: DocumentText) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in document.blocks]


def _problem(path: Path) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        extract(path)
    problem = caught.value
    assert problem.path == str(path)
    assert path.name in str(problem.message)  # every message names the file
    assert problem.hint is not None           # and says what to do
    return problem


# ---------------------------------------------------------------- PDF


def test_pdf_pages_paragraphs_and_headings(tmp_path: Path) -> None:
    path = _write(tmp_path, "manual.pdf", make_pdf([
        ["# Daily calibration", LOREM, "Short closing line."],
        ["# Cleaning", "Wipe the pan with a dry cloth. " * 5],
    ]))
    document = extract(path)
    assert document.name == "manual.pdf"
    assert document.path == path
    assert document.pages == 2
    assert document.blocks == (
        Block("heading", "Daily calibration", 1),
        Block("paragraph", LOREM, 1),   # two lines on the page, one paragraph again
        Block("paragraph", "Short closing line.", 1),
        Block("heading", "Cleaning", 2),
        Block("paragraph", ("Wipe the pan with a dry cloth. " * 5).strip(), 2),
    )


def test_pdf_joins_words_broken_at_line_ends(tmp_path: Path) -> None:
    path = _write(tmp_path, "hyphen.pdf", make_pdf([
        ["The reading is extra-\nordinarily stable after warm-\nUp and a self-\ntest."],
    ]))
    (block,) = extract(path).blocks
    # a lower-case continuation joins the word; "warm-" + "Up" stays two words
    assert block.text == "The reading is extraordinarily stable after warm- Up and a selftest."


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    path = _write(tmp_path, "locked-editing.pdf",
                  make_encrypted_pdf([[LOREM]], user_password=""))
    assert _kinds(extract(path)) == [("paragraph", LOREM)]


def test_pdf_with_a_password_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "secret report.pdf", make_encrypted_pdf([[LOREM]]))
    problem = _problem(path)
    assert "password" in str(problem.message)
    assert "print it to a new PDF" in str(problem.hint)


def test_pdf_needing_cryptography_gives_the_password_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AES-encrypted PDFs need the cryptography package; without it pypdf raises this.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def decrypt(self: PdfReader, password: str) -> int:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", decrypt)
    path = _write(tmp_path, "aes.pdf", make_encrypted_pdf([[LOREM]]))
    assert "password" in str(_problem(path).message)


def test_pdf_page_that_cannot_be_decoded_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PageObject
    from pypdf.errors import DependencyError

    original = PageObject.extract_text
    calls = 0

    def extract_text(self: PageObject, *args: object, **kwargs: object) -> str:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise DependencyError("brotli is required for BrotliDecode")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", extract_text)
    path = _write(tmp_path, "brotli.pdf", make_pdf([["Page one."], ["Page two."], ["Three."]]))
    assert _kinds(extract(path)) == [("paragraph", "Page one."), ("paragraph", "Three.")]

    def aes(self: PageObject, *args: object, **kwargs: object) -> str:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PageObject, "extract_text", aes)
    assert "password" in str(_problem(path).message)


def test_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "scan.pdf", make_scanned_pdf(3)))
    assert "no text layer" in str(problem.message)
    assert "OCR" in str(problem.hint)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nthis is not really a PDF", b"<html>saved with the wrong name</html>",
     make_pdf([[LOREM]])[:300]],
    ids=["garbage", "not-pdf", "truncated"],
)
def test_damaged_pdf_says_it_could_not_be_read(tmp_path: Path, data: bytes) -> None:
    problem = _problem(_write(tmp_path, "broken.pdf", data))
    assert "could not be read as a PDF" in str(problem.message)


def test_running_headers_footers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    body = f"{LOREM} {LOREM}"   # over 200 characters: each page is a chunk of its own
    pages = [[f"# Section {n}", f"Text of section {n}. {body}"] for n in range(1, 6)]
    path = _write(tmp_path, "handbook.pdf",
                  make_pdf(pages, header="ACME Scale Handbook", footer="Page {page} of 5"))
    document = extract(path)
    texts = [b.text for b in document.blocks]
    assert texts.count("ACME Scale Handbook") == 5   # extraction keeps them
    chunks = chunk(document)
    assert [c.page for c in chunks] == [1, 2, 3, 4, 5]
    for n, piece in enumerate(chunks, start=1):
        assert piece.heading == f"Section {n}"
        assert piece.text == f"Section {n}\n\nText of section {n}. {body}"

    bare = make_pdf([["12"], [LOREM], ["- 3 -"], ["iv"]])
    only_numbers = extract(_write(tmp_path, "numbers.pdf", bare))
    assert [c.text for c in chunk(only_numbers)] == [LOREM]


def test_a_line_on_a_few_pages_only_is_kept(tmp_path: Path) -> None:
    pages = [[LOREM] for _ in range(6)]
    pages[0].append("Note: see the annex.")
    pages[3].append("Note: see the annex.")
    document = extract(_write(tmp_path, "notes.pdf", make_pdf(pages)))
    assert sum("Note: see the annex." in c.text for c in chunk(document)) == 2


def test_should_stop_cancels_between_pages(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.pdf", make_pdf([[LOREM]] * 20))
    polls = 0

    def should_stop() -> bool:
        nonlocal polls
        polls += 1
        return polls > 3

    with pytest.raises(UserCancelled):
        extract(path, should_stop)
    assert polls == 4   # stopped on the third page, not at the end

    for name, data in [("a.docx", make_docx([("", LOREM)])), ("a.md", "# x\n\ny"),
                       ("a.html", "<p>x</p>"), ("a.txt", "x")]:
        with pytest.raises(UserCancelled):
            extract(_write(tmp_path, name, data), lambda: True)


def test_two_hundred_pages_extract_quickly(tmp_path: Path) -> None:
    pages = [[f"# Chapter {n}", *(f"Paragraph {k} of page {n}. {LOREM}" for k in range(3))]
             for n in range(1, 201)]
    started = time.perf_counter()
    data = make_pdf(pages, footer="{page}")
    built = time.perf_counter() - started
    document = extract(_write(tmp_path, "big.pdf", data))
    assert built < 1.0
    assert document.pages == 200
    assert len(document.blocks) == 200 * 5   # heading, 3 paragraphs and the page number
    chunks = chunk(document)
    assert len(chunks) == 200
    assert [c.page for c in chunks] == list(range(1, 201))


# ---------------------------------------------------------------- DOCX


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    path = _write(tmp_path, "guide.docx", make_docx([
        ("Title", "Scale guide"),
        ("Heading1", "Calibration"),
        ("", "Check the zero point & the span <daily>."),
        ("Table", "Weight | Tolerance"),
        ("Table", "100 g | 0.1 g"),
        ("Heading2", "校准步骤"),
        ("Normal", "每天早上检查零点。然后记录结果。"),
    ]))
    document = extract(path)
    assert document.pages is None
    assert _kinds(document) == [
        ("heading", "Scale guide"),
        ("heading", "Calibration"),
        ("paragraph", "Check the zero point & the span <daily>."),
        ("paragraph", "Weight | Tolerance"),
        ("paragraph", "100 g | 0.1 g"),
        ("heading", "校准步骤"),
        ("paragraph", "每天早上检查零点。然后记录结果。"),
    ]
    assert all(b.page is None for b in document.blocks)


def test_docx_that_is_not_one_says_so(tmp_path: Path) -> None:
    old_doc = _write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)
    assert ".doc" in str(_problem(old_doc).hint)
    other_zip = tmp_path / "book.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "not a Word .docx file" in str(_problem(other_zip).message)


def test_damaged_docx_says_so(tmp_path: Path) -> None:
    data = make_docx([("", LOREM)])
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as out, zipfile.ZipFile(_write(
            tmp_path, "good.docx", data)) as good:
        for item in good.infolist():
            content = good.read(item)
            out.writestr(item, content[:40] if item.filename == "word/document.xml" else content)
    assert "could not be read as a Word document" in str(_problem(path).message)


def test_docx_without_text_contains_no_text(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "blank.docx", make_docx([("", "")])))
    assert "contains no text" in str(problem.message)


# ---------------------------------------------------------------- HTML


def test_html_blocks_skip_scripts_navigation_and_head(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>Site title</title>
    <style>p { color: red }</style></head><body>
    <nav><a href="/">Home</a> | <a href="/faq">FAQ</a></nav>
    <h1>Care &amp; cleaning</h1>
    <p>Wipe the   pan
       with a <b>dry</b> cloth.<br>Never use water.</p>
    <div>Store it flat.</div>
    <ul><li>Tare first</li><li><p>Then weigh</p></li></ul>
    <ol><li>One</li><li>Two</li></ol>
    <table><tr><th>Part</th><th>Cleaner</th></tr><tr><td><p>Pan</p></td><td>Cloth</td></tr>
    </table>
    <pre>line 1
  line 2</pre>
    <script>document.write("no")</script>
    <h2>Fragen &#8211; 常见问题</h2><blockquote>Quoted text</blockquote>
    </body></html>"""
    document = extract(_write(tmp_path, "care.html", page))
    assert _kinds(document) == [
        ("heading", "Care & cleaning"),
        ("paragraph", "Wipe the pan with a dry cloth."),
        ("paragraph", "Never use water."),
        ("paragraph", "Store it flat."),
        ("paragraph", "- Tare first"),
        ("paragraph", "- Then weigh"),
        ("paragraph", "1. One"),
        ("paragraph", "2. Two"),
        ("paragraph", "Part | Cleaner"),
        ("paragraph", "Pan | Cloth"),
        ("paragraph", "line 1\n  line 2"),
        ("heading", "Fragen – 常见问题"),
        ("paragraph", "Quoted text"),
    ]


def test_html_encoding_from_meta_charset_bom_or_utf8(tmp_path: Path) -> None:
    body = "<h1>校准</h1><p>每天检查零点。</p>"
    declared = f'<html><head><meta charset="gb2312"></head><body>{body}</body></html>'
    http_equiv = ('<meta http-equiv="Content-Type" content="text/html; charset=GBK">' + body)
    for name, data in [
        ("gb.html", declared.encode("gb18030")),
        ("gbk.htm", http_equiv.encode("gb18030")),
        ("bom.html", b"\xef\xbb\xbf" + body.encode()),
        ("plain.html", body.encode()),
        ("undeclared-gb.html", body.encode("gb18030")),
    ]:
        assert _kinds(extract(_write(tmp_path, name, data))) == [
            ("heading", "校准"), ("paragraph", "每天检查零点。")], name


def test_html_without_a_closing_head_still_reads_the_body(tmp_path: Path) -> None:
    path = _write(tmp_path, "sloppy.htm", "<html><head><title>t</title><body><p>Body</p>")
    assert _kinds(extract(path)) == [("paragraph", "Body")]


# ---------------------------------------------------------------- Markdown and text


def test_markdown_blocks(tmp_path: Path) -> None:
    text = """---
title: front matter is not text
---
# Calibration ##

Check the **zero point** with the `reference` weight
(see [the manual](https://example.com/manual)) every __morning__.

- tare the scale
- put the weight on
  and wait

Troubleshooting
===============

Drift
-----

```text
E1: overload

E2: underload
```

| Code | Meaning |
|------|---------|
| E1   | overload |

> Quoted *advice* \\*here\\*.

***
## 中文部分
这是第一行
这是第二行。
"""
    document = extract(_write(tmp_path, "notes.md", text))
    assert _kinds(document) == [
        ("heading", "Calibration"),
        ("paragraph", "Check the zero point with the reference weight (see the manual) every "
                      "morning."),
        ("paragraph", "- tare the scale\n- put the weight on and wait"),
        ("heading", "Troubleshooting"),
        ("heading", "Drift"),
        ("paragraph", "E1: overload\n\nE2: underload"),
        ("paragraph", "Code | Meaning\nE1 | overload"),
        ("paragraph", "Quoted advice *here*."),
        ("heading", "中文部分"),
        ("paragraph", "这是第一行这是第二行。"),
    ]


def test_text_paragraphs_on_blank_lines(tmp_path: Path) -> None:
    text = "First line\nsame paragraph.\n\n\n第二段第一行\n第二段。\n  \n1. item\n2. item\n"
    document = extract(_write(tmp_path, "plain.txt", text))
    assert _kinds(document) == [
        ("paragraph", "First line same paragraph."),
        ("paragraph", "第二段第一行第二段。"),
        ("paragraph", "1. item\n2. item"),
    ]
    assert document.pages is None


def test_text_in_gb18030_and_utf16(tmp_path: Path) -> None:
    for name, data in [("gb.txt", "校准规程。".encode("gb18030")),
                       ("utf16.txt", "\ufeff校准规程。".encode("utf-16-le"))]:
        assert _kinds(extract(_write(tmp_path, name, data))) == [("paragraph", "校准规程。")]


def test_binary_text_file_names_the_file(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "data.txt", b"\x00\x01\x02binary" * 20))
    assert "UTF-8" in str(problem.hint)


# ---------------------------------------------------------------- other problems


def test_unsupported_kind_lists_the_supported_ones(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "slides.pptx", b"PK"))
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(problem.hint)


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt", "blank.md",
                                  "blank.html"])
def test_empty_document_contains_no_text(tmp_path: Path, name: str) -> None:
    content = "" if name.startswith("empty") else "\n\n   \n<!-- -->" if name.endswith(
        "html") else "\n\n   \n"
    problem = _problem(_write(tmp_path, name, content))
    assert "contains no text" in str(problem.message)


def test_pdf_without_pages_contains_no_text(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "no pages.pdf", make_pdf([])))
    assert "contains no text" in str(problem.message)


def test_missing_file_is_a_file_problem(tmp_path: Path) -> None:
    problem = _problem(tmp_path / "gone.pdf")
    assert "could not be read" in str(problem.message)


def test_messages_are_translatable_texts(tmp_path: Path) -> None:
    problem = _problem(_write(tmp_path, "scan.pdf", make_scanned_pdf(1)))
    assert problem.message.context == "Documents"
    assert problem.message.kwargs == {"name": "scan.pdf"}


# ---------------------------------------------------------------- chunks


def _document(blocks: list[Block], pages: int | None = None) -> DocumentText:
    return DocumentText(Path("/docs/doc.md"), "doc.md", tuple(blocks), pages)


def test_chunks_follow_headings_and_pack_paragraphs() -> None:
    # Headings with nothing between them are kept together (a chapter and its first
    # section); a heading is never a chunk on its own.
    blocks = [
        Block("paragraph", "Before any heading.", None),
        Block("heading", "Part one", None),
        Block("heading", "Setup", None),          # a heading right after a heading
        *(Block("paragraph", f"Paragraph {n}. " + "x" * 80, None) for n in range(5)),
        Block("heading", "Chapter two", None),    # nothing under it but the next heading
        Block("heading", "Use", None),
        Block("paragraph", "Weigh things.", None),
    ]
    chunks = chunk(_document(blocks), max_chars=300)
    assert [(c.heading, c.text.split("\n")[0]) for c in chunks] == [
        ("", "Before any heading."),
        ("Setup", "Part one"),
        ("Setup", "Paragraph 3. " + "x" * 80),   # 0-2 filled the chunk before (299 chars)
        ("Use", "Chapter two"),
    ]
    assert chunks[1].text.startswith("Part one\nSetup\n\nParagraph 0.")
    assert chunks[3].text == "Chapter two\nUse\n\nWeigh things."
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(c.source == "doc.md" and c.page is None for c in chunks)


def test_chunk_ids_are_stable_and_distinct() -> None:
    blocks = [Block("heading", "H", 1), Block("paragraph", "Same text.", 1),
              Block("heading", "H", 2), Block("paragraph", "Same text.", 2)]
    first = chunk(_document(blocks, pages=2), max_chars=100)
    again = chunk(_document(list(blocks), pages=2), max_chars=100)
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == 2
    assert all(len(c.id) == 16 and int(c.id, 16) >= 0 for c in first)


def test_chunk_ids_stay_the_same_across_extractions(tmp_path: Path) -> None:
    path = _write(tmp_path, "manual.pdf", make_pdf([["# A", LOREM], ["# B", LOREM]]))
    assert [c.id for c in chunk(extract(path))] == [c.id for c in chunk(extract(path))]


def test_long_paragraph_splits_at_sentence_ends() -> None:
    sentences = [f"Sentence number {n} says something useful." for n in range(40)]
    document = _document([Block("paragraph", " ".join(sentences), None)])
    chunks = chunk(document, max_chars=300)
    assert len(chunks) > 1
    for piece in chunks:
        assert len(piece.text) <= 300
        assert piece.text.endswith("useful.")
    assert " ".join(c.text for c in chunks) == " ".join(sentences)


def test_long_chinese_paragraph_splits_at_chinese_sentence_ends() -> None:
    sentences = [f"第{n}句说明如何校准天平！" if n % 3 else f"第{n}句是问题吗？" for n in range(60)]
    sentences += ["最后一句。"]
    text = "".join(sentences)
    chunks = chunk(_document([Block("heading", "校准", None), Block("paragraph", text, None)]),
                   max_chars=120)
    assert chunks[0].text.startswith("校准\n\n")
    bodies = [c.text.removeprefix("校准\n\n") for c in chunks]
    assert "".join(bodies) == text
    assert all(len(c.text) <= 120 for c in chunks)
    assert all(body[-1] in "。！？" for body in bodies)
    assert all(c.heading == "校准" for c in chunks)


def test_text_without_sentence_ends_is_cut_hard() -> None:
    text = "字" * 1000
    chunks = chunk(_document([Block("paragraph", text, None)]), max_chars=300)
    assert [len(c.text) for c in chunks] == [300, 300, 300, 100]


def test_a_new_page_starts_a_new_chunk_unless_the_chunk_is_tiny() -> None:
    long_text = "A sentence that fills the page. " * 8
    blocks = [
        Block("heading", "Intro", 1),
        Block("paragraph", "Tiny.", 1),                # tiny: runs on to page 2
        Block("paragraph", long_text.strip(), 2),
        Block("paragraph", "Still page two.", 2),
        Block("paragraph", "Page three.", 3),          # a new chunk
    ]
    chunks = chunk(_document(blocks, pages=3))
    assert [(c.page, c.text.splitlines()[0]) for c in chunks] == [
        (1, "Intro"), (3, "Page three.")]
    assert "Still page two." in chunks[0].text


def test_max_chars_must_leave_room() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        chunk(_document([Block("paragraph", "x", None)]), max_chars=10)


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("每天早上检查零点。", "zh"),
        ("使用 Azure OpenAI 微调模型，然后部署它。", "zh"),
        ("Check the zero point every morning.", "en"),
        ("The Chinese word for scale is 天平.", "en"),
        ("", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_language_of(text: str, language: str) -> None:
    assert language_of(text) == language
