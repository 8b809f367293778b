"""What training will read: tokens in the training split, and tokens × epochs.

Azure bills fine-tuning by the tokens trained: every training example is read once per
epoch (validation examples are only evaluated). Until the Model & settings step lets people
choose, the estimate assumes :data:`DEFAULT_EPOCHS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tunedesk.core.dataset import Example, Split

DEFAULT_EPOCHS = 3


@dataclass(frozen=True, slots=True)
class TokenTotals:
    training: int  # tokens of the examples that train the model, per epoch
    validation: int
    epochs: int

    @property
    def trained(self) -> int:
        """Tokens the service trains on (and bills): training tokens × epochs."""
        return self.training * self.epochs


def token_totals(
    examples: Sequence[Example],
    tokens: Sequence[int],
    split: Mapping[str, Split],
    epochs: int = DEFAULT_EPOCHS,
) -> TokenTotals:
    """Sum ``tokens`` (one per example) by the effective ``split`` of each example."""
    training = validation = 0
    for example, count in zip(examples, tokens, strict=True):
        if split.get(example.id, Split.TRAIN) == Split.VALIDATION:
            validation += count
        else:
            training += count
    return TokenTotals(training, validation, epochs)
