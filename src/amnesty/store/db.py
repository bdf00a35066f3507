"""Database URL, data directory, engine and session factory.

SQLite in a local file (`./var/amnesty.sqlite3`) is the default so the service runs on a fresh
machine; `AMNESTY_DATABASE_URL` (or `--database-url`) selects PostgreSQL
(`postgresql+psycopg://user@host/db`) for real deployments.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DATA_DIR_ENV = "AMNESTY_DATA_DIR"
DATABASE_URL_ENV = "AMNESTY_DATABASE_URL"


def data_dir() -> Path:
    """The directory for the embedded database and the generated secret key (created on demand)."""
    path = Path(os.environ.get(DATA_DIR_ENV) or "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """`AMNESTY_DATABASE_URL` if set, else a SQLite file in the data directory."""
    configured = os.environ.get(DATABASE_URL_ENV)
    if configured:
        return normalise_url(configured)
    return f"sqlite:///{data_dir() / 'amnesty.sqlite3'}"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    """True for SQLite URLs."""
    return make_url(url).get_backend_name() == "sqlite"


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite's own lower() folds ASCII only; searches (ILIKE is lower() LIKE lower()) must find
    # "Иванов" and "Әлібеков" however they are typed, as PostgreSQL does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL (default: `default_database_url()`); SQLite gets foreign keys on.
    Statement parameters (case data) are kept out of error messages and logs."""
    resolved = normalise_url(url) if url else default_database_url()
    if is_sqlite(resolved):
        database = make_url(resolved).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(resolved, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(resolved, pool_pre_ping=True, hide_parameters=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
