"""What the Model & settings step needs to know about the data, for one model.

:func:`summarize` checks a snapshot of the dataset against the model's token limit and
splits it as the training upload will (:func:`tunedesk.core.export.plan_split`), so the
pre-flight summary and the estimate speak about exactly the files that would be sent.
Plain and synchronous: the UI runs it on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from tunedesk.core.checks import run_checks
from tunedesk.core.dataset import Dataset, Split
from tunedesk.core.export import plan_split

DEFAULT_VALIDATION_FRACTION = 0.1  # the Data page's export default


@dataclass(frozen=True, slots=True)
class DataSummary:
    examples: int
    training_examples: int
    validation_examples: int
    training_tokens: int  # per epoch: what training reads (and bills) once
    validation_tokens: int
    longest_tokens: int
    longest_row: int | None  # 1-based row of the longest example
    errors: int  # checklist errors (Azure would refuse the file)
    warnings: int
    token_limit: int
    drafts: int = 0  # rows drafted by a model, not accepted yet


def summarize(
    dataset: Dataset,
    token_limit: int,
    validation_fraction: float = DEFAULT_VALIDATION_FRACTION,
) -> DataSummary:
    """Check ``dataset`` for a model accepting ``token_limit`` tokens per example."""
    report = run_checks(dataset, token_limit=token_limit)
    split = plan_split(dataset, validation_fraction)
    training = validation = training_tokens = validation_tokens = 0
    longest, longest_row = 0, None
    for row, (example, count) in enumerate(zip(dataset.examples, report.tokens, strict=True), 1):
        if split.get(example.id, Split.TRAIN) == Split.VALIDATION:
            validation += 1
            validation_tokens += count
        else:
            training += 1
            training_tokens += count
        if count > longest:
            longest, longest_row = count, row
    return DataSummary(
        examples=len(dataset.examples),
        training_examples=training,
        validation_examples=validation,
        training_tokens=training_tokens,
        validation_tokens=validation_tokens,
        longest_tokens=longest,
        longest_row=longest_row,
        errors=report.errors,
        warnings=report.warnings,
        token_limit=token_limit,
        drafts=report.drafts,
    )
