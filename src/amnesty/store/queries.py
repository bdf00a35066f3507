"""Reading the store: search and pagination of persons and cases, a person's file, decision history,
the review queue, tasks, and summary statistics. A `region` limit restricts everything to one
region (social workers). Every query returns typed, immutable views (`amnesty.store.views`), one
query per list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, Text, and_, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, object_session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from amnesty.domain.deadlines import REVIEW_DAYS
from amnesty.domain.enums import Outcome
from amnesty.store.convert import case_record, person_facts
from amnesty.store.in_force import (
    DecisionInForce,
    has_override_in_force,
    in_force_of,
    outcome_in_force,
    override_in_force_id,
)
from amnesty.store.models import (
    AuditEvent,
    Case,
    ChargeRow,
    DecisionRow,
    OverrideRow,
    Person,
    ReviewClaimRow,
    TaskRow,
)
from amnesty.store.views import (
    AnswerOut,
    CaseDetail,
    CaseSummary,
    DecisionDetail,
    DecisionSummary,
    InForceOut,
    Item,
    OverrideOut,
    Page,
    PersonFile,
    PersonSummary,
    ReviewItem,
    Statistics,
    TaskOut,
)

MAX_PAGE_SIZE = 200


class ReviewStatus(StrEnum):
    """Which entries of the review queue to show."""

    OPEN = "open"
    OVERRIDDEN = "overridden"
    ALL = "all"


@dataclass(frozen=True)
class CaseFilter:
    """Search criteria for persons and cases (all optional, combined with AND)."""

    q: str | None = None
    iin: str | None = None
    case_number: str | None = None
    region: str | None = None
    outcome: str | None = None
    stage: str | None = None
    needs_review: bool | None = None
    law: str | None = None
    """Only cases decided under this law, the outcome and review state being those of the decision
    in force under it; None: the newest decision of each case, whatever its law."""


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO text of a date or (UTC) time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def newest_decision(row: Any = DecisionRow, law: str | None = None) -> ColumnElement[bool]:
    """Condition: `row` is the newest decision of its case (no later sequence exists; an index probe on
    the unique `(case_fk, sequence)` key, never a scan of every decision); with `law`, the newest
    decision made under that law (the case's decision in force under it), whatever was decided under
    other laws since."""
    newer = aliased(DecisionRow)
    if law is None:
        return ~exists(select(newer.id).where(newer.case_fk == row.case_fk, newer.sequence > row.sequence))
    later = select(newer.id).where(
        newer.case_fk == row.case_fk, newer.law == law, newer.sequence > row.sequence
    )
    return and_(row.law == law, ~exists(later))


def _iin_prefix(prefix: str) -> ColumnElement[bool]:
    """IINs starting with `prefix` (12 digits each) as an index range, on SQLite and PostgreSQL."""
    return and_(Person.iin >= prefix, Person.iin <= prefix + "9" * max(0, 12 - len(prefix)))


def _case_conditions(filters: CaseFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.case_number:
        conditions.append(Case.case_number == filters.case_number.strip())
    if filters.stage:
        conditions.append(Case.stage == filters.stage)
    if filters.outcome or filters.needs_review is not None or filters.law:
        decision_conditions: list[ColumnElement[bool]] = [
            DecisionRow.case_fk == Case.id,
            newest_decision(law=filters.law),
        ]
        if filters.outcome:
            decision_conditions.append(outcome_in_force() == filters.outcome)
        if filters.needs_review is not None:
            decision_conditions.append(
                or_(DecisionRow.needs_review, DecisionRow.provisional)
                if filters.needs_review
                else and_(DecisionRow.needs_review.is_(False), DecisionRow.provisional.is_(False))
            )
        conditions.append(exists(select(DecisionRow.id).where(*decision_conditions)))
    return conditions


def _person_conditions(filters: CaseFilter, region_limit: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if region_limit is not None:
        conditions.append(Person.region == region_limit)
    if filters.region:
        conditions.append(Person.region == filters.region)
    if filters.iin:
        iin = filters.iin.strip()
        conditions.append(Person.iin == iin if len(iin) >= 12 or not iin.isdigit() else _iin_prefix(iin))
    if filters.q:
        text = filters.q.strip()
        other = aliased(Case)
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        alternatives: list[ColumnElement[bool]] = [
            Person.full_name.ilike(pattern, escape="\\"),
            Person.person_id == text,
            exists(select(other.id).where(other.person_fk == Person.id, other.case_number == text)),
        ]
        if text.isdigit() and 4 <= len(text) <= 12:
            alternatives.append(_iin_prefix(text))
        else:
            alternatives.append(Person.iin == text)
        conditions.append(or_(*alternatives))
    return conditions


PERSON_SORTS = {
    "person_id": Person.person_id,
    "full_name": Person.full_name,
    "region": Person.region,
    "updated_at": Person.updated_at,
    "created_at": Person.created_at,
}
CASE_SORTS = {
    "id": Case.id,
    "case_number": Case.case_number,
    "stage": Case.stage,
    "updated_at": Case.updated_at,
    "person_id": Person.person_id,
    "full_name": Person.full_name,
    "name": Person.full_name,
    "region": Person.region,
}


def _order(sort: str, columns: dict[str, Any], fallback: Any) -> list[Any]:
    descending = sort.startswith("-")
    column = columns.get(sort.lstrip("-"), fallback)
    ordered = column.desc() if descending else column.asc()
    return [ordered.nulls_last(), fallback.asc()]


def _paginate(db: Session, query: Select[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.scalars(query.offset((max(page, 1) - 1) * page_size).limit(page_size)))
    return rows, total


def _page(items: list[Item], total: int, page: int, page_size: int) -> Page[Item]:
    """A page of views, its number and size as `_paginate` bounded them."""
    return Page[Item](
        items=items, total=total, page=max(page, 1), page_size=max(1, min(page_size, MAX_PAGE_SIZE))
    )


def _stream(
    db: Session, query: Select[Any], key: Any, limit: int, chunk: int = MAX_PAGE_SIZE
) -> Iterator[Any]:
    """Every row of a list query in its order, up to `limit`, for exports: the ordered keys in one
    narrow query (the same conditions, joins and order), then the rows with their eager loads a chunk
    of keys at a time. No OFFSET, no count, so an export costs one pass whatever its length."""
    keys = list(db.scalars(query.with_only_columns(key).limit(limit)))
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        found = {row.id: row for row in db.scalars(query.order_by(None).where(key.in_(part)))}
        yield from (found[k] for k in part if k in found)


def decision_summary(row: DecisionRow) -> DecisionSummary:
    """The short form of a decision (lists): outcome (the engine's and, through
    `amnesty.store.in_force`, the one in force with who decided it and when), flags, versions."""
    return DecisionSummary(**_summary_fields(row))


def _summary_fields(row: DecisionRow) -> dict[str, Any]:
    """The fields of `DecisionSummary`, which the fuller views of a decision extend."""
    in_force = in_force_of(row)
    return {
        "id": row.id,
        "case_id": row.case_fk,
        "sequence": row.sequence,
        "outcome": row.outcome,
        "effective_outcome": in_force.outcome.value,
        "overridden": in_force.override is not None,
        "in_force": in_force_view(in_force),
        "acting_body": row.acting_body,
        "needs_review": row.needs_review,
        "provisional": row.provisional,
        "release": row.release_mode,
        "new_end_date": iso(row.new_end_date),
        "flags": list(row.decision.get("flags", [])),
        "law": row.law,
        "law_version": row.law_version,
        "engine_version": row.engine_version,
        "as_of": iso(row.as_of),
        "created_at": iso(row.created_at),
        "created_by": row.created_by,
    }


def in_force_view(in_force: DecisionInForce) -> InForceOut:
    """The decision in force: source (engine or reviewer), outcome, by whom, when, figures."""
    return InForceOut(
        source=in_force.source.value,
        outcome=in_force.outcome.value,
        decided_by=in_force.decided_by,
        decided_at=iso(in_force.decided_at),
        override_id=in_force.override.id if in_force.override is not None else None,
        release=in_force.release_mode.value if in_force.release_mode else None,
        release_date=iso(in_force.release_date),
        new_end_date=iso(in_force.new_end_date),
    )


def override_view(row: OverrideRow) -> OverrideOut:
    """An override, with its withdrawal (by whom, when, why) when it was withdrawn."""
    withdrawal = row.withdrawal
    return OverrideOut(
        id=row.id,
        decision_id=row.decision_fk,
        outcome=row.outcome,
        release_date=iso(row.release_date),
        new_end_date=iso(row.new_end_date),
        justification=row.justification,
        citation=row.citation,
        reviewer=row.reviewer,
        created_at=iso(row.created_at),
        withdrawn=withdrawal is not None,
        withdrawn_by=withdrawal.withdrawn_by if withdrawal is not None else None,
        withdrawn_at=iso(withdrawal.created_at) if withdrawal is not None else None,
        withdrawal_reason=withdrawal.reason if withdrawal is not None else None,
    )


def decision_detail(row: DecisionRow) -> DecisionDetail:
    """A decision in full: summary, the engine's decision with its reason trace, the facts it used,
    the difference from the previous decision and the overrides recorded beside it."""
    return DecisionDetail(
        **_summary_fields(row),
        previous_id=row.previous_fk,
        decision=row.decision,
        input=row.input_record,
        diff=row.diff,
        overrides=[override_view(o) for o in row.overrides],
    )


def task_view(task: TaskRow) -> TaskOut:
    """A resocialisation task."""
    return TaskOut(
        id=task.id,
        person_id=task.person.person_id,
        full_name=task.person.full_name,
        case_id=task.case_fk,
        decision_id=task.decision_fk,
        kind=task.kind,
        region=task.region,
        akimat=task.akimat,
        status=task.status,
        assignee=task.assignee,
        due_date=iso(task.due_date),
        completed_on=iso(task.completed_on),
        notes=task.notes,
        version=task.version,
        created_at=iso(task.created_at),
        updated_at=iso(task.updated_at),
    )


def _latest(case: Case, law: str | None = None) -> DecisionRow | None:
    if law is None:
        return case.decisions[-1] if case.decisions else None
    return next((row for row in reversed(case.decisions) if row.law == law), None)


def case_summary(case: Case, law: str | None = None) -> CaseSummary:
    """A case in lists: number, stage, version and its newest decision (with `law`, the newest
    decision made under that law)."""
    return CaseSummary(**_case_fields(case, law))


def _case_fields(case: Case, law: str | None = None) -> dict[str, Any]:
    """The fields of `CaseSummary`, which the case in full extends."""
    latest = _latest(case, law)
    return {
        "id": case.id,
        "person_id": case.person.person_id,
        "full_name": case.person.full_name,
        "iin": case.person.iin,
        "region": case.person.region,
        "case_number": case.case_number,
        "stage": case.stage,
        "version": case.version,
        "charges": len(case.charges),
        "decision": decision_summary(latest) if latest else None,
        "updated_at": iso(case.updated_at),
    }


def person_summary(person: Person) -> PersonSummary:
    """A person in lists: identifiers, region and their cases' newest decisions."""
    return PersonSummary(
        person_id=person.person_id,
        full_name=person.full_name,
        iin=person.iin,
        region=person.region,
        role=person.role,
        cases=[case_summary(case) for case in person.cases],
    )


_CASE_LOAD = (
    selectinload(Case.person),
    selectinload(Case.charges),
    selectinload(Case.decisions).selectinload(DecisionRow.overrides),
)


def search_persons(
    db: Session,
    filters: CaseFilter,
    region_limit: str | None = None,
    sort: str = "person_id",
    page: int = 1,
    page_size: int = 50,
) -> Page[PersonSummary]:
    """Persons matching the filters (a person matches when one of their cases does)."""
    conditions = _person_conditions(filters, region_limit)
    case_conditions = _case_conditions(filters)
    if case_conditions:
        conditions.append(exists(select(Case.id).where(Case.person_fk == Person.id, *case_conditions)))
    query = (
        select(Person)
        .where(*conditions)
        .options(selectinload(Person.cases).options(*_CASE_LOAD))
        .order_by(*_order(sort, PERSON_SORTS, Person.person_id))
    )
    rows, total = _paginate(db, query, page, page_size)
    return _page([person_summary(p) for p in rows], total, page, page_size)


def search_cases(
    db: Session,
    filters: CaseFilter,
    region_limit: str | None = None,
    sort: str = "id",
    page: int = 1,
    page_size: int = 50,
) -> Page[CaseSummary]:
    """Cases matching the filters."""
    rows, total = _paginate(db, _cases_query(filters, region_limit, sort), page, page_size)
    return _page([case_summary(c, filters.law) for c in rows], total, page, page_size)


def stream_cases(
    db: Session,
    filters: CaseFilter,
    region_limit: str | None,
    sort: str,
    limit: int,
    chunk: int = MAX_PAGE_SIZE,
) -> Iterator[CaseSummary]:
    """Every case of `search_cases` (same query, same order), up to `limit`, for exports."""
    for row in _stream(db, _cases_query(filters, region_limit, sort), Case.id, limit, chunk):
        yield case_summary(row, filters.law)


def _cases_query(filters: CaseFilter, region_limit: str | None, sort: str) -> Select[Any]:
    conditions = _case_conditions(filters) + _person_conditions(filters, region_limit)
    latest = aliased(DecisionRow)
    sorts = CASE_SORTS | {"outcome": latest.outcome, "end_date": latest.new_end_date}
    return (
        select(Case)
        .join(Person, Person.id == Case.person_fk)
        .outerjoin(latest, and_(latest.case_fk == Case.id, newest_decision(latest, filters.law)))
        .where(*conditions)
        .options(*_CASE_LOAD)
        .order_by(*_order(sort, sorts, Case.id))
    )


def get_person(db: Session, person_id: str, region_limit: str | None = None) -> Person | None:
    """The person, or None (also when outside the region limit)."""
    person = db.scalar(select(Person).where(Person.person_id == person_id))
    if person is None or (region_limit is not None and person.region != region_limit):
        return None
    return person


def releases_due(
    db: Session, region_limit: str | None = None, limit: int = 10, law: str | None = None
) -> list[CaseSummary]:
    """Cases whose decision in force releases the person (the engine's, unless a reviewer's override is
    in force: then the reviewer's release): at once first, then by the new end date; with `law`, the
    decision in force under that law."""
    overridden = has_override_in_force()
    releases = or_(
        and_(DecisionRow.release_mode.is_not(None), ~overridden),
        and_(overridden, outcome_in_force() == "release"),
    )
    conditions: list[ColumnElement[bool]] = [releases, newest_decision(law=law)]
    if region_limit is not None:
        conditions.append(Person.region == region_limit)
    query = (
        select(Case)
        .join(DecisionRow, DecisionRow.case_fk == Case.id)
        .join(Person, Person.id == Case.person_fk)
        .where(*conditions)
        .options(*_CASE_LOAD)
        .order_by(
            case((DecisionRow.release_mode == "immediate", 0), else_=1),
            DecisionRow.new_end_date.asc().nulls_last(),
            Case.id,
        )
        .limit(max(1, min(limit, MAX_PAGE_SIZE)))
    )
    return [case_summary(row, law) for row in db.scalars(query)]


def get_case(db: Session, case_id: int, region_limit: str | None = None) -> Case | None:
    """The case, or None (also when outside the region limit)."""
    case = db.get(Case, case_id)
    if case is None or (region_limit is not None and case.person.region != region_limit):
        return None
    return case


def answered_questions(db: Session, case_ids: list[int]) -> dict[int, list[AnswerOut]]:
    """The questions answered so far per case, oldest first: field, source document, who, when and the
    decision the answer gave (the `case.answer` audit events, which record them; one indexed query)."""
    found: dict[int, list[AnswerOut]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    events = db.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "case.answer",
            AuditEvent.object_type == "case",
            AuditEvent.object_id.in_([str(case_id) for case_id in case_ids]),
        )
        .order_by(AuditEvent.seq)
    )
    for event in events:
        found[int(event.object_id)].append(
            AnswerOut(
                field=str(event.details.get("field", "")),
                source=str(event.details.get("source", "")),
                answered_by=event.actor,
                answered_at=event.at,
                decision_id=event.details.get("decision_id"),
            )
        )
    return found


def case_detail(case: Case, answers: list[AnswerOut] | None = None) -> CaseDetail:
    """A case in full: facts, version, every decision (newest last) with overrides, and tasks; in a
    person's file, the questions answered (`answered_questions`)."""
    return CaseDetail(
        **_case_fields(case),
        record=case_record(case),
        decisions=[decision_detail(d) for d in case.decisions],
        tasks=[task_view(t) for t in _case_tasks(case)],
        answers=answers or [],
    )


def person_file(db: Session, person: Person) -> PersonFile:
    """A person's whole file: facts, every case with its facts, decisions (each with its diff and
    overrides), tasks and the questions answered. Reading it is an audit event, which the caller
    records."""
    answers = answered_questions(db, [case.id for case in person.cases])
    return PersonFile(
        person_id=person.person_id,
        full_name=person.full_name,
        iin=person.iin,
        birth_date=iso(person.birth_date),
        region=person.region,
        role=person.role,
        recidivism=person.recidivism,
        conviction_expunged=person.conviction_expunged,
        fixed_residence=person.fixed_residence,
        able_bodied=person.able_bodied,
        needs_medical_care=person.needs_medical_care,
        needs_documents=person.needs_documents,
        **person_facts(person),
        created_at=iso(person.created_at),
        updated_at=iso(person.updated_at),
        cases=[case_detail(case, answers[case.id]) for case in person.cases],
    )


def _case_tasks(case: Case) -> list[TaskRow]:
    session = object_session(case)
    if session is None:
        return []
    return list(session.scalars(select(TaskRow).where(TaskRow.case_fk == case.id).order_by(TaskRow.id)))


def review_queue(
    db: Session,
    status: ReviewStatus = ReviewStatus.OPEN,
    page: int = 1,
    page_size: int = 50,
    region: str | None = None,
    code: str | None = None,
    region_limit: str | None = None,
    *,
    with_questions: bool = False,
    work: ReviewWork | None = None,
) -> Page[ReviewItem]:
    """Newest decisions of each case with `needs_review` or the `provisional_basis` flag, optionally of
    one region, with one reason code, or (`with_questions`) with open questions a fact would answer,
    and by the work filters (`ReviewWork`: taken by whom, overdue, provisional only)."""
    query = _review_query(status, region, code, region_limit, with_questions, work)
    rows, total = _paginate(db, query, page, page_size)
    return _page([_review_item(row) for row in rows], total, page, page_size)


def stream_review_queue(
    db: Session,
    status: ReviewStatus,
    region: str | None,
    code: str | None,
    region_limit: str | None,
    limit: int,
    chunk: int = MAX_PAGE_SIZE,
    work: ReviewWork | None = None,
) -> Iterator[ReviewItem]:
    """Every entry of `review_queue` (same query, same order), up to `limit`, for exports."""
    query = _review_query(status, region, code, region_limit, False, work)
    for row in _stream(db, query, DecisionRow.id, limit, chunk):
        yield _review_item(row)


def _review_query(
    status: ReviewStatus,
    region: str | None,
    code: str | None,
    region_limit: str | None,
    with_questions: bool,
    work: ReviewWork | None = None,
) -> Select[Any]:
    has_override = has_override_in_force()
    conditions: list[ColumnElement[bool]] = [waiting_for_review(), newest_decision()]
    if work is not None:
        conditions.extend(work.conditions())
    if status is ReviewStatus.OPEN:
        conditions.append(~has_override)
    elif status is ReviewStatus.OVERRIDDEN:
        conditions.append(has_override)
    regions = [Person.region == wanted for wanted in (region, region_limit) if wanted is not None]
    if with_questions:  # a reviewer's override in force closes the decision's questions
        conditions.append(func.json_array_length(DecisionRow.decision["questions"]) > 0)
        conditions.append(~has_override)
    if code:
        conditions.append(
            cast(DecisionRow.decision, Text).like(
                '%"' + code.replace("%", "").replace("_", "\\_") + '"%', escape="\\"
            )
        )
    query = select(DecisionRow)
    if regions:  # the person's region: joined only when asked, the count reads decisions alone otherwise
        query = query.join(Case, Case.id == DecisionRow.case_fk).join(Person, Person.id == Case.person_fk)
    query = (
        query.where(*conditions, *regions)
        .options(
            selectinload(DecisionRow.overrides),
            selectinload(DecisionRow.case).selectinload(Case.person),
            selectinload(DecisionRow.claim),
        )
        .order_by(DecisionRow.needs_review.desc(), DecisionRow.id)
    )
    return query


def waiting_for_review() -> ColumnElement[bool]:
    """Condition: a decision waits for a lawyer (it needs review or rests on a provisional basis); the
    one definition of the review queue and of the dashboard's count of it."""
    return or_(DecisionRow.needs_review, DecisionRow.provisional)


@dataclass(frozen=True)
class ReviewWork:
    """Work filters of the review queue: taken by a reviewer (`taken_by`; `untaken` for nobody's),
    overdue on a day (its due day, `amnesty.domain.deadlines.due_day` of the decision's day, passed),
    provisional decisions only (those a reviewer may confirm)."""

    taken_by: str | None = None
    untaken: bool = False
    overdue_on: dt.date | None = None
    deadline: dt.date | None = None
    review_days: int = REVIEW_DAYS
    provisional_only: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        """The SQL conditions of these filters."""
        found: list[ColumnElement[bool]] = []
        claimed = exists(
            select(ReviewClaimRow.decision_fk).where(ReviewClaimRow.decision_fk == DecisionRow.id)
        )
        if self.untaken:
            found.append(~claimed)
        elif self.taken_by:
            found.append(
                exists(
                    select(ReviewClaimRow.decision_fk).where(
                        ReviewClaimRow.decision_fk == DecisionRow.id, ReviewClaimRow.reviewer == self.taken_by
                    )
                )
            )
        if self.overdue_on is not None:
            # due = made + review_days, or the deadline when the decision was made on or before it and
            # the deadline comes first: overdue when either has passed
            start = dt.datetime.combine(self.overdue_on - dt.timedelta(days=self.review_days), dt.time())
            late = [DecisionRow.created_at < start]
            if self.deadline is not None and self.deadline < self.overdue_on:
                after = dt.datetime.combine(self.deadline + dt.timedelta(days=1), dt.time())
                late.append(DecisionRow.created_at < after)
            found.append(or_(*late))
        if self.provisional_only:
            found.append(and_(DecisionRow.provisional, DecisionRow.needs_review.is_(False)))
        return found


def _review_item(row: DecisionRow) -> ReviewItem:
    claim = row.claim
    return ReviewItem(
        **_summary_fields(row),
        taken_by=claim.reviewer if claim is not None else None,
        taken_at=iso(claim.assigned_at) if claim is not None else None,
        person_id=row.case.person.person_id,
        full_name=row.case.person.full_name,
        region=row.case.person.region,
        case_number=row.case.case_number,
        stage=row.case.stage,
        reason_codes=_reason_codes(row.decision),
    )


def _reason_codes(decision: dict[str, Any]) -> list[str]:
    codes = [str(r.get("code")) for r in decision.get("reasons", [])]
    for charge in decision.get("charges", []):
        codes.extend(str(r.get("code")) for r in charge.get("reasons", []))
    return codes


@dataclass(frozen=True)
class TaskFilter:
    """Criteria for the task list."""

    region: str | None = None
    status: str | None = None
    kind: str | None = None
    assignee: str | None = None
    person_id: str | None = None
    overdue_on: dt.date | None = None


def _tasks_query(filters: TaskFilter, region_limit: str | None) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if region_limit is not None:
        # a task follows its person: scoped by the region the person is recorded in now
        conditions.append(TaskRow.person.has(Person.region == region_limit))
    if filters.region:  # the person's current region too (the task's own column is where it began)
        conditions.append(TaskRow.person.has(Person.region == filters.region))
    if filters.status:
        conditions.append(TaskRow.status == filters.status)
    if filters.kind:
        conditions.append(TaskRow.kind == filters.kind)
    if filters.assignee:
        conditions.append(TaskRow.assignee == filters.assignee)
    if filters.person_id:
        conditions.append(TaskRow.person.has(Person.person_id == filters.person_id))
    if filters.overdue_on is not None:
        conditions.append(TaskRow.due_date < filters.overdue_on)
        conditions.append(TaskRow.status.in_(("open", "in_progress")))
    return select(TaskRow).where(*conditions).options(selectinload(TaskRow.person)).order_by(TaskRow.id)


def search_tasks(
    db: Session, filters: TaskFilter, region_limit: str | None = None, page: int = 1, page_size: int = 50
) -> Page[TaskOut]:
    """Resocialisation tasks matching the filters, oldest first."""
    rows, total = _paginate(db, _tasks_query(filters, region_limit), page, page_size)
    return _page([task_view(t) for t in rows], total, page, page_size)


def stream_tasks(
    db: Session, filters: TaskFilter, region_limit: str | None, limit: int, chunk: int = MAX_PAGE_SIZE
) -> Iterator[TaskOut]:
    """Every task of `search_tasks` (same query, same order), up to `limit`, for exports."""
    for row in _stream(db, _tasks_query(filters, region_limit), TaskRow.id, limit, chunk):
        yield task_view(row)


def _tally(rows: Any, key: int) -> dict[str, int]:
    """Sum the counts (last column) of grouped rows by the value of column `key` ("unknown" for null)."""
    totals: dict[str, int] = {}
    for row in rows:
        name = str(row[key]) if row[key] is not None else "unknown"
        totals[name] = totals.get(name, 0) + int(row[-1])
    return totals


def statistics(db: Session, region_limit: str | None = None, law: str | None = None) -> Statistics:
    """Counts by outcome (engine and effective), stage, charge category, region, person role,
    review state and task status; within a region when limited. With `law`, the decisions counted
    (outcomes, review state, releases) are the decisions in force under that law; the persons,
    cases, charges and tasks are the register's.

    Six grouped queries, each over one table and its indexes where no region limit applies: persons
    by (region, role) (a covering index); cases by stage; charges by category; the newest decision of
    every case by (outcome, outcome in effect, open for review); releases by region; tasks by status.
    The totals and the one-dimensional counts are sums over those groups.
    """
    person_scope: list[ColumnElement[bool]] = (
        [Person.region == region_limit] if region_limit is not None else []
    )
    persons = db.execute(
        select(Person.region, Person.role, func.count())
        .where(*person_scope)
        .group_by(Person.region, Person.role)
    ).all()
    cases_query = select(Case.stage, func.count()).group_by(Case.stage)
    charges_query = select(ChargeRow.category, func.count()).group_by(ChargeRow.category)
    if region_limit is not None:
        cases_query = cases_query.join(Person, Person.id == Case.person_fk).where(*person_scope)
        charges_query = (
            charges_query.join(Case, Case.id == ChargeRow.case_fk)
            .join(Person, Person.id == Case.person_fk)
            .where(*person_scope)
        )
    stages = db.execute(cases_query).all()
    newest_override = override_in_force_id().subquery()
    in_effect = func.coalesce(OverrideRow.outcome, DecisionRow.outcome)
    open_for_review = case(
        (
            and_(waiting_for_review(), newest_override.c.oid.is_(None)),
            1,
        ),
        else_=0,
    )
    newest = (
        select(DecisionRow.outcome, in_effect, open_for_review, func.count())
        .outerjoin(newest_override, newest_override.c.decision_fk == DecisionRow.id)
        .outerjoin(OverrideRow, OverrideRow.id == newest_override.c.oid)
        .where(newest_decision(law=law))
        .group_by(DecisionRow.outcome, in_effect, open_for_review)
    )
    released = (
        select(Person.region, func.count())
        .select_from(DecisionRow)
        .join(Case, Case.id == DecisionRow.case_fk)
        .join(Person, Person.id == Case.person_fk)
        .outerjoin(newest_override, newest_override.c.decision_fk == DecisionRow.id)
        .outerjoin(OverrideRow, OverrideRow.id == newest_override.c.oid)
        .where(in_effect == "release", newest_decision(law=law), *person_scope)
        .group_by(Person.region)
    )
    if region_limit is not None:
        newest = (
            newest.join(Case, Case.id == DecisionRow.case_fk)
            .join(Person, Person.id == Case.person_fk)
            .where(*person_scope)
        )
    decisions = db.execute(newest).all()
    task_scope: list[ColumnElement[bool]] = (
        [TaskRow.person.has(Person.region == region_limit)] if region_limit is not None else []
    )
    tasks = db.execute(select(TaskRow.status, func.count()).where(*task_scope).group_by(TaskRow.status)).all()
    return Statistics(
        region=region_limit,
        persons=sum(int(row[-1]) for row in persons),
        cases=sum(int(row[-1]) for row in stages),
        by_outcome=_tally(decisions, 0),
        by_effective_outcome=_tally(decisions, 1),
        by_stage=_tally(stages, 0),
        by_category=_tally(db.execute(charges_query).all(), 0),
        by_region=_tally(persons, 0),
        by_role=_tally(persons, 1),
        released_by_region=_tally(db.execute(released).all(), 0),
        review_open=sum(int(row[-1]) for row in decisions if row[2]),
        review_undecided=sum(int(row[-1]) for row in decisions if row[2] and row[0] == Outcome.NEEDS_REVIEW),
        tasks_by_status=_tally(tasks, 0),
    )
