"""Fixtures of the service tests: one database per backend (SQLite always, PostgreSQL when the
server at 127.0.0.1:5432 answers, in a fresh schema dropped afterwards), the app on it, one user per
role with a bearer token, and the bundled demo records imported."""

from __future__ import annotations

import json
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from amnesty.auth import LOGIN_LIMITER, Role, create_user

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_DATABASE = "test"


def postgres_answers() -> bool:
    """True when a PostgreSQL server accepts connections at 127.0.0.1:5432 (database `test`)."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            pass
    except OSError:
        return False
    try:
        import psycopg

        with psycopg.connect(
            f"host={PG_HOST} port={PG_PORT} dbname={PG_DATABASE} user=postgres", connect_timeout=3
        ):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session", autouse=True)
def _service_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A secret key and a data directory of the test session's own (nothing written to ./var)."""
    saved = {
        name: os.environ.get(name)
        for name in ("AMNESTY_SECRET_KEY", "AMNESTY_DATA_DIR", "AMNESTY_DATABASE_URL")
    }
    os.environ["AMNESTY_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["AMNESTY_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    os.environ.pop("AMNESTY_DATABASE_URL", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _postgres_schema_url() -> Iterator[str]:
    import psycopg

    schema = f"amnesty_test_{secrets.token_hex(4)}"
    with psycopg.connect(
        f"host={PG_HOST} port={PG_PORT} dbname={PG_DATABASE} user=postgres", autocommit=True
    ) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{PG_DATABASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(
            f"host={PG_HOST} port={PG_PORT} dbname={PG_DATABASE} user=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def fresh_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database of the backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'amnesty.sqlite3'}"
    else:
        if not postgres_answers():
            pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
        yield from _postgres_schema_url()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each service test runs on SQLite, and on PostgreSQL when it answers."""
    name: str = request.param
    if name == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    return name


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's database of that backend."""
    yield from fresh_database_url(backend, tmp_path_factory.mktemp(f"db-{backend}"))


PASSWORD = "a-long-test-password"
REGION = "Almaty"


@dataclass
class Service:
    """The app under test, a client, one user (and token header) per role, and the demo import."""

    app: FastAPI
    client: TestClient
    headers: dict[Role, dict[str, str]]
    demo_case_ids: list[int] = field(default_factory=list)

    def as_role(self, role: Role) -> dict[str, str]:
        """The Authorization header of the role's user."""
        return self.headers[role]

    def username(self, role: Role) -> str:
        """The username of the role's test user."""
        return f"test-{role.value.replace('_', '-')}"


def demo_records() -> list[dict[str, Any]]:
    """The bundled demo sample as JSON objects."""
    text = resources.files("amnesty.store").joinpath("demo_records.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """A bearer header for the user."""
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="session")
def service(database_url: str) -> Iterator[Service]:
    """The app on the session's database with users per role and the demo records imported."""
    from amnesty.app import create_app

    app = create_app(database_url)
    with app.state.sessions() as db:
        for role in Role:
            create_user(
                db,
                f"test-{role.value.replace('_', '-')}",
                PASSWORD,
                role,
                REGION if role is Role.SOCIAL_WORKER else None,
            )
        db.commit()
    LOGIN_LIMITER.reset()
    with TestClient(app) as client:
        headers = {role: login(client, f"test-{role.value.replace('_', '-')}") for role in Role}
        response = client.post("/api/import", json=demo_records(), headers=headers[Role.ADMIN])
        assert response.status_code == 201, response.text
        yield Service(app, client, headers, response.json()["case_ids"])
    app.state.engine.dispose()


def _record(person_id: str, **changes: Any) -> dict[str, Any]:
    """A valid record (a rioter serving 2 years for theft, Art. 188 part 2, medium: released under R2),
    with fields replaced by `changes`."""
    data: dict[str, Any] = {
        "person_id": person_id,
        "full_name": "Test Person",
        "case_number": f"T-{person_id}",
        "region": REGION,
        "stage": "serving",
        "charges": [
            {"article": 188, "part": 2, "category": "medium", "offence_date": "2022-01-05", "context": "riot"}
        ],
        "sentence": {
            "punishment": "imprisonment",
            "term": {"years": 2, "months": 0, "days": 0},
            "start_date": "2022-01-06",
        },
        "fixed_residence": False,
        "able_bodied": True,
        "needs_medical_care": False,
        "needs_documents": True,
    }
    data.update(changes)
    return data


def _unique_id(prefix: str = "T") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@pytest.fixture
def record() -> Callable[..., dict[str, Any]]:
    """Builder of valid records: `record(person_id, **changes)` (released under R2 by default)."""
    return _record


@pytest.fixture
def unique_id() -> Callable[..., str]:
    """Builder of person_ids no other test uses."""
    return _unique_id


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new empty database of the backend for one test."""
    yield from fresh_database_url(backend, tmp_path)
