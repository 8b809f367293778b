from tunedesk.core.dataset import Example, Split
from tunedesk.core.estimate import DEFAULT_EPOCHS, token_totals


def test_only_training_examples_count_and_epochs_multiply() -> None:
    a, b, c = (Example.qa(f"q{i}", "a") for i in range(3))
    totals = token_totals(
        [a, b, c], [10, 20, 30], {a.id: Split.TRAIN, b.id: Split.VALIDATION, c.id: Split.TRAIN},
        epochs=4,
    )
    assert (totals.training, totals.validation, totals.trained) == (40, 20, 160)


def test_default_epochs_and_unplanned_rows_train() -> None:
    a = Example.qa("q", "a")
    totals = token_totals([a], [7], {})
    assert totals.epochs == DEFAULT_EPOCHS
    assert totals.trained == 7 * DEFAULT_EPOCHS
