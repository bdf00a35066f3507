"""Background jobs over HTTP: start an import, a re-evaluation or an impact run, follow its progress.

`POST` answers 202 with the queued job (and `Location`); `GET /api/jobs/{id}` gives its status, the
progress counts (total, done, decided, rejected) and every rejected row's problem (row, field,
problem; capped at 1000). Who may start which kind is `amnesty.jobs.kinds.START_ROLES`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from amnesty.api.deps import get_db, require_roles
from amnesty.api.errors import ApiError, FieldProblem, error_responses
from amnesty.jobs.inputs import MAX_UPLOAD_BYTES, UnreadableFileError, check_name
from amnesty.jobs.kinds import START_ROLES, USE_JOBS, JobKind, may_see
from amnesty.jobs.queue import (
    Job,
    NotAddableError,
    get_job,
    job_json,
    request_cancel,
    submit_dry_run_for_storing,
    submit_job,
    visible_jobs,
)
from amnesty.jobs.runner import runner_for
from amnesty.render.formats import language_from_accept
from amnesty.service.accounts import User

router = APIRouter(prefix="/jobs", tags=["jobs"])
ERRORS = error_responses(401, 403, 404, 409, 413, 415, 422)
MAX_VARIANT_BYTES = 1024 * 1024


def _read_limited(file: UploadFile, limit: int, field: str) -> bytes:
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise ApiError(
            413, "payload_too_large", f"{field}: the file is larger than {limit // (1024 * 1024)} MiB"
        )
    if not content:
        raise ApiError(
            422,
            "validation_error",
            f"{field}: the file is empty",
            [FieldProblem(field=field, problem="empty file")],
        )
    return content


def _as_of(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(
            422,
            "validation_error",
            "as_of must be a date (YYYY-MM-DD)",
            [FieldProblem(field="as_of", problem="not a date (YYYY-MM-DD)")],
        ) from None


def _language(request: Request) -> str:
    return language_from_accept(request.headers.get("accept-language"))


def _accepted(request: Request, db: Session, job: Job) -> JSONResponse:
    db.commit()
    runner_for(request.app).wake()
    body = job_json(job, language=_language(request))
    return JSONResponse(body, status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.post("/import", status_code=202, responses=ERRORS)
def start_import(
    request: Request,
    file: Annotated[UploadFile, File(description="JSON, JSON Lines, CSV, XLSX or Parquet (up to 50 MiB).")],
    dry_run: Annotated[bool, Form(description="Only evaluate and report; store nothing.")] = False,
    as_of: Annotated[str | None, Form(description="Evaluation date (default: entry into force).")] = None,
    user: User = Depends(require_roles(*START_ROLES[JobKind.IMPORT])),
    db: Session = Depends(get_db),
) -> JSONResponse:
    """Queue the import of a file: every record is stored and evaluated, or, if any row is invalid,
    nothing is stored and the job lists every rejected row with its reasons. With `dry_run` the rows
    are only evaluated; `POST /api/jobs/{id}/add` then stores them."""
    name = (file.filename or "").rsplit("/", 1)[-1][:200]
    try:
        check_name(name)
    except UnreadableFileError as error:
        raise ApiError(415, "unsupported_media_type", error.text(_language(request))) from None
    content = _read_limited(file, MAX_UPLOAD_BYTES, "file")
    params = {"dry_run": dry_run, "as_of": _as_of(as_of)}
    job = submit_job(db, JobKind.IMPORT, user.username, params, name, content)
    return _accepted(request, db, job)


@router.post("/reevaluate", status_code=202, responses=ERRORS)
def start_reevaluation(
    request: Request,
    as_of: Annotated[str | None, Query(description="Evaluation date (default: entry into force).")] = None,
    user: User = Depends(require_roles(*START_ROLES[JobKind.REEVALUATE])),
    db: Session = Depends(get_db),
) -> JSONResponse:
    """Queue the re-evaluation of every stored case under the current law pack (a new decision only
    where something changed)."""
    job = submit_job(db, JobKind.REEVALUATE, user.username, {"as_of": _as_of(as_of)})
    return _accepted(request, db, job)


@router.post("/impact", status_code=202, responses=ERRORS)
def start_impact(
    request: Request,
    variant: Annotated[UploadFile, File(description="A law variant (YAML overlay of the law pack).")],
    as_of: Annotated[str | None, Form(description="Evaluation date (default: entry into force).")] = None,
    user: User = Depends(require_roles(*START_ROLES[JobKind.IMPACT])),
    db: Session = Depends(get_db),
) -> JSONResponse:
    """Queue an impact run: every stored case decided under the law and under the variant, compared."""
    content = _read_limited(variant, MAX_VARIANT_BYTES, "variant")
    name = (variant.filename or "variant.yaml").rsplit("/", 1)[-1][:200]
    job = submit_job(db, JobKind.IMPACT, user.username, {"as_of": _as_of(as_of)}, name, content)
    return _accepted(request, db, job)


@router.get("", responses=ERRORS)
def list_jobs(
    request: Request,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    user: User = Depends(require_roles(*USE_JOBS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """The user's jobs, newest first (every job for administrators and auditors); without row errors."""
    runner_for(request.app)
    rows, total = visible_jobs(db, user.username, user.role, page_size, (page - 1) * page_size)
    return {
        "items": [job_json(job, with_errors=False) for job in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def _visible(db: Session, job_id: int, user: User) -> Job:
    job = get_job(db, job_id) if 0 < job_id < 2**31 else None
    if job is None or not may_see(user.role, user.username, job.created_by):
        raise ApiError(404, "not_found", f"no job {job_id}")
    return job


@router.get("/{job_id}", responses=ERRORS)
def read_job(
    request: Request,
    job_id: int,
    user: User = Depends(require_roles(*USE_JOBS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """A job: status, progress counts, result summary and every rejected row's problem (its field, stable
    `code`, English `problem`, and `message` in the language of `Accept-Language`)."""
    return job_json(_visible(db, job_id, user), language=_language(request))


@router.post("/{job_id}/cancel", responses=ERRORS)
def cancel_job(
    request: Request,
    job_id: int,
    user: User = Depends(require_roles(*USE_JOBS)),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """Cancel a queued job, or stop a running re-evaluation or impact run after its current batch."""
    job = _visible(db, job_id, user)
    if not request_cancel(db, job, user.username):
        raise ApiError(409, "conflict", f"job {job_id} is {job.status}; it cannot be cancelled now")
    return job_json(job, language=_language(request))


@router.post("/{job_id}/add", status_code=202, responses=ERRORS)
def add_dry_run(
    request: Request,
    job_id: int,
    user: User = Depends(require_roles(*START_ROLES[JobKind.IMPORT])),
    db: Session = Depends(get_db),
) -> JSONResponse:
    """Store the rows of a finished dry run whose every row is valid (queues the import job)."""
    source = _visible(db, job_id, user)
    try:
        job = submit_dry_run_for_storing(db, source, user.username)
    except NotAddableError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return _accepted(request, db, job)
