"""The web application's router: sign-in, home, dashboard, law page, static files and languages.

`router` is included by `amnesty.app.create_app` (and by `amnesty.web.app.create_web_app` for a
standalone run). It gathers the page routers of the other `amnesty.web.pages_*` modules and, when
present, the "after" helper's pages (`amnesty.web.after_pages`).
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from amnesty.domain.enums import REGIONS
from amnesty.engine.category import catalogue_view
from amnesty.law.loader import default_law
from amnesty.web import i18n, pages_cases, pages_work
from amnesty.web.access import Page, can, require, safe_next, set_language, signed_in
from amnesty.web.access import backend as get_backend
from amnesty.web.backend import Role
from amnesty.web.session import csrf_ok, end_session, start_session
from amnesty.web.templating import render

STATIC = Path(__file__).parent / "static"
_STATIC_FILES = {"htmx.min.js": "text/javascript", "app.css": "text/css"}

router = APIRouter(include_in_schema=False, dependencies=[Depends(set_language)])


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """The vendored htmx and the style sheet (a fixed list: no path traversal)."""
    media = _STATIC_FILES.get(name)
    if media is None:
        raise HTTPException(status_code=404)
    return FileResponse(STATIC / name, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


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
    """Check the password and start a session."""
    user = get_backend(request).authenticate(username.strip(), password)
    if user is None:
        context = {"next": safe_next(next), "error": True, "username": username, "user": None}
        return render(request, "signin.html", context, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(request, response, user.username)
    return response


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    if not csrf_ok(request, csrf_token):
        raise HTTPException(status_code=403, detail="The form has expired; reload the page.")
    response = RedirectResponse("/signin", status_code=303)
    end_session(request, response)
    return response


@router.get("/home")
def home(request: Request) -> Response:
    """A home page for each role: what this person usually needs first."""
    user = require(request, Page.DASHBOARD)
    store = get_backend(request)
    region = user.region if user.role is Role.SOCIAL_WORKER else None
    releases = [r for r in store.releases_due(limit=500) if not region or r.region == region][:15]
    context = {
        "user": user,
        "releases": releases,
        "review": store.review_queue()[:10] if can(user, Page.REVIEW) else (),
        "region": region,
        "Page": Page,
        "can": can,
    }
    return render(request, "home.html", context)


@router.get("/dashboard")
def dashboard(request: Request) -> Response:
    """Counts and charts, releases due and the review queue at a glance."""
    user = require(request, Page.DASHBOARD)
    store = get_backend(request)
    stats = store.stats()
    context = {
        "user": user,
        "stats": stats,
        "releases": store.releases_due(limit=10),
        "review": store.review_queue()[:8],
        "review_total": len(store.review_queue()),
        "regions": REGIONS,
        "Page": Page,
        "can": can,
    }
    return render(request, "dashboard.html", context)


@router.get("/law")
def law_page(request: Request) -> Response:
    """The law pack in human form, with provenance on every entry."""
    law = default_law()
    language = request.state.language
    titles = {
        entry.article: law.title(entry.article, None, language) for entry in law.pack.article_list.entries
    }
    return render(
        request,
        "law.html",
        {
            "user": signed_in(request),
            "law": law,
            "pack": law.pack,
            "titles": titles,
            "catalogue": catalogue_view(law),
            "Page": Page,
            "can": can,
        },
    )


router.include_router(pages_cases.router)
router.include_router(pages_work.router)

if find_spec("amnesty.web.after_pages") is not None:
    _after = importlib.import_module("amnesty.web.after_pages")
    router.include_router(_after.router)
