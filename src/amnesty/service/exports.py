"""One export of every list (cases, review queue, tasks) to CSV or XLSX.

Rows come from the same SQL queries as the pages (`store.queries.stream_*`: the ordered keys in one
narrow query, then the rows a chunk of keys at a time, never OFFSET paging), up to `MAX_EXPORT_ROWS`. Text that a spreadsheet would run as a formula (starting
with `=`, `+`, `-`, `@`, tab or carriage return) is written as text with a leading apostrophe in CSV
and as a string cell in XLSX. Every export is one audit event with its list name and row count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import xlsxwriter
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.io.safe_cells import XLSX_OPTIONS, safe_cell, safe_row
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.store import queries
from amnesty.store.queries import CaseFilter, ReviewStatus, ReviewWork, TaskFilter

MAX_EXPORT_ROWS = 50_000


class ExportFormat(StrEnum):
    """File formats of an export."""

    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ExportFile:
    """An export ready to download."""

    content: bytes
    media_type: str
    filename: str
    rows: int


Row = Sequence[Any]


@dataclass(frozen=True)
class ExportTable:
    """A header and the rows under it (a generator: read as written)."""

    header: Sequence[str]
    rows: Iterator[Row]


def case_rows(db: Session, user: Actor, filters: CaseFilter, sort: str = "id") -> ExportTable:
    """The case list (one row per case) with its person and newest decision."""
    require(user, Action.READ_PERSONS)
    limit = region_limit(user)

    def rows() -> Iterator[Row]:
        for item in queries.stream_cases(db, filters, limit, sort, MAX_EXPORT_ROWS):
            decision = item["decision"] or {}
            yield (
                item["person_id"],
                item["full_name"],
                item["iin"],
                item["region"],
                item["case_number"],
                item["stage"],
                decision.get("outcome"),
                decision.get("effective_outcome"),
                decision.get("release"),
                decision.get("new_end_date"),
                decision.get("needs_review"),
                decision.get("provisional"),
            )

    header = (
        "person_id",
        "full_name",
        "iin",
        "region",
        "case_number",
        "stage",
        "outcome",
        "outcome_in_effect",
        "release",
        "new_end_date",
        "needs_review",
        "provisional",
    )
    return ExportTable(header, rows())


def review_rows(
    db: Session,
    user: Actor,
    status: ReviewStatus,
    region: str | None,
    code: str | None,
    work: ReviewWork | None = None,
) -> ExportTable:
    """The review queue (with the page's work filters when given)."""
    require(user, Action.READ_CASES)
    limit = region_limit(user)

    def rows() -> Iterator[Row]:
        for item in queries.stream_review_queue(db, status, region, code, limit, MAX_EXPORT_ROWS, work=work):
            yield (
                item["person_id"],
                item["full_name"],
                item["region"],
                item["case_number"],
                item["stage"],
                item["id"],
                item["outcome"],
                item["needs_review"],
                item["provisional"],
                " ".join(dict.fromkeys(item["reason_codes"])),
                item["taken_by"],
                (item["created_at"] or "")[:10] or None,
            )

    header = (
        "person_id",
        "full_name",
        "region",
        "case_number",
        "stage",
        "decision_id",
        "outcome",
        "needs_review",
        "provisional",
        "reason_codes",
        "taken_by",
        "waiting_since",
    )
    return ExportTable(header, rows())


def task_rows(db: Session, user: Actor, filters: TaskFilter) -> ExportTable:
    """The task list."""
    require(user, Action.READ_TASKS)
    limit = region_limit(user)

    def rows() -> Iterator[Row]:
        for item in queries.stream_tasks(db, filters, limit, MAX_EXPORT_ROWS):
            yield (
                item["id"],
                item["person_id"],
                item["region"],
                item["akimat"],
                item["kind"],
                item["status"],
                item["assignee"],
                item["due_date"],
                item["completed_on"],
                item["notes"],
            )

    header = (
        "task_id",
        "person_id",
        "region",
        "akimat",
        "kind",
        "status",
        "assignee",
        "due_date",
        "completed_on",
        "notes",
    )
    return ExportTable(header, rows())


def _csv(table: ExportTable) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(table.header))
    count = 0
    for row in table.rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx(table: ExportTable, sheet_name: str) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    for column, name in enumerate(table.header):
        sheet.write_string(0, column, name, bold)
    count = 0
    for number, row in enumerate(table.rows, start=1):
        for column, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                sheet.write_string(number, column, safe_cell(str(cell)))
            else:
                sheet.write_number(number, column, cell)
        count += 1
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue(), count


def export_table(db: Session, user: Actor, name: str, fmt: ExportFormat, table: ExportTable) -> ExportFile:
    """Write the table in the format and audit the export (list name and row count); commits."""
    if fmt is ExportFormat.CSV:
        content, count = _csv(table)
        media = "text/csv; charset=utf-8"
    else:
        content, count = _xlsx(table, name)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record_event(db, user.username, "export", "list", name, {"format": fmt.value, "rows": count})
    db.commit()
    return ExportFile(content, media, f"{name}.{fmt.value}", count)
