"""The import of a spooled file (`amnesty.jobs.uploads`) chunk by chunk, with bounded memory.

The file is read in chunks of whole persons (`amnesty.io.tabular.item_chunks`: CSV rows, Arrow
batches of Parquet, a workbook's streamed rows); each chunk is validated by the one validation
(`amnesty.store.cases.check_import`), its valid records are stored by the one import
(`amnesty.store.cases.import_records`, new persons by `amnesty.store.bulk`) and its invalid records
are listed. Each chunk is one transaction that also writes the job's counts, so what the job's row
says was stored is exactly what the register holds: at every commit, records done = imported +
rejected. Between chunks the job stops when asked (what was committed stays and is stated).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.io.sources import FileReadError
from amnesty.io.tabular import item_chunks, open_source
from amnesty.io.xlsx_guard import UPLOAD_LIMITS
from amnesty.jobs.inputs import MAX_UPLOAD_BYTES, UnreadableFileError, check_name, read_upload
from amnesty.jobs.queue import MAX_ERRORS, RowProblem, record_progress
from amnesty.law.loader import Law
from amnesty.store.cases import check_import, import_records

CHUNK_ROWS = 500
"""File rows read, validated and stored per transaction (a cancellation waits at most one chunk). On
SQLite the transaction holds the database's write lock: 2,000 rows held it for over 10 s at a load of
12 on 2 cores, and a page's write (a session's last-seen time) then failed its 10 s busy timeout."""


@dataclass
class StreamCounts:
    """How far a streamed import got: file rows read, records (persons) taken, stored, rejected."""

    rows_read: int = 0
    records: int = 0
    imported: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    decisions: int = 0
    tasks: int = 0
    matched_by_iin: int = 0

    def to_json_dict(self) -> dict[str, int]:
        """The counts as a job's result holds them (`stored` is what the register holds of the file)."""
        return asdict(self) | {"stored": self.imported}


class SpooledChunks:
    """The spooled file's items chunk by chunk with the file rows of each (`rows_total`: the file's
    rows, once the reader knows them); a JSON array (read whole, so held to the trial limit) in
    chunks of its records. Iterating raises `UnreadableFileError`."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.suffix = check_name(name)
        self.rows_total: int | None = None

    def __iter__(self) -> Iterator[tuple[int, list[ParsedRecord | RecordError]]]:
        if self.suffix == ".json":
            yield from self._json()
            return
        try:
            source = open_source(self.path, xlsx_limits=UPLOAD_LIMITS)
            for rows, items in item_chunks(source, CHUNK_ROWS):
                _refuse_file_problem(items)
                self.rows_total = source.rows_total
                yield rows, items
        except FileReadError as error:
            raise UnreadableFileError("unreadable_file", suffix=self.suffix, kind=_kind(error)) from None
        except (OSError, ValueError) as error:
            kind = type(error).__name__
            raise UnreadableFileError("unreadable_file", suffix=self.suffix, kind=kind) from None

    def _json(self) -> Iterator[tuple[int, list[ParsedRecord | RecordError]]]:
        if self.path.stat().st_size > MAX_UPLOAD_BYTES:
            raise UnreadableFileError("unreadable_file", suffix=self.suffix, kind="TooLargeForJson")
        items = read_upload(self.name, self.path.read_bytes())
        self.rows_total = len(items)
        for start in range(0, len(items), CHUNK_ROWS):
            part = items[start : start + CHUNK_ROWS]
            yield len(part), part


def _kind(error: FileReadError) -> str:
    text = str(error)
    return "MissingColumns" if text.startswith("the file has no column") else type(error).__name__


def _refuse_file_problem(items: list[ParsedRecord | RecordError]) -> None:
    """A workbook beyond the upload limits gives one `(file)` error instead of records: refuse it."""
    from amnesty.jobs.inputs import _file_refusal

    refusal = _file_refusal(items)
    if refusal is not None:
        raise refusal


def import_streamed(
    db: Session,
    job_id: int,
    path: Path,
    name: str,
    actor: str,
    law: Law,
    as_of: Any,
    stop_if_asked: Any,
    problems: list[RowProblem],
    counts: StreamCounts,
) -> None:
    """Import the file chunk by chunk into the register, updating `counts` and `problems` (capped at
    `MAX_ERRORS`) as each chunk is committed. Raises `UnreadableFileError` (after the chunks before
    it were committed) and whatever `stop_if_asked` raises."""
    from amnesty.jobs.inputs import row_problems

    chunks = SpooledChunks(path, name)
    for rows, items in chunks:
        checked = check_import(items)
        valid: list[ParsedRecord | RecordError] = [item for item in checked if isinstance(item, ParsedRecord)]
        invalid = [item for item in checked if isinstance(item, RecordError)]
        if valid:
            result = import_records(db, valid, actor, law=law, as_of=as_of, chunk_size=len(valid))
            counts.imported += result.records
            counts.created += result.created
            counts.updated += result.updated
            counts.unchanged += result.unchanged
            counts.decisions += result.decisions
            counts.tasks += result.tasks
            counts.matched_by_iin += result.matched_by_iin
        counts.rejected += len(invalid)
        counts.records += len(items)
        counts.rows_read += rows
        if len(problems) < MAX_ERRORS:
            problems.extend(row_problems(invalid)[: MAX_ERRORS - len(problems)])
        total_rows = max(chunks.rows_total or 0, counts.rows_read)
        record_progress(
            db,
            job_id,
            total=total_rows,
            done=counts.rows_read,
            decided=counts.imported,
            rejected=counts.rejected,
        )
        db.commit()
        stop_if_asked(db, job_id)
