"""A plain reading of a training run's loss curve, for people who are not ML engineers.

The Train page shows Azure's loss per step in a chart and, under it, one sentence from
:func:`read_curve`: is the model learning, is it memorising the training examples, is nothing
happening, and what to change next time ("validation loss is rising: the model may be
memorising; try fewer epochs").

Azure reports the training loss of every step (one batch each, so it jumps around) and a
validation loss every so often, when the run has validation examples. Every judgement below
therefore compares *robust* summaries, never single points:

* the training curve's start and end are the medians of its first and last tenth (3 to
  50 steps), so a few spiky batches cannot flip a reading;
* its noise is the median absolute deviation of the step-to-step differences (a trend
  barely moves differences, spikes barely move a median);
* the sparse validation points are smoothed with a moving median of three before their
  lowest point and their end are compared.

Plain Python; the chart widget (tunedesk.ui.widgets.loss_chart) calls it on every update,
so it is linear in the number of points apart from a few small sorts.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from tunedesk.core.i18n import Text, lazy

# ---------------------------------------------------------------- thresholds
# Fewer training steps than this and nothing can be said yet: the start and the end need
# 3 points each (the smallest median worth the name), and a few in between.
MIN_TRAIN_POINTS = 10
# "The start" and "the end" of the training curve are the medians of its first and last
# tenth, 3 to 50 steps: a long run falls in its first few percent and then levels off, so
# a larger share would start on the plateau and call a run that learned "flat". 50 steps
# of batch noise make a median good to a few percent, which the thresholds below exceed.
SEGMENT_SHARE = 10  # one tenth
MIN_SEGMENT = 3
MAX_SEGMENT = 50
# Training loss "falls" when its end is at least 5 % below its start. A fine-tuning run
# that learns anything drops far more than that (often by half within the first epoch), so
# less than 5 % over 10+ steps means the updates are too small to matter.
FALLING = 0.05
# Training loss "rises" when its end is 10 % above its start: updates too large (a learning
# rate too high) make the loss climb or blow up. Between -5 % and +10 % it is flat.
RISING = 0.10
# "Very noisy": the typical step-to-step jump (the noise of one step, estimated as
# 1.4826 * MAD of the differences / sqrt(2), as for Gaussian noise) is more than 30 % of
# the loss level at the end. Then single steps mean little and only the trend counts.
NOISY = 0.30
# Validation points needed before their trend is judged (the moving median takes three,
# and a rise needs points after the lowest one).
MIN_VALID_POINTS = 4
# Validation loss "is rising" when its smoothed end is 10 % above its smoothed lowest
# point, at least two validation points came after that lowest point (the rise lasts, it
# is not one bad batch), and the training loss went on falling meanwhile (otherwise the
# run as a whole is failing, and the training-loss readings say so).
VALID_RISE = 0.10
MIN_POINTS_AFTER_LOWEST = 2
# Validation "follows" training when its smoothed end is 5 % (FALLING) below its smoothed
# start; when it is not, while training falls, the model learns the examples more than the task.
# A finished run whose final validation loss is within 10 % of its lowest ended well.
FINAL_NEAR_BEST = 0.10

Tone = Literal["good", "warning", "info"]
Metric = Literal["train_loss", "valid_loss", "train_accuracy", "valid_accuracy"]
METRICS: tuple[Metric, ...] = ("train_loss", "valid_loss", "train_accuracy", "valid_accuracy")


class CurvePointLike(Protocol):
    """One step's metrics, as Azure reports them (``tunedesk.cloud.routes.base.MetricPoint``
    has exactly these attributes). Losses are >= 0, accuracies fractions from 0 to 1, and
    None where the step has no such value (validation comes every so often)."""

    @property
    def step(self) -> int: ...

    @property
    def train_loss(self) -> float | None: ...

    @property
    def valid_loss(self) -> float | None: ...

    @property
    def train_accuracy(self) -> float | None: ...

    @property
    def valid_accuracy(self) -> float | None: ...


@dataclass(frozen=True)
class Reading:
    """What the curve says, in one sentence, and how to show it (good, warning, info)."""

    tone: Tone
    text: Text


def _number(value: float) -> str:
    """A loss as people read it: three significant digits (1.23, 0.421, 0.0123)."""
    return f"{value:.3g}"


def metric_values(points: Sequence[CurvePointLike], metric: Metric) -> list[tuple[int, float]]:
    """(step, value) for the steps that have a finite ``metric``, in step order, one per
    step (the last report of a step wins: Azure may send a step again with the validation).
    The reading and the chart both draw from this."""
    by_step: dict[int, float] = {}
    for point in points:
        value = getattr(point, metric)
        if value is not None and math.isfinite(value):
            by_step[point.step] = float(value)
    return sorted(by_step.items())


def _segment(count: int) -> int:
    return min(MAX_SEGMENT, max(MIN_SEGMENT, count // SEGMENT_SHARE))


def _moving_median3(values: list[float]) -> list[float]:
    """Each value replaced by the median of itself and its two neighbours; the first and
    last by the median of the first and last three (a mean of two would let one bad point
    at the end decide)."""
    if len(values) < 3:
        return list(values)
    out = [sorted(values[:3])[1]]
    out += [sorted(values[i - 1 : i + 2])[1] for i in range(1, len(values) - 1)]
    out.append(sorted(values[-3:])[1])
    return out


def _relative_noise(values: list[float], level: float) -> float:
    """The noise of one step relative to ``level``, from the second half of the curve."""
    half = values[len(values) // 2 :]
    diffs = [b - a for a, b in itertools.pairwise(half)]
    if len(diffs) < 2 or level <= 0:
        return 0.0
    centre = statistics.median(diffs)
    mad = statistics.median(abs(d - centre) for d in diffs)
    return 1.4826 * mad / math.sqrt(2) / level


@dataclass(frozen=True)
class _Train:
    start: float
    end: float
    change: float  # (end - start) / start
    noise: float  # relative to ``end``

    @property
    def falling(self) -> bool:
        return self.change <= -FALLING

    @property
    def rising(self) -> bool:
        return self.change >= RISING


def _train_summary(train: list[tuple[int, float]]) -> _Train:
    values = [v for _s, v in train]
    seg = _segment(len(values))
    start = statistics.median(values[:seg])
    end = statistics.median(values[-seg:])
    change = (end - start) / start if start > 0 else 0.0
    return _Train(start, end, change, _relative_noise(values, end))


@dataclass(frozen=True)
class _Valid:
    first: float
    final: float  # the last reported value (not smoothed): what the model ends with
    best: float
    best_step: int
    memorising: bool  # rising for the last part while training falls
    follows: bool  # the smoothed end is below the smoothed start


def _valid_summary(valid: list[tuple[int, float]], train: list[tuple[int, float]]) -> _Valid:
    steps = [s for s, _v in valid]
    values = [v for _s, v in valid]
    best_index = min(range(len(values)), key=values.__getitem__)
    summary = _Valid(
        first=values[0],
        final=values[-1],
        best=values[best_index],
        best_step=steps[best_index],
        memorising=False,
        follows=True,
    )
    if len(values) < MIN_VALID_POINTS:
        return summary
    smooth = _moving_median3(values)
    low = min(range(len(smooth)), key=smooth.__getitem__)
    rising = len(smooth) - 1 - low >= MIN_POINTS_AFTER_LOWEST and smooth[-1] >= smooth[low] * (
        1 + VALID_RISE
    )
    memorising = False
    if rising:
        # the training loss around the validation's lowest point against its end
        before = [v for s, v in train if s <= steps[low]]
        after = [v for s, v in train if s > steps[low]]
        if before and after:
            seg = _segment(min(len(before), len(after)))
            memorising = statistics.median(after[-seg:]) < statistics.median(before[-seg:])
    return _Valid(
        first=summary.first,
        final=summary.final,
        best=summary.best,
        best_step=summary.best_step,
        memorising=memorising,
        follows=smooth[-1] <= smooth[0] * (1 - FALLING),
    )


def read_curve(points: Sequence[CurvePointLike], *, finished: bool = False) -> Reading | None:
    """One plain sentence about the run so far (or, ``finished``, about how it ended).

    None when there is nothing to read at all (no loss reported yet). The readings, first
    match wins: too few steps yet; training loss rising; validation loss rising while
    training falls (memorising); training loss flat (not learning); very noisy; no
    validation so far; validation too sparse yet; validation not following; all good.
    A finished run gets a summary of its final validation loss (or training loss) with the
    same advice where one of the warnings applies.
    """
    train = metric_values(points, "train_loss")
    valid = metric_values(points, "valid_loss")
    if not train and not valid:
        return None
    if finished:
        return _final_reading(train, valid)
    if len(train) < MIN_TRAIN_POINTS:
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "Too early to tell: the reading starts after {count} steps.",
            ).format(count=MIN_TRAIN_POINTS),
        )
    t = _train_summary(train)
    if t.rising:
        return Reading(
            "warning",
            lazy.translate(
                "LearningCurve",
                "Training loss is going up: the model is getting worse. "
                "Try a lower learning-rate multiplier.",
            ),
        )
    v = _valid_summary(valid, train) if valid else None
    if t.falling and v is not None and v.memorising:
        return Reading(
            "warning",
            lazy.translate(
                "LearningCurve",
                "Validation loss is rising: the model may be memorising the training examples; "
                "try fewer epochs.",
            ),
        )
    if not t.falling:
        return Reading(
            "warning",
            lazy.translate(
                "LearningCurve",
                "The loss is flat: the model is not learning. "
                "Try a higher learning-rate multiplier or more epochs.",
            ),
        )
    if t.noise > NOISY:
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "The loss jumps a lot from step to step: watch the trend, not single steps. "
                "A larger batch size makes it steadier.",
            ),
        )
    if v is None:
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "Training loss is falling. No validation loss so far: add validation examples "
                "to see whether the model also answers questions it has not seen.",
            ),
        )
    if len(valid) < MIN_VALID_POINTS:
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "Training loss is falling. Waiting for more validation points to tell "
                "whether the model also answers questions it has not seen.",
            ),
        )
    if not v.follows:
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "Training loss is falling but validation loss is not: the model learns "
                "the training examples, not yet the task. More varied examples may help.",
            ),
        )
    return Reading(
        "good",
        lazy.translate(
            "LearningCurve",
            "Training loss is falling and validation loss follows it: the model is learning.",
        ),
    )


def _final_reading(train: list[tuple[int, float]], valid: list[tuple[int, float]]) -> Reading:
    t = _train_summary(train) if len(train) >= MIN_TRAIN_POINTS else None
    if not valid:
        final = train[-1][1]
        return Reading(
            "info",
            lazy.translate(
                "LearningCurve",
                "Training finished with a training loss of {final} (it started at {first}). "
                "Add validation examples next time to see whether the model also answers "
                "questions it has not seen.",
            ).format(final=_number(final), first=_number(train[0][1])),
        )
    v = _valid_summary(valid, train)
    values = {"final": _number(v.final), "best": _number(v.best), "step": v.best_step}
    if t is not None and t.falling and v.memorising:
        return Reading(
            "warning",
            lazy.translate(
                "LearningCurve",
                "Training finished. Validation loss ended at {final}, above its lowest "
                "({best} at step {step}): the model may have memorised the training examples; "
                "next time try fewer epochs.",
            ).format(**values),
        )
    if t is not None and not t.falling:
        return Reading(
            "warning",
            lazy.translate(
                "LearningCurve",
                "Training finished, but the loss hardly fell (validation loss {final}): "
                "next time try a higher learning-rate multiplier or more epochs.",
            ).format(**values),
        )
    if v.final <= v.best * (1 + FINAL_NEAR_BEST):
        return Reading(
            "good",
            lazy.translate(
                "LearningCurve",
                "Training finished. Final validation loss: {final} (it started at {first}).",
            ).format(final=_number(v.final), first=_number(v.first)),
        )
    return Reading(
        "info",
        lazy.translate(
            "LearningCurve",
            "Training finished. Final validation loss: {final}; its lowest was {best} "
            "at step {step}.",
        ).format(**values),
    )
