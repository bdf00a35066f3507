"""Use cases of the work queues: the law's implementation deadline with its countdown, the review
queue's work view (age, due day, taken by, overdue), taking and assigning review items (alone or in
bulk) and confirming provisional decisions in bulk. Due days follow `amnesty.domain.deadlines`; the
deadline is read from the law pack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.domain.deadlines import REVIEW_DAYS, Countdown, age_in_days, due_day
from amnesty.domain.enums import Outcome, ReleaseMode
from amnesty.law.loader import Law, default_law
from amnesty.service import review
from amnesty.service.cases import decision_row
from amnesty.service.errors import InvalidInputError, NotFoundError, SupersededError
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.results import Page, ReviewItem
from amnesty.store import queries
from amnesty.store.models import DecisionRow, ReviewClaimRow, UserRow
from amnesty.store.queries import ReviewStatus, ReviewWork

MAX_BULK = 200
"""Review items one bulk action may change."""


def law_deadline(law: Law | None = None) -> dt.date | None:
    """The implementation deadline of `law` (default: the default law), from its pack
    (`dates.implementation_deadline`; None when the pack gives none)."""
    return (law or default_law()).pack.dates.implementation_deadline.value


def countdown(today: dt.date, law: Law | None = None) -> Countdown | None:
    """The implementation deadline of `law` (default: the default law) seen from `today` (None when
    the pack gives none)."""
    deadline = law_deadline(law)
    return Countdown(deadline, today) if deadline is not None else None


@dataclass(frozen=True)
class ReviewFilters:
    """The review page's filters: region, reason code, open questions, whose items, overdue only,
    provisional only."""

    region: str | None = None
    code: str | None = None
    with_questions: bool = False
    taken_by: str | None = None
    untaken: bool = False
    overdue: bool = False
    provisional_only: bool = False

    def work(self, today: dt.date) -> ReviewWork:
        """The SQL work filters for `today`."""
        return ReviewWork(
            taken_by=self.taken_by,
            untaken=self.untaken,
            overdue_on=today if self.overdue else None,
            deadline=law_deadline(),
            review_days=REVIEW_DAYS,
            provisional_only=self.provisional_only,
        )


@dataclass(frozen=True)
class WorkItem:
    """A review item with its age and due day as of a day."""

    item: ReviewItem
    made_on: dt.date
    due_on: dt.date
    age_days: int
    overdue: bool


def work_item(item: ReviewItem, today: dt.date) -> WorkItem:
    """The item's age (days since its decision was made) and due day (`REVIEW_DAYS` later, or the
    law's deadline when that comes first)."""
    made = dt.date.fromisoformat((item.created_at or today.isoformat())[:10])
    due = due_day(made, REVIEW_DAYS, law_deadline())
    return WorkItem(item, made, due, age_in_days(made, today), due < today)


def review_work(
    db: Session, user: Actor, filters: ReviewFilters, today: dt.date, page: int = 1, page_size: int = 50
) -> tuple[Page[ReviewItem], list[WorkItem]]:
    """The open review queue with the work filters, one page, each item with its age and due day."""
    require(user, Action.READ_CASES)
    found = queries.review_queue(
        db,
        ReviewStatus.OPEN,
        page,
        page_size,
        filters.region,
        filters.code,
        region_limit(user),
        with_questions=filters.with_questions,
        work=filters.work(today),
    )
    return found, [work_item(item, today) for item in found.items]


def reviewers(db: Session) -> list[str]:
    """Usernames of the enabled accounts who may review (to assign items to)."""
    from amnesty.service.policy import roles_for

    roles = [role.value for role in roles_for(Action.OVERRIDE)]
    query = select(UserRow.username).where(UserRow.role.in_(roles), UserRow.disabled.is_(False))
    return list(db.scalars(query.order_by(UserRow.username)))


def assign(db: Session, user: Actor, decision_ids: list[int], reviewer: str) -> int:
    """Give review items to `reviewer` (a reviewer's own name: taking them; `""`: releasing them);
    audited per item; returns how many changed. Unknown, out-of-scope or decided items are refused."""
    require(user, Action.ASSIGN_REVIEW)
    if len(decision_ids) > MAX_BULK:
        raise InvalidInputError(f"at most {MAX_BULK} items at once", "items", "too_many")
    if reviewer and reviewer not in reviewers(db):
        raise InvalidInputError("not a reviewer", "reviewer", "not_a_reviewer")
    changed = 0
    for decision_id in decision_ids:
        row = _open_item(db, user, decision_id)
        claim = db.get(ReviewClaimRow, row.id)
        if claim is not None and claim.reviewer == reviewer:
            continue
        if claim is not None:
            db.delete(claim)
            db.flush()
        if reviewer:
            db.add(ReviewClaimRow(decision_fk=row.id, reviewer=reviewer, assigned_by=user.username))
        record_event(db, user.username, "review.assign", "decision", row.id, {"reviewer": reviewer or None})
        changed += 1
    db.commit()
    return changed


def _open_item(db: Session, user: Actor, decision_id: int) -> DecisionRow:
    row = decision_row(db, user, decision_id)
    newest = db.scalar(
        select(DecisionRow.id).where(DecisionRow.case_fk == row.case_fk).order_by(DecisionRow.sequence.desc())
    )
    if newest != row.id:
        raise SupersededError(decision_id)
    if not (row.needs_review or row.provisional) or row.overrides:
        raise NotFoundError("review item", decision_id)
    return row


@dataclass(frozen=True)
class ConfirmResult:
    """What a bulk confirmation did: the decisions confirmed and those refused with the reason."""

    confirmed: list[int]
    refused: list[tuple[int, str]]


def confirm_provisional(
    db: Session, user: Actor, decision_ids: list[int], justification: str, citation: str
) -> ConfirmResult:
    """Confirm provisional decisions as the engine made them: for each, a reviewer's decision with the
    engine's outcome and figures and the one justification and citation given (checked by
    `review.override`, the one validation). A decision that needs review (no outcome to confirm) is
    refused and named."""
    require(user, Action.OVERRIDE)
    if len(decision_ids) > MAX_BULK:
        raise InvalidInputError(f"at most {MAX_BULK} items at once", "items", "too_many")
    confirmed: list[int] = []
    refused: list[tuple[int, str]] = []
    for decision_id in decision_ids:
        row = _open_item(db, user, decision_id)
        if row.needs_review or not row.provisional:
            refused.append((decision_id, "not_provisional"))
            continue
        outcome = Outcome(row.outcome)
        request = review.OverrideRequest(
            outcome,
            justification,
            citation,
            _release_day(row) if outcome is Outcome.RELEASE else None,
            row.new_end_date if outcome is Outcome.REDUCE_SENTENCE else None,
        )
        try:
            review.override(db, user, row.id, request)
        except review.OverrideRejectedError as error:
            if error.problems[0].field in ("justification", "citation"):
                raise
            refused.append((decision_id, error.problems[0].code))
        else:
            confirmed.append(decision_id)
    return ConfirmResult(confirmed, refused)


def _release_day(row: DecisionRow) -> dt.date:
    if row.release_mode == ReleaseMode.ON_DATE.value and row.new_end_date is not None:
        return row.new_end_date + dt.timedelta(days=1)
    return row.as_of
