"""The bearer-token check of `POST /api/evaluate`, on the event loop, without the application's pool:
the same query as `token_holder` (compiled from it for the database) and the same check of the row
(`live_holder`), on a connection of this process's own.

- PostgreSQL (`PostgresTokenWire`): one asyncio psycopg connection outside any transaction. The loop
  awaits the round trip and serves other requests meanwhile; a synchronous query from the pool would
  block the loop while the PostgreSQL backend, on the same machine, does its part, and SQLAlchemy's
  asyncio engine adds a greenlet bridge and one backend per request in flight (BENCHMARKS.md,
  Service). One statement at a time; opened again once if PostgreSQL closed it (the check is a read,
  so sending it again is safe).
- SQLite (`SqliteTokenWire`): one read-only `sqlite3` connection to the file, in autocommit: an
  indexed lookup of tens of microseconds, a fifth of what the same query costs through the pool and
  SQLAlchemy's result processing.

No result is kept between requests, so a token revoked, a password reset or an account disabled in
any process is refused by the next request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from typing import Any, NamedTuple, Protocol

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url

from amnesty.auth.users import TOKEN_HOLDER_QUERY, TokenHolder, live_holder, token_digest


class TokenWire(Protocol):
    """Checks bearer tokens on the event loop."""

    async def holder(self, token: str) -> TokenHolder | None:
        """The enabled user holding this unexpired, unrevoked token, or None."""

    async def close(self) -> None:
        """Close the connection (at the server's shutdown)."""


def token_wire(database_url: str) -> TokenWire | None:
    """The wire for the database: PostgreSQL or a SQLite file; None for an in-memory SQLite database
    (only the application's pool sees it: the check then goes through `token_holder`)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresTokenWire(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SqliteTokenWire(url.database)
    return None


def _conninfo(database_url: str) -> str:
    """The libpq URI of a SQLAlchemy PostgreSQL URL (its query options, e.g. a search_path, kept)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresTokenWire:
    """One asyncio psycopg connection of this process that checks bearer tokens."""

    def __init__(self, database_url: str) -> None:
        self._conninfo = _conninfo(database_url)
        self._query = str(TOKEN_HOLDER_QUERY.compile(dialect=PGDialect_psycopg()))  # type: ignore[no-untyped-call]
        self._connection: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def holder(self, token: str) -> TokenHolder | None:
        """The enabled user holding this unexpired, unrevoked token, or None."""
        parameters = {"digest": token_digest(token)}
        self._bind_to_running_loop()
        async with self._lock:
            for attempt in (1, 2):
                connection = await self._connected()
                try:
                    cursor = await connection.execute(self._query, parameters)
                    return live_holder(await cursor.fetchone())
                except psycopg.OperationalError:
                    await self._drop()
                    if attempt == 2:
                        raise
        return None  # pragma: no cover - the loop returns or raises

    def _bind_to_running_loop(self) -> None:
        """A connection and a lock belong to one event loop: the server has one, but an application
        driven by several test clients in turn meets several; a new loop gets its own."""
        loop = asyncio.get_running_loop()
        if loop is self._loop:
            return
        if self._connection is not None:
            self._connection.pgconn.finish()  # its loop is gone or elsewhere: close it synchronously
        self._connection = None
        self._lock = asyncio.Lock()
        self._loop = loop

    async def _connected(self) -> psycopg.AsyncConnection[Any]:
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, row_factory=namedtuple_row
            )
        return self._connection

    async def _drop(self) -> None:
        if self._connection is not None:
            await self._connection.close()
        self._connection = None

    async def close(self) -> None:
        """Close the connection (at the server's shutdown)."""
        if self._loop is asyncio.get_running_loop():
            async with self._lock:
                await self._drop()
        elif self._connection is not None:
            self._connection.pgconn.finish()
            self._connection = None


class _SqliteRow(NamedTuple):
    """A row of `TOKEN_HOLDER_QUERY` from `sqlite3`, with the types SQLAlchemy would give it."""

    id: int
    username: str
    role: str
    region: str | None
    disabled: bool
    expires_at: dt.datetime
    revoked: bool


class SqliteTokenWire:
    """One read-only `sqlite3` connection of this process to the register's file."""

    def __init__(self, path: str) -> None:
        self._uri = f"file:{path}?mode=ro"
        dialect = SQLiteDialect_pysqlite(paramstyle="named")
        self._query = str(TOKEN_HOLDER_QUERY.compile(dialect=dialect))
        self._connection: sqlite3.Connection | None = None

    async def holder(self, token: str) -> TokenHolder | None:
        """The enabled user holding this unexpired, unrevoked token, or None."""
        if self._connection is None:
            self._connection = sqlite3.connect(
                self._uri, uri=True, isolation_level=None, check_same_thread=False
            )
        found = self._connection.execute(self._query, {"digest": token_digest(token)}).fetchone()
        if found is None:
            return None
        user_id, username, role, region, disabled, expires_at, revoked = found
        stored = _SqliteRow(
            user_id,
            username,
            role,
            region,
            bool(disabled),
            dt.datetime.fromisoformat(expires_at),
            bool(revoked),
        )
        return live_holder(stored)

    async def close(self) -> None:
        """Close the connection (at the server's shutdown)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
