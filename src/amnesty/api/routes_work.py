"""Resocialisation tasks (social workers: their region only) and summary statistics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from amnesty.api.common import MAX_ID, PageNumber, PageSize, not_found, region_param
from amnesty.api.deps import get_db, require_roles
from amnesty.api.errors import ApiError, FieldProblem, error_responses
from amnesty.api.policy import ALL_ROLES, READ_TASKS, WRITE_TASKS, region_limit
from amnesty.api.schemas import TaskUpdate
from amnesty.domain.enums import TaskKind, TaskStatus
from amnesty.resocialisation.tasks import REASON_REQUIRED, TRANSITIONS
from amnesty.store import repository as repo
from amnesty.store.models import TaskRow
from amnesty.store.models import UserRow as User

router = APIRouter(tags=["tasks"])

TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _task(db: Session, task_id: int, user: User) -> TaskRow:
    task = db.get(TaskRow, task_id)
    limit = region_limit(user)
    if task is None or (limit is not None and task.region != limit):
        raise not_found("task", task_id)
    return task


@router.get("/tasks", responses=error_responses(401, 403, 422))
def list_tasks(
    region: Annotated[str | None, Query(max_length=60)] = None,
    status: TaskStatus | None = None,
    kind: TaskKind | None = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    person_id: Annotated[str | None, Query(max_length=64)] = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_roles(*READ_TASKS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Resocialisation tasks, filtered; social workers see their region's only."""
    filters = repo.TaskFilter(
        region=region_param(region),
        status=status.value if status else None,
        kind=kind.value if kind else None,
        assignee=assignee or None,
        person_id=person_id or None,
    )
    return repo.search_tasks(db, filters, region_limit(user), page, page_size).to_json_dict()


@router.get("/tasks/{task_id}", responses=error_responses(401, 403, 404, 422))
def get_task(
    task_id: TaskId, user: User = Depends(require_roles(*READ_TASKS)), db: Session = Depends(get_db)
) -> dict[str, Any]:
    """One task."""
    return repo.task_json(_task(db, task_id, user))


def _check_transition(current: TaskStatus, wanted: TaskStatus, reason: str | None) -> None:
    """Refuse a status change the task life cycle forbids (done is final), or `cannot_be_done` with no
    reason (the life cycle of `amnesty.resocialisation.tasks`)."""
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        names = ", ".join(sorted(status.value for status in allowed)) or "none (done is final)"
        problem = f"cannot go from {current.value} to {wanted.value}; allowed: {names}"
        raise ApiError(422, "invalid_transition", problem, [FieldProblem(field="status", problem=problem)])
    if wanted in REASON_REQUIRED and not (reason and reason.strip()):
        problem = f"{wanted.value} needs a reason"
        raise ApiError(422, "reason_required", problem, [FieldProblem(field="reason", problem=problem)])


@router.patch("/tasks/{task_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_task(
    task_id: TaskId,
    body: TaskUpdate,
    user: User = Depends(require_roles(*WRITE_TASKS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Change a task's status, assignee, due date or notes. Send the `version` you read (409 if the
    task changed since). Status changes follow the task life cycle (422 `invalid_transition`; `done` is
    final) and `cannot_be_done` needs a `reason` (422 `reason_required`), kept in the notes."""
    task = _task(db, task_id, user)
    notes = body.notes
    if body.status is not None and body.status.value != task.status and body.version == task.version:
        _check_transition(TaskStatus(task.status), body.status, body.reason)
        if body.reason and body.reason.strip():
            notes = f"{notes}\n" if notes else ""
            notes += f"{body.status.value}: {body.reason.strip()}"
    sent = body.model_fields_set
    change = repo.TaskChange(
        status=body.status,
        assignee=body.assignee.strip() if body.assignee else None,
        due_date=body.due_date,
        notes=notes,
        clear_assignee="assignee" in sent and not body.assignee,
        clear_due_date="due_date" in sent and body.due_date is None,
    )
    try:
        repo.update_task(db, task, body.version, change, user.username)
        db.commit()
    except repo.VersionConflictError as error:
        db.rollback()
        raise ApiError(
            409,
            "version_conflict",
            str(error),
            extra={"current_version": error.current, "your_version": error.expected},
        ) from None
    except StaleDataError:
        db.rollback()
        raise ApiError(
            409, "version_conflict", f"task {task_id} was changed by someone else; reload and retry"
        ) from None
    return repo.task_json(task)


@router.get("/stats", responses=error_responses(401, 403))
def stats(user: User = Depends(require_roles(*ALL_ROLES)), db: Session = Depends(get_db)) -> dict[str, Any]:
    """Counts by outcome (engine's and in effect after overrides), stage, charge category, region,
    person role; open reviews; tasks by status. Social workers get their region's figures."""
    return repo.statistics(db, region_limit(user))
