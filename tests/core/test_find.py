"""Find and replace over the grid's text cells (tunedesk.core.find)."""

from __future__ import annotations

import pytest

from tunedesk.core.dataset import Example, Message
from tunedesk.core.find import (
    Field,
    cell,
    cell_field,
    cell_row,
    compile_pattern,
    matching_cells,
    matching_cells_in,
    replace_everywhere,
    replaced,
)


@pytest.mark.parametrize(
    ("needle", "text"),
    [
        ("?", "你好吗？"),  # the full-width question mark Chinese text uses
        ("？", "How are you?"),
        ("abc", "ABC"),
        ("abc", "ＡＢＣ"),  # full-width letters, any case
        ("ＡＢＣ", "abc"),
        ("1+1", "１＋１"),
        ("a b", "a\u3000b"),  # ideographic space
        ("Grüße", "GRÜßE"),  # beyond ASCII too (simple case mapping, like re.IGNORECASE)
        ("(a.b)", "x(A.B)y"),  # literal text, never a regular expression
    ],
)
def test_without_match_case_capitals_and_widths_are_ignored(needle: str, text: str) -> None:
    assert compile_pattern(needle, match_case=False).search(text)


@pytest.mark.parametrize(
    ("needle", "text"),
    [("?", "你好吗？"), ("abc", "ABC"), ("a.b", "axb"), ("a b", "a\u3000b")],
)
def test_match_case_finds_only_the_exact_text(needle: str, text: str) -> None:
    assert not compile_pattern(needle, match_case=True).search(text)
    assert compile_pattern(needle, match_case=True).search(f"x{needle}y")


def test_unrelated_text_does_not_match() -> None:
    pattern = compile_pattern("cat", match_case=False)
    assert not pattern.search("a dog and a cow")
    assert not compile_pattern("?", match_case=False).search("没有问号。")


def _examples() -> list[Example]:
    return [
        Example.qa("Where is the cat?", "On the mat."),
        Example.qa("猫在哪里？", "在垫子上。"),
        Example.qa("No match here", "Nothing"),
        Example([Message("system", "cat"), Message("user", "dog"), Message("assistant", "CAT")]),
    ]


def test_matching_cells_are_row_ordered_cell_codes() -> None:
    examples = _examples()
    cells = matching_cells(examples, compile_pattern("cat", match_case=False))
    assert cells == [cell(0, Field.QUESTION), cell(3, Field.ANSWER)]  # not the system text
    assert [(cell_row(c), cell_field(c)) for c in cells] == [
        (0, Field.QUESTION),
        (3, Field.ANSWER),
    ]
    assert matching_cells(examples, compile_pattern("?", match_case=False)) == [0, 2]
    assert matching_cells_in(examples, compile_pattern("?", match_case=False), [1, 2]) == [2]
    assert cells == sorted(cells)


def test_replaced_takes_the_replacement_literally_and_only_where_asked() -> None:
    ex = Example.qa("cat? cat?", "a cat")
    pattern = compile_pattern("CAT", match_case=False)
    assert replaced(ex, pattern, r"\1 \g<0>").question == r"\1 \g<0>? \1 \g<0>?"
    only_answer = replaced(ex, pattern, "dog", Field.ANSWER)
    assert (only_answer.question, only_answer.answer) == ("cat? cat?", "a dog")
    assert only_answer.id == ex.id  # the same row, edited
    assert replaced(ex, compile_pattern("zebra", match_case=False), "x") is ex


def test_replace_everywhere_counts_cells_not_occurrences() -> None:
    examples = _examples()
    changes, cells = replace_everywhere(examples, compile_pattern("cat", match_case=False), "fox")
    assert cells == 2
    assert [new.question for _old, new in changes] == ["Where is the fox?", "dog"]
    assert [new.answer for _old, new in changes] == ["On the mat.", "fox"]


def test_follow_up_turns_are_found_and_replaced_in_their_column() -> None:
    ex = Example(
        [
            Message("system", "You know our cat."),
            Message("user", "Hi"),
            Message("assistant", "Hello"),
            Message("user", "And the cat?"),
            Message("assistant", "The cat sleeps."),
        ]
    )
    pattern = compile_pattern("cat", match_case=False)
    assert matching_cells([ex], pattern) == [cell(0, Field.QUESTION), cell(0, Field.ANSWER)]
    only_questions = replaced(ex, pattern, "dog", Field.QUESTION)
    assert [m.content for m in only_questions.messages] == [
        "You know our cat.",  # the system prompt has its own box: never searched
        "Hi",
        "Hello",
        "And the dog?",
        "The cat sleeps.",
    ]
    changes, cells = replace_everywhere([ex], pattern, "dog")
    assert cells == 2
    assert changes[0][1].messages[4].content == "The dog sleeps."
    assert ex.messages[3].content == "And the cat?"  # the original is never changed


def test_structured_content_is_searched_but_left_alone_by_replace() -> None:
    parts = [{"type": "text", "text": "a cat"}, {"type": "image_url", "image_url": {"url": "x"}}]
    ex = Example([Message("user", parts), Message("assistant", "a cat")])
    pattern = compile_pattern("cat", match_case=False)
    assert matching_cells([ex], pattern) == [0, 1]
    new = replaced(ex, pattern, "dog")
    assert new.messages[0].content == parts
    assert new.messages[1].content == "a dog"
