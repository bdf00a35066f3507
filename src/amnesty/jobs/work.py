"""What each kind of job does, with its progress written to the job's row in batches.

- import of a spooled upload (a large file, `amnesty.jobs.uploads`): `amnesty.jobs.streamed`, chunk
  by chunk, valid records stored and invalid ones listed, one transaction per chunk;
- import: read the file (`amnesty.jobs.inputs`), check every row; a dry run evaluates the valid rows
  without storing anything and keeps the file so that it can be added to the register afterwards;
  a real import stores and evaluates every record with `amnesty.store.cases.import_records` (one
  transaction per chunk, the job's progress written in it) or, if any row is invalid, stores nothing
  and lists every rejected row with its reasons;
- reevaluate: `amnesty.store.cases.reevaluate_all` under the current law pack, progress per batch;
- impact: every stored case decided under the law and under a variant (`amnesty.impact`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from amnesty.audit.chain import record_event
from amnesty.domain.records import CaseRecord, FieldError, defaults_applied
from amnesty.engine.evaluate import evaluate
from amnesty.impact.compare import ImpactReport, PersonChange, compare_decisions
from amnesty.impact.variant import parse_variant, variant_law
from amnesty.io.json_records import ParsedRecord, RecordError
from amnesty.jobs.inputs import UnreadableFileError, read_upload, row_problems
from amnesty.jobs.kinds import JobKind, JobStatus
from amnesty.jobs.outputs import decision_line, pack_lines
from amnesty.jobs.queue import (
    RowProblem,
    cancel_requested,
    committed_counts,
    finish_job,
    get_job,
    record_progress,
)
from amnesty.jobs.streamed import StreamCounts, import_streamed
from amnesty.jobs.uploads import spool_path
from amnesty.law.loader import Law, LawPackError
from amnesty.law.registry import get_law
from amnesty.render.validation import message
from amnesty.store.cases import (
    POSSIBLY_SAME_LISTED,
    ImportRejectedError,
    ImportResult,
    ReevaluationResult,
    check_import,
    import_records,
    reevaluate_all,
    trial_matches,
)
from amnesty.store.convert import case_to_record
from amnesty.store.models import Case, JobRow

LOG = logging.getLogger("amnesty.jobs")
BATCH = 500
SAMPLE = 50
"""Decisions of a dry run shown on its page (the counts cover every row)."""


class JobCancelledError(Exception):
    """Someone asked the job to stop; work committed so far stays."""


def _stop_if_asked(db: Session, job_id: int) -> None:
    """Raise `JobCancelledError` when someone asked the job to stop."""
    if cancel_requested(db, job_id):
        raise JobCancelledError


def as_of_param(job: JobRow) -> dt.date | None:
    """The job's evaluation date parameter, if any."""
    value = (job.params or {}).get("as_of")
    return dt.date.fromisoformat(value) if value else None


def law_param(job: JobRow, served: Law) -> Law:
    """The law the job was started under (its `law` parameter, chosen on the web page), else the
    runner's own law; an id no registered law has fails the job (`UnknownLawError`), never falls
    back to another law."""
    wanted = (job.params or {}).get("law")
    if not wanted or wanted == served.pack.id:
        return served
    return get_law(str(wanted))


def run_job(sessions: sessionmaker[Session], law: Law, job_id: int, echo: ProgressEcho | None = None) -> None:
    """Do a claimed (running) job to its end: done, failed or cancelled, audited at start and end."""
    with sessions() as db:
        job = get_job(db, job_id)
        if job is None:
            return
        record_event(db, job.created_by, "job.start", "job", job_id, {"kind": job.kind})
        db.commit()
        try:
            EXECUTORS[JobKind(job.kind)](db, job, law_param(job, law), echo)
        except JobCancelledError:
            db.rollback()
            finish_job(db, job_id, JobStatus.CANCELLED, {"message": "cancelled on request"})
        except Exception as error:
            db.rollback()
            # the type only: a traceback may quote case data (with DEBUG logging, the traceback too)
            LOG.error(
                "job %s (%s) failed: %s",
                job_id,
                job.kind,
                type(error).__name__,
                exc_info=LOG.isEnabledFor(logging.DEBUG),
            )
            stored = db.scalar(select(JobRow.decided).where(JobRow.id == job_id)) or 0
            text = f"the job stopped on an unexpected error ({type(error).__name__})"
            if job.kind == JobKind.IMPORT.value and stored:
                text += (
                    f"; {stored} rows had been stored before it (importing the same file again "
                    "completes it: stored rows are left unchanged)"
                )
            summary = {"failure": "error", "message": text, "stored": stored} | committed_counts(db, job_id)
            finish_job(db, job_id, JobStatus.FAILED, summary)


ProgressEcho = Callable[[int, int], None]
"""Told (done, total) after each batch: the command line's progress bar."""


def _echo(echo: ProgressEcho | None, done: int, total: int) -> None:
    if echo is not None:
        echo(done, total)


def _import(db: Session, job: JobRow, law: Law, echo: ProgressEcho | None) -> None:
    spooled = spool_path(job.params)
    if spooled is not None:
        _import_spooled(db, job, law, echo, spooled)
        return
    dry_run = bool((job.params or {}).get("dry_run"))
    try:
        items = read_upload(job.input_name or "", job.input or b"")
    except UnreadableFileError as error:
        problem = RowProblem(
            row=0, person_id=None, field="(file)", problem=str(error), code=error.code, params=error.params
        )
        summary = {"failure": "unreadable", "message": str(error), "stored": 0}
        summary |= {"message_code": error.code, "message_params": error.params}
        finish_job(db, job.id, JobStatus.FAILED, summary, [problem])
        return
    total = len(items)
    record_progress(db, job.id, total=total)
    db.commit()
    _echo(echo, 0, total)
    _stop_if_asked(db, job.id)
    if dry_run:
        checked = check_import(items)
        invalid = [item for item in checked if isinstance(item, RecordError)]
        valid = [item for item in checked if isinstance(item, ParsedRecord)]
        _dry_run(db, job, law, valid, invalid, echo)
        return

    def progress(session: Session, result: ImportResult) -> None:
        stored = len(result.case_ids)
        record_progress(session, job.id, done=stored, decided=stored)
        session.commit()
        _echo(echo, stored, total)
        _stop_if_asked(session, job.id)

    try:
        result = import_records(db, items, job.created_by, law=law, as_of=as_of_param(job), on_chunk=progress)
    except ImportRejectedError as error:
        db.rollback()
        invalid = error.errors
        code = "rows_invalid" if items else "empty_file_import"
        params = {"count": str(len(invalid)), "total": str(total)} if items else {}
        summary = {"failure": "rejected", "message": message(code, "en", **params)}
        summary |= {"message_code": code, "message_params": params}
        finish_job(
            db,
            job.id,
            JobStatus.FAILED,
            summary | {"valid": total - len(invalid), "stored": 0},
            row_problems(invalid),
            total=total,
            done=total,
            decided=0,
            rejected=len(invalid),
        )
        return
    summary = result.to_json_dict()
    summary.pop("case_ids")
    summary["stored"] = result.records
    finish_job(
        db, job.id, JobStatus.DONE, summary, [], total=total, done=total, decided=result.records, rejected=0
    )


def _import_spooled(db: Session, job: JobRow, law: Law, echo: ProgressEcho | None, path: Path) -> None:
    """Import a spooled file chunk by chunk (`amnesty.jobs.streamed`): valid records stored, invalid
    ones listed; stopped (asked, or an unreadable part), it states what it committed."""
    counts = StreamCounts()
    problems: list[RowProblem] = []

    def stop_if_asked(session: Session, job_id: int) -> None:
        _echo(echo, counts.records, counts.records)
        _stop_if_asked(session, job_id)

    def finish(status: JobStatus, extra: dict[str, Any], more: list[RowProblem]) -> None:
        summary = counts.to_json_dict() | {"streamed": True} | extra
        finish_job(
            db,
            job.id,
            status,
            summary,
            problems + more,
            total=counts.records,
            done=counts.records,
            decided=counts.imported,
            rejected=counts.rejected,
        )

    try:
        import_streamed(
            db,
            job.id,
            path,
            job.input_name or "",
            job.created_by,
            law,
            as_of_param(job),
            stop_if_asked,
            problems,
            counts,
        )
    except UnreadableFileError as error:
        db.rollback()
        problem = RowProblem(
            row=0, person_id=None, field="(file)", problem=str(error), code=error.code, params=error.params
        )
        extra = {"failure": "unreadable", "message": str(error)}
        finish(
            JobStatus.FAILED, extra | {"message_code": error.code, "message_params": error.params}, [problem]
        )
        return
    except JobCancelledError:
        db.rollback()
        finish(JobStatus.CANCELLED, {"message": "cancelled on request"}, [])
        return
    finish(JobStatus.DONE, {}, [])


def _dry_run(
    db: Session,
    job: JobRow,
    law: Law,
    valid: list[ParsedRecord],
    invalid: list[RecordError],
    echo: ProgressEcho | None,
) -> None:
    """Evaluate the valid rows without storing anything; keep the file for "add to the register"."""
    as_of = as_of_param(job)
    outcomes: Counter[str] = Counter()
    lines: list[dict[str, Any]] = []
    total = len(valid) + len(invalid)
    matched = 0
    flagged: list[dict[str, Any]] = []
    for start in range(0, len(valid), BATCH):
        batch_matched, batch_flagged = trial_matches(db, valid[start : start + BATCH])
        matched += batch_matched
        flagged.extend(batch_flagged)
        for item in valid[start : start + BATCH]:
            try:
                decision = evaluate(item.record, law, as_of=as_of)
            except (OverflowError, ValueError, ValidationError):
                problem = FieldError(
                    field="(record)",
                    problem=message("cannot_evaluate_record", "en"),
                    code="cannot_evaluate_record",
                )
                invalid.append(RecordError(item.index, item.line, item.record.person_id, (problem,)))
                continue
            outcomes[decision.outcome.value] += 1
            lines.append(decision_line(item.line if item.line is not None else item.index + 1, decision))
        done = min(start + BATCH, len(valid))
        record_progress(db, job.id, done=done, decided=len(lines))
        db.commit()
        _echo(echo, done, total)
        _stop_if_asked(db, job.id)
    db.execute(update(JobRow).where(JobRow.id == job.id).values(output=pack_lines(lines)))
    invalid.sort(key=lambda error: error.index)
    summary = {
        "dry_run": True,
        "valid": len(lines),
        "stored": 0,
        "matched_by_iin": matched,
        "possibly_same": len(flagged),
        "possibly_same_rows": flagged[:POSSIBLY_SAME_LISTED],
        "defaults_applied": defaults_applied(item.record for item in valid),
        "outcomes": dict(sorted(outcomes.items())),
        "sample": lines[:SAMPLE],
        "can_add": bool(lines) and not invalid,
    }
    finish_job(
        db,
        job.id,
        JobStatus.DONE,
        summary,
        row_problems(invalid),
        keep_input=bool(lines) and not invalid,
        total=total,
        done=total,
        decided=len(lines),
        rejected=len(invalid),
    )


def _reevaluate(db: Session, job: JobRow, law: Law, echo: ProgressEcho | None) -> None:
    total = int(db.scalar(select(func.count(Case.id))) or 0)
    record_progress(db, job.id, total=total)
    db.commit()
    job_id = job.id

    def progress(session: Session, result: ReevaluationResult) -> None:
        record_progress(session, job_id, done=result.cases, decided=result.cases)
        session.commit()
        _echo(echo, result.cases, total)
        if cancel_requested(session, job_id):
            raise JobCancelledError

    result = reevaluate_all(db, job.created_by, law=law, as_of=as_of_param(job), on_batch=progress)
    finish_job(
        db,
        job_id,
        JobStatus.DONE,
        {
            "cases": result.cases,
            "new_decisions": result.new_decisions,
            "changed_outcomes": result.changed_outcomes,
            "law_version": law.version,
        },
        [],
        total=total,
        done=result.cases,
        decided=result.cases,
        rejected=0,
    )


def _impact(db: Session, job: JobRow, law: Law, echo: ProgressEcho | None) -> None:
    job_id = job.id
    source = job.input_name or "variant.yaml"
    try:
        variant = parse_variant((job.input or b"").decode("utf-8"), source)
        other = variant_law(variant)
    except (LawPackError, UnicodeDecodeError) as error:
        text = str(error) if isinstance(error, LawPackError) else "the variant is not UTF-8 text"
        problem = RowProblem(row=0, person_id=None, field="(variant)", problem=text)
        finish_job(db, job_id, JobStatus.FAILED, {"failure": "invalid_variant", "message": text}, [problem])
        return
    as_of = as_of_param(job)
    total = int(db.scalar(select(func.count(Case.id))) or 0)
    record_progress(db, job_id, total=total)
    db.commit()
    changes: list[PersonChange] = []
    problems: list[RowProblem] = []
    last_id = 0
    done = 0
    while True:
        cases = list(
            db.scalars(
                select(Case)
                .where(Case.id > last_id)
                .order_by(Case.id)
                .limit(BATCH)
                .options(selectinload(Case.person), selectinload(Case.charges), selectinload(Case.sentence))
            )
        )
        if not cases:
            break
        for case in cases:
            last_id = case.id
            done += 1
            try:
                record: CaseRecord = case_to_record(case)
                changes.append(
                    compare_decisions(record, evaluate(record, law, as_of), evaluate(record, other, as_of))
                )
            except (ValidationError, ValueError, OverflowError) as error:
                problems.append(
                    RowProblem(row=case.id, person_id=None, field="(case)", problem=type(error).__name__)
                )
        db.expunge_all()
        record_progress(db, job_id, done=done, decided=len(changes), rejected=len(problems))
        db.commit()
        _echo(echo, done, total)
        if cancel_requested(db, job_id):
            raise JobCancelledError
    report = ImpactReport(
        baseline_version=law.version,
        variant_version=other.version,
        variant_name=variant.name,
        as_of=as_of,
        changes=tuple(changes),
        rejected=len(problems),
    )
    finish_job(
        db,
        job_id,
        JobStatus.DONE,
        report.to_json_dict(),
        problems,
        total=total,
        done=done,
        decided=len(changes),
        rejected=len(problems),
    )


Executor = Callable[[Session, JobRow, Law, ProgressEcho | None], None]
EXECUTORS: dict[JobKind, Executor] = {
    JobKind.IMPORT: _import,
    JobKind.REEVALUATE: _reevaluate,
    JobKind.IMPACT: _impact,
}
