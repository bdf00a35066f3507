"""The signed-in user of a page request, the page language, and the pages' guards.

Sessions and CSRF are `amnesty.auth`'s (`session_user`, `csrf_token`, `verify_csrf`): one sign-in serves
the pages and the API. Who may open what is `amnesty.service.policy`'s: a page names the `Action` it
serves and `require` answers 303 to the sign-in page without a session, 403 without the role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from amnesty.auth import CsrfError, Role, session_user, verify_csrf
from amnesty.service.policy import Action, may, region_limit
from amnesty.web import i18n
from amnesty.web.labels import N_


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the pages see it (the policy's `Actor`)."""

    username: str
    role: Role
    region: str | None

    @property
    def display_name(self) -> str:
        """The name shown in the page header."""
        return self.username


@contextmanager
def database(request: Request) -> Iterator[Session]:
    """A database session for one page (closed afterwards; the use cases commit)."""
    with request.app.state.sessions() as db:
        yield db


async def set_language(request: Request) -> None:
    """Router dependency: choose the page language for this request (async, so that the context
    variable it sets is seen by the endpoint, which runs in a copy of this context)."""
    request.state.language = i18n.pick_language(
        request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
    )
    i18n.current_language.set(request.state.language)


def signed_in(request: Request) -> Viewer | None:
    """The user of the request's session, or None."""
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    with database(request) as db:
        row = session_user(request, db)
        viewer = Viewer(row.username, Role(row.role), row.region) if row is not None else None
    request.state.viewer = viewer
    return viewer


def require(request: Request, action: Action) -> Viewer:
    """The user when the policy allows the action; else a redirect to sign in (303) or 403."""
    user = signed_in(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            status_code=303, headers={"Location": f"/signin?next={quote(safe_next(target), safe='')}"}
        )
    if not may(user, action):
        raise HTTPException(status_code=403, detail=N_("Your role does not give access to this page."))
    return user


def require_any(request: Request, *actions: Action) -> Viewer:
    """The user when the policy allows one of the actions."""
    user = require(request, Action.EVALUATE)
    if not any(may(user, action) for action in actions):
        raise HTTPException(status_code=403, detail=N_("Your role does not give access to this page."))
    return user


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse (403) a form whose CSRF token is missing or not this session's."""
    try:
        verify_csrf(request, token or request.headers.get("X-CSRF-Token"))
    except CsrfError:
        raise HTTPException(status_code=403, detail=N_("The form has expired; reload the page.")) from None


def safe_next(value: str | None) -> str:
    """A same-site path to go to after signing in (never an absolute URL)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/home"


def region_scope(user: Viewer) -> str | None:
    """The only region the user may see (a social worker's), else None."""
    return region_limit(user)


def is_partial(request: Request) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")
