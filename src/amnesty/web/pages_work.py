"""Work pages: the review queue with overrides (the batch upload is `amnesty.web.pages_jobs`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from amnesty.domain.enums import REGIONS, Outcome
from amnesty.web.access import Page, can, is_partial, require
from amnesty.web.access import backend as get_backend
from amnesty.web.backend import UnknownCaseError
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
        return Response(
            status_code=204, headers={"HX-Redirect": f"/cases/{person_id}?saved=override#overrides"}
        )
    return RedirectResponse(f"/cases/{person_id}?saved=override#overrides", status_code=303)
