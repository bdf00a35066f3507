"""Fuzz the API from its own OpenAPI document (schemathesis): no input may cause a server error.

Bounded: a few examples per operation on SQLite, so the suite stays quick. Every call carries a
fresh administrator token (so fuzzed logouts or password changes cannot lock the fuzzer out).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from amnesty.auth import LOGIN_LIMITER, Role, create_user, issue_token

MAX_EXAMPLES = 12
COVERAGE_PHASE = False


def _fuzz_app():
    from amnesty.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="amnesty-fuzz-"))
    app = create_app(f"sqlite:///{folder / 'fuzz.sqlite3'}")
    with app.state.sessions() as db:
        create_user(db, "fuzz-admin", secrets.token_urlsafe(16), Role.ADMIN)
        db.commit()
    return app, folder


FUZZ_APP, FUZZ_FOLDER = _fuzz_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZ_APP)
schema.config.phases.coverage.enabled = COVERAGE_PHASE


@pytest.fixture(scope="module")
def fuzz_app():
    yield FUZZ_APP
    FUZZ_APP.state.engine.dispose()
    shutil.rmtree(FUZZ_FOLDER, ignore_errors=True)
    LOGIN_LIMITER.reset()


def _token(app) -> str:
    from amnesty.auth import get_user

    with app.state.sessions() as db:
        user = get_user(db, "fuzz-admin")
        assert user is not None
        token, _expires = issue_token(db, user)
        db.commit()
    return token


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_server_error_on_any_input(case, fuzz_app):
    response = case.call(headers={"Authorization": f"Bearer {_token(fuzz_app)}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:500]}"
    )
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"]
        assert error["message"]
