"""The plain reading of a loss curve, on synthetic runs shaped like Azure's reports."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pytest

from tunedesk.cloud.routes.base import MetricPoint
from tunedesk.core.learning_curve import MIN_TRAIN_POINTS, Reading, read_curve


@dataclass(frozen=True)
class Point:
    step: int
    train_loss: float | None = None
    valid_loss: float | None = None
    train_accuracy: float | None = None
    valid_accuracy: float | None = None


def run(
    steps: int,
    train: object,
    valid: object = None,
    *,
    every: int = 10,
    noise: float = 0.02,
    seed: int = 1,
) -> list[Point]:
    """``train(step)`` and ``valid(step)`` (every ``every`` steps) with relative noise."""
    rng = random.Random(seed)
    points = []
    for step in range(1, steps + 1):
        t = train(step) * (1 + rng.gauss(0, noise))  # type: ignore[operator]
        v = None
        if valid is not None and step % every == 0:
            v = valid(step) * (1 + rng.gauss(0, noise / 2))  # type: ignore[operator]
        points.append(Point(step, max(t, 0.0), v))
    return points


def learning(step: int) -> float:
    return 0.4 + 1.8 * math.exp(-step / 60)


def following(step: int) -> float:
    return 0.5 + 1.7 * math.exp(-step / 60)


def memorising(step: int) -> float:
    """Validation falls until step 120 and then climbs back up, steadily."""
    return following(step) if step <= 120 else following(120) * (1 + 0.004 * (step - 120))


def source(reading: Reading | None) -> str:
    assert reading is not None
    return reading.text.english()


def test_nothing_to_read_without_points() -> None:
    assert read_curve([]) is None
    assert read_curve([Point(1), Point(2)]) is None  # steps without any loss


def test_too_early_with_few_steps() -> None:
    reading = read_curve(run(MIN_TRAIN_POINTS - 1, learning))
    assert reading is not None
    assert reading.tone == "info"
    assert (
        source(reading) == f"Too early to tell: the reading starts after {MIN_TRAIN_POINTS} steps."
    )
    assert read_curve(run(MIN_TRAIN_POINTS, learning)) != reading


def test_learning_with_validation_following_is_good() -> None:
    reading = read_curve(run(300, learning, following))
    assert reading is not None
    assert reading.tone == "good"
    assert "validation loss follows it" in source(reading)


def test_a_long_run_that_learned_early_and_levelled_off_is_not_flat() -> None:
    # 5,000 steps; the loss falls in the first ~300 and is level for the rest
    reading = read_curve(run(5000, learning, following, every=100))
    assert reading is not None
    assert reading.tone == "good"


def test_validation_rising_while_training_falls_is_memorising() -> None:
    reading = read_curve(run(300, learning, memorising))
    assert reading is not None
    assert reading.tone == "warning"
    assert "Validation loss is rising" in source(reading)
    assert "fewer epochs" in source(reading)


def test_memorising_shows_only_once_the_rise_lasts() -> None:
    points = run(300, learning, memorising)
    # up to step 130 validation has risen one point after its lowest: not yet a trend
    early = read_curve(points[:130])
    assert early is not None
    assert early.tone == "good"


def test_one_bad_validation_point_is_not_memorising() -> None:
    points = run(300, learning, following)
    spiked = [
        Point(p.step, p.train_loss, p.valid_loss * 3 if p.step == 290 else p.valid_loss)
        if p.valid_loss is not None
        else p
        for p in points
    ]
    reading = read_curve(spiked)
    assert reading is not None
    assert reading.tone == "good"


def test_validation_rising_with_training_rising_is_not_called_memorising() -> None:
    reading = read_curve(run(300, lambda s: 1.0 + s / 200, lambda s: 1.0 + s / 150))
    assert reading is not None
    assert reading.tone == "warning"
    assert "Training loss is going up" in source(reading)
    assert "lower learning-rate multiplier" in source(reading)


def test_flat_loss_is_not_learning() -> None:
    reading = read_curve(run(200, lambda s: 1.6, lambda s: 1.7))
    assert reading is not None
    assert reading.tone == "warning"
    assert "not learning" in source(reading)
    assert "higher learning-rate multiplier or more epochs" in source(reading)


def test_a_slow_but_real_fall_is_not_flat() -> None:
    reading = read_curve(run(200, lambda s: 1.6 - s * 0.001, lambda s: 1.7 - s * 0.001))
    assert reading is not None
    assert "not learning" not in source(reading)


def test_a_few_spikes_do_not_make_a_learning_run_flat_or_rising() -> None:
    points = run(200, learning, following)
    spiky = [
        Point(p.step, p.train_loss * 10 if p.step > 190 and p.step % 3 == 0 else p.train_loss)
        for p in points
    ]
    reading = read_curve(spiky)
    assert reading is not None
    assert "going up" not in source(reading)
    assert "not learning" not in source(reading)


def test_very_noisy_loss_says_to_watch_the_trend() -> None:
    reading = read_curve(run(300, learning, following, noise=0.6))
    assert reading is not None
    assert reading.tone == "info"
    assert "jumps a lot" in source(reading)


def test_ordinary_batch_noise_is_not_very_noisy() -> None:
    reading = read_curve(run(300, learning, following, noise=0.15))
    assert reading is not None
    assert reading.tone == "good"


def test_no_validation_says_to_add_validation_examples() -> None:
    reading = read_curve(run(100, learning))
    assert reading is not None
    assert reading.tone == "info"
    assert "add validation examples" in source(reading)


def test_sparse_validation_waits_for_more_points() -> None:
    reading = read_curve(run(100, learning, following, every=40))  # 2 validation points
    assert reading is not None
    assert reading.tone == "info"
    assert "Waiting for more validation points" in source(reading)


def test_validation_not_following_training() -> None:
    reading = read_curve(run(300, learning, lambda s: 1.5))
    assert reading is not None
    assert reading.tone == "info"
    assert "validation loss is not" in source(reading)


def test_finished_good_run_names_the_final_validation_loss() -> None:
    points = run(300, learning, following, noise=0.0)
    reading = read_curve(points, finished=True)
    assert reading is not None
    assert reading.tone == "good"
    final = points[-1].valid_loss
    assert final is not None
    assert f"Final validation loss: {final:.3g}" in source(reading)
    assert f"started at {points[9].valid_loss:.3g}" in source(reading)


def test_finished_memorising_run_names_the_lowest_point() -> None:
    points = run(300, learning, memorising, noise=0.0)
    reading = read_curve(points, finished=True)
    assert reading is not None
    assert reading.tone == "warning"
    assert f"({memorising(120):.3g} at step 120)" in source(reading)
    assert "fewer epochs" in source(reading)


def test_finished_flat_run_advises_a_higher_learning_rate() -> None:
    reading = read_curve(run(200, lambda s: 1.6, lambda s: 1.7), finished=True)
    assert reading is not None
    assert reading.tone == "warning"
    assert "hardly fell" in source(reading)


def test_finished_without_validation_names_the_training_loss() -> None:
    points = run(100, learning, noise=0.0)
    reading = read_curve(points, finished=True)
    assert reading is not None
    assert reading.tone == "info"
    assert f"training loss of {points[-1].train_loss:.3g}" in source(reading)
    assert "Add validation examples next time" in source(reading)


def test_finished_with_a_late_bump_names_the_lowest_without_alarm() -> None:
    # validation lowest at the last-but-one point, the last 20 % higher: one point only
    points = run(300, learning, following, noise=0.0)
    last = points[-1]
    assert last.valid_loss is not None
    points[-1] = Point(last.step, last.train_loss, last.valid_loss * 1.2)
    reading = read_curve(points, finished=True)
    assert reading is not None
    assert reading.tone == "info"
    assert "its lowest was" in source(reading)


def test_unordered_repeated_and_broken_values_are_handled() -> None:
    points = run(300, learning, following)
    shuffled = list(reversed(points))
    shuffled.append(Point(5, float("nan"), float("inf")))
    shuffled.append(Point(300, None, following(300)))  # validation repeated for a step
    assert read_curve(shuffled) == read_curve(points)


def test_reads_the_cloud_layers_metric_points() -> None:
    points = [MetricPoint(p.step, p.train_loss, p.valid_loss) for p in run(300, learning)]
    assert read_curve(points) == read_curve(run(300, learning))


@pytest.mark.parametrize("steps", [10, 100, 1000, 10_000])
def test_every_reading_renders_its_placeholders(steps: int) -> None:
    for valid in (None, following, memorising):
        for finished in (False, True):
            reading = read_curve(run(steps, learning, valid), finished=finished)
            assert reading is not None
            assert "{" not in str(reading.text)
