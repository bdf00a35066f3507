"""The pages inside the service's application (`amnesty.app.create_app`): database, users and audit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from amnesty.domain.enums import Outcome

from .conftest import PASSWORD, LiveServer, Register, csrf_of, make_service_app, shot


def backend_of(app: FastAPI) -> Register:
    return Register(app.state.sessions)


def decision_id_on(client: TestClient, page: str) -> str:
    """The decision an override form on the page is recorded beside."""
    match = re.search(r'name="decision_id" value="(\d+)"', client.get(page).text)
    assert match, "no override form on the page"
    return match.group(1)


def client_for(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    client.cookies.set("lang", "en")
    response = client.post(
        "/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    return client


def test_service_users_sign_in_and_reading_a_person_is_audited(tmp_path: Path) -> None:
    from amnesty.store.models import AuditEvent

    app = make_service_app(tmp_path)
    assert (
        TestClient(app).post("/signin", data={"username": "officer", "password": "wrong"}).status_code == 401
    )
    client = client_for(app, "officer")
    person_id = next(iter(backend_of(app).files))
    page = client.get(f"/cases/{person_id}")
    assert page.status_code == 200
    assert 'id="decision-headline">' in page.text
    with app.state.sessions() as db:
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "person.read")))
    assert any(event.actor == "officer" and event.object_id == person_id for event in events)


def test_service_new_case_and_override_are_stored(tmp_path: Path) -> None:
    app = make_service_app(tmp_path)
    officer = client_for(app, "officer")
    form = {
        "csrf_token": csrf_of(officer, "/cases/new"),
        "person_id": "WEB-1",
        "full_name": "Web Test",
        "stage": "trial",
        "role": "participant",
        "recidivism": "none",
        "charges-0-article": "293",
        "charges-0-part": "2",
        "charges-0-category": "medium",
        "charges-0-offence_date": "2022-01-05",
        "charges-0-context": "unknown",
    }
    created = officer.post("/cases/new", data=form, follow_redirects=False)
    assert created.status_code == 303
    assert created.headers["location"].startswith("/cases/WEB-1?")
    stored = backend_of(app).person("WEB-1")
    assert stored is not None
    assert stored.decision.outcome is Outcome.NEEDS_REVIEW
    reviewer = client_for(app, "reviewer")
    assert "WEB-1" in reviewer.get("/review").text
    response = reviewer.post(
        "/cases/WEB-1/override",
        data={
            "csrf_token": csrf_of(reviewer, "/cases/WEB-1"),
            "decision_id": decision_id_on(reviewer, "/cases/WEB-1"),
            "outcome": "terminate_case",
            "justification": "The riot connection is established by the indictment.",
            "citation": "Law 152-VII, art. 1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    after = backend_of(app).person("WEB-1")
    assert after is not None
    assert after.final_outcome is Outcome.TERMINATE_CASE
    assert after.overrides[-1].reviewer == "reviewer"
    assert "WEB-1" not in reviewer.get("/review").text


@pytest.mark.browser
def test_service_dashboard_to_a_release_and_its_reasons_in_russian(
    browser: Any, live: tuple[LiveServer, Register]
) -> None:
    server, register = live
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        page.get_by_label("Имя пользователя").fill("officer")
        page.get_by_label("Пароль").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/home$"))
        page.get_by_role("link", name="Сводка", exact=True).click()
        section = page.locator("section", has=page.get_by_role("heading", name="Кого освобождают"))
        section.locator("tbody tr a").first.click()
        page.wait_for_url(re.compile(r".*/cases/[^/]+$"))
        person_id = page.url.rsplit("/", 1)[-1]
        file = register.person(person_id)
        assert file is not None
        assert file.final_outcome in (Outcome.RELEASE, Outcome.REDUCE_SENTENCE)
        assert page.locator("#decision-headline").inner_text().split(":")[0] in (
            "Освобождается от наказания",
            "Срок наказания сокращается",
        )
        assert (
            page.locator("section.case").first.locator("h3[id^=reasons-] + ul li").count()
            == len(file.decision.reasons)
            or len(file.decision.reasons) == 0
        )
        shot(page, "service-person")
    finally:
        context.close()


def test_signing_in_on_the_pages_opens_the_service_session_and_signing_out_closes_it(tmp_path: Path) -> None:
    from amnesty.auth import SESSION_COOKIE

    app = make_service_app(tmp_path)
    client = client_for(app, "auditor")
    assert SESSION_COOKIE in client.cookies
    me = client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "auditor"
    forged = client.post("/signout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    token = csrf_of(client, "/home")
    out = client.post("/signout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/home", follow_redirects=False).status_code == 303


def test_service_batch_upload_is_a_trial_run_job_that_leaves_the_register_alone(tmp_path: Path) -> None:
    import json

    from amnesty.store.models import AuditEvent, Person

    app = make_service_app(tmp_path)
    client = client_for(app, "officer")
    with app.state.sessions() as db:
        before = len(list(db.scalars(select(Person.id))))
    row = {
        "person_id": "UP-1",
        "stage": "pre_trial",
        "charges": [{"article": 293, "offence_date": "2022-01-05"}],
    }
    response = client.post(
        "/batch",
        data={"csrf_token": csrf_of(client, "/batch")},
        files={"file": ("x.jsonl", json.dumps(row))},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/jobs/")
    job_id = response.headers["location"].rsplit("/", 1)[-1]
    with app.state.sessions() as db:
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.action == "job.submit")))
        after = len(list(db.scalars(select(Person.id))))
    assert [(e.actor, e.object_id) for e in events] == [("officer", job_id)]
    assert after == before
