"""How far questions go on a set of records: the share of `needs_review` persons a question could
settle, and how many questions such a person is asked (docs/questions.md).

`longest_path` follows the order `amnesty ask` uses (the first open question, then the decision's
next one): for a question with known answers it tries each answer that still leaves the decision
`needs_review` and counts the questions asked along the longest path; a date or a term cannot be
tried, so the questions still open there are counted as they stand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.engine.questions import record_with
from amnesty.law.loader import Law

_MAX_DEPTH = 8


def _answer_value(key: str) -> Any:
    return int(key) if key.isdigit() else key


def longest_path(record: CaseRecord, decision: Decision, law: Law, as_of: dt.date, strict: bool) -> int:
    """Questions asked, along the longest path of answers, until the decision asks nothing more."""

    def walk(record: CaseRecord, decision: Decision, depth: int) -> int:
        if not decision.questions:
            return 0
        first = decision.questions[0]
        if first.leads_to is None or depth >= _MAX_DEPTH:
            return len(decision.questions)
        longest = 1
        for key, outcome in first.leads_to.items():
            if outcome is not Outcome.NEEDS_REVIEW:
                continue
            answered = record_with(record, first.field, _answer_value(key))
            longest = max(longest, 1 + walk(answered, evaluate(answered, law, as_of, strict), depth + 1))
        return longest

    return walk(record, decision, 0)


@dataclass
class QuestionStats:
    """Counts over the persons of one input."""

    persons: int = 0
    needs_review: int = 0
    with_questions: int = 0
    only_questions: int = 0
    settled_by_one_answer: int = 0
    every_answer_same_outcome: int = 0
    questions: Counter[int] = field(default_factory=Counter)
    paths: Counter[int] = field(default_factory=Counter)
    asked_by: Counter[str] = field(default_factory=Counter)
    unanswerable_by: Counter[str] = field(default_factory=Counter)

    def add(self, record: CaseRecord, decision: Decision, law: Law, as_of: dt.date, strict: bool) -> None:
        """Count one person's decision."""
        self.persons += 1
        if decision.outcome is not Outcome.NEEDS_REVIEW:
            return
        self.needs_review += 1
        self.unanswerable_by.update(item.code for item in decision.unanswerable)
        if not decision.questions:
            return
        self.with_questions += 1
        self.only_questions += not decision.unanswerable
        self.questions[len(decision.questions)] += 1
        self.asked_by.update(question.code for question in decision.questions)
        outcomes = [set((q.leads_to or {}).values()) for q in decision.questions if q.options is not None]
        if any(outcome is not Outcome.NEEDS_REVIEW for found in outcomes for outcome in found):
            self.settled_by_one_answer += 1
        if any(len(found) == 1 and Outcome.NEEDS_REVIEW not in found for found in outcomes):
            self.every_answer_same_outcome += 1
        self.paths[longest_path(record, decision, law, as_of, strict)] += 1

    @staticmethod
    def _mean(counts: Counter[int]) -> float:
        total = sum(counts.values())
        return round(sum(k * v for k, v in counts.items()) / total, 2) if total else 0.0

    def to_json_dict(self) -> dict[str, Any]:
        """The figures as plain JSON data."""
        share = round(self.with_questions / self.needs_review, 4) if self.needs_review else 0.0
        return {
            "persons": self.persons,
            "needs_review": self.needs_review,
            "with_questions": self.with_questions,
            "share_with_questions": share,
            "with_questions_only": self.only_questions,
            "settled_by_one_answer": self.settled_by_one_answer,
            "every_answer_same_outcome": self.every_answer_same_outcome,
            "questions_per_person": {
                "mean": self._mean(self.questions),
                "max": max(self.questions, default=0),
                "distribution": {str(k): v for k, v in sorted(self.questions.items())},
            },
            "questions_along_longest_path": {
                "mean": self._mean(self.paths),
                "max": max(self.paths, default=0),
                "distribution": {str(k): v for k, v in sorted(self.paths.items())},
            },
            "asked_by": dict(self.asked_by.most_common()),
            "unanswerable_by": dict(self.unanswerable_by.most_common()),
        }


def question_stats(
    records: Iterable[CaseRecord], law: Law, as_of: dt.date | None, strict: bool
) -> QuestionStats:
    """The figures for every record (each evaluated with the law, date and mode given)."""
    stats = QuestionStats()
    day = as_of or law.entry_into_force
    for record in records:
        stats.add(record, evaluate(record, law, day, strict), law, day, strict)
    return stats
