"""Fixtures of the session, login-limit and origin tests: a fresh database per backend (SQLite, and
PostgreSQL in a schema of its own when it answers), the application on it with one user per role,
and helpers that sign in through the real sign-in form."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from amnesty.auth import Role, create_user
from tests.service.conftest import fresh_database_url, postgres_answers

PASSWORD = "a-long-test-password"
REGION = "Almaty"


@pytest.fixture(scope="session", autouse=True)
def _auth_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A secret key and a data directory of the test session's own (nothing written to ./var)."""
    saved = {name: os.environ.get(name) for name in ("AMNESTY_SECRET_KEY", "AMNESTY_DATA_DIR")}
    os.environ["AMNESTY_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["AMNESTY_DATA_DIR"] = str(tmp_path_factory.mktemp("auth-data"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new empty database of each backend (PostgreSQL skipped when it does not answer)."""
    if request.param == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    yield from fresh_database_url(request.param, tmp_path)


def username_of(role: Role) -> str:
    """The test account of a role."""
    return f"u-{role.value.replace('_', '-')}"


@dataclass
class Site:
    """The application on a fresh database, with one user per role."""

    app: FastAPI

    def client(self, address: str = "testclient") -> TestClient:
        """A browser-like client from an address."""
        return TestClient(self.app, client=(address, 50000))


@pytest.fixture
def site(db_url: str) -> Iterator[Site]:
    """The application with one account per role (password `PASSWORD`)."""
    from amnesty.app import create_app

    app = create_app(db_url)
    with app.state.sessions() as db:
        for role in Role:
            create_user(db, username_of(role), PASSWORD, role, REGION if role is Role.SOCIAL_WORKER else None)
        db.commit()
    yield Site(app)
    app.state.engine.dispose()


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    """Post the sign-in form as a browser does (same-origin); the status code (303 when signed in)."""
    response = client.post(
        "/signin",
        data={"username": username, "password": password, "next": "/home"},
        headers={"Origin": str(client.base_url).rstrip("/")},
        follow_redirects=False,
    )
    return response.status_code


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """An API bearer header for the user."""
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
