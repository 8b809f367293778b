"""The live checklist: everything Azure would reject, and advice for better training data.

:func:`run_checks` is pure and Qt-free; it takes a :class:`Dataset` and returns a
:class:`CheckReport` whose findings are ordered dataset-level first, then by row. Errors
block training (Azure would refuse the file or the job); warnings are advice.

:func:`plan_fix` turns a quick fix into a :class:`FixPlan` (rows to remove, rows to replace,
maybe a new project system prompt). The UI applies it as one undoable step; the command line
and tests can use :meth:`FixPlan.applied_to`.

Finding codes are stable snake_case ids (the CLI's ``--json`` and tests rely on them):

dataset level: ``too_few_examples`` (E), ``few_examples`` (W), ``no_system_prompt`` (W),
``system_prompt_differs`` (W), ``drafts_to_review`` (W: rows a model drafted that nobody has
accepted yet; one finding naming the rows, and counted in :attr:`CheckReport.drafts`, so a
few hundred drafts do not bury the other findings; training refuses them unless told to).
per row: ``empty_row`` (E), ``system_only`` (E), ``missing_role`` (E), ``invalid_role`` (E),
``missing_content`` (E), ``invalid_content`` (E), ``empty_question`` (E), ``empty_answer`` (E),
``empty_system_message`` (E), ``invalid_weight`` (E), ``weight_not_on_assistant`` (E),
``missing_answer`` (E), ``missing_question`` (W), ``too_many_tokens`` (E),
``duplicate_example`` (W), ``similar_question`` (W), ``conflicting_answers`` (W),
``extra_whitespace`` (W), ``needs_review`` (W).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tunedesk.core.cooperative import bulk_build, cooperative
from tunedesk.core.dataset import Dataset, Example, Message, Role, needs_review
from tunedesk.core.findings import Finding, FixKind, Severity
from tunedesk.core.i18n import Text, lazy
from tunedesk.core.tokens import content_text, dataset_tokens

MIN_EXAMPLES = 10
RECOMMENDED_EXAMPLES = 50
DEFAULT_TOKEN_LIMIT = 65_536
ROLES = frozenset({Role.SYSTEM.value, Role.USER.value, Role.ASSISTANT.value})
_ROW_LIST_MAX = 5  # how many row numbers a message names before "and N more"

ERROR = Severity.ERROR
WARNING = Severity.WARNING


# ---------------------------------------------------------------------------- report
@dataclass
class CheckReport:
    """The findings of one check run and the token count of every example (dataset order)."""

    findings: list[Finding]
    tokens: list[int]
    total_tokens: int
    errors: int
    warnings: int
    drafts: int = 0  # rows drafted by a model and not accepted yet (Example.draft)
    _by_row: dict[str, list[Finding]] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when nothing blocks training."""
        return self.errors == 0

    def for_row(self, row_id: str) -> list[Finding]:
        if self._by_row is None:
            by_row: dict[str, list[Finding]] = {}
            for f in self.findings:
                if f.row_id is not None:
                    by_row.setdefault(f.row_id, []).append(f)
            self._by_row = by_row
        return list(self._by_row.get(row_id, ()))

    def codes(self) -> list[str]:
        """The finding codes in report order (handy for tests and the CLI)."""
        return [f.code for f in self.findings]


# ---------------------------------------------------------------------------- helpers
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_question(text: str) -> str:
    """Comparison key for near-duplicate questions.

    NFKC folds full-width forms (``？`` → ``?``), casefold ignores capitals, and removing
    every non-word character drops whitespace and punctuation, Chinese punctuation included.
    """
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _is_blank(content: Any) -> bool:
    return not content_text(content).strip()


def _role_name(role: Any) -> str:
    return role if isinstance(role, str) else str(role)


def _is_valid_weight(weight: Any) -> bool:
    # JSON true/false would be bool, which Python treats as 1/0: Azure documents 0 or 1 only.
    return not isinstance(weight, bool) and isinstance(weight, int | float) and weight in (0, 1)


def _valid_content(content: Any) -> bool:
    if isinstance(content, str):
        return True
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                return False
            kind = part.get("type")
            if kind == "text":
                if not isinstance(part.get("text"), str):
                    return False
            elif kind != "image_url":
                return False
        return True
    return False


def _example_key(example: Example) -> tuple[tuple[str, str, str], ...]:
    """Exact-duplicate key: roles, contents and weights of every message."""
    key: list[tuple[str, str, str]] = []
    for m in example.messages:
        c = m.content
        text = c if isinstance(c, str) else json.dumps(c, sort_keys=True, ensure_ascii=False)
        key.append((_role_name(m.role), text, "" if m.weight is None else repr(m.weight)))
    return tuple(key)


def is_empty_example(example: Example) -> bool:
    """A row with nothing in it: no messages, or only blank ones."""
    return all(_is_blank(m.content) for m in example.messages)


def is_system_only(example: Example) -> bool:
    return (
        bool(example.messages)
        and all(_role_name(m.role) == Role.SYSTEM for m in example.messages)
        and not is_empty_example(example)
    )


def _row_list(rows: Sequence[int]) -> str | Text:
    shown = ", ".join(str(r) for r in rows[:_ROW_LIST_MAX])
    if len(rows) <= _ROW_LIST_MAX:
        return shown
    # A Text parameter is translated when the finding is shown, like the finding itself.
    return lazy.translate("Checks", "{rows} and {count} more").format(
        rows=shown, count=len(rows) - _ROW_LIST_MAX
    )


def _needs_trim(m: Message) -> bool:
    """A question or answer with text and leading or trailing whitespace."""
    c = m.content
    return (
        m.role in (Role.USER, Role.ASSISTANT)
        and isinstance(c, str)
        and c != c.strip()
        and bool(c.strip())
    )


def _can_use_as_prompt(text: str, project_prompt: str) -> bool:
    return not project_prompt.strip() or text.strip() == project_prompt.strip()


# ---------------------------------------------------------------------------- row checks
class _RowChecker:
    """Collects the findings of one example; ``errors`` says whether it is usable."""

    def __init__(self, example: Example, row: int) -> None:
        self.example = example
        self.row = row
        self.findings: list[Finding] = []
        self.errors = 0
        self.role_errors = 0

    def add(self, severity: Severity, code: str, message: Text, fix: FixKind | None = None) -> None:
        self.findings.append(
            Finding(severity, code, message, self.example.id, self.example.source_line, fix)
        )
        if severity is ERROR:
            self.errors += 1

    def check_messages(self) -> None:
        ex, row = self.example, self.row
        multi = ex.is_multi_turn
        for n, m in enumerate(ex.messages, start=1):
            role = m.role
            if role is None or (isinstance(role, str) and not role.strip()):
                self.add(
                    ERROR,
                    "missing_role",
                    lazy.translate(
                        "Checks",
                        "Row {row}: message {message} has no role. Every message must come "
                        "from the system, the user or the assistant.",
                    ).format(row=row, message=n),
                )
                self.role_errors += 1
                continue
            if not isinstance(role, str) or role not in ROLES:
                self.add(
                    ERROR,
                    "invalid_role",
                    lazy.translate(
                        "Checks",
                        "Row {row}: message {message} has the role \u201c{role}\u201d. Only "
                        "system, user and assistant are allowed.",
                    ).format(row=row, message=n, role=_role_name(role)),
                )
                self.role_errors += 1
                continue
            self._check_content(m, n, role, multi)
            self._check_weight(m, n, role)

    def _check_content(self, m: Message, n: int, role: str, multi: bool) -> None:
        row = self.row
        if m.content is None:
            self.add(
                ERROR,
                "missing_content",
                lazy.translate(
                    "Checks",
                    "Row {row}: message {message} ({role}) has no content. Give it text, "
                    "or remove it.",
                ).format(row=row, message=n, role=role),
            )
            return
        if not _valid_content(m.content):
            self.add(
                ERROR,
                "invalid_content",
                lazy.translate(
                    "Checks",
                    "Row {row}: message {message} ({role}) does not hold text. The content "
                    "must be text, or a list of text and image parts.",
                ).format(row=row, message=n, role=role),
            )
            return
        if not _is_blank(m.content):
            return
        if role == Role.USER:
            if multi:
                text = lazy.translate(
                    "Checks",
                    "Row {row}: the question in message {message} is empty. Type the "
                    "question, or remove that message.",
                ).format(row=row, message=n)
            else:
                text = lazy.translate(
                    "Checks", "Row {row}: the question is empty. Type the question."
                ).format(row=row)
            self.add(ERROR, "empty_question", text)
        elif role == Role.ASSISTANT:
            if multi:
                text = lazy.translate(
                    "Checks",
                    "Row {row}: the answer in message {message} is empty. Type the answer, "
                    "or remove that message.",
                ).format(row=row, message=n)
            else:
                text = lazy.translate(
                    "Checks", "Row {row}: the answer is empty. Type the answer."
                ).format(row=row)
            self.add(ERROR, "empty_answer", text)
        else:
            self.add(
                ERROR,
                "empty_system_message",
                lazy.translate(
                    "Checks",
                    "Row {row}: this example has its own system message, but it is empty. "
                    "Remove it so the project's system prompt is used.",
                ).format(row=row),
            )

    def _check_weight(self, m: Message, n: int, role: str) -> None:
        if m.weight is None:
            return
        row = self.row
        if role != Role.ASSISTANT:
            self.add(
                ERROR,
                "weight_not_on_assistant",
                lazy.translate(
                    "Checks",
                    "Row {row}: message {message} ({role}) has a weight. Only answers "
                    "(assistant messages) can have a weight; remove it.",
                ).format(row=row, message=n, role=role),
            )
        elif not _is_valid_weight(m.weight):
            self.add(
                ERROR,
                "invalid_weight",
                lazy.translate(
                    "Checks",
                    "Row {row}: the answer in message {message} has the weight {weight}. The "
                    "weight can only be 0 (do not learn from this answer) or 1 (learn from it).",
                ).format(row=row, message=n, weight=json.dumps(m.weight, ensure_ascii=False)),
            )

    def check_structure(self) -> None:
        """Answer and question present (run only when every message has a valid role)."""
        ex, row = self.example, self.row
        roles = [m.role for m in ex.messages]
        if Role.ASSISTANT not in roles:
            self.add(
                ERROR,
                "missing_answer",
                lazy.translate(
                    "Checks",
                    "Row {row} has no answer. Every example needs an answer from the "
                    "assistant; Azure rejects the file otherwise.",
                ).format(row=row),
            )
        elif Role.USER not in roles:
            self.add(
                WARNING,
                "missing_question",
                lazy.translate(
                    "Checks",
                    "Row {row} has an answer but no question. Add the question it answers.",
                ).format(row=row),
            )

    def check_review(self) -> None:
        if needs_review(self.example):
            self.add(
                WARNING,
                "needs_review",
                lazy.translate(
                    "Checks",
                    "Row {row} came back from a quiz and is flagged for review (⚑ in its "
                    "note): check the answer, then remove the ⚑ from the note.",
                ).format(row=self.row),
            )

    def check_whitespace(self) -> None:
        if any(_needs_trim(m) for m in self.example.messages):
            self.add(
                WARNING,
                "extra_whitespace",
                lazy.translate(
                    "Checks",
                    "Row {row}: the question or answer starts or ends with spaces or "
                    "empty lines. Remove them so the model does not learn them.",
                ).format(row=self.row),
                FixKind.TRIM_WHITESPACE,
            )


# ---------------------------------------------------------------------------- run
def run_checks(
    dataset: Dataset, *, token_limit: int = DEFAULT_TOKEN_LIMIT, tokens: list[int] | None = None
) -> CheckReport:
    """Check ``dataset`` (pass ``tokens`` from :func:`dataset_tokens` to reuse counts)."""
    with bulk_build():  # up to one finding per row: no cycles, no GC walks while building
        return _run_checks(dataset, token_limit, tokens)


def _run_checks(dataset: Dataset, token_limit: int, tokens: list[int] | None) -> CheckReport:
    examples = dataset.examples
    if tokens is None:
        tokens = dataset_tokens(dataset)
    elif len(tokens) != len(examples):
        raise ValueError("tokens must hold one count per example")
    prompt = dataset.system_prompt

    per_row: list[list[Finding]] = []
    usable = 0
    own_prompts: Counter[str] = Counter()
    effective: dict[str, list[int]] = {}  # system prompt text -> rows using it
    # Keyed by hashes, not by the keys themselves: for 100,000 rows the tuples and
    # normalised strings cost ~55 MB (bench/dataset.py). A hash hit is confirmed against
    # the real key before it counts, so a collision can never make a false finding.
    first_of: dict[int, int] = {}  # hash of the exact key -> first row with it
    first_question: dict[int, int] = {}  # hash of the normalised question -> first row
    repeated: dict[int, list[int]] = {}  # ... -> every row, once a second one shows up
    duplicates: dict[int, int] = {}  # index -> index of the first copy
    drafts: list[int] = []  # 1-based rows still waiting for review

    for i, ex in enumerate(cooperative(examples)):  # runs on a worker: let the UI in
        row = i + 1
        rc = _RowChecker(ex, row)
        if is_empty_example(ex):
            rc.add(
                ERROR,
                "empty_row",
                lazy.translate(
                    "Checks",
                    "Row {row} is empty. Fill in a question and an answer, or remove the row.",
                ).format(row=row),
                FixKind.REMOVE_EMPTY,
            )
            per_row.append(rc.findings)
            continue
        if is_system_only(ex):
            text = ex.own_system or ""
            if _can_use_as_prompt(text, prompt):
                msg = lazy.translate(
                    "Checks",
                    "Row {row} holds only a system message, with no question or answer, and "
                    "Azure rejects examples without an answer. Use its text as the system "
                    "prompt for all examples and remove the row.",
                ).format(row=row)
                rc.add(ERROR, "system_only", msg, FixKind.USE_AS_SYSTEM_PROMPT)
            else:
                msg = lazy.translate(
                    "Checks",
                    "Row {row} holds only a system message, with no question or answer, and "
                    "Azure rejects examples without an answer. Copy what you need from it "
                    "into the system prompt, then remove the row.",
                ).format(row=row)
                rc.add(ERROR, "system_only", msg)
            rc.check_messages()
            per_row.append(rc.findings)
            continue

        rc.check_messages()
        if rc.role_errors == 0:
            rc.check_structure()
        if tokens[i] > token_limit:
            rc.add(
                ERROR,
                "too_many_tokens",
                lazy.translate(
                    "Checks",
                    "Row {row} is too long: {count} tokens, but the model accepts at most "
                    "{limit} tokens per example. Shorten it or split it into several examples.",
                ).format(row=row, count=f"{tokens[i]:,}", limit=f"{token_limit:,}"),
            )
        rc.check_whitespace()
        rc.check_review()
        if ex.draft:
            drafts.append(row)

        own = ex.own_system
        if own is not None:
            own_prompts[own] += 1
        effective.setdefault(own if own is not None else prompt, []).append(row)

        key = _example_key(ex)
        first = first_of.setdefault(hash(key), i)
        if first != i and _example_key(examples[first]) == key:
            duplicates[i] = first
        elif not ex.is_multi_turn:
            q = normalize_question(ex.question)
            if q:
                h = hash(q)
                seen = first_question.setdefault(h, i)
                if seen != i:
                    repeated.setdefault(h, [seen]).append(i)

        if rc.errors == 0:
            usable += 1
        per_row.append(rc.findings)

    # exact duplicates, near duplicates and conflicting answers
    for i, first in duplicates.items():
        per_row[i].append(
            Finding(
                WARNING,
                "duplicate_example",
                lazy.translate(
                    "Checks",
                    "Row {row} is an exact copy of row {first}. Copies add nothing new; "
                    "remove them.",
                ).format(row=i + 1, first=first + 1),
                examples[i].id,
                examples[i].source_line,
                FixKind.REMOVE_DUPLICATES,
            )
        )
    for group in _question_groups(examples, repeated):
        for pos, (i, answer) in enumerate(group):
            differing = [j + 1 for j, a in group if a != answer]
            ex = examples[i]
            if differing:
                if len(differing) == 1:
                    msg = lazy.translate(
                        "Checks",
                        "Row {row} asks the same question as row {rows} but gives a different "
                        "answer. Make the answers agree, or the model learns both.",
                    ).format(row=i + 1, rows=differing[0])
                else:
                    msg = lazy.translate(
                        "Checks",
                        "Row {row} asks the same question as rows {rows} but gives a different "
                        "answer. Make the answers agree, or the model learns all of them.",
                    ).format(row=i + 1, rows=_row_list(differing))
                per_row[i].append(
                    Finding(WARNING, "conflicting_answers", msg, ex.id, ex.source_line)
                )
            elif pos > 0:
                per_row[i].append(
                    Finding(
                        WARNING,
                        "similar_question",
                        lazy.translate(
                            "Checks",
                            "Row {row} asks almost the same question as row {first}: only "
                            "capitals, spaces or punctuation differ. Ask it in a truly "
                            "different way, or remove one of them.",
                        ).format(row=i + 1, first=group[0][0] + 1),
                        ex.id,
                        ex.source_line,
                    )
                )

    findings = _dataset_findings(dataset, usable, own_prompts, effective)
    if drafts:
        findings.append(
            Finding(
                WARNING,
                "drafts_to_review",
                lazy.translate(
                    "Checks",
                    "Drafts a model wrote, waiting for your review: {count} (rows {rows}). "
                    "Read each one, then accept, edit or reject it. Training does not start "
                    "while drafts wait, unless you choose to include them.",
                ).format(count=len(drafts), rows=_row_list(drafts)),
            )
        )
    for row_findings in per_row:
        findings.extend(row_findings)
    errors = sum(1 for f in findings if f.severity is ERROR)
    return CheckReport(
        findings=findings,
        tokens=tokens,
        total_tokens=sum(tokens),
        errors=errors,
        warnings=len(findings) - errors,
        drafts=len(drafts),
    )


def _question_groups(
    examples: Sequence[Example], repeated: dict[int, list[int]]
) -> list[list[tuple[int, str]]]:
    """Rows asking the same normalised question, as [(row index, normalised answer)].

    ``repeated`` groups rows by a hash of the normalised question; the real keys split any
    collision apart. Groups keep row order; singletons are dropped.
    """
    groups: list[list[tuple[int, str]]] = []
    for rows in repeated.values():
        by_question: dict[str, list[tuple[int, str]]] = {}
        for i in rows:
            q = normalize_question(examples[i].question)
            by_question.setdefault(q, []).append((i, normalize_question(examples[i].answer)))
        groups.extend(g for g in by_question.values() if len(g) > 1)
    return groups


def _dataset_findings(
    dataset: Dataset, usable: int, own_prompts: Counter[str], effective: dict[str, list[int]]
) -> list[Finding]:
    out: list[Finding] = []
    if usable == 0:
        out.append(
            Finding(
                ERROR,
                "too_few_examples",
                lazy.translate(
                    "Checks",
                    "There are no usable examples yet. Azure will not start a training job "
                    "with fewer than {minimum}. Add questions and answers to the table.",
                ).format(minimum=MIN_EXAMPLES),
            )
        )
    elif usable < MIN_EXAMPLES:
        out.append(
            Finding(
                ERROR,
                "too_few_examples",
                lazy.translate(
                    "Checks",
                    "Only {count} examples are usable. Azure will not start a training job "
                    "with fewer than {minimum}. Add more questions and answers.",
                ).format(count=usable, minimum=MIN_EXAMPLES),
            )
        )
    elif usable < RECOMMENDED_EXAMPLES:
        out.append(
            Finding(
                WARNING,
                "few_examples",
                lazy.translate(
                    "Checks",
                    "{count} examples are enough to start, but {recommended} or more are "
                    "recommended. Add more, and ask each question in several different ways.",
                ).format(count=usable, recommended=RECOMMENDED_EXAMPLES),
            )
        )
    if not dataset.system_prompt.strip() and not any(p.strip() for p in own_prompts):
        out.append(
            Finding(
                WARNING,
                "no_system_prompt",
                lazy.translate(
                    "Checks",
                    "There is no system prompt. Write one that says who the assistant is "
                    "and how it answers (in TuneDesk: the System prompt box above the "
                    "table). It is added to every example and used again when you chat "
                    "with the trained model.",
                ),
            )
        )
    if len(effective) > 1:
        # Rows that do not use the most common prompt are the odd ones out.
        common = max(effective.values(), key=len)
        odd = sorted(r for rows in effective.values() if rows is not common for r in rows)
        out.append(
            Finding(
                WARNING,
                "system_prompt_differs",
                lazy.translate(
                    "Checks",
                    "Not every example uses the same system prompt (see rows {rows}). Use one "
                    "system prompt for all examples so the model learns one consistent way "
                    "to answer.",
                ).format(rows=_row_list(odd)),
                fix=FixKind.APPLY_SYSTEM_PROMPT,
            )
        )
    return out


# ---------------------------------------------------------------------------- fixes
@dataclass
class FixPlan:
    """What a quick fix changes. ``replacements`` keep their ids; apply as one undo step."""

    remove_ids: list[str] = field(default_factory=list)
    replacements: list[Example] = field(default_factory=list)
    system_prompt: str | None = None  # the new project prompt, or None to keep it

    @property
    def is_empty(self) -> bool:
        return not self.remove_ids and not self.replacements and self.system_prompt is None

    def applied_to(self, dataset: Dataset) -> Dataset:
        """A new Dataset with the plan applied (the input is not changed)."""
        gone = set(self.remove_ids)
        new = {ex.id: ex for ex in self.replacements}
        prompt = dataset.system_prompt if self.system_prompt is None else self.system_prompt
        return Dataset(prompt, [new.get(ex.id, ex) for ex in dataset.examples if ex.id not in gone])


def plan_fix(dataset: Dataset, kind: FixKind) -> FixPlan:
    """The changes that quick fix ``kind`` makes to ``dataset`` (pure: nothing is changed)."""
    examples = dataset.examples
    prompt = dataset.system_prompt
    plan = FixPlan()
    if kind is FixKind.REMOVE_EMPTY:
        plan.remove_ids = [ex.id for ex in examples if is_empty_example(ex)]
    elif kind is FixKind.REMOVE_DUPLICATES:
        seen: set[tuple[tuple[str, str, str], ...]] = set()
        for ex in examples:
            if is_empty_example(ex):
                continue
            key = _example_key(ex)
            if key in seen:
                plan.remove_ids.append(ex.id)
            seen.add(key)
    elif kind is FixKind.TRIM_WHITESPACE:
        for ex in examples:
            if any(_needs_trim(m) for m in ex.messages):
                new = ex.copy()
                for m in new.messages:
                    if _needs_trim(m):
                        m.content = m.content.strip()
                plan.replacements.append(new)
    elif kind is FixKind.USE_AS_SYSTEM_PROMPT:
        target = prompt.strip()
        for ex in examples:
            if not is_system_only(ex):
                continue
            text = ex.own_system or ""
            if not target:
                target = text.strip()
                plan.system_prompt = text.strip()
            if text.strip() == target:
                plan.remove_ids.append(ex.id)
    elif kind is FixKind.APPLY_SYSTEM_PROMPT:
        owners = [ex for ex in examples if ex.own_system is not None and not is_system_only(ex)]
        if not prompt.strip():
            counts = Counter(ex.own_system for ex in owners if (ex.own_system or "").strip())
            if counts:
                plan.system_prompt = counts.most_common(1)[0][0]
        for ex in owners:
            plan.replacements.append(
                ex.copy(
                    messages=[
                        Message(m.role, m.content, m.weight)
                        for m in ex.messages
                        if m.role != Role.SYSTEM
                    ]
                )
            )
    return plan
