"""Case pages: search and list, a person's page, what-if, and new case entry with charges added by htmx."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from amnesty.domain.decision import Decision
from amnesty.domain.enums import (
    REGIONS,
    Category,
    Context,
    Outcome,
    PersonRole,
    Punishment,
    Recidivism,
    Stage,
    Tag,
)
from amnesty.domain.records import RECORD_CHECK_CODES, CaseRecord, parse_record
from amnesty.engine.evaluate import evaluate
from amnesty.engine.iin import IinError, birth_date_from_iin, validate_iin
from amnesty.explain import headline
from amnesty.law.loader import default_law
from amnesty.web.access import Page, can, is_partial, region_scope, require
from amnesty.web.access import backend as get_backend
from amnesty.web.backend import CaseQuery, DuplicateCaseError, PersonFile, SortKey, WebUser
from amnesty.web.compare import compare_decisions
from amnesty.web.forms import charge_indexes, form_values, friendly_errors, record_data, tags_from_form
from amnesty.web.i18n import gettext
from amnesty.web.session import csrf_ok, csrf_token
from amnesty.web.templating import render

router = APIRouter()

CHOICES: dict[str, Any] = {
    "regions": REGIONS,
    "stages": list(Stage),
    "outcomes": list(Outcome),
    "categories": list(Category),
    "contexts": list(Context),
    "roles": list(PersonRole),
    "recidivisms": list(Recidivism),
    "punishments": list(Punishment),
    "tags": list(Tag),
}


def _enum_or_none(kind: type[Any], value: str | None) -> Any:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


@router.get("/cases")
def cases(request: Request) -> Response:
    """Search by name, IIN, case number, region, outcome and stage; sortable and paginated."""
    user = require(request, Page.CASES)
    params = request.query_params
    scope = region_scope(user)
    try:
        page = max(1, int(params.get("page", "1")))
    except ValueError:
        page = 1
    query = CaseQuery(
        text=params.get("q", "")[:100],
        region=scope or (params.get("region") if params.get("region") in REGIONS else None),
        outcome=_enum_or_none(Outcome, params.get("outcome")),
        stage=_enum_or_none(Stage, params.get("stage")),
        sort=_enum_or_none(SortKey, params.get("sort")) or SortKey.NAME,
        descending=params.get("dir") == "desc",
        page=page,
    )
    result = get_backend(request).search(query)
    context = {
        "user": user,
        "query": query,
        "result": result,
        "scope": scope,
        "choices": CHOICES,
        "Page": Page,
        "can": can,
    }
    template = "cases_results.html" if is_partial(request) else "cases.html"
    return render(request, template, context)


def _require_form(request: Request) -> WebUser:
    """The charge-row and IIN helpers serve both the new case form and what-if."""
    try:
        return require(request, Page.NEW_CASE)
    except HTTPException as error:
        if error.status_code != 403:
            raise
        return require(request, Page.WHAT_IF)


def _file_for(request: Request, user: WebUser, person_id: str) -> PersonFile:
    file = get_backend(request).person(person_id, actor=user.username)
    scope = region_scope(user)
    if file is None or (scope and file.record.region != scope):
        raise HTTPException(status_code=404, detail="No such person in your register.")
    return file


def _entry_into_force() -> dt.date:
    return default_law().entry_into_force


@router.get("/cases/new")
def new_case_form(request: Request) -> Response:
    """An empty form with one charge."""
    user = require(request, Page.NEW_CASE)
    return _render_form(request, user, {}, [0], [])


def _render_form(
    request: Request,
    user: WebUser,
    values: dict[str, str],
    rows: list[int],
    errors: list[Any],
    status: int = 200,
) -> Response:
    context = {
        "user": user,
        "values": values,
        "rows": rows or [0],
        "errors": errors,
        "error_ids": {e.field_id: e.problem for e in errors},
        "choices": CHOICES,
        "csrf": csrf_token(request),
        "Page": Page,
        "can": can,
    }
    return render(request, "new_case.html", context, status_code=status)


@router.get("/cases/new/charge")
def new_charge_row(request: Request) -> Response:
    """One more charge row (htmx): its number follows the highest already on the form."""
    user = _require_form(request)
    present = charge_indexes(request.query_params)
    index = (max(present) + 1) if present else 0
    if index >= 20:
        raise HTTPException(status_code=422, detail="At most 20 charges.")
    context = {"user": user, "index": index, "values": {}, "choices": CHOICES, "error_ids": {}}
    return render(request, "charge_row.html", context)


@router.get("/cases/new/removed")
def removed_row(request: Request) -> Response:
    """Nothing: htmx swaps the removed charge row out with this empty answer."""
    _require_form(request)
    return Response("", media_type="text/html")


@router.get("/cases/new/iin")
def iin_check(request: Request, iin: str = "") -> Response:
    """Live IIN check (htmx): says whether the number is valid and which birth date it encodes."""
    _require_form(request)
    value = iin.strip()
    ok, message = False, ""
    if value:
        try:
            validate_iin(value)
            born = birth_date_from_iin(value)
            ok = True
            message = gettext("Valid IIN.")
            if born:
                message += " " + gettext("Date of birth from the IIN: {date}").format(
                    date=render_date(request, born)
                )
        except IinError as error:
            message = {
                "IIN must be exactly 12 digits": gettext("must be exactly 12 digits"),
                "IIN check digit is wrong": gettext(
                    "is not a valid IIN: the last (check) digit does not match"
                ),
            }.get(str(error), gettext("encodes a birth date that does not exist"))
            message = gettext("IIN") + ": " + message
    return render(request, "iin_check.html", {"ok": ok, "message": message})


def render_date(request: Request, day: dt.date) -> str:
    """A date in the request's language."""
    from amnesty.explain import format_date

    return format_date(day, request.state.language)


@router.post("/cases/new")
async def new_case(request: Request) -> Response:
    """Validate on the server (naming each wrong field), store, and open the person's page."""
    user = require(request, Page.NEW_CASE)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if not csrf_ok(request, str(form.get("csrf_token", ""))):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    rows = charge_indexes(form)
    try:
        record = parse_record(record_data(form, tags_from_form(form)))
    except ValidationError as error:
        errors = friendly_errors(_renumbered(error, rows))
        return _render_form(request, user, form, rows, errors, status=422)
    try:
        get_backend(request).add_case(record, user)
    except DuplicateCaseError:
        from amnesty.web.forms import FormError

        problem = gettext("a case with this person number is already in the register")
        errors = [FormError("person_id", gettext("Person number"), problem)]
        return _render_form(request, user, form, rows, errors, status=422)
    return RedirectResponse(f"/cases/{record.person_id}", status_code=303)


def _renumbered(error: ValidationError, rows: list[int]) -> ValidationError:
    """Errors refer to the n-th charge sent; map them back to the form's row numbers."""
    items = error.errors(include_url=False)
    fixed = []
    for item in items:
        loc = list(item["loc"])
        if len(loc) >= 2 and loc[0] == "charges" and isinstance(loc[1], int) and loc[1] < len(rows):
            loc[1] = rows[loc[1]]
        kind: str | PydanticCustomError = item["type"]
        if (
            item["type"] in RECORD_CHECK_CODES
        ):  # the record's own checks: rebuilt as the custom errors they are
            kind = PydanticCustomError(item["type"], str(item["msg"]), item.get("ctx"))
        fixed.append({**item, "loc": tuple(loc), "type": kind})
    return ValidationError.from_exception_data(error.title, fixed)  # type: ignore[arg-type]


@router.get("/cases/{person_id}")
def person_page(request: Request, person_id: str) -> Response:
    """The decision in plain words first, then charges, reasons, timeline, history and overrides."""
    user = require(request, Page.CASES)
    file = _file_for(request, user, person_id)
    decision = file.decision
    context = {
        "user": user,
        "file": file,
        "record": file.record,
        "decision": decision,
        "headline": headline(decision, request.state.language),
        "timeline": timeline(file.record, decision, _entry_into_force()),
        "entry_into_force": _entry_into_force(),
        "csrf": csrf_token(request),
        "Page": Page,
        "can": can,
        "outcomes": list(Outcome),
    }
    return render(request, "person.html", context)


def timeline(record: CaseRecord, decision: Decision, entry: dt.date) -> dict[str, Any] | None:
    """Bars for the original and new terms on a common scale (percent of the span)."""
    sentence = decision.sentence
    if sentence is None or sentence.start_date is None or sentence.original_end_date is None:
        return None
    start = sentence.start_date
    ends = [d for d in (sentence.original_end_date, sentence.new_end_date, entry) if d is not None]
    span = max((max(ends) - start).days, 1)

    def pct(day: dt.date) -> float:
        return round(100 * max((day - start).days, 0) / span, 2)

    return {
        "start": start,
        "original_end": sentence.original_end_date,
        "new_end": sentence.new_end_date,
        "original_pct": pct(sentence.original_end_date),
        "new_pct": pct(sentence.new_end_date) if sentence.new_end_date else None,
        "entry": entry,
        "entry_pct": pct(entry),
    }


@router.get("/cases/{person_id}/what-if")
def what_if_form(request: Request, person_id: str) -> Response:
    """The record in an editable form; nothing is saved."""
    user = require(request, Page.WHAT_IF)
    file = _file_for(request, user, person_id)
    values = form_values(file.record)
    rows = list(range(len(file.record.charges)))
    return render(
        request,
        "what_if.html",
        {
            "user": user,
            "file": file,
            "values": values,
            "rows": rows,
            "errors": [],
            "error_ids": {},
            "comparison": None,
            "choices": CHOICES,
            "csrf": csrf_token(request),
            "Page": Page,
            "can": can,
        },
    )


@router.post("/cases/{person_id}/what-if")
async def what_if(request: Request, person_id: str) -> Response:
    """Re-evaluate the edited record without saving; show both decisions side by side."""
    user = require(request, Page.WHAT_IF)
    file = _file_for(request, user, person_id)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if not csrf_ok(request, form.get("csrf_token")):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    form["person_id"] = file.record.person_id
    rows = charge_indexes(form)
    errors: list[Any] = []
    comparison = None
    try:
        edited = parse_record(record_data(form, tags_from_form(form)))
    except ValidationError as error:
        errors = friendly_errors(_renumbered(error, rows))
    else:
        changed = evaluate(edited, as_of=file.decision.as_of)
        comparison = compare_decisions(file.decision, changed, request.state.language)
    context = {
        "user": user,
        "file": file,
        "values": form,
        "rows": rows,
        "errors": errors,
        "error_ids": {e.field_id: e.problem for e in errors},
        "comparison": comparison,
        "choices": CHOICES,
        "csrf": csrf_token(request),
        "Page": Page,
        "can": can,
    }
    partial = is_partial(request)
    template = "what_if_result.html" if partial else "what_if.html"
    return render(request, template, context, status_code=422 if errors and not partial else 200)
