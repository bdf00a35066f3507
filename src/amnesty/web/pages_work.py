"""Work pages: the review queue (with CSV/XLSX export) and overrides (the batch upload is
`amnesty.web.pages_jobs`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from amnesty.domain.enums import REGIONS, Outcome
from amnesty.engine.terms import Term
from amnesty.render.validation import describe_problem
from amnesty.service import queues, review
from amnesty.service.errors import InvalidInputError, NotFoundError, SupersededError
from amnesty.service.exports import ExportFormat, record_template, review_rows
from amnesty.service.policy import Action, may
from amnesty.store.queries import ReviewStatus
from amnesty.web.downloads import download
from amnesty.web.i18n import gettext, local_today
from amnesty.web.labels import N_
from amnesty.web.laws import picked_law
from amnesty.web.templating import render
from amnesty.web.viewer import check_csrf, database, is_partial, require

router = APIRouter()

REVIEW_CODES = tuple(code.value for code in review.REVIEW_REASONS)
PER_PAGE = 50
PAGE_SIZES = (20, 50, 100)


def _review_filters(region: str, code: str) -> tuple[str | None, str | None]:
    return (region if region in REGIONS else None, code if code in REVIEW_CODES else None)


@router.get("/review")
def review_queue(
    request: Request,
    region: str = "",
    code: str = "",
    questions: str = "",
    taken: str = "",
    overdue: str = "",
    provisional: str = "",
    on: str = "",
    page: int = 1,
    size: int = PER_PAGE,
) -> Response:
    """Cases that need a lawyer's decision, filterable by region, reason, open questions, whose items
    (`taken`: `me`, `none` or a reviewer), overdue and provisional only; each with its age, due day and
    who has taken it; paginated in SQL (`size` rows a page, one of `PAGE_SIZES`)."""
    user = require(request, Action.READ_CASES)
    filters = _work_filters(user.username, region, code, questions, taken, overdue, provisional)
    per_page = size if size in PAGE_SIZES else PER_PAGE
    today = _as_of(on)
    with database(request) as db:
        found, items = queues.review_work(db, user, filters, today, max(1, min(page, 1_000_000)), per_page)
        names = queues.reviewers(db) if may(user, Action.ASSIGN_REVIEW) else []
    context = {
        "user": user,
        "result": found,
        "rows": items,
        "region": filters.region,
        "code": filters.code,
        "questions": "open" if filters.with_questions else "",
        "taken": taken if (taken in ("me", "none") or taken in names) else "",
        "overdue": "1" if filters.overdue else "",
        "provisional": "1" if filters.provisional_only else "",
        "size": per_page,
        "sizes": PAGE_SIZES,
        "regions": REGIONS,
        "codes": REVIEW_CODES,
        "reviewers": names,
        "may_assign": may(user, Action.ASSIGN_REVIEW),
        "may_confirm": may(user, Action.OVERRIDE),
        "messages": review_message(request.query_params.get("m", "")),
        "today": today,
        "on": today.isoformat() if today != local_today() else "",
    }
    template = "review_results.html" if is_partial(request) else "review.html"
    return render(request, template, context)


def _as_of(on: str) -> dt.date:
    """The day ages and overdue items are counted on: today, or a day the reviewer plans for (`on`)."""
    try:
        return dt.date.fromisoformat(on) if on else local_today()
    except ValueError:
        return local_today()


def _work_filters(
    me: str, region: str, code: str, questions: str, taken: str, overdue: str, provisional: str
) -> queues.ReviewFilters:
    region_filter, code_filter = _review_filters(region, code)
    return queues.ReviewFilters(
        region=region_filter,
        code=code_filter,
        with_questions=questions == "open",
        taken_by=me if taken == "me" else (taken or None) if taken != "none" else None,
        untaken=taken == "none",
        overdue=bool(overdue),
        provisional_only=bool(provisional),
    )


REVIEW_MESSAGES = {
    "assigned": N_("Review items assigned: {n}."),
    "confirmed": N_("Provisional decisions confirmed: {n}."),
    "refused": N_("Not confirmed (no outcome to confirm, or the figures do not fit): {n}."),
    "none": N_("Choose at least one review item."),
    "too_many": N_("At most {n} review items at once."),
    "not_a_reviewer": N_("Choose a reviewer from the list."),
    "gone": N_("A chosen item is no longer waiting for review; reload the page."),
}


@router.post("/review/bulk")
async def review_bulk(request: Request) -> Response:
    """Bulk actions on the chosen review items: take them (`take`), assign them to a reviewer
    (`assign`, `reviewer`; empty releases them) or confirm the provisional ones (`confirm`, with one
    justification and citation)."""
    form = await request.form()
    ids = [int(v) for v in form.getlist("item") if isinstance(v, str) and v.isdigit()]
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_review_bulk, request, ids, values)


def _review_bulk(request: Request, ids: list[int], form: dict[str, str]) -> Response:
    action = form.get("action", "")
    user = require(request, Action.OVERRIDE if action == "confirm" else Action.ASSIGN_REVIEW)
    check_csrf(request, form.get("csrf_token"))
    back = form.get("back", "/review")
    back = back if back.startswith("/review") and "//" not in back else "/review"
    if not ids:
        return _back(back, "none")
    try:
        with database(request) as db:
            if action == "confirm":
                done = queues.confirm_provisional(
                    db, user, ids, form.get("justification", ""), form.get("citation", "")
                )
                message = f"confirmed:{len(done.confirmed)}" + (
                    f";refused:{len(done.refused)}" if done.refused else ""
                )
                return _back(back, message)
            reviewer = user.username if action == "take" else form.get("reviewer", "")
            changed = queues.assign(db, user, ids, reviewer)
    except review.OverrideRejectedError as error:
        language = request.state.language
        words = "; ".join(text for _, text in _in_words(list(error.problems), language))
        return _back(back, "text:" + words)
    except (NotFoundError, SupersededError):
        return _back(back, "gone")
    except InvalidInputError as error:
        return _back(back, error.code)
    return _back(back, f"assigned:{changed}")


def _back(target: str, message: str) -> Response:
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}m={quote(message)}", status_code=303)


def review_message(message: str) -> list[str]:
    """The bulk action's result in words (`assigned:3;refused:1`, a code, or `text:` words)."""
    if message.startswith("text:"):
        return [message[5:]]
    words: list[str] = []
    for part in message.split(";"):
        code, _, number = part.partition(":")
        if code in REVIEW_MESSAGES:
            words.append(gettext(REVIEW_MESSAGES[code]).format(n=number or queues.MAX_BULK))
    return words


@router.get("/review/export.{fmt}")
def review_export(
    request: Request,
    fmt: str,
    region: str = "",
    code: str = "",
    questions: str = "",
    taken: str = "",
    overdue: str = "",
    provisional: str = "",
    on: str = "",
) -> Response:
    """The open review queue with the page's filters as CSV or XLSX."""
    user = require(request, Action.READ_CASES)
    try:
        export = ExportFormat(fmt)
    except ValueError:
        raise HTTPException(status_code=404) from None
    filters = _work_filters(user.username, region, code, questions, taken, overdue, provisional)
    with database(request) as db:
        table = review_rows(
            db, user, ReviewStatus.OPEN, filters.region, filters.code, filters.work(_as_of(on))
        )
        return download(db, user, "review", export, table)


@router.get("/upload/template")
def upload_template_form(request: Request, format: str = "csv", law: str = "") -> Response:
    """The upload page's template form: the template of the law picked, in the format of the button."""
    return upload_template(request, format, law)


@router.get("/upload/template.{fmt}")
def upload_template(request: Request, fmt: str, law: str = "") -> Response:
    """The upload template of a law (CSV or XLSX): the columns its rules read and one example row it
    decides on; `law` names the law (the default law when absent)."""
    require(request, Action.IMPORT)
    try:
        export = ExportFormat(fmt)
    except ValueError:
        raise HTTPException(status_code=404) from None
    template = record_template(export, picked_law(request, law))
    return Response(
        template.content,
        media_type=template.media_type,
        headers={"Content-Disposition": f'attachment; filename="{template.filename}"'},
    )


OVERRIDE_FIELDS = (
    "outcome",
    "justification",
    "citation",
    "release_date",
    "new_end_date",
    "new_term_years",
    "new_term_months",
    "new_term_days",
)


@dataclass(frozen=True)
class OverrideForm:
    """The override form as read: the request for the service, or the values it could not read."""

    request: review.OverrideRequest | None
    problems: list[review.OverrideProblem]


def _date(values: dict[str, str], name: str, problems: list[review.OverrideProblem]) -> dt.date | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(review.OverrideProblem(name, "date_parsing", "not a valid date", {"error": text}))
        return None


def _term(values: dict[str, str], problems: list[review.OverrideProblem]) -> Term | None:
    parts = [values.get(f"new_term_{unit}", "").strip() for unit in ("years", "months", "days")]
    if not any(parts):
        return None
    try:
        numbers = [int(part) if part else 0 for part in parts]
        return Term(*numbers)
    except ValueError:
        problems.append(review.OverrideProblem("new_term", "int_parsing", "not a whole number"))
        return None


def read_override_form(values: dict[str, str]) -> OverrideForm:
    """Read the form's values; what cannot be read (an unknown outcome, a date or a number that is not
    one) is a problem, and the rest is checked by the one validation, `review.override_problems`."""
    problems: list[review.OverrideProblem] = []
    try:
        chosen: Outcome | None = Outcome(values.get("outcome", ""))
    except ValueError:
        code = "missing" if not values.get("outcome") else "choose_listed"
        problems.append(review.OverrideProblem("outcome", code, "choose one of the listed values"))
        chosen = None
    release_date = _date(values, "release_date", problems)
    new_end_date = _date(values, "new_end_date", problems)
    new_term = _term(values, problems)
    if chosen is None:
        return OverrideForm(None, problems)
    request = review.OverrideRequest(
        chosen,
        values.get("justification", ""),
        values.get("citation", ""),
        release_date,
        new_end_date,
        new_term,
    )
    if problems:  # name the other problems too, with what could be read
        read = {p.field for p in problems}
        problems += [p for p in review.override_problems(request) if p.field not in read]
        return OverrideForm(None, problems)
    return OverrideForm(request, [])


def _in_words(problems: list[review.OverrideProblem], language: str) -> list[tuple[str, str]]:
    """(field id, 'Label: problem') in the reader's language, from the one validation table."""
    return [
        (f"override-{p.field}", describe_problem(p.field, p.code, p.params, p.message, language))
        for p in problems
    ]


@router.post("/cases/{person_id}/override")
async def override(request: Request, person_id: str) -> Response:
    """Record a reviewer's decision beside a case's newest decision, with a justification, a citation
    of the law and the figures its outcome needs (checked by `amnesty.service.review.check_override`,
    the one validation of the API and the pages)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_override, request, person_id, form)


def _override(request: Request, person_id: str, form: dict[str, str]) -> Response:
    """The work of `override` once the form is read (in a worker thread: it uses the database)."""
    user = require(request, Action.OVERRIDE)
    check_csrf(request, form.get("csrf_token"))
    try:
        decision_id = int(form.get("decision_id", "0"))
    except ValueError:
        raise HTTPException(status_code=404) from None
    values = {name: form.get(name, "") for name in OVERRIDE_FIELDS}
    language = request.state.language
    read = read_override_form(values)
    problems = _in_words(read.problems, language)
    if read.request is not None:
        try:
            with database(request) as db:
                review.override(db, user, decision_id, read.request)
        except NotFoundError:
            raise HTTPException(status_code=404) from None
        except SupersededError:
            problems.append(
                ("override-outcome", gettext("The decision was replaced by a newer one; reload the page."))
            )
        except review.OverrideRejectedError as error:
            problems = _in_words(list(error.problems), language)
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
        "values": values,
        "outcomes": list(Outcome),
    }
    return render(request, "override_form.html", context, status_code=200 if is_partial(request) else 422)
