"""The bundled family samples pass every check: no errors and no warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunedesk.core.checks import RECOMMENDED_EXAMPLES, normalize_question, run_checks
from tunedesk.core.dataset import Dataset, Example, Message
from tunedesk.core.resources import resource_path

SAMPLES = ["family_en.jsonl", "family_zh.jsonl"]


def load(name: str) -> list[Example]:
    path: Path = resource_path("samples", name)
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        data = json.loads(line)
        messages = [Message(m["role"], m["content"], m.get("weight")) for m in data["messages"]]
        examples.append(Example(messages, source_line=n))
    return examples


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_passes_every_check(name: str) -> None:
    examples = load(name)
    report = run_checks(Dataset("", examples))
    assert [(f.code, str(f.message)) for f in report.findings] == []
    assert len(examples) >= RECOMMENDED_EXAMPLES


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_with_prompt_lifted_into_the_project(name: str) -> None:
    examples = load(name)
    prompts = {ex.own_system for ex in examples}
    assert len(prompts) == 1  # the same system prompt on every example
    prompt = prompts.pop()
    assert prompt
    lifted = [ex.copy(messages=[m for m in ex.messages if m.role != "system"]) for ex in examples]
    assert run_checks(Dataset(prompt, lifted)).findings == []
    # and the prompt also agrees with the examples when both carry it
    assert run_checks(Dataset(prompt, examples)).findings == []


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_is_plain_single_turn_qa(name: str) -> None:
    for ex in load(name):
        assert [m.role for m in ex.messages] == ["system", "user", "assistant"]
        assert ex.question.strip() == ex.question
        assert ex.answer.strip() == ex.answer


def test_facts_agree_between_paraphrases() -> None:
    en = load("family_en.jsonl")
    zh = load("family_zh.jsonl")
    assert len({normalize_question(ex.question) for ex in en}) == len(en)
    assert len({normalize_question(ex.question) for ex in zh}) == len(zh)
    ages = {"JIM": "10", "Mike": "8"}
    for ex in en:
        q = ex.question
        if "old" in q or "age" in q:
            for name, age in ages.items():
                if name in q:
                    assert age in ex.answer, ex.answer
    for ex in zh:
        if "哥哥几岁" in ex.question or "JIM多大" in ex.question:
            assert "10岁" in ex.answer
        if "弟弟几岁" in ex.question or "Mike多大" in ex.question:
            assert "8岁" in ex.answer
    # the story's questions are all still answered
    zh_questions = {ex.question for ex in zh}
    for q in ("你家有几个人？", "老大是谁？", "老二是谁？", "哥哥几岁？", "弟弟几岁？"):
        assert q in zh_questions
