"""Use cases over stored decisions and the whole register: decision documents of a case, and the
records of the register for an impact run (read in batches by key, one audit event with the count)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amnesty.audit.chain import record_event
from amnesty.documents.render import DocumentFormat, DocumentRenderer, RenderedDocument
from amnesty.domain.decision import Decision
from amnesty.domain.records import CaseRecord, parse_record
from amnesty.law.loader import Law
from amnesty.service.errors import NotFoundError
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.store import queries
from amnesty.store.cases import case_record
from amnesty.store.models import Case, Person

_RENDERER = DocumentRenderer()
BATCH = 500


def case_document(
    db: Session, user: Actor, case_id: int, law: Law, language: str, fmt: DocumentFormat
) -> RenderedDocument:
    """The draft document of a case's newest decision (audited read of the person's data)."""
    require(user, Action.DOCUMENTS)
    case = queries.get_case(db, case_id, region_limit(user))
    if case is None or not case.decisions:
        raise NotFoundError("case", case_id)
    decision = Decision.model_validate(case.decisions[-1].decision)
    record = parse_record(case_record(case))
    record_event(
        db,
        user.username,
        "document.read",
        "case",
        case.id,
        {"person_id": case.person.person_id, "language": language, "format": fmt.value},
    )
    db.commit()
    return _RENDERER.render(decision, record, law, language, fmt)


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
