"""The wizard's gates (tunedesk.core.flow), without Qt: which step can be used in which state,
and the sentence that says what is missing."""

from __future__ import annotations

import itertools
import re

import pytest

from tunedesk.core import i18n
from tunedesk.core.flow import (
    STEPS,
    FlowState,
    Step,
    blocked_reason,
    first_available,
    info,
    next_step,
    reachable,
)

ORDER = [s.step for s in STEPS]

# The states a person passes through, in order.
NOT_SIGNED_IN = FlowState()
SIGNED_IN = FlowState(signed_in=True)
PLACE = FlowState(signed_in=True, place_chosen=True)
PROJECT = FlowState(signed_in=True, place_chosen=True, examples=12)
TRAINED = FlowState(signed_in=True, place_chosen=True, examples=12, has_trained_model=True)
DEPLOYED = FlowState(
    signed_in=True, place_chosen=True, examples=12, has_trained_model=True, has_deployment=True
)
STATES = {
    "not signed in": NOT_SIGNED_IN,
    "signed in, no place": SIGNED_IN,
    "place, no project": PLACE,
    "project": PROJECT,
    "trained": TRAINED,
    "deployed": DEPLOYED,
}

# What is missing -> the step that provides it, and words the sentence must use for it.
MISSING: dict[str, tuple[Step, tuple[str, ...]]] = {
    "sign-in": (Step.SIGN_IN, ("Sign in",)),
    "place": (Step.SIGN_IN, ("where to train", "Foundry project", "Azure OpenAI resource")),
    "project": (Step.DATA, ("project",)),
    "trained model": (Step.TRAIN, ("Train a model",)),
    "deployment": (Step.DEPLOY, ("Deploy a model",)),
}

# (state, step) -> what is missing (None: not blocked).
EXPECTED: dict[str, dict[Step, str | None]] = {
    "not signed in": {
        Step.MODEL: "sign-in",
        Step.TRAIN: "sign-in",
        Step.DEPLOY: "sign-in",
        Step.CHAT: "sign-in",
    },
    "signed in, no place": {
        Step.MODEL: "place",
        Step.TRAIN: "place",
        Step.DEPLOY: "place",
        Step.CHAT: "place",
    },
    "place, no project": {
        Step.MODEL: None,
        Step.TRAIN: "project",
        Step.DEPLOY: "project",
        Step.CHAT: "project",
    },
    "project": {
        Step.MODEL: None,
        Step.TRAIN: None,
        Step.DEPLOY: "trained model",
        Step.CHAT: "deployment",
    },
    "trained": {Step.MODEL: None, Step.TRAIN: None, Step.DEPLOY: None, Step.CHAT: "deployment"},
    "deployed": {Step.MODEL: None, Step.TRAIN: None, Step.DEPLOY: None, Step.CHAT: None},
}


def all_states() -> list[FlowState]:
    """Every combination of what the gates look at (examples: no project, empty, some)."""
    return [
        FlowState(signed, place, examples, trained, deployed)
        for signed, place, examples, trained, deployed in itertools.product(
            (False, True), (False, True), (None, 0, 7), (False, True), (False, True)
        )
    ]


def position(step: Step) -> int:
    """The step's number as people see it in the sidebar (1-based)."""
    return ORDER.index(step) + 1


def reason_sentences() -> list[i18n.Text]:
    """One of each sentence blocked_reason can give."""
    seen: dict[str, i18n.Text] = {}
    for state in STATES.values():
        for step in Step:
            reason = blocked_reason(step, state)
            if reason is not None:
                seen.setdefault(reason.source, reason)
    return list(seen.values())


# ---------------------------------------------------------------------- the steps
def test_steps_are_every_step_once_in_the_flow_order() -> None:
    assert list(Step) == ORDER
    assert ORDER == [Step.SIGN_IN, Step.DATA, Step.MODEL, Step.TRAIN, Step.DEPLOY, Step.CHAT]


@pytest.mark.parametrize("step", list(Step))
def test_info_describes_its_own_step(step: Step) -> None:
    described = info(step)
    assert described.step is step
    assert described is STEPS[ORDER.index(step)]
    assert isinstance(described.title, i18n.Text)
    assert isinstance(described.summary, i18n.Text)
    assert str(described.title)
    assert str(described.summary)


def test_this_version_builds_every_step() -> None:
    assert [s.step for s in STEPS if s.available] == [
        Step.SIGN_IN,
        Step.DATA,
        Step.MODEL,
        Step.TRAIN,
        Step.DEPLOY,
        Step.CHAT,
    ]
    assert first_available() is Step.SIGN_IN


def test_next_step_walks_the_flow_and_ends_after_chat() -> None:
    walked = [Step.SIGN_IN]
    while (following := next_step(walked[-1])) is not None:
        walked.append(following)
    assert walked == ORDER
    assert next_step(Step.CHAT) is None
    assert next_step(Step.SIGN_IN) is Step.DATA


# ---------------------------------------------------------------------- the gates
@pytest.mark.parametrize("step", [Step.SIGN_IN, Step.DATA])
def test_sign_in_and_data_are_never_blocked(step: Step) -> None:
    for state in all_states():
        assert blocked_reason(step, state) is None, state
        assert reachable(step, state), state


@pytest.mark.parametrize("name", list(STATES))
@pytest.mark.parametrize("step", [Step.MODEL, Step.TRAIN, Step.DEPLOY, Step.CHAT])
def test_each_step_says_what_is_missing_in_each_state(step: Step, name: str) -> None:
    reason = blocked_reason(step, STATES[name])
    missing = EXPECTED[name][step]
    if missing is None:
        assert reason is None
        return
    assert reason is not None, f"{step} should need the {missing} in state {name!r}"
    provider, words = MISSING[missing]
    english = reason.english()
    for word in words:
        assert word in english, (missing, english)
    # A step number, where the sentence gives one, is the earlier step that provides it.
    numbers = [int(n) for n in re.findall(r"\(step (\d)\)", english)]
    assert numbers in ([], [position(provider)]), english
    assert position(provider) < position(step)
    if missing != "project":  # the sentence for the project names no step number
        assert numbers == [position(provider)], english


def test_the_first_missing_thing_is_named_even_when_later_ones_are_there() -> None:
    # Trained and deployed in the project, but signed out: signing in comes first.
    later_done = FlowState(examples=12, has_trained_model=True, has_deployment=True)
    for step in (Step.MODEL, Step.TRAIN, Step.DEPLOY, Step.CHAT):
        reason = blocked_reason(step, later_done)
        assert reason is not None
        assert reason.english().startswith("Sign in first")
    no_place = FlowState(signed_in=True, examples=12, has_trained_model=True, has_deployment=True)
    assert str(blocked_reason(Step.CHAT, no_place)).startswith("Choose where to train first")


def test_an_open_project_without_rows_yet_is_a_project() -> None:
    empty = FlowState(signed_in=True, place_chosen=True, examples=0)
    assert blocked_reason(Step.TRAIN, empty) is None  # the Data checks block training, not this
    assert blocked_reason(Step.DEPLOY, empty) is not None
    assert "project" not in blocked_reason(Step.DEPLOY, empty).english()  # type: ignore[union-attr]


def test_a_deployment_alone_opens_chat_but_deploy_still_needs_a_trained_model() -> None:
    odd = FlowState(signed_in=True, place_chosen=True, examples=3, has_deployment=True)
    assert blocked_reason(Step.CHAT, odd) is None
    assert blocked_reason(Step.DEPLOY, odd) is not None


def test_a_step_this_version_does_not_build_is_never_reachable() -> None:
    for state, described in itertools.product(all_states(), STEPS):
        blocked = blocked_reason(described.step, state)
        assert reachable(described.step, state) == (described.available and blocked is None)
        if not described.available:
            assert not reachable(described.step, state), (described.step, state)


def test_unbuilt_steps_are_not_reachable_even_with_everything_done() -> None:
    for described in STEPS:
        assert blocked_reason(described.step, DEPLOYED) is None
        assert reachable(described.step, DEPLOYED) is described.available


# ---------------------------------------------------------------------- translation
def test_every_reason_sentence_is_a_lazy_text_in_the_flow_context() -> None:
    sentences = reason_sentences()
    assert len(sentences) == 5
    for reason in sentences:
        assert type(reason) is i18n.Text
        assert reason.context == "Flow"
        assert reason == i18n.lazy.translate("Flow", reason.source)
        assert str(reason) == reason.english() == reason.source


@pytest.mark.parametrize("reason", reason_sentences(), ids=lambda r: r.source[:30])
def test_a_reason_follows_the_language(reason: i18n.Text) -> None:
    """With the .ts backend and zh_CN, each sentence is shown in Chinese, then English again."""
    translated = i18n.load_ts(i18n.ts_path("zh_CN")).get((reason.context, reason.source))
    assert translated, f"no finished zh_CN translation for {reason.source!r}"
    i18n.set_backend(None)
    i18n.set_language("zh_CN")
    shown = str(reason)
    i18n.set_language("en")
    assert shown == translated
    assert shown != reason.source
    assert any("\u4e00" <= ch <= "\u9fff" for ch in shown)
    assert str(reason) == reason.source


def test_step_titles_and_summaries_follow_the_language() -> None:
    i18n.set_backend(None)
    i18n.set_language("zh_CN")
    shown = [(str(s.title), str(s.summary)) for s in STEPS]
    i18n.set_language("en")
    for described, (title, summary) in zip(STEPS, shown, strict=True):
        assert title != described.title.source
        assert summary != described.summary.source
