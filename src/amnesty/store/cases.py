"""Writing cases and their decisions: import (all or nothing), edits with optimistic locking,
evaluation into immutable decisions, resocialisation tasks.

Every function works in the caller's session and transaction and appends audit events; the caller
commits (or rolls back: then nothing of it, audit events included, is stored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Flag, Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import ENGINE_VERSION, evaluate
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors
from amnesty.law.loader import Law, default_law
from amnesty.store.convert import (
    apply_case_fields,
    apply_person_fields,
    case_key,
    case_record_data,
    case_to_record,
    record_json,
    storable_problems,
)
from amnesty.store.diff import decision_diff
from amnesty.store.models import Case, DecisionRow, Person, TaskRow


class ImportRejectedError(Exception):
    """Some rows of an import are invalid: nothing was stored; `errors` lists every row's problems."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__(f"{len(errors)} invalid record(s); nothing was imported")
        self.errors = errors


class VersionConflictError(Exception):
    """Someone else changed the object since the client read it (optimistic locking)."""

    def __init__(self, kind: str, object_id: int, expected: int, current: int) -> None:
        super().__init__(
            f"{kind} {object_id} was changed by someone else: you edited version {expected}, "
            f"it is now at version {current}; reload it and apply your change again"
        )
        self.kind = kind
        self.object_id = object_id
        self.expected = expected
        self.current = current


@dataclass
class ImportResult:
    """What an import did."""

    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    decisions: int = 0
    tasks: int = 0
    case_ids: list[int] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape of the API answer."""
        return {
            "records": self.records,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "decisions": self.decisions,
            "tasks": self.tasks,
            "case_ids": self.case_ids,
        }


def latest_decision(db: Session, case: Case) -> DecisionRow | None:
    """The newest decision of the case."""
    return db.scalar(
        select(DecisionRow)
        .where(DecisionRow.case_fk == case.id)
        .order_by(DecisionRow.sequence.desc())
        .limit(1)
    )


def _same_facts(case: Case, record: CaseRecord) -> bool:
    return case_to_record(case) == record


def upsert_case(db: Session, record: CaseRecord, actor: str) -> tuple[Case, str]:
    """Create the person and case of a record, or update them; returns the case and
    `created`, `updated` or `unchanged`."""
    person = db.scalar(select(Person).where(Person.person_id == record.person_id))
    if person is None:
        person = Person(person_id=record.person_id)
        apply_person_fields(person, record)
        db.add(person)
        record_event(db, actor, "person.create", "person", person.person_id)
    key = case_key(record)
    case = (
        None
        if person.id is None
        else db.scalar(select(Case).where(Case.person_fk == person.id, Case.case_key == key))
    )
    if case is None:
        case = Case(person=person)
        apply_person_fields(person, record)
        apply_case_fields(case, record)
        db.add(case)
        db.flush()
        record_event(db, actor, "case.create", "case", case.id, {"person_id": person.person_id})
        return case, "created"
    if _same_facts(case, record):
        return case, "unchanged"
    _update_facts(db, person, case, record, actor)
    return case, "updated"


def evaluate_case(
    db: Session,
    case: Case,
    actor: str,
    law: Law | None = None,
    as_of: dt.date | None = None,
    strict: bool = False,
    force: bool = False,
    new_case: bool = False,
) -> tuple[DecisionRow, bool]:
    """Evaluate the case and store the decision if anything differs from the newest one
    (facts, law version, engine version, as-of, strictness or result), or if `force`.
    Returns the newest decision and whether it was created now (`new_case`: the case was just
    created, so there is no previous decision to look up)."""
    active_law = law or default_law()
    record = case_to_record(case)
    decision = evaluate(record, active_law, as_of=as_of, strict=strict)
    data = decision.to_json_dict()
    facts = record_json(record)
    previous = None if new_case else latest_decision(db, case)
    if (
        previous is not None
        and not force
        and previous.decision == data
        and previous.input_record == facts
        and previous.engine_version == ENGINE_VERSION
    ):
        return previous, False
    row = DecisionRow(
        case_fk=case.id,
        sequence=(previous.sequence + 1) if previous else 1,
        previous_fk=previous.id if previous else None,
        law=decision.law,
        law_version=decision.law_version,
        engine_version=decision.engine_version,
        as_of=decision.as_of,
        strict=decision.strict,
        outcome=decision.outcome.value,
        acting_body=decision.acting_body.value,
        needs_review=decision.outcome is Outcome.NEEDS_REVIEW,
        provisional=Flag.PROVISIONAL_BASIS in decision.flags,
        release_mode=decision.sentence.release.value
        if decision.sentence and decision.sentence.release
        else None,
        new_end_date=decision.sentence.new_end_date if decision.sentence else None,
        decision=data,
        input_record=facts,
        diff=decision_diff(
            previous.decision if previous else None, previous.input_record if previous else None, data, facts
        ),
        created_by=actor,
    )
    db.add(row)
    db.flush()
    record_event(
        db,
        actor,
        "decision.create",
        "decision",
        row.id,
        {
            "case_id": case.id,
            "sequence": row.sequence,
            "outcome": row.outcome,
            "law_version": row.law_version,
        },
    )
    _create_tasks(db, case, row, decision, actor)
    return row, True


def _create_tasks(db: Session, case: Case, row: DecisionRow, decision: Decision, actor: str) -> int:
    """One task per resocialisation duty of the decision, unless the case already has that task."""
    if not decision.resocialisation:
        return 0
    existing = set(db.scalars(select(TaskRow.kind).where(TaskRow.case_fk == case.id)))
    created = 0
    for duty in decision.resocialisation:
        if duty.kind.value in existing:
            continue
        task = TaskRow(
            person_fk=case.person_fk,
            case_fk=case.id,
            decision_fk=row.id,
            kind=duty.kind.value,
            region=duty.region,
            akimat=duty.akimat,
            status=duty.status.value,
            notes="",
        )
        db.add(task)
        db.flush()
        record_event(db, actor, "task.create", "task", task.id, {"case_id": case.id, "kind": task.kind})
        created += 1
    return created


def import_records(
    db: Session,
    items: list[ParsedRecord | RecordError],
    actor: str,
    law: Law | None = None,
    as_of: dt.date | None = None,
) -> ImportResult:
    """Store and evaluate every record, or nothing: raises `ImportRejectedError` with every row's
    errors when any row is invalid (person_id must be unique within the input). The caller commits."""
    checked = [_storable(item) for item in duplicate_person_errors(items)]
    errors = [item for item in checked if isinstance(item, RecordError)]
    if errors or not checked:
        raise ImportRejectedError(errors)
    result = ImportResult(records=len(checked))
    tasks_before = db.scalar(select(func.count(TaskRow.id))) or 0
    for item in checked:
        assert isinstance(item, ParsedRecord)
        case, status = upsert_case(db, item.record, actor)
        setattr(result, status, getattr(result, status) + 1)
        _row, created = evaluate_case(db, case, actor, law=law, as_of=as_of, new_case=status == "created")
        result.decisions += int(created)
        result.case_ids.append(case.id)
    result.tasks = (db.scalar(select(func.count(TaskRow.id))) or 0) - tasks_before
    record_event(
        db,
        actor,
        "import",
        "batch",
        "-",
        {"records": result.records, "created": result.created, "updated": result.updated},
    )
    return result


def _storable(item: ParsedRecord | RecordError) -> ParsedRecord | RecordError:
    if isinstance(item, RecordError):
        return item
    problems = storable_problems(item.record)
    if not problems:
        return item
    return RecordError(item.index, item.line, item.record.person_id, tuple(problems))


def update_case(
    db: Session,
    case: Case,
    expected_version: int,
    record: CaseRecord,
    actor: str,
    law: Law | None = None,
) -> tuple[Case, DecisionRow, bool]:
    """Replace a case's facts if the client saw the current version (else `VersionConflictError`),
    then re-evaluate it. The person_id and case number of the record must be the case's own."""
    if case.version != expected_version:
        raise VersionConflictError("case", case.id, expected_version, case.version)
    problems = storable_problems(record)
    if problems:
        raise ValueError(f"{problems[0].field}: {problems[0].problem}")
    if record.person_id != case.person.person_id:
        raise ValueError("person_id: a case cannot be moved to another person")
    if case_key(record) != case.case_key and _key_taken(db, case, case_key(record)):
        raise ValueError("case_number: this person already has another case with that number")
    if not _same_facts(case, record):
        _update_facts(db, case.person, case, record, actor)
    row, created = evaluate_case(db, case, actor, law=law)
    return case, row, created


def _key_taken(db: Session, case: Case, key: str) -> bool:
    other = db.scalar(
        select(Case.id).where(Case.person_fk == case.person_fk, Case.case_key == key, Case.id != case.id)
    )
    return other is not None


def case_record(case: Case) -> dict[str, Any]:
    """The stored facts of a case as record JSON."""
    return record_json(case_to_record(case)) if case.charges else case_record_data(case)


@dataclass
class ReevaluationResult:
    """What a re-evaluation of every case did."""

    cases: int = 0
    new_decisions: int = 0
    changed_outcomes: int = 0


def reevaluate_all(
    db: Session,
    actor: str,
    law: Law | None = None,
    as_of: dt.date | None = None,
    batch_size: int = 500,
) -> ReevaluationResult:
    """Re-evaluate every case (after a law pack or engine update); a new decision, with its diff, is
    stored only where something changed. Commits after each batch of cases."""
    result = ReevaluationResult()
    last_id = 0
    while True:
        cases = list(db.scalars(select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch_size)))
        if not cases:
            return result
        for case in cases:
            before = latest_decision(db, case)
            row, created = evaluate_case(db, case, actor, law=law, as_of=as_of)
            result.cases += 1
            result.new_decisions += int(created)
            result.changed_outcomes += int(created and before is not None and before.outcome != row.outcome)
            last_id = case.id
        db.commit()


def _update_facts(db: Session, person: Person, case: Case, record: CaseRecord, actor: str) -> None:
    """Write a record's new facts onto the person and the case (raising the case's version) and audit it."""
    before = case.version
    apply_person_fields(person, record)
    apply_case_fields(case, record)
    db.flush()
    record_event(
        db,
        actor,
        "case.update",
        "case",
        case.id,
        {"person_id": person.person_id, "version": [before, case.version]},
    )
