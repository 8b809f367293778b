"""The steps of the TuneDesk flow, in order, and which of them this version offers.

Plain Python so the wizard logic is testable without Qt (STYLE G3). The main window's
sidebar is a view of :data:`STEPS`; a step that is not available yet shows an honest
"not available yet" state instead of fake content.
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
        available=False,
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
        available=False,
    ),
    StepInfo(
        Step.TRAIN,
        lazy.translate("Flow", "Train"),
        lazy.translate(
            "Flow",
            "Start training and follow its progress. You can close TuneDesk meanwhile; "
            "it picks the job up again when you come back.",
        ),
        available=False,
    ),
    StepInfo(
        Step.DEPLOY,
        lazy.translate("Flow", "Deploy"),
        lazy.translate(
            "Flow",
            "Put the trained model online with one click, see what hosting costs per hour, "
            "and remove it when you are done.",
        ),
        available=False,
    ),
    StepInfo(
        Step.CHAT,
        lazy.translate("Flow", "Chat & check"),
        lazy.translate(
            "Flow",
            "Talk to your model next to the base model, and quiz it with held-out questions "
            "to see what it learned.",
        ),
        available=False,
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
