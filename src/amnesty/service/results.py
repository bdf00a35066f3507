"""Typed results of the use cases: what the API answers (its response models) and the pages show.

The views of stored data (persons, cases, decisions, overrides, tasks, the review queue, statistics)
are the store's (`amnesty.store.views`), returned as they are by its queries; here are those only the
use cases make (the result of an edit, a re-evaluation, a history, a list of overrides).
"""

from __future__ import annotations

from amnesty.store.views import (
    AnswerOut,
    CaseDetail,
    CaseSummary,
    DecisionDetail,
    DecisionSummary,
    InForceOut,
    OverrideOut,
    Page,
    PersonFile,
    PersonSummary,
    Result,
    ReviewItem,
    Statistics,
    TaskOut,
)

__all__ = [
    "AnswerOut",
    "CaseChange",
    "CaseDetail",
    "CaseSummary",
    "DecisionDetail",
    "DecisionHistory",
    "DecisionSummary",
    "Evaluation",
    "InForceOut",
    "OverrideList",
    "OverrideOut",
    "Page",
    "PersonFile",
    "PersonSummary",
    "Result",
    "ReviewItem",
    "Statistics",
    "TaskOut",
]


class CaseChange(Result):
    """The result of editing a case: the case, the newest decision, whether a new one was made."""

    case: CaseSummary
    decision: DecisionDetail
    decision_created: bool


class Evaluation(Result):
    """The result of re-evaluating a case."""

    decision: DecisionDetail
    decision_created: bool


class DecisionHistory(Result):
    """Every decision of a case, oldest first."""

    case_id: int
    items: list[DecisionDetail]


class OverrideList(Result):
    """The overrides of a decision, oldest first."""

    decision_id: int
    items: list[OverrideOut]
