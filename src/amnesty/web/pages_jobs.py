"""Pages of the background jobs: the batch upload (a trial run, then "add to the register"), the job
list, and a progress page per job (polled by htmx) for imports, re-evaluations and impact runs.

The work runs in the job runner (`amnesty.jobs`), never in the request; the pages read the job's row,
so any server process can show any job. Who may start and see which job is `amnesty.jobs.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from amnesty.auth import csrf_token
from amnesty.auth.roles import Role
from amnesty.domain.enums import Category
from amnesty.impact.compare import UNKNOWN
from amnesty.jobs.inputs import ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES
from amnesty.jobs.kinds import USE_JOBS, JobKind, JobStatus, may_see, may_start
from amnesty.jobs.outputs import DECISION_COLUMNS, REJECTED_COLUMNS, csv_text, jsonl_text, unpack_lines
from amnesty.jobs.queue import (
    NotAddableError,
    get_job,
    localised_problem,
    localised_result,
    percent,
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
from amnesty.law.registry import DEFAULT_LAW_ID
from amnesty.service.exports import ExportFormat, impact_rows
from amnesty.store.models import JobRow
from amnesty.web.downloads import download
from amnesty.web.i18n import gettext
from amnesty.web.labels import N_
from amnesty.web.laws import LAW_FIELD, picked_law
from amnesty.web.templating import ENV, by_name, render
from amnesty.web.viewer import Viewer, check_csrf, is_partial, signed_in

router = APIRouter()

JOB_WORDS: dict[str, str] = {
    JobKind.IMPORT: N_("Import"),
    JobKind.REEVALUATE: N_("Re-evaluation of the register"),
    JobKind.IMPACT: N_("Impact of a law variant"),
    JobStatus.QUEUED: N_("Queued"),
    JobStatus.RUNNING: N_("Running"),
    JobStatus.DONE: N_("Done"),
    JobStatus.FAILED: N_("Failed"),
    JobStatus.CANCELLED: N_("Cancelled"),
}


def may_use_jobs(user: Any) -> bool:
    """Whether the menu shows the jobs page to the user (a template global)."""
    return user is not None and Role(user.role) in USE_JOBS


ENV.globals["may_use_jobs"] = may_use_jobs


def job_label(value: str) -> str:
    """A job kind or status in the reader's language."""
    message = JOB_WORDS.get(value)
    return gettext(message) if message is not None else value


def impact_order(kind: str, names: Iterable[str]) -> list[str]:
    """The groups of an impact result as the reader looks for them: regions in the alphabetical order
    of their names in the reader's language, categories from the least grave; "not recorded" last."""
    known = [name for name in names if name != UNKNOWN]
    if kind == "region":
        known = by_name(known, "region")
    else:
        gravity = {category.value: category.gravity for category in Category}
        known.sort(key=lambda name: (gravity.get(name, 99), name))
    return known + ([UNKNOWN] if UNKNOWN in names else [])


MAX_VARIANT_BYTES = 1024 * 1024
SHOWN_PROBLEMS = 200


def _user(request: Request, kind: JobKind | None = None) -> Viewer:
    """The signed-in user allowed to start `kind` (or to use jobs at all); else sign-in or 403."""
    user = signed_in(request)
    if user is None:
        raise HTTPException(status_code=303, headers={"Location": f"/signin?next={request.url.path}"})
    allowed = may_start(user.role, kind) if kind is not None else Role(user.role) in USE_JOBS
    if not allowed:
        raise HTTPException(status_code=403, detail=N_("Your role does not give access to this page."))
    return user


def _check_csrf(request: Request, token: str) -> None:
    check_csrf(request, token)


def _context(request: Request, user: Viewer, **extra: Any) -> dict[str, Any]:
    return {
        "user": user,
        "csrf": csrf_token(request),
        "JobKind": JobKind,
        "job_label": job_label,
        "may_start": may_start,
        "types": ", ".join(ACCEPTED_SUFFIXES),
        "impact_order": impact_order,
        "law": DEFAULT_LAW_ID,
        "trial_limit": limit_words(MAX_UPLOAD_BYTES),
        "import_limit": limit_words(upload_limit()),
        **extra,
    }


def _visible_job(request: Request, user: Viewer, job_id: int) -> JobRow:
    with request.app.state.sessions() as db:
        job = get_job(db, job_id) if 0 < job_id < 2**31 else None
        if job is None or not may_see(user.role, user.username, job.created_by):
            raise HTTPException(status_code=404)
        db.expunge(job)
        return job


def _recent(request: Request, user: Viewer) -> list[JobRow]:
    with request.app.state.sessions() as db:
        rows, _total = visible_jobs(db, user.username, user.role, limit=30)
        for row in rows:
            db.expunge(row)
        return rows


def _go(request: Request, url: str) -> Response:
    """To another page: a redirect, or for an htmx form an `HX-Redirect`."""
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _queued(request: Request, job_id: int) -> Response:
    runner_for(request.app).wake()
    return _go(request, f"/jobs/{job_id}")


def _refused(request: Request, template: str, context: dict[str, Any]) -> Response:
    """A form's page again with its error (422; 200 for htmx, which swaps only successful answers)."""
    return render(request, template, context, status_code=200 if is_partial(request) else 422)


@router.get("/batch")
def batch_page(request: Request) -> Response:
    """The upload form and the user's recent jobs."""
    user = _user(request, JobKind.IMPORT)
    context = _context(request, user, error=None, jobs=_recent(request, user), percent=percent)
    return render(request, "batch.html", context)


@router.post("/batch")
async def batch_upload(request: Request) -> Response:
    """Accept a file and queue its trial run (evaluated under the chosen law, not stored; the file
    kept in the database, up to 50 MiB) or, with `mode=import`, its import into the register (the
    file spooled to disk as it arrives, up to `amnesty.jobs.uploads.upload_limit()`, and read in
    chunks by the job). The body is parsed as it streams in: the limit holds while the file arrives."""
    limit = upload_limit()
    try:
        received = await receive_upload(request.headers, request.stream(), limit)
    except UploadError as error:
        return await run_in_threadpool(_upload_refused, request, error)
    return await run_in_threadpool(_batch_upload, request, received)


def _upload_refused(request: Request, error: UploadError) -> Response:
    """The upload form again, saying why the file was not taken (the limit in words)."""
    user = _user(request, JobKind.IMPORT)
    if error.reason == "too_large":
        text = gettext("The file is larger than {limit} MB, the most an upload may hold.").format(
            limit=limit_words(error.limit)
        )
    else:
        text = gettext("The file is empty.")
    context = _context(request, user, error=text, jobs=_recent(request, user), percent=percent)
    return _refused(request, "batch.html", context)


def _batch_upload(request: Request, received: ReceivedUpload) -> Response:
    """The work of `batch_upload` once the file is spooled (in a worker thread: it uses the database)."""
    try:
        user = _user(request, JobKind.IMPORT)
        _check_csrf(request, received.fields.get("csrf_token", ""))
    except HTTPException:
        received.discard()
        raise
    fields = received.fields
    law_id = picked_law(request, fields.get(LAW_FIELD, "")).pack.id
    name = (received.filename or "upload").rsplit("/", 1)[-1][:200]
    store = fields.get("mode") == "import"
    error = None
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        error = gettext("This file type is not accepted here. Upload one of: {types}.").format(
            types=", ".join(ACCEPTED_SUFFIXES)
        )
    elif not store and received.size > MAX_UPLOAD_BYTES:
        error = gettext(
            "The file is larger than {limit} MB, the most a trial run may hold: import it into the register instead."
        ).format(limit=limit_words(MAX_UPLOAD_BYTES))
    elif received.size == 0:
        error = gettext("The file is empty.")
    if error:
        received.discard()
        context = _context(request, user, error=error, jobs=_recent(request, user), percent=percent)
        return _refused(request, "batch.html", context)
    with request.app.state.sessions() as db:
        if store:
            params = {"dry_run": False, LAW_FIELD: law_id, SPOOL_PARAM: str(received.path)}
            job = submit_job(db, JobKind.IMPORT, user.username, params, name, None)
        else:
            content = received.path.read_bytes()
            received.discard()
            params = {"dry_run": True, LAW_FIELD: law_id}
            job = submit_job(db, JobKind.IMPORT, user.username, params, name, content)
        db.commit()
        job_id = job.id
    return _queued(request, job_id)


@router.get("/jobs")
def jobs_page(request: Request) -> Response:
    """The user's jobs (every job for administrators and auditors) and the forms to start one."""
    user = _user(request)
    context = _context(request, user, jobs=_recent(request, user), percent=percent, error=None)
    return render(request, "jobs.html", context)


@router.post("/jobs/reevaluate")
def start_reevaluation(
    request: Request,
    csrf_token_value: Annotated[str, Form(alias="csrf_token")] = "",
    law: Annotated[str, Form()] = "",
) -> Response:
    """Queue the re-evaluation of the whole register under the chosen law."""
    user = _user(request, JobKind.REEVALUATE)
    _check_csrf(request, csrf_token_value)
    law_id = picked_law(request, law).pack.id
    with request.app.state.sessions() as db:
        job_id = submit_job(db, JobKind.REEVALUATE, user.username, {LAW_FIELD: law_id}).id
        db.commit()
    return _queued(request, job_id)


@router.post("/jobs/impact")
async def start_impact(
    request: Request, variant: UploadFile, csrf_token_value: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """Queue an impact run of a law variant (YAML) over the register."""
    content = await variant.read(MAX_VARIANT_BYTES + 1)
    name = (variant.filename or "variant.yaml").rsplit("/", 1)[-1][:200]
    return await run_in_threadpool(_start_impact, request, csrf_token_value, name, content)


def _start_impact(request: Request, csrf_token_value: str, name: str, content: bytes) -> Response:
    """The work of `start_impact` once the file is read (in a worker thread: it uses the database)."""
    user = _user(request, JobKind.IMPACT)
    _check_csrf(request, csrf_token_value)
    if not content or len(content) > MAX_VARIANT_BYTES:
        error = gettext("The file is empty.") if not content else gettext("The file is larger than 1 MB.")
        context = _context(request, user, jobs=_recent(request, user), percent=percent, error=error)
        return _refused(request, "jobs.html", context)
    with request.app.state.sessions() as db:
        job_id = submit_job(db, JobKind.IMPACT, user.username, {}, name, content).id
        db.commit()
    return _queued(request, job_id)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int) -> Response:
    """A job's progress (the fragment is polled by htmx until the job ends) and its result."""
    user = _user(request)
    job = _visible_job(request, user, job_id)
    language = request.state.language
    problems = [localised_problem(entry, language) for entry in list(job.errors or [])[:SHOWN_PROBLEMS]]
    context = _context(
        request,
        user,
        job=job,
        status=JobStatus(job.status),
        percent=percent(job),
        result=localised_result(job.result, language) or {},
        problems=problems,
        may_add=may_start(user.role, JobKind.IMPORT),
    )
    template = "job_progress.html" if is_partial(request) else "job.html"
    return render(request, template, context)


@router.post("/jobs/{job_id}/add")
def add_to_register(
    request: Request, job_id: int, csrf_token_value: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """Store every row of a trial run whose rows are all valid (queues the import)."""
    user = _user(request, JobKind.IMPORT)
    _check_csrf(request, csrf_token_value)
    _visible_job(request, user, job_id)
    with request.app.state.sessions() as db:
        source = get_job(db, job_id)
        assert source is not None
        try:
            job_id = submit_dry_run_for_storing(db, source, user.username).id
        except NotAddableError:
            raise HTTPException(
                status_code=409, detail=N_("This trial run cannot be added (again).")
            ) from None
        db.commit()
    return _queued(request, job_id)


@router.post("/jobs/{job_id}/cancel")
def cancel(
    request: Request, job_id: int, csrf_token_value: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """Cancel a queued job, or stop a running one (`amnesty.jobs.queue.request_cancel`)."""
    user = _user(request)
    _check_csrf(request, csrf_token_value)
    _visible_job(request, user, job_id)
    with request.app.state.sessions() as db:
        job = get_job(db, job_id)
        assert job is not None
        request_cancel(db, job, user.username)
    return _go(request, f"/jobs/{job_id}")


@router.get("/jobs/{job_id}/{name}")
def job_download(request: Request, job_id: int, name: str) -> Response:
    """A trial run's decisions (CSV, JSON Lines), any job's rejected rows (CSV, JSON Lines), and a
    finished impact run's result in the reader's words (`impact.csv`, `impact.xlsx`; audited)."""
    user = _user(request)
    job = _visible_job(request, user, job_id)
    if not JobStatus(job.status).finished:
        raise HTTPException(status_code=404)
    if name in ("impact.csv", "impact.xlsx"):
        if job.kind != JobKind.IMPACT.value or JobStatus(job.status) is not JobStatus.DONE:
            raise HTTPException(status_code=404)
        with request.app.state.sessions() as db:
            table = impact_rows(job.result or {})
            return download(db, user, f"impact-job-{job_id}", ExportFormat(name.split(".")[1]), table)
    if name.startswith("decisions."):
        with request.app.state.sessions() as db:
            found = get_job(db, job_id)
            lines = unpack_lines(found.output if found is not None else None)
        columns: tuple[str, ...] = DECISION_COLUMNS
    else:
        lines, columns = list(job.errors or []), REJECTED_COLUMNS
    if name in ("decisions.jsonl", "rejected.jsonl"):
        body, media = jsonl_text(lines), "application/x-ndjson"
    elif name in ("decisions.csv", "rejected.csv"):
        body, media = csv_text(lines, columns), "text/csv"
    else:
        raise HTTPException(status_code=404)
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="job-{job_id}-{name}"'},
    )
