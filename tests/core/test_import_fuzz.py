"""Fuzzing every importer: whatever the bytes, import_file returns a result or raises one of
the two documented user-facing errors (FileProblem, ColumnMappingNeeded) — nothing else."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tunedesk.core.errors import FileProblem
from tunedesk.core.findings import Severity
from tunedesk.core.formats import (
    SUPPORTED_SUFFIXES,
    ColumnMapping,
    ColumnMappingNeeded,
    ImportResult,
    import_file,
)

# TUNEDESK_FUZZ_EXAMPLES=5000 for a long local run; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("TUNEDESK_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def run_import(data: bytes, suffix: str, mapping: ColumnMapping | None = None) -> object:
    """Import ``data`` saved with ``suffix``; return the result or the allowed error."""
    # tmp_path cannot be shared across hypothesis examples, so each one gets its own folder.
    outcome: ImportResult | FileProblem | ColumnMappingNeeded
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            outcome = import_file(path, mapping=mapping)
        except (FileProblem, ColumnMappingNeeded) as expected:
            outcome = expected
    if not isinstance(outcome, ImportResult):
        assert outcome.path == path
        assert str(outcome)  # the message renders
        return outcome
    result = outcome
    assert isinstance(result, ImportResult)
    assert result.path == path
    for finding in result.problems:
        assert finding.severity == Severity.ERROR
        assert finding.path == path
        assert str(finding.message)
    for example in result.examples:
        assert (example.source_line or 0) >= 1
    return result


@FUZZ
@given(data=st.binary(min_size=0, max_size=4096),
       suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_random_bytes_with_every_suffix(data: bytes, suffix: str) -> None:
    run_import(data, suffix)


prefixes = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                            b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"[", b"{"])


@FUZZ
@given(prefix=prefixes, data=st.binary(max_size=2048),
       suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_random_bytes_after_a_plausible_start(prefix: bytes, data: bytes, suffix: str) -> None:
    run_import(prefix + data, suffix)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["role", "content", "weight", "messages", "prompt",
                                       "completion", "question", "answer", "问题", "system",
                                       "split", "note", "x"]), children, max_size=5),
    max_leaves=20,
)
chat_lines = st.builds(
    lambda msgs: {"messages": msgs},
    st.lists(st.fixed_dictionaries(
        {"role": st.sampled_from(["system", "user", "assistant", "tool", 3, None]),
         "content": st.text(max_size=30) | st.none() | st.integers()},
        optional={"weight": st.sampled_from([0, 1, 2, "x"])}), max_size=5),
)


@FUZZ
@given(
    lines=st.lists(json_values | chat_lines, max_size=12),
    junk=st.lists(st.text(max_size=30), max_size=3),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    suffix=st.sampled_from([".jsonl", ".json"]),
)
def test_structured_jsonl(
    lines: list[object], junk: list[str], newline: str, bom: bool, suffix: str
) -> None:
    text_lines = [json.dumps(v, ensure_ascii=bool(len(text) % 2))
                  for text, v in ((str(i), v) for i, v in enumerate(lines))] + junk
    data = newline.join(text_lines).encode("utf-8", "surrogatepass")
    result = run_import((codecs.BOM_UTF8 if bom else b"") + data, suffix)
    if isinstance(result, ImportResult) and suffix == ".jsonl" and not junk:
        # every line that is a usable object is loaded, in order, with its own line number
        assert all(1 <= (e.source_line or 0) <= len(lines) for e in result.examples)
        for example in result.examples:
            source = lines[(example.source_line or 0) - 1]
            if isinstance(source, dict) and isinstance(source.get("messages"), list):
                assert len(example.messages) == len(source["messages"])


cells = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=15)


@FUZZ
@given(
    header=st.lists(st.sampled_from(["question", "answer", "问题", "答案", "system", "split",
                                     "备注", "x", ""]) | cells, min_size=1, max_size=5),
    rows=st.lists(st.lists(cells, max_size=6), max_size=10),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
    suffix=st.sampled_from([".csv", ".tsv", ".txt"]),
    mapping=st.none() | st.builds(ColumnMapping, question=st.integers(-1, 6),
                                  answer=st.integers(-1, 6),
                                  system=st.none() | st.integers(0, 6),
                                  has_header=st.booleans()),
)
def test_structured_tables(
    header: list[str], rows: list[list[str]], delimiter: str, encoding: str, suffix: str,
    mapping: ColumnMapping | None,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buffer.getvalue().encode("utf-8")
    run_import(data, suffix, mapping)


@settings(max_examples=40, deadline=None)
@given(members=st.lists(st.tuples(
    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                     "xl/_rels/workbook.xml.rels", "_rels/.rels", "xl/sharedStrings.xml"]),
    st.binary(max_size=200) | st.sampled_from([b"<?xml version='1.0'?><a/>", b"<x"])),
    max_size=6, unique_by=lambda member: member[0]))
def test_damaged_workbooks(members: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    run_import(buffer.getvalue(), ".xlsx")


def _real_workbook() -> dict[str, bytes]:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["问题", "答案"], ["q1", 1], ["q2", 2.5]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


REAL_WORKBOOK = _real_workbook()


@settings(max_examples=60, deadline=None)
@given(victim=st.sampled_from(sorted(REAL_WORKBOOK)), cut=st.integers(0, 2000),
       insert=st.binary(max_size=30))
def test_real_workbook_with_one_part_damaged(victim: str, cut: int, insert: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in REAL_WORKBOOK.items():
            if name == victim:
                content = content[:cut] + insert + content[cut + len(insert):]
            archive.writestr(name, content)
    run_import(buffer.getvalue(), ".xlsx")
