"""XLSX export of resocialisation tasks for a region's report: a summary sheet and a task list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from amnesty.domain.enums import TaskStatus
from amnesty.reports.tables import Table, write_xlsx
from amnesty.resocialisation.tasks import Task, summary_by_region, visible_to


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def region_tables(
    tasks: Iterable[Task], region: str | None, as_of: dt.date, names: Mapping[str, str] | None = None
) -> list[Table]:
    """The summary and task tables of a region (None: all regions). `names` maps person_id to a name."""
    chosen = visible_to(tasks, region)
    names = names or {}
    summary = Table(
        "summary",
        ("region", "tasks", *(s.value for s in TaskStatus), "overdue", "as_of"),
        tuple(
            (s.region, s.total, *(s.by_status[status] for status in TaskStatus), s.overdue, as_of.isoformat())
            for s in summary_by_region(chosen, as_of)
        ),
    )
    rows = tuple(
        (
            task.region or "unknown",
            task.person_id,
            names.get(task.person_id, ""),
            task.kind.value,
            task.status.value,
            task.assignee or "",
            _iso(task.released_on),
            _iso(task.due_on),
            "yes" if task.is_overdue(as_of) else "no",
            task.days_overdue(as_of),
            _iso(task.updated_on),
            _iso(task.closed_on),
            task.reason or "",
            " | ".join(f"{n.on.isoformat()} {n.author or ''}: {n.text}" for n in task.notes),
        )
        for task in sorted(
            chosen, key=lambda t: (t.region or "", -t.days_overdue(as_of), t.person_id, t.kind.value)
        )
    )
    listing = Table(
        "tasks",
        (
            "region",
            "person_id",
            "full_name",
            "kind",
            "status",
            "assignee",
            "released_on",
            "due_on",
            "overdue",
            "days_overdue",
            "updated_on",
            "closed_on",
            "reason",
            "notes",
        ),
        rows,
    )
    return [summary, listing]


def export_region_xlsx(
    tasks: Iterable[Task],
    region: str | None,
    as_of: dt.date,
    path: Path,
    names: Mapping[str, str] | None = None,
) -> Path:
    """Write the region's report workbook (summary and tasks sheets)."""
    return write_xlsx(region_tables(tasks, region, as_of, names), path)
