"""Use cases of review: the queue of decisions a lawyer must look at, and overrides."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.domain.decision import SentenceResult
from amnesty.domain.enums import Outcome
from amnesty.engine.codes import ReasonCode
from amnesty.engine.terms import Term, last_day
from amnesty.service.cases import decision_row
from amnesty.service.errors import InvalidInputError, NotFoundError
from amnesty.service.policy import MIN_JUSTIFICATION, Action, Actor, region_limit, require
from amnesty.service.results import OverrideList, OverrideOut, Page, ReviewItem
from amnesty.service.snapshot import kept
from amnesty.store import queries
from amnesty.store.models import OverrideRow
from amnesty.store.queries import ReviewStatus
from amnesty.store.workflow import OverrideInput, SupersededError, record_override, record_withdrawal

__all__ = [
    "REVIEW_REASONS",
    "OverrideProblem",
    "OverrideRejectedError",
    "OverrideRequest",
    "ReviewStatus",
    "Term",
    "check_override",
    "list_overrides",
    "override",
    "override_problems",
    "review_queue",
    "withdraw_override",
]

REVIEW_REASONS: tuple[ReasonCode, ...] = (
    ReasonCode.ARTICLE_LIST_INCOMPLETE,
    ReasonCode.LIST_ENTRY_UNVERIFIED,
    ReasonCode.LIST_ENTRY_INFERRED,
    ReasonCode.CODE_EDITION_MAY_DIFFER,
    ReasonCode.ENTRY_INTO_FORCE_ASSUMED,
    ReasonCode.CONTEXT_UNKNOWN,
    ReasonCode.OFFENCE_SPANS_WINDOW,
    ReasonCode.PART_UNKNOWN,
    ReasonCode.PARTIAL_COVERAGE,
    ReasonCode.COVERAGE_UNCERTAIN,
    ReasonCode.CATEGORY_CONFLICT,
    ReasonCode.MISSING_CATEGORY,
    ReasonCode.MISSING_SENTENCE,
    ReasonCode.AGE_UNKNOWN,
    ReasonCode.EXCLUSION_TAG_UNVERIFIED,
    ReasonCode.EXCLUSION_PART_UNKNOWN,
    ReasonCode.EXCLUSION_VICTIM_AGE_UNKNOWN,
    ReasonCode.EXCLUSION_POINT_UNKNOWN,
    ReasonCode.NON_CUSTODIAL_GRAVE,
    ReasonCode.CONDITIONAL_SENTENCE_GRAVE,
)
"""The reasons why a decision waits for a lawyer (it needs review, or rests on a provisional basis):
the review queue's reason filter and the reasons it shows for each row."""


def review_queue(
    db: Session,
    user: Actor,
    status: ReviewStatus = ReviewStatus.OPEN,
    page: int = 1,
    page_size: int = 50,
    region: str | None = None,
    code: str | None = None,
    *,
    with_questions: bool = False,
) -> Page[ReviewItem]:
    """Newest decisions that are `needs_review` or rest on a provisional basis (`open`: no override
    yet), optionally of one region or reason code, or with open questions; paginated in SQL, and
    kept for the register's current version (`amnesty.service.snapshot`)."""
    require(user, Action.READ_CASES)
    limit = region_limit(user)
    arguments = (status, page, page_size, region, code, limit, with_questions)

    def compute() -> Page[ReviewItem]:
        return queries.review_queue(
            db, status, page, page_size, region, code, limit, with_questions=with_questions
        )

    return kept(db, "review_queue", arguments, compute)


def list_overrides(db: Session, user: Actor, decision_id: int) -> OverrideList:
    """The overrides recorded beside a decision, oldest first (the newest is in effect)."""
    require(user, Action.READ_CASES)
    decision = decision_row(db, user, decision_id)
    return OverrideList(
        decision_id=decision.id,
        items=[queries.override_view(o) for o in decision.overrides],
    )


@dataclass(frozen=True)
class OverrideRequest:
    """A reviewer's decision, with its justification, the law relied on and the figures the outcome
    needs: the release date of a release; the new term or the new end date of a reduced sentence."""

    outcome: Outcome
    justification: str
    citation: str
    release_date: dt.date | None = None
    new_end_date: dt.date | None = None
    new_term: Term | None = None


@dataclass(frozen=True)
class OverrideProblem:
    """One refused value of an override: the field, a stable problem code (written in each language by
    `amnesty.render.validation`), its parameters and the English sentence."""

    field: str
    code: str
    message: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)


class OverrideRejectedError(InvalidInputError):
    """An override refused by `check_override`, with every problem found (the first names the field)."""

    def __init__(self, problems: list[OverrideProblem]) -> None:
        first = problems[0]
        super().__init__(first.message, first.field, first.code)
        self.problems = tuple(problems)


_REDUCED = (Outcome.REDUCE_SENTENCE,)


def _figure_problems(request: OverrideRequest) -> list[OverrideProblem]:
    problems: list[OverrideProblem] = []
    has_term = request.new_term is not None
    if request.outcome is Outcome.RELEASE and request.release_date is None:
        problems.append(
            OverrideProblem("release_date", "release_date_missing", "a release needs the release date")
        )
    if request.outcome is not Outcome.RELEASE and request.release_date is not None:
        problems.append(
            OverrideProblem("release_date", "figure_not_for_outcome", "not used with this decision")
        )
    if request.outcome in _REDUCED:
        if request.new_end_date is None and not has_term:
            problems.append(
                OverrideProblem(
                    "new_end_date",
                    "new_figure_missing",
                    "a reduced sentence needs the new term or the new end date",
                )
            )
        elif request.new_end_date is not None and has_term:
            problems.append(
                OverrideProblem(
                    "new_term", "term_and_end_date", "give either the new term or the new end date, not both"
                )
            )
        elif request.new_term is not None and request.new_term.is_zero():
            problems.append(OverrideProblem("new_term", "term_zero", "the new term must be longer than zero"))
    else:
        for name, given in (("new_end_date", request.new_end_date is not None), ("new_term", has_term)):
            if given:
                problems.append(
                    OverrideProblem(name, "figure_not_for_outcome", "not used with this decision")
                )
    return problems


def _sentence_problems(request: OverrideRequest, sentence: SentenceResult | None) -> list[OverrideProblem]:
    """The figures against the sentence of the decision overridden."""
    problems: list[OverrideProblem] = []
    start = sentence.start_date if sentence else None
    if request.new_term is not None and request.outcome in _REDUCED:
        original = sentence.original_term if sentence else None
        if start is None:
            problems.append(
                OverrideProblem(
                    "new_term", "no_start_date", "the sentence has no start date; give the end date"
                )
            )
        if (
            original is not None
            and request.new_term.sort_key() >= Term(original.years, original.months, original.days).sort_key()
        ):
            problems.append(
                OverrideProblem("new_term", "term_not_shorter", "must be shorter than the original term")
            )
    if request.new_end_date is not None and request.outcome in _REDUCED:
        if start is not None and request.new_end_date <= start:
            problems.append(
                OverrideProblem(
                    "new_end_date", "date_not_after", f"must be after {start}", {"date": start.isoformat()}
                )
            )
        end = sentence.original_end_date if sentence else None
        if end is not None and request.new_end_date >= end:
            problems.append(
                OverrideProblem(
                    "new_end_date", "date_not_before", f"must be before {end}", {"date": end.isoformat()}
                )
            )
    if request.release_date is not None and start is not None and request.release_date < start:
        problems.append(
            OverrideProblem(
                "release_date", "date_before", f"must not be before {start}", {"date": start.isoformat()}
            )
        )
    return problems


def override_problems(
    request: OverrideRequest, sentence: SentenceResult | None = None, *, decided: bool = False
) -> list[OverrideProblem]:
    """Every problem of an override (the one validation, API and web): a justification of at least
    `MIN_JUSTIFICATION` characters, a citation, the figures its outcome needs and, once the decision
    overridden is known (`decided`, with its `sentence` or None), figures that fit that sentence."""
    problems: list[OverrideProblem] = []
    if len(request.justification.strip()) < MIN_JUSTIFICATION:
        problems.append(
            OverrideProblem(
                "justification",
                "justification_too_short",
                f"the justification needs at least {MIN_JUSTIFICATION} characters",
                {"min_length": str(MIN_JUSTIFICATION)},
            )
        )
    if len(request.citation.strip()) < 3:
        problems.append(
            OverrideProblem("citation", "citation_missing", "the citation of the law must be filled in")
        )
    problems += _figure_problems(request)
    if not problems and decided:
        problems += _sentence_problems(request, sentence)
    return problems


def check_override(
    request: OverrideRequest, sentence: SentenceResult | None = None, *, decided: bool = False
) -> None:
    """Refuse an override with `OverrideRejectedError` (422) naming every problem."""
    problems = override_problems(request, sentence, decided=decided)
    if problems:
        raise OverrideRejectedError(problems)


def _sentence_of(decision: Mapping[str, object]) -> SentenceResult | None:
    value = decision.get("sentence")
    return SentenceResult.model_validate(value) if isinstance(value, dict) else None


def override(db: Session, user: Actor, decision_id: int, request: OverrideRequest) -> OverrideOut:
    """Record a reviewer's decision beside the engine's newest decision of a case (which stays as it
    was). An older decision answers `SupersededError` (409). A new term is stored as the new end date it
    gives from the sentence's start."""
    require(user, Action.OVERRIDE)
    check_override(request)
    decision = decision_row(db, user, decision_id)
    sentence = _sentence_of(decision.decision)
    check_override(request, sentence, decided=True)
    new_end_date = request.new_end_date
    if request.new_term is not None and sentence is not None and sentence.start_date is not None:
        new_end_date = last_day(sentence.start_date, request.new_term)
    data = OverrideInput(
        request.outcome,
        request.justification.strip()[:10_000],
        request.citation.strip()[:300],
        request.release_date,
        new_end_date,
    )
    try:
        row = record_override(db, decision, data, user.username)
    except SupersededError:
        db.rollback()
        raise
    details = {"override_id": row.id, "engine_outcome": decision.outcome, "outcome": row.outcome}
    record_event(db, user.username, "override.create", "decision", decision.id, details)
    db.commit()
    return queries.override_view(row)


def withdraw_override(db: Session, user: Actor, override_id: int, reason: str) -> OverrideOut:
    """Withdraw a reviewer's override of a case's newest decision, with the reason (at least
    `MIN_JUSTIFICATION` characters; audited as `override.withdraw`). The override stays recorded;
    the decision in force becomes the next newest override not withdrawn, else the engine's.
    An override of an older decision, or one withdrawn already, answers `SupersededError` (409)."""
    require(user, Action.OVERRIDE)
    if len(reason.strip()) < MIN_JUSTIFICATION:
        raise OverrideRejectedError(
            [
                OverrideProblem(
                    "reason",
                    "justification_too_short",
                    f"the reason needs at least {MIN_JUSTIFICATION} characters",
                    {"min_length": str(MIN_JUSTIFICATION)},
                )
            ]
        )
    row = db.get(OverrideRow, override_id)
    if row is None:
        raise NotFoundError("override", override_id)
    decision_row(db, user, row.decision_fk)  # the user's region must hold the case
    try:
        withdrawal = record_withdrawal(db, row, reason.strip()[:10_000], user.username)
    except SupersededError:
        db.rollback()
        raise
    details = {"override_id": row.id, "outcome": row.outcome, "reason": withdrawal.reason}
    record_event(db, user.username, "override.withdraw", "decision", row.decision_fk, details)
    db.commit()
    return queries.override_view(row)
