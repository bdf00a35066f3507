"""Error pages of the web: 403, 404, 422, 500 (and every other error status) as HTML in the reader's
language, with a way back; the API under `/api` keeps its JSON (`amnesty.api.errors`).

`install_error_handlers` of the API asks `wants_page(request)` and, for a page path, answers with
`error_page`. The language is the web's (the `lang` cookie, else Accept-Language, else Russian). The
message of an `HTTPException` raised by a page ("No such person in your register.") is a gettext
message id and is shown translated; any other detail (English text of a library) is left out.
Validation problems of the address or a form are named by their field's label, in words, through the
one validation table `amnesty.render.validation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from amnesty.api.errors import location_to_field
from amnesty.render.validation import describe_problem
from amnesty.web import i18n
from amnesty.web.labels import N_
from amnesty.web.templating import render
from amnesty.web.viewer import signed_in

API_PREFIXES = ("/api", "/openapi.json", "/docs", "/redoc")
"""Paths that answer machines (JSON), never an HTML page."""

TITLES: dict[int, str] = {
    400: N_("The request could not be understood"),
    403: N_("Access denied"),
    404: N_("Page not found"),
    405: N_("This action is not available here"),
    409: N_("The data changed meanwhile"),
    413: N_("The file is too large"),
    422: N_("A value is not valid"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
}
EXPLANATIONS: dict[int, str] = {
    400: N_("The address or the form could not be read. Go back and try again."),
    403: N_("Your role or your region does not give access to this page or action."),
    404: N_("There is no such page, or no such person or case in your register."),
    405: N_("This address does not accept this kind of request."),
    409: N_("Someone changed these data since you opened the page. Reload the page and try again."),
    413: N_("The upload is larger than the server accepts. Split the file and try again."),
    422: N_("A value in the address or in the form is not valid:"),
    429: N_("Wait a little and try again."),
    500: N_("An unexpected error occurred on the server; it has been logged. Try again later."),
}
OTHER_TITLE = N_("The request could not be completed")
OTHER_EXPLANATION = N_("Go back and try again.")


def wants_page(request: Request) -> bool:
    """Whether the request is a page's (HTML error) rather than the API's (JSON error)."""
    path = request.url.path
    return not any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)


def page_language(request: Request) -> str:
    """The web's language for this request (set by the page router, else read as it reads it)."""
    chosen = getattr(request.state, "language", None)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    return i18n.pick_language(request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))


def known_message(detail: object) -> str | None:
    """A page's own message (a gettext message id with a translation) in the current language, else
    None (a library's English detail is not shown to people)."""
    if not isinstance(detail, str) or not detail:
        return None
    if i18n.translations("ru").gettext(detail) == detail:
        return None
    return i18n.gettext(detail)


def _back_link(request: Request) -> str | None:
    """The previous page of this site (the Referer), when there is one other than this page."""
    referer = request.headers.get("referer")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.url.netloc:
        return None
    path = parts.path or "/"
    target = path + (f"?{parts.query}" if parts.query else "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not path.startswith("/") or path.startswith("//") or target == here:
        return None
    return target


def _viewer(request: Request) -> Any:
    """The signed-in user for the page header, or None (an error page never fails on it)."""
    try:
        return signed_in(request)
    except Exception:
        return None


def validation_problems(items: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    """Pydantic's problems ('loc', 'type', 'msg', 'ctx') as 'Label: problem' in `language`."""
    lines = []
    for item in items:
        field = location_to_field(item.get("loc", ()))
        code = str(item.get("type", "invalid"))
        params = {str(k): str(v) for k, v in (item.get("ctx") or {}).items() if k != "field"}
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        lines.append(describe_problem(field, code, params, message, language))
    return lines


def error_page(
    request: Request,
    status: int,
    detail: object = None,
    problems: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The HTML page of an error status in the reader's language, with links back and home."""
    if status < 400:  # a redirect raised as an exception (sign in first): no page, only the headers
        return Response(status_code=status, headers=dict(headers or {}))
    language = page_language(request)
    request.state.language = language
    token = i18n.current_language.set(language)
    try:
        user = _viewer(request) if status != 500 else None
        context = {
            "user": user,
            "status": status,
            "title": i18n.gettext(TITLES.get(status, OTHER_TITLE)),
            "explanation": i18n.gettext(EXPLANATIONS.get(status, OTHER_EXPLANATION)),
            "message": known_message(detail),
            "problems": list(problems),
            "back": _back_link(request),
            "home": "/home" if user is not None else "/",
        }
    finally:
        i18n.current_language.reset(token)
    try:
        response: Response = render(request, "error.html", context, status_code=status)
    except Exception:  # the page itself failed (a broken template or database): a plain answer
        response = HTMLResponse(f"<!doctype html><title>{status}</title><p>{status}</p>", status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def request_problems(items: Sequence[Mapping[str, Any]], request: Request) -> list[str]:
    """The validation problems of a page request in the reader's language."""
    return validation_problems(items, page_language(request))


def unexpected_error_page(request: Request) -> Response | None:
    """The 500 page for an unexpected error of a page path (what the security middleware answers when
    an error escapes the application), or None for the API."""
    return error_page(request, 500) if wants_page(request) else None
