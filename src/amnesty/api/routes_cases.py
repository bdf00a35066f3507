"""Persons, cases, decisions with their history, re-evaluation, the review queue and overrides: thin
HTTP doors over `amnesty.service` (the use cases decide access, query and audit)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from amnesty.api.common import MAX_ID, CaseFilterDep, PageNumber, PageSize
from amnesty.api.deps import get_db, require_action
from amnesty.api.errors import error_responses
from amnesty.api.schemas import AnswerRequest, CaseUpdate, OverrideRequest
from amnesty.service import answers, cases, review
from amnesty.service.accounts import User
from amnesty.service.policy import Action
from amnesty.service.results import (
    CaseChange,
    CaseDetail,
    CaseSummary,
    DecisionDetail,
    DecisionHistory,
    Evaluation,
    OverrideList,
    OverrideOut,
    Page,
    PersonFile,
    PersonSummary,
    ReviewItem,
)

router = APIRouter(tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID)]
PersonId = Annotated[str, Path(min_length=1, max_length=64)]
Sort = Annotated[str, Query(max_length=20, pattern=r"^-?[a-z_]+$", description="Field, '-' for descending.")]


@router.get("/persons", responses=error_responses(401, 403, 422))
def list_persons(
    filters: CaseFilterDep,
    sort: Sort = "person_id",
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_action(Action.READ_PERSONS)),
    db: Session = Depends(get_db),
) -> Page[PersonSummary]:
    """Search persons by name, IIN (or its first digits), person_id or case number, region, outcome,
    stage; sorted, paginated. Social workers see the persons of their region only."""
    return cases.search_persons(db, user, filters, sort, page, page_size)


@router.get("/persons/{person_id}", responses=error_responses(401, 403, 404, 422))
def person_file(
    person_id: PersonId,
    user: User = Depends(require_action(Action.READ_PERSONS)),
    db: Session = Depends(get_db),
) -> PersonFile:
    """A person's file: facts, cases, every decision with its diff and overrides, tasks (audited read)."""
    return cases.person_file(db, user, person_id)


@router.post("/persons/{person_id}/answers", responses=error_responses(401, 403, 404, 409, 422))
def answer_question(
    person_id: PersonId,
    body: AnswerRequest,
    request: Request,
    user: User = Depends(require_action(Action.ANSWER_QUESTIONS)),
    db: Session = Depends(get_db),
) -> CaseChange:
    """Answer a question of a case's newest decision: the value is stored at the question's `field` as
    a fact of the case (with who, when and the `source` document, audited) and the case is re-evaluated
    at once; `decision` is the new decision. Send the case `version` you read (409 if it changed)."""
    return answers.answer_question(
        db,
        user,
        person_id,
        body.case_id,
        body.version,
        body.field,
        body.value,
        body.source,
        request.app.state.law,
    )


@router.get("/cases", responses=error_responses(401, 403, 422))
def list_cases(
    filters: CaseFilterDep,
    sort: Sort = "id",
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> Page[CaseSummary]:
    """Search cases (same filters as persons), each with its person and newest decision; `sort` also
    takes `full_name`, `region`, `outcome` and `end_date`."""
    return cases.search_cases(db, user, filters, sort, page, page_size)


@router.get("/cases/{case_id}", responses=error_responses(401, 403, 404, 422))
def get_case(
    case_id: CaseId,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> CaseDetail:
    """A case with its facts (`record`), version, decisions and tasks (audited read)."""
    return cases.case_detail(db, user, case_id)


@router.put("/cases/{case_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_case(
    case_id: CaseId,
    body: CaseUpdate,
    request: Request,
    user: User = Depends(require_action(Action.WRITE_CASES)),
    db: Session = Depends(get_db),
) -> CaseChange:
    """Replace a case's facts and re-evaluate it. Send the `version` you read: if someone changed the
    case since, the answer is 409 `version_conflict` and nothing is changed."""
    return cases.update_case_facts(db, user, case_id, body.version, body.record, request.app.state.law)


@router.post("/cases/{case_id}/evaluate", responses=error_responses(401, 403, 404, 422))
def reevaluate_case(
    case_id: CaseId,
    request: Request,
    as_of: dt.date | None = None,
    strict: bool = False,
    user: User = Depends(require_action(Action.WRITE_CASES)),
    db: Session = Depends(get_db),
) -> Evaluation:
    """Re-evaluate a case under the current law pack: a new decision is stored (with its diff from the
    previous one) only if something changed."""
    return cases.reevaluate_case(db, user, case_id, request.app.state.law, as_of, strict)


@router.get("/cases/{case_id}/decisions", responses=error_responses(401, 403, 404, 422))
def case_history(
    case_id: CaseId,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> DecisionHistory:
    """Every decision of the case, oldest first, each with the difference from the one before."""
    return cases.case_history(db, user, case_id)


@router.get("/decisions/{decision_id}", responses=error_responses(401, 403, 404, 422))
def get_decision(
    decision_id: DecisionId,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> DecisionDetail:
    """One decision in full: reason trace, facts used, diff, overrides (audited read)."""
    return cases.decision_detail(db, user, decision_id)


@router.get("/review", responses=error_responses(401, 403, 422))
def review_queue(
    status: review.ReviewStatus = review.ReviewStatus.OPEN,
    page: PageNumber = 1,
    page_size: PageSize = 50,
    questions: Literal["open"] | None = None,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> Page[ReviewItem]:
    """Newest decisions that are `needs_review` or rest on a provisional basis; `open` ones have no
    override yet. `questions=open`: only decisions with open questions (a fact of the record would
    settle them; answer them with `POST /api/persons/{person_id}/answers`)."""
    return review.review_queue(db, user, status, page, page_size, with_questions=questions == "open")


@router.get("/decisions/{decision_id}/overrides", responses=error_responses(401, 403, 404, 422))
def list_overrides(
    decision_id: DecisionId,
    user: User = Depends(require_action(Action.READ_CASES)),
    db: Session = Depends(get_db),
) -> OverrideList:
    """The overrides recorded beside a decision, oldest first (the newest is in effect)."""
    return review.list_overrides(db, user, decision_id)


@router.post(
    "/decisions/{decision_id}/overrides", status_code=201, responses=error_responses(401, 403, 404, 409, 422)
)
def create_override(
    decision_id: DecisionId,
    body: OverrideRequest,
    user: User = Depends(require_action(Action.OVERRIDE)),
    db: Session = Depends(get_db),
) -> OverrideOut:
    """Record a reviewer's decision (outcome, dates, justification, citation) beside the engine's,
    which is kept unchanged. Only the newest decision of a case can be overridden (409 otherwise)."""
    term = body.new_term
    request = review.OverrideRequest(
        body.outcome,
        body.justification,
        body.citation,
        body.release_date,
        body.new_end_date,
        review.Term(term.years, term.months, term.days) if term is not None else None,
    )
    return review.override(db, user, decision_id, request)


class WithdrawalRequest(BaseModel):
    """Why a reviewer withdraws an override (at least `MIN_JUSTIFICATION` characters)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=10_000)


@router.post(
    "/overrides/{override_id}/withdrawal", status_code=201, responses=error_responses(401, 403, 404, 409, 422)
)
def withdraw_override(
    override_id: DecisionId,
    body: WithdrawalRequest,
    user: User = Depends(require_action(Action.OVERRIDE)),
    db: Session = Depends(get_db),
) -> OverrideOut:
    """Withdraw a reviewer's override of a case's newest decision, with the reason (audited as
    `override.withdraw`); the override stays recorded and the decision in force becomes the previous
    override not withdrawn, else the engine's. 409 when it was withdrawn already or the decision was
    superseded."""
    return review.withdraw_override(db, user, override_id, body.reason)
