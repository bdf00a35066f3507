"""Use cases of the overview: statistics (dashboard counts) and the releases due, in SQL.

The counts are kept per process for the register's current state: every change to the register
appends an event to the audit chain in the same transaction (`amnesty.audit`), so the chain's head
(sequence number and hash, one row) names that state. A dashboard load reads the head; when it is the
one the counts were computed at, they are still exact and are served again; after any write (by this
process or another worker) the head has moved and the counts are computed anew.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.results import CaseSummary, Statistics
from amnesty.store import queries
from amnesty.store.models import AuditHead

_KEPT = 64
_counts: OrderedDict[tuple[str, str | None, int, str], Statistics] = OrderedDict()
_lock = Lock()


def _register_state(db: Session) -> tuple[int, str] | None:
    """The audit chain's head: (sequence, hash), or None before the first event."""
    head = db.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return (int(head[0]), str(head[1])) if head is not None else None


def statistics(db: Session, user: Actor) -> Statistics:
    """Counts by outcome (engine's and in effect), stage, charge category, region, person role,
    releases by region, open reviews and tasks by status; a social worker's own region only."""
    require(user, Action.READ_STATS)
    limit = region_limit(user)
    state = _register_state(db)
    if state is None:
        return Statistics.model_validate(queries.statistics(db, limit))
    key = (db.get_bind().engine.url.render_as_string(hide_password=True), limit, *state)
    with _lock:
        kept = _counts.get(key)
        if kept is not None:
            _counts.move_to_end(key)
            return kept
    counted = Statistics.model_validate(queries.statistics(db, limit))
    if _register_state(db) == state:  # nothing was written while counting
        with _lock:
            _counts[key] = counted
            while len(_counts) > _KEPT:
                _counts.popitem(last=False)
    return counted


def releases_due(db: Session, user: Actor, limit: int = 10) -> list[CaseSummary]:
    """Cases whose newest decision releases the person: at once first, then by the new end date."""
    require(user, Action.READ_PERSONS)
    return [CaseSummary.model_validate(row) for row in queries.releases_due(db, region_limit(user), limit)]
