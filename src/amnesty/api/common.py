"""Shared pieces of the API routes: pagination and filter parameters, input guards, evaluation that
answers 422 instead of failing on impossible data."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from amnesty.api.errors import ApiError, FieldProblem
from amnesty.domain.decision import Decision
from amnesty.domain.enums import Outcome, Stage
from amnesty.domain.records import CaseRecord
from amnesty.domain.regions import normalise_region
from amnesty.io.text import NOT_TEXT_CODE, text_problems
from amnesty.law.loader import Law
from amnesty.render.formats import language_from_accept
from amnesty.render.validation import message
from amnesty.service.cases import MAX_PAGE_SIZE, CaseFilter
from amnesty.service.evaluation import CannotEvaluateError, evaluate_record

MAX_ID = 2**31 - 1
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


async def reject_unstorable(request: Request) -> None:
    """Refuse NUL characters anywhere in the path, query or JSON body, and a JSON body holding text
    that is not valid (bytes that are not UTF-8, a lone surrogate `"\\ud800"`): databases, answers
    and pages cannot hold them. The 422 names each field holding such text (`body[3].full_name`)."""
    if "\x00" in request.url.path or "%00" in request.url.query.lower() or "\x00" in request.url.query:
        raise ApiError(
            422,
            "validation_error",
            "the request contains a NUL character",
            [FieldProblem(field="query", problem="NUL character")],
        )
    if not request.headers.get("content-type", "").startswith("application/json"):
        return
    body = await request.body()
    if b"\\u0000" in body or b"\x00" in body:
        raise ApiError(
            422,
            "validation_error",
            "the request body contains a NUL character",
            [FieldProblem(field="body", problem="NUL character")],
        )
    language = language_from_accept(request.headers.get("accept-language"))
    problem = message(NOT_TEXT_CODE, language)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        where = f"body (byte {error.start})"
        raise ApiError(
            422,
            "validation_error",
            message("request_not_text", language),
            [FieldProblem(field=where, problem=problem)],
        ) from None
    if _SURROGATE_ESCAPE.search(body) is None:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return  # not JSON: the route's own validation answers
    paths = list(itertools.islice(text_problems(data), 1000))
    if paths:
        fields = [
            FieldProblem(
                field=f"body{path if path.startswith('[') else '.' + path if path else ''}",
                problem=problem,
                code=NOT_TEXT_CODE,
            )
            for path in paths
        ]
        raise ApiError(422, "validation_error", message("request_not_text", language), fields)


def region_param(value: str | None, field: str = "region") -> str | None:
    """Validate a region filter (canonical name), or 422 naming the field."""
    if value is None or not value.strip():
        return None
    try:
        return normalise_region(value)
    except ValueError as error:
        raise ApiError(
            422, "validation_error", str(error), [FieldProblem(field=field, problem=str(error))]
        ) from None


def case_filter(
    q: Annotated[
        str | None, Query(max_length=200, description="Name (part), person_id, IIN or case number.")
    ] = None,
    iin: Annotated[str | None, Query(max_length=12)] = None,
    case_number: Annotated[str | None, Query(max_length=64)] = None,
    region: Annotated[str | None, Query(max_length=60)] = None,
    outcome: Outcome | None = None,
    stage: Stage | None = None,
    needs_review: bool | None = None,
) -> CaseFilter:
    """Filters of the person and case lists."""
    return CaseFilter(
        q=q or None,
        iin=iin or None,
        case_number=case_number or None,
        region=region_param(region),
        outcome=outcome.value if outcome else None,
        stage=stage.value if stage else None,
        needs_review=needs_review,
    )


CaseFilterDep = Annotated[CaseFilter, Depends(case_filter)]


def evaluate_or_422(record: CaseRecord, law: Law, as_of: dt.date | None, strict: bool) -> Decision:
    """Evaluate, turning arithmetic that leaves the calendar (absurd terms or dates) into a 422."""
    try:
        return evaluate_record(record, law, as_of, strict)
    except CannotEvaluateError as error:
        raise ApiError(422, "cannot_evaluate", str(error)) from None


def not_found(kind: str, key: Any) -> ApiError:
    """A 404 naming what was looked for."""
    return ApiError(404, "not_found", f"no {kind} {key!s}"[:200])
