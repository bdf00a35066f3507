"""The task life cycle over the service's store: stored tasks (`amnesty.store.models.TaskRow`) are read
as `Task` values, every status change is checked by `change_status` first and then written through the
service's own `update_task` (which keeps the version check and the audit log).

The store keeps no release day or reason of its own: the release day comes from the decision the task
was created from, a missing due day is set from the policy on the first change, and the reason of a
`cannot_be_done` (or a refusal) is appended to the task's notes with the day and the user.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from amnesty.domain.decision import Decision
from amnesty.domain.enums import TaskKind, TaskStatus
from amnesty.resocialisation.board import BoardTask
from amnesty.resocialisation.tasks import Note, Task, TaskPolicy, change_status, release_day
from amnesty.store.in_force import override_in_force
from amnesty.store.models import DecisionRow, TaskRow
from amnesty.store.workflow import TaskChange, update_task

StoredTask = BoardTask


def _released_on(db: Session, row: TaskRow) -> dt.date:
    """The release day: a reviewer's release date when their override of the task's decision is in
    force (`amnesty.store.in_force`), else the day the engine's decision releases the person."""
    decision_row = db.get(DecisionRow, row.decision_fk)
    if decision_row is not None:
        reviewed = override_in_force(decision_row)
        if reviewed is not None and reviewed.release_date is not None:
            return reviewed.release_date
        decision = Decision.model_validate(decision_row.decision)
        day = release_day(decision)
        if day is not None:
            return day
    return row.created_at.date()


def task_of(db: Session, row: TaskRow, policy: TaskPolicy | None = None) -> StoredTask:
    """A stored task as a `Task` value."""
    policy = policy or TaskPolicy()
    released = _released_on(db, row)
    changed_since_creation = row.version > 1 and row.updated_at is not None
    updated = row.updated_at.date() if changed_since_creation else None
    notes = tuple(
        Note(updated or released, None, line) for line in (row.notes or "").splitlines() if line.strip()
    )
    status = TaskStatus(row.status)
    task = Task(
        task_id=str(row.id),
        person_id=row.person.person_id,
        kind=TaskKind(row.kind),
        region=row.region,
        released_on=released,
        due_on=row.due_date or released + dt.timedelta(days=policy.due_days),
        status=status,
        assignee=row.assignee,
        updated_on=max(updated, released) if updated else None,
        closed_on=row.completed_on,
        notes=notes,
    )
    return StoredTask(row.id, row.version, task)


def stored_tasks(db: Session, region: str | None, policy: TaskPolicy | None = None) -> list[StoredTask]:
    """Every stored task (of one region when given), oldest first."""
    query = select(TaskRow).options(selectinload(TaskRow.person)).order_by(TaskRow.id)
    if region is not None:
        query = query.where(TaskRow.region == region)
    return [task_of(db, row, policy) for row in db.scalars(query)]


def change_stored_task(
    db: Session,
    task_id: int,
    expected_version: int,
    status: TaskStatus,
    on: dt.date,
    actor: str,
    reason: str | None = None,
    note: str | None = None,
    region: str | None = None,
    policy: TaskPolicy | None = None,
) -> StoredTask:
    """Check a status change against the life cycle and write it to the store. Raises `LookupError`
    when the task does not exist (or lies outside `region`), `TransitionError` for a forbidden change,
    and the service's `VersionConflictError` when someone changed the task meanwhile."""
    row = db.get(TaskRow, task_id)
    if row is None or (region is not None and row.region != region):
        raise LookupError(f"no task {task_id}")
    current = task_of(db, row, policy)
    changed = change_status(current.task, status, on, actor, reason, note)
    line = f"{on.isoformat()} {actor}: {status.value}"
    if changed.reason:
        line += f" ({changed.reason})"
    if note and note.strip():
        line += f": {note.strip()}"
    notes = ((row.notes or "").rstrip("\n") + "\n" + line).lstrip("\n")
    update_task(
        db,
        row,
        expected_version,
        TaskChange(status=status, notes=notes, due_date=row.due_date or current.task.due_on),
        actor,
    )
    return task_of(db, row, policy)
