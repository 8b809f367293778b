"""Every check fires on bad data, stays quiet on good data, and its quick fix removes it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, cast

import pytest

from tunedesk.core import checks
from tunedesk.core.checks import (
    MIN_EXAMPLES,
    RECOMMENDED_EXAMPLES,
    CheckReport,
    FixPlan,
    normalize_question,
    plan_fix,
    run_checks,
)
from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.core.findings import Finding, FixKind, Severity

PROMPT = "You answer questions about the Smith family."
NUMBERS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
]  # fmt: skip


def good_examples(n: int = RECOMMENDED_EXAMPLES) -> list[Example]:
    # Questions must differ after normalisation, so they differ in a word, not a digit only.
    return [
        Example.qa(
            f"What does fact {NUMBERS[i % 10]} of group {NUMBERS[i // 10 % 10]} say?",
            f"Fact {i} says that the family has {i} happy memories.",
            source_line=i + 1,
        )
        for i in range(n)
    ]


def good(n: int = RECOMMENDED_EXAMPLES, prompt: str = PROMPT) -> Dataset:
    return Dataset(prompt, good_examples(n))


def with_rows(*extra: Example, prompt: str = PROMPT, n: int = RECOMMENDED_EXAMPLES) -> Dataset:
    return Dataset(prompt, [*good_examples(n), *extra])


def codes(report: CheckReport) -> list[str]:
    return [f.code for f in report.findings]


def only(report: CheckReport, code: str) -> Finding:
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, codes(report)
    return found[0]


def fixed(dataset: Dataset, kind: FixKind) -> Dataset:
    plan = plan_fix(dataset, kind)
    assert not plan.is_empty
    return plan.applied_to(dataset)


def load_jsonl(path: Path) -> list[Example]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            data = json.loads(line)
            msgs = [
                Message(m.get("role"), m.get("content"), m.get("weight")) for m in data["messages"]
            ]
            out.append(Example(msgs, source_line=n))
    return out


# ---------------------------------------------------------------------------- good data
def test_good_data_is_clean() -> None:
    report = run_checks(good())
    assert report.findings == []
    assert report.errors == report.warnings == 0
    assert report.ok
    assert len(report.tokens) == RECOMMENDED_EXAMPLES
    assert report.total_tokens == sum(report.tokens) > 0


def test_own_system_equal_to_project_prompt_is_clean() -> None:
    examples = [
        ex.copy(messages=[Message("system", PROMPT), *ex.messages]) for ex in good_examples()
    ]
    assert run_checks(Dataset(PROMPT, examples)).findings == []
    # the same prompt on every example and none in the project is consistent too
    assert run_checks(Dataset("", examples)).findings == []


def test_multi_turn_and_weights_are_fine() -> None:
    conv = Example(
        [
            Message("user", "Who is the oldest child?"),
            Message("assistant", "JIM.", weight=0),
            Message("user", "And how old is he?"),
            Message("assistant", "He is 10.", weight=1),
        ]
    )
    assert run_checks(with_rows(conv)).findings == []


def test_vision_parts_are_fine() -> None:
    ex = Example(
        [
            Message(
                "user",
                [
                    {"type": "text", "text": "What colour is this cat?"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/k.png"}},
                ],
            ),
            Message("assistant", "Kitty is white."),
        ]
    )
    assert run_checks(with_rows(ex)).findings == []


# ---------------------------------------------------------------------------- counts
def test_fewer_than_ten_is_an_error() -> None:
    report = run_checks(good(MIN_EXAMPLES - 1))
    f = only(report, "too_few_examples")
    assert f.severity is Severity.ERROR
    assert f.row_id is None
    assert "Azure will not start" in str(f.message)
    assert "9" in str(f.message)
    assert not report.ok


def test_empty_dataset_says_no_usable_examples() -> None:
    f = only(run_checks(Dataset(PROMPT, [])), "too_few_examples")
    assert "no usable examples" in str(f.message)


def test_fewer_than_fifty_is_a_warning() -> None:
    report = run_checks(good(MIN_EXAMPLES))
    assert codes(report) == ["few_examples"]
    f = report.findings[0]
    assert f.severity is Severity.WARNING
    assert "50 or more" in str(f.message)
    assert report.ok
    assert "too_few_examples" not in codes(run_checks(good(MIN_EXAMPLES)))


def test_rows_with_errors_do_not_count_as_usable() -> None:
    examples = good_examples(MIN_EXAMPLES)
    examples[0] = Example([Message("user", "How old is JIM?")])
    assert "too_few_examples" in codes(run_checks(Dataset(PROMPT, examples)))


# ---------------------------------------------------------------------------- rows
def test_missing_answer() -> None:
    ex = Example([Message("user", "How old is JIM?")], source_line=77)
    report = run_checks(with_rows(ex))
    f = only(report, "missing_answer")
    assert f.severity is Severity.ERROR
    assert f.row_id == ex.id
    assert f.line == 77
    assert "Row 51 " in str(f.message)
    assert report.for_row(ex.id) == [f]


def test_missing_question_is_a_warning() -> None:
    ex = Example([Message("assistant", "He is 10.")])
    assert only(run_checks(with_rows(ex)), "missing_question").severity is Severity.WARNING


@pytest.mark.parametrize(
    ("example", "code"),
    [
        (Example.qa("   ", "He is 10."), "empty_question"),
        (Example.qa("How old is JIM?", "\n\t "), "empty_answer"),
        (
            Example([Message("system", " "), Message("user", "Q?"), Message("assistant", "A.")]),
            "empty_system_message",
        ),
        (Example([Message("human", "Q?"), Message("assistant", "A.")]), "invalid_role"),
        (Example([Message(cast(Any, None), "Q?"), Message("assistant", "A.")]), "missing_role"),
        (Example([Message("user", None), Message("assistant", "A.")]), "missing_content"),
        (Example([Message("user", 42), Message("assistant", "A.")]), "invalid_content"),
        (
            Example([Message("user", [{"type": "audio"}]), Message("assistant", "A.")]),
            "invalid_content",
        ),
        (Example([Message("user", "Q?"), Message("assistant", "A.", weight=2)]), "invalid_weight"),
        (
            Example([Message("user", "Q?"), Message("assistant", "A.", weight=True)]),
            "invalid_weight",
        ),
        (
            Example([Message("user", "Q?", weight=1), Message("assistant", "A.")]),
            "weight_not_on_assistant",
        ),
    ],
)
def test_row_errors(example: Example, code: str) -> None:
    report = run_checks(with_rows(example))
    f = only(report, code)
    assert f.severity is Severity.ERROR
    assert f.row_id == example.id
    assert "Row 51" in str(f.message)
    assert report.errors == 1, codes(report)


def test_invalid_role_names_the_role() -> None:
    ex = Example([Message("tool", "x"), Message("user", "Q?"), Message("assistant", "A.")])
    f = only(run_checks(with_rows(ex)), "invalid_role")
    assert "\u201ctool\u201d" in str(f.message)
    assert "message 1" in str(f.message)


def test_empty_question_in_multi_turn_names_the_message() -> None:
    ex = Example(
        [
            Message("user", "Q?"),
            Message("assistant", "A."),
            Message("user", ""),
            Message("assistant", "B."),
        ]
    )
    assert "message 3" in str(only(run_checks(with_rows(ex)), "empty_question").message)


def test_too_many_tokens() -> None:
    long_answer = "word " * 200
    ex = Example.qa("Tell me everything about JIM.", long_answer.strip())
    report = run_checks(with_rows(ex), token_limit=100)
    f = only(report, "too_many_tokens")
    assert f.severity is Severity.ERROR
    assert str(report.tokens[-1]) in str(f.message).replace(",", "")
    assert "at most 100 tokens" in str(f.message)
    assert "too_many_tokens" not in codes(run_checks(with_rows(ex)))


def test_given_tokens_are_reused_and_checked() -> None:
    ds = good()
    fake = [70_000] + [10] * (len(ds) - 1)
    report = run_checks(ds, tokens=fake)
    assert report.tokens is fake
    assert "70,000" in str(only(report, "too_many_tokens").message)
    with pytest.raises(ValueError, match="one count per example"):
        run_checks(ds, tokens=[1])


# ---------------------------------------------------------------------------- quick fixes
def test_empty_rows_and_their_fix() -> None:
    blank = Example.qa("", "  ")
    nothing = Example([])
    ds = with_rows(blank, nothing)
    report = run_checks(ds)
    assert codes(report) == ["empty_row", "empty_row"]
    assert all(f.fix is FixKind.REMOVE_EMPTY for f in report.findings)
    after = fixed(ds, FixKind.REMOVE_EMPTY)
    assert run_checks(after).findings == []
    assert len(after) == RECOMMENDED_EXAMPLES


def test_system_only_row_and_use_as_system_prompt() -> None:
    sys_row = Example([Message("system", "You know the Smith family.")])
    ds = Dataset("", [sys_row, *good_examples()])
    report = run_checks(ds)
    f = only(report, "system_only")
    assert f.fix is FixKind.USE_AS_SYSTEM_PROMPT
    assert "missing_answer" not in codes(report)
    plan = plan_fix(ds, FixKind.USE_AS_SYSTEM_PROMPT)
    assert plan.remove_ids == [sys_row.id]
    assert plan.system_prompt == "You know the Smith family."
    after = plan.applied_to(ds)
    assert after.system_prompt == "You know the Smith family."
    assert run_checks(after).findings == []
    assert ds.system_prompt == ""  # the plan is pure
    assert len(ds) == RECOMMENDED_EXAMPLES + 1


def test_system_only_row_equal_to_prompt_is_just_removed() -> None:
    sys_row = Example([Message("system", PROMPT + " ")])
    ds = with_rows(sys_row)
    assert only(run_checks(ds), "system_only").fix is FixKind.USE_AS_SYSTEM_PROMPT
    plan = plan_fix(ds, FixKind.USE_AS_SYSTEM_PROMPT)
    assert plan.system_prompt is None
    assert plan.remove_ids == [sys_row.id]


def test_system_only_row_with_other_prompt_has_no_quick_fix() -> None:
    ds = with_rows(Example([Message("system", "Something else entirely.")]))
    assert only(run_checks(ds), "system_only").fix is None
    assert plan_fix(ds, FixKind.USE_AS_SYSTEM_PROMPT).is_empty


def test_different_system_prompts_and_apply_system_prompt() -> None:
    examples = good_examples()
    odd = examples[4].copy(messages=[Message("system", "Be rude."), *examples[4].messages])
    examples[4] = odd
    ds = Dataset(PROMPT, examples)
    report = run_checks(ds)
    f = only(report, "system_prompt_differs")
    assert f.severity is Severity.WARNING
    assert f.fix is FixKind.APPLY_SYSTEM_PROMPT
    assert "rows 5" in str(f.message)
    plan = plan_fix(ds, FixKind.APPLY_SYSTEM_PROMPT)
    assert [e.id for e in plan.replacements] == [odd.id]
    assert plan.system_prompt is None
    after = plan.applied_to(ds)
    assert after[4].own_system is None
    assert after[4].question == odd.question
    assert run_checks(after).findings == []


def test_apply_system_prompt_adopts_the_most_common_when_project_has_none() -> None:
    examples = good_examples()
    for i in range(0, 30):
        examples[i] = examples[i].copy(
            messages=[Message("system", "Common."), *examples[i].messages]
        )
    examples[40] = examples[40].copy(messages=[Message("system", "Rare."), *examples[40].messages])
    ds = Dataset("", examples)
    assert "system_prompt_differs" in codes(run_checks(ds))
    plan = plan_fix(ds, FixKind.APPLY_SYSTEM_PROMPT)
    assert plan.system_prompt == "Common."
    after = plan.applied_to(ds)
    assert run_checks(after).findings == []
    assert all(ex.own_system is None for ex in after)


def test_no_system_prompt() -> None:
    report = run_checks(good(prompt="  "))
    f = only(report, "no_system_prompt")
    assert f.severity is Severity.WARNING
    assert "chat" in str(f.message)
    assert codes(report) == ["no_system_prompt"]


def test_exact_duplicates_and_their_fix() -> None:
    examples = good_examples()
    copy = examples[2].copy(id="copy-of-3")
    ds = Dataset(PROMPT, [*examples, copy])
    report = run_checks(ds)
    f = only(report, "duplicate_example")
    assert f.row_id == "copy-of-3"
    assert "copy of row 3" in str(f.message)
    assert f.fix is FixKind.REMOVE_DUPLICATES
    assert "similar_question" not in codes(report)
    plan = plan_fix(ds, FixKind.REMOVE_DUPLICATES)
    assert plan.remove_ids == ["copy-of-3"]  # the first copy is kept
    assert run_checks(plan.applied_to(ds)).findings == []


def test_near_duplicate_questions() -> None:
    assert normalize_question("How old is JIM?") == normalize_question("  how OLD is jim ")
    assert normalize_question("哥哥几岁？") == normalize_question("哥哥 几岁?")
    assert normalize_question("ＪＩＭ，几岁！") == normalize_question("jim几岁")
    assert normalize_question("How old is JIM?") != normalize_question("How old is Mike?")
    examples = good_examples()
    a = Example.qa("How old is JIM?", "JIM is 10 years old.")
    b = Example.qa("how old is jim", "JIM is 10 years old!")
    report = run_checks(Dataset(PROMPT, [*examples, a, b]))
    f = only(report, "similar_question")
    assert f.row_id == b.id
    assert "row 51" in str(f.message)
    assert f.severity is Severity.WARNING


def test_same_question_with_different_answers() -> None:
    a = Example.qa("哥哥几岁？", "哥哥JIM今年10岁。")
    b = Example.qa("哥哥几岁", "哥哥JIM今年12岁。")
    c = Example.qa("哥哥 几岁?", "哥哥JIM今年10岁。")
    report = run_checks(with_rows(a, b, c))
    conflicts = [f for f in report.findings if f.code == "conflicting_answers"]
    assert [f.row_id for f in conflicts] == [a.id, b.id, c.id]
    assert "row 52 " in str(conflicts[0].message)
    assert "rows 51, 53" in str(conflicts[1].message)
    # a and c agree with each other: c is also a near-duplicate of a, but the conflict is named
    assert "similar_question" not in codes(report)


def test_whitespace_and_trim_fix() -> None:
    ex = Example.qa("  How old is JIM? ", "He is 10.\n")
    ds = with_rows(ex)
    f = only(run_checks(ds), "extra_whitespace")
    assert f.fix is FixKind.TRIM_WHITESPACE
    plan = plan_fix(ds, FixKind.TRIM_WHITESPACE)
    assert [e.id for e in plan.replacements] == [ex.id]
    assert plan.replacements[0].question == "How old is JIM?"
    assert plan.replacements[0].answer == "He is 10."
    assert ex.question == "  How old is JIM? "  # the original is untouched
    assert run_checks(plan.applied_to(ds)).findings == []


def test_inner_whitespace_is_fine() -> None:
    ex = Example.qa("How old\nis JIM?", "He is\t10.")
    assert run_checks(with_rows(ex)).findings == []


# ---------------------------------------------------------------------------- order, i18n
def test_findings_are_ordered_dataset_first_then_by_row() -> None:
    rows = [
        Example.qa("Q one?", " A."),
        Example([Message("user", "Q two?")]),
        Example([]),
    ]
    report = run_checks(Dataset("", rows))
    assert codes(report) == [
        "too_few_examples",
        "no_system_prompt",
        "extra_whitespace",
        "missing_answer",
        "empty_row",
    ]
    assert [f.row_id for f in report.findings[2:]] == [r.id for r in rows]
    assert report.errors == 3
    assert report.warnings == 2


def test_messages_are_translatable_texts() -> None:
    from tunedesk.core.i18n import Text

    report = run_checks(Dataset("", [Example([Message("user", "Q?")])]))
    for f in report.findings:
        assert isinstance(f.message, Text)
        assert f.message.context == "Checks"
        assert "{" not in str(f.message)


def test_long_row_lists_are_shortened() -> None:
    examples = good_examples()
    for i in range(20, 28):
        examples[i] = examples[i].copy(
            messages=[Message("system", "Other."), *examples[i].messages]
        )
    msg = str(only(run_checks(Dataset(PROMPT, examples)), "system_prompt_differs").message)
    assert "21, 22, 23, 24, 25 and 3 more" in msg


def test_fix_plan_for_clean_data_is_empty() -> None:
    for kind in FixKind:
        assert plan_fix(good(), kind).is_empty, kind


def test_for_row_unknown_id() -> None:
    assert run_checks(good()).for_row("nope") == []


def test_fix_plan_applied_to_keeps_order() -> None:
    ds = good(5)
    new = ds[2].with_answer("Changed.")
    plan = FixPlan(remove_ids=[ds[0].id], replacements=[new], system_prompt="New.")
    after = plan.applied_to(ds)
    assert [e.id for e in after] == [e.id for e in ds.examples[1:]]
    assert after[1].answer == "Changed."
    assert after.system_prompt == "New."


# ---------------------------------------------------------------------------- the story
def test_published_family_sample(data_dir: Path) -> None:
    examples = load_jsonl(data_dir / "family-as-published.jsonl")
    ds = Dataset("", examples)
    report = run_checks(ds)
    assert only(report, "too_few_examples").severity is Severity.ERROR
    assert "Only 9 examples" in str(only(report, "too_few_examples").message)
    f = only(report, "system_only")
    assert f.row_id == examples[0].id
    assert f.line == 1
    assert f.fix is FixKind.USE_AS_SYSTEM_PROMPT
    assert report.errors == 2
    after = fixed(ds, FixKind.USE_AS_SYSTEM_PROMPT)
    assert after.system_prompt.startswith("你需要记住以下家庭信息")
    report2 = run_checks(after)
    assert "system_only" not in codes(report2)
    assert codes(report2) == ["too_few_examples"]


# ---------------------------------------------------------------------------- performance
def _rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "messages": [
                {"role": "user", "content": f"Question number {i}: how old is child {i % 97}?"},
                {"role": "assistant", "content": f"Child {i % 97} is {i % 17} years old."},
            ]
        }
        for i in range(n)
    ]


def test_performance_100k_rows(capsys: pytest.CaptureFixture[str]) -> None:
    """Measured, not asserted (budgets are bench/'s job): prints the full-check time."""
    examples = [
        Example([Message(m["role"], m["content"]) for m in r["messages"]]) for r in _rows(100_000)
    ]
    ds = Dataset(PROMPT, examples)
    checks.dataset_tokens(Dataset(PROMPT, examples[:10]))  # load the vocabulary first
    start = time.perf_counter()
    report = run_checks(ds)
    elapsed = time.perf_counter() - start
    assert len(report.tokens) == 100_000
    assert report.errors == 0
    with capsys.disabled():
        print(f"\nfull check of 100,000 rows incl. tokens: {elapsed:.2f} s")  # noqa: T201


def test_question_groups_split_hash_collisions_by_the_real_question() -> None:
    """Bookkeeping is keyed by hashes; rows that merely share a hash never form a group."""
    from tunedesk.core.checks import _question_groups

    examples = [
        Example.qa("How old is JIM?", "10"),
        Example.qa("Where do we live?", "Beijing"),
        Example.qa("how old is jim", "ten"),
    ]
    groups = _question_groups(examples, {12345: [0, 1, 2]})  # pretend all three collided
    assert groups == [[(0, "10"), (2, "ten")]]


def test_a_row_sent_back_from_a_quiz_is_listed_for_review_until_its_note_changes() -> None:
    from dataclasses import replace

    from tunedesk.core.dataset import REVIEW_MARK

    rows = [Example.qa(f"Question {i}?", f"Answer {i}.") for i in range(12)]
    flagged = replace(rows[3], note=f"{REVIEW_MARK} Missed in the quiz")
    report = run_checks(Dataset("", [*rows[:3], flagged, *rows[4:]]))
    review = [f for f in report.findings if f.code == "needs_review"]
    assert [f.row_id for f in review] == [flagged.id]
    assert "Row 4" in str(review[0].message)
    assert review[0].severity is Severity.WARNING
    assert report.errors == 0  # advice, never a block
    edited = replace(flagged, note="Checked: the answer is right.")
    again = run_checks(Dataset("", [*rows[:3], edited, *rows[4:]]))
    assert not [f for f in again.findings if f.code == "needs_review"]


def test_drafts_are_counted_apart_in_one_finding_and_a_drafted_copy_is_still_caught() -> None:
    rows = [Example.qa(f"Question {i}?", f"Answer {i}.") for i in range(12)]
    drafts = [
        Example.qa(f"Drafted {i}?", f"From the handbook {i}.", draft=True) for i in range(30)
    ]
    copy = Example.qa("question 2", "Another answer.", draft=True)  # a draft of row 3
    report = run_checks(Dataset("Be brief.", [*rows, *drafts, copy]))
    assert report.drafts == 31
    (finding,) = [f for f in report.findings if f.code == "drafts_to_review"]
    assert finding.severity is Severity.WARNING
    assert finding.row_id is None
    text = str(finding.message)
    assert "31" in text
    assert "13, 14, 15" in text
    assert "more" in text
    similar = [f for f in report.findings if f.code in ("similar_question", "conflicting_answers")]
    assert similar
    assert all(f.row_id == copy.id or f.row_id == rows[2].id for f in similar)
    accepted = [d.copy(draft=False) for d in drafts]
    again = run_checks(Dataset("Be brief.", [*rows, *accepted]))
    assert again.drafts == 0
    assert "drafts_to_review" not in again.codes()
