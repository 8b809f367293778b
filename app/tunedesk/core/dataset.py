"""The Q&A dataset: a system prompt and an ordered list of examples (conversations).

An :class:`Example` is treated as immutable once it is in a :class:`Dataset`: every edit
replaces it (``dataset.replace``), which keeps undo, persistence and change events simple.
A row in the grid is one example; multi-turn conversations stay intact in ``messages``
and the grid shows the first question and its answer.

Events (all synchronous, on the caller's thread) let the Qt table model and the project
store follow changes granularly:

- ``about_to_insert(first, count)`` / ``inserted(first, count)``
- ``about_to_remove(first, count)`` / ``removed(first, removed_examples)``
- ``replaced(first, old_examples)``  (rows ``first .. first+len-1`` now hold new examples)
- ``about_to_reset()`` / ``reset()``
- ``system_prompt_changed(old_text)``
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from tunedesk.core.events import Event


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class Split(StrEnum):
    AUTO = "auto"  # decided by the reproducible validation split at export
    TRAIN = "train"
    VALIDATION = "validation"


_ROLE_WORDS = {r.value: r.value for r in Role}


def new_id() -> str:
    """A stable, unique row id (kept in the project file, used by findings and jobs)."""
    return uuid.uuid4().hex[:16]


@dataclass(slots=True)
class Message:
    """One chat message as imported or edited.

    ``role`` and ``content`` keep whatever the source file had (even invalid values) so the
    checks can report them; ``weight`` is None when absent.
    """

    role: str
    content: Any
    weight: Any = None

    def __post_init__(self) -> None:
        # 100,000 imported examples repeat the same role words and, often, the same system
        # prompt: share one string object for each instead of one per message (~30 MB less
        # for 100k rows, measured by bench/dataset.py).
        role = self.role
        if type(role) is str:
            role = self.role = _ROLE_WORDS.get(role, role)
            if role == "system" and type(self.content) is str:
                self.content = sys.intern(self.content)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.weight is not None:
            data["weight"] = self.weight
        return data


class OriginKind(StrEnum):
    DOCUMENT = "document"      # drafted from a passage of one of the expert's documents
    PARAPHRASE = "paraphrase"  # another wording of the question of row ``of``


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a drafted row came from (kept after the row is accepted, for the record).

    ``source``/``page``/``excerpt``: the document's file name, its 1-based page (None where
    the format has no pages) and the passage the pair was drafted from; ``chunk`` the
    passage's stable id (:class:`tunedesk.core.documents.Chunk`). ``of``: for a paraphrase,
    the id of the row it rephrases.
    """

    kind: OriginKind
    source: str = ""
    page: int | None = None
    excerpt: str = ""
    chunk: str = ""
    of: str = ""


@dataclass(slots=True)
class Example:
    """One training example (a conversation). Never mutate one that is in a Dataset.

    ``draft``: written by a model (from a document, or a paraphrase) and not yet accepted by
    a person; training refuses drafts unless told otherwise. ``group``: rows with the same
    non-empty group are one question asked several ways (an original and its paraphrases,
    the group being the original's id); the validation split keeps a group together.
    """

    messages: list[Message]
    id: str = field(default_factory=new_id)
    split: Split = Split.AUTO
    note: str = ""
    source_line: int | None = None  # 1-based line/row in the file it was imported from
    draft: bool = False
    origin: Origin | None = None
    group: str = ""

    @property
    def split_key(self) -> str:
        """What the validation split is decided by: the group, else the row's own id."""
        return self.group or self.id

    # ------------------------------------------------------------------ constructors
    @classmethod
    def qa(cls, question: str, answer: str, **kwargs: Any) -> Example:
        return cls([Message(Role.USER, question), Message(Role.ASSISTANT, answer)], **kwargs)

    # ------------------------------------------------------------------ views
    def _first(self, role: str, after: int = -1) -> int | None:
        for i, m in enumerate(self.messages):
            if i > after and m.role == role:
                return i
        return None

    @property
    def question(self) -> str:
        i = self._first(Role.USER)
        return _as_text(self.messages[i].content) if i is not None else ""

    @property
    def answer(self) -> str:
        q = self._first(Role.USER)
        i = self._first(Role.ASSISTANT, after=q if q is not None else -1)
        return _as_text(self.messages[i].content) if i is not None else ""

    @property
    def own_system(self) -> str | None:
        """The example's own system message (from an imported file), if it has one."""
        for m in self.messages:
            if m.role == Role.SYSTEM:
                return _as_text(m.content)
        return None

    @property
    def turns(self) -> int:
        """Number of user messages (1 for a plain Q&A pair)."""
        return sum(1 for m in self.messages if m.role == Role.USER)

    @property
    def is_multi_turn(self) -> bool:
        users = answers = 0
        for m in self.messages:  # one pass: the checks ask this for every row
            if m.role == "user":
                users += 1
            elif m.role == "assistant":
                answers += 1
        return users > 1 or answers > 1

    # ------------------------------------------------------------------ edits (copies)
    def copy(self, **changes: Any) -> Example:
        messages = changes.pop("messages", None)
        if messages is None:
            messages = [Message(m.role, m.content, m.weight) for m in self.messages]
        return replace(self, messages=messages, **changes)

    def with_question(self, text: str) -> Example:
        return self._with_role_text(Role.USER, text, after=-1)

    def with_answer(self, text: str) -> Example:
        q = self._first(Role.USER)
        return self._with_role_text(Role.ASSISTANT, text, after=q if q is not None else -1)

    def _with_role_text(self, role: Role, text: str, after: int) -> Example:
        new = self.copy()
        i = new._first(role, after=after)
        if i is None:
            msg = Message(role, text)
            if role == Role.USER:
                # the question goes after any system message, before everything else
                pos = 1 if new.messages and new.messages[0].role == Role.SYSTEM else 0
                new.messages.insert(pos, msg)
            else:
                new.messages.insert(after + 1 if after >= 0 else len(new.messages), msg)
        else:
            new.messages[i].content = text
        return new

    def chat_messages(self, system_prompt: str) -> list[dict[str, Any]]:
        """The example as exported: the project system prompt first unless it has its own."""
        out = [m.to_json() for m in self.messages]
        if self.own_system is None and system_prompt.strip():
            out.insert(0, {"role": Role.SYSTEM.value, "content": system_prompt})
        return out


def text_of(content: Any) -> str:
    """A message's content as text (the text parts of vision-style content)."""
    if type(content) is str:  # nearly always: the fast path for find and search
        return content
    return _as_text(content)


def _as_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):  # vision-style parts: show the text parts
        return "".join(
            str(p.get("text", ""))
            for p in content
            if isinstance(p, dict) and p.get("type") == "text"
        )
    return str(content)


class Dataset:
    """The ordered examples of a project plus its system prompt, with change events."""

    def __init__(self, system_prompt: str = "", examples: Iterable[Example] = ()) -> None:
        self._system_prompt = system_prompt
        self._rows: list[Example] = list(examples)
        self._index: dict[str, int] | None = None
        self.about_to_insert: Event[[int, int]] = Event()
        self.inserted: Event[[int, int]] = Event()
        self.about_to_remove: Event[[int, int]] = Event()
        self.removed: Event[[int, list[Example]]] = Event()
        self.replaced: Event[[int, list[Example]]] = Event()
        self.about_to_reset: Event[[]] = Event()
        self.reset_done: Event[[]] = Event()
        self.system_prompt_changed: Event[[str]] = Event()

    # ------------------------------------------------------------------ reading
    @property
    def system_prompt(self) -> str:
        return self._system_prompt

    @property
    def examples(self) -> Sequence[Example]:
        return self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: int) -> Example:
        return self._rows[index]

    def __iter__(self) -> Iterator[Example]:
        return iter(self._rows)

    def index_of(self, example_id: str) -> int | None:
        if self._index is None:
            self._index = {ex.id: i for i, ex in enumerate(self._rows)}
        return self._index.get(example_id)

    # ------------------------------------------------------------------ writing
    def set_system_prompt(self, text: str) -> None:
        if text == self._system_prompt:
            return
        old = self._system_prompt
        self._system_prompt = text
        self.system_prompt_changed.emit(old)

    def insert(self, first: int, examples: Sequence[Example]) -> None:
        if not examples:
            return
        first = max(0, min(first, len(self._rows)))
        self.about_to_insert.emit(first, len(examples))
        self._rows[first:first] = list(examples)
        self._index = None
        self.inserted.emit(first, len(examples))

    def append(self, examples: Sequence[Example]) -> None:
        self.insert(len(self._rows), examples)

    def remove(self, first: int, count: int) -> list[Example]:
        if count <= 0:
            return []
        self.about_to_remove.emit(first, count)
        gone = self._rows[first : first + count]
        del self._rows[first : first + count]
        self._index = None
        self.removed.emit(first, gone)
        return gone

    def replace(self, first: int, examples: Sequence[Example]) -> list[Example]:
        """Put ``examples`` at rows ``first..``; returns the examples they replaced."""
        if not examples:
            return []
        old = self._rows[first : first + len(examples)]
        if len(old) != len(examples):
            raise IndexError("replace() beyond the end of the dataset")
        self._rows[first : first + len(examples)] = list(examples)
        if any(a.id != b.id for a, b in zip(old, examples, strict=True)):
            self._index = None
        self.replaced.emit(first, old)
        return old

    def reset(self, system_prompt: str, examples: Iterable[Example]) -> None:
        self.about_to_reset.emit()
        self._system_prompt = system_prompt
        self._rows = list(examples)
        self._index = None
        self.reset_done.emit()


# A row's note starting with this mark asks a person to review the row (rows sent back from
# a quiz, tunedesk.core.quiz.misses_as_examples); the checklist lists them until the note
# is edited. A mark in the note, not a column: older project files and exports keep it.
REVIEW_MARK = "\u2691"  # ⚑


def needs_review(example: Example) -> bool:
    """True while the row's note starts with :data:`REVIEW_MARK`."""
    return example.note.startswith(REVIEW_MARK)
