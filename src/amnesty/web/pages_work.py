"""Work pages: the review queue with overrides, and batch upload with progress and downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from amnesty.domain.enums import REGIONS, Outcome
from amnesty.web.access import Page, can, is_partial, require
from amnesty.web.access import backend as get_backend
from amnesty.web.backend import UnknownCaseError
from amnesty.web.batch_jobs import (
    ACCEPTED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    BatchJobs,
    decisions_csv,
    jsonl,
    rejected_csv,
)
from amnesty.web.i18n import gettext
from amnesty.web.session import csrf_ok, csrf_token
from amnesty.web.templating import render

router = APIRouter()

REVIEW_CODES = (
    "ARTICLE_LIST_INCOMPLETE",
    "CONTEXT_UNKNOWN",
    "OFFENCE_SPANS_WINDOW",
    "PARTIAL_COVERAGE",
    "MISSING_CATEGORY",
    "MISSING_SENTENCE",
)
MIN_JUSTIFICATION = 20


@router.get("/review")
def review_queue(request: Request, region: str = "", code: str = "") -> Response:
    """Cases that need a lawyer's decision, filterable by region and reason."""
    user = require(request, Page.REVIEW)
    region_filter = region if region in REGIONS else None
    code_filter = code if code in REVIEW_CODES else None
    rows = get_backend(request).review_queue(region_filter, code_filter)
    context = {
        "user": user,
        "rows": rows,
        "region": region_filter,
        "code": code_filter,
        "regions": REGIONS,
        "codes": REVIEW_CODES,
        "Page": Page,
        "can": can,
    }
    template = "review_results.html" if is_partial(request) else "review.html"
    return render(request, template, context)


@router.post("/cases/{person_id}/override")
def override(
    request: Request,
    person_id: str,
    outcome: Annotated[str, Form()] = "",
    justification: Annotated[str, Form()] = "",
    citation: Annotated[str, Form()] = "",
    csrf_token_value: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Record a reviewer's decision, with a justification and a citation of the law."""
    user = require(request, Page.OVERRIDE)
    if not csrf_ok(request, csrf_token_value):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    problems: list[tuple[str, str]] = []
    try:
        chosen = Outcome(outcome)
    except ValueError:
        chosen = None
        problems.append(
            ("override-outcome", gettext("Decision") + ": " + gettext("choose one of the listed values"))
        )
    if len(justification.strip()) < MIN_JUSTIFICATION:
        problems.append(
            (
                "override-justification",
                gettext("Justification")
                + ": "
                + gettext("write at least {n} characters").format(n=MIN_JUSTIFICATION),
            )
        )
    if not citation.strip():
        problems.append(
            ("override-citation", gettext("Citation of the law") + ": " + gettext("must be filled in"))
        )
    store = get_backend(request)
    file = store.person(person_id)
    if file is None:
        raise HTTPException(status_code=404)
    if problems or chosen is None:
        context = {
            "user": user,
            "file": file,
            "problems": problems,
            "values": {"outcome": outcome, "justification": justification, "citation": citation},
            "csrf": csrf_token(request),
            "outcomes": list(Outcome),
        }
        return render(request, "override_form.html", context, status_code=200 if is_partial(request) else 422)
    try:
        store.override(person_id, chosen, justification.strip()[:2000], citation.strip()[:300], user)
    except UnknownCaseError as error:
        raise HTTPException(status_code=404) from error
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": f"/cases/{person_id}#overrides"})
    return RedirectResponse(f"/cases/{person_id}#overrides", status_code=303)


def _jobs(request: Request) -> BatchJobs:
    jobs: BatchJobs | None = getattr(request.app.state, "web_batch_jobs", None)
    if jobs is None:
        jobs = BatchJobs()
        request.app.state.web_batch_jobs = jobs
    return jobs


@router.get("/batch")
def batch_page(request: Request) -> Response:
    """The upload form."""
    user = require(request, Page.BATCH)
    context = {"user": user, "csrf": csrf_token(request), "error": None, "Page": Page, "can": can}
    return render(request, "batch.html", context)


@router.post("/batch")
async def batch_upload(
    request: Request, file: UploadFile, csrf_token_value: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """Accept a file and start evaluating it."""
    user = require(request, Page.BATCH)
    if not csrf_ok(request, csrf_token_value):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    error = None
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        error = gettext("This file type is not accepted here. Upload a .json or .jsonl file.")
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        error = gettext("The file is larger than 50 MB.")
    if not content:
        error = gettext("The file is empty.")
    if error:
        context = {"user": user, "csrf": csrf_token(request), "error": error, "Page": Page, "can": can}
        return render(request, "batch.html", context, status_code=422)
    job = _jobs(request).start(user.username, name, content)
    return RedirectResponse(f"/batch/{job.id}", status_code=303)


@router.get("/batch/{job_id}")
def batch_job(request: Request, job_id: str) -> Response:
    """Progress (polled by htmx until finished) and the result summary."""
    user = require(request, Page.BATCH)
    job = _jobs(request).get(job_id, user.username)
    if job is None:
        raise HTTPException(status_code=404)
    context = {"user": user, "job": job, "Page": Page, "can": can}
    template = "batch_progress.html" if is_partial(request) else "batch_job.html"
    return render(request, template, context)


@router.get("/batch/{job_id}/{name}")
def batch_download(request: Request, job_id: str, name: str) -> Response:
    """Decisions and rejected rows as JSON Lines or CSV."""
    user = require(request, Page.BATCH)
    job = _jobs(request).get(job_id, user.username)
    if job is None or not job.finished:
        raise HTTPException(status_code=404)
    if name == "decisions.jsonl":
        body, media = jsonl(job.decisions), "application/x-ndjson"
    elif name == "decisions.csv":
        body, media = decisions_csv(job.decisions), "text/csv"
    elif name == "rejected.jsonl":
        body, media = jsonl(job.rejected), "application/x-ndjson"
    elif name == "rejected.csv":
        body, media = rejected_csv(job.rejected), "text/csv"
    else:
        raise HTTPException(status_code=404)
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
