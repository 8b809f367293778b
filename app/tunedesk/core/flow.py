"""The steps of the TuneDesk flow, in order, and which of them can be used right now.

Plain Python so the wizard logic is testable without Qt (STYLE G3). The main window's
sidebar is a view of :data:`STEPS`:

* ``StepInfo.available`` says whether this version has the step's page at all; a step that
  is not built yet shows an honest "not available yet" state instead of fake content.
* :func:`blocked_reason` says, for a :class:`FlowState`, why a built step cannot be used
  yet (for example "Sign in first"), in one plain sentence. The UI shows that sentence on
  the page and in the sidebar's tooltip, and never lets a person act on a blocked step.

The UI derives a new :class:`FlowState` whenever what it knows changes (sign-in, the place
chosen, the project's rows); nothing here keeps state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tunedesk.core.i18n import Text, lazy


class Step(StrEnum):
    SIGN_IN = "sign_in"
    DATA = "data"
    MODEL = "model"
    TRAIN = "train"
    DEPLOY = "deploy"
    CHAT = "chat"


@dataclass(frozen=True, slots=True)
class StepInfo:
    step: Step
    title: Text
    summary: Text
    available: bool


STEPS: tuple[StepInfo, ...] = (
    StepInfo(
        Step.SIGN_IN,
        lazy.translate("Flow", "Sign in"),
        lazy.translate(
            "Flow",
            "Sign in with your Microsoft account and choose the Azure AI Foundry project "
            "or Azure OpenAI resource to train in.",
        ),
        available=True,
    ),
    StepInfo(
        Step.DATA,
        lazy.translate("Flow", "Data"),
        lazy.translate(
            "Flow", "Write the questions and answers the model should learn, or import them."
        ),
        available=True,
    ),
    StepInfo(
        Step.MODEL,
        lazy.translate("Flow", "Model & settings"),
        lazy.translate(
            "Flow",
            "Choose the base model and how thoroughly to train it, with a price estimate "
            "before anything is paid.",
        ),
        available=True,
    ),
    StepInfo(
        Step.TRAIN,
        lazy.translate("Flow", "Train"),
        lazy.translate(
            "Flow",
            "Start training and follow its progress. You can close TuneDesk meanwhile; "
            "it picks the job up again when you come back.",
        ),
        available=True,
    ),
    StepInfo(
        Step.DEPLOY,
        lazy.translate("Flow", "Deploy"),
        lazy.translate(
            "Flow",
            "Put the trained model online with one click, see what hosting costs per hour, "
            "and remove it when you are done.",
        ),
        available=True,
    ),
    StepInfo(
        Step.CHAT,
        lazy.translate("Flow", "Chat & check"),
        lazy.translate(
            "Flow",
            "Talk to your model next to the base model, and quiz it with held-out questions "
            "to see what it learned.",
        ),
        available=True,
    ),
)


def info(step: Step) -> StepInfo:
    return next(s for s in STEPS if s.step == step)


def first_available() -> Step:
    return next(s.step for s in STEPS if s.available)


def next_step(step: Step) -> Step | None:
    """The step after ``step`` in the flow, or None at the end."""
    order = [s.step for s in STEPS]
    i = order.index(step)
    return order[i + 1] if i + 1 < len(order) else None


@dataclass(frozen=True, slots=True)
class FlowState:
    """What the flow's gates look at (derived by the UI; immutable).

    ``signed_in``: a Microsoft identity or an Azure OpenAI key is ready to use.
    ``place_chosen``: a hub project or an Azure OpenAI / Foundry resource is chosen.
    ``examples``: rows in the open project (None: no project open).
    ``has_trained_model``: a training job of this project has finished successfully.
    ``has_deployment``: a deployment of this project is online.
    """

    signed_in: bool = False
    place_chosen: bool = False
    examples: int | None = None
    has_trained_model: bool = False
    has_deployment: bool = False


# Each step names the step whose work it needs, and the sentence that says so.
def blocked_reason(step: Step, state: FlowState) -> Text | None:
    """Why ``step`` cannot be used in ``state`` yet, or None when it can.

    A step this version does not offer yet is not "blocked": its page says so itself.
    """
    if step in (Step.SIGN_IN, Step.DATA):
        return None
    if not state.signed_in:
        return lazy.translate(
            "Flow", "Sign in first (step 1): training happens in your own Azure account."
        )
    if not state.place_chosen:
        return lazy.translate(
            "Flow",
            "Choose where to train first (step 1): a Foundry project or an Azure OpenAI "
            "resource.",
        )
    if step == Step.MODEL:
        return None
    if state.examples is None:
        return lazy.translate("Flow", "Open or create a project with your questions first.")
    if step == Step.TRAIN:
        return None
    if step == Step.DEPLOY:
        if not state.has_trained_model:
            return lazy.translate(
                "Flow", "Train a model first (step 4): there is nothing to deploy yet."
            )
        return None
    if not state.has_deployment:  # Step.CHAT
        return lazy.translate(
            "Flow", "Deploy a model first (step 5): chatting needs a model that is online."
        )
    return None


def reachable(step: Step, state: FlowState) -> bool:
    """Whether the person can work on ``step`` now (built in this version and not blocked)."""
    return info(step).available and blocked_reason(step, state) is None
