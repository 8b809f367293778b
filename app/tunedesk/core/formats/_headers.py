"""Recognising table headings (English and Chinese) and turning table rows into examples."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from tunedesk.core.dataset import Example, Message, Role, Split
from tunedesk.core.formats._common import ColumnMapping, as_text

# Headings people use, most specific first (the first match wins when several columns
# could be the question, e.g. Alpaca's "instruction" beats its "input").  Compared after
# normalise(): NFKC, case-folded, without spaces, punctuation and bracketed remarks.
_ALIASES: dict[str, tuple[str, ...]] = {
    "question": (
        "question", "questions", "q", "prompt", "prompts", "instruction", "instructions",
        "query", "userquestion", "usermessage", "userprompt", "userinput", "user", "ask",
        "input", "questiontext", "human",
        "问题", "提问", "问", "问句", "题目", "用户问题", "用户提问", "用户", "用户输入",
        "输入", "指令", "查询", "问题内容", "问法", "提示", "提示词",
    ),
    "answer": (
        "answer", "answers", "a", "completion", "completions", "response", "responses",
        "reply", "replies", "assistant", "assistantanswer", "assistantmessage",
        "assistantresponse", "output", "answertext", "expectedanswer", "target", "bot",
        "gpt",
        "答案", "回答", "答", "答句", "答复", "回复", "助手", "助手回答", "助理", "输出",
        "标准答案", "参考答案", "应答", "答案内容", "模型回答",
    ),
    "system": (
        "system", "systemprompt", "systemmessage", "systeminstruction", "sys",
        "系统", "系统提示", "系统提示词", "系统消息", "系统指令", "系统设定", "系统角色",
    ),
    "split": (
        "split", "set", "subset", "dataset", "usage", "use", "purpose", "trainvalidation",
        "划分", "用途", "数据集", "集合", "拆分", "分组",
    ),
    "note": (
        "note", "notes", "comment", "comments", "remark", "remarks", "memo",
        "备注", "说明", "注释", "备注说明", "批注",
    ),
}
_FIELDS = ("question", "answer", "system", "split", "note")
_RANK: dict[str, dict[str, int]] = {
    name: {alias: rank for rank, alias in enumerate(aliases)}
    for name, aliases in _ALIASES.items()
}

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|（[^）]*）")

_SPLIT_VALUES: dict[str, Split] = {}
for _value in ("train", "training", "trainset", "trainingset", "t", "训练", "训练集",
               "训练数据", "训"):
    _SPLIT_VALUES[_value] = Split.TRAIN
for _value in ("validation", "validate", "valid", "val", "validationset", "v", "dev",
               "test", "testing", "eval", "evaluation", "heldout", "holdout", "验证", "验证集",
               "校验", "测试", "测试集", "评估", "验"):
    _SPLIT_VALUES[_value] = Split.VALIDATION
for _value in ("", "auto", "automatic", "default", "自动", "默认"):
    _SPLIT_VALUES[_value] = Split.AUTO


def normalise(heading: Any) -> str:
    """'System Prompt' -> 'systemprompt', '问题（必填）' -> '问题', ' Q: ' -> 'q'."""
    text = unicodedata.normalize("NFKC", as_text(heading)).casefold()
    stripped = _BRACKETED.sub("", text)
    if any(ch.isalnum() for ch in stripped):
        text = stripped
    return "".join(ch for ch in text if ch.isalnum())


def recognise(headings: Sequence[Any]) -> dict[str, int]:
    """Map field name -> column index for the headings that are recognised."""
    keys = [normalise(h) for h in headings]
    found: dict[str, int] = {}
    used: set[int] = set()
    for name in _FIELDS:
        rank = _RANK[name]
        best: tuple[int, int] | None = None
        for index, key in enumerate(keys):
            if index in used or key not in rank:
                continue
            candidate = (rank[key], index)
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            found[name] = best[1]
            used.add(best[1])
    return found


def detect_mapping(headers: list[str]) -> ColumnMapping | None:
    """The mapping for a header row, or None unless both question and answer are found."""
    found = recognise(headers)
    if "question" not in found or "answer" not in found:
        return None
    return ColumnMapping(
        question=found["question"],
        answer=found["answer"],
        system=found.get("system"),
        split=found.get("split"),
        note=found.get("note"),
        has_header=True,
    )


def guess_mapping(first_row: list[str], width: int) -> ColumnMapping | None:
    """A best guess to preselect when the headings were not (fully) recognised."""
    found = recognise(first_row)
    if "question" in found or "answer" in found:
        taken = set(found.values())
        free = [i for i in range(width) if i not in taken]
        question = found.get("question")
        if question is None:
            question = free.pop(0) if free else None
        answer = found.get("answer")
        if answer is None:
            answer = free.pop(0) if free else None
        if question is None or answer is None:
            return None
        return ColumnMapping(question, answer, found.get("system"), found.get("split"),
                             found.get("note"), has_header=True)
    if width >= 2:
        return ColumnMapping(0, 1, has_header=looks_like_header(first_row))
    return None


def looks_like_header(row: Sequence[str]) -> bool:
    """Short, distinct, non-empty labels that are not questions look like headings."""
    cells = [c.strip() for c in row]
    if not cells or any(not c for c in cells) or len(set(cells)) != len(cells):
        return False
    for cell in cells:
        if len(cell) > 40 or "\n" in cell or cell.endswith(("?", "？", "。", ".", "!", "！")):
            return False
        if cell.replace(".", "", 1).replace("-", "", 1).isdigit():
            return False
    return True


def parse_split(value: Any) -> Split:
    """'train', '训练', 'Validation', '验证集'… -> Split; anything else means AUTO."""
    if isinstance(value, Split):
        return value
    return _SPLIT_VALUES.get(normalise(value), Split.AUTO)


def example_from_values(
    values: Sequence[Any], found: dict[str, int], line: int, *, keep_missing: bool
) -> Example:
    """Build an example from one row/object. ``found``: field -> index into ``values``.

    Table cells are text; JSON values are kept raw so the checks can report odd types.
    ``keep_missing``: a missing question/answer becomes an empty message (tables) instead
    of no message (JSON objects that lack the key).
    """
    width = len(values)

    def get(name: str) -> Any:
        index = found.get(name)
        if index is None or index >= width:
            return None
        return values[index]

    messages: list[Message] = []
    system = get("system")
    if system is not None and as_text(system).strip():
        messages.append(Message(Role.SYSTEM, system))
    question = get("question")
    if question is not None or (keep_missing and "question" in found):
        messages.append(Message(Role.USER, "" if question is None else question))
    answer = get("answer")
    if answer is not None or (keep_missing and "answer" in found):
        messages.append(Message(Role.ASSISTANT, "" if answer is None else answer))
    split = parse_split(get("split")) if "split" in found else Split.AUTO
    note = as_text(get("note")) if "note" in found else ""
    return Example(messages, split=split, note=note, source_line=line)


def mapping_fields(mapping: ColumnMapping) -> dict[str, int]:
    found = {"question": mapping.question, "answer": mapping.answer}
    for name in ("system", "split", "note"):
        index = getattr(mapping, name)
        if index is not None:
            found[name] = index
    return found
