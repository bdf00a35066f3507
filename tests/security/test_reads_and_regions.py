"""Two attacks of issue 10 replayed on SQLite and PostgreSQL through the served application
(`amnesty.app.create_app`, API and web pages):

- reading a person's file (API and documents page), downloading a decision document (PDF, DOCX),
  exporting a list (cases, tasks) and an impact run over the register each leave an audit event naming
  the reader and what was read (with the row count for exports and the case count for impact);
- a person's tasks follow the person when the person moves: the old region's social worker no longer
  reads, lists, exports or changes them; the new region's social worker does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from amnesty.auth import LOGIN_LIMITER, Role, create_user
from tests.security.conftest import PASSWORD
from tests.service.conftest import _record

OLD_REGION, NEW_REGION = "Almaty", "Shymkent"
USERS = {
    "rr-admin": (Role.ADMIN, None),
    "rr-officer": (Role.CASE_OFFICER, None),
    "rr-auditor": (Role.AUDITOR, None),
    "rr-social-old": (Role.SOCIAL_WORKER, OLD_REGION),
    "rr-social-new": (Role.SOCIAL_WORKER, NEW_REGION),
}


@dataclass
class Served:
    """The application on a fresh database, with one bearer header per user."""

    app: FastAPI
    client: TestClient
    headers: dict[str, dict[str, str]]

    def api(self, username: str) -> dict[str, str]:
        return self.headers[username]

    def web(self, username: str) -> TestClient:
        """A browser-like client signed in to the pages as the user."""
        client = TestClient(self.app)
        client.cookies.set("lang", "en")
        response = client.post(
            "/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        return client

    def audit(self, **filters: str) -> list[dict[str, Any]]:
        """Audit events matching the filters, read through GET /api/audit as an auditor."""
        response = self.client.get(
            "/api/audit", params={**filters, "page_size": "200"}, headers=self.api("rr-auditor")
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@pytest.fixture
def served(fresh_url: str, anchor_file: Path) -> Iterator[Served]:
    from amnesty.app import create_app

    app = create_app(fresh_url)
    with app.state.sessions() as db:
        for username, (role, region) in USERS.items():
            create_user(db, username, PASSWORD, role, region)
        db.commit()
    LOGIN_LIMITER.reset()
    try:
        with TestClient(app) as client:
            headers = {}
            for username in USERS:
                answer = client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
                assert answer.status_code == 200, answer.text
                headers[username] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
            yield Served(app, client, headers)
    finally:
        app.state.engine.dispose()


def _import(served: Served, *records: dict[str, Any]) -> list[int]:
    response = served.client.post("/api/import", json=list(records), headers=served.api("rr-admin"))
    assert response.status_code == 201, response.text
    ids: list[int] = response.json()["case_ids"]
    return ids


def _csrf(client: TestClient, page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_read_of_a_persons_data_is_audited(served: Served) -> None:
    released = [_record(f"RR-{i}", full_name=f"Reader Person {i}") for i in range(3)]
    case_ids = _import(served, *released)
    person_id, case_id = "RR-0", case_ids[0]

    # the person's file through the API
    assert served.client.get(f"/api/persons/{person_id}", headers=served.api("rr-officer")).status_code == 200
    reads = served.audit(action="person.read", actor="rr-officer", object_id=person_id)
    assert len(reads) == 1
    assert reads[0]["object_type"] == "person"

    # a case through the API
    assert served.client.get(f"/api/cases/{case_id}", headers=served.api("rr-officer")).status_code == 200
    case_reads = served.audit(action="case.read", actor="rr-officer", object_id=str(case_id))
    assert len(case_reads) == 1
    assert case_reads[0]["details"]["person_id"] == person_id

    # the documents page reads the person's file: one more audited read
    web = served.web("rr-officer")
    page = web.get(f"/documents/{person_id}")
    assert page.status_code == 200, page.text
    assert len(served.audit(action="person.read", actor="rr-officer", object_id=person_id)) == 2

    # a decision document, PDF and DOCX, each an audited read naming the case, person and format
    for language, fmt, magic in (("ru", "pdf", b"%PDF"), ("kk", "docx", b"PK")):
        link = f"/documents/{person_id}/{case_id}/{language}.{fmt}"
        assert link in page.text
        document = web.get(link)
        assert document.status_code == 200, document.text
        assert document.content.startswith(magic)
    documents = served.audit(action="document.read", actor="rr-officer", object_id=str(case_id))
    assert {(d["details"]["format"], d["details"]["language"]) for d in documents} == {
        ("pdf", "ru"),
        ("docx", "kk"),
    }
    assert all(d["object_type"] == "case" and d["details"]["person_id"] == person_id for d in documents)

    # a document of a case the reader may not see leaves no read behind
    social = served.web("rr-social-old")
    assert social.get(f"/documents/{person_id}/{case_id}/ru.pdf").status_code in (403, 404)
    assert served.audit(action="document.read", actor="rr-social-old") == []

    # list exports: one event each, with the list's name, format and row count
    cases_csv = web.get("/cases/export.csv")
    assert cases_csv.status_code == 200, cases_csv.text
    case_lines = _csv_rows(cases_csv.content)[1:]
    assert {person_id, "RR-1", "RR-2"} <= {cell for row in case_lines for cell in row}
    tasks_xlsx = web.get("/tasks/export.xlsx")
    assert tasks_xlsx.status_code == 200, tasks_xlsx.text
    tasks_total = served.client.get("/api/tasks", headers=served.api("rr-officer")).json()["total"]
    assert tasks_total >= 3
    exports = {e["object_id"]: e for e in served.audit(action="export", actor="rr-officer")}
    assert exports["cases"]["details"] == {"format": "csv", "rows": len(case_lines)}
    assert exports["tasks"]["details"] == {"format": "xlsx", "rows": tasks_total}

    # an impact run over the register: one event with the number of cases read
    impact = served.web("rr-officer")
    form = impact.get("/impact")
    variant = re.search(r"<textarea[^>]*name=\"variant_text\"[^>]*>(.*?)</textarea>", form.text, re.S)
    assert variant, "no variant on the impact page"
    ran = impact.post(
        "/impact",
        data={
            "variant_text": unescape(variant.group(1)),
            "source": "register",
            "csrf_token": _csrf(impact, "/impact"),
        },
    )
    assert ran.status_code == 200, ran.text
    runs = served.audit(action="register.read", actor="rr-officer")
    assert len(runs) == 1
    assert runs[0]["details"] == {"purpose": "impact", "cases": len(case_ids)}

    # and the chain of all these events verifies
    verified = served.client.get("/api/audit/verify", headers=served.api("rr-auditor"))
    assert verified.status_code == 200, verified.text
    assert verified.json()["ok"], verified.text


def _task_of(served: Served, person_id: str) -> dict[str, Any]:
    found = served.client.get("/api/tasks", params={"person_id": person_id}, headers=served.api("rr-admin"))
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    assert items, f"no task for {person_id}"
    return items[0]


def _listed(served: Served, username: str) -> set[int]:
    response = served.client.get("/api/tasks", params={"page_size": "200"}, headers=served.api(username))
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def _exported(served: Served, username: str) -> set[str]:
    response = served.web(username).get("/tasks/export.csv")
    assert response.status_code == 200, response.text
    return {row[0] for row in _csv_rows(response.content)[1:]}


def test_tasks_follow_the_person_to_the_new_region(served: Served) -> None:
    person_id = "RR-MOVER"
    (case_id,) = _import(served, _record(person_id, region=OLD_REGION))
    task = _task_of(served, person_id)
    old, new = served.api("rr-social-old"), served.api("rr-social-new")

    # before the move: the old region's worker has the task, the new region's does not
    assert task["id"] in _listed(served, "rr-social-old")
    assert task["id"] not in _listed(served, "rr-social-new")
    assert served.client.get(f"/api/tasks/{task['id']}", headers=new).status_code == 404

    # the person moves: a case officer edits the record's region
    detail = served.client.get(f"/api/cases/{case_id}", headers=served.api("rr-admin")).json()
    moved = detail["record"] | {"region": NEW_REGION}
    edit = served.client.put(
        f"/api/cases/{case_id}",
        json={"version": detail["version"], "record": moved},
        headers=served.api("rr-officer"),
    )
    assert edit.status_code == 200, edit.text

    # the old region's social worker neither reads, lists, exports nor changes the task any more
    task = _task_of(served, person_id)
    assert served.client.get(f"/api/tasks/{task['id']}", headers=old).status_code == 404
    change = {"version": task["version"], "status": "in_progress", "notes": "old region"}
    assert served.client.patch(f"/api/tasks/{task['id']}", json=change, headers=old).status_code == 404
    assert task["id"] not in _listed(served, "rr-social-old")
    assert str(task["id"]) not in _exported(served, "rr-social-old")
    assert served.client.get(f"/api/persons/{person_id}", headers=old).status_code == 404
    old_page = served.web("rr-social-old").get("/tasks")
    assert old_page.status_code == 200
    assert person_id not in old_page.text
    unchanged = _task_of(served, person_id)
    assert unchanged["version"] == task["version"]
    assert unchanged["status"] == task["status"]

    # the new region's social worker sees it (API list, page, export) and may change it
    assert task["id"] in _listed(served, "rr-social-new")
    assert str(task["id"]) in _exported(served, "rr-social-new")
    assert person_id in served.web("rr-social-new").get("/tasks").text
    assert served.client.get(f"/api/tasks/{task['id']}", headers=new).status_code == 200
    updated = served.client.patch(
        f"/api/tasks/{task['id']}", json=change | {"notes": "new region"}, headers=new
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["status"] == "in_progress"
    assert updated.json()["version"] == task["version"] + 1
