"""Commands for the service: `serve`, `db upgrade`, `users add/list/disable`, `audit verify`."""

from __future__ import annotations

import typer

DATABASE_URL_HELP = "Database URL (default: AMNESTY_DATABASE_URL, else ./var/amnesty.sqlite3)."

db_app = typer.Typer(help="The service's database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Create or migrate the database schema to the newest version."""
    from amnesty.store.migrate import upgrade

    revision = upgrade(database_url)
    typer.echo(f"database at revision {revision}")


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application."""
    app.add_typer(db_app, name="db")
