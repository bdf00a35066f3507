"""JSON errors with a stable code and a message; validation errors name each field.

Shape: `{"error": {"code": "...", "message": "...", "fields": [{"field": "...", "problem": "..."}]}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error of the application as JSON with a stable code."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(
            error.status, error.code, error.message, error.fields, error.headers, error.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        language = _language(request)
        fields = _validation_fields(error, language)
        names = ", ".join(sorted({field.field for field in fields}))
        message = _MESSAGES["validation_error"][language].format(names=names)
        return error_response(422, "validation_error", message, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
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
    async def _rate_limited(_request: Request, error: LoginRateLimitedError) -> JSONResponse:
        return error_response(
            429, "rate_limited", str(error), headers={"Retry-After": str(error.retry_after)}
        )

    @app.exception_handler(ServiceError)
    async def _service(_request: Request, error: ServiceError) -> JSONResponse:
        fields = [FieldProblem(field=error.field, problem=str(error))] if error.field else []
        return error_response(error.status, error.code, str(error), fields)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(_request: Request, error: ForbiddenError) -> JSONResponse:
        return error_response(403, "forbidden", str(error))

    @app.exception_handler(VersionConflictError)
    async def _conflict(_request: Request, error: VersionConflictError) -> JSONResponse:
        extra = {"current_version": error.current, "your_version": error.expected}
        return error_response(409, "version_conflict", str(error), extra=extra)

    @app.exception_handler(SupersededError)
    async def _superseded(_request: Request, error: SupersededError) -> JSONResponse:
        return error_response(409, "superseded", str(error))

    @app.exception_handler(CsrfError)
    async def _csrf(_request: Request, error: CsrfError) -> JSONResponse:
        return error_response(403, "csrf_failed", str(error))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        route = request.scope.get("route")
        where = getattr(route, "path", "?")
        LOG.error("unexpected %s in %s %s", type(error).__name__, request.method, where)
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
