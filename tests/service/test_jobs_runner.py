"""The job runner on SQLite and PostgreSQL (fresh schema each): imports all or nothing with every
rejected row, dry runs added afterwards, re-evaluation, impact, atomic claims, and the bulk import
path storing exactly what the one-case path stores."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from amnesty.audit import verify_chain
from amnesty.io.json_records import validate_item
from amnesty.jobs.kinds import JobKind, JobStatus
from amnesty.jobs.queue import (
    NotAddableError,
    claim_next_job,
    get_job,
    submit_dry_run_for_storing,
    submit_job,
)
from amnesty.jobs.runner import run_pending_jobs
from amnesty.law.loader import default_law
from amnesty.store.bulk import insert_new_persons
from amnesty.store.cases import evaluate_case, upsert_case
from amnesty.store.db import make_engine, make_sessionmaker
from amnesty.store.migrate import upgrade
from amnesty.store.models import AuditEvent, Case, DecisionRow, JobRow, Person, TaskRow
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset

from .conftest import fresh_database_url


@pytest.fixture
def sessions(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(fresh_url, engine=engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def _jsonl(records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _submit(sessions, kind, content=None, name=None, **params):
    with sessions() as db:
        job = submit_job(db, kind, "officer-1", params, name, content)
        db.commit()
        return job.id


def _run(sessions, job_id):
    assert run_pending_jobs(sessions, default_law()) >= 1
    with sessions() as db:
        return get_job(db, job_id)


def _input(sessions, job_id):
    with sessions() as db:
        return db.scalar(select(JobRow.input).where(JobRow.id == job_id))


def _persons(sessions) -> int:
    with sessions() as db:
        return int(db.scalar(select(func.count(Person.id))) or 0)


def test_import_job_stores_every_row_with_progress_and_audit(sessions, record):
    records = [record(f"JOB-{i}") for i in range(7)]
    job_id = _submit(sessions, JobKind.IMPORT, _jsonl(records), "people.jsonl")
    job = _run(sessions, job_id)
    assert job.status == JobStatus.DONE
    assert (job.total, job.done, job.decided, job.rejected) == (7, 7, 7, 0)
    assert job.result["created"] == 7
    assert _input(sessions, job.id) is None
    assert job.started_at is not None
    assert job.finished_at is not None
    assert _persons(sessions) == 7
    with sessions() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "job")))
        assert actions == ["job.submit", "job.start", "job.finish"]
        assert verify_chain(db).ok


def test_import_with_an_invalid_row_stores_nothing_and_names_every_rejected_row(sessions, record):
    records = [record("BAD-1"), record("BAD-2", stage="nonsense"), record("BAD-3", charges=[])]
    job_id = _submit(sessions, JobKind.IMPORT, _jsonl(records), "bad.jsonl")
    job = _run(sessions, job_id)
    assert job.status == JobStatus.FAILED
    assert job.result["failure"] == "rejected"
    assert (job.total, job.decided, job.rejected) == (3, 0, 2)
    rows = {(error["row"], error["field"]) for error in job.errors}
    assert {row for row, _field in rows} == {2, 3}
    assert "stage" in {field for _row, field in rows}
    assert all(error["problem"] for error in job.errors)
    assert _persons(sessions) == 0


def test_unreadable_file_fails_with_a_reason(sessions):
    job = _run(sessions, _submit(sessions, JobKind.IMPORT, b"\xff\xfe\x00garbage", "x.json"))
    assert job.status == JobStatus.FAILED
    assert job.errors[0]["field"] == "(file)"


def test_dry_run_stores_nothing_then_adding_it_stores_all(sessions, record):
    records = [record(f"DRY-{i}") for i in range(4)]
    job = _run(sessions, _submit(sessions, JobKind.IMPORT, _jsonl(records), "dry.jsonl", dry_run=True))
    assert job.status == JobStatus.DONE
    assert job.result["can_add"]
    assert job.decided == 4
    assert sum(job.result["outcomes"].values()) == 4
    assert _persons(sessions) == 0
    assert _input(sessions, job.id) is not None
    with sessions() as db:
        added = submit_dry_run_for_storing(db, get_job(db, job.id), "officer-2")
        db.commit()
        with pytest.raises(NotAddableError):
            submit_dry_run_for_storing(db, get_job(db, job.id), "officer-2")
        added_id = added.id
    assert _input(sessions, job.id) is None
    stored = _run(sessions, added_id)
    assert stored.status == JobStatus.DONE
    assert stored.created_by == "officer-2"
    assert _persons(sessions) == 4


def test_dry_run_with_a_rejected_row_cannot_be_added(sessions, record):
    records = [record("DRX-1"), record("DRX-1")]
    job = _run(sessions, _submit(sessions, JobKind.IMPORT, _jsonl(records), "dup.jsonl", dry_run=True))
    assert (job.decided, job.rejected) == (1, 1)
    assert job.total == job.decided + job.rejected
    assert not job.result["can_add"]
    assert _input(sessions, job.id) is None
    with sessions() as db, pytest.raises(NotAddableError):
        submit_dry_run_for_storing(db, get_job(db, job.id), "officer-1")


def test_a_queued_job_is_claimed_once(sessions):
    _submit(sessions, JobKind.REEVALUATE)
    with sessions() as first, sessions() as second:
        claimed = claim_next_job(first)
        assert claimed is not None
        assert claim_next_job(second) is None


def test_reevaluation_and_impact_jobs_cover_the_register(sessions, record):
    _run(
        sessions, _submit(sessions, JobKind.IMPORT, _jsonl([record(f"RE-{i}") for i in range(5)]), "a.jsonl")
    )
    job = _run(sessions, _submit(sessions, JobKind.REEVALUATE))
    assert job.status == JobStatus.DONE
    assert (job.total, job.done) == (5, 5)
    assert job.result["new_decisions"] == 0
    variant = resources.files("amnesty.impact").joinpath("examples/grave-half.yaml").read_bytes()
    impact = _run(sessions, _submit(sessions, JobKind.IMPACT, variant, "grave-half.yaml"))
    assert impact.status == JobStatus.DONE, impact.result
    assert impact.result["persons"] == 5
    assert impact.decided == 5
    broken = _run(sessions, _submit(sessions, JobKind.IMPACT, b"just text", "v.yaml"))
    assert broken.status == JobStatus.FAILED
    assert broken.errors[0]["field"] == "(variant)"


def _stored_state(db, person_ids):
    """Everything stored for the persons, without database keys and times."""
    state = {}
    for person in db.scalars(select(Person).where(Person.person_id.in_(person_ids))):
        case = db.scalar(select(Case).where(Case.person_fk == person.id))
        decision = db.scalar(select(DecisionRow).where(DecisionRow.case_fk == case.id))
        tasks = sorted(
            (t.kind, t.region, t.akimat, t.status)
            for t in db.scalars(select(TaskRow).where(TaskRow.case_fk == case.id))
        )
        person_cols = {
            c: getattr(person, c) for c in ("iin", "full_name", "birth_date", "region", "role", "recidivism")
        }
        charges = [
            (c.position, c.article, c.part, c.category, c.offence_date, c.territory, c.context, c.tags)
            for c in case.charges
        ]
        sentence = case.sentence
        state[person.person_id] = (
            person_cols,
            (case.case_number, case.case_key, case.stage, case.version),
            charges,
            None
            if sentence is None
            else (
                sentence.punishment,
                sentence.term_years,
                sentence.term_months,
                sentence.start_date,
                sentence.additional,
            ),
            (
                decision.sequence,
                decision.outcome,
                decision.needs_review,
                decision.provisional,
                decision.decision,
                decision.input_record,
                decision.diff,
            ),
            tasks,
        )
    return state


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_pair(request, tmp_path_factory):
    """Two fresh databases of the backend: one filled by the bulk path, one by the one-case path."""
    made, urls = [], []
    for name in ("bulk", "single"):
        source = fresh_database_url(request.param, tmp_path_factory.mktemp(name))
        url = next(source)
        urls.append(source)
        engine = make_engine(url)
        upgrade(url, engine=engine)
        made.append((engine, make_sessionmaker(engine)))
    yield made
    for engine, _ in made:
        engine.dispose()
    for source in urls:
        next(source, None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 100_000), persons=st.integers(1, 25), preset=st.sampled_from(list(Preset)))
def test_bulk_path_stores_what_the_one_case_path_stores(database_pair, seed, persons, preset):
    law = default_law()
    prefix = f"H{seed}-{preset.value}-{persons}-"
    records = []
    for person in generate(preset, persons, seed):
        item = validate_item(0, None, person | {"person_id": prefix + str(person["person_id"])})
        records.append(item.record)
    (_, bulk), (_, single) = database_pair
    with bulk() as db:
        if db.scalar(select(Person.id).where(Person.person_id == records[0].person_id)):
            return
        insert_new_persons(db, records, "tester", law, None)
        db.commit()
        fast = _stored_state(db, [r.person_id for r in records])
    with single() as db:
        for record in records:
            case, status = upsert_case(db, record, "tester")
            evaluate_case(db, case, "tester", law=law, new_case=status == "created")
        db.commit()
        slow = _stored_state(db, [r.person_id for r in records])
    assert fast == slow


def test_stale_running_jobs_fail_and_old_files_are_dropped(sessions, record):
    import datetime as dt

    from amnesty.jobs.queue import fail_stale_jobs, purge_old_files

    job = _run(
        sessions, _submit(sessions, JobKind.IMPORT, _jsonl([record("OLD-1")]), "o.jsonl", dry_run=True)
    )
    assert _input(sessions, job.id) is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    with sessions() as db:
        assert purge_old_files(db, now=later) == 1
    assert _input(sessions, job.id) is None
    stuck = _submit(sessions, JobKind.REEVALUATE)
    with sessions() as db:
        assert claim_next_job(db) == stuck
        assert fail_stale_jobs(db, now=later) == 1
        assert get_job(db, stuck).status == JobStatus.FAILED


def test_a_served_runner_runs_each_job_in_a_child_process(sessions, record, fresh_url, monkeypatch):
    """With `AMNESTY_JOB_PROCESSES=1` (what `amnesty serve` sets) the job runs in a process of its own
    on the same database: the server's thread only waits for it. The outcome is the in-process one."""
    import os
    import time as clock

    from amnesty.jobs.runner import JOB_PROCESSES_ENV, JobRunner, jobs_in_processes

    monkeypatch.setenv(JOB_PROCESSES_ENV, "1")
    assert jobs_in_processes(fresh_url)
    assert not jobs_in_processes("sqlite://")
    runner = JobRunner(sessions, default_law(), poll_seconds=0.2, database_url=fresh_url)
    job_id = _submit(sessions, JobKind.IMPORT, _jsonl([record(f"CHILD-{i}") for i in range(3)]), "c.jsonl")
    runner.wake()
    try:
        deadline = clock.monotonic() + 300
        while clock.monotonic() < deadline:
            with sessions() as db:
                job = get_job(db, job_id)
            if JobStatus(job.status).finished:
                break
            clock.sleep(0.2)
    finally:
        runner.stop()
    assert job.status == JobStatus.DONE, job.result
    assert (job.total, job.decided, job.rejected) == (3, 3, 0)
    assert _persons(sessions) == 3
    with sessions() as db:
        assert verify_chain(db).ok
    assert os.environ[JOB_PROCESSES_ENV] == "1"


def test_a_job_whose_process_dies_is_marked_failed(sessions, record, fresh_url):
    from amnesty.jobs.runner import JobRunner

    job_id = _submit(sessions, JobKind.IMPORT, _jsonl([record("DIES-1")]), "d.jsonl")
    with sessions() as db:
        assert claim_next_job(db) == job_id
    runner = JobRunner(sessions, default_law(), database_url=fresh_url)
    runner._fail_if_running(job_id, -9)
    with sessions() as db:
        job = get_job(db, job_id)
    assert job.status == JobStatus.FAILED
    assert "exit code -9" in job.result["message"]
