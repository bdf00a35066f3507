"""Programmatic Alembic: `upgrade(url)` brings a database to the newest schema (`amnesty db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from amnesty.store.db import default_database_url, make_engine, normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at the package's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, engine: Engine | None = None, revision: str = "head") -> str:
    """Migrate the database to `revision` (default: newest); returns the revision now applied."""
    resolved = normalise_url(url) if url else default_database_url()
    config = alembic_config(resolved)
    own_engine = engine is None
    active = engine or make_engine(resolved)
    try:
        with active.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(active) or ""
    finally:
        if own_engine:
            active.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with the package."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return head or ""
