"""Results of read-only queries kept per process for the register's current version.

The register's version is one cheap query over indexes: the newest id and the newest change time of
the tables that lists and counts read (persons, cases, decisions, overrides and their withdrawals,
tasks). Decisions, overrides and withdrawals are never changed, only added (new ids); persons, cases
and tasks carry the time of their last change (`updated_at`, set by every write path). While the version is unchanged, a kept result is
exact and is served again; after any write, by this process or another worker on the same database,
the version has moved and the result is computed anew. Reading a person (which appends an audit
event) does not move it. Results are kept per database, per query and its arguments (including the
region a social worker is limited to), a few dozen at most.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amnesty.store.models import Case, DecisionRow, OverrideRow, OverrideWithdrawal, Person, TaskRow

T = TypeVar("T")
KEPT = 64

_kept: OrderedDict[Hashable, Any] = OrderedDict()
_lock = Lock()


def register_version(db: Session) -> tuple[Any, ...]:
    """The newest ids and change times of the register's tables, in one query (index lookups)."""
    parts = (
        select(func.max(Person.id)).scalar_subquery(),
        select(func.max(Person.updated_at)).scalar_subquery(),
        select(func.max(Case.id)).scalar_subquery(),
        select(func.max(Case.updated_at)).scalar_subquery(),
        select(func.max(DecisionRow.id)).scalar_subquery(),
        select(func.max(OverrideRow.id)).scalar_subquery(),
        select(func.max(OverrideWithdrawal.id)).scalar_subquery(),
        select(func.max(TaskRow.id)).scalar_subquery(),
        select(func.max(TaskRow.updated_at)).scalar_subquery(),
    )
    row = db.execute(select(*parts)).one()
    return tuple(str(value) for value in row)


def kept(db: Session, name: str, arguments: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or the result it gave for the same database, query, arguments and register
    version. A result computed while the register changed is not kept."""
    database = db.get_bind().engine.url.render_as_string(hide_password=True)
    version = register_version(db)
    key = (database, name, arguments, version)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[no-any-return]
    result = compute()
    if register_version(db) == version:
        with _lock:
            _kept[key] = result
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return result
