"""Commands of the system of record's integrity: `db backup`, `db restore`, `db check`.

Each declares a copy good only after verifying it: schema revision, row counts, the audit chain with
every record it commits to, and the anchors outside the database. For PostgreSQL the commands print
the `pg_dump` / `pg_restore` commands to use instead (amnesty does not copy PostgreSQL itself).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from amnesty.cli.service_commands import DATABASE_URL_HELP, db_app


def _url(database_url: str | None) -> str:
    from amnesty.store.db import default_database_url, normalise_url

    return normalise_url(database_url) if database_url else default_database_url()


def _echo_problems(title: str, problems: tuple[str, ...]) -> None:
    typer.echo(title, err=True)
    for problem in problems:
        typer.echo(f"  - {problem}", err=True)


@db_app.command("backup")
def db_backup(
    file: Path = typer.Argument(..., help="The backup file to write (a SQLite database file)."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Copy the database into FILE (SQLite online backup) and verify the copy; PostgreSQL: print the
    pg_dump commands to use."""
    from amnesty.audit.backup import BackupError, backup_sqlite, is_sqlite_url, postgres_instructions

    url = _url(database_url)
    if not is_sqlite_url(url):
        typer.echo(postgres_instructions(url, file))
        raise typer.Exit(2)
    try:
        check = backup_sqlite(url, file)
    except BackupError as error:
        typer.echo(f"backup FAILED: {error}", err=True)
        raise typer.Exit(1) from None
    rows = sum(check.counts.values())
    typer.echo(
        f"backup verified: {file} (revision {check.revision}, {rows} rows, audit head "
        f"{check.audit.head_seq} {check.audit.head_hash}); manifest {file}.manifest.json"
    )


@db_app.command("restore")
def db_restore(
    file: Path = typer.Argument(..., help="A backup written by `amnesty db backup`."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
    accept_older: bool = typer.Option(
        False,
        "--accept-older",
        help="Restore even though the anchors record newer events (they are lost; anchored as a restore).",
    ),
) -> None:
    """Restore FILE into the database (stop the service first), verified before and after; PostgreSQL:
    print the pg_restore commands to use."""
    from amnesty.audit.backup import BackupError, is_sqlite_url, postgres_instructions, restore_sqlite

    url = _url(database_url)
    if not is_sqlite_url(url):
        typer.echo(postgres_instructions(url, file))
        raise typer.Exit(2)
    try:
        result = restore_sqlite(file, url, accept_older=accept_older)
    except BackupError as error:
        typer.echo(f"restore FAILED: {error}", err=True)
        raise typer.Exit(1) from None
    restored = result.restored
    typer.echo(
        f"restore verified: revision {restored.revision}, {sum(restored.counts.values())} rows as in the backup, "
        f"audit chain of {restored.audit.events} events intact"
        + (
            f"; {result.lost_events} newer events were given up (anchored as a restore)"
            if result.lost_events
            else ""
        )
    )


@db_app.command("check")
def db_check(
    expect: Path | None = typer.Option(
        None,
        "--expect",
        help="A manifest (FILE.manifest.json, or `db check --json` output) whose row counts must match.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the check as JSON (usable as a manifest)."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Check a database without changing it: schema revision, row counts, audit chain, records, anchors."""
    from amnesty.audit.backup import check_database

    expected = None
    if expect is not None:
        expected = {str(k): int(v) for k, v in json.loads(expect.read_text("utf-8"))["counts"].items()}
    check = check_database(_url(database_url), expected_counts=expected)
    if as_json:
        from amnesty.cli.common import print_json

        print_json(check.to_json_dict())
    elif check.ok:
        typer.echo(
            f"database good: revision {check.revision}, {sum(check.counts.values())} rows, audit head "
            f"{check.audit.head_seq} {check.audit.head_hash}"
        )
    else:
        _echo_problems(f"database NOT good: {len(check.problems)} problem(s)", check.problems)
    if not check.ok:
        raise typer.Exit(1)


def register(_app: typer.Typer) -> None:
    """The commands are on the `db` group of `service_commands` (added when this module is imported)."""
