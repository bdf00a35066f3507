"""Use cases of review: the queue of decisions a lawyer must look at, and overrides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from amnesty.domain.enums import Outcome
from amnesty.service.cases import decision_row
from amnesty.service.errors import InvalidInputError
from amnesty.service.policy import MIN_JUSTIFICATION, Action, Actor, region_limit, require
from amnesty.service.results import OverrideList, OverrideOut, Page, ReviewItem
from amnesty.store import queries
from amnesty.store.queries import ReviewStatus
from amnesty.store.workflow import OverrideInput, SupersededError, record_override

__all__ = ["OverrideRequest", "ReviewStatus", "list_overrides", "override", "review_queue"]


def review_queue(
    db: Session,
    user: Actor,
    status: ReviewStatus = ReviewStatus.OPEN,
    page: int = 1,
    page_size: int = 50,
    region: str | None = None,
    code: str | None = None,
) -> Page[ReviewItem]:
    """Newest decisions that are `needs_review` or rest on a provisional basis (`open`: no override
    yet), optionally of one region or reason code; paginated in SQL."""
    require(user, Action.READ_CASES)
    found = queries.review_queue(db, status, page, page_size, region, code, region_limit(user))
    return Page[ReviewItem].model_validate(found.to_json_dict())


def list_overrides(db: Session, user: Actor, decision_id: int) -> OverrideList:
    """The overrides recorded beside a decision, oldest first (the newest is in effect)."""
    require(user, Action.READ_CASES)
    decision = decision_row(db, user, decision_id)
    return OverrideList(
        decision_id=decision.id,
        items=[OverrideOut.model_validate(queries.override_json(o)) for o in decision.overrides],
    )


@dataclass(frozen=True)
class OverrideRequest:
    """A reviewer's decision, with its justification and the law relied on."""

    outcome: Outcome
    justification: str
    citation: str
    release_date: dt.date | None = None
    new_end_date: dt.date | None = None


def check_override(request: OverrideRequest) -> None:
    """The one validation of an override (API and web): a justification of at least
    `MIN_JUSTIFICATION` characters and a citation."""
    if len(request.justification.strip()) < MIN_JUSTIFICATION:
        raise InvalidInputError(
            f"the justification needs at least {MIN_JUSTIFICATION} characters", "justification"
        )
    if len(request.citation.strip()) < 3:
        raise InvalidInputError("the citation of the law must be filled in", "citation")


def override(db: Session, user: Actor, decision_id: int, request: OverrideRequest) -> OverrideOut:
    """Record a reviewer's decision beside the engine's newest decision of a case (which stays as it
    was). An older decision answers `SupersededError` (409)."""
    require(user, Action.OVERRIDE)
    check_override(request)
    decision = decision_row(db, user, decision_id)
    data = OverrideInput(
        request.outcome,
        request.justification.strip()[:10_000],
        request.citation.strip()[:300],
        request.release_date,
        request.new_end_date,
    )
    try:
        row = record_override(db, decision, data, user.username)
    except SupersededError:
        db.rollback()
        raise
    db.commit()
    return OverrideOut.model_validate(queries.override_json(row))
