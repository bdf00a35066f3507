"""Submitting, claiming, reading and cancelling jobs: the `jobs` table is the only shared state.

A runner claims the oldest queued job with `UPDATE jobs SET status = 'running' WHERE id = ? AND
status = 'queued'`: exactly one process gets a row count of 1, on SQLite and PostgreSQL alike. A
running job writes a heartbeat with its progress. The runner that claims a job records its process
in the job (`RUNNER`: host, boot, process id and start time); `fail_stale_jobs`, which every runner
calls when it starts and then every minute, marks failed a running job whose recorded process has
ended on this host (killed, or the machine restarted), and one whose heartbeat stopped for
`STALE_AFTER` (a process on another host, or a job claimed before the process was recorded).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.auth.roles import Role
from amnesty.io.text import storable
from amnesty.jobs.kinds import SEE_ALL_JOBS, JobKind, JobStatus
from amnesty.render.validation import describe_problem, problem_text, stable_code
from amnesty.store.models import JobRow, utcnow

MAX_ERRORS = 1000
"""Rejected-row problems kept on a job (the count of rejected rows is always complete)."""

Job = JobRow
"""A queued job as the API's routes hold it (the stored row; they read it and pass it back here)."""

STALE_AFTER = dt.timedelta(minutes=10)
"""A running job without a heartbeat for this long is taken for dead (its process stopped)."""

RUNNER = "_runner"
"""The key of a job's `params` naming the process that runs it (`this_process`); not shown to users."""

KEEP_FILES_FOR = dt.timedelta(hours=24)
"""A finished job's uploaded file and dry-run decisions (personal data) are dropped after this long."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of one input row: row number (line of the file, or position from 1), person, field,
    the problem in English, and its stable code and parameters (what renders it in other languages)."""

    row: int
    person_id: str | None
    field: str
    problem: str
    code: str = ""
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def to_json_dict(self) -> dict[str, Any]:
        """JSON shape of a job's `errors` entries (`code` and `params` as data, `problem` in English)."""
        return {
            "row": self.row,
            "person_id": self.person_id,
            "field": self.field,
            "problem": self.problem,
            "code": stable_code(self.code, self.problem),
            "params": dict(self.params),
        }


def localised_problem(entry: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A job's `errors` entry with `message` in `language`, naming the field by its label (entries
    stored before problems carried codes are recognised by their English text)."""
    entry = storable(entry)  # rows stored before text was made storable
    field_name = str(entry.get("field", ""))
    problem = str(entry.get("problem", ""))
    code = str(entry.get("code") or "")
    params = {str(k): str(v) for k, v in (entry.get("params") or {}).items()}
    return {
        **entry,
        "code": stable_code(code, problem),
        "message": describe_problem(field_name, code, params, problem, language),
    }


def localised_result(result: Mapping[str, Any] | None, language: str) -> dict[str, Any] | None:
    """A job's result summary with its `message` in `language` when the message has a code."""
    if result is None:
        return None
    result = storable(result)
    code = result.get("message_code")
    if not code:
        return dict(result)
    params = {str(k): str(v) for k, v in (result.get("message_params") or {}).items()}
    return {**result, "message": problem_text(str(code), params, str(result.get("message", "")), language)}


def submit_job(
    db: Session,
    kind: JobKind,
    created_by: str,
    params: dict[str, Any] | None = None,
    input_name: str | None = None,
    content: bytes | None = None,
) -> JobRow:
    """Queue a job (the caller commits; then wake a runner)."""
    job = JobRow(
        kind=kind.value,
        status=JobStatus.QUEUED.value,
        total=0,
        done=0,
        decided=0,
        rejected=0,
        errors=[],
        params=params or {},
        input_name=input_name,
        input=content,
        cancel_requested=False,
        created_by=created_by,
    )
    db.add(job)
    db.flush()
    record_event(db, created_by, "job.submit", "job", job.id, {"kind": kind.value})
    return job


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return None


def _start_time(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, from /proc), or None where unknown."""
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def this_process() -> dict[str, Any]:
    """This process, as a claimed job records it: host, boot, process id, start time."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "boot": _boot_id(), "pid": pid, "start": _start_time(pid)}


def process_ended(owner: Mapping[str, Any]) -> bool:
    """True when the recorded process is known to have ended: on this host, the machine restarted
    since, or no process has its id, or another process took its id. A process on another host is
    never known to have ended (its jobs fail by their heartbeat)."""
    if owner.get("host") != socket.gethostname():
        return False
    boot = _boot_id()
    if boot is not None and owner.get("boot") not in (None, boot):
        return True
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    recorded, now = owner.get("start"), _start_time(pid)
    return recorded is not None and now is not None and recorded != now


def record_runner(db: Session, job_id: int) -> None:
    """Record this process as the one running the job (commits)."""
    params = db.scalar(select(JobRow.params).where(JobRow.id == job_id)) or {}
    db.execute(update(JobRow).where(JobRow.id == job_id).values(params={**params, RUNNER: this_process()}))
    db.commit()


def public_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """A job's parameters as users see them (without the runner's record)."""
    return {key: value for key, value in (params or {}).items() if key != RUNNER}


def claim_next_job(db: Session) -> int | None:
    """Claim the oldest queued job for this runner (commits); its id, or None when none is queued."""
    while True:
        candidate = db.scalar(
            select(JobRow.id).where(JobRow.status == JobStatus.QUEUED.value).order_by(JobRow.id).limit(1)
        )
        if candidate is None:
            db.rollback()
            return None
        now = utcnow()
        claimed = db.execute(
            update(JobRow)
            .where(JobRow.id == candidate, JobRow.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.RUNNING.value, started_at=now, heartbeat_at=now)
        )
        db.commit()
        if getattr(claimed, "rowcount", 0) == 1:
            record_runner(db, int(candidate))
            return int(candidate)


def record_progress(db: Session, job_id: int, **counts: int) -> None:
    """Write progress counts and the heartbeat in the caller's transaction."""
    db.execute(update(JobRow).where(JobRow.id == job_id).values(heartbeat_at=utcnow(), **counts))


def cancel_requested(db: Session, job_id: int) -> bool:
    """Whether someone asked to cancel the job."""
    return bool(db.scalar(select(JobRow.cancel_requested).where(JobRow.id == job_id)))


def finish_job(
    db: Session,
    job_id: int,
    status: JobStatus,
    result: dict[str, Any] | None,
    errors: list[RowProblem] | None = None,
    keep_input: bool = False,
    **counts: int,
) -> None:
    """Record the end of a job (counts, result summary, capped row problems) and audit it; commits."""
    values: dict[str, Any] = {
        "status": status.value,
        "finished_at": utcnow(),
        "result": storable(result),
        **counts,
    }
    if errors is not None:
        values["errors"] = [storable(problem.to_json_dict()) for problem in errors[:MAX_ERRORS]]
    if not keep_input:
        values["input"] = None
    db.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
    job = db.get(JobRow, job_id, populate_existing=True)
    if job is not None:
        record_event(
            db,
            job.created_by,
            "job.finish",
            "job",
            job_id,
            {
                "kind": job.kind,
                "status": status.value,
                "total": job.total,
                "done": job.done,
                "decided": job.decided,
                "rejected": job.rejected,
            },
        )
    db.commit()


def request_cancel(db: Session, job: JobRow, actor: str) -> bool:
    """Cancel a queued job at once, or ask a running job to stop: a re-evaluation, an impact run or an
    import checks between its batches (an import keeps the chunks it committed: importing the same
    file again completes it), and a job in a child process of `amnesty serve` that does not stop by
    itself within `amnesty.jobs.runner.CANCEL_GRACE_SECONDS` (still reading its file) has its
    process ended. Commits; True if accepted."""
    if job.status == JobStatus.QUEUED.value:
        done = db.execute(
            update(JobRow)
            .where(JobRow.id == job.id, JobRow.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.CANCELLED.value, finished_at=utcnow(), input=None)
        )
        if getattr(done, "rowcount", 0) != 1:
            db.rollback()
            return False
    elif job.status == JobStatus.RUNNING.value:
        db.execute(update(JobRow).where(JobRow.id == job.id).values(cancel_requested=True))
    else:
        return False
    record_event(db, actor, "job.cancel", "job", job.id, {"kind": job.kind})
    db.commit()
    db.refresh(job)
    return True


def get_job(db: Session, job_id: int) -> JobRow | None:
    """A job by id."""
    return db.get(JobRow, job_id, populate_existing=True)


def visible_jobs(
    db: Session, username: str, role: Role | str, limit: int = 50, offset: int = 0
) -> tuple[list[JobRow], int]:
    """The user's jobs (every job for admins and auditors), newest first, and how many there are."""
    query = select(JobRow)
    count = select(func.count(JobRow.id))
    if Role(role) not in SEE_ALL_JOBS:
        query = query.where(JobRow.created_by == username)
        count = count.where(JobRow.created_by == username)
    rows = list(db.scalars(query.order_by(JobRow.id.desc()).limit(limit).offset(offset)))
    return rows, int(db.scalar(count) or 0)


def fail_stale_jobs(db: Session, now: dt.datetime | None = None) -> int:
    """Mark failed the running jobs whose process ended (`process_ended`) or whose heartbeat stopped
    for `STALE_AFTER`; commits; how many."""
    limit = (now or utcnow()) - STALE_AFTER
    running = db.execute(
        select(JobRow.id, JobRow.params, JobRow.heartbeat_at).where(JobRow.status == JobStatus.RUNNING.value)
    ).all()
    failed = 0
    for job_id, params, heartbeat in running:
        owner = (params or {}).get(RUNNER)
        if isinstance(owner, dict) and process_ended(owner):
            message = "the process running this job ended (it was stopped, or the machine restarted)"
        elif heartbeat is not None and _aware(heartbeat) < limit:
            message = "the server process running this job stopped"
        else:
            continue
        finish_job(db, job_id, JobStatus.FAILED, {"failure": "interrupted", "message": message})
        failed += 1
    db.rollback()
    return failed


def _aware(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone (SQLite gives it back without)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def purge_old_files(db: Session, now: dt.datetime | None = None) -> int:
    """Drop the uploaded files and dry-run decisions of jobs finished more than `KEEP_FILES_FOR` ago
    (a dry run can then no longer be added); commits; how many jobs were cleared."""
    limit = (now or utcnow()) - KEEP_FILES_FOR
    cleared = db.execute(
        update(JobRow)
        .where(JobRow.finished_at < limit, (JobRow.input.is_not(None)) | (JobRow.output.is_not(None)))
        .values(input=None, output=None)
    )
    db.commit()
    return int(getattr(cleared, "rowcount", 0) or 0)


def percent(job: JobRow) -> int:
    """Progress in percent (100 when finished)."""
    if JobStatus(job.status).finished:
        return 100
    return min(99, int(100 * job.done / job.total)) if job.total else 0


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def job_json(job: JobRow, with_errors: bool = True, language: str | None = None) -> dict[str, Any]:
    """The JSON shape of a job for the API (rows in = decided + rejected once finished); with a
    `language`, each rejected row's problem also has a `message` in it, and the result's message is
    in it."""
    data: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "decided": job.decided,
        "rejected": job.rejected,
        "percent": percent(job),
        "params": storable(public_params(job.params)),
        "input_name": storable(job.input_name),
        "created_by": job.created_by,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "cancel_requested": job.cancel_requested,
        "result": storable(job.result),
    }
    if language is not None:
        data["result"] = localised_result(job.result, language)
    if with_errors:
        errors = list(job.errors or [])
        data["errors"] = (
            [localised_problem(e, language) for e in errors] if language is not None else storable(errors)
        )
    return data


class NotAddableError(ValueError):
    """The job is not a finished dry run whose every row is valid (or it was added already)."""


def submit_dry_run_for_storing(db: Session, source: JobRow, actor: str) -> JobRow:
    """Queue the import into the register of a dry run's file (all or nothing); the dry run keeps no
    copy of the file afterwards. Raises `NotAddableError`. The caller commits."""
    result = source.result or {}
    if (
        source.kind != JobKind.IMPORT.value
        or source.status != JobStatus.DONE.value
        or not result.get("dry_run")
        or not result.get("can_add")
        or source.input is None
    ):
        raise NotAddableError(
            "only a finished trial run whose every row is valid can be added to the register, once"
        )
    params = {key: value for key, value in public_params(source.params).items() if key != "dry_run"}
    job = submit_job(
        db, JobKind.IMPORT, actor, params | {"from_job": source.id}, source.input_name, source.input
    )
    source.input = None
    source.result = result | {"added_as": job.id}
    db.flush()
    return job
