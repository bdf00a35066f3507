"""One export of every list (cases, review queue, tasks) to CSV or XLSX, in the reader's words (titles
and values in words, local dates; the codes again in extra columns for programs) or as codes.

Rows come from the same SQL queries as the pages (`store.queries.stream_*`: the ordered keys in one
narrow query, then the rows a chunk of keys at a time, never OFFSET paging), up to `MAX_EXPORT_ROWS`. Text that a spreadsheet would run as a formula (starting
with `=`, `+`, `-`, `@`, tab or carriage return) is written as text with a leading apostrophe in CSV
and as a string cell in XLSX. Every export is one audit event with its list name and row count.

The audit log is exported as a stream (`audit_rows`, `stream_export`): its events are read a chunk at
a time by their sequence number (each chunk in a session of its own), CSV is written as it is read and
XLSX through a temporary file in xlsxwriter's constant-memory mode, so that the log is never held in
memory whatever its size; the export is audited (who, the filters, the format) before its first byte.
The impact of a law variant run over the register is exported from the job's stored summary
(`impact_rows`).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import xlsxwriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.impact.compare import UNKNOWN
from amnesty.io.safe_cells import XLSX_OPTIONS, safe_cell, safe_row
from amnesty.law.loader import Law
from amnesty.service.accounts import AuditFilter, audit_conditions
from amnesty.service.policy import Action, Actor, region_limit, require
from amnesty.service.template import example_row
from amnesty.store import queries
from amnesty.store.models import AuditEvent
from amnesty.store.queries import CaseFilter, ReviewStatus, ReviewWork, TaskFilter

MAX_EXPORT_ROWS = 50_000
AUDIT_CHUNK = 2_000
"""Audit events read per query (and per database session) of a streamed audit export."""
STREAM_BYTES = 64 * 1024
"""Bytes per piece of a streamed export."""
SHEET_ROWS = 1_048_575
"""Rows under the header of one XLSX sheet (the format's limit is 1,048,576 rows in all)."""


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
class Column:
    """A column of an export: its field name (the header for programs) and how its values read in
    words: `kind` names a vocabulary (`region`, `outcome`, ...; the value is a code), or is `bool`,
    `date`, `codes` (a space-separated list of review reason codes) or None (text as it is)."""

    name: str
    kind: str | None = None

    @property
    def coded(self) -> bool:
        """A column whose values are codes (a vocabulary, a yes/no, reason codes): in words for people,
        and its codes repeated in an extra column for programs."""
        return self.kind not in (None, "date")


class Words(Protocol):
    """How an export reads in a language: column titles and values in words."""

    def header(self, name: str) -> str:
        """The title of the column `name`."""
        ...

    def value(self, kind: str, value: Any) -> str:
        """A value of a column of `kind` in words."""
        ...


@dataclass(frozen=True)
class ExportTable:
    """Columns and the rows under them (a generator: read as written)."""

    columns: Sequence[Column]
    rows: Iterator[Row]

    @property
    def header(self) -> list[str]:
        """The field names (the header without words)."""
        return [column.name for column in self.columns]

    def in_words(self, words: Words) -> ExportTable:
        """The table for people: titles and values in words (dates in the local form), then the codes
        of every coded column again, under their field names, for programs."""
        coded = [i for i, column in enumerate(self.columns) if column.coded]
        titles = [words.header(column.name) for column in self.columns]
        extra = [Column(f"{self.columns[i].name}_code") for i in coded]

        def rows() -> Iterator[Row]:
            for row in self.rows:
                shown = [
                    cell if cell is None or column.kind is None else words.value(column.kind, cell)
                    for column, cell in zip(self.columns, row, strict=True)
                ]
                yield (*shown, *(row[i] for i in coded))

        return ExportTable([Column(title) for title in titles] + extra, rows())


def case_rows(db: Session, user: Actor, filters: CaseFilter, sort: str = "id") -> ExportTable:
    """The case list (one row per case) with its person and newest decision."""
    require(user, Action.READ_PERSONS)
    limit = region_limit(user)

    def rows() -> Iterator[Row]:
        for item in queries.stream_cases(db, filters, limit, sort, MAX_EXPORT_ROWS):
            decision = item.decision
            yield (
                item.person_id,
                item.full_name,
                item.iin,
                item.region,
                item.case_number,
                item.stage,
                decision.outcome if decision else None,
                decision.effective_outcome if decision else None,
                decision.release if decision else None,
                decision.new_end_date if decision else None,
                decision.needs_review if decision else None,
                decision.provisional if decision else None,
            )

    columns = (
        Column("person_id"),
        Column("full_name"),
        Column("iin"),
        Column("region", "region"),
        Column("case_number"),
        Column("stage", "stage"),
        Column("outcome", "outcome"),
        Column("outcome_in_effect", "outcome"),
        Column("release", "release"),
        Column("new_end_date", "date"),
        Column("needs_review", "bool"),
        Column("provisional", "bool"),
    )
    return ExportTable(columns, rows())


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
                item.person_id,
                item.full_name,
                item.region,
                item.case_number,
                item.stage,
                item.id,
                item.outcome,
                item.needs_review,
                item.provisional,
                " ".join(dict.fromkeys(item.reason_codes)),
                item.taken_by,
                (item.created_at or "")[:10] or None,
            )

    columns = (
        Column("person_id"),
        Column("full_name"),
        Column("region", "region"),
        Column("case_number"),
        Column("stage", "stage"),
        Column("decision_id"),
        Column("outcome", "outcome"),
        Column("needs_review", "bool"),
        Column("provisional", "bool"),
        Column("reason_codes", "codes"),
        Column("taken_by"),
        Column("waiting_since", "date"),
    )
    return ExportTable(columns, rows())


def task_rows(db: Session, user: Actor, filters: TaskFilter) -> ExportTable:
    """The task list."""
    require(user, Action.READ_TASKS)
    limit = region_limit(user)

    def rows() -> Iterator[Row]:
        for item in queries.stream_tasks(db, filters, limit, MAX_EXPORT_ROWS):
            yield (
                item.id,
                item.person_id,
                item.full_name,
                item.region,
                item.akimat,
                item.kind,
                item.status,
                item.assignee,
                item.due_date,
                item.completed_on,
                item.notes,
            )

    columns = (
        Column("task_id"),
        Column("person_id"),
        Column("full_name"),
        Column("region", "region"),
        Column("akimat"),
        Column("kind", "task"),
        Column("status", "task_status"),
        Column("assignee"),
        Column("due_date", "date"),
        Column("completed_on", "date"),
        Column("notes"),
    )
    return ExportTable(columns, rows())


def _csv_pieces(table: ExportTable, counted: list[int]) -> Iterator[str]:
    """The CSV text (with its byte-order mark) in pieces of about `STREAM_BYTES`; counts the rows
    into `counted[0]`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(safe_row(table.header))
    for row in table.rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
        counted[0] += 1
        if buffer.tell() >= STREAM_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv(table: ExportTable) -> tuple[bytes, int]:
    counted = [0]
    text = "".join(_csv_pieces(table, counted))
    return text.encode("utf-8"), counted[0]


def _xlsx(table: ExportTable, sheet_name: str) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    count = _write_xlsx(xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS}), table, sheet_name)
    return buffer.getvalue(), count


def _write_xlsx(workbook: xlsxwriter.Workbook, table: ExportTable, sheet_name: str) -> int:
    """Write the table into the workbook and close it; the number of rows written. A sheet holds
    `SHEET_ROWS` rows under its header; longer tables (the audit log) go on in sheets "name 2", ...
    """
    bold = workbook.add_format({"bold": True})
    sheets = 0

    def new_sheet() -> Any:
        nonlocal sheets
        sheets += 1
        suffix = "" if sheets == 1 else f" {sheets}"
        sheet = workbook.add_worksheet(sheet_name[: 31 - len(suffix)] + suffix)
        for column, name in enumerate(table.header):
            sheet.write_string(0, column, name, bold)
        sheet.freeze_panes(1, 0)
        return sheet

    sheet = new_sheet()
    count = 0
    number = 0
    for row in table.rows:
        if number == SHEET_ROWS:
            sheet, number = new_sheet(), 0
        number += 1
        for column, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float):
                sheet.write_string(number, column, safe_cell(str(cell)))
            else:
                sheet.write_number(number, column, cell)
        count += 1
    workbook.close()
    return count


def export_table(
    db: Session, user: Actor, name: str, fmt: ExportFormat, table: ExportTable, words: Words | None = None
) -> ExportFile:
    """Write the table in the format (in `words` when given: `ExportTable.in_words`) and audit the
    export (list name and row count); commits."""
    if words is not None:
        table = table.in_words(words)
    if fmt is ExportFormat.CSV:
        content, count = _csv(table)
        media = "text/csv; charset=utf-8"
    else:
        content, count = _xlsx(table, name)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    record_event(db, user.username, "export", "list", name, {"format": fmt.value, "rows": count})
    db.commit()
    return ExportFile(content, media, f"{name}.{fmt.value}", count)


def record_template(fmt: ExportFormat, law: Law) -> ExportFile:
    """The upload template of a law: the columns its rules read and one example row it decides on
    (`amnesty.service.template`), which the reader accepts as it is (a test reads it back)."""
    row = example_row(law)
    table = ExportTable([Column(name) for name in row], iter([[value or None for value in row.values()]]))
    if fmt is ExportFormat.CSV:
        content, count = _csv(table)
    else:
        content, count = _xlsx(table, "records")
    return ExportFile(content, MEDIA_TYPES[fmt], f"records-template-{law.pack.id}.{fmt.value}", count)


MEDIA_TYPES: dict[ExportFormat, str] = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def stream_export(fmt: ExportFormat, table: ExportTable, sheet_name: str) -> Iterator[bytes]:
    """The table as a file, in pieces, without holding it whole: CSV written as its rows are read,
    XLSX written row by row to a temporary file (xlsxwriter's constant-memory mode) then read back
    in pieces (the file is removed afterwards)."""
    if fmt is ExportFormat.CSV:
        for piece in _csv_pieces(table, [0]):
            yield piece.encode("utf-8")
        return
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="amnesty-export-")
    os.close(handle)
    try:
        options = {"constant_memory": True, "tmpdir": os.path.dirname(path), **XLSX_OPTIONS}
        _write_xlsx(xlsxwriter.Workbook(path, options), table, sheet_name)
        with open(path, "rb") as written:
            while block := written.read(STREAM_BYTES):
                yield block
    finally:
        os.unlink(path)


# ---------------------------------------------------------------- the audit log

Sessions = Callable[[], Session]
"""Opens a database session (a `sessionmaker`): a streamed export reads each chunk in its own."""


def start_audit_export(db: Session, user: Actor, filters: AuditFilter, fmt: ExportFormat) -> int:
    """Audit an export of the audit log (who, the filters, the format) and commit; the sequence
    number of the newest event before it, where the export stops (its own event and any later one
    are not in it). Needs `Action.READ_AUDIT`."""
    require(user, Action.READ_AUDIT)
    newest = int(db.scalar(select(func.max(AuditEvent.seq))) or 0)
    chosen = {
        "actor": filters.actor,
        "action": filters.action,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
        "date_from": filters.date_from.isoformat() if filters.date_from else None,
        "date_to": filters.date_to.isoformat() if filters.date_to else None,
    }
    details = {
        "format": fmt.value,
        "upto_seq": newest,
        "filters": {key: value for key, value in chosen.items() if value},
    }
    record_event(db, user.username, "export", "list", "audit", details)
    db.commit()
    return newest


def audit_rows(sessions: Sessions, user: Actor, filters: AuditFilter, upto: int) -> ExportTable:
    """The audit events that match the filters (the page's), newest first, up to sequence number
    `upto`; read `AUDIT_CHUNK` events at a time by sequence number, each chunk in a session of its
    own, so that the whole log is never in memory. Needs `Action.READ_AUDIT`."""
    require(user, Action.READ_AUDIT)
    conditions = audit_conditions(filters)
    fields = (
        AuditEvent.seq,
        AuditEvent.at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.hash,
    )

    def rows() -> Iterator[Row]:
        below = upto + 1
        while True:
            with sessions() as db:
                chunk = db.execute(
                    select(*fields)
                    .where(*conditions, AuditEvent.seq < below)
                    .order_by(AuditEvent.seq.desc())
                    .limit(AUDIT_CHUNK)
                ).all()
            if not chunk:
                return
            for event in chunk:
                yield tuple(event)
            below = chunk[-1][0]

    columns = (
        Column("seq"),
        Column("at", "moment"),
        Column("actor", "actor"),
        Column("action", "audit_action"),
        Column("object_type", "object_type"),
        Column("object_id"),
        Column("hash"),
    )
    return ExportTable(columns, rows())


# ---------------------------------------------------------------- impact of a law variant

IMPACT_SECTIONS = ("outcomes", "transitions", "by_region", "by_category")
"""The parts of an impact summary, in the order of the export (`Column` kind `impact_section`)."""

_GROUP_FIELDS = (
    "persons",
    "outcome_changed",
    "baseline_person_years",
    "variant_person_years",
    "person_years_delta",
    "unmeasured",
)


def impact_rows(result: Mapping[str, Any]) -> ExportTable:
    """A finished impact job's summary (`ImpactReport.to_json_dict`, as stored) as one table: persons
    per outcome under the law and the variant, the changes of outcome, then the totals per region
    and per category (the region or category "unknown" where none is recorded, and the total). A
    group is `kind:code` (`Column` kind `impact_group`): `outcome:release`, `region:Almaty`,
    `region:unknown`, `category:total`."""

    def rows() -> Iterator[Row]:
        for code, counts in (result.get("outcomes") or {}).items():
            yield (
                "outcomes",
                f"outcome:{code}",
                None,
                counts["baseline"],
                counts["variant"],
                counts["delta"],
            )
        for change in result.get("transitions") or []:
            yield (
                "transitions",
                f"outcome:{change['from']}",
                change["to"],
                None,
                None,
                None,
                change["persons"],
            )
        for section, kind in (("by_region", "region"), ("by_category", "category")):
            groups: Mapping[str, Mapping[str, Any]] = result.get(section) or {}
            total = result.get("total")
            named = sorted(groups.items(), key=lambda item: item[0] == UNKNOWN)  # "not recorded" last
            if named and total:
                named.append(("total", total))
            for code, group in named:
                values = tuple(group.get(key) for key in _GROUP_FIELDS)
                yield (section, f"{kind}:{code}", None, None, None, None, *values)

    columns = (
        Column("section", "impact_section"),
        Column("group", "impact_group"),
        Column("to", "outcome"),
        Column("persons_law"),
        Column("persons_variant"),
        Column("persons_change"),
        *(Column(name) for name in _GROUP_FIELDS),
    )
    width = len(columns)
    return ExportTable(columns, (tuple(row) + (None,) * (width - len(row)) for row in rows()))
