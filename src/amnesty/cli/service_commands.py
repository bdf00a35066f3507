"""Commands for the service: `serve`, `bench-service`, `db upgrade`, `users add/list/disable`, `audit verify`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from amnesty.law.loader import Law
from amnesty.law.registry import DEFAULT_LAW_ID

if TYPE_CHECKING:  # SQLAlchemy is imported when a command opens the database, not by every command
    from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_HELP = "Database URL (default: AMNESTY_DATABASE_URL, else ./var/amnesty.sqlite3)."
CLI_ACTOR = "cli"

db_app = typer.Typer(help="The service's database.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts of the service (for administrators).", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    from amnesty.store.db import make_engine, make_sessionmaker
    from amnesty.store.migrate import upgrade

    engine = make_engine(database_url)
    try:
        upgrade(database_url, engine=engine)
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade(
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Create or migrate the database schema to the newest version."""
    from amnesty.store.migrate import upgrade

    revision = upgrade(database_url)
    typer.echo(f"database at revision {revision}")


@db_app.command("reevaluate")
def db_reevaluate(
    law_pack: Path | None = typer.Option(
        None, "--law-pack", help="A law pack YAML file (default: the bundled one)."
    ),
    law_id: str = typer.Option(
        DEFAULT_LAW_ID, "--law", help="The registered law to decide under (`amnesty laws`)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Evaluation date (default: the law's entry into force)."
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
    jobs: int | None = typer.Option(
        None, "--jobs", min=1, help="Worker processes that decide the cases (default: one per core)."
    ),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or dask (a Dask cluster)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786), for --engine dask."
    ),
    batch_size: int = typer.Option(500, "--batch-size", min=1, help="Cases per batch (one commit each)."),
) -> None:
    """Re-evaluate every stored case (after a law pack or engine update): a new decision, with the
    difference from the previous one, is stored only where something changed. The cases are decided
    on the chunked runner (worker processes or a Dask cluster) while this process stores the results,
    one transaction per batch, with a progress bar."""
    from functools import partial

    from sqlalchemy import func, select

    from amnesty.batch.process import RunSettings
    from amnesty.batch.publish import EXIT_FAILED, RunFailedError
    from amnesty.batch.run import Engine, decide_batches, progress_wanted
    from amnesty.cli.common import load_law_or_exit, parse_as_of, progress_bar
    from amnesty.store.cases import ReevaluationResult, reevaluate_all
    from amnesty.store.models import Case

    try:
        runner_engine = Engine(engine)
    except ValueError:
        raise typer.BadParameter("use local or dask", param_hint="--engine") from None
    if runner_engine is Engine.DASK and not scheduler:
        raise typer.BadParameter("--engine dask needs --scheduler ADDRESS", param_hint="--scheduler")
    law = load_law_or_exit(law_pack, law_id)
    date = parse_as_of(as_of)
    settings = RunSettings(
        law_pack=str(law_pack) if law_pack is not None else None, law_id=law_id, as_of=date
    )
    decide = partial(decide_batches, settings=settings, engine=runner_engine, jobs=jobs, scheduler=scheduler)
    with _session(database_url) as db:
        total = int(db.scalar(select(func.count(Case.id))) or 0)
        with progress_bar(err_console, enabled=progress_wanted()) as progress:
            bar = progress.add_task("re-evaluating cases", total=total)

            def advance(_db: object, done: ReevaluationResult) -> None:
                progress.update(bar, completed=done.cases)

            try:
                result = reevaluate_all(
                    db, CLI_ACTOR, law=law, as_of=date, batch_size=batch_size, on_batch=advance, decide=decide
                )
            except RunFailedError as failure:
                err_console.print(
                    f"error: the run failed ({failure.kind.value}): {failure.message}", markup=False
                )
                raise typer.Exit(EXIT_FAILED) from None
    typer.echo(
        f"{result.cases} cases re-evaluated under law version {law.version[:12]}: "
        f"{result.new_decisions} new decisions, {result.changed_outcomes} with a different outcome"
    )


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Login name (letters, digits, '.', '_', '-')."),
    role: str = typer.Option(..., "--role", help="admin, case_officer, reviewer, social_worker or auditor."),
    region: str | None = typer.Option(None, "--region", help="The region of a social worker's akimat."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (else one is generated)."
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Create an account; without --password-stdin a password is generated and printed once."""
    from amnesty.auth.passwords import generate_password
    from amnesty.auth.users import UserError, create_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    with _session(database_url) as db:
        try:
            user = create_user(db, username, password, role, region, actor=CLI_ACTOR)
        except UserError as error:
            err_console.print(f"error: {error}", markup=False)
            raise typer.Exit(1) from None
        db.commit()
        typer.echo(f"created {user.username} ({user.role}{', ' + user.region if user.region else ''})")
        if not password_stdin:
            typer.echo(f"password (shown once): {password}")


@users_app.command("list")
def users_list(
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """List the accounts (name, role, region, disabled)."""
    from amnesty.auth.users import list_users

    with _session(database_url) as db:
        table = Table("username", "role", "region", "disabled")
        for user in list_users(db):
            table.add_row(user.username, user.role, user.region or "", "yes" if user.disabled else "")
        console.print(table)


@users_app.command("disable")
def users_disable(
    username: str = typer.Argument(..., help="The account to disable."),
    enable: bool = typer.Option(False, "--enable", help="Re-enable the account instead."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Disable an account (its API tokens are revoked), or re-enable it with --enable."""
    from amnesty.auth.users import get_user, set_disabled

    with _session(database_url) as db:
        user = get_user(db, username)
        if user is None:
            err_console.print(f"error: no user {username!r}", markup=False)
            raise typer.Exit(1)
        set_disabled(db, user, not enable, actor=CLI_ACTOR)
        db.commit()
        typer.echo(f"{user.username} {'enabled' if enable else 'disabled'}")


@users_app.command("unlock")
def users_unlock(
    username: str = typer.Argument(..., help="The account whose sign-in lock to lift."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Lift the sign-in lock of an account (failed attempts from any addresses are forgotten)."""
    from amnesty.auth.users import get_user, unlock

    with _session(database_url) as db:
        user = get_user(db, username)
        if user is None:
            err_console.print(f"error: no user {username!r}", markup=False)
            raise typer.Exit(1)
        forgotten = unlock(db, user, actor=CLI_ACTOR)
        db.commit()
        typer.echo(f"{user.username} unlocked ({forgotten} failed sign-ins forgotten)")


@audit_app.command("verify")
def audit_verify(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
) -> None:
    """Recompute the audit hash chain; exit 1 and name each altered or deleted event if it is broken."""
    from amnesty.audit.chain import verify_chain

    with _session(database_url) as db:
        report = verify_chain(db)
    if as_json:
        from amnesty.cli.common import print_json

        print_json(report.to_json_dict())
    elif report.ok:
        typer.echo(
            f"audit trail intact: {report.events} events, head {report.head_seq} {report.head_hash}; "
            f"{report.rows} records match their events; anchor: {(report.anchor or {}).get('status', 'off')}"
        )
    else:
        typer.echo(
            f"audit trail BROKEN: {len(report.problems)} problem(s) in {report.events} events", err=True
        )
        for problem in report.problems:
            typer.echo(
                f"  {f'event {problem.seq}' if problem.seq else problem.kind}: {problem.problem}", err=True
            )
    if not report.ok:
        raise typer.Exit(1)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Seed synthetic demo records and one demo user per role (passwords printed once).",
    ),
    demo_persons: int = typer.Option(
        600, "--demo-persons", min=1, max=100_000, help="Size of the demo registry."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Worker processes (sessions, login failures and jobs are shared through the database).",
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Comma-separated addresses of the reverse proxies whose X-Forwarded-For/-Proto are "
        "trusted (default: none: forwarded headers are ignored, whoever sends them).",
    ),
) -> None:
    """Run the web application and API (migrates the database first, and seeds the demo once,
    before the workers start)."""
    import os

    import uvicorn

    from amnesty.app import create_app
    from amnesty.auth.secret import secret_key
    from amnesty.jobs.runner import JOB_PROCESSES_ENV
    from amnesty.store.db import DATABASE_URL_ENV

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # each job in a child process, so that imports never slow the pages down (inherited by workers)
    os.environ.setdefault(JOB_PROCESSES_ENV, "1")
    app = create_app(database_url)
    secret_key()  # generated into the data directory now, unless AMNESTY_SECRET_KEY is set
    typer.echo(f"database: {_describe(app.state.database_url)}")
    if demo:
        _seed_demo(app.state.sessions, app.state.law, demo_persons)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: listening on {host}: put it behind HTTPS before real data is entered", err=True)
    typer.echo(
        f"amnesty is running at http://{host}:{port}/  (API: /api, OpenAPI: /openapi.json, docs: /docs)"
        + (f" with {workers} worker processes" if workers > 1 else "")
    )
    options = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_level": "warning",
        "log_config": LOG_CONFIG,
        "server_header": False,
        **forwarded_options(forwarded_allow_ips),
    }
    if workers == 1:
        uvicorn.run(app, **options)  # type: ignore[arg-type]
        return
    # each worker builds its own app from the environment: same database, same key file or variable
    os.environ[DATABASE_URL_ENV] = app.state.database_url
    app.state.engine.dispose()
    uvicorn.run(
        "amnesty.asgi:create_app_from_environment",
        factory=True,
        workers=workers,
        # a worker answers the supervisor's health check only once it has imported the application,
        # which takes seconds on a busy machine: a short limit would kill and restart it forever
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
        **options,  # type: ignore[arg-type]
    )


def forwarded_options(trusted: str | None) -> dict[str, object]:
    """uvicorn's options for forwarded headers: believed only from the proxies the operator names.
    Without any, uvicorn would trust 127.0.0.1 (or FORWARDED_ALLOW_IPS), and a client on the machine
    could claim any address, e.g. to escape the login limit; so none is trusted and uvicorn does not
    read the headers at all."""
    addresses = ",".join(part.strip() for part in (trusted or "").split(",") if part.strip())
    return {"proxy_headers": bool(addresses), "forwarded_allow_ips": addresses}


WORKER_STARTUP_SECONDS = 120
LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
LOG_CONFIG: dict[str, object] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": LOG_FORMAT}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {"alembic": {"level": "WARNING"}},
}
"""Logging of every server process (workers too): one line per request from `amnesty.access`, on stderr."""


def _describe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _seed_demo(sessions: sessionmaker[Session], law: Law, persons: int) -> None:
    from amnesty.store.demo import seed_records, seed_users

    with sessions() as db:
        result, source = seed_records(db, law, persons)
        users = seed_users(db)
        db.commit()
    if result is None:
        typer.echo(f"demo records: {source}")
    else:
        typer.echo(
            f"demo records: {result.records} from {source}; {result.decisions} decisions, {result.tasks} tasks"
        )
    table = Table("username", "role", "region", "password (shown once)", title="Demo users")
    for user in users:
        table.add_row(user.username, user.role.value, user.region or "", user.password)
    console.print(table)


def bench_service(
    persons: int = typer.Option(
        50_000, "--persons", min=1, max=100_000, help="Persons in the demo registry."
    ),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="A PostgreSQL database to measure on (a fresh schema is created and dropped); "
        "default: a temporary SQLite file.",
    ),
    import_persons: int = typer.Option(
        5_000, "--import-persons", min=1, help="Size of the import during which /api/health is timed."
    ),
    warm: int = typer.Option(20, "--warm", min=1, help="Warm requests per page."),
    clients: int = typer.Option(50, "--clients", min=1, help="Concurrent clients of POST /api/evaluate."),
    requests_per_client: int = typer.Option(
        40, "--requests-per-client", min=1, help="Requests of each evaluate client."
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes of the server."),
    timeout: float = typer.Option(600.0, "--timeout", min=1.0, help="Seconds one request may take."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Measure the served system: seeding, page loads (first, warm, after a write), memory, health
    during an import and concurrent evaluation, with `amnesty serve` as a separate process."""
    from amnesty.cli.bench_service import BenchOptions, render, run

    options = BenchOptions(
        persons=persons,
        database_url=database_url,
        import_persons=import_persons,
        warm=warm,
        clients=clients,
        requests_per_client=requests_per_client,
        workers=workers,
        timeout=timeout,
    )
    report = run(options, progress=lambda message: err_console.print(f"… {message}", markup=False))
    if as_json:
        from amnesty.cli.common import print_json

        print_json(report.to_json_dict())
    else:
        Console(width=max(console.width, 132)).print(render(report))


def register(app: typer.Typer) -> None:
    """Add this group's commands to the application."""
    app.command("serve")(serve)
    app.command("bench-service")(bench_service)
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
