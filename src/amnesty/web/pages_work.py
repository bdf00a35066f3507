"""Work pages: the review queue (with CSV/XLSX export) and overrides, and batch upload with progress
and downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from amnesty.audit.chain import record_event
from amnesty.domain.enums import REGIONS, Outcome
from amnesty.service import review
from amnesty.service.errors import InvalidInputError, NotFoundError, SupersededError
from amnesty.service.exports import ExportFormat, review_rows
from amnesty.service.policy import MIN_JUSTIFICATION, Action
from amnesty.store.queries import ReviewStatus
from amnesty.web.batch_jobs import (
    ACCEPTED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    BatchJobs,
    decisions_csv,
    jsonl,
    rejected_csv,
)
from amnesty.web.downloads import download
from amnesty.web.i18n import gettext
from amnesty.web.templating import render
from amnesty.web.viewer import check_csrf, database, is_partial, require

router = APIRouter()

REVIEW_CODES = (
    "ARTICLE_LIST_INCOMPLETE",
    "CONTEXT_UNKNOWN",
    "OFFENCE_SPANS_WINDOW",
    "PARTIAL_COVERAGE",
    "MISSING_CATEGORY",
    "MISSING_SENTENCE",
)
PER_PAGE = 50


def _review_filters(region: str, code: str) -> tuple[str | None, str | None]:
    return (region if region in REGIONS else None, code if code in REVIEW_CODES else None)


@router.get("/review")
def review_queue(request: Request, region: str = "", code: str = "", page: int = 1) -> Response:
    """Cases that need a lawyer's decision, filterable by region and reason; paginated in SQL."""
    user = require(request, Action.READ_CASES)
    region_filter, code_filter = _review_filters(region, code)
    with database(request) as db:
        found = review.review_queue(
            db, user, ReviewStatus.OPEN, max(1, min(page, 1_000_000)), PER_PAGE, region_filter, code_filter
        )
    context = {
        "user": user,
        "result": found,
        "rows": found.items,
        "region": region_filter,
        "code": code_filter,
        "regions": REGIONS,
        "codes": REVIEW_CODES,
    }
    template = "review_results.html" if is_partial(request) else "review.html"
    return render(request, template, context)


@router.get("/review/export.{fmt}")
def review_export(request: Request, fmt: str, region: str = "", code: str = "") -> Response:
    """The open review queue with the current filters as CSV or XLSX."""
    user = require(request, Action.READ_CASES)
    try:
        export = ExportFormat(fmt)
    except ValueError:
        raise HTTPException(status_code=404) from None
    region_filter, code_filter = _review_filters(region, code)
    with database(request) as db:
        table = review_rows(db, user, ReviewStatus.OPEN, region_filter, code_filter)
        return download(db, user, "review", export, table)


_PROBLEM_FIELDS = {
    "justification": ("override-justification", "Justification"),
    "citation": ("override-citation", "Citation of the law"),
}


@router.post("/cases/{person_id}/override")
def override(
    request: Request,
    person_id: str,
    outcome: Annotated[str, Form()] = "",
    justification: Annotated[str, Form()] = "",
    citation: Annotated[str, Form()] = "",
    decision_id: Annotated[int, Form()] = 0,
    csrf_token_value: Annotated[str, Form(alias="csrf_token")] = "",
) -> Response:
    """Record a reviewer's decision beside a case's newest decision, with a justification and a
    citation of the law (the one rule of `amnesty.service.review.check_override`)."""
    user = require(request, Action.OVERRIDE)
    check_csrf(request, csrf_token_value)
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
    if not problems and chosen is not None:
        try:
            with database(request) as db:
                review.override(
                    db, user, decision_id, review.OverrideRequest(chosen, justification, citation)
                )
        except NotFoundError:
            raise HTTPException(status_code=404) from None
        except SupersededError:
            problems.append(
                ("override-outcome", gettext("The decision was replaced by a newer one; reload the page."))
            )
        except InvalidInputError as error:
            field_id, name = _PROBLEM_FIELDS.get(error.field or "", ("override-outcome", "Decision"))
            problems.append((field_id, gettext(name) + ": " + str(error)))
        else:
            target = f"/cases/{person_id}?saved=override#case-overrides-{decision_id}"
            if request.headers.get("HX-Request"):
                return Response(status_code=204, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
    context = {
        "user": user,
        "person_id": person_id,
        "decision_id": decision_id,
        "problems": problems,
        "values": {"outcome": outcome, "justification": justification, "citation": citation},
        "outcomes": list(Outcome),
    }
    return render(request, "override_form.html", context, status_code=200 if is_partial(request) else 422)


def _jobs(request: Request) -> BatchJobs:
    jobs: BatchJobs | None = getattr(request.app.state, "web_batch_jobs", None)
    if jobs is None:
        jobs = BatchJobs()
        request.app.state.web_batch_jobs = jobs
    return jobs


@router.get("/batch")
def batch_page(request: Request) -> Response:
    """The upload form."""
    user = require(request, Action.WRITE_CASES)
    context = {"user": user, "error": None, "types": ", ".join(ACCEPTED_SUFFIXES)}
    return render(request, "batch.html", context)


@router.post("/batch")
async def batch_upload(
    request: Request, file: UploadFile, csrf_token_value: Annotated[str, Form(alias="csrf_token")] = ""
) -> Response:
    """Accept a file and start evaluating it."""
    user = require(request, Action.WRITE_CASES)
    check_csrf(request, csrf_token_value)
    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    error = None
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        error = gettext("This file type is not accepted here. Upload one of: {types}.").format(
            types=", ".join(ACCEPTED_SUFFIXES)
        )
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        error = gettext("The file is larger than 50 MB.")
    if not content:
        error = gettext("The file is empty.")
    if error:
        context = {"user": user, "error": error, "types": ", ".join(ACCEPTED_SUFFIXES)}
        return render(request, "batch.html", context, status_code=422)
    job = _jobs(request).start(user.username, name, content)
    with database(request) as db:
        record_event(db, user.username, "web.batch_upload", "batch", job.id)
        db.commit()
    return RedirectResponse(f"/batch/{job.id}", status_code=303)


@router.get("/batch/{job_id}")
def batch_job(request: Request, job_id: str) -> Response:
    """Progress (polled by htmx until finished) and the result summary."""
    user = require(request, Action.WRITE_CASES)
    job = _jobs(request).get(job_id, user.username)
    if job is None:
        raise HTTPException(status_code=404)
    context = {"user": user, "job": job}
    template = "batch_progress.html" if is_partial(request) else "batch_job.html"
    return render(request, template, context)


@router.get("/batch/{job_id}/{name}")
def batch_download(request: Request, job_id: str, name: str) -> Response:
    """Decisions and rejected rows as JSON Lines or CSV."""
    user = require(request, Action.WRITE_CASES)
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
