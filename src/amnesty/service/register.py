"""Use cases over stored decisions and the whole register: decision documents of a case, and the
records of the register for an impact run (read in batches by key, one audit event with the count)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amnesty.audit.chain import record_event
from amnesty.documents.context import AnsweredQuestion, Authority
from amnesty.documents.court import DocumentKind
from amnesty.documents.render import DocumentFormat, DocumentRenderer, RenderedDocument
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.law.loader import Law
from amnesty.law.registry import get_law
from amnesty.service.errors import NotFoundError
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.store import queries
from amnesty.store.convert import case_record
from amnesty.store.in_force import DecisionInForce, decision_in_force
from amnesty.store.models import Case, Person

_RENDERER = DocumentRenderer()
BATCH = 500


def case_document(
    db: Session,
    user: Actor,
    case_id: int,
    law: Law | None,
    language: str,
    fmt: DocumentFormat,
    kind: DocumentKind = DocumentKind.DECISION,
) -> RenderedDocument:
    """The draft document of a case's decision in force (`amnesty.store.in_force`: a reviewer's
    override in force, else the engine's newest decision), stating who decided and when (audited read
    of the person's data); `law` None: the law the decision was made under; `kind`: the decision
    document or one the law's pack declares (`DocumentNotAvailableError` when the decision does not
    call for it)."""
    require(user, Action.DOCUMENTS)
    case = queries.get_case(db, case_id, region_limit(user))
    in_force = decision_in_force(case.decisions) if case is not None else None
    if case is None or in_force is None:
        raise NotFoundError("case", case_id)
    decision = Decision.model_validate(in_force.decision.decision)
    law = law if law is not None else get_law(decision.law)
    record = parse_record(case_record(case))
    record_event(
        db,
        user.username,
        "document.read",
        "case",
        case.id,
        {"person_id": case.person.person_id, "language": language, "format": fmt.value, "kind": kind.value},
    )
    db.commit()
    authority = document_authority(in_force)
    return _RENDERER.render(
        decision, record, law, language, fmt, authority, answered_questions(db, case.id), kind
    )


def answered_questions(db: Session, case_id: int) -> tuple[AnsweredQuestion, ...]:
    """The questions of the case answered so far, oldest first (`queries.answered_questions`)."""
    return tuple(
        AnsweredQuestion(
            item.field,
            item.source,
            dt.datetime.fromisoformat(item.answered_at or "").date(),
            item.answered_by,
        )
        for item in queries.answered_questions(db, [case_id])[case_id]
    )


def document_authority(in_force: DecisionInForce) -> Authority:
    """Who made the decision in force, as a document states it."""
    override = in_force.override
    return Authority(
        source=in_force.source.value,
        decided_by=in_force.decided_by,
        decided_at=in_force.decided_at.date(),
        outcome=in_force.outcome if override is not None else None,
        citation=override.citation if override is not None else "",
        justification=override.justification if override is not None else "",
        release_date=in_force.release_date,
        new_end_date=in_force.new_end_date,
        number=document_number(in_force),
    )


def document_number(in_force: DecisionInForce) -> str:
    """The number of the document of a decision in force: the case, the decision and, for a
    reviewer's decision, the override ("12-345" or "12-345-R7"); the same decision gives the same
    number."""
    number = f"{in_force.decision.case_fk}-{in_force.decision.id}"
    return number + (f"-R{in_force.override.id}" if in_force.override is not None else "")


def register_records(db: Session, user: Actor) -> Iterator[CaseRecord]:
    """Every stored case's facts, read in batches of `BATCH` by id (memory stays flat); the read is
    audited once, with its count, when the iteration ends."""
    require(user, Action.WHAT_IF)
    limit = region_limit(user)
    last, count = 0, 0
    while True:
        query = (
            select(Case)
            .join(Person, Person.id == Case.person_fk)
            .where(Case.id > last)
            .options(selectinload(Case.person), selectinload(Case.charges), selectinload(Case.sentence))
            .order_by(Case.id)
            .limit(BATCH)
        )
        if limit is not None:
            query = query.where(Person.region == limit)
        batch = list(db.scalars(query))
        if not batch:
            break
        for case in batch:
            yield parse_record(case_record(case))
        count += len(batch)
        last = batch[-1].id
        db.expunge_all()
    record_event(db, user.username, "register.read", "case", "-", {"purpose": "impact", "cases": count})
    db.commit()
