"""Spreadsheet clipboard text: parse and produce the tab-separated form Excel uses.

Excel, LibreOffice, Google Sheets and browsers (copying an HTML table) put a block of cells
on the clipboard as text: cells separated by TAB, rows by newline (CR LF on Windows). A cell
whose text contains a tab, a newline or a double quote is wrapped in double quotes, with
each quote doubled. :func:`parse_tsv` reads that back leniently (a stray quote in the middle
of a cell is kept as text); :func:`format_tsv` writes it, so copy -> paste round-trips inside
TuneDesk and between TuneDesk and a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence

_NEEDS_QUOTES = ("\t", "\n", "\r", '"')


def parse_tsv(text: str) -> list[list[str]]:
    """Split clipboard ``text`` into rows of cells.

    - One trailing newline (spreadsheets add it) does not make an extra empty row.
    - Line breaks inside quoted cells are kept as ``\\n``.
    - A field that starts with a quote but is not a well-formed quoted cell is read as is.
    - Rows may have different lengths; the caller decides how to fill.
    """
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows: list[list[str]] = []
    row: list[str] = []
    i = 0
    n = len(text)
    while True:
        cell, i = _read_cell(text, i, n)
        row.append(cell)
        if i >= n:
            rows.append(row)
            break
        sep = text[i]
        i += 1
        if sep == "\n":
            rows.append(row)
            row = []
            if i >= n:  # text ended with a blank line: keep it as one empty cell row
                rows.append([""])
                break
    return rows


def _read_cell(text: str, i: int, n: int) -> tuple[str, int]:
    """Read one cell starting at ``i``; returns (cell, index of the separator or n)."""
    if i < n and text[i] == '"':
        parts: list[str] = []
        j = i + 1
        while j < n:
            q = text.find('"', j)
            if q < 0:
                break  # never closed: not a quoted cell
            parts.append(text[j:q])
            if q + 1 < n and text[q + 1] == '"':
                parts.append('"')
                j = q + 2
                continue
            # closing quote: valid only if followed by a separator or the end
            if q + 1 >= n or text[q + 1] in "\t\n":
                return "".join(parts), q + 1
            break
    # an unquoted cell (or a malformed quoted one): up to the next separator
    end = i
    while end < n and text[end] not in "\t\n":
        end += 1
    return text[i:end], end


def quote_cell(cell: str) -> str:
    """One cell as Excel writes it to the clipboard."""
    if any(ch in cell for ch in _NEEDS_QUOTES):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def format_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as clipboard text: CR LF after every row, exactly as Excel writes it.

    The final CR LF keeps a trailing empty row (or a single empty cell) distinguishable.
    """
    return "".join("\t".join(quote_cell(c) for c in row) + "\r\n" for row in rows)
