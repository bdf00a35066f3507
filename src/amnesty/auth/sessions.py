"""Web sessions (server-side, in the database), CSRF tokens and the same-origin check.

Signing in stores a `web_sessions` row holding the SHA-256 digest of a random token; the browser
keeps the token in the `amnesty_session` cookie (`HttpOnly`, `SameSite=Lax`, `Secure` unless the
request came over plain HTTP to a loopback address, or `AMNESTY_COOKIE_SECURE=1` forces it). Every
request looks the row up, so a session ends everywhere at once when it is revoked: sign-out, a
password reset, disabling the account or changing its role or region revoke every web session and
every API token of the user (`end_all_sessions`). All worker processes read the same rows.

A CSRF token is a digest of the session token signed with the secret key; forms send it back and
`verify_csrf` checks it together with the request's origin (`verify_same_origin`): a browser's
`Origin` (or, when absent, `Referer`) must name this site as the `Host` header does; `Origin: null`
and `Sec-Fetch-Site: cross-site`/`same-site` are refused. The sign-in form uses the origin check alone.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import os
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from amnesty.audit.chain import record_event
from amnesty.auth.secret import secret_key
from amnesty.store.models import ApiToken, WebSession, utcnow
from amnesty.store.models import UserRow as User

SESSION_COOKIE = "amnesty_session"
SESSION_MAX_AGE = 8 * 60 * 60
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_ANONYMOUS = "anonymous"
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "testserver"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_TOKEN_LENGTH = 128

request_is_secure: contextvars.ContextVar[bool] = contextvars.ContextVar("request_is_secure", default=True)
"""Set per request by the app's middleware: whether cookies must carry the `Secure` attribute."""


class CsrfError(Exception):
    """The form's CSRF token is missing, forged, expired or from another session, or the request
    comes from another site."""


def cookie_must_be_secure(scheme: str, host: str | None) -> bool:
    """HTTPS, or any non-loopback host, gets `Secure` cookies; `AMNESTY_COOKIE_SECURE` overrides."""
    forced = os.environ.get("AMNESTY_COOKIE_SECURE")
    if forced is not None:
        return forced.strip() not in ("0", "false", "no")
    return scheme == "https" or (host or "") not in _LOOPBACK


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: the forwarded one, when uvicorn
    trusts the proxy); for rate limiting only, never logged."""
    return request.client.host if request.client else "unknown"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cookie_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    return token


def start_web_session(response: Response, user: User, db: Session, secure: bool | None = None) -> None:
    """Sign the user in on this browser: store a new session and set its cookie. Commits."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.execute(delete(WebSession).where(WebSession.expires_at <= now))
    db.add(
        WebSession(
            digest=_digest(token),
            user_fk=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(seconds=SESSION_MAX_AGE),
            revoked=False,
        )
    )
    db.commit()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        secure=request_is_secure.get() if secure is None else secure,
        samesite="lax",
        path="/",
    )


def end_all_sessions(db: Session, user: User, reason: str, actor: str = "system") -> int:
    """Revoke every web session and every API token of the user (the caller commits); how many ended.

    `reason` (a code such as `sign_out`, `password`, `disabled`, `role`, `region`) goes to the audit trail.
    """
    sessions = db.execute(
        update(WebSession)
        .where(WebSession.user_fk == user.id, WebSession.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    tokens = db.execute(
        update(ApiToken)
        .where(ApiToken.user_fk == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    ended = int(getattr(sessions, "rowcount", 0) or 0) + int(getattr(tokens, "rowcount", 0) or 0)
    record_event(db, actor, "session.end_all", "user", user.username, {"reason": reason, "ended": ended})
    return ended


def end_web_session(response: Response, request: Request, db: Session) -> None:
    """Sign out: end every web session and API token of the session's user, delete the cookie. Commits."""
    token = _cookie_token(request)
    if token is not None:
        row = db.scalar(select(WebSession).where(WebSession.digest == _digest(token)))
        if row is not None and not row.revoked:
            end_all_sessions(db, row.user, "sign_out", actor=row.user.username)
            db.commit()
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def session_user(request: Request, db: Session) -> User | None:
    """The enabled user of a live (unexpired, unrevoked) session, or None; notes when it was last seen."""
    token = _cookie_token(request)
    if token is None:
        return None
    row = db.scalar(select(WebSession).where(WebSession.digest == _digest(token)))
    if row is None or row.revoked:
        return None
    now = utcnow()
    if _aware(row.expires_at) <= now:
        return None
    user = row.user
    if user.disabled:
        return None
    if now - _aware(row.last_seen_at) >= LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.commit()
    return user


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt=salt)


def _binding(request: Request) -> str:
    token = _cookie_token(request)
    return hashlib.sha256(b"csrf:" + token.encode("utf-8")).hexdigest() if token else _ANONYMOUS


def csrf_token(request: Request) -> str:
    """A token for the forms of this page, bound to the browser's session (or to 'no session')."""
    return _serializer("amnesty-csrf").dumps(_binding(request))


def _endpoint(netloc: str, scheme: str | None) -> tuple[str, int | None] | None:
    """(host, port) of a `host[:port]`; the port is None when not written and no scheme implies it."""
    try:
        parts = urlsplit("//" + netloc)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    if port is None and scheme is not None:
        port = _DEFAULT_PORTS.get(scheme)
    return host.lower(), port


def _same_origin(url: str, request: Request) -> bool:
    """Whether `url` (an Origin or Referer) names the site the request was sent to (its Host)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
        return False
    theirs = _endpoint(parts.netloc, parts.scheme)
    host_header = request.headers.get("host") or request.url.netloc
    ours = _endpoint(host_header, None)
    if theirs is None or ours is None or theirs[0] != ours[0]:
        return False
    if ours[1] is None:  # Host without a port: the site's default port, whatever the TLS proxy's scheme
        return theirs[1] == _DEFAULT_PORTS[parts.scheme]
    return theirs[1] == ours[1]


def verify_same_origin(request: Request) -> None:
    """Raise `CsrfError` when a browser says the request comes from another site.

    `Sec-Fetch-Site` other than same-origin/none, `Origin: null` or a foreign `Origin` are refused;
    without `Origin`, a `Referer` must be this site; with neither (not a browser) the request passes.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise CsrfError("the request comes from another site")
    origin = request.headers.get("origin")
    if origin is not None:
        if not _same_origin(origin.strip(), request):
            raise CsrfError("the request comes from another site")
        return
    referer = request.headers.get("referer")
    if referer is not None and not _same_origin(referer.strip(), request):
        raise CsrfError("the request comes from another site")


def verify_csrf(request: Request, token: str | None) -> None:
    """Raise `CsrfError` unless the token is valid for this session and the request is same-origin."""
    if not token:
        raise CsrfError("the form has no CSRF token; reload the page and try again")
    verify_same_origin(request)
    try:
        bound = _serializer("amnesty-csrf").loads(token, max_age=SESSION_MAX_AGE)
    except BadSignature:
        raise CsrfError("the CSRF token is invalid or expired; reload the page and try again") from None
    if not isinstance(bound, str) or not secrets.compare_digest(bound, _binding(request)):
        raise CsrfError("the CSRF token belongs to another session; reload the page and try again")
