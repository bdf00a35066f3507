"""Persons, cases, decisions with their history, re-evaluation, the review queue and overrides."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from amnesty.api.common import MAX_ID, CaseFilterDep, PageNumber, PageSize, not_found
from amnesty.api.deps import get_db, require_roles
from amnesty.api.errors import ApiError, FieldProblem, error_responses
from amnesty.api.policy import OVERRIDE, READ_CASES, READ_PERSONS, WRITE_CASES, region_limit
from amnesty.api.schemas import CaseUpdate, OverrideRequest
from amnesty.audit.chain import record_event
from amnesty.store import repository as repo
from amnesty.store.models import DecisionRow
from amnesty.store.models import UserRow as User

router = APIRouter(tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
DecisionId = Annotated[int, Path(ge=1, le=MAX_ID)]
PersonId = Annotated[str, Path(min_length=1, max_length=64)]
Sort = Annotated[str, Query(max_length=20, pattern=r"^-?[a-z_]+$", description="Field, '-' for descending.")]


def _conflict(error: repo.VersionConflictError) -> ApiError:
    return ApiError(
        409,
        "version_conflict",
        str(error),
        extra={"current_version": error.current, "your_version": error.expected},
    )


@router.get("/persons", responses=error_responses(401, 403, 422))
def list_persons(
    filters: CaseFilterDep,
    sort: Sort = "person_id",
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_roles(*READ_PERSONS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Search persons by name, IIN, person_id or case number, region, outcome, stage; sorted, paginated.
    Social workers see their region only."""
    result = repo.search_persons(db, filters, region_limit(user), sort, page, page_size)
    record_event(
        db,
        user.username,
        "person.search",
        "person",
        "-",
        {"filters": sorted(k for k, v in vars(filters).items() if v is not None), "results": result.total},
    )
    db.commit()
    return result.to_json_dict()


@router.get("/persons/{person_id}", responses=error_responses(401, 403, 404, 422))
def person_file(
    person_id: PersonId,
    user: User = Depends(require_roles(*READ_PERSONS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """A person's file: facts, cases, every decision with its diff and overrides, tasks (audited read)."""
    person = repo.get_person(db, person_id, region_limit(user))
    if person is None:
        raise not_found("person", person_id)
    data = repo.person_file(db, person, user.username)
    db.commit()
    return data


@router.get("/cases", responses=error_responses(401, 403, 422))
def list_cases(
    filters: CaseFilterDep,
    sort: Sort = "id",
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_roles(*READ_CASES)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Search cases (same filters as persons), each with its newest decision."""
    result = repo.search_cases(db, filters, None, sort, page, page_size)
    record_event(
        db,
        user.username,
        "case.search",
        "case",
        "-",
        {"filters": sorted(k for k, v in vars(filters).items() if v is not None), "results": result.total},
    )
    db.commit()
    return result.to_json_dict()


@router.get("/cases/{case_id}", responses=error_responses(401, 403, 404, 422))
def get_case(
    case_id: CaseId, user: User = Depends(require_roles(*READ_CASES)), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """A case with its facts (`record`), version, decisions and tasks (audited read)."""
    case = repo.get_case(db, case_id)
    if case is None:
        raise not_found("case", case_id)
    record_event(db, user.username, "case.read", "case", case.id, {"person_id": case.person.person_id})
    data = repo.case_json(case, repo.case_record(case))
    db.commit()
    return data


@router.put("/cases/{case_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_case(
    case_id: CaseId,
    body: CaseUpdate,
    request: Request,
    user: User = Depends(require_roles(*WRITE_CASES)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Replace a case's facts and re-evaluate it. Send the `version` you read: if someone changed the
    case since, the answer is 409 `version_conflict` and nothing is changed."""
    case = repo.get_case(db, case_id)
    if case is None:
        raise not_found("case", case_id)
    try:
        case, decision, created = repo.update_case(
            db, case, body.version, body.record, user.username, request.app.state.law
        )
        db.commit()
    except repo.VersionConflictError as error:
        db.rollback()
        raise _conflict(error) from None
    except StaleDataError:
        db.rollback()
        raise ApiError(
            409,
            "version_conflict",
            f"case {case_id} was changed by someone else at the same time; reload and retry",
        ) from None
    except ValueError as error:
        db.rollback()
        field, _, problem = str(error).partition(": ")
        raise ApiError(
            422,
            "validation_error",
            str(error),
            [FieldProblem(field=f"record.{field}", problem=problem or str(error))],
        ) from None
    except OverflowError:
        db.rollback()
        raise ApiError(
            422, "cannot_evaluate", "the record cannot be evaluated: dates or terms out of range"
        ) from None
    return {
        "case": repo.case_summary(case),
        "decision": repo.decision_json(decision),
        "decision_created": created,
    }


@router.post("/cases/{case_id}/evaluate", responses=error_responses(401, 403, 404, 422))
def reevaluate_case(
    case_id: CaseId,
    request: Request,
    as_of: dt.date | None = None,
    strict: bool = False,
    user: User = Depends(require_roles(*WRITE_CASES)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Re-evaluate a case under the current law pack: a new decision is stored (with its diff from the
    previous one) only if something changed."""
    case = repo.get_case(db, case_id)
    if case is None:
        raise not_found("case", case_id)
    try:
        decision, created = repo.evaluate_case(db, case, user.username, request.app.state.law, as_of, strict)
    except (OverflowError, ValueError):
        db.rollback()
        raise ApiError(422, "cannot_evaluate", "the case cannot be evaluated on that date") from None
    db.commit()
    return {"decision": repo.decision_json(decision), "decision_created": created}


@router.get("/cases/{case_id}/decisions", responses=error_responses(401, 403, 404, 422))
def case_history(
    case_id: CaseId, user: User = Depends(require_roles(*READ_CASES)), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """Every decision of the case, oldest first, each with the difference from the one before."""
    case = repo.get_case(db, case_id)
    if case is None:
        raise not_found("case", case_id)
    record_event(db, user.username, "case.history", "case", case.id, {"person_id": case.person.person_id})
    db.commit()
    return {"case_id": case.id, "items": [repo.decision_json(d) for d in case.decisions]}


def _decision(db: Session, decision_id: int) -> DecisionRow:
    decision = db.get(DecisionRow, decision_id)
    if decision is None:
        raise not_found("decision", decision_id)
    return decision


@router.get("/decisions/{decision_id}", responses=error_responses(401, 403, 404, 422))
def get_decision(
    decision_id: DecisionId, user: User = Depends(require_roles(*READ_CASES)), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """One decision in full: reason trace, facts used, diff, overrides (audited read)."""
    decision = _decision(db, decision_id)
    record_event(db, user.username, "decision.read", "decision", decision.id, {"case_id": decision.case_fk})
    db.commit()
    return repo.decision_json(decision)


@router.get("/review", responses=error_responses(401, 403, 422))
def review_queue(
    status: repo.ReviewStatus = repo.ReviewStatus.OPEN,
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_roles(*READ_CASES)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Newest decisions that are `needs_review` or rest on a provisional basis; `open` ones have no
    override yet."""
    return repo.review_queue(db, status, page, page_size).to_json_dict()


@router.get("/decisions/{decision_id}/overrides", responses=error_responses(401, 403, 404, 422))
def list_overrides(
    decision_id: DecisionId, user: User = Depends(require_roles(*READ_CASES)), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """The overrides recorded beside a decision, oldest first (the newest is in effect)."""
    decision = _decision(db, decision_id)
    return {"decision_id": decision.id, "items": [repo.override_json(o) for o in decision.overrides]}


@router.post(
    "/decisions/{decision_id}/overrides", status_code=201, responses=error_responses(401, 403, 404, 409, 422)
)
def create_override(
    decision_id: DecisionId,
    body: OverrideRequest,
    user: User = Depends(require_roles(*OVERRIDE)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Record a reviewer's decision (outcome, dates, justification, citation) beside the engine's,
    which is kept unchanged. Only the newest decision of a case can be overridden (409 otherwise)."""
    decision = _decision(db, decision_id)
    data = repo.OverrideInput(
        outcome=body.outcome,
        justification=body.justification,
        citation=body.citation,
        release_date=body.release_date,
        new_end_date=body.new_end_date,
    )
    if not data.justification.strip() or not data.citation.strip():
        raise ApiError(
            422,
            "validation_error",
            "justification and citation must not be blank",
            [FieldProblem(field="justification", problem="blank")],
        )
    try:
        row = repo.record_override(db, decision, data, user.username)
    except repo.SupersededError as error:
        db.rollback()
        raise ApiError(409, "superseded", str(error)) from None
    db.commit()
    return repo.override_json(row)
