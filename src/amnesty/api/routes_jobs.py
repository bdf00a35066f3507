"""Background jobs over HTTP: start an import, a re-evaluation or an impact run, follow its progress.

`POST` answers 202 with the queued job (and `Location`); `GET /api/jobs/{id}` gives its status, the
progress counts (total, done, decided, rejected) and every rejected row's problem (row, field,
problem; capped at 1000). Who may start which kind is `amnesty.jobs.kinds.START_ROLES`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
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
from amnesty.jobs.uploads import (
    SPOOL_PARAM,
    ReceivedUpload,
    UploadError,
    limit_words,
    receive_upload,
    upload_limit,
)
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


IMPORT_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "JSON, JSON Lines, CSV, XLSX or Parquet: up to 50 MiB, or with "
                            "`chunked` up to the upload limit (AMNESTY_UPLOAD_MAX_MB, default 600 MiB).",
                        },
                        "dry_run": {
                            "type": "boolean",
                            "description": "Only evaluate and report; store nothing.",
                        },
                        "as_of": {"type": "string", "format": "date", "description": "Evaluation date."},
                        "chunked": {
                            "type": "boolean",
                            "description": "Import a large file chunk by chunk: valid records stored, "
                            "invalid ones listed (not all or nothing; no dry run).",
                        },
                    },
                }
            }
        },
    }
}


@router.post("/import", status_code=202, responses=ERRORS, openapi_extra=IMPORT_FORM)
async def start_import(
    request: Request, user: User = Depends(require_roles(*START_ROLES[JobKind.IMPORT]))
) -> JSONResponse:
    """Queue the import of a file: every record is stored and evaluated, or, if any row is invalid,
    nothing is stored and the job lists every rejected row with its reasons. With `dry_run` the rows
    are only evaluated; `POST /api/jobs/{id}/add` then stores them. With `chunked` (a registry file
    beyond 50 MiB) the file is read and stored chunk by chunk: valid records are stored, invalid ones
    listed, each chunk one transaction. The body is spooled to disk as it arrives; the limit holds
    while it streams (`amnesty.jobs.uploads`)."""
    try:
        received = await receive_upload(request.headers, request.stream(), upload_limit())
    except UploadError as error:
        if error.reason == "too_large":
            megabytes = limit_words(error.limit)
            raise ApiError(
                413, "payload_too_large", f"file: the file is larger than {megabytes} MiB"
            ) from None
        problem = [FieldProblem(field="file", problem="no file in a multipart form")]
        raise ApiError(422, "validation_error", "file: no file was sent", problem) from None
    try:
        return await run_in_threadpool(_queue_import, request, user, received)
    except BaseException:
        received.discard()
        raise


def _form_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes", "on")


def _queue_import(request: Request, user: User, received: ReceivedUpload) -> JSONResponse:
    """The work of `start_import` once the file is spooled (in a worker thread: it uses the database)."""
    name = (received.filename or "").rsplit("/", 1)[-1][:200]
    try:
        check_name(name)
    except UnreadableFileError as error:
        raise ApiError(415, "unsupported_media_type", error.text(_language(request))) from None
    fields = received.fields
    chunked, dry_run = _form_flag(fields.get("chunked")), _form_flag(fields.get("dry_run"))
    if received.size == 0:
        problem = [FieldProblem(field="file", problem="empty file")]
        raise ApiError(422, "validation_error", "file: the file is empty", problem)
    if chunked and dry_run:
        problem = [FieldProblem(field="dry_run", problem="a chunked import stores as it goes")]
        raise ApiError(422, "validation_error", "dry_run and chunked cannot be combined", problem)
    if not chunked and received.size > MAX_UPLOAD_BYTES:
        raise ApiError(
            413,
            "payload_too_large",
            f"file: the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB; "
            "send it with chunked=true to import it chunk by chunk",
        )
    params: dict[str, Any] = {"dry_run": dry_run, "as_of": _as_of(fields.get("as_of"))}
    sessions = request.app.state.sessions
    with sessions() as db:
        if chunked:
            job = submit_job(
                db, JobKind.IMPORT, user.username, params | {SPOOL_PARAM: str(received.path)}, name
            )
        else:
            content = received.path.read_bytes()
            received.discard()
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
