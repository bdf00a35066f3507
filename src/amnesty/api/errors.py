"""JSON errors with a stable code and a message; validation errors name each field.

Shape: `{"error": {"code": "...", "message": "...", "fields": [{"field": "...", "problem": "..."}]}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from amnesty.auth.ratelimit import LoginRateLimitedError
from amnesty.auth.sessions import CsrfError
from amnesty.render.formats import language_from_accept
from amnesty.render.validation import problem_text
from amnesty.service.errors import ServiceError, SupersededError, VersionConflictError
from amnesty.service.policy import ForbiddenError

LOG = logging.getLogger("amnesty.api")

_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


class FieldProblem(BaseModel):
    """One invalid field and what is wrong with it (in the language of `Accept-Language`), with the
    problem's stable machine code where it has one."""

    field: str
    problem: str
    code: str | None = None


class ErrorBody(BaseModel):
    """The error object: stable code, readable message, fields at fault (validation)."""

    code: str
    message: str
    fields: list[FieldProblem] = []


class ErrorResponse(BaseModel):
    """Every error answer of the API."""

    error: ErrorBody


class ApiError(Exception):
    """An error answered as JSON with a stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Sequence[FieldProblem] = (),
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = list(fields)
        self.headers = headers
        self.extra = extra or {}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """Build the JSON answer for an error."""
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "fields": [field.model_dump() for field in fields],
    }
    body.update(extra or {})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def location_to_field(loc: Sequence[int | str]) -> str:
    """`("body", "charges", 0, "offence_date")` -> `charges[0].offence_date`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        source = str(parts.pop(0))
        if not parts:
            return source
        if source != "body":
            parts[0] = str(parts[0])
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif str(part).startswith(("function-", "json-or-python", "list[", "dict[", "tagged-union")):
            continue
        else:
            path += ("." if path else "") + str(part)
    return path or "(request)"


def _validation_fields(error: RequestValidationError, language: str = "en") -> list[FieldProblem]:
    fields: list[FieldProblem] = []
    for item in error.errors():
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        code = str(item.get("type", "value_error"))
        if code == "extra_forbidden":
            message = "unknown field"
        params = {str(k): str(v) for k, v in (item.get("ctx") or {}).items() if k != "field"}
        field = location_to_field(item.get("loc", ()))
        problem = problem_text(code, params, message, language) if language != "en" else message
        fields.append(FieldProblem(field=field, problem=problem, code=code))
    return fields


_MESSAGES: dict[str, dict[str, str]] = {
    "validation_error": {
        "en": "invalid input: {names}",
        "ru": "неверные входные данные: {names}",
        "kk": "кіріс деректер дұрыс емес: {names}",
    },
    "not_authenticated": {
        "en": "not authenticated",
        "ru": "требуется вход в систему",
        "kk": "жүйеге кіру қажет",
    },
    "forbidden": {"en": "forbidden", "ru": "доступ запрещён", "kk": "кіруге тыйым салынған"},
    "not_found": {"en": "not found", "ru": "не найдено", "kk": "табылмады"},
    "method_not_allowed": {"en": "method not allowed", "ru": "метод не разрешён", "kk": "әдіске рұқсат жоқ"},
    "internal_error": {
        "en": "unexpected server error; it has been logged",
        "ru": "непредвиденная ошибка сервера; она записана в журнал",
        "kk": "сервердің күтпеген қатесі; ол журналға жазылды",
    },
}
"""The API's own messages per language; a route's specific message stays as the route wrote it."""


def _language(request: Request) -> str:
    return language_from_accept(request.headers.get("accept-language"))


def _generic(code: str, language: str, fallback: str) -> str:
    return _MESSAGES.get(code, {}).get(language, fallback)


class ErrorPage(Protocol):
    """How the web answers an error of a page path: the status, the raised detail, the validation
    problems in words and the headers to keep (`amnesty.web.errors.error_page`)."""

    def __call__(
        self,
        request: Request,
        status: int,
        detail: object = None,
        problems: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Response: ...


def install_error_handlers(
    app: FastAPI,
    page: ErrorPage | None = None,
    wants_page: Callable[[Request], bool] | None = None,
    page_problems: Callable[[Sequence[Any], Request], list[str]] | None = None,
) -> None:
    """Answer every error of the API as JSON with a stable code; an error of a page path (where
    `wants_page` says so) is answered by `page` as HTML in the reader's language."""

    def html(request: Request) -> bool:
        return page is not None and wants_page is not None and wants_page(request)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> Response:
        if page is not None and html(request):
            return page(request, error.status, None, headers=error.headers)
        return error_response(
            error.status, error.code, error.message, error.fields, error.headers, error.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        if page is not None and html(request):
            problems = page_problems(error.errors(), request) if page_problems else []
            return page(request, 422, None, problems)
        language = _language(request)
        fields = _validation_fields(error, language)
        names = ", ".join(sorted({field.field for field in fields}))
        message = _MESSAGES["validation_error"][language].format(names=names)
        return error_response(422, "validation_error", message, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        if page is not None and html(request):
            return page(request, error.status_code, error.detail, headers=error.headers)
        code = _STATUS_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        phrase = (
            HTTPStatus(error.status_code).phrase if error.status_code in HTTPStatus._value2member_map_ else ""
        )
        if message.casefold() in (code.replace("_", " "), phrase.casefold()):
            message = _generic(code, _language(request), message)
        headers = dict(error.headers) if error.headers else None
        return error_response(error.status_code, code, message, headers=headers)

    @app.exception_handler(LoginRateLimitedError)
    async def _rate_limited(request: Request, error: LoginRateLimitedError) -> Response:
        if page is not None and html(request):
            return page(request, 429, headers={"Retry-After": str(error.retry_after)})
        return error_response(
            429, "rate_limited", str(error), headers={"Retry-After": str(error.retry_after)}
        )

    @app.exception_handler(ServiceError)
    async def _service(request: Request, error: ServiceError) -> Response:
        if page is not None and html(request):
            return page(request, error.status)
        problems = getattr(error, "problems", None)
        if problems:  # every problem of the one validation, in the language of Accept-Language
            language = _language(request)
            found = [
                FieldProblem(
                    field=p.field, problem=problem_text(p.code, p.params, p.message, language), code=p.code
                )
                for p in problems
            ]
            names = ", ".join(sorted({f.field for f in found}))
            message = _MESSAGES["validation_error"][language].format(names=names)
            return error_response(error.status, error.code, message, found)
        fields = [FieldProblem(field=error.field, problem=str(error))] if error.field else []
        return error_response(error.status, error.code, str(error), fields)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, error: ForbiddenError) -> Response:
        if page is not None and html(request):
            return page(request, 403)
        return error_response(403, "forbidden", str(error))

    @app.exception_handler(VersionConflictError)
    async def _conflict(request: Request, error: VersionConflictError) -> Response:
        if page is not None and html(request):
            return page(request, 409)
        extra = {"current_version": error.current, "your_version": error.expected}
        return error_response(409, "version_conflict", str(error), extra=extra)

    @app.exception_handler(SupersededError)
    async def _superseded(request: Request, error: SupersededError) -> Response:
        if page is not None and html(request):
            return page(request, 409)
        return error_response(409, "superseded", str(error))

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, error: CsrfError) -> Response:
        if page is not None and html(request):
            return page(request, 403, "The form has expired; reload the page.")
        return error_response(403, "csrf_failed", str(error))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        route = request.scope.get("route")
        where = getattr(route, "path", "?")
        LOG.error("unexpected %s in %s %s", type(error).__name__, request.method, where)
        if page is not None and html(request):
            return page(request, 500)
        message = _generic(
            "internal_error", _language(request), "unexpected server error; it has been logged"
        )
        return error_response(500, "internal_error", message)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses an endpoint can answer."""
    return {
        status: {"model": ErrorResponse, "description": _STATUS_CODES.get(status, "error")}
        for status in statuses
    }
