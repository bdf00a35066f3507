"""Use case: the decision on a record without storing it (the API's `/evaluate`).

Evaluating and storing a case is `amnesty.service.cases` (add, edit, re-evaluate, import); here the
engine decides one record under a law and nothing is kept. Arithmetic that leaves the calendar
(absurd terms or dates) is refused as `CannotEvaluateError`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law

__all__ = ["CannotEvaluateError", "evaluate_record"]


class CannotEvaluateError(ValueError):
    """The record cannot be evaluated: its dates or terms leave the calendar; names the kind of error."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"the record cannot be evaluated: {kind}: dates or terms out of range")
        self.kind = kind


def evaluate_record(
    record: CaseRecord, law: Law, as_of: dt.date | None = None, strict: bool = False
) -> Decision:
    """The decision on `record` under `law` on `as_of` (default: today); nothing is stored."""
    try:
        return evaluate(record, law, as_of=as_of, strict=strict)
    except (OverflowError, ValueError, ValidationError) as error:
        raise CannotEvaluateError(type(error).__name__) from None
