"""The application factory the worker processes use: it serves a migrated database and refuses one
whose schema is older than the code, so that workers never race to migrate."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from amnesty.asgi import SchemaOutOfDateError, create_app_from_environment
from amnesty.store.migrate import head_revision, upgrade


def test_the_factory_serves_the_configured_migrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    assert upgrade(url) == head_revision()
    monkeypatch.setenv("AMNESTY_DATABASE_URL", url)
    app = create_app_from_environment()
    try:
        health = TestClient(app).get("/api/health").json()
        assert health["schema_revision"] == head_revision()
    finally:
        app.state.engine.dispose()


def test_the_factory_refuses_an_unmigrated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMNESTY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with pytest.raises(SchemaOutOfDateError, match="amnesty db upgrade"):
        create_app_from_environment()
