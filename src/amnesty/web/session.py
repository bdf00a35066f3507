"""Web sessions of the pages and their CSRF tokens.

Inside the service's application (`amnesty.app.create_app`, recognised by `app.state.sessions`) the
service's own session cookie and CSRF tokens are used (`amnesty.auth`: `start_web_session`,
`session_user`, `csrf_token`, `verify_csrf`), so that one sign-in serves the pages and the API.
Elsewhere (standalone pages over the in-memory register) the pages keep their own signed, HttpOnly,
SameSite=Lax cookie holding the user name and a CSRF token, signed with itsdangerous (secret from
`app.state.web_secret`, else AMNESTY_SECRET_KEY, else a random per-process key), valid eight hours.
Every state-changing request carries the CSRF token in a form field or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import importlib
import os
import secrets
from importlib.util import find_spec
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "amnesty_web"
MAX_AGE_SECONDS = 8 * 3600
_PROCESS_SECRET = secrets.token_urlsafe(32)


def _service(request: Request) -> bool:
    """Whether the pages run inside the service's application."""
    if getattr(request.app.state, "sessions", None) is None:
        return False
    try:
        return find_spec("amnesty.auth.sessions") is not None
    except ModuleNotFoundError:
        return False


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret = (
        getattr(request.app.state, "web_secret", None)
        or os.environ.get("AMNESTY_SECRET_KEY")
        or _PROCESS_SECRET
    )
    return URLSafeTimedSerializer(secret, salt="amnesty-web-session")


def start_session(request: Request, response: Response, username: str) -> None:
    """Sign the user in: a fresh session with a new CSRF token."""
    if _service(request):
        auth = importlib.import_module("amnesty.auth")
        with request.app.state.sessions() as db:
            row = auth.get_user(db, username)
            auth.start_web_session(response, row, db)
        return
    value = _serializer(request).dumps({"u": username, "c": secrets.token_urlsafe(24)})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(request: Request, response: Response) -> None:
    """Sign the user out."""
    if _service(request):
        with request.app.state.sessions() as db:
            importlib.import_module("amnesty.auth").end_web_session(response, request, db)
        return
    response.delete_cookie(SESSION_COOKIE)


def session_username(request: Request) -> str | None:
    """The user name of the request's session, if it has a valid one."""
    if _service(request):
        auth = importlib.import_module("amnesty.auth")
        with request.app.state.sessions() as db:
            row = auth.session_user(request, db)
            return str(row.username) if row is not None else None
    session = read_session(request)
    return str(session.get("u", "")) or None if session else None


def read_session(request: Request) -> dict[str, Any] | None:
    """The session's content when the cookie is present, authentic and fresh."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (empty when signed out)."""
    if _service(request):
        return str(importlib.import_module("amnesty.auth").csrf_token(request))
    session = read_session(request)
    return str(session.get("c", "")) if session else ""


def csrf_ok(request: Request, token: str | None) -> bool:
    """Whether the token sent with a request matches the session's."""
    sent_token = token or request.headers.get("X-CSRF-Token", "")
    if _service(request):
        auth = importlib.import_module("amnesty.auth")
        try:
            auth.verify_csrf(request, sent_token)
        except auth.CsrfError:
            return False
        return True
    expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(expected, sent_token)


def signin_origin_ok(request: Request) -> bool:
    """Whether the sign-in form was posted from this site (the service's same-origin check)."""
    auth = importlib.import_module("amnesty.auth")
    try:
        auth.verify_same_origin(request)
    except auth.CsrfError:
        return False
    return True


def client_of(request: Request) -> str:
    """The client's address, for counting failed sign-ins per username and address."""
    return str(importlib.import_module("amnesty.auth").client_address(request))
