"""Writing cases and their decisions: import (all or nothing), edits with optimistic locking,
evaluation into immutable decisions, resocialisation tasks.

Every function works in the caller's session and transaction and appends audit events; the caller
commits (or rolls back: then nothing of it, audit events included, is stored).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.domain.deadlines import task_due_day
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Flag, Outcome
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import ENGINE_VERSION, evaluate
from amnesty.io.json_records import ParsedRecord, RecordError, duplicate_person_errors
from amnesty.law.loader import Law, default_law
from amnesty.law.registry import UnknownLawError, get_law
from amnesty.resocialisation.tasks import release_day
from amnesty.store.bulk import existing_person_ids, insert_new_persons, persons_by_iin
from amnesty.store.convert import (
    apply_case_fields,
    apply_person_fields,
    case_key,
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
    matched_by_iin: int = 0
    """Rows whose IIN belongs to a person already in the register: their case went to that person's
    file, whatever person number the row gave (`amnesty.store.bulk.persons_by_iin`)."""
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
            "matched_by_iin": self.matched_by_iin,
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
    decided: tuple[CaseRecord, Decision] | None = None,
) -> tuple[DecisionRow, bool]:
    """Evaluate the case and store the decision if anything differs from the newest one
    (facts, law version, engine version, as-of, strictness or result), or if `force`.
    Returns the newest decision and whether it was created now (`new_case`: the case was just
    created, so there is no previous decision to look up). `decided`: the case's record and the
    engine's decision on it, already made (by the chunked runner of a re-evaluation) under the same
    law, as-of date and strictness."""
    if decided is None:
        record = case_to_record(case)
        decision = evaluate(record, law or default_law(), as_of=as_of, strict=strict)
    else:
        record, decision = decided
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
    row = DecisionRow(case_fk=case.id, **decision_values(decision, data, facts, previous, actor))
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


def decision_values(
    decision: Decision, data: dict[str, Any], facts: dict[str, Any], previous: DecisionRow | None, actor: str
) -> dict[str, Any]:
    """Column values of the decision row that stores `decision` (JSON `data`, made on `facts`) after
    `previous` (None for a case's first decision); without the case key."""
    return {
        "sequence": (previous.sequence + 1) if previous else 1,
        "previous_fk": previous.id if previous else None,
        "law": decision.law,
        "law_version": decision.law_version,
        "engine_version": decision.engine_version,
        "as_of": decision.as_of,
        "strict": decision.strict,
        "outcome": decision.outcome.value,
        "acting_body": decision.acting_body.value,
        "needs_review": decision.outcome is Outcome.NEEDS_REVIEW,
        "provisional": Flag.PROVISIONAL_BASIS in decision.flags,
        "release_mode": decision.sentence.release.value
        if decision.sentence and decision.sentence.release
        else None,
        "new_end_date": decision.sentence.new_end_date if decision.sentence else None,
        "decision": data,
        "input_record": facts,
        "diff": decision_diff(
            previous.decision if previous else None, previous.input_record if previous else None, data, facts
        ),
        "created_by": actor,
    }


def task_values(decision: Decision, kinds_present: set[str]) -> list[dict[str, Any]]:
    """Column values of the resocialisation tasks a decision calls for, except kinds the case already
    has; without the person, case and decision keys."""
    released = release_day(decision)
    return [
        {
            "kind": duty.kind.value,
            "region": duty.region,
            "akimat": duty.akimat,
            "status": duty.status.value,
            "due_date": task_due_day(duty.kind, released or duty.opened_on, law_deadline(decision.law)),
            "notes": "",
        }
        for duty in decision.resocialisation
        if duty.kind.value not in kinds_present
    ]


def law_deadline(law_id: str) -> dt.date | None:
    """The implementation deadline of the law a decision applied, from its law pack (None when no
    registered law has that id any more)."""
    pack = default_law().pack
    if pack.id == law_id:  # the common case, without a look at the registry's folders
        return pack.dates.implementation_deadline.value
    try:
        return get_law(law_id).pack.dates.implementation_deadline.value
    except UnknownLawError:
        return None


def _create_tasks(db: Session, case: Case, row: DecisionRow, decision: Decision, actor: str) -> int:
    """One task per resocialisation duty of the decision, unless the case already has that task."""
    if not decision.resocialisation:
        return 0
    existing = set(db.scalars(select(TaskRow.kind).where(TaskRow.case_fk == case.id)))
    created = 0
    for values in task_values(decision, existing):
        task = TaskRow(person_fk=case.person_fk, case_fk=case.id, decision_fk=row.id, **values)
        db.add(task)
        db.flush()
        record_event(db, actor, "task.create", "task", task.id, {"case_id": case.id, "kind": task.kind})
        created += 1
    return created


ChunkCallback = Callable[[Session, ImportResult], None]
"""Called after each chunk is written (in its transaction) with the counts so far; may commit."""

IMPORT_CHUNK = 1000


def check_import(items: list[ParsedRecord | RecordError]) -> list[ParsedRecord | RecordError]:
    """Every item as it would be imported: storable records, or the row's errors (including a
    person_id that occurs twice in the input and values a database column cannot hold)."""
    return [_storable(item) for item in duplicate_person_errors(items)]


def import_records(
    db: Session,
    items: list[ParsedRecord | RecordError],
    actor: str,
    law: Law | None = None,
    as_of: dt.date | None = None,
    *,
    chunk_size: int = IMPORT_CHUNK,
    on_chunk: ChunkCallback | None = None,
) -> ImportResult:
    """Store and evaluate every record, or nothing: raises `ImportRejectedError` with every row's
    errors when any row is invalid (person_id must be unique within the input).

    Records are written in chunks: persons new to the register with one multi-row insert per table
    (`amnesty.store.bulk`), persons already there through `upsert_case` and `evaluate_case`; one audit
    event per chunk names its persons and counts. The caller commits; `on_chunk` is called after each
    chunk (a job commits there, so that its progress shows and each chunk is one transaction)."""
    checked = check_import(items)
    errors = [item for item in checked if isinstance(item, RecordError)]
    if errors or not checked:
        raise ImportRejectedError(errors)
    records = [item.record for item in checked if isinstance(item, ParsedRecord)]
    active_law = law or default_law()
    result = ImportResult(records=len(records))
    for start in range(0, len(records), chunk_size):
        chunk = records[start : start + chunk_size]
        _import_chunk(db, chunk, actor, active_law, as_of, result)
        if on_chunk is not None:
            on_chunk(db, result)
    record_event(
        db,
        actor,
        "import",
        "batch",
        "-",
        {"records": result.records, "created": result.created, "updated": result.updated},
    )
    return result


def match_by_iin(db: Session, records: list[CaseRecord]) -> tuple[list[CaseRecord], int]:
    """The records with the person number of the person in the register who holds their IIN (as the
    new-case form does: an IIN that belongs to a person wins over the number given, no second person
    is made), and how many rows matched a person so."""
    owners = persons_by_iin(db, [record.iin for record in records if record.iin])
    matched: list[CaseRecord] = []
    count = 0
    for record in records:
        owner = owners.get(record.iin) if record.iin else None
        if owner is None:
            matched.append(record)
            continue
        count += 1
        same = owner.person_id == record.person_id
        matched.append(record if same else record.model_copy(update={"person_id": owner.person_id}))
    return matched, count


def _import_chunk(
    db: Session, chunk: list[CaseRecord], actor: str, law: Law, as_of: dt.date | None, result: ImportResult
) -> None:
    chunk, matched = match_by_iin(db, chunk)
    result.matched_by_iin += matched
    known = existing_person_ids(db, [record.person_id for record in chunk])
    fresh = [record for record in chunk if record.person_id not in known]
    fresh_ids, fresh_tasks = insert_new_persons(db, fresh, actor, law, as_of)
    new_case_of = dict(zip((record.person_id for record in fresh), fresh_ids, strict=True))
    counts = {"created": len(fresh), "updated": 0, "unchanged": 0, "decisions": len(fresh)}
    tasks_before = db.scalar(select(func.count(TaskRow.id))) or 0 if known else 0
    for record in chunk:
        if record.person_id in new_case_of:
            result.case_ids.append(new_case_of[record.person_id])
            continue
        case, status = upsert_case(db, record, actor)
        counts[status] += 1
        _row, created = evaluate_case(db, case, actor, law=law, as_of=as_of, new_case=status == "created")
        counts["decisions"] += int(created)
        result.case_ids.append(case.id)
    known_tasks = (db.scalar(select(func.count(TaskRow.id))) or 0) - tasks_before if known else 0
    db.flush()
    result.created += counts["created"]
    result.updated += counts["updated"]
    result.unchanged += counts["unchanged"]
    result.decisions += counts["decisions"]
    result.tasks += fresh_tasks + known_tasks
    record_event(
        db,
        actor,
        "import.chunk",
        "batch",
        "-",
        {
            **counts,
            "records": len(chunk),
            "matched_by_iin": matched,
            "tasks": fresh_tasks + known_tasks,
            "new_person_ids": [record.person_id for record in fresh],
        },
    )


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


@dataclass
class ReevaluationResult:
    """What a re-evaluation of every case did."""

    cases: int = 0
    new_decisions: int = 0
    changed_outcomes: int = 0


ReevaluationCallback = Callable[[Session, "ReevaluationResult"], None]
"""Called after each batch of re-evaluated cases, before its commit (a job records progress there)."""


DecideBatches = Callable[[Iterator[list[CaseRecord]]], Iterator[list[Decision]]]
"""Decides batches of records, yielding each batch's decisions in order (the chunked runner:
`amnesty.batch.run.decide_batches`)."""


def reevaluate_all(
    db: Session,
    actor: str,
    law: Law | None = None,
    as_of: dt.date | None = None,
    batch_size: int = 500,
    on_batch: ReevaluationCallback | None = None,
    decide: DecideBatches | None = None,
) -> ReevaluationResult:
    """Re-evaluate every case (after a law pack or engine update); a new decision, with its diff, is
    stored only where something changed. Commits after each batch of cases.

    The records are decided by `decide` (default: in this process, under `law`); the chunked runner
    decides later batches in worker processes while this one stores the decisions of the first, and
    must apply the same law, as-of date and strictness."""
    active_law = law or default_law()
    result = ReevaluationResult()
    batches: deque[tuple[list[int], list[CaseRecord]]] = deque()

    def records() -> Iterator[list[CaseRecord]]:
        last_id = 0
        while True:
            found = list(
                db.scalars(select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch_size))
            )
            if not found:
                return
            chunk = [case_to_record(case) for case in found]
            batches.append(([case.id for case in found], chunk))
            last_id = found[-1].id
            yield chunk

    def in_process(chunks: Iterator[list[CaseRecord]]) -> Iterator[list[Decision]]:
        for chunk in chunks:
            yield [evaluate(record, active_law, as_of=as_of) for record in chunk]

    for decisions in (decide or in_process)(records()):
        case_ids, decided_records = batches.popleft()
        cases = {case.id: case for case in db.scalars(select(Case).where(Case.id.in_(case_ids)))}
        for case_id, decided_record, decision in zip(case_ids, decided_records, decisions, strict=True):
            case = cases.get(case_id)
            if case is None:
                continue  # deleted meanwhile
            record = case_to_record(case)
            before = latest_decision(db, case)
            row, created = evaluate_case(
                db,
                case,
                actor,
                law=active_law,
                as_of=as_of,
                # a case edited since it was read is decided again, on its facts of now
                decided=(record, decision) if record == decided_record else None,
            )
            result.cases += 1
            result.new_decisions += int(created)
            result.changed_outcomes += int(created and before is not None and before.outcome != row.outcome)
        if on_batch is not None:
            on_batch(db, result)
        db.commit()
        db.expunge_all()
    return result


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
