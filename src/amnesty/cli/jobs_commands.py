"""`amnesty db import FILE`: the import job from the command line, with a progress bar.

The command queues an import job in the database and runs it in this process with the same
function the server's runner uses (`amnesty.jobs.work`), so the job shows in `GET /api/jobs` too.
Invalid rows: nothing is stored, every rejected row is printed on stderr, exit status 1.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from amnesty.cli.service_commands import CLI_ACTOR, DATABASE_URL_HELP, db_app
from amnesty.law.registry import DEFAULT_LAW_ID

err_console = Console(stderr=True)


@db_app.command("import")
def db_import(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="JSON, JSON Lines, CSV, XLSX or Parquet."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Evaluation date (default: entry into force)."),
    law_pack: Path | None = typer.Option(None, "--law-pack", help="A law pack YAML file (default: bundled)."),
    law_id: str = typer.Option(
        DEFAULT_LAW_ID, "--law", help="The registered law to decide under (`amnesty laws`)."
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_URL_HELP),
    lang: str = typer.Option("en", "--lang", help="Language of the rejected rows' messages: ru, kk or en."),
) -> None:
    """Store and evaluate every record of FILE, or nothing if any row is invalid (each rejected row
    is printed with its field and problem, in --lang, exit status 1)."""
    from amnesty.cli.common import load_law_or_exit, parse_as_of, progress_bar
    from amnesty.jobs.inputs import UnreadableFileError, check_name
    from amnesty.jobs.kinds import JobKind, JobStatus
    from amnesty.jobs.queue import get_job, localised_problem, localised_result, submit_job
    from amnesty.jobs.runner import run_one_job
    from amnesty.render.formats import LANGUAGES
    from amnesty.store.db import make_engine, make_sessionmaker
    from amnesty.store.migrate import upgrade

    if lang not in LANGUAGES:
        raise typer.BadParameter(
            f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}", param_hint="--lang"
        )
    try:
        check_name(file.name)
    except UnreadableFileError as error:
        err_console.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    law = load_law_or_exit(law_pack, law_id)
    date = parse_as_of(as_of)
    engine = make_engine(database_url)
    try:
        upgrade(database_url, engine=engine)
        sessions = make_sessionmaker(engine)
        with sessions() as db:
            params = {"dry_run": False, "as_of": date.isoformat() if date else None}
            job_id = submit_job(db, JobKind.IMPORT, CLI_ACTOR, params, file.name, file.read_bytes()).id
            db.commit()
        with progress_bar(err_console) as progress:
            bar = progress.add_task(f"importing {file.name}", total=None)

            def echo(done: int, total: int) -> None:
                progress.update(bar, completed=done, total=total)

            run_one_job(sessions, law, job_id, echo)
        with sessions() as db:
            job = get_job(db, job_id)
            assert job is not None
            status = JobStatus(job.status)
            result = localised_result(job.result, lang) or {}
            errors = [localised_problem(entry, lang) for entry in job.errors or []]
            counts = (job.total, job.rejected)
    finally:
        engine.dispose()
    if status is JobStatus.DONE:
        typer.echo(
            f"job {job_id}: {result.get('records', 0)} records stored: {result.get('created', 0)} new, "
            f"{result.get('updated', 0)} updated, {result.get('unchanged', 0)} unchanged; "
            f"{result.get('decisions', 0)} decisions, {result.get('tasks', 0)} tasks"
        )
        return
    err_console.print(f"job {job_id}: {result.get('message', status.value)}", markup=False)
    if errors:
        err_console.print(f"rejected rows ({counts[1]} of {counts[0]}):", markup=False)
        for row in errors:
            person = f" [{row['person_id']}]" if row.get("person_id") else ""
            err_console.print(f"  row {row['row']}{person}: {row['field']}: {row['message']}", markup=False)
    raise typer.Exit(1)
