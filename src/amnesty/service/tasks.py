"""Use cases of the akimats' resocialisation tasks: list (paginated in SQL), read, summary per region,
and change under the task life cycle (`amnesty.resocialisation.tasks.TRANSITIONS`) with optimistic
locking. A task follows its person: a social worker sees the tasks of the persons currently recorded
in their region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from amnesty.audit.chain import record_event
from amnesty.domain.enums import TaskStatus
from amnesty.resocialisation.tasks import ACTIVE, REASON_REQUIRED, TRANSITIONS
from amnesty.service.errors import InvalidInputError, NotFoundError, VersionConflictError
from amnesty.service.policy import Action, Actor, in_scope, region_limit, require
from amnesty.service.results import Page, TaskOut
from amnesty.store import queries
from amnesty.store.models import Person, TaskRow
from amnesty.store.queries import TaskFilter
from amnesty.store.workflow import TaskChange, update_task

__all__ = ["RegionTasks", "TaskEdit", "TaskFilter", "change_task", "get_task", "list_tasks", "task_summary"]


def list_tasks(
    db: Session, user: Actor, filters: TaskFilter, page: int = 1, page_size: int = 50
) -> Page[TaskOut]:
    """Tasks matching the filters, oldest first, one page."""
    require(user, Action.READ_TASKS)
    return queries.search_tasks(db, filters, region_limit(user), page, page_size)


def _task(db: Session, user: Actor, task_id: int) -> TaskRow:
    task = db.get(TaskRow, task_id)
    if task is None or not in_scope(user, task.person.region):
        raise NotFoundError("task", task_id)
    return task


def get_task(db: Session, user: Actor, task_id: int) -> TaskOut:
    """One task."""
    require(user, Action.READ_TASKS)
    return queries.task_view(_task(db, user, task_id))


@dataclass(frozen=True)
class TaskEdit:
    """A change to a task with the version the user read. `None` leaves a field as it is; `clear_*`
    empties it; `reason` is required for `cannot_be_done` and kept in the notes; `add_note` appends a
    line to the notes."""

    version: int
    status: TaskStatus | None = None
    assignee: str | None = None
    due_date: dt.date | None = None
    notes: str | None = None
    reason: str | None = None
    add_note: str | None = None
    clear_assignee: bool = False
    clear_due_date: bool = False


def check_transition(current: TaskStatus, wanted: TaskStatus, reason: str | None) -> None:
    """Refuse a status change the life cycle forbids (`done` is final), or `cannot_be_done` without a
    reason."""
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        names = ", ".join(sorted(status.value for status in allowed)) or "none (done is final)"
        problem = f"cannot go from {current.value} to {wanted.value}; allowed: {names}"
        raise InvalidInputError(problem, "status", "invalid_transition")
    if wanted in REASON_REQUIRED and not (reason and reason.strip()):
        raise InvalidInputError(f"{wanted.value} needs a reason", "reason", "reason_required")


def change_task(db: Session, user: Actor, task_id: int, edit: TaskEdit) -> TaskOut:
    """Apply a change if the task is still at the version the user read (else 409)."""
    require(user, Action.WRITE_TASKS)
    task = _task(db, user, task_id)
    notes = edit.notes
    if edit.status is not None and edit.status.value != task.status and edit.version == task.version:
        check_transition(TaskStatus(task.status), edit.status, edit.reason)
        if edit.reason and edit.reason.strip():
            base = task.notes if notes is None else notes
            notes = (f"{base}\n" if base else "") + f"{edit.status.value}: {edit.reason.strip()}"
    if edit.add_note and edit.add_note.strip():
        base = task.notes if notes is None else notes
        notes = (f"{base}\n" if base else "") + edit.add_note.strip()
    change = TaskChange(
        status=edit.status,
        assignee=edit.assignee.strip() if edit.assignee else None,
        due_date=edit.due_date,
        notes=notes,
        clear_assignee=edit.clear_assignee,
        clear_due_date=edit.clear_due_date,
    )
    try:
        changed = update_task(db, task, edit.version, change)
        if changed:
            details = {"fields": list(changed), "status": task.status}
            record_event(db, user.username, "task.update", "task", task.id, details)
        db.commit()
    except VersionConflictError:
        db.rollback()
        raise
    except StaleDataError:
        db.rollback()
        raise VersionConflictError("task", task_id, edit.version, edit.version + 1) from None
    return queries.task_view(task)


@dataclass(frozen=True)
class RegionTasks:
    """Tasks of one region (the persons' current region) by status, and how many are overdue."""

    region: str | None
    total: int
    by_status: dict[str, int]
    overdue: int


def task_summary(db: Session, user: Actor, today: dt.date) -> list[RegionTasks]:
    """Counts per region and status, with overdue active tasks (due date passed), in one SQL query."""
    require(user, Action.READ_TASKS)
    limit = region_limit(user)
    active = [status.value for status in ACTIVE]
    overdue = func.sum(case((and_(TaskRow.due_date < today, TaskRow.status.in_(active)), 1), else_=0))
    query = (
        select(Person.region, TaskRow.status, func.count(), overdue)
        .join(Person, Person.id == TaskRow.person_fk)
        .group_by(Person.region, TaskRow.status)
    )
    if limit is not None:
        query = query.where(Person.region == limit)
    regions: dict[str | None, dict[str, int]] = {}
    late: dict[str | None, int] = {}
    for region, status, count, overdue_count in db.execute(query):
        regions.setdefault(region, {s.value: 0 for s in TaskStatus})[status] = int(count)
        late[region] = late.get(region, 0) + int(overdue_count or 0)
    return [
        RegionTasks(region, sum(counts.values()), counts, late.get(region, 0))
        for region, counts in sorted(regions.items(), key=lambda item: item[0] or "")
    ]
