"""Builders for document fixtures: PDFs with a real text layer, .docx files, locked and
scanned PDFs. Written by hand (no binary files in the repository, no PDF library needed
to write them), fast enough for a 200-page PDF in a benchmark.

``make_pdf`` lays out text in Helvetica (WinAnsi, so English and Western European text
only: PDFs with Chinese text need an embedded CJK font, which these fixtures do not have).
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from xml.sax.saxutils import escape

_PAGE_WIDTH, _PAGE_HEIGHT = 612, 792   # US Letter, points
_MARGIN = 72
_BODY_SIZE, _BODY_LEADING = 11, 14
_HEADING_SIZE, _HEADING_LEADING = 16, 22
_PARAGRAPH_GAP = 10
_WRAP = 88   # characters per line at 11 pt Helvetica on a 468 pt line, roughly


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text_line(font: str, size: int, x: float, y: float, text: str) -> bytes:
    return b"BT /%s %d Tf %.1f %.1f Td %s Tj ET\n" % (
        font.encode(), size, x, y, _pdf_string(text))


def _page_content(
    paragraphs: list[str], header: str | None, footer: str | None, number: int
) -> bytes:
    out = bytearray()
    if header:
        out += _text_line("F1", 9, _MARGIN, _PAGE_HEIGHT - 40, header.format(page=number))
    if footer:
        out += _text_line("F1", 9, _PAGE_WIDTH / 2 - 20, 36, footer.format(page=number))
    y = _PAGE_HEIGHT - _MARGIN
    for paragraph in paragraphs:
        if paragraph.startswith("# "):
            font, size, leading = "F2", _HEADING_SIZE, _HEADING_LEADING
            lines = [paragraph[2:]]
        else:
            font, size, leading = "F1", _BODY_SIZE, _BODY_LEADING
            # "\n" inside a paragraph forces a line break (to test hyphenated lines)
            lines = [wrapped for part in paragraph.split("\n")
                     for wrapped in (textwrap.wrap(part, _WRAP) or [""])]
        for line in lines:
            out += _text_line(font, size, _MARGIN, y, line)
            y -= leading
        y -= _PARAGRAPH_GAP
    return bytes(out)


def _assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from its objects (object n is objects[n - 1]; 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _pdf_from_contents(contents: list[bytes]) -> bytes:
    # 1 catalog, 2 page tree, 3 and 4 fonts, then a page and its content stream per page
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (_PAGE_WIDTH, _PAGE_HEIGHT, 6 + 2 * i)
        )
        objects.append(_stream(content))
    return _assemble_pdf(objects)


def make_pdf(
    pages: list[list[str]], *, header: str | None = None, footer: str | None = None
) -> bytes:
    """A PDF with a text layer: one page per list, one paragraph per string.

    A string starting with "# " is a heading (16 pt bold). ``header``/``footer`` are small
    lines at the top/bottom of every page; "{page}" in them becomes the page number.
    """
    return _pdf_from_contents(
        [_page_content(paragraphs, header, footer, n) for n, paragraphs in
         enumerate(pages, start=1)]
    )


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages hold only drawings (what a scan looks like to a text extractor)."""
    picture = b"0.2 0.2 0.2 rg 72 72 468 648 re f\n1 1 1 rg 100 100 200 50 re f\n"
    return _pdf_from_contents([picture] * pages)


def make_encrypted_pdf(
    pages: list[list[str]], user_password: str = "secret", owner_password: str = "owner"
) -> bytes:
    """``make_pdf(pages)`` locked with RC4-128 (pypdf needs no cryptography package for it).

    An empty ``user_password`` gives a PDF that opens without one (only editing is locked).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(pages))))
    writer.encrypt(user_password=user_password, owner_password=owner_password,
                   algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLE_NAMES = {"Title": "Title", **{f"Heading{n}": f"heading {n}" for n in range(1, 7)}}


def _styles() -> str:
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        '<w:basedOn w:val="Normal"/></w:style>'
        for style_id, name in _STYLE_NAMES.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{_W}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f"</w:style>{styles}</w:styles>"
    )


def _paragraph(style: str, text: str) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style not in ("", "Normal") else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def make_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A minimal Word document: (style id, text) per paragraph.

    Styles: "Normal" (or ""), "Title", "Heading1".."Heading6". The style "Table" makes a
    table row whose cells are the text split on " | "; consecutive rows form one table.
    """
    body: list[str] = []
    rows: list[str] = []
    for style, text in [*paragraphs, ("", None)]:
        if style == "Table" and text is not None:
            cells = "".join(f"<w:tc>{_paragraph('', cell)}</w:tc>" for cell in text.split(" | "))
            rows.append(f"<w:tr>{cells}</w:tr>")
            continue
        if rows:
            body.append(f"<w:tbl>{''.join(rows)}</w:tbl>")
            rows = []
        if text is not None:
            body.append(_paragraph(style, text))
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        archive.writestr("word/styles.xml", _styles())
    return out.getvalue()
