"""The bearer-token check on PostgreSQL without blocking the event loop: one asyncio connection of
psycopg per server process, outside any transaction, that sends the same query as `token_holder`
(compiled from it for PostgreSQL) and applies the same check to the row.

Why not the application's pool: a synchronous query blocks the event loop for the round trip while
the PostgreSQL backend, on the same machine, does its part; SQLAlchemy's asyncio engine adds a greenlet
bridge and opens one backend per request in flight, which costs more than it saves (BENCHMARKS.md,
Service). One connection, one statement at a time: the loop serves other requests meanwhile.

The connection is opened on first use and opened again once if PostgreSQL closed it (a restart): the
check is a read, so sending it again is safe. No result is kept between requests, so a token revoked,
a password reset or an account disabled in any process is refused by the next request.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url

from amnesty.auth.users import TOKEN_HOLDER_QUERY, TokenHolder, live_holder, token_digest


def _conninfo(database_url: str) -> str:
    """The libpq URI of a SQLAlchemy PostgreSQL URL (its query options, e.g. a search_path, kept)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class TokenWire:
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
