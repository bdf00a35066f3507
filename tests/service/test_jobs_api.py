"""The job endpoints: imports (all or nothing, dry run then add), re-evaluation and impact as jobs,
role rules from `amnesty.jobs.kinds`, visibility of other users' jobs, and a server that keeps
answering `/api/health` while a 5,000-person import runs."""

from __future__ import annotations

import json
import time
from importlib import resources

import pytest

from amnesty.auth import Role
from amnesty.jobs.kinds import START_ROLES, JobKind
from amnesty.synth.generate import generate
from amnesty.synth.presets import Preset

WAIT_SECONDS = 300


def _jsonl(records) -> bytes:
    return "".join(json.dumps(r, default=str) + "\n" for r in records).encode()


def _wait(service, job_id, headers):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = service.client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def _import(service, role, content, name="people.jsonl", **form):
    return service.client.post(
        "/api/jobs/import",
        files={"file": (name, content)},
        data={key: str(value).lower() for key, value in form.items()},
        headers=service.as_role(role),
    )


def test_import_job_stores_the_file_and_reports_progress(service, record, unique_id):
    ids = [unique_id("JA") for _ in range(3)]
    answer = _import(service, Role.CASE_OFFICER, _jsonl([record(i) for i in ids]))
    assert answer.status_code == 202, answer.text
    assert answer.headers["location"] == f"/api/jobs/{answer.json()['id']}"
    assert answer.json()["status"] == "queued"
    officer = service.as_role(Role.CASE_OFFICER)
    job = _wait(service, answer.json()["id"], officer)
    assert job["status"] == "done", job
    assert (job["total"], job["done"], job["decided"], job["rejected"]) == (3, 3, 3, 0)
    assert job["created_by"] == service.username(Role.CASE_OFFICER)
    for person_id in ids:
        assert service.client.get(f"/api/persons/{person_id}", headers=officer).status_code == 200
    listed = service.client.get("/api/jobs", headers=officer).json()
    assert answer.json()["id"] in [item["id"] for item in listed["items"]]


def test_an_invalid_row_rejects_the_whole_file_with_every_reason(service, record, unique_id):
    good, bad = unique_id("JB"), unique_id("JB")
    rows = [record(good), record(bad, charges=[{"article": "x"}])]
    officer = service.as_role(Role.CASE_OFFICER)
    job = _wait(service, _import(service, Role.CASE_OFFICER, _jsonl(rows)).json()["id"], officer)
    assert job["status"] == "failed"
    assert job["rejected"] == 1
    assert job["result"]["stored"] == 0
    assert {error["row"] for error in job["errors"]} == {2}
    assert all(error["person_id"] == bad for error in job["errors"])
    assert any(error["field"].startswith("charges") for error in job["errors"])
    assert service.client.get(f"/api/persons/{good}", headers=officer).status_code == 404


def test_dry_run_then_add_stores_once(service, record, unique_id):
    person_id = unique_id("JC")
    admin = service.as_role(Role.ADMIN)
    trial = _wait(
        service, _import(service, Role.ADMIN, _jsonl([record(person_id)]), dry_run=True).json()["id"], admin
    )
    assert trial["status"] == "done"
    assert trial["result"]["can_add"]
    assert service.client.get(f"/api/persons/{person_id}", headers=admin).status_code == 404
    added = service.client.post(f"/api/jobs/{trial['id']}/add", headers=admin)
    assert added.status_code == 202, added.text
    assert _wait(service, added.json()["id"], admin)["status"] == "done"
    assert service.client.get(f"/api/persons/{person_id}", headers=admin).status_code == 200
    again = service.client.post(f"/api/jobs/{trial['id']}/add", headers=admin)
    assert again.status_code == 409


@pytest.mark.parametrize("role", list(Role))
def test_who_may_start_which_job(service, role):
    headers = service.as_role(role)
    variant = resources.files("amnesty.impact").joinpath("examples/grave-half.yaml").read_bytes()
    answers = {
        JobKind.IMPORT: _import(service, role, b"[]", dry_run=True),
        JobKind.REEVALUATE: service.client.post("/api/jobs/reevaluate", headers=headers),
        JobKind.IMPACT: service.client.post(
            "/api/jobs/impact", files={"variant": ("v.yaml", variant)}, headers=headers
        ),
    }
    for kind, answer in answers.items():
        expected = 202 if role in START_ROLES[kind] else 403
        assert answer.status_code == expected, (kind, answer.text)
    for answer in answers.values():
        if answer.status_code == 202:
            _wait(service, answer.json()["id"], headers)


def test_impact_job_over_the_register(service):
    refused = service.client.post(
        "/api/jobs/impact",
        files={"variant": ("grave-half.yaml", b"name: x\n")},
        headers=service.as_role(Role.AUDITOR),
    )
    assert refused.status_code == 403  # the auditor reads the register and the audit log, runs nothing
    reviewer = service.as_role(Role.REVIEWER)
    variant = resources.files("amnesty.impact").joinpath("examples/grave-half.yaml").read_bytes()
    answer = service.client.post(
        "/api/jobs/impact", files={"variant": ("grave-half.yaml", variant)}, headers=reviewer
    )
    job = _wait(service, answer.json()["id"], reviewer)
    assert job["status"] == "done"
    assert job["result"]["persons"] == job["decided"] >= len(service.demo_case_ids)
    assert job["result"]["variant"] == "grave-half" or job["result"]["variant"]


def test_other_users_jobs_are_hidden_except_from_admins_and_auditors(service):
    officer = service.as_role(Role.CASE_OFFICER)
    job_id = _import(service, Role.CASE_OFFICER, b"[]", dry_run=True).json()["id"]
    _wait(service, job_id, officer)
    assert (
        service.client.get(f"/api/jobs/{job_id}", headers=service.as_role(Role.REVIEWER)).status_code == 404
    )
    assert service.client.get(f"/api/jobs/{job_id}", headers=service.as_role(Role.ADMIN)).status_code == 200
    assert service.client.get(f"/api/jobs/{job_id}", headers=service.as_role(Role.AUDITOR)).status_code == 200
    assert service.client.get("/api/jobs", headers=service.as_role(Role.SOCIAL_WORKER)).status_code == 403


def test_unsupported_file_type_is_refused(service):
    answer = _import(service, Role.ADMIN, b"a,b", name="notes.txt")
    assert answer.status_code == 415
    assert ".csv" in answer.json()["error"]["message"]


def test_health_answers_while_a_5000_person_import_runs(service):
    people = [
        person | {"person_id": f"HL-{person['person_id']}"}
        for person in generate(Preset.JANUARY, 5000, seed=7)
    ]
    admin = service.as_role(Role.ADMIN)
    job_id = _import(service, Role.ADMIN, _jsonl(people)).json()["id"]
    answered_while_running = 0
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        status = service.client.get(f"/api/jobs/{job_id}", headers=admin).json()["status"]
        if status in ("done", "failed"):
            break
        health = service.client.get("/api/health")
        assert health.status_code == 200
        if status == "running":
            answered_while_running += 1
        time.sleep(0.05)
    assert status == "done"
    assert answered_while_running > 0


def test_a_job_stored_with_text_that_is_not_text_still_reads(service):
    """A job row holding lone surrogates (stored before such text was made storable, or written by
    hand) answers 200 on the API, its text replaced, never 500."""
    from amnesty.jobs.kinds import JobStatus
    from amnesty.jobs.queue import RowProblem, finish_job, submit_job

    admin = service.as_role(Role.ADMIN)
    with service.app.state.sessions() as db:
        job = submit_job(db, JobKind.IMPORT, "test-admin", {"dry_run": False}, "people.jsonl", b"")
        db.commit()
        job_id = job.id
        finish_job(db, job_id, JobStatus.FAILED, {"failure": "rejected", "message": "x"}, [])
        from sqlalchemy import update

        from amnesty.store.models import JobRow

        problem = RowProblem(row=2, person_id="P-\udcff", field="full_name", problem="bad \ud800 text")
        db.execute(update(JobRow).where(JobRow.id == job_id).values(errors=[problem.to_json_dict()]))
        db.commit()
    answer = service.client.get(f"/api/jobs/{job_id}", headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["errors"][0]["person_id"] == "P-\ufffd"
    listed = service.client.get("/api/jobs", headers=admin)
    assert listed.status_code == 200


def test_a_failed_job_logs_its_error_type_not_a_traceback(service, monkeypatch, caplog):
    """The job runner's log names the job and the error's type; the message and traceback, which may
    quote case data, stay out of it (unless the log level is DEBUG)."""
    import logging

    from amnesty.jobs import work
    from amnesty.jobs.queue import submit_job
    from amnesty.jobs.runner import run_one_job

    def explode(db, job, law, echo):
        raise ValueError("Есенов Марат Сабитович 680609327347")

    monkeypatch.setitem(work.EXECUTORS, JobKind.REEVALUATE, explode)
    with service.app.state.sessions() as db:
        job_id = submit_job(db, JobKind.REEVALUATE, "test-admin").id
        db.commit()
    with caplog.at_level(logging.INFO, logger="amnesty.jobs"):
        assert run_one_job(service.app.state.sessions, service.app.state.law, job_id)
    logged = "\n".join(record.getMessage() + str(record.exc_info or "") for record in caplog.records)
    assert f"job {job_id} (reevaluate) failed: ValueError" in logged
    assert "Есенов" not in logged
    assert "Traceback" not in caplog.text
    assert not any(record.exc_info for record in caplog.records)
