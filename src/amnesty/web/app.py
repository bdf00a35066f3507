"""A standalone FastAPI app serving only the web pages (for demos and tests without the service).

`amnesty.app.create_app` is the production entry point; it includes `amnesty.web.routes.router`.
"""

from __future__ import annotations

from fastapi import FastAPI

from amnesty.web.backend import WebBackend
from amnesty.web.routes import router


def create_web_app(backend: WebBackend, secret: str | None = None) -> FastAPI:
    """The pages over the given backend."""
    app = FastAPI(title="amnesty web", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web_backend = backend
    if secret:
        app.state.web_secret = secret
    app.include_router(router)
    return app
