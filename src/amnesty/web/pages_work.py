"""Work pages: the review queue (with CSV/XLSX export) and overrides (the batch upload is
`amnesty.web.pages_jobs`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from amnesty.domain.enums import REGIONS, Outcome
from amnesty.service import review
from amnesty.service.errors import InvalidInputError, NotFoundError, SupersededError
from amnesty.service.exports import ExportFormat, review_rows
from amnesty.service.policy import MIN_JUSTIFICATION, Action
from amnesty.store.queries import ReviewStatus
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
