"""Stateless evaluation and all-or-nothing import through the API."""

from __future__ import annotations

import importlib.util
import json

from sqlalchemy import func, select

from amnesty.auth import Role
from amnesty.store.models import AuditEvent, Person


def _counts(service):
    with service.app.state.sessions() as db:
        return db.scalar(select(func.count(Person.id))), db.scalar(select(func.count(AuditEvent.id)))


def test_health_needs_no_login(service):
    response = service.client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["schema_revision"]


def test_evaluate_returns_the_engines_decision_and_stores_nothing(service, record, unique_id):
    before = _counts(service)
    person_id = unique_id()
    response = service.client.post(
        "/api/evaluate", json=record(person_id), headers=service.as_role(Role.SOCIAL_WORKER)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["person_id"] == person_id
    assert body["outcome"] == "release"
    assert body["law_version"]
    assert {task["kind"] for task in body["resocialisation"]} >= {"social_assistance", "documents"}
    assert _counts(service)[0] == before[0]


def test_evaluate_names_the_invalid_field(service, record, unique_id):
    bad = record(unique_id())
    bad["charges"][0]["offence_date"] = "5 January"
    response = service.client.post("/api/evaluate", json=bad, headers=service.as_role(Role.ADMIN))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "charges[0].offence_date" in [field["field"] for field in error["fields"]]


def test_import_with_bad_rows_stores_nothing_and_reports_every_row(service, record, unique_id):
    persons_before, events_before = _counts(service)
    good = record(unique_id())
    missing_stage = record(unique_id())
    del missing_stage["stage"]
    bad_iin = record(unique_id(), iin="123")
    duplicate = dict(good)
    rows = [good, missing_stage, "not an object", bad_iin, duplicate]
    response = service.client.post("/api/import", json=rows, headers=service.as_role(Role.CASE_OFFICER))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_records"
    by_index = {row["index"]: row for row in error["rows"]}
    assert set(by_index) == {1, 2, 3, 4}
    assert [e["field"] for e in by_index[1]["errors"]] == ["stage"]
    assert by_index[3]["errors"][0]["field"] == "iin"
    assert by_index[4]["errors"][0]["field"] == "person_id"
    assert "records[1].stage" in [field["field"] for field in error["fields"]]
    assert _counts(service) == (persons_before, events_before)


def test_import_then_reimport_updates_and_reevaluates(service, record, unique_id):
    person_id = unique_id()
    headers = service.as_role(Role.CASE_OFFICER)
    first = service.client.post("/api/import", json=[record(person_id)], headers=headers)
    assert first.status_code == 201
    assert first.json()["created"] == 1
    assert first.json()["tasks"] >= 1
    same = service.client.post("/api/import", json=[record(person_id)], headers=headers)
    assert same.json()["unchanged"] == 1
    assert same.json()["decisions"] == 0
    changed = service.client.post(
        "/api/import", json=[record(person_id, recidivism="recidivism")], headers=headers
    )
    assert changed.json()["updated"] == 1
    assert changed.json()["decisions"] == 1
    history = service.client.get(
        f"/api/cases/{changed.json()['case_ids'][0]}/decisions", headers=headers
    ).json()
    assert [d["outcome"] for d in history["items"]] == ["release", "excluded"]
    assert history["items"][1]["diff"]["outcome"] == {"before": "release", "after": "excluded"}


def test_import_file_json_lines(service, record, unique_id):
    ids = [unique_id(), unique_id()]
    content = "\n".join(json.dumps(record(person_id)) for person_id in ids)
    response = service.client.post(
        "/api/import/file",
        files={"file": ("batch.jsonl", content.encode(), "application/x-ndjson")},
        headers=service.as_role(Role.ADMIN),
    )
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 2


def test_import_file_with_a_bad_line_names_the_line(service, record, unique_id):
    content = json.dumps(record(unique_id())) + "\n{not json\n"
    response = service.client.post(
        "/api/import/file",
        files={"file": ("batch.jsonl", content.encode(), "application/x-ndjson")},
        headers=service.as_role(Role.ADMIN),
    )
    assert response.status_code == 422
    rows = response.json()["error"]["rows"]
    assert rows[0]["line"] == 2


def test_import_file_tabular_needs_the_tabular_reader(service):
    response = service.client.post(
        "/api/import/file",
        files={"file": ("batch.csv", b"person_id,stage\n", "text/csv")},
        headers=service.as_role(Role.ADMIN),
    )
    if importlib.util.find_spec("amnesty.io.tabular") is None:
        assert response.status_code == 415
        assert response.json()["error"]["code"] == "unsupported_media_type"
    else:
        assert response.status_code == 422


def test_import_file_unknown_type_is_415(service):
    response = service.client.post(
        "/api/import/file",
        files={"file": ("batch.exe", b"MZ", "application/octet-stream")},
        headers=service.as_role(Role.ADMIN),
    )
    assert response.status_code == 415


def test_empty_import_is_refused(service):
    response = service.client.post("/api/import", json=[], headers=service.as_role(Role.ADMIN))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_import"


def test_values_no_database_column_can_hold_are_row_errors(service, record, unique_id):
    huge = record(unique_id(), sentence={"punishment": "community_service", "hours": 10**12})
    response = service.client.post("/api/import", json=[huge], headers=service.as_role(Role.ADMIN))
    assert response.status_code == 422
    assert response.json()["error"]["rows"][0]["errors"][0]["field"] == "sentence.hours"
    nul = json.dumps(record(unique_id(), full_name="A\u0000B"))
    upload = service.client.post(
        "/api/import/file",
        files={"file": ("x.jsonl", nul.encode(), "application/x-ndjson")},
        headers=service.as_role(Role.ADMIN),
    )
    assert upload.status_code == 422
    inline = service.client.post(
        "/api/import",
        content=f"[{nul}]",
        headers=service.as_role(Role.ADMIN) | {"content-type": "application/json"},
    )
    assert inline.status_code == 422
