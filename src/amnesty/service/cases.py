"""Use cases on persons and cases: search, a person's file, one case, add, edit and re-evaluate.

Reads of a person's data are audited (identifiers only, never names or IINs); searches record which
filters were used, not their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from amnesty.audit.chain import record_event
from amnesty.domain.records import CaseRecord
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.law.loader import Law
from amnesty.service.errors import DuplicateCaseError, InvalidInputError, NotFoundError, VersionConflictError
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.results import (
    CaseChange,
    CaseDetail,
    CaseSummary,
    DecisionDetail,
    DecisionHistory,
    Evaluation,
    Page,
    PersonFile,
    PersonSummary,
)
from amnesty.service.snapshot import kept
from amnesty.store import queries
from amnesty.store.bulk import persons_by_iin
from amnesty.store.cases import ImportRejectedError, ImportResult, evaluate_case, import_records, update_case
from amnesty.store.convert import case_key
from amnesty.store.models import Case, DecisionRow, Person
from amnesty.store.queries import MAX_PAGE_SIZE, CaseFilter

__all__ = [
    "MAX_PAGE_SIZE",
    "CaseFilter",
    "ImportRejectedError",
    "ImportResult",
    "add_case",
    "case_detail",
    "case_history",
    "decision_detail",
    "import_cases",
    "person_file",
    "reevaluate_case",
    "search_cases",
    "search_persons",
    "update_case_facts",
]


def _used_filters(filters: CaseFilter) -> list[str]:
    return sorted(k for k, v in vars(filters).items() if v is not None)


def search_persons(
    db: Session,
    user: Actor,
    filters: CaseFilter,
    sort: str = "person_id",
    page: int = 1,
    page_size: int = 50,
) -> Page[PersonSummary]:
    """Persons matching the filters (one of their cases matches), sorted and paginated in SQL; a
    social worker sees the persons of their region only."""
    require(user, Action.READ_PERSONS)  # the page is kept for the register's version (snapshot)
    limit = region_limit(user)
    found = kept(
        db,
        "search_persons",
        (filters, limit, sort, page, page_size),
        lambda: queries.search_persons(db, filters, limit, sort, page, page_size),
    )
    record_event(
        db,
        user.username,
        "person.search",
        "person",
        "-",
        {"filters": _used_filters(filters), "results": found.total},
    )
    db.commit()
    return found


def search_cases(
    db: Session,
    user: Actor,
    filters: CaseFilter,
    sort: str = "id",
    page: int = 1,
    page_size: int = 50,
    *,
    audit: bool = True,
) -> Page[CaseSummary]:
    """Cases with their person and newest decision, filtered, sorted and paginated in SQL. Anyone who
    may read persons may search their cases (a social worker: those of their region's persons)."""
    require(user, Action.READ_PERSONS)
    limit = region_limit(user)
    found = kept(
        db,
        "search_cases",
        (filters, limit, sort, page, page_size),
        lambda: queries.search_cases(db, filters, limit, sort, page, page_size),
    )
    if audit:
        record_event(
            db,
            user.username,
            "case.search",
            "case",
            "-",
            {"filters": _used_filters(filters), "results": found.total},
        )
        db.commit()
    return found


def _person(db: Session, user: Actor, person_id: str) -> Person:
    person = queries.get_person(db, person_id, region_limit(user))
    if person is None:
        raise NotFoundError("person", person_id)
    return person


def person_file(db: Session, user: Actor, person_id: str) -> PersonFile:
    """A person's file: facts and every case with its decisions, overrides and tasks (audited read)."""
    require(user, Action.READ_PERSONS)
    person = _person(db, user, person_id)
    record_event(db, user.username, "person.read", "person", person.person_id)
    found = queries.person_file(db, person)
    db.commit()
    return found


def _case(db: Session, user: Actor, case_id: int) -> Case:
    case = queries.get_case(db, case_id, region_limit(user))
    if case is None:
        raise NotFoundError("case", case_id)
    return case


def case_detail(db: Session, user: Actor, case_id: int) -> CaseDetail:
    """A case with its facts, version, decisions and tasks (audited read)."""
    require(user, Action.READ_CASES)
    case = _case(db, user, case_id)
    record_event(db, user.username, "case.read", "case", case.id, {"person_id": case.person.person_id})
    detail = queries.case_detail(case)
    db.commit()
    return detail


def case_history(db: Session, user: Actor, case_id: int) -> DecisionHistory:
    """Every decision of a case, oldest first, each with the difference from the one before."""
    require(user, Action.READ_CASES)
    case = _case(db, user, case_id)
    record_event(db, user.username, "case.history", "case", case.id, {"person_id": case.person.person_id})
    db.commit()
    return DecisionHistory(
        case_id=case.id,
        items=[queries.decision_detail(d) for d in case.decisions],
    )


def decision_row(db: Session, user: Actor, decision_id: int) -> DecisionRow:
    """A stored decision the user may see (else `NotFoundError`)."""
    decision = db.get(DecisionRow, decision_id)
    if decision is None or queries.get_case(db, decision.case_fk, region_limit(user)) is None:
        raise NotFoundError("decision", decision_id)
    return decision


def decision_detail(db: Session, user: Actor, decision_id: int) -> DecisionDetail:
    """One decision in full (audited read)."""
    require(user, Action.READ_CASES)
    decision = decision_row(db, user, decision_id)
    record_event(db, user.username, "decision.read", "decision", decision.id, {"case_id": decision.case_fk})
    db.commit()
    return queries.decision_detail(decision)


def add_case(db: Session, user: Actor, record: CaseRecord, law: Law) -> CaseSummary:
    """Store a new case (of a new person, or a new case number of a known person) and evaluate it.
    A case already in the register (same person and case number) is refused: edit it instead."""
    require(user, Action.WRITE_CASES)
    existing = db.scalar(
        select(Case.id)
        .join(Person, Person.id == Case.person_fk)
        .where(Person.person_id == record.person_id, Case.case_key == case_key(record))
    )
    if existing is not None:
        raise DuplicateCaseError(
            "this person already has a case with that number in the register", "person_id"
        )
    result = import_records(db, [ParsedRecord(0, None, record)], user.username, law=law)
    db.commit()
    case = db.get(Case, result.case_ids[0])
    assert case is not None
    return queries.case_summary(case)


def import_cases(db: Session, user: Actor, items: list[ParsedRecord | RecordError], law: Law) -> ImportResult:
    """Store and evaluate every record under `law` in one transaction, or none: a bad row refuses the
    whole batch (`ImportRejectedError`, with every row's errors). Anything refused rolls back; the
    caller turns the error into its answer."""
    require(user, Action.WRITE_CASES)
    try:
        result = import_records(db, items, user.username, law=law)
        db.commit()
    except Exception:
        db.rollback()
        raise
    return result


def update_case_facts(
    db: Session,
    user: Actor,
    case_id: int,
    expected_version: int,
    record: CaseRecord,
    law: Law,
    *,
    answer: dict[str, Any] | None = None,
) -> CaseChange:
    """Replace a case's facts and re-evaluate it, if the user saw the current version: else
    `VersionConflictError` (409) and nothing changes. `answer`: the change answers a question; its
    details (field, source document) are audited as `case.answer` in the same transaction, and the
    user needs only the right to answer questions (a reviewer settles a fact from a document)."""
    require(user, Action.WRITE_CASES if answer is None else Action.ANSWER_QUESTIONS)
    case = _case(db, user, case_id)
    try:
        case, decision, created = update_case(db, case, expected_version, record, user.username, law)
        if answer is not None:
            details = answer | {"decision_id": decision.id, "outcome": decision.outcome}
            record_event(db, user.username, "case.answer", "case", case.id, details)
        db.commit()
    except VersionConflictError:
        db.rollback()
        raise
    except (StaleDataError, IntegrityError):
        db.rollback()
        raise VersionConflictError("case", case_id, expected_version, expected_version + 1) from None
    except ValueError as error:
        db.rollback()
        field, _, problem = str(error).partition(": ")
        raise InvalidInputError(str(error), f"record.{field}" if problem else "record") from None
    except OverflowError:
        db.rollback()
        raise InvalidInputError(
            "the record cannot be evaluated: dates or terms out of range", "record", "cannot_evaluate"
        ) from None
    return CaseChange(
        case=queries.case_summary(case),
        decision=queries.decision_detail(decision),
        decision_created=created,
    )


def reevaluate_case(
    db: Session, user: Actor, case_id: int, law: Law, as_of: dt.date | None = None, strict: bool = False
) -> Evaluation:
    """Re-evaluate a case under the current law pack; a new decision only if something changed."""
    require(user, Action.WRITE_CASES)
    case = _case(db, user, case_id)
    try:
        decision, created = evaluate_case(db, case, user.username, law, as_of, strict)
    except (OverflowError, ValueError):
        db.rollback()
        raise InvalidInputError(
            "the case cannot be evaluated on that date", "as_of", "cannot_evaluate"
        ) from None
    db.commit()
    return Evaluation(decision=queries.decision_detail(decision), decision_created=created)


# ---------------------------------------------------------------- who a new case belongs to

ISSUED_PREFIX = "P-"
"""Person numbers the system issues: `P-` and eight digits, after the highest such number in use."""


@dataclass(frozen=True)
class PersonMatch:
    """A person already in the register whom a new case may belong to."""

    person_id: str
    full_name: str | None
    birth_date: dt.date | None
    region: str | None


@dataclass(frozen=True)
class PersonResolution:
    """Whose file a new case goes to: the number to store it under, whether the IIN matched a person
    in the register (then that person's number), whether the system issued the number, and persons
    with the same name and birth date (possibly the same person) when the IIN matched nobody."""

    person_id: str
    matched_by_iin: PersonMatch | None = None
    issued: bool = False
    possible: tuple[PersonMatch, ...] = ()
    existing: PersonMatch | None = None

    def apply(self, record: CaseRecord) -> CaseRecord:
        """The record under the resolved number; a person already in the register keeps the name and
        birth date registered (a new case does not silently rename them)."""
        known = self.existing
        changes: dict[str, Any] = {"person_id": self.person_id}
        if known is not None:
            changes["full_name"] = known.full_name or record.full_name
            changes["birth_date"] = known.birth_date or record.birth_date
        return record.model_copy(update=changes)


def _match(person: Person) -> PersonMatch:
    return PersonMatch(person.person_id, person.full_name, person.birth_date, person.region)


def issue_person_id(db: Session) -> str:
    """The next free person number of the system's series (`P-00000123`)."""
    numbers = db.scalars(select(Person.person_id).where(Person.person_id.like(f"{ISSUED_PREFIX}%")))
    highest = max((int(text[2:]) for text in numbers if text[2:].isdigit()), default=0)
    candidate = highest + 1
    while db.scalar(select(Person.id).where(Person.person_id == f"{ISSUED_PREFIX}{candidate:08d}")):
        candidate += 1
    return f"{ISSUED_PREFIX}{candidate:08d}"


def resolve_person(db: Session, user: Actor, record: CaseRecord, *, given: bool) -> PersonResolution:
    """Whose file the new case `record` goes to. An IIN that belongs to a person in the register wins
    over the number typed (no second person is made); else the number given, or, when none was given
    (`given` False), one the system issues; persons with the same name (case-insensitive) and birth
    date are listed as possibly the same person."""
    require(user, Action.WRITE_CASES)
    limit = region_limit(user)
    scope = [Person.region == limit] if limit is not None else []
    if record.iin:
        owner = persons_by_iin(db, [record.iin], limit).get(record.iin)
        if owner is not None:
            return PersonResolution(owner.person_id, matched_by_iin=_match(owner), existing=_match(owner))
    person_id = record.person_id if given else issue_person_id(db)
    known = db.scalar(select(Person).where(Person.person_id == person_id)) if given else None
    possible: tuple[PersonMatch, ...] = ()
    birth = record.effective_birth_date
    if record.full_name and birth is not None:
        # the birth date selects in SQL; names are compared here (SQLite's lower() knows ASCII only)
        wanted = " ".join(record.full_name.split()).casefold()
        born = db.scalars(
            select(Person)
            .where(Person.birth_date == birth, Person.person_id != person_id, *scope)
            .order_by(Person.person_id)
            .limit(500)
        )
        possible = tuple(
            _match(person)
            for person in born
            if person.full_name and " ".join(person.full_name.split()).casefold() == wanted
        )[:5]
    return PersonResolution(
        person_id, issued=not given, possible=possible, existing=_match(known) if known is not None else None
    )
