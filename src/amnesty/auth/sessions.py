"""Web sessions (signed cookie) and CSRF tokens for the server-rendered pages.

The cookie holds the user's id and a random session nonce, signed with itsdangerous
(`HttpOnly`, `SameSite=Lax`, `Secure` unless the request came over plain HTTP to a loopback
address, or `AMNESTY_COOKIE_SECURE=1` forces it). A CSRF token is the session nonce signed with a
different salt; forms send it back and `verify_csrf` checks it (and the `Origin` header if any).
"""

from __future__ import annotations

import contextvars
import os
import secrets
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from amnesty.auth.secret import secret_key
from amnesty.store.models import UserRow as User

SESSION_COOKIE = "amnesty_session"
SESSION_MAX_AGE = 8 * 60 * 60
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_ANONYMOUS = "anonymous"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "testserver"}

request_is_secure: contextvars.ContextVar[bool] = contextvars.ContextVar("request_is_secure", default=True)
"""Set per request by the app's middleware: whether cookies must carry the `Secure` attribute."""


class CsrfError(Exception):
    """The form's CSRF token is missing, forged, expired or from another session."""


def cookie_must_be_secure(scheme: str, host: str | None) -> bool:
    """HTTPS, or any non-loopback host, gets `Secure` cookies; `AMNESTY_COOKIE_SECURE` overrides."""
    forced = os.environ.get("AMNESTY_COOKIE_SECURE")
    if forced is not None:
        return forced.strip() not in ("0", "false", "no")
    return scheme == "https" or (host or "") not in _LOOPBACK


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt=salt)


def start_web_session(response: Response, user: User, secure: bool | None = None) -> None:
    """Log the user in on this browser: set the signed session cookie on the response."""
    value = _serializer("amnesty-session").dumps({"u": user.id, "n": secrets.token_urlsafe(16)})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        secure=request_is_secure.get() if secure is None else secure,
        samesite="lax",
        path="/",
    )


def end_web_session(response: Response) -> None:
    """Log out: delete the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def _session_data(request: Request) -> dict[str, Any] | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer("amnesty-session").loads(raw, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("n"), str):
        return None
    return data


def session_user(request: Request, db: Session) -> User | None:
    """The enabled user of a valid session cookie, or None."""
    data = _session_data(request)
    if data is None:
        return None
    user = db.get(User, data["u"])
    if user is None or user.disabled:
        return None
    return user


def _binding(request: Request) -> str:
    data = _session_data(request)
    return str(data["n"]) if data else _ANONYMOUS


def csrf_token(request: Request) -> str:
    """A token for the forms of this page, bound to the browser's session (or to 'no session')."""
    return _serializer("amnesty-csrf").dumps(_binding(request))


def _origin_matches(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


def verify_csrf(request: Request, token: str | None) -> None:
    """Raise `CsrfError` unless the token is valid for this session and the origin is this site."""
    if not token:
        raise CsrfError("the form has no CSRF token; reload the page and try again")
    if not _origin_matches(request):
        raise CsrfError("the request comes from another site")
    try:
        bound = _serializer("amnesty-csrf").loads(token, max_age=SESSION_MAX_AGE)
    except BadSignature:
        raise CsrfError("the CSRF token is invalid or expired; reload the page and try again") from None
    if not isinstance(bound, str) or not secrets.compare_digest(bound, _binding(request)):
        raise CsrfError("the CSRF token belongs to another session; reload the page and try again")
