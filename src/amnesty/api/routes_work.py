"""Resocialisation tasks (social workers: the persons of their region only) and summary statistics:
thin HTTP doors over `amnesty.service`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from amnesty.api.common import MAX_ID, PageNumber, PageSize, region_param
from amnesty.api.deps import get_db, require_action
from amnesty.api.errors import error_responses
from amnesty.api.schemas import TaskUpdate
from amnesty.domain.enums import TaskKind, TaskStatus
from amnesty.service import stats as stats_service
from amnesty.service import tasks
from amnesty.service.accounts import User
from amnesty.service.policy import Action
from amnesty.service.results import Page, Statistics, TaskOut

router = APIRouter(tags=["tasks"])

TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/tasks", responses=error_responses(401, 403, 422))
def list_tasks(
    region: Annotated[str | None, Query(max_length=60)] = None,
    status: TaskStatus | None = None,
    kind: TaskKind | None = None,
    assignee: Annotated[str | None, Query(max_length=64)] = None,
    person_id: Annotated[str | None, Query(max_length=64)] = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
    user: User = Depends(require_action(Action.READ_TASKS)),
    db: Session = Depends(get_db),
) -> Page[TaskOut]:
    """Resocialisation tasks, filtered; social workers see those of their region's persons only."""
    filters = tasks.TaskFilter(
        region=region_param(region),
        status=status.value if status else None,
        kind=kind.value if kind else None,
        assignee=assignee or None,
        person_id=person_id or None,
    )
    return tasks.list_tasks(db, user, filters, page, page_size)


@router.get("/tasks/{task_id}", responses=error_responses(401, 403, 404, 422))
def get_task(
    task_id: TaskId,
    user: User = Depends(require_action(Action.READ_TASKS)),
    db: Session = Depends(get_db),
) -> TaskOut:
    """One task."""
    return tasks.get_task(db, user, task_id)


@router.patch("/tasks/{task_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_task(
    task_id: TaskId,
    body: TaskUpdate,
    user: User = Depends(require_action(Action.WRITE_TASKS)),
    db: Session = Depends(get_db),
) -> TaskOut:
    """Change a task's status, assignee, due date or notes. Send the `version` you read (409 if the
    task changed since). Status changes follow the task life cycle (422 `invalid_transition`; `done` is
    final) and `cannot_be_done` needs a `reason` (422 `reason_required`), kept in the notes."""
    sent = body.model_fields_set
    edit = tasks.TaskEdit(
        version=body.version,
        status=body.status,
        assignee=body.assignee,
        due_date=body.due_date,
        notes=body.notes,
        reason=body.reason,
        clear_assignee="assignee" in sent and not body.assignee,
        clear_due_date="due_date" in sent and body.due_date is None,
    )
    return tasks.change_task(db, user, task_id, edit)


@router.get("/stats", responses=error_responses(401, 403))
def stats(
    user: User = Depends(require_action(Action.READ_STATS)), db: Session = Depends(get_db)
) -> Statistics:
    """Counts by outcome (engine's and in effect after overrides), stage, charge category, region,
    person role; releases by region; open reviews; tasks by status. Social workers get their region's
    figures."""
    return stats_service.statistics(db, user)
