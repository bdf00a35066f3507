"""Human work on decisions: reviewers' overrides (kept beside the engine's decision) and the
akimats' resocialisation tasks (status, assignee, dates, notes; optimistic locking).

These write rows only: the use cases that call them (`amnesty.service.review`, `.tasks`) record the
audit events in the same transaction (the audit sits above the store)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from amnesty.domain.enums import Outcome, TaskStatus
from amnesty.store.cases import VersionConflictError
from amnesty.store.models import DecisionRow, OverrideRow, OverrideWithdrawal, TaskRow, utcnow


class SupersededError(Exception):
    """The decision is no longer the newest of its case."""


@dataclass(frozen=True)
class OverrideInput:
    """What a reviewer decides instead of the engine, and why."""

    outcome: Outcome
    justification: str
    citation: str
    release_date: dt.date | None = None
    new_end_date: dt.date | None = None


class AlreadyWithdrawnError(SupersededError):
    """The override was withdrawn already (a conflict, like a superseded decision)."""


def _newest_decision_id(db: Session, case_fk: int) -> int | None:
    return db.scalar(
        select(DecisionRow.id)
        .where(DecisionRow.case_fk == case_fk)
        .order_by(DecisionRow.sequence.desc())
        .limit(1)
    )


def record_override(db: Session, decision: DecisionRow, data: OverrideInput, reviewer: str) -> OverrideRow:
    """Record a reviewer's decision beside the engine's newest decision of a case (never replacing it)."""
    newest = _newest_decision_id(db, decision.case_fk)
    if newest != decision.id:
        raise SupersededError(
            f"decision {decision.id} was superseded by decision {newest} of the same case; review the newest one"
        )
    row = OverrideRow(
        decision_fk=decision.id,
        outcome=data.outcome.value,
        release_date=data.release_date,
        new_end_date=data.new_end_date,
        justification=data.justification.strip(),
        citation=data.citation.strip(),
        reviewer=reviewer,
    )
    db.add(row)
    db.flush()
    return row


def record_withdrawal(db: Session, override: OverrideRow, reason: str, actor: str) -> OverrideWithdrawal:
    """Take an override of the case's newest decision out of force (the override stays as it was; the
    next newest override not withdrawn, else the engine's decision, is in force again)."""
    if override.withdrawal is not None:
        raise AlreadyWithdrawnError(f"override {override.id} was withdrawn already")
    decision = override.decision
    newest = _newest_decision_id(db, decision.case_fk)
    if newest != decision.id:
        raise SupersededError(
            f"decision {decision.id} was superseded by decision {newest} of the same case; "
            "its overrides are history"
        )
    row = OverrideWithdrawal(override_fk=override.id, reason=reason.strip(), withdrawn_by=actor)
    db.add(row)
    db.flush()
    db.refresh(override, ["withdrawal"])
    return row


@dataclass(frozen=True)
class TaskChange:
    """Fields of a task to change (None: leave as is; `clear_*`: set to empty)."""

    status: TaskStatus | None = None
    assignee: str | None = None
    due_date: dt.date | None = None
    notes: str | None = None
    clear_assignee: bool = False
    clear_due_date: bool = False


def update_task(db: Session, task: TaskRow, expected_version: int, change: TaskChange) -> tuple[str, ...]:
    """Apply a change to a task if the client saw its current version (else `VersionConflictError`);
    the fields it changed."""
    if task.version != expected_version:
        raise VersionConflictError("task", task.id, expected_version, task.version)
    changed: list[str] = []
    if change.status is not None and change.status.value != task.status:
        task.status = change.status.value
        task.completed_on = utcnow().date() if change.status is TaskStatus.DONE else None
        changed.append("status")
    if change.clear_assignee or (change.assignee is not None and change.assignee != task.assignee):
        task.assignee = None if change.clear_assignee else change.assignee
        changed.append("assignee")
    if change.clear_due_date or (change.due_date is not None and change.due_date != task.due_date):
        task.due_date = None if change.clear_due_date else change.due_date
        changed.append("due_date")
    if change.notes is not None and change.notes != task.notes:
        task.notes = change.notes
        changed.append("notes")
    if changed:
        task.updated_at = utcnow()
        db.flush()
    return tuple(changed)
