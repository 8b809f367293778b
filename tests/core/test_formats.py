"""Importers: JSONL/JSON, CSV/TSV/TXT in every encoding seen in the wild, XLSX, mapping."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest

from tunedesk.core.dataset import Message, Role, Split
from tunedesk.core.errors import FileProblem
from tunedesk.core.findings import Severity
from tunedesk.core.formats import (
    MAX_IMPORT_BYTES,
    ColumnMapping,
    ColumnMappingNeeded,
    detect_mapping,
    import_file,
)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def chat(q: str, a: str, system: str | None = None) -> str:
    messages = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    return json.dumps({"messages": messages}, ensure_ascii=False)


# ---------------------------------------------------------------------- JSONL
def test_published_sample_keeps_the_system_only_line(data_dir: Path) -> None:
    result = import_file(data_dir / "family-as-published.jsonl")
    assert result.format == "jsonl"
    assert result.problems == []
    assert len(result.examples) == 10
    first = result.examples[0]
    assert [m.role for m in first.messages] == ["system"]
    assert first.own_system is not None
    assert "JIM" in first.own_system
    assert first.source_line == 1
    assert [e.source_line for e in result.examples] == list(range(1, 11))
    assert result.examples[1].question == "你家有几个人？"
    assert result.examples[1].answer == "我家有4个人，还有一只猫kitty。"


@pytest.mark.parametrize(("bom", "newline"), [(b"", b"\n"), (codecs.BOM_UTF8, b"\r\n")])
def test_jsonl_with_and_without_bom_and_crlf(tmp_path: Path, bom: bytes, newline: bytes) -> None:
    lines = [chat("问题一", "答案一"), chat("Q2", "A2", system="Be brief.")]
    path = write(tmp_path / "a.jsonl", bom + newline.join(s.encode() for s in lines) + newline)
    result = import_file(path)
    assert [e.question for e in result.examples] == ["问题一", "Q2"]
    assert result.examples[1].own_system == "Be brief."
    assert result.examples[1].messages[0].role == "system"
    assert result.skipped_blank == 0
    assert all(isinstance(m.content, str) and "\r" not in m.content
               for e in result.examples for m in e.messages)


def test_jsonl_multi_turn_and_raw_values_are_kept(tmp_path: Path) -> None:
    turns = [
        {"role": "system", "content": "S"},
        {"role": "user", "content": "u1"},
        {"role": "assistant", "content": "a1", "weight": 0},
        {"role": "user", "content": "u2"},
        {"role": "assistant", "content": "a2", "weight": 1},
    ]
    odd = [{"role": "robot", "content": 5, "weight": "heavy"}, {"content": "no role"}]
    path = tmp_path / "m.jsonl"
    path.write_text(
        json.dumps({"messages": turns}) + "\n" + json.dumps({"messages": odd}) + "\n",
        encoding="utf-8",
    )
    result = import_file(path)
    multi, weird = result.examples
    assert [m.to_json() for m in multi.messages] == turns
    assert multi.is_multi_turn
    assert multi.turns == 2
    assert weird.messages[0] == Message("robot", 5, "heavy")
    assert weird.messages[1].content == "no role"
    assert result.problems == []


def test_prompt_completion_and_question_answer_lines(tmp_path: Path) -> None:
    path = tmp_path / "pc.jsonl"
    path.write_text(
        '{"prompt": "P?", "completion": "C."}\n'
        '{"question": "Q?", "answer": "A.", "system": "Sys"}\n'
        '{"问题": "问？", "答案": "答。"}\n',
        encoding="utf-8",
    )
    result = import_file(path)
    assert [(e.question, e.answer) for e in result.examples] == [
        ("P?", "C."), ("Q?", "A."), ("问？", "答。")]
    assert result.examples[1].own_system == "Sys"
    assert [m.role for m in result.examples[0].messages] == [Role.USER, Role.ASSISTANT]


def test_broken_lines_are_reported_and_good_lines_still_load(tmp_path: Path) -> None:
    good = chat("q", "a").encode()
    lines = [
        good,                                   # 1
        b'{"messages": [ {"role": "user"',      # 2 truncated JSON
        b"",                                    # 3 blank
        b'["not", "an", "object"]',             # 4
        b'{"messages": "hello"}',               # 5 messages not a list
        b'{"foo": 1}',                          # 6 unknown shape
        b"\x00\x00\x00\x00",                    # 7 NUL garbage
        b'{"question": "\xff\xfe bad bytes"}',  # 8 not UTF-8
        b'{"messages": ["x"]}',                 # 9 message not an object
        b'{"answer": NaN}',                     # 10 NaN is not JSON
        b"[" * 100_000,                         # 11 nested too deeply
        good,                                   # 12
    ]
    path = write(tmp_path / "broken.jsonl", b"\n".join(lines) + b"\n")
    result = import_file(path)
    assert [e.source_line for e in result.examples] == [1, 12]
    assert result.skipped_blank == 1
    by_line = {f.line: f for f in result.problems}
    assert sorted(line or 0 for line in by_line) == [2, 4, 5, 6, 7, 8, 9, 10, 11]
    for finding in result.problems:
        assert finding.severity == Severity.ERROR
        assert finding.path == str(path)
        text = str(finding.message)
        assert f"Line {finding.line} of broken.jsonl" in text or (
            f"line {finding.line} of broken.jsonl" in text
        )
    assert by_line[7].code == "import.binary_line"
    assert by_line[8].code == "import.not_utf8"
    assert by_line[2].code == by_line[10].code == "import.bad_json"


def test_many_broken_lines_are_summarised(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(chat("q", "a") + "\n" + "{oops\n" * 500, encoding="utf-8")
    result = import_file(path)
    assert len(result.examples) == 1
    assert len(result.problems) == 201
    assert "300 more lines" in str(result.problems[-1].message)


def test_jsonl_where_nothing_loads_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "table.jsonl"
    path.write_text("question,answer\nq,a\n", encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        import_file(path)
    assert caught.value.line == 1
    assert "table.jsonl" in str(caught.value)


def test_json_array_with_line_numbers(tmp_path: Path) -> None:
    items = [json.loads(chat("q1", "a1")), {"prompt": "q2", "completion": "a2"}, 7]
    path = tmp_path / "data.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    result = import_file(path)
    assert result.format == "json"
    assert [e.question for e in result.examples] == ["q1", "q2"]
    text = path.read_text(encoding="utf-8").split("\n")
    for example in result.examples:
        assert text[(example.source_line or 0) - 1].strip() == "{"
    assert len(result.problems) == 1
    assert text[(result.problems[0].line or 0) - 1].strip() == "7"


def test_pretty_printed_single_object_in_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(json.loads(chat("q", "a")), indent=2), encoding="utf-8")
    result = import_file(path)
    assert [e.answer for e in result.examples] == ["a"]


# ---------------------------------------------------------------------- text tables
ROWS: list[tuple[str, ...]] = [
    ("问题", "答案"),
    ("你家有几个人？", "我家有4个人，\n还有一只猫。"),
    ("Who, me?", 'He said "hi"'),
]


def csv_text(rows: list[tuple[str, ...]], sep: str = ",",
             newline: str = "\r\n") -> str:
    def cell(value: str) -> str:
        if any(ch in value for ch in (sep, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(sep.join(cell(v) for v in row) + newline for row in rows)


@pytest.mark.parametrize(
    ("suffix", "sep", "encoding", "bom", "expected_encoding"),
    [
        (".csv", ",", "utf-8", b"", "utf-8"),
        (".csv", ",", "utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        (".csv", ";", "utf-8", b"", "utf-8"),
        (".csv", ",", "gb18030", b"", "gb18030"),
        (".csv", ",", "gbk", b"", "gb18030"),
        (".tsv", "\t", "utf-8", b"", "utf-8"),
        (".txt", "\t", "utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),  # Excel "Unicode text"
        (".txt", "\t", "utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        (".csv", ",", "utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        (".txt", "\t", "utf-16-le", b"", "utf-16-le"),  # no BOM: found from the zero bytes
    ],
)
def test_table_encodings_and_delimiters(
    tmp_path: Path, suffix: str, sep: str, encoding: str, bom: bytes, expected_encoding: str
) -> None:
    path = write(tmp_path / f"t{suffix}", bom + csv_text(ROWS, sep).encode(encoding))
    result = import_file(path)
    assert result.encoding == expected_encoding
    assert result.format == ("tsv" if sep == "\t" else "csv")
    assert [(e.question, e.answer) for e in result.examples] == [ROWS[1], ROWS[2]]
    # the multi-line record starts on line 2; the next one on line 4
    assert [e.source_line for e in result.examples] == [2, 4]
    assert result.problems == []


def test_multiline_cell_keeps_its_own_line_break(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", csv_text(ROWS, newline="\n").encode())
    result = import_file(path)
    assert result.examples[0].answer == "我家有4个人，\n还有一只猫。"


def test_blank_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("question,answer\n\n,\nq1,a1\n  ,  \nq2,a2\n", encoding="utf-8")
    result = import_file(path)
    assert [(e.question, e.source_line) for e in result.examples] == [("q1", 4), ("q2", 6)]
    assert result.skipped_blank == 3


def test_optional_columns_system_split_note(tmp_path: Path) -> None:
    path = tmp_path / "full.csv"
    path.write_text(
        "编号,系统提示词,问题,答案,用途,备注\n"
        "1,你是助手,问1,答1,训练,来自手册\n"
        "2,,问2,答2,验证,\n"
        "3,,问3,答3,whatever,\n",
        encoding="utf-8",
    )
    result = import_file(path)
    assert result.mapping == ColumnMapping(question=2, answer=3, system=1, split=4, note=5)
    first, second, third = result.examples
    assert first.messages[0] == Message(Role.SYSTEM, "你是助手")
    assert first.split == Split.TRAIN
    assert first.note == "来自手册"
    assert second.own_system is None
    assert second.split == Split.VALIDATION
    assert third.split == Split.AUTO


def test_unclosed_quote_is_reported_at_the_line_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('question,answer\nq1,a1\nq2,"never closed\nq3,a3\n', encoding="utf-8")
    result = import_file(path)
    assert [e.question for e in result.examples] == ["q1"]
    assert [(f.code, f.line) for f in result.problems] == [("import.open_quote", 3)]


def test_bad_quotes_in_one_row_do_not_stop_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('question,answer\n"q1"x,a1\nq2,a2\n', encoding="utf-8")
    result = import_file(path)
    assert [e.question for e in result.examples] == ["q2"]
    assert [(f.code, f.line) for f in result.problems] == [("import.bad_quotes", 2)]


def test_long_cells_are_not_cut_off(tmp_path: Path) -> None:
    long_answer = "长" * 300_000
    path = tmp_path / "long.csv"
    path.write_text(f'question,answer\nq,"{long_answer}"\n', encoding="utf-8")
    assert import_file(path).examples[0].answer == long_answer


# ---------------------------------------------------------------------- header recognition
@pytest.mark.parametrize(
    ("headers", "question", "answer"),
    [
        (["Question", "Answer"], 0, 1),
        (["prompt", "completion"], 0, 1),
        (["ID", "Input", "Output"], 1, 2),
        (["instruction", "input", "output"], 0, 2),
        (["instruction", "response"], 0, 1),
        (["Q:", "A:"], 0, 1),
        (["User", "Assistant"], 0, 1),
        (["QUERY", "reply"], 0, 1),
        (["  question text ", "Expected_Answer"], 0, 1),
        (["问题", "答案"], 0, 1),
        (["提问", "回答"], 0, 1),
        (["问", "答"], 0, 1),
        (["用户", "助手"], 0, 1),
        (["输入", "输出"], 0, 1),
        (["问句", "答句"], 0, 1),
        (["题目", "答复"], 0, 1),
        (["答案", "问题（必填）"], 1, 0),
        (["ＱＵＥＳＴＩＯＮ", "ａｎｓｗｅｒ"], 0, 1),  # full-width letters
    ],
)
def test_detect_mapping_recognises_headings(
    headers: list[str], question: int, answer: int
) -> None:
    mapping = detect_mapping(headers)
    assert mapping is not None
    assert (mapping.question, mapping.answer, mapping.has_header) == (question, answer, True)


@pytest.mark.parametrize(
    ("headers", "field", "index"),
    [
        (["q", "a", "System Prompt"], "system", 2),
        (["q", "a", "系统提示"], "system", 2),
        (["q", "a", "split"], "split", 2),
        (["q", "a", "划分"], "split", 2),
        (["q", "a", "Notes"], "note", 2),
        (["q", "a", "comment"], "note", 2),
        (["q", "a", "说明"], "note", 2),
    ],
)
def test_detect_mapping_optional_columns(headers: list[str], field: str, index: int) -> None:
    mapping = detect_mapping(headers)
    assert mapping is not None
    assert getattr(mapping, field) == index


@pytest.mark.parametrize("headers", [["foo", "bar"], ["question", "notes"], [], ["答案"]])
def test_detect_mapping_needs_both_columns(headers: list[str]) -> None:
    assert detect_mapping(headers) is None


def test_unrecognised_header_asks_for_a_mapping_then_uses_it(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("Kunde,Thema,Antwort\nAnna,Q1?,A1\nBen,Q2?,A2\n", encoding="utf-8")
    with pytest.raises(ColumnMappingNeeded) as caught:
        import_file(path)
    needed = caught.value
    assert needed.path == str(path)
    assert needed.headers == ["Kunde", "Thema", "Antwort"]
    assert needed.sample == [["Anna", "Q1?", "A1"], ["Ben", "Q2?", "A2"]]
    assert needed.guess is not None
    assert needed.guess.has_header
    result = import_file(path, mapping=ColumnMapping(question=1, answer=2))
    assert [(e.question, e.answer, e.source_line) for e in result.examples] == [
        ("Q1?", "A1", 2), ("Q2?", "A2", 3)]
    assert result.mapping == ColumnMapping(question=1, answer=2)


def test_no_header_row_offers_numbered_columns(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("How old is Jim?,Jim is 10.\nWho is Mike?,Jim's brother.\n",
                    encoding="utf-8")
    with pytest.raises(ColumnMappingNeeded) as caught:
        import_file(path)
    needed = caught.value
    assert needed.headers == ["Column 1", "Column 2"]
    assert needed.sample[0] == ["How old is Jim?", "Jim is 10."]
    assert needed.guess == ColumnMapping(0, 1, has_header=False)
    result = import_file(path, mapping=needed.guess)
    assert [e.question for e in result.examples] == ["How old is Jim?", "Who is Mike?"]
    assert [e.source_line for e in result.examples] == [1, 2]


def test_mapping_outside_the_table_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("a,b\nc,d\n", encoding="utf-8")
    with pytest.raises(FileProblem):
        import_file(path, mapping=ColumnMapping(question=0, answer=5))


# ---------------------------------------------------------------------- XLSX
def make_xlsx(path: Path, rows: list[list[object]], *, empty_first_sheet: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if empty_first_sheet:
        sheet.title = "Empty"
        sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_values_are_text_as_shown(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "q.xlsx", [
        ["问题", "答案", "备注"],
        ["几岁？", 3, 3.5],
        [None, None, None],
        [dt.datetime(2024, 5, 1), dt.date(2024, 5, 2), True],
        ["multi\nline", "x", 0.1 + 0.2],
    ], empty_first_sheet=True)
    result = import_file(path)
    assert result.format == "xlsx"
    assert result.encoding is None
    rows = [(e.question, e.answer, e.note, e.source_line) for e in result.examples]
    assert rows == [
        ("几岁？", "3", "3.5", 2),
        ("2024-05-01", "2024-05-02", "TRUE", 4),
        ("multi\nline", "x", "0.3", 5),
    ]
    assert result.skipped_blank == 1


def test_xlsx_without_header_asks_for_mapping(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "n.xlsx", [["Where do we live?", "Beijing."], ["Cat?", "Kitty."]])
    with pytest.raises(ColumnMappingNeeded) as caught:
        import_file(path)
    result = import_file(path, mapping=caught.value.guess)
    assert [e.answer for e in result.examples] == ["Beijing.", "Kitty."]


@pytest.mark.parametrize(
    "data",
    [b"question,answer\nq,a\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
     b"PK\x03\x04" + os.urandom(2000)],
)
def test_not_a_real_xlsx(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "fake.xlsx", data)
    with pytest.raises(FileProblem) as caught:
        import_file(path)
    assert "fake.xlsx" in str(caught.value)


def test_xlsx_zip_without_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FileProblem):
        import_file(path)


# ---------------------------------------------------------------------- whole-file problems
def test_missing_empty_folder_and_unsupported(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match=r"could not be found"):
        import_file(tmp_path / "missing.csv")
    with pytest.raises(FileProblem, match=r"is empty"):
        import_file(write(tmp_path / "empty.jsonl", b""))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(FileProblem, match=r"folder"):
        import_file(folder)
    with pytest.raises(FileProblem, match=r"cannot import"):
        import_file(write(tmp_path / "doc.docx", b"PK"))


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt", ".jsonl", ".json"])
def test_binary_garbage_is_refused(tmp_path: Path, suffix: str) -> None:
    garbage = bytes(range(256)) * 64
    with pytest.raises(FileProblem, match=r"binary"):
        import_file(write(tmp_path / f"g{suffix}", garbage))


def test_nul_in_the_middle_of_a_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", b"question,answer\nq,a\nq2,a\x00\n")
    with pytest.raises(FileProblem) as caught:
        import_file(path)
    assert caught.value.line == 3


def test_undecodable_text_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.csv", b"question,answer\nq,a\nq,\xff\xff\xff\n")
    with pytest.raises(FileProblem) as caught:
        import_file(path)
    assert caught.value.line == 3
    assert "UTF-8" in str(caught.value)


def test_too_large_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:  # sparse: 1 GB on paper, nothing on disk
        handle.truncate(1024 * 1024 * 1024)
    with pytest.raises(FileProblem, match=r"1024 MB") as caught:
        import_file(path)
    assert caught.value.path == str(path)
    assert os.path.getsize(path) > MAX_IMPORT_BYTES
