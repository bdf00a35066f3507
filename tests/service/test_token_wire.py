"""The token check of `POST /api/evaluate` on a connection of its own (`amnesty.auth.token_wire`): on
PostgreSQL and on a SQLite file, the same answer as `token_holder` for live, revoked, expired, unknown
and disabled users' tokens, and a revocation seen by the next check; on PostgreSQL a connection the
server closed is opened again without failing the request."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from amnesty.auth import Role, create_user, set_disabled
from amnesty.auth.token_wire import PostgresTokenWire, SqliteTokenWire, TokenWire, token_wire
from amnesty.auth.users import issue_token, revoke_token, token_holder
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade
from amnesty.store.models import ApiToken

from .conftest import fresh_database_url


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url("postgresql", tmp_path)


def _register(
    url: str, role: Role, region: str | None
) -> tuple[Engine, sessionmaker[Session], dict[str, str]]:
    """A migrated database with the user "wired" (role, region) holding a live, a revoked and an
    expired token, and a disabled user holding one: (engine, sessions, tokens by kind)."""
    engine = make_engine(url)
    upgrade(url, engine=engine)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        user = create_user(db, "wired", "a-long-test-password", role, region)
        other = create_user(db, "soon-off", "a-long-test-password", Role.REVIEWER)
        tokens = {kind: issue_token(db, user)[0] for kind in ("live", "revoked", "expired")}
        tokens["disabled"] = issue_token(db, other)[0]
        db.commit()
        revoke_token(db, tokens["revoked"])
        newest = db.query(ApiToken.id).filter(ApiToken.user_fk == user.id).order_by(ApiToken.id.desc())
        db.execute(
            update(ApiToken)
            .where(ApiToken.id == newest.limit(1).scalar_subquery())
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        set_disabled(db, other, True, actor="admin")
        db.commit()
    return engine, sessions, tokens


async def _answers_as_token_holder(wire: TokenWire, engine: Engine, tokens: dict[str, str]) -> Any:
    """Every token gets the wire's answer that `token_holder` gives; returns the live token's holder."""
    with engine.connect() as connection:
        for token in (*tokens.values(), "forged"):
            assert await wire.holder(token) == token_holder(connection, token)
    holder = await wire.holder(tokens["live"])
    assert holder is not None
    return holder


async def _revocation_seen_at_once(wire: TokenWire, sessions: sessionmaker[Session], token: str) -> None:
    with sessions() as db:
        assert revoke_token(db, token)
        db.commit()
    assert await wire.holder(token) is None
    await wire.close()


def test_the_wire_answers_as_token_holder_and_survives_a_closed_connection(pg_url: str) -> None:
    engine, sessions, tokens = _register(pg_url, Role.REVIEWER, None)
    wire = PostgresTokenWire(pg_url)

    async def scenario() -> None:
        holder = await _answers_as_token_holder(wire, engine, tokens)
        assert (holder.username, holder.role) == ("wired", Role.REVIEWER)
        # PostgreSQL closes the wire's connection (a restart, an administrator): the next check
        # opens a new one and answers
        with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND datname = current_database() AND application_name = ''"
                " AND query LIKE %s",
                ("%api_tokens%",),
            ).fetchall()
        assert killed
        assert all(row[0] for row in killed)
        before = wire._connection
        assert await wire.holder(tokens["live"]) == holder
        assert wire._connection is not before  # it was the wire's connection that was closed
        # a revocation is seen by the very next check
        await _revocation_seen_at_once(wire, sessions, tokens["live"])

    try:
        asyncio.run(scenario())
    finally:
        engine.dispose()


def test_the_sqlite_wire_answers_as_token_holder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wire.sqlite3'}"
    engine, sessions, tokens = _register(url, Role.SOCIAL_WORKER, "Almaty")
    wire = token_wire(url)
    assert isinstance(wire, SqliteTokenWire)
    assert token_wire("sqlite://") is None  # in memory: only the application's pool sees it

    async def scenario() -> None:
        holder = await _answers_as_token_holder(wire, engine, tokens)
        assert (holder.username, holder.role, holder.region) == ("wired", Role.SOCIAL_WORKER, "Almaty")
        await _revocation_seen_at_once(wire, sessions, tokens["live"])

    try:
        asyncio.run(scenario())
    finally:
        engine.dispose()
