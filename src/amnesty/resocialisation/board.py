"""Task boards: where the pages keep resocialisation tasks. `StoreBoard` works over the service's
database; `MemoryBoard` holds tasks made from a list of decisions in memory (demo and tests). Both check
every status change against the life cycle (`amnesty.resocialisation.tasks`)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from amnesty.domain.decision import Decision
from amnesty.domain.enums import TaskStatus
from amnesty.resocialisation.tasks import Task, TaskPolicy, change_status, tasks_from_decision

POLICY = TaskPolicy()


@dataclass(frozen=True)
class BoardTask:
    """A task on a board: its id, its version (for concurrent edits) and the task."""

    id: int
    version: int
    task: Task


class StaleTaskError(Exception):
    """The task changed since the user loaded it."""


class TaskBoard(Protocol):
    """Tasks as the pages use them."""

    def list(self, region: str | None) -> list[BoardTask]:
        """Stored tasks (id, version, task) of a region (None: all)."""
        ...

    def change(
        self,
        task_id: int,
        version: int,
        status: TaskStatus,
        on: dt.date,
        actor: str,
        reason: str | None,
        note: str | None,
        region: str | None,
    ) -> BoardTask:
        """Change a task's status; raises LookupError, TransitionError or StaleTaskError."""
        ...


class MemoryBoard:
    """Tasks held in memory, created from decisions (rule T1)."""

    def __init__(self, decisions: Iterable[Decision], policy: TaskPolicy = POLICY) -> None:
        self.tasks: dict[int, BoardTask] = {}
        number = 0
        for decision in decisions:
            for task in tasks_from_decision(decision, policy):
                number += 1
                self.tasks[number] = BoardTask(number, 1, replace(task, task_id=str(number)))

    def list(self, region: str | None) -> list[BoardTask]:
        """Tasks of a region (None: all)."""
        return [s for s in self.tasks.values() if region is None or s.task.region == region]

    def change(
        self,
        task_id: int,
        version: int,
        status: TaskStatus,
        on: dt.date,
        actor: str,
        reason: str | None,
        note: str | None,
        region: str | None,
    ) -> BoardTask:
        """Apply a checked status change."""
        stored = self.tasks.get(task_id)
        if stored is None or (region is not None and stored.task.region != region):
            raise LookupError(f"no task {task_id}")
        if stored.version != version:
            raise StaleTaskError(task_id)
        changed = change_status(stored.task, status, on, actor, reason, note)
        self.tasks[task_id] = BoardTask(task_id, version + 1, changed)
        return self.tasks[task_id]


class StoreBoard:
    """Tasks in the service's database (through `amnesty.resocialisation.store_link`)."""

    def __init__(self, sessions: Any) -> None:
        self.sessions = sessions
        self.link = importlib.import_module("amnesty.resocialisation.store_link")

    def list(self, region: str | None) -> list[BoardTask]:
        """Tasks of a region (None: all)."""
        with self.sessions() as db:
            return list(self.link.stored_tasks(db, region, POLICY))

    def change(
        self,
        task_id: int,
        version: int,
        status: TaskStatus,
        on: dt.date,
        actor: str,
        reason: str | None,
        note: str | None,
        region: str | None,
    ) -> BoardTask:
        """Apply a checked status change in one transaction."""
        conflict = importlib.import_module("amnesty.store.cases").VersionConflictError
        with self.sessions() as db:
            try:
                with db.begin():
                    changed: BoardTask = self.link.change_stored_task(
                        db, task_id, version, status, on, actor, reason, note, region, POLICY
                    )
                    return changed
            except conflict as error:
                raise StaleTaskError(task_id) from error
