"""Who may open which page (least privilege), the request's language, user and backend.

Page access by role:
- everyone signed in: dashboard, cases, a person's page, law page;
- social workers: only the people of their own region (when their account names one);
- case officers: also new case entry, batch upload and what-if;
- reviewers: also the review queue, overrides and what-if;
- auditors: read-only, including the review queue;
- administrators: everything.
"""

from __future__ import annotations

import importlib
import os
import secrets
from enum import StrEnum
from importlib.util import find_spec

from fastapi import HTTPException, Request

from amnesty.web import i18n
from amnesty.web.backend import Role, WebBackend, WebUser
from amnesty.web.session import read_session


class Page(StrEnum):
    """Areas of the application guarded by role."""

    DASHBOARD = "dashboard"
    CASES = "cases"
    WHAT_IF = "what_if"
    NEW_CASE = "new_case"
    BATCH = "batch"
    REVIEW = "review"
    OVERRIDE = "override"


_ALL = frozenset(Role)
ACCESS: dict[Page, frozenset[Role]] = {
    Page.DASHBOARD: _ALL,
    Page.CASES: _ALL,
    Page.WHAT_IF: frozenset({Role.ADMIN, Role.CASE_OFFICER, Role.REVIEWER}),
    Page.NEW_CASE: frozenset({Role.ADMIN, Role.CASE_OFFICER}),
    Page.BATCH: frozenset({Role.ADMIN, Role.CASE_OFFICER}),
    Page.REVIEW: frozenset({Role.ADMIN, Role.REVIEWER, Role.AUDITOR}),
    Page.OVERRIDE: frozenset({Role.ADMIN, Role.REVIEWER}),
}


def can(user: WebUser | None, page: Page) -> bool:
    """Whether the user may open the page."""
    return user is not None and user.role in ACCESS[page]


async def set_language(request: Request) -> None:
    """Router dependency: choose the page language for this request (async, so that the context
    variable it sets is seen by the endpoint, which runs in a copy of this context)."""
    request.state.language = i18n.pick_language(
        request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language")
    )
    i18n.current_language.set(request.state.language)


def backend(request: Request) -> WebBackend:
    """The store the pages use: the one set on the app, else the service's, else an in-memory demo."""
    state = request.app.state
    found: WebBackend | None = getattr(state, "web_backend", None)
    if found is not None:
        return found
    if find_spec("amnesty.web.service_backend") is not None:
        module = importlib.import_module("amnesty.web.service_backend")
        made: WebBackend | None = module.service_backend_for(request.app)
        if made is not None:
            state.web_backend = made
            return made
    from amnesty.web.memory import demo_backend

    password = os.environ.get("AMNESTY_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    state.web_backend = demo_backend(password)
    return state.web_backend  # type: ignore[no-any-return]


def signed_in(request: Request) -> WebUser | None:
    """The signed-in user, or None."""
    session = read_session(request)
    if not session:
        return None
    return backend(request).user(str(session.get("u", "")))


def require(request: Request, page: Page) -> WebUser:
    """The user when allowed on the page; else a redirect to sign in (303) or 403."""
    user = signed_in(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(status_code=303, headers={"Location": f"/signin?next={_safe_next(target)}"})
    if not can(user, page):
        raise HTTPException(status_code=403, detail="Your role does not give access to this page.")
    return user


def _safe_next(path: str) -> str:
    from urllib.parse import quote

    return quote(path if path.startswith("/") and not path.startswith("//") else "/", safe="")


def safe_next(value: str | None) -> str:
    """A same-site path to go to after signing in (never an absolute URL)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/home"


def region_scope(user: WebUser) -> str | None:
    """The only region the user may see (social workers with a region), else None."""
    return user.region if user.role is Role.SOCIAL_WORKER and user.region else None


def is_partial(request: Request) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")
