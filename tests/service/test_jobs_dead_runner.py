"""A job whose process died is marked failed at the next start of a runner, not after the heartbeat's
ten minutes: the runner that claims a job records its process, and a starting runner checks it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from amnesty.jobs.kinds import JobKind, JobStatus
from amnesty.jobs.queue import RUNNER, claim_next_job, fail_stale_jobs, get_job, job_json, submit_job
from amnesty.jobs.runner import JobRunner
from amnesty.law.loader import default_law
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade

_CLAIM_AND_HANG = textwrap.dedent(
    """
    import sys, time
    from amnesty.jobs.queue import claim_next_job
    from amnesty.store.db import make_engine, make_sessionmaker

    sessions = make_sessionmaker(make_engine(sys.argv[1]))
    with sessions() as db:
        print(claim_next_job(db), flush=True)
    time.sleep(600)
    """
)


@pytest.fixture
def sessions(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def _submit(sessions) -> int:
    with sessions() as db:
        job = submit_job(db, JobKind.REEVALUATE, "officer-1", {"as_of": "2022-03-01"}, None, None)
        db.commit()
        return job.id


def test_a_job_whose_process_was_killed_fails_at_the_next_start(sessions, fresh_url):
    job_id = _submit(sessions)
    claimer = subprocess.Popen(
        [sys.executable, "-c", _CLAIM_AND_HANG, fresh_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert claimer.stdout is not None
        assert claimer.stdout.readline().strip() == str(job_id)
        with sessions() as db:
            job = get_job(db, job_id)
            assert job.status == JobStatus.RUNNING
            assert job.params[RUNNER]["pid"] == claimer.pid
            assert RUNNER not in job_json(job)["params"], "the runner's record is not shown"
            assert job_json(job)["params"] == {"as_of": "2022-03-01"}
            assert fail_stale_jobs(db) == 0, "a job whose process runs is left running"
        os.kill(claimer.pid, signal.SIGKILL)
        claimer.wait(timeout=30)
    finally:
        claimer.kill()
        claimer.wait(timeout=30)
    runner = JobRunner(sessions, default_law(), poll_seconds=0.2)
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sessions() as db:
                job = get_job(db, job_id)
            if job.status != JobStatus.RUNNING:
                break
            time.sleep(0.1)
    finally:
        runner.stop()
    assert job.status == JobStatus.FAILED
    assert job.result["failure"] == "interrupted"
    assert "the process running this job ended" in job.result["message"]


def test_a_job_of_this_process_or_another_host_is_left_running(sessions):
    mine = _submit(sessions)
    with sessions() as db:
        assert claim_next_job(db) == mine
        assert get_job(db, mine).params[RUNNER]["pid"] == os.getpid()
        assert fail_stale_jobs(db) == 0
    elsewhere = _submit(sessions)
    with sessions() as db:
        assert claim_next_job(db) == elsewhere
        job = get_job(db, elsewhere)
        job.params = {**job.params, RUNNER: {**job.params[RUNNER], "host": "another-host", "pid": 1 << 30}}
        db.commit()
        assert fail_stale_jobs(db) == 0, "another host's job fails only by its heartbeat"
        assert get_job(db, elsewhere).status == JobStatus.RUNNING
