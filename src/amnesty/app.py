"""The web application: `create_app(database_url)` builds FastAPI with the API under `/api`, the
OpenAPI document at `/openapi.json` (Swagger UI at `/docs`, ReDoc at `/redoc`, their assets served
from `/static-docs`, no CDN), the web pages (`amnesty.web.routes`) and the
security headers. The database schema is migrated to the newest revision on creation.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from amnesty import __version__
from amnesty.api import api_router
from amnesty.api.errors import install_error_handlers
from amnesty.api.middleware import SecurityHeadersMiddleware
from amnesty.auth.token_wire import token_wire
from amnesty.jobs.runner import runner_for
from amnesty.law.loader import Law, default_law
from amnesty.store.db import default_database_url, make_engine, make_sessionmaker, normalise_url
from amnesty.store.migrate import upgrade
from amnesty.web.errors import error_page, request_problems, unexpected_error_page, wants_page
from amnesty.web.routes import router as web_router

DESCRIPTION = """Applies Kazakhstan's Law No. 152-VII "On Amnesty" (2022) to criminal case records.

Authenticate with `POST /api/auth/token` and send `Authorization: Bearer <token>`. Errors are JSON:
`{"error": {"code", "message", "fields"}}`."""


DOCS_URL = "/docs"
REDOC_URL = "/redoc"
DOCS_ASSETS_URL = "/static-docs"
"""Swagger UI, ReDoc and their scripts and styles (the pinned `fastapi-offline` package's copies),
served by the application itself: the API documentation works without internet."""


def create_app(database_url: str | None = None, *, migrate: bool = True, law: Law | None = None) -> FastAPI:
    """Build the application on a database (default: `AMNESTY_DATABASE_URL` or the SQLite file)."""
    url = normalise_url(database_url) if database_url else default_database_url()
    engine = make_engine(url)
    wire = token_wire(url)
    if migrate:
        upgrade(url, engine=engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runner = runner_for(_app)  # jobs queued before a restart, or by another process, run here too
        gc.collect()
        gc.freeze()  # the law pack, templates and modules loaded at start are never garbage: not scanned again
        yield
        runner.stop()
        if wire is not None:
            await wire.close()
        engine.dispose()

    app = FastAPIOffline(
        docs_url=DOCS_URL,
        redoc_url=REDOC_URL,
        static_url=DOCS_ASSETS_URL,
        title="amnesty",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        swagger_ui_parameters={"validatorUrl": None},
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.token_wire = wire
    app.state.sessions = make_sessionmaker(engine)
    app.state.law = law or default_law()
    app.state.database_url = url
    install_error_handlers(app, error_page, wants_page, request_problems)
    app.add_middleware(SecurityHeadersMiddleware, error_page=unexpected_error_page)
    app.include_router(api_router)
    app.include_router(web_router)
    return app
