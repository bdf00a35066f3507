"""FastAPI dependencies: the database session, the current user and role checks.

`current_user` accepts a bearer token (`Authorization: Bearer ...`, from `POST /api/auth/token`) or the
web session cookie; a cookie-authenticated request that changes something must also carry the CSRF
token in the `X-CSRF-Token` header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from amnesty.api.errors import ApiError, FieldProblem
from amnesty.auth.roles import Role
from amnesty.auth.sessions import CSRF_HEADER, session_user, verify_csrf
from amnesty.auth.token_wire import TokenWire
from amnesty.auth.users import TokenHolder, token_holder, user_for_token
from amnesty.law.loader import Law
from amnesty.law.registry import DEFAULT_LAW_ID, UnknownLawError, get_law, law_folders
from amnesty.render.formats import language_from_accept
from amnesty.render.validation import message
from amnesty.service.accounts import User
from amnesty.service.policy import Action, roles_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LAW_QUERY = Query(
    description="The registered law to decide under (`GET /api/laws` lists them).",
    examples=[DEFAULT_LAW_ID],
)


def requested_law(request: Request, law: Annotated[str, LAW_QUERY] = DEFAULT_LAW_ID) -> Law:
    """The law a request names in its `law` query parameter (default `DEFAULT_LAW_ID`): the server's
    own law when it is that one (`amnesty serve --law-pack` may have replaced it), else the registered
    law; 422 naming the registered laws when no pack has that id."""
    served: Law = request.app.state.law
    if law == served.pack.id:
        return served
    try:
        return get_law(law)
    except UnknownLawError:
        language = language_from_accept(request.headers.get("accept-language"))
        known = ", ".join(law_folders())
        text = message("unknown_law", language, law=law, known=known)
        raise ApiError(
            422, "unknown_law", text, [FieldProblem(field="law", problem=text, code="unknown_law")]
        ) from None


def get_db(request: Request) -> Iterator[Session]:
    """A database session for the request, closed afterwards (rolled back unless committed)."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        yield session


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def optional_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """The authenticated user, or None; a wrong or expired bearer token is an error, not anonymous."""
    token = bearer_token(request)
    if token is not None:
        user = user_for_token(db, token)
        if user is None:
            raise _invalid_token()
        return user
    user = session_user(request, db)
    if user is not None and request.method not in SAFE_METHODS:
        verify_csrf(request, request.headers.get(CSRF_HEADER))
    return user


def _invalid_token() -> ApiError:
    return ApiError(
        401,
        "invalid_token",
        "the bearer token is invalid, expired or revoked; get a new one from POST /api/auth/token",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def _not_authenticated() -> ApiError:
    return ApiError(
        401,
        "not_authenticated",
        "log in first: send 'Authorization: Bearer <token>' (POST /api/auth/token) or a session cookie",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(user: User | None = Depends(optional_user)) -> User:
    """The authenticated user; 401 (JSON) when there is none."""
    if user is None:
        raise _not_authenticated()
    return user


async def signed_in_user(request: Request) -> User | TokenHolder:
    """The authenticated user, for routes that need the database for nothing else (evaluation).

    A bearer token is checked on the event loop with one indexed query on a connection of the
    process's own (`amnesty.auth.token_wire`: `token_holder`'s query and check; awaited on
    PostgreSQL, tens of microseconds on a SQLite file). A hop to a worker thread costs more than the
    query and, under load, queues behind the thread pool (`BENCHMARKS.md`, Service). A web session
    cookie takes the general path (`optional_user`, with its CSRF check) in a worker thread, in a
    database session of its own."""
    token = bearer_token(request)
    if token is not None:
        wire: TokenWire | None = request.app.state.token_wire
        if wire is not None:
            holder = await wire.holder(token)
        else:  # an in-memory SQLite database: only the pool sees it
            engine: Engine = request.app.state.engine
            with engine.connect() as connection:
                holder = token_holder(connection, token)
        if holder is None:
            raise _invalid_token()
        return holder
    user = await run_in_threadpool(_cookie_user, request)
    if user is None:
        raise _not_authenticated()
    return user


def _cookie_user(request: Request) -> User | None:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as db:
        return optional_user(request, db)


def require_roles(*roles: Role) -> Callable[..., User]:
    """A dependency that admits only users with one of the roles (403 otherwise)."""
    allowed = frozenset(roles)
    names = ", ".join(role.value for role in roles)

    def _check(user: User = Depends(current_user)) -> User:
        if Role(user.role) not in allowed:
            raise ApiError(403, "forbidden", f"this needs one of the roles: {names}")
        return user

    return _check


def require_action(action: Action) -> Callable[..., User]:
    """A dependency that admits only the roles the policy (`amnesty.service.policy`) allows the action."""
    return require_roles(*sorted(roles_for(action)))
