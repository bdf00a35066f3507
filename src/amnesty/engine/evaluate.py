"""The evaluator: applies a law to one validated record and returns its decision with the reason trace.

`evaluate` decides by the engine the law's pack names (`amnesty.engine.laws`): the law's own order of
application (its package's `decide`), then, for a `needs_review` decision, the questions whose answers
would settle it (its `ask`). What every law's order shares is here: a charge's scope answer
(`ChargeScope`) and the tail of the several-charges rule M1 (`by_gravest`).
Pure: no I/O and no clock; the as-of date is a parameter that defaults to the law's entry into force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from amnesty import __version__
from amnesty.domain.decision import ChargeResult, Decision, Reason
from amnesty.domain.enums import Category, Outcome, Tri
from amnesty.domain.records import CaseRecord
from amnesty.engine.codes import ReasonCode as C
from amnesty.engine.laws import engine_of
from amnesty.engine.relief import category_word
from amnesty.engine.rules import article_ref, reason
from amnesty.engine.rules import sentences as rendered_sentences
from amnesty.law.loader import Law, default_law

ENGINE_VERSION = __version__


@dataclass(frozen=True)
class ChargeScope:
    """A charge's scope answer, its effective category and whether it rests on unverified facts."""

    result: ChargeResult
    answer: Tri
    provisional: bool
    conflict: tuple[Reason, ...] = ()


def by_gravest(scopes: list[ChargeScope], law: Law) -> tuple[Outcome | None, Category | None, list[Reason]]:
    """The part of M1 every law shares once all charges are covered: a charge with no known category is
    `MISSING_CATEGORY`, a recorded category the Code contradicts `CATEGORY_CONFLICT`; otherwise the
    gravest category (`AGGREGATE_BY_GRAVEST` when there are several charges)."""
    missing = [scope.result for scope in scopes if scope.result.category is None]
    if missing:
        return (
            Outcome.NEEDS_REVIEW,
            None,
            [
                reason(law, C.MISSING_CATEGORY, "M1", article_ref=article_ref(c.article, c.part))
                for c in missing
            ],
        )
    conflicts = [r for scope in scopes for r in scope.conflict]
    if conflicts:
        return Outcome.NEEDS_REVIEW, None, conflicts
    categories = [scope.result.category for scope in scopes if scope.result.category is not None]
    gravest = max(categories, key=lambda category: category.gravity)
    notes = []
    if len(scopes) > 1:
        notes.append(reason(law, C.AGGREGATE_BY_GRAVEST, "M1", category=category_word(gravest)))
    return None, gravest, notes


def evaluate(
    record: CaseRecord,
    law: Law | None = None,
    as_of: dt.date | None = None,
    strict: bool = False,
    questions: bool = True,
    sentences: bool = True,
) -> Decision:
    """The decision the law gives the person in `record`, as of `as_of` (default: entry into force), by
    the engine the law's pack names (`amnesty.engine.laws`).
    A `needs_review` decision carries the questions that would settle it (unless `questions` is
    False: then each answer's outcome is not worked out). With `sentences` False the reasons carry
    no sentences (`text`, `texts` empty: a compact bulk run writes codes, citations and facts only)."""
    law = law or default_law()
    as_of = as_of or law.entry_into_force
    engine = engine_of(law)
    with rendered_sentences(sentences):
        decision = engine.decide(record, law, as_of, strict)
        if not questions or decision.outcome is not Outcome.NEEDS_REVIEW:
            return decision
        return engine.ask(decision, record, law, lambda answered: engine.decide(answered, law, as_of, strict))
