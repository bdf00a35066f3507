"""Storing a chunk of new persons at once: one multi-row INSERT per table, evaluation of each record
by the engine, and one audit event for the chunk.

The column values come from the same functions the one-case path uses (`amnesty.store.convert`
`*_values`, `amnesty.store.cases.decision_values` and `task_values`), so a person stored here is
stored exactly as `upsert_case` + `evaluate_case` would store it (a property test holds them equal).
Records of persons already in the register take the one-case path (they are updates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law
from amnesty.store.convert import (
    case_values,
    charge_values,
    person_values,
    record_json,
    sentence_values,
)
from amnesty.store.models import Case, ChargeRow, DecisionRow, Person, SentenceRow, TaskRow, utcnow


@dataclass
class ChunkCounts:
    """What storing one chunk did; `case_ids` in the order of the chunk's records."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    decisions: int = 0
    tasks: int = 0
    case_ids: list[int] = field(default_factory=list)


def existing_person_ids(db: Session, person_ids: list[str]) -> set[str]:
    """Which of the person_ids the register already holds."""
    found: set[str] = set()
    step = 900
    for start in range(0, len(person_ids), step):
        part = person_ids[start : start + step]
        found.update(db.scalars(select(Person.person_id).where(Person.person_id.in_(part))))
    return found


def persons_by_iin(db: Session, iins: list[str], region: str | None = None) -> dict[str, Person]:
    """The persons of the register who hold these IINs (in `region` only, when given): the one match
    of a person by IIN, used by the new-case form and by every import. An IIN held by several
    persons matches the one with the lowest person number."""
    wanted = sorted({iin for iin in iins if iin})
    scope = [Person.region == region] if region is not None else []
    found: dict[str, Person] = {}
    step = 900
    for start in range(0, len(wanted), step):
        part = wanted[start : start + step]
        rows = db.scalars(select(Person).where(Person.iin.in_(part), *scope).order_by(Person.person_id))
        for person in rows:
            if person.iin is not None:
                found.setdefault(person.iin, person)
    return found


def insert_new_persons(
    db: Session, records: list[CaseRecord], actor: str, law: Law, as_of: dt.date | None
) -> tuple[list[int], int]:
    """Store persons that are not in the register yet (one case each), evaluate each and store its
    decision and tasks. Returns the new case ids (in the records' order) and the number of tasks."""
    if not records:
        return [], 0
    from amnesty.store.cases import decision_values, task_values

    now = utcnow()
    person_rows = [
        {"person_id": record.person_id, **person_values(record), "created_at": now, "updated_at": now}
        for record in records
    ]
    person_fks = _insert_returning_ids(db, Person, person_rows)
    case_rows = [
        {"person_fk": fk, **case_values(record), "version": 1, "created_at": now, "updated_at": now}
        for fk, record in zip(person_fks, records, strict=True)
    ]
    case_ids = _insert_returning_ids(db, Case, case_rows)
    charges: list[dict[str, Any]] = []
    sentences: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []
    duties: list[list[dict[str, Any]]] = []
    for case_id, record in zip(case_ids, records, strict=True):
        charges.extend({"case_fk": case_id, **values} for values in charge_values(record))
        sentence = sentence_values(record)
        if sentence is not None:
            sentences.append({"case_fk": case_id, **sentence})
        decision = evaluate(record, law, as_of=as_of)
        values = decision_values(decision, decision.to_json_dict(), record_json(record), None, actor)
        decisions.append({"case_fk": case_id, **values, "created_at": now})
        duties.append(task_values(decision, set()))
    if charges:
        db.execute(insert(_table(ChargeRow)), charges)
    if sentences:
        db.execute(insert(_table(SentenceRow)), sentences)
    decision_ids = _insert_returning_ids(db, DecisionRow, decisions)
    tasks = [
        {
            "person_fk": person_fk,
            "case_fk": case_id,
            "decision_fk": decision_id,
            **values,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for person_fk, case_id, decision_id, values_list in zip(
            person_fks, case_ids, decision_ids, duties, strict=True
        )
        for values in values_list
    ]
    if tasks:
        db.execute(insert(_table(TaskRow)), tasks)
    return case_ids, len(tasks)


NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")


def _insert_returning_ids(db: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows and return their ids in the rows' order: on PostgreSQL the ids are drawn from
    the table's sequence first and the rows sent with `executemany` (psycopg's pipeline; a multi-row
    INSERT ... RETURNING is parsed again for every batch there), elsewhere one multi-row
    INSERT ... RETURNING per batch."""
    table = _table(model)
    if db.get_bind().dialect.name == "postgresql":
        ids = [int(value) for value in db.scalars(NEXT_IDS, {"table": table.name, "count": len(rows)})]
        db.execute(insert(table), [row | {"id": new_id} for row, new_id in zip(rows, ids, strict=True)])
        return ids
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(row[0]) for row in db.execute(statement, rows)]


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table
