"""The web application's router: sign-in, home, dashboard, law page, static files and languages.

`router` is included by `amnesty.app.create_app` (the only application that serves the pages). It
gathers the page routers of `amnesty.web.pages_*` and `amnesty.web.after_pages`. Every page calls the
use cases of `amnesty.service`; none queries the store or decides access itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from amnesty.auth import (
    CsrfError,
    LoginRateLimitedError,
    authenticate,
    end_web_session,
    start_web_session,
    verify_same_origin,
)
from amnesty.auth.sessions import client_address
from amnesty.domain.enums import REGIONS
from amnesty.engine.category import catalogue_view
from amnesty.law.registry import DEFAULT_LAW_ID, UnknownLawError, get_law, registered_laws
from amnesty.service import queues, review, stats
from amnesty.service.policy import Action, may
from amnesty.store.models import UserRow
from amnesty.web import admin_pages, after_pages, i18n, pages_cases, pages_jobs, pages_reports, pages_work
from amnesty.web.i18n import local_today
from amnesty.web.labels import N_
from amnesty.web.laws import picked_law
from amnesty.web.templating import render
from amnesty.web.viewer import check_csrf, database, region_scope, require, safe_next, set_language, signed_in

STATIC = Path(__file__).parent / "static"
_STATIC_FILES = {
    "htmx.min.js": "text/javascript",
    "app.css": "text/css",
    "favicon.svg": "image/svg+xml",
    "favicon.ico": "image/vnd.microsoft.icon",
}

router = APIRouter(include_in_schema=False, dependencies=[Depends(set_language)])


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The vendored htmx and the style sheet (a fixed list: no path traversal)."""
    media = _STATIC_FILES.get(name)
    if media is None:
        raise HTTPException(status_code=404)
    return FileResponse(STATIC / name, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The site's icon (scales of justice), where browsers look for it first."""
    return static_file("favicon.ico")


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """Home when signed in, else the sign-in page."""
    return RedirectResponse("/home" if signed_in(request) else "/signin", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> RedirectResponse:
    """Remember the chosen language in a cookie and go back."""
    if code not in i18n.LANGUAGES:
        raise HTTPException(status_code=404)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(i18n.LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/signin")
def signin_page(request: Request, next: str = "/home") -> Response:
    """The sign-in form."""
    return render(request, "signin.html", {"next": safe_next(next), "error": None, "user": None})


@router.post("/signin")
def signin(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/home",
) -> Response:
    """Check the origin and the password (rate-limited per username and client address) and start a
    session."""
    try:
        verify_same_origin(request)
    except CsrfError as error:
        raise HTTPException(
            status_code=403, detail=N_("The form comes from another site; reload the page.")
        ) from error
    user: UserRow | None
    limited = False
    with database(request) as db:
        try:
            user = authenticate(db, username.strip(), password, client=client_address(request))
        except LoginRateLimitedError:
            user, limited = None, True
        db.commit()
        if user is None:
            context = {
                "next": safe_next(next),
                "error": "limited" if limited else True,
                "username": username,
                "user": None,
            }
            return render(request, "signin.html", context, status_code=429 if limited else 401)
        response = RedirectResponse(safe_next(next), status_code=303)
        start_web_session(response, user, db)
    return response


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    check_csrf(request, csrf_token)
    response = RedirectResponse("/signin", status_code=303)
    with database(request) as db:
        end_web_session(response, request, db)
    return response


@router.get("/home")
def home(request: Request) -> Response:
    """A home page for each role: what this person usually needs first."""
    user = require(request, Action.READ_STATS)
    with database(request) as db:
        releases = stats.releases_due(db, user, 15) if may(user, Action.READ_PERSONS) else []
        queue = review.review_queue(db, user, page_size=10) if may(user, Action.READ_CASES) else None
    context = {
        "user": user,
        "releases": releases,
        "review": queue.items if queue else [],
        "review_total": queue.total if queue else 0,
        "region": region_scope(user),
    }
    return render(request, "home.html", context)


@router.get("/dashboard")
def dashboard(request: Request, law_id: Annotated[str, Query(alias="law")] = DEFAULT_LAW_ID) -> Response:
    """Counts and charts, releases due and the review queue at a glance (SQL counts, one page each),
    under one law (`?law=ID`, default the default law) with its implementation deadline."""
    user = require(request, Action.READ_STATS)
    law = picked_law(request, law_id)
    chosen = law.pack.id
    with database(request) as db:
        counts = stats.statistics(db, user, chosen)
        releases = stats.releases_due(db, user, 10, chosen) if may(user, Action.READ_PERSONS) else []
        queue = review.review_queue(db, user, page_size=8) if may(user, Action.READ_CASES) else None
    context = {
        "user": user,
        "stats": counts,
        "releases": releases,
        "review": queue.items if queue else [],
        # the one count of the review queue (`queries.waiting_for_review`), as the review page counts it
        "review_total": counts.review_open,
        "review_undecided": counts.review_undecided,
        "countdown": queues.countdown(local_today(), law),
        "regions": REGIONS,
        "law": chosen,
    }
    return render(request, "dashboard.html", context)


@router.get("/law")
def law_page(request: Request, law_id: Annotated[str, Query(alias="law")] = DEFAULT_LAW_ID) -> Response:
    """One registered law (`?law=ID`, default kz-2022-152-vii) in human form, with provenance on every
    entry, and the other registered laws to switch to."""
    try:
        law = get_law(law_id)
    except UnknownLawError:
        raise HTTPException(status_code=404) from None
    language = request.state.language
    listed = law.pack.article_list.entries if law.pack.article_list is not None else ()
    titles = {entry.article: law.title(entry.article, None, language) for entry in listed}
    context = {
        "user": signed_in(request),
        "law": law,
        "laws": registered_laws(),
        "pack": law.pack,
        "titles": titles,
        "catalogue": catalogue_view(law),
    }
    return render(request, "law.html", context)


router.include_router(pages_cases.router)
router.include_router(pages_work.router)
router.include_router(after_pages.router)
router.include_router(admin_pages.router)
router.include_router(pages_jobs.router)
router.include_router(pages_reports.router)
