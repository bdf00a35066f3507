"""The life cycle of a resocialisation task, as pure functions over frozen values.

Statuses: `open` -> `in_progress` -> `done`; from `open` or `in_progress` also `refused` (the person
refused the help) or `cannot_be_done` (a reason is required). `refused` and `cannot_be_done` may be
reopened (back to `open`) when circumstances change; `done` is final. Every change records the day and
who made it; notes are appended, never edited.

A task is overdue when it is still `open` or `in_progress` after its due day. The due day is the
release day plus a configurable period (default 30 days); the release day is the decision's `as_of` for
an immediate release, and the day after the new last day of the term for a release on a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from amnesty.domain.decision import Decision
from amnesty.domain.enums import ReleaseMode, TaskKind, TaskStatus

DEFAULT_DUE_DAYS = 30
ACTIVE = frozenset({TaskStatus.OPEN, TaskStatus.IN_PROGRESS})
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.OPEN: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.REFUSED, TaskStatus.CANNOT_BE_DONE}
    ),
    TaskStatus.IN_PROGRESS: frozenset(
        {TaskStatus.OPEN, TaskStatus.DONE, TaskStatus.REFUSED, TaskStatus.CANNOT_BE_DONE}
    ),
    TaskStatus.DONE: frozenset(),
    TaskStatus.REFUSED: frozenset({TaskStatus.OPEN}),
    TaskStatus.CANNOT_BE_DONE: frozenset({TaskStatus.OPEN}),
}
REASON_REQUIRED = frozenset({TaskStatus.CANNOT_BE_DONE})


class TransitionError(ValueError):
    """A status change the life cycle does not allow, or one that lacks what it needs."""


@dataclass(frozen=True)
class Note:
    """A dated remark on a task."""

    on: dt.date
    author: str | None
    text: str


@dataclass(frozen=True)
class TaskPolicy:
    """Configurable parameters: days from release until a task is due."""

    due_days: int = DEFAULT_DUE_DAYS

    def __post_init__(self) -> None:
        if not 0 < self.due_days <= 3650:
            raise ValueError("due_days must be between 1 and 3650")


@dataclass(frozen=True)
class Task:
    """One duty of an akimat towards one released person."""

    task_id: str
    person_id: str
    kind: TaskKind
    region: str | None
    released_on: dt.date
    due_on: dt.date
    status: TaskStatus = TaskStatus.OPEN
    assignee: str | None = None
    updated_on: dt.date | None = None
    closed_on: dt.date | None = None
    reason: str | None = None
    notes: tuple[Note, ...] = field(default=())

    @property
    def active(self) -> bool:
        """True while the task still needs work (open or in progress)."""
        return self.status in ACTIVE

    def is_overdue(self, as_of: dt.date) -> bool:
        """True when the task is still active after its due day."""
        return self.active and as_of > self.due_on

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past the due day (0 when not overdue)."""
        return (as_of - self.due_on).days if self.is_overdue(as_of) else 0


def release_day(decision: Decision) -> dt.date | None:
    """The day the person leaves the institution under the decision (None when not released)."""
    sentence = decision.sentence
    if sentence is None or sentence.release is None:
        return None
    if sentence.release is ReleaseMode.IMMEDIATE:
        return decision.as_of
    if sentence.new_end_date is not None:
        return sentence.new_end_date + dt.timedelta(days=1)
    return None


def tasks_from_decision(decision: Decision, policy: TaskPolicy | None = None) -> list[Task]:
    """The tasks rule T1 gives the decision, with release and due days."""
    if not decision.resocialisation:
        return []
    policy = policy or TaskPolicy()
    released = release_day(decision)
    return [
        Task(
            task_id=f"{decision.person_id}:{item.kind.value}",
            person_id=decision.person_id,
            kind=item.kind,
            region=item.region,
            released_on=released or item.opened_on,
            due_on=(released or item.opened_on) + dt.timedelta(days=policy.due_days),
            status=item.status,
        )
        for item in decision.resocialisation
    ]


def _check_day(task: Task, on: dt.date) -> None:
    last = task.updated_on or task.released_on
    if on < last:
        raise TransitionError(
            f"task {task.task_id}: {on.isoformat()} is before its last change ({last.isoformat()})"
        )


def change_status(
    task: Task,
    status: TaskStatus,
    on: dt.date,
    by: str | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Task:
    """The task after a status change; raises `TransitionError` for a change the life cycle forbids or
    a `cannot_be_done` without a reason."""
    if status is task.status:
        raise TransitionError(f"task {task.task_id} is already {status.value}")
    if status not in TRANSITIONS[task.status]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[task.status])) or "none (final)"
        raise TransitionError(
            f"task {task.task_id}: cannot go from {task.status.value} to {status.value}; allowed: {allowed}"
        )
    reason = reason.strip() if reason else None
    if status in REASON_REQUIRED and not reason:
        raise TransitionError(f"task {task.task_id}: {status.value} needs a reason")
    _check_day(task, on)
    notes = task.notes
    if note and note.strip():
        notes = (*notes, Note(on, by, note.strip()))
    closed = on if status not in ACTIVE else None
    return replace(
        task,
        status=status,
        updated_on=on,
        closed_on=closed,
        reason=reason if status not in ACTIVE else None,
        notes=notes,
    )


def assign(task: Task, assignee: str | None, on: dt.date) -> Task:
    """The task with a new assignee (None to unassign)."""
    _check_day(task, on)
    cleaned = assignee.strip() if assignee else None
    return replace(task, assignee=cleaned or None, updated_on=on)


def add_note(task: Task, text: str, on: dt.date, by: str | None = None) -> Task:
    """The task with a note appended (empty notes are refused)."""
    if not text.strip():
        raise TransitionError(f"task {task.task_id}: a note cannot be empty")
    _check_day(task, on)
    return replace(task, notes=(*task.notes, Note(on, by, text.strip())), updated_on=on)


def visible_to(tasks: Iterable[Task], region: str | None) -> list[Task]:
    """The tasks an akimat worker of `region` may see (None: every region, for national roles)."""
    return [task for task in tasks if region is None or task.region == region]


@dataclass(frozen=True)
class RegionSummary:
    """Counts of a region's tasks by status, and how many are overdue."""

    region: str
    by_status: dict[TaskStatus, int]
    overdue: int

    @property
    def total(self) -> int:
        """All tasks of the region."""
        return sum(self.by_status.values())


def summary_by_region(tasks: Iterable[Task], as_of: dt.date) -> list[RegionSummary]:
    """Per region (sorted; tasks without a region under "unknown"), tasks by status and overdue."""
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.region or "unknown", []).append(task)
    return [
        RegionSummary(
            region=name,
            by_status={s: sum(1 for t in groups[name] if t.status is s) for s in TaskStatus},
            overdue=sum(1 for t in groups[name] if t.is_overdue(as_of)),
        )
        for name in sorted(groups)
    ]
