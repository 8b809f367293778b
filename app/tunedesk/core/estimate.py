"""What training will read: tokens in the training split, and tokens × epochs.

Azure bills fine-tuning by the tokens trained: every training example is read once per
epoch (validation examples are only evaluated). ``epochs=None`` means Azure chooses the
number of epochs; the totals then use :func:`tunedesk.core.training_plan.typical_epochs`
for the number of training examples and say so (:attr:`TokenTotals.epochs_chosen_by_azure`).
The full estimate (cost, time, hosting) is :func:`tunedesk.core.training_plan.estimate`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tunedesk.core.dataset import Example, Split
from tunedesk.core.training_plan import typical_epochs


@dataclass(frozen=True, slots=True)
class TokenTotals:
    training: int  # tokens of the examples that train the model, per epoch
    validation: int
    epochs: int  # given, or what Azure typically picks (see epochs_chosen_by_azure)
    epochs_chosen_by_azure: bool = False
    training_examples: int = 0
    validation_examples: int = 0

    @property
    def trained(self) -> int:
        """Tokens the service trains on (and bills): training tokens × epochs."""
        return self.training * self.epochs


def token_totals(
    examples: Sequence[Example],
    tokens: Sequence[int],
    split: Mapping[str, Split],
    epochs: int | None = None,
) -> TokenTotals:
    """Sum ``tokens`` (one per example) by the effective ``split`` of each example.

    Examples missing from ``split`` train. ``epochs=None``: Azure chooses, and the typical
    number for this many training examples is used.
    """
    training = validation = 0
    n_training = n_validation = 0
    for example, count in zip(examples, tokens, strict=True):
        if split.get(example.id, Split.TRAIN) == Split.VALIDATION:
            validation += count
            n_validation += 1
        else:
            training += count
            n_training += 1
    chosen_by_azure = epochs is None
    used = typical_epochs(n_training) if epochs is None else epochs
    return TokenTotals(training, validation, used, chosen_by_azure, n_training, n_validation)
