"""Chat JSONL export: format on disk, reproducible split, round trip through the importer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunedesk.core.dataset import Dataset, Example, Message, Split
from tunedesk.core.errors import FileProblem
from tunedesk.core.export import export_jsonl, plan_split, write_chat_jsonl
from tunedesk.core.formats import import_file


def qa_dataset(count: int, prompt: str = "You know our family.") -> Dataset:
    return Dataset(prompt, [Example.qa(f"问题 {i}？", f"答案 {i}。", id=f"id{i:04d}")
                            for i in range(count)])


def messages_of(examples: list[Example]) -> list[list[dict[str, object]]]:
    return [[m.to_json() for m in e.messages] for e in examples]


def test_file_format_utf8_no_bom_lf_one_line_each(tmp_path: Path) -> None:
    dataset = Dataset("系统提示", [
        Example.qa("你好？", "你好！\r\n第二行"),
        Example([Message("system", "Own"), Message("user", "q"), Message("assistant", "a")]),
    ])
    path = tmp_path / "out" / "train.jsonl"
    assert write_chat_jsonl(path, dataset, dataset.system_prompt) == 2
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\n")
    assert raw.count(b"\n") == 2
    assert b"\r" not in raw  # the answer's own CRLF is escaped inside the JSON
    assert "你好".encode() in raw  # ensure_ascii=False
    first, second = (json.loads(line) for line in raw.decode("utf-8").splitlines())
    assert first["messages"][0] == {"role": "system", "content": "系统提示"}
    assert first["messages"][2]["content"] == "你好！\r\n第二行"
    assert [m["content"] for m in second["messages"]] == ["Own", "q", "a"]
    assert list(tmp_path.joinpath("out").iterdir()) == [path]  # no temp file left behind


def test_line_separators_and_lone_surrogates_stay_valid(tmp_path: Path) -> None:
    examples = [Example.qa("a\u2028b", "c\u2029d"), Example.qa("bad \ud800", "x")]
    path = tmp_path / "t.jsonl"
    write_chat_jsonl(path, examples, "")
    text = path.read_bytes().decode("utf-8")  # strict: the file is valid UTF-8
    lines = text.split("\n")[:-1]
    assert len(lines) == 2
    assert "\u2028" not in text
    assert json.loads(lines[0])["messages"][0]["content"] == "a\u2028b"
    assert json.loads(lines[1])["messages"][0]["content"] == "bad \ud800"


def test_plan_split_is_reproducible_and_respects_fixed_splits() -> None:
    dataset = qa_dataset(40)
    fixed = [dataset[0].copy(split=Split.TRAIN), dataset[1].copy(split=Split.VALIDATION)]
    dataset.replace(0, fixed)
    plan = plan_split(dataset, 0.1)
    assert plan == plan_split(dataset, 0.1)
    assert plan == plan_split(Dataset("other prompt", list(reversed(dataset.examples))), 0.1)
    assert plan[dataset[0].id] == Split.TRAIN
    assert plan[dataset[1].id] == Split.VALIDATION
    auto_validation = [i for i, s in plan.items() if s == Split.VALIDATION]
    assert len(auto_validation) == 1 + 4  # the fixed one + round(0.1 * 38)
    assert set(plan) == {e.id for e in dataset}


@pytest.mark.parametrize(
    ("count", "fraction", "expected"),
    [(1, 0.1, 0), (2, 0.1, 1), (10, 0.1, 1), (10, 0.0, 0), (15, 0.1, 2), (100, 0.2, 20),
     (3, 1.0, 2)],
)
def test_plan_split_counts(count: int, fraction: float, expected: int) -> None:
    plan = plan_split(qa_dataset(count), fraction)
    assert sum(1 for s in plan.values() if s == Split.VALIDATION) == expected


def test_plan_split_rejects_nonsense_fraction() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        plan_split(qa_dataset(3), 1.5)


def test_export_writes_validation_only_when_needed(tmp_path: Path) -> None:
    result = export_jsonl(qa_dataset(20), tmp_path / "a", validation_fraction=0.1)
    assert (result.train_count, result.validation_count) == (18, 2)
    assert result.validation_path == tmp_path / "a" / "validation.jsonl"
    assert result.train_path.read_text(encoding="utf-8").count("\n") == 18
    assert result.validation_path.read_text(encoding="utf-8").count("\n") == 2

    alone = export_jsonl(qa_dataset(20), tmp_path / "b", validation_fraction=0.0)
    assert alone.validation_path is None
    assert alone.validation_count == 0
    assert not (tmp_path / "b" / "validation.jsonl").exists()
    assert alone.train_count == 20


def test_export_split_is_the_same_every_time(tmp_path: Path) -> None:
    dataset = qa_dataset(50)
    first = export_jsonl(dataset, tmp_path / "1")
    second = export_jsonl(dataset, tmp_path / "2")
    assert first.train_path.read_bytes() == second.train_path.read_bytes()
    assert first.validation_path is not None
    assert second.validation_path is not None
    assert first.validation_path.read_bytes() == second.validation_path.read_bytes()


def test_export_to_unwritable_place_is_a_file_problem(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(FileProblem):
        export_jsonl(qa_dataset(3), blocker / "sub")


def test_round_trip_published_sample(tmp_path: Path, data_dir: Path) -> None:
    imported = import_file(data_dir / "family-as-published.jsonl").examples
    path = tmp_path / "again.jsonl"
    write_chat_jsonl(path, imported, "")
    again = import_file(path).examples
    assert messages_of(again) == messages_of(imported)
    assert [m.role for m in again[0].messages] == ["system"]


def test_round_trip_multi_turn_and_raw_values(tmp_path: Path) -> None:
    examples = [
        Example([Message("system", "S"), Message("user", "u1"), Message("assistant", "a1", 0),
                 Message("user", "u2"), Message("assistant", "a2", 1)]),
        Example([Message("robot", 5, "heavy"), Message("user", None)]),
        Example.qa("引号\"和\\反斜杠", "tab\tand\nnewline"),
    ]
    path = tmp_path / "rt.jsonl"
    write_chat_jsonl(path, examples, "")
    assert messages_of(import_file(path).examples) == messages_of(examples)


def test_round_trip_from_csv_through_export(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('问题,答案\n"多行\n问题",答\nq,"a ""quoted"""\n', encoding="gb18030")
    imported = import_file(source).examples
    result = export_jsonl(Dataset("", imported), tmp_path / "out", validation_fraction=0)
    assert messages_of(import_file(result.train_path).examples) == messages_of(imported)


# ----------------------------------------------------------------------------- paraphrase groups
def _with_paraphrases(dataset: Dataset, per_row: int) -> Dataset:
    """Each row followed by ``per_row`` rephrasings of its question, grouped with it."""
    rows: list[Example] = []
    for original in dataset:
        rows.append(original.copy(group=original.id))
        rows += [
            original.with_question(f"{original.question} (asked another way {n})").copy(
                id=f"{original.id}-p{n}", group=original.id, draft=True
            )
            for n in range(per_row)
        ]
    return Dataset(dataset.system_prompt, rows)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_split_keeps_a_question_and_its_paraphrases_together_on_the_family_sample(
    language: str,
) -> None:
    from tunedesk.core.samples import sample_dataset

    original = sample_dataset(language)
    grouped = _with_paraphrases(original, per_row=3)
    plan = plan_split(grouped, 0.2)
    sides: dict[str, set[Split]] = {}
    for example in grouped:
        sides.setdefault(example.group, set()).add(plan[example.id])
    assert all(len(s) == 1 for s in sides.values()), "a group was split across both sides"
    validation_groups = [g for g, s in sides.items() if s == {Split.VALIDATION}]
    # about 20 % of the rows, and whole groups of 4
    assert 1 <= len(validation_groups) < len(sides)
    assert abs(len(validation_groups) * 4 - 0.2 * len(grouped)) <= 4
    # and the same questions as the sample without paraphrases, chosen by the group's hash
    plain = plan_split(original, 0.2)
    assert {g for g in validation_groups} == {
        e.id for e in original if plain[e.id] == Split.VALIDATION
    }


def test_auto_rows_of_a_group_follow_the_side_one_of_its_rows_is_marked_with() -> None:
    a = Example.qa("q", "a", id="a", split=Split.VALIDATION, group="a")
    rows = [
        a,
        Example.qa("q again", "a", id="a1", group="a"),
        Example.qa("q once more", "a", id="a2", group="a"),
        *(Example.qa(f"other {i}", "x", id=f"o{i}") for i in range(8)),
    ]
    plan = plan_split(Dataset("", rows), 0.1)
    assert plan["a1"] == plan["a2"] == Split.VALIDATION
    # the marked group, plus 10 % of the 8 other rows
    assert sum(1 for s in plan.values() if s == Split.VALIDATION) == 3 + 1


def test_a_single_group_still_leaves_something_to_train_on() -> None:
    rows = [Example.qa(f"q{i}", "a", id=f"r{i}", group="g") for i in range(5)]
    plan = plan_split(Dataset("", rows), 0.5)
    assert set(plan.values()) == {Split.TRAIN}
