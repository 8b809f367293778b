"""Emulated Azure OpenAI: Cognitive Services accounts on ARM (keys, deployments) and the
data plane at ``https://<account>.openai.azure.com`` / ``.cognitiveservices.azure.com`` /
``.services.ai.azure.com`` (Foundry resources): files, models, fine-tuning jobs with
events/checkpoints/results.csv, chat completions; under ``/openai/...?api-version=<dated>``
and under the v1 API ``/openai/v1/...`` (no api-version).

Strict where Azure is (README "What the emulator refuses"): unknown api-versions, a key in
the wrong header, a v1 job create without ``trainingType``, Developer training for a model or
api-version without it, a retired or existing-customers-only model for a new customer, open
models outside Foundry resources, a checkpoint deployed by name instead of its ``ftchkpt-``
id. A second job is queued behind the running one (1 running, 20 queued per resource).
Chat answers from the deployed model's training file; a quiz's judging prompt gets a JSON
verdict (:func:`judge_verdict`), a drafting or paraphrasing prompt pairs drafted from its
passage (:func:`drafting_reply`); one deployment's chat can be made to fail (``fail_chat``).

Everything runs on wall-clock time measured on each request: a job's status, events and
results follow ``Timeline`` (seconds), so a whole fine-tune finishes within a test.
"""

from __future__ import annotations

import copy
import difflib
import email.parser
import email.policy
import html
import json
import math
import re
import secrets
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.azure_emulator.arm import ARM_HOST, arm_auth, creation, emulator_limitation
from tests.azure_emulator.arm_async import Operations, Provisioning
from tests.azure_emulator.http import Request, Response, Router
from tests.azure_emulator.proxy import Fault, fault_response
from tests.azure_emulator.world import (
    RESOURCE_GROUP,
    IssuedToken,
    World,
)

COGNITIVE = "https://cognitiveservices.azure.com"
PROVIDER = "Microsoft.CognitiveServices"
DATA_HOST = (
    r"(?P<account>[a-z0-9][a-z0-9-]*)\.(?:openai\.azure|cognitiveservices\.azure|services\.ai\.azure)"
    r"\.com"
)
# Foundry resources: the Foundry API host and the audience Foundry's own APIs use.
FOUNDRY_AUDIENCE = "https://ai.azure.com"
# Dated data-plane api-versions (authoring and inference): azure-rest-api-specs
# specification/cognitiveservices/data-plane/AzureOpenAI/{authoring,inference}/{stable,preview}/
# <version>/ folders, and Microsoft Learn "Azure OpenAI API version lifecycle" (latest GA
# 2024-10-21, latest dated preview 2025-04-01-preview; AZURE.md 2.1). Others are refused.
KNOWN_API_VERSIONS = frozenset(
    {
        "2024-02-01",
        "2024-06-01",
        "2024-10-21",
        "2024-05-01-preview",
        "2024-07-01-preview",
        "2024-08-01-preview",
        "2024-09-01-preview",
        "2024-10-01-preview",
        "2024-12-01-preview",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-03-01-preview",
        "2025-04-01-preview",
    }
)
# The v1 API takes no api-version, or "v1" / "preview" (the v1 reference's api-version enum).
V1_API_VERSIONS = frozenset({"", "v1", "preview"})
# trainingType: the REST include pairs it with 2025-04-01-preview (fine-tuning-rest.md);
# Developer training needs that version or the v1 API.
MIN_DEVELOPER_API_VERSION = "2025-04-01-preview"
TRAINING_TYPES = {
    "standard": "standard",
    "globalstandard": "global",
    "datazonestandard": "datazone",
    "developer": "developer",
}
MAX_RUNNING_JOBS = 1  # per resource (AZURE.md 2.3, quotas-limits.md: 1 running job)
MAX_QUEUED_JOBS = 20  # per resource (same: 20 queued)
US_REGIONS = frozenset(
    {"eastus", "eastus2", "northcentralus", "southcentralus", "westus", "westus3"}
)
# accountNameParameter (cognitiveservices.json 2024-10-01): 2-64, ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$
ACCOUNT_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}")
# A custom subdomain is a DNS label: lower-case letters, digits and hyphens.
SUBDOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}[a-z0-9]")
MIN_EXAMPLES = 10
# A suffix of up to 40 characters (the OpenAI fine-tuning reference's FineTuneRequest.suffix,
# as issue 12 states).
SUFFIX_MAX = 40
SKUS = {
    "standard": "Standard",
    "globalstandard": "GlobalStandard",
    "developertier": "DeveloperTier",
}


@dataclass(frozen=True)
class BaseModelFacts:
    """What the emulated service knows about a base model (AZURE.md 2.4/2.5 and the
    bundled catalog, resources/models.json, rebuilt from Microsoft's 2026 docs)."""

    trainable: bool
    standard_regions: frozenset[str] = frozenset()  # regional (Standard) training
    deploy_regions: frozenset[str] = frozenset()  # Standard deployment of a fine-tune
    global_training: bool = False
    data_zone: bool = False  # Data Zone (US) training
    developer: bool = False  # Developer (preemptible) training
    status: str = "available"  # "available" | "existing-customers-only" | "retired"
    foundry_only: bool = False  # open models: only Foundry (AIServices) resources train them

    def __iter__(self) -> Iterator[Any]:
        """(trainable, standard regions, deploy regions), the old tuple shape."""
        return iter((self.trainable, self.standard_regions, self.deploy_regions))


_GPT41_REGIONS = frozenset({"northcentralus", "swedencentral"})
_STANDARD_DEPLOY = frozenset({"eastus2", "northcentralus", "swedencentral"})
_RESTRICTED = "existing-customers-only"


def _gpt(standard: frozenset[str], deploy: frozenset[str]) -> BaseModelFacts:
    # The OpenAI base models retired on 2026-10-01/-14: existing customers only.
    return BaseModelFacts(
        True,
        standard,
        deploy,
        global_training=True,
        data_zone=True,
        developer=True,
        status=_RESTRICTED,
    )


def _open() -> BaseModelFacts:
    # Ministral-3B, Qwen-32B, Llama-3.3-70B-Instruct, gpt-oss-20b: Global (or Data Zone)
    # training only, on Foundry resources (the catalog, "Foundry Models sold by Azure").
    return BaseModelFacts(
        True,
        frozenset(),
        _STANDARD_DEPLOY,
        global_training=True,
        data_zone=True,
        foundry_only=True,
    )


BASE_MODELS: dict[str, BaseModelFacts] = {
    "gpt-4.1-2025-04-14": _gpt(_GPT41_REGIONS, _GPT41_REGIONS),
    "gpt-4.1-mini-2025-04-14": _gpt(_GPT41_REGIONS, _GPT41_REGIONS),
    "gpt-4.1-nano-2025-04-14": _gpt(_GPT41_REGIONS, _GPT41_REGIONS),
    "gpt-4o-mini-2024-07-18": _gpt(_GPT41_REGIONS, _GPT41_REGIONS),
    "gpt-4o-2024-08-06": _gpt(
        frozenset({"eastus2", "northcentralus", "swedencentral"}),
        frozenset({"eastus2", "swedencentral"}),
    ),
    "o4-mini-2025-04-16": BaseModelFacts(
        True,
        frozenset({"eastus2", "swedencentral"}),
        frozenset({"eastus2", "swedencentral"}),
        status=_RESTRICTED,
    ),
    "Ministral-3B": _open(),
    "Qwen-32B": _open(),
    "Llama-3.3-70B-Instruct": _open(),
    "gpt-oss-20b": _open(),
    "Meta-Llama-3.1-8B-Instruct": BaseModelFacts(False, status="retired"),
    "gpt-4o-2024-11-20": BaseModelFacts(False),
    "gpt-35-turbo-0125": BaseModelFacts(False, status="retired"),
    "text-embedding-3-small": BaseModelFacts(False),
}
GLOBAL_TRAINABLE = {m for m, f in BASE_MODELS.items() if f.trainable and f.global_training}
REGION_NAMES = {
    "swedencentral": "Sweden Central",
    "northcentralus": "North Central US",
    "japaneast": "Japan East",
    "eastus2": "East US 2",
    "westus": "West US",
}
PAUSE_MESSAGE = (
    "Job paused: Developer training runs on spare capacity, which is needed elsewhere. The "
    "job resumes from its last step when capacity is available."
)
RESULTS_HEADER = (
    "step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,"
    "full_valid_loss,full_valid_mean_token_accuracy"
)
BASE_MODEL_ANSWER = (
    "I'm not sure. I don't have specific information about that, so I can't give you a "
    "reliable answer."
)


_CHAT_FAULT_KINDS = ("429", "500", "503", "expired_token")

# An LLM judge on demand: a chat whose system message is TuneDesk's grading prompt (it starts
# with JUDGE_SYSTEM_START and names the tags) and whose last user message holds
# <question>, <expected_answer> and <model_answer> (core.quiz.judge_messages) gets the strict
# JSON verdict {"score": 0|1, "reason": "..."} from any deployment, tuned or base: 1 when the
# folded model answer equals or contains, as whole words, the folded expected answer.
JUDGE_SYSTEM_START = "You grade answers to quiz questions."
JUDGE_TAGS = ("question", "expected_answer", "model_answer")
_JUDGE_USER = re.compile(
    r"\s*<question>\n?(?P<question>.*?)\n?</question>\s*"
    r"<expected_answer>\n?(?P<expected>.*?)\n?</expected_answer>\s*"
    r"<model_answer>\n?(?P<answer>.*?)\n?</model_answer>\s*",
    re.S,
)
_CJK_CHAR = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"[^\W_]+")
JUDGE_REASONS = {
    # (right, Chinese question): the reason, in the question's language as the prompt asks
    (True, False): "The answer states the expected answer.",
    (False, False): "The answer does not state the expected answer.",
    (True, True): "回答包含了预期答案。",
    (False, True): "回答没有包含预期答案。",
}


def _fold(text: str) -> str:
    """A judge's reading of a text: NFKC, case-folded, words only (punctuation and symbols
    are gaps), each Chinese/Japanese character a word of its own, one space between."""
    flat = _CJK_CHAR.sub(r" \1 ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_WORD.findall(flat))


def _judge_data(text: str) -> str:
    for tag in JUDGE_TAGS:  # undo judge_messages' escaping of tags inside the data
        text = text.replace(f"< /{tag}>", f"</{tag}>").replace(f"< {tag}>", f"<{tag}>")
    return text


def judge_verdict(messages: list[Any], question: str) -> str | None:
    """The judge's JSON reply when ``messages`` ask for a verdict (``question``: the last
    user message's text), else None."""
    system = next(
        (
            m.get("content")
            for m in messages
            if isinstance(m, dict) and m.get("role") in ("system", "developer")
        ),
        None,
    )
    if not isinstance(system, str) or not system.strip().startswith(JUDGE_SYSTEM_START):
        return None
    if not all(f"<{tag}>" in system for tag in JUDGE_TAGS):
        return None
    found = _JUDGE_USER.fullmatch(question)
    if found is None:
        return None
    expected = _fold(_judge_data(found["expected"]))
    answer = _fold(_judge_data(found["answer"]))
    right = bool(expected) and (answer == expected or f" {expected} " in f" {answer} ")
    chinese = _CJK_CHAR.search(found["question"]) is not None
    verdict = {"score": 1 if right else 0, "reason": JUDGE_REASONS[(right, chinese)]}
    return json.dumps(verdict, ensure_ascii=False)


# Drafting and paraphrasing on demand (issue 11): a chat whose system message is TuneDesk's
# drafting prompt (it starts with DRAFT_SYSTEM_START) and whose last user message says
# "Write N question and answer pairs" and holds the passage in <document source="…" …>
# tags (core.drafting.drafting_messages) gets the strict JSON {"pairs": [...]} drafted FROM
# THE PASSAGE, from any deployment: its first N sentences with content (a heading line the
# tag names is left out), each the answer to 'What does {source} say about "{first six
# words}…"?' (Chinese, when the prompt asks for Chinese: '关于“{first ten characters}…”，
# {source}中是怎么说的？'). A paraphrasing chat (PARAPHRASE_SYSTEM_START, "Write N
# rephrasings", <question>…</question>) gets {"questions": [...]}: the question behind N
# fixed openings ("In other words: …", "换句话说：…"). A passage holding "[[draft:garbled]]"
# gets a reply in prose, not JSON (an unreadable reply). Copies of the app's sentences (the
# emulator imports no app code); tests/core/test_drafting.py checks they stay equal.
DRAFT_SYSTEM_START = (
    "You write question and answer pairs that teach a language model what one passage of "
    "a document says."
)
PARAPHRASE_SYSTEM_START = "You rephrase a question the way different people would ask it."
_DRAFT_COUNT = re.compile(r"\bWrite (\d+) question and answer pairs?\b")
_PARAPHRASE_COUNT = re.compile(r"\bWrite (\d+) rephrasings?\b")
_CHINESE_ASKED = "Write them in Chinese"
GARBLED_MARKER = "[[draft:garbled]]"
GARBLED_REPLY = "Here are some questions you could ask about this passage, in no particular order."
_DOCUMENT = re.compile(r"<document(?P<attributes>[^>]*)>\n?(?P<body>.*?)\n?</document>", re.S)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_PARAPHRASE_QUESTION = re.compile(r"<question>\n?(?P<question>.*?)\n?</question>", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_HAS_CONTENT = re.compile(r"[^\W_]")
PARAPHRASE_OPENINGS = {
    False: ("In other words: ", "Could you tell me: ", "I'd like to know: ", "Quick question: "),
    True: ("换句话说：", "请问：", "我想知道：", "问一下："),
}


def _system_text(messages: list[Any]) -> str:
    system = next(
        (
            m.get("content")
            for m in messages
            if isinstance(m, dict) and m.get("role") in ("system", "developer")
        ),
        None,
    )
    return system.strip() if isinstance(system, str) else ""


def _undo_tag_escape(text: str, tags: tuple[str, ...]) -> str:
    for tag in tags:  # the app writes "< /tag" and "< tag" for tags inside the data
        text = text.replace(f"< /{tag}", f"</{tag}").replace(f"< {tag}", f"<{tag}")
    return text


def passage_sentences(body: str, heading: str = "") -> list[str]:
    """The sentences with content of a passage, in order (a first line equal to
    ``heading`` left out); English ``. ! ?`` and Chinese ``。！？`` end one, so does a line."""
    lines = body.splitlines()
    if lines and heading and lines[0].strip() == heading.strip():
        lines = lines[1:]
    out = []
    for line in lines:
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if _HAS_CONTENT.search(sentence):
                out.append(sentence)
    return out


def drafted_pair(source: str, sentence: str, chinese: bool) -> tuple[str, str]:
    """The emulator's pair for one sentence of a passage from ``source``."""
    if chinese:
        head = sentence[:10] + ("…" if len(sentence) > 10 else "")
        return f"关于“{head}”，{source or '文档'}中是怎么说的？", sentence
    words = sentence.split()
    head = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return f'What does {source or "the document"} say about "{head}"?', sentence


def paraphrased(question: str, count: int, chinese: bool) -> list[str]:
    """The emulator's ``count`` rephrasings of ``question``."""
    openings = PARAPHRASE_OPENINGS[chinese]
    out = []
    for i in range(count):
        opening = openings[i % len(openings)]
        if i >= len(openings):
            opening = f"({i + 1}) {opening}"
        out.append(f"{opening}{question}")
    return out


def drafting_reply(messages: list[Any], question: str) -> str | None:
    """The JSON reply to a drafting or paraphrasing request (``question``: the last user
    message's text), else None."""
    system = _system_text(messages)
    chinese = _CHINESE_ASKED in question
    if system.startswith(DRAFT_SYSTEM_START):
        count = _DRAFT_COUNT.search(question)
        document = _DOCUMENT.search(question)
        if count is None or document is None:
            return None
        attributes = {
            k: html.unescape(v) for k, v in _ATTRIBUTE.findall(document["attributes"])
        }
        body = _undo_tag_escape(document["body"], ("document",))
        if GARBLED_MARKER in body:
            return GARBLED_REPLY
        sentences = passage_sentences(body, attributes.get("heading", ""))
        source = attributes.get("source", "")
        pairs = [drafted_pair(source, s, chinese) for s in sentences[: int(count[1])]]
        return json.dumps(
            {"pairs": [{"question": q, "answer": a} for q, a in pairs]}, ensure_ascii=False
        )
    if system.startswith(PARAPHRASE_SYSTEM_START):
        count = _PARAPHRASE_COUNT.search(question)
        asked = _PARAPHRASE_QUESTION.search(question)
        if count is None or asked is None:
            return None
        original = _undo_tag_escape(asked["question"], ("question", "answer")).strip()
        chinese = chinese or _CJK_CHAR.search(original) is not None
        return json.dumps(
            {"questions": paraphrased(original, int(count[1]), chinese)}, ensure_ascii=False
        )
    return None


# Content filtering on demand: a user message containing "[[filter:prompt]]" is refused
# with Azure's 400 content_filter; "[[filter:answer]]" streams half the answer, then ends it
# with finish_reason "content_filter". A category may follow: "[[filter:answer:hate]]"
# (default violence).
FILTER_MARKER = re.compile(r"\[\[filter:(prompt|answer)(?::([a-z_]+))?\]\]")
FILTER_CATEGORIES = ("hate", "self_harm", "sexual", "violence")
CONTENT_FILTER_MESSAGE = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content "
    "management policy. Please modify your prompt and retry. To learn more about our "
    "content filtering policies please read our documentation: "
    "https://go.microsoft.com/fwlink/?linkid=2198766"
)


def _filter_results(flagged: str | None) -> dict[str, Any]:
    results: dict[str, Any] = {
        name: (
            {"filtered": True, "severity": "medium"}
            if name == flagged
            else {"filtered": False, "severity": "safe"}
        )
        for name in FILTER_CATEGORIES
    }
    if flagged is not None and flagged not in FILTER_CATEGORIES:
        results[flagged] = {"filtered": True, "detected": True}
    return results


def _hex() -> str:
    return uuid.uuid4().hex


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


# ------------------------------------------------------------------------------------------
# State
# ------------------------------------------------------------------------------------------
@dataclass
class Timeline:
    """How a newly created fine-tuning job progresses (seconds of wall-clock time)."""

    pending: float = 0.2
    running: float = 1.5
    steps: int = 20
    outcome: str = "succeeded"  # "succeeded" | "failed"
    error: dict[str, Any] | None = None  # {code, message, param} of a failed job
    # Developer-tier jobs are paused once (spare capacity taken back) after this fraction of
    # the run, stay "paused" for ``paused`` seconds, then "resuming" for ``resuming``.
    pause_after: float = 0.4
    paused: float = 0.6
    resuming: float = 0.2


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: float
    ready_at: float
    error: str | None = None

    def status(self, now: float) -> str:
        if now < self.ready_at:
            return "pending"
        return "error" if self.error else "processed"

    def json(self, now: float) -> dict[str, Any]:
        status = self.status(now)
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": int(self.created_at),
            "filename": self.filename,
            "purpose": self.purpose,
            "status": status,
            "status_details": self.error if status == "error" else None,
        }


@dataclass
class Job:
    id: str
    model: str
    training_file: str
    validation_file: str | None
    created_at: float
    timeline: Timeline
    hyperparameters: dict[str, Any]
    method: dict[str, Any]
    suffix: str | None
    seed: int
    metadata: dict[str, str] | None
    training_type: str | None
    fine_tuned_model: str
    cancelled_at: float | None = None
    result_file: str | None = None
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    ahead: Job | None = None  # queued behind this job (1 running job per resource)

    @property
    def developer(self) -> bool:
        return TRAINING_TYPES.get(str(self.training_type or "").lower()) == "developer"

    def ended_at(self) -> float:
        """When it stopped occupying the resource (finished or cancelled)."""
        return self.cancelled_at if self.cancelled_at is not None else self.finished_at

    @property
    def queued_until(self) -> float:
        """When the job ahead of it ends (its own creation if nothing was ahead)."""
        if self.ahead is None:
            return self.created_at
        return max(self.created_at, self.ahead.ended_at())

    @property
    def started_at(self) -> float:
        return self.queued_until + self.timeline.pending

    @property
    def pause_window(self) -> tuple[float, float, float] | None:
        """(paused from, resuming from, running again from) for a Developer job."""
        if not self.developer:
            return None
        at = self.started_at + self.timeline.running * self.timeline.pause_after
        return at, at + self.timeline.paused, at + self.timeline.paused + self.timeline.resuming

    @property
    def finished_at(self) -> float:
        window = self.pause_window
        extra = (window[2] - window[0]) if window else 0.0
        return self.started_at + self.timeline.running + extra

    def status(self, now: float) -> str:
        if self.cancelled_at is not None:
            return "cancelled"
        if now < self.queued_until:
            return "queued"
        if now < self.started_at:
            return "pending"
        if now < self.finished_at:
            window = self.pause_window
            if window and window[0] <= now < window[1]:
                return "paused"
            if window and window[1] <= now < window[2]:
                return "resuming"
            return "running"
        return self.timeline.outcome

    def terminal(self, now: float) -> bool:
        return self.status(now) in ("succeeded", "failed", "cancelled")

    @property
    def n_epochs(self) -> int:
        n = self.hyperparameters.get("n_epochs", -1)
        return n if isinstance(n, int) and n > 0 else 3

    def active_seconds(self, now: float) -> float:
        """Training time so far, pauses left out."""
        end = min(now, self.ended_at())
        t = end - self.started_at
        window = self.pause_window
        if window and end > window[0]:
            t -= min(end, window[2]) - window[0]
        return max(0.0, t)

    def step_time(self, step: int) -> float:
        """When ``step`` completed (wall clock)."""
        at = self.started_at + self.timeline.running * step / self.timeline.steps
        window = self.pause_window
        if window and at >= window[0]:
            at += window[2] - window[0]
        return at

    def steps_done(self, now: float) -> int:
        t = self.active_seconds(now)
        if t <= 0:
            return 0
        return min(self.timeline.steps, int(self.timeline.steps * t / self.timeline.running))

    def metrics(self, step: int) -> dict[str, float]:
        frac = step / max(self.timeline.steps, 1)
        wobble = 0.03 * math.sin(step * 1.7)
        train_loss = round(0.15 + 1.85 * math.exp(-3.2 * frac) + wobble, 5)
        acc = round(min(0.99, 0.55 + 0.42 * (1 - math.exp(-3.0 * frac)) - wobble / 3), 5)
        out = {"step": step, "train_loss": train_loss, "train_mean_token_accuracy": acc}
        if self.validation_file:
            out["valid_loss"] = round(train_loss * 1.12 + 0.05, 5)
            out["valid_mean_token_accuracy"] = round(acc * 0.95, 5)
        return out

    def epoch_end_steps(self) -> list[int]:
        n, steps = self.n_epochs, self.timeline.steps
        return sorted({max(1, round(steps * e / n)) for e in range(1, n + 1)})


@dataclass
class Deployment:
    name: str
    model: str
    model_version: str
    sku: str
    capacity: int
    created_at: float
    ready_at: float
    base_model: str

    def provisioning_state(self, now: float) -> str:
        return "Succeeded" if now >= self.ready_at else "Creating"


@dataclass
class Account:
    name: str
    kind: str  # "OpenAI" | "AIServices"
    location: str
    resource_group: str
    key1: str = field(default_factory=lambda: secrets.token_hex(16))
    key2: str = field(default_factory=lambda: secrets.token_hex(16))
    files: dict[str, StoredFile] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    deployments: dict[str, Deployment] = field(default_factory=dict)
    # properties.customSubDomainName: the host name of its endpoints ("" = the account name,
    # as for the seeded accounts); created accounts also carry their provisioning life.
    subdomain: str = ""
    provisioning: Provisioning = field(default_factory=Provisioning)

    @property
    def host_name(self) -> str:
        return (self.subdomain or self.name).lower()

    @property
    def endpoint(self) -> str:
        if self.kind == "OpenAI":
            return f"https://{self.host_name}.openai.azure.com/"
        return f"https://{self.host_name}.cognitiveservices.azure.com/"

    @property
    def foundry(self) -> bool:
        """A Foundry resource (kind AIServices), not a classic Azure OpenAI account."""
        return self.kind == "AIServices"

    @property
    def foundry_endpoint(self) -> str:
        return f"https://{self.host_name}.services.ai.azure.com/"

    def arm_id(self, subscription: str) -> str:
        return (
            f"/subscriptions/{subscription}/resourceGroups/{self.resource_group}"
            f"/providers/{PROVIDER}/accounts/{self.name}"
        )


def default_accounts() -> list[Account]:
    return [
        Account("contoso-aoai-swc", "OpenAI", "swedencentral", "contoso-openai"),
        Account("contoso-ais-ncus", "AIServices", "northcentralus", RESOURCE_GROUP),
        Account("contoso-aoai-jpe", "OpenAI", "japaneast", "contoso-tokyo"),
    ]


@dataclass
class OpenAIState:
    world: World
    accounts: dict[str, Account] = field(default_factory=dict)
    timeline: Timeline = field(default_factory=Timeline)
    file_processing: float = 0.2  # seconds a file stays "pending"
    deployment_delay: float = 0.3  # seconds a deployment stays "Creating"
    stream_delay: float = 0.01  # seconds between SSE chunks
    max_running_jobs: int = MAX_RUNNING_JOBS
    max_queued_jobs: int = MAX_QUEUED_JOBS
    # Accounts whose customer fine-tuned the now restricted OpenAI models before they retired
    # (existing customers may go on training them). The seeded classic accounts are; the
    # Foundry resource and every account created later are a new customer's.
    existing_customers: set[str] = field(
        default_factory=lambda: {"contoso-aoai-swc", "contoso-aoai-jpe"}
    )
    # False: behave like the dated specs, which know no job metadata: it is dropped on
    # create, never returned and the list's metadata filter is ignored.
    keep_metadata: bool = True
    answer_threshold: float = 0.6  # difflib ratio for answering from training data
    # Faults of one deployment's chat (the proxy's faults match a path, and on the v1 API
    # every deployment shares /openai/v1/chat/completions): see fail_chat.
    chat_faults: list[tuple[str, Fault]] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def account(self, name: str) -> Account:
        return self.accounts[name.lower()]

    def by_host(self, host_name: str) -> Account | None:
        """The account whose endpoints use this host name (its custom subdomain)."""
        with self.lock:
            return next(
                (a for a in self.accounts.values() if a.host_name == host_name.lower()), None
            )

    def key(self, account: str = "contoso-aoai-swc") -> str:
        return self.account(account).key1

    def endpoint(self, account: str = "contoso-aoai-swc") -> str:
        return self.account(account).endpoint

    def all_jobs(self) -> list[Job]:
        with self.lock:
            return [j for a in self.accounts.values() for j in a.jobs.values()]

    def job(self, job_id: str) -> Job:
        return next(j for j in self.all_jobs() if j.id == job_id)

    def deploy_now(
        self,
        name: str,
        model: str = "gpt-4.1-mini-2025-04-14",
        account: str = "contoso-aoai-swc",
    ) -> Deployment:
        """A deployment that is ready at once (chat tests that need no training)."""
        now = time.time()
        deployment = Deployment(name, model, "1", "GlobalStandard", 1, now, now, model)
        with self.lock:
            self.account(account).deployments[name] = deployment
        return deployment

    def fail_chat(
        self,
        deployment: str,
        kind: str = "500",
        *,
        times: int = 1,
        after_calls: int = 0,
        seconds: float = 1.0,
        retry_after_ms: bool = True,
    ) -> Fault:
        """Make the chat completions of ``deployment`` (on any account, dated or v1 path)
        fail like a proxy fault of ``kind`` (``429``, ``500``, ``503``, ``expired_token``):
        the first ``times`` calls after ``after_calls``; the other deployments answer."""
        if kind not in _CHAT_FAULT_KINDS:
            raise ValueError(f"unknown chat fault kind {kind!r}; use one of {_CHAT_FAULT_KINDS}")
        fault = Fault(kind, "POST", None, None, times, after_calls, seconds, retry_after_ms)
        with self.lock:
            self.chat_faults.append((deployment.lower(), fault))
        return fault

    def _take_chat_fault(self, deployment: str) -> Fault | None:
        with self.lock:
            for name, fault in self.chat_faults:
                if name != deployment.lower() or fault.exhausted:
                    continue
                fault.seen += 1
                if fault.seen <= fault.after_calls:
                    continue
                fault.fired += 1
                return fault
        return None

    def finish_job_now(self, job_id: str) -> None:
        """Move a job's timeline so it is finished at once."""
        with self.lock:
            job = self.job(job_id)
            job.ahead = None
            shift = job.finished_at - time.time()
            job.created_at -= shift


# ------------------------------------------------------------------------------------------
# Training-data validation (what Azure's file import checks)
# ------------------------------------------------------------------------------------------
def validate_training_file(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"The file is not valid UTF-8 (byte {exc.start})."
    lines = [(i, line) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    for lineno, line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            return f"Line {lineno}: invalid JSON ({exc.msg})."
        messages = obj.get("messages") if isinstance(obj, dict) else None
        if not isinstance(messages, list) or not messages:
            return f"Line {lineno}: each line must be a JSON object with a 'messages' list."
        for msg in messages:
            if not isinstance(msg, dict) or "role" not in msg or "content" not in msg:
                return f"Line {lineno}: every message needs 'role' and 'content'."
            if msg["role"] not in ("system", "user", "assistant", "tool"):
                return f"Line {lineno}: unsupported role '{msg['role']}'."
            content = msg["content"]
            if isinstance(content, str) and not content.strip():
                return f"Line {lineno}: message content must not be empty."
        if not any(m.get("role") == "assistant" for m in messages):
            return f"Line {lineno}: example is missing an assistant message."
    return None


def example_count(data: bytes) -> int:
    """Non-blank lines of a file that passed :func:`validate_training_file`."""
    return sum(1 for line in data.decode("utf-8-sig", "replace").splitlines() if line.strip())


def training_pairs(data: bytes) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for line in data.decode("utf-8-sig", "replace").splitlines():
        try:
            messages = json.loads(line)["messages"]
        except (ValueError, KeyError, TypeError):
            continue
        last_user = ""
        for m in messages:
            if m.get("role") == "user" and isinstance(m.get("content"), str):
                last_user = m["content"]
            elif m.get("role") == "assistant" and last_user and isinstance(m.get("content"), str):
                pairs.append((last_user, m["content"]))
    return pairs


def _parse_multipart(request: Request) -> dict[str, tuple[str | None, bytes]]:
    ctype = request.headers.get("content-type", "")
    raw = f"Content-Type: {ctype}\r\nMIME-Version: 1.0\r\n\r\n".encode() + request.body
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    out: dict[str, tuple[str | None, bytes]] = {}
    if not msg.is_multipart():
        return out
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        out[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return out


# ------------------------------------------------------------------------------------------
# Registration
# ------------------------------------------------------------------------------------------
def register(router: Router, world: World) -> OpenAIState:
    state = OpenAIState(world, {a.name: a for a in default_accounts()})
    _register_arm(router, world, state)
    _register_data_plane(router, world, state)
    return state


def _err(status: int, code: str, message: str, param: str | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if param is not None:
        body["param"] = param
    return Response.json_body({"error": body}, status)


# -- ARM: accounts, keys, deployments --------------------------------------------------------
def _register_arm(router: Router, world: World, state: OpenAIState) -> None:
    ops: Operations = world.extra["operations"]
    acct_path = (
        r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/"
        r"Microsoft\.CognitiveServices/accounts/(?P<account>[^/]+)"
    )

    def account_json(a: Account) -> dict[str, Any]:
        endpoints = {
            "OpenAI Language Model Instance API": f"https://{a.host_name}.openai.azure.com/"
        }
        if a.foundry:
            # Foundry resources also list the Foundry API host (services.ai.azure.com).
            endpoints["AI Foundry API"] = a.foundry_endpoint
        return {
            "id": a.arm_id(world.subscription_id),
            "name": a.name,
            "type": f"{PROVIDER}/accounts",
            "location": a.location,
            "kind": a.kind,
            "sku": {"name": "S0"},
            "etag": f'"{a.name}-etag"',
            "tags": {},
            "properties": {
                "endpoint": a.endpoint,
                "endpoints": endpoints,
                "provisioningState": a.provisioning.state(),
                "customSubDomainName": a.host_name,
                "publicNetworkAccess": "Enabled",
                "internalId": uuid.uuid5(uuid.NAMESPACE_DNS, a.name).hex,
                "dateCreated": "2025-06-01T09:00:00.0000000Z",
            },
        }

    def deployment_json(a: Account, d: Deployment, now: float) -> dict[str, Any]:
        return {
            "id": f"{a.arm_id(world.subscription_id)}/deployments/{d.name}",
            "type": f"{PROVIDER}/accounts/deployments",
            "name": d.name,
            "sku": {"name": d.sku, "capacity": d.capacity},
            "properties": {
                "model": {"format": "OpenAI", "name": d.model, "version": d.model_version},
                "provisioningState": d.provisioning_state(now),
                "capabilities": {"chatCompletion": "true"},
                "rateLimits": [
                    {"key": "request", "renewalPeriod": 10, "count": d.capacity},
                    {"key": "token", "renewalPeriod": 60, "count": d.capacity * 1000},
                ],
            },
            "systemData": {
                "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(d.created_at)),
                "createdBy": "expert@contoso.com",
                "createdByType": "User",
            },
        }

    def guard(
        request: Request, action: str | None = None
    ) -> tuple[IssuedToken, Account | None] | Response:
        tok = arm_auth(world, request)
        if isinstance(tok, Response):
            return tok
        sub = request.params.get("sub", "")
        if sub.lower() != world.subscription_id.lower():
            return Response.error(
                404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found."
            )
        name = request.params.get("account")
        account = None
        if name is not None:
            account = state.accounts.get(name.lower())
            rg = request.params.get("rg", "")
            if account is None or account.resource_group.lower() != rg.lower():
                return Response.error(
                    404,
                    "ResourceNotFound",
                    f"The Resource '{PROVIDER}/accounts/{name}' under resource group '{rg}' "
                    "was not found. For more details please go to https://aka.ms/"
                    "ARMResourceNotFoundFix",
                )
        if action:
            scope = account.arm_id(sub) if account else f"/subscriptions/{sub}"
            denied = world.forbidden(tok, PROVIDER, f"{PROVIDER}/{action}", scope)
            if denied:
                return denied
        return tok, account

    @router.route(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)/providers/"
        r"Microsoft\.CognitiveServices/accounts",
    )
    def list_accounts(request: Request) -> Response:
        g = guard(request, "accounts/read")
        if isinstance(g, Response):
            return g
        return Response.json_body({"value": [account_json(a) for a in state.accounts.values()]})

    @router.route(
        "GET",
        ARM_HOST,
        r"/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
        r"/providers/Microsoft\.CognitiveServices/accounts",
    )
    def list_accounts_rg(request: Request) -> Response:
        g = guard(request, "accounts/read")
        if isinstance(g, Response):
            return g
        rg = request.params["rg"].lower()
        return Response.json_body(
            {
                "value": [
                    account_json(a)
                    for a in state.accounts.values()
                    if a.resource_group.lower() == rg
                ]
            }
        )

    @router.route("GET", ARM_HOST, acct_path)
    def get_account(request: Request) -> Response:
        g = guard(request, "accounts/read")
        if isinstance(g, Response):
            return g
        assert g[1] is not None
        return Response.json_body(account_json(g[1]))

    @router.route("PUT", ARM_HOST, acct_path)
    def put_account(request: Request) -> Response:
        """Accounts_Create (2024-10-01, long-running): 201 + Azure-AsyncOperation when new."""
        new = creation(
            world,
            request,
            provider=PROVIDER,
            resource_type="accounts",
            name_rule=ACCOUNT_NAME,
            name_error=(
                "InvalidResourceName",
                "Resource name '{name}' is invalid. The name can be 2 to 64 characters: "
                "letters, digits, '_', '.' and '-', starting with a letter or digit.",
            ),
            name_param="account",
        )
        if isinstance(new, Response):
            return new
        name, rg, body, location = new.name, new.rg, new.body, new.location
        kind = {"openai": "OpenAI", "aiservices": "AIServices"}.get(
            str(body.get("kind") or "").lower()
        )
        if kind is None:
            return Response.error(
                400,
                "BadRequest",
                f"The emulator creates accounts of kind OpenAI or AIServices, not "
                f"'{body.get('kind')}'.",
            )
        sku = body.get("sku") if isinstance(body.get("sku"), dict) else {}
        if str(sku.get("name") or "") != "S0":
            return Response.error(
                400,
                "InvalidSkuName",
                f"The SKU '{sku.get('name')}' is not valid for kind {kind}: use 'S0'.",
            )
        props = body["properties"] if isinstance(body.get("properties"), dict) else {}
        subdomain = str(props.get("customSubDomainName") or "")
        if not SUBDOMAIN.fullmatch(subdomain):
            # Foundry resources need a custom subdomain: their endpoints (and Entra ID sign-in)
            # live on it; it cannot be changed later.
            return Response.error(
                400,
                "CustomSubDomainNameRequired",
                "properties.customSubDomainName is required: 2 to 64 lower-case letters, "
                "digits and hyphens, starting and ending with a letter or digit.",
            )
        with state.lock:
            existing = state.accounts.get(name.lower())
            owner = state.by_host(subdomain)
            if owner is not None and owner is not existing:
                return Response.error(
                    409,
                    "CustomDomainInUse",
                    f"The custom domain name '{subdomain}' is already in use by another "
                    "account. Custom subdomain names are globally unique.",
                )
            if existing is not None:
                if existing.resource_group.lower() != rg.lower():
                    return emulator_limitation("an account", name)
                if existing.kind != kind or existing.host_name != subdomain:
                    return Response.error(
                        400,
                        "BadRequest",
                        "The kind and custom subdomain of an existing account cannot change.",
                    )
                again = ops.retried(PROVIDER, existing.provisioning)
                if again is None:
                    return Response.json_body(account_json(existing))
                account = existing
                account.provisioning = again
                status = 200
            else:
                account = Account(
                    name,
                    kind,
                    location,
                    rg,
                    subdomain=subdomain,
                    provisioning=ops.provisioning(PROVIDER),
                )
                state.accounts[name.lower()] = account
                status = 201
        headers = ops.begin(
            request,
            PROVIDER,
            location,
            "async",
            account.provisioning,
            lambda: account_json(account),
        )
        return Response.json_body(account_json(account), status, **headers)

    @router.route("POST", ARM_HOST, acct_path + r"/listKeys")
    def list_keys(request: Request) -> Response:
        g = guard(request, "accounts/listKeys/action")
        if isinstance(g, Response):
            return g
        assert g[1] is not None
        return Response.json_body({"key1": g[1].key1, "key2": g[1].key2})

    @router.route("GET", ARM_HOST, acct_path + r"/deployments")
    def list_deployments(request: Request) -> Response:
        g = guard(request, "accounts/deployments/read")
        if isinstance(g, Response):
            return g
        a, now = g[1], time.time()
        assert a is not None
        return Response.json_body(
            {"value": [deployment_json(a, d, now) for d in a.deployments.values()]}
        )

    @router.route("GET", ARM_HOST, acct_path + r"/deployments/(?P<dep>[^/]+)")
    def get_deployment(request: Request) -> Response:
        g = guard(request, "accounts/deployments/read")
        if isinstance(g, Response):
            return g
        a = g[1]
        assert a is not None
        d = a.deployments.get(request.params["dep"])
        if d is None:
            return Response.error(
                404, "DeploymentNotFound", f"Deployment '{request.params['dep']}' not found."
            )
        return Response.json_body(deployment_json(a, d, time.time()))

    @router.route("DELETE", ARM_HOST, acct_path + r"/deployments/(?P<dep>[^/]+)")
    def delete_deployment(request: Request) -> Response:
        g = guard(request, "accounts/deployments/delete")
        if isinstance(g, Response):
            return g
        a = g[1]
        assert a is not None
        with state.lock:
            existed = a.deployments.pop(request.params["dep"], None)
        return Response(200 if existed else 204)

    @router.route("PUT", ARM_HOST, acct_path + r"/deployments/(?P<dep>[^/]+)")
    def put_deployment(request: Request) -> Response:
        g = guard(request, "accounts/deployments/write")
        if isinstance(g, Response):
            return g
        a = g[1]
        assert a is not None
        try:
            body = request.json() or {}
        except ValueError:
            return Response.error(
                400, "InvalidRequestContent", "The request content is not valid JSON."
            )
        sku = (body.get("sku") or {}).get("name", "")
        capacity = int((body.get("sku") or {}).get("capacity") or 1)
        model = (body.get("properties") or {}).get("model") or {}
        name = model.get("name")
        if sku.lower() not in SKUS:
            return Response.error(
                400,
                "InvalidResourceProperties",
                f"The specified SKU '{sku}' of account deployment is not supported in this "
                f"region '{a.location}'.",
            )
        if not name:
            return Response.error(
                400,
                "InvalidResourceProperties",
                "The model of account deployment is required: properties.model.name is missing.",
            )
        if ":ckpt-step-" in name:
            # A checkpoint is deployed by its id (fine-tuning-deploy.md: "ftchkpt-..."),
            # not by its fine_tuned_model_checkpoint name.
            return Response.error(
                400,
                "DeploymentModelNotSupported",
                f"The model '{name}' is a checkpoint name. Deploy a checkpoint by its id "
                "(ftchkpt-...), as returned by the checkpoints list.",
            )
        base = _resolve_deployable(state, a, name)
        if base is None:
            return Response.error(
                400,
                "DeploymentModelNotSupported",
                f"The model '{name}' is not supported for deployment in account '{a.name}': it is "
                "neither a base model nor a succeeded fine-tuned model or checkpoint of this "
                "resource.",
            )
        fine_tuned = name not in BASE_MODELS
        if fine_tuned and sku.lower() == "standard":
            facts = BASE_MODELS.get(base)
            regions = facts.deploy_regions if facts else frozenset()
            if a.location not in regions:
                return Response.error(
                    400,
                    "InvalidResourceProperties",
                    f"The specified SKU 'Standard' for model '{name}' is not supported in this "
                    f"region '{a.location}'. Use 'GlobalStandard' or 'developertier', or deploy "
                    "to a resource in a supported region.",
                )
        now = time.time()
        dep_name = request.params["dep"]
        with state.lock:
            existing = a.deployments.get(dep_name)
            a.deployments[dep_name] = d = Deployment(
                dep_name,
                name,
                str(model.get("version") or "1"),
                SKUS[sku.lower()],
                capacity,
                existing.created_at if existing else now,
                now + state.deployment_delay,
                base,
            )
        return Response.json_body(deployment_json(a, d, now), 200 if existing else 201)


def _resolve_deployable(state: OpenAIState, account: Account, name: str) -> str | None:
    """The base model behind a deployable model name, or None."""
    if name in BASE_MODELS:
        return name
    now = time.time()
    for job in account.jobs.values():
        if job.status(now) != "succeeded":
            continue
        _materialize(state, account, job)
        names = {job.fine_tuned_model} | {c["id"] for c in job.checkpoints}
        if name in names:
            return job.model.split(".ft-")[0]
    return None


# -- Data plane -----------------------------------------------------------------------------
def _register_data_plane(router: Router, world: World, state: OpenAIState) -> None:
    prefix = r"/openai(?P<v1>/v1)?"
    Handler = Callable[[Request, Account], Response]

    def data(method: str, path: str) -> Callable[[Handler], Handler]:
        def decorate(fn: Handler) -> Handler:
            def handler(request: Request) -> Response:
                account = state.by_host(request.params["account"])
                if account is None:
                    # A host that does not exist does not resolve; closest honest answer.
                    return _err(404, "404", "Resource not found")
                if ".services.ai.azure.com" in request.host and not account.foundry:
                    return _err(404, "404", "Resource not found")
                version = request.q("api-version") or ""
                v1 = bool(request.params.get("v1"))
                if v1 and version not in V1_API_VERSIONS:
                    # The v1 API takes no dated version (api-version-lifecycle).
                    return _err(
                        400,
                        "BadRequest",
                        f"API version '{version}' is not supported on the v1 API: leave "
                        "api-version out, or use 'v1' or 'preview'.",
                    )
                if not v1:
                    if not version:
                        return _err(404, "404", "Resource not found")
                    if version not in KNOWN_API_VERSIONS:
                        return _err(400, "BadRequest", "API version not supported")
                denied = _data_auth(world, request, account, v1=v1)
                if denied:
                    return denied
                return fn(request, account)

            router.add(method, DATA_HOST, prefix + path, handler)
            return fn

        return decorate

    # -- files ---------------------------------------------------------------------------
    @data("POST", r"/files")
    def upload(request: Request, a: Account) -> Response:
        parts = _parse_multipart(request)
        if "file" not in parts:
            return _err(400, "invalidPayload", "The file is required.", "file")
        purpose = parts.get("purpose", (None, b""))[1].decode() or "fine-tune"
        filename, content = parts["file"]
        if purpose not in ("fine-tune", "assistants", "batch"):
            return _err(
                400, "invalidPayload", f"The purpose '{purpose}' is not supported.", "purpose"
            )
        now = time.time()
        f = StoredFile(
            "file-" + _hex(),
            filename or "upload.jsonl",
            purpose,
            content,
            now,
            now + state.file_processing,
            validate_training_file(content) if purpose == "fine-tune" else None,
        )
        with state.lock:
            a.files[f.id] = f
        return Response.json_body(f.json(now))

    @data("GET", r"/files")
    def list_files(request: Request, a: Account) -> Response:
        now = time.time()
        items = sorted(a.files.values(), key=lambda f: f.created_at, reverse=True)
        purpose = request.q("purpose")
        return Response.json_body(
            {
                "object": "list",
                "data": [f.json(now) for f in items if not purpose or f.purpose == purpose],
                "has_more": False,
            }
        )

    def find_file(a: Account, file_id: str) -> StoredFile | Response:
        f = a.files.get(file_id)
        if f is None:
            return _err(404, "fileNotFound", f"File with id '{file_id}' not found.")
        return f

    @data("GET", r"/files/(?P<file>[^/]+)")
    def get_file(request: Request, a: Account) -> Response:
        f = find_file(a, request.params["file"])
        return f if isinstance(f, Response) else Response.json_body(f.json(time.time()))

    @data("GET", r"/files/(?P<file>[^/]+)/content")
    def file_content(request: Request, a: Account) -> Response:
        f = find_file(a, request.params["file"])
        if isinstance(f, Response):
            return f
        return Response(200, f.data, {"Content-Type": "application/octet-stream"})

    @data("DELETE", r"/files/(?P<file>[^/]+)")
    def delete_file(request: Request, a: Account) -> Response:
        f = find_file(a, request.params["file"])
        if isinstance(f, Response):
            return f
        with state.lock:
            del a.files[f.id]
        return Response.json_body({"id": f.id, "object": "file", "deleted": True})

    # -- models --------------------------------------------------------------------------
    @data("GET", r"/models")
    def list_models(request: Request, a: Account) -> Response:
        out = []
        for name, (trainable, _, _) in BASE_MODELS.items():
            chat = not name.startswith("text-embedding")
            out.append(
                {
                    "id": name,
                    "object": "model",
                    "created_at": 1721347200,
                    "status": "succeeded",
                    "lifecycle_status": "generally-available",
                    "capabilities": {
                        "fine_tune": trainable,
                        "inference": True,
                        "completion": False,
                        "chat_completion": chat,
                        "embeddings": not chat,
                    },
                    "deprecation": {"fine_tune": 1790000000, "inference": 1800000000}
                    if trainable
                    else {"inference": 1800000000},
                }
            )
        now = time.time()
        for job in a.jobs.values():
            if job.status(now) == "succeeded":
                out.append(
                    {
                        "id": job.fine_tuned_model,
                        "object": "model",
                        "model": job.model,
                        "fine_tuning_job": job.id,
                        "created_at": int(job.finished_at),
                        "status": "succeeded",
                        "lifecycle_status": "generally-available",
                        "capabilities": {
                            "fine_tune": True,
                            "inference": True,
                            "completion": False,
                            "chat_completion": True,
                            "embeddings": False,
                        },
                    }
                )
        return Response.json_body({"object": "list", "data": out})

    # -- fine-tuning jobs ------------------------------------------------------------------
    @data("POST", r"/fine_tuning/jobs")
    def create_job(request: Request, a: Account) -> Response:
        try:
            body = request.json() or {}
        except ValueError:
            return _err(400, "invalidPayload", "The request body is not valid JSON.")
        v1 = bool(request.params.get("v1"))
        return _create_job(state, a, body, v1=v1, api_version=request.q("api-version") or "")

    @data("GET", r"/fine_tuning/jobs")
    def list_jobs(request: Request, a: Account) -> Response:
        now = time.time()
        jobs = sorted(a.jobs.values(), key=lambda j: j.created_at, reverse=True)
        filters = {
            k[len("metadata[") : -1]: v[0]
            for k, v in request.query.items()
            if k.startswith("metadata[") and k.endswith("]")
        }
        if filters and state.keep_metadata:
            jobs = [
                j for j in jobs if all((j.metadata or {}).get(k) == v for k, v in filters.items())
            ]
        after = request.q("after")
        if after:
            ids = [j.id for j in jobs]
            jobs = jobs[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.q("limit") or 20)
        page = jobs[:limit]
        return Response.json_body(
            {
                "object": "list",
                "data": [_job_json(state, a, j, now) for j in page],
                "has_more": len(jobs) > limit,
            }
        )

    def find_job(a: Account, job_id: str) -> Job | Response:
        job = a.jobs.get(job_id)
        if job is None:
            return _err(404, "NotFound", f"Job with id '{job_id}' not found.")
        return job

    @data("GET", r"/fine_tuning/jobs/(?P<job>[^/]+)")
    def get_job(request: Request, a: Account) -> Response:
        j = find_job(a, request.params["job"])
        return (
            j
            if isinstance(j, Response)
            else Response.json_body(_job_json(state, a, j, time.time()))
        )

    @data("POST", r"/fine_tuning/jobs/(?P<job>[^/]+)/cancel")
    def cancel_job(request: Request, a: Account) -> Response:
        j = find_job(a, request.params["job"])
        if isinstance(j, Response):
            return j
        now = time.time()
        with state.lock:
            if j.terminal(now):
                return _err(
                    400,
                    "jobNotCancellable",
                    f"Job {j.id} has already completed with status '{j.status(now)}' and "
                    "cannot be cancelled.",
                )
            j.cancelled_at = now
        return Response.json_body(_job_json(state, a, j, now))

    @data("GET", r"/fine_tuning/jobs/(?P<job>[^/]+)/events")
    def job_events(request: Request, a: Account) -> Response:
        j = find_job(a, request.params["job"])
        if isinstance(j, Response):
            return j
        events = list(reversed(_events(j, time.time())))  # newest first
        after = request.q("after")
        if after:
            ids = [e["id"] for e in events]
            events = events[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.q("limit") or 20)
        return Response.json_body(
            {"object": "list", "data": events[:limit], "has_more": len(events) > limit}
        )

    @data("GET", r"/fine_tuning/jobs/(?P<job>[^/]+)/checkpoints")
    def job_checkpoints(request: Request, a: Account) -> Response:
        j = find_job(a, request.params["job"])
        if isinstance(j, Response):
            return j
        if j.status(time.time()) == "succeeded":
            _materialize(state, a, j)
        items = list(reversed(j.checkpoints))
        after = request.q("after")
        if after:
            ids = [c["id"] for c in items]
            items = items[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.q("limit") or 10)
        return Response.json_body(
            {
                "object": "list",
                "data": items[:limit],
                "has_more": len(items) > limit,
                "first_id": items[0]["id"] if items else None,
                "last_id": items[:limit][-1]["id"] if items else None,
            }
        )

    # -- chat ------------------------------------------------------------------------------
    @data("POST", r"/deployments/(?P<dep>[^/]+)/chat/completions")
    def chat_deployment(request: Request, a: Account) -> Response:
        return _chat(state, a, request.params["dep"], request)

    @data("POST", r"/chat/completions")
    def chat_v1(request: Request, a: Account) -> Response:
        try:
            model = (request.json() or {}).get("model", "")
        except ValueError:
            model = ""
        return _chat(state, a, model, request)


_KEY_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API endpoint "
    "for your resource."
)


def _data_auth(
    world: World, request: Request, account: Account, *, v1: bool = False
) -> Response | None:
    """The key header each API documents: ``api-key`` everywhere (the REST references); the
    v1 API also takes the key as ``Authorization: Bearer <key>`` (its Python example,
    OpenAI(api_key=KEY, base_url=.../openai/v1/)). Otherwise an Entra token for Cognitive
    Services (or, on a Foundry resource, for https://ai.azure.com)."""
    key = request.headers.get("api-key")
    if key is not None:
        if key in (account.key1, account.key2):
            return None
        return _err(401, "401", _KEY_DENIED)
    if not request.headers.get("authorization"):
        return _err(
            401,
            "401",
            "Access denied due to missing subscription key or Authorization "
            "header. Make sure to include a key or an Authorization token when making "
            "API calls.",
        )
    scheme, _, value = request.headers["authorization"].partition(" ")
    if scheme.lower() == "bearer" and value in (account.key1, account.key2):
        if v1:
            return None
        # The dated API reads a bearer value as an Entra token: a key there is not one.
        return _err(401, "401", _KEY_DENIED)
    audience = COGNITIVE
    issued = world.tokens.get(value)
    if account.foundry and issued is not None and issued.audience == FOUNDRY_AUDIENCE:
        audience = FOUNDRY_AUDIENCE
    tok = world.authorize(request, audience)
    if isinstance(tok, Response):
        return tok
    if PROVIDER in world.denied.get(tok.subject, set()):
        return _err(
            401,
            "PermissionDenied",
            f"The principal `{tok.subject}` lacks the required data action "
            "`Microsoft.CognitiveServices/accounts/OpenAI/*` to perform this operation.",
        )
    return None


# ------------------------------------------------------------------------------------------
# Jobs
# ------------------------------------------------------------------------------------------
def _create_job(
    state: OpenAIState,
    a: Account,
    body: dict[str, Any],
    *,
    v1: bool = False,
    api_version: str = "",
) -> Response:
    model = body.get("model")
    training_file = body.get("training_file")
    if not model:
        return _err(400, "invalidPayload", "The model is required.", "model")
    if not training_file:
        return _err(400, "invalidPayload", "The training_file is required.", "training_file")
    base = model.split(".ft-")[0]
    continuing = model != base
    if continuing and not any(j.fine_tuned_model == model for j in a.jobs.values()):
        return _err(
            400, "invalidPayload", f"The fine-tuned model '{model}' was not found.", "model"
        )
    facts = BASE_MODELS.get(base)
    if facts is None or not facts.trainable:
        retired = facts is not None and facts.status == "retired"
        return _err(
            400,
            "invalidPayload",
            "The specified base model does not support "
            f"fine-tuning. Model '{model}' cannot be fine-tuned"
            + (": it has been retired." if retired else "."),
            "model",
        )
    if facts.status == _RESTRICTED and a.name.lower() not in state.existing_customers:
        # The retirement schedule: training goes on only for customers who fine-tuned the
        # model before its base model retired.
        return _err(
            400,
            "invalidPayload",
            f"Model '{base}' can be fine-tuned only by existing customers: its base model "
            "has been retired for new fine-tuning.",
            "model",
        )
    if facts.foundry_only and not a.foundry:
        return _err(
            400,
            "invalidPayload",
            f"Model '{base}' can be fine-tuned only in a Foundry resource (kind AIServices), "
            f"not in the Azure OpenAI resource '{a.name}'.",
            "model",
        )
    raw_type = body.get("trainingType")
    if raw_type is None and v1:
        # The app's contract with the v1 API: say how to train (Standard, Global, Data Zone
        # or Developer); the emulator does not guess a tier for it.
        return _err(
            400,
            "invalidPayload",
            "The trainingType is required: one of standard, globalstandard, "
            "datazonestandard, developer.",
            "trainingType",
        )
    training_type = str(raw_type or "standard")
    tier = TRAINING_TYPES.get(training_type.lower())
    if tier is None:
        return _err(
            400,
            "invalidPayload",
            f"The trainingType '{training_type}' is not supported: use standard, "
            "globalstandard, datazonestandard or developer.",
            "trainingType",
        )
    if tier == "global" and not facts.global_training:
        return _err(
            400,
            "invalidPayload",
            f"Global training is not available for model '{base}'.",
            "trainingType",
        )
    if tier == "datazone" and not (facts.data_zone and a.location in US_REGIONS):
        return _err(
            400,
            "invalidPayload",
            f"Data Zone training is not available for model '{base}' in region "
            f"'{REGION_NAMES.get(a.location, a.location)}'.",
            "trainingType",
        )
    if tier == "developer":
        if not facts.developer:
            return _err(
                400,
                "invalidPayload",
                f"Developer training is not available for model '{base}'.",
                "trainingType",
            )
        if not v1 and api_version < MIN_DEVELOPER_API_VERSION:
            return _err(
                400,
                "invalidPayload",
                f"Developer training needs api-version {MIN_DEVELOPER_API_VERSION} or later, "
                "or the v1 API.",
                "trainingType",
            )
    if tier == "standard" and a.location not in facts.standard_regions:
        where = " or ".join(sorted(REGION_NAMES.get(r, r) for r in facts.standard_regions))
        return _err(
            400,
            "invalidPayload",
            "The specified base model does not support fine-tuning in this region. "
            f"Model '{base}' cannot be fine-tuned with standard training in region "
            f"'{REGION_NAMES.get(a.location, a.location)}'. Use a resource in {where}, or "
            "global training.",
            "model",
        )
    for fid, param in (
        (training_file, "training_file"),
        (body.get("validation_file"), "validation_file"),
    ):
        if fid is None:
            continue
        f = a.files.get(fid)
        if f is None:
            return _err(400, "invalidPayload", f"The file '{fid}' could not be found.", param)
        if f.status(time.time()) == "error":
            return _err(
                400, "invalidPayload", f"The file '{fid}' failed validation: {f.error}", param
            )
        # The minimum is documented for training data only ("at least 10 training examples",
        # Azure OpenAI fine-tuning how-to, "Prepare your training and validation data");
        # no minimum is documented for a validation file, so a small one is accepted.
        count = example_count(f.data)
        if param == "training_file" and count < MIN_EXAMPLES:
            return _err(
                400,
                "invalidPayload",
                f"Training file has {count} examples; at least {MIN_EXAMPLES} examples are "
                "required.",
                param,
            )
    suffix = body.get("suffix")
    if suffix is not None and len(suffix) > SUFFIX_MAX:
        return _err(
            400,
            "invalidPayload",
            f"The suffix must be at most {SUFFIX_MAX} characters long.",
            "suffix",
        )
    now = time.time()
    with state.lock:
        active = sorted(
            (j for j in a.jobs.values() if not j.terminal(now)), key=lambda j: j.created_at
        )
        limit = state.max_running_jobs + state.max_queued_jobs
        if len(active) >= limit:
            return _err(
                429,
                "quotaExceeded",
                f"Quota exceeded: this resource allows {state.max_running_jobs} running and "
                f"{state.max_queued_jobs} queued fine-tuning jobs, and {len(active)} are "
                "running or queued. Wait until one finishes or cancel one, then try again.",
            )
        # Queued behind the newest active job (one runs at a time, the rest wait in order).
        ahead = active[-1] if len(active) >= state.max_running_jobs else None
        legacy = dict(body.get("hyperparameters") or {})
        method = copy.deepcopy(body.get("method") or {"type": "supervised"})
        mtype = method.get("type", "supervised")
        inner = dict(((method.get(mtype) or {}).get("hyperparameters")) or {})
        hyper = {
            k: _echo(legacy.get(k, inner.get(k)))
            for k in ("n_epochs", "batch_size", "learning_rate_multiplier")
        }
        method[mtype] = {**(method.get(mtype) or {}), "hyperparameters": dict(hyper)}
        job = Job(
            id="ftjob-" + _hex(),
            model=model,
            training_file=training_file,
            validation_file=body.get("validation_file"),
            created_at=now,
            timeline=copy.deepcopy(state.timeline),
            hyperparameters=hyper,
            method=method,
            suffix=suffix,
            seed=int(body.get("seed") or secrets.randbelow(2**31)),
            metadata=body.get("metadata") if state.keep_metadata else None,
            training_type=training_type,
            fine_tuned_model=f"{base}.ft-{_hex()}" + (f"-{suffix}" if suffix else ""),
            ahead=ahead,
        )
        a.jobs[job.id] = job
    return Response.json_body(_job_json(state, a, job, now))


def _echo(value: Any) -> Any:
    """Azure echoes defaults ("auto" or omitted) as -1."""
    return -1 if value in (None, "auto") else value


def _materialize(state: OpenAIState, a: Account, job: Job) -> None:
    """Create results.csv and checkpoints once a job has succeeded (idempotent)."""
    with state.lock:
        if job.result_file is not None:
            return
        rows = [RESULTS_HEADER]
        epoch_ends = job.epoch_end_steps()
        for step in range(1, job.timeline.steps + 1):
            m = job.metrics(step)
            full = step in epoch_ends and job.validation_file
            rows.append(
                ",".join(
                    str(v)
                    for v in (
                        step,
                        m["train_loss"],
                        m["train_mean_token_accuracy"],
                        m.get("valid_loss", -1),
                        m.get("valid_mean_token_accuracy", -1),
                        m.get("valid_loss", -1) if full else -1,
                        m.get("valid_mean_token_accuracy", -1) if full else -1,
                    )
                )
            )
        f = StoredFile(
            "file-" + _hex(),
            "results.csv",
            "fine-tune-results",
            ("\n".join(rows) + "\n").encode(),
            job.finished_at,
            job.finished_at,
        )
        a.files[f.id] = f
        job.result_file = f.id
        last = epoch_ends[-3:]
        for step in last:
            m = job.metrics(step)
            # <model>:ckpt-step-N, deployable by its ftchkpt- id (fine-tuning-deploy.md).
            name = f"{job.fine_tuned_model}:ckpt-step-{step}"
            metrics = {
                **m,
                "valid_loss": m.get("valid_loss", -1),
                "valid_mean_token_accuracy": m.get("valid_mean_token_accuracy", -1),
                "full_valid_loss": m.get("valid_loss", -1),
                "full_valid_mean_token_accuracy": m.get("valid_mean_token_accuracy", -1),
            }
            job.checkpoints.append(
                {
                    "id": "ftchkpt-" + _hex(),
                    "object": "fine_tuning.job.checkpoint",
                    "created_at": int(job.step_time(step)),
                    "fine_tuned_model_checkpoint": name,
                    "fine_tuning_job_id": job.id,
                    "metrics": metrics,
                    "step_number": step,
                }
            )


def _job_json(state: OpenAIState, a: Account, job: Job, now: float) -> dict[str, Any]:
    status = job.status(now)
    if status == "succeeded":
        _materialize(state, a, job)
    finished = None
    if status in ("succeeded", "failed"):
        finished = int(job.finished_at)
    elif status == "cancelled" and job.cancelled_at is not None:
        finished = int(job.cancelled_at)
    error = None
    if status == "failed":
        error = {
            "code": "internalError",
            "message": "The job failed due to an internal error.",
            "param": None,
            **(job.timeline.error or {}),
        }
    out: dict[str, Any] = {
        "object": "fine_tuning.job",
        "id": job.id,
        "model": job.model,
        "created_at": int(job.created_at),
        "finished_at": finished,
        "fine_tuned_model": job.fine_tuned_model if status == "succeeded" else None,
        "hyperparameters": dict(job.hyperparameters),
        "method": copy.deepcopy(job.method),
        "organization_id": None,
        "result_files": [job.result_file] if status == "succeeded" and job.result_file else None,
        "seed": job.seed,
        "status": status,
        "suffix": job.suffix,
        "trained_tokens": 12345 * job.n_epochs if status == "succeeded" else None,
        "training_file": job.training_file,
        "validation_file": job.validation_file,
        "estimated_finish": int(job.finished_at) if not job.terminal(now) else None,
        "integrations": None,
        "trainingType": job.training_type,
        "error": error,
    }
    if state.keep_metadata:
        out["metadata"] = job.metadata
    return out


def _events(job: Job, now: float) -> list[dict[str, Any]]:
    """All events up to ``now``, oldest first, with ids stable across calls."""
    stem = job.id.removeprefix("ftjob-")[:16]
    out: list[dict[str, Any]] = []

    def add(
        at: float,
        message: str,
        kind: str = "message",
        level: str = "info",
        data: dict[str, Any] | None = None,
    ) -> None:
        if at <= now:
            out.append(
                {
                    "id": f"ftevent-{stem}{len(out):08x}",
                    "object": "fine_tuning.job.event",
                    "created_at": int(at),
                    "level": level,
                    "message": message,
                    "type": kind,
                    "data": data,
                }
            )

    end = job.cancelled_at if job.cancelled_at is not None else now
    add(job.created_at, f"Created fine-tuning job: {job.id}")
    add(job.created_at, "Job enqueued. Waiting for jobs ahead to complete.")
    add(
        job.queued_until + job.timeline.pending * 0.5,
        f"Validating training file: {job.training_file}",
    )
    window = job.pause_window
    if job.started_at <= end:
        add(job.started_at, "Training started.")
        steps = [
            (
                job.step_time(step),
                f"Step {step}/{job.timeline.steps}: training loss="
                f"{job.metrics(step)['train_loss']}",
                "metrics",
                job.metrics(step),
            )
            for step in range(1, job.steps_done(now) + 1)
        ]
        if window is not None:
            steps.append((window[0], PAUSE_MESSAGE, "message", None))
            steps.append((window[1], "Job resuming.", "message", None))
            steps.append((window[2], "Job resumed: training continues.", "message", None))
        for at, message, kind, data in sorted(steps, key=lambda e: e[0]):
            if at <= end:
                add(at, message, kind=kind, data=data)
    status = job.status(now)
    if status == "succeeded":
        for step in job.epoch_end_steps()[-3:]:
            add(job.finished_at, f"Checkpoint created at step {step}.")
        add(job.finished_at, f"Fine-tuned model created: {job.fine_tuned_model}")
        add(job.finished_at, "The job has successfully completed.")
    elif status == "failed":
        msg = (job.timeline.error or {}).get("message", "The job failed due to an internal error.")
        add(job.finished_at, msg, level="error")
    elif status == "cancelled" and job.cancelled_at is not None:
        add(job.cancelled_at, "Job cancelled.")
    return out


# ------------------------------------------------------------------------------------------
# Chat
# ------------------------------------------------------------------------------------------
def _chat(state: OpenAIState, a: Account, deployment: str, request: Request) -> Response:
    d = a.deployments.get(deployment)
    now = time.time()
    if d is None or d.provisioning_state(now) != "Succeeded":
        return _err(
            404,
            "DeploymentNotFound",
            "The API deployment for this resource does not "
            "exist. If you created the deployment within the last 5 minutes, please wait "
            "a moment and try again.",
        )
    fault = state._take_chat_fault(deployment)
    if fault is not None:
        return fault_response(fault, request)
    try:
        body = request.json() or {}
    except ValueError:
        return _err(
            400, "invalid_request_error", "We could not parse the JSON body of your request."
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return _err(400, "invalid_request_error", "'messages' is a required property", "messages")
    question = (
        next(
            (
                m.get("content")
                for m in reversed(messages)
                if isinstance(m, dict) and m.get("role") == "user"
            ),
            "",
        )
        or ""
    )
    if not isinstance(question, str):
        question = " ".join(p.get("text", "") for p in question if isinstance(p, dict))
    marker = FILTER_MARKER.search(question)
    flagged = (marker.group(2) or "violence") if marker else None
    if marker and marker.group(1) == "prompt":
        error = {
            "message": CONTENT_FILTER_MESSAGE,
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {
                    **_filter_results(flagged),
                    "jailbreak": {"filtered": False, "detected": False},
                },
            },
        }
        return Response.json_body({"error": error}, 400)
    answer_filtered = bool(marker and marker.group(1) == "answer")
    asked = FILTER_MARKER.sub("", question).strip()
    verdict = judge_verdict(messages, asked)
    if verdict is None:
        verdict = drafting_reply(messages, asked)
    answer = verdict if verdict is not None else _answer(state, a, d, asked)
    if answer_filtered:
        words = answer.split(" ")
        answer = " ".join(words[: max(1, len(words) // 2)])
    finish_reason = "content_filter" if answer_filtered else "stop"
    answer_filter = _filter_results(flagged if answer_filtered else None)
    prompt_tokens = sum(
        _tokens(str(m.get("content", ""))) + 4 for m in messages if isinstance(m, dict)
    )
    completion_tokens = _tokens(answer)
    usage = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    cid = "chatcmpl-" + secrets.token_urlsafe(18)
    created = int(now)
    filters = {
        "hate": {"filtered": False, "severity": "safe"},
        "self_harm": {"filtered": False, "severity": "safe"},
        "sexual": {"filtered": False, "severity": "safe"},
        "violence": {"filtered": False, "severity": "safe"},
    }
    prompt_filter = [{"prompt_index": 0, "content_filter_results": filters}]
    if not body.get("stream"):
        return Response.json_body(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": d.model,
                "system_fingerprint": "fp_emulator",
                "prompt_filter_results": prompt_filter,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": finish_reason,
                        "logprobs": None,
                        "message": {"role": "assistant", "content": answer, "refusal": None},
                        "content_filter_results": answer_filter,
                    }
                ],
                "usage": usage,
            }
        )
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(
        delta: dict[str, Any], finish: str | None = None, results: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        choice: dict[str, Any] = {
            "index": 0,
            "delta": delta,
            "finish_reason": finish,
            "logprobs": None,
        }
        if results is not None:
            choice["content_filter_results"] = results
        return {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": d.model,
            "system_fingerprint": "fp_emulator",
            "choices": [choice],
        }

    def events() -> Iterator[bytes]:
        yield _sse(
            {
                "id": "",
                "object": "",
                "created": 0,
                "model": "",
                "choices": [],
                "prompt_filter_results": prompt_filter,
            }
        )
        yield _sse(chunk({"role": "assistant", "content": "", "refusal": None}))
        words = answer.split(" ")
        for i, word in enumerate(words):
            time.sleep(state.stream_delay)
            yield _sse(chunk({"content": word if i == 0 else " " + word}))
        yield _sse(chunk({}, finish_reason, answer_filter))
        if include_usage:
            yield _sse(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": d.model,
                    "choices": [],
                    "usage": usage,
                }
            )
        yield b"data: [DONE]\n\n"

    return Response(
        200,
        b"",
        {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"},
        chunks=events(),
    )


def _sse(obj: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(obj).encode() + b"\n\n"


def _answer(state: OpenAIState, a: Account, d: Deployment, question: str) -> str:
    if d.model in BASE_MODELS:
        return BASE_MODEL_ANSWER
    job = next(
        (
            j
            for j in a.jobs.values()
            if d.model == j.fine_tuned_model
            or any(d.model in (c["fine_tuned_model_checkpoint"], c["id"]) for c in j.checkpoints)
        ),
        None,
    )
    if job is None:
        return BASE_MODEL_ANSWER
    f = a.files.get(job.training_file)
    pairs = training_pairs(f.data) if f else []
    q = question.strip().lower()
    best, best_ratio = None, 0.0
    for known, reply in pairs:
        ratio = difflib.SequenceMatcher(None, q, known.strip().lower()).ratio()
        if ratio > best_ratio:
            best, best_ratio = reply, ratio
    if best is not None and best_ratio >= state.answer_threshold:
        return best
    return BASE_MODEL_ANSWER
