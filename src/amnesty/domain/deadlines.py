"""Due days of the work queues: a review item and a resocialisation task are each due a number of days
after they began (a review: the day its decision was made; a task: the person's release day, by the
task's kind), and no later than the law's implementation deadline when they began before it (the
deadline is the law pack's `dates.implementation_deadline`, never a constant here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from amnesty.domain.enums import TaskKind

REVIEW_DAYS = 14
"""Days a lawyer has for a review item."""

TASK_DAYS: dict[TaskKind, int] = {
    TaskKind.DOCUMENTS: 14,
    TaskKind.MEDICAL_CARE: 14,
    TaskKind.SOCIAL_ASSISTANCE: 30,
    TaskKind.RESOCIALISATION_CENTRE: 30,
    TaskKind.EMPLOYMENT: 60,
}
"""Days an akimat has for a task after the release, by kind (identity papers and medical care first)."""


def due_day(began: dt.date, days: int, deadline: dt.date | None) -> dt.date:
    """`began` + `days`, but no later than `deadline` when the work began on or before it."""
    due = began + dt.timedelta(days=days)
    if deadline is not None and began <= deadline < due:
        return deadline
    return due


def task_due_day(kind: TaskKind, released: dt.date, deadline: dt.date | None) -> dt.date:
    """The day a task of `kind` is due for a person released on `released`."""
    return due_day(released, TASK_DAYS[kind], deadline)


@dataclass(frozen=True)
class Countdown:
    """The law's implementation deadline seen from `today`: days left (negative once passed)."""

    deadline: dt.date
    today: dt.date

    @property
    def days_left(self) -> int:
        """Days from today to the deadline (0 on the day, negative after it)."""
        return (self.deadline - self.today).days

    @property
    def passed(self) -> bool:
        """True once the deadline is behind."""
        return self.days_left < 0


def age_in_days(began: dt.date, today: dt.date) -> int:
    """Whole days since `began` (0 on the day)."""
    return max(0, (today - began).days)
