"""`POST /api/jobs/import` with `chunked`: the body spooled to disk as it arrives (the limit enforced
while it streams, 413 naming it), the file stored chunk by chunk (valid records stored, invalid ones
listed, records in = stored + rejected), and the spool file deleted when the job ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amnesty.auth import Role
from amnesty.jobs.uploads import SPOOL_DIR_ENV, UPLOAD_MAX_ENV

from .test_jobs_api import _import, _jsonl, _wait


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SPOOL_DIR_ENV, str(tmp_path))
    return tmp_path


def test_a_chunked_import_stores_the_valid_records_and_lists_the_rest(service, record, unique_id, spool):
    ids = [unique_id("CH") for _ in range(3)]
    bad = record(unique_id("CHBAD")) | {"stage": "nonsense"}
    content = _jsonl([record(i) for i in ids]) + json.dumps(bad, default=str).encode() + b"\n"
    answer = _import(service, Role.CASE_OFFICER, content, chunked=True)
    assert answer.status_code == 202, answer.text
    officer = service.as_role(Role.CASE_OFFICER)
    job = _wait(service, answer.json()["id"], officer)
    assert job["status"] == "done", job
    assert (job["total"], job["done"], job["decided"], job["rejected"]) == (4, 4, 3, 1)
    assert job["result"]["stored"] == 3
    assert "_spool" not in job["params"]
    assert [error["person_id"] for error in job["errors"]] == [bad["person_id"]]
    for person_id in ids:
        assert service.client.get(f"/api/persons/{person_id}", headers=officer).status_code == 200
    assert service.client.get(f"/api/persons/{bad['person_id']}", headers=officer).status_code == 404
    assert list(spool.iterdir()) == []


def test_a_file_over_the_limit_is_refused_while_it_streams(service, record, spool, monkeypatch):
    monkeypatch.setenv(UPLOAD_MAX_ENV, "1")
    content = b"x" * (1024 * 1024 + 10)
    answer = _import(service, Role.CASE_OFFICER, content, name="big.csv", chunked=True)
    assert answer.status_code == 413, answer.text
    assert "larger than 1 MiB" in answer.json()["error"]["message"]
    assert list(spool.iterdir()) == []


def test_a_dry_run_cannot_be_chunked(service, record, unique_id, spool):
    answer = _import(
        service, Role.CASE_OFFICER, _jsonl([record(unique_id("CHD"))]), chunked=True, dry_run=True
    )
    assert answer.status_code == 422, answer.text
    assert list(spool.iterdir()) == []


def test_a_spooled_file_no_job_reads_is_swept_after_an_hour(service, spool):
    import os

    from amnesty.jobs.kinds import JobKind, JobStatus
    from amnesty.jobs.queue import finish_job, purge_old_files, submit_job
    from amnesty.jobs.uploads import SPOOL_PARAM

    orphan, queued, fresh = spool / "upload-orphan.csv", spool / "upload-queued.csv", spool / "upload-new.csv"
    for path in (orphan, queued, fresh):
        path.write_bytes(b"person_id\n")
    for path in (orphan, queued):
        os.utime(path, (0, 0))
    with service.app.state.sessions() as db:
        job = submit_job(db, JobKind.IMPORT, "tester", {SPOOL_PARAM: str(queued)}, "queued.csv")
        job.status = JobStatus.RUNNING.value  # no runner claims it, nor fails it (no heartbeat)
        db.commit()
        purge_old_files(db)
        assert sorted(path.name for path in spool.iterdir()) == ["upload-new.csv", "upload-queued.csv"]
        finish_job(db, job.id, JobStatus.CANCELLED, {})
    assert sorted(path.name for path in spool.iterdir()) == ["upload-new.csv"]


def test_a_killed_import_states_what_it_had_committed(service, spool):
    from amnesty.jobs.kinds import JobKind, JobStatus
    from amnesty.jobs.queue import RUNNER, fail_stale_jobs, get_job, submit_job, this_process
    from amnesty.jobs.uploads import SPOOL_PARAM

    spooled = spool / "upload-killed.csv"
    spooled.write_bytes(b"person_id\n")
    dead = this_process() | {"pid": 2**22 + 12345, "start": "0"}  # no such process
    with service.app.state.sessions() as db:
        params = {"dry_run": False, SPOOL_PARAM: str(spooled), RUNNER: dead}
        job = submit_job(db, JobKind.IMPORT, "tester", params, "killed.csv")
        job.status, job.done, job.decided, job.rejected = JobStatus.RUNNING.value, 4_000, 3_990, 10
        db.commit()
        assert fail_stale_jobs(db) >= 1
        found = get_job(db, job.id)
        assert found is not None
        assert found.status == JobStatus.FAILED.value
        assert {key: found.result[key] for key in ("stored", "rejected", "rows_read")} == {
            "stored": 3_990,
            "rejected": 10,
            "rows_read": 4_000,
        }
    assert not spooled.exists()
