"""The job runner of a server process: one worker thread that claims queued jobs and runs them.

The work runs in this thread, never on the event loop, so the server keeps answering while a job
runs. When the application is served (`amnesty serve`, `AMNESTY_JOB_PROCESSES=1`), each job runs in
a child process of its own that this thread waits for: a job's CPU-heavy evaluation then never holds
the server's interpreter lock, so pages and `/api/health` answer at full speed during an import. Every process that submits a job has a runner (started on first use); any runner may claim any
queued job, so with several worker processes the jobs are shared out through the database. The
runner also polls, so that jobs queued by another process, or left queued by a restart, are run.

When it starts, and then every minute, a runner marks failed the running jobs whose process has ended
(`queue.fail_stale_jobs`): a job left running by a server that was killed fails at the next start, not
after a heartbeat's timeout. A job's child process ends with the server (`batch.orphans.die_with`), so
a job is never run on by a process no server knows.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from amnesty.batch.orphans import die_with
from amnesty.jobs.queue import claim_next_job, fail_stale_jobs, purge_old_files, record_runner
from amnesty.jobs.work import ProgressEcho, run_job
from amnesty.law.loader import Law

LOG = logging.getLogger("amnesty.jobs")
POLL_SECONDS = 2.0
SWEEP_SECONDS = 60.0
CANCEL_POLL_SECONDS = 0.5
CANCEL_GRACE_SECONDS = 2.0
"""A job in a child process asked to stop gets this long to stop by itself before its process ends."""
JOB_PROCESSES_ENV = "AMNESTY_JOB_PROCESSES"
"""`1`: run each job in a child process (what `amnesty serve` sets unless it is already set)."""


def jobs_in_processes(database_url: str) -> bool:
    """Whether jobs run in child processes: asked for by the environment, and possible (a database
    another process can open, not an in-memory SQLite)."""
    wanted = os.environ.get(JOB_PROCESSES_ENV, "0").strip() == "1"
    return wanted and ":memory:" not in database_url and database_url not in ("sqlite://", "sqlite:///")


def _run_in_child(database_url: str, law: Law, job_id: int, server: int | None = None) -> None:
    """The body of a job's child process: its own engine on the same database, the same law; it ends
    when the server process (`server`) ends."""
    from amnesty.store.db import make_engine, make_sessionmaker

    if server is not None:
        die_with(server)
    engine = make_engine(database_url)
    try:
        run_job(make_sessionmaker(engine), law, job_id)
    finally:
        engine.dispose()


def run_pending_jobs(sessions: sessionmaker[Session], law: Law, echo: ProgressEcho | None = None) -> int:
    """Claim and run queued jobs in this thread until none is left; how many ran (tests, CLI)."""
    count = 0
    while True:
        with sessions() as db:
            job_id = claim_next_job(db)
        if job_id is None:
            return count
        run_job(sessions, law, job_id, echo)
        count += 1


def run_one_job(
    sessions: sessionmaker[Session], law: Law, job_id: int, echo: ProgressEcho | None = None
) -> bool:
    """Claim one given queued job and run it in this thread (the command line); False if another
    runner claimed it first."""
    from sqlalchemy import update

    from amnesty.jobs.kinds import JobStatus
    from amnesty.store.models import JobRow, utcnow

    with sessions() as db:
        now = utcnow()
        claimed = db.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.RUNNING.value, started_at=now, heartbeat_at=now)
        )
        db.commit()
        if getattr(claimed, "rowcount", 0) != 1:
            return False
        record_runner(db, job_id)
    run_job(sessions, law, job_id, echo)
    return True


class JobRunner:
    """A daemon thread running queued jobs one at a time."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        law: Law,
        poll_seconds: float = POLL_SECONDS,
        database_url: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._law = law
        self._poll = poll_seconds
        self._database_url = database_url  # set: each job in a child process on this database
        self._child: Any = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (once)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="amnesty-jobs", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Look for queued jobs now (after a submission)."""
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop after its current job and wait a little for it."""
        self._stop.set()
        self._wake.set()
        child = self._child
        if child is not None and child.is_alive():
            child.terminate()  # the job is left running in the database: the sweep marks it failed
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self, job_id: int) -> None:
        if self._database_url is None:
            run_job(self._sessions, self._law, job_id)
            return
        context = multiprocessing.get_context("spawn")
        child = context.Process(
            target=_run_in_child,
            args=(self._database_url, self._law, job_id, os.getpid()),
            name=f"amnesty-job-{job_id}",
        )
        self._child = child
        child.start()
        asked_at: float | None = None
        while child.is_alive():
            child.join(CANCEL_POLL_SECONDS)
            if not child.is_alive():
                break
            if asked_at is None and self._cancel_asked(job_id):
                asked_at = time.monotonic()
            if asked_at is not None and time.monotonic() - asked_at > CANCEL_GRACE_SECONDS:
                child.terminate()  # still reading its file, or in one long step: end it
                child.join()
                self._child = None
                self._finish_cancelled(job_id)
                return
        self._child = None
        if child.exitcode != 0:
            LOG.warning("job %s: its process ended with exit code %s", job_id, child.exitcode)
            self._fail_if_running(job_id, child.exitcode)

    def _cancel_asked(self, job_id: int) -> bool:
        from amnesty.jobs.queue import cancel_requested

        try:
            with self._sessions() as db:
                return cancel_requested(db, job_id)
        except Exception:  # a database outage: ask again at the next poll
            return False

    def _finish_cancelled(self, job_id: int) -> None:
        from amnesty.jobs.kinds import JobStatus
        from amnesty.jobs.queue import committed_counts, finish_job
        from amnesty.store.models import JobRow

        with self._sessions() as db:
            job = db.get(JobRow, job_id)
            if job is not None and job.status == JobStatus.RUNNING.value:
                summary = {"message": "cancelled on request"} | committed_counts(db, job_id)
                finish_job(db, job_id, JobStatus.CANCELLED, summary)

    def _fail_if_running(self, job_id: int, exitcode: int | None) -> None:
        from amnesty.jobs.kinds import JobStatus
        from amnesty.jobs.queue import committed_counts, finish_job
        from amnesty.store.models import JobRow

        with self._sessions() as db:
            job = db.get(JobRow, job_id)
            if job is not None and job.status == JobStatus.RUNNING.value:
                message = f"the job's process ended unexpectedly (exit code {exitcode})"
                summary = {"failure": "error", "message": message} | committed_counts(db, job_id)
                finish_job(db, job_id, JobStatus.FAILED, summary)

    def _loop(self) -> None:
        last_sweep: float | None = None  # sweep at once: jobs left running by a process that ended
        while not self._stop.is_set():
            try:
                if last_sweep is None or time.monotonic() - last_sweep > SWEEP_SECONDS:
                    with self._sessions() as db:
                        fail_stale_jobs(db)
                        purge_old_files(db)
                    last_sweep = time.monotonic()
                with self._sessions() as db:
                    job_id = claim_next_job(db)
                if job_id is not None:
                    self._run(job_id)
                    continue
            except Exception as error:  # the runner must survive a database outage
                LOG.warning("job runner: %s; retrying", type(error).__name__)
            self._wake.wait(self._poll)
            self._wake.clear()


def runner_for(app: Any) -> JobRunner:
    """The application's runner (created and started on first use)."""
    state = app.state
    runner: JobRunner | None = getattr(state, "job_runner", None)
    if runner is None:
        url = state.database_url
        runner = JobRunner(state.sessions, state.law, database_url=url if jobs_in_processes(url) else None)
        state.job_runner = runner
    runner.start()
    return runner
