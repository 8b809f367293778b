"""Clipboard TSV: what Excel/Sheets/browsers put on the clipboard, and back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tunedesk.core.clipboard import format_tsv, parse_tsv, quote_cell


def test_plain_block_with_trailing_newline() -> None:
    assert parse_tsv("a\tb\r\nc\td\r\n") == [["a", "b"], ["c", "d"]]


def test_single_value() -> None:
    assert parse_tsv("hello") == [["hello"]]
    assert parse_tsv("") == []


def test_excel_quoted_cell_with_newline_tab_and_quotes() -> None:
    text = 'Q1\t"line one\nline two"\r\n"say ""hi""\tthere"\tA2\r\n'
    assert parse_tsv(text) == [["Q1", "line one\nline two"], ['say "hi"\tthere', "A2"]]


def test_windows_line_breaks_inside_quoted_cell_become_lf() -> None:
    assert parse_tsv('"a\r\nb"\tc') == [["a\nb", "c"]]


def test_stray_quotes_are_text() -> None:
    assert parse_tsv('5" screen\tok') == [['5" screen', "ok"]]
    assert parse_tsv('"quoted" then text\tx') == [['"quoted" then text', "x"]]
    assert parse_tsv('"never closed\tx') == [['"never closed', "x"]]


def test_empty_cells_and_ragged_rows() -> None:
    assert parse_tsv("a\t\tc\nd") == [["a", "", "c"], ["d"]]
    assert parse_tsv("a\n\n") == [["a"], [""]]


def test_format_quotes_only_when_needed() -> None:
    assert quote_cell("plain") == "plain"
    assert quote_cell('a "b"') == '"a ""b"""'
    assert format_tsv([["a", "b\nc"], ["d", "e"]]) == 'a\t"b\nc"\r\nd\te\r\n'


cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5))
def test_round_trip(rows: list[list[str]]) -> None:
    # Line endings inside cells are normalised to LF, as a spreadsheet does.
    expected = [[c.replace("\r\n", "\n").replace("\r", "\n") for c in r] for r in rows]
    assert parse_tsv(format_tsv(rows)) == expected
