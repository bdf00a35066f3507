"""XLSX export of resocialisation tasks for a region's report: a summary sheet and a task list.

Without a language the sheets are data (codes, ISO dates, snake_case headers); with one (`amnesty
tasks-export --lang`) they are in its words: headers, task kinds and statuses, regions (in the reader's
alphabetical order), dates ("4 января 2022 г."), "да"/"нет".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from amnesty.domain.enums import TaskStatus
from amnesty.render.collation import collation_key
from amnesty.render.formats import format_date
from amnesty.render.vocabulary import UNKNOWN, table_word, term
from amnesty.reports.tables import Table, write_xlsx
from amnesty.resocialisation.tasks import RegionSummary, Task, summary_by_region, visible_to

TASK_COLUMNS = (
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
)
"""The columns of the task list, as data (codes) and, through `word`, as people read them."""


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def region_tables(
    tasks: Iterable[Task],
    region: str | None,
    as_of: dt.date,
    names: Mapping[str, str] | None = None,
    language: str | None = None,
) -> list[Table]:
    """The summary and task tables of a region (None: all regions). `names` maps person_id to a name.
    With a `language`, in its words (see the module's docstring)."""
    if language is not None:
        return _people_tables(list(tasks), region, as_of, names or {}, language)
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
    listing = Table("tasks", TASK_COLUMNS, rows)
    return [summary, listing]


def region_order(summaries: Iterable[RegionSummary], language: str) -> list[RegionSummary]:
    """Region summaries in the reader's alphabetical order of the regions, "not recorded" last."""
    return sorted(
        summaries,
        key=lambda s: (s.region == UNKNOWN, collation_key(term("region", s.region, language), language)),
    )


def _people_tables(
    tasks: list[Task], region: str | None, as_of: dt.date, names: Mapping[str, str], language: str
) -> list[Table]:
    chosen = visible_to(tasks, region)

    def word(key: str) -> str:
        return table_word(key, language)

    def day(value: dt.date | None) -> str:
        return format_date(value, language) if value is not None else ""

    summary = Table(
        word("summary"),
        (
            word("region"),
            word("task_count"),
            *(term("task_status", s.value, language) for s in TaskStatus),
            word("overdue_count"),
            word("as_of"),
        ),
        tuple(
            (
                term("region", s.region, language),
                s.total,
                *(s.by_status[status] for status in TaskStatus),
                s.overdue,
                day(as_of),
            )
            for s in region_order(summary_by_region(chosen, as_of), language)
        ),
    )

    def order(task: Task) -> tuple[object, ...]:
        place = term("region", task.region, language)
        return (
            task.region is None,
            collation_key(place, language),
            -task.days_overdue(as_of),
            task.person_id,
        )

    rows = tuple(
        (
            term("region", task.region, language),
            task.person_id,
            names.get(task.person_id, ""),
            term("task", task.kind.value, language),
            term("task_status", task.status.value, language),
            task.assignee or "",
            day(task.released_on),
            day(task.due_on),
            word("yes") if task.is_overdue(as_of) else word("no"),
            task.days_overdue(as_of),
            day(task.updated_on),
            day(task.closed_on),
            task.reason or "",
            " | ".join(f"{day(n.on)} {n.author or ''}: {n.text}" for n in task.notes),
        )
        for task in sorted(chosen, key=lambda t: (*order(t), t.kind.value))
    )
    header = tuple(word(key) for key in TASK_COLUMNS)
    return [summary, Table(word("tasks"), header, rows)]


def export_region_xlsx(
    tasks: Iterable[Task],
    region: str | None,
    as_of: dt.date,
    path: Path,
    names: Mapping[str, str] | None = None,
    language: str | None = None,
) -> Path:
    """Write the region's report workbook (summary and tasks sheets; in `language`'s words when given)."""
    return write_xlsx(region_tables(tasks, region, as_of, names, language), path)
