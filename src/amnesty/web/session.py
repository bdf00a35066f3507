"""Web sessions of the pages: a signed, HttpOnly, SameSite=Lax cookie holding the user name and a CSRF token.

The cookie is signed with itsdangerous (secret from `app.state.web_secret`, else the environment
variable AMNESTY_SECRET_KEY, else a random per-process key) and expires after eight hours. Every
state-changing request carries the CSRF token in a form field or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import os
import secrets
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "amnesty_web"
MAX_AGE_SECONDS = 8 * 3600
_PROCESS_SECRET = secrets.token_urlsafe(32)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret = (
        getattr(request.app.state, "web_secret", None)
        or os.environ.get("AMNESTY_SECRET_KEY")
        or _PROCESS_SECRET
    )
    return URLSafeTimedSerializer(secret, salt="amnesty-web-session")


def start_session(request: Request, response: Response, username: str) -> None:
    """Sign the user in: a fresh session with a new CSRF token."""
    value = _serializer(request).dumps({"u": username, "c": secrets.token_urlsafe(24)})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(response: Response) -> None:
    """Sign the user out."""
    response.delete_cookie(SESSION_COOKIE)


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
    session = read_session(request)
    return str(session.get("c", "")) if session else ""


def csrf_ok(request: Request, token: str | None) -> bool:
    """Whether the token sent with a request matches the session's."""
    expected = csrf_token(request)
    sent = token or request.headers.get("X-CSRF-Token", "")
    return bool(expected) and hmac.compare_digest(expected, sent)
