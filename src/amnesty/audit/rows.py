"""Canonical rows: the content of every record of consequence, hashed so that audit events commit to it.

A *unit* is one record of consequence, named `kind:id`: a person, a case (its row with its charges and
its sentence, which are written together), a decision, an override, a task, a user. Its canonical form
is the stable JSON of its columns (sorted keys; dates ISO; times in UTC; floats as floats; JSON columns
as stored); its digest is the SHA-256 of that JSON. The same function hashes an ORM object just
written and a row read back by `amnesty audit verify`, so a row changed behind the application's back
(raw SQL, a restored dump, an edited file) no longer matches the digest its newest event recorded.

Tracking is automatic: every ORM flush notes which units it created, changed or deleted, and the next
audit event of the transaction (`amnesty.audit.chain.record_event`) carries their digests in
`details["rows"]`. Changes that no event followed are sealed at commit by a `rows.seal` event, so
nothing the application writes escapes the chain. Code that writes units with Core statements
(bulk `insert`/`update`) must call `note_units(db, ...)` itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Float, Integer, Table, event, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql.sqltypes import JSON, Boolean

from amnesty.store.convert import CHARGE_FACTS, PERSON_FACTS, SENTENCE_FACTS
from amnesty.store.models import (
    Case,
    ChargeRow,
    DecisionRow,
    OverrideRow,
    Person,
    SentenceRow,
    TaskRow,
    UserRow,
)

PENDING_KEY = "audit_pending_units"


class UnitKind(StrEnum):
    """The kinds of records whose content the audit trail commits to."""

    PERSON = "person"
    CASE = "case"
    DECISION = "decision"
    OVERRIDE = "override"
    TASK = "task"
    USER = "user"


UNIT_TABLES: dict[UnitKind, Table] = {
    UnitKind.PERSON: Person.__table__,  # type: ignore[dict-item]
    UnitKind.CASE: Case.__table__,  # type: ignore[dict-item]
    UnitKind.DECISION: DecisionRow.__table__,  # type: ignore[dict-item]
    UnitKind.OVERRIDE: OverrideRow.__table__,  # type: ignore[dict-item]
    UnitKind.TASK: TaskRow.__table__,  # type: ignore[dict-item]
    UnitKind.USER: UserRow.__table__,  # type: ignore[dict-item]
}
_KIND_OF_CLASS: dict[type[Any], UnitKind] = {
    Person: UnitKind.PERSON,
    Case: UnitKind.CASE,
    DecisionRow: UnitKind.DECISION,
    OverrideRow: UnitKind.OVERRIDE,
    TaskRow: UnitKind.TASK,
    UserRow: UnitKind.USER,
}
CHARGE_TABLE: Table = ChargeRow.__table__  # type: ignore[assignment]
SENTENCE_TABLE: Table = SentenceRow.__table__  # type: ignore[assignment]


def unit_name(kind: UnitKind, key: int) -> str:
    """`kind:id`, the name of a unit in events and findings."""
    return f"{kind.value}:{key}"


def parse_unit_name(name: str) -> tuple[UnitKind, int] | None:
    """The kind and id of a unit name, or None if it is not one."""
    kind, _, key = name.partition(":")
    try:
        return UnitKind(kind), int(key)
    except ValueError:
        return None


def _as_bool(value: Any) -> Any:
    return bool(value)


def _as_float(value: Any) -> Any:
    return float(value)


def _as_int(value: Any) -> Any:
    return int(value)


def _as_json_text(value: Any) -> Any:
    # JSON columns as their stable text: tuples become lists and keys strings, as once stored
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _as_number(value: Any) -> Any:
    # an article, part or point stored as text since 0010_record_facts: the digits of a whole number
    # as that number, as the integer column held it before, so that a sealed row keeps its digest
    text = str(value)
    return int(text) if text.isdigit() else text


NUMBER_COLUMNS = frozenset({("charges", "article"), ("charges", "part"), ("charges", "point")})
"""Columns of numbers stored as text (an inserted article "188-1"), canonical as numbers when whole."""

LATE_COLUMNS: dict[str, frozenset[str]] = {
    "persons": frozenset(PERSON_FACTS),
    "sentences": frozenset(SENTENCE_FACTS),
    "charges": frozenset(CHARGE_FACTS),
}
"""Columns added to sealed tables after rows were sealed (0010_record_facts): a null there is left out
of the canonical form, so a row sealed before keeps its digest; a value is part of it."""


def _as_plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _converter(column_type: Any) -> Callable[[Any], Any]:
    if isinstance(column_type, Boolean):
        return _as_bool
    if isinstance(column_type, Float):
        return _as_float
    if isinstance(column_type, Integer):
        return _as_int
    if isinstance(column_type, JSON):
        return _as_json_text
    return _as_plain


_CONVERTERS: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {}


def _converters(table: Table) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    found = _CONVERTERS.get(table.name)
    if found is None:
        found = tuple(
            (
                column.name,
                _as_number if (table.name, column.name) in NUMBER_COLUMNS else _converter(column.type),
            )
            for column in table.columns
        )
        _CONVERTERS[table.name] = found
    return found


def canonical_columns(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """The table's columns of a row (an ORM object's attributes or a fetched row), normalised."""
    result: dict[str, Any] = {}
    late = LATE_COLUMNS.get(table.name, frozenset())
    for name, convert in _converters(table):
        value = values.get(name)
        if value is None and name in late:
            continue
        result[name] = None if value is None else convert(value)
    return result


def digest(content: Any) -> str:
    """SHA-256 of the stable JSON of a canonical row."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _object_values(obj: Any, table: Table) -> dict[str, Any]:
    return canonical_columns(table, {name: getattr(obj, name) for name, _convert in _converters(table)})


def case_content(
    case: Mapping[str, Any], charges: Iterable[Mapping[str, Any]], sentence: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A case unit: the case row, its charges in order of position, and its sentence."""
    return {
        "case": canonical_columns(UNIT_TABLES[UnitKind.CASE], case),
        "charges": sorted(
            (canonical_columns(CHARGE_TABLE, charge) for charge in charges),
            key=lambda c: (c["position"], c["id"]),
        ),
        "sentence": canonical_columns(SENTENCE_TABLE, sentence) if sentence is not None else None,
    }


def object_digest(kind: UnitKind, obj: Any) -> str:
    """The digest of a unit from the ORM object just written (the same as its row read back)."""
    if kind is UnitKind.CASE:
        charges = [
            {column.name: getattr(charge, column.name) for column in CHARGE_TABLE.columns}
            for charge in obj.charges
        ]
        sentence = obj.sentence
        return digest(
            case_content(
                {column.name: getattr(obj, column.name) for column in UNIT_TABLES[kind].columns},
                charges,
                None
                if sentence is None
                else {column.name: getattr(sentence, column.name) for column in SENTENCE_TABLE.columns},
            )
        )
    return digest(_object_values(obj, UNIT_TABLES[kind]))


@dataclass
class _Pending:
    """Units changed in the open transaction and not yet sealed by an event (None: deleted)."""

    units: dict[tuple[UnitKind, int], Any]


def _pending(db: Session) -> dict[tuple[UnitKind, int], Any]:
    found = db.info.get(PENDING_KEY)
    if found is None:
        found = _Pending({})
        db.info[PENDING_KEY] = found
    units: dict[tuple[UnitKind, int], Any] = found.units
    return units


def note_units(db: Session, kind: UnitKind, keys: Iterable[int]) -> None:
    """Mark units written outside the ORM (Core statements) so the next event seals them."""
    pending = _pending(db)
    for key in keys:
        pending[(kind, int(key))] = _LOAD


_LOAD = object()  # marker: read the unit back from the database when sealing


def _note(pending: dict[tuple[UnitKind, int], Any], obj: Any, deleted: bool) -> None:
    kind = _KIND_OF_CLASS.get(type(obj))
    if kind is not None:
        if obj.id is not None:
            pending[(kind, obj.id)] = None if deleted else obj
        return
    if isinstance(obj, ChargeRow | SentenceRow) and obj.case_fk is not None:
        # a charge or the sentence changes its case unit (read back from the database when sealed,
        # unless the case object itself was written in the same flush)
        pending.setdefault((UnitKind.CASE, obj.case_fk), _LOAD)


def _after_flush(db: Session, _flush: UOWTransaction) -> None:
    pending = _pending(db)
    for obj in db.new:
        _note(pending, obj, deleted=False)
    for obj in db.dirty:
        if db.is_modified(obj, include_collections=isinstance(obj, Case)):
            _note(pending, obj, deleted=False)
    for obj in db.deleted:
        _note(pending, obj, deleted=True)


def _forget(db: Session, *_args: Any) -> None:
    db.info.pop(PENDING_KEY, None)
    db.info.pop(INSERTS_KEY, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_rollback", _forget)


_TABLE_KIND: dict[str, UnitKind] = {table.name: kind for kind, table in UNIT_TABLES.items()}
_CASE_PARTS = {CHARGE_TABLE.name: CHARGE_TABLE, SENTENCE_TABLE.name: SENTENCE_TABLE}
INSERTS_KEY = "audit_pending_inserts"


def _core_write(state: ORMExecuteState) -> None:
    """Statements (`insert`, `update`, `delete`) run through the session on a unit's table: note the
    rows they will touch, so the next event seals them as it seals ORM writes. Inserts note the
    highest id before the statement; updates and deletes select the ids their WHERE clause matches."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name not in _TABLE_KIND and name not in _CASE_PARTS:
        return
    db = state.session
    connection = db.connection()
    target: Table = UNIT_TABLES[_TABLE_KIND[name]] if name in _TABLE_KIND else _CASE_PARTS[name]
    if state.is_insert:
        before = int(connection.scalar(select(func.max(target.c.id))) or 0)
        inserts: dict[str, int] = db.info.setdefault(INSERTS_KEY, {})
        inserts[target.name] = min(inserts.get(target.name, before), before)
        return
    where = getattr(state.statement, "whereclause", None)
    key_column = target.c.id if name in _TABLE_KIND else target.c.case_fk
    rows = state.parameters if isinstance(state.parameters, list) else None
    if where is None and rows and all("id" in row for row in rows):
        # an update by primary key (one parameter set per row): only those rows
        query = select(key_column).where(target.c.id.in_([row["id"] for row in rows]))
    else:
        query = select(key_column) if where is None else select(key_column).where(where)
    keys = [int(key) for key in connection.scalars(query) if key is not None]
    pending = _pending(db)
    if name in _TABLE_KIND:
        kind = _TABLE_KIND[name]
        for key in keys:
            pending[(kind, key)] = None if state.is_delete else _LOAD
    else:
        for key in keys:
            pending.setdefault((UnitKind.CASE, key), _LOAD)


def _collect_inserts(db: Session) -> None:
    inserts: dict[str, int] | None = db.info.pop(INSERTS_KEY, None)
    if not inserts:
        return
    pending = _pending(db)
    connection = db.connection()
    for name, before in inserts.items():
        if name in _TABLE_KIND:
            table = UNIT_TABLES[_TABLE_KIND[name]]
            for key in connection.scalars(select(table.c.id).where(table.c.id > before)):
                pending.setdefault((_TABLE_KIND[name], int(key)), _LOAD)
        else:
            part = _CASE_PARTS[name]
            for key in connection.scalars(select(part.c.case_fk).where(part.c.id > before).distinct()):
                pending.setdefault((UnitKind.CASE, int(key)), _LOAD)


event.listen(Session, "do_orm_execute", _core_write)


def has_pending_units(db: Session) -> bool:
    """True when rows were changed in this transaction and no event has sealed them yet."""
    if db.info.get(INSERTS_KEY):
        return True
    found = db.info.get(PENDING_KEY)
    return bool(found is not None and found.units)


def take_pending_digests(db: Session) -> dict[str, str | None]:
    """The digests of the units changed since the last event of the transaction (None: deleted),
    and forget them (the caller puts them into its event). Pending changes of existing records are
    flushed first; records added and not yet flushed are sealed by the next event (or at commit)."""
    if any(type(obj) in _KIND_OF_CLASS for obj in db.dirty) or db.deleted:
        db.flush()  # changed records are sealed by this event; new ones by the event after their flush
    _collect_inserts(db)
    found = db.info.get(PENDING_KEY)
    if found is None or not found.units:
        return {}
    units: dict[tuple[UnitKind, int], Any] = found.units
    found.units = {}
    sealed: dict[str, str | None] = {}
    to_load: dict[UnitKind, list[int]] = {}
    for (kind, key), obj in sorted(units.items(), key=lambda item: (item[0][0].value, item[0][1])):
        if obj is None:
            sealed[unit_name(kind, key)] = None
        elif obj is _LOAD:
            to_load.setdefault(kind, []).append(key)
        else:
            sealed[unit_name(kind, key)] = object_digest(kind, obj)
    for kind, keys in to_load.items():
        found_digests = dict(stored_digests_of(db.connection(), kind, keys))
        for key in keys:
            sealed[unit_name(kind, key)] = found_digests.get(key)
    return sealed


def stored_digest(db: Session | Connection, kind: UnitKind, key: int) -> str | None:
    """The digest of a unit as stored in the database now (None if the row is gone)."""
    for found_key, found_digest in stored_digests(db, kind, lower=key, upper=key):
        if found_key == key:
            return found_digest
    return None


def stored_digests_of(db: Session | Connection, kind: UnitKind, keys: list[int]) -> Iterator[tuple[int, str]]:
    """The stored digests of the units with these ids (missing ones are left out)."""
    step = 500
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), step):
        part = ordered[start : start + step]
        yield from stored_digests(db, kind, lower=part[0], upper=part[-1], only=set(part))


def _present_columns(db: Session | Connection, table: Table) -> list[Any]:
    """The table's columns to read: all of them, but a `LATE_COLUMNS` one only when the database has
    it (a migration before 0010_record_facts reads rows of the schema it knows: absent is null)."""
    late = LATE_COLUMNS.get(table.name)
    if not late:
        return list(table.columns)
    connection = db.connection() if isinstance(db, Session) else db
    present = {column["name"] for column in inspect(connection).get_columns(table.name)}
    return [column for column in table.columns if column.name not in late or column.name in present]


def stored_digests(
    db: Session | Connection,
    kind: UnitKind,
    lower: int | None = None,
    upper: int | None = None,
    batch_size: int = 2000,
    only: set[int] | None = None,
) -> Iterator[tuple[int, str]]:
    """Every stored unit of a kind (with an id in `only`, if given) as (id, digest), in id order,
    read in batches."""
    table = UNIT_TABLES[kind]
    columns = _present_columns(db, table)
    charge_columns = _present_columns(db, CHARGE_TABLE) if kind is UnitKind.CASE else []
    sentence_columns = _present_columns(db, SENTENCE_TABLE) if kind is UnitKind.CASE else []
    last = (lower - 1) if lower is not None else None
    while True:
        query = select(*columns).order_by(table.c.id).limit(batch_size)
        if last is not None:
            query = query.where(table.c.id > last)
        if upper is not None:
            query = query.where(table.c.id <= upper)
        if only is not None:
            query = query.where(table.c.id.in_(sorted(only)))
        rows = [dict(row._mapping) for row in db.execute(query)]
        if not rows:
            return
        if kind is UnitKind.CASE:
            ids = [row["id"] for row in rows]
            charges: dict[int, list[dict[str, Any]]] = {key: [] for key in ids}
            for charge in db.execute(select(*charge_columns).where(CHARGE_TABLE.c.case_fk.in_(ids))):
                charges[charge.case_fk].append(dict(charge._mapping))
            sentences = {
                sentence.case_fk: dict(sentence._mapping)
                for sentence in db.execute(select(*sentence_columns).where(SENTENCE_TABLE.c.case_fk.in_(ids)))
            }
            for row in rows:
                yield row["id"], digest(case_content(row, charges[row["id"]], sentences.get(row["id"])))
        else:
            for row in rows:
                yield row["id"], digest(canonical_columns(table, row))
        last = rows[-1]["id"]
