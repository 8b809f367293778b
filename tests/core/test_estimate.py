from tunedesk.core.dataset import Example, Split
from tunedesk.core.estimate import token_totals
from tunedesk.core.training_plan import typical_epochs


def test_only_training_examples_count_and_epochs_multiply() -> None:
    a, b, c = (Example.qa(f"q{i}", "a") for i in range(3))
    totals = token_totals(
        [a, b, c],
        [10, 20, 30],
        {a.id: Split.TRAIN, b.id: Split.VALIDATION, c.id: Split.TRAIN},
        epochs=4,
    )
    assert (totals.training, totals.validation, totals.trained) == (40, 20, 160)
    assert (totals.training_examples, totals.validation_examples) == (2, 1)
    assert not totals.epochs_chosen_by_azure


def test_azure_chooses_by_default_with_the_typical_epochs_for_the_training_examples() -> None:
    rows = [Example.qa(f"q{i}", "a") for i in range(12)]
    split = {rows[0].id: Split.VALIDATION, rows[1].id: Split.VALIDATION}
    totals = token_totals(rows, [7] * 12, split)
    assert totals.epochs_chosen_by_azure
    assert totals.training_examples == 10
    assert totals.epochs == typical_epochs(10) == 10
    assert totals.trained == 70 * 10


def test_explicit_none_is_azure_chooses_and_unplanned_rows_train() -> None:
    a = Example.qa("q", "a")
    totals = token_totals([a], [7], {}, epochs=None)
    assert totals.epochs_chosen_by_azure
    assert totals.training == 7
    assert totals.trained == 7 * typical_epochs(1)


def test_no_examples() -> None:
    totals = token_totals([], [], {})
    assert (totals.training, totals.validation, totals.trained) == (0, 0, 0)
    assert totals.epochs >= 1
