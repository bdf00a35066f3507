"""The application for process managers: `amnesty.asgi:create_app_from_environment` is an app
factory (uvicorn `--factory`, or gunicorn's `UvicornWorker` with `'amnesty.asgi:create_app_from_environment()'`).

Each worker process builds its own application on the database named by `AMNESTY_DATABASE_URL`
(else the SQLite file in the data directory). It does not migrate: `amnesty serve --workers N`, or
`amnesty db upgrade` before a process manager starts, brings the schema up to date once; a worker on
an older schema refuses to start. Everything shared between workers (sessions, login failures, jobs)
is in that database; the signing key comes from `AMNESTY_SECRET_KEY` or the data directory's file.
"""

from __future__ import annotations

from fastapi import FastAPI

from amnesty.app import create_app
from amnesty.store.db import default_database_url
from amnesty.store.migrate import current_revision, head_revision


class SchemaOutOfDateError(RuntimeError):
    """The database is not at the newest schema revision (run `amnesty db upgrade`)."""


def create_app_from_environment() -> FastAPI:
    """The application on the configured database, which must already be at the newest revision."""
    app = create_app(default_database_url(), migrate=False)
    current, head = current_revision(app.state.engine), head_revision()
    if current != head:
        app.state.engine.dispose()
        raise SchemaOutOfDateError(
            f"the database is at schema revision {current or 'none'}, the code needs {head}: "
            "run `amnesty db upgrade` first"
        )
    return app
