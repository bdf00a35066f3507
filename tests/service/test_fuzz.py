"""Fuzz the API from its own OpenAPI document (schemathesis): no input may cause a server error.

Bounded (a dozen examples per operation, schemathesis' coverage phase off) so the suite stays quick;
on SQLite always and on PostgreSQL when it answers. Every call carries a fresh administrator token
(so fuzzed logouts or password changes cannot lock the fuzzer out). The apps are built when the
module is imported, as schemathesis needs the schema then.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from amnesty.auth import LOGIN_LIMITER, Role, create_user, get_user, issue_token

MAX_EXAMPLES = 12
COVERAGE_PHASE = False
PG = "host=127.0.0.1 port=5432 dbname=test user=postgres"
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
        import psycopg

        with psycopg.connect(PG, connect_timeout=3):
            return True
    except Exception:
        return False


def _app(url: str) -> FastAPI:
    from amnesty.app import create_app

    app = create_app(url)
    with app.state.sessions() as db:
        create_user(db, "fuzz-admin", secrets.token_urlsafe(16), Role.ADMIN)
        db.commit()
    return app


def _sqlite_app() -> tuple[FastAPI, Path]:
    folder = Path(tempfile.mkdtemp(prefix="amnesty-fuzz-"))
    return _app(f"sqlite:///{folder / 'fuzz.sqlite3'}"), folder


def _postgres_app() -> tuple[FastAPI | None, str | None]:
    if not _postgres_answers():
        return None, None
    import psycopg

    schema_name = f"amnesty_fuzz_{secrets.token_hex(4)}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema_name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema_name}"
    return _app(url), schema_name


SQLITE_APP, SQLITE_FOLDER = _sqlite_app()
POSTGRES_APP, POSTGRES_SCHEMA = _postgres_app()


def _schema(app: FastAPI) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.phases.coverage.enabled = COVERAGE_PHASE
    return schema


sqlite_schema = _schema(SQLITE_APP)
postgres_schema = _schema(POSTGRES_APP if POSTGRES_APP is not None else SQLITE_APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    SQLITE_APP.state.engine.dispose()
    shutil.rmtree(SQLITE_FOLDER, ignore_errors=True)
    if POSTGRES_APP is not None:
        import psycopg

        POSTGRES_APP.state.engine.dispose()
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{POSTGRES_SCHEMA}" CASCADE')
    LOGIN_LIMITER.reset()


def _token(app: FastAPI) -> str:
    with app.state.sessions() as db:
        user = get_user(db, "fuzz-admin")
        assert user is not None
        token, _expires = issue_token(db, user)
        db.commit()
    return token


def _check(case, app: FastAPI) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_token(app)}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
    )
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"]
        assert error["message"]


@sqlite_schema.parametrize()
@FUZZ_SETTINGS
def test_no_server_error_on_any_input_sqlite(case):
    _check(case, SQLITE_APP)


@postgres_schema.parametrize()
@FUZZ_SETTINGS
def test_no_server_error_on_any_input_postgresql(case):
    if POSTGRES_APP is None:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    _check(case, POSTGRES_APP)
