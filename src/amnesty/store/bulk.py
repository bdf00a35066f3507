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

from sqlalchemy import String, Table, and_, insert, literal_column, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause

from amnesty.domain.iin import birth_date_from_iin
from amnesty.domain.records import CaseRecord
from amnesty.engine.evaluate import evaluate
from amnesty.law.loader import Law
from amnesty.store.convert import (
    CHARGE_FACTS,
    PERSON_FACTS,
    SENTENCE_FACTS,
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


NAME_KEY_SQL = "replace(replace(replace(lower(trim(full_name)), 'ё', 'е'), '  ', ' '), '  ', ' ')"
"""A stored full name as compared: lower case, ё read as е, runs of spaces as one (runs of up to four;
`name_key` folds any whitespace). Written out with its constants inline, so that PostgreSQL uses the
expression index of migration 0011 (`ix_persons_name_key_birth`)."""


def name_key(full_name: str) -> str:
    """A full name as two names of one person are compared: case, ё/е and extra spaces left aside."""
    return " ".join(full_name.split()).casefold().replace("ё", "е")


def persons_by_name_and_birth(
    db: Session, people: list[tuple[str, dt.date]], region: str | None = None
) -> dict[tuple[str, dt.date], list[Person]]:
    """The persons of the register with these full names and birth dates (in `region` only, when
    given), by `(name_key(name), birth date)` (a person's birth date as recorded, else as their IIN
    encodes it), each list in person-number order: the persons a new
    case is "possibly the same person" as when no IIN matched, for the new-case form and for every
    import (one query per batch of 900 people)."""
    wanted = sorted({(name_key(name), born) for name, born in people if name and name.strip()})
    scope = [Person.region == region] if region is not None else []
    key: ColumnClause[str] = literal_column(NAME_KEY_SQL, String())
    found: dict[tuple[str, dt.date], list[Person]] = {}
    step = 900
    for start in range(0, len(wanted), step):
        part = wanted[start : start + step]
        names = sorted({name for name, _born in part})
        births = sorted({born for _name, born in part})
        # a person recorded with an IIN and no birth date was born on the day the IIN encodes
        born = or_(Person.birth_date.in_(births), and_(Person.birth_date.is_(None), Person.iin.is_not(None)))
        rows = db.scalars(select(Person).where(key.in_(names), born, *scope).order_by(Person.person_id))
        asked = set(part)
        for person in rows:
            birth = person.birth_date or (birth_date_from_iin(person.iin) if person.iin else None)
            if person.full_name is None or birth is None:
                continue
            pair = (name_key(person.full_name), birth)
            if pair in asked:
                found.setdefault(pair, []).append(person)
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
    person_fks = _insert_returning_ids(db, Person, _unrecorded_left_out(person_rows, PERSON_FACTS))
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
        db.execute(insert(_table(ChargeRow)), _unrecorded_left_out(charges, CHARGE_FACTS))
    if sentences:
        db.execute(insert(_table(SentenceRow)), _unrecorded_left_out(sentences, SENTENCE_FACTS))
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


def _unrecorded_left_out(rows: list[dict[str, Any]], facts: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows without the fact columns no row records (null in every row): the INSERT names only the
    columns it fills, so a registry without the facts some laws read is written as before they
    existed (the database's null is the same)."""
    empty = [name for name in facts if all(row.get(name) is None for row in rows)]
    if not empty:
        return rows
    return [{key: value for key, value in row.items() if key not in empty} for row in rows]


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
